//! The client's project operations against the local simulator (`cloud-sim`), over real HTTP on
//! loopback: create, read, list, find, delete, rename and regions, with real values and the
//! API's refusals.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud_sim::SimConfig;
use common::*;
use hasura_cloud::{Error, ErrorKind, NewProject, ProjectId, TenantId};

#[tokio::test]
async fn create_project_returns_tenant_slug_and_endpoint() {
    let sim = sim().await;
    let client = client(&sim);
    let created = client
        .create_project(&NewProject {
            cloud: "aws".into(),
            region: "eu-central-1".into(),
            name: Some("it-create".into()),
            plan: Some("cloud_payg".into()),
            envs: kv(&[("FOO", "bar"), ("BAZ", "qux")]),
        })
        .await
        .unwrap();
    assert_eq!(created.name, "it-create");
    let tenant = created
        .tenant
        .clone()
        .expect("createTenant returns the tenant");
    assert_eq!(tenant.id, created.tenant_id);
    assert_eq!(tenant.slug, "it-create");
    assert_eq!(
        tenant.project.endpoint,
        format!("{}/p/it-create", sim.base_url())
    );

    // Project and tenant ids differ, and each leads to the other.
    assert_ne!(tenant.project.id.as_uuid(), created.tenant_id.as_uuid());
    assert_eq!(
        client
            .tenant_id_of_project(tenant.project.id)
            .await
            .unwrap(),
        created.tenant_id
    );
    let details = client.tenant(created.tenant_id).await.unwrap();
    assert_eq!(details.cloud, "aws");
    assert_eq!(details.region, "eu-central-1");
    assert_eq!(details.project.id, tenant.project.id);
    assert_eq!(details.project.plan_name.as_deref(), Some("cloud_payg"));

    // The initial envs, plus the admin secret every new project gets.
    let env = client.get_env(created.tenant_id).await.unwrap();
    assert_eq!(env.vars.get("FOO"), s("bar").as_ref());
    assert_eq!(env.vars.get("BAZ"), s("qux").as_ref());
    assert!(env.vars.contains_key("HASURA_GRAPHQL_ADMIN_SECRET"));
    assert_eq!(env.vars.len(), 3);
}

#[tokio::test]
async fn create_project_without_name_or_plan_gets_generated_name_and_free_plan() {
    let sim = sim().await;
    let client = client(&sim);
    let created = client
        .create_project(&new_project(None, "us-east-2"))
        .await
        .unwrap();
    assert!(
        (3..=40).contains(&created.name.len())
            && created
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "generated name {:?}",
        created.name
    );
    let details = client.tenant(created.tenant_id).await.unwrap();
    assert_eq!(details.project.name, created.name);
    assert_eq!(details.project.plan_name.as_deref(), Some("cloud_free"));
    let listed = client.list_projects().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, created.name);
}

#[tokio::test]
async fn tenant_id_of_project_and_tenant_details_of_a_seeded_project() {
    let sim = sim().await;
    let client = client(&sim);
    let seeded = sim
        .control()
        .seed_project("it-details", "gcp", "europe-west1", "cloud_payg", &[]);
    let project: ProjectId = seeded.project_id.parse().unwrap();
    let tenant: TenantId = seeded.tenant_id.parse().unwrap();

    assert_eq!(client.tenant_id_of_project(project).await.unwrap(), tenant);
    let details = client.tenant(tenant).await.unwrap();
    assert_eq!(details.id, tenant);
    assert_eq!(details.slug, "it-details");
    assert_eq!(details.cloud, "gcp");
    assert_eq!(details.region, "europe-west1");
    assert_eq!(details.project.id, project);
    assert_eq!(details.project.name, "it-details");
    assert_eq!(details.project.endpoint, seeded.endpoint);
    assert_eq!(details.project.plan_name.as_deref(), Some("cloud_payg"));
    // timestamptz text as Hasura prints it.
    assert!(
        details.created_at.ends_with("+00:00"),
        "{}",
        details.created_at
    );
    assert!(details.project.created_at.contains('T'));
}

