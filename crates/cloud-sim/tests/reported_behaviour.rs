//! What real users and Hasura's own clients saw the service do (API notes §7–8): the names the
//! API reference's examples send, business-rule error codes, NAT IPs, task events in no time
//! order and several per task, and the rare bugs reproduced through behaviour faults.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;
use std::time::Duration;

use cloud_sim::{CREATION_TASK, FaultKind, FaultRule, Simulator};
use common::*;
use serde_json::{Value, json};

const CREATE: &str = "mutation($p: CreateGithubPreviewAppInputPayload) { createGitHubPreviewApp(payload: $p) { githubPreviewAppJobID } }";
const JOB: &str = "query($id: uuid!) { jobs_by_pk(id: $id) { status project_id project_name tasks { name task_events(order_by: {created_at: asc}) { event_type error public_event_data created_at } } } }";
const UNORDERED_EVENTS: &str =
    "query($id: uuid!) { jobs_by_pk(id: $id) { tasks { task_events { created_at } } } }";

/// The API reference's own example of `createGitHubPreviewApp`, name and all.
fn reference_example(name: &str) -> Value {
    json!({ "p": {
        "githubPersonalAccessToken": "gh-example-token-not-real",
        "githubRepoDetails": { "branch": "main", "owner": "my-org", "repo": "my-repo", "directory": "backend/hasura" },
        "projectOptions": { "cloud": "aws", "region": "us-east-2", "plan": "cloud_free", "name": name,
                            "envVars": [{ "key": "HASURA_GRAPHQL_AUTH_HOOK", "value": "https://my-webhook.com" }] },
    }})
}

