//! The environment-variable editor's `App` commands against a real simulator (`cloud-sim`) over
//! loopback HTTP: the watch after an apply, while the project's workers take the new config and
//! it restarts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Mutex;
use std::time::Duration;

use app_core::{App, ApplyOutcome, HealthPhase, HealthProgress, HealthWatch};
use cloud_sim::{SimConfig, Simulator};
use common::env_editor::*;
use common::*;

fn quick_watch(total: Duration) -> HealthWatch {
    HealthWatch {
        initial_delay: Duration::from_millis(50),
        first_interval: Duration::from_millis(100),
        backoff: 1.5,
        max_interval: Duration::from_millis(300),
        total,
        request_timeout: Duration::from_secs(2),
    }
}

async fn signed_in_with_watch(sim: &Simulator, watch: HealthWatch) -> App {
    let (h, _) = signed_in(sim).await;
    h.app.with_health_watch(watch)
}

#[tokio::test]
async fn health_watch_sees_the_restart_end() {
    let sim = sim_with(SimConfig {
        restart: Duration::from_millis(1200),
        ..SimConfig::default()
    })
    .await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let app = signed_in_with_watch(&sim, quick_watch(Duration::from_secs(20))).await;
    let t = &project.tenant_id;
    app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    let outcome = app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );

    let seen: Mutex<Vec<HealthProgress>> = Mutex::new(Vec::new());
    let last = app
        .env_watch_health(t, |p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    let phases: Vec<HealthPhase> = seen.iter().map(|p| p.phase).collect();
    // The workers are watched first (as the dashboard does), then /healthz.
    let (healthz, workers): (Vec<&HealthProgress>, Vec<&HealthProgress>) =
        seen.iter().partition(|p| p.attempt > 0);
    assert!(
        workers.iter().all(|p| p.phase == HealthPhase::Waiting),
        "{phases:?}"
    );
    assert!(
        workers.iter().any(|p| p
            .message
            .starts_with("0 of 2 workers run the new configuration")),
        "{workers:?}"
    );
    assert!(
        workers.iter().any(|p| p
            .message
            .starts_with("1 of 2 workers run the new configuration")),
        "{workers:?}"
    );
    assert!(
        workers
            .last()
            .unwrap()
            .message
            .starts_with("Every worker runs the new configuration"),
        "{workers:?}"
    );
    // The last worker takes it when the restart ends: /healthz answers at once.
    assert_eq!(healthz.len(), 1, "{healthz:?}");
    assert_eq!(last, *seen.last().unwrap());
    assert_eq!(last.phase, HealthPhase::Healthy);
    assert_eq!(last.status, Some(200));
    assert!(last.elapsed_ms >= 1000, "{last:?}");
}

#[tokio::test]
async fn without_an_apply_in_this_session_only_healthz_is_watched() {
    let sim = sim_with(SimConfig {
        restart: Duration::from_millis(1200),
        ..SimConfig::default()
    })
    .await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let app = signed_in_with_watch(&sim, quick_watch(Duration::from_secs(20))).await;
    let seen: Mutex<Vec<HealthProgress>> = Mutex::new(Vec::new());
    let last = app
        .env_watch_health(&project.tenant_id, |p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.iter()
            .any(|p| p.message.contains("only /healthz is watched")),
        "{seen:?}"
    );
    assert_eq!(last.phase, HealthPhase::Healthy);
}

#[tokio::test]
async fn health_watch_gives_up_in_time() {
    let sim = sim_with(SimConfig {
        restart: Duration::from_secs(300),
        ..SimConfig::default()
    })
    .await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let app = signed_in_with_watch(&sim, quick_watch(Duration::from_millis(400))).await;
    let t = &project.tenant_id;
    app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    app.env_apply(t, None).await.unwrap();

    let seen: Mutex<Vec<HealthProgress>> = Mutex::new(Vec::new());
    let started = std::time::Instant::now();
    let last = app
        .env_watch_health(t, |p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(last.phase, HealthPhase::GaveUp);
    // The workers never took the new config within the time allowed.
    assert_eq!(last.status, None);
    assert!(last.elapsed_ms >= 400, "{last:?}");
    assert!(
        last.message
            .starts_with("0 of 2 workers run the new configuration"),
        "{}",
        last.message
    );
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.first().map(|p| p.phase), Some(HealthPhase::Waiting));
    assert_eq!(seen.last(), Some(&last));
    assert!(
        seen.iter().all(|p| p.phase != HealthPhase::Healthy),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_settled_project_is_healthy_at_the_first_check() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[]);
    let app = signed_in_with_watch(&sim, quick_watch(Duration::from_secs(5))).await;
    let last = app
        .env_watch_health(&project.tenant_id, |_| {})
        .await
        .unwrap();
    assert_eq!(last.phase, HealthPhase::Healthy);
    assert_eq!(last.attempt, 1);
}

/// The watch shows in the taskbar/Dock (indeterminate) while it runs, and nothing once it ends;
/// a watch that cannot start shows nothing.
#[tokio::test]
async fn the_watch_shows_in_the_taskbar_while_it_runs() {
    use std::sync::Arc;

    use app_core::progress::TaskbarProgress;

    let sim = sim_with(SimConfig {
        restart: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let shown: Arc<Mutex<Vec<TaskbarProgress>>> = Arc::default();
    let into = Arc::clone(&shown);
    let app = signed_in_with_watch(&sim, quick_watch(Duration::from_secs(20)))
        .await
        .with_progress_sink(Arc::new(move |p| into.lock().unwrap().push(p)));

    let absent = "00000000-0000-4000-8000-000000000000";
    assert!(app.env_watch_health(absent, |_| {}).await.is_err());
    assert!(shown.lock().unwrap().is_empty());

    let t = &project.tenant_id;
    app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    app.env_apply(t, None).await.unwrap();
    let during: Mutex<Vec<Option<TaskbarProgress>>> = Mutex::new(Vec::new());
    let last = app
        .env_watch_health(t, |_| {
            let now = shown.lock().unwrap().last().copied();
            during.lock().unwrap().push(now);
        })
        .await
        .unwrap();
    assert_eq!(last.phase, HealthPhase::Healthy);
    let during = during.into_inner().unwrap();
    assert!(
        !during.is_empty()
            && during
                .iter()
                .all(|p| *p == Some(TaskbarProgress::Indeterminate)),
        "{during:?}"
    );
    assert_eq!(
        *shown.lock().unwrap(),
        [TaskbarProgress::Indeterminate, TaskbarProgress::None]
    );
}
