//! `KeyringStore` against the real OS keychain. Ignored by default: on Linux it needs a D-Bus
//! session with an unlocked Secret Service (gnome-keyring). CI runs it with
//! `cargo test -p app-core -- --ignored keyring` inside `dbus-run-session`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use app_core::{KeyringStore, SecretStore};

#[test]
#[ignore = "needs a real keychain (Secret Service in a D-Bus session)"]
fn keyring_round_trip_in_the_real_keychain() {
    // A service of its own, so a developer's real entries are never touched.
    let store = KeyringStore::new(format!("hasura-cloud-desktop-test-{}", std::process::id()));
    let account = "profile:keyring-round-trip";
    let first = "fake-pat-keyring-first-0123456789";
    let second = "fake-pat-keyring-second-9876543210";

    store.delete(account).unwrap();
    assert_eq!(store.get(account).unwrap(), None);
    store.set(account, first).unwrap();
    assert_eq!(store.get(account).unwrap().as_deref(), Some(first));
    store.set(account, second).unwrap();
    assert_eq!(store.get(account).unwrap().as_deref(), Some(second));
    store.delete(account).unwrap();
    assert_eq!(store.get(account).unwrap(), None);
    // Deleting what is not there is not an error.
    store.delete(account).unwrap();
}

/// The app keeps a token in the real keychain bound to the endpoint it was checked against: the
/// next launch is signed in there, and signed out (nothing sent) when the settings point
/// elsewhere.
#[tokio::test]
#[ignore = "needs a real keychain (Secret Service in a D-Bus session)"]
async fn keyring_keeps_the_token_bound_to_its_endpoint() {
    use std::sync::Arc;

    use app_core::{App, MemorySettings, ProfileInput, SignInInput};

    const TOKEN: &str = "fake-pat-keyring-bound-0123456789";
    let sim = cloud_sim::Simulator::start(cloud_sim::SimConfig {
        tokens: vec![TOKEN.to_owned()],
        ..cloud_sim::SimConfig::default()
    })
    .await
    .unwrap();
    let store = Arc::new(KeyringStore::new(format!(
        "hasura-cloud-desktop-test-bound-{}",
        std::process::id()
    )));
    let settings = Arc::new(MemorySettings::new());
    let app = App::new(settings.clone(), store.clone()).unwrap();
    let snap = app
        .save_profile(ProfileInput {
            id: None,
            name: "Work".into(),
            color: String::new(),
            endpoint: sim.graphql_url(),
        })
        .await
        .unwrap();
    let id = snap.profiles[0].id.clone();
    app.sign_in(SignInInput {
        profile_id: id.clone(),
        token: TOKEN.into(),
        remember: true,
    })
    .await
    .unwrap();

    let kept = store.get(&app_core::profile_account(&id)).unwrap().unwrap();
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
    assert_eq!(
        kept,
        serde_json::json!({"endpoint": sim.graphql_url(), "token": TOKEN})
    );
    let next = App::new(settings.clone(), store.clone()).unwrap();
    assert!(next.get_state().await.unwrap().profiles[0].signed_in);
    next.list_projects().await.unwrap();

    let mut edited = settings.saved().unwrap();
    edited.profiles[0].endpoint = "https://elsewhere.example.com/v1/graphql".into();
    let moved = App::new(Arc::new(MemorySettings::with(edited)), store.clone()).unwrap();
    assert!(!moved.get_state().await.unwrap().profiles[0].signed_in);
    let e = moved.list_projects().await.unwrap_err();
    assert_eq!(e.kind(), "notSignedIn", "{e:?}");

    app.sign_out(&id).await.unwrap();
    assert_eq!(store.get(&app_core::profile_account(&id)).unwrap(), None);
}
