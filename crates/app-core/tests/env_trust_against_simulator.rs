//! "Never a silent overwrite", against a real simulator over loopback HTTP: a reload raises the
//! same conflict as an apply when a teammate changed a staged key, an apply whose answer was
//! lost after Hasura Cloud made the change is reported (and logged) as applied, a project marked
//! as production takes its name typed before anything is sent to it, and value fingerprints are
//! keyed with a secret of this install.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use app_core::SecretStore;
use app_core::env::EnvConflict;
use app_core::{ActivityKind, ApplyOutcome, ChangeKind, ConflictEntry, KeyResolution, Resolution};
use cloud_sim::{FaultKind, FaultRule};
use common::env_editor::*;
use common::*;

// ---- a reload raises conflicts -------------------------------------------------------------------

/// I stage X: a → c; a teammate changes X to b. Reloading must not turn my edit into b → c:
/// applying afterwards would replace their b without my having seen it.
#[tokio::test]
async fn a_reload_does_not_rebase_a_conflict_away() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("X", "a"), ("Y", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let loaded = h.app.env_load(t).await.unwrap();
    h.app.env_stage(t, vec![set("X", "c")]).await.unwrap();
    teammate_sets(&sim, &project, &loaded.base_hash, &[("X", "b")]).await;
    let their_hash = other_writer(&sim)
        .get_env(tid(&project))
        .await
        .unwrap()
        .hash;

    let draft = h.app.env_reload(t).await.unwrap();
    // My edit is still a → c, on the base I made it on, and the conflict is shown.
    assert_eq!(draft.base_hash, loaded.base_hash);
    assert_eq!(draft.changes[0].old_value.as_deref(), Some("a"));
    assert_eq!(
        draft.conflict,
        Some(EnvConflict {
            their_hash: their_hash.clone(),
            conflicts: vec![ConflictEntry {
                key: "X".into(),
                base: Some("a".into()),
                theirs: Some("b".into()),
                mine: Some("c".into()),
            }],
            merged_without_conflict: vec![],
        })
    );
    assert_eq!(h.app.env_load(t).await.unwrap(), draft, "it is kept");

    // Applying is refused until it is settled; nothing is sent.
    let before = sim.control().request_count();
    let e = h.app.env_apply(t, None).await.unwrap_err();
    assert_eq!(field(&e), Some("envs"), "{e:?}");
    assert!(
        e.message().contains("Settle the conflicting variables"),
        "{e}"
    );
    assert_eq!(sim.control().request_count(), before);
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("X", "b"), ("Y", "1")]),
        "their value stays until I choose otherwise"
    );

    // Having seen theirs, I keep mine: now it is sent.
    let draft = h
        .app
        .env_resolve(
            t,
            vec![KeyResolution {
                key: "X".into(),
                resolution: Resolution::Mine,
            }],
        )
        .await
        .unwrap();
    assert_eq!(draft.conflict, None);
    assert_eq!(draft.base_hash, their_hash);
    assert_eq!(draft.changes[0].old_value.as_deref(), Some("b"));
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("X", "c"), ("Y", "1")])
    );
}

/// Keys that merge by themselves just rebase: they changed Y, which I did not touch, and made
/// my change to Z.
#[tokio::test]
async fn a_reload_rebases_what_merges_by_itself() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("X", "a"), ("Y", "1"), ("Z", "z")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let loaded = h.app.env_load(t).await.unwrap();
    h.app
        .env_stage(t, vec![set("X", "c"), set("Z", "zz")])
        .await
        .unwrap();
    teammate_sets(
        &sim,
        &project,
        &loaded.base_hash,
        &[("Y", "2"), ("Z", "zz")],
    )
    .await;

    let draft = h.app.env_reload(t).await.unwrap();
    assert_eq!(draft.conflict, None);
    assert_ne!(draft.base_hash, loaded.base_hash);
    assert_eq!(base_of(&draft), map(&[("X", "a"), ("Y", "2"), ("Z", "zz")]));
    assert_eq!(changes_of(&draft), [("X", ChangeKind::Changed)]);
    let outcome = h.app.env_apply(t, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("X", "c"), ("Y", "2"), ("Z", "zz")])
    );
}

