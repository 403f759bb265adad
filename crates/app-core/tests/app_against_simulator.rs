//! Every `App` command against a real simulator (`cloud-sim`) over loopback HTTP, with in-memory
//! settings and secret stores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use app_core::{
    App, AppError, CreateProjectInput, DeleteProjectInput, EnvPair, ExternalTarget, MemorySettings,
    ProfileInput, ProfileKind, SANDBOX_PROFILE_ID, SignIn, TokenStorage, profile_account,
};
use cloud_sim::{FaultKind, FaultRule, SimConfig};
use common::*;

// ---- signing in and out ---------------------------------------------------------------------

#[tokio::test]
async fn sign_in_with_a_good_token_keeps_it_in_the_keychain() {
    let sim = sim().await;
    let h = harness();
    let id = add_profile(&h.app, "Work", &sim.graphql_url()).await;
    let snap = h
        .app
        .sign_in(sign_in_input(&id, &format!("  {TOKEN}\n"), true))
        .await
        .unwrap();
    let profile = &snap.profiles[0];
    assert!(profile.signed_in);
    assert_eq!(profile.token_storage, Some(TokenStorage::Keychain));
    assert_eq!(snap.active_profile_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        kept_secret(h.secrets.as_ref(), &profile_account(&id)),
        Some(serde_json::json!({"endpoint": sim.graphql_url(), "token": TOKEN})),
        "stored trimmed, under profile:<id>, with the endpoint it was checked against"
    );
    assert!(
        !h.app
            .list_projects()
            .await
            .unwrap()
            .iter()
            .any(|p| p.name.is_empty())
    );

    // Another App on the same stores (the next launch) is signed in from the keychain.
    let next =
        App::with_client_config(h.settings.clone(), h.secrets.clone(), fast_clients()).unwrap();
    let snap = next.get_state().await.unwrap();
    assert!(snap.profiles[0].signed_in);
    assert_eq!(snap.profiles[0].token_storage, Some(TokenStorage::Keychain));
    next.list_projects().await.unwrap();
}

#[tokio::test]
async fn a_rejected_token_is_not_stored() {
    let sim = sim().await;
    let h = harness();
    let id = add_profile(&h.app, "Work", &sim.graphql_url()).await;
    let requests = sim.control().request_count();
    let e = h
        .app
        .sign_in(sign_in_input(&id, "fake-wrong-token-0000", true))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "tokenRejected", "{e:?}");
    assert!(e.message().contains("Access Tokens"), "{e}");
    assert!(
        sim.control().request_count() > requests,
        "the API was asked"
    );
    assert!(h.secrets.is_empty());
    let snap = h.app.get_state().await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    assert_eq!(snap.profiles[0].token_storage, None);
    assert_eq!(
        h.app.list_projects().await.unwrap_err().kind(),
        "notSignedIn"
    );
}

#[tokio::test]
async fn session_only_sign_in_stores_nothing() {
    let sim = sim().await;
    let h = harness();
    let id = add_profile(&h.app, "Work", &sim.graphql_url()).await;
    let snap = h
        .app
        .sign_in(sign_in_input(&id, TOKEN, false))
        .await
        .unwrap();
    assert!(snap.profiles[0].signed_in);
    assert_eq!(snap.profiles[0].token_storage, Some(TokenStorage::Session));
    assert!(h.secrets.is_empty());
    h.app.list_projects().await.unwrap();

    // The next launch does not know it.
    let next =
        App::with_client_config(h.settings.clone(), h.secrets.clone(), fast_clients()).unwrap();
    assert!(!next.get_state().await.unwrap().profiles[0].signed_in);
}

#[tokio::test]
async fn session_sign_in_replaces_a_remembered_token() {
    let sim = sim().await;
    let (h, id) = signed_in(&sim).await;
    assert!(!h.secrets.is_empty());
    let snap = h
        .app
        .sign_in(sign_in_input(&id, TOKEN, false))
        .await
        .unwrap();
    assert_eq!(snap.profiles[0].token_storage, Some(TokenStorage::Session));
    assert!(h.secrets.is_empty(), "the remembered token was removed");
}

