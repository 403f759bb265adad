//! Inputs and results of the operations. Result types deserialize straight from the API's JSON
//! (field names as selected in `graphql/`); timestamps are kept as the `timestamptz` text the
//! server sends.
//!
//! Nullable fields use [`nullable`] so that a field *missing* from the answer is an error rather
//! than a silent `None`: it means the server and this client disagree about the schema.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::env::{EnvLayout, EnvVars};
use crate::ids::{JobId, ProjectId, TenantId};

/// A field that must be present but may be `null`.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// What to create with [`Client::create_project`](crate::Client::create_project).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewProject {
    /// `aws`, `gcp` (and `azure` in the schema).
    pub cloud: String,
    /// A cloud-native region name such as `us-east-2`.
    pub region: String,
    /// Desired name. The API has been seen to ignore it; see
    /// [`Client::set_project_name`](crate::Client::set_project_name).
    pub name: Option<String>,
    /// `cloud_free`, `cloud_payg`, …; `None` lets the server choose.
    pub plan: Option<String>,
    /// Initial environment variables (key, value).
    pub envs: Vec<(String, String)>,
}

/// Answer of `createTenant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedProject {
    /// `createTenant.id` is the tenant id, not the project id.
    #[serde(rename(deserialize = "id"))]
    pub tenant_id: TenantId,
    pub name: String,
    #[serde(deserialize_with = "nullable")]
    pub tenant: Option<TenantSummary>,
}

/// The tenant part of [`CreatedProject`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub id: TenantId,
    pub slug: String,
    pub project: ProjectRef,
}

/// A project's id and endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRef {
    pub id: ProjectId,
    /// Base URL of the project's own API; GraphQL at `<endpoint>/v1/graphql`.
    pub endpoint: String,
}

/// Answer of `tenant_by_pk`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantDetails {
    pub id: TenantId,
    pub slug: String,
    pub cloud: String,
    pub region: String,
    pub created_at: String,
    pub project: TenantProject,
}

/// A project's tenant and its region's egress (NAT) IP, as
/// [`Client::project_details`](crate::Client::project_details) reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDetails {
    pub tenant: TenantDetails,
    /// `None` when the region has none, or when this token may not see regions.
    pub nat_ip: Option<String>,
}

/// The project of a [`TenantDetails`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantProject {
    pub id: ProjectId,
    pub name: String,
    pub endpoint: String,
    #[serde(deserialize_with = "nullable")]
    pub plan_name: Option<String>,
    pub created_at: String,
}

/// A row of `projects`, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub endpoint: String,
    #[serde(deserialize_with = "nullable")]
    pub plan_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub billing_plan_name: Option<String>,
    pub created_at: String,
    /// `None` while (or if) the project has no tenant.
    #[serde(deserialize_with = "nullable")]
    pub tenant: Option<ProjectTenant>,
}

/// The tenant of a listed [`Project`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectTenant {
    pub id: TenantId,
    pub slug: String,
    pub cloud: String,
    pub region: String,
    pub created_at: String,
}

/// Environment variables of a tenant with the hash that guards changes to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantEnv {
    /// Opaque; pass it as `current_hash` to the next change.
    pub hash: String,
    pub vars: EnvVars,
    pub layout: EnvLayout,
}

/// Answer of `updateTenantName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenamedTenant {
    pub tenant_id: TenantId,
    /// The slug after the rename (it may change), when the server returned the tenant.
    pub slug: Option<String>,
    /// The endpoint after the rename (it may change), when the server returned the tenant.
    pub endpoint: Option<String>,
}

/// What to create with [`Client::create_preview_app`](crate::Client::create_preview_app).
/// The GitHub token is passed beside it, so the request holds nothing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewAppRequest {
    pub owner: String,
    pub repo: String,
    pub branch: String,
    /// The Hasura project folder, relative to the repository root.
    pub directory: String,
    /// Lowercase letters, digits and hyphens. An existing name re-creates that preview app.
    pub name: String,
    pub cloud: String,
    pub region: String,
    pub plan: Option<String>,
    pub env: Vec<(String, String)>,
}

/// A row of `jobs` with its tasks and their events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    /// Raw status text; see [`Job::state`].
    pub status: String,
    pub job_type: String,
    #[serde(deserialize_with = "nullable")]
    pub project_id: Option<ProjectId>,
    #[serde(deserialize_with = "nullable")]
    pub project_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub tasks: Vec<Task>,
}

impl Job {
    /// The status as a [`JobStatus`].
    pub fn state(&self) -> JobStatus {
        JobStatus::from_status(&self.status)
    }
}

/// A step of a [`Job`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: uuid::Uuid,
    /// Raw task name, e.g. `gh-validation`, `apply-migration`.
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    pub task_events: Vec<TaskEvent>,
}

