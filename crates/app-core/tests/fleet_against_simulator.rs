//! Fleet env changes against a real simulator (`cloud-sim`) over loopback HTTP: where a value
//! is used, a rotation over 50 projects with a second writer, a 502 and a Cancel midway, the
//! undo of a fleet change, and the per-project health watch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::fleet::FleetChange;
use app_core::fleet::run::{Control, FleetPhase, FleetRun, RowState};
use std::time::Duration;

use app_core::{ActivityKind, FleetStart, HealthWatch};
use cloud_sim::{FaultKind, FaultRule, SeededProject, SimConfig, Simulator};
use common::env_editor::*;
use common::*;

const OLD: &str = "sk_test_old_0123";
const NEW: &str = "sk_test_new_4567";

/// `n` projects holding OLD, under STRIPE_KEY in even ones and PAYMENTS_SECRET in odd ones.
fn seed_fleet(sim: &Simulator, n: usize) -> Vec<SeededProject> {
    (0..n)
        .map(|i| {
            seed(
                sim,
                &format!("fleet-{i:02}"),
                &[(key_of(i), OLD), ("KEEP", "k")],
            )
        })
        .collect()
}

fn key_of(i: usize) -> &'static str {
    if i.is_multiple_of(2) {
        "STRIPE_KEY"
    } else {
        "PAYMENTS_SECRET"
    }
}

fn states(run: &FleetRun) -> Vec<RowState> {
    run.rows.iter().map(|r| r.state).collect()
}

