//! Custom domains (insert, read, DNS validation over time or by control call, uniqueness, the
//! plan's limit, delete) and `changePlan`, and both hidden from a token that may not see them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use std::time::Duration;

use cloud_sim::{DNS_VALIDATION_DELAY, SimConfig};
use common::{create, data, error, gql, http, start, start_with};
use serde_json::{Value, json};

const INSERT: &str = "mutation($fqdn: String!, $t: uuid!) {
  insert_custom_domain_one(object: {fqdn: $fqdn, tenant_id: $t}) { id fqdn dns_validation cert }
}";
const BY_PK: &str =
    "query($id: uuid!) { custom_domain_by_pk(id: $id) { fqdn dns_validation cert tenant_id } }";
const LIST: &str = "query($t: uuid!) { tenant_by_pk(id: $t) { custom_domains(order_by: {fqdn: asc}) { fqdn dns_validation } } }";
const DELETE: &str = "mutation($id: uuid!) { delete_custom_domain_by_pk(id: $id) { id fqdn } }";
const CHANGE_PLAN: &str = "mutation($plan: Plan!, $p: uuid!) {
  changePlan(plan: $plan, projectId: $p) { oldPlan newPlan status projectId project { plan_name } }
}";

async fn insert(sim: &cloud_sim::Simulator, fqdn: &str, tenant: &str) -> Value {
    data(sim, INSERT, json!({"fqdn": fqdn, "t": tenant})).await["insert_custom_domain_one"].clone()
}

#[tokio::test]
async fn a_new_domain_is_pending_then_validates_after_the_delay() {
    let sim = start().await;
    let (_, tenant) = create(&sim, "shop").await;
    let domain = insert(&sim, "api.example.com", &tenant).await;
    assert_eq!(domain["fqdn"], "api.example.com");
    assert_eq!(domain["dns_validation"], "pending");
    assert_eq!(domain["cert"], "none");
    let id = domain["id"].as_str().unwrap();

    sim.control()
        .advance(DNS_VALIDATION_DELAY - Duration::from_secs(1));
    let read = data(&sim, BY_PK, json!({"id": id})).await;
    assert_eq!(read["custom_domain_by_pk"]["dns_validation"], "pending");

    sim.control().advance(Duration::from_secs(2));
    let read = data(&sim, BY_PK, json!({"id": id})).await;
    assert_eq!(read["custom_domain_by_pk"]["dns_validation"], "succeeded");
    assert_eq!(read["custom_domain_by_pk"]["cert"], "letsencrypt");
    assert_eq!(read["custom_domain_by_pk"]["tenant_id"], tenant.as_str());
}

