//! Collaborators through `App` against the simulator: the team view with privilege names and
//! the plan's offer, invite/resend/revoke, changing privileges, removal with a typed email, the
//! activity log (emails kept), and a token that sees none of it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::collaborators::PrivilegeChoice;
use app_core::{ActivityKind, AppError, InviteInput};
use cloud_sim::SimConfig;
use common::*;

fn user(execute_graphql: bool, view_metrics: bool) -> PrivilegeChoice {
    PrivilegeChoice {
        admin: false,
        execute_graphql,
        view_metrics,
    }
}

fn invite(tenant_id: &str, email: &str, privileges: PrivilegeChoice) -> InviteInput {
    InviteInput {
        tenant_id: tenant_id.into(),
        email: email.into(),
        privileges,
    }
}

#[tokio::test]
async fn invite_resend_revoke_and_manage_a_collaborator() {
    let sim = sim_with(SimConfig::default()).await;
    let project = sim
        .control()
        .seed_project("crew", "aws", "us-east-2", "cloud_payg", &[]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;

    let view = h.app.project_team(t).await.unwrap();
    assert!(view.available);
    assert_eq!(view.owner_email.as_deref(), Some("owner@example.com"));
    let offered: Vec<&str> = view.offered.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(offered, vec!["Admin", "Execute GraphQL", "View Metrics"]);
    assert_eq!(
        (view.limit, view.used, view.can_invite),
        (Some(10), 0, true)
    );

    let done = h
        .app
        .invite_collaborator(invite(t, " ana@example.com ", user(false, true)))
        .await
        .unwrap();
    assert!(done.available, "{done:?}");
    let view = h.app.project_team(t).await.unwrap();
    let pending = &view.invitations[0];
    assert_eq!(pending.email, "ana@example.com");
    assert_eq!(pending.privileges[0].name, "View Metrics");
    assert_eq!(pending.privileges[0].slug, "view_metrics");
    assert!(!pending.invited_at.is_empty());

    assert!(
        h.app
            .resend_invitation(t, "ana@example.com")
            .await
            .unwrap()
            .available
    );
    assert_eq!(
        h.app.project_team(t).await.unwrap().invitations[0].resend_count,
        1
    );
    let revoked = h
        .app
        .revoke_invitation(t, &pending.id, "ana@example.com")
        .await
        .unwrap();
    assert!(revoked.available);
    assert!(h.app.project_team(t).await.unwrap().invitations.is_empty());

    h.app
        .invite_collaborator(invite(t, "bo@example.com", user(true, false)))
        .await
        .unwrap();
    assert!(sim.control().accept_invitation("bo@example.com"));
    let bo = h.app.project_team(t).await.unwrap().collaborators[0].clone();
    assert_eq!(bo.privileges[0].name, "Execute GraphQL");
    let changed = h
        .app
        .change_collaborator_privileges(t, &bo.id, user(true, true))
        .await
        .unwrap();
    assert!(changed.available);
    let names: Vec<String> = h.app.project_team(t).await.unwrap().collaborators[0]
        .privileges
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, vec!["Execute GraphQL", "View Metrics"]);

    let wrong = h
        .app
        .remove_collaborator(t, &bo.id, "someone")
        .await
        .unwrap_err();
    assert!(matches!(wrong, AppError::InvalidInput { .. }), "{wrong:?}");
    assert!(
        h.app
            .remove_collaborator(t, &bo.id, "bo@example.com")
            .await
            .unwrap()
            .available
    );
    assert!(
        h.app
            .project_team(t)
            .await
            .unwrap()
            .collaborators
            .is_empty()
    );

    let log = h.app.activity_list(10).await.unwrap();
    let kinds: Vec<ActivityKind> = log.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ActivityKind::CollaboratorRemoved,
            ActivityKind::CollaboratorPrivilegesChanged,
            ActivityKind::CollaboratorInvited,
            ActivityKind::InvitationRevoked,
            ActivityKind::InvitationResent,
            ActivityKind::CollaboratorInvited,
        ]
    );
    assert!(log[5].summary.contains("ana@example.com") && log[5].summary.contains("View Metrics"));
    for entry in &log {
        assert!(!entry.summary.contains(TOKEN));
    }
}

#[tokio::test]
async fn refusals_are_said_for_a_person() {
    let sim = sim_with(SimConfig::default()).await;
    let project = sim
        .control()
        .seed_project("crew-free", "aws", "us-east-2", "cloud_free", &[]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let view = h.app.project_team(t).await.unwrap();
    assert!(!view.offered.iter().any(|p| p.slug == "view_metrics"));

    let metrics = h
        .app
        .invite_collaborator(invite(t, "a@example.com", user(false, true)))
        .await
        .unwrap_err();
    assert!(
        metrics
            .message()
            .contains("does not allow the View Metrics"),
        "{metrics:?}"
    );
    let bad = h
        .app
        .invite_collaborator(invite(t, "a@", user(true, false)))
        .await
        .unwrap_err();
    assert!(
        matches!(&bad, AppError::InvalidInput { field: Some(f), .. } if f == "email"),
        "{bad:?}"
    );
    h.app
        .invite_collaborator(invite(t, "a@example.com", user(true, false)))
        .await
        .unwrap();
    let twice = h
        .app
        .invite_collaborator(invite(t, "a@example.com", user(true, false)))
        .await
        .unwrap_err();
    assert!(twice.message().contains("already been sent"), "{twice:?}");
    assert!(h.app.activity_list(10).await.unwrap().len() == 1);
}

#[tokio::test]
async fn a_token_that_cannot_see_collaborators_is_sent_to_the_dashboard() {
    let sim = sim_with(SimConfig {
        team_visible: false,
        ..Default::default()
    })
    .await;
    let project = sim
        .control()
        .seed_project("crew", "aws", "us-east-2", "cloud_payg", &[]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let view = h.app.project_team(t).await.unwrap();
    assert!(!view.available);
    assert_eq!(
        view.dashboard_url,
        format!(
            "https://cloud.hasura.io/project/{}/collaborators",
            project.project_id
        )
    );
    assert!(
        view.message
            .unwrap()
            .contains("cannot manage collaborators")
    );
    let outcome = h
        .app
        .invite_collaborator(invite(t, "a@example.com", user(true, false)))
        .await
        .unwrap();
    assert!(!outcome.available);
    assert!(outcome.message.contains(&outcome.dashboard_url));
    assert!(
        !h.app
            .resend_invitation(t, "a@example.com")
            .await
            .unwrap()
            .available
    );
    assert!(h.app.activity_list(10).await.unwrap().is_empty());
}
