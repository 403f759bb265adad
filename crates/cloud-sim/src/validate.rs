//! Request validation as graphql-engine v2 does it, in front of async-graphql's executor (whose
//! own graphql-js-style rules are off: `ValidationMode::Fast`). The rules, their messages and
//! codes, and the graphql-engine source file each comes from are listed in
//! `docs/simulator-validation.md`; every rule has a test in `tests/validation.rs`.
//!
//! The order is graphql-engine's: pick the operation, inline fragments, resolve variables, then
//! parse the selection set against the schema, stopping at the first error. A value that only the
//! database would refuse (a string that is not a uuid in a table's argument) fails afterwards,
//! as Postgres's `data-exception`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
    Selection, SelectionSet, ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Positioned};
use async_graphql_value::Value as Gql;
use serde_json::{Map, Value as Json, json};

pub const VALIDATION_FAILED: &str = "validation-failed";
pub const PARSE_FAILED: &str = "parse-failed";
pub const DATA_EXCEPTION: &str = "data-exception";
pub const UNEXPECTED_PAYLOAD: &str = "unexpected-payload";

/// Why graphql-engine would refuse a request: `{"message", "extensions": {"path", "code"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    pub path: String,
    pub code: &'static str,
}

impl Rejection {
    fn new(code: &'static str, path: &str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            path: path.to_string(),
            code,
        }
    }

    /// The whole response body, as graphql-engine answers (HTTP 200).
    pub fn body(&self) -> Json {
        json!({ "errors": [{ "message": self.message, "extensions": { "path": self.path, "code": self.code } }] })
    }
}

/// Types of Postgres columns: graphql-engine hands their values to Postgres (`parsePGValue`).
const PG_SCALARS: &[&str] = &["uuid", "timestamptz", "bigint", "jsonb", "json"];

enum Kind {
    Scalar,
    Enum(Vec<String>),
    Input(Vec<InputDef>),
    Object(HashMap<String, FieldDef>),
}

struct InputDef {
    name: String,
    ty: Type,
    has_default: bool,
}

struct FieldDef {
    ty: Type,
    args: Vec<InputDef>,
    /// A root field answered by an action handler: graphql-engine passes its arguments on
    /// without asking Postgres, so only the handler can refuse them.
    action: bool,
}

/// The types of a served schema, as the validator needs them.
pub struct SchemaIndex {
    types: HashMap<String, Kind>,
}

impl SchemaIndex {
    /// `keep(type, field)` drops fields the caller may not see (e.g. `query_root.region`).
    pub fn new(
        document: &ServiceDocument,
        tables: &[&str],
        keep: impl Fn(&str, &str) -> bool,
    ) -> Self {
        let mut types = HashMap::new();
        for name in ["String", "Int", "Float", "Boolean", "ID"] {
            types.insert(name.to_string(), Kind::Scalar);
        }
        for definition in &document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let ty = &ty.node;
            let type_name = ty.name.node.to_string();
            let kind = match &ty.kind {
                TypeKind::Scalar => Kind::Scalar,
                TypeKind::Enum(e) => Kind::Enum(
                    e.values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                ),
                TypeKind::InputObject(input) => Kind::Input(
                    input
                        .fields
                        .iter()
                        .map(|f| InputDef {
                            name: f.node.name.node.to_string(),
                            ty: f.node.ty.node.clone(),
                            has_default: f.node.default_value.is_some(),
                        })
                        .collect(),
                ),
                TypeKind::Object(object) => {
                    let root = type_name.ends_with("_root");
                    Kind::Object(
                        object
                            .fields
                            .iter()
                            .filter(|f| keep(&type_name, f.node.name.node.as_str()))
                            .map(|f| {
                                let f = &f.node;
                                let name = f.name.node.to_string();
                                let returns_table = tables.contains(&named(&f.ty.node));
                                let generated = ["insert_", "update_", "delete_"]
                                    .iter()
                                    .any(|p| name.starts_with(p));
                                let def = FieldDef {
                                    ty: f.ty.node.clone(),
                                    args: f
                                        .arguments
                                        .iter()
                                        .map(|a| InputDef {
                                            name: a.node.name.node.to_string(),
                                            ty: a.node.ty.node.clone(),
                                            has_default: a.node.default_value.is_some(),
                                        })
                                        .collect(),
                                    action: root && !returns_table && !generated,
                                };
                                (name, def)
                            })
                            .collect(),
                    )
                }
                _ => continue,
            };
            types.insert(type_name, kind);
        }
        Self { types }
    }
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named(item),
    }
}