#[tokio::test]
async fn sign_out_forgets_the_token() {
    let sim = sim().await;
    let (h, id) = signed_in(&sim).await;
    h.app.list_projects().await.unwrap();
    let snap = h.app.sign_out(&id).await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    assert_eq!(snap.profiles[0].token_storage, None);
    assert!(h.secrets.is_empty());
    let e = h.app.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn");
    // Signing out twice is fine.
    h.app.sign_out(&id).await.unwrap();
}

#[tokio::test]
async fn a_keychain_that_refuses_the_token_keeps_nothing() {
    let sim = sim().await;
    let secrets = Arc::new(LockedKeychain::default());
    let settings = Arc::new(MemorySettings::new());
    let app = App::with_client_config(settings.clone(), secrets.clone(), fast_clients()).unwrap();
    let id = add_profile(&app, "Work", &sim.graphql_url()).await;
    let e = app
        .sign_in(sign_in_input(&id, TOKEN, true))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "keychainUnavailable", "{e:?}");
    assert!(e.message().contains("session only"), "{e}");
    assert!(secrets.inner.is_empty());
    let snap = app.get_state().await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    assert_eq!(app.list_projects().await.unwrap_err().kind(), "notSignedIn");

    // What the UI then offers: a session-only sign-in.
    let snap = app.sign_in(sign_in_input(&id, TOKEN, false)).await.unwrap();
    assert_eq!(snap.profiles[0].token_storage, Some(TokenStorage::Session));
    app.list_projects().await.unwrap();
    assert!(secrets.inner.is_empty());
}

/// What the sign-in form sends: a profile and a token, in one call.
fn sign_in_as(id: Option<&str>, name: &str, endpoint: &str, token: &str, remember: bool) -> SignIn {
    SignIn {
        profile: ProfileInput {
            id: id.map(str::to_owned),
            name: name.into(),
            color: "teal".into(),
            endpoint: endpoint.into(),
        },
        token: token.into(),
        remember,
    }
}

