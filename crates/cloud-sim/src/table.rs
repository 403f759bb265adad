//! An in-memory table store: rows, primary keys, relationships and lazy equality indexes.
//! Hasura's list arguments (`where`, `order_by`, …) are applied on top of it by `filter.rs`.
//!
//! Rows are JSON objects, so the store knows nothing of the schema beyond the table names, their
//! primary keys and the relationships below; the GraphQL layer gives them their types.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use serde_json::Value;

pub type Row = serde_json::Map<String, Value>;
pub type RowRef = Arc<Row>;

/// A link from one row type to rows of a table, by equal column values.
#[derive(Debug)]
pub struct Relationship {
    pub from: &'static str,
    pub field: &'static str,
    pub to: &'static str,
    /// (column of `from`, column of `to`) pairs that must be equal.
    pub on: &'static [(&'static str, &'static str)],
    pub many: bool,
}

const fn rel(
    from: &'static str,
    field: &'static str,
    to: &'static str,
    on: &'static [(&'static str, &'static str)],
    many: bool,
) -> Relationship {
    Relationship {
        from,
        field,
        to,
        on,
        many,
    }
}

/// Tables and their primary-key columns.
pub const TABLES: &[(&str, &[&str])] = &[
    ("projects", &["id"]),
    ("tenant", &["id"]),
    ("config", &["tenant_id"]),
    ("config_status", &["tenant_id", "worker_id"]),
    ("custom_domain", &["id"]),
    ("tenant_public_status", &["tenant_id", "type"]),
    ("jobs", &["id"]),
    ("tasks", &["id"]),
    ("task_event", &["id"]),
    ("region", &["name", "cloud"]),
    ("plans", &["name"]),
    // Team access (`team.rs`).
    ("project_collaborators", &["id"]),
    (
        "project_collaborator_privileges",
        &["project_collaborator_id", "privilege_slug"],
    ),
    ("project_collaborator_invitations", &["id"]),
    ("users_public", &["id"]),
    ("users", &["id"]),
    ("project_entitlement_access", &["id"]),
    ("project_entitlement_catalogue", &["id"]),
];

pub const RELATIONSHIPS: &[Relationship] = &[
    // Team access (`team.rs`). A plan's entitlements are shared by its projects.
    rel(
        "projects",
        "collaborators",
        "project_collaborators",
        &[("id", "project_id")],
        true,
    ),
    rel(
        "projects",
        "invitations",
        "project_collaborator_invitations",
        &[("id", "project_id")],
        true,
    ),
    rel(
        "projects",
        "owner",
        "users_public",
        &[("owner_id", "id")],
        false,
    ),
    rel(
        "projects",
        "entitlements",
        "project_entitlement_access",
        &[("plan_name", "plan_name")],
        true,
    ),
    rel(
        "project_collaborators",
        "collaborator",
        "users_public",
        &[("collaborator_id", "id")],
        false,
    ),
    rel(
        "project_collaborators",
        "project",
        "projects",
        &[("project_id", "id")],
        false,
    ),
    rel(
        "project_collaborators",
        "project_collaborator_privileges",
        "project_collaborator_privileges",
        &[("id", "project_collaborator_id")],
        true,
    ),
    rel(
        "project_collaborator_privileges",
        "project_collaborator",
        "project_collaborators",
        &[("project_collaborator_id", "id")],
        false,
    ),
    rel(
        "project_collaborator_invitations",
        "project",
        "projects",
        &[("project_id", "id")],
        false,
    ),
    rel(
        "project_collaborator_invitations",
        "invited_by_user",
        "users",
        &[("invited_by", "id")],
        false,
    ),
    rel(
        "project_collaborator_invitations",
        "project_collaborator",
        "project_collaborators",
        &[("project_collaborator_id", "id")],
        false,
    ),
    rel(
        "project_entitlement_access",
        "entitlement",
        "project_entitlement_catalogue",
        &[("entitlement_id", "id")],
        false,
    ),
    rel(
        "projects",
        "tenant",
        "tenant",
        &[("id", "project_id")],
        false,
    ),
    rel("projects", "jobs", "jobs", &[("id", "project_id")], true),
    rel(
        "tenant",
        "project",
        "projects",
        &[("project_id", "id")],
        false,
    ),
    rel("tenant", "config", "config", &[("id", "tenant_id")], false),
    rel(
        "tenant",
        "custom_domains",
        "custom_domain",
        &[("id", "tenant_id")],
        true,
    ),
    rel(
        "tenant",
        "region_info",
        "region",
        &[("region", "name"), ("cloud", "cloud")],
        false,
    ),
    rel(
        "tenant",
        "tenant_public_status",
        "tenant_public_status",
        &[("id", "tenant_id")],
        true,
    ),
    rel(
        "tenant_public_status",
        "tenant",
        "tenant",
        &[("tenant_id", "id")],
        false,
    ),
    rel(
        "config",
        "status",
        "config_status",
        &[("tenant_id", "tenant_id")],
        true,
    ),
    rel("config", "tenant", "tenant", &[("tenant_id", "id")], false),
    rel(
        "config_status",
        "tenant",
        "tenant",
        &[("tenant_id", "id")],
        false,
    ),
    rel(
        "custom_domain",
        "tenant",
        "tenant",
        &[("tenant_id", "id")],
        false,
    ),
    rel(
        "jobs",
        "project",
        "projects",
        &[("project_id", "id")],
        false,
    ),
    rel("jobs", "tasks", "tasks", &[("id", "job_id")], true),
    rel("tasks", "job", "jobs", &[("job_id", "id")], false),
    rel(
        "tasks",
        "task_events",
        "task_event",
        &[("id", "task_id")],
        true,
    ),
    rel("task_event", "task", "tasks", &[("task_id", "id")], false),
    // Action responses point into the tables too.
    rel(
        "CreateTenantResponse",
        "tenant",
        "tenant",
        &[("id", "id")],
        false,
    ),
    rel(
        "UpdateTenantNameResponse",
        "tenant",
        "tenant",
        &[("tenant_id", "id")],
        false,
    ),
    rel(
        "PlanResponse",
        "project",
        "projects",
        &[("projectId", "id")],
        false,
    ),
    rel(
        "PreviewAppResponse",
        "github_preview_app_job",
        "jobs",
        &[("githubPreviewAppJobID", "id")],
        false,
    ),
];