#[tokio::test]
async fn the_control_api_validates_fails_or_holds_a_domain() {
    let sim = start().await;
    let (project, tenant) = create(&sim, "shop").await;
    let ok = insert(&sim, "ok.example.com", &tenant).await;
    let control = |body: Value| {
        let url = format!("{}/control/custom-domains", sim.base_url());
        async move { http().post(url).json(&body).send().await.unwrap() }
    };
    let answer = control(json!({"fqdn": "ok.example.com", "dns_validation": "succeeded"})).await;
    assert_eq!(answer.status(), 200);
    let read = data(&sim, BY_PK, json!({"id": ok["id"]})).await;
    assert_eq!(read["custom_domain_by_pk"]["dns_validation"], "succeeded");

    // On the paid plan a second domain is allowed; held pending, time does not validate it.
    data(
        &sim,
        CHANGE_PLAN,
        json!({"plan": "cloud_payg", "p": project}),
    )
    .await;
    insert(&sim, "held.example.com", &tenant).await;
    insert(&sim, "bad.example.com", &tenant).await;
    assert!(
        sim.control()
            .set_dns_validation("held.example.com", "pending")
    );
    let answer = control(json!({"fqdn": "bad.example.com", "dns_validation": "failed"})).await;
    assert_eq!(answer.status(), 200);
    sim.control().advance(DNS_VALIDATION_DELAY * 2);
    let list = data(&sim, LIST, json!({"t": tenant})).await;
    assert_eq!(
        list["tenant_by_pk"]["custom_domains"],
        json!([
            {"fqdn": "bad.example.com", "dns_validation": "failed"},
            {"fqdn": "held.example.com", "dns_validation": "pending"},
            {"fqdn": "ok.example.com", "dns_validation": "succeeded"},
        ])
    );

    let unknown = control(json!({"fqdn": "nope.example.com", "dns_validation": "failed"})).await;
    assert_eq!(unknown.status(), 404);
    let bad = control(json!({"fqdn": "ok.example.com", "dns_validation": "done"})).await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_taken_fqdn_is_a_uniqueness_violation() {
    let sim = start().await;
    let (_, a) = create(&sim, "shop").await;
    let (_, b) = create(&sim, "blog").await;
    insert(&sim, "api.example.com", &a).await;
    let (message, code) = error(&sim, INSERT, json!({"fqdn": "api.example.com", "t": b})).await;
    assert_eq!(code, "constraint-violation");
    assert!(message.starts_with("Uniqueness violation."), "{message}");
    assert!(message.contains("custom_domain_fqdn_key"), "{message}");
}

#[tokio::test]
async fn the_free_plan_allows_one_domain() {
    let sim = start().await;
    let (_, tenant) = create(&sim, "shop").await;
    insert(&sim, "one.example.com", &tenant).await;
    let (message, code) = error(
        &sim,
        INSERT,
        json!({"fqdn": "two.example.com", "t": tenant}),
    )
    .await;
    assert_eq!(code, "unexpected");
    assert_eq!(
        message,
        "custom domain limit reached: the cloud_free plan allows 1 custom domain per project"
    );
    assert_eq!(cloud_sim::custom_domain_limit("cloud_payg"), 5);
}

#[tokio::test]
async fn deleting_a_domain_answers_it_once_then_null() {
    let sim = start().await;
    let (_, tenant) = create(&sim, "shop").await;
    let domain = insert(&sim, "api.example.com", &tenant).await;
    let gone = data(&sim, DELETE, json!({"id": domain["id"]})).await;
    assert_eq!(
        gone["delete_custom_domain_by_pk"]["fqdn"],
        "api.example.com"
    );
    let again = data(&sim, DELETE, json!({"id": domain["id"]})).await;
    assert_eq!(again["delete_custom_domain_by_pk"], Value::Null);
    let read = data(&sim, BY_PK, json!({"id": domain["id"]})).await;
    assert_eq!(read["custom_domain_by_pk"], Value::Null);
    // Its name is free again.
    insert(&sim, "api.example.com", &tenant).await;
}

#[tokio::test]
async fn change_plan_answers_old_and_new_and_refuses_what_the_service_refuses() {
    let sim = start().await;
    let (project, tenant) = create(&sim, "shop").await;
    let changed = data(
        &sim,
        CHANGE_PLAN,
        json!({"plan": "cloud_payg", "p": project}),
    )
    .await;
    assert_eq!(changed["changePlan"]["oldPlan"], "cloud_free");
    assert_eq!(changed["changePlan"]["newPlan"], "cloud_payg");
    assert_eq!(changed["changePlan"]["status"], "success");
    assert_eq!(changed["changePlan"]["project"]["plan_name"], "cloud_payg");

    let (message, code) = error(
        &sim,
        CHANGE_PLAN,
        json!({"plan": "cloud_payg", "p": project}),
    )
    .await;
    assert_eq!(
        (message.as_str(), code.as_str()),
        (
            "the project is already on the cloud_payg plan",
            "unexpected"
        )
    );

    sim.control().set_maintenance_mode(&tenant, true);
    let (message, code) = error(
        &sim,
        CHANGE_PLAN,
        json!({"plan": "cloud_free", "p": project}),
    )
    .await;
    assert_eq!(code, "unexpected");
    assert_eq!(
        message,
        "the plan of a project in maintenance mode cannot be changed"
    );

    let unknown = uuid::Uuid::new_v4().to_string();
    let (message, code) = error(
        &sim,
        CHANGE_PLAN,
        json!({"plan": "cloud_free", "p": unknown}),
    )
    .await;
    assert_eq!(
        (message.as_str(), code.as_str()),
        ("project not found", "not-found")
    );

    // A plan outside the enum does not fit the schema.
    let body = gql(
        &sim,
        CHANGE_PLAN,
        json!({"plan": "cloud_gold", "p": project}),
    )
    .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "validation-failed");
}

#[tokio::test]
async fn a_token_that_may_not_see_the_team_parts_gets_not_found_in_type() {
    let sim = start_with(SimConfig {
        team_visible: false,
        ..Default::default()
    })
    .await;
    let (project, tenant) = create(&sim, "shop").await;
    for (query, variables, field, ty) in [
        (
            INSERT,
            json!({"fqdn": "a.example.com", "t": tenant}),
            "insert_custom_domain_one",
            "mutation_root",
        ),
        (
            DELETE,
            json!({"id": uuid::Uuid::new_v4()}),
            "delete_custom_domain_by_pk",
            "mutation_root",
        ),
        (
            BY_PK,
            json!({"id": uuid::Uuid::new_v4()}),
            "custom_domain_by_pk",
            "query_root",
        ),
        (LIST, json!({"t": tenant}), "custom_domains", "tenant"),
        (
            CHANGE_PLAN,
            json!({"plan": "cloud_payg", "p": project}),
            "changePlan",
            "mutation_root",
        ),
    ] {
        let (message, code) = error(&sim, query, variables).await;
        assert_eq!(code, "validation-failed", "{field}");
        assert_eq!(
            message,
            format!("field \"{field}\" not found in type: '{ty}'")
        );
    }
}
