//! [`App`]: one method per IPC command. The Tauri shell holds one `App` in its managed state and
//! calls these methods from its commands; nothing here knows about Tauri.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use hasura_cloud::{Client, ClientConfig, NewProject, ProjectId, TenantDetails, Token};
use parking_lot::Mutex;

use crate::activity::{ActivityKind, ActivityStore, MemoryActivity};
use crate::env::{Draft, HealthWatch};
use crate::error::AppError;
use crate::offline::{MemoryProjectsCache, ProjectsCache};
use crate::profiles::{
    AppSnapshot, Profile, ProfileInput, ProfileKind, SignInInput, TokenStorage, validate_color,
    validate_endpoint, validate_profile_name, validate_token_text,
};
use crate::projects::{
    self, CreateProjectInput, DeleteProjectInput, ExternalTarget, ProjectDetails, ProjectRow,
    TenantInfo, parse_project_id, parse_tenant_id,
};
use crate::regions::{self, RegionChoices};
use crate::sandbox::{SANDBOX_COLOR, SANDBOX_PROFILE_ID, SANDBOX_PROFILE_NAME, Sandbox};
use crate::secrets::{SecretStore, profile_account};
use crate::settings::{Preferences, ProfileSettings, Settings, SettingsStore};
use crate::validate;

/// What is known about a profile's token.
#[derive(Clone)]
enum Known {
    Token(Token, TokenStorage),
    /// The keychain was asked and has none.
    Absent,
}

/// A client built for a profile, with the endpoint it was built for.
struct CachedClient {
    endpoint: String,
    client: Client,
}

struct State {
    settings: Settings,
    /// Per profile id; a profile missing here has not been looked up in the keychain yet.
    tokens: HashMap<String, Known>,
    /// One pooled client per profile; dropped when the profile's token or endpoint changes.
    clients: HashMap<String, CachedClient>,
    /// Bumped whenever a token is stored or forgotten, so that a keychain read that raced with
    /// such a change is not cached.
    epoch: u64,
}

/// The desktop app's behaviour, without Tauri. All methods take `&self` and are safe to call
/// concurrently; their futures are `Send`.
pub struct App {
    settings_store: Arc<dyn SettingsStore>,
    secrets: Arc<dyn SecretStore>,
    /// Timeouts and retries for every client; the endpoint is set per profile.
    client_config: ClientConfig,
    state: Mutex<State>,
    sandbox: tokio::sync::Mutex<Option<Sandbox>>,
    /// Env editor drafts, per (profile id, tenant id); in memory only.
    drafts: Mutex<HashMap<env::DraftKey, Draft>>,
    /// Project names by tenant id, as last seen in a list, a create or a rename: the activity
    /// log names the project of an entry that knows only its tenant id (an env apply).
    project_names: Mutex<HashMap<String, String>>,
    /// Held by every env command that changes a draft, across its requests.
    env_ops: tokio::sync::Mutex<()>,
    /// How `env_watch_health` waits and polls.
    health_watch: HealthWatch,
    /// Preview-app runs, their polling tasks and sink; the sandbox's GitHub tokens.
    previews: preview::Previews,
    /// The first project list, asked for at launch while the window loads
    /// ([`App::prefetch_projects`]). Held while that request runs, so the window's first
    /// `list_projects` waits for it instead of sending its own.
    first_list: tokio::sync::Mutex<FirstList>,
    /// What the app changed in Hasura Cloud: names, keys and fingerprints, never values.
    activity: Arc<dyn ActivityStore>,
    /// Each profile's last project list, shown read-only when Hasura Cloud cannot be reached.
    projects_cache: Arc<dyn ProjectsCache>,
}

/// The launch-time project list, for the window's first `list_projects` only.
#[derive(Default)]
struct FirstList {
    /// The window has asked once: anything fetched later would be stale for it.
    asked: bool,
    /// Profile id, when it was fetched, the rows.
    fetched: Option<(String, std::time::Instant, Vec<ProjectRow>)>,
}

