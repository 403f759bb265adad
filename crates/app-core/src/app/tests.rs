//! `App` with in-memory stores and no network: profiles, settings, token bookkeeping, and the
//! checks that come before any request. The API paths are in `tests/` against the simulator.

use std::sync::atomic::{AtomicBool, Ordering};

use super::*;
use crate::secrets::MemoryStore;
use crate::settings::MemorySettings;
use crate::{
    AppSnapshot, CreateProjectInput, DeleteProjectInput, ExternalTarget, ProfileInput, ProfileKind,
    ProfileSettings, SANDBOX_PROFILE_ID, Settings, SignInInput, TokenStorage, profile_account,
};

const SECRET: &str = "fake-pat-UNIT-0123456789abcdef";

/// A secret store whose calls can be made to fail like an absent Secret Service.
#[derive(Default)]
struct FlakySecrets {
    inner: MemoryStore,
    fail: AtomicBool,
}

impl FlakySecrets {
    fn check(&self) -> Result<(), AppError> {
        if self.fail.load(Ordering::SeqCst) {
            Err(AppError::keychain("The keychain is unavailable (test)."))
        } else {
            Ok(())
        }
    }
}

impl SecretStore for FlakySecrets {
    fn get(&self, account: &str) -> Result<Option<String>, AppError> {
        self.check()?;
        self.inner.get(account)
    }
    fn set(&self, account: &str, secret: &str) -> Result<(), AppError> {
        self.check()?;
        self.inner.set(account, secret)
    }
    fn delete(&self, account: &str) -> Result<(), AppError> {
        self.check()?;
        self.inner.delete(account)
    }
}

/// A settings store whose saves can be made to fail.
#[derive(Default)]
struct FlakySettings {
    inner: MemorySettings,
    fail: AtomicBool,
}

impl SettingsStore for FlakySettings {
    fn load(&self) -> Result<Option<Settings>, AppError> {
        self.inner.load()
    }
    fn save(&self, settings: &Settings) -> Result<(), AppError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(AppError::internal(
                "The settings could not be saved (test).",
            ));
        }
        self.inner.save(settings)
    }
}

fn app() -> (App, Arc<MemorySettings>, Arc<MemoryStore>) {
    let settings = Arc::new(MemorySettings::new());
    let secrets = Arc::new(MemoryStore::new());
    let app = App::new(settings.clone(), secrets.clone()).unwrap();
    (app, settings, secrets)
}

fn input(name: &str, endpoint: &str) -> ProfileInput {
    ProfileInput {
        id: None,
        name: name.into(),
        color: String::new(),
        endpoint: endpoint.into(),
    }
}

fn field_of(error: &AppError) -> Option<&str> {
    match error {
        AppError::InvalidInput { field, .. } => field.as_deref(),
        _ => None,
    }
}

#[test]
fn app_is_send_and_sync_and_its_futures_are_send() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<App>();
    let (app, _, _) = app();
    let pid = "7a79cf94-0e53-4520-a560-1b02bf522f08";
    send(&app.get_state());
    send(&app.save_profile(input("a", "")));
    send(&app.delete_profile("x"));
    send(&app.switch_profile("x"));
    send(&app.sign_in(SignInInput {
        profile_id: "x".into(),
        token: "t".into(),
        remember: true,
    }));
    send(&app.sign_out("x"));
    send(&app.open_sandbox());
    send(&app.list_projects());
    send(&app.project_details(pid));
    send(&app.find_tenant_id(pid));
    send(&app.tenant_details(pid));
    send(&app.list_regions());
    send(&app.create_project(CreateProjectInput {
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: "cloud_free".into(),
        name: None,
        envs: vec![],
    }));
    send(&app.rename_project(pid, "n"));
    send(&app.delete_project(DeleteProjectInput {
        tenant_id: pid.into(),
        confirm_name: "n".into(),
    }));
    send(&app.external_url(pid, ExternalTarget::Console));
}

