//! The client against the local simulator (`cloud-sim`), over real HTTP on loopback: every
//! operation's success path with real values, the API's error answers, and every fault the
//! infrastructure in front of the API can inject.
//!
//! Each test starts its own simulator with a manual clock, so request counts
//! (`control().request_count()`) are exact and preview-app jobs move only when told.
//!
//! Not covered: non-string env values. The simulator only ever stores strings (env inputs are
//! `String!` in the schema and it has no hook to plant other JSON), so that parsing is tested
//! against canned answers in `src/env.rs` and `src/tests/` only.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use cloud_sim::{EnvLayout as SimLayout, FaultKind, FaultRule, SimConfig, Simulator};
use hasura_cloud::{
    Client, ClientConfig, EnvLayout, EnvValue, Error, ErrorKind, JobId, JobStatus, NewProject,
    PreviewAppRequest, ProjectId, RetryPolicy, TenantEnv, TenantId, Token,
};

const TOKEN: &str = "it-pat-0123456789abcdef";

// ---- helpers ----------------------------------------------------------------------------------

async fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(SimConfig {
        tokens: vec![TOKEN.to_owned()],
        manual_clock: true,
        ..config
    })
    .await
    .unwrap()
}

async fn sim() -> Simulator {
    sim_with(SimConfig::default()).await
}

/// Three attempts with millisecond backoff, so retry tests stay fast.
fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
    }
}

fn config(sim: &Simulator, request_timeout: Duration, retry: RetryPolicy) -> ClientConfig {
    ClientConfig {
        endpoint: sim.graphql_url(),
        connect_timeout: Duration::from_secs(2),
        request_timeout,
        retry,
    }
}

fn client_for(
    sim: &Simulator,
    token: &str,
    request_timeout: Duration,
    retry: RetryPolicy,
) -> Client {
    Client::new(
        Token::new(token.to_owned()),
        config(sim, request_timeout, retry),
    )
    .unwrap()
}

fn client(sim: &Simulator) -> Client {
    client_for(sim, TOKEN, Duration::from_secs(5), fast_retry())
}

/// A settled project put straight into the simulator; returns (project id, tenant id).
fn seed(sim: &Simulator, name: &str, envs: &[(&str, &str)]) -> (ProjectId, TenantId) {
    let p = sim
        .control()
        .seed_project(name, "aws", "us-east-2", "cloud_payg", envs);
    (p.project_id.parse().unwrap(), p.tenant_id.parse().unwrap())
}

fn random_tenant() -> TenantId {
    TenantId::new(uuid::Uuid::new_v4())
}

fn random_project() -> ProjectId {
    ProjectId::new(uuid::Uuid::new_v4())
}

fn assert_hash(hash: &str) {
    assert_eq!(hash.len(), 40, "hash {hash:?}");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "hash {hash:?}");
}

/// (key, text) of every variable, in server order.
fn pairs(env: &TenantEnv) -> Vec<(String, String)> {
    env.vars
        .iter()
        .map(|v| (v.key.clone(), v.value.text.clone()))
        .collect()
}

fn s(text: &str) -> Option<EnvValue> {
    Some(EnvValue::string(text))
}

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn new_project(name: Option<&str>, region: &str) -> NewProject {
    NewProject {
        cloud: "aws".into(),
        region: region.into(),
        name: name.map(str::to_owned),
        plan: None,
        envs: vec![],
    }
}

fn preview_request(name: &str, branch: &str) -> PreviewAppRequest {
    PreviewAppRequest {
        github_token: Token::new("ghp_integration_test_token".into()),
        owner: "acme".into(),
        repo: "shop".into(),
        branch: branch.into(),
        directory: "hasura".into(),
        name: name.into(),
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: Some("cloud_free".into()),
        env: vec![("PREVIEW".into(), "yes".into())],
    }
}

/// Runs `f` and returns its result with the number of HTTP requests it made.
async fn counted<T>(sim: &Simulator, f: impl std::future::Future<Output = T>) -> (T, u64) {
    let before = sim.control().request_count();
    let out = f.await;
    (out, sim.control().request_count() - before)
}

