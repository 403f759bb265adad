//! A project's collaborators: the commands, over `hasura_cloud`'s operations. Where the token's
//! schema lacks the team fields the answer says so and names the dashboard's page.

use hasura_cloud::{Access, Client, CollaboratorId, InvitationId, TenantDetails};
use serde::{Deserialize, Serialize};

use super::App;
use crate::activity::ActivityKind;
use crate::collaborators::{
    self, EMAIL_FIELD, OFFERED, Privilege, PrivilegeChoice, dashboard_collaborators_url, privilege,
};
use crate::error::AppError;
use crate::projects::parse_tenant_id;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorView {
    pub id: String,
    pub email: String,
    pub status: String,
    pub privileges: Vec<Privilege>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    /// When it was (last) sent, RFC 3339 as the service gives it.
    pub invited_at: String,
    pub privileges: Vec<Privilege>,
    pub resend_count: u32,
}

/// A project's owner, collaborators and pending invitations, or why this token cannot show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TeamView {
    /// False when this access token may not see collaborators.
    pub available: bool,
    /// Said to the person when not available.
    pub message: Option<String>,
    pub dashboard_url: String,
    pub owner_email: Option<String>,
    pub collaborators: Vec<CollaboratorView>,
    pub invitations: Vec<InvitationView>,
    /// The privileges the invite form offers: those of Admin / Execute GraphQL / View Metrics
    /// the project's plan allows.
    pub offered: Vec<Privilege>,
    /// How many collaborators and pending invitations the plan allows, when it says.
    pub limit: Option<u32>,
    /// How many it has now (collaborators and pending invitations).
    pub used: u32,
    /// Whether another invitation fits the limit.
    pub can_invite: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InviteInput {
    pub tenant_id: String,
    pub email: String,
    pub privileges: PrivilegeChoice,
}

/// What a change to the team answered: done, or not something this token may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TeamOutcome {
    pub available: bool,
    pub message: String,
    pub dashboard_url: String,
}

fn parse_id<T: std::str::FromStr>(id: &str, field: &str, what: &str) -> Result<T, AppError> {
    id.trim()
        .parse()
        .map_err(|_| AppError::invalid(field, format!("That is not {what}'s id.")))
}

fn privileges(slugs: &[String]) -> Vec<Privilege> {
    slugs.iter().map(|s| privilege(s)).collect()
}

impl App {
    async fn team_client(
        &self,
        tenant_id: &str,
    ) -> Result<(String, Client, TenantDetails), AppError> {
        let id = parse_tenant_id(tenant_id)?;
        let (profile, client) = self.session.active_client().await?;
        let tenant = client.tenant(id).await?;
        Ok((profile, client, tenant))
    }

    fn outcome<T>(&self, access: &Access<T>, tenant: &TenantDetails, done: String) -> TeamOutcome {
        let dashboard_url = dashboard_collaborators_url(&tenant.project.id.to_string());
        match access {
            Access::Allowed(_) => TeamOutcome {
                available: true,
                message: done,
                dashboard_url,
            },
            Access::NotAvailable { .. } => TeamOutcome {
                available: false,
                message: collaborators::not_available(&dashboard_url),
                dashboard_url,
            },
        }
    }

    fn record_team(
        &self,
        profile: &str,
        kind: ActivityKind,
        tenant: &TenantDetails,
        summary: String,
    ) {
        self.record(
            self.activity_entry(profile, kind, summary)
                .project(Some(&tenant.project.name), Some(&tenant.id.to_string())),
        );
    }