#[tokio::test]
async fn list_projects_returns_every_project_by_name_with_its_tenant() {
    let sim = sim().await;
    let client = client(&sim);
    let c = seed(&sim, "charlie", &[]);
    let a = seed(&sim, "alpha", &[]);
    let b = seed(&sim, "bravo", &[]);
    let projects = client.list_projects().await.unwrap();
    let names: Vec<_> = projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["alpha", "bravo", "charlie"]);
    for (project, (pid, tid)) in projects.iter().zip([a, b, c]) {
        assert_eq!(project.id, pid);
        let tenant = project
            .tenant
            .as_ref()
            .expect("seeded projects have tenants");
        assert_eq!(tenant.id, tid);
        assert_eq!(tenant.slug, project.name);
        assert_eq!(tenant.cloud, "aws");
        assert_eq!(tenant.region, "us-east-2");
        assert_eq!(project.plan_name.as_deref(), Some("cloud_payg"));
        assert_eq!(project.billing_plan_name.as_deref(), Some("cloud_payg"));
        assert_eq!(
            project.endpoint,
            format!("{}/p/{}", sim.base_url(), project.name)
        );
    }
}

#[tokio::test]
async fn find_projects_by_name_matches_the_exact_name_only() {
    let sim = sim().await;
    let client = client(&sim);
    let (one, _) = seed(&sim, "alpha-one", &[]);
    seed(&sim, "alpha-two", &[]);
    let found = client.find_projects_by_name("alpha-one").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, one);
    assert_eq!(found[0].name, "alpha-one");
    assert!(
        client
            .find_projects_by_name("alpha")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        client
            .find_projects_by_name("ALPHA-ONE")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        client
            .find_projects_by_name("nope")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn delete_tenant_removes_the_project() {
    let sim = sim().await;
    let client = client(&sim);
    let (project, tenant) = seed(&sim, "doomed", &[]);
    let (kept, _) = seed(&sim, "kept", &[]);
    let (status, requests) = counted(&sim, client.delete_tenant(tenant)).await;
    assert_eq!(status.unwrap(), "deleted");
    assert_eq!(requests, 1);

    let left: Vec<_> = client
        .list_projects()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(left, [kept]);
    assert_eq!(
        client.tenant(tenant).await.unwrap_err(),
        Error::NotFound {
            what: format!("tenant {tenant}")
        }
    );
    assert_eq!(
        client.tenant_id_of_project(project).await.unwrap_err(),
        Error::NotFound {
            what: format!("project {project}")
        }
    );
    // Deleting again: the action answers "tenant not found".
    let again = client.delete_tenant(tenant).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::NotFound, "{again:?}");
    assert!(again.to_string().contains("tenant not found"), "{again}");
}

#[tokio::test]
async fn rename_tenant_changes_name_slug_and_endpoint() {
    let sim = sim().await;
    let client = client(&sim);
    let (project, tenant) = seed(&sim, "old-name", &[]);
    let renamed = client.rename_tenant(tenant, "new-name").await.unwrap();
    assert_eq!(renamed.tenant_id, tenant);
    assert_eq!(renamed.slug.as_deref(), Some("new-name"));
    let endpoint = format!("{}/p/new-name", sim.base_url());
    assert_eq!(renamed.endpoint.as_deref(), Some(endpoint.as_str()));

    let details = client.tenant(tenant).await.unwrap();
    assert_eq!(details.slug, "new-name");
    assert_eq!(details.project.id, project);
    assert_eq!(details.project.name, "new-name");
    assert_eq!(details.project.endpoint, endpoint);
    assert!(
        client
            .find_projects_by_name("old-name")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn rename_tenant_refusals() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "first", &[]);
    seed(&sim, "second", &[]);

    let unknown = client
        .rename_tenant(random_tenant(), "whatever")
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound, "{unknown:?}");

    let bad = client.rename_tenant(tenant, "Bad Name").await.unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput, "{bad:?}");
    assert!(bad.to_string().contains("invalid project name"), "{bad}");

    let taken = client.rename_tenant(tenant, "second").await.unwrap_err();
    assert_eq!(
        taken,
        Error::InvalidInput {
            message: "a project named \"second\" already exists".into()
        }
    );

    let same = client.rename_tenant(tenant, "first").await.unwrap_err();
    assert_eq!(same.kind(), ErrorKind::InvalidInput, "{same:?}");

    // Nothing was renamed.
    assert_eq!(client.tenant(tenant).await.unwrap().slug, "first");
}