// ---- projects ---------------------------------------------------------------------------------

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

// ---- environment variables --------------------------------------------------------------------

#[tokio::test]
async fn get_env_reads_hash_and_variables() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-read", &[("ALPHA", "1"), ("BETA", "two words")]);
    let env = client.get_env(tenant).await.unwrap();
    assert_hash(&env.hash);
    assert_eq!(env.layout, EnvLayout::Nested);
    assert_eq!(
        env.vars.keys().collect::<Vec<_>>(),
        ["HASURA_GRAPHQL_ADMIN_SECRET", "ALPHA", "BETA"]
    );
    assert_eq!(env.vars.get("ALPHA"), s("1").as_ref());
    assert_eq!(env.vars.get("BETA"), s("two words").as_ref());
    let secret = env.vars.get("HASURA_GRAPHQL_ADMIN_SECRET").unwrap();
    assert!(!secret.is_json && !secret.text.is_empty());
    // Reading twice gives the same hash.
    assert_eq!(client.get_env(tenant).await.unwrap(), env);
}

#[tokio::test]
async fn nested_and_flat_env_layouts_read_identically() {
    let envs = [("ALPHA", "1"), ("BETA", "two"), ("GAMMA", "")];
    let mut read = Vec::new();
    for layout in [SimLayout::Nested, SimLayout::Flat] {
        let sim = sim_with(SimConfig {
            env_layout: layout,
            ..SimConfig::default()
        })
        .await;
        let client = client(&sim);
        let (_, tenant) = seed(&sim, "layout", &envs);
        let env = client.get_env(tenant).await.unwrap();
        assert_hash(&env.hash);
        // The mutations answer in the same layout.
        let updated = client
            .update_env(tenant, &env.hash, &kv(&[("DELTA", "4")]))
            .await
            .unwrap();
        assert_eq!(updated.layout, env.layout);
        assert_eq!(updated.vars.get("DELTA"), s("4").as_ref());
        read.push(env);
    }
    let (nested, flat) = (&read[0], &read[1]);
    assert_eq!(nested.layout, EnvLayout::Nested);
    assert_eq!(flat.layout, EnvLayout::Flat);
    // Same keys in the same order; same values except the random admin secret.
    assert_eq!(
        nested.vars.keys().collect::<Vec<_>>(),
        flat.vars.keys().collect::<Vec<_>>()
    );
    let user = |env: &TenantEnv| {
        pairs(env)
            .into_iter()
            .filter(|(k, _)| k != "HASURA_GRAPHQL_ADMIN_SECRET")
            .collect::<Vec<_>>()
    };
    assert_eq!(user(nested), kv(&envs));
    assert_eq!(user(nested), user(flat));
    assert!(
        nested
            .vars
            .iter()
            .chain(flat.vars.iter())
            .all(|v| !v.value.is_json)
    );
}

#[tokio::test]
async fn update_env_merges_and_returns_a_new_hash() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-update", &[("A", "a"), ("B", "b")]);
    let before = client.get_env(tenant).await.unwrap();
    let (after, requests) = counted(
        &sim,
        client.update_env(tenant, &before.hash, &kv(&[("A", "changed"), ("NEW", "n")])),
    )
    .await;
    let after = after.unwrap();
    assert_eq!(requests, 1);
    assert_hash(&after.hash);
    assert_ne!(after.hash, before.hash);
    assert_eq!(after.vars.get("A"), s("changed").as_ref());
    assert_eq!(after.vars.get("B"), s("b").as_ref());
    assert_eq!(after.vars.get("NEW"), s("n").as_ref());
    assert_eq!(
        after.vars.get("HASURA_GRAPHQL_ADMIN_SECRET"),
        before.vars.get("HASURA_GRAPHQL_ADMIN_SECRET")
    );
    assert_eq!(after.vars.len(), 4);
    // What the mutation answered is what a read now shows.
    assert_eq!(client.get_env(tenant).await.unwrap(), after);
}

