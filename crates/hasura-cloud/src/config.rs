//! Client settings.

use std::time::Duration;

/// The production control-plane endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://data.pro.hasura.io/v1/graphql";

/// How a [`Client`](crate::Client) talks to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// GraphQL endpoint. Must be `https://`, except on a loopback host (the local simulator),
    /// because the access token travels in a header.
    pub endpoint: String,
    /// Limit for establishing a TCP + TLS connection.
    pub connect_timeout: Duration,
    /// Limit for one whole HTTP exchange, body included.
    pub request_timeout: Duration,
    /// Retries of read-only operations.
    pub retry: RetryPolicy,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Retries of queries after transient failures (network, timeout, HTTP 429, server errors).
/// Mutations are never retried: a mutation whose answer was lost may still have been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included (1 = no retries; 0 is treated as 1).
    pub max_attempts: u32,
    /// Ceiling of the first backoff; doubles with every retry.
    pub base_delay: Duration,
    /// Largest backoff ceiling.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the call fails with
    /// [`Error::RateLimited`](crate::Error::RateLimited) instead, so a person can decide.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}