/// Checks a parsed request; `Ok` means graphql-engine would run it.
pub fn check(
    index: &SchemaIndex,
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Map<String, Json>,
) -> Result<(), Rejection> {
    let operation = pick_operation(doc, operation_name)?;
    let mut referenced = Vec::new();
    inline_fragments(
        doc,
        &operation.selection_set.node,
        &mut Vec::new(),
        &mut HashSet::new(),
        &mut referenced,
    )?;
    for directive in &operation.directives {
        for (_, value) in &directive.node.arguments {
            variables_in(&value.node, &mut referenced);
        }
    }
    let vars = resolve_variables(operation, variables, &referenced)?;
    let root = match operation.ty {
        OperationType::Query => "query_root",
        OperationType::Mutation => "mutation_root",
        OperationType::Subscription => {
            return Err(Rejection::new(
                UNEXPECTED_PAYLOAD,
                "$",
                "subscriptions are not supported over HTTP, use websockets instead",
            ));
        }
    };
    let mut parser = Parser {
        index,
        doc,
        vars: &vars,
        database_error: None,
        in_action: false,
    };
    let mut path = String::from("$");
    parser.selection_set(root, &operation.selection_set.node, &mut path, true)?;
    match parser.database_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `Hasura.GraphQL.Transport.HTTP` / `Execute.getSingleOperation`.
fn pick_operation<'a>(
    doc: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Result<&'a OperationDefinition, Rejection> {
    let fail = |m: String| Rejection::new(VALIDATION_FAILED, "$", m);
    match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), None) => Ok(&op.node),
        (DocumentOperations::Single(_), Some(_)) => Err(fail(
            "operationName cannot be used when an anonymous operation exists in the document"
                .into(),
        )),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .get(&Name::new(name))
            .map(|op| &op.node)
            .ok_or_else(|| fail(format!("no such operation found in the document: \"{name}\""))),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .values()
            .next()
            .map(|op| &op.node)
            .ok_or_else(|| fail("no operation".into())),
        (DocumentOperations::Multiple(_), None) => Err(fail(
            "exactly one operation has to be present in the document when operationName is not specified"
                .into(),
        )),
    }
}

/// `Execute/Inline.hs`: every spread of the operation must name a fragment, without cycles.
/// Collects the variables the inlined selection set refers to, in order.
fn inline_fragments<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    stack: &mut Vec<&'a str>,
    done: &mut HashSet<&'a str>,
    referenced: &mut Vec<&'a str>,
) -> Result<(), Rejection> {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let field = &field.node;
                for (_, value) in &field.arguments {
                    variables_in(&value.node, referenced);
                }
                for directive in &field.directives {
                    for (_, value) in &directive.node.arguments {
                        variables_in(&value.node, referenced);
                    }
                }
                inline_fragments(doc, &field.selection_set.node, stack, done, referenced)?;
            }
            Selection::InlineFragment(fragment) => {
                for directive in &fragment.node.directives {
                    for (_, value) in &directive.node.arguments {
                        variables_in(&value.node, referenced);
                    }
                }
                inline_fragments(
                    doc,
                    &fragment.node.selection_set.node,
                    stack,
                    done,
                    referenced,
                )?;
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                for directive in &spread.node.directives {
                    for (_, value) in &directive.node.arguments {
                        variables_in(&value.node, referenced);
                    }
                }
                if let Some(at) = stack.iter().position(|n| *n == name) {
                    let mut cycle = vec![format!("\"{name}\"")];
                    cycle.extend(stack[at + 1..].iter().map(|n| format!("\"{n}\"")));
                    return Err(Rejection::new(
                        VALIDATION_FAILED,
                        "$",
                        format!(
                            "the fragment definition(s) {} form a cycle",
                            english_list("and", &cycle)
                        ),
                    ));
                }
                if done.contains(name) {
                    continue;
                }
                let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) else {
                    return Err(Rejection::new(
                        VALIDATION_FAILED,
                        "$",
                        format!("reference to undefined fragment \"{name}\""),
                    ));
                };
                stack.push(name);
                inline_fragments(
                    doc,
                    &fragment.node.selection_set.node,
                    stack,
                    done,
                    referenced,
                )?;
                stack.pop();
                done.insert(name);
            }
        }
    }
    Ok(())
}