#[tokio::test]
async fn delete_env_removes_keys_and_ignores_absent_ones() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-delete", &[("A", "a"), ("B", "b")]);
    let before = client.get_env(tenant).await.unwrap();
    let after = client
        .delete_env(
            tenant,
            &before.hash,
            &["A".to_owned(), "NOT_SET".to_owned()],
        )
        .await
        .unwrap();
    assert_ne!(after.hash, before.hash);
    assert_hash(&after.hash);
    assert!(!after.vars.contains_key("A"));
    assert_eq!(after.vars.get("B"), s("b").as_ref());
    assert_eq!(
        after.vars.keys().collect::<Vec<_>>(),
        ["HASURA_GRAPHQL_ADMIN_SECRET", "B"]
    );
    assert_eq!(client.get_env(tenant).await.unwrap(), after);
}

#[tokio::test]
async fn env_changes_that_change_nothing_are_nothing_changed() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-same", &[("A", "a")]);
    let env = client.get_env(tenant).await.unwrap();

    let (same, requests) = counted(
        &sim,
        client.update_env(tenant, &env.hash, &kv(&[("A", "a")])),
    )
    .await;
    assert_eq!(same.unwrap_err(), Error::NothingChanged);
    assert_eq!(requests, 1);
    assert_eq!(
        client
            .delete_env(tenant, &env.hash, &["ABSENT".to_owned()])
            .await
            .unwrap_err(),
        Error::NothingChanged
    );
    // Nothing moved: the hash is still current.
    assert_eq!(client.get_env(tenant).await.unwrap().hash, env.hash);
}

#[tokio::test]
async fn stale_hash_is_a_hash_conflict() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "env-stale", &[("A", "a")]);
    let first = client.get_env(tenant).await.unwrap();
    // Someone else changes the variables after we read them.
    let other = client
        .update_env(tenant, &first.hash, &kv(&[("A", "theirs")]))
        .await
        .unwrap();

    let expected = Error::HashConflict {
        message: cloud_sim::STALE_HASH.to_owned(),
    };
    let (update, requests) = counted(
        &sim,
        client.update_env(tenant, &first.hash, &kv(&[("A", "mine")])),
    )
    .await;
    assert_eq!(update.unwrap_err(), expected);
    assert_eq!(requests, 1);
    assert_eq!(
        client
            .delete_env(tenant, &first.hash, &["A".to_owned()])
            .await
            .unwrap_err(),
        expected
    );
    // Their change stands.
    let now = client.get_env(tenant).await.unwrap();
    assert_eq!(now, other);
    assert_eq!(now.vars.get("A"), s("theirs").as_ref());
}

// ---- errors common to all operations ----------------------------------------------------------

#[tokio::test]
async fn unknown_token_is_token_rejected_for_queries_and_mutations() {
    let sim = sim().await;
    let (_, tenant) = seed(&sim, "visible", &[]);
    let stranger = client_for(
        &sim,
        "not-a-known-token",
        Duration::from_secs(5),
        fast_retry(),
    );
    let rejected = |field: &str| Error::TokenRejected {
        field: Some(field.into()),
    };

    let (list, requests) = counted(&sim, stranger.list_projects()).await;
    assert_eq!(list.unwrap_err(), rejected("projects"));
    assert_eq!(requests, 1, "a rejected token is not retried");
    assert_eq!(
        stranger.find_projects_by_name("visible").await.unwrap_err(),
        rejected("projects")
    );
    assert_eq!(
        stranger.get_env(tenant).await.unwrap_err(),
        rejected("getTenantEnv")
    );
    assert_eq!(
        stranger.tenant(tenant).await.unwrap_err(),
        rejected("tenant_by_pk")
    );
    assert_eq!(stranger.regions().await.unwrap_err(), rejected("region"));
    assert_eq!(
        stranger
            .create_project(&new_project(Some("sneaky"), "us-east-2"))
            .await
            .unwrap_err(),
        rejected("createTenant")
    );
    assert_eq!(
        stranger
            .update_env(tenant, "0000", &kv(&[("X", "1")]))
            .await
            .unwrap_err(),
        rejected("updateTenantEnv")
    );
    assert_eq!(
        stranger.delete_tenant(tenant).await.unwrap_err(),
        rejected("deleteTenant")
    );
    let message = stranger.list_projects().await.unwrap_err().to_string();
    assert!(
        message.contains("did not accept the access token"),
        "{message}"
    );
    assert!(!message.contains("not-a-known-token"), "{message}");

    // The accepted token still sees everything, unchanged.
    let projects = client(&sim).list_projects().await.unwrap();
    assert_eq!(projects.len(), 1);
}

