//! The client against the local simulator (`cloud-sim`), over real HTTP on loopback: the API's
//! error answers common to all operations, and every fault the infrastructure in front of the API
//! can inject (retried for queries, never for mutations).

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use cloud_sim::{FaultKind, FaultRule, SimConfig};
use common::*;
use hasura_cloud::{Error, ErrorKind, JobId, NewProject, RetryPolicy};

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
