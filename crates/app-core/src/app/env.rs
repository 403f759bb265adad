//! The environment-variable editor's commands (`docs/env-contract.md`), and [`EnvDrafts`]: the
//! drafts, per (profile, tenant), in memory only. Every command that changes a draft runs under
//! one async lock, so an apply and an edit never interleave; edits change the draft in place
//! ([`App::with_draft`]).

use std::collections::HashMap;
use std::sync::Arc;

use hasura_cloud::{Client, TenantId};
use parking_lot::Mutex;

use super::App;
use crate::activity::{self, ActivityKind};
use crate::env::SNAPSHOTS_KEPT;
use crate::env::diff;
use crate::env::dotenv;
use crate::env::health;
use crate::env::issues::{self, Fingerprinter};
use crate::env::{
    ApplyOutcome, ChangeKind, Draft, EnvChange, EnvComparison, EnvDraft, EnvEdit, EnvMap,
    HealthProgress, HealthWatch, ImportPreview, KeyResolution, Loaded, Severity,
};
use crate::error::AppError;
use crate::projects::parse_tenant_id;
use crate::secrets::SecretStore;

/// The keychain account of the install's fingerprint key (not a profile's: it outlives them).
pub(crate) const FINGERPRINT_KEY_ACCOUNT: &str = "fingerprint-key";

/// The install's key for value fingerprints ([`Fingerprinter`]): read from the keychain, or made
/// and kept there, on first need; then held for the app's lifetime.
pub(crate) struct FingerprintKey {
    secrets: Arc<dyn SecretStore>,
    held: tokio::sync::Mutex<Option<Fingerprinter>>,
}

impl FingerprintKey {
    pub(super) fn new(secrets: Arc<dyn SecretStore>) -> FingerprintKey {
        FingerprintKey {
            secrets,
            held: tokio::sync::Mutex::new(None),
        }
    }

    /// The install's fingerprinter. When the keychain cannot be read or written, a key for this
    /// run only: fingerprints still compare within the run, just not with older log entries.
    pub(super) async fn get(&self) -> Fingerprinter {
        // Held across the keychain calls, so two first needs do not make two keys.
        let mut held = self.held.lock().await;
        if let Some(fingerprinter) = held.as_ref() {
            return fingerprinter.clone();
        }
        let secrets = Arc::clone(&self.secrets);
        let kept = tokio::task::spawn_blocking(move || read_or_make_secret(secrets.as_ref()))
            .await
            .ok()
            .flatten();
        let secret = kept.unwrap_or_else(Fingerprinter::new_secret);
        let fingerprinter = Fingerprinter::new(&secret);
        *held = Some(fingerprinter.clone());
        fingerprinter
    }
}

/// The kept secret, or a new one kept now; `None` when the keychain cannot be used. A kept entry
/// that is not a secret of ours is replaced.
fn read_or_make_secret(
    secrets: &dyn SecretStore,
) -> Option<[u8; issues::FINGERPRINT_SECRET_BYTES]> {
    let kept = secrets.get(FINGERPRINT_KEY_ACCOUNT).ok()?;
    if let Some(secret) = kept.as_deref().and_then(Fingerprinter::secret_from_text) {
        return Some(secret);
    }
    let secret = Fingerprinter::new_secret();
    (secrets
        .set(
            FINGERPRINT_KEY_ACCOUNT,
            &Fingerprinter::secret_text(&secret),
        )
        .ok())?;
    Some(secret)
}

/// Drafts are kept per (profile id, tenant id).
type DraftKey = (String, String);

/// The env editor's drafts and how a project's health is watched after an apply.
#[derive(Default)]
pub(crate) struct EnvDrafts {
    drafts: Mutex<HashMap<DraftKey, Draft>>,
    /// Held by every env command that changes a draft, across its requests.
    ops: tokio::sync::Mutex<()>,
    pub(super) health_watch: HealthWatch,
}

impl EnvDrafts {
    pub(super) fn count(&self) -> usize {
        self.drafts.lock().len()
    }

    pub(super) fn get(&self, profile: &str, tenant: TenantId) -> Option<Draft> {
        (self.drafts.lock())
            .get(&(profile.to_owned(), tenant.to_string()))
            .cloned()
    }

    fn contains(&self, profile: &str, tenant: TenantId) -> bool {
        (self.drafts.lock()).contains_key(&(profile.to_owned(), tenant.to_string()))
    }