/// An apply's conflict is the draft's too: shown by a load, cleared by a discard (their state
/// becomes the base) — and a reload after they undid their change clears it as well.
#[tokio::test]
async fn an_apply_conflict_stays_with_the_draft_until_settled() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("X", "a")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let loaded = h.app.env_load(t).await.unwrap();
    h.app.env_stage(t, vec![set("X", "c")]).await.unwrap();
    teammate_sets(&sim, &project, &loaded.base_hash, &[("X", "b")]).await;

    let outcome = h.app.env_apply(t, None).await.unwrap();
    let ApplyOutcome::Conflict {
        their_hash, draft, ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    let conflict = draft.conflict.clone().unwrap();
    assert_eq!(conflict.their_hash, their_hash);
    assert_eq!(conflict.conflicts[0].theirs.as_deref(), Some("b"));
    assert_eq!(h.app.env_load(t).await.unwrap().conflict, Some(conflict));
    assert_eq!(
        field(&h.app.env_apply(t, None).await.unwrap_err()),
        Some("envs"),
        "a second apply is refused too"
    );

    // They put a back: nothing left to settle, and the reload says so.
    teammate_sets(&sim, &project, &their_hash, &[("X", "a")]).await;
    let draft = h.app.env_reload(t).await.unwrap();
    assert_eq!(draft.conflict, None);
    assert_eq!(changes_of(&draft), [("X", ChangeKind::Changed)]);

    // Again, and this time I drop my edit: their state is what I see.
    let hash = draft.base_hash.clone();
    teammate_sets(&sim, &project, &hash, &[("X", "b2")]).await;
    let draft = h.app.env_reload(t).await.unwrap();
    assert!(draft.conflict.is_some());
    let draft = h.app.env_discard(t).await.unwrap();
    assert_eq!(draft.conflict, None);
    assert!(draft.changes.is_empty());
    assert_eq!(base_of(&draft), map(&[("X", "b2")]));
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("X", "b2")]),
        "nothing of mine was sent"
    );
}

// ---- a lost answer is not a conflict -------------------------------------------------------------

/// Stages `edits`, then applies with `fault` once on `operation`.
async fn apply_with_a_lost_answer(
    sim: &cloud_sim::Simulator,
    h: &Harness,
    project: &cloud_sim::SeededProject,
    edits: Vec<app_core::EnvEdit>,
    operation: &str,
    fault: FaultKind,
) -> ApplyOutcome {
    let t = &project.tenant_id;
    h.app.env_stage(t, edits).await.unwrap();
    sim.control()
        .add_fault(FaultRule::new(fault).on(operation).times(1));
    h.app.env_apply(t, None).await.unwrap()
}

fn applied_keys(outcome: &ApplyOutcome) -> Vec<(&str, ChangeKind)> {
    match outcome {
        ApplyOutcome::Applied { changes, .. } => {
            changes.iter().map(|c| (c.key.as_str(), c.kind)).collect()
        }
        other => panic!("not applied: {other:?}"),
    }
}

async fn env_applies_logged(h: &Harness) -> usize {
    (h.app.activity_list(100).await.unwrap().iter())
        .filter(|e| e.kind == ActivityKind::EnvApplied)
        .count()
}

#[tokio::test]
async fn an_update_whose_answer_was_dropped_is_reported_applied() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, _) = signed_in(&sim).await;
    let outcome = apply_with_a_lost_answer(
        &sim,
        &h,
        &project,
        vec![set("A", "10"), set("C", "3")],
        "updateTenantEnv",
        FaultKind::DropResponse,
    )
    .await;
    assert_eq!(
        applied_keys(&outcome),
        [("A", ChangeKind::Changed), ("C", ChangeKind::Added)]
    );
    assert!(matches!(
        outcome,
        ApplyOutcome::Applied {
            confirmed_after_lost_answer: true,
            ..
        }
    ));
    assert_eq!(env_applies_logged(&h).await, 1, "the activity log has it");
    let logged = &h.app.activity_list(1).await.unwrap()[0];
    assert!(
        logged
            .summary
            .contains("reading the variables back confirmed"),
        "{}",
        logged.summary
    );
    let draft = h.app.env_load(&project.tenant_id).await.unwrap();
    assert!(draft.changes.is_empty() && draft.conflict.is_none());
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "10"), ("B", "2"), ("C", "3")])
    );
}

#[tokio::test]
async fn a_delete_whose_answer_was_dropped_is_reported_applied() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, _) = signed_in(&sim).await;
    // Removal only: the delete is the first request that changes.
    let outcome = apply_with_a_lost_answer(
        &sim,
        &h,
        &project,
        vec![remove("B")],
        "deleteTenantEnv",
        FaultKind::DropResponse,
    )
    .await;
    assert_eq!(applied_keys(&outcome), [("B", ChangeKind::Removed)]);
    assert_eq!(server_vars(&sim, &project).await, map(&[("A", "1")]));

    // After an update that went through: the delete's lost answer is not "partial".
    let outcome = apply_with_a_lost_answer(
        &sim,
        &h,
        &project,
        vec![set("C", "3"), remove("A")],
        "deleteTenantEnv",
        FaultKind::DropResponse,
    )
    .await;
    assert_eq!(
        applied_keys(&outcome),
        [("A", ChangeKind::Removed), ("C", ChangeKind::Added)]
    );
    assert!(matches!(
        outcome,
        ApplyOutcome::Applied {
            confirmed_after_lost_answer: true,
            ..
        }
    ));
    assert_eq!(env_applies_logged(&h).await, 2);
    assert_eq!(server_vars(&sim, &project).await, map(&[("C", "3")]));
    let draft = h.app.env_load(&project.tenant_id).await.unwrap();
    assert!(draft.changes.is_empty() && draft.conflict.is_none());
}

