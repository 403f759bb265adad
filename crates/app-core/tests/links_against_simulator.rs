//! Opening a `hasura-cloud-desktop://` link: each signed-in profile is asked whether it can see
//! what the link names, against real simulators (one account each).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app_core::Link;
use app_core::renderer::{Location, ProjectTab};
use cloud_sim::{FaultKind, FaultRule};
use common::{TOKEN, add_profile, harness, sign_in_input, sim};

#[tokio::test]
async fn a_link_is_opened_in_the_profiles_that_can_see_its_project() {
    let one = sim().await;
    let two = sim().await;
    let billing = one
        .control()
        .seed_project("billing", "aws", "us-east-2", "cloud_free", &[]);
    let h = harness();
    let a = add_profile(&h.app, "One", &one.graphql_url()).await;
    let b = add_profile(&h.app, "Two", &two.graphql_url()).await;
    let also_one = add_profile(&h.app, "One again", &one.graphql_url()).await;
    let signed_out = add_profile(&h.app, "Signed out", &one.graphql_url()).await;
    for id in [&a, &b, &also_one] {
        h.app
            .sign_in(sign_in_input(id, TOKEN, false))
            .await
            .unwrap();
    }

    let link = format!("hasura-cloud-desktop://project/{}/env", billing.project_id);
    let targets = h.app.link_targets(&link).await.unwrap();
    assert_eq!(
        targets.link,
        Link::Project {
            project_id: billing.project_id.clone(),
            tab: ProjectTab::Env
        }
    );
    assert_eq!(
        targets.location,
        Location::Project {
            project_id: billing.project_id.clone(),
            tab: Some(ProjectTab::Env)
        }
    );
    // Both profiles on the account that has it, in the settings' order; never the signed-out one.
    assert_eq!(targets.profile_ids, [a.clone(), also_one.clone()]);
    assert!(!targets.profile_ids.contains(&signed_out));
    assert_eq!(targets.message, None);

    // Nobody's project: none can, said for a person.
    let nobody = "hasura-cloud-desktop://project/7a79cf94-0e53-4520-a560-1b02bf522f08";
    let targets = h.app.link_targets(nobody).await.unwrap();
    assert!(targets.profile_ids.is_empty());
    let message = targets.message.unwrap();
    assert!(
        message.starts_with("None of your signed-in profiles can see the project this link opens."),
        "{message}"
    );

    // A profile that cannot be reached is named, with why.
    two.control()
        .add_fault(FaultRule::new(FaultKind::DropConnection));
    let message = h.app.link_targets(nobody).await.unwrap().message.unwrap();
    assert!(message.contains("“Two” could not be asked ("), "{message}");
    assert!(!message.contains(TOKEN));
}

#[tokio::test]
async fn a_preview_link_is_looked_up_as_a_job() {
    let one = sim().await;
    let h = harness();
    let a = add_profile(&h.app, "One", &one.graphql_url()).await;
    h.app
        .sign_in(sign_in_input(&a, TOKEN, false))
        .await
        .unwrap();
    let link = "hasura-cloud-desktop://preview/7a79cf94-0e53-4520-a560-1b02bf522f08";
    let targets = h.app.link_targets(link).await.unwrap();
    assert!(targets.profile_ids.is_empty());
    assert!(
        targets
            .message
            .unwrap()
            .contains("can see the preview app this link opens")
    );
}

#[tokio::test]
async fn a_link_that_does_not_parse_is_refused_before_any_request() {
    let one = sim().await;
    let h = harness();
    let a = add_profile(&h.app, "One", &one.graphql_url()).await;
    h.app
        .sign_in(sign_in_input(&a, TOKEN, false))
        .await
        .unwrap();
    let before = one.control().request_count();
    let e = h
        .app
        .link_targets("hasura-cloud-desktop://project/not-an-id?token=abc")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "invalidInput");
    assert!(e.message().starts_with("This link cannot be opened"), "{e}");
    assert_eq!(one.control().request_count(), before);
}
