//! The one error type that crosses the IPC boundary, serialized as `{ kind, message, ...details }`.
//! Messages are sentences for the person using the app and never contain a token.

use serde::Serialize;

/// Everything that can go wrong in a command. The `kind` tag is what the UI branches on; the
/// `message` is shown as written.
#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error, PartialEq)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AppError {
    /// Hasura Cloud did not accept the access token (invalid, revoked, or not allowed).
    #[error("{message}")]
    TokenRejected { message: String },
    /// The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager) could not be
    /// used; the UI offers a session-only sign-in.
    #[error("{message}")]
    KeychainUnavailable { message: String },
    /// No profile is active, or the active one has no token.
    #[error("{message}")]
    NotSignedIn { message: String },
    #[error("{message}")]
    Network { message: String },
    #[error("{message}")]
    Timeout { message: String },
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: Option<u32>,
    },
    /// Someone else changed the same thing meanwhile (a stale env hash).
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    NothingChanged { message: String },
    #[error("{message}")]
    NotFound { message: String },
    /// `field` names the form field: `name`, `region`, `cloud`, `plan`, `endpoint`, `token`,
    /// `confirmName`, `envs`, `profileName` (and `color`).
    #[error("{message}")]
    InvalidInput {
        message: String,
        field: Option<String>,
    },
    #[error("{message}")]
    Server {
        message: String,
        code: Option<String>,
        request_id: Option<String>,
    },
    /// A fault of this app (a task that died, a settings file that cannot be written, …).
    #[error("{message}")]
    Internal { message: String },
}

impl AppError {
    /// `invalidInput` for a form field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::InvalidInput {
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound {
            message: message.into(),
        }
    }

    pub fn not_signed_in(message: impl Into<String>) -> Self {
        AppError::NotSignedIn {
            message: message.into(),
        }
    }

    pub fn keychain(message: impl Into<String>) -> Self {
        AppError::KeychainUnavailable {
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError::Internal {
            message: message.into(),
        }
    }

    /// The wire name of the variant (`tokenRejected`, `invalidInput`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::TokenRejected { .. } => "tokenRejected",
            AppError::KeychainUnavailable { .. } => "keychainUnavailable",
            AppError::NotSignedIn { .. } => "notSignedIn",
            AppError::Network { .. } => "network",
            AppError::Timeout { .. } => "timeout",
            AppError::RateLimited { .. } => "rateLimited",
            AppError::Conflict { .. } => "conflict",
            AppError::NothingChanged { .. } => "nothingChanged",
            AppError::NotFound { .. } => "notFound",
            AppError::InvalidInput { .. } => "invalidInput",
            AppError::Server { .. } => "server",
            AppError::Internal { .. } => "internal",
        }
    }

    /// The message shown to the person.
    pub fn message(&self) -> &str {
        match self {
            AppError::TokenRejected { message }
            | AppError::KeychainUnavailable { message }
            | AppError::NotSignedIn { message }
            | AppError::Network { message }
            | AppError::Timeout { message }
            | AppError::RateLimited { message, .. }
            | AppError::Conflict { message }
            | AppError::NothingChanged { message }
            | AppError::NotFound { message }
            | AppError::InvalidInput { message, .. }
            | AppError::Server { message, .. }
            | AppError::Internal { message } => message,
        }
    }

    /// Maps a client error; a server-side refusal of the input gets the form field its message
    /// is about, e.g. `a project named "x" already exists` → `name`. The earliest mention (at
    /// the start of a word) of one of `fields` wins.
    pub(crate) fn from_client_for_fields(error: hasura_cloud::Error, fields: &[&str]) -> Self {
        let hint = match &error {
            hasura_cloud::Error::InvalidInput { message } => field_mentioned(message, fields),
            _ => None,
        };
        match AppError::from(error) {
            AppError::InvalidInput {
                message,
                field: None,
            } => AppError::InvalidInput {
                message,
                field: hint,
            },
            other => other,
        }
    }
}

