//! HTTP: the API at `/v1/graphql`, each project's own endpoint under `/p/<slug>`, and a control
//! API for tests under `/control` (unless [`SimConfig::control_api`](crate::SimConfig) is off).
//! Bound to loopback, it answers only requests that name a loopback host: a web page that reaches
//! 127.0.0.1 through DNS rebinding names its own host, and is refused.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::faults::{FaultKind, FaultRule};
use crate::graphql::{Schemas, summarize};
use crate::state::SimState;
use crate::validate::{self, SchemaIndex};

#[derive(Clone)]
pub struct AppState {
    pub sim: Arc<SimState>,
    pub schemas: Arc<Schemas>,
}

/// Lets a handler close its own connection without answering.
#[derive(Clone)]
struct ConnectionKill(Arc<Notify>);

pub fn router(state: AppState) -> Router {
    let (control_api, loopback) = {
        let world = state.sim.world.read();
        (world.config.control_api, bound_to_loopback(&world.base_url))
    };
    let mut router = Router::new()
        .route("/v1/graphql", post(graphql))
        .route("/healthz", get(|| async { "OK" }))
        .route("/p/{slug}/healthz", get(project_health))
        .route("/p/{slug}/v1/graphql", post(project_graphql));
    if control_api {
        router = router
            .route(
                "/control/faults",
                get(list_faults).post(add_fault).delete(clear_faults),
            )
            .route("/control/stats", get(stats))
            .route("/control/advance", post(advance_clock))
            .route(
                "/control/custom-domains",
                post(crate::domains::control_dns_validation),
            )
            .route(
                "/control/maintenance",
                post(crate::domains::control_maintenance),
            );
    }
    if loopback {
        router = router.layer(middleware::from_fn(loopback_host_only));
    }
    router.with_state(state)
}

/// True when `base_url` (`http://<addr>`, see [`local_url`]) is on a loopback address.
fn bound_to_loopback(base_url: &str) -> bool {
    base_url
        .strip_prefix("http://")
        .and_then(|addr| addr.parse::<SocketAddr>().ok())
        .is_some_and(|addr| addr.ip().is_loopback())
}

/// True for a `Host` of `localhost`, 127.0.0.0/8 or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.starts_with(':') => {
                return ip.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
            }
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            Some(_) => return false,
            None => host,
        },
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses a request whose `Host` is not a loopback name (421, as for a request sent to the
/// wrong server); a request without one is refused too.
async fn loopback_host_only(request: Request, next: Next) -> Response {
    let host = match request.headers().get(header::HOST) {
        Some(value) => value.to_str().ok(),
        None => request.uri().host(),
    };
    if host.is_some_and(is_loopback_host) {
        return next.run(request).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        "This simulator answers only requests addressed to this computer (localhost, \
         127.0.0.1 or [::1]).",
    )
        .into_response()
}

/// Serves `router` on `listener` until `shutdown` is notified.
pub async fn serve(listener: TcpListener, router: Router, shutdown: Arc<Notify>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait and keep serving.
                Err(_) => { tokio::time::sleep(Duration::from_millis(10)).await; continue; }
            },
            _ = shutdown.notified() => return,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let conn_kill = ConnectionKill(kill.clone());
            let service = hyper::service::service_fn(
                move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(conn_kill.clone());
                    router.clone().oneshot(request)
                },
            );
            let connection = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                // Dropping the connection closes the socket with no response.
                _ = kill.notified() => {}
            }
        });
    }
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

fn html_page(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = status.as_u16();
    let body = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
    );
    (status, [(header::CONTENT_TYPE, "text/html")], body).into_response()
}

fn hasura_error(message: &str, code: &str, path: &str) -> Value {
    json!({ "errors": [{ "message": message, "extensions": { "path": path, "code": code } }] })
}

/// The token of `Authorization: pat <token>`, if the header has that shape.
fn pat(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("pat ")
}