/// How long a launch-time list stays good enough to be the first one shown.
const FIRST_LIST_FRESH: std::time::Duration = std::time::Duration::from_secs(15);

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock();
        let signed_in: Vec<&str> = state
            .tokens
            .iter()
            .filter(|(_, known)| matches!(known, Known::Token(..)))
            .map(|(id, _)| id.as_str())
            .collect();
        f.debug_struct("App")
            .field("settings", &state.settings)
            .field("signed_in", &signed_in)
            .field("cached_clients", &state.clients.len())
            .field("env_drafts", &self.drafts.lock().len())
            .field("preview_runs", &self.previews.run_count())
            .finish_non_exhaustive()
    }
}

impl App {
    /// Loads the settings (nothing else: the keychain is first read when a profile's state is
    /// needed).
    pub fn new(
        settings: Arc<dyn SettingsStore>,
        secrets: Arc<dyn SecretStore>,
    ) -> Result<App, AppError> {
        Self::with_client_config(settings, secrets, ClientConfig::default())
    }

    /// Like [`App::new`], with other timeouts and retries for the API clients (tests).
    pub fn with_client_config(
        settings: Arc<dyn SettingsStore>,
        secrets: Arc<dyn SecretStore>,
        client_config: ClientConfig,
    ) -> Result<App, AppError> {
        let mut loaded = settings.load()?.unwrap_or_default();
        loaded.repair();
        Ok(App {
            settings_store: settings,
            secrets,
            client_config,
            state: Mutex::new(State {
                settings: loaded,
                tokens: HashMap::new(),
                clients: HashMap::new(),
                epoch: 0,
            }),
            sandbox: tokio::sync::Mutex::new(None),
            drafts: Mutex::new(HashMap::new()),
            project_names: Mutex::new(HashMap::new()),
            env_ops: tokio::sync::Mutex::new(()),
            health_watch: HealthWatch::default(),
            previews: preview::Previews::default(),
            first_list: tokio::sync::Mutex::new(FirstList::default()),
            activity: Arc::new(MemoryActivity::default()),
            projects_cache: Arc::new(MemoryProjectsCache::default()),
        })
    }

    /// The same app with another way of watching a project's health after an apply (tests use
    /// short delays and totals).
    pub fn with_health_watch(mut self, watch: HealthWatch) -> App {
        self.health_watch = watch;
        self
    }

    // ---- profiles ------------------------------------------------------------------------

    /// The profiles, whether each is signed in, and the active one.
    pub async fn get_state(&self) -> Result<AppSnapshot, AppError> {
        let settings = self.state.lock().settings.clone();
        let mut profiles = Vec::with_capacity(settings.profiles.len());
        for p in settings.profiles {
            // A keychain that cannot be read leaves the profile signed out; signing in then
            // explains the problem.
            let storage = match self.token_of(&p).await {
                Ok(Some((_, storage))) => Some(storage),
                Ok(None) | Err(_) => None,
            };
            profiles.push(Profile {
                signed_in: storage.is_some(),
                token_storage: storage,
                id: p.id,
                name: p.name,
                color: p.color,
                endpoint: p.endpoint,
                kind: p.kind,
                production_projects: p.production_projects,
            });
        }
        Ok(AppSnapshot {
            profiles,
            active_profile_id: settings.active_profile_id,
        })
    }

    /// Creates (`id: None`) or updates a profile. A sandbox profile keeps its endpoint. Changing
    /// the endpoint of a signed-in profile signs it out, so a token only ever goes to the
    /// endpoint it was checked against.
    pub async fn save_profile(&self, input: ProfileInput) -> Result<AppSnapshot, AppError> {
        let name = validate_profile_name(&input.name)?;
        let color = validate_color(&input.color)?;
        match input.id.as_deref() {
            None => {
                let endpoint = validate_endpoint(&input.endpoint)?;
                self.update_settings(|settings| {
                    let id = uuid::Uuid::new_v4().to_string();
                    settings.profiles.push(ProfileSettings {
                        id: id.clone(),
                        name,
                        color,
                        endpoint,
                        kind: ProfileKind::Cloud,
                        production_projects: Vec::new(),
                    });
                    if settings.active_profile_id.is_none() {
                        settings.active_profile_id = Some(id);
                    }
                    Ok(())
                })?;
            }
            Some(id) => {
                let profile = self.profile(id)?;
                let endpoint = match profile.kind {
                    ProfileKind::Sandbox => profile.endpoint.clone(),
                    ProfileKind::Cloud => validate_endpoint(&input.endpoint)?,
                };
                if endpoint != profile.endpoint {
                    self.forget_token(&profile).await?;
                }
                self.update_settings(|settings| {
                    let stored = settings.profile_mut(id).ok_or_else(no_such_profile)?;
                    stored.name = name;
                    stored.color = color;
                    stored.endpoint = endpoint;
                    Ok(())
                })?;
            }
        }
        self.get_state().await
    }