#[tokio::test]
async fn unknown_tenant_or_project_is_not_found() {
    let sim = sim().await;
    let client = client(&sim);
    seed(&sim, "exists", &[]);
    let tenant = random_tenant();
    let project = random_project();

    for (what, err) in [
        ("get_env", client.get_env(tenant).await.unwrap_err()),
        (
            "update_env",
            client
                .update_env(tenant, "0000", &kv(&[("X", "1")]))
                .await
                .unwrap_err(),
        ),
        (
            "delete_env",
            client
                .delete_env(tenant, "0000", &["X".to_owned()])
                .await
                .unwrap_err(),
        ),
        (
            "delete_tenant",
            client.delete_tenant(tenant).await.unwrap_err(),
        ),
        (
            "rename_tenant",
            client.rename_tenant(tenant, "some-name").await.unwrap_err(),
        ),
    ] {
        assert_eq!(
            err,
            Error::NotFound {
                what: "the requested item (the server said: tenant not found)".into()
            },
            "{what}"
        );
    }
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
    assert_eq!(
        client.job(JobId::new(uuid::Uuid::new_v4())).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn create_project_refuses_bad_region_cloud_name_and_plan() {
    let sim = sim().await;
    let client = client(&sim);
    seed(&sim, "taken-name", &[]);

    let bad_region = client
        .create_project(&new_project(Some("fine-name"), "mars-1"))
        .await
        .unwrap_err();
    assert_eq!(bad_region.kind(), ErrorKind::InvalidInput, "{bad_region:?}");
    assert!(
        bad_region
            .to_string()
            .contains("region \"mars-1\" is not available on aws"),
        "{bad_region}"
    );

    let bad_cloud = client
        .create_project(&NewProject {
            cloud: "ibm".into(),
            ..new_project(Some("fine-name"), "us-east-2")
        })
        .await
        .unwrap_err();
    assert_eq!(bad_cloud.kind(), ErrorKind::InvalidInput, "{bad_cloud:?}");

    for name in [
        "Upper-Case",
        "ab",
        "-leading",
        "under_score",
        &"x".repeat(41),
    ] {
        let err = client
            .create_project(&new_project(Some(name), "us-east-2"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name}: {err:?}");
        assert!(err.to_string().contains("invalid project name"), "{err}");
    }

    let bad_plan = client
        .create_project(&NewProject {
            plan: Some("gold".into()),
            ..new_project(Some("fine-name"), "us-east-2")
        })
        .await
        .unwrap_err();
    assert_eq!(bad_plan.kind(), ErrorKind::InvalidInput, "{bad_plan:?}");

    let duplicate = client
        .create_project(&new_project(Some("taken-name"), "us-east-2"))
        .await
        .unwrap_err();
    assert_eq!(
        duplicate,
        Error::InvalidInput {
            message: "a project named \"taken-name\" already exists".into()
        }
    );

    // Blank inputs are refused before anything is sent.
    let (blank, requests) = counted(&sim, client.create_project(&new_project(None, " "))).await;
    assert_eq!(blank.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(requests, 0);

    // Nothing was created.
    assert_eq!(client.list_projects().await.unwrap().len(), 1);
}

#[tokio::test]
async fn free_v2_plan_with_envs_is_the_documented_generic_server_error() {
    let sim = sim().await;
    let client = client(&sim);
    let request = NewProject {
        plan: Some("cloud_free_v2".into()),
        envs: kv(&[("A", "1")]),
        ..new_project(Some("quirky"), "us-east-2")
    };
    let (result, requests) = counted(&sim, client.create_project(&request)).await;
    match result.unwrap_err() {
        Error::Server {
            status: None,
            code: Some(code),
            request_id: Some(id),
            message,
        } => {
            assert_eq!(code, "GenericServerError");
            assert!(uuid::Uuid::parse_str(&id).is_ok(), "request id {id}");
            assert_eq!(
                message,
                "there was an internal error while serving your request"
            );
        }
        other => panic!("expected a GenericServerError, got {other:?}"),
    }
    assert_eq!(requests, 1, "a mutation is never retried");

    // Without envs the same plan works; with quirks off, envs work too.
    let created = client
        .create_project(&NewProject {
            envs: vec![],
            ..request.clone()
        })
        .await
        .unwrap();
    assert_eq!(created.name, "quirky");
    let fixed = sim_with(SimConfig {
        quirks: false,
        ..SimConfig::default()
    })
    .await;
    let created = self::client(&fixed).create_project(&request).await.unwrap();
    assert_eq!(created.name, "quirky");
}

// ---- preview apps -----------------------------------------------------------------------------

#[tokio::test]
async fn preview_app_followed_to_success() {
    let sim = sim().await;
    let client = client(&sim);
    let creation = client
        .create_preview_app(&preview_request("pr-42", "main"))
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
        .create_preview_app(&preview_request("pr-7", "fail-apply-migration"))
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
    let mut request = preview_request("pr-9", "main");
    request.github_token = Token::new("ghp_invalid_token_value".into());
    let creation = client.create_preview_app(&request).await.unwrap();
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

    let bad_name = client
        .create_preview_app(&preview_request("PR_9", "main"))
        .await
        .unwrap_err();
    assert_eq!(bad_name.kind(), ErrorKind::InvalidInput, "{bad_name:?}");
    let mut azure = preview_request("pr-10", "main");
    azure.cloud = "azure".into();
    let bad_cloud = client.create_preview_app(&azure).await.unwrap_err();
    assert_eq!(bad_cloud.kind(), ErrorKind::InvalidInput, "{bad_cloud:?}");
    assert!(!bad_cloud.to_string().contains("ghp_"), "{bad_cloud}");
}

// ---- faults -----------------------------------------------------------------------------------

#[tokio::test]
async fn http_502_with_html_is_a_server_error_after_retries() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "faulty", &[]);
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 502 }).on("getTenantEnv"));
    let (result, requests) = counted(&sim, client.get_env(tenant)).await;
    assert_eq!(
        result.unwrap_err(),
        Error::Server {
            status: Some(502),
            code: None,
            request_id: None,
            message: "the server answered with an HTML page instead of JSON".into(),
        }
    );
    assert_eq!(requests, 3, "a read is tried max_attempts times");
    // Only getTenantEnv is affected.
    assert_eq!(client.list_projects().await.unwrap().len(), 1);
}

