//! What Hasura Cloud Desktop does, without Tauri: profiles and their tokens (OS keychain or
//! session), the non-secret settings, the in-app sandbox, and one [`App`] method per IPC command
//! of the contract (`docs/ipc-contract.md`). The Tauri shell (`src-tauri`) holds an [`App`] in its managed
//! state and calls these methods from one-line commands; the types here derive `specta::Type`
//! so the UI's bindings are generated from them.
//!
//! The environment-variable editor ([`env`], `docs/env-contract.md`) keeps its drafts in the [`App`], in
//! memory only, per profile and tenant; its `App` methods are named like its IPC commands
//! (`env_load`, `env_stage`, `env_apply`, …).
//!
//! GitHub preview apps ([`preview`], `docs/preview-contract.md`) are followed by a watch that
//! lives in the [`App`]: one polling task per run, each change handed to a sink the shell sets
//! with [`App::with_preview_sink`]. The GitHub token is kept in the keychain per profile.
//!
//! The token rule: a personal access token enters through [`App::sign_in`] and never comes back —
//! no method returns it, no error or `Debug` output contains it, and [`Settings`] cannot hold it.

pub mod about;
pub mod activity;
mod app;
pub mod checks;
pub mod collaborators;
pub mod diagnostics;
pub mod domains;
pub mod env;
mod error;
pub mod files;
pub mod fleet;
pub mod links;
pub mod logs;
pub mod offline;
pub mod preview;
mod profiles;
pub mod progress;
mod projects;
mod regions;
pub mod renderer;
mod sandbox;
mod secrets;
mod settings;
pub mod validate;

pub use activity::{
    ActivityEntry, ActivityKind, ActivityStore, FileActivity, KeyActivity, MemoryActivity,
};
pub use app::{
    App, ChangePlanInput, CollaboratorView, CustomDomainView, CustomDomainsView, FindProgress,
    FleetPreview, FleetStart, FleetUsage, InvitationView, InviteInput, LinkTargets,
    PlanChangeOutcome, PlanChoice, PlanChoices, TeamOutcome, TeamView,
};
pub use env::{
    ApplyOutcome, ChangeKind, CompareRow, CompareStatus, ConflictEntry, EnvChange, EnvComparison,
    EnvDraft, EnvEdit, EnvIssue, EnvSnapshot, EnvVar, HealthPhase, HealthProgress, HealthWatch,
    ImportLineError, ImportPreview, KeyChange, KeyResolution, Resolution, Severity,
};
pub use error::AppError;
pub use links::{LINK_SCHEME, Link};
pub use offline::{CachedProjects, FileProjectsCache, MemoryProjectsCache, ProjectsCache};
pub use preview::{
    CleanupFailure, CleanupInput, CleanupItem, CleanupReport, GithubTokenStatus, JobState, JobView,
    PreviewAppInput, PreviewAppRow, PreviewAppState, PreviewLinks, PreviewRun, PreviewSink,
    PreviewWatch, RepositoryRef, RunPhase, TaskState, TaskView,
};
pub use profiles::{
    AppSnapshot, DEFAULT_COLOR, DEFAULT_ENDPOINT, MAX_PROFILE_NAME, Profile, ProfileInput,
    ProfileKind, SignIn, SignInInput, SignedIn, TokenStorage, endpoint_note, is_hasura_cloud,
    validate_color, validate_endpoint, validate_profile_name,
};
pub use projects::{
    CLOUD_CONSOLE_BASE, CreateProjectInput, DeleteProjectInput, EnvPair, ExternalTarget,
    ProjectDetails, ProjectRow, TenantInfo, console_url, dashboard_url, graphql_url,
};
pub use regions::{FALLBACK_REGIONS, RegionChoice, RegionChoices};
pub use renderer::RendererWatch;
pub use sandbox::{SANDBOX_PROFILE_ID, SANDBOX_PROFILE_NAME, Sandbox};
pub use secrets::{KEYCHAIN_SERVICE, KeyringStore, MemoryStore, SecretStore, profile_account};
pub use settings::{
    FileSettings, MemorySettings, Preferences, ProfileSettings, Settings, SettingsStore,
};
