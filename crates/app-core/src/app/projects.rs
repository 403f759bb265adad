//! The project commands, and [`ProjectLists`]: the launch-time first list and each profile's
//! last list, shown read-only when Hasura Cloud cannot be reached (`crate::offline`).

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

/// The launch-time project list, for the window's first `list_projects` only.
#[derive(Default)]
struct FirstList {
    /// The window has asked once: anything fetched later would be stale for it.
    asked: bool,
    /// Profile id, when it was fetched, the rows.
    fetched: Option<(String, Instant, Vec<ProjectRow>)>,
}

/// Project lists kept beside the API: the first one, fetched while the window loads, and the
/// last one per profile for working offline.
pub(crate) struct ProjectLists {
    /// Held while the launch-time request runs, so the window's first `list_projects` waits
    /// for it instead of sending its own.
    first: tokio::sync::Mutex<FirstList>,
    cache: Arc<dyn ProjectsCache>,
}

impl Default for ProjectLists {
    fn default() -> Self {
        ProjectLists {
            first: tokio::sync::Mutex::default(),
            cache: Arc::new(MemoryProjectsCache::default()),
        }
    }
}

impl ProjectLists {
    pub(super) fn with_cache(cache: Arc<dyn ProjectsCache>) -> ProjectLists {
        ProjectLists {
            cache,
            ..ProjectLists::default()
        }
    }

    /// Fetches the first list with `fetch`, unless the window asked already.
    async fn prefetch(
        &self,
        fetch: impl std::future::Future<Output = Option<(String, Vec<ProjectRow>)>>,
    ) {
        let mut first = self.first.lock().await;
        if first.asked {
            return;
        }
        if let Some((profile, rows)) = fetch.await {
            first.fetched = Some((profile, Instant::now(), rows));
        }
    }

    /// The launch-time list, once, if still fresh and of the profile still active.
    async fn take_first(&self, active: Option<&str>) -> Option<(String, Vec<ProjectRow>)> {
        let fetched = {
            let mut first = self.first.lock().await;
            first.asked = true;
            first.fetched.take()
        };
        fetched
            .filter(|(profile, at, _)| {
                at.elapsed() < FIRST_LIST_FRESH && active == Some(profile.as_str())
            })
            .map(|(profile, _, rows)| (profile, rows))
    }

    fn cached(&self, profile_id: &str) -> Result<Option<CachedProjects>, AppError> {
        self.cache.load(profile_id)
    }

    /// Failing to keep a list does not fail the list.
    fn keep(&self, profile_id: &str, rows: &[ProjectRow]) {
        let _ = self
            .cache
            .save(profile_id, &CachedProjects::now(rows.to_vec()));
    }

    /// Signed out or deleted: what the account holds is no longer shown on this computer.
    pub(super) fn forget(&self, profile_id: &str) {
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
        if let Some((profile, rows)) = self.lists.take_first(active.as_deref()).await {
            self.keep_list(&profile, &rows);
            return Ok(rows);
        }
        let (profile, client) = self.session.active_client().await?;
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
        self.lists
            .prefetch(async {
                let (profile, client) = self.session.active_client().await.ok()?;
                let projects = client.list_projects().await.ok()?;
                Some((
                    profile,
                    projects.iter().map(projects::row_from_project).collect(),
                ))
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
        Ok(projects::details(project_row(&client, id).await?))
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
        validate::env_keys(input.envs.iter().map(|e| e.key.as_str()))?;
        let (profile, client) = self.session.active_client().await?;

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
            ExternalTarget::Endpoint => {
                let client = self.session.client().await?;
                let row = project_row(&client, id).await?;
                projects::checked_link(&row.endpoint)
            }
        }
    }

    /// Keeps a freshly fetched list for working offline (not the sandbox's: it is made up and
    /// always at hand), and the names in it for the activity log.
    fn keep_list(&self, profile_id: &str, rows: &[ProjectRow]) {
        self.activity.learn_names(rows);
        let sandbox = self
            .session
            .profile(profile_id)
            .is_ok_and(|p| p.kind == ProfileKind::Sandbox);
        if !sandbox {
            self.lists.keep(profile_id, rows);
        }
    }
}

/// A project read through its tenant; a project without a tenant is found in the list.
pub(super) async fn project_row(client: &Client, id: ProjectId) -> Result<ProjectRow, AppError> {
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
