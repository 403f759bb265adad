//! Collaborators through the client, against the simulator, including a token that may not see
//! them (the simulator's `team_visible: false`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use cloud_sim::SimConfig;
use common::*;
use hasura_cloud::{Access, Error, ProjectTeam};

fn not_available<T>(access: &Access<T>) -> bool {
    matches!(access, Access::NotAvailable { .. })
}

fn slugs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

async fn team(client: &hasura_cloud::Client, project: hasura_cloud::ProjectId) -> ProjectTeam {
    client
        .project_team(project)
        .await
        .unwrap()
        .allowed()
        .unwrap()
}

#[tokio::test]
async fn invite_resend_accept_change_and_remove() {
    let sim = sim().await;
    let client = client(&sim);
    let (project, _) = seed(&sim, "team-a", &[]);

    let start = team(&client, project).await;
    assert_eq!(
        start.owner.unwrap().email.as_deref(),
        Some("owner@example.com")
    );
    assert!(start.collaborators.is_empty() && start.invitations.is_empty());
    assert_eq!(start.entitlements.collaborator_limit, Some(10));
    assert!(
        start
            .entitlements
            .privileges
            .contains(&"view_metrics".to_string())
    );

    let invitation = client
        .invite_collaborator(project, "ana@example.com", &slugs(&["view_metrics"]))
        .await
        .unwrap()
        .allowed()
        .unwrap();
    assert_eq!(invitation.email, "ana@example.com");
    let pending = team(&client, project).await.invitations;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].privileges, slugs(&["view_metrics"]));

    let resent = client
        .resend_invite(project, "ana@example.com")
        .await
        .unwrap()
        .allowed()
        .unwrap();
    assert_eq!(resent.id, invitation.id);
    assert_eq!(
        team(&client, project).await.invitations[0].resend_invitation_count,
        1
    );

    assert!(sim.control().accept_invitation("ana@example.com"));
    let after = team(&client, project).await;
    assert!(after.invitations.is_empty());
    let ana = &after.collaborators[0];
    assert_eq!(ana.email.as_deref(), Some("ana@example.com"));
    assert_eq!(ana.privileges, slugs(&["view_metrics"]));

    let changed = client
        .change_privileges(
            ana.id,
            &slugs(&["graphql_admin"]),
            &slugs(&["view_metrics"]),
        )
        .await
        .unwrap();
    assert_eq!(changed, Access::Allowed(()));
    assert_eq!(
        team(&client, project).await.collaborators[0].privileges,
        slugs(&["graphql_admin"])
    );

    assert_eq!(
        client.remove_collaborator(ana.id).await.unwrap(),
        Access::Allowed(true)
    );
    assert_eq!(
        client.remove_collaborator(ana.id).await.unwrap(),
        Access::Allowed(false)
    );
    assert!(team(&client, project).await.collaborators.is_empty());
}

#[tokio::test]
async fn revoke_and_refusals_in_the_services_words() {
    let sim = sim().await;
    let client = client(&sim);
    let (project, _) = seed(&sim, "team-b", &[]);
    let invitation = client
        .invite_collaborator(project, "bo@example.com", &slugs(&["admin"]))
        .await
        .unwrap()
        .allowed()
        .unwrap();
    let again = client
        .invite_collaborator(project, "bo@example.com", &slugs(&["admin"]))
        .await
        .unwrap_err();
    match again {
        Error::InvalidInput { message } => {
            assert!(message.contains("already been sent"), "{message}")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert_eq!(
        client.revoke_invitation(invitation.id).await.unwrap(),
        Access::Allowed(true)
    );
    assert_eq!(
        client.revoke_invitation(invitation.id).await.unwrap(),
        Access::Allowed(false)
    );
    assert!(team(&client, project).await.invitations.is_empty());

    let missing = client.project_team(random_project()).await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
}

#[tokio::test]
async fn free_plan_has_no_view_metrics() {
    let sim = sim().await;
    let client = client(&sim);
    let p = sim
        .control()
        .seed_project("team-free", "aws", "us-east-2", "cloud_free", &[]);
    let project = p.project_id.parse().unwrap();
    let entitlements = team(&client, project).await.entitlements;
    assert_eq!(entitlements.collaborator_limit, Some(2));
    assert!(
        !entitlements
            .privileges
            .contains(&"view_metrics".to_string())
    );
    let refused = client
        .invite_collaborator(project, "cy@example.com", &slugs(&["view_metrics"]))
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused:?}");
}

#[tokio::test]
async fn a_token_that_cannot_see_the_team_gets_not_available() {
    let sim = sim_with(SimConfig {
        team_visible: false,
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let (project, _) = seed(&sim, "team-hidden", &[]);
    let read = client.project_team(project).await.unwrap();
    assert!(not_available(&read), "{read:?}");
    let invite = client
        .invite_collaborator(project, "ana@example.com", &slugs(&["admin"]))
        .await
        .unwrap();
    assert!(not_available(&invite));
    let resend = client
        .resend_invite(project, "ana@example.com")
        .await
        .unwrap();
    assert!(not_available(&resend));
    let id = hasura_cloud::InvitationId::new(uuid::Uuid::new_v4());
    assert!(not_available(&client.revoke_invitation(id).await.unwrap()));
    let cid = hasura_cloud::CollaboratorId::new(uuid::Uuid::new_v4());
    assert!(not_available(
        &client.remove_collaborator(cid).await.unwrap()
    ));
    assert!(not_available(
        &client
            .change_privileges(cid, &slugs(&["admin"]), &[])
            .await
            .unwrap()
    ));
}
