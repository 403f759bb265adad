//! Custom domains and plan changes through `App` against the simulator: the CNAME target, the
//! watch that follows DNS validation (the simulator's clock moves instead of sleeping), refusals
//! said for a person, the production guard, the activity log, and a token that sees none of it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use app_core::domains::{DnsValidation, DomainWatch};
use app_core::{ActivityKind, AppError, ChangePlanInput};
use cloud_sim::{DNS_VALIDATION_DELAY, SimConfig};
use common::env_editor::seed;
use common::*;

fn manual() -> SimConfig {
    SimConfig {
        manual_clock: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn add_follow_to_validated_and_delete_a_domain() {
    let sim = sim_with(manual()).await;
    let project = seed(&sim, "shop", &[]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;

    let requests = sim.control().request_count();
    let view = h.app.custom_domains(t).await.unwrap();
    // The domains and the tenant's host name (the CNAME target) come in one request.
    assert_eq!(sim.control().request_count(), requests + 1);
    assert!(view.available);
    assert_eq!(view.cname_target, "shop.hasura.app");
    assert!(view.rename_note.contains("renaming the project changes it"));
    assert!(view.domains.is_empty());

    let added = h
        .app
        .add_custom_domain(t, " API.Example.com ")
        .await
        .unwrap();
    assert_eq!(added.fqdn, "api.example.com");
    assert_eq!(added.validation, DnsValidation::Pending);
    assert_eq!(added.status, "DNS validation pending");
    assert!(added.hint.contains("24 hours"));

    let control = sim.control();
    let mut pauses = Vec::new();
    let followed = h
        .app
        .watch_custom_domain_with(t, &added.id, &DomainWatch::default(), |d| {
            pauses.push(d);
            // A minute of simulated time per pause: the validation lands after ten.
            control.advance(Duration::from_secs(60).max(d));
            async { true }
        })
        .await
        .unwrap();
    assert_eq!(followed.validation, DnsValidation::Validated);
    assert_eq!(followed.status, "DNS validated");
    assert_eq!(followed.certificate, "Let's Encrypt certificate");
    assert_eq!(pauses.len(), (DNS_VALIDATION_DELAY.as_secs() / 60) as usize);
    assert!(pauses.windows(2).all(|w| w[0] <= w[1]), "{pauses:?}");

    h.app.delete_custom_domain(t, &added.id).await.unwrap();
    assert!(h.app.custom_domains(t).await.unwrap().domains.is_empty());

    let log = h.app.activity_list(10).await.unwrap();
    let kinds: Vec<ActivityKind> = log.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ActivityKind::CustomDomainDeleted,
            ActivityKind::CustomDomainAdded
        ]
    );
    assert!(
        log[1].summary.contains("api.example.com"),
        "{}",
        log[1].summary
    );
    assert!(
        log[1].summary.contains("shop.hasura.app"),
        "{}",
        log[1].summary
    );
    assert_eq!(log[0].project_name.as_deref(), Some("shop"));
}

#[tokio::test]
async fn a_failed_validation_ends_the_watch_with_the_dashboards_words() {
    let sim = sim_with(manual()).await;
    let project = seed(&sim, "shop", &[]);
    let (h, _) = signed_in(&sim).await;
    let added = h
        .app
        .add_custom_domain(&project.tenant_id, "bad.example.com")
        .await
        .unwrap();
    let control = sim.control();
    let followed = h
        .app
        .watch_custom_domain_with(
            &project.tenant_id,
            &added.id,
            &DomainWatch::default(),
            |_| {
                control.set_dns_validation("bad.example.com", "failed");
                async { true }
            },
        )
        .await
        .unwrap();
    assert_eq!(followed.validation, DnsValidation::Failed);
    assert_eq!(followed.status, "DNS validation failed");
    assert!(followed.hint.contains("shop.hasura.app"));
}

#[tokio::test]
async fn leaving_the_page_stops_its_watches() {
    // The simulator's clock stands still: the domain stays pending, and the watch would go on
    // reading for its whole time (10 minutes) unless stopped.
    let sim = sim_with(manual()).await;
    let project = seed(&sim, "shop", &[]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;
    let added = h.app.add_custom_domain(t, "api.example.com").await.unwrap();
    let control = sim.control();
    let before = control.request_count();
    let stop = async {
        // Once the watch has asked anything it is listening for a stop.
        while control.request_count() == before {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        h.app.stop_domain_watches();
    };
    let (followed, ()) = tokio::time::timeout(Duration::from_secs(5), async {
        tokio::join!(h.app.watch_custom_domain(t, &added.id), stop)
    })
    .await
    .expect("the watch ended when stopped");
    assert_eq!(followed.unwrap().validation, DnsValidation::Pending);
}

#[tokio::test]
async fn refusals_are_said_for_a_person_next_to_the_field() {
    let sim = sim().await;
    let shop = seed(&sim, "shop", &[]);
    let blog = seed(&sim, "blog", &[]);
    let (h, _) = signed_in(&sim).await;
    let requests = sim.control().request_count();
    let e = h
        .app
        .add_custom_domain(&shop.tenant_id, "https://api.example.com")
        .await
        .unwrap_err();
    assert!(matches!(&e, AppError::InvalidInput { field: Some(f), .. } if f == "fqdn"));
    assert_eq!(sim.control().request_count(), requests, "nothing sent");

    h.app
        .add_custom_domain(&shop.tenant_id, "api.example.com")
        .await
        .unwrap();
    let taken = h
        .app
        .add_custom_domain(&blog.tenant_id, "api.example.com")
        .await
        .unwrap_err();
    assert_eq!(
        taken.message(),
        "api.example.com is already added to a Hasura Cloud project (this one or another)."
    );
    // The free plan's limit (the simulator's: one).
    let full = h
        .app
        .add_custom_domain(&shop.tenant_id, "www.example.com")
        .await
        .unwrap_err();
    assert!(
        full.message()
            .starts_with("This project's plan allows no more custom domains")
    );
}

#[tokio::test]
async fn a_plan_change_says_what_it_means_and_guards_production() {
    let sim = sim().await;
    let project = seed(&sim, "shop-live", &[]);
    let (h, _) = signed_in(&sim).await;
    let t = &project.tenant_id;

    let choices = h.app.plan_choices(t).await.unwrap();
    assert_eq!(choices.current.as_deref(), Some("cloud_free"));
    assert_eq!(choices.current_label, "Free");
    assert!(choices.choices.iter().all(|c| c.plan != "cloud_free"));
    assert_eq!(choices.production_name, None);

    let done = h
        .app
        .change_plan(ChangePlanInput {
            tenant_id: t.clone(),
            plan: "cloud_payg".into(),
            confirm_name: None,
        })
        .await
        .unwrap();
    assert!(done.available);
    assert_eq!(done.plan.as_deref(), Some("cloud_payg"));
    assert_eq!(
        done.message,
        "shop-live is now on the Professional (pay as you go) plan."
    );

    h.app
        .set_production(&project.project_id, true)
        .await
        .unwrap();
    let choices = h.app.plan_choices(t).await.unwrap();
    assert_eq!(choices.production_name.as_deref(), Some("shop-live"));
    let free = choices
        .choices
        .iter()
        .find(|c| c.plan == "cloud_free")
        .unwrap();
    assert!(free.notes[0].contains("charged up to the end of today"));
    let requests = sim.control().request_count();
    let e = h
        .app
        .change_plan(ChangePlanInput {
            tenant_id: t.clone(),
            plan: "cloud_free".into(),
            confirm_name: Some("shop".into()),
        })
        .await
        .unwrap_err();
    assert!(matches!(&e, AppError::InvalidInput { field: Some(f), .. } if f == "confirmName"));
    // The tenant was read (for the plan, then by the guard); no changePlan was sent.
    assert_eq!(sim.control().request_count(), requests + 2);

    sim.control().set_maintenance_mode(t, true);
    let e = h
        .app
        .change_plan(ChangePlanInput {
            tenant_id: t.clone(),
            plan: "cloud_free".into(),
            confirm_name: Some("shop-live".into()),
        })
        .await
        .unwrap_err();
    assert!(e.message().contains("maintenance mode"), "{}", e.message());

    let log = h.app.activity_list(10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, ActivityKind::PlanChanged);
    assert_eq!(
        log[0].summary,
        "Changed the plan from Free to Professional (pay as you go)"
    );
}

#[tokio::test]
async fn a_token_that_sees_none_of_it_is_told_where_to_go() {
    let sim = sim_with(SimConfig {
        team_visible: false,
        ..Default::default()
    })
    .await;
    let project = seed(&sim, "shop", &[]);
    let (h, _) = signed_in(&sim).await;
    let view = h.app.custom_domains(&project.tenant_id).await.unwrap();
    assert!(!view.available);
    assert_eq!(
        view.dashboard_url,
        format!(
            "https://cloud.hasura.io/project/{}/domain",
            project.project_id
        )
    );
    assert!(view.message.unwrap().contains("cannot use custom domains"));
    assert_eq!(view.cname_target, "shop.hasura.app");

    let outcome = h
        .app
        .change_plan(ChangePlanInput {
            tenant_id: project.tenant_id.clone(),
            plan: "cloud_payg".into(),
            confirm_name: None,
        })
        .await
        .unwrap();
    assert!(!outcome.available);
    assert!(outcome.message.contains("cannot change plans"));
    assert_eq!(outcome.plan.as_deref(), Some("cloud_free"));
    assert!(h.app.activity_list(10).await.unwrap().is_empty());
}
