//! GitHub preview apps: a creation job, then a deployment job, each a script of named tasks that
//! start and finish as simulated time passes.
//!
//! Scripted failures, so tests and the sandbox can show every outcome:
//! - branch `fail-<task>` (e.g. `fail-apply-migration`, `fail-create-preview-app`): that task fails;
//! - a directory containing `missing`: `gh-validation` fails, the folder is not in the repo;
//! - an owner or repo containing `unreadable`: `gh-validation` fails, the token cannot read it;
//! - a GitHub token containing `invalid`: the creation job fails, GitHub rejected the token;
//! - a branch containing `slow`: every task takes four times as long.
//!
//! As on the real service, a task's events are stored in no particular time order (by id, as an
//! index scan would return them): a client must order them by `created_at` itself.
//!
//! Names: the mutation takes any non-blank name (the API reference's own example sends
//! `my-app_name`); the project gets it as a host name — lowercased, runs of other characters
//! made one hyphen — and a name with no such form (fewer than 3 or more than 40 characters
//! left) fails the creation job with a clear error. What the real service does is unknown.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::FaultKind;
use crate::jobs::{JobRun, Phase, PreviewRequest, Step};
use crate::table::timestamp;
use crate::world::{
    ActionError, ActionResult, World, has, key_values, reply, row, str_of, validate_project_name,
};

/// The message of the creation failure graphql-engine #9731 reports: the Go-formatted error of
/// a failed `createTenant` inside the job.
pub fn go_formatted_creation_error() -> String {
    format!(
        "error creating tenant: Message: there was an internal error while serving your request, \
         Locations: [] Extensions: map[code:GenericServerError id:{}]",
        Uuid::new_v4()
    )
}

/// The host-name form of a preview app's name, if it has one that is a valid project name:
/// `my-app_name` → `my-app-name`.
pub fn host_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    validate_project_name(&out).is_ok().then_some(out)
}

pub const CREATION_JOB: &str = "github-preview-app-creation";
pub const DEPLOYMENT_JOB: &str = "github-preview-app-deployment";
/// The creation job's one task; its real name is not documented.
pub const CREATION_TASK: &str = "create-preview-app";
/// Deployment tasks in order, with their durations on the real service.
pub const DEPLOYMENT_TASKS: &[(&str, u64)] = &[
    ("gh-validation", 6_000),
    ("parse-metadata-migration", 2_000),
    ("apply-metadata", 3_000),
    ("apply-migration", 3_000),
    ("reload-metadata", 1_500),
    ("check-healthz", 2_500),
];
const QUEUE_DELAY_MS: u64 = 1_000;
const CREATION_MS: u64 = 8_000;

