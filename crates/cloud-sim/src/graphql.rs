//! The GraphQL schema, built from the API's SDL (`schema/cloud-schema.graphql`) with
//! async-graphql's dynamic schema, so every type, field, argument and nullability the simulator
//! serves is the contract's own. Resolvers are generic: table fields read rows, relationship
//! fields follow [`crate::table::RELATIONSHIPS`], and the few actions call into [`World`].

use std::sync::Arc;

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext, Scalar,
    Schema, TypeRef,
};
use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use async_graphql::{ErrorExtensions, Name, ValidationMode, Value as GqlValue};
use serde_json::Value;

use crate::filter::{self, ListArgs, QueryError, at_path};
use crate::state::SimState;
use crate::table::{self, Relationship, RowRef, TABLES};
use crate::team::Visibility;
use crate::validate::SchemaIndex;
use crate::workers;
use crate::world::{ActionError, ActionResult, World, generic_server_error};

/// The SDL of the API's relevant part, as the repo keeps it.
pub const CLOUD_SDL: &str = include_str!("../../../schema/cloud-schema.graphql");

const BUILTIN_SCALARS: &[&str] = &["String", "Int", "Float", "Boolean", "ID"];

/// How a field gets its value.
#[derive(Clone)]
enum Resolve {
    Column {
        name: String,
        default: Option<GqlValue>,
    },
    Relation(&'static Relationship),
    /// A column holding rows of an object type (a mutation response's `returning`).
    Nested(String),
    List(&'static str),
    ByPk(&'static str),
    Action(String),
}

pub struct Schemas {
    /// What a caller with an accepted token sees.
    pub full: Schema,
    /// What any other caller sees: nothing of the API (Hasura's role without permissions).
    pub reduced: Schema,
    /// The same two schemas as graphql-engine's validation needs them.
    pub full_index: SchemaIndex,
    pub reduced_index: SchemaIndex,
}

/// The reduced schema's SDL (see [`reduced_schema`]).
const REDUCED_SDL: &str = "type query_root { no_queries_available: String! }
type mutation_root { no_mutations_available: String }";

/// Why the schema could not be built: the SDL file is broken, or the schema made from it is.
#[derive(Debug, thiserror::Error)]
pub enum SchemaBuildError {
    #[error("{0}")]
    SdlSyntax(#[from] async_graphql::parser::Error),
    #[error("{0}")]
    InvalidSchema(#[from] async_graphql::dynamic::SchemaError),
}

pub fn build(state: Arc<SimState>, visibility: Visibility) -> Result<Schemas, SchemaBuildError> {
    let document = async_graphql::parser::parse_schema(CLOUD_SDL)?;
    let mut builder = Schema::build("query_root", Some("mutation_root"), None);
    let enums = enum_names(&document);
    let objects = object_names(&document);
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = &ty.node;
        let name = ty.name.node.to_string();
        match &ty.kind {
            TypeKind::Scalar if !BUILTIN_SCALARS.contains(&name.as_str()) => {
                builder = builder.register(scalar(&name));
            }
            TypeKind::Enum(e) => {
                builder = builder.register(
                    Enum::new(&name).items(e.values.iter().map(|v| v.node.value.node.to_string())),
                );
            }
            TypeKind::InputObject(input) => {
                let mut object = InputObject::new(&name);
                for field in &input.fields {
                    let field = &field.node;
                    let mut value =
                        InputValue::new(field.name.node.to_string(), type_ref(&field.ty.node));
                    if let Some(default) = &field.default_value {
                        value = value.default_value(default.node.clone());
                    }
                    object = object.field(value);
                }
                builder = builder.register(object);
            }
            TypeKind::Object(object) => {
                let mut out = Object::new(&name);
                for field in &object.fields {
                    let field = &field.node;
                    let field_name = field.name.node.to_string();
                    if !visibility.shows(&name, &field_name) {
                        continue;
                    }
                    let mut resolve = resolver_for(&name, &field_name, &field.ty.node, &enums);
                    if matches!(resolve, Resolve::Column { .. })
                        && objects.iter().any(|o| o == named(&field.ty.node))
                    {
                        resolve = Resolve::Nested(field_name.clone());
                    }
                    let mut gql_field =
                        Field::new(&field_name, type_ref(&field.ty.node), move |ctx| {
                            resolve_field(&resolve, ctx)
                        });
                    for arg in &field.arguments {
                        let arg = &arg.node;
                        let mut value =
                            InputValue::new(arg.name.node.to_string(), type_ref(&arg.ty.node));
                        if let Some(default) = &arg.default_value {
                            value = value.default_value(default.node.clone());
                        }
                        gql_field = gql_field.argument(value);
                    }
                    out = out.field(gql_field);
                }
                builder = builder.register(out);
            }
            _ => {}
        }
    }
    // graphql-engine's rules are checked in front (`validate.rs`), not async-graphql's.
    let full = builder
        .data(state.clone())
        .validation_mode(ValidationMode::Fast)
        .finish()?;
    let table_names: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
    let full_index = SchemaIndex::new(&document, &table_names, |ty, field| {
        visibility.shows(ty, field)
    });
    let reduced_index = SchemaIndex::new(
        &async_graphql::parser::parse_schema(REDUCED_SDL)?,
        &[],
        |_, _| true,
    );
    Ok(Schemas {
        full,
        reduced: reduced_schema()?,
        full_index,
        reduced_index,
    })
}

/// Hasura gives a role without permissions a placeholder query root and no API fields, so any
/// real field fails validation with `field "x" not found in type: 'query_root'`.
fn reduced_schema() -> Result<Schema, SchemaBuildError> {
    let query = Object::new("query_root").field(Field::new(
        "no_queries_available",
        TypeRef::named_nn(TypeRef::STRING),
        |_| {
            FieldFuture::from_value(Some(GqlValue::from(
                "There are no queries available to the current role.",
            )))
        },
    ));
    let mutation = Object::new("mutation_root").field(Field::new(
        "no_mutations_available",
        TypeRef::named(TypeRef::STRING),
        |_| FieldFuture::from_value(Some(GqlValue::Null)),
    ));
    Schema::build("query_root", Some("mutation_root"), None)
        .register(query)
        .register(mutation)
        .validation_mode(ValidationMode::Fast)
        .finish()
        .map_err(SchemaBuildError::from)
}

fn enum_names(document: &async_graphql::parser::types::ServiceDocument) -> Vec<String> {
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) if matches!(t.node.kind, TypeKind::Enum(_)) => {
                Some(t.node.name.node.to_string())
            }
            _ => None,
        })
        .collect()
}

fn object_names(document: &async_graphql::parser::types::ServiceDocument) -> Vec<String> {
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) if matches!(t.node.kind, TypeKind::Object(_)) => {
                Some(t.node.name.node.to_string())
            }
            _ => None,
        })
        .collect()
}

