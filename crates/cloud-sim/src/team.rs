//! The team parts of the API (collaborators, invitations, ownership, entitlements, custom domains,
//! plan change): which fields they are, so a simulator can hide them all from a token, as the real
//! service answers `field "x" not found in type` for a field a caller may not see; and the
//! collaborators part (owner, collaborators, invitations, privileges, entitlements per plan) served
//! through the generic tables plus the actions below.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::filter::{self, ListArgs};
use crate::table::{Row, RowRef, timestamp};
use crate::world::{ActionError, ActionResult, World, reply, row, str_of};

/// Which fields a token's schema shows.
#[derive(Debug, Clone, Copy)]
pub struct Visibility {
    pub regions_readable: bool,
    pub team_visible: bool,
}

impl Visibility {
    pub fn shows(&self, ty: &str, field: &str) -> bool {
        // A token that may not read regions does not see them through a tenant either.
        if !self.regions_readable
            && matches!(
                (ty, field),
                ("query_root", "region") | ("tenant", "region_info")
            )
        {
            return false;
        }
        self.team_visible || !is_team_field(ty, field)
    }
}

/// Words in a root field's name that mark it as a team field; names rather than a fixed list, so
/// a team field added to the schema later is hidden too.
const TEAM_ROOT_WORDS: &[&str] = &[
    "collaborator",
    "invit",
    "privilege",
    "ownership",
    "custom_domain",
    "customdomain",
    "letsencrypt",
    "cloudflare",
    "changeplan",
    "billingmanager",
    "entitlement",
];

/// Whether `ty.field` is one of the team parts.
pub fn is_team_field(ty: &str, field: &str) -> bool {
    let lower = field.to_ascii_lowercase();
    match ty {
        "query_root" | "mutation_root" | "subscription_root" => {
            matches!(field, "users" | "users_public")
                || TEAM_ROOT_WORDS.iter().any(|word| lower.contains(word))
        }
        "projects" => {
            matches!(
                field,
                "collaborators"
                    | "invitations"
                    | "owner"
                    | "billing_manager"
                    | "ownership_transfer_invites"
                    | "entitlements"
            )
        }
        "tenant" => lower.contains("custom_domain"),
        _ => false,
    }
}

// ---- collaborators ----------------------------------------------------------------------------

/// Every privilege slug the service knows.
pub const PRIVILEGES: &[&str] = &[
    "admin",
    "graphql_admin",
    "view_metrics",
    "add_collaborators",
    "event_trigger_admin",
    "remote_schema_admin",
    "action_admin",
];

/// A collaborator's `status` once the invitation is accepted. [U]: the real values are unknown.
pub const ACTIVE: &str = "active";

/// The email of the account owner (the caller of every simulated request).
pub const OWNER_EMAIL: &str = "owner@example.com";

/// What each plan allows: (plan, collaborator limit, privileges that need an entitlement and it
/// grants). [U] the real figures; the docs say only that View Metrics is not on Free.
const PLAN_ENTITLEMENTS: &[(&str, i64, &[&str])] = &[
    ("cloud_free", 2, &["admin", "graphql_admin"]),
    ("cloud_free_v2", 2, &["admin", "graphql_admin"]),
    (
        "cloud_payg",
        10,
        &["admin", "graphql_admin", "view_metrics"],
    ),
    (
        "cloud_shared",
        10,
        &["admin", "graphql_admin", "view_metrics"],
    ),
];

/// Privileges a plan must grant through an entitlement (`collaborator_privilege_<slug>`).
const GATED: &[&str] = &["admin", "graphql_admin", "view_metrics"];