#[tokio::test]
async fn first_profile_gets_defaults_and_becomes_active() {
    let (app, settings, _) = app();
    assert_eq!(
        app.get_state().await.unwrap(),
        AppSnapshot {
            profiles: vec![],
            active_profile_id: None
        }
    );
    let snap = app.save_profile(input("  Work ", "")).await.unwrap();
    assert_eq!(snap.profiles.len(), 1);
    let work = &snap.profiles[0];
    assert_eq!(work.name, "Work");
    assert_eq!(work.endpoint, crate::DEFAULT_ENDPOINT);
    assert_eq!(work.color, crate::DEFAULT_COLOR);
    assert_eq!(work.kind, ProfileKind::Cloud);
    assert!(!work.signed_in);
    assert_eq!(work.token_storage, None);
    assert_eq!(snap.active_profile_id.as_deref(), Some(work.id.as_str()));
    assert!(uuid::Uuid::parse_str(&work.id).is_ok());

    // A second profile does not take over.
    let snap = app
        .save_profile(input("Personal", "http://localhost:4000/v1/graphql"))
        .await
        .unwrap();
    assert_eq!(snap.profiles.len(), 2);
    assert_eq!(snap.active_profile_id.as_deref(), Some(work.id.as_str()));

    let saved = settings.saved().unwrap();
    assert_eq!(saved.profiles.len(), 2);
    assert_eq!(saved.active_profile_id.as_deref(), Some(work.id.as_str()));
}

#[tokio::test]
async fn update_switch_and_delete_profiles() {
    let (app, settings, secrets) = app();
    let a = app.save_profile(input("A", "")).await.unwrap().profiles[0]
        .id
        .clone();
    let b = app.save_profile(input("B", "")).await.unwrap().profiles[1]
        .id
        .clone();

    let snap = app
        .save_profile(ProfileInput {
            id: Some(b.clone()),
            name: "B2".into(),
            color: "#10b981".into(),
            endpoint: "http://127.0.0.1:9/v1/graphql".into(),
        })
        .await
        .unwrap();
    let b_now = snap.profiles.iter().find(|p| p.id == b).unwrap();
    assert_eq!(
        (
            b_now.name.as_str(),
            b_now.color.as_str(),
            b_now.endpoint.as_str()
        ),
        ("B2", "#10b981", "http://127.0.0.1:9/v1/graphql")
    );

    let snap = app.switch_profile(&b).await.unwrap();
    assert_eq!(snap.active_profile_id.as_deref(), Some(b.as_str()));
    assert_eq!(
        settings.saved().unwrap().active_profile_id.as_deref(),
        Some(b.as_str())
    );

    // Deleting the active profile removes its keychain entry and activates another.
    secrets.set(&profile_account(&b), SECRET).unwrap();
    let snap = app.delete_profile(&b).await.unwrap();
    assert_eq!(snap.profiles.len(), 1);
    assert_eq!(snap.active_profile_id.as_deref(), Some(a.as_str()));
    assert!(secrets.is_empty());

    let snap = app.delete_profile(&a).await.unwrap();
    assert!(snap.profiles.is_empty());
    assert_eq!(snap.active_profile_id, None);
    assert_eq!(settings.saved().unwrap(), Settings::default());

    for error in [
        app.switch_profile("nope").await.unwrap_err(),
        app.delete_profile("nope").await.unwrap_err(),
        app.sign_out("nope").await.unwrap_err(),
        app.save_profile(ProfileInput {
            id: Some("nope".into()),
            ..input("X", "")
        })
        .await
        .unwrap_err(),
    ] {
        assert_eq!(error.kind(), "notFound", "{error:?}");
    }
}