    /// Deletes a profile and its keychain entry (and stops the sandbox with its profile).
    pub async fn delete_profile(&self, id: &str) -> Result<AppSnapshot, AppError> {
        let profile = self.profile(id)?;
        self.forget_token(&profile).await?;
        self.forget_list(id);
        // Best effort: a keychain that cannot be reached keeps nothing new of ours.
        let _ = self.delete_github_token(&profile).await;
        if profile.kind == ProfileKind::Sandbox
            && let Some(sandbox) = self.sandbox.lock().await.take()
        {
            sandbox.stop().await;
        }
        self.update_settings(|settings| {
            settings.profiles.retain(|p| p.id != id);
            if settings.active_profile_id.as_deref() == Some(id) {
                settings.active_profile_id = settings.profiles.first().map(|p| p.id.clone());
            }
            Ok(())
        })?;
        self.get_state().await
    }

    /// Makes a profile the active one. Env drafts of the other profiles are dropped.
    pub async fn switch_profile(&self, id: &str) -> Result<AppSnapshot, AppError> {
        self.update_settings(|settings| {
            if settings.profile(id).is_none() {
                return Err(no_such_profile());
            }
            settings.active_profile_id = Some(id.to_owned());
            Ok(())
        })?;
        self.drop_drafts(|profile, _| profile != id);
        self.get_state().await
    }

    /// Checks the token with the API, then keeps it: in the keychain when `remember`, else in
    /// memory for this session. If the keychain cannot take it, nothing is kept and the error
    /// is `keychainUnavailable`.
    pub async fn sign_in(&self, input: SignInInput) -> Result<AppSnapshot, AppError> {
        let SignInInput {
            profile_id,
            token,
            remember,
        } = input;
        let profile = self.profile(&profile_id)?;
        if profile.kind == ProfileKind::Sandbox {
            return Err(AppError::invalid(
                "token",
                "The sandbox signs in by itself: open it from the menu instead.",
            ));
        }
        let token = Token::new(validate_token_text(&token)?);
        let client = self.build_client(&profile.endpoint, token.clone())?;
        // A cheap read every valid token may do; a rejected token fails it.
        client
            .find_projects_by_name("")
            .await
            .map_err(|e| match e {
                hasura_cloud::Error::TokenRejected { .. } => {
                    AppError::from(hasura_cloud::Error::TokenRejected { field: None })
                }
                other => AppError::from(other),
            })?;

        let account = profile_account(&profile.id);
        let storage = if remember {
            let secret = token.expose_secret().to_owned();
            self.blocking(move |s| s.set(&account, &secret)).await?;
            TokenStorage::Keychain
        } else {
            // A token remembered earlier must not outlive a session-only sign-in. Best effort:
            // a keychain that cannot be reached holds nothing of ours to remove.
            let _ = self.blocking(move |s| s.delete(&account)).await;
            TokenStorage::Session
        };
        {
            let mut state = self.state.lock();
            state.epoch += 1;
            state
                .tokens
                .insert(profile.id.clone(), Known::Token(token, storage));
            state.clients.insert(
                profile.id.clone(),
                CachedClient {
                    endpoint: profile.endpoint.clone(),
                    client,
                },
            );
        }
        self.update_settings(|settings| {
            if settings.active_profile_id.is_none() {
                settings.active_profile_id = Some(profile.id.clone());
            }
            Ok(())
        })?;
        self.get_state().await
    }

    /// Forgets the profile's token: the keychain entry and any session token.
    pub async fn sign_out(&self, profile_id: &str) -> Result<AppSnapshot, AppError> {
        let profile = self.profile(profile_id)?;
        self.forget_token(&profile).await?;
        self.forget_list(profile_id);
        self.get_state().await
    }

