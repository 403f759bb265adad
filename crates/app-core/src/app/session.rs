//! [`Session`]: the settings, each profile's token (keychain or session), one API client per
//! profile, and the in-app sandbox. The other services ask it for the active profile's client;
//! only it reads or writes the keychain's profile tokens.
//!
//! A token is bound to the normalized endpoint it was checked against, in memory and in the
//! keychain, and is used with no other: a profile whose endpoint changed behind the app's back
//! (a settings file edited by hand, a race with an edit) is signed out, and nothing is sent.

use std::collections::HashMap;
use std::sync::Arc;

use hasura_cloud::{Client, ClientConfig, Token};
use parking_lot::Mutex;

use crate::error::AppError;
use crate::profiles::{
    AppSnapshot, DEFAULT_ENDPOINT, Profile, ProfileKind, TokenStorage, endpoint_key, endpoint_note,
    is_hasura_cloud,
};
use crate::sandbox::Sandbox;
use crate::secrets::{KeptToken, SecretStore, profile_account};
use crate::settings::{ProfileSettings, Settings, SettingsStore};

/// A token, where it is kept, and the normalized endpoint it was checked against.
#[derive(Clone)]
struct BoundToken {
    token: Token,
    storage: TokenStorage,
    endpoint: String,
}

/// What is known about a profile's token.
#[derive(Clone)]
enum Known {
    Token(BoundToken),
    /// The keychain was asked and has none.
    Absent,
}

/// A profile's token, as far as the profile's current endpoint is concerned.
enum TokenFor {
    Usable(BoundToken),
    Absent,
    /// Checked against another endpoint than the profile's now: never sent.
    OtherEndpoint,
}

impl Known {
    fn for_endpoint(&self, endpoint: &str) -> TokenFor {
        match self {
            Known::Token(bound) if bound.endpoint == endpoint_key(endpoint) => {
                TokenFor::Usable(bound.clone())
            }
            Known::Token(_) => TokenFor::OtherEndpoint,
            Known::Absent => TokenFor::Absent,
        }
    }
}

/// The endpoint a token read from the keychain may be used with: the one it was checked
/// against. An older version's entry says none; it is taken as Hasura Cloud's, the one endpoint
/// a Hasura Cloud token cannot leak to, so a profile pointing anywhere else signs in again.
pub(super) fn kept_endpoint(kept: Option<&str>, profile_endpoint: &str) -> String {
    match kept {
        Some(endpoint) => endpoint_key(endpoint),
        None if is_hasura_cloud(profile_endpoint) => endpoint_key(profile_endpoint),
        None => endpoint_key(DEFAULT_ENDPOINT),
    }
}

/// A client built for a profile, with the endpoint it was built for.
struct CachedClient {
    endpoint: String,
    client: Client,
}

struct State {
    settings: Settings,
    /// Per profile id; a profile missing here has not been looked up in the keychain yet.
    tokens: HashMap<String, Known>,
    /// One pooled client per profile; dropped when the profile's token or endpoint changes.
    clients: HashMap<String, CachedClient>,
    /// Bumped whenever a token is stored or forgotten, so that a keychain read that raced with
    /// such a change is not cached.
    epoch: u64,
}

pub(crate) struct Session {
    settings_store: Arc<dyn SettingsStore>,
    secrets: Arc<dyn SecretStore>,
    /// Timeouts and retries for every client; the endpoint is set per profile.
    client_config: ClientConfig,
    state: Mutex<State>,
    /// Held by every change of a profile's endpoint or tokens (sign-in after its check,
    /// sign-out, save, delete), so that none of them interleaves with another across the
    /// keychain calls they wait for.
    changes: tokio::sync::Mutex<()>,
    pub(super) sandbox: tokio::sync::Mutex<Option<Sandbox>>,
}

impl Session {
    pub(super) fn new(
        settings_store: Arc<dyn SettingsStore>,
        secrets: Arc<dyn SecretStore>,
        client_config: ClientConfig,
    ) -> Result<Session, AppError> {
        let mut loaded = settings_store.load()?.unwrap_or_default();
        loaded.repair();
        Ok(Session {
            settings_store,
            secrets,
            client_config,
            state: Mutex::new(State {
                settings: loaded,
                tokens: HashMap::new(),
                clients: HashMap::new(),
                epoch: 0,
            }),
            changes: tokio::sync::Mutex::new(()),
            sandbox: tokio::sync::Mutex::new(None),
        })
    }

    /// Waits for the other profile changes to finish; see `changes`.
    pub(super) async fn lock_changes(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.changes.lock().await
    }

    pub(super) fn settings(&self) -> Settings {
        self.state.lock().settings.clone()
    }

    pub(super) fn active_profile_id(&self) -> Option<String> {
        self.state.lock().settings.active_profile_id.clone()
    }