#[tokio::test]
async fn rotation_over_fifty_projects_with_a_conflict_a_502_and_a_cancel_midway() {
    let sim = sim().await;
    let projects = seed_fleet(&sim, 50);
    let (h, _) = signed_in(&sim).await;

    // Where is it used? Every project, under both names; no value in the answer. Progress
    // comes after each read.
    let heard = std::sync::Mutex::new(Vec::new());
    let usage = h
        .app
        .fleet_find_usage(&projects[0].tenant_id, "STRIPE_KEY", |p| {
            heard.lock().unwrap().push((p.read, p.total));
        })
        .await
        .unwrap();
    let heard = heard.into_inner().unwrap();
    assert_eq!(heard.len(), 51, "once at the start, then after each read");
    assert_eq!(heard.first(), Some(&(0, 50)));
    assert_eq!(heard.last(), Some(&(50, 50)));
    assert!(heard.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(usage.rows.len(), 50);
    assert_eq!((usage.read, usage.total, usage.cancelled), (50, 50, false));
    assert!(usage.rows.iter().all(|r| r.keys.len() == 1));
    assert_eq!(usage.rows[1].keys, ["PAYMENTS_SECRET"]);
    let json = serde_json::to_string(&usage).unwrap();
    assert!(!json.contains(OLD), "{json}");

    let tenants: Vec<String> = projects.iter().map(|p| p.tenant_id.clone()).collect();
    let preview = h
        .app
        .fleet_preview(
            tenants.clone(),
            vec![FleetChange::Rotate {
                value_fingerprint: usage.value_fingerprint.clone(),
                new_value: NEW.into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(preview.projects.len(), 50);
    assert!(preview.projects.iter().all(|p| p.changes.len() == 1));
    assert!(!serde_json::to_string(&preview).unwrap().contains(OLD));

    // After the preview: a second writer on the 3rd project, a 502 on the 7th update.
    let third = other_writer(&sim).get_env(tid(&projects[2])).await.unwrap();
    teammate_sets(&sim, &projects[2], &third.hash, &[("ADDED_BY_THEM", "1")]).await;
    sim.control().add_fault(
        FaultRule::new(FaultKind::HttpError { status: 502 })
            .on("updateTenantEnv")
            .skip(6)
            .times(1),
    );

    let run = h
        .app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id.clone(),
            ..FleetStart::default()
        })
        .await
        .unwrap();
    let (seen, mut updates) = tokio::sync::mpsc::unbounded_channel::<FleetRun>();
    let drive = h.app.fleet_drive(&run.id, move |r| {
        let _ = seen.send(r.clone());
    });
    let cancel = async {
        while let Some(r) = updates.recv().await {
            if r.current == Some(20) {
                h.app.fleet_control(&run.id, Control::Cancel).await.unwrap();
                break;
            }
        }
    };
    tokio::join!(drive, cancel);

    let done = h.app.fleet_run(&run.id).unwrap();
    assert_eq!(done.phase, FleetPhase::Cancelled);
    let first_not_reached = done
        .rows
        .iter()
        .position(|r| r.state == RowState::NotReached)
        .unwrap();
    assert!(
        (21..=22).contains(&first_not_reached),
        "cancelled at 20 stops after it: {first_not_reached}"
    );
    for (i, row) in done.rows.iter().enumerate() {
        let expected = match i {
            2 => RowState::Conflict,
            6 => RowState::Failed,
            i if i < first_not_reached => RowState::Applied,
            _ => RowState::NotReached,
        };
        assert_eq!(row.state, expected, "row {i}: {row:?}");
    }
    assert!(done.rows[6].reason.as_deref().unwrap().len() > 10);
    assert!(done.rows[0].snapshot.is_some());

    // The simulator agrees, project by project.
    for (i, project) in projects.iter().enumerate() {
        let vars = server_vars(&sim, project).await;
        let applied = done.rows[i].state == RowState::Applied;
        assert_eq!(
            vars.get(key_of(i)).map(String::as_str),
            Some(if applied { NEW } else { OLD }),
            "project {i}"
        );
        assert_eq!(vars.get("KEEP").map(String::as_str), Some("k"));
    }

    // The conflicted project's draft waits for the three-way screen.
    let draft = h.app.env_load(&projects[2].tenant_id).await.unwrap();
    assert!(draft.conflict.is_some());

    // One activity entry per applied project.
    let applied = done.tally.applied as usize;
    let entries = h.app.activity_list(500).await.unwrap();
    let env_entries = entries
        .iter()
        .filter(|e| e.kind == ActivityKind::EnvApplied)
        .count();
    assert_eq!(env_entries, applied);
    assert_eq!(h.app.fleet_runs().await.unwrap()[0].id, run.id);
}

#[tokio::test]
async fn undo_of_a_fleet_change_restores_the_values_exactly() {
    let sim = sim().await;
    let projects = seed_fleet(&sim, 5);
    let (h, _) = signed_in(&sim).await;
    let before: Vec<_> = {
        let mut out = Vec::new();
        for p in &projects {
            out.push(server_vars(&sim, p).await);
        }
        out
    };
    let tenants: Vec<String> = projects.iter().map(|p| p.tenant_id.clone()).collect();
    let preview = h
        .app
        .fleet_preview(
            tenants,
            vec![
                FleetChange::Set {
                    key: "NEW_FLAG".into(),
                    value: "on".into(),
                },
                FleetChange::Rename {
                    from: "KEEP".into(),
                    to: "KEPT".into(),
                },
                FleetChange::Delete {
                    key: "STRIPE_KEY".into(),
                },
            ],
        )
        .await
        .unwrap();
    let requests = sim.control().request_count();
    let run = h
        .app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            stop_on_failure: true,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    h.app.fleet_drive(&run.id, |_| {}).await;
    let done = h.app.fleet_run(&run.id).unwrap();
    assert_eq!(states(&done), vec![RowState::Applied; 5]);
    // One update and one delete per project: no read before writing (the preview's read is
    // the hash guard).
    assert_eq!(sim.control().request_count() - requests, 10);
    let after = server_vars(&sim, &projects[1]).await;
    assert_eq!(after.get("KEPT").map(String::as_str), Some("k"));
    assert!(!after.contains_key("KEEP"));

    // Single-project restore works from the snapshot the run took.
    let snapshot = done.rows[0].snapshot.unwrap();
    let draft = h
        .app
        .env_restore(&projects[0].tenant_id, snapshot)
        .await
        .unwrap();
    assert_eq!(draft.changes.len(), 4, "{:?}", draft.changes);
    h.app.env_discard(&projects[0].tenant_id).await.unwrap();

    let undo = h.app.fleet_undo(&run.id).await.unwrap();
    assert!(undo.title.starts_with("Undo of"));
    assert_eq!(undo.projects.len(), 5);
    let undo_run = h
        .app
        .fleet_start(FleetStart {
            plan_id: undo.plan_id,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    h.app.fleet_drive(&undo_run.id, |_| {}).await;
    let undone = h.app.fleet_run(&undo_run.id).unwrap();
    assert_eq!(states(&undone), vec![RowState::Applied; 5]);
    for (p, was) in projects.iter().zip(&before) {
        assert_eq!(&server_vars(&sim, p).await, was);
    }
}

#[tokio::test]
async fn pause_holds_the_run_until_resumed() {
    let sim = sim().await;
    let projects = seed_fleet(&sim, 3);
    let (h, _) = signed_in(&sim).await;
    let preview = h
        .app
        .fleet_preview(
            projects.iter().map(|p| p.tenant_id.clone()).collect(),
            vec![FleetChange::Set {
                key: "A".into(),
                value: "1".into(),
            }],
        )
        .await
        .unwrap();
    let run = h
        .app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    let (seen, mut updates) = tokio::sync::mpsc::unbounded_channel::<FleetRun>();
    let drive = h.app.fleet_drive(&run.id, move |r| {
        let _ = seen.send(r.clone());
    });
    let control = async {
        let mut paused = false;
        while let Some(r) = updates.recv().await {
            if !paused && r.current == Some(0) {
                h.app.fleet_control(&run.id, Control::Pause).await.unwrap();
                paused = true;
            } else if paused && r.phase == FleetPhase::Paused && r.current.is_none() {
                // Held: the first project done, the others waiting.
                assert_eq!(r.rows[1].state, RowState::Pending);
                h.app.fleet_control(&run.id, Control::Resume).await.unwrap();
            }
            if r.phase.is_terminal() {
                break;
            }
        }
    };
    tokio::join!(drive, control);
    let done = h.app.fleet_run(&run.id).unwrap();
    assert_eq!(done.phase, FleetPhase::Finished);
    assert_eq!(states(&done), vec![RowState::Applied; 3]);
}

#[tokio::test]
async fn production_projects_need_their_names_typed_and_a_delete_of_a_missing_key_does_not_apply() {
    let sim = sim().await;
    let projects = seed_fleet(&sim, 3);
    let (h, _) = signed_in(&sim).await;
    h.app
        .set_production(&projects[1].project_id, true)
        .await
        .unwrap();
    let preview = h
        .app
        .fleet_preview(
            projects.iter().map(|p| p.tenant_id.clone()).collect(),
            vec![FleetChange::Delete {
                key: "STRIPE_KEY".into(),
            }],
        )
        .await
        .unwrap();
    let statuses: Vec<_> = preview.projects.iter().map(|p| p.status).collect();
    use app_core::fleet::PlanStatus::*;
    // Odd projects hold the value under PAYMENTS_SECRET: nothing to delete there.
    assert_eq!(statuses, [Changes, DoesNotApply, Changes]);
    assert!(preview.projects[1].production);
    assert_eq!(
        preview.projects[1].notes,
        ["STRIPE_KEY is not set here: nothing to delete."]
    );

    // A production project with nothing to change needs no name; mark one that changes.
    h.app
        .set_production(&projects[2].project_id, true)
        .await
        .unwrap();
    let preview = h
        .app
        .fleet_preview(
            projects.iter().map(|p| p.tenant_id.clone()).collect(),
            vec![FleetChange::Delete {
                key: "STRIPE_KEY".into(),
            }],
        )
        .await
        .unwrap();
    let refused = h
        .app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id.clone(),
            ..FleetStart::default()
        })
        .await
        .unwrap_err();
    assert_eq!(field(&refused), Some("confirmNames"));
    assert!(refused.message().contains("fleet-02"), "{refused:?}");
    let run = h
        .app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            confirm_names: [(projects[2].tenant_id.clone(), "fleet-02".to_owned())].into(),
            ..FleetStart::default()
        })
        .await
        .unwrap();
    h.app.fleet_drive(&run.id, |_| {}).await;
    let done = h.app.fleet_run(&run.id).unwrap();
    assert_eq!(
        states(&done),
        [
            RowState::Applied,
            RowState::NothingToChange,
            RowState::Applied
        ]
    );
    assert!(
        !server_vars(&sim, &projects[2])
            .await
            .contains_key("STRIPE_KEY")
    );
}