    /// A project's owner, collaborators (with privilege names), pending invitations and what
    /// its plan allows.
    pub async fn project_team(&self, tenant_id: &str) -> Result<TeamView, AppError> {
        let (_, client, tenant) = self.team_client(tenant_id).await?;
        let dashboard_url = dashboard_collaborators_url(&tenant.project.id.to_string());
        let team = match client.project_team(tenant.project.id).await? {
            Access::Allowed(team) => team,
            Access::NotAvailable { .. } => {
                return Ok(TeamView {
                    available: false,
                    message: Some(collaborators::not_available(&dashboard_url)),
                    dashboard_url,
                    owner_email: None,
                    collaborators: vec![],
                    invitations: vec![],
                    offered: vec![],
                    limit: None,
                    used: 0,
                    can_invite: false,
                });
            }
        };
        let used = (team.collaborators.len() + team.invitations.len()) as u32;
        let limit = team
            .entitlements
            .collaborator_limit
            .map(|l| u32::try_from(l).unwrap_or(0));
        Ok(TeamView {
            available: true,
            message: None,
            dashboard_url,
            owner_email: team.owner.and_then(|o| o.email),
            collaborators: team
                .collaborators
                .iter()
                .map(|c| CollaboratorView {
                    id: c.id.to_string(),
                    email: c.email.clone().unwrap_or_else(|| "(no email)".into()),
                    status: c.status.clone(),
                    privileges: privileges(&c.privileges),
                })
                .collect(),
            invitations: team
                .invitations
                .iter()
                .map(|i| InvitationView {
                    id: i.id.to_string(),
                    email: i.email.clone(),
                    invited_at: i.invited_at.clone(),
                    privileges: privileges(&i.privileges),
                    resend_count: u32::try_from(i.resend_invitation_count).unwrap_or(0),
                })
                .collect(),
            offered: OFFERED
                .iter()
                .filter(|s| team.entitlements.privileges.iter().any(|p| p == *s))
                .map(|s| privilege(s))
                .collect(),
            limit,
            used,
            can_invite: limit.is_none_or(|l| used < l),
        })
    }

    /// Invites a person by email with the privileges chosen (only those the plan allows).
    pub async fn invite_collaborator(&self, input: InviteInput) -> Result<TeamOutcome, AppError> {
        let email = collaborators::email(&input.email)?;
        let slugs = input.privileges.slugs()?;
        let (profile, client, tenant) = self.team_client(&input.tenant_id).await?;
        if let Access::Allowed(team) = client.project_team(tenant.project.id).await? {
            input.privileges.check_plan(&team.entitlements.privileges)?;
        }
        let access = client
            .invite_collaborator(tenant.project.id, &email, &slugs)
            .await
            .map_err(|e| AppError::from_client_for_fields(e, &[EMAIL_FIELD, "privileges"]))?;
        let names: Vec<String> = privileges(&slugs).into_iter().map(|p| p.name).collect();
        if matches!(access, Access::Allowed(_)) {
            self.record_team(
                &profile,
                ActivityKind::CollaboratorInvited,
                &tenant,
                format!("Invited {email} as {}", names.join(" + ")),
            );
        }
        Ok(self.outcome(&access, &tenant, format!("Invitation sent to {email}.")))
    }

    /// Sends a pending invitation again.
    pub async fn resend_invitation(
        &self,
        tenant_id: &str,
        email: &str,
    ) -> Result<TeamOutcome, AppError> {
        let email = collaborators::email(email)?;
        let (profile, client, tenant) = self.team_client(tenant_id).await?;
        let access = client.resend_invite(tenant.project.id, &email).await?;
        if matches!(access, Access::Allowed(_)) {
            self.record_team(
                &profile,
                ActivityKind::InvitationResent,
                &tenant,
                format!("Resent the invitation to {email}"),
            );
        }
        Ok(self.outcome(
            &access,
            &tenant,
            format!("Invitation sent again to {email}."),
        ))
    }