    fn put(&self, profile: &str, draft: Draft) {
        (self.drafts.lock()).insert((profile.to_owned(), draft.tenant_id.clone()), draft);
    }

    /// Runs `change` on the kept draft, in place; `None` when there is none.
    fn change<R>(
        &self,
        profile: &str,
        tenant: TenantId,
        change: impl FnOnce(&mut Draft) -> R,
    ) -> Option<R> {
        (self.drafts.lock())
            .get_mut(&(profile.to_owned(), tenant.to_string()))
            .map(change)
    }

    /// Forgets drafts `drop` picks (by profile id, tenant id).
    pub(super) fn drop_where(&self, drop: impl Fn(&str, &str) -> bool) {
        (self.drafts.lock()).retain(|(profile, tenant), _| !drop(profile, tenant));
    }

    /// Tenant ids with staged edits (sorted).
    fn unsaved(&self) -> Vec<String> {
        let mut ids: Vec<String> = (self.drafts.lock().values())
            .filter(|d| d.has_changes())
            .map(|d| d.tenant_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

impl App {
    /// The tenant's draft: the one in memory with its edits, or a fresh one from the API.
    pub async fn env_load(&self, tenant_id: &str) -> Result<EnvDraft, AppError> {
        self.with_draft(tenant_id, |_| Ok(())).await
    }

    /// Reads the variables again. Staged edits nobody else touched move onto the new state (an
    /// edit the project now already has drops out); when someone else changed a staged key
    /// differently, the draft keeps its base and edits and shows the conflict
    /// ([`EnvDraft::conflict`]), as an apply would.
    pub async fn env_reload(&self, tenant_id: &str) -> Result<EnvDraft, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let _ops = self.drafts.ops.lock().await;
        let (profile, client) = self.session.active_client().await?;
        let fingerprints = self.fingerprint_key.get().await;
        let fresh = Loaded::from_env(&client.get_env(tenant).await?, &fingerprints);
        let rebased = self.drafts.change(&profile, tenant, |draft| {
            draft.reload(fresh.clone());
            draft.to_view()
        });
        match rebased {
            Some(view) => Ok(view),
            None => {
                let draft = Draft::new(tenant.to_string(), fresh);
                let view = draft.to_view();
                self.keep_draft(&profile, draft);
                Ok(view)
            }
        }
    }

    /// Stages edits in order. An edit that leaves a key as the base has it un-stages the key.
    pub async fn env_stage(
        &self,
        tenant_id: &str,
        edits: Vec<EnvEdit>,
    ) -> Result<EnvDraft, AppError> {
        self.with_draft(tenant_id, |draft| {
            diff::stage(&draft.base.vars, &mut draft.staged, edits);
            Ok(())
        })
        .await
    }

    /// Drops the staged edits of `keys`.
    pub async fn env_unstage(
        &self,
        tenant_id: &str,
        keys: Vec<String>,
    ) -> Result<EnvDraft, AppError> {
        self.with_draft(tenant_id, |draft| {
            for key in &keys {
                draft.staged.remove(key);
            }
            Ok(())
        })
        .await
    }

    /// Drops every staged edit (and a pending conflict: their state becomes the base).
    pub async fn env_discard(&self, tenant_id: &str) -> Result<EnvDraft, AppError> {
        self.with_draft(tenant_id, |draft| {
            draft.discard();
            Ok(())
        })
        .await
    }

    /// Stages the edits that bring back the variables as they were before an apply of this
    /// session (snapshot `snapshot_id` of [`EnvDraft::snapshots`]), in place of any staged edits.
    /// Nothing is sent: the person reviews and applies them like any edit.
    pub async fn env_restore(
        &self,
        tenant_id: &str,
        snapshot_id: u32,
    ) -> Result<EnvDraft, AppError> {
        self.with_draft(tenant_id, |draft| {
            if draft.restore(snapshot_id) {
                Ok(())
            } else {
                Err(AppError::not_found(format!(
                    "That snapshot is no longer kept: snapshots last until you sign out or \
                     switch profiles, and only the newest {SNAPSHOTS_KEPT} per project are kept."
                )))
            }
        })
        .await
    }

    /// Sends the staged edits: additions and changes in one `updateTenantEnv` on the base hash,
    /// then removals in one `deleteTenantEnv` on the hash that returned. See [`ApplyOutcome`].
    /// Refused while a conflict is pending ([`EnvDraft::conflict`]), and, for a project the
    /// active profile marks as production, unless `confirm_name` is its current name.
    pub async fn env_apply(
        &self,
        tenant_id: &str,
        confirm_name: Option<String>,
    ) -> Result<ApplyOutcome, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let _ops = self.drafts.ops.lock().await;
        let (profile, client) = self.session.active_client().await?;
        let fingerprints = self.fingerprint_key.get().await;
        let mut draft = self.draft_or_load(&profile, &client, tenant).await?;
        if draft.theirs.is_some() {
            return Err(AppError::invalid(
                "envs",
                "Nothing was sent: someone else changed this project's variables since you \
                 loaded them. Settle the conflicting variables first (keep yours, take theirs, \
                 or type a value), then apply.",
            ));
        }

        let changes = draft.changes();
        let issues = issues::issues_of_changes(&changes);
        if let Some(first) = issues.iter().find(|i| i.severity == Severity::Error) {
            let count = issues
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .count();
            let others = match count {
                1 => String::new(),
                n => format!(" ({} more problems are marked)", n - 1),
            };
            return Err(AppError::invalid(
                "envs",
                format!(
                    "Nothing was sent: fix the marked problems first. {}: {}{others}",
                    shown_key(&first.key),
                    first.message
                ),
            ));
        }
        if changes.is_empty() {
            return Ok(ApplyOutcome::NothingChanged {
                draft: draft.to_view(),
            });
        }
        self.check_production(&profile, &client, tenant, confirm_name.as_deref())
            .await?;
        let (removals, settings): (Vec<_>, Vec<_>) = changes
            .iter()
            .cloned()
            .partition(|c| c.kind == ChangeKind::Removed);
        let sets: Vec<(String, String)> = settings
            .iter()
            .filter_map(|c| c.new_value.clone().map(|v| (c.key.clone(), v)))
            .collect();
        let removed_keys: Vec<String> = removals.iter().map(|c| c.key.clone()).collect();
        // A request whose answer was lost but that the read-back showed went through.
        let mut answer_lost = false;

        // 1. Additions and changes.
        let mut after_sets: Option<Loaded> = None;
        if !sets.is_empty() {
            match client.update_env(tenant, &draft.base.hash, &sets).await {
                Ok(env) => after_sets = Some(Loaded::from_env(&env, &fingerprints)),
                Err(hasura_cloud::Error::NothingChanged) => {}
                Err(error) => {
                    let mut expected = draft.base.vars.clone();
                    expected.extend(sets.iter().cloned());
                    match read_back(
                        &client,
                        tenant,
                        &draft.base.hash,
                        &expected,
                        &error,
                        &fingerprints,
                    )
                    .await
                    {
                        ReadBack::WentThrough(state) => {
                            after_sets = Some(state);
                            answer_lost = true;
                        }
                        ReadBack::Moved(theirs) => {
                            return Ok(self.conflict_found(&profile, draft, theirs));
                        }
                        ReadBack::Unchanged => return Err(error.into()),
                        ReadBack::Unknown => return Err(outcome_unknown(error.into())),
                    }
                }
            }
        }

        // 2. Removals, on the hash step 1 returned.
        let mut last = after_sets.clone();
        if !removed_keys.is_empty() {
            let before = after_sets.as_ref().unwrap_or(&draft.base);
            let sent_on = before.hash.clone();
            let mut expected = before.vars.clone();
            expected.retain(|key, _| !removed_keys.contains(key));
            match client.delete_env(tenant, &sent_on, &removed_keys).await {
                Ok(env) => last = Some(Loaded::from_env(&env, &fingerprints)),
                Err(hasura_cloud::Error::NothingChanged) => {}
                Err(error) => {
                    let read =
                        read_back(&client, tenant, &sent_on, &expected, &error, &fingerprints)
                            .await;
                    match (read, after_sets) {
                        (ReadBack::WentThrough(state), _) => {
                            last = Some(state);
                            answer_lost = true;
                        }
                        // Nothing went through before: this was the first request that changes.
                        (ReadBack::Moved(theirs), None) => {
                            return Ok(self.conflict_found(&profile, draft, theirs));
                        }
                        (ReadBack::Unchanged, None) => return Err(error.into()),
                        (ReadBack::Unknown, None) => return Err(outcome_unknown(error.into())),
                        // The additions and changes went through; the removals did not (or it
                        // is not known whether they did).
                        (read, Some(state)) => {
                            let error = match read {
                                ReadBack::Unknown => outcome_unknown(error.into()),
                                _ => AppError::from(error),
                            };
                            let hash = state.hash.clone();
                            draft.applied(state, settings.clone());
                            if let ReadBack::Moved(theirs) = read {
                                // Someone else changed it meanwhile.
                                draft.reload(theirs);
                            }
                            let view = draft.to_view();
                            self.keep_draft(&profile, draft);
                            self.record_env_apply(
                                &profile,
                                tenant,
                                &settings,
                                answer_lost,
                                &fingerprints,
                            );
                            return Ok(ApplyOutcome::Partial {
                                applied: settings,
                                not_applied: removals,
                                error,
                                hash,
                                draft: view,
                            });
                        }
                    }
                }
            }
        }

        match last {
            Some(state) => {
                let hash = state.hash.clone();
                // Everything staged went through.
                draft.staged.clear();
                let undo_snapshot = draft.applied(state, changes.clone());
                let view = draft.to_view();
                self.keep_draft(&profile, draft);
                self.record_env_apply(&profile, tenant, &changes, answer_lost, &fingerprints);
                Ok(ApplyOutcome::Applied {
                    hash,
                    changes,
                    undo_snapshot,
                    confirmed_after_lost_answer: answer_lost,
                    draft: view,
                })
            }
            None => {
                // Hasura Cloud already had every staged value. Best effort: show its state, as
                // a reload would (a conflict included).
                if let Ok(env) = client.get_env(tenant).await {
                    let fresh = Loaded::from_env(&env, &fingerprints);
                    if !draft.conflict_with(&fresh).conflicts.is_empty() {
                        return Ok(self.conflict_found(&profile, draft, fresh));
                    }
                    draft.reload(fresh);
                }
                let view = draft.to_view();
                self.keep_draft(&profile, draft);
                Ok(ApplyOutcome::NothingChanged { draft: view })
            }
        }
    }

    /// A project the profile marks as production takes its current name, typed, before any
    /// change is sent to it (read with the tenant, so a rename elsewhere is seen).
    pub(super) async fn check_production(
        &self,
        profile: &str,
        client: &Client,
        tenant: TenantId,
        confirm_name: Option<&str>,
    ) -> Result<(), AppError> {
        let marked = self.session.profile(profile)?.production_projects;
        if marked.is_empty() {
            // No need to ask which project this is.
            return Ok(());
        }
        let details = client.tenant(tenant).await?;
        if !marked.contains(&details.project.id.to_string()) {
            return Ok(());
        }
        let name = &details.project.name;
        let typed = confirm_name.map(str::trim).unwrap_or_default();
        if typed == name {
            return Ok(());
        }
        let message = if typed.is_empty() {
            format!(
                "{name} is marked as production: type its name, {name}, to apply these \
                 changes. Nothing was sent."
            )
        } else {
            format!(
                "That is not this project's name: type {name} exactly as shown to apply these \
                 changes to production. Nothing was sent."
            )
        };
        Err(AppError::invalid("confirmName", message))
    }

    fn record_env_apply(
        &self,
        profile: &str,
        tenant: TenantId,
        applied: &[EnvChange],
        answer_lost: bool,
        fingerprints: &Fingerprinter,
    ) {
        let mut summary = activity::env_summary(applied);
        if answer_lost {
            summary.push_str(
                " (the answer was lost; reading the variables back confirmed the change)",
            );
        }
        self.record(
            self.activity_entry(profile, ActivityKind::EnvApplied, summary)
                .project(None, Some(&tenant.to_string()))
                .keys(applied, fingerprints),
        );
    }

    /// Someone else changed the project: the draft keeps its base and edits, records their state
    /// as a conflict to settle, and nothing (more) is sent.
    fn conflict_found(&self, profile: &str, mut draft: Draft, theirs: Loaded) -> ApplyOutcome {
        let found = draft.conflict_with(&theirs);
        draft.theirs = Some(theirs);
        let view = draft.to_view();
        self.keep_draft(profile, draft);
        ApplyOutcome::Conflict {
            their_hash: found.their_hash,
            conflicts: found.conflicts,
            merged_without_conflict: found.merged_without_conflict,
            draft: view,
        }
    }

    /// After a conflict: settles each conflicting key (`mine`, `theirs` or a value), and rebases
    /// the draft on their state with those edits plus the ones that merged by themselves. The
    /// person reviews it and applies again.
    pub async fn env_resolve(
        &self,
        tenant_id: &str,
        resolutions: Vec<KeyResolution>,
    ) -> Result<EnvDraft, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let _ops = self.drafts.ops.lock().await;
        let (profile, _client) = self.session.active_client().await?;
        let no_conflict = || {
            AppError::invalid(
                "envs",
                "There is no conflict to resolve for this project: apply the changes, or reload.",
            )
        };
        let mut draft = self.drafts.get(&profile, tenant).ok_or_else(no_conflict)?;
        let theirs = draft.theirs.take().ok_or_else(no_conflict)?;
        let merged = diff::merge(&draft.base.vars, &theirs.vars, &draft.staged);
        let staged = diff::resolve(&theirs.vars, &merged, &resolutions).map_err(|keys| {
            let keys: Vec<String> = keys.iter().map(|k| shown_key(k)).collect();
            AppError::invalid(
                "envs",
                format!(
                    "Choose how to settle {}: keep yours, take theirs, or type a value.",
                    keys.join(", ")
                ),
            )
        })?;
        draft.base = theirs;
        draft.staged = staged;
        let view = draft.to_view();
        self.keep_draft(&profile, draft);
        Ok(view)
    }

