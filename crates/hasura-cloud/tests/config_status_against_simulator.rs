//! `Client::config_status` against the local simulator: the workers' reports after an env
//! change, read as Hasura Cloud's dashboard reads them; and an unknown tenant.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use hasura_cloud::{CONFIGURED, ErrorKind};

#[tokio::test]
async fn workers_report_the_old_config_until_they_take_the_new_one() {
    // The simulator's clock moves only when told (`common::sim_with`).
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "workers", &[("A", "1")]);

    let before = client.config_status(tenant).await.unwrap().unwrap();
    assert_eq!(before.active().count(), 2);
    assert!(
        before
            .workers
            .iter()
            .all(|w| w.hash == before.hash && w.message.as_deref() == Some(CONFIGURED))
    );

    let env = client
        .update_env(tenant, &before.hash, &[("A".into(), "2".into())])
        .await
        .unwrap();
    let after = client.config_status(tenant).await.unwrap().unwrap();
    assert_eq!(after.hash, env.hash);
    assert!(!after.moved_on_from(&before.hash));
    assert_eq!(after.count_moved_on(&before.hash), (0, 2));

    sim.control().advance(Duration::from_secs(4));
    let half = client.config_status(tenant).await.unwrap().unwrap();
    assert_eq!(half.count_moved_on(&before.hash), (1, 2));

    sim.control().advance(Duration::from_secs(4));
    let done = client.config_status(tenant).await.unwrap().unwrap();
    assert!(done.moved_on_from(&before.hash));
    assert!(done.workers.iter().all(|w| w.hash == env.hash));
}

#[tokio::test]
async fn an_unknown_tenant_is_not_found() {
    let sim = sim().await;
    let err = client(&sim)
        .config_status(random_tenant())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err:?}");
}
