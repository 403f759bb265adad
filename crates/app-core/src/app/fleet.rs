//! Fleet env changes (`fleet/`): previews, runs and "where is this value used?". Runs live
//! here, in memory, per profile; [`App::fleet_drive`] is the loop that applies a run project by
//! project, each through the env editor's own hash-guarded apply (`env_apply`), so every
//! applied project gets its snapshot, its activity entry and — on a conflict — the draft the
//! three-way screen settles. The shell spawns the loop on its runtime: closing the screen does
//! not stop it, and a reloaded window reads the runs back with [`App::fleet_runs`].

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use hasura_cloud::{Client, TenantEnv, TenantId};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use super::App;
use crate::env::{ApplyOutcome, Draft, EnvChange, EnvEdit, HealthPhase, Loaded, diff};
use crate::error::AppError;
use crate::fleet::run::{
    self, Control, FleetPhase, FleetRow, FleetRun, FleetTally, Next, Outcome, RowState,
};
use crate::fleet::{
    self, FleetChange, FleetRule, PlanStatus, ProjectPreview, READ_CONCURRENCY, UsageRow,
};
use crate::projects::{ProjectRow, parse_tenant_id, row_from_project};

/// A preview: what the change does to each project, in the person's order. Nothing sent yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetPreview {
    pub plan_id: String,
    pub title: String,
    pub projects: Vec<ProjectPreview>,
}

/// How a run goes. `confirm_names`: the typed names of the production projects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetStart {
    pub plan_id: String,
    pub confirm_names: BTreeMap<String, String>,
    pub stop_on_failure: bool,
    pub watch_health: bool,
}

/// How far a search for a value got: projects read of all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FindProgress {
    pub read: u32,
    pub total: u32,
}

/// Where a value is used, with how far the search got.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetUsage {
    /// Names the value in a rotation ([`FleetChange::Rotate`]).
    pub value_fingerprint: String,
    pub rows: Vec<UsageRow>,
    pub read: u32,
    pub total: u32,
    /// Projects whose variables could not be read (names).
    pub unreadable: Vec<String>,
    pub cancelled: bool,
}

/// One project of a plan, with what the run needs beyond the preview.
#[derive(Debug, Clone)]
struct Planned {
    preview: ProjectPreview,
    /// The variables as read for the preview: the apply's hash guard.
    base: Option<Loaded>,
    edits: Vec<EnvEdit>,
}

#[derive(Debug, Clone)]
struct Plan {
    profile: String,
    title: String,
    projects: Vec<Planned>,
}

struct Entry {
    run: FleetRun,
    plan: Vec<Planned>,
    confirm_names: BTreeMap<String, String>,
    /// What each applied project changed, for the way back.
    applied: HashMap<String, Vec<EnvChange>>,
    seq: u64,
}

/// The fleet state of an [`App`].
#[derive(Default)]
pub(crate) struct Fleets {
    plans: Mutex<HashMap<String, Plan>>,
    runs: Mutex<HashMap<String, Entry>>,
    seq: AtomicUsize,
    /// Wakes paused loops when a control arrives.
    wake: tokio::sync::Notify,
    /// The running search's Cancel.
    search_cancel: AtomicBool,
}

impl Fleets {
    /// Forgets a profile's plans and runs (sign-out, profile deleted).
    pub(crate) fn drop_profile(&self, profile: &str) {
        self.plans.lock().retain(|_, p| p.profile != profile);
        for entry in self.runs.lock().values_mut() {
            if entry.run.profile_id == profile {
                run::control(&mut entry.run, Control::Cancel);
            }
        }
        self.wake.notify_waiters();
    }