#[tokio::test]
async fn one_step_sign_in_saves_the_profile_only_with_a_kept_token() {
    let sim = sim().await;
    let h = harness();
    let url = sim.graphql_url();

    // A refused token saves nothing: trying again does not leave a second profile behind.
    let e = (h
        .app
        .sign_in_with(sign_in_as(None, "Work", &url, "fake-wrong-0000", true)))
    .await
    .unwrap_err();
    assert_eq!(e.kind(), "tokenRejected", "{e:?}");
    assert!(h.app.get_state().await.unwrap().profiles.is_empty());
    // So does a field that breaks its rule, before any request.
    let before = sim.control().request_count();
    let e = (h.app.sign_in_with(sign_in_as(None, " ", &url, TOKEN, true)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "invalidInput", "{e:?}");
    assert_eq!(sim.control().request_count(), before);

    // Accepted: saved, kept in the keychain, active, and named in the answer.
    let done = (h
        .app
        .sign_in_with(sign_in_as(None, "Work", &url, TOKEN, true)))
    .await
    .unwrap();
    assert_eq!(done.state.profiles.len(), 1);
    let profile = &done.state.profiles[0];
    assert_eq!(profile.id, done.profile_id);
    assert_eq!(
        (profile.name.as_str(), profile.color.as_str()),
        ("Work", "teal")
    );
    assert_eq!(profile.token_storage, Some(TokenStorage::Keychain));
    assert_eq!(
        done.state.active_profile_id.as_deref(),
        Some(profile.id.as_str())
    );
    assert_eq!(
        kept_secret(h.secrets.as_ref(), &profile_account(&done.profile_id)),
        Some(serde_json::json!({"endpoint": url, "token": TOKEN}))
    );
    h.app.list_projects().await.unwrap();

    // Signing in to it again with a new name renames it; no second profile.
    let other = (h
        .app
        .sign_in_with(sign_in_as(None, "Other", &url, TOKEN, false)))
    .await
    .unwrap();
    assert_eq!(
        other.state.active_profile_id.as_deref(),
        Some(other.profile_id.as_str())
    );
    let again = (h.app.sign_in_with(sign_in_as(
        Some(&done.profile_id),
        "Work renamed",
        &url,
        TOKEN,
        false,
    )))
    .await
    .unwrap();
    assert_eq!(again.profile_id, done.profile_id);
    assert_eq!(again.state.profiles.len(), 2);
    let work = (again.state.profiles.iter())
        .find(|p| p.id == done.profile_id)
        .unwrap();
    assert_eq!(work.name, "Work renamed");
    assert_eq!(work.token_storage, Some(TokenStorage::Session));
    assert_eq!(
        again.state.active_profile_id.as_deref(),
        Some(work.id.as_str())
    );
    assert_eq!(
        kept_secret(h.secrets.as_ref(), &profile_account(&done.profile_id)),
        None,
        "a session-only sign-in removes the remembered token"
    );
}

#[tokio::test]
async fn one_step_sign_in_with_a_refusing_keychain_saves_no_profile() {
    let sim = sim().await;
    let secrets = Arc::new(LockedKeychain::default());
    let settings = Arc::new(MemorySettings::new());
    let app = App::with_client_config(settings.clone(), secrets.clone(), fast_clients()).unwrap();
    let url = sim.graphql_url();
    let e = (app.sign_in_with(sign_in_as(None, "Work", &url, TOKEN, true)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "keychainUnavailable", "{e:?}");
    assert!(app.get_state().await.unwrap().profiles.is_empty());
    // The session-only sign-in the UI then offers makes exactly one profile.
    let done = (app.sign_in_with(sign_in_as(None, "Work", &url, TOKEN, false)))
        .await
        .unwrap();
    assert_eq!(done.state.profiles.len(), 1);
    assert_eq!(
        done.state.profiles[0].token_storage,
        Some(TokenStorage::Session)
    );
    assert!(secrets.inner.is_empty());
}

/// What a race between a sign-in to `a` and a move to `b` must leave: the profile on `b`, signed
/// out, and nothing ever sent to `b` (which would accept the token).
async fn assert_moved_and_signed_out(app: &App, id: &str, b: &cloud_sim::Simulator) {
    let e = app.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");
    assert_eq!(b.control().request_count(), 0, "the token was sent to b");
    let snap = app.get_state().await.unwrap();
    let profile = snap.profiles.iter().find(|p| p.id == id).unwrap();
    assert_eq!(profile.endpoint, b.graphql_url());
    assert!(!profile.signed_in);
}

#[tokio::test]
async fn a_sign_in_racing_a_move_of_the_profile_is_refused() {
    let a = sim().await;
    let b = sim().await;
    let secrets = Arc::new(PausingDeletes::default());
    let settings = Arc::new(MemorySettings::new());
    let app = Arc::new(
        App::with_client_config(settings.clone(), secrets.clone(), fast_clients()).unwrap(),
    );
    let id = add_profile(&app, "Work", &a.graphql_url()).await;

    // The move to b signs the profile out first; it is paused in the middle of that.
    let (entered, release) = secrets.arm();
    let saving = tokio::spawn({
        let (app, id, url) = (app.clone(), id.clone(), b.graphql_url());
        async move {
            app.save_profile(ProfileInput {
                id: Some(id),
                name: "Work".into(),
                color: String::new(),
                endpoint: url,
            })
            .await
        }
    });
    tokio::task::spawn_blocking(move || entered.recv())
        .await
        .unwrap()
        .unwrap();
    // Meanwhile a sign-in checks the token with a, and gets as far as it can.
    let mut signing = tokio::spawn({
        let (app, id, url) = (app.clone(), id.clone(), a.graphql_url());
        async move { (app.sign_in_with(sign_in_as(Some(&id), "Work", &url, TOKEN, true))).await }
    });
    let early = tokio::time::timeout(std::time::Duration::from_millis(500), &mut signing).await;
    release.send(()).unwrap();
    saving.await.unwrap().unwrap();
    let signed = match early {
        Ok(done) => done.unwrap(),
        Err(_) => signing.await.unwrap(),
    };

    assert_moved_and_signed_out(&app, &id, &b).await;
    let e = signed.unwrap_err();
    assert_eq!(e.kind(), "conflict", "{e:?}");
    assert!(e.message().contains("sign in again"), "{e}");
    assert_eq!(kept_secret(&secrets.inner, &profile_account(&id)), None);
    // Nor at the next launch.
    let next = App::with_client_config(settings.clone(), secrets.clone(), fast_clients()).unwrap();
    next.prefetch_projects().await;
    assert_moved_and_signed_out(&next, &id, &b).await;
}

#[tokio::test]
async fn a_sign_in_overtaken_by_a_move_of_the_profile_is_refused() {
    let a = sim().await;
    let b = sim().await;
    let h = harness();
    let app = Arc::new(h.app);
    let id = add_profile(&app, "Work", &a.graphql_url()).await;
    // The check is slow: the move happens while it runs.
    a.control().add_fault(
        FaultRule::new(FaultKind::Latency { ms: 300 })
            .on("FindProjectsByName")
            .times(1),
    );
    let signing = tokio::spawn({
        let (app, id, url) = (app.clone(), id.clone(), a.graphql_url());
        async move { (app.sign_in_with(sign_in_as(Some(&id), "Work", &url, TOKEN, true))).await }
    });
    while a.control().request_count() == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    app.save_profile(ProfileInput {
        id: Some(id.clone()),
        name: "Work".into(),
        color: String::new(),
        endpoint: b.graphql_url(),
    })
    .await
    .unwrap();
    let e = signing.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), "conflict", "{e:?}");
    assert_moved_and_signed_out(&app, &id, &b).await;
    assert_eq!(kept_secret(h.secrets.as_ref(), &profile_account(&id)), None);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_network_error() {
    let h = harness();
    // Accepted: plain http on loopback. Nothing listens on port 9.
    let id = add_profile(&h.app, "Local", "http://127.0.0.1:9/v1/graphql").await;
    let e = h
        .app
        .sign_in(sign_in_input(&id, TOKEN, true))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "network", "{e:?}");
    assert!(h.secrets.is_empty());
}