async fn graphql(
    State(app): State<AppState>,
    kill: Option<axum::Extension<ConnectionKill>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.sim.count_request();
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return json_response(
                StatusCode::OK,
                &hasura_error("the request body is not a JSON object", "invalid-json", "$"),
            );
        }
    };
    let query = request
        .get("query")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let operation_name = request
        .get("operationName")
        .and_then(Value::as_str)
        .map(String::from);
    let variables = request.get("variables").cloned().unwrap_or(Value::Null);
    let token = pat(&headers);
    let authorized = token.is_some_and(|t| app.sim.tokens.iter().any(|accepted| accepted == t));
    let parsed = async_graphql::parser::parse_query(&query);
    let operation = summarize(parsed.as_ref().ok(), operation_name.as_deref());
    app.sim.log(&json!({
        "at": crate::table::timestamp(app.sim.clock.now()),
        "operationName": operation.name,
        "query": query,
        "variables": mask_secrets(&variables),
        "token": match (token, authorized) { (None, _) => "missing", (Some(_), true) => "accepted", (Some(_), false) => "unknown" },
    }));

    let decision = app
        .sim
        .faults
        .decide(operation.name.as_deref(), &operation.root_fields);
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    // Faults that spoil the answer of a request that ran come after it.
    let after_running = decision.runs_the_request();
    let fault = decision.fault;
    if let Some(fault) = fault.clone().filter(|_| !after_running) {
        return fault_response(fault, kill.map(|k| k.0)).await;
    }

    let Ok(document) = parsed else {
        return json_response(
            StatusCode::OK,
            &hasura_error("not a valid graphql query", "validation-failed", "$.query"),
        );
    };
    let variables = match variables {
        Value::Object(map) => map,
        Value::Null => serde_json::Map::new(),
        _ => {
            return json_response(
                StatusCode::OK,
                &hasura_error(
                    "variables must be a JSON object",
                    "validation-failed",
                    "$.variables",
                ),
            );
        }
    };
    app.sim.advance();
    let (schema, index) = if authorized {
        (&app.schemas.full, &app.schemas.full_index)
    } else {
        (&app.schemas.reduced, &app.schemas.reduced_index)
    };
    let gql_request = match prepare(index, document, operation_name, variables) {
        Ok(request) => request,
        Err(rejection) => return json_response(StatusCode::OK, &rejection.body()),
    };
    let response = schema.execute(gql_request).await;
    match fault {
        Some(FaultKind::DropResponse) => {
            return fault_response(FaultKind::DropConnection, kill.map(|k| k.0)).await;
        }
        Some(FaultKind::LoseAnswer { status, delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            return fault_response(FaultKind::HttpError { status }, None).await;
        }
        _ => {}
    }
    if response.errors.is_empty() {
        let data = response.data.into_json().unwrap_or(Value::Null);
        return json_response(StatusCode::OK, &json!({ "data": data }));
    }
    let errors: Vec<Value> = response.errors.iter().map(hasura_style).collect();
    json_response(StatusCode::OK, &json!({ "errors": errors }))
}

/// Validates a request as graphql-engine would and, if it passes, makes it ready for
/// async-graphql (parsed once).
fn prepare(
    index: &SchemaIndex,
    document: async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<String>,
    variables: serde_json::Map<String, Value>,
) -> Result<async_graphql::Request, validate::Rejection> {
    validate::check(index, &document, operation_name.as_deref(), &variables)?;
    let mut request = async_graphql::Request::new(String::new()).variables(
        async_graphql::Variables::from_json(Value::Object(variables)),
    );
    if let Some(name) = operation_name {
        request = request.operation_name(name);
    }
    request.set_parsed_query(document);
    Ok(request)
}

/// Rewrites an async-graphql error in the shape Hasura answers with.
fn hasura_style(error: &async_graphql::ServerError) -> Value {
    let ext = error.extensions.as_ref();
    let code = ext
        .and_then(|e| e.get("code"))
        .and_then(|c| c.clone().into_json().ok())
        .and_then(|c| c.as_str().map(String::from))
        .unwrap_or_else(|| "validation-failed".to_string());
    let mut message = error.message.clone();
    let mut path = "$".to_string();
    // async-graphql: `Unknown field "projects" on type "query_root".` → Hasura's wording.
    if let Some(rest) = error.message.strip_prefix("Unknown field \"")
        && let Some((field, rest)) = rest.split_once('"')
        && let Some(rest) = rest.strip_prefix(" on type \"")
        && let Some((ty, _)) = rest.split_once('"')
    {
        message = format!("field \"{field}\" not found in type: '{ty}'");
        path = format!("$.selectionSet.{field}");
    }
    let mut extensions = json!({ "path": path, "code": code });
    if let Some(id) = ext
        .and_then(|e| e.get("id"))
        .and_then(|v| v.clone().into_json().ok())
    {
        extensions["id"] = id;
    }
    json!({ "message": message, "extensions": extensions })
}

async fn fault_response(fault: FaultKind, kill: Option<ConnectionKill>) -> Response {
    match fault {
        // Latency only delays and behaviour faults belong to their action (`decide` leaves
        // both out): neither answers by itself.
        FaultKind::Latency { .. }
        | FaultKind::IgnoreProjectName
        | FaultKind::DuplicatePreviewApp
        | FaultKind::PreviewCreationError
        | FaultKind::RetriedCreation
        | FaultKind::SecondWriter
        | FaultKind::BrokenRestart => html_page(StatusCode::INTERNAL_SERVER_ERROR),
        FaultKind::HttpError { status } | FaultKind::LoseAnswer { status, .. } => {
            html_page(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY))
        }
        FaultKind::RateLimited { retry_after_secs } => {
            let mut response = html_page(StatusCode::TOO_MANY_REQUESTS);
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        FaultKind::MalformedJson => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"data":{"projects":[{"id":"7a79cf94-0e53-4520-a560-1b02bf"#,
        )
            .into_response(),
        FaultKind::ServerError => json_response(
            StatusCode::OK,
            &json!({ "errors": [{
                "message": "there was an internal error while serving your request",
                "extensions": { "code": "GenericServerError", "id": uuid::Uuid::new_v4().to_string() },
            }]}),
        ),
        FaultKind::DropConnection | FaultKind::DropResponse => match kill {
            Some(kill) => {
                kill.0.notify_one();
                std::future::pending::<Response>().await
            }
            None => html_page(StatusCode::BAD_GATEWAY),
        },
    }
}

/// Env values and anything named like a token or secret never reach the log.
fn mask_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let is_env_pair = map.contains_key("key") && map.contains_key("value");
            Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let lower = k.to_ascii_lowercase();
                        let secret = lower.contains("token")
                            || lower.contains("secret")
                            || lower.contains("password");
                        let masked = if secret || (is_env_pair && k == "value") {
                            json!("<masked>")
                        } else {
                            mask_secrets(v)
                        };
                        (k.clone(), masked)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(mask_secrets).collect()),
        other => other.clone(),
    }
}