/// The owner's user rows and each plan's entitlements, as `projects.owner` and
/// `projects.entitlements` read them. Entitlement rows carry the plan they belong to
/// (`plan_name`, not in the schema) and are joined to a project by its plan.
pub fn seed(world: &mut World, now: DateTime<Utc>) {
    let owner = world.owner_id().to_string();
    let at = timestamp(now);
    world.tables.insert(
        "users_public",
        row(json!({"id": owner, "email": OWNER_EMAIL})),
    );
    world.tables.insert(
        "users",
        row(json!({"id": owner, "email": OWNER_EMAIL, "first_name": "Demo", "last_name": "Owner", "created_at": at})),
    );
    let plain = now.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    for (plan, limit, granted) in PLAN_ENTITLEMENTS {
        let mut entitlements = vec![("collaborator_limit".to_string(), Some(*limit))];
        entitlements.extend(
            granted
                .iter()
                .map(|slug| (format!("collaborator_privilege_{slug}"), None)),
        );
        for (kind, limit) in entitlements {
            let catalogue_id = Uuid::new_v4().to_string();
            world.tables.insert(
                "project_entitlement_catalogue",
                row(json!({
                    "id": catalogue_id, "name": format!("{plan} {kind}"), "type": kind,
                    "config_is_enabled": true, "config_limit": limit, "cost": 0,
                    "created_at": plain, "updated_at": plain,
                })),
            );
            world.tables.insert(
                "project_entitlement_access",
                row(json!({
                    "id": Uuid::new_v4().to_string(), "entitlement_id": catalogue_id,
                    "plan_name": plan, "created_at": plain, "updated_at": plain,
                })),
            );
        }
    }
}

fn refused(message: impl Into<String>) -> ActionError {
    ActionError::refused(message)
}

fn project(world: &World, project_id: &str) -> Result<RowRef, ActionError> {
    world
        .tables
        .find("projects", "id", &json!(project_id))
        .ok_or_else(|| refused("project not found"))
}

/// The collaborator limit and gated privileges the project's plan grants.
fn plan_allows(world: &World, project: &Row) -> (Option<i64>, Vec<String>) {
    let plan = str_of(project, "plan_name").unwrap_or_default();
    let mut limit = None;
    let mut privileges = Vec::new();
    for access in world
        .tables
        .lookup("project_entitlement_access", "plan_name", &json!(plan))
    {
        let Some(entitlement) = access
            .get("entitlement_id")
            .and_then(|id| world.tables.find("project_entitlement_catalogue", "id", id))
        else {
            continue;
        };
        let kind = str_of(&entitlement, "type").unwrap_or_default();
        if kind == "collaborator_limit" {
            limit = entitlement.get("config_limit").and_then(Value::as_i64);
        } else if let Some(slug) = kind.strip_prefix("collaborator_privilege_") {
            privileges.push(slug.to_string());
        }
    }
    (limit, privileges)
}

fn check_privileges(
    world: &World,
    project: &Row,
    privileges: &[String],
) -> Result<(), ActionError> {
    if privileges.is_empty() {
        return Err(refused("at least one privilege is required"));
    }
    let (_, allowed) = plan_allows(world, project);
    for slug in privileges {
        if !PRIVILEGES.contains(&slug.as_str()) {
            return Err(refused(format!("invalid privilege: {slug}")));
        }
        if GATED.contains(&slug.as_str()) && !allowed.contains(slug) {
            return Err(refused(format!(
                "the privilege {slug} is not available on this project's plan"
            )));
        }
    }
    Ok(())
}

fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn pending_invitations(world: &World, project_id: &str) -> Vec<RowRef> {
    world
        .tables
        .lookup(
            "project_collaborator_invitations",
            "project_id",
            &json!(project_id),
        )
        .into_iter()
        .filter(|i| i.get("accepted_at").is_none_or(Value::is_null))
        .filter(|i| i.get("declined_at").is_none_or(Value::is_null))
        .collect()
}

fn collaborator_emails(world: &World, project_id: &str) -> Vec<String> {
    world
        .tables
        .lookup("project_collaborators", "project_id", &json!(project_id))
        .iter()
        .filter_map(|c| c.get("collaborator_id"))
        .filter_map(|id| world.tables.find("users_public", "id", id))
        .filter_map(|u| str_of(&u, "email"))
        .collect()
}