fn variables_in<'a>(value: &'a Gql, out: &mut Vec<&'a str>) {
    match value {
        Gql::Variable(name) => out.push(name.as_str()),
        Gql::List(items) => items.iter().for_each(|v| variables_in(v, out)),
        Gql::Object(fields) => fields.values().for_each(|v| variables_in(v, out)),
        _ => {}
    }
}

/// `Hasura.Server.Utils.englishList`: "a", "a and b", "a, b, and c".
fn english_list(joiner: &str, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [one, two] => format!("{one} {joiner} {two}"),
        [init @ .., last] => format!("{}, {joiner} {last}", init.join(", ")),
    }
}

/// A declared variable and the value it stands for.
struct Var<'a> {
    ty: &'a Type,
    non_null_default: bool,
    value: VarValue<'a>,
}

enum VarValue<'a> {
    Json(&'a Json),
    Literal(Gql),
}

/// `Execute/Resolve.hs` (`resolveVariables`).
fn resolve_variables<'a>(
    operation: &'a OperationDefinition,
    values: &'a Map<String, Json>,
    referenced: &[&str],
) -> Result<HashMap<&'a str, Var<'a>>, Rejection> {
    let mut vars: HashMap<&str, Var> = HashMap::new();
    let mut duplicate = None;
    for definition in &operation.variable_definitions {
        let definition = &definition.node;
        let name = definition.name.node.as_str();
        let ty = &definition.var_type.node;
        let default = definition.default_value.as_ref().map(|d| &d.node);
        let value = match values.get(name) {
            Some(Json::Null) if !ty.nullable => {
                return Err(Rejection::new(
                    VALIDATION_FAILED,
                    "$",
                    format!("null value found for non-nullable type: \"{ty}\""),
                ));
            }
            Some(json) => VarValue::Json(json),
            // A default is used only when no value is sent; it is never checked otherwise.
            None => match default {
                Some(d) => VarValue::Literal(d.clone().into_value()),
                None if ty.nullable => VarValue::Literal(Gql::Null),
                None => {
                    return Err(Rejection::new(
                        VALIDATION_FAILED,
                        "$",
                        format!("expecting a value for non-nullable variable: \"{name}\""),
                    ));
                }
            },
        };
        let var = Var {
            ty,
            non_null_default: default.is_some_and(|d| !matches!(d, async_graphql::Value::Null)),
            value,
        };
        if vars.insert(name, var).is_some() && duplicate.is_none() {
            duplicate = Some(name);
        }
    }
    if let Some(name) = duplicate {
        return Err(Rejection::new(
            PARSE_FAILED,
            "$",
            format!("multiple definitions for variable \"{name}\""),
        ));
    }
    if let Some(name) = referenced.iter().find(|n| !vars.contains_key(**n)) {
        return Err(Rejection::new(
            VALIDATION_FAILED,
            "$",
            format!("unbound variable \"{name}\""),
        ));
    }
    // Declared but unused variables are fine; sent but unused ones are not.
    let unexpected: Vec<&str> = values
        .keys()
        .map(String::as_str)
        .filter(|k| !referenced.contains(k))
        .collect();
    if !unexpected.is_empty() {
        return Err(Rejection::new(
            VALIDATION_FAILED,
            "$",
            format!(
                "unexpected variables in variableValues: {}",
                unexpected.join(", ")
            ),
        ));
    }
    Ok(vars)
}

