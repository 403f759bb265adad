//! Each operation's variables and decoding, against canned answers.

use serde_json::{Value, json};

use super::canned::{Reply, Server};
use super::client;
use crate::config::RetryPolicy;
use crate::env::{EnvLayout, EnvValue};
use crate::error::{Error, ErrorKind};
use crate::ids::{JobId, ProjectId, TenantId};
use crate::token::Token;
use crate::types::{JobStatus, NewProject, PreviewAppRequest};

const T: &str = "11111111-1111-4111-8111-111111111111";
const P: &str = "22222222-2222-4222-8222-222222222222";
const J: &str = "33333333-3333-4333-8333-333333333333";

fn tid() -> TenantId {
    T.parse().unwrap()
}
fn pid() -> ProjectId {
    P.parse().unwrap()
}

async fn one(reply: Value) -> (crate::Client, Server) {
    let server = Server::start(vec![Reply::json(reply)]).await;
    let (client, _) = client(&server.url, RetryPolicy::none());
    (client, server)
}

fn variables(server: &Server) -> Value {
    server.requests()[0].body["variables"].clone()
}

#[tokio::test]
async fn create_project_sends_variables_and_omits_empty_envs() {
    let answer = json!({"data": {"createTenant": {"id": T, "name": "n", "tenant": {
        "id": T, "slug": "happy-fox", "project": {"id": P, "endpoint": "https://happy-fox.hasura.app"}}}}});
    let (client, server) = one(answer).await;
    let created = client
        .create_project(&NewProject {
            cloud: "aws".into(),
            region: "us-east-2".into(),
            name: Some("n".into()),
            plan: None,
            envs: vec![],
        })
        .await
        .unwrap();
    assert_eq!(created.tenant_id, tid());
    let tenant = created.tenant.unwrap();
    assert_eq!(tenant.project.id, pid());
    assert_eq!(tenant.slug, "happy-fox");
    assert_eq!(
        variables(&server),
        json!({"cloud": "aws", "region": "us-east-2", "name": "n", "plan": null, "envs": null})
    );

    let (client, server) =
        one(json!({"data": {"createTenant": {"id": T, "name": "x", "tenant": null}}})).await;
    let created = client
        .create_project(&NewProject {
            cloud: "gcp".into(),
            region: "asia-south1".into(),
            envs: vec![("A".into(), "1".into())],
            ..NewProject::default()
        })
        .await
        .unwrap();
    assert_eq!(created.tenant, None);
    assert_eq!(
        variables(&server)["envs"],
        json!([{"key": "A", "value": "1"}])
    );
}