async fn launch(sim: &Simulator, name: &str) -> String {
    let d = data(sim, CREATE, reference_example(name)).await;
    d["createGitHubPreviewApp"]["githubPreviewAppJobID"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn job(sim: &Simulator, id: &str) -> Value {
    data(sim, JOB, json!({ "id": id })).await["jobs_by_pk"].clone()
}

async fn project_names(sim: &Simulator) -> Vec<String> {
    let d = data(
        sim,
        "{ projects(order_by: {name: asc}) { name } }",
        json!({}),
    )
    .await;
    d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_reference_example_name_is_accepted_and_becomes_a_host_name() {
    let sim = start().await;
    let creation = launch(&sim, "my-app_name").await;
    sim.control().advance(Duration::from_secs(30));
    let j = job(&sim, &creation).await;
    assert_eq!(j["status"], "success", "{j}");
    assert_eq!(j["project_name"], "my-app-name");
    assert_eq!(project_names(&sim).await, ["my-app-name"]);
    // The job's input keeps the name as it was asked for.
    let d = data(
        &sim,
        "query($id: uuid!) { jobs_by_pk(id: $id) { input } }",
        json!({ "id": creation }),
    )
    .await;
    assert_eq!(
        d["jobs_by_pk"]["input"]["projectOptions"]["name"],
        "my-app_name"
    );
}

#[tokio::test]
async fn a_name_with_no_host_name_fails_the_creation_job_clearly() {
    let sim = start().await;
    let creation = launch(&sim, "__").await;
    sim.control().advance(Duration::from_secs(30));
    let j = job(&sim, &creation).await;
    assert_eq!(j["status"], "failed");
    let events = j["tasks"][0]["task_events"].as_array().unwrap();
    let failed = events.iter().find(|e| e["event_type"] == "failed").unwrap();
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .starts_with("invalid preview app name \"__\""),
        "{failed}"
    );
    assert!(project_names(&sim).await.is_empty());
}

#[tokio::test]
async fn business_rules_answer_unexpected_never_validation_failed() {
    let sim = start().await;
    let (_, tenant) = create(&sim, "rules").await;
    let env = data(
        &sim,
        "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }",
        json!({ "t": tenant }),
    )
    .await;
    let hash = env["getTenantEnv"]["hash"].as_str().unwrap();
    let cases = [
        (
            "mutation($t: uuid!, $h: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{key: \" \", value: \"x\"}]) { hash } }",
            json!({ "t": tenant, "h": hash }),
        ),
        (
            "mutation($t: uuid!) { updateTenantEnv(tenantId: $t, currentHash: \"stale\", envs: [{key: \"A\", value: \"x\"}]) { hash } }",
            json!({ "t": tenant }),
        ),
        (
            "mutation($t: uuid!) { updateTenantName(tenantId: $t, name: \"Not A Host\") { tenant_id } }",
            json!({ "t": tenant }),
        ),
        (
            "mutation { createTenant(cloud: \"aws\", region: \"us-east-2\", plan: \"gold\") { id } }",
            json!({}),
        ),
        (
            "mutation { createTenant(cloud: \"aws\", region: \"us-east-2\", envs: [{key: \"\", value: \"x\"}]) { id } }",
            json!({}),
        ),
    ];
    for (query, variables) in cases {
        let (message, code) = error(&sim, query, variables).await;
        assert_eq!(code, "unexpected", "{query}: {message}");
    }
    // Only a request that does not fit the schema is validation-failed.
    let (_, code) = error(&sim, "{ projects { no_such_column } }", json!({})).await;
    assert_eq!(code, "validation-failed");
}

#[tokio::test]
async fn active_regions_have_nat_ips_from_the_documentation_ranges() {
    let sim = start().await;
    // The query a Terraform provider's gateway-IP data source sends.
    let d = data(
        &sim,
        "{ region(where: {is_active: {_eq: true}, nat_ip: {_is_null: false}}) { name cloud nat_ip nat_ips } }",
        json!({}),
    )
    .await;
    let regions = d["region"].as_array().unwrap();
    assert_eq!(regions.len(), cloud_sim::KNOWN_REGIONS.len());
    let mut seen = std::collections::HashSet::new();
    for region in regions {
        let ip = region["nat_ip"].as_str().unwrap();
        let expected_range = match region["cloud"].as_str().unwrap() {
            "aws" => "203.0.113.",
            "gcp" => "198.51.100.",
            _ => "192.0.2.",
        };
        assert!(ip.starts_with(expected_range), "{region}");
        assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{ip}");
        assert_eq!(region["nat_ips"], json!([ip]));
        assert!(seen.insert(ip.to_string()), "{ip} given twice");
    }
    // A project's own, through its tenant's region.
    let (_, tenant) = create(&sim, "nat").await;
    let d = data(
        &sim,
        "query($t: uuid!) { tenant_by_pk(id: $t) { region region_info { nat_ip } } }",
        json!({ "t": tenant }),
    )
    .await;
    let ip = d["tenant_by_pk"]["region_info"]["nat_ip"].as_str().unwrap();
    assert!(ip.starts_with("203.0.113."), "{d}");
}

#[tokio::test]
async fn task_events_come_in_no_time_order_unless_ordered() {
    let sim = start().await;
    // Several apps, so that several event orders are seen.
    let mut jobs = vec![];
    for n in 0..24 {
        jobs.push(launch(&sim, &format!("unordered-{n}")).await);
    }
    sim.control().advance(Duration::from_secs(30));
    let mut out_of_order = 0;
    for id in &jobs {
        let d = data(&sim, UNORDERED_EVENTS, json!({ "id": id })).await;
        let times: Vec<&str> = d["jobs_by_pk"]["tasks"][0]["task_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["created_at"].as_str().unwrap())
            .collect();
        // Several events per task: created, then success.
        assert_eq!(times.len(), 2);
        if times[0] > times[1] {
            out_of_order += 1;
        }
        // Ordered when asked.
        let j = job(&sim, id).await;
        let events = j["tasks"][0]["task_events"].as_array().unwrap();
        assert_eq!(events[0]["event_type"], "created");
        assert_eq!(events[1]["event_type"], "success");
    }
    // By id, each pair is out of time order with probability 1/2: all 24 in order is 1 in 2^24.
    assert!(out_of_order > 0, "every task's events came in time order");
}

#[tokio::test]
async fn a_creation_can_fail_with_null_data_and_a_go_formatted_error() {
    let sim = start().await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::PreviewCreationError).times(1));
    let creation = launch(&sim, "go-error").await;
    sim.control().advance(Duration::from_secs(30));
    let j = job(&sim, &creation).await;
    assert_eq!(j["status"], "failed");
    let failed = j["tasks"][0]["task_events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "failed")
        .cloned()
        .unwrap();
    assert_eq!(failed["public_event_data"], Value::Null);
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.starts_with(
            "error creating tenant: Message: there was an internal error while serving your \
             request, Locations: [] Extensions: map[code:GenericServerError id:"
        ),
        "{error}"
    );
    // Taken once: the next creation goes through.
    let next = launch(&sim, "go-error").await;
    sim.control().advance(Duration::from_secs(30));
    assert_eq!(job(&sim, &next).await["status"], "success");
}

#[tokio::test]
async fn one_creation_can_make_two_projects_with_the_same_name() {
    let sim = start().await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::DuplicatePreviewApp).times(1));
    let creation = launch(&sim, "twice").await;
    sim.control().advance(Duration::from_secs(30));
    assert_eq!(job(&sim, &creation).await["status"], "success");
    assert_eq!(project_names(&sim).await, ["twice", "twice"]);
    let d = data(
        &sim,
        "{ tenant(where: {project: {name: {_eq: \"twice\"}}}) { id } }",
        json!({}),
    )
    .await;
    let tenants = d["tenant"].as_array().unwrap();
    assert_eq!(tenants.len(), 2);
    assert_ne!(tenants[0]["id"], tenants[1]["id"]);
}

