//! The project commands, and [`ProjectLists`]: the launch-time first list and each profile's
//! last list, shown read-only when Hasura Cloud cannot be reached (`crate::offline`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hasura_cloud::{Client, NewProject, ProjectId, TenantDetails};

use super::App;
use crate::activity::ActivityKind;
use crate::error::AppError;
use crate::offline::{CachedProjects, MemoryProjectsCache, ProjectsCache};
use crate::profiles::ProfileKind;
use crate::projects::{
    self, CreateProjectInput, DeleteProjectInput, ExternalTarget, ProjectDetails, ProjectRow,
    TenantInfo, parse_project_id, parse_tenant_id,
};
use crate::regions::{self, RegionChoices};
use crate::validate;

/// How long a launch-time list stays good enough to be the first one shown.
const FIRST_LIST_FRESH: Duration = Duration::from_secs(15);

/// A list fetched for a profile, with the profile's generation when it was asked for.
struct Fetched {
    profile: String,
    generation: u64,
    at: Instant,
    rows: Vec<ProjectRow>,
}

/// The launch-time project list, for the window's first `list_projects` only.
#[derive(Default)]
struct FirstList {
    /// The window has asked once: anything fetched later would be stale for it.
    asked: bool,
    fetched: Option<Fetched>,
}

/// Project lists kept beside the API: the first one, fetched while the window loads, and the
/// last one per profile for working offline.
pub(crate) struct ProjectLists {
    /// Held while the launch-time request runs, so the window's first `list_projects` waits
    /// for it instead of sending its own.
    first: tokio::sync::Mutex<FirstList>,
    cache: Arc<dyn ProjectsCache>,
    /// Per profile, bumped when its lists are forgotten (sign-out, delete, another endpoint):
    /// a list asked for before is neither kept nor shown after. Held while keeping, so a list
    /// is kept only before the forgetting or not at all.
    generations: parking_lot::Mutex<HashMap<String, u64>>,
}

impl Default for ProjectLists {
    fn default() -> Self {
        ProjectLists {
            first: tokio::sync::Mutex::default(),
            cache: Arc::new(MemoryProjectsCache::default()),
            generations: parking_lot::Mutex::default(),
        }
    }
}

/// The list of a profile signed out while it was loading.
fn signed_out_meanwhile() -> AppError {
    AppError::not_signed_in("This profile was signed out while its projects were loading.")
}

impl ProjectLists {
    pub(super) fn with_cache(cache: Arc<dyn ProjectsCache>) -> ProjectLists {
        ProjectLists {
            cache,
            ..ProjectLists::default()
        }
    }

    /// Fetches the first list with `fetch`, unless the window asked already.
    async fn prefetch(&self, fetch: impl std::future::Future<Output = Option<Fetched>>) {
        let mut first = self.first.lock().await;
        if first.asked {
            return;
        }
        first.fetched = fetch.await;
    }

    /// The launch-time list, once, if still fresh, of the profile still active, and not
    /// signed out since it was asked for.
    async fn take_first(&self, active: Option<&str>) -> Option<Fetched> {
        let fetched = {
            let mut first = self.first.lock().await;
            first.asked = true;
            first.fetched.take()
        };
        fetched.filter(|f| {
            f.at.elapsed() < FIRST_LIST_FRESH
                && active == Some(f.profile.as_str())
                && f.generation == self.generation(&f.profile)
        })
    }

    /// Taken before a list is asked for, and handed back to [`ProjectLists::keep`].
    fn generation(&self, profile_id: &str) -> u64 {
        self.generations
            .lock()
            .get(profile_id)
            .copied()
            .unwrap_or(0)
    }

    fn cached(&self, profile_id: &str) -> Result<Option<CachedProjects>, AppError> {
        self.cache.load(profile_id)
    }

    /// Keeps a list asked for at `generation`; false, keeping nothing, when the profile's
    /// lists were forgotten since. Failing to write it does not fail the list.
    fn keep(&self, profile_id: &str, generation: u64, rows: &[ProjectRow]) -> bool {
        let generations = self.generations.lock();
        if generations.get(profile_id).copied().unwrap_or(0) != generation {
            return false;
        }
        let _ = self
            .cache
            .save(profile_id, &CachedProjects::now(rows.to_vec()));
        true
    }

    /// Signed out or deleted: what the account holds is no longer shown on this computer, and
    /// a list still loading is not kept.
    pub(super) fn forget(&self, profile_id: &str) {
        let mut generations = self.generations.lock();
        *generations.entry(profile_id.to_owned()).or_default() += 1;
        let _ = self.cache.forget(profile_id);
    }
}

impl App {
    /// The same app keeping the last project lists in `cache` (the shell: files in the app's
    /// data folder). Without it they are kept in memory for the session.
    pub fn with_projects_cache(mut self, cache: Arc<dyn ProjectsCache>) -> App {
        self.lists = ProjectLists::with_cache(cache);
        self
    }

    /// The active profile's projects with their tenants (one request, or none when the
    /// launch-time list is still fresh).
    pub async fn list_projects(&self) -> Result<Vec<ProjectRow>, AppError> {
        let active = self.session.active_profile_id();
        if let Some(first) = self.lists.take_first(active.as_deref()).await {
            if !self.keep_list(&first.profile, first.generation, &first.rows) {
                return Err(signed_out_meanwhile());
            }
            return Ok(first.rows);
        }
        // Taken before the client: a sign-out from here on is seen when keeping.
        let generation = active.as_deref().map(|p| self.lists.generation(p));
        let (profile, client) = self.session.active_client().await?;
        let projects = client.list_projects().await?;
        let rows: Vec<ProjectRow> = projects.iter().map(projects::row_from_project).collect();
        match generation {
            Some(generation) if active.as_deref() == Some(profile.as_str()) => {
                if !self.keep_list(&profile, generation, &rows) {
                    return Err(signed_out_meanwhile());
                }
            }
            // Another profile became active meanwhile: its list is shown, not kept.
            _ => self.activity.learn_names(&rows),
        }
        Ok(rows)
    }

