//! The watch of one preview app as a pure state machine: given the run so far and the answer of
//! one poll (the job, no job, or an error), the next run and how long to wait before the next
//! poll. The async loop that sleeps, polls and publishes lives in `app/preview.rs`.
//!
//! Rules (`docs/preview-contract.md`): poll after 1 s, then ×1.5 per poll without progress up to
//! 10 s, back to 1 s on progress; transient errors set `poll_error` and polling goes on (a
//! rate-limited answer's Retry-After is honoured); a rejected token or a refused request ends in
//! `failed`; no job three polls in a row → `lost`; the creation job may take 10 minutes and the
//! deployment job 30 → `gaveUp`.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use hasura_cloud::Job;
use hasura_cloud::backoff::Backoff;

use super::jobs::{self, DEPLOYMENT_JOB_TYPE};
use super::messages::{self, Source};
use super::model::{JobState, PreviewLinks, PreviewRun, RunPhase};
use crate::error::AppError;
use crate::projects::{console_url, graphql_url};

/// How runs are polled and how long they may take. [`PreviewWatch::default`] is the product's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreviewWatch {
    /// Before the first poll, and after a poll that saw progress.
    pub first_interval: Duration,
    /// Each poll without progress waits this many times longer…
    pub backoff: f64,
    /// …up to this.
    pub max_interval: Duration,
    /// How long the creation job may take.
    pub creation_limit: Duration,
    /// How long the deployment job may take.
    pub deployment_limit: Duration,
    /// Polls in a row that find no job before the run is `lost`.
    pub lost_after: u32,
}

impl Default for PreviewWatch {
    fn default() -> Self {
        Self {
            first_interval: Duration::from_secs(1),
            backoff: 1.5,
            max_interval: Duration::from_secs(10),
            creation_limit: Duration::from_secs(10 * 60),
            deployment_limit: Duration::from_secs(30 * 60),
            lost_after: 3,
        }
    }
}

impl PreviewWatch {
    /// The intervals between polls without progress: `first_interval`, times `backoff` after
    /// each, up to `max_interval`. Progress starts them over.
    pub fn intervals(&self) -> Backoff {
        Backoff {
            initial: self.first_interval,
            factor: self.backoff,
            max: self.max_interval,
        }
    }

    /// The interval of a new or resumed run, and after progress.
    fn restart_interval(&self) -> Duration {
        self.intervals().delay(0)
    }
}

/// What one poll of the followed job gave.
#[derive(Debug, Clone)]
pub enum Poll {
    /// `jobs_by_pk` answered: the job, or `None` (null).
    Job(Option<Job>),
    /// The request failed.
    Error(hasura_cloud::Error),
}

/// A run with what the watcher needs beyond what the UI sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracker {
    pub run: PreviewRun,
    /// The repository, to name it in messages (empty when watching a job from the list).
    pub source: Source,
    /// Once the creation job handed over.
    pub deployment_job: Option<String>,
    /// Polls in a row that found no job.
    pub nulls: u32,
    /// The wait before the next poll (without a Retry-After stretch).
    pub interval: Duration,
    /// When the current job began to be followed (for the bounded wait).
    pub phase_since: DateTime<Utc>,
}

/// The result of [`step`].
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub tracker: Tracker,
    /// Before the next poll; `None` once terminal.
    pub delay: Option<Duration>,
    /// The jobs moved on (the interval went back to the first one).
    pub progressed: bool,
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Tracker {
    /// A run of creation job `job_id` that has not been polled yet.
    pub fn new(
        job_id: &str,
        profile_id: &str,
        name: &str,
        source: Source,
        now: DateTime<Utc>,
        watch: &PreviewWatch,
    ) -> Self {
        Tracker {
            run: PreviewRun {
                id: job_id.to_owned(),
                app_link: crate::links::preview_link(job_id),
                profile_id: profile_id.to_owned(),
                name: name.to_owned(),
                phase: RunPhase::Creating,
                creation: None,
                deployment: None,
                links: None,
                error: None,
                poll_error: None,
                started_at: stamp(now),
                updated_at: stamp(now),
                polls: 0,
                next_poll_in_ms: Some(millis(watch.restart_interval())),
            },
            source,
            deployment_job: None,
            nulls: 0,
            interval: watch.restart_interval(),
            phase_since: now,
        }
    }

    /// The job polled next: the deployment job once known, else the run's job.
    pub fn followed_job(&self) -> &str {
        self.deployment_job.as_deref().unwrap_or(&self.run.id)
    }

    /// The wait before the next poll, `None` once terminal.
    pub fn next_delay(&self) -> Option<Duration> {
        self.run.next_poll_in_ms.map(Duration::from_millis)
    }

    /// Whether [`Tracker::resume`] would follow it again: it gave up waiting or lost its job.
    pub fn can_resume(&self) -> bool {
        matches!(self.run.phase, RunPhase::GaveUp | RunPhase::Lost)
    }

    /// Follows the run again from where it stopped, with a fresh bounded wait.
    pub fn resume(&mut self, now: DateTime<Utc>, watch: &PreviewWatch) {
        self.run.phase = if self.deployment_job.is_some() {
            RunPhase::Deploying
        } else {
            RunPhase::Creating
        };
        self.run.error = None;
        self.run.poll_error = None;
        self.run.updated_at = stamp(now);
        self.run.next_poll_in_ms = Some(millis(watch.restart_interval()));
        self.nulls = 0;
        self.interval = watch.restart_interval();
        self.phase_since = now;
    }

    /// Fills in the project's endpoint once it could be read.
    pub fn set_endpoint(&mut self, endpoint: &str) {
        if let Some(links) = &mut self.run.links {
            links.endpoint = Some(endpoint.to_owned());
            links.graphql_url = Some(graphql_url(endpoint));
        }
    }

    /// The project id, while the endpoint is still unknown.
    pub fn project_without_endpoint(&self) -> Option<&str> {
        self.run
            .links
            .as_ref()
            .filter(|l| l.endpoint.is_none())
            .map(|l| l.project_id.as_str())
    }

    fn end(&mut self, phase: RunPhase, error: Option<String>) {
        self.run.phase = phase;
        self.run.error = error;
    }

    fn link(&mut self, project_id: Option<String>) {
        if let Some(project_id) = project_id.filter(|p| !p.is_empty())
            && self.run.links.as_ref().map(|l| l.project_id.as_str()) != Some(project_id.as_str())
        {
            self.run.links = Some(PreviewLinks {
                console_url: console_url(&project_id),
                project_id,
                endpoint: None,
                graphql_url: None,
            });
        }
    }
}

