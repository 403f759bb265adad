//! The one error type of this crate. Messages are written for a person and never contain the
//! access token.

use std::time::Duration;

/// What went wrong with a call to Hasura Cloud.
///
/// For a **mutation**, `Network`, `Timeout` and `Server` mean the outcome is unknown: the change
/// may or may not have been applied. Mutations are never retried automatically; read the state
/// back before trying again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The API answered as if the root field did not exist. Hasura Cloud does this for an invalid,
    /// revoked or unauthorised token instead of an authentication error. It can also mean a valid
    /// token may not use this particular field (e.g. `region`); `field` names it.
    #[error("Hasura Cloud did not accept the access token{}", rejected_hint(.field.as_deref()))]
    TokenRejected {
        /// The root field the server said it does not know (none for an HTTP 401/403 answer).
        field: Option<String>,
    },

    /// An environment update that would not change anything (`nothing changed in config`).
    #[error("nothing to change: the environment variables already have these values")]
    NothingChanged,

    /// The hash sent with an environment change is no longer current: the variables were
    /// changed elsewhere after they were read.
    #[error(
        "the environment variables were changed elsewhere since they were loaded; reload them and try again ({message})"
    )]
    HashConflict {
        /// The server's wording.
        message: String,
    },

    /// The project, tenant or job does not exist (or is not visible to this token).
    #[error("{what} was not found (it may have been deleted)")]
    NotFound {
        /// What was looked for, e.g. `tenant 7a79cf94-…`.
        what: String,
    },

    /// The server refused the request as given.
    #[error("Hasura Cloud refused the request: {message}")]
    InvalidInput {
        /// The server's (or this client's) explanation.
        message: String,
    },

    /// HTTP 429.
    #[error("Hasura Cloud is limiting the rate of requests; {}", retry_hint(*.retry_after))]
    RateLimited {
        /// From the `Retry-After` header, when it was given in seconds.
        retry_after: Option<Duration>,
    },

    /// HTTP 5xx, or a GraphQL internal error (`GenericServerError`).
    #[error("Hasura Cloud had an internal problem{}: {message}", server_context(*.status, .request_id.as_deref()))]
    Server {
        /// HTTP status, when it was not 200.
        status: Option<u16>,
        /// GraphQL `extensions.code`, when there was one.
        code: Option<String>,
        /// Request id (GraphQL `extensions.id` or the `x-request-id` header) to quote to support.
        request_id: Option<String>,
        /// The server's wording, or a description of the HTTP answer.
        message: String,
    },

    /// The connection could not be made or broke off.
    #[error("could not reach Hasura Cloud: {message}")]
    Network {
        /// What happened, e.g. `connection refused`.
        message: String,
    },

    /// No complete answer within the configured time.
    #[error("Hasura Cloud did not answer in time")]
    Timeout,

    /// The answer was not what the API contract says (HTML instead of JSON, missing fields, …).
    #[error("Hasura Cloud sent an answer this app does not understand: {detail}")]
    UnexpectedResponse {
        /// What was wrong with it.
        detail: String,
    },
}

fn rejected_hint(field: Option<&str>) -> String {
    match field {
        Some(f) => format!(" (it may be invalid, revoked, or not allowed to use `{f}`)"),
        None => " (it may be invalid or revoked)".to_owned(),
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("try again in {} s", d.as_secs().max(1)),
        None => "try again in a little while".to_owned(),
    }
}

fn server_context(status: Option<u16>, request_id: Option<&str>) -> String {
    match (status, request_id) {
        (Some(s), Some(id)) => format!(" (HTTP {s}, request id {id})"),
        (Some(s), None) => format!(" (HTTP {s})"),
        (None, Some(id)) => format!(" (request id {id})"),
        (None, None) => String::new(),
    }
}

/// The variant of an [`Error`] without its data, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    TokenRejected,
    NothingChanged,
    HashConflict,
    NotFound,
    InvalidInput,
    RateLimited,
    Server,
    Network,
    Timeout,
    UnexpectedResponse,
}

impl Error {
    /// The variant, without data.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::TokenRejected { .. } => ErrorKind::TokenRejected,
            Error::NothingChanged => ErrorKind::NothingChanged,
            Error::HashConflict { .. } => ErrorKind::HashConflict,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Server { .. } => ErrorKind::Server,
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout => ErrorKind::Timeout,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
        }
    }

    /// True for failures that may pass if the same read is sent again.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::RateLimited | ErrorKind::Server
        )
    }

    pub(crate) fn unexpected(detail: impl Into<String>) -> Self {
        Error::UnexpectedResponse {
            detail: detail.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    /// Removes `secret` from every text this error carries (defence in depth: a server that echoes
    /// a token it was sent must not make us display it).
    pub(crate) fn scrubbed(self, secret: &str) -> Self {
        use crate::token::scrub;
        match self {
            Error::TokenRejected { field } => Error::TokenRejected {
                field: field.map(|f| scrub(&f, secret)),
            },
            Error::HashConflict { message } => Error::HashConflict {
                message: scrub(&message, secret),
            },
            Error::NotFound { what } => Error::NotFound {
                what: scrub(&what, secret),
            },
            Error::InvalidInput { message } => Error::InvalidInput {
                message: scrub(&message, secret),
            },
            Error::Server {
                status,
                code,
                request_id,
                message,
            } => Error::Server {
                status,
                code,
                request_id,
                message: scrub(&message, secret),
            },
            Error::Network { message } => Error::Network {
                message: scrub(&message, secret),
            },
            Error::UnexpectedResponse { detail } => Error::UnexpectedResponse {
                detail: scrub(&detail, secret),
            },
            other @ (Error::NothingChanged | Error::RateLimited { .. } | Error::Timeout) => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_well() {
        let e = Error::Server {
            status: Some(502),
            code: None,
            request_id: Some("abc".into()),
            message: "the server answered with an HTML page".into(),
        };
        assert_eq!(
            e.to_string(),
            "Hasura Cloud had an internal problem (HTTP 502, request id abc): the server answered with an HTML page"
        );
        assert_eq!(
            Error::RateLimited {
                retry_after: Some(Duration::from_secs(12))
            }
            .to_string(),
            "Hasura Cloud is limiting the rate of requests; try again in 12 s"
        );
        assert_eq!(
            Error::RateLimited { retry_after: None }.to_string(),
            "Hasura Cloud is limiting the rate of requests; try again in a little while"
        );
        assert_eq!(
            Error::not_found("tenant 1").to_string(),
            "tenant 1 was not found (it may have been deleted)"
        );
    }

    #[test]
    fn transient_kinds() {
        assert!(Error::Timeout.is_transient());
        assert!(Error::RateLimited { retry_after: None }.is_transient());
        assert!(!Error::NothingChanged.is_transient());
        assert!(!Error::invalid("x").is_transient());
        assert_eq!(Error::Timeout.kind(), ErrorKind::Timeout);
    }

    #[test]
    fn scrubbed_removes_secret() {
        let e = Error::invalid("bad github token ghp_abcdef123456").scrubbed("ghp_abcdef123456");
        assert_eq!(
            e,
            Error::InvalidInput {
                message: "bad github token <redacted>".into()
            }
        );
    }
}