/// `inviteCollaborator(invite: {collaborator_email, privileges, project_id})`.
pub fn invite(world: &mut World, args: &Value, now: DateTime<Utc>) -> ActionResult {
    let invite = args.get("invite").cloned().unwrap_or(Value::Null);
    let email = invite
        .get("collaborator_email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    let project_id = invite
        .get("project_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let privileges: Vec<String> = invite
        .get("privileges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let project = project(world, &project_id)?;
    if !valid_email(&email) {
        return Err(refused(format!("invalid email address: {email}")));
    }
    if email.eq_ignore_ascii_case(OWNER_EMAIL) {
        return Err(refused(
            "the project owner cannot be invited as a collaborator",
        ));
    }
    if collaborator_emails(world, &project_id)
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&email))
    {
        return Err(refused(format!(
            "{email} is already a collaborator on this project"
        )));
    }
    let pending = pending_invitations(world, &project_id);
    if pending
        .iter()
        .any(|i| str_of(i, "collaborator_email").is_some_and(|e| e.eq_ignore_ascii_case(&email)))
    {
        return Err(refused(format!(
            "an invitation has already been sent to {email}; resend it instead"
        )));
    }
    check_privileges(world, &project, &privileges)?;
    let (limit, _) = plan_allows(world, &project);
    let taken = collaborator_emails(world, &project_id).len() + pending.len();
    if let Some(limit) = limit
        && taken as i64 >= limit
    {
        return Err(refused(format!(
            "collaborator limit reached: this project's plan allows {limit} collaborators"
        )));
    }
    let invitation = row(json!({
        "id": Uuid::new_v4().to_string(), "collaborator_email": email,
        "invited_at": timestamp(now), "invited_by": world.owner_id(),
        "key": crate::table::new_hash(), "privileges": privileges, "project_id": project_id,
        "resend_invitation_count": 0, "accepted_at": null, "declined_at": null,
        "project_collaborator_id": null,
    }));
    Ok(Some(
        world
            .tables
            .insert("project_collaborator_invitations", invitation),
    ))
}

/// `resendInvite(args: {collaborator_email, project_id})`: the pending invitation is sent again;
/// [U] it counts the resend and takes the new sending time as `invited_at`.
pub fn resend(world: &mut World, args: &Value, now: DateTime<Utc>) -> ActionResult {
    let args = args.get("args").cloned().unwrap_or(Value::Null);
    let email = args
        .get("collaborator_email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let project_id = args
        .get("project_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    project(world, &project_id)?;
    let Some(pending) = pending_invitations(world, &project_id)
        .into_iter()
        .find(|i| str_of(i, "collaborator_email").is_some_and(|e| e.eq_ignore_ascii_case(&email)))
    else {
        return Err(refused(format!(
            "no pending invitation for {email} on this project"
        )));
    };
    let id = pending.get("id").cloned();
    let updated = world.tables.update(
        "project_collaborator_invitations",
        |r| r.get("id") == id.as_ref(),
        |r| {
            let count = r
                .get("resend_invitation_count")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            r.insert("resend_invitation_count".into(), json!(count + 1));
            r.insert("invited_at".into(), timestamp(now));
        },
    );
    Ok(updated.into_iter().next())
}

fn invitation_by_key(world: &World, args: &Value) -> Result<RowRef, ActionError> {
    let key = args.get("inviteKey").cloned().unwrap_or(Value::Null);
    world
        .tables
        .find("project_collaborator_invitations", "key", &key)
        .filter(|i| i.get("accepted_at").is_none_or(Value::is_null))
        .filter(|i| i.get("declined_at").is_none_or(Value::is_null))
        .ok_or_else(|| refused("invitation not found or no longer valid"))
}

/// `acceptInvite(inviteKey)`: the invitee becomes a collaborator with the invited privileges.
pub fn accept(world: &mut World, args: &Value, now: DateTime<Utc>) -> ActionResult {
    let invitation = invitation_by_key(world, args)?;
    let email = str_of(&invitation, "collaborator_email").unwrap_or_default();
    let user_id = match world
        .tables
        .rows("users_public")
        .iter()
        .find(|u| str_of(u, "email").is_some_and(|e| e.eq_ignore_ascii_case(&email)))
    {
        Some(user) => str_of(user, "id").unwrap_or_default(),
        None => {
            let id = Uuid::new_v4().to_string();
            world
                .tables
                .insert("users_public", row(json!({"id": id, "email": email})));
            id
        }
    };
    let collaborator_id = Uuid::new_v4().to_string();
    world.tables.insert(
        "project_collaborators",
        row(json!({
            "id": collaborator_id, "collaborator_id": user_id,
            "project_id": invitation.get("project_id"), "status": ACTIVE,
        })),
    );
    for slug in invitation
        .get("privileges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        world.tables.insert(
            "project_collaborator_privileges",
            row(json!({
                "project_collaborator_id": collaborator_id, "privilege_slug": slug,
                "granted_at": timestamp(now), "granted_by": invitation.get("invited_by"),
            })),
        );
    }
    let id = invitation.get("id").cloned();
    let updated = world.tables.update(
        "project_collaborator_invitations",
        |r| r.get("id") == id.as_ref(),
        |r| {
            r.insert("accepted_at".into(), timestamp(now));
            r.insert("project_collaborator_id".into(), json!(collaborator_id));
        },
    );
    Ok(updated.into_iter().next())
}

/// `declineInvite(inviteKey)`.
pub fn decline(world: &mut World, args: &Value, now: DateTime<Utc>) -> ActionResult {
    let invitation = invitation_by_key(world, args)?;
    let id = invitation.get("id").cloned();
    let updated = world.tables.update(
        "project_collaborator_invitations",
        |r| r.get("id") == id.as_ref(),
        |r| {
            r.insert("declined_at".into(), timestamp(now));
        },
    );
    Ok(updated.into_iter().next())
}

/// `delete_<table>_by_pk(id)`: the deleted row, or null when there was none.
fn delete_by_id(world: &mut World, table: &str, args: &Value) -> Option<RowRef> {
    let id = args.get("id").cloned().unwrap_or(Value::Null);
    let found = world.tables.find(table, "id", &id)?;
    world.tables.delete(table, |r| r.get("id") == Some(&id));
    Some(found)
}

pub fn delete_invitation(world: &mut World, args: &Value) -> ActionResult {
    Ok(delete_by_id(
        world,
        "project_collaborator_invitations",
        args,
    ))
}

/// Removing a collaborator removes their privileges too (a cascading foreign key).
pub fn delete_collaborator(world: &mut World, args: &Value) -> ActionResult {
    let removed = delete_by_id(world, "project_collaborators", args);
    if let Some(id) = removed.as_ref().and_then(|r| r.get("id")).cloned() {
        world.tables.delete("project_collaborator_privileges", |r| {
            r.get("project_collaborator_id") == Some(&id)
        });
    }
    Ok(removed)
}

fn mutation_response(rows: Vec<RowRef>) -> Option<RowRef> {
    let returning: Vec<Value> = rows.iter().map(|r| Value::Object((**r).clone())).collect();
    reply(json!({"affected_rows": rows.len(), "returning": returning}))
}

/// `insert_project_collaborator_privileges(objects, on_conflict)`: a table insert, so a
/// duplicate or unknown collaborator is Postgres's constraint error; the plan's gate is the
/// service's rule ([U] whether the real table enforces it).
pub fn insert_privileges(world: &mut World, args: &Value, now: DateTime<Utc>) -> ActionResult {
    let on_conflict = args.get("on_conflict").is_some_and(|v| !v.is_null());
    let mut inserted = Vec::new();
    for object in args
        .get("objects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let collaborator_id = object
            .get("project_collaborator_id")
            .cloned()
            .unwrap_or(Value::Null);
        let slug = object.get("privilege_slug").cloned().unwrap_or(Value::Null);
        let Some(collaborator) = world
            .tables
            .find("project_collaborators", "id", &collaborator_id)
        else {
            return Err(ActionError::new(
                "constraint-violation",
                "Foreign key violation. insert or update on table \"project_collaborator_privileges\" violates foreign key constraint \"project_collaborator_privileges_project_collaborator_id_fkey\"",
            ));
        };
        let project = project(
            world,
            &str_of(&collaborator, "project_id").unwrap_or_default(),
        )?;
        check_privileges(
            world,
            &project,
            &[slug.as_str().unwrap_or_default().to_string()],
        )?;
        let exists = world
            .tables
            .lookup(
                "project_collaborator_privileges",
                "project_collaborator_id",
                &collaborator_id,
            )
            .iter()
            .any(|r| r.get("privilege_slug") == Some(&slug));
        if exists {
            if on_conflict {
                continue;
            }
            return Err(ActionError::new(
                "constraint-violation",
                "Uniqueness violation. duplicate key value violates unique constraint \"project_collaborator_privileges_pkey\"",
            ));
        }
        inserted.push(world.tables.insert(
            "project_collaborator_privileges",
            row(json!({
                "project_collaborator_id": collaborator_id, "privilege_slug": slug,
                "granted_at": object.get("granted_at").filter(|v| !v.is_null()).cloned().unwrap_or(timestamp(now)),
                "granted_by": object.get("granted_by").filter(|v| !v.is_null()).cloned().unwrap_or(json!(world.owner_id())),
            })),
        ));
    }
    Ok(mutation_response(inserted))
}

/// `delete_project_collaborator_privileges(where)`.
pub fn delete_privileges(world: &mut World, args: &Value) -> ActionResult {
    let list = ListArgs {
        where_: args.get("where").filter(|v| !v.is_null()).cloned(),
        order_by: None,
        distinct_on: None,
        limit: None,
        offset: 0,
    };
    let table = "project_collaborator_privileges";
    let all = world.tables.rows(table).to_vec();
    let matching = filter::select(&world.tables, table, all, &list)
        .map_err(|e| ActionError::new("validation-failed", e.to_string()))?;
    for gone in &matching {
        let key = (
            gone.get("project_collaborator_id").cloned(),
            gone.get("privilege_slug").cloned(),
        );
        world.tables.delete(table, |r| {
            (
                r.get("project_collaborator_id").cloned(),
                r.get("privilege_slug").cloned(),
            ) == key
        });
    }
    Ok(mutation_response(matching))
}

/// Accepts the pending invitation of `email` as the invitee would (tests and the control API);
/// false when there is none.
pub fn accept_by_email(world: &mut World, email: &str, now: DateTime<Utc>) -> bool {
    let key = world
        .tables
        .rows("project_collaborator_invitations")
        .iter()
        .filter(|i| i.get("accepted_at").is_none_or(Value::is_null))
        .filter(|i| i.get("declined_at").is_none_or(Value::is_null))
        .find(|i| str_of(i, "collaborator_email").is_some_and(|e| e.eq_ignore_ascii_case(email)))
        .and_then(|i| i.get("key").cloned());
    match key {
        Some(key) => accept(world, &json!({ "inviteKey": key }), now).is_ok(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_fields_are_recognised_and_others_are_not() {
        for (ty, field) in [
            ("projects", "collaborators"),
            ("projects", "owner"),
            ("projects", "entitlements"),
            ("mutation_root", "inviteCollaborator"),
            ("mutation_root", "resendInvite"),
            ("mutation_root", "acceptInvite"),
            ("mutation_root", "changePlan"),
            ("mutation_root", "insert_custom_domain_one"),
            ("mutation_root", "delete_project_collaborators_by_pk"),
            ("query_root", "custom_domain_by_pk"),
            ("tenant", "custom_domains"),
        ] {
            assert!(is_team_field(ty, field), "{ty}.{field}");
        }
        for (ty, field) in [
            ("query_root", "projects"),
            ("projects", "name"),
            ("mutation_root", "createTenant"),
            ("tenant", "region"),
        ] {
            assert!(!is_team_field(ty, field), "{ty}.{field}");
        }
    }
}
