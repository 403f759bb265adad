//! Talking to a simulator over real HTTP, as any GraphQL client would.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cloud_sim::{SimConfig, Simulator};
use serde_json::{Value, json};

pub const TOKEN: &str = "test-pat-not-a-real-token";

pub async fn start() -> Simulator {
    start_with(SimConfig::default()).await
}

/// A simulator with a manual clock, so time-driven behaviour is tested without sleeping.
pub async fn start_with(config: SimConfig) -> Simulator {
    let config = SimConfig {
        tokens: vec![TOKEN.to_string()],
        manual_clock: true,
        ..config
    };
    Simulator::start(config).await.unwrap()
}

/// An HTTP client. reqwest has no TLS provider of its own in this workspace (the app installs
/// ring through `hasura_cloud::http`); plain http:// needs one all the same, so install ring here.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    #[allow(clippy::disallowed_methods)] // the simulator's tests do not depend on hasura-cloud
    reqwest::Client::new()
}

pub async fn post(sim: &Simulator, auth: Option<&str>, body: Value) -> reqwest::Response {
    let mut request = http().post(sim.graphql_url()).json(&body);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    request.send().await.unwrap()
}

/// Sends a query with the accepted token and returns the whole JSON body (HTTP 200 asserted).
pub async fn gql(sim: &Simulator, query: &str, variables: Value) -> Value {
    let response = post(
        sim,
        Some(&format!("pat {TOKEN}")),
        json!({ "query": query, "variables": variables }),
    )
    .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Like `gql`, asserting success and returning `data`.
pub async fn data(sim: &Simulator, query: &str, variables: Value) -> Value {
    let body = gql(sim, query, variables).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"].clone()
}

/// Like `gql`, asserting one error and returning (message, code).
pub async fn error(sim: &Simulator, query: &str, variables: Value) -> (String, String) {
    let body = gql(sim, query, variables).await;
    assert!(
        body.get("data").is_none(),
        "errors come without data: {body}"
    );
    let e = &body["errors"][0];
    (
        e["message"].as_str().unwrap().to_string(),
        e["extensions"]["code"].as_str().unwrap().to_string(),
    )
}

pub async fn create(sim: &Simulator, name: &str) -> (String, String) {
    let d = data(
        sim,
        "mutation($name: String!) { createTenant(cloud: \"aws\", region: \"us-east-2\", name: $name) { id name } }",
        json!({ "name": name }),
    )
    .await;
    let tenant_id = d["createTenant"]["id"].as_str().unwrap().to_string();
    let t = data(
        sim,
        "query($id: uuid!) { tenant_by_pk(id: $id) { project_id } }",
        json!({ "id": tenant_id }),
    )
    .await;
    (
        t["tenant_by_pk"]["project_id"]
            .as_str()
            .unwrap()
            .to_string(),
        tenant_id,
    )
}

pub async fn env(sim: &Simulator, tenant: &str) -> (String, Value) {
    let d = data(
        sim,
        "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash envVars } }",
        json!({ "t": tenant }),
    )
    .await;
    (
        d["getTenantEnv"]["hash"].as_str().unwrap().to_string(),
        d["getTenantEnv"]["envVars"].clone(),
    )
}

pub async fn health(url: &str) -> u16 {
    http()
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
