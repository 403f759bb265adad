//! Turning one HTTP answer into GraphQL `data` or an [`Error`]. Pure functions: no I/O.
//!
//! GraphQL errors arrive with HTTP 200, so the body is read first whatever the status; the status
//! decides only when the body is not a GraphQL answer (an HTML page from a load balancer, …).

use std::time::Duration;

use serde_json::{Map, Value};

use crate::access::not_found_in_type;
use crate::error::Error;

/// What the transport saw of one HTTP exchange.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpAnswer<'a> {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub request_id: Option<&'a str>,
    pub body: &'a [u8],
}

/// The `data` object of a successful answer, or the error the answer stands for.
pub(crate) fn interpret(answer: HttpAnswer<'_>) -> Result<Map<String, Value>, Error> {
    let HttpAnswer {
        status,
        retry_after,
        request_id,
        body,
    } = answer;
    if status == 429 {
        return Err(Error::RateLimited { retry_after });
    }
    let parsed = serde_json::from_slice::<Value>(body).ok();
    let mut object = match parsed {
        Some(Value::Object(object)) => object,
        _ => return Err(non_graphql_answer(status, request_id, body)),
    };

    if let Some(errors) = object.get("errors") {
        match errors {
            Value::Array(list) if !list.is_empty() => {
                return Err(classify_errors(list, status, request_id));
            }
            Value::Array(_) | Value::Null => {}
            _ => return Err(Error::unexpected("`errors` in the answer is not a list")),
        }
    } else if !object.contains_key("data") {
        // Hasura's non-GraphQL error shape, e.g. for a malformed request:
        // {"path":"$","error":"…","code":"parse-failed"}
        if let Some(message) = object.get("error").and_then(Value::as_str) {
            let error = GraphqlError {
                message: message.to_owned(),
                code: object
                    .get("code")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                id: None,
            };
            return Err(classify_one(&error, status, request_id, 0));
        }
        return Err(non_graphql_answer(status, request_id, body));
    }

    if !(200..300).contains(&status) {
        return Err(non_graphql_answer(status, request_id, body));
    }
    match object.remove("data") {
        Some(Value::Object(data)) => Ok(data),
        Some(Value::Null) | None => Err(Error::unexpected(
            "the answer has neither data nor errors (`data` is null)",
        )),
        Some(_) => Err(Error::unexpected("`data` in the answer is not an object")),
    }
}

/// One entry of a GraphQL `errors` list, read leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GraphqlError {
    pub message: String,
    pub code: Option<String>,
    /// `extensions.id`, which Hasura sets on internal errors.
    pub id: Option<String>,
}

