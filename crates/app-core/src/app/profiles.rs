//! The profile commands: each asks the [`Session`](super::session::Session) to change the
//! settings or a token, then tells the services that keep per-profile state.

use hasura_cloud::Token;

use super::App;
use super::session::{choose_a_profile, no_such_profile};
use crate::error::AppError;
use crate::profiles::{
    AppSnapshot, ProfileInput, ProfileKind, SignIn, SignInInput, SignedIn, same_endpoint,
    validate_color, validate_endpoint, validate_profile_name, validate_token_text,
};
use crate::sandbox::{SANDBOX_COLOR, SANDBOX_PROFILE_ID, SANDBOX_PROFILE_NAME, Sandbox};
use crate::settings::{Preferences, ProfileSettings};

impl App {
    /// The profiles, whether each is signed in, and the active one.
    pub async fn get_state(&self) -> Result<AppSnapshot, AppError> {
        Ok(self.session.snapshot().await)
    }

    /// Creates (`id: None`) or updates a profile. A sandbox profile keeps its endpoint. Changing
    /// the endpoint of a signed-in profile signs it out, so a token only ever goes to the
    /// endpoint it was checked against.
    pub async fn save_profile(&self, input: ProfileInput) -> Result<AppSnapshot, AppError> {
        let name = validate_profile_name(&input.name)?;
        let color = validate_color(&input.color)?;
        match input.id.as_deref() {
            None => {
                let endpoint = validate_endpoint(&input.endpoint)?;
                self.session.update_settings(|settings| {
                    let id = uuid::Uuid::new_v4().to_string();
                    settings.profiles.push(ProfileSettings::cloud(
                        id.clone(),
                        name,
                        color,
                        endpoint,
                    ));
                    if settings.active_profile_id.is_none() {
                        settings.active_profile_id = Some(id);
                    }
                    Ok(())
                })?;
            }
            Some(id) => {
                let _changes = self.session.lock_changes().await;
                let profile = self.session.profile(id)?;
                let endpoint = match profile.kind {
                    ProfileKind::Sandbox => profile.endpoint.clone(),
                    ProfileKind::Cloud => validate_endpoint(&input.endpoint)?,
                };
                if !same_endpoint(&endpoint, &profile.endpoint) {
                    self.sign_out_profile(&profile).await?;
                }
                self.session.update_settings(|settings| {
                    let stored = settings.profile_mut(id).ok_or_else(no_such_profile)?;
                    // Under the settings lock: still where it was when it was signed out.
                    if !same_endpoint(&stored.endpoint, &profile.endpoint) {
                        return Err(AppError::Conflict {
                            message: "This profile was changed while it was being saved, so \
                                      nothing was saved. Try again."
                                .to_owned(),
                        });
                    }
                    stored.name = name;
                    stored.color = color;
                    stored.endpoint = endpoint;
                    Ok(())
                })?;
            }
        }
        self.get_state().await
    }

    /// Deletes a profile and its keychain entry (and stops the sandbox with its profile).
    pub async fn delete_profile(&self, id: &str) -> Result<AppSnapshot, AppError> {
        let changes = self.session.lock_changes().await;
        let profile = self.session.profile(id)?;
        self.sign_out_profile(&profile).await?;
        if profile.kind == ProfileKind::Sandbox
            && let Some(sandbox) = self.session.sandbox.lock().await.take()
        {
            sandbox.stop().await;
        }
        self.session.update_settings(|settings| {
            settings.profiles.retain(|p| p.id != id);
            if settings.active_profile_id.as_deref() == Some(id) {
                settings.active_profile_id = settings.profiles.first().map(|p| p.id.clone());
            }
            Ok(())
        })?;
        drop(changes);
        self.get_state().await
    }

    /// Makes a profile the active one. Env drafts of the other profiles are dropped.
    pub async fn switch_profile(&self, id: &str) -> Result<AppSnapshot, AppError> {
        self.make_active(id)?;
        // The kind only: a profile's name may say whose account it is.
        let kind = self.session.profile(id).map(|p| p.kind).ok();
        tracing::info!(?kind, "profile switched");
        self.get_state().await
    }