    /// The ids of profiles holding a token, for `Debug` (never a token).
    pub(super) fn signed_in_ids(&self) -> Vec<String> {
        let state = self.state.lock();
        let mut ids: Vec<String> = (state.tokens.iter())
            .filter(|(_, known)| matches!(known, Known::Token(..)))
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// The profiles, whether each is signed in, and the active one.
    pub(super) async fn snapshot(&self) -> AppSnapshot {
        let settings = self.settings();
        let mut profiles = Vec::with_capacity(settings.profiles.len());
        for p in settings.profiles {
            // A keychain that cannot be read leaves the profile signed out; signing in then
            // explains the problem.
            let storage = match self.token_of(&p).await {
                Ok(TokenFor::Usable(bound)) => Some(bound.storage),
                Ok(TokenFor::Absent | TokenFor::OtherEndpoint) | Err(_) => None,
            };
            let endpoint_note = match p.kind {
                ProfileKind::Cloud => endpoint_note(&p.endpoint),
                ProfileKind::Sandbox => None,
            };
            profiles.push(Profile {
                signed_in: storage.is_some(),
                token_storage: storage,
                id: p.id,
                name: p.name,
                color: p.color,
                endpoint: p.endpoint,
                kind: p.kind,
                production_projects: p.production_projects,
                endpoint_note,
            });
        }
        AppSnapshot {
            profiles,
            active_profile_id: settings.active_profile_id,
        }
    }

    pub(super) fn profile(&self, id: &str) -> Result<ProfileSettings, AppError> {
        (self.state.lock().settings.profile(id).cloned()).ok_or_else(no_such_profile)
    }

    pub(super) fn active_profile(&self) -> Result<ProfileSettings, AppError> {
        (self.state.lock().settings.active().cloned()).ok_or_else(choose_a_profile)
    }

    /// Changes the settings and saves them; nothing changes when `change` or the save fails.
    pub(super) fn update_settings<R>(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<R, AppError>,
    ) -> Result<R, AppError> {
        let mut state = self.state.lock();
        let mut next = state.settings.clone();
        let result = change(&mut next)?;
        if next != state.settings {
            self.settings_store.save(&next)?;
            state.settings = next;
        }
        Ok(result)
    }

    /// Runs a keychain call off the async threads (it may block, or wait for a prompt).
    pub(super) async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let secrets = Arc::clone(&self.secrets);
        tokio::task::spawn_blocking(move || call(secrets.as_ref()))
            .await
            .map_err(|_| AppError::internal("The keychain task stopped unexpectedly."))?
    }

    /// The profile's token for its current endpoint, reading the keychain once per profile.
    async fn token_of(&self, profile: &ProfileSettings) -> Result<TokenFor, AppError> {
        let epoch = {
            let state = self.state.lock();
            match state.tokens.get(&profile.id) {
                Some(known) => return Ok(known.for_endpoint(&profile.endpoint)),
                None => state.epoch,
            }
        };
        // The sandbox's token lives in memory only.
        if profile.kind == ProfileKind::Sandbox {
            return Ok(TokenFor::Absent);
        }
        let account = profile_account(&profile.id);
        let found = self.blocking(move |s| s.get(&account)).await?;
        let known = match found.as_deref().and_then(KeptToken::read) {
            Some(kept) => Known::Token(BoundToken {
                endpoint: kept_endpoint(kept.endpoint.as_deref(), &profile.endpoint),
                token: Token::new(kept.token),
                storage: TokenStorage::Keychain,
            }),
            None => Known::Absent,
        };
        let mut state = self.state.lock();
        if state.epoch == epoch {
            state.tokens.insert(profile.id.clone(), known.clone());
        }
        Ok(known.for_endpoint(&profile.endpoint))
    }

    /// A client for `endpoint` with `token`, unchecked and not kept.
    pub(super) fn build_client(&self, endpoint: &str, token: Token) -> Result<Client, AppError> {
        let config = ClientConfig {
            endpoint: endpoint.to_owned(),
            ..self.client_config.clone()
        };
        Ok(Client::new(token, config)?)
    }

    /// Keeps a token checked against `endpoint` for profile `id`, bound to it: in the keychain
    /// when `remember`, else in memory for this session (then any token remembered earlier is
    /// removed). If the keychain cannot take it, nothing is kept and the error is
    /// `keychainUnavailable`.
    pub(super) async fn keep_token(
        &self,
        id: &str,
        token: Token,
        remember: bool,
        endpoint: &str,
    ) -> Result<TokenStorage, AppError> {
        let account = profile_account(id);
        let storage = if remember {
            let secret = KeptToken::secret(&endpoint_key(endpoint), token.expose_secret());
            self.blocking(move |s| s.set(&account, &secret)).await?;
            TokenStorage::Keychain
        } else {
            // A token remembered earlier must not outlive a session-only sign-in. Best effort:
            // a keychain that cannot be reached holds nothing of ours to remove.
            let _ = self.blocking(move |s| s.delete(&account)).await;
            TokenStorage::Session
        };
        self.hold_token(id, token, storage, endpoint, None);
        Ok(storage)
    }

