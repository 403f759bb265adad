//! The operations: one GraphQL document each, typed inputs and results.

use std::sync::Arc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::access::{Access, access};
use crate::config::ClientConfig;
use crate::documents::{self, Document};
use crate::env::parse_env_vars;
use crate::error::Error;
use crate::ids::{JobId, ProjectId, TenantId};
use crate::token::Token;
use crate::transport::Transport;
use crate::types::{
    CreatedProject, Job, NewProject, PreviewAppRequest, Project, ProjectDetails, Region,
    RenamedTenant, TenantDetails, TenantEnv, nullable,
};

/// The fields of `ProjectDetails` a token that may not read regions may not see either.
const NAT_IP_FIELDS: &[&str] = &["region_info", "nat_ip"];

/// A client of the Hasura Cloud control-plane API. Cheap to clone: clones share one connection
/// pool.
#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

impl Client {
    /// Builds a client. Fails with [`Error::InvalidInput`] for a blank token, a token that cannot
    /// be sent in an HTTP header, or an endpoint that is not `https://` (plain `http://` is
    /// allowed only for loopback addresses).
    pub fn new(token: Token, config: ClientConfig) -> Result<Self, Error> {
        Ok(Self {
            transport: Arc::new(Transport::new(token, &config)?),
        })
    }

    #[cfg(test)]
    pub(crate) fn from_transport(transport: Transport) -> Self {
        Self {
            transport: Arc::new(transport),
        }
    }

    /// The GraphQL endpoint this client talks to.
    pub fn endpoint(&self) -> &str {
        self.transport.endpoint()
    }

    /// Creates a project (`createTenant`). Provisioning continues after this returns; the
    /// project's endpoint may answer only tens of seconds later. The name may not stick — check
    /// it and fix it with [`set_project_name`](Self::set_project_name).
    pub async fn create_project(&self, project: &NewProject) -> Result<CreatedProject, Error> {
        require("cloud", &project.cloud)?;
        require("region", &project.region)?;
        let variables = json!({
            "cloud": project.cloud,
            "region": project.region,
            "name": project.name,
            "plan": project.plan,
            // Omitted rather than `[]` when empty: `envs` with some plans has triggered server
            // errors, and no envs is what the caller asked for.
            "envs": key_values(&project.envs),
        });
        let value = self
            .run(&documents::CREATE_PROJECT, variables, "createTenant")
            .await?;
        decode_required(value, "createTenant")
    }

