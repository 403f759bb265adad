//! The environment-variable editor's `App` commands against a real simulator (`cloud-sim`) over
//! loopback HTTP: conflicts made by a second writer and their resolution, lost and failed
//! updates, and a partial apply.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::{ApplyOutcome, ChangeKind, ConflictEntry, KeyResolution, Resolution};
use cloud_sim::{FaultKind, FaultRule, SeededProject, Simulator};
use common::env_editor::*;
use common::*;

// ---- conflicts -----------------------------------------------------------------------------------

/// Base A..E; they change A and B, remove E, add F; I change A (differently), B (the same way),
/// C, remove D, and change E.
async fn conflicted() -> (Simulator, SeededProject, Harness, String, String) {
    let sim = sim().await;
    let project = seed(
        &sim,
        "shop",
        &[("A", "1"), ("B", "2"), ("C", "3"), ("D", "4"), ("E", "5")],
    );
    let (h, _) = signed_in(&sim).await;
    let t = project.tenant_id.clone();
    let draft = h.app.env_load(&t).await.unwrap();

    // The second writer, after the load.
    let writer = other_writer(&sim);
    let mid = writer
        .update_env(
            tid(&project),
            &draft.base_hash,
            &[
                ("A".into(), "1-theirs".into()),
                ("B".into(), "2-same".into()),
                ("F".into(), "6-theirs".into()),
            ],
        )
        .await
        .unwrap();
    let theirs = writer
        .delete_env(tid(&project), &mid.hash, &["E".into()])
        .await
        .unwrap();

    h.app
        .env_stage(
            &t,
            vec![
                set("A", "1-mine"),
                set("B", "2-same"),
                set("C", "3-mine"),
                remove("D"),
                set("E", "5-mine"),
            ],
        )
        .await
        .unwrap();
    let before = sim.control().request_count();
    let outcome = h.app.env_apply(&t, None).await.unwrap();
    assert_eq!(
        sim.control().request_count() - before,
        2,
        "the refused update, then one read of theirs"
    );
    let ApplyOutcome::Conflict {
        their_hash,
        conflicts,
        merged_without_conflict,
        ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(their_hash, theirs.hash);
    assert_eq!(
        conflicts,
        [
            ConflictEntry {
                key: "A".into(),
                base: Some("1".into()),
                theirs: Some("1-theirs".into()),
                mine: Some("1-mine".into()),
            },
            ConflictEntry {
                key: "E".into(),
                base: Some("5".into()),
                theirs: None,
                mine: Some("5-mine".into()),
            },
        ]
    );
    assert_eq!(merged_without_conflict, ["B", "C", "D"]);
    // Nothing was sent: the server still has theirs.
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[
            ("A", "1-theirs"),
            ("B", "2-same"),
            ("C", "3"),
            ("D", "4"),
            ("F", "6-theirs")
        ])
    );
    // The draft keeps its edits, on its old base.
    let draft = h.app.env_load(&t).await.unwrap();
    assert_eq!(draft.changes.len(), 5);
    assert_ne!(draft.base_hash, their_hash);
    (sim, project, h, t, their_hash)
}