#[tokio::test]
async fn http_500_read_is_retried_and_mutation_is_not() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "faulty", &[("A", "a")]);
    let control = sim.control();

    control.add_fault(
        FaultRule::new(FaultKind::HttpError { status: 500 })
            .on("getTenantEnv")
            .times(1),
    );
    let (env, requests) = counted(&sim, client.get_env(tenant)).await;
    let env = env.unwrap();
    assert_eq!(env.vars.get("A"), s("a").as_ref());
    assert_eq!(requests, 2);

    control.add_fault(
        FaultRule::new(FaultKind::HttpError { status: 500 })
            .on("updateTenantEnv")
            .times(1),
    );
    let (update, requests) = counted(
        &sim,
        client.update_env(tenant, &env.hash, &kv(&[("A", "b")])),
    )
    .await;
    let err = update.unwrap_err();
    assert_eq!(
        err,
        Error::Server {
            status: Some(500),
            code: None,
            request_id: None,
            message: "the server answered with an HTML page instead of JSON".into(),
        }
    );
    assert_eq!(requests, 1, "a mutation is never retried");
    assert_eq!(
        err.to_string(),
        "Hasura Cloud had an internal problem (HTTP 500): the server answered with an HTML page instead of JSON"
    );
    // The load balancer answered; the change did not happen.
    assert_eq!(client.get_env(tenant).await.unwrap(), env);
}

