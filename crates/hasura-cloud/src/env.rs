//! Reading `envVars`, the `jsonb` object `getTenantEnv` and the env mutations return.
//!
//! Its layout is undocumented. Two shapes are seen: nested, with the user's variables under
//! `"environment"` next to other keys, and flat (`{"KEY": "value"}`). Both are accepted; values
//! that are not strings are kept as JSON text and flagged.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;

/// Which layout `envVars` had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvLayout {
    /// `{"environment": {"KEY": "value", …}, …}` — variables read from `environment`.
    Nested,
    /// `{"KEY": "value", …}`.
    Flat,
}

/// One value. Values can be secrets (the admin secret, database URLs), so `Debug` prints only
/// their length.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct EnvValue {
    /// The string value, or the JSON text of a non-string value.
    pub text: String,
    /// True when the server sent something other than a string (number, bool, null, object…).
    pub is_json: bool,
}

impl EnvValue {
    /// A plain string value.
    pub fn string(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_json: false,
        }
    }

    fn from_json(value: &Value) -> Self {
        match value {
            Value::String(s) => Self::string(s.clone()),
            other => Self {
                text: other.to_string(),
                is_json: true,
            },
        }
    }
}

impl fmt::Debug for EnvValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvValue")
            .field(
                "text",
                &format_args!("<{} chars>", self.text.chars().count()),
            )
            .field("is_json", &self.is_json)
            .finish()
    }
}

/// One variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub key: String,
    pub value: EnvValue,
}

/// The variables of a tenant, in the order the server sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EnvVars(Vec<EnvVar>);

impl EnvVars {
    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&EnvValue> {
        self.0.iter().find(|v| v.key == key).map(|v| &v.value)
    }

    /// True when `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// All variables, in server order.
    pub fn iter(&self) -> impl Iterator<Item = &EnvVar> {
        self.0.iter()
    }

    /// Keys, in server order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|v| v.key.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for EnvVars {
    type Item = EnvVar;
    type IntoIter = std::vec::IntoIter<EnvVar>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a EnvVars {
    type Item = &'a EnvVar;
    type IntoIter = std::slice::Iter<'a, EnvVar>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Parses `envVars`. Anything but a JSON object is an [`Error::UnexpectedResponse`].
pub fn parse_env_vars(env_vars: &Value) -> Result<(EnvVars, EnvLayout), Error> {
    let Value::Object(top) = env_vars else {
        return Err(Error::unexpected(format!(
            "`envVars` should be a JSON object but is {}",
            json_type_name(env_vars)
        )));
    };
    let (map, layout) = match top.get("environment") {
        Some(Value::Object(inner)) => (inner, EnvLayout::Nested),
        _ => (top, EnvLayout::Flat),
    };
    let vars = map
        .iter()
        .map(|(key, value)| EnvVar {
            key: key.clone(),
            value: EnvValue::from_json(value),
        })
        .collect();
    Ok((EnvVars(vars), layout))
}

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use serde_json::json;

    #[test]
    fn nested_layout_reads_environment_in_order() {
        let raw: Value = serde_json::from_str(
            r#"{"version":1,"environment":{"ZED":"z","HASURA_GRAPHQL_ADMIN_SECRET":"s","ALPHA":"a"},"other":{"x":1}}"#,
        )
        .unwrap();
        let (vars, layout) = parse_env_vars(&raw).unwrap();
        assert_eq!(layout, EnvLayout::Nested);
        assert_eq!(
            vars.keys().collect::<Vec<_>>(),
            ["ZED", "HASURA_GRAPHQL_ADMIN_SECRET", "ALPHA"]
        );
        assert_eq!(vars.get("ALPHA"), Some(&EnvValue::string("a")));
        assert!(!vars.contains_key("version"));
    }

    #[test]
    fn flat_layout_keeps_order() {
        let raw: Value = serde_json::from_str(r#"{"B":"2","A":"1","C":"3"}"#).unwrap();
        let (vars, layout) = parse_env_vars(&raw).unwrap();
        assert_eq!(layout, EnvLayout::Flat);
        assert_eq!(vars.keys().collect::<Vec<_>>(), ["B", "A", "C"]);
        assert_eq!(vars.len(), 3);
    }

    #[test]
    fn environment_that_is_not_an_object_is_a_flat_variable() {
        let (vars, layout) = parse_env_vars(&json!({"environment": "prod", "X": "1"})).unwrap();
        assert_eq!(layout, EnvLayout::Flat);
        assert_eq!(vars.get("environment"), Some(&EnvValue::string("prod")));
    }

    #[test]
    fn non_string_values_become_flagged_json_text() {
        let raw: Value = serde_json::from_str(
            r#"{"environment":{"N":3,"B":true,"Z":null,"O":{"a":[1,"x"]},"S":"plain","F":1.5}}"#,
        )
        .unwrap();
        let (vars, _) = parse_env_vars(&raw).unwrap();
        let text = |k: &str| vars.get(k).unwrap().clone();
        assert_eq!(
            text("N"),
            EnvValue {
                text: "3".into(),
                is_json: true
            }
        );
        assert_eq!(
            text("B"),
            EnvValue {
                text: "true".into(),
                is_json: true
            }
        );
        assert_eq!(
            text("Z"),
            EnvValue {
                text: "null".into(),
                is_json: true
            }
        );
        assert_eq!(
            text("O"),
            EnvValue {
                text: r#"{"a":[1,"x"]}"#.into(),
                is_json: true
            }
        );
        assert_eq!(text("S"), EnvValue::string("plain"));
        assert_eq!(
            text("F"),
            EnvValue {
                text: "1.5".into(),
                is_json: true
            }
        );
    }

    #[test]
    fn empty_objects() {
        let (vars, layout) = parse_env_vars(&json!({})).unwrap();
        assert!(vars.is_empty());
        assert_eq!(layout, EnvLayout::Flat);
        let (vars, layout) = parse_env_vars(&json!({"environment": {}})).unwrap();
        assert!(vars.is_empty());
        assert_eq!(layout, EnvLayout::Nested);
    }

    #[test]
    fn not_an_object_is_unexpected() {
        for raw in [
            json!(null),
            json!([]),
            json!("KEY=value"),
            json!(3),
            json!(true),
        ] {
            let err = parse_env_vars(&raw).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{raw}");
        }
        assert_eq!(
            parse_env_vars(&json!([])).unwrap_err().to_string(),
            "Hasura Cloud sent an answer this app does not understand: `envVars` should be a JSON object but is a list"
        );
    }

    #[test]
    fn debug_does_not_show_values() {
        let (vars, _) =
            parse_env_vars(&json!({"HASURA_GRAPHQL_ADMIN_SECRET": "hunter2-very-secret"})).unwrap();
        let shown = format!("{vars:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("HASURA_GRAPHQL_ADMIN_SECRET"));
        assert!(shown.contains("<19 chars>"));
        // Serialization is deliberate and does include values.
        let json = serde_json::to_string(&vars).unwrap();
        assert_eq!(
            json,
            r#"[{"key":"HASURA_GRAPHQL_ADMIN_SECRET","value":{"text":"hunter2-very-secret","is_json":false}}]"#
        );
    }
}
