//! What a fleet env change over 200 projects costs against the simulator (loopback HTTP, no
//! added latency): the requests made and the wall time of "find where the value is used", the
//! preview, and the run.
//!
//! The minimum for the run is one write per changed project when the change only sets values
//! (a rotation): the preview's read is the run's hash guard, so nothing is read again.
//!
//! Run: `cargo bench -p app-core --bench fleet_change`. The last line printed is a JSON summary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use app_core::fleet::FleetChange;
use app_core::{App, FleetStart, MemorySettings, MemoryStore, ProfileInput, SignInInput};
use cloud_sim::{SimConfig, Simulator};

const PROJECTS: usize = 200;
const TOKEN: &str = "fake-bench-token-0123456789abcdef";

#[tokio::main]
async fn main() {
    let sim = Simulator::start(SimConfig {
        tokens: vec![TOKEN.to_owned()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let tenants: Vec<String> = (0..PROJECTS)
        .map(|i| {
            let key = if i.is_multiple_of(2) {
                "STRIPE_KEY"
            } else {
                "PAYMENTS_SECRET"
            };
            sim.control()
                .seed_project(
                    &format!("bench-{i:03}"),
                    "aws",
                    "us-east-2",
                    "cloud_free",
                    &[(key, "sk_test_old"), ("OTHER", "x")],
                )
                .tenant_id
        })
        .collect();

    let app = App::new(
        Arc::new(MemorySettings::new()),
        Arc::new(MemoryStore::new()),
    )
    .unwrap();
    let snap = app
        .save_profile(ProfileInput {
            id: None,
            name: "Bench".into(),
            color: String::new(),
            endpoint: sim.graphql_url(),
        })
        .await
        .unwrap();
    let id = snap.profiles.last().unwrap().id.clone();
    app.switch_profile(&id).await.unwrap();
    app.sign_in(SignInInput {
        profile_id: id,
        token: TOKEN.into(),
        remember: false,
    })
    .await
    .unwrap();

    let requests = || sim.control().request_count();

    let (r0, t0) = (requests(), Instant::now());
    let usage = app
        .fleet_find_usage(&tenants[0], "STRIPE_KEY", |_| {})
        .await
        .unwrap();
    let find = (requests() - r0, t0.elapsed());
    assert_eq!(usage.rows.len(), PROJECTS);

    let (r0, t0) = (requests(), Instant::now());
    let preview = app
        .fleet_preview(
            tenants.clone(),
            vec![FleetChange::Rotate {
                value_fingerprint: usage.value_fingerprint,
                new_value: "sk_test_new".into(),
            }],
        )
        .await
        .unwrap();
    let plan = (requests() - r0, t0.elapsed());

    let (r0, t0) = (requests(), Instant::now());
    let run = app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    app.fleet_drive(&run.id, |_| {}).await;
    let apply = (requests() - r0, t0.elapsed());
    let done = app.fleet_run(&run.id).unwrap();
    assert_eq!(done.tally.applied as usize, PROJECTS);

    for (name, (count, took)) in [("find usage", find), ("preview", plan), ("run", apply)] {
        println!(
            "{name:>10}: {count:>4} requests, {:>7.1} ms",
            took.as_secs_f64() * 1000.0
        );
    }
    println!(
        "{}",
        serde_json::json!({
            "projects": PROJECTS,
            "find": {"requests": find.0, "ms": find.1.as_millis() as u64},
            "preview": {"requests": plan.0, "ms": plan.1.as_millis() as u64},
            "run": {"requests": apply.0, "ms": apply.1.as_millis() as u64,
                    "requestsPerProject": apply.0 as f64 / PROJECTS as f64},
        })
    );
}