    /// The tenant id of a project (`projects_by_pk`).
    pub async fn tenant_id_of_project(&self, project: ProjectId) -> Result<TenantId, Error> {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "nullable")]
            tenant: Option<IdOnly>,
        }
        #[derive(Deserialize)]
        struct IdOnly {
            id: TenantId,
        }
        let value = self
            .run(
                &documents::TENANT_ID_OF_PROJECT,
                json!({ "id": project }),
                "projects_by_pk",
            )
            .await?;
        let row: Row = decode_nullable(value, "projects_by_pk")?
            .ok_or_else(|| Error::not_found(format!("project {project}")))?;
        row.tenant
            .map(|t| t.id)
            .ok_or_else(|| Error::not_found(format!("the tenant of project {project}")))
    }

    /// Details of a tenant and its project (`tenant_by_pk`).
    pub async fn tenant(&self, tenant: TenantId) -> Result<TenantDetails, Error> {
        let value = self
            .run(
                &documents::TENANT_DETAILS,
                json!({ "id": tenant }),
                "tenant_by_pk",
            )
            .await?;
        decode_nullable(value, "tenant_by_pk")?
            .ok_or_else(|| Error::not_found(format!("tenant {tenant}")))
    }

    /// All projects this token can see, by name.
    pub async fn list_projects(&self) -> Result<Vec<Project>, Error> {
        let value = self
            .run(&documents::LIST_PROJECTS, json!({}), "projects")
            .await?;
        decode_required(value, "projects")
    }

    /// Projects with exactly this name (names are not unique).
    pub async fn find_projects_by_name(&self, name: &str) -> Result<Vec<Project>, Error> {
        let value = self
            .run(
                &documents::FIND_PROJECTS_BY_NAME,
                json!({ "name": name }),
                "projects",
            )
            .await?;
        decode_required(value, "projects")
    }

    /// Deletes a project by its **tenant** id and returns the server's status text (its possible
    /// values are undocumented). A `null` answer is reported as [`Error::NotFound`].
    pub async fn delete_tenant(&self, tenant: TenantId) -> Result<String, Error> {
        #[derive(Deserialize)]
        struct Status {
            status: String,
        }
        let value = self
            .run(
                &documents::DELETE_TENANT,
                json!({ "tenantId": tenant }),
                "deleteTenant",
            )
            .await?;
        let status: Status = decode_nullable(value, "deleteTenant")?
            .ok_or_else(|| Error::not_found(format!("tenant {tenant}")))?;
        Ok(status.status)
    }

    /// The environment variables of a tenant and their current hash.
    pub async fn get_env(&self, tenant: TenantId) -> Result<TenantEnv, Error> {
        let value = self
            .run(
                &documents::GET_TENANT_ENV,
                json!({ "tenantId": tenant }),
                "getTenantEnv",
            )
            .await?;
        decode_env(value, "getTenantEnv", tenant)
    }

    /// Adds or overwrites `envs` (other variables stay) and returns the new state. Fails with
    /// [`Error::NothingChanged`] when nothing would change and [`Error::HashConflict`] when
    /// `current_hash` is stale (on any other failure, re-read and compare hashes). The project
    /// restarts to pick up the change.
    pub async fn update_env(
        &self,
        tenant: TenantId,
        current_hash: &str,
        envs: &[(String, String)],
    ) -> Result<TenantEnv, Error> {
        if envs.is_empty() {
            return Err(Error::invalid("no environment variables to set were given"));
        }
        for (key, _) in envs {
            require("variable name", key)?;
        }
        let value = self
            .run(
                &documents::UPDATE_TENANT_ENV,
                json!({
                    "tenantId": tenant,
                    "currentHash": current_hash,
                    "envs": key_values(envs).unwrap_or_default(),
                }),
                "updateTenantEnv",
            )
            .await?;
        decode_env(value, "updateTenantEnv", tenant)
    }

    /// Removes the variables named in `keys` and returns the new state.
    pub async fn delete_env(
        &self,
        tenant: TenantId,
        current_hash: &str,
        keys: &[String],
    ) -> Result<TenantEnv, Error> {
        if keys.is_empty() {
            return Err(Error::invalid(
                "no environment variables to delete were given",
            ));
        }
        for key in keys {
            require("variable name", key)?;
        }
        let value = self
            .run(
                &documents::DELETE_TENANT_ENV,
                json!({
                    "tenantId": tenant,
                    "currentHash": current_hash,
                    "deleteEnvs": keys,
                }),
                "deleteTenantEnv",
            )
            .await?;
        decode_env(value, "deleteTenantEnv", tenant)
    }

    /// Renames a project by its **tenant** id. The slug and endpoint may change.
    pub async fn rename_tenant(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<RenamedTenant, Error> {
        #[derive(Deserialize)]
        struct Renamed {
            tenant_id: TenantId,
            #[serde(deserialize_with = "nullable")]
            tenant: Option<RenamedInner>,
        }
        #[derive(Deserialize)]
        struct RenamedInner {
            slug: String,
            project: Endpoint,
        }
        #[derive(Deserialize)]
        struct Endpoint {
            endpoint: String,
        }
        require("name", name)?;
        let value = self
            .run(
                &documents::RENAME_TENANT,
                json!({ "tenantId": tenant, "name": name }),
                "updateTenantName",
            )
            .await?;
        let renamed: Renamed = decode_nullable(value, "updateTenantName")?
            .ok_or_else(|| Error::not_found(format!("tenant {tenant}")))?;
        let (slug, endpoint) = match renamed.tenant {
            Some(t) => (Some(t.slug), Some(t.project.endpoint)),
            None => (None, None),
        };
        Ok(RenamedTenant {
            tenant_id: renamed.tenant_id,
            slug,
            endpoint,
        })
    }

    /// Sets `projects.name` directly (`update_projects_by_pk`); returns the name as stored.
    /// This is how integrations fix a name `createTenant` did not keep.
    pub async fn set_project_name(&self, project: ProjectId, name: &str) -> Result<String, Error> {
        #[derive(Deserialize)]
        struct Named {
            name: String,
        }
        require("name", name)?;
        let value = self
            .run(
                &documents::SET_PROJECT_NAME,
                json!({ "id": project, "name": name }),
                "update_projects_by_pk",
            )
            .await?;
        let named: Named = decode_nullable(value, "update_projects_by_pk")?
            .ok_or_else(|| Error::not_found(format!("project {project}")))?;
        Ok(named.name)
    }

    /// Schedules a GitHub preview app and returns the id of its creation job; follow it with
    /// [`job`](Self::job). `github_token` needs read access to the repository.
    pub async fn create_preview_app(
        &self,
        github_token: &Token,
        request: &PreviewAppRequest,
    ) -> Result<JobId, Error> {
        #[derive(Deserialize)]
        struct Scheduled {
            #[serde(rename = "githubPreviewAppJobID")]
            job_id: JobId,
        }
        if github_token.is_blank() {
            return Err(Error::invalid("no GitHub token was given"));
        }
        for (what, value) in [
            ("repository owner", &request.owner),
            ("repository", &request.repo),
            ("branch", &request.branch),
            ("preview app name", &request.name),
            ("cloud", &request.cloud),
            ("region", &request.region),
        ] {
            require(what, value)?;
        }
        let github_token = github_token.expose_secret();
        let variables = json!({
            "githubToken": github_token,
            "owner": request.owner,
            "repo": request.repo,
            "branch": request.branch,
            "directory": request.directory,
            "name": request.name,
            "cloud": request.cloud,
            "region": request.region,
            "plan": request.plan,
            "envVars": key_values(&request.env),
        });
        let result = self
            .run(
                &documents::CREATE_PREVIEW_APP,
                variables,
                "createGitHubPreviewApp",
            )
            .await
            .and_then(|value| decode_required::<Scheduled>(value, "createGitHubPreviewApp"));
        // The GitHub token travels in the body; never let an echo of it reach a message.
        result
            .map(|s| s.job_id)
            .map_err(|e| e.scrubbed(github_token))
    }

    /// A job with its tasks and events (`jobs_by_pk`); `None` if there is no such job.
    pub async fn job(&self, job: JobId) -> Result<Option<Job>, Error> {
        let value = self
            .run(&documents::JOB, json!({ "id": job }), "jobs_by_pk")
            .await?;
        decode_nullable(value, "jobs_by_pk")
    }

    /// The most recent jobs (newest first) with their tasks and events, for a preview-app view.
    /// Jobs of every type are listed; see [`Job::job_type`].
    pub async fn preview_app_jobs(&self, limit: u32) -> Result<Vec<Job>, Error> {
        let limit = i32::try_from(limit).unwrap_or(i32::MAX);
        let value = self
            .run(&documents::LIST_JOBS, json!({ "limit": limit }), "jobs")
            .await?;
        decode_required(value, "jobs")
    }

    /// Active regions, by cloud then name. A valid token that may not read regions gets
    /// [`Error::TokenRejected`] naming `region`; fall back to a built-in list then.
    pub async fn regions(&self) -> Result<Vec<Region>, Error> {
        let value = self.run(&documents::REGIONS, json!({}), "region").await?;
        decode_required(value, "region")
    }

    /// A project's tenant with its details and its region's egress (NAT) IP
    /// (`tenant.region_info.nat_ip`), in one request. The NAT IP is best effort: a token whose
    /// schema has no `region_info` (one that may not read regions) is asked again without it,
    /// and gets the details with no NAT IP. [`Error::NotFound`] for an unknown project or one
    /// without a tenant.
    pub async fn project_details(&self, project: ProjectId) -> Result<ProjectDetails, Error> {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "nullable")]
            tenant: Option<TenantRow>,
        }
        #[derive(Deserialize)]
        struct TenantRow {
            #[serde(flatten)]
            details: TenantDetails,
            #[serde(default, deserialize_with = "nullable")]
            region_info: Option<RegionInfo>,
        }
        #[derive(Deserialize)]
        struct RegionInfo {
            #[serde(deserialize_with = "nullable")]
            nat_ip: Option<String>,
        }
        let variables = json!({ "id": project });
        let result = self
            .run(
                &documents::PROJECT_DETAILS,
                variables.clone(),
                "projects_by_pk",
            )
            .await;
        let value = match access(result, NAT_IP_FIELDS)? {
            Access::Allowed(value) => value,
            Access::NotAvailable { .. } => {
                self.run(
                    &documents::PROJECT_DETAILS_WITHOUT_NAT_IP,
                    variables,
                    "projects_by_pk",
                )
                .await?
            }
        };
        let row: Row = decode_nullable(value, "projects_by_pk")?
            .ok_or_else(|| Error::not_found(format!("project {project}")))?;
        let tenant = row
            .tenant
            .ok_or_else(|| Error::not_found(format!("the tenant of project {project}")))?;
        Ok(ProjectDetails {
            tenant: tenant.details,
            nat_ip: tenant
                .region_info
                .and_then(|r| r.nat_ip)
                .filter(|ip| !ip.trim().is_empty()),
        })
    }

    /// Sends `document` and returns the value of its root field `root`.
    pub(crate) async fn run(
        &self,
        document: &Document,
        variables: Value,
        root: &str,
    ) -> Result<Value, Error> {
        let data = self.transport.execute(document, variables).await?;
        take_root(data, root)
    }
}

