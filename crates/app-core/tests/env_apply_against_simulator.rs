//! The environment-variable editor's `App` commands against a real simulator (`cloud-sim`) over
//! loopback HTTP: load, stage and apply (requests counted), drafts kept in memory, and the
//! snapshots taken before each apply.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::{ApplyOutcome, ChangeKind, KeyResolution, Resolution, Severity};
use cloud_sim::{FaultKind, FaultRule};
use common::env_editor::*;
use common::*;

// ---- load, stage, apply ----------------------------------------------------------------------

#[tokio::test]
async fn edits_apply_as_one_update_and_one_delete() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2"), ("C", "3")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;

    let draft = h.app.env_load(t).await.unwrap();
    assert_eq!(draft.tenant_id, *t);
    assert_eq!(base_of(&draft), map(&[("A", "1"), ("B", "2"), ("C", "3")]));
    assert!(draft.changes.is_empty());
    let keys: Vec<&str> = draft.vars.iter().map(|v| v.key.as_str()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted: {keys:?}");
    let admin = draft.vars.iter().find(|v| v.key == ADMIN).unwrap();
    assert!(admin.secret_like);
    assert_eq!(admin.fingerprint.len(), 12);

    let draft = h
        .app
        .env_stage(
            t,
            vec![set("A", "10"), set("D", "4"), remove("C"), set("B", "2")],
        )
        .await
        .unwrap();
    assert_eq!(
        changes_of(&draft),
        [
            ("A", ChangeKind::Changed),
            ("C", ChangeKind::Removed),
            ("D", ChangeKind::Added)
        ]
    );
    assert!(draft.issues.is_empty());
    // Back to the base value: un-staged.
    let draft = h.app.env_stage(t, vec![set("A", "1")]).await.unwrap();
    assert_eq!(draft.changes.len(), 2);
    let draft = h.app.env_stage(t, vec![set("A", "10")]).await.unwrap();
    let base_hash = draft.base_hash.clone();

    let before = sim.control().request_count();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert_eq!(
        sim.control().request_count() - before,
        2,
        "one updateTenantEnv, one deleteTenantEnv"
    );
    let ApplyOutcome::Applied {
        hash,
        changes,
        undo_snapshot,
        confirmed_after_lost_answer,
        draft: answered,
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(!confirmed_after_lost_answer, "both answers arrived");
    assert_ne!(hash, base_hash);
    assert_eq!(
        changes.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
        ["A", "C", "D"]
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "10"), ("B", "2"), ("D", "4")])
    );
    let server = other_writer(&sim).get_env(tid(&project)).await.unwrap();
    assert_eq!(server.hash, hash, "the hash of the last step");

    // The draft was reloaded from the answer: new base, no changes, no request.
    let before = sim.control().request_count();
    let draft = h.app.env_load(t).await.unwrap();
    assert_eq!(sim.control().request_count(), before);
    assert_eq!(draft.base_hash, hash);
    assert!(draft.changes.is_empty());
    assert_eq!(base_of(&draft), map(&[("A", "10"), ("B", "2"), ("D", "4")]));
    assert!(h.app.env_unsaved().await.unwrap().is_empty());
    assert_eq!(answered, draft, "the apply answers with the new draft");

    // Undo: restoring the snapshot the apply names stages exactly the values from before.
    assert_eq!(draft.snapshots[0].id, undo_snapshot);
    let undo = h.app.env_restore(t, undo_snapshot).await.unwrap();
    assert_eq!(sim.control().request_count(), before, "nothing sent");
    assert_eq!(
        undo.changes
            .iter()
            .map(|c| (c.key.as_str(), c.new_value.as_deref()))
            .collect::<Vec<_>>(),
        [("A", Some("1")), ("C", Some("3")), ("D", None)]
    );
}

#[tokio::test]
async fn only_additions_or_only_removals_take_one_request() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;

    h.app.env_stage(t, vec![set("N", "new")]).await.unwrap();
    let before = sim.control().request_count();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(sim.control().request_count() - before, 1);

    h.app
        .env_stage(t, vec![remove("A"), remove("B")])
        .await
        .unwrap();
    let before = sim.control().request_count();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(sim.control().request_count() - before, 1);
    assert_eq!(server_vars(&sim, &project).await, map(&[("N", "new")]));
}

