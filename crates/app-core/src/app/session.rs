//! [`Session`]: the settings, each profile's token (keychain or session), one API client per
//! profile, and the in-app sandbox. The other services ask it for the active profile's client;
//! only it reads or writes the keychain's profile tokens.

use std::collections::HashMap;
use std::sync::Arc;

use hasura_cloud::{Client, ClientConfig, Token};
use parking_lot::Mutex;

use crate::error::AppError;
use crate::profiles::{AppSnapshot, Profile, ProfileKind, TokenStorage, endpoint_note};
use crate::sandbox::Sandbox;
use crate::secrets::{SecretStore, profile_account};
use crate::settings::{ProfileSettings, Settings, SettingsStore};

/// What is known about a profile's token.
#[derive(Clone)]
enum Known {
    Token(Token, TokenStorage),
    /// The keychain was asked and has none.
    Absent,
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
            sandbox: tokio::sync::Mutex::new(None),
        })
    }

    pub(super) fn settings(&self) -> Settings {
        self.state.lock().settings.clone()
    }

    pub(super) fn active_profile_id(&self) -> Option<String> {
        self.state.lock().settings.active_profile_id.clone()
    }

    /// The ids of signed-in profiles, for `Debug` (never a token).
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
                Ok(Some((_, storage))) => Some(storage),
                Ok(None) | Err(_) => None,
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

    /// The profile's token and where it is kept, reading the keychain once per profile.
    async fn token_of(
        &self,
        profile: &ProfileSettings,
    ) -> Result<Option<(Token, TokenStorage)>, AppError> {
        let epoch = {
            let state = self.state.lock();
            match state.tokens.get(&profile.id) {
                Some(Known::Token(token, storage)) => return Ok(Some((token.clone(), *storage))),
                Some(Known::Absent) => return Ok(None),
                None => state.epoch,
            }
        };
        // The sandbox's token lives in memory only.
        if profile.kind == ProfileKind::Sandbox {
            return Ok(None);
        }
        let account = profile_account(&profile.id);
        let found = self
            .blocking(move |s| s.get(&account))
            .await?
            .filter(|t| !t.trim().is_empty());
        let known = match found {
            Some(secret) => Known::Token(Token::new(secret), TokenStorage::Keychain),
            None => Known::Absent,
        };
        let mut state = self.state.lock();
        if state.epoch == epoch {
            state.tokens.insert(profile.id.clone(), known.clone());
        }
        Ok(match known {
            Known::Token(token, storage) => Some((token, storage)),
            Known::Absent => None,
        })
    }

    /// A client for `endpoint` with `token`, unchecked and not kept.
    pub(super) fn build_client(&self, endpoint: &str, token: Token) -> Result<Client, AppError> {
        let config = ClientConfig {
            endpoint: endpoint.to_owned(),
            ..self.client_config.clone()
        };
        Ok(Client::new(token, config)?)
    }

    /// Keeps a checked token for profile `id`: in the keychain when `remember`, else in memory
    /// for this session (then any token remembered earlier is removed). If the keychain cannot
    /// take it, nothing is kept and the error is `keychainUnavailable`.
    pub(super) async fn keep_token(
        &self,
        id: &str,
        token: Token,
        remember: bool,
    ) -> Result<TokenStorage, AppError> {
        let account = profile_account(id);
        let storage = if remember {
            let secret = token.expose_secret().to_owned();
            self.blocking(move |s| s.set(&account, &secret)).await?;
            TokenStorage::Keychain
        } else {
            // A token remembered earlier must not outlive a session-only sign-in. Best effort:
            // a keychain that cannot be reached holds nothing of ours to remove.
            let _ = self.blocking(move |s| s.delete(&account)).await;
            TokenStorage::Session
        };
        self.hold_token(id, token, storage, None);
        Ok(storage)
    }

    /// Holds `token` for profile `id` in memory, with its client when one was already built.
    pub(super) fn hold_token(
        &self,
        id: &str,
        token: Token,
        storage: TokenStorage,
        client: Option<(String, Client)>,
    ) {
        let mut state = self.state.lock();
        state.epoch += 1;
        state
            .tokens
            .insert(id.to_owned(), Known::Token(token, storage));
        match client {
            Some((endpoint, client)) => {
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
            state.tokens.remove(&profile.id)
        };
        if profile.kind == ProfileKind::Sandbox {
            return Ok(());
        }
        let account = profile_account(&profile.id);
        match self.blocking(move |s| s.delete(&account)).await {
            Ok(()) => Ok(()),
            Err(error) => match removed {
                // Still in the keychain: keep knowing it, so that a retry fails the same way.
                Some(known @ Known::Token(_, TokenStorage::Keychain)) => {
                    let mut state = self.state.lock();
                    state.epoch += 1;
                    state.tokens.insert(profile.id.clone(), known);
                    Err(error)
                }
                _ if matches!(error, AppError::KeychainUnavailable { .. }) => Ok(()),
                _ => Err(error),
            },
        }
    }

    /// True while `profile` is the active profile and has a token.
    pub(super) fn is_active_and_signed_in(&self, profile: &str) -> bool {
        let state = self.state.lock();
        state.settings.active_profile_id.as_deref() == Some(profile)
            && matches!(state.tokens.get(profile), Some(Known::Token(..)))
    }

    /// The active profile's client (cached per profile).
    pub(super) async fn client(&self) -> Result<Client, AppError> {
        Ok(self.active_client().await?.1)
    }

    /// The active profile's id and client.
    pub(super) async fn active_client(&self) -> Result<(String, Client), AppError> {
        let (profile, epoch) = {
            let state = self.state.lock();
            let profile = state
                .settings
                .active()
                .cloned()
                .ok_or_else(choose_a_profile)?;
            if let Some(cached) = state.clients.get(&profile.id)
                && cached.endpoint == profile.endpoint
            {
                return Ok((profile.id.clone(), cached.client.clone()));
            }
            (profile, state.epoch)
        };
        let Some((token, _)) = self.token_of(&profile).await? else {
            return Err(AppError::not_signed_in(match profile.kind {
                ProfileKind::Sandbox => {
                    "The sandbox is not running. Open it again from the menu.".to_owned()
                }
                ProfileKind::Cloud => format!("Sign in to “{}” first.", profile.name),
            }));
        };
        let client = self.build_client(&profile.endpoint, token)?;
        let mut state = self.state.lock();
        // Cache it only if no token was stored or forgotten meanwhile.
        if state.epoch == epoch {
            state.clients.insert(
                profile.id.clone(),
                CachedClient {
                    endpoint: profile.endpoint.clone(),
                    client: client.clone(),
                },
            );
        }
        Ok((profile.id, client))
    }
}

pub(super) fn no_such_profile() -> AppError {
    AppError::not_found("This profile no longer exists. Reload the list of profiles.")
}

pub(super) fn choose_a_profile() -> AppError {
    AppError::not_signed_in("Choose a profile, or add one, and sign in first.")
}