    /// Starts the in-app simulator (once), creates the sandbox profile if there is none, signs
    /// it in with the simulator's session token and makes it active.
    pub async fn open_sandbox(&self) -> Result<AppSnapshot, AppError> {
        let (endpoint, token) = {
            let mut running = self.sandbox.lock().await;
            if running.is_none() {
                *running = Some(Sandbox::start().await?);
            }
            match running.as_ref() {
                Some(sandbox) => (sandbox.endpoint(), sandbox.token()),
                None => return Err(AppError::internal("The sandbox could not be started.")),
            }
        };
        let id = self.update_settings(|settings| {
            let id = match settings
                .profiles
                .iter_mut()
                .find(|p| p.kind == ProfileKind::Sandbox)
            {
                Some(profile) => {
                    profile.endpoint = endpoint.clone();
                    profile.id.clone()
                }
                None => {
                    settings.profiles.push(ProfileSettings {
                        id: SANDBOX_PROFILE_ID.to_owned(),
                        name: SANDBOX_PROFILE_NAME.to_owned(),
                        color: SANDBOX_COLOR.to_owned(),
                        endpoint: endpoint.clone(),
                        kind: ProfileKind::Sandbox,
                        production_projects: Vec::new(),
                    });
                    SANDBOX_PROFILE_ID.to_owned()
                }
            };
            settings.active_profile_id = Some(id.clone());
            Ok(id)
        })?;
        self.drop_drafts(|profile, _| profile != id);
        {
            let mut state = self.state.lock();
            state.epoch += 1;
            state
                .tokens
                .insert(id.clone(), Known::Token(token, TokenStorage::Session));
            state.clients.remove(&id);
        }
        self.get_state().await
    }

    // ---- projects ------------------------------------------------------------------------

    /// The active profile's projects with their tenants (one request).
    pub async fn list_projects(&self) -> Result<Vec<ProjectRow>, AppError> {
        let first = {
            let mut first = self.first_list.lock().await;
            first.asked = true;
            first.fetched.take()
        };
        if let Some((profile, at, rows)) = first
            && at.elapsed() < FIRST_LIST_FRESH
            && self.state.lock().settings.active_profile_id.as_deref() == Some(profile.as_str())
        {
            self.keep_list(&profile, &rows);
            return Ok(rows);
        }
        let (profile, client) = self.active_client().await?;
        let projects = client.list_projects().await?;
        let rows: Vec<ProjectRow> = projects.iter().map(projects::row_from_project).collect();
        self.keep_list(&profile, &rows);
        Ok(rows)
    }

    /// Called once at launch: reads the active profile's token and asks for its projects while
    /// the window is still loading, so the first list shown needs no request of its own. Only
    /// the window's first `list_projects` can use the answer; a failure is left for that call to
    /// meet and explain.
    pub async fn prefetch_projects(&self) {
        let mut first = self.first_list.lock().await;
        if first.asked {
            return;
        }
        let Ok((profile, client)) = self.active_client().await else {
            return;
        };
        if let Ok(projects) = client.list_projects().await {
            let rows = projects.iter().map(projects::row_from_project).collect();
            first.fetched = Some((profile, std::time::Instant::now(), rows));
        }
    }

    /// A project with its console, dashboard and GraphQL links.
    pub async fn project_details(&self, project_id: &str) -> Result<ProjectDetails, AppError> {
        let id = parse_project_id(project_id)?;
        let client = self.client().await?;
        Ok(projects::details(project_row(&client, id).await?))
    }

    /// The tenant id of a project.
    pub async fn find_tenant_id(&self, project_id: &str) -> Result<String, AppError> {
        let id = parse_project_id(project_id)?;
        let client = self.client().await?;
        Ok(client.tenant_id_of_project(id).await?.to_string())
    }

    /// A tenant with its project.
    pub async fn tenant_details(&self, tenant_id: &str) -> Result<TenantInfo, AppError> {
        let id = parse_tenant_id(tenant_id)?;
        let client = self.client().await?;
        Ok(projects::tenant_info(&client.tenant(id).await?))
    }