fn scalar(name: &str) -> Scalar {
    let s = Scalar::new(name);
    match name {
        "uuid" => {
            s.validator(|v| matches!(v, GqlValue::String(s) if uuid::Uuid::parse_str(s).is_ok()))
        }
        "timestamptz" => s.validator(|v| matches!(v, GqlValue::String(_))),
        "bigint" => s.validator(|v| match v {
            GqlValue::Number(_) => true,
            GqlValue::String(s) => s.parse::<i128>().is_ok(),
            _ => false,
        }),
        _ => s,
    }
}

fn type_ref(ty: &Type) -> TypeRef {
    let inner = match &ty.base {
        BaseType::Named(name) => TypeRef::Named(name.to_string().into()),
        BaseType::List(item) => TypeRef::List(Box::new(type_ref(item))),
    };
    if ty.nullable {
        inner
    } else {
        TypeRef::NonNull(Box::new(inner))
    }
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named(item),
    }
}

fn table_of(type_name: &str) -> Option<&'static str> {
    TABLES.iter().map(|(t, _)| *t).find(|t| *t == type_name)
}

fn resolver_for(type_name: &str, field: &str, ty: &Type, enums: &[String]) -> Resolve {
    if let Some(rel) = table::relationship(type_name, field) {
        return Resolve::Relation(rel);
    }
    if type_name == "query_root" || type_name == "mutation_root" {
        return match table_of(named(ty)) {
            Some(t) if type_name == "query_root" && matches!(ty.base, BaseType::List(_)) => {
                Resolve::List(t)
            }
            Some(t) if type_name == "query_root" && field.ends_with("_by_pk") => Resolve::ByPk(t),
            _ => Resolve::Action(field.to_string()),
        };
    }
    Resolve::Column {
        name: field.to_string(),
        default: (!ty.nullable).then(|| default_of(ty, enums)).flatten(),
    }
}

/// What a non-null column the simulator does not model reads as.
fn default_of(ty: &Type, enums: &[String]) -> Option<GqlValue> {
    if let BaseType::List(_) = ty.base {
        return Some(GqlValue::List(Vec::new()));
    }
    Some(match named(ty) {
        "String" => GqlValue::from(""),
        "Int" | "bigint" => GqlValue::from(0),
        "Float" => GqlValue::from(0.0),
        "Boolean" => GqlValue::from(false),
        "uuid" => GqlValue::from(uuid::Uuid::nil().to_string()),
        "timestamptz" => GqlValue::from("1970-01-01T00:00:00+00:00"),
        "jsonb" | "json" => GqlValue::Object(Default::default()),
        other if enums.iter().any(|e| e == other) => return None,
        _ => return None,
    })
}

