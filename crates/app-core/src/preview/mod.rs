//! GitHub preview apps (`docs/preview-contract.md`), without Tauri: what the wizard sends and
//! how it is checked ([`input`]), a job as the timeline shows it ([`jobs`]), the watch of a run
//! as a pure state machine ([`run`]) and the sentences shown to a person ([`messages`]). The
//! `App` methods, the registry of runs and the polling tasks are in `app/preview.rs`.

pub mod input;
pub mod jobs;
pub mod messages;
mod model;
pub mod run;

pub use input::parse_repository;
pub use jobs::task_label;
pub use messages::notification;
pub use model::{
    CleanupFailure, CleanupInput, CleanupItem, CleanupReport, GithubTokenStatus, JobState, JobView,
    PreviewAppInput, PreviewAppRow, PreviewAppState, PreviewLinks, PreviewRun, RepositoryRef,
    RunPhase, TaskState, TaskView,
};
pub use run::PreviewWatch;

/// Receives every new state of every run, from the polling tasks (the shell emits it to the
/// window and notifies). Set with `App::with_preview_sink`.
pub type PreviewSink = std::sync::Arc<dyn Fn(PreviewRun) + Send + Sync>;