#[tokio::test]
async fn an_update_answered_502_after_it_ran_is_reported_applied() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let outcome = apply_with_a_lost_answer(
        &sim,
        &h,
        &project,
        vec![set("A", "10")],
        "updateTenantEnv",
        FaultKind::LoseAnswer {
            status: 502,
            delay_ms: 0,
        },
    )
    .await;
    assert_eq!(applied_keys(&outcome), [("A", ChangeKind::Changed)]);
    assert_eq!(env_applies_logged(&h).await, 1);
}

#[tokio::test]
async fn an_update_that_timed_out_after_it_ran_is_reported_applied() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let h = harness_with_clients(
        std::sync::Arc::new(app_core::MemoryStore::new()),
        hasura_cloud::ClientConfig {
            request_timeout: Duration::from_millis(300),
            ..fast_clients()
        },
    );
    sign_in_work(&h.app, &sim).await;
    let outcome = apply_with_a_lost_answer(
        &sim,
        &h,
        &project,
        vec![set("A", "10")],
        "updateTenantEnv",
        FaultKind::LoseAnswer {
            status: 502,
            delay_ms: 2_000,
        },
    )
    .await;
    assert_eq!(applied_keys(&outcome), [("A", ChangeKind::Changed)]);
    assert_eq!(env_applies_logged(&h).await, 1);
}

/// The answer was lost and a teammate changed another key before the read-back: the server no
/// longer holds exactly what was sent on top of the base, so it is their change that shows.
#[tokio::test]
async fn a_lost_answer_with_a_teammate_change_meanwhile_is_a_conflict() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1"), ("B", "2")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app.env_stage(t, vec![set("A", "10")]).await.unwrap();
    sim.control().add_fault(
        FaultRule::new(FaultKind::LoseAnswer {
            status: 502,
            delay_ms: 400,
        })
        .on("updateTenantEnv")
        .times(1),
    );
    let teammate = async {
        // While the gateway holds the answer back.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let hash = other_writer(&sim)
            .get_env(tid(&project))
            .await
            .unwrap()
            .hash;
        teammate_sets(&sim, &project, &hash, &[("B", "20")]).await;
    };
    let (outcome, ()) = tokio::join!(h.app.env_apply(t, None), teammate);
    let outcome = outcome.unwrap();
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
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "10"), ("B", "20")])
    );
}

/// A refusal (here a rate limit) did not go through, even when the project now holds what was
/// sent because a teammate made the same change: that is their change, shown as a conflict that
/// merges by itself, not an apply of ours.
#[tokio::test]
async fn a_refused_request_is_never_reported_applied() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let loaded = h.app.env_load(t).await.unwrap();
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    teammate_sets(&sim, &project, &loaded.base_hash, &[("A", "2")]).await;
    sim.control().add_fault(
        FaultRule::new(FaultKind::RateLimited {
            retry_after_secs: 1,
        })
        .on("updateTenantEnv")
        .times(1),
    );
    let outcome = h.app.env_apply(t, None).await.unwrap();
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
    assert_eq!(env_applies_logged(&h).await, 0);
}

// ---- production projects need their name -------------------------------------------------------