fn resolve_field<'a>(resolve: &Resolve, ctx: ResolverContext<'a>) -> FieldFuture<'a> {
    let result = match resolve {
        Resolve::Column { name, default } => {
            return FieldFuture::Value(column(&ctx, name, default));
        }
        Resolve::Relation(rel) => relation(&ctx, rel),
        Resolve::Nested(name) => return FieldFuture::Value(nested(&ctx, name)),
        Resolve::List(table) => list(&ctx, table),
        Resolve::ByPk(table) => by_pk(&ctx, table),
        Resolve::Action(name) => action(&ctx, name),
    };
    FieldFuture::new(async move { result })
}

type Resolved<'a> = async_graphql::Result<Option<FieldValue<'a>>>;

fn column<'a>(
    ctx: &ResolverContext<'a>,
    name: &str,
    default: &Option<GqlValue>,
) -> Option<FieldValue<'a>> {
    let parent = ctx.parent_value.downcast_ref::<RowRef>()?;
    let mut value = parent.get(name).cloned().unwrap_or(Value::Null);
    if let Some(path) = ctx
        .args
        .get("path")
        .and_then(|p| p.string().ok().map(String::from))
    {
        value = at_path(&value, &path);
    }
    if value.is_null() {
        return default.clone().map(FieldValue::value);
    }
    GqlValue::from_json(value).ok().map(FieldValue::value)
}

/// Rows kept in a column, served as objects.
fn nested<'a>(ctx: &ResolverContext<'a>, name: &str) -> Option<FieldValue<'a>> {
    let parent = ctx.parent_value.downcast_ref::<RowRef>()?;
    let as_row = |value: &Value| value.as_object().map(|o| Arc::new(o.clone()) as RowRef);
    match parent.get(name)? {
        Value::Array(items) => rows(items.iter().filter_map(as_row).collect()),
        value => as_row(value).map(FieldValue::owned_any),
    }
}

fn state<'a>(ctx: &ResolverContext<'a>) -> async_graphql::Result<&'a Arc<SimState>> {
    ctx.data::<Arc<SimState>>()
}

fn args_json(ctx: &ResolverContext<'_>) -> Value {
    GqlValue::Object(ctx.args.as_index_map().clone())
        .into_json()
        .unwrap_or(Value::Null)
}

fn list_args(args: &Value) -> Result<ListArgs, QueryError> {
    let count = |name: &'static str| -> Result<Option<usize>, QueryError> {
        match args.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n as usize))
                .ok_or(QueryError::NotACount(name)),
        }
    };
    Ok(ListArgs {
        where_: args.get("where").filter(|v| !v.is_null()).cloned(),
        order_by: args.get("order_by").filter(|v| !v.is_null()).cloned(),
        distinct_on: args.get("distinct_on").filter(|v| !v.is_null()).cloned(),
        limit: count("limit")?,
        offset: count("offset")?.unwrap_or(0),
    })
}

fn rows<'a>(rows: Vec<RowRef>) -> Option<FieldValue<'a>> {
    Some(FieldValue::list(
        rows.into_iter().map(FieldValue::owned_any),
    ))
}

fn query_error(e: QueryError) -> async_graphql::Error {
    async_graphql::Error::new(e.to_string())
        .extend_with(|_, ext| ext.set("code", "validation-failed"))
}

fn list<'a>(ctx: &ResolverContext<'a>, table: &str) -> Resolved<'a> {
    let args = list_args(&args_json(ctx)).map_err(query_error)?;
    let world = state(ctx)?.world.read();
    let all = world.tables.rows(table).to_vec();
    Ok(rows(
        filter::select(&world.tables, table, all, &args).map_err(query_error)?,
    ))
}

fn by_pk<'a>(ctx: &ResolverContext<'a>, table: &str) -> Resolved<'a> {
    let args = args_json(ctx);
    let world = state(ctx)?.world.read();
    let pk = table::primary_key(table);
    let Some((first, rest)) = pk.split_first() else {
        return Ok(None);
    };
    let found = world
        .tables
        .lookup(table, first, args.get(*first).unwrap_or(&Value::Null))
        .into_iter()
        .find(|row| rest.iter().all(|c| row.get(*c) == args.get(*c)));
    Ok(found.map(FieldValue::owned_any))
}

fn relation<'a>(ctx: &ResolverContext<'a>, rel: &Relationship) -> Resolved<'a> {
    let Some(parent) = ctx.parent_value.downcast_ref::<RowRef>() else {
        return Ok(None);
    };
    let state = state(ctx)?;
    if rel.to == "config_status"
        && let Some(tenant_id) = parent.get("tenant_id").and_then(Value::as_str)
    {
        workers::refresh(&mut state.world.write(), tenant_id, state.clock.now());
    }
    let world = state.world.read();
    let related = world.tables.related(rel, parent);
    if !rel.many {
        return Ok(related.into_iter().next().map(FieldValue::owned_any));
    }
    let args = list_args(&args_json(ctx)).map_err(query_error)?;
    Ok(rows(
        filter::select(&world.tables, rel.to, related, &args).map_err(query_error)?,
    ))
}

