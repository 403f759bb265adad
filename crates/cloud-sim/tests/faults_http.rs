//! Injected faults as a client sees them on the wire, the control API, and the request log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;
use std::time::{Duration, Instant};

use cloud_sim::{FaultKind, FaultRule, SimConfig};
use common::*;
use serde_json::{Value, json};

const ENV_QUERY: &str = "query GetEnv($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }";

async fn send(
    sim: &cloud_sim::Simulator,
    query: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    common::http()
        .post(sim.graphql_url())
        .header("Authorization", format!("pat {TOKEN}"))
        .json(&json!({ "query": query, "variables": { "t": "7a79cf94-0e53-4520-a560-1b02bf522f08" } }))
        .send()
        .await
}

#[tokio::test]
async fn each_fault_kind_on_the_wire() {
    let sim = start().await;
    let c = sim.control();

    for status in [500, 502, 503] {
        c.add_fault(FaultRule::new(FaultKind::HttpError { status }).times(1));
        let r = send(&sim, ENV_QUERY).await.unwrap();
        assert_eq!(r.status().as_u16(), status);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(r.text().await.unwrap().contains("<html>"));
    }

    c.add_fault(
        FaultRule::new(FaultKind::RateLimited {
            retry_after_secs: 7,
        })
        .times(1),
    );
    let r = send(&sim, ENV_QUERY).await.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "7");

    c.add_fault(FaultRule::new(FaultKind::MalformedJson).times(1));
    let r = send(&sim, ENV_QUERY).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    c.add_fault(FaultRule::new(FaultKind::ServerError).times(1));
    let body: Value = send(&sim, ENV_QUERY).await.unwrap().json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GenericServerError"
    );
    assert!(uuid::Uuid::parse_str(body["errors"][0]["extensions"]["id"].as_str().unwrap()).is_ok());

    c.add_fault(FaultRule::new(FaultKind::DropConnection).times(1));
    let e = send(&sim, ENV_QUERY).await.unwrap_err();
    assert!(!e.is_timeout() && !e.is_status(), "{e:?}");

    c.add_fault(FaultRule::new(FaultKind::Latency { ms: 300 }).times(1));
    let started = Instant::now();
    let body: Value = send(&sim, ENV_QUERY).await.unwrap().json().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    // After the delay the request is answered as usual (here: an unknown tenant).
    assert_eq!(body["errors"][0]["message"], "tenant not found");

    // Every rule was used up: the next request is answered normally.
    assert_eq!(send(&sim, ENV_QUERY).await.unwrap().status(), 200);
}

#[tokio::test]
async fn faults_target_one_operation_by_root_field_or_operation_name() {
    let sim = start().await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 502 }).on("getTenantEnv"));
    assert_eq!(
        send(&sim, "{ projects { id } }").await.unwrap().status(),
        200
    );
    assert_eq!(send(&sim, ENV_QUERY).await.unwrap().status(), 502);
    sim.control().clear_faults();
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 503 }).on("ListThem"));
    assert_eq!(
        send(&sim, "query ListThem { projects { id } }")
            .await
            .unwrap()
            .status(),
        503
    );
    assert_eq!(
        send(&sim, "query Other { projects { id } }")
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn the_control_api_sets_and_clears_faults_and_counts_requests() {
    let sim = start().await;
    let http = common::http();
    let control = format!("{}/control", sim.base_url());
    let r = http
        .post(format!("{control}/faults"))
        .body(r#"{"kind":"http_error","status":502,"operation":"getTenantEnv","times":2}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let listed: Value = http
        .get(format!("{control}/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["kind"], "http_error");
    assert_eq!(send(&sim, ENV_QUERY).await.unwrap().status(), 502);
    let r = http
        .post(format!("{control}/faults"))
        .body(r#"{"kind":"nonsense"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    http.delete(format!("{control}/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(send(&sim, ENV_QUERY).await.unwrap().status(), 200);
    let stats: Value = http
        .get(format!("{control}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requests"], 2);
    let r = http
        .post(format!("{control}/advance"))
        .body(r#"{"ms": 1000}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn the_request_log_records_requests_with_secrets_masked() {
    let dir = std::env::temp_dir().join(format!("cloud-sim-log-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("requests.jsonl");
    let sim = start_with(SimConfig {
        request_log: Some(path.clone()),
        ..Default::default()
    })
    .await;
    let seeded = sim
        .control()
        .seed_project("logged", "aws", "us-east-2", "cloud_free", &[]);
    let (hash, _) = env(&sim, &seeded.tenant_id).await;
    data(
        &sim,
        "mutation Put($t: uuid!, $h: String!, $e: [UpdateEnvObject!]!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: $e) { hash } }",
        json!({"t": seeded.tenant_id, "h": hash, "e": [{"key": "DB_URL", "value": "postgres://user:very-secret-pw@db"}]}),
    )
    .await;
    post(
        &sim,
        Some("pat some-unknown-token"),
        json!({"query": "{ projects { id } }"}),
    )
    .await;
    let log = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["operationName"], "Put");
    assert_eq!(
        lines[1]["variables"]["e"][0],
        json!({"key": "DB_URL", "value": "<masked>"})
    );
    assert_eq!(lines[1]["token"], "accepted");
    assert_eq!(lines[2]["token"], "unknown");
    assert!(
        !log.contains(TOKEN)
            && !log.contains("very-secret-pw")
            && !log.contains("some-unknown-token")
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn drop_response_applies_the_change_but_loses_the_answer() {
    let sim = start().await;
    let seeded = sim
        .control()
        .seed_project("lost-answer", "aws", "us-east-2", "cloud_free", &[]);
    let (hash, _) = env(&sim, &seeded.tenant_id).await;
    sim.control().add_fault(
        FaultRule::new(FaultKind::DropResponse)
            .on("updateTenantEnv")
            .times(1),
    );
    let sent = common::http()
        .post(sim.graphql_url())
        .header("Authorization", format!("pat {TOKEN}"))
        .json(&json!({
            "query": "mutation($t: uuid!, $h: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{key: \"APPLIED\", value: \"yes\"}]) { hash } }",
            "variables": { "t": seeded.tenant_id, "h": hash },
        }))
        .send()
        .await;
    assert!(sent.is_err(), "the answer should be lost: {sent:?}");
    let (new_hash, vars) = env(&sim, &seeded.tenant_id).await;
    assert_ne!(new_hash, hash);
    assert_eq!(vars["environment"]["APPLIED"], "yes");
}