#[tokio::test]
async fn set_project_name_changes_only_the_project_name() {
    let sim = sim().await;
    let client = client(&sim);
    let (project, tenant) = seed(&sim, "given-name", &[]);
    seed(&sim, "other", &[]);
    assert_eq!(
        client
            .set_project_name(project, "fixed-name")
            .await
            .unwrap(),
        "fixed-name"
    );
    let details = client.tenant(tenant).await.unwrap();
    assert_eq!(details.project.name, "fixed-name");
    // update_projects_by_pk sets the column only; the slug stays.
    assert_eq!(details.slug, "given-name");
    let found = client.find_projects_by_name("fixed-name").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, project);
    // Setting the name it already has is fine.
    assert_eq!(
        client
            .set_project_name(project, "fixed-name")
            .await
            .unwrap(),
        "fixed-name"
    );

    assert_eq!(
        client
            .set_project_name(project, "other")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        client
            .set_project_name(project, "NOT_VALID")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    let missing = random_project();
    assert_eq!(
        client
            .set_project_name(missing, "fine-name")
            .await
            .unwrap_err(),
        Error::NotFound {
            what: format!("project {missing}")
        }
    );
}

#[tokio::test]
async fn regions_lists_active_regions_by_cloud_then_name() {
    let sim = sim().await;
    let client = client(&sim);
    let regions = client.regions().await.unwrap();
    assert_eq!(regions.len(), 20);
    assert!(regions.iter().all(|r| r.is_active));
    let keys: Vec<_> = regions
        .iter()
        .map(|r| (r.cloud.clone(), r.name.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        (keys[0].0.as_str(), keys[0].1.as_str()),
        ("aws", "ap-northeast-1")
    );
    assert!(keys.contains(&("aws".into(), "us-east-2".into())));
    assert!(keys.contains(&("gcp".into(), "asia-south1".into())));
    assert_eq!(regions.iter().filter(|r| r.cloud == "aws").count(), 12);
    assert_eq!(regions.iter().filter(|r| r.cloud == "gcp").count(), 6);
    assert_eq!(regions.iter().filter(|r| r.cloud == "azure").count(), 2);
}

#[tokio::test]
async fn regions_and_projects_carry_their_nat_ip() {
    let sim = sim().await;
    let client = client(&sim);
    let regions = client.regions().await.unwrap();
    let us_east_2 = regions
        .iter()
        .find(|r| r.cloud == "aws" && r.name == "us-east-2")
        .unwrap();
    let ip = us_east_2
        .nat_ip
        .clone()
        .expect("an active region has a NAT IP");
    assert!(ip.starts_with("203.0.113."), "{ip}");
    assert!(regions.iter().all(|r| r.nat_ip.is_some()));

    let created = client
        .create_project(&NewProject {
            cloud: "aws".into(),
            region: "us-east-2".into(),
            name: Some("behind-firewall".into()),
            ..NewProject::default()
        })
        .await
        .unwrap();
    let tenant = created.tenant.clone().unwrap();
    let (details, requests) = counted(&sim, client.project_details(tenant.project.id)).await;
    let details = details.unwrap();
    assert_eq!(
        requests, 1,
        "the details and the NAT IP come in one request"
    );
    assert_eq!(details.nat_ip, Some(ip));
    assert_eq!(
        details.tenant,
        client.tenant(created.tenant_id).await.unwrap()
    );
    let unknown: ProjectId = "00000000-0000-4000-8000-000000000000".parse().unwrap();
    assert_eq!(
        client.project_details(unknown).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn a_token_that_may_not_read_regions_gets_the_details_without_the_nat_ip() {
    let sim = sim_with(SimConfig {
        regions_readable: false,
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let seeded =
        sim.control()
            .seed_project("behind-firewall", "gcp", "us-central1", "cloud_free", &[]);
    let project: ProjectId = seeded.project_id.parse().unwrap();
    let (details, requests) = counted(&sim, client.project_details(project)).await;
    let details = details.unwrap();
    // `region_info` is not in its schema: asked once with it, then once without.
    assert_eq!(requests, 2);
    assert_eq!(details.nat_ip, None);
    assert_eq!(details.tenant.project.name, "behind-firewall");
    assert_eq!(details.tenant.region, "us-central1");
}

#[tokio::test]
async fn regions_not_readable_is_token_rejected_naming_region() {
    let sim = sim_with(SimConfig {
        regions_readable: false,
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let (err, requests) = counted(&sim, client.regions()).await;
    assert_eq!(
        err.unwrap_err(),
        Error::TokenRejected {
            field: Some("region".into())
        }
    );
    assert_eq!(requests, 1, "a rejected token is not retried");
    // The token itself is fine for everything else.
    assert!(client.list_projects().await.unwrap().is_empty());
}
