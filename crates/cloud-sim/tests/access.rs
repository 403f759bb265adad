//! Who may talk to a simulator bound to loopback: only requests that name a loopback host (a web
//! page reaching 127.0.0.1 through DNS rebinding names its own), and the control API only when
//! the configuration serves it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use cloud_sim::SimConfig;
use common::*;
use reqwest::StatusCode;

const QUERY: &str = r#"{"query":"{ projects { id } }"}"#;

async fn graphql_with_host(sim: &cloud_sim::Simulator, host: Option<&str>) -> StatusCode {
    let mut request = common::http()
        .post(sim.graphql_url())
        .header("authorization", format!("pat {TOKEN}"))
        .header("content-type", "application/json")
        .body(QUERY);
    if let Some(host) = host {
        request = request.header("host", host);
    }
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn a_foreign_host_is_refused_on_loopback() {
    let sim = start().await;
    let port = sim.addr().port();
    for host in [
        "attacker.example".to_owned(),
        format!("attacker.example:{port}"),
        format!("127.0.0.1.attacker.example:{port}"),
        format!("10.0.0.1:{port}"),
    ] {
        let status = graphql_with_host(&sim, Some(&host)).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{host}");
    }
    for host in [
        None,
        Some(format!("127.0.0.1:{port}")),
        Some(format!("localhost:{port}")),
        Some(format!("LOCALHOST:{port}")),
        Some("127.0.0.1".to_owned()),
        Some(format!("[::1]:{port}")),
    ] {
        let status = graphql_with_host(&sim, host.as_deref()).await;
        assert_eq!(status, StatusCode::OK, "{host:?}");
    }

    // The control API and the projects' endpoints too.
    let http = common::http();
    let stats = http
        .get(format!("{}/control/stats", sim.base_url()))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(stats.status(), StatusCode::MISDIRECTED_REQUEST);
    let health = http
        .get(format!("{}/healthz", sim.base_url()))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn the_control_api_is_a_switch() {
    let open = start().await;
    let http = common::http();
    let stats = http
        .get(format!("{}/control/stats", open.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(stats.status(), StatusCode::OK, "served by default");

    let closed = start_with(SimConfig {
        control_api: false,
        ..SimConfig::default()
    })
    .await;
    for (method, path) in [
        (reqwest::Method::GET, "faults"),
        (reqwest::Method::POST, "faults"),
        (reqwest::Method::DELETE, "faults"),
        (reqwest::Method::GET, "stats"),
        (reqwest::Method::POST, "advance"),
    ] {
        let response = http
            .request(
                method.clone(),
                format!("{}/control/{path}", closed.base_url()),
            )
            .body(r#"{"ms": 1000}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    // The API itself still answers.
    assert_eq!(graphql_with_host(&closed, None).await, StatusCode::OK);
}
