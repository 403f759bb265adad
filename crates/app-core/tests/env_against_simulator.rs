//! The environment-variable editor's `App` commands against a real simulator (`cloud-sim`) over
//! loopback HTTP: drafts, apply (requests counted), conflicts made by a second writer and their
//! resolution, a partial apply, import, export, compare and copy, and the health watch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use app_core::env::dotenv;
use app_core::{
    App, AppError, ApplyOutcome, ChangeKind, CompareStatus, ConflictEntry, EnvDraft, EnvEdit,
    HealthPhase, HealthProgress, HealthWatch, KeyResolution, Resolution, Severity,
};
use cloud_sim::{FaultKind, FaultRule, SeededProject, SimConfig, Simulator};
use common::*;
use hasura_cloud::{Client, ClientConfig, TenantId, Token};

const ADMIN: &str = "HASURA_GRAPHQL_ADMIN_SECRET";

fn seed(sim: &Simulator, name: &str, envs: &[(&str, &str)]) -> SeededProject {
    sim.control()
        .seed_project(name, "aws", "us-east-2", "cloud_free", envs)
}

/// Someone else: a second client with the same token, straight to the API.
fn other_writer(sim: &Simulator) -> Client {
    Client::new(
        Token::new(TOKEN.to_owned()),
        ClientConfig {
            endpoint: sim.graphql_url(),
            ..fast_clients()
        },
    )
    .unwrap()
}

/// Someone else sets `pairs` on the project, on `hash`.
async fn teammate_sets(
    sim: &Simulator,
    project: &SeededProject,
    hash: &str,
    pairs: &[(&str, &str)],
) {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    other_writer(sim)
        .update_env(tid(project), hash, &pairs)
        .await
        .unwrap();
}

fn tid(project: &SeededProject) -> TenantId {
    project.tenant_id.parse().unwrap()
}

fn set(key: &str, value: &str) -> EnvEdit {
    EnvEdit::Set {
        key: key.into(),
        value: value.into(),
    }
}

fn remove(key: &str) -> EnvEdit {
    EnvEdit::Remove { key: key.into() }
}

/// The project's variables on the server, without the admin secret.
async fn server_vars(sim: &Simulator, project: &SeededProject) -> BTreeMap<String, String> {
    other_writer(sim)
        .get_env(tid(project))
        .await
        .unwrap()
        .vars
        .iter()
        .filter(|v| v.key != ADMIN)
        .map(|v| (v.key.clone(), v.value.text.clone()))
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The draft's base without the admin secret.
fn base_of(draft: &EnvDraft) -> BTreeMap<String, String> {
    draft
        .vars
        .iter()
        .filter(|v| v.key != ADMIN)
        .map(|v| (v.key.clone(), v.value.clone()))
        .collect()
}

fn changes_of(draft: &EnvDraft) -> Vec<(&str, ChangeKind)> {
    draft
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.kind))
        .collect()
}

fn field(e: &AppError) -> Option<&str> {
    field_of(e)
}

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
    let outcome = h.app.env_apply(t).await.unwrap();
    assert_eq!(
        sim.control().request_count() - before,
        2,
        "one updateTenantEnv, one deleteTenantEnv"
    );
    let ApplyOutcome::Applied {
        hash,
        changes,
        undo_snapshot,
        draft: answered,
    } = outcome
    else {
        panic!("{outcome:?}")
    };
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
    let outcome = h.app.env_apply(t).await.unwrap();
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
    let outcome = h.app.env_apply(t).await.unwrap();
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
        h.app.env_apply(t).await.unwrap(),
        ApplyOutcome::NothingChanged {
            draft: loaded.clone()
        }
    );
    // Staged, then discarded: still nothing.
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    let draft = h.app.env_discard(t).await.unwrap();
    assert!(draft.changes.is_empty());
    let outcome = h.app.env_apply(t).await.unwrap();
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
    let e = h.app.env_apply(t).await.unwrap_err();
    assert_eq!(e.kind(), "invalidInput");
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains("1BAD"), "{e}");
    assert_eq!(sim.control().request_count(), before, "nothing was sent");
    // Warnings alone do not block.
    h.app.env_unstage(t, vec!["1BAD".into()]).await.unwrap();
    let outcome = h.app.env_apply(t).await.unwrap();
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
    let outcome = h.app.env_apply(&t).await.unwrap();
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

    let outcome = h.app.env_apply(&t).await.unwrap();
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
    let outcome = h.app.env_apply(&t).await.unwrap();
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

