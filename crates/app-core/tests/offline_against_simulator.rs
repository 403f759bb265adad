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

    sim.control()
        .add_fault(FaultRule::new(FaultKind::DropConnection));
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

/// An app keeping its lists in files in `dir`, on `settings` and `secrets`.
fn app_with_files(
    dir: &std::path::Path,
    settings: &Arc<MemorySettings>,
    secrets: &Arc<MemoryStore>,
) -> Arc<App> {
    Arc::new(
        App::with_client_config(settings.clone(), secrets.clone(), fast_clients())
            .unwrap()
            .with_projects_cache(Arc::new(FileProjectsCache::new(dir))),
    )
}

/// The project lists kept in `dir`.
fn kept_files(dir: &std::path::Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("projects-"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Makes the next project list slow, and waits until `sim` has received it.
async fn slow_list(sim: &Simulator) -> impl std::future::Future<Output = ()> {
    sim.control().add_fault(
        FaultRule::new(FaultKind::Latency { ms: 300 })
            .on("ListProjects")
            .times(1),
    );
    let control = sim.control();
    let before = control.request_count();
    async move {
        while control.request_count() == before {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

#[tokio::test]
async fn a_list_still_loading_at_sign_out_is_not_kept() {
    let sim = sim().await;
    let dir = common::temp_dir("hcd-offline-sign-out");
    let (settings, secrets) = (Arc::default(), Arc::default());
    let app = app_with_files(&dir, &settings, &secrets);
    let profile = common::sign_in_work(&app, &sim).await;

    let asked = slow_list(&sim).await;
    let listing = tokio::spawn({
        let app = app.clone();
        async move { app.list_projects().await }
    });
    asked.await;
    app.sign_out(&profile).await.unwrap();
    let answer = listing.await.unwrap();
    assert_eq!(
        kept_files(&dir),
        Vec::<String>::new(),
        "written after sign-out"
    );
    assert_eq!(app.cached_projects().await.unwrap(), None);
    // Nor shown: the list belongs to an account no longer signed in.
    let e = answer.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_launch_time_list_of_a_profile_signed_out_meanwhile_is_not_shown() {
    let sim = sim().await;
    let dir = common::temp_dir("hcd-offline-launch-sign-out");
    let (settings, secrets) = (Arc::default(), Arc::default());
    let profile = common::sign_in_work(&app_with_files(&dir, &settings, &secrets), &sim).await;
    let _ = std::fs::remove_dir_all(&dir);

    // The next launch: the list is asked for at once, and the person signs out meanwhile.
    let next = app_with_files(&dir, &settings, &secrets);
    let asked = slow_list(&sim).await;
    let prefetch = tokio::spawn({
        let next = next.clone();
        async move { next.prefetch_projects().await }
    });
    asked.await;
    next.sign_out(&profile).await.unwrap();
    prefetch.await.unwrap();
    let answer = next.list_projects().await;
    assert_eq!(
        kept_files(&dir),
        Vec::<String>::new(),
        "written after sign-out"
    );
    assert_eq!(next.cached_projects().await.unwrap(), None);
    let e = answer.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_list_asked_for_while_signing_out_is_not_kept() {
    let sim = sim().await;
    let dir = common::temp_dir("hcd-offline-during-sign-out");
    let secrets = Arc::new(common::PausingDeletes::default());
    let app = Arc::new(
        App::with_client_config(
            Arc::new(MemorySettings::new()),
            secrets.clone(),
            fast_clients(),
        )
        .unwrap()
        .with_projects_cache(Arc::new(FileProjectsCache::new(&dir))),
    );
    let profile = common::sign_in_work(&app, &sim).await;

    // The sign-out is paused at its first keychain call; a list is asked for meanwhile.
    let (entered, release) = secrets.arm();
    let signing_out = tokio::spawn({
        let (app, profile) = (app.clone(), profile.clone());
        async move { app.sign_out(&profile).await }
    });
    tokio::task::spawn_blocking(move || entered.recv())
        .await
        .unwrap()
        .unwrap();
    let mut listing = tokio::spawn({
        let app = app.clone();
        async move { app.list_projects().await }
    });
    let early = tokio::time::timeout(std::time::Duration::from_millis(300), &mut listing).await;
    release.send(()).unwrap();
    signing_out.await.unwrap().unwrap();
    if early.is_err() {
        let _ = listing.await.unwrap();
    }
    assert_eq!(
        kept_files(&dir),
        Vec::<String>::new(),
        "kept after sign-out"
    );
    assert_eq!(app.cached_projects().await.unwrap(), None);
    let _ = std::fs::remove_dir_all(dir);
}