#[tokio::test]
async fn a_retried_creation_task_has_a_stale_success_event_before_the_live_one() {
    let sim = start().await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::RetriedCreation).times(1));
    let creation = launch(&sim, "retried").await;
    sim.control().advance(Duration::from_secs(9));
    let j = job(&sim, &creation).await;
    assert_eq!(j["status"], "success", "{j}");
    assert_eq!(j["tasks"][0]["name"], CREATION_TASK);
    let events = j["tasks"][0]["task_events"].as_array().unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "success", "created", "success"]);
    let deployment_of = |e: &Value| {
        e["public_event_data"]["githubDeploymentJobID"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let stale = deployment_of(&events[1]);
    let live = deployment_of(&events[3]);
    assert_ne!(stale, live);
    // The stale one's job is gone (the Action then failed); the newest one's is live.
    assert_eq!(job(&sim, &stale).await, Value::Null);
    assert!(job(&sim, &live).await.is_object());
}

#[tokio::test]
async fn create_tenant_can_ignore_the_name_asked_for() {
    let sim = start().await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::IgnoreProjectName).times(1));
    let q = "mutation($n: String) { createTenant(cloud: \"aws\", region: \"us-east-2\", name: $n) { id name tenant { slug } } }";
    let d = data(&sim, q, json!({ "n": "wanted-name" })).await;
    let given = d["createTenant"]["name"].as_str().unwrap();
    assert_ne!(given, "wanted-name");
    assert_eq!(d["createTenant"]["tenant"]["slug"], given);
    assert_eq!(project_names(&sim).await, [given]);
    // The fault is over: the next name sticks, and it was never taken.
    let d = data(&sim, q, json!({ "n": "wanted-name" })).await;
    assert_eq!(d["createTenant"]["name"], "wanted-name");
}

#[tokio::test]
async fn behaviour_faults_are_set_over_http_like_the_others() {
    let sim = start().await;
    let client = common::http();
    let response = client
        .post(format!("{}/control/faults", sim.base_url()))
        .body(r#"{"kind":"duplicate_preview_app","times":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The HTTP layer leaves it alone: ordinary requests are answered normally.
    assert!(project_names(&sim).await.is_empty());
    launch(&sim, "over-http").await;
    sim.control().advance(Duration::from_secs(30));
    assert_eq!(project_names(&sim).await, ["over-http", "over-http"]);
}
