//! Helpers for the preview-app tests: a simulator sped up 40×, a fast watch, and an app that
//! records every run it publishes.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app_core::{EnvPair, PreviewAppInput, PreviewRun, PreviewWatch, RunPhase};
use cloud_sim::{SimConfig, Simulator};

use super::{Harness, signed_in, sim_with};

pub const GITHUB_TOKEN: &str = "ghp_fakeLEAKCHECKgithub0123456789abcdef";
pub const SPEED: f64 = 40.0;

pub async fn fast_sim(limit: Option<u32>) -> Simulator {
    sim_with(SimConfig {
        speed: SPEED,
        preview_app_limit: limit,
        ..SimConfig::default()
    })
    .await
}

pub fn fast_watch() -> PreviewWatch {
    PreviewWatch {
        first_interval: Duration::from_millis(20),
        backoff: 1.5,
        max_interval: Duration::from_millis(100),
        creation_limit: Duration::from_secs(20),
        deployment_limit: Duration::from_secs(20),
        lost_after: 3,
    }
}

pub type Seen = Arc<Mutex<Vec<PreviewRun>>>;

/// A signed-in app with a fast preview watch and a sink that records every run it is handed.
pub async fn app_on(sim: &Simulator, watch: PreviewWatch) -> (Harness, String, Seen) {
    let (h, id) = signed_in(sim).await;
    let seen: Seen = Arc::default();
    let sink_seen = Arc::clone(&seen);
    let app = h
        .app
        .with_preview_watch(watch)
        .with_preview_sink(Arc::new(move |run| sink_seen.lock().unwrap().push(run)));
    let h = Harness {
        app,
        settings: h.settings,
        secrets: h.secrets,
    };
    (h, id, seen)
}

pub fn input(name: &str, repository: &str, branch: &str, directory: &str) -> PreviewAppInput {
    PreviewAppInput {
        repository: repository.into(),
        branch: branch.into(),
        directory: directory.into(),
        name: name.into(),
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: "cloud_free".into(),
        envs: vec![EnvPair {
            key: "FEATURE_FLAG".into(),
            value: "on".into(),
        }],
    }
}

pub fn ok_input(name: &str) -> PreviewAppInput {
    input(name, "acme/shop", "main", "hasura")
}

/// Waits until the run is terminal (via `preview_runs`).
pub async fn finished(h: &Harness, id: &str) -> PreviewRun {
    let start = Instant::now();
    loop {
        let runs = h.app.preview_runs().await.unwrap();
        let run = runs.iter().find(|r| r.id == id).cloned().unwrap();
        if run.phase.is_terminal() {
            return run;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "still {:?}: {run:#?}",
            run.phase
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn phases_of(seen: &Seen, id: &str) -> Vec<RunPhase> {
    let mut phases: Vec<RunPhase> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.id == id)
        .map(|r| r.phase)
        .collect();
    phases.dedup();
    phases
}