#[tokio::test]
async fn invalid_profiles_are_refused_and_nothing_is_saved() {
    let (app, settings, _) = app();
    let e = app
        .save_profile(input("Work", "http://example.com"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("endpoint"));
    assert!(e.message().contains("https://"), "{e}");
    let e = app.save_profile(input("", "")).await.unwrap_err();
    assert_eq!(field_of(&e), Some("profileName"));
    let e = app
        .save_profile(input(&"x".repeat(41), ""))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("profileName"));
    let e = app
        .save_profile(ProfileInput {
            color: "red;x".into(),
            ..input("Work", "")
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("color"));
    assert_eq!(settings.saved(), None);

    // Updating with a bad endpoint leaves the profile as it was.
    let id = app.save_profile(input("Work", "")).await.unwrap().profiles[0]
        .id
        .clone();
    let e = app
        .save_profile(ProfileInput {
            id: Some(id.clone()),
            ..input("Renamed", "http://10.0.0.1/v1/graphql")
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("endpoint"));
    assert_eq!(app.get_state().await.unwrap().profiles[0].name, "Work");
}

#[tokio::test]
async fn endpoints_are_saved_and_shown_normalized_and_custom_ones_say_so() {
    let (app, settings, _) = app();
    let snap = app
        .save_profile(input(
            "Work",
            "  HTTPS://Staging.Example.COM:443/v1/graphql#x ",
        ))
        .await
        .unwrap();
    let work = &snap.profiles[0];
    assert_eq!(work.endpoint, "https://staging.example.com/v1/graphql");
    assert_eq!(
        settings.saved().unwrap().profiles[0].endpoint,
        "https://staging.example.com/v1/graphql"
    );
    let note = work.endpoint_note.as_deref().unwrap_or_default();
    assert!(note.contains("staging.example.com"), "{note}");

    let snap = app
        .save_profile(ProfileInput {
            id: Some(work.id.clone()),
            ..input("Work", "https://DATA.pro.hasura.io/v1/graphql")
        })
        .await
        .unwrap();
    assert_eq!(snap.profiles[0].endpoint, crate::DEFAULT_ENDPOINT);
    assert_eq!(snap.profiles[0].endpoint_note, None);
}

#[tokio::test]
async fn a_failing_settings_store_changes_nothing() {
    let settings = Arc::new(FlakySettings::default());
    let app = App::new(settings.clone(), Arc::new(MemoryStore::new())).unwrap();
    app.save_profile(input("Work", "")).await.unwrap();
    settings.fail.store(true, Ordering::SeqCst);
    let e = app.save_profile(input("Other", "")).await.unwrap_err();
    assert_eq!(e.kind(), "internal");
    assert_eq!(app.get_state().await.unwrap().profiles.len(), 1);
}

#[tokio::test]
async fn keychain_tokens_show_as_signed_in_and_never_in_debug_or_settings() {
    let (app, settings, secrets) = app();
    let id = app.save_profile(input("Work", "")).await.unwrap().profiles[0]
        .id
        .clone();
    secrets.set(&profile_account(&id), SECRET).unwrap();
    // The keychain is read lazily, so a fresh App sees the stored token.
    let app2 = App::new(settings.clone(), secrets.clone()).unwrap();
    let snap = app2.get_state().await.unwrap();
    assert!(snap.profiles[0].signed_in);
    assert_eq!(snap.profiles[0].token_storage, Some(TokenStorage::Keychain));
    for shown in [
        format!("{app2:?}"),
        format!("{app2:#?}"),
        serde_json::to_string(&snap).unwrap(),
        serde_json::to_string(&settings.saved()).unwrap(),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
    // The first App had already looked; it learns of the new token only by signing in.
    drop(app);

    let snap = app2.sign_out(&id).await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    assert!(secrets.is_empty());
}

#[tokio::test]
async fn an_unavailable_keychain_leaves_profiles_signed_out() {
    let secrets = Arc::new(FlakySecrets::default());
    let app = App::new(Arc::new(MemorySettings::new()), secrets.clone()).unwrap();
    let id = app.save_profile(input("Work", "")).await.unwrap().profiles[0]
        .id
        .clone();
    secrets.fail.store(true, Ordering::SeqCst);
    let snap = app.get_state().await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    // Nothing known to be in the keychain: sign-out and delete still work.
    app.sign_out(&id).await.unwrap();
    let e = app.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "keychainUnavailable");
    app.delete_profile(&id).await.unwrap();
}

#[tokio::test]
async fn a_plain_token_from_an_older_version_is_used_only_with_hasura_cloud() {
    let (app, settings, secrets) = app();
    let cloud = app.save_profile(input("Cloud", "")).await.unwrap().profiles[0]
        .id
        .clone();
    let custom = app
        .save_profile(input("Custom", "https://staging.example.com/v1/graphql"))
        .await
        .unwrap()
        .profiles[1]
        .id
        .clone();
    // What an older version kept: the token alone, bound to no endpoint.
    secrets.set(&profile_account(&cloud), SECRET).unwrap();
    secrets.set(&profile_account(&custom), SECRET).unwrap();
    let app = App::new(settings, secrets.clone()).unwrap();
    let snap = app.get_state().await.unwrap();
    let signed_in = |id: &str| snap.profiles.iter().find(|p| p.id == id).unwrap().signed_in;
    assert!(
        signed_in(&cloud),
        "Hasura Cloud's own endpoint keeps working"
    );
    assert!(!signed_in(&custom), "another endpoint needs a sign-in");
    app.switch_profile(&custom).await.unwrap();
    let e = app.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");
    assert!(
        e.message().contains("Sign in again for this endpoint"),
        "{e}"
    );
    assert!(!e.message().contains(SECRET));
}

#[tokio::test]
async fn a_token_known_to_be_in_the_keychain_is_not_dropped_silently() {
    let secrets = Arc::new(FlakySecrets::default());
    let app = App::new(Arc::new(MemorySettings::new()), secrets.clone()).unwrap();
    let id = app.save_profile(input("Work", "")).await.unwrap().profiles[0]
        .id
        .clone();
    secrets.inner.set(&profile_account(&id), SECRET).unwrap();
    // The keychain is read once per profile: a new App sees the token set behind its back.
    let app = App::new(
        Arc::new(MemorySettings::with(app.session.settings())),
        secrets.clone(),
    )
    .unwrap();
    assert!(app.get_state().await.unwrap().profiles[0].signed_in);
    secrets.fail.store(true, Ordering::SeqCst);
    let e = app.sign_out(&id).await.unwrap_err();
    assert_eq!(e.kind(), "keychainUnavailable");
    let e = app.delete_profile(&id).await.unwrap_err();
    assert_eq!(e.kind(), "keychainUnavailable");
    secrets.fail.store(false, Ordering::SeqCst);
    // Still there, still signed in: the person can retry.
    assert!(app.get_state().await.unwrap().profiles[0].signed_in);
    app.delete_profile(&id).await.unwrap();
    assert!(secrets.inner.is_empty());
}

#[tokio::test]
async fn changing_the_endpoint_signs_the_profile_out() {
    let (app, settings, secrets) = app();
    let id = app.save_profile(input("Work", "")).await.unwrap().profiles[0]
        .id
        .clone();
    secrets.set(&profile_account(&id), SECRET).unwrap();
    let app = App::new(settings, secrets.clone()).unwrap();
    assert!(app.get_state().await.unwrap().profiles[0].signed_in);

    // Same endpoint: still signed in.
    let snap = app
        .save_profile(ProfileInput {
            id: Some(id.clone()),
            ..input("Work 2", crate::DEFAULT_ENDPOINT)
        })
        .await
        .unwrap();
    assert!(snap.profiles[0].signed_in);

    let snap = app
        .save_profile(ProfileInput {
            id: Some(id.clone()),
            ..input("Work 2", "https://staging.example.com/v1/graphql")
        })
        .await
        .unwrap();
    assert!(!snap.profiles[0].signed_in);
    assert!(secrets.is_empty());
}

#[tokio::test]
async fn commands_need_an_active_signed_in_profile() {
    let (app, _, _) = app();
    let pid = "7a79cf94-0e53-4520-a560-1b02bf522f08";
    let e = app.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn");
    app.save_profile(input("Work", "")).await.unwrap();
    for e in [
        app.list_projects().await.unwrap_err(),
        app.list_regions().await.unwrap_err(),
        app.project_details(pid).await.unwrap_err(),
        app.find_tenant_id(pid).await.unwrap_err(),
        app.tenant_details(pid).await.unwrap_err(),
        app.external_url(pid, ExternalTarget::Endpoint)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), "notSignedIn", "{e:?}");
        assert!(e.message().contains("Work"), "{e}");
    }
}

