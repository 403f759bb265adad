//! Whether a project's workers run its latest configuration: `tenant.config.status`, one row per
//! worker, which Hasura Cloud's dashboard watches after an env change (API notes §8). Whether a
//! personal access token may read it is not known, so a refusal is an answer, not an error.

use serde::Deserialize;
use serde_json::json;

use crate::access::access;
use crate::client::Client;
use crate::documents;
use crate::error::Error;
use crate::ids::TenantId;
use crate::types::nullable;

/// The message a worker reports once it runs a configuration (Hasura's console waits for it).
pub const CONFIGURED: &str = "Service configured successfully";

/// The fields of `ConfigStatus` below `tenant_by_pk`: the one a token may not see is an answer
/// ("not readable"), not a failure.
const CONFIG_FIELDS: &[&str] = &[
    "config",
    "hash",
    "status",
    "worker_id",
    "is_active",
    "message",
];

/// One worker's report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkerConfig {
    pub worker_id: String,
    /// The config hash the worker runs with.
    pub hash: String,
    /// Whether it is a live worker (the dashboard only waits for those).
    pub is_active: bool,
    #[serde(deserialize_with = "nullable")]
    pub message: Option<String>,
}

/// The project's config hash and what its workers report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigStatus {
    /// The hash the project's configuration has now.
    pub hash: String,
    pub workers: Vec<WorkerConfig>,
}

impl ConfigStatus {
    /// The live workers.
    pub fn active(&self) -> impl Iterator<Item = &WorkerConfig> {
        self.workers.iter().filter(|w| w.is_active)
    }

    /// The dashboard's rule: every live worker reports a hash other than `previous` (the one
    /// from before the change), with [`CONFIGURED`].
    pub fn moved_on_from(&self, previous: &str) -> bool {
        self.active().all(|w| Self::moved(w, previous))
    }

    /// Live workers that have moved on from `previous`, and all live workers.
    pub fn count_moved_on(&self, previous: &str) -> (usize, usize) {
        let moved = self.active().filter(|w| Self::moved(w, previous)).count();
        (moved, self.active().count())
    }

    fn moved(worker: &WorkerConfig, previous: &str) -> bool {
        worker.hash != previous && worker.message.as_deref() == Some(CONFIGURED)
    }
}

impl Client {
    /// The config hash of a tenant and its workers' reports; `Ok(None)` when this token may not
    /// read them (the API answers `validation-failed`, `field "…" not found in type: '…'`).
    /// [`Error::NotFound`] for an unknown tenant.
    pub async fn config_status(&self, tenant: TenantId) -> Result<Option<ConfigStatus>, Error> {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "nullable")]
            config: Option<Config>,
        }
        #[derive(Deserialize)]
        struct Config {
            hash: String,
            status: Vec<WorkerConfig>,
        }
        let result = self
            .run(
                &documents::CONFIG_STATUS,
                json!({ "id": tenant }),
                "tenant_by_pk",
            )
            .await;
        let Some(value) = access(result, CONFIG_FIELDS)?.allowed() else {
            return Ok(None);
        };
        if value.is_null() {
            return Err(Error::not_found(format!("tenant {tenant}")));
        }
        let row: Row = serde_json::from_value(value)
            .map_err(|e| Error::unexpected(format!("`tenant_by_pk`: {e}")))?;
        Ok(Some(row.config.map_or_else(ConfigStatus::default, |c| {
            ConfigStatus {
                hash: c.hash,
                workers: c.status,
            }
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(hash: &str, active: bool, message: Option<&str>) -> WorkerConfig {
        WorkerConfig {
            worker_id: format!("w-{hash}-{active}"),
            hash: hash.into(),
            is_active: active,
            message: message.map(String::from),
        }
    }

    #[test]
    fn every_live_worker_must_report_another_hash_configured() {
        let status = |workers| ConfigStatus {
            hash: "new".into(),
            workers,
        };
        let done = status(vec![
            worker("new", true, Some(CONFIGURED)),
            worker("old", false, Some(CONFIGURED)),
        ]);
        assert!(done.moved_on_from("old"));
        assert_eq!(done.count_moved_on("old"), (1, 1));
        let waiting = status(vec![
            worker("new", true, Some(CONFIGURED)),
            worker("old", true, Some(CONFIGURED)),
        ]);
        assert!(!waiting.moved_on_from("old"));
        assert_eq!(waiting.count_moved_on("old"), (1, 2));
        let failing = status(vec![worker("new", true, Some("could not apply metadata"))]);
        assert!(!failing.moved_on_from("old"));
        // No live worker: nothing to wait for.
        assert!(status(vec![]).moved_on_from("old"));
    }
}
