//! Collaborators, invitations, owner and entitlements, as the simulator serves them, and the
//! switch that hides them from a token.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use cloud_sim::SimConfig;
use common::*;
use serde_json::json;

const TEAM: &str = "query($id: uuid!) { projects_by_pk(id: $id) {
  owner { email }
  collaborators { id status collaborator { email } project_collaborator_privileges(order_by: {privilege_slug: asc}) { privilege_slug } }
  invitations { id key collaborator_email privileges resend_invitation_count invited_at accepted_at }
  entitlements { entitlement { type config_limit } } } }";

const INVITE: &str = "mutation($email: String!, $p: [String!]!, $id: uuid!) {
  inviteCollaborator(invite: {collaborator_email: $email, privileges: $p, project_id: $id}) { id collaborator_email privileges key } }";

fn seeded(sim: &cloud_sim::Simulator, plan: &str) -> String {
    sim.control()
        .seed_project("team", "aws", "us-east-2", plan, &[])
        .project_id
}

#[tokio::test]
async fn invite_accept_change_privileges_and_remove() {
    let sim = start().await;
    let id = seeded(&sim, "cloud_payg");
    let invited = data(
        &sim,
        INVITE,
        json!({"email": "ana@example.com", "p": ["view_metrics"], "id": id}),
    )
    .await;
    assert_eq!(
        invited["inviteCollaborator"]["privileges"],
        json!(["view_metrics"])
    );
    let team = data(&sim, TEAM, json!({"id": id})).await["projects_by_pk"].clone();
    assert_eq!(team["owner"]["email"], "owner@example.com");
    assert_eq!(
        team["invitations"][0]["collaborator_email"],
        "ana@example.com"
    );
    assert!(
        team["entitlements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entitlement"]["type"] == "collaborator_privilege_view_metrics")
    );

    let key = team["invitations"][0]["key"].as_str().unwrap().to_string();
    let accepted = data(
        &sim,
        "mutation($k: String!) { acceptInvite(inviteKey: $k) { id } }",
        json!({"k": key}),
    )
    .await;
    assert!(accepted["acceptInvite"]["id"].is_string());
    let team = data(&sim, TEAM, json!({"id": id})).await["projects_by_pk"].clone();
    let collaborator = &team["collaborators"][0];
    assert_eq!(collaborator["collaborator"]["email"], "ana@example.com");
    assert_eq!(collaborator["status"], "active");
    let cid = collaborator["id"].as_str().unwrap().to_string();

    let granted = data(&sim, "mutation($o: [project_collaborator_privileges_insert_input!]!) { insert_project_collaborator_privileges(objects: $o) { affected_rows returning { privilege_slug } } }",
        json!({"o": [{"project_collaborator_id": cid, "privilege_slug": "graphql_admin"}]})).await;
    assert_eq!(
        granted["insert_project_collaborator_privileges"]["affected_rows"],
        1
    );
    assert_eq!(
        granted["insert_project_collaborator_privileges"]["returning"][0]["privilege_slug"],
        "graphql_admin"
    );
    let revoked = data(&sim, "mutation($c: uuid!) { delete_project_collaborator_privileges(where: {project_collaborator_id: {_eq: $c}, privilege_slug: {_eq: \"view_metrics\"}}) { affected_rows } }",
        json!({"c": cid})).await;
    assert_eq!(
        revoked["delete_project_collaborator_privileges"]["affected_rows"],
        1
    );
    let team = data(&sim, TEAM, json!({"id": id})).await["projects_by_pk"].clone();
    assert_eq!(
        team["collaborators"][0]["project_collaborator_privileges"],
        json!([{"privilege_slug": "graphql_admin"}])
    );

    let removed = data(
        &sim,
        "mutation($c: uuid!) { delete_project_collaborators_by_pk(id: $c) { id } }",
        json!({"c": cid}),
    )
    .await;
    assert_eq!(
        removed["delete_project_collaborators_by_pk"]["id"],
        cid.as_str()
    );
    let team = data(&sim, TEAM, json!({"id": id})).await["projects_by_pk"].clone();
    assert_eq!(team["collaborators"], json!([]));
}