    /// Revokes a pending invitation. One already gone counts as revoked.
    pub async fn revoke_invitation(
        &self,
        tenant_id: &str,
        invitation_id: &str,
        email: &str,
    ) -> Result<TeamOutcome, AppError> {
        let id: InvitationId = parse_id(invitation_id, "invitationId", "an invitation")?;
        let (profile, client, tenant) = self.team_client(tenant_id).await?;
        let access = client.revoke_invitation(id).await?;
        if matches!(access, Access::Allowed(true)) {
            self.record_team(
                &profile,
                ActivityKind::InvitationRevoked,
                &tenant,
                format!("Revoked the invitation to {email}"),
            );
        }
        Ok(self.outcome(
            &access,
            &tenant,
            format!("The invitation to {email} is revoked."),
        ))
    }

    /// Sets a collaborator's privileges to the choice: grants what is new, takes away the rest.
    pub async fn change_collaborator_privileges(
        &self,
        tenant_id: &str,
        collaborator_id: &str,
        choice: PrivilegeChoice,
    ) -> Result<TeamOutcome, AppError> {
        let id: CollaboratorId = parse_id(collaborator_id, "collaboratorId", "a collaborator")?;
        let wanted = choice.slugs()?;
        let (profile, client, tenant) = self.team_client(tenant_id).await?;
        let team = match client.project_team(tenant.project.id).await? {
            Access::Allowed(team) => team,
            other => return Ok(self.outcome(&other, &tenant, String::new())),
        };
        choice.check_plan(&team.entitlements.privileges)?;
        let Some(current) = team.collaborators.iter().find(|c| c.id == id) else {
            return Err(AppError::not_found(
                "This collaborator was removed meanwhile.",
            ));
        };
        let grant: Vec<String> = wanted
            .iter()
            .filter(|s| !current.privileges.contains(s))
            .cloned()
            .collect();
        // Only the offered privileges are the form's to take away; others stay as they are.
        let revoke: Vec<String> = current
            .privileges
            .iter()
            .filter(|s| OFFERED.contains(&s.as_str()) && !wanted.contains(s))
            .cloned()
            .collect();
        let access = client
            .change_privileges(id, &grant, &revoke)
            .await
            .map_err(|e| AppError::from_client_for_fields(e, &["privileges"]))?;
        let email = current.email.clone().unwrap_or_default();
        let names: Vec<String> = privileges(&wanted).into_iter().map(|p| p.name).collect();
        if matches!(access, Access::Allowed(_)) {
            self.record_team(
                &profile,
                ActivityKind::CollaboratorPrivilegesChanged,
                &tenant,
                format!("Changed {email}'s privileges to {}", names.join(" + ")),
            );
        }
        Ok(self.outcome(
            &access,
            &tenant,
            format!("{email} now has {}.", names.join(" + ")),
        ))
    }

    /// Removes a collaborator; their email, typed, confirms it.
    pub async fn remove_collaborator(
        &self,
        tenant_id: &str,
        collaborator_id: &str,
        confirm_email: &str,
    ) -> Result<TeamOutcome, AppError> {
        let id: CollaboratorId = parse_id(collaborator_id, "collaboratorId", "a collaborator")?;
        let (profile, client, tenant) = self.team_client(tenant_id).await?;
        let team = match client.project_team(tenant.project.id).await? {
            Access::Allowed(team) => team,
            other => return Ok(self.outcome(&other, &tenant, String::new())),
        };
        let Some(current) = team.collaborators.iter().find(|c| c.id == id) else {
            return Err(AppError::not_found(
                "This collaborator was removed meanwhile.",
            ));
        };
        let email = current.email.clone().unwrap_or_default();
        if !confirm_email.trim().eq_ignore_ascii_case(&email) {
            return Err(AppError::invalid(
                "confirm",
                format!("Type {email} to confirm the removal."),
            ));
        }
        let access = client.remove_collaborator(id).await?;
        if matches!(access, Access::Allowed(_)) {
            self.record_team(
                &profile,
                ActivityKind::CollaboratorRemoved,
                &tenant,
                format!("Removed the collaborator {email}"),
            );
        }
        Ok(self.outcome(
            &access,
            &tenant,
            format!("{email} is no longer a collaborator."),
        ))
    }
}