fn action<'a>(ctx: &ResolverContext<'a>, name: &str) -> Resolved<'a> {
    let args = args_json(ctx);
    let state = state(ctx)?;
    let now = state.clock.now();
    let mut world = state.world.write();
    if matches!(name, "updateTenantEnv" | "deleteTenantEnv")
        && let Some(tenant_id) = args.get("tenantId").and_then(Value::as_str)
    {
        // The workers run the config from before the change, and take the new one in turn.
        workers::refresh(&mut world, tenant_id, now);
    }
    let result: ActionResult = run_action(&mut world, name, &args, now);
    match result {
        Ok(row) => Ok(row.map(FieldValue::owned_any)),
        Err(e) => Err(action_error(e)),
    }
}

fn run_action(
    world: &mut World,
    name: &str,
    args: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> ActionResult {
    match name {
        "getTenantEnv" => world.get_env(args),
        "getTenantEnvConfigInfo" => world.env_config_info(args),
        "createTenant" => world.create_tenant(args, now),
        "deleteTenant" => world.delete_tenant(args),
        "updateTenantEnv" => world.update_env(args, now),
        "deleteTenantEnv" => world.delete_env(args, now),
        "updateTenantName" => world.update_tenant_name(args, now),
        "update_projects_by_pk" => world.update_project(args, now),
        "insert_custom_domain_one" => world.insert_custom_domain(args, now),
        "delete_custom_domain_by_pk" => world.delete_custom_domain(args),
        "changePlan" => world.change_plan(args, now),
        "createGitHubPreviewApp" => crate::preview::create_preview_app(world, args, now),
        "inviteCollaborator" => crate::team::invite(world, args, now),
        "resendInvite" => crate::team::resend(world, args, now),
        "acceptInvite" => crate::team::accept(world, args, now),
        "declineInvite" => crate::team::decline(world, args, now),
        "delete_project_collaborator_invitations_by_pk" => {
            crate::team::delete_invitation(world, args)
        }
        "delete_project_collaborators_by_pk" => crate::team::delete_collaborator(world, args),
        "insert_project_collaborator_privileges" => {
            crate::team::insert_privileges(world, args, now)
        }
        "delete_project_collaborator_privileges" => crate::team::delete_privileges(world, args),
        _ => Err(generic_server_error()),
    }
}

fn action_error(e: ActionError) -> async_graphql::Error {
    let code = e.code;
    async_graphql::Error::new(e.message).extend_with(move |_, ext| {
        ext.set("code", code);
        if code == "GenericServerError" {
            ext.set("id", uuid::Uuid::new_v4().to_string());
        }
    })
}

/// The operation a request runs, as fault matching and the request log see it.
#[derive(Debug, Default)]
pub struct OperationSummary {
    /// `operationName` of the request, else the name the document gives its operation.
    pub name: Option<String>,
    /// The root fields it selects (following fragments).
    pub root_fields: Vec<String>,
}

pub fn summarize(
    doc: Option<&async_graphql::parser::types::ExecutableDocument>,
    operation_name: Option<&str>,
) -> OperationSummary {
    use async_graphql::parser::types::{DocumentOperations, Selection, SelectionSet};
    let Some(doc) = doc else {
        return OperationSummary::default();
    };
    let (document_name, operation) = match &doc.operations {
        DocumentOperations::Single(op) => (None, Some(op)),
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(name) => (None, ops.get(&Name::new(name))),
            None => match ops.iter().next() {
                Some((name, op)) => (Some(name.to_string()), Some(op)),
                None => (None, None),
            },
        },
    };
    fn collect(
        set: &SelectionSet,
        doc: &async_graphql::parser::types::ExecutableDocument,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => out.push(f.node.name.node.to_string()),
                Selection::InlineFragment(f) => {
                    collect(&f.node.selection_set.node, doc, out, depth + 1)
                }
                Selection::FragmentSpread(s) => {
                    if let Some(fragment) = doc.fragments.get(&s.node.fragment_name.node) {
                        collect(&fragment.node.selection_set.node, doc, out, depth + 1);
                    }
                }
            }
        }
    }
    let mut root_fields = Vec::new();
    if let Some(op) = operation {
        collect(&op.node.selection_set.node, doc, &mut root_fields, 0);
    }
    OperationSummary {
        name: operation_name.map(String::from).or(document_name),
        root_fields,
    }
}