// ---- profiles ----------------------------------------------------------------------------------

#[tokio::test]
async fn profiles_each_use_their_own_endpoint_and_token() {
    let one = sim().await;
    let two = sim().await;
    two.control()
        .seed_project("only-on-two", "aws", "us-east-2", "cloud_free", &[]);
    let h = harness();
    let a = add_profile(&h.app, "One", &one.graphql_url()).await;
    let b = add_profile(&h.app, "Two", &two.graphql_url()).await;
    h.app.sign_in(sign_in_input(&a, TOKEN, true)).await.unwrap();
    h.app
        .sign_in(sign_in_input(&b, TOKEN, false))
        .await
        .unwrap();

    // Signing in makes that profile the active one.
    let snap = h.app.get_state().await.unwrap();
    assert_eq!(snap.active_profile_id.as_deref(), Some(b.as_str()));
    let snap1 = h.app.switch_profile(&a).await.unwrap();
    assert_eq!(snap1.active_profile_id.as_deref(), Some(a.as_str()));
    assert!(h.app.list_projects().await.unwrap().is_empty());

    let snap2 = h.app.switch_profile(&b).await.unwrap();
    assert_eq!(snap2.active_profile_id.as_deref(), Some(b.as_str()));
    let names: Vec<String> = h
        .app
        .list_projects()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["only-on-two"]);

    // Pointing profile Two elsewhere signs it out; its token is not sent to the new endpoint.
    let before = one.control().request_count();
    let snap = h
        .app
        .save_profile(ProfileInput {
            id: Some(b.clone()),
            name: "Two".into(),
            color: "teal".into(),
            endpoint: one.graphql_url(),
        })
        .await
        .unwrap();
    let two_now = snap.profiles.iter().find(|p| p.id == b).unwrap();
    assert!(!two_now.signed_in);
    assert_eq!(two_now.color, "teal");
    assert_eq!(
        h.app.list_projects().await.unwrap_err().kind(),
        "notSignedIn"
    );
    assert_eq!(one.control().request_count(), before);

    // Deleting the profile with the remembered token removes it from the keychain.
    let snap = h.app.delete_profile(&a).await.unwrap();
    assert_eq!(snap.profiles.len(), 1);
    assert!(h.secrets.is_empty());
}

