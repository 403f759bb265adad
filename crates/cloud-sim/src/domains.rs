//! Custom domains and plan changes: `insert_custom_domain_one`, `delete_custom_domain_by_pk`,
//! DNS validation that settles over time (or when the control API says), the custom-domain
//! limit of each plan, and the `changePlan` action.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::server::{AppState, json_response};
use crate::table::{Row, timestamp};
use crate::world::{ActionError, ActionResult, PLANS, World, has, reply, row, str_arg, str_of};

/// How long a new domain's DNS validation stays `pending` at speed 1. The dashboard says up to
/// 24 h is normal; ten minutes keeps a sped-up simulator's wait short and still visible.
pub const DNS_VALIDATION_DELAY: Duration = Duration::from_secs(600);

/// The values `dns_validation` takes (API notes §9).
pub const DNS_STATES: &[&str] = &["pending", "succeeded", "failed"];

/// When a pending domain validates by itself; a control call removes it.
const VALIDATES_AT: &str = "_validates_at";

/// Custom domains a project on `plan` may have. The real limits are not public (entitlement
/// `custom_domain_limit`); these are the simulator's.
pub fn custom_domain_limit(plan: &str) -> usize {
    match plan {
        "cloud_free" | "cloud_free_v2" => 1,
        _ => 5,
    }
}

impl World {
    pub fn insert_custom_domain(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let object = args
            .get("object")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let fqdn = str_of(&object, "fqdn").unwrap_or_default();
        let tenant_id = str_of(&object, "tenant_id").unwrap_or_default();
        if fqdn.is_empty() {
            // A table insert: Postgres's not-null check answers.
            return Err(ActionError::new(
                "constraint-violation",
                "Not-NULL violation. null value in column \"fqdn\" violates not-null constraint",
            ));
        }
        let tenant = self
            .tables
            .find("tenant", "id", &json!(tenant_id))
            .ok_or_else(|| ActionError::not_found("tenant"))?;
        if self
            .tables
            .find("custom_domain", "fqdn", &json!(fqdn))
            .is_some()
        {
            let Some(on_conflict) = args.get("on_conflict").filter(|v| !v.is_null()) else {
                return Err(ActionError::new(
                    "constraint-violation",
                    "Uniqueness violation. duplicate key value violates unique constraint \"custom_domain_fqdn_key\"",
                ));
            };
            return self.upsert_custom_domain(&fqdn, &object, on_conflict);
        }
        let plan = self.plan_of_tenant(&tenant);
        let limit = custom_domain_limit(&plan);
        let used = self
            .tables
            .rows("custom_domain")
            .iter()
            .filter(|r| has(r, "tenant_id", &tenant_id))
            .count();
        if used >= limit {
            return Err(ActionError::refused(format!(
                "custom domain limit reached: the {plan} plan allows {limit} custom domain{} per project",
                if limit == 1 { "" } else { "s" }
            )));
        }
        let created = timestamp(now);
        let validates_at = timestamp(now + self.scaled(DNS_VALIDATION_DELAY));
        let mut domain = row(json!({
            "id": Uuid::new_v4().to_string(), "fqdn": fqdn, "tenant_id": tenant_id,
            "dns_validation": "pending", "cert": "none", "created_at": created,
            "updated_at": created, VALIDATES_AT: validates_at,
        }));
        for (k, v) in object {
            domain.insert(k, v);
        }
        Ok(Some(self.tables.insert("custom_domain", domain)))
    }

    fn upsert_custom_domain(
        &mut self,
        fqdn: &str,
        object: &Row,
        on_conflict: &Value,
    ) -> ActionResult {
        let columns: Vec<String> = on_conflict
            .get("update_columns")
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let updated = self.tables.update(
            "custom_domain",
            |r| has(r, "fqdn", fqdn),
            |r| {
                for c in &columns {
                    if let Some(v) = object.get(c) {
                        r.insert(c.clone(), v.clone());
                    }
                }
            },
        );
        Ok(updated.into_iter().next())
    }

    /// `delete_custom_domain_by_pk(id)`: the deleted row, or `null` when there was none.
    pub fn delete_custom_domain(&mut self, args: &Value) -> ActionResult {
        let id = str_arg(args, "id").unwrap_or_default().to_string();
        let found = self.tables.find("custom_domain", "id", &json!(id));
        if found.is_some() {
            self.tables.delete("custom_domain", |r| has(r, "id", &id));
        }
        Ok(found)
    }

