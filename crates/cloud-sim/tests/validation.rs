//! The simulator validates requests as graphql-engine v2 does: one test per rule of
//! `docs/simulator-validation.md`, each asserting graphql-engine's message, path and code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud_sim::Simulator;
use common::*;
use serde_json::{Value, json};

/// The one error of a refused request: (message, path, code); asserts there is no `data`.
async fn refusal(sim: &Simulator, query: &str, variables: Value) -> (String, String, String) {
    refusal_of(
        sim,
        json!({ "query": query, "variables": variables }),
        Some(&format!("pat {TOKEN}")),
    )
    .await
}

async fn refusal_of(sim: &Simulator, body: Value, auth: Option<&str>) -> (String, String, String) {
    let response = post(sim, auth, body).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none(), "no data with errors: {body}");
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{body}");
    let e = &errors[0];
    (
        e["message"].as_str().unwrap().to_string(),
        e["extensions"]["path"].as_str().unwrap().to_string(),
        e["extensions"]["code"].as_str().unwrap().to_string(),
    )
}

fn expect(got: (String, String, String), message: &str, path: &str, code: &str) {
    assert_eq!(
        got,
        (message.to_string(), path.to_string(), code.to_string())
    );
}

async fn a_project_id(sim: &Simulator) -> String {
    sim.control()
        .seed_project("validation-demo", "aws", "us-east-2", "cloud_free", &[])
        .project_id
}

// ---- the request as a whole -----------------------------------------------------------------

#[tokio::test]
async fn a_document_that_does_not_parse() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ projects( ", json!({})).await,
        "not a valid graphql query",
        "$.query",
        "validation-failed",
    );
}

#[tokio::test]
async fn choosing_the_operation() {
    let sim = start().await;
    let two = "query A { plans { name } } query B { region { name } }";
    expect(
        refusal(&sim, two, json!({})).await,
        "exactly one operation has to be present in the document when operationName is not specified",
        "$",
        "validation-failed",
    );
    let named = |name: &str| json!({ "query": two, "operationName": name });
    let auth = format!("pat {TOKEN}");
    expect(
        refusal_of(&sim, named("C"), Some(&auth)).await,
        "no such operation found in the document: \"C\"",
        "$",
        "validation-failed",
    );
    let body: Value = post(&sim, Some(&auth), named("B"))
        .await
        .json()
        .await
        .unwrap();
    assert!(body["data"]["region"].is_array(), "{body}");
    expect(
        refusal_of(
            &sim,
            json!({ "query": "{ plans { name } }", "operationName": "A" }),
            Some(&auth),
        )
        .await,
        "operationName cannot be used when an anonymous operation exists in the document",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn subscriptions_are_not_served_over_http() {
    let sim = start().await;
    expect(
        refusal(&sim, "subscription { plans { name } }", json!({})).await,
        "subscriptions are not supported over HTTP, use websockets instead",
        "$",
        "unexpected-payload",
    );
}

// ---- fragments --------------------------------------------------------------------------------

#[tokio::test]
async fn fragments_must_exist_and_not_form_cycles() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ plans { ...P } }", json!({})).await,
        "reference to undefined fragment \"P\"",
        "$",
        "validation-failed",
    );
    expect(
        refusal(
            &sim,
            "{ plans { ...A } } fragment A on plans { ...B } fragment B on plans { name ...A }",
            json!({}),
        )
        .await,
        "the fragment definition(s) \"A\" and \"B\" form a cycle",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn unused_fragments_and_fragments_on_other_types_are_fine() {
    let sim = start().await;
    let d = data(
        &sim,
        "{ plans { ...P ... on region { nonsense } } } fragment P on plans { name } fragment Unused on plans { nope }",
        json!({}),
    )
    .await;
    assert!(d["plans"][0]["name"].is_string(), "{d}");
}

// ---- variables ----------------------------------------------------------------------------------

#[tokio::test]
async fn a_declared_variable_that_is_never_used_is_fine() {
    let sim = start().await;
    let d = data(&sim, "query($unused: uuid) { plans { name } }", json!({})).await;
    assert!(d["plans"].is_array());
}

#[tokio::test]
async fn a_variable_sent_but_not_declared_is_unexpected() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ plans { name } }", json!({"extra": 1})).await,
        "unexpected variables in variableValues: extra",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn a_variable_sent_and_declared_but_not_used_is_unexpected_too() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "query($id: uuid) { plans { name } }",
            json!({"id": "7a79cf94-0e53-4520-a560-1b02bf000000"}),
        )
        .await,
        "unexpected variables in variableValues: id",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn a_required_variable_must_be_sent() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "query($id: uuid!) { jobs_by_pk(id: $id) { id } }",
            json!({}),
        )
        .await,
        "expecting a value for non-nullable variable: \"id\"",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn null_for_a_non_null_variable() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "query($id: uuid!) { jobs_by_pk(id: $id) { id } }",
            json!({"id": null}),
        )
        .await,
        "null value found for non-nullable type: \"uuid!\"",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn a_variable_declared_twice() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "query($id: uuid, $id: uuid) { jobs_by_pk(id: $id) { id } }",
            json!({}),
        )
        .await,
        "multiple definitions for variable \"id\"",
        "$",
        "parse-failed",
    );
}