#[tokio::test]
async fn create_project_null_answer_is_unexpected() {
    let (client, _) = one(json!({"data": {"createTenant": null}})).await;
    let err = client
        .create_project(&NewProject {
            cloud: "aws".into(),
            region: "us-east-2".into(),
            ..NewProject::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
}

#[tokio::test]
async fn blank_required_inputs_fail_before_sending() {
    let (client, server) = one(json!({"data": {}})).await;
    let err = client
        .create_project(&NewProject::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        client.update_env(tid(), "h", &[]).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        client.delete_env(tid(), "h", &[]).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        client
            .update_env(tid(), "h", &[(" ".into(), "v".into())])
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        client.rename_tenant(tid(), "").await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn tenant_id_of_project_and_its_not_found_cases() {
    let (client, server) =
        one(json!({"data": {"projects_by_pk": {"id": P, "tenant": {"id": T}}}})).await;
    assert_eq!(client.tenant_id_of_project(pid()).await.unwrap(), tid());
    assert_eq!(variables(&server), json!({"id": P}));

    let (client, _) = one(json!({"data": {"projects_by_pk": null}})).await;
    let err = client.tenant_id_of_project(pid()).await.unwrap_err();
    assert_eq!(
        err,
        Error::NotFound {
            what: format!("project {P}")
        }
    );

    let (client, _) = one(json!({"data": {"projects_by_pk": {"id": P, "tenant": null}}})).await;
    assert_eq!(
        client.tenant_id_of_project(pid()).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    // A missing root field is a contract breach, not "not found".
    let (client, _) = one(json!({"data": {}})).await;
    assert_eq!(
        client.tenant_id_of_project(pid()).await.unwrap_err(),
        Error::UnexpectedResponse {
            detail: "the answer has no `projects_by_pk` field".into()
        }
    );
}

#[tokio::test]
async fn tenant_details() {
    let (client, _) = one(json!({"data": {"tenant_by_pk": {
        "id": T, "slug": "s", "cloud": "aws", "region": "us-east-2", "created_at": "2024-05-01T10:00:00.000+00:00",
        "project": {"id": P, "name": "n", "endpoint": "https://s.hasura.app", "plan_name": "cloud_free", "created_at": "2024-05-01T10:00:00.000+00:00"}}}}))
    .await;
    let details = client.tenant(tid()).await.unwrap();
    assert_eq!(details.project.id, pid());
    assert_eq!(details.project.plan_name.as_deref(), Some("cloud_free"));

    let (client, _) = one(json!({"data": {"tenant_by_pk": null}})).await;
    assert_eq!(
        client.tenant(tid()).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    // A mistyped field is reported, with the field named.
    let (client, _) = one(json!({"data": {"tenant_by_pk": {"id": T, "slug": 5}}})).await;
    let err = client.tenant(tid()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert!(err.to_string().contains("tenant_by_pk"), "{err}");
}

#[tokio::test]
async fn list_and_find_projects() {
    let row = json!({"id": P, "name": "a", "endpoint": "https://a.hasura.app", "plan_name": null,
        "billing_plan_name": "cloud_payg", "created_at": "t",
        "tenant": {"id": T, "slug": "a", "cloud": "aws", "region": "us-east-2", "created_at": "t"}});
    let (client, _) = one(json!({"data": {"projects": [row.clone(), {
        "id": "44444444-4444-4444-8444-444444444444", "name": "b", "endpoint": "e", "plan_name": null,
        "billing_plan_name": null, "created_at": "t", "tenant": null}]}}))
    .await;
    let projects = client.list_projects().await.unwrap();
    assert_eq!(projects.len(), 2);
    assert_eq!(projects[0].tenant.as_ref().unwrap().id, tid());
    assert!(projects[1].tenant.is_none());

    let (client, server) = one(json!({"data": {"projects": [row]}})).await;
    let found = client.find_projects_by_name("a \" } evil").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(variables(&server), json!({"name": "a \" } evil"}));
}

#[tokio::test]
async fn delete_tenant_returns_status() {
    let (client, server) = one(json!({"data": {"deleteTenant": {"status": "deleted"}}})).await;
    assert_eq!(client.delete_tenant(tid()).await.unwrap(), "deleted");
    assert_eq!(variables(&server), json!({"tenantId": T}));
    let (client, _) = one(json!({"data": {"deleteTenant": null}})).await;
    assert_eq!(
        client.delete_tenant(tid()).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn env_operations() {
    let (client, _) = one(json!({"data": {"getTenantEnv": {"hash": "h1",
        "envVars": {"environment": {"B": "2", "A": 1}, "version": 3}}}}))
    .await;
    let env = client.get_env(tid()).await.unwrap();
    assert_eq!(env.hash, "h1");
    assert_eq!(env.layout, EnvLayout::Nested);
    assert_eq!(env.vars.keys().collect::<Vec<_>>(), ["B", "A"]);
    assert_eq!(
        env.vars.get("A"),
        Some(&EnvValue {
            text: "1".into(),
            is_json: true
        })
    );

    let (client, _) = one(json!({"data": {"getTenantEnv": null}})).await;
    assert_eq!(
        client.get_env(tid()).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    let (client, _) =
        one(json!({"data": {"getTenantEnv": {"hash": "h1", "envVars": "A=1"}}})).await;
    assert_eq!(
        client.get_env(tid()).await.unwrap_err().kind(),
        ErrorKind::UnexpectedResponse
    );

    let (client, _) = one(json!({"data": {"getTenantEnv": {"hash": "h1"}}})).await;
    assert_eq!(
        client.get_env(tid()).await.unwrap_err().kind(),
        ErrorKind::UnexpectedResponse
    );

    let (client, server) =
        one(json!({"data": {"updateTenantEnv": {"hash": "h2", "envVars": {"X": "y"}}}})).await;
    let env = client
        .update_env(tid(), "h1", &[("X".into(), "y".into())])
        .await
        .unwrap();
    assert_eq!((env.hash.as_str(), env.layout), ("h2", EnvLayout::Flat));
    assert_eq!(
        variables(&server),
        json!({"tenantId": T, "currentHash": "h1", "envs": [{"key": "X", "value": "y"}]})
    );

    let (client, server) =
        one(json!({"data": {"deleteTenantEnv": {"hash": "h3", "envVars": {}}}})).await;
    let env = client.delete_env(tid(), "h2", &["X".into()]).await.unwrap();
    assert!(env.vars.is_empty());
    assert_eq!(
        variables(&server),
        json!({"tenantId": T, "currentHash": "h2", "deleteEnvs": ["X"]})
    );

    let (client, _) = one(json!({"errors": [{"message": "nothing changed in config"}]})).await;
    assert_eq!(
        client
            .update_env(tid(), "h1", &[("X".into(), "y".into())])
            .await
            .unwrap_err(),
        Error::NothingChanged
    );
}

#[tokio::test]
async fn rename_and_set_name() {
    let (client, server) = one(json!({"data": {"updateTenantName": {"tenant_id": T,
        "tenant": {"slug": "new-slug", "project": {"endpoint": "https://new-slug.hasura.app"}}}}}))
    .await;
    let renamed = client.rename_tenant(tid(), "new-slug").await.unwrap();
    assert_eq!(renamed.slug.as_deref(), Some("new-slug"));
    assert_eq!(
        renamed.endpoint.as_deref(),
        Some("https://new-slug.hasura.app")
    );
    assert_eq!(
        variables(&server),
        json!({"tenantId": T, "name": "new-slug"})
    );

    let (client, _) =
        one(json!({"data": {"updateTenantName": {"tenant_id": T, "tenant": null}}})).await;
    let renamed = client.rename_tenant(tid(), "x").await.unwrap();
    assert_eq!((renamed.slug, renamed.endpoint), (None, None));

    let (client, server) =
        one(json!({"data": {"update_projects_by_pk": {"id": P, "name": "fixed"}}})).await;
    assert_eq!(
        client.set_project_name(pid(), "fixed").await.unwrap(),
        "fixed"
    );
    assert_eq!(variables(&server), json!({"id": P, "name": "fixed"}));

    let (client, _) = one(json!({"data": {"update_projects_by_pk": null}})).await;
    assert_eq!(
        client
            .set_project_name(pid(), "fixed")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn preview_app_job_flow() {
    let (client, server) =
        one(json!({"data": {"createGitHubPreviewApp": {"githubPreviewAppJobID": J}}})).await;
    let job_id = client
        .create_preview_app(
            &Token::new("ghp_x".into()),
            &PreviewAppRequest {
                owner: "org".into(),
                repo: "repo".into(),
                branch: "main".into(),
                directory: "backend/hasura".into(),
                name: "pr-42".into(),
                cloud: "aws".into(),
                region: "us-east-2".into(),
                plan: Some("cloud_free".into()),
                env: vec![("K".into(), "V".into())],
            },
        )
        .await
        .unwrap();
    assert_eq!(job_id, J.parse::<JobId>().unwrap());
    assert_eq!(
        variables(&server),
        json!({"githubToken": "ghp_x", "owner": "org", "repo": "repo", "branch": "main",
            "directory": "backend/hasura", "name": "pr-42", "cloud": "aws", "region": "us-east-2",
            "plan": "cloud_free", "envVars": [{"key": "K", "value": "V"}]})
    );

    let job = json!({"id": J, "status": "success", "job_type": "github-preview-app", "project_id": P,
        "project_name": "pr-42", "created_at": "t0", "updated_at": "t1",
        "tasks": [{"id": T, "name": "create-project", "created_at": "t0", "updated_at": "t1",
            "task_events": [{"id": P, "event_type": "success", "error": null,
                "public_event_data": {"projectId": P, "githubDeploymentJobID": J},
                "github_detail": null, "created_at": "t1"}]}]});
    let (client, _) = one(json!({"data": {"jobs_by_pk": job.clone()}})).await;
    let fetched = client.job(job_id).await.unwrap().unwrap();
    assert_eq!(fetched.state(), JobStatus::Success);
    assert_eq!(
        fetched.tasks[0].task_events[0].public_str("projectId"),
        Some(P)
    );

    let (client, _) = one(json!({"data": {"jobs_by_pk": null}})).await;
    assert_eq!(client.job(job_id).await.unwrap(), None);

    let (client, server) = one(json!({"data": {"jobs": [job]}})).await;
    let jobs = client.preview_app_jobs(u32::MAX).await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(variables(&server), json!({"limit": i32::MAX}));
}

#[tokio::test]
async fn regions() {
    let (client, _) = one(json!({"data": {"region": [
        {"name": "us-east-2", "cloud": "aws", "is_active": true, "nat_ip": "203.0.113.7"},
        {"name": "asia-south1", "cloud": "gcp", "is_active": true, "nat_ip": null}]}}))
    .await;
    let regions = client.regions().await.unwrap();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[1].cloud, "gcp");
    assert_eq!(regions[0].nat_ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(regions[1].nat_ip, None);

    let (client, _) = one(
        json!({"errors": [{"message": "field 'region' not found in type: 'query_root'",
        "extensions": {"code": "validation-failed"}}]}),
    )
    .await;
    assert_eq!(
        client.regions().await.unwrap_err(),
        Error::TokenRejected {
            field: Some("region".into())
        }
    );
}
