//! A job from the API as the timeline shows it: readable task labels, each task's state from its
//! events, times and durations. Pure functions of the job and "now".

use chrono::{DateTime, Utc};
use hasura_cloud::{Job, JobStatus, Task, TaskEvent};

use super::messages;
use super::model::{JobState, JobView, TaskState, TaskView};

/// The creation job's type.
pub const CREATION_JOB_TYPE: &str = "github-preview-app-creation";
/// The deployment job's type.
pub const DEPLOYMENT_JOB_TYPE: &str = "github-preview-app-deployment";

/// Readable names of the tasks seen so far; any other name is shown as sent.
pub const TASK_LABELS: &[(&str, &str)] = &[
    ("gh-validation", "Fetch metadata and migrations from GitHub"),
    ("parse-metadata-migration", "Read metadata and migrations"),
    ("parse-migration", "Read migrations"),
    ("parse-metadata", "Read metadata"),
    ("apply-metadata", "Apply metadata"),
    ("apply-migration", "Apply migrations"),
    ("reload-metadata", "Reload metadata"),
    ("check-healthz", "Check the project is healthy"),
    ("create-preview-app", "Create the project"),
];

/// The label of a task name: known → readable; unknown → the raw name; empty → "Unnamed step".
pub fn task_label(name: &str) -> String {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return "Unnamed step".to_owned();
    }
    TASK_LABELS
        .iter()
        .find(|(raw, _)| raw.eq_ignore_ascii_case(trimmed))
        .map(|(_, label)| (*label).to_owned())
        .unwrap_or_else(|| trimmed.to_owned())
}

pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| {
            // Postgres-style "2024-01-01 10:00:00.123+00" without the T.
            DateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S%.f%#z")
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

fn millis_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
    u64::try_from((to - from).num_milliseconds().max(0)).unwrap_or(0)
}

fn is(event: &TaskEvent, kind: &str) -> bool {
    event.event_type.trim().eq_ignore_ascii_case(kind)
}

/// A task's events oldest first by `created_at`: the API sends them in no particular order, and
/// a task can have several (a retry starts it again). An event without a readable time keeps
/// its place before the timed ones.
pub fn events_by_time(task: &Task) -> Vec<&TaskEvent> {
    let mut events: Vec<&TaskEvent> = task.task_events.iter().collect();
    events.sort_by_key(|e| parse_time(&e.created_at));
    events
}

/// A task's view. The newest event decides: `failed` → failed, `success` → succeeded, any
/// other → running (a retried task runs again after a failure); no event → pending.
pub fn task_view(task: &Task, now: DateTime<Utc>) -> TaskView {
    let events = events_by_time(task);
    let latest = events.last().copied();
    let state = match latest {
        None => TaskState::Pending,
        Some(e) if is(e, "failed") => TaskState::Failed,
        Some(e) if is(e, "success") => TaskState::Succeeded,
        Some(_) => TaskState::Running,
    };
    let started_at = events.first().map(|e| e.created_at.clone());
    let finished_at = latest
        .filter(|_| matches!(state, TaskState::Failed | TaskState::Succeeded))
        .map(|e| e.created_at.clone());
    let start = started_at.as_deref().and_then(parse_time);
    let duration_ms = match (start, finished_at.as_deref()) {
        (Some(start), Some(end)) => parse_time(end).map(|end| millis_between(start, end)),
        (Some(start), None) => Some(millis_between(start, now)),
        (None, _) => None,
    };
    // Only the newest event's error: an earlier attempt's is history once the task ran again.
    let raw_error = latest
        .and_then(|e| e.error.clone())
        .filter(|e| !e.trim().is_empty());
    let readable = raw_error.as_deref().map(messages::readable_error);
    let error_detail = raw_error.filter(|raw| readable.as_deref() != Some(raw.as_str()));
    let github_detail = events
        .iter()
        .rev()
        .find_map(|e| e.github_detail.clone())
        .filter(|d| !d.trim().is_empty());
    TaskView {
        name: task.name.clone(),
        label: task_label(&task.name),
        state,
        started_at,
        finished_at,
        duration_ms,
        error: readable,
        error_detail,
        github_detail,
    }
}

pub fn job_state(status: &JobStatus) -> JobState {
    match status {
        JobStatus::Success => JobState::Succeeded,
        JobStatus::Failed => JobState::Failed,
        JobStatus::Skipped => JobState::Skipped,
        JobStatus::Running(_) => JobState::Running,
    }
}