impl GraphqlError {
    fn from_value(value: &Value) -> Self {
        let message = value
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| "(the server gave no message)".to_owned());
        let extensions = value.get("extensions");
        let text = |key: &str| {
            extensions
                .and_then(|e| e.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Self {
            message,
            code: text("code"),
            id: text("id"),
        }
    }
}

/// Decides what a non-empty GraphQL `errors` list means. The first error decides, except that a
/// rejected token anywhere wins (every root field of the document fails the same way then).
pub(crate) fn classify_errors(list: &[Value], status: u16, request_id: Option<&str>) -> Error {
    let errors: Vec<GraphqlError> = list.iter().map(GraphqlError::from_value).collect();
    if let Some(field) = errors.iter().find_map(rejected_root_field) {
        return Error::TokenRejected { field: Some(field) };
    }
    match errors.first() {
        Some(first) => classify_one(first, status, request_id, errors.len() - 1),
        None => Error::unexpected("an empty `errors` list"),
    }
}

fn classify_one(error: &GraphqlError, status: u16, request_id: Option<&str>, more: usize) -> Error {
    let mut message = error.message.clone();
    if more > 0 {
        message.push_str(&format!(" (and {more} more error{})", plural(more)));
    }
    let code = error.code.as_deref();
    let lower = error.message.to_lowercase();

    if code == Some("GenericServerError") || status >= 500 {
        return Error::Server {
            status: (status != 200).then_some(status),
            code: error.code.clone(),
            request_id: error.id.clone().or_else(|| request_id.map(str::to_owned)),
            message,
        };
    }
    if lower.contains("nothing changed in config") {
        return Error::NothingChanged;
    }
    if is_hash_conflict(&lower) {
        return Error::HashConflict { message };
    }
    if is_not_found(code, &lower) {
        return Error::not_found(format!("the requested item (the server said: {message})"));
    }
    if matches!(status, 401 | 403) {
        return Error::TokenRejected { field: None };
    }
    Error::InvalidInput { message }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `field "projects" not found in type: 'query_root'` (or `'mutation_root'`, or single quotes
/// around the field) is how Hasura Cloud answers a token it does not accept.
fn rejected_root_field(error: &GraphqlError) -> Option<String> {
    if !matches!(error.code.as_deref(), None | Some("validation-failed")) {
        return None;
    }
    let (field, type_name) = not_found_in_type(&error.message)?;
    matches!(type_name, "query_root" | "mutation_root").then(|| field.to_owned())
}

/// The wording for a stale `currentHash` is unknown; match the likely shapes.
fn is_hash_conflict(lower: &str) -> bool {
    const SIGNS: [&str; 8] = [
        "mismatch", "match", "stale", "outdated", "conflict", "changed", "invalid", "expired",
    ];
    lower.contains("hash") && SIGNS.iter().any(|s| lower.contains(s))
}

/// By the message, never by the code alone: graphql-engine answers `not-found` for an unknown
/// path or endpoint too, and an action may use any code for a missing item.
fn is_not_found(code: Option<&str>, lower: &str) -> bool {
    // "field … not found in type …" is a schema error, not a missing row.
    let schema_error = matches!(code, Some("validation-failed" | "parse-failed"));
    !schema_error
        && (lower.contains("not found")
            || lower.contains("does not exist")
            || lower.contains("no such"))
}

/// The body is not a GraphQL answer: decide by status.
fn non_graphql_answer(status: u16, request_id: Option<&str>, body: &[u8]) -> Error {
    let what = describe_body(body);
    match status {
        200..=299 => Error::unexpected(format!("expected a GraphQL answer, got {what}")),
        300..=399 => Error::unexpected(format!(
            "the endpoint redirected (HTTP {status}); check the endpoint address"
        )),
        401 | 403 => Error::TokenRejected { field: None },
        404 => Error::unexpected(format!("no GraphQL API at this address (HTTP 404, {what})")),
        408 => Error::Timeout,
        500..=599 => Error::Server {
            status: Some(status),
            code: None,
            request_id: request_id.map(str::to_owned),
            message: format!("the server answered with {what}"),
        },
        _ => Error::unexpected(format!("HTTP {status} with {what}")),
    }
}

fn describe_body(body: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        "an empty body"
    } else if trimmed.starts_with('<') {
        "an HTML page instead of JSON"
    } else if serde_json::from_str::<Value>(trimmed).is_ok() {
        "JSON that is not a GraphQL answer"
    } else {
        "malformed JSON"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn answer(status: u16, body: &str) -> Result<Map<String, Value>, Error> {
        interpret(HttpAnswer {
            status,
            retry_after: None,
            request_id: None,
            body: body.as_bytes(),
        })
    }

    fn kind(status: u16, body: &str) -> ErrorKind {
        match answer(status, body) {
            Ok(data) => panic!("expected an error, got data {data:?}"),
            Err(e) => e.kind(),
        }
    }

    #[test]
    fn data_is_returned() {
        let data = answer(200, r#"{"data":{"projects":[]}}"#).unwrap();
        assert_eq!(data.get("projects"), Some(&Value::Array(vec![])));
        // An empty errors list is no error.
        assert!(answer(200, r#"{"data":{"x":1},"errors":[]}"#).is_ok());
    }

    #[test]
    fn token_rejected_double_and_single_quotes() {
        let bodies = [
            r#"{"errors":[{"message":"field \"projects\" not found in type: 'query_root'","extensions":{"code":"validation-failed","path":"$.selectionSet.projects"}}]}"#,
            r#"{"errors":[{"message":"field 'createTenant' not found in type: 'mutation_root'","extensions":{"code":"validation-failed"}}]}"#,
        ];
        assert_eq!(
            answer(200, bodies[0]).unwrap_err(),
            Error::TokenRejected {
                field: Some("projects".into())
            }
        );
        assert_eq!(
            answer(200, bodies[1]).unwrap_err(),
            Error::TokenRejected {
                field: Some("createTenant".into())
            }
        );
    }

    #[test]
    fn nested_field_not_found_is_not_token_rejection() {
        let body = r#"{"errors":[{"message":"field \"foo\" not found in type: 'projects'","extensions":{"code":"validation-failed"}}]}"#;
        assert_eq!(kind(200, body), ErrorKind::InvalidInput);
    }

    #[test]
    fn nothing_changed() {
        let body = r#"{"errors":[{"message":"nothing changed in config","extensions":{"code":"unexpected"}}]}"#;
        assert_eq!(answer(200, body).unwrap_err(), Error::NothingChanged);
        let no_ext = r#"{"errors":[{"message":"Nothing changed in config"}]}"#;
        assert_eq!(kind(200, no_ext), ErrorKind::NothingChanged);
    }

    #[test]
    fn hash_conflict_wordings() {
        for msg in [
            "currentHash mismatch",
            "Hash is stale, please refetch",
            "the provided hash is outdated",
            "config hash conflict",
            "invalid hash",
            "hash does not match current config",
        ] {
            let body = format!(r#"{{"errors":[{{"message":"{msg}"}}]}}"#);
            assert_eq!(kind(200, &body), ErrorKind::HashConflict, "{msg}");
        }
        // "hash" alone is not enough.
        assert_eq!(
            kind(200, r#"{"errors":[{"message":"hash is required"}]}"#),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn not_found_messages() {
        assert_eq!(
            kind(200, r#"{"errors":[{"message":"tenant not found"}]}"#),
            ErrorKind::NotFound
        );
        assert_eq!(
            kind(
                200,
                r#"{"errors":[{"message":"tenant not found","extensions":{"code":"unexpected"}}]}"#
            ),
            ErrorKind::NotFound
        );
    }

    /// Codes say little: the message decides what a business error means.
    #[test]
    fn errors_are_not_mapped_by_code_alone() {
        // graphql-engine's `not-found` for a path is not a missing item.
        assert_eq!(
            kind(
                200,
                r#"{"errors":[{"message":"resource path is unknown","extensions":{"code":"not-found"}}]}"#
            ),
            ErrorKind::InvalidInput
        );
        // A business rule is read by its message whatever the code.
        for code in [
            "unexpected",
            "validation-failed",
            "constraint-violation",
            "bad-request",
        ] {
            let body = format!(
                r#"{{"errors":[{{"message":"nothing changed in config","extensions":{{"code":"{code}"}}}}]}}"#
            );
            assert_eq!(kind(200, &body), ErrorKind::NothingChanged, "{code}");
        }
        // validation-failed naming a field of some other type is not a rejected token.
        assert_eq!(
            kind(
                200,
                r#"{"errors":[{"message":"invalid project name \"my_app\"","extensions":{"code":"validation-failed"}}]}"#
            ),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn invalid_input_codes() {
        for code in [
            "validation-failed",
            "invalid",
            "bad-request",
            "constraint-violation",
            "data-exception",
            "parse-failed",
            "unexpected",
        ] {
            let body = format!(
                r#"{{"errors":[{{"message":"invalid region xyz","extensions":{{"code":"{code}"}}}}]}}"#
            );
            assert_eq!(
                answer(200, &body).unwrap_err(),
                Error::InvalidInput {
                    message: "invalid region xyz".into()
                },
                "{code}"
            );
        }
    }

    #[test]
    fn several_errors_are_counted() {
        let body = r#"{"errors":[{"message":"a"},{"message":"b"},{"message":"c"}]}"#;
        assert_eq!(
            answer(200, body).unwrap_err(),
            Error::InvalidInput {
                message: "a (and 2 more errors)".into()
            }
        );
    }

    #[test]
    fn generic_server_error_carries_id() {
        let body = r#"{"errors":[{"message":"there was an internal error while serving your request","extensions":{"code":"GenericServerError","id":"5f0f2c1e-1111-2222-3333-444455556666"}}]}"#;
        assert_eq!(
            answer(200, body).unwrap_err(),
            Error::Server {
                status: None,
                code: Some("GenericServerError".into()),
                request_id: Some("5f0f2c1e-1111-2222-3333-444455556666".into()),
                message: "there was an internal error while serving your request".into(),
            }
        );
    }

    #[test]
    fn html_502_is_server_error() {
        let err = interpret(HttpAnswer {
            status: 502,
            retry_after: None,
            request_id: Some("req-1"),
            body: b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        })
        .unwrap_err();
        assert_eq!(
            err,
            Error::Server {
                status: Some(502),
                code: None,
                request_id: Some("req-1".into()),
                message: "the server answered with an HTML page instead of JSON".into(),
            }
        );
        assert_eq!(kind(503, ""), ErrorKind::Server);
        assert_eq!(kind(504, "upstream timed out"), ErrorKind::Server);
    }

    #[test]
    fn graphql_errors_with_5xx_are_server_errors() {
        let body =
            r#"{"errors":[{"message":"database query error","extensions":{"code":"unexpected"}}]}"#;
        assert_eq!(kind(500, body), ErrorKind::Server);
    }

    #[test]
    fn rate_limited_with_and_without_retry_after() {
        let err = interpret(HttpAnswer {
            status: 429,
            retry_after: Some(Duration::from_secs(9)),
            request_id: None,
            body: b"Too Many Requests",
        })
        .unwrap_err();
        assert_eq!(
            err,
            Error::RateLimited {
                retry_after: Some(Duration::from_secs(9))
            }
        );
        assert_eq!(
            answer(429, r#"{"errors":[{"message":"slow down"}]}"#).unwrap_err(),
            Error::RateLimited { retry_after: None }
        );
    }

    #[test]
    fn malformed_and_odd_bodies_are_unexpected() {
        for body in [
            r#"{"data":"#,
            "",
            "<!doctype html><p>hello</p>",
            r#"{"data":null}"#,
            r#"{}"#,
            r#"[1,2]"#,
            r#""just a string""#,
            r#"{"data":[1]}"#,
            r#"{"errors":"boom"}"#,
            "\u{0}\u{1}binary",
        ] {
            assert_eq!(kind(200, body), ErrorKind::UnexpectedResponse, "{body}");
        }
        assert_eq!(
            answer(200, r#"{"data":null}"#).unwrap_err(),
            Error::unexpected("the answer has neither data nor errors (`data` is null)")
        );
        assert_eq!(
            answer(200, r#"{"data":"#).unwrap_err(),
            Error::unexpected("expected a GraphQL answer, got malformed JSON")
        );
    }

    #[test]
    fn hasura_plain_error_shape() {
        let body = r#"{"path":"$","error":"invalid json body","code":"parse-failed"}"#;
        assert_eq!(
            answer(400, body).unwrap_err(),
            Error::InvalidInput {
                message: "invalid json body".into()
            }
        );
    }

    #[test]
    fn status_decides_for_non_graphql_bodies() {
        assert_eq!(kind(401, "Unauthorized"), ErrorKind::TokenRejected);
        assert_eq!(
            kind(403, "<html>Forbidden</html>"),
            ErrorKind::TokenRejected
        );
        assert_eq!(kind(404, "Not Found"), ErrorKind::UnexpectedResponse);
        assert_eq!(kind(301, ""), ErrorKind::UnexpectedResponse);
        assert_eq!(kind(408, ""), ErrorKind::Timeout);
        assert_eq!(kind(418, "teapot"), ErrorKind::UnexpectedResponse);
        // data with a non-2xx status is not trusted.
        assert_eq!(kind(502, r#"{"data":{"x":1}}"#), ErrorKind::Server);
    }

    #[test]
    fn error_entries_of_odd_shape_do_not_panic() {
        for body in [
            r#"{"errors":[null]}"#,
            r#"{"errors":[42]}"#,
            r#"{"errors":[{"message":7,"extensions":"x"}]}"#,
            r#"{"errors":[{"message":"field \"","extensions":{"code":"validation-failed"}}]}"#,
            r#"{"errors":[{"message":"field ","extensions":{"code":"validation-failed"}}]}"#,
            r#"{"errors":[{"message":"field \"é\" not found in type: 'query_root'"}]}"#,
        ] {
            let _ = answer(200, body).unwrap_err();
        }
        assert_eq!(
            answer(200, r#"{"errors":[{}]}"#).unwrap_err(),
            Error::InvalidInput {
                message: "(the server gave no message)".into()
            }
        );
    }

    /// Any message and code, in any Unicode, and any body are classified without a panic; a
    /// rejected token's field is text from the message; scrubbing any secret out of the error
    /// works. A seeded generator (this crate has no proptest) over pieces of Hasura's wordings
    /// and characters that change length or case oddly (`İ` lowercases to 3 bytes).
    #[test]
    fn any_answer_is_classified_without_a_panic() {
        const PIECES: &[&str] = &[
            "field ",
            "\"",
            "'",
            "projects",
            " not found in type",
            ": ",
            "'query_root'",
            "mutation_root",
            "hash",
            "mismatch",
            "nothing changed in config",
            "not found",
            "does not exist",
            "<html>",
            " ",
            "{",
            "\\",
            "İ",
            "ẞ",
            "\u{212a}",
            "é",
            "😀",
            "\u{301}",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5_000 {
            let mut message = String::new();
            for _ in 0..next() % 12 {
                if next() % 4 == 0 {
                    let any = u32::try_from(next() % 0x11_0000).unwrap_or(0);
                    message.push(char::from_u32(any).unwrap_or('\u{fffd}'));
                } else {
                    let at = usize::try_from(next()).unwrap_or(0) % PIECES.len();
                    message.push_str(PIECES[at]);
                }
            }
            for code in [
                None,
                Some("validation-failed"),
                Some("not-found"),
                Some(&*message),
            ] {
                let mut error = serde_json::json!({ "message": message });
                if let Some(code) = code {
                    error["extensions"] = serde_json::json!({ "code": code, "id": message });
                }
                let list = serde_json::json!([error]);
                for status in [200, 401, 500] {
                    let body = serde_json::json!({ "errors": list }).to_string();
                    let error = answer(status, &body).unwrap_err();
                    let _ = error.to_string();
                    let _ = error.clone().scrubbed(&message);
                    let _ = error.scrubbed("a-token-value");
                    let hasura = serde_json::json!({ "error": message, "code": code });
                    let _ = answer(status, &hasura.to_string());
                }
                let graphql = GraphqlError::from_value(&error);
                if let Some(field) = rejected_root_field(&graphql) {
                    assert!(message.contains(&field), "{message:?}");
                }
            }
            // The message as the whole body, as an HTML page or a torn answer would be.
            for status in [200, 302, 404, 502] {
                let _ = answer(status, &message);
                let mut bytes = message.as_bytes().to_vec();
                bytes.truncate(bytes.len() / 2);
                let _ = interpret(HttpAnswer {
                    status,
                    retry_after: None,
                    request_id: Some(&message),
                    body: &bytes,
                });
            }
        }
    }
}
