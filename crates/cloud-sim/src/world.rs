//! The simulated account: its tables plus what the tables do not hold (env values, restarts,
//! preview-app jobs in progress), and the rules of the API's actions.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::config::{EnvLayout, SimConfig};
use crate::faults::{FaultKind, Faults};
use crate::jobs::JobRun;
use crate::table::{Row, RowRef, Tables, new_hash, timestamp};

/// An error an action answers with; `code` goes to `extensions.code`. A rule of the service
/// (a bad name, an unknown region, nothing changed) is `unexpected`, the code Hasura gives an
/// action handler's error; `validation-failed` is only ever the schema's, never a rule's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ActionError {
    pub message: String,
    pub code: &'static str,
}

impl ActionError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
        }
    }
    /// A business rule refused the request.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new("unexpected", message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new("not-found", format!("{what} not found"))
    }
    pub fn unexpected(message: impl Into<String>) -> Self {
        Self::new("unexpected", message)
    }
}

pub type ActionResult = Result<Option<RowRef>, ActionError>;

pub const PLANS: &[&str] = &["cloud_free", "cloud_free_v2", "cloud_payg", "cloud_shared"];

/// The message a stale `currentHash` gets. The real wording is unknown; this one says what
/// happened and what to do.
pub const STALE_HASH: &str =
    "config hash mismatch: the environment was changed after currentHash was read; fetch it again";
pub const NOTHING_CHANGED: &str = "nothing changed in config";
/// When a project whose restart broke (the `BrokenRestart` fault) is healthy again: never.
const BROKEN: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

pub struct World {
    pub tables: Tables,
    pub config: SimConfig,
    /// Where projects' own endpoints are served, e.g. `http://127.0.0.1:4000`.
    pub base_url: String,
    envs: HashMap<String, serde_json::Map<String, Value>>,
    /// Tenants whose `/healthz` fails until the given time (provisioning, restarting).
    unhealthy_until: HashMap<String, DateTime<Utc>>,
    /// Preview-app jobs in progress; `preview.rs` starts and steps them.
    pub(crate) runs: Vec<JobRun>,
    pub(crate) preview_calls: u32,
    owner_id: String,
    /// The fault rules; actions take the behaviour faults that concern them.
    pub(crate) faults: std::sync::Arc<Faults>,
}

impl World {
    /// An empty account, without even regions or plans: `demo::new_world` seeds those.
    pub fn new(config: SimConfig, base_url: String) -> Self {
        Self {
            tables: Tables::new(),
            config,
            base_url,
            envs: HashMap::new(),
            unhealthy_until: HashMap::new(),
            runs: Vec::new(),
            preview_calls: 0,
            owner_id: Uuid::new_v4().to_string(),
            faults: std::sync::Arc::default(),
        }
    }

    /// A duration of the real service, shortened by the configured speed.
    pub fn scaled(&self, realistic: Duration) -> chrono::Duration {
        let speed = if self.config.speed > 0.0 {
            self.config.speed
        } else {
            1.0
        };
        chrono::Duration::from_std(realistic.div_f64(speed)).unwrap_or_default()
    }

    /// The account owner, the caller of every request.
    pub fn owner_id(&self) -> &str {
        &self.owner_id
    }

    pub fn endpoint_for(&self, slug: &str) -> String {
        format!("{}/p/{slug}", self.base_url)
    }

    // ---- projects -------------------------------------------------------------------------

    pub fn create_tenant(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let cloud = str_arg(args, "cloud").unwrap_or_default();
        let region = str_arg(args, "region").unwrap_or_default();
        let plan = str_arg(args, "plan").unwrap_or("cloud_free");
        let envs = key_values(args.get("envs"))?;
        self.check_location(cloud, region)?;
        if !PLANS.contains(&plan) {
            return Err(ActionError::refused(format!(
                "plan \"{plan}\" is not offered; choose one of {}",
                PLANS.join(", ")
            )));
        }
        if plan == "cloud_free_v2" && !envs.is_empty() && self.config.quirks {
            // A known bug of the real service (2023): this combination fails inside.
            return Err(generic_server_error());
        }
        let name = match str_arg(args, "name") {
            Some(name) => {
                self.check_new_name(name, None)?;
                // A reported bug: the name asked for ignored, a random one handed out.
                if self.faults.take(&FaultKind::IgnoreProjectName) {
                    self.generate_name()
                } else {
                    name.to_string()
                }
            }
            None => self.generate_name(),
        };
        let tenant = self.insert_project(&name, cloud, region, plan, envs, now);
        Ok(reply(json!({ "id": tenant, "name": name })))
    }

