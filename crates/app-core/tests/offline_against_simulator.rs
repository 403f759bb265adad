//! Working offline against a real simulator: the last project list is kept per profile, is still
//! there when Hasura Cloud cannot be reached, and is forgotten on sign-out; the sandbox's is not
//! kept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use app_core::{App, FileProjectsCache, MemorySettings, MemoryStore};
use cloud_sim::{FaultKind, FaultRule, SimConfig, Simulator};
use common::{TOKEN, fast_clients, signed_in, sim_with};

async fn sim() -> Simulator {
    sim_with(SimConfig {
        seed_demo: true,
        ..SimConfig::default()
    })
    .await
}

#[tokio::test]
async fn the_last_list_is_kept_and_handed_out_when_the_api_is_unreachable() {
    let sim = sim().await;
    let (h, profile) = signed_in(&sim).await;
    let app = &h.app;
    assert_eq!(app.cached_projects().await.unwrap(), None);

    let rows = app.list_projects().await.unwrap();
    assert!(!rows.is_empty());
    let kept = app.cached_projects().await.unwrap().expect("a kept list");
    assert_eq!(kept.rows, rows);
    assert!(kept.fetched_at.ends_with('Z'), "{}", kept.fetched_at);

    sim.control().add_fault(FaultRule {
        kind: FaultKind::DropConnection,
        operation: None,
        times: None,
        rate: None,
    });
    let e = app.list_projects().await.unwrap_err();
    assert!(matches!(e.kind(), "network" | "timeout"), "{e:?}");
    assert_eq!(app.cached_projects().await.unwrap().unwrap().rows, rows);

    app.sign_out(&profile).await.unwrap();
    assert_eq!(app.cached_projects().await.unwrap(), None);
}

#[tokio::test]
async fn the_sandbox_list_is_not_kept() {
    let h = common::harness();
    let app = &h.app;
    app.open_sandbox().await.unwrap();
    assert!(!app.list_projects().await.unwrap().is_empty());
    assert_eq!(app.cached_projects().await.unwrap(), None);
}

#[tokio::test]
async fn the_kept_list_survives_a_restart_and_holds_no_token() {
    let sim = sim().await;
    let dir = common::temp_dir("hcd-offline-app");
    let settings = Arc::new(MemorySettings::new());
    let secrets = Arc::new(MemoryStore::new());
    let open = || {
        App::with_client_config(settings.clone(), secrets.clone(), fast_clients())
            .unwrap()
            .with_projects_cache(Arc::new(FileProjectsCache::new(&dir)))
    };
    let app = open();
    common::sign_in_work(&app, &sim).await;
    let rows = app.list_projects().await.unwrap();
    drop(app);
    sim.shutdown().await;

    let again = open();
    assert_eq!(again.cached_projects().await.unwrap().unwrap().rows, rows);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(TOKEN));
    }
    let _ = std::fs::remove_dir_all(dir);
}
