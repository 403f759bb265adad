//! Retries, headers, timeouts and secrets over real HTTP.

use std::time::Duration;

use serde_json::json;

use super::canned::{Reply, Server};
use super::{PAT, client, client_with};
use crate::Client;
use crate::config::{ClientConfig, RetryPolicy};
use crate::documents;
use crate::error::{Error, ErrorKind};
use crate::ids::TenantId;
use crate::token::Token;

fn tenant() -> TenantId {
    "7a79cf94-0e53-4520-a560-1b02bf522f08".parse().unwrap()
}

fn env_answer() -> Reply {
    Reply::json(json!({"data": {"getTenantEnv": {"hash": "h1", "envVars": {"A": "1"}}}}))
}

fn delete_answer() -> Reply {
    Reply::json(json!({"data": {"deleteTenant": {"status": "deleted"}}}))
}

#[tokio::test]
async fn sends_pat_header_user_agent_and_variables_only() {
    let server = Server::start(vec![env_answer()]).await;
    let (client, _) = client(&server.url, RetryPolicy::default());
    client.get_env(tenant()).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert!(request.head.starts_with("POST /v1/graphql HTTP/1.1"));
    assert_eq!(request.header("authorization"), Some(format!("pat {PAT}")));
    assert_eq!(
        request.header("user-agent"),
        Some(format!(
            "hasura-cloud-desktop/{}",
            env!("CARGO_PKG_VERSION")
        ))
    );
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(request.body["operationName"], "GetTenantEnv");
    assert_eq!(request.body["query"], documents::GET_TENANT_ENV.source);
    assert_eq!(
        request.body["variables"],
        json!({"tenantId": "7a79cf94-0e53-4520-a560-1b02bf522f08"})
    );
}

#[tokio::test]
async fn query_is_retried_after_server_error() {
    let server = Server::start(vec![
        Reply::status(503, "<html>Service Unavailable</html>")
            .with_header("content-type", "text/html"),
        env_answer(),
    ])
    .await;
    let (client, slept) = client(&server.url, RetryPolicy::default());
    let env = client.get_env(tenant()).await.unwrap();
    assert_eq!(env.hash, "h1");
    assert_eq!(server.count(), 2);
    let slept = slept.lock().unwrap().clone();
    assert_eq!(slept.len(), 1);
    assert!(slept[0] <= Duration::from_millis(200));
}

#[tokio::test]
async fn query_is_retried_after_dropped_connection_and_generic_server_error() {
    let server = Server::start(vec![
        Reply::Drop,
        Reply::json(json!({"errors": [{"message": "there was an internal error while serving your request", "extensions": {"code": "GenericServerError", "id": "x"}}]})),
        env_answer(),
    ])
    .await;
    let (client, slept) = client(&server.url, RetryPolicy::default());
    client.get_env(tenant()).await.unwrap();
    assert_eq!(server.count(), 3);
    let slept = slept.lock().unwrap().clone();
    assert_eq!(slept.len(), 2);
    assert!(slept[1] <= Duration::from_millis(400));
}