    /// Called once at launch: reads the active profile's token and asks for its projects while
    /// the window is still loading, so the first list shown needs no request of its own. Only
    /// the window's first `list_projects` can use the answer; a failure is left for that call to
    /// meet and explain.
    pub async fn prefetch_projects(&self) {
        self.lists
            .prefetch(async {
                let active = self.session.active_profile_id()?;
                let generation = self.lists.generation(&active);
                let (profile, client) = self.session.active_client().await.ok()?;
                let projects = client.list_projects().await.ok()?;
                (profile == active).then(|| Fetched {
                    profile,
                    generation,
                    at: Instant::now(),
                    rows: projects.iter().map(projects::row_from_project).collect(),
                })
            })
            .await;
    }

    /// The active profile's project list as last fetched, if one was kept.
    pub async fn cached_projects(&self) -> Result<Option<CachedProjects>, AppError> {
        match self.session.active_profile_id() {
            Some(profile) => self.lists.cached(&profile),
            None => Ok(None),
        }
    }

    /// A project with its console, dashboard and GraphQL links.
    pub async fn project_details(&self, project_id: &str) -> Result<ProjectDetails, AppError> {
        let id = parse_project_id(project_id)?;
        let client = self.session.client().await?;
        // One request: the tenant's details and its region's NAT IP together (the client asks
        // again without the NAT IP when this token may not see regions).
        match client.project_details(id).await {
            Ok(found) => {
                let mut details = projects::details(projects::row_from_tenant(&found.tenant));
                details.nat_ip = found.nat_ip;
                Ok(details)
            }
            Err(hasura_cloud::Error::NotFound { .. }) => {
                Ok(projects::details(row_from_list(&client, id).await?))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The tenant id of a project.
    pub async fn find_tenant_id(&self, project_id: &str) -> Result<String, AppError> {
        let id = parse_project_id(project_id)?;
        let client = self.session.client().await?;
        Ok(client.tenant_id_of_project(id).await?.to_string())
    }

    /// A tenant with its project.
    pub async fn tenant_details(&self, tenant_id: &str) -> Result<TenantInfo, AppError> {
        let id = parse_tenant_id(tenant_id)?;
        let client = self.session.client().await?;
        Ok(projects::tenant_info(&client.tenant(id).await?))
    }

    /// Regions to offer: the API's when this token may read them, else the built-in list.
    pub async fn list_regions(&self) -> Result<RegionChoices, AppError> {
        let client = self.session.client().await?;
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
        let envs = crate::checks::filled_rows(input.envs);
        validate::env_keys(envs.iter().map(|e| e.key.as_str()))?;
        let (profile, client) = self.session.active_client().await?;

        let created = client
            .create_project(&NewProject {
                cloud: cloud.clone(),
                region: region.clone(),
                name: name.clone(),
                plan: Some(plan.clone()),
                envs: envs.into_iter().map(|e| (e.key, e.value)).collect(),
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
        let (profile, client) = self.session.active_client().await?;
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
        let (profile, client) = self.session.active_client().await?;
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
        self.drafts.drop_where(|_, t| t == tenant);
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
            ExternalTarget::DashboardDomains => Ok(crate::domains::dashboard_domains_url(&id_text)),
            ExternalTarget::DashboardPlan => Ok(crate::domains::dashboard_plan_url(&id_text)),
            ExternalTarget::DashboardCollaborators => {
                Ok(crate::collaborators::dashboard_collaborators_url(&id_text))
            }
            ExternalTarget::Endpoint => {
                let client = self.session.client().await?;
                let row = project_row(&client, id).await?;
                projects::checked_link(&row.endpoint)
            }
        }
    }

    /// Keeps a list fetched at `generation` for working offline (not the sandbox's: it is made
    /// up and always at hand), and the names in it for the activity log. False, keeping
    /// nothing, when the profile was signed out since.
    fn keep_list(&self, profile_id: &str, generation: u64, rows: &[ProjectRow]) -> bool {
        let sandbox = self
            .session
            .profile(profile_id)
            .is_ok_and(|p| p.kind == ProfileKind::Sandbox);
        let kept = if sandbox {
            generation == self.lists.generation(profile_id)
        } else {
            self.lists.keep(profile_id, generation, rows)
        };
        if kept {
            self.activity.learn_names(rows);
        }
        kept
    }
}

/// A project read through its tenant; a project without a tenant is found in the list.
pub(super) async fn project_row(client: &Client, id: ProjectId) -> Result<ProjectRow, AppError> {
    match client.tenant_id_of_project(id).await {
        Ok(tenant) => Ok(projects::row_from_tenant(&client.tenant(tenant).await?)),
        Err(hasura_cloud::Error::NotFound { .. }) => row_from_list(client, id).await,
        Err(error) => Err(error.into()),
    }
}

/// A project without a tenant, from the project list.
async fn row_from_list(client: &Client, id: ProjectId) -> Result<ProjectRow, AppError> {
    client
        .list_projects()
        .await?
        .iter()
        .find(|p| p.id == id)
        .map(projects::row_from_project)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "No project with id {id} was found. It may have been deleted, or this account \
                 cannot see it."
            ))
        })
}
