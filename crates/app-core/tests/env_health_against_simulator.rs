//! The environment-variable editor's `App` commands against a real simulator (`cloud-sim`) over
//! loopback HTTP: the health watch after an apply, while the project restarts.

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
    assert_eq!(phases.first(), Some(&HealthPhase::Waiting));
    assert_eq!(phases.last(), Some(&HealthPhase::Healthy));
    assert!(
        phases[1..phases.len() - 1]
            .iter()
            .all(|p| *p == HealthPhase::Unhealthy),
        "{phases:?}"
    );
    assert!(
        phases.len() >= 3,
        "at least one unhealthy check: {phases:?}"
    );
    assert_eq!(seen[1].status, Some(503));
    assert_eq!(last, *seen.last().unwrap());
    assert_eq!(last.status, Some(200));
    assert!(last.elapsed_ms >= 1000, "{last:?}");
    let attempts: Vec<u32> = seen.iter().map(|p| p.attempt).collect();
    assert!(
        attempts.windows(2).all(|w| w[1] == w[0] + 1),
        "{attempts:?}"
    );
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
    assert_eq!(last.status, Some(503));
    assert!(last.elapsed_ms >= 400, "{last:?}");
    assert!(last.message.contains("HTTP 503"), "{}", last.message);
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