#[tokio::test]
async fn a_variable_used_but_not_declared() {
    let sim = start().await;
    expect(
        refusal(&sim, "query { jobs_by_pk(id: $id) { id } }", json!({})).await,
        "unbound variable \"id\"",
        "$",
        "validation-failed",
    );
}

#[tokio::test]
async fn a_default_value_is_not_checked_when_a_value_is_sent() {
    // A public client declared this for two years, always sending a real id.
    let sim = start().await;
    let id = a_project_id(&sim).await;
    let query = "query($id: uuid! = \"<project id>\") { projects_by_pk(id: $id) { __typename } }";
    let d = data(&sim, query, json!({ "id": id })).await;
    assert_eq!(d["projects_by_pk"]["__typename"], "projects");
}

#[tokio::test]
async fn a_default_value_is_used_as_if_written_where_the_variable_is() {
    let sim = start().await;
    let d = data(
        &sim,
        "query($n: Int = 1) { plans(limit: $n) { name } }",
        json!({}),
    )
    .await;
    assert_eq!(d["plans"].as_array().unwrap().len(), 1);
    expect(
        refusal(
            &sim,
            "query($n: Int = \"one\") { plans(limit: $n) { name } }",
            json!({}),
        )
        .await,
        "expected a 32-bit integer for type \"Int\", but found a string",
        "$.selectionSet.plans.args.limit",
        "validation-failed",
    );
    // Postgres reads a uuid default that is not one, and refuses it.
    expect(
        refusal(
            &sim,
            "query($jobId: uuid! = \"<job id>\") { jobs_by_pk(id: $jobId) { id } }",
            json!({}),
        )
        .await,
        "invalid input syntax for type uuid: \"<job id>\"",
        "$",
        "data-exception",
    );
}

#[tokio::test]
async fn a_variable_must_fit_where_it_is_used() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "query($id: String!) { jobs_by_pk(id: $id) { id } }",
            json!({"id": "x"}),
        )
        .await,
        "variable \"id\" is declared as String!, but used where uuid! is expected",
        "$.selectionSet.jobs_by_pk.args.id",
        "validation-failed",
    );
    expect(
        refusal(
            &sim,
            "query($id: uuid) { jobs_by_pk(id: $id) { id } }",
            json!({"id": "7a79cf94-0e53-4520-a560-1b02bf000000"}),
        )
        .await,
        "variable \"id\" is declared as uuid, but used where uuid! is expected",
        "$.selectionSet.jobs_by_pk.args.id",
        "validation-failed",
    );
    // A nullable variable with a non-null default may fill a non-null location.
    let id = a_project_id(&sim).await;
    let query =
        format!("query($id: uuid = \"{id}\") {{ projects_by_pk(id: $id) {{ __typename }} }}");
    let d = data(&sim, &query, json!({})).await;
    assert_eq!(d["projects_by_pk"]["__typename"], "projects");
}

#[tokio::test]
async fn a_json_object_key_must_be_a_graphql_name() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "query($w: plans_bool_exp) { plans(where: $w) { name } }",
            json!({"w": {"not-a-name": {}}}),
        )
        .await,
        "variable value contains object with key \"not-a-name\", which is not a legal GraphQL name",
        "$.selectionSet.plans.args.where",
        "validation-failed",
    );
}

// ---- the selection set ------------------------------------------------------------------------

#[tokio::test]
async fn typename_is_answered_everywhere() {
    let sim = start().await;
    let d = data(
        &sim,
        "{ __typename projects(limit: 1) { __typename tenant { __typename } } ...R } fragment R on query_root { plans(limit: 1) { __typename } }",
        json!({}),
    )
    .await;
    assert_eq!(d["__typename"], "query_root");
    assert_eq!(d["plans"][0]["__typename"], "plans");
    let d = data(
        &sim,
        "mutation { __typename createTenant(cloud: \"aws\", region: \"us-east-2\") { __typename id } }",
        json!({}),
    )
    .await;
    assert_eq!(d["__typename"], "mutation_root");
    assert_eq!(d["createTenant"]["__typename"], "CreateTenantResponse");
    // A caller without an accepted token sees the reduced schema, with __typename too.
    let body: Value = post(&sim, None, json!({"query": "{ __typename }"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["__typename"], "query_root");
}

#[tokio::test]
async fn an_unknown_field() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ projects { no_such_column } }", json!({})).await,
        "field \"no_such_column\" not found in type: 'projects'",
        "$.selectionSet.projects.selectionSet.no_such_column",
        "validation-failed",
    );
    let (message, path, code) = refusal_of(
        &sim,
        json!({"query": "{ projects { id } }"}),
        Some("pat not-an-accepted-token"),
    )
    .await;
    assert_eq!(
        (message.as_str(), path.as_str(), code.as_str()),
        (
            "field \"projects\" not found in type: 'query_root'",
            "$.selectionSet.projects",
            "validation-failed"
        )
    );
}