/// An input value under parsing: a GraphQL literal or a variable's JSON.
#[derive(Clone, Copy)]
enum In<'a> {
    Gql(&'a Gql),
    Json(&'a Json),
}

impl In<'_> {
    fn is_null(&self) -> bool {
        matches!(self, In::Gql(Gql::Null) | In::Json(Json::Null))
    }

    /// `TypeChecking.describeValue`.
    fn describe(&self) -> &'static str {
        match self {
            In::Json(j) => match j {
                Json::Null => "null",
                Json::Bool(_) => "a boolean",
                Json::String(_) => "a string",
                Json::Number(_) => "a number",
                Json::Array(_) => "a list",
                Json::Object(_) => "an object",
            },
            In::Gql(g) => match g {
                Gql::Null | Gql::Variable(_) => "null",
                Gql::Number(n) if n.is_f64() => "a float",
                Gql::Number(_) => "an integer",
                Gql::String(_) | Gql::Binary(_) => "a string",
                Gql::Boolean(_) => "a boolean",
                Gql::Enum(_) => "an enum value",
                Gql::List(_) => "a list",
                Gql::Object(_) => "an object",
            },
        }
    }

    /// The kind aeson names in "expected String, but encountered Number".
    fn aeson_kind(&self) -> &'static str {
        match self {
            In::Json(Json::Null) | In::Gql(Gql::Null | Gql::Variable(_)) => "Null",
            In::Json(Json::Bool(_)) | In::Gql(Gql::Boolean(_)) => "Boolean",
            In::Json(Json::String(_)) | In::Gql(Gql::String(_) | Gql::Enum(_) | Gql::Binary(_)) => {
                "String"
            }
            In::Json(Json::Number(_)) | In::Gql(Gql::Number(_)) => "Number",
            In::Json(Json::Array(_)) | In::Gql(Gql::List(_)) => "Array",
            In::Json(Json::Object(_)) | In::Gql(Gql::Object(_)) => "Object",
        }
    }

    fn string(&self) -> Option<&str> {
        match self {
            In::Json(Json::String(s)) | In::Gql(Gql::String(s)) => Some(s),
            In::Gql(Gql::Enum(e)) => Some(e.as_str()),
            _ => None,
        }
    }

    fn number(&self) -> Option<&serde_json::Number> {
        match self {
            In::Json(Json::Number(n)) | In::Gql(Gql::Number(n)) => Some(n),
            _ => None,
        }
    }
}

struct Parser<'a> {
    index: &'a SchemaIndex,
    doc: &'a ExecutableDocument,
    vars: &'a HashMap<&'a str, Var<'a>>,
    /// The first value Postgres would refuse, reported once the request validated.
    database_error: Option<Rejection>,
    in_action: bool,
}

fn at(path: &str, message: impl Into<String>) -> Rejection {
    Rejection::new(VALIDATION_FAILED, path, message)
}

/// `.key`, or `['key']` for a key that is not a plain name (aeson's JSON path).
fn push_key(path: &mut String, key: &str) {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        path.push('.');
        path.push_str(key);
    } else {
        let _ = write!(path, "['{key}']");
    }
}