    /// Signs in in one step: checks the token with the profile's endpoint, keeps it (in the
    /// keychain when `remember`, else for this session), saves the profile (new, or with its
    /// name, colour and endpoint updated) and makes it the active one. When the token is
    /// refused or the keychain cannot take it, nothing is saved: the person can try again.
    /// Nor when the profile's endpoint was changed while the token was checked (`conflict`):
    /// the token would end up with an endpoint it was not checked against, or undo the change.
    pub async fn sign_in_with(&self, input: SignIn) -> Result<SignedIn, AppError> {
        let SignIn {
            profile,
            token,
            remember,
        } = input;
        let name = validate_profile_name(&profile.name)?;
        let color = validate_color(&profile.color)?;
        let existing = match profile.id.as_deref() {
            Some(id) => Some(self.session.profile(id)?),
            None => None,
        };
        if existing
            .as_ref()
            .is_some_and(|p| p.kind == ProfileKind::Sandbox)
        {
            return Err(AppError::invalid(
                "token",
                "The sandbox signs in by itself: open it from the menu instead.",
            ));
        }
        let endpoint = validate_endpoint(&profile.endpoint)?;
        let token = Token::new(validate_token_text(&token)?);
        let client = self.session.build_client(&endpoint, token.clone())?;
        // A cheap read every valid token may do; a rejected token fails it.
        client
            .find_projects_by_name("")
            .await
            .map_err(|e| match e {
                hasura_cloud::Error::TokenRejected { .. } => {
                    AppError::from(hasura_cloud::Error::TokenRejected { field: None })
                }
                other => AppError::from(other),
            })?;

        let changes = self.session.lock_changes().await;
        if let Some(old) = &existing
            && !same_endpoint(&self.session.profile(&old.id)?.endpoint, &old.endpoint)
        {
            return Err(changed_meanwhile());
        }
        let id = match &existing {
            Some(p) => p.id.clone(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        let storage = self
            .session
            .keep_token(&id, token.clone(), remember, &endpoint)
            .await?;
        let saved = self.session.update_settings(|settings| {
            match settings.profile_mut(&id) {
                // Checked again under the settings lock, which every change goes through.
                Some(stored)
                    if (existing.as_ref())
                        .is_some_and(|old| !same_endpoint(&stored.endpoint, &old.endpoint)) =>
                {
                    return Err(changed_meanwhile());
                }
                Some(stored) => {
                    stored.name = name;
                    stored.color = color;
                    stored.endpoint = endpoint.clone();
                }
                None if existing.is_some() => return Err(no_such_profile()),
                None => settings.profiles.push(ProfileSettings::cloud(
                    id.clone(),
                    name,
                    color,
                    endpoint.clone(),
                )),
            }
            settings.active_profile_id = Some(id.clone());
            Ok(())
        });
        if let Err(error) = saved {
            // Best effort: no keychain entry for a profile that was never saved, nor for one
            // that now points elsewhere.
            if existing.is_none() {
                let _ = self.session.forget_token(&self.orphan(&id)).await;
            } else if let Some(old) = existing.as_ref().filter(|_| error.kind() == "conflict") {
                let _ = self.session.forget_token(old).await;
            }
            return Err(error);
        }
        if let Some(old) = &existing
            && !same_endpoint(&old.endpoint, &endpoint)
        {
            // What was kept for the old endpoint's account does not belong to the new one.
            self.forget_profile_state(&old.id);
            self.lists.forget(&old.id);
            self.forget_github_token_of(old).await;
        }
        self.session
            .hold_token(&id, token, storage, &endpoint, Some(client));
        drop(changes);
        self.drop_other_profiles_state(&id);
        tracing::info!(kind = ?ProfileKind::Cloud, ?storage, "signed in");
        Ok(SignedIn {
            profile_id: id,
            state: self.get_state().await?,
        })
    }

    /// Signs in to an existing profile as it is saved (see [`App::sign_in_with`]).
    pub async fn sign_in(&self, input: SignInInput) -> Result<AppSnapshot, AppError> {
        let profile = self.session.profile(&input.profile_id)?;
        let signed_in = self
            .sign_in_with(SignIn {
                profile: ProfileInput {
                    id: Some(profile.id),
                    name: profile.name,
                    color: profile.color,
                    endpoint: profile.endpoint,
                },
                token: input.token,
                remember: input.remember,
            })
            .await?;
        Ok(signed_in.state)
    }

    /// Forgets the profile's token: the keychain entry and any session token.
    pub async fn sign_out(&self, profile_id: &str) -> Result<AppSnapshot, AppError> {
        let changes = self.session.lock_changes().await;
        let profile = self.session.profile(profile_id)?;
        self.sign_out_profile(&profile).await?;
        drop(changes);
        tracing::info!(kind = ?profile.kind, "signed out");
        self.get_state().await
    }

    /// Starts the in-app simulator (once), creates the sandbox profile if there is none, signs
    /// it in with the simulator's session token and makes it active.
    pub async fn open_sandbox(&self) -> Result<AppSnapshot, AppError> {
        let changes = self.session.lock_changes().await;
        let (endpoint, token) = {
            let mut running = self.session.sandbox.lock().await;
            if running.is_none() {
                *running = Some(Sandbox::start().await?);
            }
            match running.as_ref() {
                Some(sandbox) => (sandbox.endpoint(), sandbox.token()),
                None => return Err(AppError::internal("The sandbox could not be started.")),
            }
        };
        let id = self.session.update_settings(|settings| {
            let id = match (settings.profiles.iter_mut()).find(|p| p.kind == ProfileKind::Sandbox) {
                Some(profile) => {
                    profile.endpoint = endpoint.clone();
                    profile.id.clone()
                }
                None => {
                    settings.profiles.push(ProfileSettings {
                        id: SANDBOX_PROFILE_ID.to_owned(),
                        name: SANDBOX_PROFILE_NAME.to_owned(),
                        color: SANDBOX_COLOR.to_owned(),
                        endpoint: endpoint.clone(),
                        kind: ProfileKind::Sandbox,
                        production_projects: Vec::new(),
                    });
                    SANDBOX_PROFILE_ID.to_owned()
                }
            };
            settings.active_profile_id = Some(id.clone());
            Ok(id)
        })?;
        self.drop_other_profiles_state(&id);
        self.session.hold_token(
            &id,
            token,
            crate::profiles::TokenStorage::Session,
            &endpoint,
            None,
        );
        drop(changes);
        tracing::info!(kind = ?ProfileKind::Sandbox, "sandbox opened");
        self.get_state().await
    }

    /// Marks a project of the active profile as production (or not). The mark is this
    /// computer's: the app asks for the project's name before applying env changes to it.
    pub async fn set_production(
        &self,
        project_id: &str,
        production: bool,
    ) -> Result<AppSnapshot, AppError> {
        let id = crate::projects::parse_project_id(project_id)?.to_string();
        self.session.update_settings(|settings| {
            let profile = (settings.active_profile_id.clone())
                .and_then(|active| settings.profile_mut(&active))
                .ok_or_else(choose_a_profile)?;
            let marks = &mut profile.production_projects;
            marks.retain(|p| *p != id);
            if production {
                marks.push(id);
            }
            Ok(())
        })?;
        self.get_state().await
    }

    pub async fn preferences(&self) -> Result<Preferences, AppError> {
        Ok(self.session.settings().preferences)
    }

    pub async fn set_preferences(&self, preferences: Preferences) -> Result<Preferences, AppError> {
        self.session.update_settings(|settings| {
            settings.preferences = preferences.clone();
            Ok(preferences)
        })
    }

    // ---- helpers -------------------------------------------------------------------------

    /// Makes `id` the active profile; what other profiles had open is dropped.
    fn make_active(&self, id: &str) -> Result<(), AppError> {
        self.session.update_settings(|settings| {
            if settings.profile(id).is_none() {
                return Err(no_such_profile());
            }
            settings.active_profile_id = Some(id.to_owned());
            Ok(())
        })?;
        self.drop_other_profiles_state(id);
        Ok(())
    }

    /// Signing out (or deleting the profile, or moving its endpoint): the token goes with the
    /// GitHub token, and every service forgets what it held for the profile.
    async fn sign_out_profile(&self, profile: &ProfileSettings) -> Result<(), AppError> {
        self.forget_profile_state(&profile.id);
        self.forget_github_token_of(profile).await;
        let forgotten = self.session.forget_token(profile).await;
        // After the token: a list asked for until now is neither kept nor shown.
        self.lists.forget(&profile.id);
        forgotten
    }

    /// Removes the profile's GitHub token. Best effort: a keychain that cannot be reached now
    /// cannot hand it out either, and one kept for another endpoint is never sent.
    async fn forget_github_token_of(&self, profile: &ProfileSettings) {
        let _ = self.delete_github_token(profile).await;
    }

    /// Tells the services that keep per-profile state that `profile`'s is gone.
    fn forget_profile_state(&self, profile: &str) {
        self.drafts.drop_where(|p, _| p == profile);
        self.previews.drop_profile(profile);
        self.fleets.drop_profile(profile);
    }

    /// Env drafts belong to the active profile only.
    fn drop_other_profiles_state(&self, active: &str) {
        self.drafts.drop_where(|p, _| p != active);
    }

    /// A stand-in for a profile that was never saved, to remove its keychain entry.
    fn orphan(&self, id: &str) -> ProfileSettings {
        ProfileSettings::cloud(id.to_owned(), String::new(), String::new(), String::new())
    }
}

/// A profile's endpoint moved while a change to it was under way.
fn changed_meanwhile() -> AppError {
    AppError::Conflict {
        message: "This profile's endpoint was changed while the token was being checked, so \
                  nothing was kept. Check the endpoint and sign in again."
            .to_owned(),
    }
}