#[tokio::test]
async fn mutation_is_never_retried() {
    for first in [
        Reply::status(503, "unavailable"),
        Reply::Drop,
        Reply::status(429, "").with_header("retry-after", "1"),
        Reply::json(
            json!({"errors": [{"message": "boom", "extensions": {"code": "GenericServerError"}}]}),
        ),
    ] {
        let server = Server::start(vec![first.clone(), delete_answer()]).await;
        let (client, slept) = client(&server.url, RetryPolicy::default());
        let err = client.delete_tenant(tenant()).await.unwrap_err();
        assert!(err.is_transient(), "{first:?} gave {err:?}");
        assert_eq!(server.count(), 1, "{first:?}");
        assert!(slept.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn retries_stop_after_max_attempts_with_growing_backoff() {
    let server = Server::start(vec![Reply::status(502, "<html>Bad Gateway</html>")]).await;
    let (client, slept) = client(&server.url, RetryPolicy::default());
    let err = client.list_projects().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: Some(502),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 4);
    let slept = slept.lock().unwrap().clone();
    assert_eq!(slept.len(), 3);
    let policy = RetryPolicy::default();
    for (n, d) in slept.iter().enumerate() {
        assert!(
            *d <= policy.backoff_ceiling(n as u32),
            "retry {n} waited {d:?}"
        );
    }
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Server::start(vec![
        Reply::status(429, "slow down").with_header("retry-after", "7"),
        Reply::json(json!({"data": {"projects": []}})),
    ])
    .await;
    let (client, slept) = client(&server.url, RetryPolicy::default());
    assert!(client.list_projects().await.unwrap().is_empty());
    assert_eq!(*slept.lock().unwrap(), vec![Duration::from_secs(7)]);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retry_after_on_503_is_honoured_too() {
    let server = Server::start(vec![
        Reply::status(503, "").with_header("retry-after", "2"),
        Reply::json(json!({"data": {"projects": []}})),
    ])
    .await;
    let (client, slept) = client(&server.url, RetryPolicy::default());
    client.list_projects().await.unwrap();
    assert_eq!(*slept.lock().unwrap(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn too_long_retry_after_gives_up_with_rate_limited() {
    let server = Server::start(vec![
        Reply::status(429, "").with_header("retry-after", "120"),
        Reply::json(json!({"data": {"projects": []}})),
    ])
    .await;
    let (client, slept) = client(&server.url, RetryPolicy::default());
    let err = client.list_projects().await.unwrap_err();
    assert_eq!(
        err,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert_eq!(server.count(), 1);
    assert!(slept.lock().unwrap().is_empty());
}

#[tokio::test]
async fn graphql_errors_are_not_retried() {
    let server = Server::start(vec![Reply::json(json!({"errors": [{
        "message": "field \"projects\" not found in type: 'query_root'",
        "extensions": {"code": "validation-failed", "path": "$.selectionSet.projects"}
    }]}))])
    .await;
    let (client, _) = client(&server.url, RetryPolicy::default());
    let err = client.list_projects().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenRejected);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = Server::start(vec![Reply::Hang]).await;
    let (client, _) = client_with(ClientConfig {
        endpoint: server.url.clone(),
        request_timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    });
    let err = client.list_projects().await.unwrap_err();
    assert_eq!(err, Error::Timeout);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn refused_connection_is_a_network_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1/graphql", listener.local_addr().unwrap());
    drop(listener);
    let (client, _) = client(&url, RetryPolicy::none());
    let err = client.list_projects().await.unwrap_err();
    let Error::Network { message } = &err else {
        panic!("expected Network, got {err:?}");
    };
    assert!(
        message.starts_with("could not connect to 127.0.0.1"),
        "{message}"
    );
    assert!(!err.to_string().contains(PAT));
}

#[tokio::test]
async fn truncated_body_is_a_network_error() {
    let server = Server::start(vec![Reply::Truncated]).await;
    let (client, _) = client(&server.url, RetryPolicy::none());
    let err = client.list_projects().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err:?}");
}

#[tokio::test]
async fn echoed_secrets_are_scrubbed() {
    let server = Server::start(vec![Reply::json(json!({"errors": [{
        "message": format!("token {PAT} and ghp_github_secret_token are not valid")
    }]}))])
    .await;
    let (client, _) = client(&server.url, RetryPolicy::none());
    let err = client.list_projects().await.unwrap_err();
    assert!(!err.to_string().contains(PAT), "{err}");
    assert!(!format!("{err:?}").contains(PAT));

    let request = crate::types::PreviewAppRequest {
        owner: "o".into(),
        repo: "r".into(),
        branch: "main".into(),
        directory: "hasura".into(),
        name: "pr-1".into(),
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: None,
        env: vec![],
    };
    let blank = client
        .create_preview_app(&Token::new(" \n".into()), &request)
        .await
        .unwrap_err();
    assert_eq!(blank.kind(), ErrorKind::InvalidInput, "{blank:?}");
    assert!(blank.to_string().contains("no GitHub token"), "{blank}");

    let github_token = Token::new("ghp_github_secret_token".into());
    let err = client
        .create_preview_app(&github_token, &request)
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("ghp_github_secret_token"), "{shown}");
    assert!(!shown.contains(PAT), "{shown}");
}

#[test]
fn constructor_rejects_bad_tokens_and_endpoints() {
    let new = |token: &str, endpoint: &str| {
        Client::new(
            Token::new(token.to_owned()),
            ClientConfig {
                endpoint: endpoint.to_owned(),
                ..ClientConfig::default()
            },
        )
    };
    let https = crate::config::DEFAULT_ENDPOINT;
    assert_eq!(
        new("  ", https).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let err = new("abc\ndef-secret", https).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(!err.to_string().contains("def-secret"));
    assert_eq!(
        new("t", "http://data.pro.hasura.io/v1/graphql")
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        new("t", "ftp://x/").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        new("t", "not a url").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    for ok in [
        https,
        "http://127.0.0.1:8080/v1/graphql",
        "http://localhost:1/v1/graphql",
        "http://[::1]:9/v1/graphql",
    ] {
        assert!(new("t", ok).is_ok(), "{ok}");
    }
}

#[test]
fn client_debug_hides_token() {
    let client = Client::new(Token::new(PAT.to_owned()), ClientConfig::default()).unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(PAT), "{shown}");
    assert!(shown.contains("data.pro.hasura.io"));
    let cloned = client.clone();
    assert_eq!(cloned.endpoint(), crate::config::DEFAULT_ENDPOINT);
}

#[tokio::test]
async fn surrounding_whitespace_of_token_is_not_sent() {
    let server = Server::start(vec![env_answer()]).await;
    let client = Client::new(
        Token::new(format!("  {PAT}\n")),
        ClientConfig {
            endpoint: server.url.clone(),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    client.get_env(tenant()).await.unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("pat {PAT}"))
    );
}