#[tokio::test]
async fn the_simulator_second_writer_fault_makes_the_nth_project_a_conflict() {
    let sim = sim().await;
    let projects = seed_fleet(&sim, 4);
    let (h, _) = signed_in(&sim).await;
    let preview = h
        .app
        .fleet_preview(
            projects.iter().map(|p| p.tenant_id.clone()).collect(),
            vec![FleetChange::Set {
                key: "A".into(),
                value: "1".into(),
            }],
        )
        .await
        .unwrap();
    sim.control().add_fault(
        FaultRule::new(FaultKind::SecondWriter)
            .on("updateTenantEnv")
            .skip(2)
            .times(1),
    );
    let run = h
        .app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    h.app.fleet_drive(&run.id, |_| {}).await;
    let done = h.app.fleet_run(&run.id).unwrap();
    use RowState::*;
    assert_eq!(states(&done), [Applied, Applied, Conflict, Applied]);
    let third = server_vars(&sim, &projects[2]).await;
    assert!(third.contains_key("SECOND_WRITER") && !third.contains_key("A"));
}

/// A watch for a simulator whose projects restart at once: a healthy project answers at the
/// first check; one whose restart broke is given up on after `total`.
fn quick_watch() -> HealthWatch {
    HealthWatch {
        initial_delay: Duration::from_millis(10),
        first_interval: Duration::from_millis(20),
        backoff: 1.5,
        max_interval: Duration::from_millis(50),
        total: Duration::from_millis(300),
        request_timeout: Duration::from_secs(2),
    }
}