#[tokio::test]
async fn inputs_are_checked_before_any_request() {
    let (app, _, secrets) = app();
    // The endpoint is unreachable: reaching the network would fail differently.
    let id = app
        .save_profile(input("Work", "http://127.0.0.1:9/v1/graphql"))
        .await
        .unwrap()
        .profiles[0]
        .id
        .clone();
    for token in ["", "   ", "has space", "nön-ascii"] {
        let e = app
            .sign_in(SignInInput {
                profile_id: id.clone(),
                token: token.into(),
                remember: true,
            })
            .await
            .unwrap_err();
        assert_eq!(field_of(&e), Some("token"), "{token:?}");
    }
    assert!(secrets.is_empty());

    let e = app.project_details("not-an-id").await.unwrap_err();
    assert_eq!(field_of(&e), Some("projectId"));
    let e = app.tenant_details("").await.unwrap_err();
    assert_eq!(field_of(&e), Some("tenantId"));
    let create = |cloud: &str, region: &str, plan: &str, name: Option<&str>, envs: &[&str]| {
        CreateProjectInput {
            cloud: cloud.into(),
            region: region.into(),
            plan: plan.into(),
            name: name.map(Into::into),
            envs: envs
                .iter()
                .map(|k| crate::EnvPair {
                    key: (*k).into(),
                    value: "v".into(),
                })
                .collect(),
        }
    };
    for (input, field) in [
        (create("do", "nyc1", "cloud_free", None, &[]), "cloud"),
        (create("aws", "", "cloud_free", None, &[]), "region"),
        (create("aws", "us-east-2", "gold", None, &[]), "plan"),
        (
            create("aws", "us-east-2", "cloud_free", Some("No"), &[]),
            "name",
        ),
        (
            create("aws", "us-east-2", "cloud_free", None, &["1X"]),
            "envs",
        ),
        (
            create("aws", "us-east-2", "cloud_free", None, &["A", "A"]),
            "envs",
        ),
    ] {
        let e = app.create_project(input).await.unwrap_err();
        assert_eq!(field_of(&e), Some(field), "{e:?}");
    }
    let tid = "7a79cf94-0e53-4520-a560-1b02bf522f08";
    let e = app.rename_project(tid, "Bad Name").await.unwrap_err();
    assert_eq!(field_of(&e), Some("name"));
    let e = app.rename_project("x", "good-name").await.unwrap_err();
    assert_eq!(field_of(&e), Some("tenantId"));
}