#[tokio::test]
async fn an_unknown_argument() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ plans(first: 2) { name } }", json!({})).await,
        "\"plans\" has no argument named \"first\"",
        "$.selectionSet.plans",
        "validation-failed",
    );
}

#[tokio::test]
async fn a_required_argument() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ jobs_by_pk { id } }", json!({})).await,
        "missing required field \"id\"",
        "$.selectionSet.jobs_by_pk.args.id",
        "validation-failed",
    );
}

#[tokio::test]
async fn selection_sets_only_on_objects_and_always_on_them() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ plans { name { x } } }", json!({})).await,
        "unexpected subselection set for non-object field",
        "$.selectionSet.plans.selectionSet.name",
        "validation-failed",
    );
    expect(
        refusal(&sim, "{ plans }", json!({})).await,
        "missing selection set for \"plans\"",
        "$.selectionSet.plans.selectionSet",
        "validation-failed",
    );
}

#[tokio::test]
async fn skip_and_include_drop_fields_before_they_are_checked() {
    let sim = start().await;
    let d = data(
        &sim,
        "query($no: Boolean!) { plans { name nope @skip(if: true) gone @include(if: $no) } }",
        json!({"no": false}),
    )
    .await;
    assert!(d["plans"][0]["name"].is_string());
}

// ---- input values -----------------------------------------------------------------------------

#[tokio::test]
async fn graphql_scalars() {
    let sim = start().await;
    expect(
        refusal(
            &sim,
            "{ plans(where: {name: {_eq: 5}}) { name } }",
            json!({}),
        )
        .await,
        "expected a string for type \"String\", but found an integer",
        "$.selectionSet.plans.args.where.name._eq",
        "validation-failed",
    );
    expect(
        refusal(
            &sim,
            "query($n: String) { plans(where: {name: {_eq: $n}}) { name } }",
            json!({"n": 5}),
        )
        .await,
        "expected a string for type \"String\", but found a number",
        "$.selectionSet.plans.args.where.name._eq",
        "validation-failed",
    );
    expect(
        refusal(&sim, "{ plans(limit: \"2\") { name } }", json!({})).await,
        "expected a 32-bit integer for type \"Int\", but found a string",
        "$.selectionSet.plans.args.limit",
        "validation-failed",
    );
    expect(
        refusal(&sim, "{ plans(limit: 3000000000) { name } }", json!({})).await,
        "The value 3.0e9 lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?",
        "$.selectionSet.plans.args.limit",
        "parse-failed",
    );
}

#[tokio::test]
async fn enums() {
    let sim = start().await;
    let (message, path, code) = refusal(
        &sim,
        "{ plans(order_by: {name: upward}) { name } }",
        json!({}),
    )
    .await;
    assert_eq!(
        message,
        "expected one of the values asc, asc_nulls_first, asc_nulls_last, desc, desc_nulls_first, or desc_nulls_last for type \"order_by\", but found \"upward\""
    );
    assert_eq!(
        (path.as_str(), code.as_str()),
        (
            "$.selectionSet.plans.args.order_by[0].name",
            "validation-failed"
        )
    );
    expect(
        refusal(
            &sim,
            "{ plans(order_by: {name: \"asc\"}) { name } }",
            json!({}),
        )
        .await,
        "expected an enum value for type \"order_by\", but found a string",
        "$.selectionSet.plans.args.order_by[0].name",
        "validation-failed",
    );
    // A variable's string is read as the enum value.
    let d = data(
        &sim,
        "query($o: order_by) { plans(order_by: {name: $o}) { name } }",
        json!({"o": "desc"}),
    )
    .await;
    assert!(d["plans"].is_array());
}

