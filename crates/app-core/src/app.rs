//! [`App`]: one method per IPC command, over a few services with one job each:
//! [`Session`](session::Session) (settings, profiles' tokens, API clients, the sandbox),
//! [`ProjectLists`](projects::ProjectLists) (the launch-time list and the offline copies),
//! [`EnvDrafts`](env::EnvDrafts), [`Previews`](preview::Previews) and
//! [`Activity`](activity::Activity). The Tauri shell holds one `App` in its managed state and
//! calls these methods from its commands; nothing here knows about Tauri.

use std::fmt;
use std::sync::Arc;

use hasura_cloud::ClientConfig;

use crate::env::HealthWatch;
use crate::error::AppError;
use crate::secrets::SecretStore;
use crate::settings::SettingsStore;

mod activity;
mod collaborators;
mod domains;
mod env;
mod fleet;
mod links;
mod preview;
mod profiles;
mod projects;
mod session;
#[cfg(test)]
mod tests;

pub use collaborators::{CollaboratorView, InvitationView, InviteInput, TeamOutcome, TeamView};
pub use domains::{
    ChangePlanInput, CustomDomainView, CustomDomainsView, PlanChangeOutcome, PlanChoice,
    PlanChoices,
};
pub use fleet::{FindProgress, FleetPreview, FleetStart, FleetUsage};
pub use links::LinkTargets;

/// The desktop app's behaviour, without Tauri. All methods take `&self` and are safe to call
/// concurrently; their futures are `Send`.
pub struct App {
    session: session::Session,
    lists: projects::ProjectLists,
    drafts: env::EnvDrafts,
    previews: preview::Previews,
    fleets: fleet::Fleets,
    activity: activity::Activity,
    fingerprint_key: env::FingerprintKey,
    /// Long work the OS shows too (taskbar, Dock).
    long_work: crate::progress::LongWork,
    /// Bumped by [`App::stop_domain_watches`]; each domain watch listens from its start.
    domain_watch_stops: tokio::sync::watch::Sender<u64>,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("settings", &self.session.settings())
            .field("signed_in", &self.session.signed_in_ids())
            .field("env_drafts", &self.drafts.count())
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
        let session = session::Session::new(settings, secrets.clone(), client_config)?;
        // For the log: the kind of profile the app starts in, never its name.
        let saved = session.settings();
        let kind = (saved.profiles.iter())
            .find(|p| Some(&p.id) == saved.active_profile_id.as_ref())
            .map(|p| p.kind);
        tracing::info!(?kind, profiles = saved.profiles.len(), "settings loaded");
        Ok(App {
            fingerprint_key: env::FingerprintKey::new(Arc::clone(&secrets)),
            session,
            lists: projects::ProjectLists::default(),
            drafts: env::EnvDrafts::default(),
            previews: preview::Previews::default(),
            fleets: fleet::Fleets::default(),
            activity: activity::Activity::default(),
            long_work: crate::progress::LongWork::default(),
            domain_watch_stops: tokio::sync::watch::Sender::new(0),
        })
    }

    /// The same app with another way of watching a project's health after an apply (tests use
    /// short delays and totals).
    pub fn with_health_watch(mut self, watch: HealthWatch) -> App {
        self.drafts.health_watch = watch;
        self
    }

    /// The same app, showing its long work (the health watch; later fleet changes) through
    /// `sink`: the shell's sets the window's taskbar/Dock progress.
    pub fn with_progress_sink(self, sink: crate::progress::ProgressSink) -> App {
        self.long_work.set_sink(sink);
        self
    }
}
