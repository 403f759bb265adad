//! Auth, projects and env vars: the rules of cloud-api.md §1, §2 and §4.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;
use std::time::Duration;

use cloud_sim::{EnvLayout, SimConfig};
use common::*;
use serde_json::json;

#[tokio::test]
async fn unknown_or_missing_tokens_see_the_reduced_schema() {
    let sim = start().await;
    for auth in [
        None,
        Some("pat wrong-token"),
        Some(&format!("Bearer {TOKEN}") as &str),
        Some(&format!("PAT{TOKEN}") as &str),
    ] {
        let body: serde_json::Value = post(&sim, auth, json!({"query": "{ projects { id } }"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            body,
            json!({"errors": [{"message": "field \"projects\" not found in type: 'query_root'",
                               "extensions": {"path": "$.selectionSet.projects", "code": "validation-failed"}}]}),
            "auth {auth:?}"
        );
        let body: serde_json::Value = post(&sim, auth, json!({"query": "mutation { deleteTenant(tenantId: \"7a79cf94-0e53-4520-a560-1b02bf522f08\") { status } }"})).await.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["message"],
            "field \"deleteTenant\" not found in type: 'mutation_root'"
        );
    }
    // The reduced schema still answers introspection and its placeholder.
    let body: serde_json::Value = post(
        &sim,
        None,
        json!({"query": "{ __typename no_queries_available }"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["data"]["__typename"], "query_root");
    // The accepted token sees everything.
    assert!(data(&sim, "{ projects { id } }", json!({})).await["projects"].is_array());
}

#[tokio::test]
async fn create_tenant_makes_a_project_with_its_own_tenant_and_endpoint() {
    let sim = start().await;
    let d = data(
        &sim,
        r#"mutation { createTenant(cloud: "aws", region: "us-east-2", name: "new-app", plan: "cloud_payg",
             envs: [{key: "HASURA_GRAPHQL_CORS_DOMAIN", value: "*"}]) { id name tenant { slug cloud region project { id name endpoint plan_name } } } }"#,
        json!({}),
    )
    .await;
    let created = &d["createTenant"];
    let project = &created["tenant"]["project"];
    assert_eq!(created["name"], "new-app");
    assert_ne!(
        created["id"], project["id"],
        "tenant id and project id differ"
    );
    assert_eq!(created["tenant"]["slug"], "new-app");
    assert_eq!(project["plan_name"], "cloud_payg");
    let endpoint = project["endpoint"].as_str().unwrap();
    assert_eq!(endpoint, format!("{}/p/new-app", sim.base_url()));

    // The endpoint is served, unhealthy while provisioning.
    assert_eq!(health(endpoint).await, 503);
    sim.control().advance(Duration::from_secs(31));
    assert_eq!(health(endpoint).await, 200);
    let answer: serde_json::Value = common::http()
        .post(format!("{endpoint}/v1/graphql"))
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer, json!({"data": {"__typename": "query_root"}}));

    let (_, vars) = env(&sim, created["id"].as_str().unwrap()).await;
    assert_eq!(vars["environment"]["HASURA_GRAPHQL_CORS_DOMAIN"], "*");
    assert!(vars["environment"]["HASURA_GRAPHQL_ADMIN_SECRET"].is_string());

    // Without a name, one is made up.
    let d = data(
        &sim,
        r#"mutation { createTenant(cloud: "gcp", region: "us-central1") { id name } }"#,
        json!({}),
    )
    .await;
    assert!(d["createTenant"]["name"].as_str().unwrap().len() >= 3);
}

