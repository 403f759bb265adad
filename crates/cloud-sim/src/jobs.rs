//! Preview-app jobs in progress, as the world keeps them between requests. `preview.rs` starts
//! and steps them; the data lives here so that `world.rs` can hold it without depending on the
//! job machinery (which depends on the world).

use chrono::{DateTime, Utc};

/// One scripted task of a job.
#[derive(Debug, Clone)]
pub struct Step {
    pub task: &'static str,
    pub duration: chrono::Duration,
    pub failure: Option<String>,
    pub github_detail: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Phase {
    /// The creation job; on success it makes the project and starts the deployment.
    Creation {
        request: Box<PreviewRequest>,
    },
    Deployment,
}

/// What `createGitHubPreviewApp` was asked for.
#[derive(Debug, Clone)]
pub struct PreviewRequest {
    pub name: String,
    pub cloud: String,
    pub region: String,
    pub plan: String,
    pub envs: Vec<(String, String)>,
    pub owner: String,
    pub repo: String,
    pub branch: String,
    pub directory: String,
    pub token: String,
    /// Reported bugs to reproduce (behaviour faults taken when the creation was asked for).
    pub duplicate: bool,
    pub retried: bool,
}

/// A job in progress.
#[derive(Debug, Clone)]
pub struct JobRun {
    pub job_id: String,
    pub phase: Phase,
    pub steps: Vec<Step>,
    /// When the current step starts.
    pub next_start: DateTime<Utc>,
    pub current: usize,
    pub current_task: Option<String>,
}