#[tokio::test]
async fn a_production_project_needs_its_name_typed_to_apply() {
    let sim = sim().await;
    let project = seed(&sim, "shop-live", &[("A", "1")]);
    let other = seed(&sim, "shop-test", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    h.app
        .set_production(&project.project_id, true)
        .await
        .unwrap();
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();

    for typed in [None, Some(""), Some("shop-test"), Some("Shop-Live")] {
        let e = h
            .app
            .env_apply(t, typed.map(String::from))
            .await
            .unwrap_err();
        assert_eq!(field(&e), Some("confirmName"), "{typed:?}: {e:?}");
        assert!(e.message().contains("shop-live"), "{e}");
        assert!(e.message().contains("Nothing was sent"), "{e}");
    }
    assert_eq!(
        server_vars(&sim, &project).await,
        map(&[("A", "1")]),
        "nothing is sent without the name"
    );
    let draft = h.app.env_load(t).await.unwrap();
    assert_eq!(draft.changes.len(), 1, "the edit stays staged");

    // Its current name: renamed elsewhere, the old name no longer does.
    other_writer(&sim)
        .rename_tenant(tid(&project), "shop-prod")
        .await
        .unwrap();
    let e = h
        .app
        .env_apply(t, Some("shop-live".into()))
        .await
        .unwrap_err();
    assert!(e.message().contains("shop-prod"), "{e}");
    let outcome = h
        .app
        .env_apply(t, Some("  shop-prod ".into()))
        .await
        .unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(server_vars(&sim, &project).await, map(&[("A", "2")]));

    // A project that is not marked needs no name.
    h.app
        .env_stage(&other.tenant_id, vec![set("A", "3")])
        .await
        .unwrap();
    let outcome = h.app.env_apply(&other.tenant_id, None).await.unwrap();
    assert!(
        matches!(outcome, ApplyOutcome::Applied { .. }),
        "{outcome:?}"
    );
}

// ---- fingerprints are keyed ---------------------------------------------------------------------

/// The first 12 hex digits of the plain SHA-256 of key, NUL, value: what anyone can compute to
/// test guesses of a value against a fingerprint.
fn unkeyed_fingerprint(key: &str, value: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{key}\0{value}").as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn fingerprint_of(draft: &app_core::EnvDraft, key: &str) -> String {
    draft
        .vars
        .iter()
        .find(|v| v.key == key)
        .map(|v| v.fingerprint.clone())
        .unwrap()
}

#[tokio::test]
async fn fingerprints_are_keyed_by_a_secret_of_this_install() {
    let sim = sim().await;
    let project = seed(&sim, "shop", &[("A", "1")]);
    let copy = seed(&sim, "shop-copy", &[("A", "1")]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let mine = fingerprint_of(&h.app.env_load(t).await.unwrap(), "A");
    assert_eq!(mine.len(), 12);
    assert_ne!(
        mine,
        unkeyed_fingerprint("A", "1"),
        "not reversible by guessing"
    );

    // The key is this install's, in the keychain, and shown nowhere.
    let kept = h.secrets.get("fingerprint-key").unwrap().unwrap();
    assert_eq!(kept.len(), 64, "32 random bytes, hex");
    assert!(!format!("{:?}", h.app).contains(&kept));

    // Another install (another keychain) prints the same value differently …
    let elsewhere = harness();
    sign_in_work(&elsewhere.app, &sim).await;
    let theirs = fingerprint_of(&elsewhere.app.env_load(t).await.unwrap(), "A");
    assert_ne!(theirs, mine);
    // … the same install after a restart (same keychain) the same way.
    let restarted = harness_with(h.secrets.clone());
    sign_in_work(&restarted.app, &sim).await;
    let again = fingerprint_of(&restarted.app.env_load(t).await.unwrap(), "A");
    assert_eq!(again, mine);

    // Comparing by fingerprint still works, and the activity log uses the same key.
    let compared = h.app.env_compare(t, &copy.tenant_id).await.unwrap();
    assert_eq!(compared.rows[0].status, app_core::CompareStatus::Same);
    assert_eq!(
        compared.rows[0].left_fingerprint.as_deref(),
        Some(mine.as_str())
    );
    h.app.env_stage(t, vec![set("A", "2")]).await.unwrap();
    h.app.env_apply(t, None).await.unwrap();
    let logged = &h.app.activity_list(1).await.unwrap()[0];
    assert_eq!(logged.keys[0].before.as_deref(), Some(mine.as_str()));
    assert_ne!(
        logged.keys[0].after.as_deref(),
        Some(unkeyed_fingerprint("A", "2").as_str())
    );
}

/// A keychain that cannot keep the key: fingerprints still compare within the run.
#[tokio::test]
async fn without_a_usable_keychain_fingerprints_compare_within_the_run() {
    let sim = sim().await;
    let one = seed(&sim, "one", &[("A", "1")]);
    let two = seed(&sim, "two", &[("A", "1")]);
    let app = app_core::App::with_client_config(
        std::sync::Arc::new(app_core::MemorySettings::new()),
        std::sync::Arc::new(LockedKeychain::default()),
        fast_clients(),
    )
    .unwrap();
    let id = add_profile(&app, "Work", &sim.graphql_url()).await;
    app.switch_profile(&id).await.unwrap();
    app.sign_in(sign_in_input(&id, TOKEN, false)).await.unwrap();
    let first = fingerprint_of(&app.env_load(&one.tenant_id).await.unwrap(), "A");
    let second = fingerprint_of(&app.env_load(&two.tenant_id).await.unwrap(), "A");
    assert_eq!(first, second);
    assert_ne!(first, unkeyed_fingerprint("A", "1"));
    let compared = app
        .env_compare(&one.tenant_id, &two.tenant_id)
        .await
        .unwrap();
    assert_eq!(compared.rows[0].status, app_core::CompareStatus::Same);
}
