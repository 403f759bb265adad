//! After an env change the project's workers take the new config one by one within the restart
//! (`tenant.config.status`), as Hasura Cloud's dashboard watches it; `/healthz` answers again
//! when the last one has.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use cloud_sim::{CONFIGURED, Simulator};
use common::*;
use serde_json::{Value, json};

const STATUS: &str = "query($t: uuid!) { tenant_by_pk(id: $t) { project { endpoint } config { hash status { worker_id hash is_active message } } } }";

async fn status(sim: &Simulator, tenant: &str) -> (String, Vec<Value>, String) {
    let d = data(sim, STATUS, json!({ "t": tenant })).await;
    let t = &d["tenant_by_pk"];
    (
        t["config"]["hash"].as_str().unwrap().to_string(),
        t["config"]["status"].as_array().unwrap().clone(),
        t["project"]["endpoint"].as_str().unwrap().to_string(),
    )
}

fn on(workers: &[Value], hash: &str) -> usize {
    workers
        .iter()
        .filter(|w| w["hash"] == hash && w["message"] == CONFIGURED && w["is_active"] == true)
        .count()
}

#[tokio::test]
async fn workers_take_a_new_config_one_by_one_then_the_project_is_healthy() {
    let sim = start().await;
    let seeded =
        sim.control()
            .seed_project("workers", "aws", "us-east-2", "cloud_free", &[("A", "1")]);
    let tenant = seeded.tenant_id.as_str();
    let (old, workers, endpoint) = status(&sim, tenant).await;
    assert_eq!(workers.len(), 2);
    assert_eq!(on(&workers, &old), 2, "{workers:?}");

    let d = data(
        &sim,
        "mutation($t: uuid!, $h: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{key: \"A\", value: \"2\"}]) { hash } }",
        json!({ "t": tenant, "h": old }),
    )
    .await;
    let new = d["updateTenantEnv"]["hash"].as_str().unwrap().to_string();
    assert_ne!(new, old);

    let (hash, workers, _) = status(&sim, tenant).await;
    assert_eq!(hash, new, "the config has the new hash at once");
    assert_eq!(on(&workers, &old), 2, "no worker has it yet: {workers:?}");
    assert_eq!(health(&endpoint).await, 503);

    sim.control().advance(Duration::from_secs(4));
    let (_, workers, _) = status(&sim, tenant).await;
    assert_eq!(
        (on(&workers, &old), on(&workers, &new)),
        (1, 1),
        "{workers:?}"
    );
    assert_eq!(health(&endpoint).await, 503);

    sim.control().advance(Duration::from_secs(4));
    let (_, workers, _) = status(&sim, tenant).await;
    assert_eq!(on(&workers, &new), 2, "{workers:?}");
    assert_eq!(health(&endpoint).await, 200);
}
