//! [`Activity`]: the activity log (`crate::activity`) and the project names its entries need;
//! the App's commands record what they changed through [`App::record`].

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

use super::App;
use crate::activity::{ActivityEntry, ActivityKind, ActivityStore, MemoryActivity};
use crate::error::AppError;
use crate::profiles::ProfileKind;
use crate::projects::ProjectRow;

/// What the app changed in Hasura Cloud: names, keys and fingerprints, never values.
pub(crate) struct Activity {
    store: Arc<dyn ActivityStore>,
    /// Project names by tenant id, as last seen in a list, a create or a rename: an entry that
    /// knows only its tenant id (an env apply) is named with it.
    names: Mutex<HashMap<String, String>>,
}

impl Default for Activity {
    fn default() -> Self {
        Activity::new(Arc::new(MemoryActivity::default()))
    }
}

impl Activity {
    fn new(store: Arc<dyn ActivityStore>) -> Activity {
        Activity {
            store,
            names: Mutex::default(),
        }
    }

    /// Records a change that happened: failing to write the log must not turn it into an error.
    /// An entry with a tenant id but no project name gets the name last seen for it.
    fn record(&self, mut entry: ActivityEntry) {
        if let Some(tenant) = &entry.tenant_id {
            let mut names = self.names.lock();
            match &entry.project_name {
                Some(name) => {
                    names.insert(tenant.clone(), name.clone());
                }
                None => entry.project_name = names.get(tenant).cloned(),
            }
        }
        let _ = self.store.append(&entry);
    }

    /// Remembers the names of listed projects.
    pub(super) fn learn_names(&self, rows: &[ProjectRow]) {
        let mut names = self.names.lock();
        for row in rows {
            if let Some(tenant) = &row.tenant_id {
                names.insert(tenant.clone(), row.name.clone());
            }
        }
    }
}

impl App {
    /// The same app keeping its activity log in `store` (the shell: a file in the app's data
    /// folder). Without it the log is kept in memory for the session.
    pub fn with_activity_store(mut self, store: Arc<dyn ActivityStore>) -> App {
        self.activity = Activity::new(store);
        self
    }

    /// The newest `limit` entries, newest first, of every profile.
    pub async fn activity_list(&self, limit: u32) -> Result<Vec<ActivityEntry>, AppError> {
        self.activity.store.recent(limit as usize)
    }

    pub async fn activity_clear(&self) -> Result<(), AppError> {
        self.activity.store.clear()
    }

    /// An entry for a change made with the profile `profile_id`, stamped now.
    pub(crate) fn activity_entry(
        &self,
        profile_id: &str,
        kind: ActivityKind,
        summary: impl Into<String>,
    ) -> ActivityEntry {
        let (name, sandbox) = match self.session.profile(profile_id) {
            Ok(p) => (p.name, p.kind == ProfileKind::Sandbox),
            Err(_) => (profile_id.to_owned(), false),
        };
        ActivityEntry::now(&name, sandbox, kind, summary)
    }

    /// Records a change that happened (see [`Activity::record`]).
    pub(crate) fn record(&self, entry: ActivityEntry) {
        self.activity.record(entry);
    }
}
