//! Working offline: the App keeps each profile's last project list (`crate::offline`) and hands
//! it out when Hasura Cloud cannot be reached; the UI shows it read-only, saying so.

use std::sync::Arc;

use super::App;
use crate::error::AppError;
use crate::offline::{CachedProjects, ProjectsCache};
use crate::profiles::ProfileKind;
use crate::projects::ProjectRow;

impl App {
    /// The same app keeping the last project lists in `cache` (the shell: files in the app's
    /// data folder). Without it they are kept in memory for the session.
    pub fn with_projects_cache(mut self, cache: Arc<dyn ProjectsCache>) -> App {
        self.projects_cache = cache;
        self
    }

    /// The active profile's project list as last fetched, if one was kept.
    pub async fn cached_projects(&self) -> Result<Option<CachedProjects>, AppError> {
        let active = self.state.lock().settings.active_profile_id.clone();
        match active {
            Some(profile) => self.projects_cache.load(&profile),
            None => Ok(None),
        }
    }

    /// Keeps a freshly fetched list (not the sandbox's: it is made up and always at hand), and
    /// the names in it for the activity log. Failing to keep it does not fail the list.
    pub(crate) fn keep_list(&self, profile_id: &str, rows: &[ProjectRow]) {
        self.learn_names(rows);
        let sandbox = self
            .state
            .lock()
            .settings
            .profile(profile_id)
            .is_some_and(|p| p.kind == ProfileKind::Sandbox);
        if !sandbox {
            let _ = self
                .projects_cache
                .save(profile_id, &CachedProjects::now(rows.to_vec()));
        }
    }

    /// Signed out or deleted: what the account holds is no longer shown on this computer.
    pub(crate) fn forget_list(&self, profile_id: &str) {
        let _ = self.projects_cache.forget(profile_id);
    }
}