impl<'a> Parser<'a> {
    /// `Parser/Internal/Parser.hs` (`selectionSetObject`, `rawSelection`, `rawSubselection`)
    /// and `Parser/Collect.hs` (fragments by type, `@skip`/`@include`).
    fn selection_set(
        &mut self,
        type_name: &str,
        set: &'a SelectionSet,
        path: &mut String,
        root: bool,
    ) -> Result<(), Rejection> {
        let Some(Kind::Object(fields)) = self.index.types.get(type_name) else {
            return Ok(());
        };
        let mark = path.len();
        path.push_str(".selectionSet");
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if self.skipped(&field.directives) {
                        continue;
                    }
                    let name = field.name.node.as_str();
                    if name == "__typename" || (root && (name == "__schema" || name == "__type")) {
                        continue;
                    }
                    let inner = path.len();
                    push_key(path, name);
                    let Some(def) = fields.get(name) else {
                        return Err(at(
                            path,
                            format!("field \"{name}\" not found in type: '{type_name}'"),
                        ));
                    };
                    let target = named(&def.ty);
                    let is_object = matches!(self.index.types.get(target), Some(Kind::Object(_)));
                    if !is_object && !field.selection_set.node.items.is_empty() {
                        return Err(at(path, "unexpected subselection set for non-object field"));
                    }
                    if let Some((arg, _)) = field
                        .arguments
                        .iter()
                        .find(|(a, _)| !def.args.iter().any(|d| d.name == a.node.as_str()))
                    {
                        return Err(at(
                            path,
                            format!("\"{name}\" has no argument named \"{}\"", arg.node),
                        ));
                    }
                    let was_action = self.in_action;
                    if root {
                        self.in_action = def.action;
                    }
                    let args_mark = path.len();
                    path.push_str(".args");
                    for arg in &def.args {
                        let value = field
                            .arguments
                            .iter()
                            .find(|(a, _)| a.node.as_str() == arg.name)
                            .map(|(_, v)| In::Gql(&v.node));
                        self.input_field(arg, value, path)?;
                    }
                    path.truncate(args_mark);
                    if is_object {
                        if field.selection_set.node.items.is_empty() {
                            path.push_str(".selectionSet");
                            return Err(at(
                                path,
                                format!("missing selection set for \"{target}\""),
                            ));
                        }
                        self.selection_set(target, &field.selection_set.node, path, false)?;
                    }
                    self.in_action = was_action;
                    path.truncate(inner);
                }
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let applies = fragment
                        .type_condition
                        .as_ref()
                        .is_none_or(|c| c.node.on.node.as_str() == type_name);
                    if applies && !self.skipped(&fragment.directives) {
                        path.truncate(mark);
                        self.selection_set(type_name, &fragment.selection_set.node, path, root)?;
                        path.push_str(".selectionSet");
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let spread = &spread.node;
                    let Some(fragment) = self.doc.fragments.get(&spread.fragment_name.node) else {
                        continue;
                    };
                    let fragment = &fragment.node;
                    if fragment.type_condition.node.on.node.as_str() == type_name
                        && !self.skipped(&spread.directives)
                    {
                        path.truncate(mark);
                        self.selection_set(type_name, &fragment.selection_set.node, path, root)?;
                        path.push_str(".selectionSet");
                    }
                }
            }
        }
        path.truncate(mark);
        Ok(())
    }

    /// `@skip(if: true)` or `@include(if: false)`, with a literal or a variable.
    fn skipped(&self, directives: &[Positioned<async_graphql::parser::types::Directive>]) -> bool {
        directives.iter().any(|d| {
            let condition = d.node.get_argument("if").and_then(|v| match &v.node {
                Gql::Boolean(b) => Some(*b),
                Gql::Variable(name) => match self.vars.get(name.as_str()).map(|v| &v.value) {
                    Some(VarValue::Json(Json::Bool(b))) => Some(*b),
                    Some(VarValue::Literal(Gql::Boolean(b))) => Some(*b),
                    _ => None,
                },
                _ => None,
            });
            matches!(
                (d.node.name.node.as_str(), condition),
                ("skip", Some(true)) | ("include", Some(false))
            )
        })
    }

    /// `Parser/Internal/Input.hs` (`field`, `fieldWithDefault`): a missing non-null field
    /// without default is refused; a present one is parsed by its type.
    fn input_field(
        &mut self,
        def: &'a InputDef,
        value: Option<In<'a>>,
        path: &mut String,
    ) -> Result<(), Rejection> {
        let mark = path.len();
        push_key(path, &def.name);
        match value {
            None if !def.ty.nullable && !def.has_default => {
                return Err(at(path, format!("missing required field \"{}\"", def.name)));
            }
            None => {}
            Some(value) => {
                let location_has_default = def.has_default || def.ty.nullable;
                self.value(&def.ty, location_has_default, value, path)?;
            }
        }
        path.truncate(mark);
        Ok(())
    }

    /// A value at a location of type `ty`.
    fn value(
        &mut self,
        ty: &Type,
        location_has_default: bool,
        value: In<'a>,
        path: &mut String,
    ) -> Result<(), Rejection> {
        let value = self.peel_variable(ty, location_has_default, value, path)?;
        if value.is_null() {
            return if ty.nullable {
                Ok(())
            } else {
                self.null_at_non_null(ty, value, path)
            };
        }
        match &ty.base {
            BaseType::List(item) => match value {
                In::Gql(Gql::List(items)) => {
                    for (i, v) in items.iter().enumerate() {
                        let mark = path.len();
                        let _ = write!(path, "[{i}]");
                        self.value(item, false, In::Gql(v), path)?;
                        path.truncate(mark);
                    }
                    Ok(())
                }
                In::Json(Json::Array(items)) => {
                    for (i, v) in items.iter().enumerate() {
                        let mark = path.len();
                        let _ = write!(path, "[{i}]");
                        self.value(item, false, In::Json(v), path)?;
                        path.truncate(mark);
                    }
                    Ok(())
                }
                // Input coercion: a single value stands for a list of one.
                single => {
                    let mark = path.len();
                    path.push_str("[0]");
                    self.value(item, false, single, path)?;
                    path.truncate(mark);
                    Ok(())
                }
            },
            BaseType::Named(name) => self.named_value(name.as_str(), value, path),
        }
    }

    /// `TypeChecking.peelVariable`: a variable must fit where it is used; its value (sent, or
    /// its default when none was sent) is then parsed as if written there.
    fn peel_variable(
        &self,
        location: &Type,
        location_has_default: bool,
        value: In<'a>,
        path: &str,
    ) -> Result<In<'a>, Rejection> {
        let In::Gql(Gql::Variable(name)) = value else {
            return Ok(value);
        };
        let vars = self.vars;
        let Some(var) = vars.get(name.as_str()) else {
            return Err(at(path, format!("unbound variable \"{name}\"")));
        };
        if !usage_allowed(location_has_default, location, var) {
            return Err(at(
                path,
                format!(
                    "variable \"{name}\" is declared as {}, but used where {location} is expected",
                    var.ty
                ),
            ));
        }
        Ok(match &var.value {
            VarValue::Json(j) => In::Json(j),
            VarValue::Literal(v) => In::Gql(v),
        })
    }

    fn null_at_non_null(&self, ty: &Type, value: In<'a>, path: &str) -> Result<(), Rejection> {
        let BaseType::Named(name) = &ty.base else {
            return Err(at(path, "expected a list, but found null"));
        };
        let name = name.as_str();
        let expected = match self.index.types.get(name) {
            // Postgres columns take null here and let the database decide.
            _ if PG_SCALARS.contains(&name) => return Ok(()),
            Some(Kind::Enum(_)) => "an enum value",
            Some(Kind::Input(_)) => "an object",
            _ => scalar_expectation(name),
        };
        Err(type_mismatch(path, name, expected, value))
    }

    fn named_value(
        &mut self,
        name: &str,
        value: In<'a>,
        path: &mut String,
    ) -> Result<(), Rejection> {
        if PG_SCALARS.contains(&name) {
            return self.postgres_value(name, value, path);
        }
        match self.index.types.get(name) {
            Some(Kind::Enum(values)) => enum_value(name, values, value, path),
            Some(Kind::Input(fields)) => self.object(name, fields, value, path),
            _ => builtin_scalar(name, value, path),
        }
    }

    /// `Parser/Internal/Input.hs` (`object`).
    fn object(
        &mut self,
        type_name: &str,
        fields: &'a [InputDef],
        value: In<'a>,
        path: &mut String,
    ) -> Result<(), Rejection> {
        match value {
            In::Gql(Gql::Object(given)) => {
                if let Some(key) = given
                    .keys()
                    .find(|k| !fields.iter().any(|f| f.name == k.as_str()))
                {
                    push_key(path, key);
                    return Err(at(
                        path,
                        format!("field \"{key}\" not found in type: '{type_name}'"),
                    ));
                }
                for def in fields {
                    let v = given.get(def.name.as_str()).map(In::Gql);
                    self.input_field(def, v, path)?;
                }
                Ok(())
            }
            In::Json(Json::Object(given)) => {
                if let Some(key) = given.keys().find(|k| !is_graphql_name(k)) {
                    return Err(at(
                        path,
                        format!(
                            "variable value contains object with key \"{key}\", which is not a legal GraphQL name"
                        ),
                    ));
                }
                if let Some(key) = given.keys().find(|k| !fields.iter().any(|f| &f.name == *k)) {
                    push_key(path, key);
                    return Err(at(
                        path,
                        format!("field \"{key}\" not found in type: '{type_name}'"),
                    ));
                }
                for def in fields {
                    let v = given.get(def.name.as_str()).map(In::Json);
                    self.input_field(def, v, path)?;
                }
                Ok(())
            }
            other => Err(type_mismatch(path, type_name, "an object", other)),
        }
    }

    /// `Backends/Postgres/SQL/Value.hs` (`parsePGValue`) behind the column and action-argument
    /// parsers: a string is handed to Postgres as text (so only Postgres, or an action's
    /// handler, can refuse it); other JSON must decode as the type.
    fn postgres_value(&mut self, name: &str, value: In<'a>, path: &str) -> Result<(), Rejection> {
        if matches!(name, "jsonb" | "json") {
            return Ok(());
        }
        if let Some(text) = value.string() {
            if !self.in_action && self.database_error.is_none() {
                self.database_error = postgres_text_problem(name, text)
                    .map(|m| Rejection::new(DATA_EXCEPTION, "$", m));
            }
            return Ok(());
        }
        let parse_failed = |m: String| Err(Rejection::new(PARSE_FAILED, path, m));
        match name {
            "bigint" => match value.number() {
                Some(n) if n.as_i64().is_some() => Ok(()),
                Some(n) => parse_failed(out_of_bounds(n)),
                None => parse_failed(format!(
                    "parsing Integer expected for input type: bigint failed, expected Number, but encountered {}",
                    value.aeson_kind()
                )),
            },
            "uuid" => parse_failed(format!(
                "parsing UUID failed, expected String, but encountered {}",
                value.aeson_kind()
            )),
            _ => parse_failed(format!(
                "parsing UTCTime failed, expected String, but encountered {}",
                value.aeson_kind()
            )),
        }
    }
}

