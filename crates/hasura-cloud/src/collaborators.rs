//! Collaborators of a project (API notes §9): its owner, collaborators with their privileges,
//! pending invitations and the plan's entitlements; invite, resend, revoke, remove, and change a
//! collaborator's privileges. Which of these a personal access token may use is not known: a field
//! the token may not see is answered `validation-failed` `field "…" not found in type: '…'`,
//! which these methods return as [`Access::NotAvailable`], an answer rather than a failure.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::Access;
use crate::client::Client;
use crate::documents;
use crate::error::Error;
use crate::ids::{CollaboratorId, InvitationId, ProjectId};
use crate::types::nullable;

/// A person's account, as `users_public` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TeamMember {
    #[serde(default, deserialize_with = "nullable")]
    pub id: Option<uuid::Uuid>,
    #[serde(default, deserialize_with = "nullable")]
    pub email: Option<String>,
}

/// One collaborator of a project and the privilege slugs granted to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collaborator {
    pub id: CollaboratorId,
    pub email: Option<String>,
    /// As the service says it; the values are not documented.
    pub status: String,
    pub privileges: Vec<String>,
}

/// An invitation not yet accepted or declined.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Invitation {
    pub id: InvitationId,
    #[serde(rename = "collaborator_email")]
    pub email: String,
    /// When it was (last) sent, as the service prints it.
    pub invited_at: String,
    /// Privilege slugs the invitee will get.
    #[serde(default, deserialize_with = "slugs")]
    pub privileges: Vec<String>,
    #[serde(default)]
    pub resend_invitation_count: i64,
}

/// What the project's plan allows collaborators.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TeamEntitlements {
    /// How many collaborators (and pending invitations) the plan allows; `None` when the plan
    /// names no limit.
    pub collaborator_limit: Option<i64>,
    /// Privilege slugs the plan grants through `collaborator_privilege_<slug>` entitlements.
    pub privileges: Vec<String>,
}

/// Everything the collaborators page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectTeam {
    pub owner: Option<TeamMember>,
    pub collaborators: Vec<Collaborator>,
    pub invitations: Vec<Invitation>,
    pub entitlements: TeamEntitlements,
}

/// The fields whose absence means "this token may not see the team".
const TEAM_FIELDS: &[&str] = &[
    "owner",
    "collaborators",
    "invitations",
    "entitlements",
    "inviteCollaborator",
    "resendInvite",
    "delete_project_collaborator_invitations_by_pk",
    "delete_project_collaborators_by_pk",
    "insert_project_collaborator_privileges",
    "delete_project_collaborator_privileges",
];

/// `privileges` of an invitation: a JSON list of slugs (jsonb or `[String!]!`).
fn slugs<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(value
        .as_ref()
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect())
}

/// `Err` → `NotAvailable` when the error says a team field is not in the token's schema.
fn access<T>(result: Result<T, Error>) -> Result<Access<T>, Error> {
    crate::access::access(result, TEAM_FIELDS)
}

fn decode<T: serde::de::DeserializeOwned>(value: Value, root: &str) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| Error::unexpected(format!("`{root}`: {e}")))
}

fn parse_team(value: Value, project: ProjectId) -> Result<ProjectTeam, Error> {
    #[derive(Deserialize)]
    struct Privilege {
        privilege_slug: String,
    }
    #[derive(Deserialize)]
    struct Row {
        id: CollaboratorId,
        status: String,
        #[serde(default, deserialize_with = "nullable")]
        collaborator: Option<TeamMember>,
        project_collaborator_privileges: Vec<Privilege>,
    }
    #[derive(Deserialize)]
    struct Catalogue {
        #[serde(rename = "type")]
        kind: String,
        #[serde(default, deserialize_with = "nullable")]
        config_limit: Option<Value>,
        config_is_enabled: bool,
    }
    #[derive(Deserialize)]
    struct Entitlement {
        entitlement: Catalogue,
    }
    #[derive(Deserialize)]
    struct Project {
        #[serde(default, deserialize_with = "nullable")]
        owner: Option<TeamMember>,
        collaborators: Vec<Row>,
        invitations: Vec<Invitation>,
        entitlements: Vec<Entitlement>,
    }
    if value.is_null() {
        return Err(Error::not_found(format!("project {project}")));
    }
    let project: Project = decode(value, "projects_by_pk")?;
    let mut entitlements = TeamEntitlements::default();
    for Entitlement { entitlement } in project.entitlements {
        if !entitlement.config_is_enabled {
            continue;
        }
        if entitlement.kind == "collaborator_limit" {
            // `bigint` may come as a number or a string.
            entitlements.collaborator_limit = match entitlement.config_limit {
                Some(Value::Number(n)) => n.as_i64(),
                Some(Value::String(s)) => s.parse().ok(),
                _ => None,
            };
        } else if let Some(slug) = entitlement.kind.strip_prefix("collaborator_privilege_") {
            entitlements.privileges.push(slug.to_string());
        }
    }
    let mut collaborators: Vec<Collaborator> = project
        .collaborators
        .into_iter()
        .map(|row| Collaborator {
            id: row.id,
            email: row.collaborator.and_then(|c| c.email),
            status: row.status,
            privileges: row
                .project_collaborator_privileges
                .into_iter()
                .map(|p| p.privilege_slug)
                .collect(),
        })
        .collect();
    collaborators.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(ProjectTeam {
        owner: project.owner,
        collaborators,
        invitations: project.invitations,
        entitlements,
    })
}