    fn check_location(&self, cloud: &str, region: &str) -> Result<(), ActionError> {
        let regions: Vec<&str> = self
            .tables
            .rows("region")
            .iter()
            .filter(|r| r.get("cloud").and_then(Value::as_str) == Some(cloud))
            .filter(|r| r.get("is_active") == Some(&Value::Bool(true)))
            .filter_map(|r| r.get("name").and_then(Value::as_str))
            .collect();
        if regions.is_empty() {
            return Err(ActionError::refused(format!(
                "cloud \"{cloud}\" is not supported; choose aws, gcp or azure"
            )));
        }
        if !regions.contains(&region) {
            return Err(ActionError::refused(format!(
                "region \"{region}\" is not available on {cloud}; available: {}",
                regions.join(", ")
            )));
        }
        Ok(())
    }

    fn check_new_name(&self, name: &str, except_tenant: Option<&str>) -> Result<(), ActionError> {
        validate_project_name(name)?;
        let taken = self
            .tables
            .rows("projects")
            .iter()
            .filter(|p| {
                p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .any(|p| {
                let tenant =
                    self.tables
                        .find("tenant", "project_id", p.get("id").unwrap_or(&Value::Null));
                except_tenant
                    .is_none_or(|t| tenant.and_then(|t| str_of(&t, "id")) != Some(t.to_string()))
            });
        if taken {
            return Err(ActionError::new(
                "constraint-violation",
                format!("a project named \"{name}\" already exists"),
            ));
        }
        Ok(())
    }

    fn generate_name(&self) -> String {
        const ADJECTIVES: &[&str] = &[
            "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "lucky", "proud",
            "witty",
        ];
        const NOUNS: &[&str] = &[
            "otter", "falcon", "panda", "koala", "lynx", "heron", "bison", "gecko", "moose",
            "tiger",
        ];
        use rand::Rng;
        let mut rng = rand::rng();
        loop {
            let name = format!(
                "{}-{}-{}",
                ADJECTIVES[rng.random_range(0..ADJECTIVES.len())],
                NOUNS[rng.random_range(0..NOUNS.len())],
                rng.random_range(10..100)
            );
            if self.check_new_name(&name, None).is_ok() {
                return name;
            }
        }
    }

    /// Adds a project with its tenant, config and env; returns the tenant id.
    pub fn insert_project(
        &mut self,
        name: &str,
        cloud: &str,
        region: &str,
        plan: &str,
        envs: Vec<(String, String)>,
        now: DateTime<Utc>,
    ) -> String {
        let project_id = Uuid::new_v4().to_string();
        let tenant_id = Uuid::new_v4().to_string();
        let created = timestamp(now);
        self.tables.insert(
            "projects",
            row(json!({
                "id": project_id, "name": name, "endpoint": self.endpoint_for(name),
                "plan_name": plan, "billing_plan_name": plan, "owner_id": self.owner_id,
                "billing_manager_id": self.owner_id, "console_oauth_id": Uuid::new_v4().to_string(),
                "server_oauth_id": Uuid::new_v4().to_string(), "assigned_at": created,
                "created_at": created, "updated_at": created, "current_month_data_usage": 0,
                "number_of_requests_this_month": 0, "invoice_status": null,
            })),
        );
        self.tables.insert(
            "tenant",
            row(json!({
                "id": tenant_id, "project_id": project_id, "slug": name, "cloud": cloud,
                "region": region, "fqdn": format!("{name}.hasura.app"), "active": true,
                "active_status_reason": null, "maintenance_mode": false, "major_version": 2,
                "cloudflare_proxy_enabled": false, "health_status": {"status": "provisioning"},
                "created_at": created, "updated_at": created,
            })),
        );
        let mut env = serde_json::Map::new();
        env.insert(
            "HASURA_GRAPHQL_ADMIN_SECRET".into(),
            Value::String(new_hash()),
        );
        for (key, value) in envs {
            env.insert(key, Value::String(value));
        }
        self.envs.insert(tenant_id.clone(), env);
        self.tables.insert(
            "config",
            row(json!({
                "tenant_id": tenant_id, "hash": new_hash(), "updated_at": created,
                "vault_path": format!("secret/tenants/{tenant_id}"),
            })),
        );
        let ready = now + self.scaled(self.config.provisioning);
        self.unhealthy_until.insert(tenant_id.clone(), ready);
        tenant_id
    }

    fn tenant(&self, tenant_id: &str) -> Result<RowRef, ActionError> {
        self.tables
            .find("tenant", "id", &Value::String(tenant_id.to_string()))
            .ok_or_else(|| ActionError::not_found("tenant"))
    }

    pub fn delete_tenant(&mut self, args: &Value) -> ActionResult {
        let tenant = self.tenant(str_arg(args, "tenantId").unwrap_or_default())?;
        self.remove_tenant(&tenant);
        Ok(reply(json!({ "status": "deleted" })))
    }

    pub(crate) fn remove_tenant(&mut self, tenant: &Row) {
        let tenant_id = tenant.get("id").cloned().unwrap_or(Value::Null);
        let project_id = tenant.get("project_id").cloned().unwrap_or(Value::Null);
        let is = |col: &'static str, v: &Value| {
            let v = v.clone();
            move |r: &Row| r.get(col) == Some(&v)
        };
        self.tables.delete("tenant", is("id", &tenant_id));
        self.tables.delete("projects", is("id", &project_id));
        self.tables.delete("config", is("tenant_id", &tenant_id));
        self.tables
            .delete("custom_domain", is("tenant_id", &tenant_id));
        if let Some(id) = tenant_id.as_str() {
            self.envs.remove(id);
            self.unhealthy_until.remove(id);
        }
    }

    pub fn update_tenant_name(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let tenant = self.tenant(str_arg(args, "tenantId").unwrap_or_default())?;
        let tenant_id = str_of(&tenant, "id").unwrap_or_default();
        let name = str_arg(args, "name").unwrap_or_default();
        if str_of(&tenant, "slug").as_deref() == Some(name) {
            return Err(ActionError::unexpected("the project already has this name"));
        }
        self.check_new_name(name, Some(&tenant_id))?;
        let updated = timestamp(now);
        let endpoint = self.endpoint_for(name);
        let project_id = tenant.get("project_id").cloned().unwrap_or(Value::Null);
        self.tables.update(
            "projects",
            |r| r.get("id") == Some(&project_id),
            |r| {
                r.insert("name".into(), json!(name));
                r.insert("endpoint".into(), json!(endpoint));
                r.insert("updated_at".into(), updated.clone());
            },
        );
        self.tables.update(
            "tenant",
            |r| has(r, "id", &tenant_id),
            |r| {
                r.insert("slug".into(), json!(name));
                r.insert("fqdn".into(), json!(format!("{name}.hasura.app")));
                r.insert("updated_at".into(), updated.clone());
            },
        );
        // The new host name takes a moment to resolve.
        self.restart(&tenant_id, now);
        Ok(reply(json!({ "tenant_id": tenant_id })))
    }

    pub fn update_project(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let id = args
            .pointer("/pk_columns/id")
            .cloned()
            .unwrap_or(Value::Null);
        let set = args
            .get("_set")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(column) = set.keys().find(|k| k.as_str() != "name") {
            return Err(ActionError::new(
                "permission-error",
                format!("a personal access token may not change the column \"{column}\""),
            ));
        }
        let Some(project) = self.tables.find("projects", "id", &id) else {
            return Ok(None);
        };
        if let Some(name) = set.get("name").and_then(Value::as_str) {
            let tenant = self.tables.find("tenant", "project_id", &id);
            let tenant_id = tenant.as_ref().and_then(|t| str_of(t, "id"));
            if str_of(&project, "name").as_deref() != Some(name) {
                self.check_new_name(name, tenant_id.as_deref())?;
            }
            let updated = timestamp(now);
            return Ok(self
                .tables
                .update(
                    "projects",
                    |r| r.get("id") == Some(&id),
                    |r| {
                        r.insert("name".into(), json!(name));
                        r.insert("updated_at".into(), updated.clone());
                    },
                )
                .into_iter()
                .next());
        }
        Ok(Some(project))
    }

    // ---- environment variables ------------------------------------------------------------

    fn env_response(&self, tenant_id: &str) -> Option<RowRef> {
        let vars = self.envs.get(tenant_id)?.clone();
        let hash = self
            .tables
            .find("config", "tenant_id", &json!(tenant_id))?
            .get("hash")?
            .clone();
        let env_vars = match self.config.env_layout {
            EnvLayout::Nested => json!({ "environment": vars }),
            EnvLayout::Flat => Value::Object(vars),
        };
        reply(json!({ "hash": hash, "envVars": env_vars }))
    }

    pub fn get_env(&self, args: &Value) -> ActionResult {
        let tenant = self.tenant(str_arg(args, "tenantId").unwrap_or_default())?;
        Ok(self.env_response(&str_of(&tenant, "id").unwrap_or_default()))
    }

    pub fn env_config_info(&self, args: &Value) -> ActionResult {
        let tenant = self.tenant(str_arg(args, "tenantId").unwrap_or_default())?;
        let id = str_of(&tenant, "id").unwrap_or_default();
        let hash = self
            .tables
            .find("config", "tenant_id", &json!(id))
            .and_then(|c| c.get("hash").cloned());
        let admin_secret = self
            .envs
            .get(&id)
            .is_some_and(|e| e.contains_key("HASURA_GRAPHQL_ADMIN_SECRET"));
        Ok(reply(json!({
            "hash": hash, "isAdminSecretSet": admin_secret, "isMetadataAPIEnabled": true, "userRole": "owner",
        })))
    }

    /// Checks the tenant and its hash, applies `change` to a copy of its env, and stores it
    /// under a new hash unless nothing changed.
    /// Someone else's change to the tenant's variables (the `SecondWriter` fault).
    fn second_writer(&mut self, args: &Value, now: DateTime<Utc>) {
        let tenant_id = str_arg(args, "tenantId").unwrap_or_default().to_owned();
        let current = self
            .tables
            .find("config", "tenant_id", &json!(tenant_id))
            .and_then(|c| str_of(&c, "hash"))
            .unwrap_or_default();
        let theirs = json!({"tenantId": tenant_id, "currentHash": current});
        let _ = self.change_env(&theirs, now, |env| {
            env.insert("SECOND_WRITER".into(), Value::String(new_hash()));
            Ok(())
        });
    }

    fn change_env(
        &mut self,
        args: &Value,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut serde_json::Map<String, Value>) -> Result<(), ActionError>,
    ) -> ActionResult {
        let tenant = self.tenant(str_arg(args, "tenantId").unwrap_or_default())?;
        let tenant_id = str_of(&tenant, "id").unwrap_or_default();
        let current = self
            .tables
            .find("config", "tenant_id", &json!(tenant_id))
            .and_then(|c| str_of(&c, "hash"))
            .unwrap_or_default();
        if str_arg(args, "currentHash") != Some(current.as_str()) {
            return Err(ActionError::unexpected(STALE_HASH));
        }
        let mut env = self.envs.get(&tenant_id).cloned().unwrap_or_default();
        change(&mut env)?;
        if self.envs.get(&tenant_id) == Some(&env) {
            return Err(ActionError::unexpected(NOTHING_CHANGED));
        }
        self.envs.insert(tenant_id.clone(), env);
        let hash = new_hash();
        let updated = timestamp(now);
        self.tables.update(
            "config",
            |r| has(r, "tenant_id", &tenant_id),
            |r| {
                r.insert("hash".into(), json!(hash));
                r.insert("updated_at".into(), updated.clone());
            },
        );
        self.restart(&tenant_id, now);
        Ok(self.env_response(&tenant_id))
    }