pub fn create_preview_app(world: &mut World, args: &Value, now: DateTime<Utc>) -> ActionResult {
    let payload = args.get("payload").cloned().unwrap_or(Value::Null);
    if payload.is_null() {
        return Err(ActionError::refused("payload is required"));
    }
    if let Some(limit) = world.config.preview_app_limit
        && world.preview_calls >= limit
    {
        return Err(ActionError::new(
            "rate-limit-exceeded",
            format!(
                "you have used all {limit} preview app API calls this month; projects on the \
                 free plan get {limit} a month"
            ),
        ));
    }
    let text = |pointer: &str| {
        payload
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut request = PreviewRequest {
        name: text("/projectOptions/name"),
        cloud: text("/projectOptions/cloud"),
        region: text("/projectOptions/region"),
        plan: payload
            .pointer("/projectOptions/plan")
            .and_then(Value::as_str)
            .unwrap_or("cloud_free")
            .to_string(),
        envs: key_values(payload.pointer("/projectOptions/envVars"))?,
        owner: text("/githubRepoDetails/owner"),
        repo: text("/githubRepoDetails/repo"),
        branch: text("/githubRepoDetails/branch"),
        directory: text("/githubRepoDetails/directory"),
        token: text("/githubPersonalAccessToken"),
        duplicate: false,
        retried: false,
    };
    if !["aws", "gcp"].contains(&request.cloud.as_str()) {
        return Err(ActionError::refused(format!(
            "cloud \"{}\" is not supported for preview apps; use aws or gcp",
            request.cloud
        )));
    }
    if !["cloud_free", "cloud_payg"].contains(&request.plan.as_str()) {
        return Err(ActionError::refused(format!(
            "plan \"{}\" is not supported for preview apps; use cloud_free or cloud_payg",
            request.plan
        )));
    }
    for (field, value) in [
        ("githubPersonalAccessToken", &request.token),
        ("owner", &request.owner),
        ("repo", &request.repo),
        ("branch", &request.branch),
        ("name", &request.name),
    ] {
        if value.trim().is_empty() {
            return Err(ActionError::refused(format!("{field} must not be empty")));
        }
    }
    world.preview_calls += 1;
    let asked_name = request.name.clone();
    let name_failure = match host_name(&asked_name) {
        Some(name) => {
            request.name = name;
            None
        }
        None => Some(format!(
            "invalid preview app name \"{asked_name}\": it must become a host name of 3 to 40 \
             lowercase letters, digits and hyphens"
        )),
    };
    request.duplicate = world.faults.take(&FaultKind::DuplicatePreviewApp);
    request.retried = world.faults.take(&FaultKind::RetriedCreation);

    // A newer creation with the same name supersedes one still in progress.
    let superseded: Vec<String> = world
        .runs
        .iter()
        .filter(
            |run| matches!(&run.phase, Phase::Creation { request: r } if r.name == request.name),
        )
        .map(|run| run.job_id.clone())
        .collect();
    world.runs.retain(|run| !superseded.contains(&run.job_id));
    for job in &superseded {
        set_job_status(world, job, "skipped", now);
    }

    let slow = if request.branch.contains("slow") {
        4
    } else {
        1
    };
    let failure = if let Some(why) = name_failure {
        Some(why)
    } else if world.faults.take(&FaultKind::PreviewCreationError) {
        Some(go_formatted_creation_error())
    } else if request.token.contains("invalid") {
        Some("GitHub rejected the personal access token".to_string())
    } else {
        scripted_failure(&request.branch, CREATION_TASK)
    };
    let steps = vec![Step {
        task: CREATION_TASK,
        duration: world.scaled(Duration::from_millis(CREATION_MS * slow)),
        failure,
        github_detail: None,
    }];
    let input = json!({
        "githubRepoDetails": {
            "owner": request.owner, "repo": request.repo,
            "branch": request.branch, "directory": request.directory,
        },
        "projectOptions": {
            "name": asked_name, "cloud": request.cloud, "region": request.region,
            "plan": request.plan,
            // Keys only: values may be secrets.
            "envVars": request.envs.iter().map(|(k, _)| json!({"key": k})).collect::<Vec<_>>(),
        },
    });
    let job_id = insert_job(world, CREATION_JOB, input, None, &request.name, now);
    let start = now + world.scaled(Duration::from_millis(QUEUE_DELAY_MS));
    world.runs.push(JobRun {
        job_id: job_id.clone(),
        phase: Phase::Creation {
            request: Box::new(request),
        },
        steps,
        next_start: start,
        current: 0,
        current_task: None,
    });
    Ok(reply(json!({ "githubPreviewAppJobID": job_id })))
}

fn scripted_failure(branch: &str, task: &str) -> Option<String> {
    (branch.strip_prefix("fail-") == Some(task))
        .then(|| format!("{task} failed: scripted failure for branch \"{branch}\""))
}

fn insert_job(
    world: &mut World,
    job_type: &str,
    input: Value,
    project_id: Option<&str>,
    project_name: &str,
    now: DateTime<Utc>,
) -> String {
    let id = Uuid::new_v4().to_string();
    let at = timestamp(now);
    world.tables.insert(
        "jobs",
        row(json!({
            "id": id, "status": "created", "job_type": job_type, "input": input,
            "project_id": project_id, "project_name": project_name, "user_id": null,
            "created_at": at, "updated_at": at,
        })),
    );
    id
}

fn set_job_status(world: &mut World, job_id: &str, status: &str, at: DateTime<Utc>) {
    world.tables.update(
        "jobs",
        |r| has(r, "id", job_id),
        |r| {
            r.insert("status".into(), json!(status));
            r.insert("updated_at".into(), timestamp(at));
        },
    );
}

fn insert_event(
    world: &mut World,
    task_id: &str,
    event_type: &str,
    error: Option<&str>,
    data: Value,
    github_detail: Option<&str>,
    at: DateTime<Utc>,
) {
    let stamp = timestamp(at);
    world.tables.insert_ordered(
        "task_event",
        "id",
        row(json!({
            "id": Uuid::new_v4().to_string(), "task_id": task_id, "event_type": event_type,
            "error": error, "public_event_data": data, "event_data": data,
            "github_detail": github_detail, "created_at": stamp, "updated_at": stamp,
        })),
    );
    world.tables.update(
        "tasks",
        |r| has(r, "id", task_id),
        |r| {
            r.insert("updated_at".into(), stamp.clone());
        },
    );
}

/// Brings time-driven state up to `now`: restarts and provisioning that are over end, then jobs
/// in progress take their steps. It lives here, not in `world.rs`, because only this module
/// knows both.
pub fn advance(world: &mut World, now: DateTime<Utc>) {
    world.end_restarts(now);
    step_jobs(world, now);
}

/// Moves every job in progress up to `now`, in order, creating task and event rows at the times
/// they happened.
fn step_jobs(world: &mut World, now: DateTime<Utc>) {
    let mut runs = std::mem::take(&mut world.runs);
    let mut i = 0;
    while i < runs.len() {
        let mut run = runs.remove(i);
        let (done, follow_up) = step_run(world, &mut run, now);
        if !done {
            runs.insert(i, run);
            i += 1;
        }
        // A follow-up job (the deployment) is advanced in this same call.
        if let Some(next) = follow_up {
            runs.insert(i, next);
        }
    }
    // Runs created while advancing (none today) would have been pushed onto world.runs.
    runs.append(&mut world.runs);
    world.runs = runs;
}

/// Returns whether the run has ended, and a job it started.
fn step_run(world: &mut World, run: &mut JobRun, now: DateTime<Utc>) -> (bool, Option<JobRun>) {
    loop {
        let Some(step) = run.steps.get(run.current).cloned() else {
            return (true, None);
        };
        if run.next_start > now {
            return (false, None);
        }
        let task_id = match &run.current_task {
            Some(id) => id.clone(),
            None => {
                let id = Uuid::new_v4().to_string();
                let (cloud, region) = job_location(world, run);
                let at = timestamp(run.next_start);
                world.tables.insert(
                    "tasks",
                    row(json!({
                        "id": id, "name": step.task, "cloud": cloud, "region": region,
                        "max_retry": 3, "job_id": run.job_id, "payload": null,
                        "created_at": at, "updated_at": at,
                    })),
                );
                insert_event(
                    world,
                    &id,
                    "created",
                    None,
                    Value::Null,
                    None,
                    run.next_start,
                );
                set_job_status(world, &run.job_id, "running", run.next_start);
                run.current_task = Some(id.clone());
                id
            }
        };
        let end = run.next_start + step.duration;
        if end > now {
            return (false, None);
        }
        if let Some(error) = &step.failure {
            insert_event(
                world,
                &task_id,
                "failed",
                Some(error),
                Value::Null,
                step.github_detail.as_deref(),
                end,
            );
            set_job_status(world, &run.job_id, "failed", end);
            return (true, None);
        }
        let last = run.current + 1 == run.steps.len();
        let mut follow_up = None;
        let data = match (&run.phase, last) {
            (Phase::Creation { request }, true) => {
                let (data, deployment) = finish_creation(world, &run.job_id, request, end);
                if request.retried {
                    retried_attempt(world, &task_id, &data, run.next_start, step.duration);
                }
                follow_up = Some(deployment);
                data
            }
            _ => Value::Null,
        };
        insert_event(
            world,
            &task_id,
            "success",
            None,
            data,
            step.github_detail.as_deref(),
            end,
        );
        run.current += 1;
        run.current_task = None;
        run.next_start = end;
        if last {
            set_job_status(world, &run.job_id, "success", end);
            return (true, follow_up);
        }
    }
}

/// A first attempt of the creation task that succeeded with a deployment job since terminated,
/// then the task created again: the events a retried task leaves (preview-apps #114).
fn retried_attempt(
    world: &mut World,
    task_id: &str,
    data: &Value,
    start: DateTime<Utc>,
    duration: chrono::Duration,
) {
    let mut stale = data.clone();
    stale["githubDeploymentJobID"] = json!(Uuid::new_v4().to_string());
    insert_event(
        world,
        task_id,
        "success",
        None,
        stale,
        None,
        start + duration / 3,
    );
    insert_event(
        world,
        task_id,
        "created",
        None,
        Value::Null,
        None,
        start + duration / 2,
    );
}

fn job_location(world: &World, run: &JobRun) -> (String, String) {
    match &run.phase {
        Phase::Creation { request } => (request.cloud.clone(), request.region.clone()),
        Phase::Deployment => world
            .tables
            .find("jobs", "id", &json!(run.job_id))
            .and_then(|job| job.get("project_id").cloned())
            .and_then(|project| world.tables.find("tenant", "project_id", &project))
            .map(|t| {
                (
                    str_of(&t, "cloud").unwrap_or_default(),
                    str_of(&t, "region").unwrap_or_default(),
                )
            })
            .unwrap_or_default(),
    }
}

/// Creates the preview app's project (replacing one of the same name) and schedules its
/// deployment job; returns the success event's public data and the deployment run.
fn finish_creation(
    world: &mut World,
    creation_job: &str,
    request: &PreviewRequest,
    at: DateTime<Utc>,
) -> (Value, JobRun) {
    // Creating with an existing name re-creates that preview app.
    let existing: Vec<_> = world
        .tables
        .lookup("projects", "name", &json!(request.name))
        .into_iter()
        .filter_map(|p| {
            world
                .tables
                .find("tenant", "project_id", p.get("id").unwrap_or(&Value::Null))
        })
        .collect();
    for tenant in existing {
        world.remove_tenant(&tenant);
    }
    let tenant_id = world.insert_project(
        &request.name,
        &request.cloud,
        &request.region,
        &request.plan,
        request.envs.clone(),
        at,
    );
    if request.duplicate {
        // The reported bug: a second project of the same name, with no deployment of its own.
        world.insert_project(
            &request.name,
            &request.cloud,
            &request.region,
            &request.plan,
            request.envs.clone(),
            at,
        );
    }
    let project_id = world
        .tables
        .find("tenant", "id", &json!(tenant_id))
        .and_then(|t| str_of(&t, "project_id"))
        .unwrap_or_default();
    world.tables.update(
        "jobs",
        |r| has(r, "id", creation_job),
        |r| {
            r.insert("project_id".into(), json!(project_id));
        },
    );
    let input = json!({
        "projectId": project_id,
        "githubRepoDetails": {
            "owner": request.owner, "repo": request.repo,
            "branch": request.branch, "directory": request.directory,
        },
    });
    let deployment = insert_job(
        world,
        DEPLOYMENT_JOB,
        input,
        Some(&project_id),
        &request.name,
        at,
    );
    let slow = if request.branch.contains("slow") {
        4
    } else {
        1
    };
    let source = format!(
        "{}/{}@{}:{}",
        request.owner, request.repo, request.branch, request.directory
    );
    let steps = DEPLOYMENT_TASKS
        .iter()
        .map(|(task, ms)| {
            let mut failure = scripted_failure(&request.branch, task);
            let mut github_detail = None;
            if *task == "gh-validation" {
                github_detail = Some(format!("fetching metadata and migrations from {source}"));
                if request.owner.contains("unreadable") || request.repo.contains("unreadable") {
                    failure = Some(format!(
                        "could not read {}/{}: the GitHub token has no access to this repository",
                        request.owner, request.repo
                    ));
                } else if request.directory.contains("missing") {
                    failure = Some(format!(
                        "directory \"{}\" was not found in {}/{} on branch {}",
                        request.directory, request.owner, request.repo, request.branch
                    ));
                }
            }
            Step {
                task,
                duration: world.scaled(Duration::from_millis(ms * slow)),
                failure,
                github_detail,
            }
        })
        .collect();
    let data = json!({ "projectId": project_id, "githubDeploymentJobID": deployment });
    let run = JobRun {
        job_id: deployment,
        phase: Phase::Deployment,
        steps,
        next_start: at,
        current: 0,
        current_task: None,
    };
    (data, run)
}