/// A job's view, tasks in the order sent.
pub fn job_view(job: &Job, now: DateTime<Utc>) -> JobView {
    JobView {
        id: job.id.to_string(),
        job_type: job.job_type.clone(),
        status: job.status.clone(),
        state: job_state(&job.state()),
        tasks: job.tasks.iter().map(|t| task_view(t, now)).collect(),
    }
}

/// The same progress: equal but for the running durations (which grow with the clock).
pub fn same_progress(a: &JobView, b: &JobView) -> bool {
    let strip = |view: &JobView| {
        let mut view = view.clone();
        for task in &mut view.tasks {
            if task.finished_at.is_none() {
                task.duration_ms = None;
            }
        }
        view
    };
    strip(a) == strip(b)
}

/// The newest success event's `projectId` and `githubDeploymentJobID`: the creation job's
/// hand-over to the deployment job. Newest by `created_at`, as the official Action learnt: a
/// retried creation task keeps an older success naming a deployment job since terminated.
pub fn handover(job: &Job) -> (Option<String>, Option<String>) {
    let mut success_events: Vec<&TaskEvent> = job
        .tasks
        .iter()
        .flat_map(events_by_time)
        .filter(|e| is(e, "success"))
        .collect();
    success_events.sort_by_key(|e| parse_time(&e.created_at));
    let mut project = None;
    let mut deployment = None;
    for event in success_events {
        if let Some(id) = event
            .public_str("githubDeploymentJobID")
            .filter(|s| !s.is_empty())
        {
            deployment = Some(id.to_owned());
        }
        if let Some(id) = event.public_str("projectId").filter(|s| !s.is_empty()) {
            project = Some(id.to_owned());
        }
    }
    (project, deployment)
}