#[tokio::test]
async fn rate_limited_read_waits_for_retry_after_and_succeeds() {
    let sim = sim().await;
    let client = client(&sim);
    seed(&sim, "busy", &[]);
    sim.control().add_fault(
        FaultRule::new(FaultKind::RateLimited {
            retry_after_secs: 1,
        })
        .on("projects")
        .times(1),
    );
    let started = Instant::now();
    let (projects, requests) = counted(&sim, client.list_projects()).await;
    let elapsed = started.elapsed();
    assert_eq!(projects.unwrap()[0].name, "busy");
    assert_eq!(requests, 2);
    assert!(
        elapsed >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured ({elapsed:?})"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn rate_limited_mutation_is_not_retried() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "busy", &[("A", "a")]);
    let env = client.get_env(tenant).await.unwrap();
    sim.control().add_fault(
        FaultRule::new(FaultKind::RateLimited {
            retry_after_secs: 1,
        })
        .on("updateTenantEnv")
        .times(1),
    );
    let (update, requests) = counted(
        &sim,
        client.update_env(tenant, &env.hash, &kv(&[("A", "b")])),
    )
    .await;
    assert_eq!(
        update.unwrap_err(),
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    assert_eq!(requests, 1, "a mutation is never retried");
    assert_eq!(client.get_env(tenant).await.unwrap().hash, env.hash);
    // Sending it again by hand works.
    let updated = client
        .update_env(tenant, &env.hash, &kv(&[("A", "b")]))
        .await
        .unwrap();
    assert_eq!(updated.vars.get("A"), s("b").as_ref());
}

#[tokio::test]
async fn rate_limited_longer_than_max_retry_after_is_not_waited_for() {
    let sim = sim().await;
    let client = client(&sim);
    sim.control().add_fault(
        FaultRule::new(FaultKind::RateLimited {
            retry_after_secs: 60,
        })
        .on("projects"),
    );
    let started = Instant::now();
    let (result, requests) = counted(&sim, client.list_projects()).await;
    assert_eq!(
        result.unwrap_err(),
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(60))
        }
    );
    assert_eq!(requests, 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn malformed_json_is_an_unexpected_response_and_not_retried() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "garbled", &[]);
    sim.control()
        .add_fault(FaultRule::new(FaultKind::MalformedJson).on("getTenantEnv"));
    let (result, requests) = counted(&sim, client.get_env(tenant)).await;
    assert_eq!(
        result.unwrap_err(),
        Error::UnexpectedResponse {
            detail: "expected a GraphQL answer, got malformed JSON".into()
        }
    );
    assert_eq!(requests, 1, "a malformed answer is not transient");
}

#[tokio::test]
async fn dropped_connection_read_is_retried() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "flaky", &[("A", "a")]);
    sim.control().add_fault(
        FaultRule::new(FaultKind::DropConnection)
            .on("getTenantEnv")
            .times(1),
    );
    let (env, requests) = counted(&sim, client.get_env(tenant)).await;
    assert_eq!(env.unwrap().vars.get("A"), s("a").as_ref());
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn dropped_connection_is_a_network_error_and_a_mutation_is_not_retried() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "flaky", &[("A", "a")]);
    let env = client.get_env(tenant).await.unwrap();
    let control = sim.control();

    control.add_fault(FaultRule::new(FaultKind::DropConnection).on("getTenantEnv"));
    let (read, requests) = counted(&sim, client.get_env(tenant)).await;
    let err = read.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err:?}");
    assert_eq!(requests, 3);
    control.clear_faults();

    control.add_fault(
        FaultRule::new(FaultKind::DropConnection)
            .on("updateTenantEnv")
            .times(1),
    );
    let (update, requests) = counted(
        &sim,
        client.update_env(tenant, &env.hash, &kv(&[("A", "b")])),
    )
    .await;
    let err = update.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err:?}");
    assert!(
        err.to_string().starts_with("could not reach Hasura Cloud"),
        "{err}"
    );
    assert_eq!(requests, 1, "a mutation is never retried");
    assert_eq!(client.get_env(tenant).await.unwrap().hash, env.hash);
}

