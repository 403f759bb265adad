//! Table queries: Hasura's standard arguments, whatever shape a client writes them in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;
use common::*;
use serde_json::{Value, json};

async fn seeded() -> cloud_sim::Simulator {
    let sim = start().await;
    let c = sim.control();
    c.seed_project("alpha-prod", "aws", "us-east-2", "cloud_payg", &[]);
    c.seed_project("alpha-staging", "aws", "eu-central-1", "cloud_free", &[]);
    c.seed_project("beta", "gcp", "europe-west1", "cloud_free", &[]);
    c.seed_project("gamma", "azure", "eastus", "cloud_shared", &[]);
    sim
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn where_operators() {
    let sim = seeded().await;
    let q = |w: Value| {
        let sim = &sim;
        async move {
            let d = data(sim, "query($w: projects_bool_exp) { projects(where: $w, order_by: {name: asc}) { name } }", json!({ "w": w })).await;
            names(&d["projects"])
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(q(json!({"name": {"_eq": "beta"}})).await, ["beta"]);
    assert_eq!(
        q(json!({"name": {"_neq": "beta"}})).await,
        ["alpha-prod", "alpha-staging", "gamma"]
    );
    assert_eq!(
        q(json!({"name": {"_in": ["gamma", "beta"]}})).await,
        ["beta", "gamma"]
    );
    assert_eq!(
        q(json!({"name": {"_like": "alpha-%"}})).await,
        ["alpha-prod", "alpha-staging"]
    );
    assert_eq!(
        q(json!({"name": {"_like": "ALPHA%"}})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        q(json!({"name": {"_ilike": "ALPHA%"}})).await,
        ["alpha-prod", "alpha-staging"]
    );
    assert_eq!(
        q(json!({"billing_plan_name": {"_is_null": true}})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        q(json!({"invoice_status": {"_is_null": true}, "name": {"_eq": "gamma"}})).await,
        ["gamma"]
    );
    assert_eq!(
        q(json!({"_and": [{"name": {"_like": "alpha%"}}, {"plan_name": {"_eq": "cloud_free"}}]}))
            .await,
        ["alpha-staging"]
    );
    assert_eq!(
        q(json!({"_or": [{"name": {"_eq": "beta"}}, {"name": {"_eq": "gamma"}}]})).await,
        ["beta", "gamma"]
    );
    assert_eq!(
        q(json!({"_not": {"name": {"_like": "alpha%"}}})).await,
        ["beta", "gamma"]
    );
    // Through relationships: projects whose tenant runs on gcp, and tenants of a named project.
    assert_eq!(
        q(json!({"tenant": {"cloud": {"_eq": "gcp"}}})).await,
        ["beta"]
    );
    let d = data(
        &sim,
        "query($n: String!) { tenant(where: {project: {name: {_eq: $n}}}) { slug } }",
        json!({"n": "gamma"}),
    )
    .await;
    assert_eq!(d["tenant"], json!([{"slug": "gamma"}]));
}

#[tokio::test]
async fn limit_offset_and_ordering_including_nested() {
    let sim = seeded().await;
    let d = data(
        &sim,
        "{ projects(order_by: [{plan_name: desc}, {name: asc}], limit: 2, offset: 1) { name } }",
        json!({}),
    )
    .await;
    assert_eq!(names(&d["projects"]), ["alpha-prod", "alpha-staging"]);
    // Ordering through an object relationship.
    let d = data(
        &sim,
        "{ projects(order_by: {tenant: {region: asc}}) { name } }",
        json!({}),
    )
    .await;
    assert_eq!(
        names(&d["projects"]),
        ["gamma", "alpha-staging", "beta", "alpha-prod"]
    );
    // Ordering and limiting a nested array relationship.
    let d = data(
        &sim,
        "{ region(where: {cloud: {_eq: gcp}}, order_by: {name: desc}, limit: 2) { name cloud } }",
        json!({}),
    )
    .await;
    assert_eq!(
        d["region"],
        json!([{"name": "us-west2", "cloud": "gcp"}, {"name": "us-east4", "cloud": "gcp"}])
    );
    let d = data(
        &sim,
        "{ region(distinct_on: [cloud], order_by: [{cloud: asc}, {name: asc}]) { cloud name } }",
        json!({}),
    )
    .await;
    assert_eq!(d["region"].as_array().unwrap().len(), 3);
    assert_eq!(
        d["region"][0],
        json!({"cloud": "aws", "name": "ap-northeast-1"})
    );
}

#[tokio::test]
async fn aliases_fragments_inline_literals_and_by_pk() {
    let sim = seeded().await;
    let d = data(
        &sim,
        r#"{ projects(where: {name: {_eq: "beta"}}) { id } }"#,
        json!({}),
    )
    .await;
    let id = d["projects"][0]["id"].as_str().unwrap().to_string();
    let query = format!(
        r#"
        fragment P on projects {{ name endpoint tenant {{ ...T }} }}
        fragment T on tenant {{ slug cloud }}
        query Look {{
          byPk: projects_by_pk(id: "{id}") {{ ...P }}
          missing: projects_by_pk(id: "00000000-0000-0000-0000-000000000000") {{ id }}
          first: projects(limit: 1, order_by: {{name: asc}}) {{ ... on projects {{ label: name }} }}
        }}"#
    );
    let d = data(&sim, &query, json!({})).await;
    assert_eq!(d["byPk"]["name"], "beta");
    assert_eq!(d["byPk"]["tenant"], json!({"slug": "beta", "cloud": "gcp"}));
    assert!(d["byPk"]["endpoint"].as_str().unwrap().ends_with("/p/beta"));
    assert_eq!(d["missing"], Value::Null);
    assert_eq!(d["first"], json!([{"label": "alpha-prod"}]));
}

#[tokio::test]
async fn five_thousand_projects_with_tenants_in_one_request() {
    let sim = start().await;
    sim.control().seed_projects("load", 5_000);
    let before = sim.control().request_count();
    let d = data(
        &sim,
        "{ projects { id name endpoint plan_name tenant { id slug region cloud } } }",
        json!({}),
    )
    .await;
    assert_eq!(d["projects"].as_array().unwrap().len(), 5_000);
    assert!(
        d["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["tenant"]["id"].is_string())
    );
    assert_eq!(sim.control().request_count() - before, 1);
}

#[tokio::test]
async fn schema_errors_have_hasuras_shape() {
    let sim = start().await;
    let body = gql(&sim, "{ projects { no_such_column } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "validation-failed");
    let body = gql(&sim, "{ projects( ", json!({})).await;
    assert_eq!(body["errors"][0]["message"], "not a valid graphql query");
    let body = gql(
        &sim,
        "query($id: uuid!) { projects_by_pk(id: $id) { id } }",
        json!({"id": "not-a-uuid"}),
    )
    .await;
    // graphql-engine hands the string to Postgres, which refuses it.
    assert_eq!(
        body["errors"][0],
        json!({"message": "invalid input syntax for type uuid: \"not-a-uuid\"",
               "extensions": {"path": "$", "code": "data-exception"}})
    );
    assert!(body.get("data").is_none());
}