    fn next_id(&self, prefix: &str) -> String {
        format!("{prefix}-{}", self.seq.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

/// Reads `tenants`' variables, [`READ_CONCURRENCY`] at a time, in their order; `on_read` is
/// called after each. Stops early when `cancel` is set (the rest answer `None`).
async fn read_envs(
    client: &Client,
    tenants: &[TenantId],
    cancel: &AtomicBool,
    on_read: impl Fn(usize),
) -> Vec<Option<Result<TenantEnv, AppError>>> {
    let mut out: Vec<Option<Result<TenantEnv, AppError>>> = vec![None; tenants.len()];
    let mut set = tokio::task::JoinSet::new();
    let mut next = 0;
    let mut done = 0;
    loop {
        while set.len() < READ_CONCURRENCY
            && next < tenants.len()
            && !cancel.load(Ordering::Relaxed)
        {
            let (client, tenant, i) = (client.clone(), tenants[next], next);
            set.spawn(async move { (i, client.get_env(tenant).await.map_err(AppError::from)) });
            next += 1;
        }
        let Some(joined) = set.join_next().await else {
            break;
        };
        if let Ok((i, result)) = joined {
            out[i] = Some(result);
            done += 1;
            on_read(done);
        }
    }
    out
}

impl App {
    fn production_ids(&self, profile: &str) -> Vec<String> {
        self.session
            .profile(profile)
            .map(|p| p.production_projects)
            .unwrap_or_default()
    }

    /// The active profile's projects that have a tenant.
    async fn fleet_rows(&self, client: &Client) -> Result<Vec<ProjectRow>, AppError> {
        let projects = client.list_projects().await?;
        Ok(projects
            .iter()
            .map(row_from_project)
            .filter(|r| r.tenant_id.is_some())
            .collect())
    }

    /// The tenant ids of the projects `rule` picks, in the list's order. A `has_key` rule reads
    /// every project's variables ([`READ_CONCURRENCY`] at a time).
    pub async fn fleet_select(&self, rule: FleetRule) -> Result<Vec<String>, AppError> {
        let (profile, client) = self.session.active_client().await?;
        let production = self.production_ids(&profile);
        let rows = self.fleet_rows(&client).await?;
        let fingerprints = self.fingerprint_key.get().await;
        let vars: Vec<Option<crate::env::EnvMap>> = if rule.needs_env() {
            let tenants = tenants_of(&rows)?;
            read_envs(&client, &tenants, &AtomicBool::new(false), |_| {})
                .await
                .into_iter()
                .map(|r| {
                    r.and_then(Result::ok)
                        .map(|env| Loaded::from_env(&env, &fingerprints).vars)
                })
                .collect()
        } else {
            vec![None; rows.len()]
        };
        Ok(rows
            .iter()
            .zip(vars.iter())
            .filter(|(row, vars)| {
                fleet::rule_matches(&rule, row, production.contains(&row.id), vars.as_ref())
            })
            .filter_map(|(row, _)| row.tenant_id.clone())
            .collect())
    }

    /// Reads the chosen projects (in the order given) and works out what `changes` would do to
    /// each. Nothing is sent; the plan is kept for [`App::fleet_start`].
    pub async fn fleet_preview(
        &self,
        tenant_ids: Vec<String>,
        changes: Vec<FleetChange>,
    ) -> Result<FleetPreview, AppError> {
        let changes = fleet::checked_changes(&changes)?;
        let title = title_of(&changes);
        self.plan(tenant_ids, title, |vars, fingerprints| {
            fleet::plan_project(vars, &changes, fingerprints)
        })
        .await
    }

    /// Reads the projects and plans each with `plan_one` (tenant order kept).
    async fn plan(
        &self,
        tenant_ids: Vec<String>,
        title: String,
        plan_one: impl Fn(
            &crate::env::EnvMap,
            &crate::env::issues::Fingerprinter,
        ) -> (
            Vec<EnvEdit>,
            PlanStatus,
            Vec<crate::env::KeyChange>,
            Vec<String>,
        ),
    ) -> Result<FleetPreview, AppError> {
        if tenant_ids.is_empty() {
            return Err(AppError::invalid(
                "tenantIds",
                "Choose at least one project for the change.",
            ));
        }
        let tenants = tenant_ids
            .iter()
            .map(|t| parse_tenant_id(t))
            .collect::<Result<Vec<_>, _>>()?;
        let (profile, client) = self.session.active_client().await?;
        let production = self.production_ids(&profile);
        let rows = self.fleet_rows(&client).await?;
        let fingerprints = self.fingerprint_key.get().await;
        let read = read_envs(&client, &tenants, &AtomicBool::new(false), |_| {}).await;
        let mut projects = Vec::new();
        for (tenant_id, result) in tenant_ids.iter().zip(read) {
            let row = rows
                .iter()
                .find(|r| r.tenant_id.as_deref() == Some(tenant_id.as_str()));
            let (project_id, name) = row.map_or_else(
                || (String::new(), tenant_id.clone()),
                |r| (r.id.clone(), r.name.clone()),
            );
            let mut preview = ProjectPreview {
                tenant_id: tenant_id.clone(),
                production: production.contains(&project_id),
                project_id,
                name,
                status: PlanStatus::Unreadable,
                changes: Vec::new(),
                notes: Vec::new(),
            };
            let planned = match result {
                Some(Ok(env)) => {
                    let base = Loaded::from_env(&env, &fingerprints);
                    let (edits, status, changes, notes) = plan_one(&base.vars, &fingerprints);
                    preview.status = status;
                    preview.changes = changes;
                    preview.notes = notes;
                    Planned {
                        preview,
                        base: Some(base),
                        edits,
                    }
                }
                Some(Err(error)) => {
                    preview.notes = vec![error.message().to_owned()];
                    Planned {
                        preview,
                        base: None,
                        edits: Vec::new(),
                    }
                }
                None => Planned {
                    preview,
                    base: None,
                    edits: Vec::new(),
                },
            };
            projects.push(planned);
        }
        let plan_id = self.fleets.next_id("plan");
        let view = FleetPreview {
            plan_id: plan_id.clone(),
            title: title.clone(),
            projects: projects.iter().map(|p| p.preview.clone()).collect(),
        };
        self.fleets.plans.lock().insert(
            plan_id,
            Plan {
                profile,
                title,
                projects,
            },
        );
        Ok(view)
    }

    /// Starts a run of a previewed plan: the projects with something to change, in the
    /// preview's order. Refused unless every production project among them has its name typed.
    /// The caller then drives it with [`App::fleet_drive`].
    pub async fn fleet_start(&self, start: FleetStart) -> Result<FleetRun, AppError> {
        let profile = self.session.active_client().await?.0;
        let plan = self
            .fleets
            .plans
            .lock()
            .get(&start.plan_id)
            .cloned()
            .filter(|p| p.profile == profile)
            .ok_or_else(|| {
                AppError::not_found("That preview is no longer kept: preview the change again.")
            })?;
        for p in &plan.projects {
            let typed = start
                .confirm_names
                .get(&p.preview.tenant_id)
                .map(|t| t.trim())
                .unwrap_or_default();
            if p.preview.production
                && p.preview.status == PlanStatus::Changes
                && typed != p.preview.name
            {
                return Err(AppError::invalid(
                    "confirmNames",
                    format!(
                        "{name} is marked as production: type its name, {name}, to include it. \
                         Nothing was sent.",
                        name = p.preview.name
                    ),
                ));
            }
        }
        let now = crate::env::now();
        let rows: Vec<FleetRow> = plan
            .projects
            .iter()
            .map(|p| FleetRow {
                tenant_id: p.preview.tenant_id.clone(),
                project_id: p.preview.project_id.clone(),
                name: p.preview.name.clone(),
                production: p.preview.production,
                state: match p.preview.status {
                    PlanStatus::Changes => RowState::Pending,
                    PlanStatus::Unreadable => RowState::Failed,
                    _ => RowState::NothingToChange,
                },
                reason: match p.preview.status {
                    PlanStatus::Unreadable => p.preview.notes.first().cloned().or_else(|| {
                        Some("Its variables could not be read for the preview.".to_owned())
                    }),
                    _ => p.preview.notes.first().cloned(),
                },
                snapshot: None,
            })
            .collect();
        let id = self.fleets.next_id("fleet");
        let fleet_run = FleetRun {
            id: id.clone(),
            profile_id: profile,
            title: plan.title.clone(),
            phase: FleetPhase::Running,
            over: false,
            current: None,
            cancel_requested: false,
            stop_on_failure: start.stop_on_failure,
            watch_health: start.watch_health,
            tally: FleetTally::of(&rows),
            rows,
            started_at: now.clone(),
            updated_at: now,
        };
        let seq = self.fleets.seq.fetch_add(1, Ordering::Relaxed) as u64;
        self.fleets.runs.lock().insert(
            id,
            Entry {
                run: fleet_run.clone(),
                plan: plan.projects,
                confirm_names: start.confirm_names,
                applied: HashMap::new(),
                seq,
            },
        );
        Ok(fleet_run)
    }

    fn fleet_update(&self, id: &str, change: impl FnOnce(&mut FleetRun)) -> Option<FleetRun> {
        let mut runs = self.fleets.runs.lock();
        let entry = runs.get_mut(id)?;
        change(&mut entry.run);
        entry.run.recount();
        entry.run.updated_at = crate::env::now();
        Some(entry.run.clone())
    }

    /// Applies a run's projects one by one until it ends (finished, cancelled, stopped).
    /// `on_change` gets the run after every step (the shell forwards it to the window).
    pub async fn fleet_drive(&self, id: &str, on_change: impl Fn(&FleetRun) + Send + Sync) {
        let shown = self.long_work.start();
        loop {
            let mut step = Next::Done;
            let Some(now) = self.fleet_update(id, |r| step = run::next(r)) else {
                return;
            };
            shown.set(now.tally.done.into(), now.tally.total.into());
            on_change(&now);
            match step {
                Next::Done => return,
                Next::Wait => {
                    let woken = self.fleets.wake.notified();
                    // A control may have arrived between the step and here.
                    if self
                        .fleet_run(id)
                        .is_some_and(|r| r.phase != FleetPhase::Paused)
                    {
                        continue;
                    }
                    woken.await;
                }
                Next::Apply(i) => {
                    let outcome = self.fleet_apply_one(id, i).await;
                    if let Some(now) = self.fleet_update(id, |r| run::record(r, i, outcome)) {
                        on_change(&now);
                    }
                }
            }
        }
    }

    /// One project of a run: its planned edits staged on the draft of the preview's read (the
    /// hash guard), then the env editor's apply.
    async fn fleet_apply_one(&self, id: &str, i: usize) -> Outcome {
        let (planned, confirm, profile, watch_health) = {
            let runs = self.fleets.runs.lock();
            let Some(entry) = runs.get(id) else {
                return failed("The run is gone.");
            };
            let Some(planned) = entry.plan.iter().find(|p| {
                Some(p.preview.tenant_id.as_str())
                    == entry.run.rows.get(i).map(|r| r.tenant_id.as_str())
            }) else {
                return failed("This project is not in the plan.");
            };
            (
                planned.clone(),
                entry.confirm_names.get(&planned.preview.tenant_id).cloned(),
                entry.run.profile_id.clone(),
                entry.run.watch_health,
            )
        };
        if self.session.active_profile_id().as_deref() != Some(profile.as_str())
            || !self.session.is_active_and_signed_in(&profile)
        {
            return failed(
                "Not sent: the profile of this fleet change is no longer the active one, or \
                 was signed out.",
            );
        }
        let Some(base) = planned.base.clone() else {
            return failed("Its variables could not be read for the preview.");
        };
        let Ok(tenant) = parse_tenant_id(&planned.preview.tenant_id) else {
            return failed("Not a project id.");
        };
        let kept = self.drafts.get(&profile, tenant);
        if kept
            .as_ref()
            .is_some_and(|d| d.has_changes() || d.theirs.is_some())
        {
            return failed(
                "Not sent: this project has edits of its own waiting in its env editor. Apply \
                 or discard them, then run the change again for it.",
            );
        }
        let mut draft = Draft::new(planned.preview.tenant_id.clone(), base);
        if let Some(kept) = kept {
            draft.snapshots = kept.snapshots;
        }
        diff::stage(&draft.base.vars, &mut draft.staged, planned.edits.clone());
        self.keep_draft(&profile, draft);
        match self.env_apply(&planned.preview.tenant_id, confirm).await {
            Ok(ApplyOutcome::Applied {
                undo_snapshot,
                changes,
                ..
            }) => {
                if let Some(entry) = self.fleets.runs.lock().get_mut(id) {
                    entry
                        .applied
                        .insert(planned.preview.tenant_id.clone(), changes);
                }
                if !watch_health {
                    return Outcome::Applied {
                        snapshot: undo_snapshot,
                        note: None,
                    };
                }
                match self.fleet_watch_health(&planned.preview.tenant_id).await {
                    Ok(word) => Outcome::Applied {
                        snapshot: undo_snapshot,
                        note: Some(word),
                    },
                    Err(reason) => Outcome::Unhealthy {
                        snapshot: undo_snapshot,
                        reason,
                    },
                }
            }
            Ok(ApplyOutcome::NothingChanged { .. }) => Outcome::NothingToChange,
            Ok(ApplyOutcome::Conflict { .. }) => Outcome::Conflict,
            Ok(ApplyOutcome::Partial { error, .. }) => Outcome::Failed {
                reason: format!(
                    "Only part of the change went through (additions and changes, not the \
                     removals): {}",
                    error.message()
                ),
            },
            Err(error) => Outcome::Failed {
                reason: error.message().to_owned(),
            },
        }
    }

    /// The health watch's last word: `Ok` when the project came back healthy, `Err` (why not)
    /// when it did not or could not be watched.
    async fn fleet_watch_health(&self, tenant_id: &str) -> Result<String, String> {
        match self.env_watch_health(tenant_id, |_| {}).await {
            Ok(p) if p.phase == HealthPhase::Healthy => Ok(p.message),
            Ok(p) => Err(p.message),
            Err(error) => Err(error.message().to_owned()),
        }
    }

    /// Pause, Resume or Cancel a run (Pause and Cancel take effect after the current project).
    pub async fn fleet_control(&self, id: &str, control: Control) -> Result<FleetRun, AppError> {
        let updated = self.fleet_update(id, |r| run::control(r, control));
        self.fleets.wake.notify_waiters();
        updated.ok_or_else(|| AppError::not_found("That fleet change is no longer kept."))
    }

    /// One run as it stands.
    pub fn fleet_run(&self, id: &str) -> Option<FleetRun> {
        self.fleets.runs.lock().get(id).map(|e| e.run.clone())
    }

    /// The active profile's runs, newest first (a reloaded window shows them again).
    pub async fn fleet_runs(&self) -> Result<Vec<FleetRun>, AppError> {
        let active = self.session.active_profile_id();
        let runs = self.fleets.runs.lock();
        let mut entries: Vec<&Entry> = runs
            .values()
            .filter(|e| Some(&e.run.profile_id) == active.as_ref())
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.seq));
        Ok(entries.into_iter().map(|e| e.run.clone()).collect())
    }

    /// "Undo this fleet change": a new preview that puts back, on every project the run
    /// applied, the values its keys had before — reviewed and run like any fleet change.
    pub async fn fleet_undo(&self, id: &str) -> Result<FleetPreview, AppError> {
        let (title, befores) = {
            let runs = self.fleets.runs.lock();
            let entry = runs
                .get(id)
                .ok_or_else(|| AppError::not_found("That fleet change is no longer kept."))?;
            let befores: Vec<(String, BTreeMap<String, Option<String>>)> = entry
                .run
                .rows
                .iter()
                .filter_map(|row| {
                    let changes = entry.applied.get(&row.tenant_id)?;
                    let before = changes
                        .iter()
                        .map(|c| (c.key.clone(), c.old_value.clone()))
                        .collect();
                    Some((row.tenant_id.clone(), before))
                })
                .collect();
            (format!("Undo of “{}”", entry.run.title), befores)
        };
        if befores.is_empty() {
            return Err(AppError::invalid(
                "id",
                "This fleet change applied nothing, so there is nothing to undo.",
            ));
        }
        let tenant_ids: Vec<String> = befores.iter().map(|(t, _)| t.clone()).collect();
        let befores: HashMap<String, BTreeMap<String, Option<String>>> =
            befores.into_iter().collect();
        self.plan_each(tenant_ids, title, move |tenant, vars| {
            let target = fleet::undo_target(vars, befores.get(tenant).unwrap_or(&BTreeMap::new()));
            let (edits, changes) = fleet::edits_between(vars, &target);
            let status = if edits.is_empty() {
                PlanStatus::AlreadyAsAsked
            } else {
                PlanStatus::Changes
            };
            (edits, status, changes, Vec::new())
        })
        .await
    }

    /// Like [`App::plan`] with a plan per tenant.
    async fn plan_each(
        &self,
        tenant_ids: Vec<String>,
        title: String,
        plan_one: impl Fn(
            &str,
            &crate::env::EnvMap,
        ) -> (
            Vec<EnvEdit>,
            PlanStatus,
            Vec<crate::env::KeyChange>,
            Vec<String>,
        ),
    ) -> Result<FleetPreview, AppError> {
        // `plan` reads in order; the tenants are matched back by the keys of each read.
        let preview = self
            .plan(tenant_ids.clone(), title, |_, _| {
                (
                    Vec::new(),
                    PlanStatus::AlreadyAsAsked,
                    Vec::new(),
                    Vec::new(),
                )
            })
            .await?;
        let mut plans = self.fleets.plans.lock();
        let Some(plan) = plans.get_mut(&preview.plan_id) else {
            return Err(AppError::internal("The plan just made is gone."));
        };
        for p in &mut plan.projects {
            if let Some(base) = &p.base {
                let (edits, status, changes, notes) = plan_one(&p.preview.tenant_id, &base.vars);
                p.edits = edits;
                p.preview.status = status;
                p.preview.changes = changes;
                p.preview.notes = notes;
            }
        }
        Ok(FleetPreview {
            plan_id: preview.plan_id,
            title: plan.title.clone(),
            projects: plan.projects.iter().map(|p| p.preview.clone()).collect(),
        })
    }

    /// "Find projects with this value": the value of `key` in `tenant_id` (read in Rust, never
    /// sent to the window), compared by fingerprint with every value of every project of the
    /// profile, [`READ_CONCURRENCY`] reads at a time. `on_progress` hears how far it got after
    /// each read; [`App::fleet_usage_cancel`] stops it (the answer then says how far it got).
    pub async fn fleet_find_usage(
        &self,
        tenant_id: &str,
        key: &str,
        on_progress: impl Fn(FindProgress),
    ) -> Result<FleetUsage, AppError> {
        let tenant = parse_tenant_id(tenant_id)?;
        let (profile, client) = self.session.active_client().await?;
        let fingerprints = self.fingerprint_key.get().await;
        let value = match self.drafts.get(&profile, tenant) {
            Some(draft) => draft.base.vars.get(key).cloned(),
            None => Loaded::from_env(&client.get_env(tenant).await?, &fingerprints)
                .vars
                .get(key)
                .cloned(),
        }
        .ok_or_else(|| AppError::not_found(format!("{key} is not set in this project.")))?;
        let wanted = fleet::value_fingerprint(&fingerprints, &value);
        let production = self.production_ids(&profile);
        let rows = self.fleet_rows(&client).await?;
        let tenants = tenants_of(&rows)?;
        let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        self.fleets.search_cancel.store(false, Ordering::Relaxed);
        on_progress(FindProgress { read: 0, total });
        let read_count = AtomicUsize::new(0);
        let read = read_envs(&client, &tenants, &self.fleets.search_cancel, |done| {
            read_count.store(done, Ordering::Relaxed);
            on_progress(FindProgress {
                read: u32::try_from(done).unwrap_or(u32::MAX),
                total,
            });
        })
        .await;
        let mut usage = FleetUsage {
            value_fingerprint: wanted.clone(),
            read: u32::try_from(read_count.into_inner()).unwrap_or(u32::MAX),
            total,
            cancelled: self.fleets.search_cancel.load(Ordering::Relaxed),
            ..FleetUsage::default()
        };
        for (row, result) in rows.iter().zip(read) {
            match result {
                Some(Ok(env)) => {
                    let vars = Loaded::from_env(&env, &fingerprints).vars;
                    let keys = fleet::keys_with_value(&vars, &wanted, &fingerprints);
                    if !keys.is_empty() {
                        usage.rows.push(UsageRow {
                            tenant_id: row.tenant_id.clone().unwrap_or_default(),
                            project_id: row.id.clone(),
                            name: row.name.clone(),
                            production: production.contains(&row.id),
                            keys,
                        });
                    }
                }
                Some(Err(_)) => usage.unreadable.push(row.name.clone()),
                None => {}
            }
        }
        Ok(usage)
    }

    /// Stops the running search after the reads in flight.
    pub fn fleet_usage_cancel(&self) {
        self.fleets.search_cancel.store(true, Ordering::Relaxed);
    }
}

fn failed(reason: &str) -> Outcome {
    Outcome::Failed {
        reason: reason.to_owned(),
    }
}

fn tenants_of(rows: &[ProjectRow]) -> Result<Vec<TenantId>, AppError> {
    rows.iter()
        .filter_map(|r| r.tenant_id.as_deref())
        .map(parse_tenant_id)
        .collect()
}

/// A few words naming a change list.
fn title_of(changes: &[FleetChange]) -> String {
    let parts: Vec<String> = changes
        .iter()
        .map(|c| match c {
            FleetChange::Set { key, .. } => format!("set {key}"),
            FleetChange::Delete { key } => format!("delete {key}"),
            FleetChange::Rename { from, to } => format!("rename {from} to {to}"),
            FleetChange::Dotenv { .. } => "a .env block".to_owned(),
            FleetChange::Rotate { .. } => "rotate a value".to_owned(),
        })
        .collect();
    let mut title = match parts.len() {
        0..=3 => parts.join(", "),
        n => format!("{}, and {} more", parts[..2].join(", "), n - 2),
    };
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    title
}