async fn project_health(State(app): State<AppState>, Path(slug): Path<String>) -> Response {
    app.sim.advance();
    let now = app.sim.clock.now();
    match app.sim.world.read().healthy(&slug, now) {
        Some(true) => (StatusCode::OK, "OK").into_response(),
        Some(false) => (StatusCode::SERVICE_UNAVAILABLE, "ERROR").into_response(),
        None => (StatusCode::NOT_FOUND, "no project here").into_response(),
    }
}

/// A project's own GraphQL endpoint: it answers as Hasura does to a role without permissions.
async fn project_graphql(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    app.sim.advance();
    let now = app.sim.clock.now();
    match app.sim.world.read().healthy(&slug, now) {
        Some(true) => {}
        Some(false) => return html_page(StatusCode::SERVICE_UNAVAILABLE),
        None => return (StatusCode::NOT_FOUND, "no project here").into_response(),
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let query = request
        .get("query")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return json_response(
            StatusCode::OK,
            &hasura_error("not a valid graphql query", "validation-failed", "$.query"),
        );
    };
    let variables = match request.get("variables") {
        Some(Value::Object(map)) => map.clone(),
        _ => serde_json::Map::new(),
    };
    let operation_name = request
        .get("operationName")
        .and_then(Value::as_str)
        .map(String::from);
    let gql_request = match prepare(
        &app.schemas.reduced_index,
        document,
        operation_name,
        variables,
    ) {
        Ok(request) => request,
        Err(rejection) => return json_response(StatusCode::OK, &rejection.body()),
    };
    let response = app.schemas.reduced.execute(gql_request).await;
    if response.errors.is_empty() {
        return json_response(
            StatusCode::OK,
            &json!({ "data": response.data.into_json().unwrap_or(Value::Null) }),
        );
    }
    let errors: Vec<Value> = response.errors.iter().map(hasura_style).collect();
    json_response(StatusCode::OK, &json!({ "errors": errors }))
}

async fn list_faults(State(app): State<AppState>) -> Response {
    json_response(StatusCode::OK, &json!(app.sim.faults.list()))
}

async fn add_fault(State(app): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            app.sim.faults.add(rule);
            json_response(
                StatusCode::OK,
                &json!({ "faults": app.sim.faults.list().len() }),
            )
        }
        Err(e) => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": format!("not a fault rule: {e}") }),
        ),
    }
}

async fn clear_faults(State(app): State<AppState>) -> Response {
    app.sim.faults.clear();
    json_response(StatusCode::OK, &json!({ "faults": 0 }))
}

async fn stats(State(app): State<AppState>) -> Response {
    let world = app.sim.world.read();
    json_response(
        StatusCode::OK,
        &json!({
            "requests": app.sim.request_count(),
            "projects": world.tables.rows("projects").len(),
            "jobs": world.tables.rows("jobs").len(),
        }),
    )
}

async fn advance_clock(State(app): State<AppState>, body: Bytes) -> Response {
    let ms = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("ms").and_then(Value::as_u64));
    match ms {
        Some(ms) => {
            app.sim.clock.advance(Duration::from_millis(ms));
            app.sim.advance();
            json_response(
                StatusCode::OK,
                &json!({ "now": crate::table::timestamp(app.sim.clock.now()) }),
            )
        }
        None => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": "expected {\"ms\": <milliseconds>}" }),
        ),
    }
}

pub fn local_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "LocalHost:4000",
            "127.0.0.1",
            "127.0.0.1:4000",
            "127.8.9.10:1",
            "[::1]",
            "[::1]:4000",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "",
            "attacker.example",
            "localhost.attacker.example:4000",
            "127.0.0.1.nip.io",
            "10.0.0.1:4000",
            "[::2]:4000",
            "[::1]x",
            "localhost:http",
            "::1",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
        assert!(bound_to_loopback("http://127.0.0.1:4000"));
        assert!(bound_to_loopback("http://[::1]:4000"));
        assert!(!bound_to_loopback("http://0.0.0.0:4000"));
    }
}