fn limit_of(phase: RunPhase, watch: &PreviewWatch) -> Duration {
    if phase == RunPhase::Deploying {
        watch.deployment_limit
    } else {
        watch.creation_limit
    }
}

fn whole_minutes(d: Duration) -> u64 {
    d.as_secs().div_ceil(60).max(1)
}

/// Errors after which polling again cannot help.
fn is_permanent(error: &hasura_cloud::Error) -> bool {
    matches!(
        error,
        hasura_cloud::Error::TokenRejected { .. } | hasura_cloud::Error::InvalidInput { .. }
    )
}

/// Applies one poll's answer. `now` is when it arrived.
pub fn step(prev: &Tracker, poll: Poll, now: DateTime<Utc>, watch: &PreviewWatch) -> Step {
    let mut t = prev.clone();
    if prev.run.phase.is_terminal() {
        // A late answer for a finished run changes nothing.
        return Step {
            tracker: t,
            delay: None,
            progressed: false,
        };
    }
    t.run.polls = t.run.polls.saturating_add(1);
    t.run.updated_at = stamp(now);
    let mut progressed = false;
    let mut retry_after = None;

    match poll {
        Poll::Error(error) if is_permanent(&error) => {
            let app = AppError::from(error);
            t.run.poll_error = Some(app.clone());
            t.end(RunPhase::Failed, Some(app.message().to_owned()));
        }
        Poll::Error(hasura_cloud::Error::NotFound { .. }) | Poll::Job(None) => {
            t.run.poll_error = None;
            t.nulls += 1;
            if t.nulls >= watch.lost_after.max(1) {
                t.end(RunPhase::Lost, Some(messages::LOST_MESSAGE.to_owned()));
            }
        }
        Poll::Error(error) => {
            if let hasura_cloud::Error::RateLimited {
                retry_after: Some(after),
            } = &error
            {
                retry_after = Some(*after);
            }
            t.run.poll_error = Some(AppError::from(error));
        }
        Poll::Job(Some(job)) => {
            t.run.poll_error = None;
            t.nulls = 0;
            progressed = apply_job(&mut t, &job, now);
        }
    }

    // The bounded wait of the job being followed.
    if !t.run.phase.is_terminal() {
        let limit = limit_of(t.run.phase, watch);
        let waited = (now - t.phase_since).to_std().unwrap_or_default();
        if waited >= limit {
            t.end(
                RunPhase::GaveUp,
                Some(messages::gave_up_message(whole_minutes(limit))),
            );
        }
    }

    if t.run.phase.is_terminal() {
        t.run.next_poll_in_ms = None;
        return Step {
            tracker: t,
            delay: None,
            progressed,
        };
    }
    t.interval = if progressed {
        watch.restart_interval()
    } else {
        watch.intervals().after(prev.interval)
    };
    let mut delay = t.interval;
    if let Some(after) = retry_after {
        delay = delay.max(after);
    }
    // Never sleep past the bounded wait: the poll at the limit decides.
    let limit = limit_of(t.run.phase, watch);
    let waited = (now - t.phase_since).to_std().unwrap_or_default();
    delay = delay
        .min(limit.saturating_sub(waited))
        .max(Duration::from_millis(1));
    t.run.next_poll_in_ms = Some(millis(delay));
    Step {
        tracker: t,
        delay: Some(delay),
        progressed,
    }
}