#[tokio::test]
async fn a_token_is_not_sent_to_an_endpoint_edited_into_the_settings() {
    let home = sim().await;
    // It accepts the same token: a leak would succeed, and be counted.
    let elsewhere = sim().await;
    let (h, id) = signed_in(&home).await;

    // The settings file edited by hand, then the next launch.
    let (next, _) = relaunch_with_endpoint(&h, &id, &elsewhere.graphql_url());
    next.prefetch_projects().await;
    let snap = next.get_state().await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    assert_eq!(snap.profiles[0].token_storage, None);
    let e = next.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");
    assert!(
        e.message().contains("Sign in again for this endpoint"),
        "{e}"
    );
    assert_eq!(elsewhere.control().request_count(), 0, "nothing was sent");

    // The same endpoint written differently is the same endpoint.
    let shouted = home.graphql_url().replace("http://", "HTTP://");
    let (same, _) = relaunch_with_endpoint(&h, &id, &shouted);
    assert!(same.get_state().await.unwrap().profiles[0].signed_in);
    same.list_projects().await.unwrap();

    // Signing in again binds the token to the new endpoint.
    next.sign_in(sign_in_input(&id, TOKEN, true)).await.unwrap();
    next.list_projects().await.unwrap();
    assert_eq!(
        kept_secret(h.secrets.as_ref(), &profile_account(&id)),
        Some(serde_json::json!({"endpoint": elsewhere.graphql_url(), "token": TOKEN}))
    );
}