/// `TypeChecking.isVariableUsageAllowed`: names and list shapes must match; a nullable variable
/// may fill a non-null location only where either side has a default. Nullability inside lists
/// is not compared (graphql-engine strips it at every level).
fn usage_allowed(location_has_default: bool, location: &Type, var: &Var) -> bool {
    fn same_shape(a: &Type, b: &Type) -> bool {
        match (&a.base, &b.base) {
            (BaseType::List(x), BaseType::List(y)) => same_shape(x, y),
            (BaseType::Named(x), BaseType::Named(y)) => x == y,
            _ => false,
        }
    }
    let allowed =
        location.nullable || !var.ty.nullable || location_has_default || var.non_null_default;
    allowed && same_shape(location, var.ty)
}

fn is_graphql_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `TypeChecking.typeMismatch`.
fn type_mismatch(path: &str, type_name: &str, expected: &str, given: In) -> Rejection {
    at(
        path,
        format!(
            "expected {expected} for type \"{type_name}\", but found {}",
            given.describe()
        ),
    )
}

fn scalar_expectation(name: &str) -> &'static str {
    match name {
        "Int" => "a 32-bit integer",
        "Float" => "a float",
        "Boolean" => "a boolean",
        "ID" => "a String or a 32-bit integer",
        _ => "a string",
    }
}