    /// Regions to offer: the API's when this token may read them, else the built-in list.
    pub async fn list_regions(&self) -> Result<RegionChoices, AppError> {
        let client = self.client().await?;
        Ok(match client.regions().await {
            Ok(list) => regions::from_api(&list),
            Err(_) => regions::fallback(),
        })
    }

    /// Creates a project after checking the input. If a name was asked for and Hasura Cloud
    /// chose another, the name is set afterwards.
    pub async fn create_project(&self, input: CreateProjectInput) -> Result<ProjectRow, AppError> {
        let cloud = validate::cloud(&input.cloud)?;
        let region = validate::region(&input.region)?;
        let plan = validate::plan(&input.plan)?;
        let name = match input.name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(validate::project_name(name)?),
        };
        validate::env_keys(input.envs.iter().map(|e| e.key.as_str()))?;
        let (profile, client) = self.active_client().await?;

        let created = client
            .create_project(&NewProject {
                cloud: cloud.clone(),
                region: region.clone(),
                name: name.clone(),
                plan: Some(plan.clone()),
                envs: input.envs.into_iter().map(|e| (e.key, e.value)).collect(),
            })
            .await
            .map_err(|e| {
                AppError::from_client_for_fields(e, &["name", "region", "cloud", "plan"])
            })?;