#[tokio::test]
async fn nothing_staged_is_nothing_changed_without_a_request() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app.env_load(t).await.unwrap();
    let before = sim.control().request_count();
    let loaded = h.app.env_load(t).await.unwrap();
    assert_eq!(
        h.app.env_apply(t, None).await.unwrap(),
        ApplyOutcome::NothingChanged {
            draft: loaded.clone()
        }
    );
    // Staged, then discarded: still nothing.
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    let draft = h.app.env_discard(t).await.unwrap();
    assert!(draft.changes.is_empty());
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert_eq!(
        outcome,
        ApplyOutcome::NothingChanged {
            draft: draft.clone()
        }
    );
    assert_eq!(sim.control().request_count(), before);
    let wire = serde_json::to_value(&outcome).unwrap();
    assert_eq!(wire["outcome"], "nothingChanged");
    assert_eq!(wire["draft"]["tenantId"], draft.tenant_id.as_str());
}

#[tokio::test]
async fn errors_in_the_draft_block_apply() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let draft = h
        .app
        .env_stage(
            t,
            vec![set("1BAD", "x"), set("HASURA_FOO", "postgres://u:p@h/db")],
        )
        .await
        .unwrap();
    let severities: Vec<(&str, Severity)> = draft
        .issues
        .iter()
        .map(|i| (i.key.as_str(), i.severity))
        .collect();
    assert_eq!(
        severities,
        [
            ("1BAD", Severity::Error),
            ("HASURA_FOO", Severity::Warning),
            ("HASURA_FOO", Severity::Warning)
        ]
    );
    let before = sim.control().request_count();
    let e = h.app.env_apply(t, None).await.unwrap_err();
    assert_eq!(e.kind(), "invalidInput");
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains("1BAD"), "{e}");
    assert_eq!(sim.control().request_count(), before, "nothing was sent");
    // Warnings alone do not block.
    h.app.env_unstage(t, vec!["1BAD".into()]).await.unwrap();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn bad_ids_and_signed_out() {
    let sim = sim().await;
    let (h, id) = signed_in(&sim).await;
    let e = h.app.env_load("not-a-tenant").await.unwrap_err();
    assert_eq!(e.kind(), "invalidInput");
    let e = h
        .app
        .env_load("11111111-2222-4333-8444-555555555555")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "notFound", "{e:?}");
    h.app.sign_out(&id).await.unwrap();
    let project = seed(&sim, "shop", &[]);
    let e = h.app.env_load(&project.tenant_id).await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn");
}

// ---- drafts in memory --------------------------------------------------------------------------

#[tokio::test]
async fn drafts_survive_navigation_and_go_with_the_session() {
    let sim = sim().await;
    let one = seed(&sim, "one", &[("A", "1")]);
    let two = seed(&sim, "two", &[("B", "2")]);
    let (h, id) = signed_in(&sim).await;

    h.app
        .env_stage(&one.tenant_id, vec![set("A", "edited")])
        .await
        .unwrap();
    h.app.env_load(&two.tenant_id).await.unwrap();
    // Coming back shows the edits, without asking the API.
    let before = sim.control().request_count();
    let draft = h.app.env_load(&one.tenant_id).await.unwrap();
    assert_eq!(sim.control().request_count(), before);
    assert_eq!(changes_of(&draft), [("A", ChangeKind::Changed)]);
    assert_eq!(
        h.app.env_unsaved().await.unwrap(),
        vec![one.tenant_id.clone()]
    );

    // Reload keeps edits, recomputed: an edit the project now has drops out.
    h.app
        .env_stage(&one.tenant_id, vec![set("C", "3")])
        .await
        .unwrap();
    teammate_sets(&sim, &one, &draft.base_hash, &[("A", "edited")]).await;
    let draft = h.app.env_reload(&one.tenant_id).await.unwrap();
    assert_eq!(changes_of(&draft), [("C", ChangeKind::Added)]);
    assert_eq!(base_of(&draft).get("A").map(String::as_str), Some("edited"));

    // Switching profile drops them.
    let other = add_profile(&h.app, "Other", &sim.graphql_url()).await;
    h.app.switch_profile(&other).await.unwrap();
    assert!(h.app.env_unsaved().await.unwrap().is_empty());
    h.app.switch_profile(&id).await.unwrap();
    let draft = h.app.env_load(&one.tenant_id).await.unwrap();
    assert!(draft.changes.is_empty());

    // So does signing out.
    h.app
        .env_stage(&one.tenant_id, vec![set("A", "again")])
        .await
        .unwrap();
    assert_eq!(h.app.env_unsaved().await.unwrap().len(), 1);
    h.app.sign_out(&id).await.unwrap();
    assert!(h.app.env_unsaved().await.unwrap().is_empty());
}

