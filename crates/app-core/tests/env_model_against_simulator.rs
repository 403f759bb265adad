//! A model-based test of the env editor against the simulator: random sequences of what a person
//! does (stage, unstage, edit, reload, apply, resolve, discard), what a teammate does meanwhile
//! (updating and deleting the same and other keys through their own client), and what the
//! network does to an apply (lost answers after the change was made, 502s before it, timeouts).
//! After every step it checks, against the server's real state:
//!
//! - **no silent overwrite**: every staged change is against the value the person staged it on
//!   (or chose after seeing theirs in a conflict), and an apply replaces exactly the values it
//!   reported as old; a reload that meets a teammate's change to a staged key shows the conflict;
//! - **every apply is reported as what happened**: the server moved by exactly the reported
//!   changes (or not at all), under the reported hash, with one activity entry per apply that
//!   changed something;
//! - **nothing staged disappears** unless it was applied, discarded, unstaged, settled with
//!   "theirs", or is already what the project holds.
//!
//! 32 cases of 6 to 12 steps by default; `ENV_MODEL_CASES` sets the count and `ENV_MODEL_SEED`
//! replays a run (the seed is printed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app_core::{
    ActivityKind, App, ApplyOutcome, ChangeKind, EnvChange, EnvDraft, EnvEdit, KeyResolution,
    MemoryStore, Resolution,
};
use cloud_sim::{FaultKind, FaultRule, SeededProject, Simulator};
use common::env_editor::{other_writer, seed, tid};
use common::{fast_clients, field_of, harness_with_clients, sign_in_work, sim};
use hasura_cloud::ClientConfig;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

type Vars = BTreeMap<String, String>;
type Wanted = BTreeMap<String, Option<String>>;

/// Keys the person edits; the teammate also writes `E`, which the person never touches.
const MY_KEYS: [&str; 4] = ["A", "B", "C", "D"];
const THEIR_KEYS: [&str; 5] = ["A", "B", "C", "D", "E"];
/// Few values, so both sides often make the same change (it merges by itself).
const VALUES: [&str; 3] = ["1", "2", "3"];

/// How long the app waits for an answer, and how long a "timeout" fault holds it back.
const REQUEST_TIMEOUT: Duration = Duration::from_millis(1_000);
const HELD_BACK: Duration = Duration::from_millis(1_500);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    None,
    /// The request runs; its connection is closed before the answer.
    DropAnswer,
    /// The request runs; the gateway answers 502.
    Answer502,
    /// The request runs; the answer comes after the app stopped waiting.
    Timeout,
    /// 502 before the request runs.
    Refused502,
}

impl Fault {
    /// The request runs and only its answer is lost.
    fn loses_the_answer(self) -> bool {
        matches!(self, Fault::DropAnswer | Fault::Answer502 | Fault::Timeout)
    }

