//! Custom domains and plan changes against the simulator, including a token whose schema has
//! none of them (`Access::NotAvailable`, not an error).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use cloud_sim::{DNS_VALIDATION_DELAY, SimConfig};
use common::{client, random_tenant, seed, sim, sim_with};
use hasura_cloud::{Access, Error, ErrorKind};

#[tokio::test]
async fn add_list_follow_and_delete_a_custom_domain() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "shop", &[]);
    let read = client
        .custom_domains(tenant)
        .await
        .unwrap()
        .allowed()
        .unwrap();
    assert!(read.domains.is_empty());
    assert_eq!(read.tenant.id, tenant);
    assert_eq!(read.tenant.slug, client.tenant(tenant).await.unwrap().slug);

    let added = client
        .add_custom_domain(tenant, "api.example.com")
        .await
        .unwrap()
        .allowed()
        .unwrap();
    assert_eq!(added.fqdn, "api.example.com");
    assert_eq!(added.dns_validation, "pending");
    assert_eq!(added.cert, "none");

    let listed = client
        .custom_domains(tenant)
        .await
        .unwrap()
        .allowed()
        .unwrap()
        .domains;
    assert_eq!(listed, vec![added.clone()]);

    sim.control().advance(DNS_VALIDATION_DELAY);
    let read = client
        .custom_domain(added.id)
        .await
        .unwrap()
        .allowed()
        .unwrap()
        .unwrap();
    assert_eq!(read.dns_validation, "succeeded");
    assert_eq!(read.cert, "letsencrypt");

    assert_eq!(
        client.delete_custom_domain(added.id).await.unwrap(),
        Access::Allowed(true)
    );
    assert_eq!(
        client.delete_custom_domain(added.id).await.unwrap(),
        Access::Allowed(false)
    );
    assert_eq!(
        client.custom_domain(added.id).await.unwrap(),
        Access::Allowed(None)
    );
}

#[tokio::test]
async fn a_failed_validation_is_read_as_failed() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "shop", &[]);
    let added = client
        .add_custom_domain(tenant, "bad.example.com")
        .await
        .unwrap()
        .allowed()
        .unwrap();
    assert!(
        sim.control()
            .set_dns_validation("bad.example.com", "failed")
    );
    let read = client
        .custom_domain(added.id)
        .await
        .unwrap()
        .allowed()
        .unwrap()
        .unwrap();
    assert_eq!(read.dns_validation, "failed");
}

#[tokio::test]
async fn refusals_are_errors_with_the_services_words() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, a) = seed(&sim, "shop", &[]);
    let (_, b) = seed(&sim, "blog", &[]);
    client
        .add_custom_domain(a, "api.example.com")
        .await
        .unwrap();
    let taken = client
        .add_custom_domain(b, "api.example.com")
        .await
        .unwrap_err();
    assert_eq!(taken.kind(), ErrorKind::InvalidInput);
    assert!(
        taken.to_string().contains("Uniqueness violation"),
        "{taken}"
    );

    let unknown = client.custom_domains(random_tenant()).await.unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn change_plan_answers_old_and_new_plan() {
    let sim = sim().await;
    let client = client(&sim);
    let (project, tenant) = seed(&sim, "shop", &[]);
    let change = client
        .change_plan(project, "cloud_free")
        .await
        .unwrap()
        .allowed()
        .unwrap();
    assert_eq!(
        (change.old_plan.as_str(), change.new_plan.as_str()),
        ("cloud_payg", "cloud_free")
    );
    assert_eq!(change.project_id, project);
    assert_eq!(
        client
            .tenant(tenant)
            .await
            .unwrap()
            .project
            .plan_name
            .as_deref(),
        Some("cloud_free")
    );

    sim.control()
        .set_maintenance_mode(&tenant.to_string(), true);
    let refused = client.change_plan(project, "cloud_payg").await.unwrap_err();
    assert!(
        matches!(refused, Error::InvalidInput { ref message } if message.contains("maintenance mode")),
        "{refused}"
    );
}

#[tokio::test]
async fn a_token_that_cannot_see_them_gets_not_available() {
    let sim = sim_with(SimConfig {
        team_visible: false,
        ..Default::default()
    })
    .await;
    let client = client(&sim);
    let (project, tenant) = seed(&sim, "shop", &[]);
    let id = uuid::Uuid::new_v4();
    fn field<T>(access: Access<T>) -> Option<String> {
        match access {
            Access::NotAvailable { field } => Some(field),
            Access::Allowed(_) => None,
        }
    }
    let fields = [
        field(client.custom_domains(tenant).await.unwrap()),
        field(client.custom_domain(id).await.unwrap()),
        field(
            client
                .add_custom_domain(tenant, "api.example.com")
                .await
                .unwrap(),
        ),
        field(client.delete_custom_domain(id).await.unwrap()),
        field(client.change_plan(project, "cloud_free").await.unwrap()),
    ];
    assert_eq!(
        fields.map(|f| f.unwrap_or_default()),
        [
            "custom_domains",
            "custom_domain_by_pk",
            "insert_custom_domain_one",
            "delete_custom_domain_by_pk",
            "changePlan"
        ]
    );
    // The rest of the API still works for this token.
    assert_eq!(client.tenant(tenant).await.unwrap().slug, "shop");
}