    pub fn update_env(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let envs = key_values(args.get("envs"))?;
        if self.faults.take(&FaultKind::SecondWriter) {
            self.second_writer(args, now);
        }
        let broken = self.faults.take(&FaultKind::BrokenRestart);
        let answer = self.change_env(args, now, |env| {
            for (key, value) in envs {
                env.insert(key, Value::String(value));
            }
            Ok(())
        })?;
        if broken {
            let tenant_id = str_arg(args, "tenantId").unwrap_or_default().to_owned();
            self.unhealthy_until.insert(tenant_id, BROKEN);
        }
        Ok(answer)
    }

    pub fn delete_env(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let keys: Vec<String> = args
            .get("deleteEnvs")
            .and_then(Value::as_array)
            .map(|keys| {
                keys.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        // Keys that are not set are ignored; if none was set, nothing changed.
        self.change_env(args, now, |env| {
            for key in &keys {
                env.shift_remove(key);
            }
            Ok(())
        })
    }

    /// A project restarts to pick up a change; its `/healthz` fails meanwhile. A restart mends
    /// a broken one (the `BrokenRestart` fault).
    fn restart(&mut self, tenant_id: &str, now: DateTime<Utc>) {
        let until = now + self.scaled(self.config.restart);
        let entry = self
            .unhealthy_until
            .entry(tenant_id.to_string())
            .or_insert(until);
        *entry = if *entry == BROKEN {
            until
        } else {
            (*entry).max(until)
        };
        self.tables.update(
            "tenant",
            |r| has(r, "id", tenant_id),
            |r| {
                r.insert("health_status".into(), json!({"status": "restarting"}));
            },
        );
    }

    /// Whether the tenant behind `slug` answers its `/healthz`; `None` for an unknown slug.
    pub fn healthy(&self, slug: &str, now: DateTime<Utc>) -> Option<bool> {
        let tenant = self.tables.find("tenant", "slug", &json!(slug))?;
        let id = str_of(&tenant, "id")?;
        Some(
            self.unhealthy_until
                .get(&id)
                .is_none_or(|until| *until <= now),
        )
    }

    /// Ends restarts and provisioning that are over by `now`. Preview-app jobs are stepped by
    /// `preview::advance`, which calls this first.
    pub fn end_restarts(&mut self, now: DateTime<Utc>) {
        let before = self.unhealthy_until.len();
        self.unhealthy_until.retain(|_, until| *until > now);
        if self.unhealthy_until.len() != before {
            let unhealthy = &self.unhealthy_until;
            self.tables.update(
                "tenant",
                |r| {
                    r.get("id")
                        .and_then(Value::as_str)
                        .is_some_and(|id| !unhealthy.contains_key(id))
                        && r.get("health_status").and_then(|h| h.get("status"))
                            != Some(&json!("healthy"))
                },
                |r| {
                    r.insert("health_status".into(), json!({"status": "healthy"}));
                },
            );
        }
    }
}

pub fn generic_server_error() -> ActionError {
    ActionError::new(
        "GenericServerError",
        "there was an internal error while serving your request",
    )
}

/// Project (and preview app) names: lowercase letters, digits and hyphens.
pub fn validate_project_name(name: &str) -> Result<(), ActionError> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(3..=40).contains(&name.len())
        || !valid_chars
        || name.starts_with('-')
        || name.ends_with('-')
    {
        return Err(ActionError::refused(format!(
            "invalid project name \"{name}\": use 3 to 40 lowercase letters, digits and hyphens, \
             not starting or ending with a hyphen"
        )));
    }
    Ok(())
}

/// An action's answer: a row the response type's fields read from.
pub fn reply(value: Value) -> Option<RowRef> {
    Some(std::sync::Arc::new(row(value)))
}

pub fn row(value: Value) -> Row {
    match value {
        Value::Object(map) => map,
        _ => Row::new(),
    }
}

pub fn str_arg<'a>(args: &'a Value, name: &str) -> Option<&'a str> {
    args.get(name).and_then(Value::as_str)
}

/// Whether `row[column]` is the string `value`.
pub fn has(row: &Row, column: &str, value: &str) -> bool {
    row.get(column).and_then(Value::as_str) == Some(value)
}

pub fn str_of(row: &Row, column: &str) -> Option<String> {
    row.get(column).and_then(Value::as_str).map(String::from)
}

/// `[{key, value}]` lists of the env inputs.
pub fn key_values(list: Option<&Value>) -> Result<Vec<(String, String)>, ActionError> {
    let mut out = Vec::new();
    for item in list.and_then(Value::as_array).into_iter().flatten() {
        let key = item.get("key").and_then(Value::as_str).unwrap_or_default();
        if key.trim().is_empty() {
            return Err(ActionError::refused(
                "an environment variable needs a non-empty key",
            ));
        }
        let value = item
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default();
        out.push((key.to_string(), value.to_string()));
    }
    Ok(out)
}