#[tokio::test]
async fn input_objects() {
    let sim = start().await;
    expect(
        refusal(&sim, "{ plans(where: {nope: {}}) { name } }", json!({})).await,
        "field \"nope\" not found in type: 'plans_bool_exp'",
        "$.selectionSet.plans.args.where.nope",
        "validation-failed",
    );
    expect(
        refusal(&sim, "{ plans(where: 3) { name } }", json!({})).await,
        "expected an object for type \"plans_bool_exp\", but found an integer",
        "$.selectionSet.plans.args.where",
        "validation-failed",
    );
    expect(
        refusal(
            &sim,
            "mutation { updateTenantEnv(currentHash: \"h\", tenantId: \"7a79cf94-0e53-4520-a560-1b02bf000000\", envs: [{key: \"A\"}]) { hash } }",
            json!({}),
        )
        .await,
        "missing required field \"value\"",
        "$.selectionSet.updateTenantEnv.args.envs[0].value",
        "validation-failed",
    );
}

#[tokio::test]
async fn a_single_value_stands_for_a_list_of_one() {
    let sim = start().await;
    let d = data(
        &sim,
        "{ plans(order_by: {name: desc}, where: {name: {_in: \"cloud_free\"}}) { name } }",
        json!({}),
    )
    .await;
    assert!(d["plans"].is_array());
}

#[tokio::test]
async fn uuid_values() {
    let sim = start().await;
    // A string goes to Postgres as text: Postgres refuses one that is not a uuid.
    expect(
        refusal(&sim, "{ jobs_by_pk(id: \"nope\") { id } }", json!({})).await,
        "invalid input syntax for type uuid: \"nope\"",
        "$",
        "data-exception",
    );
    expect(
        refusal(
            &sim,
            "query($id: uuid) { jobs(where: {id: {_eq: $id}}) { id } }",
            json!({"id": "nope"}),
        )
        .await,
        "invalid input syntax for type uuid: \"nope\"",
        "$",
        "data-exception",
    );
    // Anything else fails to decode as a uuid.
    expect(
        refusal(&sim, "{ jobs_by_pk(id: 5) { id } }", json!({})).await,
        "parsing UUID failed, expected String, but encountered Number",
        "$.selectionSet.jobs_by_pk.args.id",
        "parse-failed",
    );
    // An action's arguments go to its handler unread: the handler answers, not validation.
    let body = gql(
        &sim,
        "{ getTenantEnv(tenantId: \"nope\") { hash } }",
        json!({}),
    )
    .await;
    let code = body["errors"][0]["extensions"]["code"].as_str().unwrap();
    assert!(
        code != "validation-failed" && code != "data-exception",
        "{body}"
    );
}

#[tokio::test]
async fn timestamptz_values() {
    let sim = start().await;
    let d = data(
        &sim,
        "{ jobs(where: {created_at: {_gt: \"2020-01-01T00:00:00Z\"}}) { id } }",
        json!({}),
    )
    .await;
    assert!(d["jobs"].is_array());
    expect(
        refusal(
            &sim,
            "{ jobs(where: {created_at: {_gt: \"soon\"}}) { id } }",
            json!({}),
        )
        .await,
        "invalid input syntax for type timestamp with time zone: \"soon\"",
        "$",
        "data-exception",
    );
    expect(
        refusal(
            &sim,
            "{ jobs(where: {created_at: {_gt: true}}) { id } }",
            json!({}),
        )
        .await,
        "parsing UTCTime failed, expected String, but encountered Boolean",
        "$.selectionSet.jobs.args.where.created_at._gt",
        "parse-failed",
    );
}

#[tokio::test]
async fn bigint_values() {
    let sim = start().await;
    for value in [json!(5), json!("5"), json!(-9_000_000_000i64)] {
        let d = data(
            &sim,
            "query($n: bigint) { projects(where: {number_of_requests_this_month: {_gte: $n}}) { id } }",
            json!({ "n": value }),
        )
        .await;
        assert!(d["projects"].is_array());
    }
    expect(
        refusal(
            &sim,
            "{ projects(where: {number_of_requests_this_month: {_gte: \"many\"}}) { id } }",
            json!({}),
        )
        .await,
        "invalid input syntax for type bigint: \"many\"",
        "$",
        "data-exception",
    );
    expect(
        refusal(
            &sim,
            "{ projects(where: {number_of_requests_this_month: {_gte: 1.5}}) { id } }",
            json!({}),
        )
        .await,
        "The value 1.5 lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?",
        "$.selectionSet.projects.args.where.number_of_requests_this_month._gte",
        "parse-failed",
    );
}

#[tokio::test]
async fn jsonb_takes_any_json() {
    let sim = start().await;
    for value in [
        json!({"a": [1, "x"]}),
        json!("text"),
        json!(3),
        json!([true]),
    ] {
        let d = data(
            &sim,
            "query($j: jsonb) { jobs(where: {input: {_contains: $j}}) { id } }",
            json!({ "j": value }),
        )
        .await;
        assert!(d["jobs"].is_array());
    }
}