#[tokio::test]
async fn console_and_dashboard_links_need_no_request() {
    let (app, _, _) = app();
    let pid = "7a79cf94-0e53-4520-a560-1b02bf522f08";
    assert_eq!(
        app.external_url(pid, ExternalTarget::Console)
            .await
            .unwrap(),
        format!("https://cloud.hasura.io/project/{pid}/console")
    );
    assert_eq!(
        app.external_url(
            &format!(" {} ", pid.to_uppercase()),
            ExternalTarget::Dashboard
        )
        .await
        .unwrap(),
        format!("https://cloud.hasura.io/project/{pid}/details")
    );
    let e = app
        .external_url("javascript:alert(1)", ExternalTarget::Console)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "invalidInput");
}

#[tokio::test]
async fn settings_are_loaded_and_repaired() {
    let settings = Arc::new(MemorySettings::with(Settings {
        profiles: vec![ProfileSettings {
            id: "a".into(),
            name: "Work".into(),
            color: "#fff".into(),
            endpoint: crate::DEFAULT_ENDPOINT.into(),
            kind: ProfileKind::Cloud,
            production_projects: vec![],
        }],
        active_profile_id: Some("gone".into()),
        ..Default::default()
    }));
    let app = App::new(settings, Arc::new(MemoryStore::new())).unwrap();
    let snap = app.get_state().await.unwrap();
    assert_eq!(snap.profiles.len(), 1);
    assert_eq!(snap.active_profile_id, None);
}