/// Takes in the followed job; returns whether anything moved on.
fn apply_job(t: &mut Tracker, job: &Job, now: DateTime<Utc>) -> bool {
    let view = jobs::job_view(job, now);
    // The name the service gave the project, which may not be the one asked for.
    if let Some(name) = job.project_name.as_deref().filter(|n| !n.trim().is_empty())
        && name != t.run.name
    {
        t.run.name = name.to_owned();
    }
    let deploying = t.run.phase == RunPhase::Deploying || t.deployment_job.is_some();
    // Watching a deployment job from the list: follow it as the deployment.
    let is_deployment_job = !deploying && job.job_type.trim() == DEPLOYMENT_JOB_TYPE;
    if is_deployment_job {
        t.deployment_job = Some(t.run.id.clone());
        t.run.phase = RunPhase::Deploying;
    }
    let slot = if deploying || is_deployment_job {
        &mut t.run.deployment
    } else {
        &mut t.run.creation
    };
    let progressed = slot
        .as_ref()
        .is_none_or(|old| !jobs::same_progress(old, &view));
    *slot = Some(view.clone());

    if deploying || is_deployment_job {
        t.link(job.project_id.as_ref().map(ToString::to_string));
        match view.state {
            JobState::Running => {}
            JobState::Succeeded => t.end(RunPhase::Succeeded, None),
            JobState::Failed => {
                let message = messages::failure_message(jobs::failed_task(&view), true, &t.source);
                t.end(RunPhase::Failed, Some(message));
            }
            JobState::Skipped => {
                let message = messages::skipped_message(&t.run.name);
                t.end(RunPhase::Skipped, Some(message));
            }
        }
        return progressed;
    }

    match view.state {
        JobState::Running => progressed,
        JobState::Succeeded => {
            let (project, deployment) = jobs::handover(job);
            t.link(project.or_else(|| job.project_id.as_ref().map(ToString::to_string)));
            match deployment {
                Some(deployment) => {
                    t.deployment_job = Some(deployment);
                    t.run.phase = RunPhase::Deploying;
                    t.phase_since = now;
                }
                None => t.end(
                    RunPhase::Failed,
                    Some(messages::NO_DEPLOYMENT_JOB.to_owned()),
                ),
            }
            true
        }
        JobState::Failed => {
            let message = messages::failure_message(jobs::failed_task(&view), false, &t.source);
            t.end(RunPhase::Failed, Some(message));
            true
        }
        JobState::Skipped => {
            let message = messages::skipped_message(&t.run.name);
            t.end(RunPhase::Skipped, Some(message));
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::preview::jobs::tests::{at, event, job_json, now, task};
    use crate::preview::jobs::{CREATION_JOB_TYPE, DEPLOYMENT_JOB_TYPE};
    use crate::preview::model::TaskState;

    const CREATION: &str = "11111111-1111-4111-8111-111111111111";
    const DEPLOYMENT: &str = "22222222-2222-4222-8222-222222222222";
    const PROJECT: &str = "33333333-3333-4333-8333-333333333333";

    fn watch() -> PreviewWatch {
        PreviewWatch::default()
    }

    fn source() -> Source {
        Source {
            owner: "acme".into(),
            repo: "shop".into(),
            branch: "main".into(),
            directory: "hasura".into(),
        }
    }

    fn fresh() -> Tracker {
        Tracker::new(CREATION, "profile-1", "pr-1", source(), now(0), &watch())
    }

    fn creation(status: &str, tasks: Vec<Value>) -> Poll {
        Poll::Job(Some(job_json(CREATION, CREATION_JOB_TYPE, status, tasks)))
    }

    fn deployment(status: &str, tasks: Vec<Value>) -> Poll {
        let mut job = job_json(DEPLOYMENT, DEPLOYMENT_JOB_TYPE, status, tasks);
        job.project_id = PROJECT.parse().ok();
        Poll::Job(Some(job))
    }

    fn handover_event(secs: i64, data: Value) -> Value {
        let mut e = event("success", secs);
        e["public_event_data"] = data;
        e
    }

    fn created_ok() -> Poll {
        creation(
            "success",
            vec![task(
                "create-preview-app",
                vec![
                    event("created", 1),
                    handover_event(
                        9,
                        json!({"projectId": PROJECT, "githubDeploymentJobID": DEPLOYMENT}),
                    ),
                ],
            )],
        )
    }

    fn failed_event(secs: i64, error: &str) -> Value {
        let mut e = event("failed", secs);
        e["error"] = json!(error);
        e
    }

    /// Steps through `polls`, one second apart from `start`.
    fn run_through(
        mut t: Tracker,
        start: i64,
        polls: Vec<Poll>,
    ) -> (Tracker, Vec<Option<Duration>>) {
        let mut delays = vec![];
        for (i, poll) in polls.into_iter().enumerate() {
            let s = step(
                &t,
                poll,
                now(start + i64::try_from(i).unwrap_or(0)),
                &watch(),
            );
            delays.push(s.delay);
            t = s.tracker;
        }
        (t, delays)
    }

    fn deploying() -> Tracker {
        step(&fresh(), created_ok(), now(10), &watch()).tracker
    }

    #[test]
    fn a_new_run_polls_after_a_second() {
        let t = fresh();
        assert_eq!(t.run.phase, RunPhase::Creating);
        assert_eq!(t.run.next_poll_in_ms, Some(1_000));
        assert_eq!(t.next_delay(), Some(Duration::from_secs(1)));
        assert_eq!(t.followed_job(), CREATION);
        assert_eq!(t.run.polls, 0);
        assert!(t.run.creation.is_none() && t.run.links.is_none());
        assert!(t.run.started_at.ends_with('Z'));
    }

    #[test]
    fn queued_creation_job_backs_off_and_resets_on_change() {
        let queued = || creation("created", vec![]);
        let running = || {
            creation(
                "running",
                vec![task("create-preview-app", vec![event("created", 1)])],
            )
        };
        let (t, delays) = run_through(
            fresh(),
            1,
            vec![queued(), queued(), queued(), queued(), running(), running()],
        );
        let ms: Vec<u64> = delays.iter().map(|d| d.map(millis).unwrap_or(0)).collect();
        // First view is progress; then ×1.5; the task starting is progress again.
        assert_eq!(ms, [1_000, 1_500, 2_250, 3_375, 1_000, 1_500]);
        assert_eq!(t.run.phase, RunPhase::Creating);
        assert_eq!(t.run.polls, 6);
        let view = t.run.creation.as_ref().unwrap();
        assert_eq!(view.state, JobState::Running);
        assert_eq!(view.tasks[0].state, TaskState::Running);
        assert_eq!(view.tasks[0].label, "Create the project");
    }

    #[test]
    fn backoff_is_capped_at_ten_seconds() {
        let mut t = fresh();
        let mut last = Duration::ZERO;
        for i in 0..20 {
            let s = step(&t, creation("created", vec![]), now(i), &watch());
            last = s.delay.unwrap();
            assert!(last <= Duration::from_secs(10));
            t = s.tracker;
        }
        assert_eq!(last, Duration::from_secs(10));
    }

    #[test]
    fn polls_without_progress_wait_as_the_shared_backoff_says() {
        let queued = || creation("created", vec![]);
        // The first poll is progress (the first view of the job); the ones after it are not.
        let (_, delays) = run_through(fresh(), 1, (0..9).map(|_| queued()).collect());
        let intervals = watch().intervals();
        let expected: Vec<_> = (0..9).map(|n| Some(intervals.delay(n))).collect();
        assert_eq!(delays, expected);
        let ms: Vec<u64> = delays.iter().map(|d| d.map(millis).unwrap_or(0)).collect();
        assert_eq!(
            ms,
            [
                1_000, 1_500, 2_250, 3_375, 5_062, 7_593, 10_000, 10_000, 10_000
            ]
        );
    }

    #[test]
    fn creation_success_hands_over_to_the_deployment_job() {
        let s = step(&fresh(), created_ok(), now(10), &watch());
        assert!(s.progressed);
        assert_eq!(s.delay, Some(Duration::from_secs(1)));
        let t = s.tracker;
        assert_eq!(t.run.phase, RunPhase::Deploying);
        assert_eq!(t.followed_job(), DEPLOYMENT);
        assert_eq!(t.phase_since, now(10));
        let links = t.run.links.as_ref().unwrap();
        assert_eq!(links.project_id, PROJECT);
        assert_eq!(
            links.console_url,
            format!("https://cloud.hasura.io/project/{PROJECT}/console")
        );
        assert_eq!(
            (links.endpoint.as_deref(), links.graphql_url.as_deref()),
            (None, None)
        );
        assert_eq!(t.project_without_endpoint(), Some(PROJECT));
        assert_eq!(t.run.creation.as_ref().unwrap().state, JobState::Succeeded);
        assert!(t.run.deployment.is_none());
        assert!(t.run.error.is_none());

        let mut with_endpoint = t.clone();
        with_endpoint.set_endpoint("https://pr-1.hasura.app");
        let links = with_endpoint.run.links.as_ref().unwrap();
        assert_eq!(
            links.graphql_url.as_deref(),
            Some("https://pr-1.hasura.app/v1/graphql")
        );
        assert_eq!(with_endpoint.project_without_endpoint(), None);
    }

    #[test]
    fn a_retried_creation_hands_over_to_its_newest_success_in_any_order() {
        const STALE: &str = "44444444-4444-4444-8444-444444444444";
        let live = json!({"projectId": PROJECT, "githubDeploymentJobID": DEPLOYMENT});
        let stale = json!({"projectId": PROJECT, "githubDeploymentJobID": STALE});
        // As the API may send them: in no time order, the stale success first or last.
        for events in [
            vec![
                handover_event(3, stale.clone()),
                event("created", 5),
                handover_event(9, live.clone()),
                event("created", 1),
            ],
            vec![
                handover_event(9, live.clone()),
                event("created", 1),
                event("created", 5),
                handover_event(3, stale.clone()),
            ],
        ] {
            let poll = creation("success", vec![task("create-preview-app", events)]);
            let t = step(&fresh(), poll, now(10), &watch()).tracker;
            assert_eq!(t.run.phase, RunPhase::Deploying);
            assert_eq!(t.followed_job(), DEPLOYMENT);
            let task = &t.run.creation.as_ref().unwrap().tasks[0];
            assert_eq!(task.state, TaskState::Succeeded);
            assert_eq!(task.started_at.as_deref(), Some(at(1).as_str()));
        }
    }

    #[test]
    fn a_go_formatted_creation_failure_reads_as_a_sentence() {
        let raw = "error creating tenant: Message: there was an internal error while serving your \
                   request, Locations: [] Extensions: map[code:GenericServerError \
                   id:0b6a5a2e-2f3c-4c3d-9d53-3f4f5e6a7b8c]";
        // public_event_data null, as reported.
        let poll = creation(
            "failed",
            vec![task(
                "create-preview-app",
                vec![failed_event(8, raw), event("created", 1)],
            )],
        );
        let t = step(&fresh(), poll, now(9), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::Failed);
        let error = t.run.error.clone().unwrap_or_default();
        assert!(
            error.starts_with(
                "Creating the preview app failed at “Create the project”: Hasura Cloud had an \
                 internal problem while creating the project."
            ),
            "{error}"
        );
        assert!(
            error.contains("0b6a5a2e-2f3c-4c3d-9d53-3f4f5e6a7b8c"),
            "{error}"
        );
        let task = &t.run.creation.as_ref().unwrap().tasks[0];
        assert_eq!(task.error_detail.as_deref(), Some(raw));
    }

    #[test]
    fn the_run_takes_the_name_the_service_gave_its_job() {
        let mut job = job_json(CREATION, CREATION_JOB_TYPE, "created", vec![]);
        job.project_name = Some("my-app-name".into());
        let asked = Tracker::new(
            CREATION,
            "profile-1",
            "my-app_name",
            source(),
            now(0),
            &watch(),
        );
        let t = step(&asked, Poll::Job(Some(job.clone())), now(1), &watch()).tracker;
        assert_eq!(t.run.name, "my-app-name");
        // A job without a name leaves the one asked for.
        job.project_name = Some(" ".into());
        let t = step(&asked, Poll::Job(Some(job)), now(1), &watch()).tracker;
        assert_eq!(t.run.name, "my-app_name");
    }

    #[test]
    fn creation_success_without_a_deployment_job_fails_clearly() {
        for data in [
            json!({"projectId": PROJECT}),
            Value::Null,
            json!({"githubDeploymentJobID": ""}),
        ] {
            let poll = creation(
                "success",
                vec![task(
                    "create-preview-app",
                    vec![handover_event(3, data.clone())],
                )],
            );
            let s = step(&fresh(), poll, now(5), &watch());
            assert_eq!(s.tracker.run.phase, RunPhase::Failed, "{data}");
            assert_eq!(
                s.tracker.run.error.as_deref(),
                Some(messages::NO_DEPLOYMENT_JOB)
            );
            assert_eq!(s.delay, None);
            assert_eq!(s.tracker.run.next_poll_in_ms, None);
        }
        // Success with no task at all.
        let s = step(&fresh(), creation("success", vec![]), now(5), &watch());
        assert_eq!(s.tracker.run.phase, RunPhase::Failed);
    }

    #[test]
    fn creation_failure_says_why() {
        let poll = creation(
            "failed",
            vec![task(
                "create-preview-app",
                vec![
                    event("created", 1),
                    failed_event(8, "GitHub rejected the personal access token"),
                ],
            )],
        );
        let t = step(&fresh(), poll, now(9), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::Failed);
        assert_eq!(t.run.error.as_deref(), Some(messages::GITHUB_TOKEN_REFUSED));
        assert_eq!(t.run.next_poll_in_ms, None);
        assert_eq!(
            t.run.creation.as_ref().unwrap().tasks[0].state,
            TaskState::Failed
        );

        // A failed job whose tasks have no events still ends, with a general sentence.
        let t = step(
            &fresh(),
            creation("failed", vec![task("create-preview-app", vec![])]),
            now(9),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::Failed);
        assert!(t.run.error.as_deref().unwrap().contains("did not say why"));
    }

    #[test]
    fn superseded_creation_is_skipped() {
        let t = step(&fresh(), creation("skipped", vec![]), now(3), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::Skipped);
        assert!(
            t.run
                .error
                .as_deref()
                .unwrap()
                .contains("newer preview app with the name pr-1")
        );
        assert_eq!(t.run.next_poll_in_ms, None);
    }

    #[test]
    fn deployment_runs_to_success() {
        let steps = |done: usize| {
            crate::preview::jobs::TASK_LABELS[..6]
                .iter()
                .enumerate()
                .map(|(i, (name, _))| {
                    let s = i64::try_from(i).unwrap_or(0);
                    if i < done {
                        task(name, vec![event("created", s), event("success", s + 1)])
                    } else if i == done {
                        task(name, vec![event("created", s)])
                    } else {
                        task(name, vec![])
                    }
                })
                .collect::<Vec<_>>()
        };
        let (t, delays) = run_through(
            deploying(),
            11,
            vec![
                deployment("created", vec![]),
                deployment("running", steps(0)),
                deployment("running", steps(0)),
                deployment("running", steps(3)),
                deployment("success", steps(6)),
            ],
        );
        assert_eq!(delays[2], Some(Duration::from_millis(1_500)));
        assert_eq!(delays[3], Some(Duration::from_secs(1)));
        assert_eq!(delays[4], None);
        assert_eq!(t.run.phase, RunPhase::Succeeded);
        assert_eq!(t.run.error, None);
        assert_eq!(t.run.next_poll_in_ms, None);
        let view = t.run.deployment.as_ref().unwrap();
        assert_eq!(view.id, DEPLOYMENT);
        assert!(view.tasks.iter().all(|t| t.state == TaskState::Succeeded));
        assert_eq!(t.run.creation.as_ref().unwrap().state, JobState::Succeeded);
        assert_eq!(t.run.links.as_ref().unwrap().project_id, PROJECT);
        assert_eq!(t.run.polls, 6);
    }

    #[test]
    fn deployment_failure_names_the_step_and_the_cause() {
        let poll = deployment(
            "failed",
            vec![
                task(
                    "gh-validation",
                    vec![event("created", 10), event("success", 16)],
                ),
                task(
                    "parse-metadata-migration",
                    vec![event("created", 16), event("success", 18)],
                ),
                task(
                    "apply-metadata",
                    vec![event("created", 18), event("success", 21)],
                ),
                task(
                    "apply-migration",
                    vec![
                        event("created", 21),
                        failed_event(24, "relation \"users\" already exists"),
                    ],
                ),
                task("reload-metadata", vec![]),
            ],
        );
        let t = step(&deploying(), poll, now(25), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::Failed);
        assert_eq!(
            t.run.error.as_deref(),
            Some(
                "Deploying the preview app failed at “Apply migrations”: Relation \"users\" already exists."
            )
        );
        let tasks = &t.run.deployment.as_ref().unwrap().tasks;
        assert_eq!(tasks[3].duration_ms, Some(3_000));
        assert_eq!(tasks[4].state, TaskState::Pending);

        let missing = deployment(
            "failed",
            vec![task(
                "gh-validation",
                vec![failed_event(
                    12,
                    "directory \"hasura\" was not found in acme/shop on branch main",
                )],
            )],
        );
        let t = step(&deploying(), missing, now(13), &watch()).tracker;
        assert!(
            t.run
                .error
                .as_deref()
                .unwrap()
                .starts_with("The folder “hasura” was not found in acme/shop on branch main")
        );

        let unreadable = deployment(
            "failed",
            vec![task(
                "gh-validation",
                vec![failed_event(
                    12,
                    "could not read acme/shop: the GitHub token has no access to this repository",
                )],
            )],
        );
        let t = step(&deploying(), unreadable, now(13), &watch()).tracker;
        assert!(
            t.run
                .error
                .as_deref()
                .unwrap()
                .starts_with("Hasura Cloud could not read acme/shop")
        );
    }

    #[test]
    fn deployment_skipped() {
        let t = step(
            &deploying(),
            deployment("skipped", vec![]),
            now(12),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::Skipped);
    }

    #[test]
    fn unknown_and_unnamed_tasks_and_missing_events() {
        let poll = deployment(
            "some-new-status",
            vec![
                task("", vec![event("created", 11)]),
                task(
                    "warm-caches",
                    vec![event("created", 11), event("success", 12)],
                ),
                task("check-healthz", vec![]),
            ],
        );
        let s = step(&deploying(), poll, now(13), &watch());
        let t = s.tracker;
        assert_eq!(
            t.run.phase,
            RunPhase::Deploying,
            "an unknown status means still running"
        );
        let tasks = &t.run.deployment.as_ref().unwrap().tasks;
        let seen: Vec<(&str, &str, TaskState)> = tasks
            .iter()
            .map(|t| (t.name.as_str(), t.label.as_str(), t.state))
            .collect();
        assert_eq!(
            seen,
            [
                ("", "Unnamed step", TaskState::Running),
                ("warm-caches", "warm-caches", TaskState::Succeeded),
                (
                    "check-healthz",
                    "Check the project is healthy",
                    TaskState::Pending
                ),
            ]
        );
        assert_eq!(tasks[0].duration_ms, Some(2_000));
        // Tasks with events but the job with none at all: still running, no crash.
        let t = step(
            &fresh(),
            creation("running", vec![task("create-preview-app", vec![])]),
            now(2),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::Creating);
        assert_eq!(
            t.run.creation.as_ref().unwrap().tasks[0].state,
            TaskState::Pending
        );
    }

    #[test]
    fn a_job_that_disappears_is_lost_after_three_empty_answers() {
        let (t, delays) = run_through(fresh(), 1, vec![Poll::Job(None), Poll::Job(None)]);
        assert_eq!(t.run.phase, RunPhase::Creating);
        assert_eq!(t.nulls, 2);
        assert!(delays.iter().all(Option::is_some));
        let t = step(&t, Poll::Job(None), now(4), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::Lost);
        assert!(
            t.run
                .error
                .as_deref()
                .unwrap()
                .starts_with("The job is gone from Hasura Cloud")
        );
        assert_eq!(t.run.next_poll_in_ms, None);

        // Two empty answers, then the job: the count starts again.
        let (t, _) = run_through(
            fresh(),
            1,
            vec![
                Poll::Job(None),
                Poll::Job(None),
                creation("created", vec![]),
                Poll::Job(None),
                Poll::Job(None),
            ],
        );
        assert_eq!(t.run.phase, RunPhase::Creating);
        // The deployment job disappearing counts the same; so does a not-found error.
        let (t, _) = run_through(
            deploying(),
            11,
            vec![
                Poll::Job(None),
                Poll::Error(hasura_cloud::Error::NotFound { what: "job".into() }),
                Poll::Job(None),
            ],
        );
        assert_eq!(t.run.phase, RunPhase::Lost);
    }

    #[test]
    fn transient_errors_are_shown_and_polling_goes_on() {
        let errors = [
            hasura_cloud::Error::Network {
                message: "connection refused".into(),
            },
            hasura_cloud::Error::Timeout,
            hasura_cloud::Error::Server {
                status: Some(502),
                code: None,
                request_id: None,
                message: "bad gateway".into(),
            },
            hasura_cloud::Error::UnexpectedResponse {
                detail: "HTML".into(),
            },
            hasura_cloud::Error::RateLimited { retry_after: None },
        ];
        let mut t = fresh();
        for (i, error) in errors.into_iter().enumerate() {
            let kind = AppError::from(error.clone()).kind();
            let s = step(
                &t,
                Poll::Error(error),
                now(i64::try_from(i).unwrap_or(0) + 1),
                &watch(),
            );
            assert_eq!(s.tracker.run.phase, RunPhase::Creating);
            assert_eq!(
                s.tracker.run.poll_error.as_ref().map(AppError::kind),
                Some(kind)
            );
            assert!(s.delay.is_some());
            assert!(!s.progressed);
            t = s.tracker;
        }
        // 1 s × 1.5⁵ ≈ 7.6 s.
        assert!(t.interval > Duration::from_secs(7) && t.interval < Duration::from_secs(8));
        // A good answer clears it and, being progress, polls soon again.
        let s = step(&t, creation("created", vec![]), now(9), &watch());
        assert_eq!(s.tracker.run.poll_error, None);
        assert_eq!(s.delay, Some(Duration::from_secs(1)));
    }

    #[test]
    fn retry_after_is_honoured() {
        let s = step(
            &fresh(),
            Poll::Error(hasura_cloud::Error::RateLimited {
                retry_after: Some(Duration::from_secs(30)),
            }),
            now(1),
            &watch(),
        );
        assert_eq!(s.delay, Some(Duration::from_secs(30)));
        assert_eq!(s.tracker.run.next_poll_in_ms, Some(30_000));
        assert_eq!(
            s.tracker.run.poll_error,
            Some(AppError::RateLimited {
                message: "Hasura Cloud is limiting how often this account may send requests. Try again in 30 seconds.".into(),
                retry_after_secs: Some(30),
            })
        );
        // The interval itself keeps its own pace.
        assert_eq!(s.tracker.interval, Duration::from_millis(1_500));
    }

    #[test]
    fn a_rejected_token_ends_the_run() {
        for error in [
            hasura_cloud::Error::TokenRejected {
                field: Some("jobs_by_pk".into()),
            },
            hasura_cloud::Error::InvalidInput {
                message: "invalid uuid".into(),
            },
        ] {
            let s = step(&deploying(), Poll::Error(error), now(11), &watch());
            assert_eq!(s.tracker.run.phase, RunPhase::Failed);
            assert_eq!(s.delay, None);
            assert!(s.tracker.run.error.is_some());
        }
    }

    #[test]
    fn bounded_waits_give_up() {
        // Creation: 10 minutes from the start of watching.
        let s = step(&fresh(), creation("created", vec![]), now(599), &watch());
        assert_eq!(s.tracker.run.phase, RunPhase::Creating);
        assert_eq!(
            s.delay,
            Some(Duration::from_secs(1)),
            "clamped to the time left"
        );
        let t = step(&s.tracker, creation("created", vec![]), now(600), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::GaveUp);
        assert_eq!(
            t.run.error.as_deref(),
            Some(
                "Still running after 10 minutes; the preview app may still come up. Watch again to keep following it."
            )
        );
        assert_eq!(t.run.next_poll_in_ms, None);
        // Errors do not stretch it.
        let t = step(
            &fresh(),
            Poll::Error(hasura_cloud::Error::Timeout),
            now(700),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::GaveUp);

        // Deployment: 30 minutes from the hand-over (at 10 s), not from the start.
        let t = step(
            &deploying(),
            deployment("running", vec![]),
            now(10 + 29 * 60),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::Deploying);
        let t = step(
            &t,
            deployment("running", vec![]),
            now(10 + 30 * 60),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::GaveUp);
        assert!(t.run.error.as_deref().unwrap().contains("30 minutes"));
    }

    #[test]
    fn giving_up_can_be_resumed() {
        let t = step(
            &deploying(),
            deployment("running", vec![]),
            now(10 + 30 * 60),
            &watch(),
        )
        .tracker;
        assert!(t.can_resume());
        let mut resumed = t.clone();
        resumed.resume(now(4_000), &watch());
        assert_eq!(resumed.run.phase, RunPhase::Deploying);
        assert_eq!(resumed.followed_job(), DEPLOYMENT);
        assert_eq!(resumed.run.error, None);
        assert_eq!(resumed.next_delay(), Some(Duration::from_secs(1)));
        let after = step(
            &resumed,
            deployment("success", vec![]),
            now(4_001),
            &watch(),
        )
        .tracker;
        assert_eq!(after.run.phase, RunPhase::Succeeded);
        assert!(!after.can_resume());

        let lost = run_through(
            fresh(),
            1,
            vec![Poll::Job(None), Poll::Job(None), Poll::Job(None)],
        )
        .0;
        assert!(lost.can_resume());
        let mut again = lost;
        again.resume(now(100), &watch());
        assert_eq!((again.run.phase, again.nulls), (RunPhase::Creating, 0));
    }

    #[test]
    fn a_finished_run_ignores_late_answers() {
        let done = step(
            &deploying(),
            deployment("success", vec![]),
            now(12),
            &watch(),
        )
        .tracker;
        for poll in [
            creation("failed", vec![]),
            Poll::Job(None),
            Poll::Error(hasura_cloud::Error::Timeout),
        ] {
            let s = step(&done, poll, now(13), &watch());
            assert_eq!(s.tracker, done);
            assert_eq!(s.delay, None);
        }
    }

    #[test]
    fn watching_a_deployment_job_directly() {
        let mut t = Tracker::new(DEPLOYMENT, "p", "", Source::default(), now(0), &watch());
        t = step(
            &t,
            deployment(
                "running",
                vec![task("apply-metadata", vec![event("created", 1)])],
            ),
            now(2),
            &watch(),
        )
        .tracker;
        assert_eq!(t.run.phase, RunPhase::Deploying);
        assert_eq!(t.run.name, "pr-1", "the name comes from the job");
        assert!(t.run.creation.is_none());
        assert_eq!(t.run.deployment.as_ref().unwrap().id, DEPLOYMENT);
        assert_eq!(t.followed_job(), DEPLOYMENT);
        assert_eq!(t.run.links.as_ref().unwrap().project_id, PROJECT);
        let t = step(&t, deployment("success", vec![]), now(3), &watch()).tracker;
        assert_eq!(t.run.phase, RunPhase::Succeeded);
    }

    #[test]
    fn the_wire_shape_of_a_run() {
        let t = step(&fresh(), created_ok(), now(10), &watch()).tracker;
        let v = serde_json::to_value(&t.run).unwrap();
        assert_eq!(v["phase"], "deploying");
        assert_eq!(v["profileId"], "profile-1");
        assert_eq!(v["nextPollInMs"], 1000);
        assert_eq!(v["links"]["projectId"], PROJECT);
        assert_eq!(v["creation"]["jobType"], CREATION_JOB_TYPE);
        assert_eq!(v["creation"]["state"], "succeeded");
        assert_eq!(v["creation"]["tasks"][0]["state"], "succeeded");
        assert!(v["creation"]["tasks"][0]["durationMs"].is_u64());
        assert_eq!(v["pollError"], Value::Null);
        for phase in [
            (RunPhase::GaveUp, "gaveUp"),
            (RunPhase::Lost, "lost"),
            (RunPhase::Creating, "creating"),
        ] {
            assert_eq!(serde_json::to_value(phase.0).unwrap(), phase.1);
        }
    }
}
