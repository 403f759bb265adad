//! The preview-app list through `App` against a real simulator (`cloud-sim`) over loopback HTTP,
//! sped up 40×: the list and its clean-up, a project renamed since the list, and watching jobs
//! picked from it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::{CleanupInput, CleanupItem, PreviewAppState, RunPhase};
use common::preview_apps::*;
use common::*;

#[tokio::test]
async fn the_list_and_its_clean_up() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    // An ordinary project is not a preview app.
    sim.control()
        .seed_project("plain-project", "aws", "us-east-2", "cloud_free", &[]);
    let a = h.app.preview_create(ok_input("pr-list-a")).await.unwrap();
    let b = h.app.preview_create(ok_input("pr-list-b")).await.unwrap();
    let c = h
        .app
        .preview_create(input(
            "pr-list-c",
            "acme/shop",
            "fail-create-preview-app",
            "",
        ))
        .await
        .unwrap();
    for run in [&a, &b, &c] {
        finished(&h, &run.id).await;
    }

    let rows = h.app.preview_apps().await.unwrap();
    // One row per name, the newest latest job first (a's and b's are their deployment jobs).
    let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert!(
        rows.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "{rows:#?}"
    );
    names.sort_unstable();
    assert_eq!(names, ["pr-list-a", "pr-list-b", "pr-list-c"]);
    let row = |name: &str| rows.iter().find(|r| r.name == name).unwrap().clone();
    let (ra, rb, rc) = (row("pr-list-a"), row("pr-list-b"), row("pr-list-c"));
    assert_eq!(ra.state, PreviewAppState::Succeeded);
    assert_eq!(ra.status, "success");
    assert!(ra.tenant_id.is_some() && ra.endpoint.is_some() && ra.project_id.is_some());
    assert_eq!(rc.state, PreviewAppState::Failed);
    assert_eq!(rc.latest_job_id, c.id);
    assert_eq!((rc.tenant_id.as_ref(), rc.endpoint.as_ref()), (None, None));

    // One app: the typed name must match.
    let one = |confirm: Option<&str>| CleanupInput {
        items: vec![CleanupItem {
            tenant_id: ra.tenant_id.clone().unwrap(),
            name: ra.name.clone(),
        }],
        confirm_name: confirm.map(str::to_owned),
    };
    for wrong in [None, Some("pr-list"), Some("")] {
        let err = h.app.preview_cleanup(one(wrong)).await.unwrap_err();
        assert_eq!(field_of(&err), Some("confirmName"), "{err}");
    }
    let report = h.app.preview_cleanup(one(Some("pr-list-a"))).await.unwrap();
    assert_eq!(report.deleted, ["pr-list-a"]);
    assert!(report.failed.is_empty());

    // Several: one failing does not stop the others.
    let report = h
        .app
        .preview_cleanup(CleanupInput {
            items: vec![
                CleanupItem {
                    tenant_id: ra.tenant_id.clone().unwrap(), // already deleted
                    name: "pr-list-a".into(),
                },
                CleanupItem {
                    tenant_id: "not-a-tenant".into(),
                    name: "pr-bogus".into(),
                },
                CleanupItem {
                    tenant_id: rb.tenant_id.clone().unwrap(),
                    name: "pr-list-b".into(),
                },
            ],
            confirm_name: None,
        })
        .await
        .unwrap();
    assert_eq!(report.deleted, ["pr-list-b"]);
    let failed: Vec<(&str, &str)> = report
        .failed
        .iter()
        .map(|f| (f.name.as_str(), f.error.kind()))
        .collect();
    assert_eq!(
        failed,
        [("pr-list-a", "notFound"), ("pr-bogus", "invalidInput")]
    );

    let rows = h.app.preview_apps().await.unwrap();
    assert!(rows.iter().all(|r| r.tenant_id.is_none()), "{rows:#?}");
    let projects: Vec<String> = h
        .app
        .list_projects()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(projects, ["plain-project"]);
}

#[tokio::test]
async fn a_project_renamed_since_the_list_is_not_deleted() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    let seeded = sim
        .control()
        .seed_project("pr-renamed", "aws", "us-east-2", "cloud_free", &[]);
    h.app
        .rename_project(&seeded.tenant_id, "now-production")
        .await
        .unwrap();
    let report = h
        .app
        .preview_cleanup(CleanupInput {
            items: vec![CleanupItem {
                tenant_id: seeded.tenant_id.clone(),
                name: "pr-renamed".into(),
            }],
            confirm_name: Some("pr-renamed".into()),
        })
        .await
        .unwrap();
    assert!(report.deleted.is_empty());
    assert_eq!(report.failed[0].error.kind(), "conflict");
    assert_eq!(h.app.list_projects().await.unwrap().len(), 1);
}

#[tokio::test]
async fn watching_jobs_from_the_list() {
    let sim = fast_sim(None).await;
    let (h, _, _) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let created = h.app.preview_create(ok_input("pr-watched")).await.unwrap();
    finished(&h, &created.id).await;
    h.app.preview_dismiss(&created.id).await.unwrap();

    // The creation job, read afresh: its whole story, then the deployment's.
    let run = h.app.preview_watch(&created.id).await.unwrap();
    assert_eq!(run.name, "pr-watched");
    assert_eq!(run.polls, 1);
    assert_eq!(run.phase, RunPhase::Deploying);
    assert_eq!(finished(&h, &created.id).await.phase, RunPhase::Succeeded);

    // The list's latest job is the deployment job: it can be watched too.
    let rows = h.app.preview_apps().await.unwrap();
    let latest = &rows
        .iter()
        .find(|r| r.name == "pr-watched")
        .unwrap()
        .latest_job_id;
    let run = h.app.preview_watch(latest).await.unwrap();
    assert_eq!(run.phase, RunPhase::Succeeded);
    assert!(run.creation.is_none());
    assert!(run.links.is_some());

    let err = h
        .app
        .preview_watch("7a79cf94-0e53-4520-a560-1b02bf522f08")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "notFound");
    let err = h.app.preview_watch("nope").await.unwrap_err();
    assert_eq!(err.kind(), "invalidInput");
}
