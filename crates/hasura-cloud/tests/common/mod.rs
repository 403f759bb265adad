//! Helpers shared by the client's tests against the local simulator (`cloud-sim`), over real HTTP
//! on loopback.
//!
//! Each test starts its own simulator with a manual clock, so request counts
//! (`control().request_count()`) are exact and preview-app jobs move only when told.

#![allow(dead_code)] // each test file uses a different part

use std::time::Duration;

use cloud_sim::{SimConfig, Simulator};
use hasura_cloud::{
    Client, ClientConfig, EnvValue, NewProject, PreviewAppRequest, ProjectId, RetryPolicy,
    TenantEnv, TenantId, Token,
};

pub const TOKEN: &str = "it-pat-0123456789abcdef";

pub async fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(SimConfig {
        tokens: vec![TOKEN.to_owned()],
        manual_clock: true,
        ..config
    })
    .await
    .unwrap()
}

pub async fn sim() -> Simulator {
    sim_with(SimConfig::default()).await
}

/// Three attempts with millisecond backoff, so retry tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
    }
}

pub fn config(sim: &Simulator, request_timeout: Duration, retry: RetryPolicy) -> ClientConfig {
    ClientConfig {
        endpoint: sim.graphql_url(),
        connect_timeout: Duration::from_secs(2),
        request_timeout,
        retry,
    }
}

pub fn client_for(
    sim: &Simulator,
    token: &str,
    request_timeout: Duration,
    retry: RetryPolicy,
) -> Client {
    Client::new(
        Token::new(token.to_owned()),
        config(sim, request_timeout, retry),
    )
    .unwrap()
}

pub fn client(sim: &Simulator) -> Client {
    client_for(sim, TOKEN, Duration::from_secs(5), fast_retry())
}

/// A settled project put straight into the simulator; returns (project id, tenant id).
pub fn seed(sim: &Simulator, name: &str, envs: &[(&str, &str)]) -> (ProjectId, TenantId) {
    let p = sim
        .control()
        .seed_project(name, "aws", "us-east-2", "cloud_payg", envs);
    (p.project_id.parse().unwrap(), p.tenant_id.parse().unwrap())
}

pub fn random_tenant() -> TenantId {
    TenantId::new(uuid::Uuid::new_v4())
}

pub fn random_project() -> ProjectId {
    ProjectId::new(uuid::Uuid::new_v4())
}

pub fn assert_hash(hash: &str) {
    assert_eq!(hash.len(), 40, "hash {hash:?}");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "hash {hash:?}");
}

/// (key, text) of every variable, in server order.
pub fn pairs(env: &TenantEnv) -> Vec<(String, String)> {
    env.vars
        .iter()
        .map(|v| (v.key.clone(), v.value.text.clone()))
        .collect()
}

pub fn s(text: &str) -> Option<EnvValue> {
    Some(EnvValue::string(text))
}

pub fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub fn new_project(name: Option<&str>, region: &str) -> NewProject {
    NewProject {
        cloud: "aws".into(),
        region: region.into(),
        name: name.map(str::to_owned),
        plan: None,
        envs: vec![],
    }
}

/// The GitHub token the preview-app tests send.
pub fn github_token() -> Token {
    Token::new("ghp_integration_test_token".into())
}

pub fn preview_request(name: &str, branch: &str) -> PreviewAppRequest {
    PreviewAppRequest {
        owner: "acme".into(),
        repo: "shop".into(),
        branch: branch.into(),
        directory: "hasura".into(),
        name: name.into(),
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: Some("cloud_free".into()),
        env: vec![("PREVIEW".into(), "yes".into())],
    }
}

/// Runs `f` and returns its result with the number of HTTP requests it made.
pub async fn counted<T>(sim: &Simulator, f: impl std::future::Future<Output = T>) -> (T, u64) {
    let before = sim.control().request_count();
    let out = f.await;
    (out, sim.control().request_count() - before)
}