#[tokio::test]
async fn watch_health_watches_each_project_before_the_next_and_one_that_does_not_come_back_stops_the_run()
 {
    let sim = sim_with(SimConfig {
        restart: Duration::ZERO,
        ..SimConfig::default()
    })
    .await;
    let projects = seed_fleet(&sim, 4);
    let (h, _) = signed_in(&sim).await;
    let app = h.app.with_health_watch(quick_watch());
    let tenants: Vec<String> = projects.iter().map(|p| p.tenant_id.clone()).collect();
    let set = |key: &str| {
        vec![FleetChange::Set {
            key: key.into(),
            value: "1".into(),
        }]
    };

    // The 2nd project's restart breaks; the run goes on without stop-on-failure.
    let preview = app.fleet_preview(tenants.clone(), set("A")).await.unwrap();
    sim.control()
        .add_fault(FaultRule::new(FaultKind::BrokenRestart).skip(1).times(1));
    let run = app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            watch_health: true,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    app.fleet_drive(&run.id, |r| seen.lock().unwrap().push(r.clone()))
        .await;
    let done = app.fleet_run(&run.id).unwrap();
    assert_eq!(done.phase, FleetPhase::Finished);
    assert_eq!(states(&done), vec![RowState::Applied; 4]);
    let reasons: Vec<&str> = done
        .rows
        .iter()
        .map(|r| r.reason.as_deref().unwrap_or_default())
        .collect();
    for i in [0, 2, 3] {
        assert!(
            reasons[i].starts_with("The project is up again"),
            "{i}: {reasons:?}"
        );
    }
    assert!(
        reasons[1].contains("HTTP 503") && reasons[1].contains("dashboard"),
        "{reasons:?}"
    );
    assert!(done.rows.iter().all(|r| r.snapshot.is_some()));
    // Each project's watch had ended (its last word recorded) before the next one started.
    let seen = seen.into_inner().unwrap();
    for i in 1..4u32 {
        let starting = seen
            .iter()
            .find(|r| r.current == Some(i))
            .unwrap_or_else(|| panic!("row {i} never started"));
        let before = &starting.rows[i as usize - 1];
        assert_eq!(before.state, RowState::Applied, "{i}");
        assert!(before.reason.is_some(), "row {} not watched yet", i - 1);
    }

    // With stop-on-failure, the project that does not come back stops the run: it keeps its
    // change (and its snapshot, for the way back); the projects after it are not touched.
    let preview = app.fleet_preview(tenants, set("B")).await.unwrap();
    sim.control()
        .add_fault(FaultRule::new(FaultKind::BrokenRestart).skip(1).times(1));
    let run = app
        .fleet_start(FleetStart {
            plan_id: preview.plan_id,
            watch_health: true,
            stop_on_failure: true,
            ..FleetStart::default()
        })
        .await
        .unwrap();
    app.fleet_drive(&run.id, |_| {}).await;
    let done = app.fleet_run(&run.id).unwrap();
    assert_eq!(done.phase, FleetPhase::Stopped);
    assert!(done.over);
    use RowState::*;
    assert_eq!(states(&done), [Applied, Applied, NotReached, NotReached]);
    assert!(done.rows[1].reason.as_deref().unwrap().contains("HTTP 503"));
    assert!(
        done.rows[2]
            .reason
            .as_deref()
            .unwrap()
            .contains("did not come back healthy")
    );
    for (i, project) in projects.iter().enumerate() {
        let vars = server_vars(&sim, project).await;
        assert_eq!(vars.contains_key("B"), i < 2, "project {i}: {vars:?}");
    }
    let undo = app.fleet_undo(&run.id).await.unwrap();
    assert_eq!(undo.projects.len(), 2, "the broken project is undone too");
}