    /// Holds `token`, checked against `endpoint`, for profile `id` in memory, with its client
    /// when one was already built (for that endpoint).
    pub(super) fn hold_token(
        &self,
        id: &str,
        token: Token,
        storage: TokenStorage,
        endpoint: &str,
        client: Option<Client>,
    ) {
        let endpoint = endpoint_key(endpoint);
        let mut state = self.state.lock();
        state.epoch += 1;
        let bound = BoundToken {
            token,
            storage,
            endpoint: endpoint.clone(),
        };
        state.tokens.insert(id.to_owned(), Known::Token(bound));
        match client {
            Some(client) => {
                state
                    .clients
                    .insert(id.to_owned(), CachedClient { endpoint, client });
            }
            None => {
                state.clients.remove(id);
            }
        }
    }

    /// Forgets a profile's token: session, cached client, keychain entry. A keychain that cannot
    /// be reached is an error only when this app knows it holds the token.
    pub(super) async fn forget_token(&self, profile: &ProfileSettings) -> Result<(), AppError> {
        let removed = {
            let mut state = self.state.lock();
            state.epoch += 1;
            state.clients.remove(&profile.id);
            // Absent while its keychain entry is removed: a request meanwhile must not find it.
            state.tokens.insert(profile.id.clone(), Known::Absent)
        };
        if profile.kind == ProfileKind::Sandbox {
            return Ok(());
        }
        let account = profile_account(&profile.id);
        match self.blocking(move |s| s.delete(&account)).await {
            Ok(()) => Ok(()),
            Err(error) => match removed {
                // Still in the keychain: keep knowing it, so that a retry fails the same way.
                Some(
                    known @ Known::Token(BoundToken {
                        storage: TokenStorage::Keychain,
                        ..
                    }),
                ) => {
                    let mut state = self.state.lock();
                    state.epoch += 1;
                    state.tokens.insert(profile.id.clone(), known);
                    Err(error)
                }
                // Not known to be there: look again next time.
                _ => {
                    let mut state = self.state.lock();
                    state.epoch += 1;
                    state.tokens.remove(&profile.id);
                    match error {
                        AppError::KeychainUnavailable { .. } => Ok(()),
                        error => Err(error),
                    }
                }
            },
        }
    }

    /// True while `profile` is the active profile and has a token for its endpoint.
    pub(super) fn is_active_and_signed_in(&self, profile: &str) -> bool {
        let state = self.state.lock();
        let Some(active) = state.settings.active().filter(|p| p.id == profile) else {
            return false;
        };
        (state.tokens.get(profile)).is_some_and(|known| {
            matches!(known.for_endpoint(&active.endpoint), TokenFor::Usable(_))
        })
    }

    /// The active profile's client (cached per profile).
    pub(super) async fn client(&self) -> Result<Client, AppError> {
        Ok(self.active_client().await?.1)
    }

    /// The active profile's id and client.
    pub(super) async fn active_client(&self) -> Result<(String, Client), AppError> {
        let profile = self.active_profile()?;
        self.client_of(profile).await
    }

    /// A profile's id and client (cached per profile), active or not.
    pub(super) async fn client_of(
        &self,
        profile: ProfileSettings,
    ) -> Result<(String, Client), AppError> {
        let epoch = {
            let state = self.state.lock();
            // A cached client was built for its token's endpoint.
            if let Some(cached) = state.clients.get(&profile.id)
                && cached.endpoint == endpoint_key(&profile.endpoint)
            {
                return Ok((profile.id.clone(), cached.client.clone()));
            }
            state.epoch
        };
        let bound = match self.token_of(&profile).await? {
            TokenFor::Usable(bound) => bound,
            TokenFor::Absent => {
                return Err(AppError::not_signed_in(match profile.kind {
                    ProfileKind::Sandbox => {
                        "The sandbox is not running. Open it again from the menu.".to_owned()
                    }
                    ProfileKind::Cloud => format!("Sign in to “{}” first.", profile.name),
                }));
            }
            TokenFor::OtherEndpoint => return Err(sign_in_again(&profile)),
        };
        let client = self.build_client(&bound.endpoint, bound.token)?;
        let mut state = self.state.lock();
        // Cache it only if no token was stored or forgotten meanwhile.
        if state.epoch == epoch {
            state.clients.insert(
                profile.id.clone(),
                CachedClient {
                    endpoint: bound.endpoint,
                    client: client.clone(),
                },
            );
        }
        Ok((profile.id, client))
    }
}

/// The profile points elsewhere than where its token was checked (its settings were edited).
fn sign_in_again(profile: &ProfileSettings) -> AppError {
    AppError::not_signed_in(format!(
        "Sign in again for this endpoint: the token kept for “{}” was checked with another \
         endpoint, so it is not sent to {}.",
        profile.name, profile.endpoint
    ))
}

pub(super) fn no_such_profile() -> AppError {
    AppError::not_found("This profile no longer exists. Reload the list of profiles.")
}

pub(super) fn choose_a_profile() -> AppError {
    AppError::not_signed_in("Choose a profile, or add one, and sign in first.")
}
