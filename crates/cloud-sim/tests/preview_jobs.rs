//! GitHub preview apps: two jobs that progress over time, scripted failures, supersession.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;
use std::time::Duration;

use cloud_sim::{CREATION_TASK, DEPLOYMENT_TASKS, SimConfig, Simulator};
use common::*;
use serde_json::{Value, json};

const CREATE: &str = "mutation($p: CreateGithubPreviewAppInputPayload) { createGitHubPreviewApp(payload: $p) { githubPreviewAppJobID github_preview_app_job { status job_type project_name } } }";
const JOB: &str = "query($id: uuid!) { jobs_by_pk(id: $id) { id status job_type project_id project_name tasks(order_by: {created_at: asc}) { name task_events(order_by: {created_at: asc}) { event_type error public_event_data github_detail created_at } } } }";

fn payload(name: &str, branch: &str, directory: &str) -> Value {
    json!({ "p": {
        "githubPersonalAccessToken": "gh-test-token-not-real",
        "githubRepoDetails": { "owner": "acme", "repo": "shop", "branch": branch, "directory": directory },
        "projectOptions": { "name": name, "cloud": "aws", "region": "us-east-2", "plan": "cloud_free",
                            "envVars": [{ "key": "PG_DATABASE_URL", "value": "postgres://x" }] },
    }})
}

