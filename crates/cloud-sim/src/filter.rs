//! Hasura's list arguments over the tables of `table.rs`: boolean expressions (`where`),
//! `order_by`, `distinct_on`, `limit` and `offset`, evaluated over JSON rows with SQL's
//! semantics: a comparison with NULL is false, `asc` puts NULLs last and `desc` first.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

use parking_lot::Mutex;
use serde_json::Value;

use crate::table::{Row, RowRef, Tables, relationship};

/// Why a list argument cannot be applied; the message goes to the client as
/// `validation-failed`.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("unsupported comparison operator {0}")]
    UnsupportedOperator(String),
    #[error("invalid regular expression: {0}")]
    InvalidRegex(#[from] regex::Error),
    #[error("unknown order_by value {0}")]
    UnknownOrderDirection(String),
    #[error("cannot order {table} by {field}")]
    NotOrderable { table: String, field: String },
    /// `limit` or `offset` (the argument named) is not a count.
    #[error("\"{0}\" must be a non-negative integer")]
    NotACount(&'static str),
}

/// The standard arguments of a list field, as JSON.
#[derive(Debug, Default)]
pub struct ListArgs {
    pub where_: Option<Value>,
    pub order_by: Option<Value>,
    pub distinct_on: Option<Value>,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// Applies the standard list arguments to `rows` of `table`.
pub fn select(
    tables: &Tables,
    table: &str,
    rows: Vec<RowRef>,
    args: &ListArgs,
) -> Result<Vec<RowRef>, QueryError> {
    let mut rows = match &args.where_ {
        Some(exp) => {
            let mut kept = Vec::with_capacity(rows.len());
            for row in rows {
                if matches(tables, table, &row, exp)? {
                    kept.push(row);
                }
            }
            kept
        }
        None => rows,
    };
    if let Some(order) = &args.order_by {
        sort(tables, table, &mut rows, order)?;
    }
    if let Some(Value::Array(columns)) = &args.distinct_on {
        let mut seen = std::collections::HashSet::new();
        rows.retain(|row| {
            let key: Vec<String> = columns
                .iter()
                .filter_map(Value::as_str)
                .map(|c| row.get(c).map(Value::to_string).unwrap_or_default())
                .collect();
            seen.insert(key)
        });
    }
    let rows = rows.into_iter().skip(args.offset);
    Ok(match args.limit {
        Some(limit) => rows.take(limit).collect(),
        None => rows.collect(),
    })
}

/// Whether `row` of `table` satisfies the boolean expression `exp`.
pub fn matches(tables: &Tables, table: &str, row: &Row, exp: &Value) -> Result<bool, QueryError> {
    let Value::Object(exp) = exp else {
        // A null expression places no condition.
        return Ok(true);
    };
    for (key, arg) in exp {
        let ok = match key.as_str() {
            "_and" => {
                let mut all = true;
                for e in as_list(arg) {
                    all &= matches(tables, table, row, e)?;
                }
                all
            }
            "_or" => {
                let list = as_list(arg);
                let mut any = list.is_empty();
                for e in list {
                    any |= matches(tables, table, row, e)?;
                }
                any
            }
            "_not" => arg.is_null() || !matches(tables, table, row, arg)?,
            field => match relationship(table, field) {
                Some(rel) => {
                    let mut any = false;
                    for related in tables.related(rel, row) {
                        if matches(tables, rel.to, &related, arg)? {
                            any = true;
                            break;
                        }
                    }
                    any
                }
                None => compare(row.get(field).unwrap_or(&Value::Null), arg)?,
            },
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        single => vec![single],
    }
}

/// Evaluates a `<type>_comparison_exp` against a column value.
fn compare(column: &Value, ops: &Value) -> Result<bool, QueryError> {
    let Value::Object(ops) = ops else {
        return Ok(true);
    };
    for (op, arg) in ops {
        if arg.is_null() && op != "_is_null" {
            continue;
        }
        let ok = match op.as_str() {
            "_is_null" => column.is_null() == arg.as_bool().unwrap_or(false),
            _ if column.is_null() => false,
            "_eq" => equal(column, arg),
            "_neq" => !equal(column, arg),
            "_in" => as_list(arg).into_iter().any(|a| equal(column, a)),
            "_nin" => !as_list(arg).into_iter().any(|a| equal(column, a)),
            "_gt" => order(column, arg) == Some(Ordering::Greater),
            "_gte" => matches!(
                order(column, arg),
                Some(Ordering::Greater | Ordering::Equal)
            ),
            "_lt" => order(column, arg) == Some(Ordering::Less),
            "_lte" => matches!(order(column, arg), Some(Ordering::Less | Ordering::Equal)),
            "_like" => pattern(column, arg, Pattern::Like, false)?,
            "_nlike" => !pattern(column, arg, Pattern::Like, false)?,
            "_ilike" => pattern(column, arg, Pattern::Like, true)?,
            "_nilike" => !pattern(column, arg, Pattern::Like, true)?,
            "_similar" => pattern(column, arg, Pattern::Similar, false)?,
            "_nsimilar" => !pattern(column, arg, Pattern::Similar, false)?,
            "_regex" => pattern(column, arg, Pattern::Regex, false)?,
            "_nregex" => !pattern(column, arg, Pattern::Regex, false)?,
            "_iregex" => pattern(column, arg, Pattern::Regex, true)?,
            "_niregex" => !pattern(column, arg, Pattern::Regex, true)?,
            "_contains" => json_contains(column, arg),
            "_contained_in" => json_contains(arg, column),
            "_has_key" => has_key(column, arg),
            "_has_keys_any" => as_list(arg).into_iter().any(|k| has_key(column, k)),
            "_has_keys_all" => as_list(arg).into_iter().all(|k| has_key(column, k)),
            "_cast" => {
                let text = match column {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                compare(
                    &Value::String(text),
                    arg.get("String").unwrap_or(&Value::Null),
                )?
            }
            other => {
                return Err(QueryError::UnsupportedOperator(other.to_string()));
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            // uuids compare case-insensitively; other text exactly.
            x == y
                || (uuid::Uuid::parse_str(x).is_ok()
                    && uuid::Uuid::parse_str(x).ok() == uuid::Uuid::parse_str(y).ok())
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::String(x), Value::String(y)) => match (parse_time(x), parse_time(y)) {
            (Some(tx), Some(ty)) => Some(tx.cmp(&ty)),
            _ => Some(x.cmp(y)),
        },
        (Value::String(x), Value::Number(y)) => x.parse::<f64>().ok()?.partial_cmp(&y.as_f64()?),
        _ => None,
    }
}

fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

#[derive(Clone, Copy)]
enum Pattern {
    Like,
    Similar,
    Regex,
}

fn pattern(
    column: &Value,
    arg: &Value,
    kind: Pattern,
    insensitive: bool,
) -> Result<bool, QueryError> {
    let (Value::String(text), Value::String(pat)) = (column, arg) else {
        return Ok(false);
    };
    let source = match kind {
        Pattern::Regex => pat.clone(),
        Pattern::Like | Pattern::Similar => {
            let mut re = String::from("^");
            let mut chars = pat.chars();
            while let Some(c) = chars.next() {
                match c {
                    '%' => re.push_str(".*"),
                    '_' => re.push('.'),
                    '\\' => {
                        if let Some(next) = chars.next() {
                            re.push_str(&regex::escape(&next.to_string()));
                        }
                    }
                    // SIMILAR TO keeps regular-expression alternation and grouping.
                    '|' | '(' | ')' | '*' | '+' | '?' | '[' | ']' | '{' | '}'
                        if matches!(kind, Pattern::Similar) =>
                    {
                        re.push(c)
                    }
                    other => re.push_str(&regex::escape(&other.to_string())),
                }
            }
            re.push('$');
            re
        }
    };
    let mut cache = regex_cache().lock();
    if cache.len() > 512 {
        cache.clear();
    }
    let key = (source, insensitive);
    let re = match cache.get(&key) {
        Some(re) => re,
        None => {
            let built = regex::RegexBuilder::new(&key.0)
                .case_insensitive(insensitive)
                .dot_matches_new_line(true)
                .build()?;
            cache.entry(key.clone()).or_insert(built)
        }
    };
    Ok(re.is_match(text))
}

/// Compiled patterns by (source, case-insensitive): a list query applies the same pattern to
/// every row.
fn regex_cache() -> &'static Mutex<HashMap<(String, bool), regex::Regex>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, bool), regex::Regex>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn json_contains(container: &Value, contained: &Value) -> bool {
    match (container, contained) {
        (Value::Object(a), Value::Object(b)) => b
            .iter()
            .all(|(k, vb)| a.get(k).is_some_and(|va| json_contains(va, vb))),
        (Value::Array(a), Value::Array(b)) => {
            b.iter().all(|vb| a.iter().any(|va| json_contains(va, vb)))
        }
        (Value::Array(a), scalar) => a.iter().any(|va| va == scalar),
        _ => container == contained,
    }
}

fn has_key(column: &Value, key: &Value) -> bool {
    match (column, key) {
        (Value::Object(map), Value::String(k)) => map.contains_key(k),
        _ => false,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Asc,
    Desc,
}

struct SortKey {
    /// Object relationships to follow, then the column.
    path: Vec<String>,
    direction: Direction,
    nulls_first: bool,
}

fn sort_keys(
    table: &str,
    spec: &Value,
    prefix: &[String],
    out: &mut Vec<SortKey>,
) -> Result<(), QueryError> {
    for item in as_list(spec) {
        let Value::Object(fields) = item else {
            continue;
        };
        for (field, value) in fields {
            let mut path = prefix.to_vec();
            path.push(field.clone());
            match value {
                Value::String(dir) => {
                    let (direction, nulls_first) = match dir.as_str() {
                        "asc" | "asc_nulls_last" => (Direction::Asc, false),
                        "asc_nulls_first" => (Direction::Asc, true),
                        "desc" | "desc_nulls_first" => (Direction::Desc, true),
                        "desc_nulls_last" => (Direction::Desc, false),
                        other => return Err(QueryError::UnknownOrderDirection(other.to_string())),
                    };
                    out.push(SortKey {
                        path,
                        direction,
                        nulls_first,
                    });
                }
                Value::Object(_) => {
                    let rel =
                        relationship(table, field).ok_or_else(|| QueryError::NotOrderable {
                            table: table.to_string(),
                            field: field.clone(),
                        })?;
                    sort_keys(rel.to, value, &path, out)?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn key_value(tables: &Tables, table: &str, row: &RowRef, path: &[String]) -> Value {
    let mut table = table.to_string();
    let mut row = row.clone();
    let Some((column, hops)) = path.split_last() else {
        return Value::Null;
    };
    for hop in hops {
        let Some(rel) = relationship(&table, hop) else {
            return Value::Null;
        };
        let Some(next) = tables.related(rel, &row).into_iter().next() else {
            return Value::Null;
        };
        table = rel.to.to_string();
        row = next;
    }
    row.get(column).cloned().unwrap_or(Value::Null)
}

/// Sorts rows by an `order_by` argument (a list of objects, or one object).
pub fn sort(
    tables: &Tables,
    table: &str,
    rows: &mut Vec<RowRef>,
    spec: &Value,
) -> Result<(), QueryError> {
    let mut keys = Vec::new();
    sort_keys(table, spec, &[], &mut keys)?;
    if keys.is_empty() {
        return Ok(());
    }
    let mut keyed: Vec<(Vec<Value>, RowRef)> = rows
        .drain(..)
        .map(|row| {
            (
                keys.iter()
                    .map(|k| key_value(tables, table, &row, &k.path))
                    .collect(),
                row,
            )
        })
        .collect();
    keyed.sort_by(|(a, _), (b, _)| {
        for (key, (x, y)) in keys.iter().zip(a.iter().zip(b.iter())) {
            let ord = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => {
                    if key.nulls_first {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                }
                (false, true) => {
                    if key.nulls_first {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
                (false, false) => {
                    let ord = order(x, y).unwrap_or(Ordering::Equal);
                    if key.direction == Direction::Desc {
                        ord.reverse()
                    } else {
                        ord
                    }
                }
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    rows.extend(keyed.into_iter().map(|(_, row)| row));
    Ok(())
}

/// Reads a JSON value at a Hasura `path` argument such as `$.a.b[0]` or `a.b`.
pub fn at_path(value: &Value, path: &str) -> Value {
    let path = path.strip_prefix('$').unwrap_or(path);
    let mut current = value;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            match current.get(name) {
                Some(v) => current = v,
                None => return Value::Null,
            }
        }
        for index in indexes.split('[').filter_map(|s| s.strip_suffix(']')) {
            match index.parse::<usize>().ok().and_then(|i| current.get(i)) {
                Some(v) => current = v,
                None => return Value::Null,
            }
        }
    }
    current.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Row {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn comparisons_follow_sql_null_semantics() {
        let tables = Tables::new();
        let r = row(json!({"name": "alpha", "plan_name": null, "n": 3}));
        let t = |exp: Value| matches(&tables, "projects", &r, &exp).unwrap();
        assert!(t(json!({"name": {"_eq": "alpha"}})));
        assert!(!t(json!({"plan_name": {"_eq": "x"}})));
        assert!(!t(json!({"plan_name": {"_neq": "x"}})));
        assert!(t(json!({"plan_name": {"_is_null": true}})));
        assert!(!t(json!({"name": {"_is_null": true}})));
        assert!(t(json!({"name": {"_in": ["beta", "alpha"]}})));
        assert!(t(json!({"name": {"_nin": ["beta"]}})));
        assert!(t(json!({"name": {"_like": "al%"}})));
        assert!(!t(json!({"name": {"_like": "AL%"}})));
        assert!(t(json!({"name": {"_ilike": "AL_HA"}})));
        assert!(t(json!({"name": {"_similar": "(alpha|beta)"}})));
        assert!(t(json!({"name": {"_regex": "^a.p"}})));
        assert!(t(json!({"n": {"_gt": 2, "_lte": 3}})));
        assert!(t(
            json!({"_or": [{"name": {"_eq": "x"}}, {"n": {"_eq": 3}}]})
        ));
        assert!(!t(
            json!({"_and": [{"name": {"_eq": "alpha"}}, {"n": {"_eq": 4}}]})
        ));
        assert!(t(json!({"_not": {"name": {"_eq": "x"}}})));
        assert!(t(json!({})));
    }

    #[test]
    fn jsonb_operators() {
        let tables = Tables::new();
        let r = row(json!({"input": {"name": "pr-1", "tags": ["a", "b"]}}));
        let t = |exp: Value| matches(&tables, "jobs", &r, &exp).unwrap();
        assert!(t(json!({"input": {"_contains": {"name": "pr-1"}}})));
        assert!(!t(json!({"input": {"_contains": {"name": "pr-2"}}})));
        assert!(t(json!({"input": {"_has_key": "tags"}})));
        assert!(t(json!({"input": {"_has_keys_all": ["tags", "name"]}})));
        assert!(!t(json!({"input": {"_has_keys_any": ["x"]}})));
    }

    #[test]
    fn query_errors_keep_the_messages_clients_see() {
        let tables = Tables::new();
        let r = row(json!({"name": "alpha"}));
        let where_error = |exp: Value| {
            matches(&tables, "projects", &r, &exp)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            where_error(json!({"name": {"_soundex": "a"}})),
            "unsupported comparison operator _soundex"
        );
        let unclosed = "(".to_string();
        let bad_regex = regex::Regex::new(&unclosed).unwrap_err();
        assert_eq!(
            where_error(json!({"name": {"_regex": unclosed}})),
            format!("invalid regular expression: {bad_regex}")
        );
        let order_error = |spec: Value| {
            sort(&tables, "projects", &mut Vec::new(), &spec)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            order_error(json!({"name": "sideways"})),
            "unknown order_by value sideways"
        );
        assert_eq!(
            order_error(json!({"billing_manager": {"name": "asc"}})),
            "cannot order projects by billing_manager"
        );
        assert_eq!(
            QueryError::NotACount("limit").to_string(),
            "\"limit\" must be a non-negative integer"
        );
    }

    #[test]
    fn json_paths() {
        let v = json!({"a": {"b": [1, {"c": 2}]}});
        assert_eq!(at_path(&v, "$.a.b[1].c"), json!(2));
        assert_eq!(at_path(&v, "a.b[0]"), json!(1));
        assert_eq!(at_path(&v, "$.x"), Value::Null);
        assert_eq!(at_path(&v, "$"), v);
    }
}