#[tokio::test]
async fn server_error_is_generic_server_error_with_request_id() {
    let sim = sim().await;
    let client = client(&sim);
    let (_, tenant) = seed(&sim, "broken", &[("A", "a")]);
    let env = client.get_env(tenant).await.unwrap();
    let control = sim.control();

    control.add_fault(FaultRule::new(FaultKind::ServerError).on("getTenantEnv"));
    let (read, requests) = counted(&sim, client.get_env(tenant)).await;
    let err = read.unwrap_err();
    let Error::Server {
        status,
        code,
        request_id,
        message,
    } = &err
    else {
        panic!("expected a server error, got {err:?}");
    };
    assert_eq!(*status, None, "GraphQL errors come with HTTP 200");
    assert_eq!(code.as_deref(), Some("GenericServerError"));
    let id = request_id.as_deref().expect("extensions.id is kept");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(
        message,
        "there was an internal error while serving your request"
    );
    assert!(
        err.to_string().contains(&format!("request id {id}")),
        "{err}"
    );
    assert_eq!(requests, 3, "a read is retried");
    control.clear_faults();

    control.add_fault(
        FaultRule::new(FaultKind::ServerError)
            .on("getTenantEnv")
            .times(1),
    );
    let (read, requests) = counted(&sim, client.get_env(tenant)).await;
    assert_eq!(read.unwrap(), env);
    assert_eq!(requests, 2);

    control.add_fault(
        FaultRule::new(FaultKind::ServerError)
            .on("deleteTenantEnv")
            .times(1),
    );
    let (delete, requests) = counted(
        &sim,
        client.delete_env(tenant, &env.hash, &["A".to_owned()]),
    )
    .await;
    assert_eq!(delete.unwrap_err().kind(), ErrorKind::Server);
    assert_eq!(requests, 1, "a mutation is never retried");
    assert_eq!(client.get_env(tenant).await.unwrap(), env);
}

#[tokio::test]
async fn latency_beyond_request_timeout_is_a_timeout() {
    let sim = sim().await;
    let (_, tenant) = seed(&sim, "slow", &[]);
    let retry = RetryPolicy {
        max_attempts: 2,
        ..fast_retry()
    };
    let client = client_for(&sim, TOKEN, Duration::from_millis(300), retry);
    sim.control()
        .add_fault(FaultRule::new(FaultKind::Latency { ms: 3_000 }).on("getTenantEnv"));
    let started = Instant::now();
    let (result, requests) = counted(&sim, client.get_env(tenant)).await;
    let elapsed = started.elapsed();
    assert_eq!(result.unwrap_err(), Error::Timeout);
    assert_eq!(requests, 2, "a timed-out read is retried");
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2_000), "{elapsed:?}");
}

#[tokio::test]
async fn latency_within_request_timeout_succeeds() {
    let sim = sim().await;
    let (_, tenant) = seed(&sim, "slowish", &[("A", "a")]);
    let client = client_for(&sim, TOKEN, Duration::from_secs(2), fast_retry());
    sim.control()
        .add_fault(FaultRule::new(FaultKind::Latency { ms: 150 }).on("getTenantEnv"));
    let started = Instant::now();
    let (env, requests) = counted(&sim, client.get_env(tenant)).await;
    assert_eq!(env.unwrap().vars.get("A"), s("a").as_ref());
    assert_eq!(requests, 1);
    assert!(started.elapsed() >= Duration::from_millis(150));
}