#[tokio::test]
async fn endpoints_are_checked() {
    let h = harness();
    let e = h
        .app
        .save_profile(ProfileInput {
            id: None,
            name: "Work".into(),
            color: String::new(),
            endpoint: "http://example.com".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("endpoint"));
    assert!(e.message().contains("https://"), "{e}");
    assert!(h.settings.saved().is_none());
    add_profile(&h.app, "Local", "http://127.0.0.1:9/v1/graphql").await;
    add_profile(&h.app, "Cloud", "").await;
    let snap = h.app.get_state().await.unwrap();
    assert_eq!(
        snap.profiles[1].endpoint,
        "https://data.pro.hasura.io/v1/graphql"
    );
}

// ---- sandbox -------------------------------------------------------------------------------------

#[tokio::test]
async fn the_sandbox_serves_the_demo_account() {
    let h = harness();
    let work = add_profile(&h.app, "Work", "").await;
    let snap = h.app.open_sandbox().await.unwrap();
    assert_eq!(snap.active_profile_id.as_deref(), Some(SANDBOX_PROFILE_ID));
    let sandbox = snap
        .profiles
        .iter()
        .find(|p| p.kind == ProfileKind::Sandbox)
        .unwrap();
    assert_eq!(sandbox.name, "Sandbox");
    assert!(sandbox.signed_in);
    assert_eq!(sandbox.token_storage, Some(TokenStorage::Session));
    assert!(sandbox.endpoint.starts_with("http://127.0.0.1:"));
    assert!(h.secrets.is_empty(), "the sandbox token is session-only");

    let names: Vec<String> = h
        .app
        .list_projects()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    for demo in [
        "shop-production",
        "shop-staging",
        "analytics-eu",
        "mobile-backend",
    ] {
        assert!(names.iter().any(|n| n == demo), "{demo} in {names:?}");
    }
    let regions = h.app.list_regions().await.unwrap();
    assert!(regions.from_api);

    // Opening it again reuses the running simulator and the same profile.
    h.app.switch_profile(&work).await.unwrap();
    let again = h.app.open_sandbox().await.unwrap();
    assert_eq!(again.profiles.len(), 2);
    assert_eq!(again.active_profile_id.as_deref(), Some(SANDBOX_PROFILE_ID));
    let endpoint = |s: &app_core::AppSnapshot| {
        s.profiles
            .iter()
            .find(|p| p.kind == ProfileKind::Sandbox)
            .unwrap()
            .endpoint
            .clone()
    };
    assert_eq!(endpoint(&again), endpoint(&snap));

    // Deleting the sandbox profile stops the simulator.
    let snap = h.app.delete_profile(SANDBOX_PROFILE_ID).await.unwrap();
    assert_eq!(snap.profiles.len(), 1);
    assert_eq!(snap.active_profile_id.as_deref(), Some(work.as_str()));
    let saved = h.settings.saved().unwrap();
    assert!(saved.profiles.iter().all(|p| p.kind == ProfileKind::Cloud));
}

// ---- projects ------------------------------------------------------------------------------------

#[tokio::test]
async fn create_look_up_rename_and_delete_a_project() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let app = &h.app;

    let row = app
        .create_project(CreateProjectInput {
            cloud: "gcp".into(),
            region: "europe-west1".into(),
            plan: "cloud_payg".into(),
            name: Some(" reports-eu ".into()),
            envs: vec![EnvPair {
                key: "FEATURE_X".into(),
                value: "on".into(),
            }],
        })
        .await
        .unwrap();
    assert_eq!(row.name, "reports-eu");
    assert_eq!(row.cloud.as_deref(), Some("gcp"));
    assert_eq!(row.region.as_deref(), Some("europe-west1"));
    assert_eq!(row.plan.as_deref(), Some("cloud_payg"));
    assert_eq!(row.slug.as_deref(), Some("reports-eu"));
    assert!(!row.created_at.is_empty());
    let tenant_id = row.tenant_id.clone().unwrap();

    let listed = app.list_projects().await.unwrap();
    assert_eq!(listed.iter().filter(|p| p.name == "reports-eu").count(), 1);
    assert_eq!(listed.iter().find(|p| p.id == row.id).unwrap(), &row);

    let details = app.project_details(&row.id).await.unwrap();
    assert_eq!(details.project, row);
    assert_eq!(
        details.console_url,
        format!("https://cloud.hasura.io/project/{}/console", row.id)
    );
    assert_eq!(
        details.dashboard_url,
        format!("https://cloud.hasura.io/project/{}/details", row.id)
    );
    assert_eq!(details.graphql_url, format!("{}/v1/graphql", row.endpoint));

    assert_eq!(app.find_tenant_id(&row.id).await.unwrap(), tenant_id);
    let info = app.tenant_details(&tenant_id).await.unwrap();
    assert_eq!(info.tenant_id, tenant_id);
    assert_eq!(info.project_id, row.id);
    assert_eq!(info.project_name, "reports-eu");
    assert_eq!(
        (info.cloud.as_str(), info.region.as_str()),
        ("gcp", "europe-west1")
    );
    assert_eq!(info.endpoint, row.endpoint);

    assert_eq!(
        app.external_url(&row.id, ExternalTarget::Endpoint)
            .await
            .unwrap(),
        row.endpoint
    );

    let renamed = app
        .rename_project(&tenant_id, "reports-europe")
        .await
        .unwrap();
    assert_eq!(renamed.project_name, "reports-europe");
    assert_eq!(renamed.slug, "reports-europe");
    assert_eq!(renamed.tenant_id, tenant_id);

    let e = app
        .delete_project(DeleteProjectInput {
            tenant_id: tenant_id.clone(),
            confirm_name: "reports-eu".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("confirmName"), "{e:?}");
    assert!(e.message().contains("reports-europe"), "{e}");
    assert!(
        app.list_projects()
            .await
            .unwrap()
            .iter()
            .any(|p| p.id == row.id)
    );

    app.delete_project(DeleteProjectInput {
        tenant_id: tenant_id.clone(),
        confirm_name: "reports-europe".into(),
    })
    .await
    .unwrap();
    assert!(
        !app.list_projects()
            .await
            .unwrap()
            .iter()
            .any(|p| p.id == row.id)
    );
    let e = app.tenant_details(&tenant_id).await.unwrap_err();
    assert_eq!(e.kind(), "notFound", "{e:?}");
    let e = app.project_details(&row.id).await.unwrap_err();
    assert_eq!(e.kind(), "notFound", "{e:?}");
    let e = app.find_tenant_id(&row.id).await.unwrap_err();
    assert_eq!(e.kind(), "notFound", "{e:?}");
}

#[tokio::test]
async fn create_without_a_name_lets_the_server_choose() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let row = h
        .app
        .create_project(CreateProjectInput {
            cloud: "aws".into(),
            region: "us-east-2".into(),
            plan: "cloud_free".into(),
            name: Some("   ".into()),
            envs: vec![],
        })
        .await
        .unwrap();
    assert!(row.name.len() >= 3, "{row:?}");
    assert!(row.tenant_id.is_some());
}

