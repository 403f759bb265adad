//! The client's environment-variable operations against the local simulator (`cloud-sim`), over
//! real HTTP on loopback: reading both layouts, merging updates, deleting, changes that change
//! nothing, and a stale hash.
//!
//! Not covered: non-string env values. The simulator only ever stores strings (env inputs are
//! `String!` in the schema and it has no hook to plant other JSON), so that parsing is tested
//! against canned answers in `src/env.rs` and `src/tests/` only.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud_sim::{EnvLayout as SimLayout, SimConfig};
use common::*;
use hasura_cloud::{EnvLayout, Error, TenantEnv};

#[tokio::test]
async fn get_env_reads_hash_and_variables() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-read", &[("ALPHA", "1"), ("BETA", "two words")]);
    let env = client.get_env(tenant).await.unwrap();
    assert_hash(&env.hash);
    assert_eq!(env.layout, EnvLayout::Nested);
    assert_eq!(
        env.vars.keys().collect::<Vec<_>>(),
        ["HASURA_GRAPHQL_ADMIN_SECRET", "ALPHA", "BETA"]
    );
    assert_eq!(env.vars.get("ALPHA"), s("1").as_ref());
    assert_eq!(env.vars.get("BETA"), s("two words").as_ref());
    let secret = env.vars.get("HASURA_GRAPHQL_ADMIN_SECRET").unwrap();
    assert!(!secret.is_json && !secret.text.is_empty());
    // Reading twice gives the same hash.
    assert_eq!(client.get_env(tenant).await.unwrap(), env);
}

#[tokio::test]
async fn nested_and_flat_env_layouts_read_identically() {
    let envs = [("ALPHA", "1"), ("BETA", "two"), ("GAMMA", "")];
    let mut read = Vec::new();
    for layout in [SimLayout::Nested, SimLayout::Flat] {
        let sim = sim_with(SimConfig {
            env_layout: layout,
            ..SimConfig::default()
        })
        .await;
        let client = client(&sim);
        let (_, tenant) = seed(&sim, "layout", &envs);
        let env = client.get_env(tenant).await.unwrap();
        assert_hash(&env.hash);
        // The mutations answer in the same layout.
        let updated = client
            .update_env(tenant, &env.hash, &kv(&[("DELTA", "4")]))
            .await
            .unwrap();
        assert_eq!(updated.layout, env.layout);
        assert_eq!(updated.vars.get("DELTA"), s("4").as_ref());
        read.push(env);
    }
    let (nested, flat) = (&read[0], &read[1]);
    assert_eq!(nested.layout, EnvLayout::Nested);
    assert_eq!(flat.layout, EnvLayout::Flat);
    // Same keys in the same order; same values except the random admin secret.
    assert_eq!(
        nested.vars.keys().collect::<Vec<_>>(),
        flat.vars.keys().collect::<Vec<_>>()
    );
    let user = |env: &TenantEnv| {
        pairs(env)
            .into_iter()
            .filter(|(k, _)| k != "HASURA_GRAPHQL_ADMIN_SECRET")
            .collect::<Vec<_>>()
    };
    assert_eq!(user(nested), kv(&envs));
    assert_eq!(user(nested), user(flat));
    assert!(
        nested
            .vars
            .iter()
            .chain(flat.vars.iter())
            .all(|v| !v.value.is_json)
    );
}

#[tokio::test]
async fn update_env_merges_and_returns_a_new_hash() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-update", &[("A", "a"), ("B", "b")]);
    let before = client.get_env(tenant).await.unwrap();
    let (after, requests) = counted(
        &sim,
        client.update_env(tenant, &before.hash, &kv(&[("A", "changed"), ("NEW", "n")])),
    )
    .await;
    let after = after.unwrap();
    assert_eq!(requests, 1);
    assert_hash(&after.hash);
    assert_ne!(after.hash, before.hash);
    assert_eq!(after.vars.get("A"), s("changed").as_ref());
    assert_eq!(after.vars.get("B"), s("b").as_ref());
    assert_eq!(after.vars.get("NEW"), s("n").as_ref());
    assert_eq!(
        after.vars.get("HASURA_GRAPHQL_ADMIN_SECRET"),
        before.vars.get("HASURA_GRAPHQL_ADMIN_SECRET")
    );
    assert_eq!(after.vars.len(), 4);
    // What the mutation answered is what a read now shows.
    assert_eq!(client.get_env(tenant).await.unwrap(), after);
}

#[tokio::test]
async fn delete_env_removes_keys_and_ignores_absent_ones() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-delete", &[("A", "a"), ("B", "b")]);
    let before = client.get_env(tenant).await.unwrap();
    let after = client
        .delete_env(
            tenant,
            &before.hash,
            &["A".to_owned(), "NOT_SET".to_owned()],
        )
        .await
        .unwrap();
    assert_ne!(after.hash, before.hash);
    assert_hash(&after.hash);
    assert!(!after.vars.contains_key("A"));
    assert_eq!(after.vars.get("B"), s("b").as_ref());
    assert_eq!(
        after.vars.keys().collect::<Vec<_>>(),
        ["HASURA_GRAPHQL_ADMIN_SECRET", "B"]
    );
    assert_eq!(client.get_env(tenant).await.unwrap(), after);
}

#[tokio::test]
async fn env_changes_that_change_nothing_are_nothing_changed() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-same", &[("A", "a")]);
    let env = client.get_env(tenant).await.unwrap();

    let (same, requests) = counted(
        &sim,
        client.update_env(tenant, &env.hash, &kv(&[("A", "a")])),
    )
    .await;
    assert_eq!(same.unwrap_err(), Error::NothingChanged);
    assert_eq!(requests, 1);
    assert_eq!(
        client
            .delete_env(tenant, &env.hash, &["ABSENT".to_owned()])
            .await
            .unwrap_err(),
        Error::NothingChanged
    );
    // Nothing moved: the hash is still current.
    assert_eq!(client.get_env(tenant).await.unwrap().hash, env.hash);
}

#[tokio::test]
async fn stale_hash_is_a_hash_conflict() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-stale", &[("A", "a")]);
    let first = client.get_env(tenant).await.unwrap();
    // Someone else changes the variables after we read them.
    let other = client
        .update_env(tenant, &first.hash, &kv(&[("A", "theirs")]))
        .await
        .unwrap();

    let expected = Error::HashConflict {
        message: cloud_sim::STALE_HASH.to_owned(),
    };
    let (update, requests) = counted(
        &sim,
        client.update_env(tenant, &first.hash, &kv(&[("A", "mine")])),
    )
    .await;
    assert_eq!(update.unwrap_err(), expected);
    assert_eq!(requests, 1);
    assert_eq!(
        client
            .delete_env(tenant, &first.hash, &["A".to_owned()])
            .await
            .unwrap_err(),
        expected
    );
    // Their change stands.
    let now = client.get_env(tenant).await.unwrap();
    assert_eq!(now, other);
    assert_eq!(now.vars.get("A"), s("theirs").as_ref());
}