    /// Pending domains whose time has come validate (and get a Let's Encrypt certificate).
    pub fn settle_custom_domains(&mut self, now: DateTime<Utc>) {
        let due = |r: &Row| {
            r.get(VALIDATES_AT)
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t <= now)
        };
        if !self.tables.rows("custom_domain").iter().any(|r| due(r)) {
            return;
        }
        let updated = timestamp(now);
        self.tables.update("custom_domain", due, |r| {
            set_validation(r, "succeeded", &updated);
        });
    }

    /// The control API's call: sets a domain's `dns_validation` now; false when no such domain.
    pub fn set_dns_validation(&mut self, fqdn: &str, state: &str, now: DateTime<Utc>) -> bool {
        let updated = timestamp(now);
        !self
            .tables
            .update(
                "custom_domain",
                |r| has(r, "fqdn", fqdn),
                |r| set_validation(r, state, &updated),
            )
            .is_empty()
    }

    /// The control API's call: puts a project (by tenant) in or out of maintenance mode.
    pub fn set_maintenance_mode(&mut self, tenant_id: &str, on: bool) -> bool {
        !self
            .tables
            .update(
                "tenant",
                |r| has(r, "id", tenant_id),
                |r| {
                    r.insert("maintenance_mode".into(), json!(on));
                },
            )
            .is_empty()
    }

    /// `changePlan(plan, projectId)`.
    pub fn change_plan(&mut self, args: &Value, now: DateTime<Utc>) -> ActionResult {
        let project_id = str_arg(args, "projectId").unwrap_or_default().to_string();
        let plan = str_arg(args, "plan").unwrap_or_default().to_string();
        if !PLANS.contains(&plan.as_str()) {
            return Err(ActionError::refused(format!(
                "unknown plan \"{plan}\"; expected one of {}",
                PLANS.join(", ")
            )));
        }
        let project = self
            .tables
            .find("projects", "id", &json!(project_id))
            .ok_or_else(|| ActionError::not_found("project"))?;
        let in_maintenance = self
            .tables
            .find("tenant", "project_id", &json!(project_id))
            .is_some_and(|t| t.get("maintenance_mode") == Some(&json!(true)));
        if in_maintenance {
            return Err(ActionError::refused(
                "the plan of a project in maintenance mode cannot be changed",
            ));
        }
        let old_plan = str_of(&project, "plan_name").unwrap_or_default();
        if old_plan == plan {
            return Err(ActionError::refused(format!(
                "the project is already on the {plan} plan"
            )));
        }
        let updated = timestamp(now);
        self.tables.update(
            "projects",
            |r| has(r, "id", &project_id),
            |r| {
                r.insert("plan_name".into(), json!(plan));
                r.insert("billing_plan_name".into(), json!(plan));
                r.insert("updated_at".into(), updated.clone());
            },
        );
        Ok(reply(json!({
            "activity_id": Uuid::new_v4().to_string(), "newPlan": plan, "oldPlan": old_plan,
            "projectId": project_id, "status": "success",
        })))
    }

    fn plan_of_tenant(&self, tenant: &Row) -> String {
        tenant
            .get("project_id")
            .and_then(|id| self.tables.find("projects", "id", id))
            .and_then(|p| str_of(&p, "plan_name"))
            .unwrap_or_default()
    }
}

fn set_validation(r: &mut Row, state: &str, updated: &Value) {
    r.remove(VALIDATES_AT);
    r.insert("dns_validation".into(), json!(state));
    let cert = if state == "succeeded" {
        "letsencrypt"
    } else {
        "none"
    };
    r.insert("cert".into(), json!(cert));
    r.insert("updated_at".into(), updated.clone());
}

/// `POST /control/custom-domains {"fqdn", "dns_validation": "pending"|"succeeded"|"failed"}`:
/// what the DNS check finds for that domain from now on (`pending` holds it there).
pub async fn control_dns_validation(
    State(app): State<AppState>,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let fqdn = body.get("fqdn").and_then(Value::as_str);
    let state = body
        .get("dns_validation")
        .and_then(Value::as_str)
        .filter(|s| DNS_STATES.contains(s));
    let (Some(fqdn), Some(state)) = (fqdn, state) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "expected {\"fqdn\": …, \"dns_validation\": \"pending\" | \"succeeded\" | \"failed\"}"}),
        );
    };
    let now = app.sim.clock.now();
    if app.sim.world.write().set_dns_validation(fqdn, state, now) {
        json_response(
            StatusCode::OK,
            &json!({"fqdn": fqdn, "dns_validation": state}),
        )
    } else {
        json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "no such custom domain"}),
        )
    }
}

/// `POST /control/maintenance {"tenant_id", "on": true|false}`.
pub async fn control_maintenance(State(app): State<AppState>, body: axum::body::Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let tenant_id = body.get("tenant_id").and_then(Value::as_str);
    let on = body.get("on").and_then(Value::as_bool);
    let (Some(tenant_id), Some(on)) = (tenant_id, on) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "expected {\"tenant_id\": …, \"on\": true | false}"}),
        );
    };
    if app.sim.world.write().set_maintenance_mode(tenant_id, on) {
        json_response(
            StatusCode::OK,
            &json!({"tenant_id": tenant_id, "maintenance_mode": on}),
        )
    } else {
        json_response(StatusCode::NOT_FOUND, &json!({"error": "no such tenant"}))
    }
}