#[tokio::test]
async fn server_refusals_name_the_field() {
    let sim = sim().await;
    sim.control()
        .seed_project("taken", "aws", "us-east-2", "cloud_free", &[]);
    let (h, _) = signed_in(&sim).await;
    let create = |name: &str, region: &str| CreateProjectInput {
        cloud: "aws".into(),
        region: region.into(),
        plan: "cloud_free".into(),
        name: Some(name.into()),
        envs: vec![],
    };
    let e = h
        .app
        .create_project(create("taken", "us-east-2"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("name"), "{e:?}");
    assert!(e.message().contains("already exists"), "{e}");
    let e = h
        .app
        .create_project(create("fresh-one", "mars-north-1"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("region"), "{e:?}");

    let other = h
        .app
        .create_project(create("other-one", "us-east-2"))
        .await
        .unwrap();
    let e = h
        .app
        .rename_project(other.tenant_id.as_deref().unwrap(), "taken")
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("name"), "{e:?}");
}

#[tokio::test]
async fn regions_from_the_api() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let regions = h.app.list_regions().await.unwrap();
    assert!(regions.from_api);
    assert_eq!(regions.regions.len(), 20);
    assert!(
        regions
            .regions
            .iter()
            .any(|r| r.cloud == "gcp" && r.name == "europe-west1")
    );
}

#[tokio::test]
async fn regions_fall_back_when_the_token_may_not_read_them() {
    let sim = sim_with(SimConfig {
        regions_readable: false,
        ..SimConfig::default()
    })
    .await;
    let (h, _) = signed_in(&sim).await;
    let regions = h.app.list_regions().await.unwrap();
    assert!(!regions.from_api);
    assert_eq!(regions.regions.len(), 20);
    assert_eq!(regions.regions[0].cloud, "aws");
    assert_eq!(regions.regions[0].name, "us-east-1");
    // The token itself is fine.
    h.app.list_projects().await.unwrap();
}

#[tokio::test]
async fn project_details_is_one_request_and_two_without_regions() {
    for regions_readable in [true, false] {
        let sim = sim_with(SimConfig {
            regions_readable,
            ..SimConfig::default()
        })
        .await;
        let (h, _) = signed_in(&sim).await;
        let seeded =
            sim.control()
                .seed_project("behind-firewall", "aws", "us-east-2", "cloud_free", &[]);
        let before = sim.control().request_count();
        let details = h.app.project_details(&seeded.project_id).await.unwrap();
        let requests = sim.control().request_count() - before;
        assert_eq!(details.project.name, "behind-firewall");
        assert_eq!(
            details.project.tenant_id.as_deref(),
            Some(seeded.tenant_id.as_str())
        );
        if regions_readable {
            assert_eq!(requests, 1, "details and NAT IP in one request");
            assert!(details.nat_ip.unwrap().starts_with("203.0.113."));
        } else {
            // `region_info` is not in this token's schema: the same again without it.
            assert_eq!(requests, 2);
            assert_eq!(details.nat_ip, None);
        }
    }
}

