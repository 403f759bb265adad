//! Helpers shared by the integration tests: a simulator with a known token, and an `App` with
//! in-memory stores and a profile pointing at that simulator.

#![allow(dead_code)] // each test file uses a different part

pub mod env_editor;
pub mod preview_apps;

use std::sync::Arc;
use std::time::Duration;

use app_core::{
    App, AppError, MemorySettings, MemoryStore, ProfileInput, SecretStore, SignInInput,
};
use cloud_sim::{SimConfig, Simulator};
use hasura_cloud::{ClientConfig, RetryPolicy};

pub const TOKEN: &str = "fake-test-token-0123456789abcdef";

pub async fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(SimConfig {
        tokens: vec![TOKEN.to_owned()],
        ..config
    })
    .await
    .unwrap()
}

pub async fn sim() -> Simulator {
    sim_with(SimConfig::default()).await
}

/// Short timeouts and millisecond backoff, so failing paths stay fast.
pub fn fast_clients() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
        },
        ..ClientConfig::default()
    }
}

pub struct Harness {
    pub app: App,
    pub settings: Arc<MemorySettings>,
    pub secrets: Arc<MemoryStore>,
}

pub fn harness() -> Harness {
    harness_with(Arc::new(MemoryStore::new()))
}

pub fn harness_with(secrets: Arc<MemoryStore>) -> Harness {
    harness_with_clients(secrets, fast_clients())
}

/// A harness whose API clients use `clients` (e.g. a short timeout).
pub fn harness_with_clients(secrets: Arc<MemoryStore>, clients: ClientConfig) -> Harness {
    let settings = Arc::new(MemorySettings::new());
    let app = App::with_client_config(settings.clone(), secrets.clone(), clients).unwrap();
    Harness {
        app,
        settings,
        secrets,
    }
}

/// Adds a cloud profile for `endpoint` and returns its id.
pub async fn add_profile(app: &App, name: &str, endpoint: &str) -> String {
    let snap = app
        .save_profile(ProfileInput {
            id: None,
            name: name.into(),
            color: String::new(),
            endpoint: endpoint.into(),
        })
        .await
        .unwrap();
    snap.profiles
        .iter()
        .rev()
        .find(|p| p.name == name)
        .unwrap()
        .id
        .clone()
}

pub fn sign_in_input(profile_id: &str, token: &str, remember: bool) -> SignInInput {
    SignInInput {
        profile_id: profile_id.into(),
        token: token.into(),
        remember,
    }
}

/// A harness with one profile on `sim`, active and signed in (keychain).
pub async fn signed_in(sim: &Simulator) -> (Harness, String) {
    let h = harness();
    let id = sign_in_work(&h.app, sim).await;
    (h, id)
}

/// Adds a profile "Work" on `sim` to `app`, makes it active and signs it in; returns its id.
pub async fn sign_in_work(app: &App, sim: &Simulator) -> String {
    let id = add_profile(app, "Work", &sim.graphql_url()).await;
    app.switch_profile(&id).await.unwrap();
    app.sign_in(sign_in_input(&id, TOKEN, true)).await.unwrap();
    id
}

/// A new folder under the system's temporary one, named `<prefix>-<uuid>` (not created).
pub fn temp_dir(prefix: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4()))
}

/// A secret store whose `set` always fails like a locked keychain.
#[derive(Default)]
pub struct LockedKeychain {
    pub inner: MemoryStore,
}

impl SecretStore for LockedKeychain {
    fn get(&self, account: &str) -> Result<Option<String>, AppError> {
        self.inner.get(account)
    }
    fn set(&self, _account: &str, _secret: &str) -> Result<(), AppError> {
        Err(AppError::KeychainUnavailable {
            message: "Could not save the token in the system keychain: it is locked. You can \
                      still sign in for this session only."
                .into(),
        })
    }
    fn delete(&self, account: &str) -> Result<(), AppError> {
        self.inner.delete(account)
    }
}

/// The next launch of `h`'s app after its settings file was edited by hand to point profile
/// `id` at `endpoint`; the keychain is the same. Returns the app and its settings.
pub fn relaunch_with_endpoint(h: &Harness, id: &str, endpoint: &str) -> (App, Arc<MemorySettings>) {
    let mut edited = h.settings.saved().unwrap();
    for profile in edited.profiles.iter_mut().filter(|p| p.id == id) {
        profile.endpoint = endpoint.to_owned();
    }
    let settings = Arc::new(MemorySettings::with(edited));
    let app = App::with_client_config(settings.clone(), h.secrets.clone(), fast_clients()).unwrap();
    (app, settings)
}

/// What the keychain holds under `account`: `{endpoint, token}` as JSON.
pub fn kept_secret(secrets: &dyn SecretStore, account: &str) -> Option<serde_json::Value> {
    let text = secrets.get(account).unwrap()?;
    Some(serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

/// A keychain whose next `delete`, once armed, says so and waits to be let go: a sign-out
/// paused in the middle.
#[derive(Default)]
pub struct PausingDeletes {
    pub inner: app_core::MemoryStore,
    gate: std::sync::Mutex<Option<Gate>>,
}

/// Says "entered", waits for "go on".
type Gate = (std::sync::mpsc::Sender<()>, std::sync::mpsc::Receiver<()>);

impl PausingDeletes {
    /// Arms the gate; returns (entered, release).
    pub fn arm(&self) -> (std::sync::mpsc::Receiver<()>, std::sync::mpsc::Sender<()>) {
        let (entered_tx, entered_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel();
        *self.gate.lock().unwrap() = Some((entered_tx, release_rx));
        (entered_rx, release_tx)
    }
}

impl SecretStore for PausingDeletes {
    fn get(&self, account: &str) -> Result<Option<String>, AppError> {
        self.inner.get(account)
    }
    fn set(&self, account: &str, secret: &str) -> Result<(), AppError> {
        self.inner.set(account, secret)
    }
    fn delete(&self, account: &str) -> Result<(), AppError> {
        let gate = self.gate.lock().unwrap().take();
        if let Some((entered, release)) = gate {
            entered.send(()).unwrap();
            release.recv().unwrap();
        }
        self.inner.delete(account)
    }
}

pub fn field_of(error: &AppError) -> Option<&str> {
    match error {
        AppError::InvalidInput { field, .. } => field.as_deref(),
        _ => None,
    }
}