    fn kind(self) -> Option<FaultKind> {
        Some(match self {
            Fault::None => return None,
            Fault::DropAnswer => FaultKind::DropResponse,
            Fault::Answer502 => FaultKind::LoseAnswer {
                status: 502,
                delay_ms: 0,
            },
            Fault::Timeout => FaultKind::LoseAnswer {
                status: 504,
                delay_ms: HELD_BACK.as_millis() as u64,
            },
            Fault::Refused502 => FaultKind::HttpError { status: 502 },
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Choice {
    Mine,
    Theirs,
    Value(&'static str),
}

#[derive(Debug, Clone)]
enum Step {
    /// Set keys (`Some`) or remove them (`None`), in one go; setting an edited key again is an
    /// edit.
    Stage {
        edits: Vec<(&'static str, Option<&'static str>)>,
    },
    Unstage {
        key: &'static str,
    },
    Reload,
    /// The teammate sets or deletes a key on whatever the project holds now: one of those the
    /// person has staged (by place, when there are any), or any key.
    Teammate {
        staged: Option<usize>,
        key: &'static str,
        value: Option<&'static str>,
    },
    /// Apply, with `fault` on the update or on the delete.
    Apply {
        fault: Fault,
        on_delete: bool,
    },
    /// Settle the conflict (if any), per conflicting key by its place in [`MY_KEYS`].
    Resolve {
        choices: [Choice; 4],
    },
    Discard,
}

fn step() -> impl Strategy<Value = Step> {
    let key = || prop::sample::select(&MY_KEYS[..]);
    let value = || prop::option::weighted(0.7, prop::sample::select(&VALUES[..]));
    let fault = prop_oneof![
        3 => Just(Fault::None),
        1 => Just(Fault::DropAnswer),
        1 => Just(Fault::Answer502),
        1 => Just(Fault::Timeout),
        2 => Just(Fault::Refused502),
    ];
    let choice = prop_oneof![
        Just(Choice::Mine),
        Just(Choice::Theirs),
        prop::sample::select(&VALUES[..]).prop_map(Choice::Value),
    ];
    prop_oneof![
        10 => prop::collection::vec((key(), value()), 1..=3).prop_map(|edits| Step::Stage { edits }),
        1 => key().prop_map(|key| Step::Unstage { key }),
        5 => Just(Step::Reload),
        6 => (
            prop::option::of(0..MY_KEYS.len()),
            prop::sample::select(&THEIR_KEYS[..]),
            value()
        )
            .prop_map(|(staged, key, value)| Step::Teammate { staged, key, value }),
        5 => (fault, any::<bool>()).prop_map(|(fault, on_delete)| Step::Apply { fault, on_delete }),
        4 => [choice.clone(), choice.clone(), choice.clone(), choice]
            .prop_map(|choices| Step::Resolve { choices }),
        1 => Just(Step::Discard),
    ]
}

/// What happened over all cases, to show what the run covered.
#[derive(Debug, Default)]
struct Seen {
    steps: usize,
    applied: usize,
    nothing_changed: usize,
    confirmed_after_lost_answer: usize,
    apply_conflicts: usize,
    reload_conflicts: usize,
    partial: usize,
    apply_errors: usize,
    refused_for_conflict: usize,
    resolved: usize,
}

/// The person's side of the model: what they want for the keys they edited, and the value each
/// edit was made against (what they saw as "old", or "theirs" when they settled a conflict).
#[derive(Debug, Default)]
struct Person {
    wanted: Wanted,
    against: BTreeMap<String, Option<String>>,
}

struct Case<'a> {
    sim: Simulator,
    project: SeededProject,
    app: App,
    person: Person,
    seen: &'a RefCell<Seen>,
}

fn base_of(draft: &EnvDraft) -> Vars {
    (draft.vars.iter())
        .map(|v| (v.key.clone(), v.value.clone()))
        .collect()
}

fn staged_of(draft: &EnvDraft) -> Wanted {
    (draft.changes.iter())
        .map(|c| (c.key.clone(), c.new_value.clone()))
        .collect()
}

/// `vars` with `changes` made.
fn with_changes(vars: &Vars, changes: &[EnvChange]) -> Vars {
    let mut out = vars.clone();
    for c in changes {
        match &c.new_value {
            Some(value) => out.insert(c.key.clone(), value.clone()),
            None => out.remove(&c.key),
        };
    }
    out
}

async fn env_applies_logged(app: &App) -> usize {
    (app.activity_list(10_000).await.unwrap().iter())
        .filter(|e| e.kind == ActivityKind::EnvApplied)
        .count()
}

fn check(condition: bool, what: impl FnOnce() -> String) -> Result<(), TestCaseError> {
    if condition {
        Ok(())
    } else {
        Err(TestCaseError::fail(what()))
    }
}

impl Case<'_> {
    fn t(&self) -> &str {
        &self.project.tenant_id
    }

    /// The project as the server holds it now (hash, variables).
    async fn server(&self) -> (String, Vars) {
        let env = other_writer(&self.sim)
            .get_env(tid(&self.project))
            .await
            .unwrap();
        let vars = (env.vars.iter())
            .map(|v| (v.key.clone(), v.value.text.clone()))
            .collect();
        (env.hash, vars)
    }

    async fn run(&mut self, step: &Step) -> Result<(), TestCaseError> {
        self.seen.borrow_mut().steps += 1;
        match step {
            Step::Stage { edits } => {
                let sent = edits.iter().map(|(key, value)| match value {
                    Some(value) => EnvEdit::Set {
                        key: key.to_string(),
                        value: value.to_string(),
                    },
                    None => EnvEdit::Remove {
                        key: key.to_string(),
                    },
                });
                let draft = self.app.env_stage(self.t(), sent.collect()).await.unwrap();
                // The person sees the base value they edit.
                let base = base_of(&draft);
                for (key, value) in edits {
                    let shown = base.get(*key).cloned();
                    self.person.against.insert(key.to_string(), shown);
                    (self.person.wanted).insert(key.to_string(), value.map(str::to_owned));
                }
            }
            Step::Unstage { key } => {
                (self.app.env_unstage(self.t(), vec![key.to_string()]).await).unwrap();
                self.person.wanted.remove(*key);
                self.person.against.remove(*key);
            }
            Step::Reload => self.reload().await?,
            Step::Teammate { staged, key, value } => {
                let staged_key = staged.and_then(|n| {
                    let keys: Vec<&String> = self.person.wanted.keys().collect();
                    (!keys.is_empty()).then(|| keys[n % keys.len()].clone())
                });
                let key = staged_key.as_deref().unwrap_or(key);
                let writer = other_writer(&self.sim);
                let (hash, _) = self.server().await;
                // Deleting a key that is not set changes nothing: the server says so.
                let _ = match value {
                    Some(value) => {
                        let pair = [(key.to_string(), value.to_string())];
                        writer.update_env(tid(&self.project), &hash, &pair).await
                    }
                    None => {
                        let keys = [key.to_string()];
                        writer.delete_env(tid(&self.project), &hash, &keys).await
                    }
                };
            }
            Step::Apply { fault, on_delete } => self.apply(*fault, *on_delete).await?,
            Step::Resolve { choices } => self.resolve(choices).await?,
            Step::Discard => {
                let draft = self.app.env_discard(self.t()).await.unwrap();
                check(draft.changes.is_empty() && draft.conflict.is_none(), || {
                    format!("discard left {draft:?}")
                })?;
                self.person = Person::default();
            }
        }
        self.check_draft().await
    }

    /// A reload shows a conflict exactly when the teammate changed a staged key to something
    /// else than what it was staged against and what the person wants.
    async fn reload(&mut self) -> Result<(), TestCaseError> {
        let (hash, server) = self.server().await;
        let expected: Vec<String> = (self.person.wanted.iter())
            .filter(|(key, wanted)| {
                let now = server.get(*key);
                now != self.person.against[*key].as_ref() && now != wanted.as_ref()
            })
            .map(|(key, _)| key.clone())
            .collect();
        let draft = self.app.env_reload(self.t()).await.unwrap();
        match &draft.conflict {
            None => {
                check(expected.is_empty(), || {
                    format!("the reload rebased away the conflicts on {expected:?}")
                })?;
                check(base_of(&draft) == server && draft.base_hash == hash, || {
                    "the reload did not move onto the project's state".into()
                })?;
            }
            Some(conflict) => {
                self.seen.borrow_mut().reload_conflicts += 1;
                let keys: Vec<&str> = conflict.conflicts.iter().map(|c| c.key.as_str()).collect();
                check(keys == expected, || {
                    format!("the reload showed conflicts on {keys:?}, not {expected:?}")
                })?;
                check(conflict.their_hash == hash, || "their hash".into())?;
                for entry in &conflict.conflicts {
                    check(entry.theirs.as_ref() == server.get(&entry.key), || {
                        format!("theirs of {}", entry.key)
                    })?;
                }
            }
        }
        Ok(())
    }

    async fn apply(&mut self, fault: Fault, on_delete: bool) -> Result<(), TestCaseError> {
        let reviewed = self.app.env_load(self.t()).await.unwrap();
        let (_, before) = self.server().await;
        let logged_before = env_applies_logged(&self.app).await;
        let sets: Vec<EnvChange> = (reviewed.changes.iter())
            .filter(|c| c.kind != ChangeKind::Removed)
            .cloned()
            .collect();
        let removals: Vec<EnvChange> = (reviewed.changes.iter())
            .filter(|c| c.kind == ChangeKind::Removed)
            .cloned()
            .collect();
        let operation = if on_delete {
            "deleteTenantEnv"
        } else {
            "updateTenantEnv"
        };
        let faulted_request_sent = if on_delete {
            !removals.is_empty()
        } else {
            !sets.is_empty()
        };
        if let Some(kind) = fault.kind() {
            (self.sim.control()).add_fault(FaultRule::new(kind).on(operation).times(1));
        }
        let result = self.app.env_apply(self.t(), None).await;
        self.sim.control().clear_faults();
        let (after_hash, after) = self.server().await;
        let logged = env_applies_logged(&self.app).await - logged_before;

        match result {
            Err(e) if reviewed.conflict.is_some() => {
                self.seen.borrow_mut().refused_for_conflict += 1;
                check(field_of(&e) == Some("envs"), || format!("{e:?}"))?;
                check(after == before && logged == 0, || {
                    "an apply refused for a conflict sent something".into()
                })?;
            }
            Err(e) if e.message().contains("not known whether") => {
                // The read-back failed as well (a slow machine): honest, and the next reload
                // sorts it out. Either nothing or exactly the reviewed changes went through.
                self.seen.borrow_mut().apply_errors += 1;
                check(
                    after == before || after == with_changes(&before, &reviewed.changes),
                    || "an apply of unknown outcome made other changes".into(),
                )?;
                self.app.env_reload(self.t()).await.unwrap();
            }
            Err(e) => {
                self.seen.borrow_mut().apply_errors += 1;
                check(after == before && logged == 0, || {
                    format!("a failed apply ({e}) changed the project or the log")
                })?;
            }
            Ok(ApplyOutcome::Applied {
                hash,
                changes,
                confirmed_after_lost_answer,
                ..
            }) => {
                let mut seen = self.seen.borrow_mut();
                seen.applied += 1;
                seen.confirmed_after_lost_answer += usize::from(confirmed_after_lost_answer);
                drop(seen);
                check(changes == reviewed.changes, || {
                    "applied something else than was reviewed".into()
                })?;
                let reviewed_base = base_of(&reviewed);
                check(after == with_changes(&reviewed_base, &changes), || {
                    "the project does not hold exactly what was reported applied".into()
                })?;
                // No value of a teammate was replaced: every key is as the person was shown
                // it, or already held what the person sent. The latter only where a request
                // failed and a teammate had made the very same change first, which no read can
                // tell apart from the request going through (so it is reported confirmed).
                let theirs_replaced: Vec<&String> = (before.keys().chain(after.keys()))
                    .filter(|key| {
                        before.get(*key) != reviewed_base.get(*key)
                            && before.get(*key) != after.get(*key)
                    })
                    .collect();
                check(theirs_replaced.is_empty(), || {
                    format!("the apply replaced a teammate's values: {theirs_replaced:?}")
                })?;
                check(after_hash == hash && logged == 1, || {
                    format!("hash or activity log (logged {logged})")
                })?;
                let answer_lost = fault.loses_the_answer() && faulted_request_sent;
                let same_change_first = before != reviewed_base;
                check(
                    confirmed_after_lost_answer == answer_lost
                        || (confirmed_after_lost_answer && same_change_first),
                    || {
                        format!(
                            "confirmedAfterLostAnswer {confirmed_after_lost_answer} with {fault:?}"
                        )
                    },
                )?;
                self.person = Person::default();
            }
            Ok(ApplyOutcome::NothingChanged { .. }) => {
                self.seen.borrow_mut().nothing_changed += 1;
                check(reviewed.changes.is_empty(), || {
                    "nothing changed, with changes staged".into()
                })?;
                check(after == before && logged == 0, || "nothing changed?".into())?;
            }
            Ok(ApplyOutcome::Conflict {
                their_hash,
                conflicts,
                draft,
                ..
            }) => {
                self.seen.borrow_mut().apply_conflicts += 1;
                check(after == before && logged == 0, || {
                    "a conflicting apply changed the project or the log".into()
                })?;
                check(their_hash == after_hash && draft.conflict.is_some(), || {
                    "their hash, or the draft does not keep the conflict".into()
                })?;
                // Someone wrote since the base was read (perhaps only to put a value back).
                check(their_hash != reviewed.base_hash, || {
                    "a conflict without anyone else writing to the project".into()
                })?;
                for entry in &conflicts {
                    let key = &entry.key;
                    check(
                        entry.base == self.person.against[key]
                            && entry.mine == self.person.wanted[key]
                            && entry.theirs.as_ref() == before.get(key),
                        || format!("conflict entry {entry:?}"),
                    )?;
                }
            }
            Ok(ApplyOutcome::Partial {
                applied,
                not_applied,
                hash,
                ..
            }) => {
                self.seen.borrow_mut().partial += 1;
                check(applied == sets && not_applied == removals, || {
                    "a partial apply names other changes".into()
                })?;
                check(
                    after == with_changes(&before, &applied) && logged == 1,
                    || "the project does not hold exactly what was reported applied".into(),
                )?;
                check(after_hash == hash, || "hash".into())?;
                for c in &applied {
                    self.person.wanted.remove(&c.key);
                    self.person.against.remove(&c.key);
                }
            }
        }
        Ok(())
    }

    async fn resolve(&mut self, choices: &[Choice; 4]) -> Result<(), TestCaseError> {
        let draft = self.app.env_load(self.t()).await.unwrap();
        let Some(conflict) = draft.conflict else {
            let refused = self.app.env_resolve(self.t(), vec![]).await;
            return check(
                refused.as_ref().is_err_and(|e| field_of(e) == Some("envs")),
                || format!("resolving without a conflict: {refused:?}"),
            );
        };
        let mut resolutions = Vec::new();
        for entry in &conflict.conflicts {
            let place = MY_KEYS.iter().position(|k| *k == entry.key).unwrap();
            let resolution = match choices[place] {
                Choice::Mine => Resolution::Mine,
                Choice::Theirs => Resolution::Theirs,
                Choice::Value(value) => Resolution::Value {
                    value: value.to_owned(),
                },
            };
            // The person has now seen theirs: it is what the edit is against.
            match &resolution {
                Resolution::Theirs => {
                    self.person.wanted.remove(&entry.key);
                    self.person.against.remove(&entry.key);
                }
                Resolution::Mine => {
                    (self.person.against).insert(entry.key.clone(), entry.theirs.clone());
                }
                Resolution::Value { value } => {
                    (self.person.against).insert(entry.key.clone(), entry.theirs.clone());
                    (self.person.wanted).insert(entry.key.clone(), Some(value.clone()));
                }
            }
            resolutions.push(KeyResolution {
                key: entry.key.clone(),
                resolution,
            });
        }
        let draft = self.app.env_resolve(self.t(), resolutions).await.unwrap();
        self.seen.borrow_mut().resolved += 1;
        check(
            draft.conflict.is_none() && draft.base_hash == conflict.their_hash,
            || "after resolving, the draft is not on their state".into(),
        )
    }

    /// After every step: the staged edits are exactly the person's (less those the project
    /// already holds), each against the value the person saw, and a shown conflict says so.
    async fn check_draft(&mut self) -> Result<(), TestCaseError> {
        let draft = self.app.env_load(self.t()).await.unwrap();
        let base = base_of(&draft);
        let staged = staged_of(&draft);
        // An edit the project already holds has nothing left to send.
        let satisfied: Vec<String> = (self.person.wanted.iter())
            .filter(|(key, wanted)| !staged.contains_key(*key) && base.get(*key) == wanted.as_ref())
            .map(|(key, _)| key.clone())
            .collect();
        for key in satisfied {
            self.person.wanted.remove(&key);
            self.person.against.remove(&key);
        }
        check(staged == self.person.wanted, || {
            format!(
                "staged edits {staged:?}, but the person made {:?}",
                self.person.wanted
            )
        })?;
        for key in staged.keys() {
            check(base.get(key) == self.person.against[key].as_ref(), || {
                format!(
                    "{key} is staged against {:?}, but the person edited it on {:?}: a silent \
                     rebase",
                    base.get(key),
                    self.person.against[key]
                )
            })?;
        }
        if let Some(conflict) = &draft.conflict {
            for entry in &conflict.conflicts {
                check(
                    entry.base == self.person.against[&entry.key]
                        && entry.mine == self.person.wanted[&entry.key],
                    || format!("conflict entry {entry:?}"),
                )?;
            }
        }
        Ok(())
    }
}

fn model_clients() -> ClientConfig {
    ClientConfig {
        request_timeout: REQUEST_TIMEOUT,
        ..fast_clients()
    }
}

async fn run_case(steps: &[Step], seen: &RefCell<Seen>) -> Result<(), TestCaseError> {
    let sim = sim().await;
    let project = seed(&sim, "model", &[("A", "1"), ("B", "2"), ("C", "1")]);
    let h = harness_with_clients(Arc::new(MemoryStore::new()), model_clients());
    sign_in_work(&h.app, &sim).await;
    h.app.env_load(&project.tenant_id).await.unwrap();
    let mut case = Case {
        sim,
        project,
        app: h.app,
        person: Person::default(),
        seen,
    };
    for (n, step) in steps.iter().enumerate() {
        case.run(step)
            .await
            .map_err(|e| TestCaseError::fail(format!("step {} ({step:?}): {e}", n + 1)))?;
    }
    Ok(())
}

fn number_from_env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn the_env_editor_never_overwrites_silently_and_reports_every_apply() {
    let cases = number_from_env("ENV_MODEL_CASES").unwrap_or(32) as u32;
    let seed = number_from_env("ENV_MODEL_SEED").unwrap_or_else(rand_seed);
    eprintln!("env model: {cases} cases, ENV_MODEL_SEED={seed}");
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        // Each try runs against a fresh simulator: keep shrinking bounded.
        max_shrink_iters: 256,
        ..Config::default()
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = RefCell::new(Seen::default());
    let started = Instant::now();
    let result = runner.run(&prop::collection::vec(step(), 6..=12), |steps| {
        runtime.block_on(run_case(&steps, &seen))
    });
    eprintln!(
        "env model: {:?} in {:.1} s",
        seen.borrow(),
        started.elapsed().as_secs_f64()
    );
    if let Err(failure) = result {
        panic!("{failure}\nreplay with ENV_MODEL_SEED={seed}");
    }
}

/// A seed for this run (printed, so a failure can be replayed).
fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(Instant::now())
}