    /// What importing a `.env` text would do, against the draft's current view (base + staged).
    pub async fn env_import_preview(
        &self,
        tenant_id: &str,
        text: &str,
    ) -> Result<ImportPreview, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let _ops = self.drafts.ops.lock().await;
        let (profile, client) = self.session.active_client().await?;
        let draft = self.draft_or_load(&profile, &client, tenant).await?;
        Ok(dotenv::preview(&draft.current(), &dotenv::parse(text)))
    }

    /// Stages `Set` edits for the added and overwritten keys of a `.env` text. A text with lines
    /// that cannot be read, or with errors (a repeated key, an invalid name, a value too
    /// large), is refused whole (`invalidInput`, field `envs`).
    pub async fn env_import_stage(
        &self,
        tenant_id: &str,
        text: &str,
    ) -> Result<EnvDraft, AppError> {
        self.with_draft(tenant_id, |draft| {
            let preview = dotenv::preview(&draft.current(), &dotenv::parse(text));
            if let Some(first) = preview.errors.first() {
                let count = preview.errors.len();
                let lines = if count == 1 {
                    format!("line {} could not be read", first.line)
                } else {
                    format!(
                        "{count} lines could not be read (the first is line {})",
                        first.line
                    )
                };
                return Err(AppError::invalid(
                    "envs",
                    format!(
                        "Nothing was imported: {lines}. {} Fix the file and import it again.",
                        first.message
                    ),
                ));
            }
            if let Some(first) = (preview.issues.iter()).find(|i| i.severity == Severity::Error) {
                return Err(AppError::invalid(
                    "envs",
                    format!(
                        "Nothing was imported. {}: {} Fix the file and import it again.",
                        shown_key(&first.key),
                        first.message
                    ),
                ));
            }
            let edits = (preview.added.into_iter().chain(preview.overwritten))
                .filter_map(|c| c.new_value.map(|value| EnvEdit::Set { key: c.key, value }));
            diff::stage(&draft.base.vars, &mut draft.staged, edits);
            Ok(())
        })
        .await
    }

    /// The draft's current view (base + staged) as `.env` text; reading it back gives the same
    /// variables. It holds secrets: the shell writes it only where the person chose.
    pub async fn env_export_text(&self, tenant_id: &str) -> Result<String, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let _ops = self.drafts.ops.lock().await;
        let (profile, client) = self.session.active_client().await?;
        let draft = self.draft_or_load(&profile, &client, tenant).await?;
        let current = draft.current();
        let mut text = format!(
            "# Environment variables of Hasura Cloud tenant {tenant}, exported {}{}.\n\
             # This file holds secrets: keep it private and out of version control.\n",
            crate::env::now(),
            if draft.has_changes() {
                ", with edits not yet applied"
            } else {
                ""
            }
        );
        text.push_str(&dotenv::serialize(
            current.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
        Ok(text)
    }

    /// Two projects' variables, read fresh, side by side by key with fingerprints only.
    pub async fn env_compare(
        &self,
        left_tenant_id: &str,
        right_tenant_id: &str,
    ) -> Result<EnvComparison, AppError> {
        let left = parse_tenant_id(left_tenant_id)?;
        let right = parse_tenant_id(right_tenant_id)?;
        let client = self.session.client().await?;
        let (l, r) = tokio::try_join!(client.get_env(left), client.get_env(right))?;
        let fingerprints = self.fingerprint_key.get().await;
        Ok(crate::env::compare(
            left.to_string(),
            &Loaded::from_env(&l, &fingerprints).vars,
            right.to_string(),
            &Loaded::from_env(&r, &fingerprints).vars,
            &fingerprints,
        ))
    }

    /// Stages, in `to`'s draft, `Set` edits with the values `keys` have in `from` now (read
    /// fresh). The values never leave Rust.
    pub async fn env_copy(
        &self,
        from_tenant_id: &str,
        to_tenant_id: &str,
        keys: Vec<String>,
    ) -> Result<EnvDraft, AppError> {
        let from = parse_tenant_id(from_tenant_id)?;
        let to = parse_tenant_id(to_tenant_id)?;
        if from == to {
            return Err(AppError::invalid(
                "envs",
                "Choose another project to copy these variables to.",
            ));
        }
        let client = self.session.client().await?;
        let fingerprints = self.fingerprint_key.get().await;
        let source = Loaded::from_env(&client.get_env(from).await?, &fingerprints);
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !source.vars.contains_key(*k))
            .map(|k| shown_key(k))
            .collect();
        if !missing.is_empty() {
            return Err(AppError::invalid(
                "envs",
                format!(
                    "Nothing was copied: the source project has no {} (any more). Compare the \
                     projects again.",
                    missing.join(", ")
                ),
            ));
        }
        self.with_draft(to_tenant_id, |draft| {
            let edits = keys.into_iter().filter_map(|key| {
                (source.vars.get(&key).cloned()).map(|value| EnvEdit::Set { key, value })
            });
            diff::stage(&draft.base.vars, &mut draft.staged, edits);
            Ok(())
        })
        .await
    }

    /// Watches the project after an apply as Hasura Cloud's dashboard does: its workers until
    /// each runs a config other than the one from before the last apply of this session (when
    /// the token may read them), then `<endpoint>/healthz` with backoff until it answers 200 or
    /// the time allowed ([`App::with_health_watch`]) runs out. Every step goes to
    /// `on_progress`; the last one is also returned.
    pub async fn env_watch_health(
        &self,
        tenant_id: &str,
        on_progress: impl Fn(HealthProgress) + Send + Sync,
    ) -> Result<HealthProgress, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let (profile, client) = self.session.active_client().await?;
        let details = client.tenant(tenant).await?;
        let url = health::healthz_url(&details.project.endpoint)?;
        let watch = self.drafts.health_watch;
        let http = health::http_client(&watch)?;
        let previous_hash = self
            .drafts
            .get(&profile, tenant)
            .and_then(|d| d.snapshots.last().map(|s| s.hash.clone()));
        // Shown in the taskbar/Dock until the watch ends (or its caller goes away).
        let _shown = self.long_work.start();
        let read_workers = || client.config_status(tenant);
        Ok(health::watch_after_apply(
            read_workers,
            previous_hash.as_deref(),
            &http,
            &url,
            &watch,
            &on_progress,
        )
        .await)
    }

    /// Tenant ids with staged edits (sorted), for the prompt before the window closes.
    pub async fn env_unsaved(&self) -> Result<Vec<String>, AppError> {
        Ok(self.drafts.unsaved())
    }

    // ---- helpers -------------------------------------------------------------------------

    /// Runs `change` on the tenant's draft in place, reading the draft from the API first when
    /// none is kept, under the env lock; answers with the draft as it is afterwards. When
    /// `change` fails, it must leave the draft as it was.
    async fn with_draft(
        &self,
        tenant_id: &str,
        change: impl FnOnce(&mut Draft) -> Result<(), AppError>,
    ) -> Result<EnvDraft, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let _ops = self.drafts.ops.lock().await;
        let (profile, client) = self.session.active_client().await?;
        if !self.drafts.contains(&profile, tenant) {
            let fingerprints = self.fingerprint_key.get().await;
            let mut draft = Draft::new(
                tenant.to_string(),
                Loaded::from_env(&client.get_env(tenant).await?, &fingerprints),
            );
            if !self.session.is_active_and_signed_in(&profile) {
                // Signed out or switched meanwhile: answer, but keep nothing.
                change(&mut draft)?;
                return Ok(draft.to_view());
            }
            self.drafts.put(&profile, draft);
        }
        let changed = self.drafts.change(&profile, tenant, |draft| {
            change(draft).map(|()| draft.to_view())
        });
        changed.unwrap_or_else(|| {
            Err(AppError::not_signed_in(
                "You were signed out while this change was made: sign in and make it again.",
            ))
        })
    }

    /// The draft in memory, or a fresh one read from the API (and kept).
    async fn draft_or_load(
        &self,
        profile: &str,
        client: &Client,
        tenant: TenantId,
    ) -> Result<Draft, AppError> {
        if let Some(draft) = self.drafts.get(profile, tenant) {
            return Ok(draft);
        }
        let env = client.get_env(tenant).await?;
        let fingerprints = self.fingerprint_key.get().await;
        let draft = Draft::new(tenant.to_string(), Loaded::from_env(&env, &fingerprints));
        self.keep_draft(profile, draft.clone());
        Ok(draft)
    }

    /// Keeps `draft` for `profile` — unless that profile stopped being the active one, or was
    /// signed out, meanwhile (its drafts were dropped then).
    pub(super) fn keep_draft(&self, profile: &str, draft: Draft) {
        if self.session.is_active_and_signed_in(profile) {
            self.drafts.put(profile, draft);
        }
    }
}