/// An update whose answer is lost still moved the hash: the refetch shows it, and the merge finds
/// that "theirs" already equals mine — nothing conflicts and nothing is left to send.
#[tokio::test]
async fn a_lost_answer_is_detected_by_the_moved_hash() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    sim.control().add_fault(
        FaultRule::new(FaultKind::DropResponse)
            .on("updateTenantEnv")
            .times(1),
    );
    let outcome = h.app.env_apply(t).await.unwrap();
    let ApplyOutcome::Conflict {
        conflicts,
        merged_without_conflict,
        ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(conflicts.is_empty());
    assert_eq!(merged_without_conflict, ["A"]);
    let draft = h.app.env_resolve(t, vec![]).await.unwrap();
    assert!(draft.changes.is_empty(), "{:?}", draft.changes);
    assert_eq!(server_vars(&sim, &project).await, map(&[("A", "2")]));
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
    let e = h.app.env_apply(t).await.unwrap_err();
    assert_eq!(e.kind(), "server", "{e:?}");
    let draft = h.app.env_load(t).await.unwrap();
    assert_eq!(changes_of(&draft), [("A", ChangeKind::Changed)]);
    let outcome = h.app.env_apply(t).await.unwrap();
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
    let outcome = h.app.env_apply(t).await.unwrap();
    assert_eq!(sim.control().request_count() - before, 2);
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
    let outcome = h.app.env_apply(t).await.unwrap();
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
    h.app.env_apply(t).await.unwrap();
    h.app
        .env_stage(t, vec![set("D", "4"), remove("B")])
        .await
        .unwrap();
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 502 }).on("deleteTenantEnv"));
    let outcome = h.app.env_apply(t).await.unwrap();
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
    let outcome = h.app.env_apply(t).await.unwrap();
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
    let outcome = h.app.env_apply(t).await.unwrap();
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

// ---- import and export ----------------------------------------------------------------------------

#[tokio::test]
async fn import_preview_then_stage() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app.env_stage(t, vec![set("B", "20")]).await.unwrap();

    let text = "# from staging\nA=1\nB=20\nexport C='three $literal'\nD=\"multi\nline\"\nnot a line\nHASURA_X=y\n";
    let preview = h.app.env_import_preview(t, text).await.unwrap();
    assert_eq!(preview.unchanged, ["A", "B"], "compared with base + staged");
    assert_eq!(
        preview
            .added
            .iter()
            .map(|c| (c.key.as_str(), c.new_value.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("C", Some("three $literal")),
            ("D", Some("multi\nline")),
            ("HASURA_X", Some("y"))
        ]
    );
    assert!(preview.overwritten.is_empty());
    assert_eq!(
        preview.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        [7]
    );
    assert_eq!(preview.issues.len(), 1);
    assert_eq!(preview.issues[0].severity, Severity::Warning);

    // A text with unreadable lines is refused whole.
    let e = h.app.env_import_stage(t, text).await.unwrap_err();
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains("line 7"), "{e}");
    let e = h.app.env_import_stage(t, "A=1\nA=2\n").await.unwrap_err();
    assert!(e.message().contains("more than once"), "{e}");
    assert_eq!(
        changes_of(&h.app.env_load(t).await.unwrap()),
        [("B", ChangeKind::Changed)]
    );

    let preview = h
        .app
        .env_import_preview(t, "A=100\nB=20\nC=3\n")
        .await
        .unwrap();
    assert_eq!(
        preview
            .overwritten
            .iter()
            .map(|c| (
                c.key.as_str(),
                c.old_value.as_deref(),
                c.new_value.as_deref()
            ))
            .collect::<Vec<_>>(),
        [("A", Some("1"), Some("100"))]
    );
    let draft = h
        .app
        .env_import_stage(t, "A=100\nB=20\nC=3\n")
        .await
        .unwrap();
    assert_eq!(
        changes_of(&draft),
        [
            ("A", ChangeKind::Changed),
            ("B", ChangeKind::Changed),
            ("C", ChangeKind::Added)
        ]
    );
    let outcome = h.app.env_apply(t).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "100"), ("B", "20"), ("C", "3")])
    );
}

