//! The types of GitHub preview apps that cross IPC (`docs/preview-contract.md`). All serialize
//! with camelCase fields and camelCase enum values.

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::projects::EnvPair;

/// What the preview-app wizard sends to `preview_create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewAppInput {
    /// `owner/repo`, or a pasted URL: `https://github.com/owner/repo(.git)(/tree/<branch>/<dir>)`,
    /// `git@github.com:owner/repo.git`.
    pub repository: String,
    /// Blank: the branch of a pasted `/tree/<branch>` URL.
    pub branch: String,
    /// The Hasura project folder relative to the repository root; `""` or `"."` is the root.
    pub directory: String,
    /// The preview app's name: 3–40 lowercase letters, digits and hyphens, starting with a letter.
    pub name: String,
    /// `aws` or `gcp`.
    pub cloud: String,
    pub region: String,
    /// `cloud_free` or `cloud_payg`.
    pub plan: String,
    pub envs: Vec<EnvPair>,
}

/// A repository reference read from what a person typed or pasted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryRef {
    pub owner: String,
    pub repo: String,
    /// From a `/tree/<branch>` URL.
    pub branch: Option<String>,
    /// From a `/tree/<branch>/<dir>` URL.
    pub directory: Option<String>,
}

/// Whether a GitHub token is kept for the active profile (the token itself never comes back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GithubTokenStatus {
    pub stored: bool,
}

/// `"pending" | "running" | "succeeded" | "failed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum TaskState {
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// A step of a job, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    /// The raw name as sent (`gh-validation`); `""` when the API sent none.
    pub name: String,
    /// Readable: "Fetch metadata and migrations from GitHub"; an unknown name is shown raw, an
    /// empty one as "Unnamed step".
    pub label: String,
    pub state: TaskState,
    /// The first event's time (RFC 3339).
    pub started_at: Option<String>,
    /// The time of the success or failed event.
    pub finished_at: Option<String>,
    /// Finished − started, or now − started while running. A TypeScript `number`.
    #[specta(type = Option<u32>)]
    pub duration_ms: Option<u64>,
    /// Why it failed, for a person (a Go-formatted server error made a sentence).
    pub error: Option<String>,
    /// The error exactly as Hasura Cloud sent it, when `error` says it differently; shown on
    /// demand and for quoting to support.
    pub error_detail: Option<String>,
    pub github_detail: Option<String>,
}

/// `"running" | "succeeded" | "failed" | "skipped"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// A job with its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    pub id: String,
    pub job_type: String,
    /// The raw status text.
    pub status: String,
    pub state: JobState,
    pub tasks: Vec<TaskView>,
}

/// Where a run is. `creating` and `deploying` are live; the others are terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RunPhase {
    /// Following the creation job.
    Creating,
    /// The creation job succeeded; following the deployment job.
    Deploying,
    /// The deployment job succeeded.
    Succeeded,
    /// Either job failed; `error` says why.
    Failed,
    /// A newer creation with the same name took over.
    Skipped,
    /// The bounded wait ran out; `preview_watch` can resume.
    GaveUp,
    /// The job disappeared.
    Lost,
}

impl RunPhase {
    /// True once the watcher has stopped.
    pub fn is_terminal(self) -> bool {
        !matches!(self, RunPhase::Creating | RunPhase::Deploying)
    }
}

/// Links to the preview app's project, once the creation job named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewLinks {
    pub project_id: String,
    pub console_url: String,
    /// The project's endpoint, when the project could be read.
    pub endpoint: Option<String>,
    pub graphql_url: Option<String>,
}

/// One preview app being created (or watched), as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRun {
    /// The creation job's id (or the job `preview_watch` was given).
    pub id: String,
    /// The `hasura-cloud-desktop://` link to this timeline (`crate::links`).
    pub app_link: String,
    pub profile_id: String,
    /// The preview app's name; `""` while unknown.
    pub name: String,
    pub phase: RunPhase,
    pub creation: Option<JobView>,
    pub deployment: Option<JobView>,
    pub links: Option<PreviewLinks>,
    /// A sentence for a person on failed, gaveUp, lost and skipped.
    pub error: Option<String>,
    /// The last transient polling error; polling goes on.
    pub poll_error: Option<AppError>,
    /// When watching began (RFC 3339).
    pub started_at: String,
    pub updated_at: String,
    pub polls: u32,
    /// `None` once terminal. A TypeScript `number`.
    #[specta(type = Option<u32>)]
    pub next_poll_in_ms: Option<u64>,
}

/// `"running" | "succeeded" | "failed" | "skipped"`, of the latest job for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum PreviewAppState {
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// A preview app in the list: its latest job, and its project if it still exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewAppRow {
    /// The jobs' `project_name`, or "(unnamed)".
    pub name: String,
    pub state: PreviewAppState,
    /// The raw status of the latest job.
    pub status: String,
    pub latest_job_id: String,
    pub job_type: String,
    /// Of the latest job.
    pub created_at: String,
    pub project_id: Option<String>,
    /// When the project still exists.
    pub tenant_id: Option<String>,
    pub endpoint: Option<String>,
    /// Another listed project has the same name: one creation has been seen to make two
    /// (graphql-engine #10287). Each has its own row, to delete one by one.
    pub duplicate: bool,
}

/// A preview app to delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupItem {
    pub tenant_id: String,
    pub name: String,
}

/// What the clean-up dialog sends. With one item, `confirm_name` must be its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupInput {
    pub items: Vec<CleanupItem>,
    pub confirm_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupFailure {
    pub name: String,
    pub error: AppError,
}

/// What was deleted and what was not.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupReport {
    pub deleted: Vec<String>,
    pub failed: Vec<CleanupFailure>,
}