#[tokio::test]
async fn create_tenant_rejects_bad_input_clearly() {
    let sim = start().await;
    let q = "mutation($c: String!, $r: String!, $n: String, $p: String) { createTenant(cloud: $c, region: $r, name: $n, plan: $p) { id } }";
    let cases = [
        (
            json!({"c": "do", "r": "nyc1"}),
            "cloud \"do\" is not supported",
        ),
        (
            json!({"c": "aws", "r": "mars-1"}),
            "region \"mars-1\" is not available on aws",
        ),
        (
            json!({"c": "aws", "r": "us-east-2", "p": "gold"}),
            "plan \"gold\" is not offered",
        ),
        (
            json!({"c": "aws", "r": "us-east-2", "n": "Bad Name"}),
            "invalid project name \"Bad Name\"",
        ),
        (
            json!({"c": "aws", "r": "us-east-2", "n": "-x-"}),
            "invalid project name",
        ),
    ];
    for (vars, expected) in cases {
        let (message, code) = error(&sim, q, vars.clone()).await;
        assert!(message.starts_with(expected), "{vars}: {message}");
        // A rule of the service, not a query that does not fit the schema.
        assert_eq!(code, "unexpected", "{vars}");
    }
    create(&sim, "taken").await;
    let (message, code) = error(&sim, q, json!({"c": "aws", "r": "us-east-2", "n": "taken"})).await;
    assert_eq!(
        (message.as_str(), code.as_str()),
        (
            "a project named \"taken\" already exists",
            "constraint-violation"
        )
    );
    // The documented server bug: cloud_free_v2 together with envs.
    let body = gql(&sim, r#"mutation { createTenant(cloud: "aws", region: "us-east-2", plan: "cloud_free_v2", envs: [{key: "A", value: "b"}]) { id } }"#, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GenericServerError"
    );
    assert_eq!(
        body["errors"][0]["message"],
        "there was an internal error while serving your request"
    );
    assert!(body["errors"][0]["extensions"]["id"].is_string());
}

#[tokio::test]
async fn env_updates_merge_rehash_and_guard_against_stale_hashes() {
    let sim = start().await;
    let (_, tenant) = create(&sim, "env-app").await;
    let (h0, _) = env(&sim, &tenant).await;
    assert!(h0.len() == 40 && h0.chars().all(|c| c.is_ascii_hexdigit()));
    let update = "mutation($t: uuid!, $h: String!, $e: [UpdateEnvObject!]!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: $e) { hash envVars } }";
    let d = data(&sim, update, json!({"t": tenant, "h": h0, "e": [{"key": "A", "value": "1"}, {"key": "B", "value": "2"}]})).await;
    let h1 = d["updateTenantEnv"]["hash"].as_str().unwrap().to_string();
    assert_ne!(h0, h1);
    // Merge: B changes, A stays, C is added.
    let d = data(&sim, update, json!({"t": tenant, "h": h1, "e": [{"key": "B", "value": "3"}, {"key": "C", "value": "4"}]})).await;
    let h2 = d["updateTenantEnv"]["hash"].as_str().unwrap().to_string();
    let vars = &d["updateTenantEnv"]["envVars"]["environment"];
    assert_eq!(
        (vars["A"].clone(), vars["B"].clone(), vars["C"].clone()),
        (json!("1"), json!("3"), json!("4"))
    );
    // The tenant's config hash is the same hash.
    let c = data(
        &sim,
        "query($t: uuid!) { tenant_by_pk(id: $t) { config { hash } } }",
        json!({"t": tenant}),
    )
    .await;
    assert_eq!(c["tenant_by_pk"]["config"]["hash"], h2.as_str());
    // Nothing changed.
    let (message, _) = error(
        &sim,
        update,
        json!({"t": tenant, "h": h2, "e": [{"key": "A", "value": "1"}]}),
    )
    .await;
    assert_eq!(message, cloud_sim::NOTHING_CHANGED);
    // A stale hash is refused and changes nothing.
    let (message, _) = error(
        &sim,
        update,
        json!({"t": tenant, "h": h1, "e": [{"key": "A", "value": "9"}]}),
    )
    .await;
    assert_eq!(message, cloud_sim::STALE_HASH);
    assert_eq!(env(&sim, &tenant).await.1["environment"]["A"], "1");

    let delete = "mutation($t: uuid!, $h: String!, $k: [String!]!) { deleteTenantEnv(tenantId: $t, currentHash: $h, deleteEnvs: $k) { hash envVars } }";
    let d = data(
        &sim,
        delete,
        json!({"t": tenant, "h": h2, "k": ["A", "NOT_SET"]}),
    )
    .await;
    let h3 = d["deleteTenantEnv"]["hash"].as_str().unwrap().to_string();
    assert!(
        d["deleteTenantEnv"]["envVars"]["environment"]
            .get("A")
            .is_none()
    );
    let (message, _) = error(
        &sim,
        delete,
        json!({"t": tenant, "h": h3, "k": ["NOT_SET"]}),
    )
    .await;
    assert_eq!(message, cloud_sim::NOTHING_CHANGED);
    let (message, _) = error(&sim, delete, json!({"t": tenant, "h": h0, "k": ["B"]})).await;
    assert_eq!(message, cloud_sim::STALE_HASH);
}