impl Client {
    /// A project's owner, collaborators, pending invitations and collaborator entitlements.
    /// [`Error::NotFound`] for an unknown project.
    pub async fn project_team(&self, project: ProjectId) -> Result<Access<ProjectTeam>, Error> {
        let result = self
            .run(
                &documents::PROJECT_TEAM,
                json!({ "projectId": project }),
                "projects_by_pk",
            )
            .await;
        access(result)?
            .map(|value| parse_team(value, project))
            .transpose()
    }

    /// Invites `email` with the given privilege slugs. The service's refusals (already invited,
    /// limit reached, a privilege the plan lacks) are [`Error::InvalidInput`] in its words.
    pub async fn invite_collaborator(
        &self,
        project: ProjectId,
        email: &str,
        privileges: &[String],
    ) -> Result<Access<Invitation>, Error> {
        let result = self
            .run(
                &documents::INVITE_COLLABORATOR,
                json!({ "invite": {
                    "collaborator_email": email, "privileges": privileges, "project_id": project,
                }}),
                "inviteCollaborator",
            )
            .await;
        match access(result)? {
            Access::Allowed(Value::Null) => Err(Error::unexpected(
                "`inviteCollaborator` answered without an invitation",
            )),
            Access::Allowed(value) => decode(value, "inviteCollaborator").map(Access::Allowed),
            Access::NotAvailable { field } => Ok(Access::NotAvailable { field }),
        }
    }

    /// Sends the pending invitation of `email` again.
    pub async fn resend_invite(
        &self,
        project: ProjectId,
        email: &str,
    ) -> Result<Access<Invitation>, Error> {
        let result = self
            .run(
                &documents::RESEND_INVITE,
                json!({ "args": { "collaborator_email": email, "project_id": project } }),
                "resendInvite",
            )
            .await;
        access(result)?
            .map(|value| decode(value, "resendInvite"))
            .transpose()
    }

    /// Revokes an invitation; `Allowed(false)` when there was none with this id.
    pub async fn revoke_invitation(&self, id: InvitationId) -> Result<Access<bool>, Error> {
        let result = self
            .run(
                &documents::REVOKE_INVITATION,
                json!({ "id": id }),
                "delete_project_collaborator_invitations_by_pk",
            )
            .await;
        Ok(access(result)?.map(|v| !v.is_null()))
    }

    /// Removes a collaborator; `Allowed(false)` when there was none with this id.
    pub async fn remove_collaborator(&self, id: CollaboratorId) -> Result<Access<bool>, Error> {
        let result = self
            .run(
                &documents::REMOVE_COLLABORATOR,
                json!({ "id": id }),
                "delete_project_collaborators_by_pk",
            )
            .await;
        Ok(access(result)?.map(|v| !v.is_null()))
    }

    /// Grants `grant` and takes away `revoke` (privilege slugs): two table mutations, the only
    /// way the API offers (there is no update-privileges action).
    pub async fn change_privileges(
        &self,
        id: CollaboratorId,
        grant: &[String],
        revoke: &[String],
    ) -> Result<Access<()>, Error> {
        if !grant.is_empty() {
            let objects: Vec<Value> = grant
                .iter()
                .map(|slug| json!({ "project_collaborator_id": id, "privilege_slug": slug }))
                .collect();
            let result = self
                .run(
                    &documents::GRANT_PRIVILEGES,
                    json!({ "objects": objects }),
                    "insert_project_collaborator_privileges",
                )
                .await;
            if let Access::NotAvailable { field } = access(result)? {
                return Ok(Access::NotAvailable { field });
            }
        }
        if !revoke.is_empty() {
            let result = self
                .run(
                    &documents::REVOKE_PRIVILEGES,
                    json!({ "collaboratorId": id, "slugs": revoke }),
                    "delete_project_collaborator_privileges",
                )
                .await;
            if let Access::NotAvailable { field } = access(result)? {
                return Ok(Access::NotAvailable { field });
            }
        }
        Ok(Access::Allowed(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entitlements_give_the_limit_and_the_privileges() {
        let project = ProjectId::new(uuid::Uuid::nil());
        let team = parse_team(
            json!({
                "owner": {"id": null, "email": "o@example.com"},
                "collaborators": [],
                "invitations": [{"id": "7a79cf94-0e53-4520-a560-1b02bf522f08",
                    "collaborator_email": "a@example.com", "invited_at": "2026-01-01T00:00:00+00:00",
                    "privileges": ["view_metrics"], "resend_invitation_count": 1}],
                "entitlements": [
                    {"entitlement": {"type": "collaborator_limit", "config_limit": "3", "config_is_enabled": true}},
                    {"entitlement": {"type": "collaborator_privilege_admin", "config_limit": null, "config_is_enabled": true}},
                    {"entitlement": {"type": "collaborator_privilege_view_metrics", "config_limit": null, "config_is_enabled": false}},
                ],
            }),
            project,
        )
        .unwrap();
        assert_eq!(team.entitlements.collaborator_limit, Some(3));
        assert_eq!(team.entitlements.privileges, vec!["admin".to_string()]);
        assert_eq!(
            team.invitations[0].privileges,
            vec!["view_metrics".to_string()]
        );
        assert!(matches!(
            parse_team(Value::Null, project),
            Err(Error::NotFound { .. })
        ));
    }
}
