//! Watching preview apps through `App` against a real simulator (`cloud-sim`) over loopback HTTP,
//! sped up 40×: transient polling errors, giving up and resuming, dismissing, and signing out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use app_core::{AppError, PreviewWatch, RunPhase};
use cloud_sim::{FaultKind, FaultRule};
use common::preview_apps::*;
use common::*;

#[tokio::test]
async fn transient_polling_errors_show_and_polling_goes_on() {
    let sim = fast_sim(None).await;
    let (h, _, seen) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    // Every jobs_by_pk fails for a while (the client's own retry included).
    sim.control().add_fault(
        FaultRule::new(FaultKind::HttpError { status: 502 })
            .on("jobs_by_pk")
            .times(6),
    );
    let run = h.app.preview_create(ok_input("pr-flaky")).await.unwrap();
    let run = finished(&h, &run.id).await;
    assert_eq!(run.phase, RunPhase::Succeeded);
    assert_eq!(run.poll_error, None, "cleared by a good answer");
    let errors: Vec<AppError> = seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|r| r.poll_error.clone())
        .collect();
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|e| e.kind() == "server"), "{errors:?}");
}

#[tokio::test]
async fn giving_up_then_watching_again() {
    let sim = fast_sim(None).await;
    let watch = PreviewWatch {
        creation_limit: Duration::from_millis(100),
        ..fast_watch()
    };
    let (h, _, seen) = app_on(&sim, watch).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let run = h
        .app
        .preview_create(input("pr-patience", "acme/shop", "slow", "hasura"))
        .await
        .unwrap();
    let gave_up = finished(&h, &run.id).await;
    assert_eq!(gave_up.phase, RunPhase::GaveUp);
    assert!(
        gave_up
            .error
            .as_deref()
            .unwrap()
            .starts_with("Still running after 1 minute; the preview app may still come up."),
        "{:?}",
        gave_up.error
    );
    assert_eq!(phases_of(&seen, &run.id).last(), Some(&RunPhase::GaveUp));

    let resumed = h.app.preview_watch(&run.id).await.unwrap();
    assert_eq!(resumed.phase, RunPhase::Creating);
    assert_eq!(resumed.error, None);
    // A live run is returned as it is.
    let again = h.app.preview_watch(&run.id).await.unwrap();
    assert_eq!(again.id, run.id);
    assert!(!again.phase.is_terminal() || again.phase == RunPhase::GaveUp);
    h.app.preview_dismiss(&run.id).await.unwrap();
    assert!(h.app.preview_runs().await.unwrap().is_empty());
    let count = seen.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        seen.lock().unwrap().len(),
        count,
        "a dismissed run is not followed any more"
    );
}

#[tokio::test]
async fn signing_out_stops_the_profiles_watches() {
    let sim = fast_sim(None).await;
    let (h, profile, seen) = app_on(&sim, fast_watch()).await;
    h.app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let run = h
        .app
        .preview_create(input("pr-signout", "acme/shop", "slow", "hasura"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    h.app.sign_out(&profile).await.unwrap();
    assert!(h.app.preview_runs().await.unwrap().is_empty());
    let count = seen.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(seen.lock().unwrap().len(), count);
    // Signing in again does not bring the watch back, but the job can be watched again.
    h.app
        .sign_in(sign_in_input(&profile, TOKEN, true))
        .await
        .unwrap();
    let again = h.app.preview_watch(&run.id).await.unwrap();
    assert_eq!(again.id, run.id);
    assert!(!again.phase.is_terminal());
    // The GitHub token went with the access token: it belongs to the account signed out.
    assert!(!h.app.github_token_status().await.unwrap().stored);
    h.app.preview_dismiss(&run.id).await.unwrap();
}
