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