#[tokio::test]
async fn a_second_writer_makes_a_conflict_resolved_with_mine_and_theirs() {
    let (sim, project, h, t, their_hash) = conflicted().await;

    // Every conflict needs a resolution.
    let e = h
        .app
        .env_resolve(
            &t,
            vec![KeyResolution {
                key: "A".into(),
                resolution: Resolution::Mine,
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains('E'), "{e}");

    let draft = h
        .app
        .env_resolve(
            &t,
            vec![
                KeyResolution {
                    key: "A".into(),
                    resolution: Resolution::Mine,
                },
                KeyResolution {
                    key: "E".into(),
                    resolution: Resolution::Theirs,
                },
            ],
        )
        .await
        .unwrap();
    // Rebased on theirs, for review.
    assert_eq!(draft.base_hash, their_hash);
    assert_eq!(
        base_of(&draft),
        map(&[
            ("A", "1-theirs"),
            ("B", "2-same"),
            ("C", "3"),
            ("D", "4"),
            ("F", "6-theirs")
        ])
    );
    assert_eq!(
        changes_of(&draft),
        [
            ("A", ChangeKind::Changed),
            ("C", ChangeKind::Changed),
            ("D", ChangeKind::Removed)
        ]
    );
    assert_eq!(draft.changes[0].old_value.as_deref(), Some("1-theirs"));
    // Resolving twice is refused: there is no conflict any more.
    let e = h.app.env_resolve(&t, vec![]).await.unwrap_err();
    assert_eq!(field(&e), Some("envs"));

    let outcome = h.app.env_apply(&t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    // Theirs kept where I did not choose otherwise: B, F, and E's removal.
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[
            ("A", "1-mine"),
            ("B", "2-same"),
            ("C", "3-mine"),
            ("F", "6-theirs")
        ])
    );
}

#[tokio::test]
async fn a_conflict_resolved_with_a_typed_value() {
    let (sim, project, h, t, _) = conflicted().await;
    let draft = h
        .app
        .env_resolve(
            &t,
            vec![
                KeyResolution {
                    key: "A".into(),
                    resolution: Resolution::Value {
                        value: "1-typed".into(),
                    },
                },
                KeyResolution {
                    key: "E".into(),
                    resolution: Resolution::Mine,
                },
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        changes_of(&draft),
        [
            ("A", ChangeKind::Changed),
            ("C", ChangeKind::Changed),
            ("D", ChangeKind::Removed),
            ("E", ChangeKind::Added)
        ]
    );
    let outcome = h.app.env_apply(&t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[
            ("A", "1-typed"),
            ("B", "2-same"),
            ("C", "3-mine"),
            ("E", "5-mine"),
            ("F", "6-theirs")
        ])
    );
}

/// An error after which the hash did not move: nothing happened, the error stands, the draft
/// keeps its edits.
#[tokio::test]
async fn a_failed_update_with_an_unmoved_hash_is_an_error() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    sim.control().add_fault(
        FaultRule::new(FaultKind::HttpError { status: 502 })
            .on("updateTenantEnv")
            .times(1),
    );
    let e = h.app.env_apply(t, None).await.unwrap_err();
    assert_eq!(e.kind(), "server", "{e:?}");
    let draft = h.app.env_load(t).await.unwrap();
    assert_eq!(changes_of(&draft), [("A", ChangeKind::Changed)]);
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
}

// ---- partial apply --------------------------------------------------------------------------------

#[tokio::test]
async fn a_failed_delete_after_a_good_update_is_partial() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2"), ("C", "3")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app
        .env_stage(t, vec![set("A", "10"), set("N", "new"), remove("B")])
        .await
        .unwrap();
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 502 }).on("deleteTenantEnv"));
    let before = sim.control().request_count();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert_eq!(
        sim.control().request_count() - before,
        3,
        "the update, the refused delete, one read back (the answer was not lost: it did not run)"
    );
    let ApplyOutcome::Partial {
        applied,
        not_applied,
        error,
        hash,
        draft: answered,
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        applied
            .iter()
            .map(|c| (c.key.as_str(), c.kind, c.new_value.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("A", ChangeKind::Changed, Some("10")),
            ("N", ChangeKind::Added, Some("new"))
        ]
    );
    assert_eq!(
        not_applied
            .iter()
            .map(|c| (c.key.as_str(), c.kind))
            .collect::<Vec<_>>(),
        [("B", ChangeKind::Removed)]
    );
    assert_eq!(error.kind(), "server", "{error:?}");
    assert!(error.message().contains("502"), "{error}");
    // Exactly what the report says is live.
    let server = other_writer(&sim).get_env(tid(&project)).await.unwrap();
    assert_eq!(server.hash, hash);
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "10"), ("B", "2"), ("C", "3"), ("N", "new")])
    );
    // The draft is rebased on that hash with the removal still staged.
    let draft = h.app.env_load(t).await.unwrap();
    assert_eq!(draft.base_hash, hash);
    assert_eq!(changes_of(&draft), [("B", ChangeKind::Removed)]);
    assert_eq!(answered, draft, "the report carries that draft");

    sim.control().clear_faults();
    let before = sim.control().request_count();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert_eq!(sim.control().request_count() - before, 1);
    let ApplyOutcome::Applied { changes, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "10"), ("C", "3"), ("N", "new")])
    );
}