        // The project exists from here on: prefer answering with what is known over an error
        // that would invite creating it twice.
        let mut row = match client.tenant(created.tenant_id).await {
            Ok(details) => projects::row_from_tenant(&details),
            Err(error) => match &created.tenant {
                Some(tenant) => ProjectRow {
                    id: tenant.project.id.to_string(),
                    name: created.name.clone(),
                    endpoint: tenant.project.endpoint.clone(),
                    plan: Some(plan),
                    tenant_id: Some(created.tenant_id.to_string()),
                    slug: Some(tenant.slug.clone()),
                    cloud: Some(cloud),
                    region: Some(region),
                    created_at: String::new(),
                },
                None => return Err(error.into()),
            },
        };
        if let Some(wanted) = name
            && row.name != wanted
            && let Ok(project_id) = row.id.parse::<ProjectId>()
            && let Ok(stored) = client.set_project_name(project_id, &wanted).await
        {
            row.name = stored;
        }
        let summary = format!(
            "Created {} ({} {}, {})",
            row.name,
            row.cloud.as_deref().unwrap_or("?"),
            row.region.as_deref().unwrap_or("?"),
            row.plan.as_deref().unwrap_or("?")
        );
        self.record(
            self.activity_entry(&profile, ActivityKind::ProjectCreated, summary)
                .project(Some(&row.name), row.tenant_id.as_deref()),
        );
        Ok(row)
    }

    /// Renames a project (by its tenant id) and answers with the tenant as it is afterwards.
    pub async fn rename_project(
        &self,
        tenant_id: &str,
        name: &str,
    ) -> Result<TenantInfo, AppError> {
        let id = parse_tenant_id(tenant_id)?;
        let name = validate::project_name(name)?;
        let (profile, client) = self.active_client().await?;
        client
            .rename_tenant(id, &name)
            .await
            .map_err(|e| AppError::from_client_for_fields(e, &["name"]))?;
        self.record(
            self.activity_entry(
                &profile,
                ActivityKind::ProjectRenamed,
                format!("Renamed a project to {name}"),
            )
            .project(Some(&name), Some(&id.to_string())),
        );
        Ok(projects::tenant_info(&client.tenant(id).await?))
    }

    /// Deletes a project, only if `confirm_name` is its current name.
    pub async fn delete_project(&self, input: DeleteProjectInput) -> Result<(), AppError> {
        let id = parse_tenant_id(&input.tenant_id)?;
        let (profile, client) = self.active_client().await?;
        let tenant: TenantDetails = client.tenant(id).await?;
        let name = &tenant.project.name;
        if input.confirm_name.trim() != name {
            return Err(AppError::invalid(
                "confirmName",
                format!(
                    "Type the project's name, {name}, exactly as shown to confirm deleting it."
                ),
            ));
        }
        client.delete_tenant(id).await?;
        let tenant = id.to_string();
        self.record(
            self.activity_entry(
                &profile,
                ActivityKind::ProjectDeleted,
                format!("Deleted {name}"),
            )
            .project(Some(name), Some(&tenant)),
        );
        self.drop_drafts(|_, t| t == tenant);
        Ok(())
    }

    /// The address `open_external` opens for a project; the shell hands it to the OS.
    pub async fn external_url(
        &self,
        project_id: &str,
        target: ExternalTarget,
    ) -> Result<String, AppError> {
        let id = parse_project_id(project_id)?;
        let id_text = id.to_string();
        match target {
            ExternalTarget::Console => Ok(projects::console_url(&id_text)),
            ExternalTarget::Dashboard => Ok(projects::dashboard_url(&id_text)),
            ExternalTarget::Endpoint => {
                let client = self.client().await?;
                let row = project_row(&client, id).await?;
                projects::checked_link(&row.endpoint)
            }
        }
    }

    /// Marks a project of the active profile as production (or not). The mark is this
    /// computer's: the app asks for the project's name before applying env changes to it.
    pub async fn set_production(
        &self,
        project_id: &str,
        production: bool,
    ) -> Result<AppSnapshot, AppError> {
        let id = parse_project_id(project_id)?.to_string();
        self.update_settings(|settings| {
            let profile = settings
                .active_profile_id
                .clone()
                .and_then(|active| settings.profile_mut(&active))
                .ok_or_else(|| {
                    AppError::not_signed_in("Choose a profile, or add one, and sign in first.")
                })?;
            let marks = &mut profile.production_projects;
            marks.retain(|p| *p != id);
            if production {
                marks.push(id);
            }
            Ok(())
        })?;
        self.get_state().await
    }

    // ---- preferences ---------------------------------------------------------------------

    pub async fn preferences(&self) -> Result<Preferences, AppError> {
        Ok(self.state.lock().settings.preferences.clone())
    }

    pub async fn set_preferences(&self, preferences: Preferences) -> Result<Preferences, AppError> {
        self.update_settings(|settings| {
            settings.preferences = preferences.clone();
            Ok(preferences)
        })
    }

    // ---- helpers -------------------------------------------------------------------------

    fn profile(&self, id: &str) -> Result<ProfileSettings, AppError> {
        self.state
            .lock()
            .settings
            .profile(id)
            .cloned()
            .ok_or_else(no_such_profile)
    }

    /// Changes the settings and saves them; nothing changes when `change` or the save fails.
    fn update_settings<R>(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<R, AppError>,
    ) -> Result<R, AppError> {
        let mut state = self.state.lock();
        let mut next = state.settings.clone();
        let result = change(&mut next)?;
        if next != state.settings {
            self.settings_store.save(&next)?;
            state.settings = next;
        }
        Ok(result)
    }

    /// Runs a keychain call off the async threads (it may block, or wait for a prompt).
    async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let secrets = Arc::clone(&self.secrets);
        tokio::task::spawn_blocking(move || call(secrets.as_ref()))
            .await
            .map_err(|_| AppError::internal("The keychain task stopped unexpectedly."))?
    }

    /// The profile's token and where it is kept, reading the keychain once per profile.
    async fn token_of(
        &self,
        profile: &ProfileSettings,
    ) -> Result<Option<(Token, TokenStorage)>, AppError> {
        let epoch = {
            let state = self.state.lock();
            match state.tokens.get(&profile.id) {
                Some(Known::Token(token, storage)) => return Ok(Some((token.clone(), *storage))),
                Some(Known::Absent) => return Ok(None),
                None => state.epoch,
            }
        };
        // The sandbox's token lives in memory only.
        if profile.kind == ProfileKind::Sandbox {
            return Ok(None);
        }
        let account = profile_account(&profile.id);
        let found = self
            .blocking(move |s| s.get(&account))
            .await?
            .filter(|t| !t.trim().is_empty());
        let known = match found {
            Some(secret) => Known::Token(Token::new(secret), TokenStorage::Keychain),
            None => Known::Absent,
        };
        let mut state = self.state.lock();
        if state.epoch == epoch {
            state.tokens.insert(profile.id.clone(), known.clone());
        }
        Ok(match known {
            Known::Token(token, storage) => Some((token, storage)),
            Known::Absent => None,
        })
    }

    /// Forgets a profile's token: session, cached client, keychain entry. A keychain that cannot
    /// be reached is an error only when this app knows it holds the token.
    async fn forget_token(&self, profile: &ProfileSettings) -> Result<(), AppError> {
        let removed = {
            let mut state = self.state.lock();
            state.epoch += 1;
            state.clients.remove(&profile.id);
            state.tokens.remove(&profile.id)
        };
        // Signing out (or deleting the profile, or moving its endpoint) drops its env drafts
        // and stops its preview-app watches.
        self.drop_drafts(|p, _| p == profile.id);
        self.previews.drop_profile(&profile.id);
        if profile.kind == ProfileKind::Sandbox {
            return Ok(());
        }
        let account = profile_account(&profile.id);
        match self.blocking(move |s| s.delete(&account)).await {
            Ok(()) => Ok(()),
            Err(error) => match removed {
                // Still in the keychain: keep knowing it, so that a retry fails the same way.
                Some(known @ Known::Token(_, TokenStorage::Keychain)) => {
                    let mut state = self.state.lock();
                    state.epoch += 1;
                    state.tokens.insert(profile.id.clone(), known);
                    Err(error)
                }
                _ if matches!(error, AppError::KeychainUnavailable { .. }) => Ok(()),
                _ => Err(error),
            },
        }
    }

    fn build_client(&self, endpoint: &str, token: Token) -> Result<Client, AppError> {
        let config = ClientConfig {
            endpoint: endpoint.to_owned(),
            ..self.client_config.clone()
        };
        Ok(Client::new(token, config)?)
    }

    /// The active profile's client (cached per profile).
    async fn client(&self) -> Result<Client, AppError> {
        Ok(self.active_client().await?.1)
    }

    /// True while `profile` is the active profile and has a token.
    fn is_active_and_signed_in(&self, profile: &str) -> bool {
        let state = self.state.lock();
        state.settings.active_profile_id.as_deref() == Some(profile)
            && matches!(state.tokens.get(profile), Some(Known::Token(..)))
    }

    /// The active profile's id and client.
    async fn active_client(&self) -> Result<(String, Client), AppError> {
        let (profile, epoch) = {
            let state = self.state.lock();
            let profile = state.settings.active().cloned().ok_or_else(|| {
                AppError::not_signed_in("Choose a profile, or add one, and sign in first.")
            })?;
            if let Some(cached) = state.clients.get(&profile.id)
                && cached.endpoint == profile.endpoint
            {
                return Ok((profile.id.clone(), cached.client.clone()));
            }
            (profile, state.epoch)
        };
        let Some((token, _)) = self.token_of(&profile).await? else {
            return Err(AppError::not_signed_in(match profile.kind {
                ProfileKind::Sandbox => {
                    "The sandbox is not running. Open it again from the menu.".to_owned()
                }
                ProfileKind::Cloud => format!("Sign in to “{}” first.", profile.name),
            }));
        };
        let client = self.build_client(&profile.endpoint, token)?;
        let mut state = self.state.lock();
        // Cache it only if no token was stored or forgotten meanwhile.
        if state.epoch == epoch {
            state.clients.insert(
                profile.id.clone(),
                CachedClient {
                    endpoint: profile.endpoint.clone(),
                    client: client.clone(),
                },
            );
        }
        Ok((profile.id, client))
    }
}

fn no_such_profile() -> AppError {
    AppError::not_found("This profile no longer exists. Reload the list of profiles.")
}

/// A project read through its tenant; a project without a tenant is found in the list.
async fn project_row(client: &Client, id: ProjectId) -> Result<ProjectRow, AppError> {
    match client.tenant_id_of_project(id).await {
        Ok(tenant) => Ok(projects::row_from_tenant(&client.tenant(tenant).await?)),
        Err(hasura_cloud::Error::NotFound { .. }) => client
            .list_projects()
            .await?
            .iter()
            .find(|p| p.id == id)
            .map(projects::row_from_project)
            .ok_or_else(|| {
                AppError::not_found(format!(
                    "No project with id {id} was found. It may have been deleted, or this \
                     account cannot see it."
                ))
            }),
        Err(error) => Err(error.into()),
    }
}

mod activity;
mod env;
mod offline;
mod preview;
#[cfg(test)]
mod tests;
