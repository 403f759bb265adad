//! The activity log's App methods: reading and clearing it, and recording what the other methods
//! changed (see `crate::activity`).

use std::sync::Arc;

use super::App;
use crate::activity::{ActivityEntry, ActivityKind, ActivityStore};
use crate::error::AppError;
use crate::profiles::ProfileKind;
use crate::projects::ProjectRow;

impl App {
    /// The same app keeping its activity log in `store` (the shell: a file in the app's data
    /// folder). Without it the log is kept in memory for the session.
    pub fn with_activity_store(mut self, store: Arc<dyn ActivityStore>) -> App {
        self.activity = store;
        self
    }

    /// The newest `limit` entries, newest first, of every profile.
    pub async fn activity_list(&self, limit: u32) -> Result<Vec<ActivityEntry>, AppError> {
        self.activity.recent(limit as usize)
    }

    pub async fn activity_clear(&self) -> Result<(), AppError> {
        self.activity.clear()
    }

    /// An entry for a change made with the profile `profile_id`, stamped now.
    pub(crate) fn activity_entry(
        &self,
        profile_id: &str,
        kind: ActivityKind,
        summary: impl Into<String>,
    ) -> ActivityEntry {
        let state = self.state.lock();
        let (name, sandbox) = state
            .settings
            .profile(profile_id)
            .map_or((profile_id, false), |p| {
                (p.name.as_str(), p.kind == ProfileKind::Sandbox)
            });
        ActivityEntry::now(name, sandbox, kind, summary)
    }

    /// Records a change that happened: failing to write the log must not turn it into an error.
    /// An entry with a tenant id but no project name gets the name last seen for it.
    pub(crate) fn record(&self, mut entry: ActivityEntry) {
        if let Some(tenant) = &entry.tenant_id {
            let mut names = self.project_names.lock();
            match &entry.project_name {
                Some(name) => {
                    names.insert(tenant.clone(), name.clone());
                }
                None => entry.project_name = names.get(tenant).cloned(),
            }
        }
        let _ = self.activity.append(&entry);
    }

    /// Remembers the names of listed projects, for [`App::record`].
    pub(crate) fn learn_names(&self, rows: &[ProjectRow]) {
        let mut names = self.project_names.lock();
        for row in rows {
            if let Some(tenant) = &row.tenant_id {
                names.insert(tenant.clone(), row.name.clone());
            }
        }
    }
}