/// The first of `fields` that `message` mentions at the start of a word.
fn field_mentioned(message: &str, fields: &[&str]) -> Option<String> {
    let lower = message.to_lowercase();
    fields
        .iter()
        .filter_map(|field| {
            lower
                .match_indices(&field.to_lowercase())
                .map(|(at, _)| at)
                .find(|&at| {
                    lower[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
                })
                .map(|at| (at, *field))
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, field)| field.to_owned())
}

/// Upper-cases the first letter and ends the text with a full stop.
pub(crate) fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl From<hasura_cloud::Error> for AppError {
    fn from(error: hasura_cloud::Error) -> Self {
        use hasura_cloud::Error as E;
        match error {
            E::TokenRejected { field: None } => AppError::TokenRejected {
                message: "Hasura Cloud rejected this token. It may have been deleted — create a \
                          new one under My Account → Access Tokens."
                    .to_owned(),
            },
            E::TokenRejected { field: Some(field) } => AppError::TokenRejected {
                message: format!(
                    "Hasura Cloud rejected this token (it answered as if `{field}` did not \
                     exist). The token may have been deleted, or it may not be allowed to do \
                     this — create a new one under My Account → Access Tokens."
                ),
            },
            E::NothingChanged => AppError::NothingChanged {
                message: "Nothing to change: the environment variables already have these values."
                    .to_owned(),
            },
            E::HashConflict { message } => AppError::Conflict {
                message: format!(
                    "The environment variables were changed elsewhere since they were loaded. \
                     Reload them and try again. (Hasura Cloud said: {message})"
                ),
            },
            e @ E::NotFound { .. } => AppError::NotFound {
                message: sentence(&e.to_string()),
            },
            E::InvalidInput { message } => AppError::InvalidInput {
                message: sentence(&format!("Hasura Cloud refused the request: {message}")),
                field: None,
            },
            E::RateLimited { retry_after } => {
                let secs =
                    retry_after.map(|d| u32::try_from(d.as_secs().max(1)).unwrap_or(u32::MAX));
                let when = match secs {
                    Some(1) => "in a second".to_owned(),
                    Some(s) => format!("in {s} seconds"),
                    None => "in a little while".to_owned(),
                };
                AppError::RateLimited {
                    message: format!(
                        "Hasura Cloud is limiting how often this account may send requests. Try \
                         again {when}."
                    ),
                    retry_after_secs: secs,
                }
            }
            E::Server {
                status,
                code,
                request_id,
                message,
            } => {
                let status = status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                let quote = request_id
                    .as_deref()
                    .map(|id| {
                        format!(" If it keeps happening, quote request id {id} to Hasura support.")
                    })
                    .unwrap_or_default();
                AppError::Server {
                    message: format!(
                        "Hasura Cloud had an internal problem{status}: {}. Try again in a \
                         moment.{quote}",
                        message.trim_end_matches('.')
                    ),
                    code,
                    request_id,
                }
            }
            E::Network { message } => AppError::Network {
                message: format!(
                    "Could not reach Hasura Cloud. Check your internet connection and the \
                     profile's endpoint. ({message})"
                ),
            },
            E::Timeout => AppError::Timeout {
                message: "Hasura Cloud did not answer in time. Check your connection and try \
                          again."
                    .to_owned(),
            },
            E::UnexpectedResponse { detail } => AppError::Server {
                message: format!(
                    "The server sent an answer this app does not understand ({detail}). Check \
                     that the profile's endpoint is a Hasura Cloud API address."
                ),
                code: None,
                request_id: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    /// The wire shape of every kind, exactly. The UI and the generated bindings rely on it.
    #[test]
    fn wire_shape_of_every_kind() {
        let m = || "m".to_owned();
        let cases = [
            (
                AppError::TokenRejected { message: m() },
                json!({"kind": "tokenRejected", "message": "m"}),
            ),
            (
                AppError::KeychainUnavailable { message: m() },
                json!({"kind": "keychainUnavailable", "message": "m"}),
            ),
            (
                AppError::NotSignedIn { message: m() },
                json!({"kind": "notSignedIn", "message": "m"}),
            ),
            (
                AppError::Network { message: m() },
                json!({"kind": "network", "message": "m"}),
            ),
            (
                AppError::Timeout { message: m() },
                json!({"kind": "timeout", "message": "m"}),
            ),
            (
                AppError::RateLimited {
                    message: m(),
                    retry_after_secs: Some(30),
                },
                json!({"kind": "rateLimited", "message": "m", "retryAfterSecs": 30}),
            ),
            (
                AppError::RateLimited {
                    message: m(),
                    retry_after_secs: None,
                },
                json!({"kind": "rateLimited", "message": "m", "retryAfterSecs": null}),
            ),
            (
                AppError::Conflict { message: m() },
                json!({"kind": "conflict", "message": "m"}),
            ),
            (
                AppError::NothingChanged { message: m() },
                json!({"kind": "nothingChanged", "message": "m"}),
            ),
            (
                AppError::NotFound { message: m() },
                json!({"kind": "notFound", "message": "m"}),
            ),
            (
                AppError::InvalidInput {
                    message: m(),
                    field: Some("confirmName".into()),
                },
                json!({"kind": "invalidInput", "message": "m", "field": "confirmName"}),
            ),
            (
                AppError::InvalidInput {
                    message: m(),
                    field: None,
                },
                json!({"kind": "invalidInput", "message": "m", "field": null}),
            ),
            (
                AppError::Server {
                    message: m(),
                    code: Some("GenericServerError".into()),
                    request_id: Some("req-1".into()),
                },
                json!({"kind": "server", "message": "m", "code": "GenericServerError", "requestId": "req-1"}),
            ),
            (
                AppError::Internal { message: m() },
                json!({"kind": "internal", "message": "m"}),
            ),
        ];
        for (error, expected) in cases {
            let value = serde_json::to_value(&error).unwrap();
            assert_eq!(value, expected, "{error:?}");
            assert_eq!(value["kind"], error.kind());
            assert_eq!(error.to_string(), "m");
            assert_eq!(error.message(), "m");
        }
    }

    /// Every error of the client maps to a kind of the spec, with a message for people.
    #[test]
    fn every_client_error_maps_to_a_kind() {
        use hasura_cloud::Error as E;
        let cases: Vec<(E, serde_json::Value)> = vec![
            (
                E::TokenRejected { field: None },
                json!({"kind": "tokenRejected", "message": "Hasura Cloud rejected this token. It may have been deleted — create a new one under My Account → Access Tokens."}),
            ),
            (
                E::TokenRejected {
                    field: Some("region".into()),
                },
                json!({"kind": "tokenRejected", "message": "Hasura Cloud rejected this token (it answered as if `region` did not exist). The token may have been deleted, or it may not be allowed to do this — create a new one under My Account → Access Tokens."}),
            ),
            (
                E::NothingChanged,
                json!({"kind": "nothingChanged", "message": "Nothing to change: the environment variables already have these values."}),
            ),
            (
                E::HashConflict {
                    message: "config hash mismatch".into(),
                },
                json!({"kind": "conflict", "message": "The environment variables were changed elsewhere since they were loaded. Reload them and try again. (Hasura Cloud said: config hash mismatch)"}),
            ),
            (
                E::NotFound {
                    what: "tenant 7a79cf94".into(),
                },
                json!({"kind": "notFound", "message": "Tenant 7a79cf94 was not found (it may have been deleted)."}),
            ),
            (
                E::InvalidInput {
                    message: "a project named \"x\" already exists".into(),
                },
                json!({"kind": "invalidInput", "message": "Hasura Cloud refused the request: a project named \"x\" already exists.", "field": null}),
            ),
            (
                E::RateLimited {
                    retry_after: Some(Duration::from_secs(30)),
                },
                json!({"kind": "rateLimited", "message": "Hasura Cloud is limiting how often this account may send requests. Try again in 30 seconds.", "retryAfterSecs": 30}),
            ),
            (
                E::RateLimited { retry_after: None },
                json!({"kind": "rateLimited", "message": "Hasura Cloud is limiting how often this account may send requests. Try again in a little while.", "retryAfterSecs": null}),
            ),
            (
                E::Server {
                    status: Some(502),
                    code: None,
                    request_id: Some("abc".into()),
                    message: "the server answered with an HTML page".into(),
                },
                json!({"kind": "server", "message": "Hasura Cloud had an internal problem (HTTP 502): the server answered with an HTML page. Try again in a moment. If it keeps happening, quote request id abc to Hasura support.", "code": null, "requestId": "abc"}),
            ),
            (
                E::Server {
                    status: None,
                    code: Some("GenericServerError".into()),
                    request_id: None,
                    message: "internal error.".into(),
                },
                json!({"kind": "server", "message": "Hasura Cloud had an internal problem: internal error. Try again in a moment.", "code": "GenericServerError", "requestId": null}),
            ),
            (
                E::Network {
                    message: "could not connect to 127.0.0.1: connection refused".into(),
                },
                json!({"kind": "network", "message": "Could not reach Hasura Cloud. Check your internet connection and the profile's endpoint. (could not connect to 127.0.0.1: connection refused)"}),
            ),
            (
                E::Timeout,
                json!({"kind": "timeout", "message": "Hasura Cloud did not answer in time. Check your connection and try again."}),
            ),
            (
                E::UnexpectedResponse {
                    detail: "expected a GraphQL answer, got malformed JSON".into(),
                },
                json!({"kind": "server", "message": "The server sent an answer this app does not understand (expected a GraphQL answer, got malformed JSON). Check that the profile's endpoint is a Hasura Cloud API address.", "code": null, "requestId": null}),
            ),
        ];
        for (error, expected) in cases {
            let mapped = AppError::from(error);
            assert_eq!(serde_json::to_value(&mapped).unwrap(), expected);
        }
    }

    #[test]
    fn field_hints_pick_the_earliest_mention() {
        use hasura_cloud::Error as E;
        let refused = |m: &str| E::InvalidInput { message: m.into() };
        let fields = ["name", "region", "cloud", "plan"];
        let field = |e: AppError| match e {
            AppError::InvalidInput { field, .. } => field,
            other => panic!("{other:?}"),
        };
        let e = AppError::from_client_for_fields(
            refused("a project named \"x\" already exists"),
            &fields,
        );
        assert_eq!(
            e,
            AppError::InvalidInput {
                message: "Hasura Cloud refused the request: a project named \"x\" already exists."
                    .into(),
                field: Some("name".into())
            }
        );
        let hint = |m: &str| field(AppError::from_client_for_fields(refused(m), &fields));
        assert_eq!(
            hint("region \"x\" is not available on aws; choose a name").as_deref(),
            Some("region")
        );
        assert_eq!(
            hint("cloud \"do\" is not supported; choose aws, gcp or azure").as_deref(),
            Some("cloud")
        );
        // Only at the start of a word; nothing mentioned, no field.
        assert_eq!(hint("unnamed thing").as_deref(), None);
        assert_eq!(hint("something else").as_deref(), None);
        // Other kinds stay as they are.
        let e = AppError::from_client_for_fields(E::Timeout, &fields);
        assert_eq!(e.kind(), "timeout");
    }

    #[test]
    fn sentence_helper() {
        assert_eq!(sentence("abc"), "Abc.");
        assert_eq!(sentence(" abc. "), "Abc.");
        assert_eq!(sentence(""), "");
    }
}