fn take_root(mut data: Map<String, Value>, root: &str) -> Result<Value, Error> {
    data.remove(root)
        .ok_or_else(|| Error::unexpected(format!("the answer has no `{root}` field")))
}

fn decode_required<T: DeserializeOwned>(value: Value, root: &str) -> Result<T, Error> {
    if value.is_null() {
        return Err(Error::unexpected(format!("`{root}` is null")));
    }
    serde_json::from_value(value).map_err(|e| Error::unexpected(format!("`{root}`: {e}")))
}

fn decode_nullable<T: DeserializeOwned>(value: Value, root: &str) -> Result<Option<T>, Error> {
    if value.is_null() {
        return Ok(None);
    }
    decode_required(value, root).map(Some)
}

fn decode_env(value: Value, root: &str, tenant: TenantId) -> Result<TenantEnv, Error> {
    #[derive(Deserialize)]
    struct Raw {
        hash: String,
        #[serde(rename = "envVars")]
        env_vars: Value,
    }
    let raw: Raw = decode_nullable(value, root)?
        .ok_or_else(|| Error::not_found(format!("tenant {tenant}")))?;
    let (vars, layout) = parse_env_vars(&raw.env_vars)?;
    Ok(TenantEnv {
        hash: raw.hash,
        vars,
        layout,
    })
}

/// `[{key, value}]` for `UpdateEnvObject` / `UpdateEnvsObject`; `None` when empty.
fn key_values(pairs: &[(String, String)]) -> Option<Vec<Value>> {
    (!pairs.is_empty()).then(|| {
        pairs
            .iter()
            .map(|(key, value)| json!({ "key": key, "value": value }))
            .collect()
    })
}

fn require(what: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::invalid(format!("the {what} must not be empty")))
    } else {
        Ok(())
    }
}