/// `Parser/Internal/Scalars.hs`: GraphQL's own scalars.
fn builtin_scalar(name: &str, value: In, path: &str) -> Result<(), Rejection> {
    let ok = match (name, value) {
        ("String", v) => v.string().is_some() && !matches!(v, In::Gql(Gql::Enum(_))),
        ("Boolean", In::Gql(Gql::Boolean(_)) | In::Json(Json::Bool(_))) => true,
        ("Float", In::Gql(Gql::Number(_)) | In::Json(Json::Number(_))) => true,
        ("Int" | "ID", In::Gql(Gql::Number(n))) if !n.is_f64() => {
            return int32(n, path);
        }
        ("Int" | "ID", In::Json(Json::Number(n))) => return int32(n, path),
        ("ID", In::Gql(Gql::String(_)) | In::Json(Json::String(_))) => true,
        // A scalar the simulator does not know more about takes anything.
        (other, _) if !["Int", "ID", "Boolean", "Float"].contains(&other) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(type_mismatch(path, name, scalar_expectation(name), value))
    }
}

/// `scientificToInteger` for a 32-bit Int.
fn int32(n: &serde_json::Number, path: &str) -> Result<(), Rejection> {
    let fits = n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
        || n.as_f64().is_some_and(|f| {
            f.fract() == 0.0 && f >= f64::from(i32::MIN) && f <= f64::from(i32::MAX)
        });
    if fits {
        Ok(())
    } else {
        Err(Rejection::new(PARSE_FAILED, path, out_of_bounds(n)))
    }
}

fn out_of_bounds(n: &serde_json::Number) -> String {
    format!(
        "The value {} lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?",
        haskell_scientific(n)
    )
}