#[tokio::test]
async fn deleting_the_project_or_the_profile_drops_its_draft() {
    let sim = sim().await;
    let one = seed(&sim, "one", &[("A", "1")]);
    let (h, id) = signed_in(&sim).await;
    h.app
        .env_stage(&one.tenant_id, vec![set("A", "x")])
        .await
        .unwrap();
    h.app
        .delete_project(app_core::DeleteProjectInput {
            tenant_id: one.tenant_id.clone(),
            confirm_name: "one".into(),
        })
        .await
        .unwrap();
    assert!(h.app.env_unsaved().await.unwrap().is_empty());

    let two = seed(&sim, "two", &[("B", "2")]);
    h.app
        .env_stage(&two.tenant_id, vec![set("B", "x")])
        .await
        .unwrap();
    h.app.delete_profile(&id).await.unwrap();
    assert!(h.app.env_unsaved().await.unwrap().is_empty());
}

// ---- snapshots ---------------------------------------------------------------------------------

#[tokio::test]
async fn snapshots_before_each_apply_restore_through_review_and_go_with_the_session() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, id) = signed_in(&sim).await;
    let t = &project.tenant_id;
    assert!(h.app.env_load(t).await.unwrap().snapshots.is_empty());

    // 1: A changed, C added. 2 (partial): D added, then the removal of B fails.
    h.app
        .env_stage(t, vec![set("A", "10"), set("C", "3")])
        .await
        .unwrap();
    h.app.env_apply(t, None).await.unwrap();
    h.app
        .env_stage(t, vec![set("D", "4"), remove("B")])
        .await
        .unwrap();
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 502 }).on("deleteTenantEnv"));
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Partial { .. }),
        "{outcome:?}"
    );
    sim.control().clear_faults();

    let draft = h.app.env_load(t).await.unwrap();
    let listed: Vec<(u32, Vec<&str>)> = draft
        .snapshots
        .iter()
        .map(|s| (s.id, s.applied.iter().map(|c| c.key.as_str()).collect()))
        .collect();
    assert_eq!(
        listed,
        [(2, vec!["D"]), (1, vec!["A", "C"])],
        "newest first, each with what its apply changed (the partial one: what went through)"
    );
    assert_eq!(changes_of(&draft), [("B", ChangeKind::Removed)]);

    // Restoring 1 replaces the staged removal with the way back; nothing is sent.
    let before = sim.control().request_count();
    let draft = h.app.env_restore(t, 1).await.unwrap();
    assert_eq!(sim.control().request_count(), before);
    assert_eq!(
        changes_of(&draft),
        [
            ("A", ChangeKind::Changed),
            ("C", ChangeKind::Removed),
            ("D", ChangeKind::Removed)
        ]
    );
    let e = h.app.env_restore(t, 7).await.unwrap_err();
    assert_eq!(e.kind(), "notFound", "{e:?}");
    assert!(e.message().contains("no longer kept"), "{e}");

    // A teammate changes A meanwhile: the restore is an edit like any other, so it conflicts.
    teammate_sets(&sim, &project, &draft.base_hash, &[("A", "theirs")]).await;
    let outcome = h.app.env_apply(t, None).await.unwrap();
    let ApplyOutcome::Conflict { conflicts, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].key, "A");
    h.app
        .env_resolve(
            t,
            vec![KeyResolution {
                key: "A".into(),
                resolution: Resolution::Mine,
            }],
        )
        .await
        .unwrap();
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "1"), ("B", "2")]),
        "back to the values before the first apply"
    );
    assert_eq!(h.app.env_load(t).await.unwrap().snapshots.len(), 3);

    // In memory only, with the session: signing out forgets them.
    h.app.sign_out(&id).await.unwrap();
    h.app
        .sign_in(sign_in_input(&id, TOKEN, true))
        .await
        .unwrap();
    assert!(h.app.env_load(t).await.unwrap().snapshots.is_empty());
}