#[tokio::test]
async fn resend_counts_and_revoke_deletes() {
    let sim = start().await;
    let id = seeded(&sim, "cloud_payg");
    data(
        &sim,
        INVITE,
        json!({"email": "bo@example.com", "p": ["admin"], "id": id}),
    )
    .await;
    let resent = data(&sim, "mutation($e: String!, $id: uuid!) { resendInvite(args: {collaborator_email: $e, project_id: $id}) { id } }",
        json!({"e": "bo@example.com", "id": id})).await;
    let invitation = resent["resendInvite"]["id"].as_str().unwrap().to_string();
    let team = data(&sim, TEAM, json!({"id": id})).await["projects_by_pk"].clone();
    assert_eq!(team["invitations"][0]["resend_invitation_count"], 1);
    let gone = data(
        &sim,
        "mutation($i: uuid!) { delete_project_collaborator_invitations_by_pk(id: $i) { id } }",
        json!({"i": invitation}),
    )
    .await;
    assert_eq!(
        gone["delete_project_collaborator_invitations_by_pk"]["id"],
        invitation.as_str()
    );
    let again = data(
        &sim,
        "mutation($i: uuid!) { delete_project_collaborator_invitations_by_pk(id: $i) { id } }",
        json!({"i": invitation}),
    )
    .await;
    assert!(again["delete_project_collaborator_invitations_by_pk"].is_null());
}

#[tokio::test]
async fn business_rules_answer_unexpected_with_a_reason() {
    let sim = start().await;
    let id = seeded(&sim, "cloud_free");
    for (email, privileges, words) in [
        ("not-an-email", json!(["admin"]), "invalid email"),
        (
            "cy@example.com",
            json!(["view_metrics"]),
            "not available on this project's plan",
        ),
        ("cy@example.com", json!(["root"]), "invalid privilege"),
        ("owner@example.com", json!(["admin"]), "owner"),
    ] {
        let (message, code) = error(
            &sim,
            INVITE,
            json!({"email": email, "p": privileges, "id": id}),
        )
        .await;
        assert_eq!(code, "unexpected", "{message}");
        assert!(message.contains(words), "{message}");
    }
    data(
        &sim,
        INVITE,
        json!({"email": "a@example.com", "p": ["admin"], "id": id}),
    )
    .await;
    let (message, code) = error(
        &sim,
        INVITE,
        json!({"email": "A@example.com", "p": ["admin"], "id": id}),
    )
    .await;
    assert_eq!(code, "unexpected");
    assert!(message.contains("already been sent"), "{message}");
    data(
        &sim,
        INVITE,
        json!({"email": "b@example.com", "p": ["admin"], "id": id}),
    )
    .await;
    let (message, code) = error(
        &sim,
        INVITE,
        json!({"email": "c@example.com", "p": ["admin"], "id": id}),
    )
    .await;
    assert_eq!(code, "unexpected");
    assert!(message.contains("limit reached"), "{message}");
    let (message, code) = error(&sim, "mutation($e: String!, $id: uuid!) { resendInvite(args: {collaborator_email: $e, project_id: $id}) { id } }",
        json!({"e": "nobody@example.com", "id": id})).await;
    assert_eq!(code, "unexpected");
    assert!(message.contains("no pending invitation"), "{message}");
}

#[tokio::test]
async fn hidden_team_fields_are_not_found_in_type() {
    let sim = start_with(SimConfig {
        team_visible: false,
        ..SimConfig::default()
    })
    .await;
    let id = seeded(&sim, "cloud_payg");
    let (message, code) = error(&sim, TEAM, json!({"id": id})).await;
    assert_eq!(code, "validation-failed");
    assert!(
        message.contains("not found in type: 'projects'"),
        "{message}"
    );
    let (message, code) = error(
        &sim,
        INVITE,
        json!({"email": "a@example.com", "p": ["admin"], "id": id}),
    )
    .await;
    assert_eq!(code, "validation-failed");
    assert_eq!(
        message,
        "field \"inviteCollaborator\" not found in type: 'mutation_root'"
    );
    // The rest of the API is unchanged.
    let d = data(
        &sim,
        "query($id: uuid!) { projects_by_pk(id: $id) { name } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(d["projects_by_pk"]["name"], "team");
}