/// How Haskell's `show` prints a `Scientific`: fixed between 0.1 and 10^7, else `d.ddde<n>`.
fn haskell_scientific(n: &serde_json::Number) -> String {
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return "0.0".into();
    }
    let magnitude = f.abs();
    if (0.1..1e7).contains(&magnitude) {
        let s = format!("{f}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = format!("{f:e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}e{exponent}")
}

/// `Parser/Internal/Input.hs` (`enum`).
fn enum_value(name: &str, values: &[String], value: In, path: &str) -> Result<(), Rejection> {
    let given = match value {
        In::Gql(Gql::Enum(e)) => e.as_str(),
        In::Json(Json::String(s)) if is_graphql_name(s) => s.as_str(),
        other => return Err(type_mismatch(path, name, "an enum value", other)),
    };
    if values.iter().any(|v| v == given) {
        return Ok(());
    }
    Err(at(
        path,
        format!(
            "expected one of the values {} for type \"{name}\", but found \"{given}\"",
            english_list("or", values)
        ),
    ))
}

/// What Postgres says of text it cannot read as the column's type (SQLSTATE 22P02 / 22003,
/// which graphql-engine answers as `data-exception`).
fn postgres_text_problem(type_name: &str, text: &str) -> Option<String> {
    match type_name {
        "uuid" if uuid::Uuid::parse_str(text.trim()).is_err() => {
            Some(format!("invalid input syntax for type uuid: \"{text}\""))
        }
        "bigint" => {
            let t = text.trim();
            let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                Some(format!("invalid input syntax for type bigint: \"{text}\""))
            } else if t.parse::<i64>().is_err() {
                Some(format!("value \"{text}\" is out of range for type bigint"))
            } else {
                None
            }
        }
        "timestamptz" if !reads_as_timestamp(text) => Some(format!(
            "invalid input syntax for type timestamp with time zone: \"{text}\""
        )),
        _ => None,
    }
}

/// The common shapes Postgres reads as a timestamp (ISO 8601 with `T` or a space, a date alone,
/// and its special words); anything else is refused.
fn reads_as_timestamp(text: &str) -> bool {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let t = text.trim();
    if [
        "now",
        "today",
        "tomorrow",
        "yesterday",
        "infinity",
        "-infinity",
        "epoch",
    ]
    .contains(&t.to_ascii_lowercase().as_str())
    {
        return true;
    }
    let with_t = t.replacen(' ', "T", 1);
    DateTime::parse_from_rfc3339(&with_t).is_ok()
        || DateTime::parse_from_str(&with_t, "%Y-%m-%dT%H:%M:%S%.f%#z").is_ok()
        || NaiveDateTime::parse_from_str(&with_t, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || NaiveDateTime::parse_from_str(&with_t, "%Y-%m-%dT%H:%M").is_ok()
        || NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_lists() {
        let l = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(english_list("or", &l(&["a"])), "a");
        assert_eq!(english_list("or", &l(&["a", "b"])), "a or b");
        assert_eq!(english_list("or", &l(&["a", "b", "c"])), "a, b, or c");
    }

    #[test]
    fn scientific_like_haskell() {
        let n = |v: Json| haskell_scientific(v.as_number().unwrap());
        assert_eq!(n(json!(1.5)), "1.5");
        assert_eq!(n(json!(3_000_000_000u64)), "3.0e9");
        assert_eq!(n(json!(12)), "12.0");
    }

    #[test]
    fn postgres_text() {
        assert!(postgres_text_problem("uuid", "7a79cf94-0e53-4520-a560-1b02bf000000").is_none());
        assert_eq!(
            postgres_text_problem("uuid", "nope").as_deref(),
            Some("invalid input syntax for type uuid: \"nope\"")
        );
        assert!(postgres_text_problem("bigint", "-42").is_none());
        assert!(
            postgres_text_problem("bigint", "99999999999999999999")
                .is_some_and(|m| m.contains("out of range"))
        );
        assert!(postgres_text_problem("timestamptz", "2026-12-06T10:00:00Z").is_none());
        assert!(postgres_text_problem("timestamptz", "2026-12-06 10:00:00+00").is_none());
        assert!(postgres_text_problem("timestamptz", "2026-12-06").is_none());
        assert!(postgres_text_problem("timestamptz", "soon").is_some());
    }
}
