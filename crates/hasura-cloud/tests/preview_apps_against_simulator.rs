//! The client's preview-app operations against the local simulator (`cloud-sim`), over real HTTP
//! on loopback: a preview app followed through its jobs to success or a scripted failure, and
//! requests the API refuses.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use hasura_cloud::{ErrorKind, JobId, JobStatus, ProjectId, Token};

#[tokio::test]
async fn preview_app_followed_to_success() {
    let sim = sim().await;
    let client = client(&sim);
    let creation = client
        .create_preview_app(&github_token(), &preview_request("pr-42", "main"))
        .await
        .unwrap();

    // Scheduled, not started: the clock has not moved.
    let job = client.job(creation).await.unwrap().expect("the job exists");
    assert_eq!(job.id, creation);
    assert_eq!(job.job_type, cloud_sim::CREATION_JOB);
    assert_eq!(job.project_name.as_deref(), Some("pr-42"));
    assert_eq!(job.project_id, None);
    assert_eq!(job.state(), JobStatus::Running("created".into()));
    assert!(job.tasks.is_empty());

    // Part way: the creation task has started.
    sim.control().advance(Duration::from_secs(5));
    let job = client.job(creation).await.unwrap().unwrap();
    assert_eq!(job.state(), JobStatus::Running("running".into()));
    assert_eq!(job.tasks.len(), 1);
    assert_eq!(job.tasks[0].name, cloud_sim::CREATION_TASK);
    let events: Vec<_> = job.tasks[0]
        .task_events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert_eq!(events, ["created"]);

    sim.control().advance(Duration::from_secs(60));
    let job = client.job(creation).await.unwrap().unwrap();
    assert_eq!(job.state(), JobStatus::Success);
    let task = &job.tasks[0];
    let events: Vec<_> = task
        .task_events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert_eq!(events, ["created", "success"]);
    let success = &task.task_events[1];
    assert_eq!(success.error, None);
    let project: ProjectId = success.public_str("projectId").unwrap().parse().unwrap();
    let deployment: JobId = success
        .public_str("githubDeploymentJobID")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(job.project_id, Some(project));

    let deploy = client.job(deployment).await.unwrap().unwrap();
    assert_eq!(deploy.state(), JobStatus::Success);
    assert_eq!(deploy.job_type, cloud_sim::DEPLOYMENT_JOB);
    assert_eq!(deploy.project_id, Some(project));
    let names: Vec<_> = deploy.tasks.iter().map(|t| t.name.as_str()).collect();
    let expected: Vec<_> = cloud_sim::DEPLOYMENT_TASKS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(names, expected);
    for task in &deploy.tasks {
        let events: Vec<_> = task
            .task_events
            .iter()
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(events, ["created", "success"], "{}", task.name);
    }
    let validation = &deploy.tasks[0].task_events[1];
    assert!(
        validation
            .github_detail
            .as_deref()
            .is_some_and(|d| d.contains("acme/shop@main:hasura")),
        "{:?}",
        validation.github_detail
    );

    // The preview app is an ordinary project now, with the requested envs.
    let found = client.find_projects_by_name("pr-42").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, project);
    let tenant = client.tenant_id_of_project(project).await.unwrap();
    let env = client.get_env(tenant).await.unwrap();
    assert_eq!(env.vars.get("PREVIEW"), s("yes").as_ref());

    // Newest first.
    let jobs = client.preview_app_jobs(10).await.unwrap();
    let ids: Vec<_> = jobs.iter().map(|j| j.id).collect();
    assert_eq!(ids, [deployment, creation]);
    assert_eq!(jobs[0].tasks.len(), cloud_sim::DEPLOYMENT_TASKS.len());
    assert_eq!(client.preview_app_jobs(1).await.unwrap().len(), 1);
}

#[tokio::test]
async fn preview_app_followed_to_a_scripted_deployment_failure() {
    let sim = sim().await;
    let client = client(&sim);
    let creation = client
        .create_preview_app(
            &github_token(),
            &preview_request("pr-7", "fail-apply-migration"),
        )
        .await
        .unwrap();
    sim.control().advance(Duration::from_secs(60));

    let job = client.job(creation).await.unwrap().unwrap();
    assert_eq!(
        job.state(),
        JobStatus::Success,
        "the creation itself succeeds"
    );
    let deployment: JobId = job.tasks[0].task_events[1]
        .public_str("githubDeploymentJobID")
        .unwrap()
        .parse()
        .unwrap();

    let deploy = client.job(deployment).await.unwrap().unwrap();
    assert_eq!(deploy.state(), JobStatus::Failed);
    assert_eq!(deploy.status, "failed");
    let names: Vec<_> = deploy.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "gh-validation",
            "parse-metadata-migration",
            "apply-metadata",
            "apply-migration"
        ],
        "tasks after the failed one never start"
    );
    for task in &deploy.tasks[..3] {
        assert_eq!(task.task_events.last().unwrap().event_type, "success");
    }
    let failed = deploy.tasks[3].task_events.last().unwrap();
    assert_eq!(failed.event_type, "failed");
    let error = failed.error.as_deref().unwrap();
    assert!(error.contains("apply-migration failed"), "{error}");

    // Later moves of the clock change nothing.
    sim.control().advance(Duration::from_secs(600));
    assert_eq!(client.job(deployment).await.unwrap().unwrap(), deploy);
}

#[tokio::test]
async fn preview_app_creation_job_can_fail_and_requests_are_validated() {
    let sim = sim().await;
    let client = client(&sim);
    let request = preview_request("pr-9", "main");
    let invalid_token = Token::new("ghp_invalid_token_value".into());
    let creation = client
        .create_preview_app(&invalid_token, &request)
        .await
        .unwrap();
    sim.control().advance(Duration::from_secs(60));
    let job = client.job(creation).await.unwrap().unwrap();
    assert_eq!(job.state(), JobStatus::Failed);
    let failed = job.tasks[0].task_events.last().unwrap();
    assert_eq!(failed.event_type, "failed");
    assert_eq!(
        failed.error.as_deref(),
        Some("GitHub rejected the personal access token")
    );
    assert_eq!(failed.public_event_data, None);
    assert!(
        client
            .find_projects_by_name("pr-9")
            .await
            .unwrap()
            .is_empty()
    );

    // The API reference's own example name is accepted by the mutation.
    client
        .create_preview_app(&github_token(), &preview_request("my-app_name", "main"))
        .await
        .unwrap();
    let mut azure = preview_request("pr-10", "main");
    azure.cloud = "azure".into();
    let bad_cloud = client
        .create_preview_app(&github_token(), &azure)
        .await
        .unwrap_err();
    assert_eq!(bad_cloud.kind(), ErrorKind::InvalidInput, "{bad_cloud:?}");
    assert!(!bad_cloud.to_string().contains("ghp_"), "{bad_cloud}");
}
