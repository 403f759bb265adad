//! A project's workers and the configuration each runs (`config_status`, one row per worker).
//! After an env change every worker takes the new config at its own moment within the restart,
//! and then reports it with "Service configured successfully": what Hasura Cloud's dashboard
//! waits for before it checks `/healthz` (API notes §8). The rows are brought up to date when
//! they are read, and made (at the config as it is) before an env change, so the change is seen
//! moving through them.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::table::{Row, timestamp};
use crate::world::World;

/// Workers per project (how many the real service runs is unknown).
pub const WORKERS: u32 = 2;
/// What a worker reports once it runs a configuration (Hasura's console waits for this text).
pub const CONFIGURED: &str = "Service configured successfully";

/// Gives `tenant_id`'s workers rows if they have none (running the config as it is now), and
/// moves each worker whose moment has come by `now` to the current config: worker `k` of `n`
/// takes it `restart × (k + 1) / n` after the change, the last one when the restart ends.
pub fn refresh(world: &mut World, tenant_id: &str, now: DateTime<Utc>) {
    let Some(config) = world.tables.find("config", "tenant_id", &json!(tenant_id)) else {
        return;
    };
    let hash = config.get("hash").cloned().unwrap_or(Value::Null);
    let changed_at = config
        .get("updated_at")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or(now, |t| t.with_timezone(&Utc));
    let mut workers = world
        .tables
        .lookup("config_status", "tenant_id", &json!(tenant_id));
    if workers.is_empty() {
        for _ in 0..WORKERS {
            let mut row = Row::new();
            row.insert("tenant_id".into(), json!(tenant_id));
            row.insert("worker_id".into(), json!(uuid::Uuid::new_v4().to_string()));
            row.insert("hash".into(), hash.clone());
            row.insert("is_active".into(), json!(true));
            row.insert("message".into(), json!(CONFIGURED));
            row.insert("worker_state".into(), Value::Null);
            row.insert("updated_at".into(), timestamp(changed_at));
            world.tables.insert("config_status", row);
        }
        return;
    }
    workers.sort_by(|a, b| {
        let id = |r: &Row| r.get("worker_id").and_then(Value::as_str).map(String::from);
        id(a).cmp(&id(b))
    });
    let restart = world.scaled(world.config.restart);
    let count = i32::try_from(workers.len()).unwrap_or(i32::MAX);
    for (k, worker) in (1..).zip(workers) {
        if worker.get("hash") == Some(&hash) {
            continue;
        }
        let due = changed_at + restart * k / count;
        if due > now {
            continue;
        }
        let worker_id = worker.get("worker_id").cloned();
        world.tables.update(
            "config_status",
            |r| {
                r.get("tenant_id") == Some(&json!(tenant_id))
                    && r.get("worker_id") == worker_id.as_ref()
            },
            |r| {
                r.insert("hash".into(), hash.clone());
                r.insert("message".into(), json!(CONFIGURED));
                r.insert("updated_at".into(), timestamp(due));
            },
        );
    }
}
