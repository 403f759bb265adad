//! Fields a personal access token may or may not see. Hasura answers a field that is not in the
//! caller's schema with `validation-failed` `field "x" not found in type: 'T'`; this module is
//! the one place that reads that wording. On a root type (`query_root`, `mutation_root`) it is
//! how a rejected token is answered ([`Error::TokenRejected`], see `response.rs`); on a field
//! the caller asked for as optional (the team parts, a project's NAT IP, the workers' config
//! hashes) it is an answer, [`Access::NotAvailable`], rather than a failure.

use crate::error::Error;

/// What the API answered for an operation the token may or may not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access<T> {
    Allowed(T),
    /// The token's schema does not have `field`: the dashboard is the way to do it.
    NotAvailable {
        field: String,
    },
}

impl<T> Access<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Access<U> {
        match self {
            Access::Allowed(v) => Access::Allowed(f(v)),
            Access::NotAvailable { field } => Access::NotAvailable { field },
        }
    }

    pub fn allowed(self) -> Option<T> {
        match self {
            Access::Allowed(v) => Some(v),
            Access::NotAvailable { .. } => None,
        }
    }
}

impl<T> Access<Result<T, Error>> {
    /// `Allowed(Err(e))` → `Err(e)`, so a decoding step can run inside [`Access::map`].
    pub(crate) fn transpose(self) -> Result<Access<T>, Error> {
        match self {
            Access::Allowed(result) => result.map(Access::Allowed),
            Access::NotAvailable { field } => Ok(Access::NotAvailable { field }),
        }
    }
}

/// `field "x" not found in type: 'T'` (either quote around each name) → `("x", "T")`.
pub(crate) fn not_found_in_type(message: &str) -> Option<(&str, &str)> {
    let (field, rest) = quoted(message.trim().strip_prefix("field ")?)?;
    let rest = rest
        .trim_start()
        .strip_prefix("not found in type")?
        .trim_start_matches(':')
        .trim_start();
    let (type_name, _) = quoted(rest)?;
    Some((field, type_name))
}

/// `"x" rest` or `'x' rest` → `("x", " rest")`.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &text[quote.len_utf8()..];
    let end = inner.find(quote)?;
    Some((&inner[..end], &inner[end + quote.len_utf8()..]))
}

/// The field an error says is not in the token's schema, when it is one of `fields` (those the
/// caller asked for as optional, never one every accepted token sees: for those the token
/// itself is what failed).
pub(crate) fn hidden_field(error: &Error, fields: &[&str]) -> Option<String> {
    let named = match error {
        Error::TokenRejected { field: Some(field) } => field.as_str(),
        Error::InvalidInput { message } => not_found_in_type(message)?.0,
        _ => return None,
    };
    fields.contains(&named).then(|| named.to_owned())
}

/// `Err` → `NotAvailable` when the error says one of `fields` is not in the token's schema.
pub(crate) fn access<T>(result: Result<T, Error>, fields: &[&str]) -> Result<Access<T>, Error> {
    match result {
        Ok(value) => Ok(Access::Allowed(value)),
        Err(e) => match hidden_field(&e, fields) {
            Some(field) => Ok(Access::NotAvailable { field }),
            None => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wording_is_read_with_either_quote() {
        assert_eq!(
            not_found_in_type("field \"custom_domains\" not found in type: 'tenant'"),
            Some(("custom_domains", "tenant"))
        );
        assert_eq!(
            not_found_in_type("field 'createTenant' not found in type: 'mutation_root'"),
            Some(("createTenant", "mutation_root"))
        );
        // What the client appends when more errors came is not part of the type's name.
        assert_eq!(
            not_found_in_type("field \"nat_ip\" not found in type: 'region' (and 1 more error)"),
            Some(("nat_ip", "region"))
        );
        for other in [
            "Uniqueness violation.",
            "field \"",
            "field ",
            "field \"x\" is not allowed",
            "field \"x\" not found in type",
        ] {
            assert_eq!(not_found_in_type(other), None, "{other}");
        }
    }

    #[test]
    fn only_the_fields_asked_for_count_as_hidden() {
        let nested = Error::InvalidInput {
            message: "field \"custom_domains\" not found in type: 'tenant'".into(),
        };
        assert_eq!(
            hidden_field(&nested, &["custom_domains"]).as_deref(),
            Some("custom_domains")
        );
        let root = Error::TokenRejected {
            field: Some("changePlan".into()),
        };
        assert_eq!(
            hidden_field(&root, &["changePlan"]).as_deref(),
            Some("changePlan")
        );
        // A token rejected outright names a field every token sees: still an error.
        let rejected = Error::TokenRejected {
            field: Some("tenant_by_pk".into()),
        };
        assert_eq!(hidden_field(&rejected, &["custom_domains"]), None);
        let other_field = Error::InvalidInput {
            message: "field \"name\" not found in type: 'projects'".into(),
        };
        assert_eq!(hidden_field(&other_field, &["collaborators"]), None);
        let other = Error::InvalidInput {
            message: "Uniqueness violation.".into(),
        };
        assert_eq!(hidden_field(&other, &["custom_domains"]), None);
    }

    #[test]
    fn access_turns_only_a_hidden_field_into_an_answer() {
        let hidden: Result<(), Error> = Err(Error::InvalidInput {
            message: "field \"region_info\" not found in type: 'tenant'".into(),
        });
        assert_eq!(
            access(hidden, &["region_info"]).unwrap(),
            Access::NotAvailable {
                field: "region_info".into()
            }
        );
        assert_eq!(access(Ok(7), &["region_info"]).unwrap(), Access::Allowed(7));
        let failed: Result<(), Error> = Err(Error::Timeout);
        assert_eq!(
            access(failed, &["region_info"]).unwrap_err(),
            Error::Timeout
        );
    }
}
