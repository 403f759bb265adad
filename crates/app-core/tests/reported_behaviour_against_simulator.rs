//! The app under what real users saw Hasura Cloud do (API notes §8), reproduced by the
//! simulator's behaviour faults: a retried creation task with a stale success event, a creation
//! failing with a Go-formatted error, one creation making two projects, a name not kept; and the
//! NAT IPs shown with regions and projects.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::{CleanupInput, CleanupItem, CreateProjectInput, RunPhase, TaskState};
use cloud_sim::{FaultKind, FaultRule};
use common::preview_apps::*;
use common::*;

#[tokio::test]
async fn a_retried_creation_is_followed_to_its_live_deployment() {
    let sim = fast_sim(None).await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::RetriedCreation).times(1));
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let run = h.app.preview_create(ok_input("pr-retried")).await.unwrap();
    let run = finished(&h, &run.id).await;
    // Not lost on the stale deployment job the older success event names.
    assert_eq!(run.phase, RunPhase::Succeeded, "{run:#?}");
    let creation = run.creation.unwrap();
    assert_eq!(creation.tasks.len(), 1);
    assert_eq!(creation.tasks[0].state, TaskState::Succeeded);
    assert!(run.deployment.is_some());
}

#[tokio::test]
async fn a_go_formatted_creation_error_is_said_plainly_with_the_raw_text_kept() {
    let sim = fast_sim(None).await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::PreviewCreationError).times(1));
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let run = h.app.preview_create(ok_input("pr-go-error")).await.unwrap();
    let run = finished(&h, &run.id).await;
    assert_eq!(run.phase, RunPhase::Failed);
    let message = run.error.clone().unwrap();
    assert!(
        message.contains("Hasura Cloud had an internal problem while creating the project"),
        "{message}"
    );
    assert!(!message.contains("map["), "{message}");
    let task = &run.creation.unwrap().tasks[0];
    assert_eq!(task.state, TaskState::Failed);
    let raw = task.error_detail.clone().unwrap();
    assert!(
        raw.starts_with("error creating tenant: Message: there was an internal error"),
        "{raw}"
    );
    assert!(
        raw.contains("Extensions: map[code:GenericServerError id:"),
        "{raw}"
    );
}

#[tokio::test]
async fn duplicated_preview_apps_are_listed_and_cleaned_up_one_by_one() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let single = h.app.preview_create(ok_input("pr-single")).await.unwrap();
    finished(&h, &single.id).await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::DuplicatePreviewApp).times(1));
    let twice = h.app.preview_create(ok_input("pr-twice")).await.unwrap();
    assert_eq!(finished(&h, &twice.id).await.phase, RunPhase::Succeeded);

    let rows = h.app.preview_apps().await.unwrap();
    let twins: Vec<_> = rows.iter().filter(|r| r.name == "pr-twice").collect();
    assert_eq!(twins.len(), 2, "{rows:#?}");
    assert!(twins.iter().all(|r| r.duplicate && r.tenant_id.is_some()));
    assert_ne!(twins[0].tenant_id, twins[1].tenant_id);
    assert_ne!(twins[0].project_id, twins[1].project_id);
    let single_rows: Vec<_> = rows.iter().filter(|r| r.name == "pr-single").collect();
    assert_eq!(single_rows.len(), 1);
    assert!(!single_rows[0].duplicate);

    // Delete one of the twins: the other stays, no longer a duplicate.
    let report = h
        .app
        .preview_cleanup(CleanupInput {
            items: vec![CleanupItem {
                tenant_id: twins[1].tenant_id.clone().unwrap(),
                name: "pr-twice".into(),
            }],
            confirm_name: Some("pr-twice".into()),
        })
        .await
        .unwrap();
    assert_eq!(report.deleted, ["pr-twice"]);
    let rows = h.app.preview_apps().await.unwrap();
    let left: Vec<_> = rows.iter().filter(|r| r.name == "pr-twice").collect();
    assert_eq!(left.len(), 1, "{rows:#?}");
    assert_eq!(left[0].tenant_id, twins[0].tenant_id);
    assert!(!left[0].duplicate);
}

#[tokio::test]
async fn the_reference_example_name_is_sent_as_its_host_name_and_followed() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let run = h.app.preview_create(ok_input("my-app_name")).await.unwrap();
    assert_eq!(run.name, "my-app-name");
    let run = finished(&h, &run.id).await;
    assert_eq!(run.phase, RunPhase::Succeeded);
    assert_eq!(run.name, "my-app-name");
}

fn create_input(name: &str) -> CreateProjectInput {
    CreateProjectInput {
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: "cloud_free".into(),
        name: Some(name.into()),
        envs: vec![],
    }
}

#[tokio::test]
async fn a_name_the_service_did_not_keep_is_set_afterwards_or_shown_as_given() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    // Ignored, then set afterwards: the row is the project as it is now.
    sim.control()
        .add_fault(FaultRule::new(FaultKind::IgnoreProjectName).times(1));
    let row = h
        .app
        .create_project(create_input("kept-name"))
        .await
        .unwrap();
    assert_eq!(row.name, "kept-name");
    let details = h.app.project_details(&row.id).await.unwrap();
    assert_eq!(details.project.name, "kept-name");
    // The host name stays the one the service gave.
    assert_ne!(row.slug.as_deref(), Some("kept-name"));
    assert!(
        row.endpoint.ends_with(row.slug.as_deref().unwrap()),
        "{row:?}"
    );

    // Ignored and the fix refused: the name the service gave is what the app shows and uses.
    sim.control()
        .add_fault(FaultRule::new(FaultKind::IgnoreProjectName).times(1));
    sim.control()
        .add_fault(FaultRule::new(FaultKind::ServerError).on("update_projects_by_pk"));
    let row = h
        .app
        .create_project(create_input("lost-name"))
        .await
        .unwrap();
    assert_ne!(row.name, "lost-name");
    assert_eq!(row.slug.as_deref(), Some(row.name.as_str()));
    sim.control().clear_faults();
    let details = h.app.project_details(&row.id).await.unwrap();
    assert_eq!(details.project.name, row.name);
}

#[tokio::test]
async fn regions_and_projects_show_their_nat_ip() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let regions = h.app.list_regions().await.unwrap();
    assert!(regions.from_api);
    let ip = regions
        .regions
        .iter()
        .find(|r| r.cloud == "gcp" && r.name == "us-central1")
        .and_then(|r| r.nat_ip.clone())
        .unwrap();
    assert!(ip.starts_with("198.51.100."), "{ip}");
    let project =
        sim.control()
            .seed_project("behind-firewall", "gcp", "us-central1", "cloud_free", &[]);
    let details = h.app.project_details(&project.project_id).await.unwrap();
    assert_eq!(details.nat_ip, Some(ip));
}