/// The first failed task of a view, or failing that the first with an error.
pub fn failed_task(view: &JobView) -> Option<&TaskView> {
    view.tasks
        .iter()
        .find(|t| t.state == TaskState::Failed)
        .or_else(|| view.tasks.iter().find(|t| t.error.is_some()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::{Value, json};

    pub const T0: &str = "2024-05-01T10:00:00.000000+00:00";

    pub fn at(secs: i64) -> String {
        let t0 = parse_time(T0).unwrap_or_default();
        (t0 + chrono::Duration::seconds(secs))
            .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
            .to_string()
    }

    pub fn now(secs: i64) -> DateTime<Utc> {
        parse_time(&at(secs)).unwrap_or_default()
    }

    pub fn event(kind: &str, secs: i64) -> Value {
        json!({
            "id": uuid::Uuid::new_v4().to_string(), "event_type": kind, "error": null,
            "public_event_data": null, "github_detail": null, "created_at": at(secs),
        })
    }

    pub fn task(name: &str, events: Vec<Value>) -> Value {
        json!({
            "id": uuid::Uuid::new_v4().to_string(), "name": name, "created_at": at(0),
            "updated_at": at(0), "task_events": events,
        })
    }

    pub fn job_json(id: &str, job_type: &str, status: &str, tasks: Vec<Value>) -> Job {
        serde_json::from_value(json!({
            "id": id, "status": status, "job_type": job_type, "project_id": null,
            "project_name": "pr-1", "created_at": at(0), "updated_at": at(0), "tasks": tasks,
        }))
        .unwrap_or_else(|e| panic!("test job: {e}"))
    }

    #[test]
    fn labels() {
        assert_eq!(
            task_label("gh-validation"),
            "Fetch metadata and migrations from GitHub"
        );
        assert_eq!(task_label("check-healthz"), "Check the project is healthy");
        assert_eq!(task_label("create-preview-app"), "Create the project");
        assert_eq!(task_label("parse-migration"), "Read migrations");
        assert_eq!(task_label("something-new"), "something-new");
        assert_eq!(task_label(""), "Unnamed step");
        assert_eq!(task_label("  "), "Unnamed step");
        for (raw, label) in TASK_LABELS {
            assert_eq!(task_label(raw), *label);
        }
    }

    fn view_of(events: Vec<Value>, now_secs: i64) -> TaskView {
        let task: Task = serde_json::from_value(task("apply-metadata", events))
            .unwrap_or_else(|e| panic!("{e}"));
        task_view(&task, now(now_secs))
    }

    #[test]
    fn task_state_from_events() {
        let pending = view_of(vec![], 5);
        assert_eq!(pending.state, TaskState::Pending);
        assert_eq!(
            (pending.started_at, pending.finished_at, pending.duration_ms),
            (None, None, None)
        );

        let running = view_of(vec![event("created", 1)], 5);
        assert_eq!(running.state, TaskState::Running);
        assert_eq!(running.started_at.as_deref(), Some(at(1).as_str()));
        assert_eq!(running.finished_at, None);
        assert_eq!(
            running.duration_ms,
            Some(4_000),
            "now − started while running"
        );

        let done = view_of(vec![event("created", 1), event("success", 4)], 60);
        assert_eq!(done.state, TaskState::Succeeded);
        assert_eq!(done.finished_at.as_deref(), Some(at(4).as_str()));
        assert_eq!(done.duration_ms, Some(3_000));

        let mut failed_event = event("failed", 3);
        failed_event["error"] = json!("boom");
        failed_event["github_detail"] = json!("fetching o/r@main:hasura");
        let failed = view_of(vec![event("created", 1), failed_event], 60);
        assert_eq!(failed.state, TaskState::Failed);
        assert_eq!(failed.error.as_deref(), Some("boom"));
        assert_eq!(
            failed.github_detail.as_deref(),
            Some("fetching o/r@main:hasura")
        );
        assert_eq!(failed.duration_ms, Some(2_000));

        // Unknown event types still mean "started"; FAILED in any case counts.
        assert_eq!(
            view_of(vec![event("retrying", 1)], 2).state,
            TaskState::Running
        );
        assert_eq!(
            view_of(vec![event("FAILED", 1)], 2).state,
            TaskState::Failed
        );
        // A failed event wins over a success event.
        assert_eq!(
            view_of(vec![event("success", 1), event("failed", 2)], 3).state,
            TaskState::Failed
        );
        // A success event alone (no "created") is started and finished at once.
        let only = view_of(vec![event("success", 2)], 9);
        assert_eq!(
            (only.state, only.duration_ms),
            (TaskState::Succeeded, Some(0))
        );
    }

    #[test]
    fn the_newest_event_wins_whatever_order_they_come_in() {
        // A retried task: it failed once, then ran again and succeeded.
        let mut first_failure = event("failed", 2);
        first_failure["error"] = json!("connection reset");
        let events = vec![
            event("success", 9),
            event("created", 1),
            first_failure.clone(),
            event("created", 4),
        ];
        let view = view_of(events, 20);
        assert_eq!(view.state, TaskState::Succeeded);
        assert_eq!(view.started_at.as_deref(), Some(at(1).as_str()));
        assert_eq!(view.finished_at.as_deref(), Some(at(9).as_str()));
        assert_eq!(view.duration_ms, Some(8_000));
        // The earlier attempt's error is history.
        assert_eq!((view.error, view.error_detail), (None, None));

        // Running again after a failure: not failed, and not finished.
        let again = view_of(
            vec![event("created", 4), first_failure, event("created", 1)],
            6,
        );
        assert_eq!(again.state, TaskState::Running);
        assert_eq!(again.finished_at, None);
        assert_eq!(again.duration_ms, Some(5_000));

        // Every order of the same events gives the same view.
        let base = vec![event("created", 1), event("success", 3), event("failed", 5)];
        let expected = view_of(base.clone(), 9);
        assert_eq!(expected.state, TaskState::Failed);
        for rotation in 1..base.len() {
            let mut shuffled = base.clone();
            shuffled.rotate_left(rotation);
            assert_eq!(view_of(shuffled.clone(), 9), expected);
            shuffled.reverse();
            assert_eq!(view_of(shuffled, 9), expected);
        }
    }

    #[test]
    fn a_go_formatted_error_is_a_sentence_with_the_raw_text_kept() {
        let raw = "error creating tenant: Message: there was an internal error while serving \
                   your request, Locations: [] Extensions: map[code:GenericServerError \
                   id:0b6a5a2e-2f3c-4c3d-9d53-3f4f5e6a7b8c]";
        let mut failed = event("failed", 3);
        failed["error"] = json!(raw);
        let view = view_of(vec![failed, event("created", 1)], 9);
        assert_eq!(view.state, TaskState::Failed);
        let error = view.error.unwrap_or_default();
        assert!(
            error.starts_with("Hasura Cloud had an internal problem while creating the project"),
            "{error}"
        );
        assert!(
            error.contains("0b6a5a2e-2f3c-4c3d-9d53-3f4f5e6a7b8c"),
            "{error}"
        );
        assert!(!error.contains("map["), "{error}");
        assert_eq!(view.error_detail.as_deref(), Some(raw));
        // A plain error is shown as sent, with no separate raw text.
        let mut plain = event("failed", 3);
        plain["error"] = json!("relation \"users\" already exists");
        let view = view_of(vec![plain], 9);
        assert_eq!(
            view.error.as_deref(),
            Some("relation \"users\" already exists")
        );
        assert_eq!(view.error_detail, None);
    }

    #[test]
    fn the_newest_success_event_hands_over() {
        let success = |secs: i64, deployment: &str| {
            let mut e = event("success", secs);
            e["public_event_data"] =
                json!({"projectId": "p-1", "githubDeploymentJobID": deployment});
            e
        };
        // A retried creation: a stale success (its deployment terminated), then the live one,
        // sent newest first and oldest first.
        for events in [
            vec![
                success(8, "live"),
                event("created", 0),
                success(3, "stale"),
                event("created", 5),
            ],
            vec![
                success(3, "stale"),
                event("created", 5),
                success(8, "live"),
                event("created", 0),
            ],
        ] {
            let job = job_json(
                "7a79cf94-0e53-4520-a560-1b02bf522f08",
                CREATION_JOB_TYPE,
                "success",
                vec![task("create-preview-app", events)],
            );
            assert_eq!(
                handover(&job),
                (Some("p-1".to_owned()), Some("live".to_owned()))
            );
        }
    }

    #[test]
    fn unreadable_times_give_no_duration() {
        let mut e = event("created", 0);
        e["created_at"] = json!("yesterday");
        let view = view_of(vec![e], 5);
        assert_eq!(view.state, TaskState::Running);
        assert_eq!(view.duration_ms, None);
        assert_eq!(
            parse_time("2024-05-01 10:00:00.5+00").map(|t| t.timestamp_millis() % 1000),
            Some(500)
        );
    }

    #[test]
    fn job_views_and_unnamed_tasks() {
        let job = job_json(
            "7a79cf94-0e53-4520-a560-1b02bf522f08",
            DEPLOYMENT_JOB_TYPE,
            "in_progress",
            vec![
                task(
                    "gh-validation",
                    vec![event("created", 0), event("success", 6)],
                ),
                task("", vec![event("created", 6)]),
                task("brand-new-step", vec![]),
            ],
        );
        let view = job_view(&job, now(7));
        assert_eq!(view.state, JobState::Running);
        assert_eq!(view.status, "in_progress");
        let labels: Vec<(&str, &str, TaskState)> = view
            .tasks
            .iter()
            .map(|t| (t.name.as_str(), t.label.as_str(), t.state))
            .collect();
        assert_eq!(
            labels,
            [
                (
                    "gh-validation",
                    "Fetch metadata and migrations from GitHub",
                    TaskState::Succeeded
                ),
                ("", "Unnamed step", TaskState::Running),
                ("brand-new-step", "brand-new-step", TaskState::Pending),
            ]
        );
        for (status, state) in [
            ("success", JobState::Succeeded),
            ("failed", JobState::Failed),
            ("skipped", JobState::Skipped),
            ("created", JobState::Running),
            ("", JobState::Running),
        ] {
            let job = job_json("7a79cf94-0e53-4520-a560-1b02bf522f08", "x", status, vec![]);
            assert_eq!(job_view(&job, now(0)).state, state, "{status}");
        }
    }

    #[test]
    fn progress_ignores_growing_durations() {
        let job = job_json(
            "7a79cf94-0e53-4520-a560-1b02bf522f08",
            DEPLOYMENT_JOB_TYPE,
            "running",
            vec![task("apply-metadata", vec![event("created", 0)])],
        );
        let a = job_view(&job, now(1));
        let b = job_view(&job, now(9));
        assert_ne!(a, b);
        assert!(same_progress(&a, &b));
        let moved = job_json(
            "7a79cf94-0e53-4520-a560-1b02bf522f08",
            DEPLOYMENT_JOB_TYPE,
            "running",
            vec![task(
                "apply-metadata",
                vec![event("created", 0), event("success", 2)],
            )],
        );
        assert!(!same_progress(&a, &job_view(&moved, now(9))));
    }

    #[test]
    fn handover_reads_the_success_event() {
        let mut success = event("success", 8);
        success["public_event_data"] = json!({"projectId": "p-1", "githubDeploymentJobID": "d-1"});
        let job = job_json(
            "7a79cf94-0e53-4520-a560-1b02bf522f08",
            CREATION_JOB_TYPE,
            "success",
            vec![task(
                "create-preview-app",
                vec![event("created", 0), success],
            )],
        );
        assert_eq!(handover(&job), (Some("p-1".into()), Some("d-1".into())));
        let bare = job_json(
            "7a79cf94-0e53-4520-a560-1b02bf522f08",
            CREATION_JOB_TYPE,
            "success",
            vec![task("create-preview-app", vec![event("success", 1)])],
        );
        assert_eq!(handover(&bare), (None, None));
    }
}