async fn launch(sim: &Simulator, name: &str, branch: &str) -> String {
    let d = data(sim, CREATE, payload(name, branch, "hasura")).await;
    assert_eq!(
        d["createGitHubPreviewApp"]["github_preview_app_job"]["status"],
        "created"
    );
    d["createGitHubPreviewApp"]["githubPreviewAppJobID"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn job(sim: &Simulator, id: &str) -> Value {
    data(sim, JOB, json!({ "id": id })).await["jobs_by_pk"].clone()
}

fn task_names(job: &Value) -> Vec<String> {
    job["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_preview_app_is_created_then_deployed_step_by_step() {
    let sim = start().await;
    let creation = launch(&sim, "pr-1", "main").await;
    let c = sim.control();

    c.advance(Duration::from_millis(1_500));
    let j = job(&sim, &creation).await;
    assert_eq!(j["status"], "running");
    assert_eq!(task_names(&j), [CREATION_TASK]);
    assert_eq!(j["tasks"][0]["task_events"][0]["event_type"], "created");

    c.advance(Duration::from_secs(9));
    let j = job(&sim, &creation).await;
    assert_eq!(j["status"], "success");
    let success = j["tasks"][0]["task_events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(success["event_type"], "success");
    let project_id = success["public_event_data"]["projectId"]
        .as_str()
        .unwrap()
        .to_string();
    let deployment = success["public_event_data"]["githubDeploymentJobID"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(j["project_id"], project_id.as_str());

    // The deployment job runs its tasks in order; part-way through only some exist.
    c.advance(Duration::from_secs(5));
    let d = job(&sim, &deployment).await;
    assert_eq!(d["status"], "running");
    assert_eq!(
        task_names(&d),
        ["gh-validation", "parse-metadata-migration"]
    );
    assert!(
        d["tasks"][0]["task_events"][1]["github_detail"]
            .as_str()
            .unwrap()
            .contains("acme/shop@main:hasura")
    );

    c.advance(Duration::from_secs(60));
    let d = job(&sim, &deployment).await;
    assert_eq!(d["status"], "success");
    let expected: Vec<&str> = DEPLOYMENT_TASKS.iter().map(|(n, _)| *n).collect();
    assert_eq!(task_names(&d), expected);
    assert!(
        d["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["task_events"][1]["event_type"] == "success")
    );
    // The preview app is an ordinary project now.
    let p = data(
        &sim,
        "query($id: uuid!) { projects_by_pk(id: $id) { name tenant { id } } }",
        json!({"id": project_id}),
    )
    .await;
    assert_eq!(p["projects_by_pk"]["name"], "pr-1");
}

#[tokio::test]
async fn scripted_failures_fail_the_named_task_with_an_error() {
    let sim = start().await;
    let creation = launch(&sim, "pr-2", "fail-apply-migration").await;
    sim.control().advance(Duration::from_secs(120));
    let j = job(&sim, &creation).await;
    let deployment = j["tasks"][0]["task_events"][1]["public_event_data"]["githubDeploymentJobID"]
        .as_str()
        .unwrap()
        .to_string();
    let d = job(&sim, &deployment).await;
    assert_eq!(d["status"], "failed");
    assert_eq!(task_names(&d).last().unwrap(), "apply-migration");
    let failed = &d["tasks"][3]["task_events"][1];
    assert_eq!(failed["event_type"], "failed");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("apply-migration failed")
    );

    // A missing directory fails the GitHub validation; a failing creation reports its error.
    let d = data(&sim, CREATE, payload("pr-3", "main", "missing/hasura")).await;
    let creation = d["createGitHubPreviewApp"]["githubPreviewAppJobID"]
        .as_str()
        .unwrap()
        .to_string();
    let c4 = launch(&sim, "pr-4", "fail-create-preview-app").await;
    sim.control().advance(Duration::from_secs(120));
    let j = job(&sim, &creation).await;
    let deployment = j["tasks"][0]["task_events"][1]["public_event_data"]["githubDeploymentJobID"]
        .as_str()
        .unwrap()
        .to_string();
    let d = job(&sim, &deployment).await;
    assert_eq!(
        (d["status"].as_str(), task_names(&d).len()),
        (Some("failed"), 1)
    );
    assert!(
        d["tasks"][0]["task_events"][1]["error"]
            .as_str()
            .unwrap()
            .contains("was not found")
    );
    let j4 = job(&sim, &c4).await;
    assert_eq!(j4["status"], "failed");
    assert_eq!(j4["tasks"][0]["task_events"][1]["event_type"], "failed");
    assert_eq!(j4["project_id"], Value::Null);
}

#[tokio::test]
async fn a_newer_creation_supersedes_and_the_same_name_recreates() {
    let sim = start().await;
    let first = launch(&sim, "pr-5", "main").await;
    sim.control().advance(Duration::from_secs(2));
    let second = launch(&sim, "pr-5", "main").await;
    assert_eq!(job(&sim, &first).await["status"], "skipped");
    sim.control().advance(Duration::from_secs(120));
    let j = job(&sim, &second).await;
    assert_eq!(j["status"], "success");
    let project_1 = j["project_id"].as_str().unwrap().to_string();

    // Creating again once it exists replaces that project.
    let third = launch(&sim, "pr-5", "main").await;
    sim.control().advance(Duration::from_secs(120));
    let project_2 = job(&sim, &third).await["project_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(project_1, project_2);
    let d = data(
        &sim,
        r#"{ projects(where: {name: {_eq: "pr-5"}}) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(d["projects"], json!([{ "id": project_2 }]));
    // Jobs list the preview apps, filterable by type and name.
    let d = data(
        &sim,
        r#"{ jobs(where: {job_type: {_eq: "github-preview-app-creation"}, project_name: {_eq: "pr-5"}}, order_by: {created_at: desc}) { status } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        d["jobs"],
        json!([{"status": "success"}, {"status": "success"}, {"status": "skipped"}])
    );
}

#[tokio::test]
async fn preview_input_is_validated_and_the_monthly_allowance_enforced() {
    let sim = start_with(SimConfig {
        preview_app_limit: Some(1),
        ..Default::default()
    })
    .await;
    let (message, code) = error(&sim, CREATE, payload(" ", "main", "hasura")).await;
    assert_eq!(message, "name must not be empty");
    assert_eq!(code, "unexpected");
    let mut p = payload("pr-6", "main", "hasura");
    p["p"]["projectOptions"]["cloud"] = json!("azure");
    let (message, code) = error(&sim, CREATE, p).await;
    assert!(message.contains("use aws or gcp"), "{message}");
    assert_eq!(code, "unexpected");
    launch(&sim, "pr-6", "main").await;
    let (message, code) = error(&sim, CREATE, payload("pr-7", "main", "hasura")).await;
    assert!(
        message.contains("preview app API calls this month"),
        "{message}"
    );
    assert_eq!(code, "rate-limit-exceeded");
}

#[tokio::test]
async fn demo_data_has_projects_and_finished_and_failed_preview_apps() {
    let sim = start_with(SimConfig {
        seed_demo: true,
        ..Default::default()
    })
    .await;
    let d = data(&sim, "{ projects { name plan_name tenant { region } } jobs(where: {job_type: {_eq: \"github-preview-app-deployment\"}}) { status project_name } }", json!({})).await;
    let projects = d["projects"].as_array().unwrap();
    assert!(projects.len() >= 5);
    let regions: std::collections::HashSet<_> = projects
        .iter()
        .map(|p| p["tenant"]["region"].as_str().unwrap())
        .collect();
    let plans: std::collections::HashSet<_> = projects
        .iter()
        .map(|p| p["plan_name"].as_str().unwrap())
        .collect();
    assert!(regions.len() >= 3 && plans.len() >= 3);
    let statuses: Vec<_> = d["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"success") && statuses.contains(&"failed"),
        "{statuses:?}"
    );
}