#[tokio::test]
async fn regions_fall_back_when_the_api_fails() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    sim.control()
        .add_fault(FaultRule::new(FaultKind::HttpError { status: 502 }).on("region"));
    let regions = h.app.list_regions().await.unwrap();
    assert!(!regions.from_api);
}

// ---- failures of the service, as the UI sees them --------------------------------------------

#[tokio::test]
async fn service_failures_map_to_their_kinds() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let control = sim.control();

    control.add_fault(FaultRule::new(FaultKind::RateLimited {
        retry_after_secs: 60,
    }));
    let e = h.app.list_projects().await.unwrap_err();
    assert_eq!(
        e,
        AppError::RateLimited {
            message: "Hasura Cloud is limiting how often this account may send requests. Try \
                      again in 60 seconds."
                .into(),
            retry_after_secs: Some(60),
        }
    );
    control.clear_faults();

    control.add_fault(FaultRule::new(FaultKind::ServerError));
    let e = h.app.list_projects().await.unwrap_err();
    match &e {
        AppError::Server {
            code, request_id, ..
        } => {
            assert_eq!(code.as_deref(), Some("GenericServerError"));
            assert!(request_id.is_some(), "{e:?}");
        }
        other => panic!("expected server, got {other:?}"),
    }
    control.clear_faults();

    control.add_fault(FaultRule::new(FaultKind::MalformedJson));
    assert_eq!(h.app.list_projects().await.unwrap_err().kind(), "server");
    control.clear_faults();

    control.add_fault(FaultRule::new(FaultKind::DropConnection));
    assert_eq!(h.app.list_projects().await.unwrap_err().kind(), "network");
    control.clear_faults();

    h.app.list_projects().await.unwrap();
}

// ---- launch ---------------------------------------------------------------------------------

#[tokio::test]
async fn the_launch_time_list_is_the_first_one_shown_and_only_that() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    sim.control().seed_projects("launch", 3);
    // The next launch, on the same stores.
    let next =
        App::with_client_config(h.settings.clone(), h.secrets.clone(), fast_clients()).unwrap();
    next.prefetch_projects().await;
    let before = sim.control().request_count();
    let first = next.list_projects().await.unwrap();
    assert_eq!(
        sim.control().request_count(),
        before,
        "the first list is the one fetched at launch"
    );
    assert!(first.iter().any(|p| p.name.starts_with("launch")));
    // Every later list asks again, so it sees changes.
    sim.control().seed_projects("later", 1);
    let second = next.list_projects().await.unwrap();
    assert_eq!(sim.control().request_count(), before + 1);
    assert_eq!(second.len(), first.len() + 1);
}

#[tokio::test]
async fn a_launch_time_list_after_the_first_list_is_not_fetched() {
    let sim = sim().await;
    let (h, _) = signed_in(&sim).await;
    let next =
        App::with_client_config(h.settings.clone(), h.secrets.clone(), fast_clients()).unwrap();
    next.list_projects().await.unwrap();
    let before = sim.control().request_count();
    next.prefetch_projects().await;
    assert_eq!(sim.control().request_count(), before, "nothing was sent");
    sim.control().seed_projects("fresh", 1);
    let rows = next.list_projects().await.unwrap();
    assert!(rows.iter().any(|p| p.name.starts_with("fresh")));
}

#[tokio::test]
async fn a_launch_without_a_signed_in_profile_fetches_nothing() {
    let sim = sim().await;
    let h = harness();
    add_profile(&h.app, "Work", &sim.graphql_url()).await;
    let before = sim.control().request_count();
    h.app.prefetch_projects().await;
    assert_eq!(sim.control().request_count(), before);
    assert_eq!(
        h.app.list_projects().await.unwrap_err().kind(),
        "notSignedIn"
    );
}
