//! HTTP: one pooled connection set, the `Authorization: pat …` header, and bounded retries of
//! queries.

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{self, HeaderValue};
use serde_json::{Map, Value, json};

use crate::config::{ClientConfig, RetryPolicy};
use crate::documents::{Document, OperationKind};
use crate::error::Error;
use crate::response::{HttpAnswer, interpret};
use crate::retry::parse_retry_after;
use crate::token::Token;

const USER_AGENT: &str = concat!("hasura-cloud-desktop/", env!("CARGO_PKG_VERSION"));

/// Answers larger than this are refused rather than buffered.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Waits between attempts; replaceable so tests can record delays instead of sleeping.
pub(crate) type Sleep =
    Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

pub(crate) struct Transport {
    http: reqwest::Client,
    endpoint: Url,
    auth: HeaderValue,
    /// Kept only to scrub it from error texts.
    token: Token,
    retry: RetryPolicy,
    sleep: Sleep,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("endpoint", &self.endpoint.as_str())
            .field("token", &self.token)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(token: Token, config: &ClientConfig) -> Result<Self, Error> {
        let endpoint = checked_endpoint(&config.endpoint)?;
        if token.is_blank() {
            return Err(Error::invalid("no access token was given"));
        }
        let mut auth = HeaderValue::from_str(&format!("pat {}", token.expose_secret().trim()))
            .map_err(|_| {
                Error::invalid("the access token contains characters that cannot be sent over HTTP")
            })?;
        auth.set_sensitive(true);
        let http = crate::http::client_builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect would turn the POST into a GET and could carry the request elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Network {
                message: format!("the HTTP client could not be set up: {}", root_cause(&e)),
            })?;
        Ok(Self {
            http,
            endpoint,
            auth,
            token,
            retry: config.retry,
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
        })
    }

    pub(crate) fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    #[cfg(test)]
    pub(crate) fn set_sleep(&mut self, sleep: Sleep) {
        self.sleep = sleep;
    }

    /// Sends `document` with `variables` and returns the answer's `data` object. Queries are
    /// retried on transient failures; mutations are sent exactly once.
    pub(crate) async fn execute(
        &self,
        document: &Document,
        variables: Value,
    ) -> Result<Map<String, Value>, Error> {
        let body = serde_json::to_vec(&json!({
            "query": document.source,
            "variables": variables,
            "operationName": document.name,
        }))
        .map_err(|e| Error::invalid(format!("the request could not be encoded: {e}")))?;

        let attempts = match document.kind {
            OperationKind::Query => self.retry.attempts(),
            OperationKind::Mutation => 1,
        };
        let mut retry = 0u32;
        loop {
            let (result, retry_after) = self.attempt(document.name, &body).await;
            let error = match result {
                Ok(data) => return Ok(data),
                Err(error) => error.scrubbed(self.token.expose_secret()),
            };
            if retry + 1 >= attempts || !error.is_transient() {
                return Err(error);
            }
            let delay = match retry_after {
                Some(wait) if wait > self.retry.max_retry_after => return Err(error),
                Some(wait) => wait,
                None => self.retry.backoff(retry),
            };
            (self.sleep)(delay).await;
            retry += 1;
        }
    }

    /// One HTTP exchange, and its log line: the operation, the HTTP status, the time taken and,
    /// on failure, the error's kind — never the variables, the answer or the server's wording
    /// (either may carry a value). Also returns the `Retry-After` hint (it applies to 503s too).
    async fn attempt(
        &self,
        operation: &str,
        body: &[u8],
    ) -> (Result<Map<String, Value>, Error>, Option<Duration>) {
        let started = std::time::Instant::now();
        let (result, retry_after, status) = self.exchange(body).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(_) => tracing::info!(operation, status, ms, "request"),
            Err(error) => {
                let (code, request_id) = match error {
                    Error::Server {
                        code, request_id, ..
                    } => (code.as_deref(), request_id.as_deref()),
                    _ => (None, None),
                };
                // Our own wording (host and the OS's cause), not the server's.
                let network = match error {
                    Error::Network { message } => Some(message.as_str()),
                    _ => None,
                };
                tracing::warn!(
                    operation,
                    status,
                    ms,
                    kind = ?error.kind(),
                    code,
                    request_id,
                    network,
                    "request failed"
                );
            }
        }
        (result, retry_after)
    }

    /// The HTTP exchange itself; the status is `None` when no answer arrived.
    async fn exchange(
        &self,
        body: &[u8],
    ) -> (
        Result<Map<String, Value>, Error>,
        Option<Duration>,
        Option<u16>,
    ) {
        let sent = self
            .http
            .post(self.endpoint.clone())
            .header(header::AUTHORIZATION, self.auth.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(body.to_vec())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(e) => return (Err(self.transport_error(&e)), None, None),
        };
        let status = response.status().as_u16();
        let headers = response.headers();
        let retry_after = headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(128).collect::<String>());

        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                        return (
                            Err(Error::unexpected(format!(
                                "the answer is larger than {} MiB",
                                MAX_BODY_BYTES / (1024 * 1024)
                            ))),
                            None,
                            Some(status),
                        );
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return (Err(self.transport_error(&e)), retry_after, Some(status)),
            }
        }
        let result = interpret(HttpAnswer {
            status,
            retry_after,
            request_id: request_id.as_deref(),
            body: &bytes,
        });
        (result, retry_after, Some(status))
    }

    /// Our own wording plus the innermost cause (an OS or protocol message). reqwest's own
    /// `Display` is not used: it adds the URL, which says nothing new to a person.
    fn transport_error(&self, e: &reqwest::Error) -> Error {
        if e.is_timeout() {
            return Error::Timeout;
        }
        let host = self.endpoint.host_str().unwrap_or("the endpoint");
        let cause = root_cause(e);
        let message = if e.is_connect() {
            format!("could not connect to {host}: {cause}")
        } else if e.is_body() || e.is_decode() {
            // With compression on, a body cut short surfaces as a decode error, so both mean
            // "the answer did not arrive whole".
            format!("the connection broke off while the answer was arriving: {cause}")
        } else {
            format!("the request to {host} failed: {cause}")
        };
        Error::Network { message }
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// The endpoint must be https, except on a loopback address (the local simulator): the token
/// must not cross a network in clear text.
fn checked_endpoint(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::invalid(format!("the endpoint `{raw}` is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(Error::invalid(format!(
            "the endpoint `{raw}` uses plain http; the access token is only sent over https (or to this computer)"
        ))),
        other => Err(Error::invalid(format!(
            "the endpoint `{raw}` has the unsupported scheme `{other}`"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}