#[tokio::test]
async fn export_text_reads_back_to_the_current_view() {
    let sim = sim().await;
    let tricky = [
        ("QUOTES", "it's \"quoted\""),
        ("DOLLAR", "pa$$word${HOME}$"),
        ("HASH", "a #not a comment"),
        ("LINES", "first\nsecond\r\nthird\n"),
        ("BACKSLASH", "C:\\path\\n\\"),
        ("UNICODE", "héllo — 😀 \u{2028}"),
        ("EMPTY", ""),
        ("SPACES", "  padded  "),
    ];
    let project = seed(&sim, "shop", &tricky);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let draft = h
        .app
        .env_stage(t, vec![set("STAGED", "new = value"), remove("EMPTY")])
        .await
        .unwrap();

    let text = h.app.env_export_text(t).await.unwrap();
    assert!(text.starts_with("# "), "{text}");
    assert!(text.contains("not yet applied"));
    let parsed = dotenv::parse(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut expected = base_of(&draft);
    expected.insert(ADMIN.into(), {
        let admin = draft.vars.iter().find(|v| v.key == ADMIN).unwrap();
        admin.value.clone()
    });
    expected.insert("STAGED".into(), "new = value".into());
    expected.remove("EMPTY");
    assert_eq!(parsed.to_map(), expected);

    // Importing it back into the same draft changes nothing.
    let preview = h.app.env_import_preview(t, &text).await.unwrap();
    assert!(preview.added.is_empty() && preview.overwritten.is_empty());
    assert!(preview.errors.is_empty());
    assert_eq!(preview.unchanged.len(), expected.len());
}

// ---- compare and copy ------------------------------------------------------------------------------

#[tokio::test]
async fn compare_shows_fingerprints_only_and_copy_stages_values() {
    let sim = sim().await;
    let left = seed(
        &sim,
        "left",
        &[
            ("ONLY_LEFT", "left-only-value-7741"),
            ("SAME", "same-value-9931"),
            ("SECRET", "left-secret-value-5521"),
        ],
    );
    let right = seed(
        &sim,
        "right",
        &[
            ("SAME", "same-value-9931"),
            ("SECRET", "right-secret-value-6612"),
            ("ONLY_RIGHT", "right-only-value-8843"),
        ],
    );
    let (h, _) = signed_in(&sim).await;

    let before = sim.control().request_count();
    let cmp = h
        .app
        .env_compare(&left.tenant_id, &right.tenant_id)
        .await
        .unwrap();
    assert_eq!(sim.control().request_count() - before, 2, "both read fresh");
    assert_eq!(cmp.left_tenant_id, left.tenant_id);
    assert_eq!(cmp.right_tenant_id, right.tenant_id);
    let rows: Vec<(&str, CompareStatus)> = cmp
        .rows
        .iter()
        .filter(|r| r.key != ADMIN)
        .map(|r| (r.key.as_str(), r.status))
        .collect();
    assert_eq!(
        rows,
        [
            ("ONLY_LEFT", CompareStatus::OnlyLeft),
            ("ONLY_RIGHT", CompareStatus::OnlyRight),
            ("SAME", CompareStatus::Same),
            ("SECRET", CompareStatus::Different)
        ]
    );
    let admin = cmp.rows.iter().find(|r| r.key == ADMIN).unwrap();
    assert_eq!(admin.status, CompareStatus::Different, "random per project");
    let same = cmp.rows.iter().find(|r| r.key == "SAME").unwrap();
    assert_eq!(same.left_fingerprint, same.right_fingerprint);
    assert!(
        same.left_fingerprint
            .as_ref()
            .is_some_and(|f| f.len() == 12)
    );
    let only_left = cmp.rows.iter().find(|r| r.key == "ONLY_LEFT").unwrap();
    assert!(only_left.right_fingerprint.is_none());

    let json = serde_json::to_string(&cmp).unwrap();
    for value in [
        "left-only-value-7741",
        "same-value-9931",
        "left-secret-value-5521",
        "right-secret-value-6612",
        "right-only-value-8843",
    ] {
        assert!(
            !json.contains(value),
            "a value leaked into the comparison: {json}"
        );
    }
    for project in [&left, &right] {
        let admin = other_writer(&sim).get_env(tid(project)).await.unwrap();
        let secret = &admin.vars.get(ADMIN).unwrap().text;
        assert!(!json.contains(secret.as_str()));
    }
    assert!(json.contains("\"onlyLeft\"") && json.contains("\"leftFingerprint\""));

    // Copy two keys from left into right's draft.
    let draft = h
        .app
        .env_copy(
            &left.tenant_id,
            &right.tenant_id,
            vec!["SECRET".into(), "ONLY_LEFT".into(), "SAME".into()],
        )
        .await
        .unwrap();
    assert_eq!(draft.tenant_id, right.tenant_id);
    assert_eq!(
        draft
            .changes
            .iter()
            .map(|c| (c.key.as_str(), c.kind, c.new_value.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("ONLY_LEFT", ChangeKind::Added, Some("left-only-value-7741")),
            (
                "SECRET",
                ChangeKind::Changed,
                Some("left-secret-value-5521")
            )
        ]
    );
    // Refusals: a key the source lacks, the same project twice.
    let e = h
        .app
        .env_copy(&left.tenant_id, &right.tenant_id, vec!["NOPE".into()])
        .await
        .unwrap_err();
    assert_eq!(field(&e), Some("envs"));
    assert!(e.message().contains("NOPE"));
    let e = h
        .app
        .env_copy(&left.tenant_id, &left.tenant_id, vec!["SAME".into()])
        .await
        .unwrap_err();
    assert_eq!(field(&e), Some("envs"));

    let outcome = h.app.env_apply(&right.tenant_id).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &right).await,
        map(&[
            ("ONLY_LEFT", "left-only-value-7741"),
            ("ONLY_RIGHT", "right-only-value-8843"),
            ("SAME", "same-value-9931"),
            ("SECRET", "left-secret-value-5521")
        ])
    );
}

// ---- health watch -----------------------------------------------------------------------------------

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
    let outcome = app.env_apply(t).await.unwrap();
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
    app.env_apply(t).await.unwrap();

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