/// What the project holds after a changing request failed.
enum ReadBack {
    /// Its hash is the one the request was sent on: the request did not go through.
    Unchanged,
    /// Exactly what was sent, on top of what it was sent on: the request went through and only
    /// its answer was lost.
    WentThrough(Loaded),
    /// Something else: someone else changed the project (perhaps as well).
    Moved(Loaded),
    /// It could not be read: whether the request went through is not known.
    Unknown,
}

/// Reads the variables after a request sent on hash `sent_on` failed with `error`, and compares
/// them with `expected`, what the request would have left. Only a failure that leaves the
/// outcome unknown (no answer, a timeout, a server error, an unreadable answer) can have gone
/// through; a refusal (a stale hash, a rate limit, a rejected token…) did not, whatever the
/// project holds now. (Should someone else have made the very same change meanwhile, no read can
/// tell that apart from the request going through: the project holds what was sent either way.)
async fn read_back(
    client: &Client,
    tenant: TenantId,
    sent_on: &str,
    expected: &EnvMap,
    error: &hasura_cloud::Error,
    fingerprints: &Fingerprinter,
) -> ReadBack {
    let Ok(env) = client.get_env(tenant).await else {
        return ReadBack::Unknown;
    };
    let now = Loaded::from_env(&env, fingerprints);
    use hasura_cloud::Error as E;
    let may_have_run = matches!(
        error,
        E::Network { .. } | E::Timeout | E::Server { .. } | E::UnexpectedResponse { .. }
    );
    if matches!(error, E::HashConflict { .. }) {
        ReadBack::Moved(now)
    } else if now.hash == sent_on {
        ReadBack::Unchanged
    } else if may_have_run && now.vars == *expected {
        ReadBack::WentThrough(now)
    } else {
        ReadBack::Moved(now)
    }
}

/// A changing request failed and reading the variables back failed too: say so, since the
/// change may have been made.
fn outcome_unknown(error: AppError) -> AppError {
    const NOTE: &str = " It is not known whether the change was made: reload the variables to                         see before applying again.";
    match error {
        AppError::Network { message } => AppError::Network {
            message: message + NOTE,
        },
        AppError::Timeout { message } => AppError::Timeout {
            message: message + NOTE,
        },
        AppError::Server {
            message,
            code,
            request_id,
        } => AppError::Server {
            message: message + NOTE,
            code,
            request_id,
        },
        other => other,
    }
}

/// A key as shown in a message (an empty or odd key stays visible).
fn shown_key(key: &str) -> String {
    if key.is_empty() {
        "(a variable without a name)".to_owned()
    } else if crate::validate::is_env_key(key) {
        key.to_owned()
    } else {
        format!("\"{}\"", key.escape_debug())
    }
}