pub fn relationship(from: &str, field: &str) -> Option<&'static Relationship> {
    RELATIONSHIPS
        .iter()
        .find(|r| r.from == from && r.field == field)
}

pub fn primary_key(table: &str) -> &'static [&'static str] {
    TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, pk)| *pk)
        .unwrap_or(&[])
}

/// An equality index: value key → row positions.
type Index = HashMap<String, Vec<usize>>;

#[derive(Default)]
struct TableData {
    rows: Vec<RowRef>,
    /// Lazily built equality indexes, column → value key → row positions; cleared on write.
    indexes: Mutex<HashMap<String, Arc<Index>>>,
}

#[derive(Default)]
pub struct Tables {
    tables: HashMap<&'static str, TableData>,
}

/// The key a value is indexed under; `None` for null, which never equals anything.
pub fn index_key(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.to_ascii_lowercase()),
        other => Some(other.to_string()),
    }
}

impl Tables {
    pub fn new() -> Self {
        let mut tables = HashMap::new();
        for (name, _) in TABLES {
            tables.insert(*name, TableData::default());
        }
        Self { tables }
    }

    fn data(&self, table: &str) -> Option<&TableData> {
        self.tables.get(table)
    }

    fn data_mut(&mut self, table: &str) -> Option<&mut TableData> {
        let data = self.tables.get_mut(table)?;
        data.indexes.get_mut().clear();
        Some(data)
    }

    pub fn rows(&self, table: &str) -> &[RowRef] {
        self.data(table).map(|d| d.rows.as_slice()).unwrap_or(&[])
    }

    pub fn insert(&mut self, table: &str, row: Row) -> RowRef {
        let row = Arc::new(row);
        if let Some(data) = self.data_mut(table) {
            data.rows.push(row.clone());
        }
        row
    }

    /// Inserts keeping the table sorted by `column`'s text: rows then come back in that order,
    /// not in the order they were made (as Postgres may return rows without `ORDER BY`).
    pub fn insert_ordered(&mut self, table: &str, column: &str, row: Row) -> RowRef {
        let row = Arc::new(row);
        if let Some(data) = self.data_mut(table) {
            let key = |r: &Row| r.get(column).and_then(Value::as_str).map(str::to_owned);
            let new_key = key(&row);
            let at = data.rows.partition_point(|r| key(r) <= new_key);
            data.rows.insert(at, row.clone());
        }
        row
    }

    /// Applies `change` to every row matching `pred`; returns the updated rows.
    pub fn update(
        &mut self,
        table: &str,
        pred: impl Fn(&Row) -> bool,
        change: impl Fn(&mut Row),
    ) -> Vec<RowRef> {
        let mut updated = Vec::new();
        if let Some(data) = self.data_mut(table) {
            for row in data.rows.iter_mut().filter(|r| pred(r)) {
                change(Arc::make_mut(row));
                updated.push(row.clone());
            }
        }
        updated
    }

    pub fn delete(&mut self, table: &str, pred: impl Fn(&Row) -> bool) -> usize {
        let Some(data) = self.data_mut(table) else {
            return 0;
        };
        let before = data.rows.len();
        data.rows.retain(|r| !pred(r));
        before - data.rows.len()
    }

    /// Rows of `table` whose `column` equals `value`, through an index.
    pub fn lookup(&self, table: &str, column: &str, value: &Value) -> Vec<RowRef> {
        let (Some(data), Some(key)) = (self.data(table), index_key(value)) else {
            return Vec::new();
        };
        let index = {
            let mut indexes = data.indexes.lock();
            indexes
                .entry(column.to_string())
                .or_insert_with(|| {
                    let mut index = Index::new();
                    for (pos, row) in data.rows.iter().enumerate() {
                        if let Some(k) = row.get(column).and_then(index_key) {
                            index.entry(k).or_default().push(pos);
                        }
                    }
                    Arc::new(index)
                })
                .clone()
        };
        index
            .get(&key)
            .map(|positions| {
                positions
                    .iter()
                    .filter_map(|&p| data.rows.get(p).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn find(&self, table: &str, column: &str, value: &Value) -> Option<RowRef> {
        self.lookup(table, column, value).into_iter().next()
    }

    /// The rows a relationship leads to from `parent`.
    pub fn related(&self, rel: &Relationship, parent: &Row) -> Vec<RowRef> {
        let Some(((first_from, first_to), rest)) = rel.on.split_first() else {
            return Vec::new();
        };
        let Some(first) = parent.get(*first_from) else {
            return Vec::new();
        };
        let mut rows = self.lookup(rel.to, first_to, first);
        rows.retain(|row| {
            rest.iter()
                .all(|(from, to)| match (parent.get(*from), row.get(*to)) {
                    (Some(a), Some(b)) => index_key(a).is_some() && index_key(a) == index_key(b),
                    _ => false,
                })
        });
        rows
    }
}

/// A 40-hex-digit identifier, the shape of config hashes.
pub fn new_hash() -> String {
    use rand::Rng;
    let bytes: [u8; 20] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Timestamps in the format Hasura prints `timestamptz` values in.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> Value {
    Value::String(at.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string())
}