#[tokio::test]
async fn an_env_change_restarts_the_project() {
    let sim = start_with(SimConfig {
        restart: Duration::from_secs(8),
        ..Default::default()
    })
    .await;
    let seeded =
        sim.control()
            .seed_project("restarts", "aws", "us-east-2", "cloud_free", &[("A", "1")]);
    assert_eq!(health(&seeded.endpoint).await, 200);
    let (hash, _) = env(&sim, &seeded.tenant_id).await;
    data(
        &sim,
        "mutation($t: uuid!, $h: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{key: \"A\", value: \"2\"}]) { hash } }",
        json!({"t": seeded.tenant_id, "h": hash}),
    )
    .await;
    assert_eq!(health(&seeded.endpoint).await, 503);
    sim.control().advance(Duration::from_secs(5));
    assert_eq!(health(&seeded.endpoint).await, 503);
    sim.control().advance(Duration::from_secs(4));
    assert_eq!(health(&seeded.endpoint).await, 200);
}

#[tokio::test]
async fn flat_env_layout() {
    let sim = start_with(SimConfig {
        env_layout: EnvLayout::Flat,
        ..Default::default()
    })
    .await;
    let seeded =
        sim.control()
            .seed_project("flat", "aws", "us-east-2", "cloud_free", &[("KEY", "v")]);
    let (_, vars) = env(&sim, &seeded.tenant_id).await;
    assert_eq!(vars["KEY"], "v");
    assert!(vars.get("environment").is_none());
}

#[tokio::test]
async fn rename_delete_and_unknown_tenants() {
    let sim = start().await;
    let (project, tenant) = create(&sim, "before").await;
    let d = data(
        &sim,
        "mutation($t: uuid!) { updateTenantName(tenantId: $t, name: \"after\") { tenant_id tenant { slug project { name endpoint } } } }",
        json!({"t": tenant}),
    )
    .await;
    let renamed = &d["updateTenantName"];
    assert_eq!(renamed["tenant_id"], tenant.as_str());
    assert_eq!(renamed["tenant"]["slug"], "after");
    assert_eq!(renamed["tenant"]["project"]["name"], "after");
    assert!(
        renamed["tenant"]["project"]["endpoint"]
            .as_str()
            .unwrap()
            .ends_with("/p/after")
    );

    let d = data(
        &sim,
        "mutation($p: uuid!) { update_projects_by_pk(pk_columns: {id: $p}, _set: {name: \"fixed-name\"}) { id name } }",
        json!({"p": project}),
    )
    .await;
    assert_eq!(d["update_projects_by_pk"]["name"], "fixed-name");
    let (message, code) = error(
        &sim,
        "mutation($p: uuid!) { update_projects_by_pk(pk_columns: {id: $p}, _set: {plan_name: \"cloud_payg\"}) { id } }",
        json!({"p": project}),
    )
    .await;
    assert_eq!(code, "permission-error", "{message}");

    let d = data(
        &sim,
        "mutation($t: uuid!) { deleteTenant(tenantId: $t) { status } }",
        json!({"t": tenant}),
    )
    .await;
    assert_eq!(d["deleteTenant"]["status"], "deleted");
    let d = data(
        &sim,
        "query($p: uuid!, $t: uuid!) { projects_by_pk(id: $p) { id } tenant_by_pk(id: $t) { id } }",
        json!({"p": project, "t": tenant}),
    )
    .await;
    assert_eq!(d, json!({"projects_by_pk": null, "tenant_by_pk": null}));
    for q in [
        "mutation($t: uuid!) { deleteTenant(tenantId: $t) { status } }",
        "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }",
        "mutation($t: uuid!) { updateTenantName(tenantId: $t, name: \"x-y-z\") { tenant_id } }",
    ] {
        assert_eq!(
            error(&sim, q, json!({"t": tenant})).await,
            ("tenant not found".to_string(), "not-found".to_string())
        );
    }
}