#[tokio::test]
async fn sandbox_profile_cannot_be_signed_into_by_hand_and_keeps_its_endpoint() {
    let settings = Arc::new(MemorySettings::with(Settings {
        profiles: vec![ProfileSettings {
            id: SANDBOX_PROFILE_ID.into(),
            name: "Sandbox".into(),
            color: "#fff".into(),
            endpoint: "http://127.0.0.1:1/v1/graphql".into(),
            kind: ProfileKind::Sandbox,
            production_projects: vec![],
        }],
        active_profile_id: Some(SANDBOX_PROFILE_ID.into()),
        ..Default::default()
    }));
    let secrets = Arc::new(MemoryStore::new());
    let app = App::new(settings, secrets.clone()).unwrap();
    // Left over from an earlier run: not running, so not signed in.
    let snap = app.get_state().await.unwrap();
    assert!(!snap.profiles[0].signed_in);
    let e = app.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn");
    assert!(e.message().contains("sandbox"), "{e}");

    let e = app
        .sign_in(SignInInput {
            profile_id: SANDBOX_PROFILE_ID.into(),
            token: SECRET.into(),
            remember: true,
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), Some("token"));
    assert!(secrets.is_empty());

    let snap = app
        .save_profile(ProfileInput {
            id: Some(SANDBOX_PROFILE_ID.into()),
            ..input("Play", "https://elsewhere.example.com")
        })
        .await
        .unwrap();
    assert_eq!(snap.profiles[0].name, "Play");
    assert_eq!(snap.profiles[0].endpoint, "http://127.0.0.1:1/v1/graphql");
    assert_eq!(snap.profiles[0].kind, ProfileKind::Sandbox);
}

#[tokio::test]
async fn preferences_are_saved_and_survive_a_restart() {
    let settings = Arc::new(MemorySettings::new());
    let app = App::new(settings.clone(), Arc::new(MemoryStore::new())).unwrap();
    assert!(app.preferences().await.unwrap().check_updates_at_start);
    let off = crate::Preferences {
        check_updates_at_start: false,
    };
    assert_eq!(app.set_preferences(off.clone()).await.unwrap(), off);
    assert_eq!(settings.saved().unwrap().preferences, off);
    let again = App::new(settings, Arc::new(MemoryStore::new())).unwrap();
    assert_eq!(again.preferences().await.unwrap(), off);
}

#[tokio::test]
async fn production_marks_are_per_profile_saved_and_checked() {
    let (app, settings, _) = app();
    let e = app
        .set_production("10000000-0000-4000-8000-000000000001", true)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");

    app.save_profile(input("Work", crate::DEFAULT_ENDPOINT))
        .await
        .unwrap();
    let project = "10000000-0000-4000-8000-000000000001";
    let snap = app.set_production(project, true).await.unwrap();
    assert_eq!(snap.profiles[0].production_projects, [project]);
    // Marking twice keeps one mark.
    let snap = app.set_production(project, true).await.unwrap();
    assert_eq!(snap.profiles[0].production_projects, [project]);
    assert_eq!(
        settings.saved().unwrap().profiles[0].production_projects,
        [project]
    );

    let e = app
        .set_production("not a project id", true)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "invalidInput", "{e:?}");

    let snap = app.set_production(project, false).await.unwrap();
    assert!(snap.profiles[0].production_projects.is_empty());
    assert!(
        settings.saved().unwrap().profiles[0]
            .production_projects
            .is_empty()
    );
}