/// Something that happened to a [`Task`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEvent {
    pub id: uuid::Uuid,
    /// `created`, `success`, `failed`, …
    pub event_type: String,
    #[serde(deserialize_with = "nullable")]
    pub error: Option<String>,
    /// On a successful creation job: `projectId`, `githubDeploymentJobID`.
    #[serde(deserialize_with = "nullable")]
    pub public_event_data: Option<Value>,
    #[serde(deserialize_with = "nullable")]
    pub github_detail: Option<String>,
    pub created_at: String,
}

impl TaskEvent {
    /// A string field of `public_event_data`, e.g. `projectId`.
    pub fn public_str(&self, key: &str) -> Option<&str> {
        self.public_event_data.as_ref()?.get(key)?.as_str()
    }
}

/// Interpretation of a job's `status`. Only `success`, `failed` and `skipped` are known to be
/// terminal; any other value (their names are unknown) means the job is still going.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "state", content = "status", rename_all = "snake_case")]
pub enum JobStatus {
    Success,
    Failed,
    /// A newer creation for the same preview-app name superseded this job.
    Skipped,
    /// Not terminal; the raw status text.
    Running(String),
}

impl JobStatus {
    /// Reads a raw status (case-insensitively, ignoring surrounding spaces).
    pub fn from_status(status: &str) -> Self {
        match status.trim().to_ascii_lowercase().as_str() {
            "success" => JobStatus::Success,
            "failed" => JobStatus::Failed,
            "skipped" => JobStatus::Skipped,
            _ => JobStatus::Running(status.to_owned()),
        }
    }

    /// True once the job will not change any more.
    pub fn is_terminal(&self) -> bool {
        !matches!(self, JobStatus::Running(_))
    }
}

/// A row of `region`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub name: String,
    /// `aws`, `azure`, `do` or `gcp`.
    pub cloud: String,
    pub is_active: bool,
    /// The egress address of projects in this region (to allow in a database firewall); `None`
    /// when the API has none for it.
    #[serde(deserialize_with = "nullable")]
    pub nat_ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn job_status_helper() {
        assert_eq!(JobStatus::from_status("success"), JobStatus::Success);
        assert_eq!(JobStatus::from_status("FAILED"), JobStatus::Failed);
        assert_eq!(JobStatus::from_status(" skipped "), JobStatus::Skipped);
        assert_eq!(
            JobStatus::from_status("in_progress"),
            JobStatus::Running("in_progress".into())
        );
        assert_eq!(
            JobStatus::from_status(""),
            JobStatus::Running(String::new())
        );
        assert!(JobStatus::Failed.is_terminal());
        assert!(!JobStatus::Running("created".into()).is_terminal());
    }

    #[test]
    fn missing_nullable_field_is_an_error_but_null_is_fine() {
        let mut row = json!({
            "id": "7a79cf94-0e53-4520-a560-1b02bf522f08",
            "name": "p", "endpoint": "https://p.hasura.app", "plan_name": null,
            "billing_plan_name": null, "created_at": "2024-01-01T00:00:00+00:00", "tenant": null
        });
        let project: Project = serde_json::from_value(row.clone()).unwrap();
        assert_eq!(project.tenant, None);
        row.as_object_mut().unwrap().remove("tenant");
        let err = serde_json::from_value::<Project>(row).unwrap_err();
        assert!(err.to_string().contains("missing field `tenant`"), "{err}");
    }

    #[test]
    fn created_project_reads_id_as_tenant_id() {
        let created: CreatedProject = serde_json::from_value(json!({
            "id": "7a79cf94-0e53-4520-a560-1b02bf522f08", "name": "n", "tenant": null
        }))
        .unwrap();
        assert_eq!(
            created.tenant_id.to_string(),
            "7a79cf94-0e53-4520-a560-1b02bf522f08"
        );
        // Serialized under its own name, for the app.
        let out = serde_json::to_value(&created).unwrap();
        assert!(out.get("tenant_id").is_some());
    }

    #[test]
    fn preview_request_debug_shows_no_token() {
        let req = PreviewAppRequest {
            owner: "o".into(),
            repo: "r".into(),
            branch: "main".into(),
            directory: "hasura".into(),
            name: "pr-1".into(),
            cloud: "aws".into(),
            region: "us-east-2".into(),
            plan: None,
            env: vec![],
        };
        let shown = format!("{req:?}");
        assert!(!shown.contains("github_token"), "{shown}");
        assert!(!shown.contains("Token"), "{shown}");
    }

    #[test]
    fn public_event_data_lookup() {
        let event: TaskEvent = serde_json::from_value(json!({
            "id": "7a79cf94-0e53-4520-a560-1b02bf522f08", "event_type": "success", "error": null,
            "public_event_data": {"projectId": "abc", "n": 1}, "github_detail": null,
            "created_at": "t"
        }))
        .unwrap();
        assert_eq!(event.public_str("projectId"), Some("abc"));
        assert_eq!(event.public_str("n"), None);
        assert_eq!(event.public_str("missing"), None);
    }
}
