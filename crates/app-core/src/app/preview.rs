//! The GitHub preview-app commands (`docs/preview-contract.md`). Runs live here, in memory, per
//! profile: one tokio task per live run polls its job with the profile's client and hands every
//! new state to the sink the shell gave ([`App::with_preview_sink`]). The GitHub token is kept in
//! the keychain per profile (account `github-token:<profileId>`; the sandbox's in memory only),
//! bound like the access token to the profile's endpoint, forgotten with the access token, and
//! never returned.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::Utc;
use hasura_cloud::{Client, JobId, PreviewAppRequest, ProjectId, Token};
use parking_lot::Mutex;

use super::App;
use super::projects::project_row;
use super::session::kept_endpoint;
use crate::activity::ActivityKind;
use crate::error::AppError;
use crate::preview::input;
use crate::preview::jobs::{self, job_state};
use crate::preview::messages::{self, Source};
use crate::preview::run::{self, Poll, PreviewWatch, Tracker};
use crate::preview::{
    CleanupFailure, CleanupInput, CleanupReport, GithubTokenStatus, JobState, PreviewAppInput,
    PreviewAppRow, PreviewAppState, PreviewRun, PreviewSink, RepositoryRef,
};
use crate::profiles::{ProfileKind, endpoint_key};
use crate::projects::parse_tenant_id;
use crate::secrets::KeptToken;
use crate::settings::ProfileSettings;

/// The keychain account of a profile's GitHub token.
pub fn github_token_account(profile_id: &str) -> String {
    format!("github-token:{profile_id}")
}

/// How many jobs `preview_apps` reads.
const LISTED_JOBS: u32 = 100;
/// Attempts to read a preview app's endpoint once its project is known.
const ENDPOINT_TRIES: u32 = 3;

/// Runs are kept per (profile id, run id).
type RunKey = (String, String);

struct Entry {
    tracker: Tracker,
    /// Order of creation, for "newest first".
    seq: u64,
    /// Bumped when a new task follows the run; an older task's updates are refused.
    generation: u64,
    task: Option<tokio::task::AbortHandle>,
}

#[derive(Default)]
struct Registry {
    entries: HashMap<RunKey, Entry>,
    seq: u64,
}

impl Registry {
    /// Stores a follower's new state; false when the run was dismissed or taken over.
    fn update(&mut self, key: &RunKey, generation: u64, tracker: &Tracker) -> bool {
        match self.entries.get_mut(key) {
            Some(entry) if entry.generation == generation => {
                entry.tracker = tracker.clone();
                if tracker.run.phase.is_terminal() {
                    entry.task = None;
                }
                true
            }
            _ => false,
        }
    }
}

/// The preview-app state of an [`App`].
#[derive(Default)]
pub(crate) struct Previews {
    registry: Arc<Mutex<Registry>>,
    sink: Option<PreviewSink>,
    watch: PreviewWatch,
    /// The sandbox's GitHub tokens: in memory only, like its access token.
    session_tokens: Mutex<HashMap<String, Token>>,
}

impl Previews {
    pub(crate) fn run_count(&self) -> usize {
        self.registry.lock().entries.len()
    }

    /// Stops and forgets a profile's runs (sign-out, profile deleted, endpoint changed).
    pub(crate) fn drop_profile(&self, profile: &str) {
        let mut registry = self.registry.lock();
        registry.entries.retain(|(p, _), entry| {
            let keep = p != profile;
            if !keep && let Some(task) = entry.task.take() {
                task.abort();
            }
            keep
        });
        self.session_tokens.lock().remove(profile);
    }

    fn publish(&self, run: &PreviewRun) {
        if let Some(sink) = &self.sink {
            sink(run.clone());
        }
    }
}

impl Drop for Previews {
    fn drop(&mut self) {
        for entry in self.registry.lock().entries.values_mut() {
            if let Some(task) = entry.task.take() {
                task.abort();
            }
        }
    }
}

/// Follows a run until it ends, is dismissed or is taken over.
async fn follow(
    client: Client,
    registry: Arc<Mutex<Registry>>,
    sink: Option<PreviewSink>,
    watch: PreviewWatch,
    key: RunKey,
    generation: u64,
    mut tracker: Tracker,
) {
    let mut endpoint_tries = 0;
    while let Some(delay) = tracker.next_delay() {
        tokio::time::sleep(delay).await;
        let poll = match tracker.followed_job().parse::<JobId>() {
            Ok(job) => match client.job(job).await {
                Ok(found) => Poll::Job(found),
                Err(error) => Poll::Error(error),
            },
            Err(_) => Poll::Job(None),
        };
        tracker = run::step(&tracker, poll, Utc::now(), &watch).tracker;
        if endpoint_tries < ENDPOINT_TRIES
            && let Some(project) = tracker
                .project_without_endpoint()
                .and_then(|p| p.parse::<ProjectId>().ok())
        {
            endpoint_tries += 1;
            if let Ok(row) = project_row(&client, project).await
                && !row.endpoint.is_empty()
            {
                tracker.set_endpoint(&row.endpoint);
            }
        }
        if !registry.lock().update(&key, generation, &tracker) {
            return;
        }
        if let Some(sink) = &sink {
            sink(tracker.run.clone());
        }
    }
}

fn blank_token() -> AppError {
    AppError::invalid(
        "githubToken",
        "Paste a GitHub personal access token with read access to the repository.",
    )
}

fn no_github_token() -> AppError {
    AppError::invalid(
        "githubToken",
        "Add a GitHub personal access token first: Hasura Cloud uses it to read the repository's \
         metadata and migrations.",
    )
}

fn parse_job_id(raw: &str) -> Result<JobId, AppError> {
    raw.trim()
        .parse::<JobId>()
        .map_err(|_| AppError::InvalidInput {
            message:
                "This is not a job id. A job id looks like 7a79cf94-0e53-4520-a560-1b02bf522f08."
                    .to_owned(),
            field: None,
        })
}

impl App {
    /// The same app with other polling intervals and bounded waits for preview apps (tests).
    pub fn with_preview_watch(mut self, watch: PreviewWatch) -> App {
        self.previews.watch = watch;
        self
    }

    /// The same app handing every new state of every preview-app run to `sink` (the shell emits
    /// an event and shows a notification). It is called from the polling tasks.
    pub fn with_preview_sink(mut self, sink: PreviewSink) -> App {
        self.previews.sink = Some(sink);
        self
    }

    /// Reads a repository reference typed or pasted in the wizard.
    pub async fn parse_repository(&self, text: &str) -> Result<RepositoryRef, AppError> {
        input::parse_repository(text)
    }

    /// The profile's GitHub token, if one is kept for the profile's endpoint (one kept for
    /// another is never sent).
    async fn github_token_of(&self, profile: &ProfileSettings) -> Result<Option<Token>, AppError> {
        if profile.kind == ProfileKind::Sandbox {
            return Ok(self
                .previews
                .session_tokens
                .lock()
                .get(&profile.id)
                .cloned());
        }
        let account = github_token_account(&profile.id);
        let found = self.session.blocking(move |s| s.get(&account)).await?;
        Ok(found
            .as_deref()
            .and_then(KeptToken::read)
            .filter(|kept| {
                kept_endpoint(kept.endpoint.as_deref(), &profile.endpoint)
                    == endpoint_key(&profile.endpoint)
            })
            .map(|kept| Token::new(kept.token)))
    }

    /// Whether the active profile has a GitHub token.
    pub async fn github_token_status(&self) -> Result<GithubTokenStatus, AppError> {
        let profile = self.session.active_profile()?;
        Ok(GithubTokenStatus {
            stored: self.github_token_of(&profile).await?.is_some(),
        })
    }

    /// Keeps (replaces) the active profile's GitHub token in the keychain, for its endpoint.
    pub async fn set_github_token(&self, token: &str) -> Result<GithubTokenStatus, AppError> {
        // Not while the profile is moved or signed out: it would be kept for the old endpoint.
        let _changes = self.session.lock_changes().await;
        let profile = self.session.active_profile()?;
        let token = token.trim();
        if token.is_empty() {
            return Err(blank_token());
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AppError::invalid(
                "githubToken",
                "A GitHub token has no spaces or line breaks: copy it again from GitHub.",
            ));
        }
        if profile.kind == ProfileKind::Sandbox {
            self.previews
                .session_tokens
                .lock()
                .insert(profile.id.clone(), Token::new(token.to_owned()));
        } else {
            let account = github_token_account(&profile.id);
            let secret = KeptToken::secret(&endpoint_key(&profile.endpoint), token);
            self.session
                .blocking(move |s| s.set(&account, &secret))
                .await?;
        }
        Ok(GithubTokenStatus { stored: true })
    }

    /// Forgets the active profile's GitHub token.
    pub async fn forget_github_token(&self) -> Result<GithubTokenStatus, AppError> {
        let _changes = self.session.lock_changes().await;
        let profile = self.session.active_profile()?;
        self.delete_github_token(&profile).await?;
        Ok(GithubTokenStatus { stored: false })
    }

    pub(super) async fn delete_github_token(
        &self,
        profile: &ProfileSettings,
    ) -> Result<(), AppError> {
        self.previews.session_tokens.lock().remove(&profile.id);
        if profile.kind == ProfileKind::Sandbox {
            return Ok(());
        }
        let account = github_token_account(&profile.id);
        self.session.blocking(move |s| s.delete(&account)).await
    }

    /// Checks the input, asks Hasura Cloud for the preview app (once: a mutation is never
    /// retried) and starts following it. Returns the run before its first poll.
    pub async fn preview_create(&self, input: PreviewAppInput) -> Result<PreviewRun, AppError> {
        let request = input::validate_input(&input)?;
        let (profile_id, client) = self.session.active_client().await?;
        let profile = self.session.profile(&profile_id)?;
        let github_token = self
            .github_token_of(&profile)
            .await?
            .ok_or_else(no_github_token)?;
        let job = client
            .create_preview_app(&github_token, &request)
            .await
            .map_err(messages::create_error)?;
        let PreviewAppRequest {
            owner,
            repo,
            branch,
            directory,
            name,
            ..
        } = request;
        self.record(
            self.activity_entry(
                &profile_id,
                ActivityKind::PreviewCreated,
                format!(
                    "Started preview app {name} from {owner}/{repo}, branch {branch}, folder {directory}"
                ),
            )
            .project(Some(&name), None),
        );
        let source = Source {
            owner,
            repo,
            branch,
            directory,
        };
        let tracker = Tracker::new(
            &job.to_string(),
            &profile_id,
            &name,
            source,
            Utc::now(),
            &self.previews.watch,
        );
        Ok(self.start_following(&profile_id, client, tracker))
    }

    /// Registers `tracker` (replacing a finished run with the same id) and spawns its follower.
    fn start_following(&self, profile: &str, client: Client, tracker: Tracker) -> PreviewRun {
        let key = (profile.to_owned(), tracker.run.id.clone());
        let run = tracker.run.clone();
        let mut registry = self.previews.registry.lock();
        registry.seq += 1;
        let seq = registry.seq;
        let generation = registry
            .entries
            .get(&key)
            .map_or(0, |e| e.generation.wrapping_add(1));
        if let Some(old) = registry.entries.get_mut(&key)
            && let Some(task) = old.task.take()
        {
            task.abort();
        }
        let task = (!run.phase.is_terminal()).then(|| {
            tokio::spawn(follow(
                client,
                Arc::clone(&self.previews.registry),
                self.previews.sink.clone(),
                self.previews.watch,
                key.clone(),
                generation,
                tracker.clone(),
            ))
            .abort_handle()
        });
        let seq = registry.entries.get(&key).map_or(seq, |e| e.seq);
        registry.entries.insert(
            key,
            Entry {
                tracker,
                seq,
                generation,
                task,
            },
        );
        drop(registry);
        self.previews.publish(&run);
        run
    }

    /// The active profile's runs of this session, newest first.
    pub async fn preview_runs(&self) -> Result<Vec<PreviewRun>, AppError> {
        let profile = self.session.active_profile()?;
        let registry = self.previews.registry.lock();
        let mut runs: Vec<(u64, PreviewRun)> = registry
            .entries
            .iter()
            .filter(|((p, _), _)| *p == profile.id)
            .map(|(_, e)| (e.seq, e.tracker.run.clone()))
            .collect();
        runs.sort_by_key(|(seq, _)| std::cmp::Reverse(*seq));
        Ok(runs.into_iter().map(|(_, run)| run).collect())
    }

    /// Follows an existing job: a live run is returned as is; one that gave up or lost its job
    /// is followed again; a job not seen in this session is read once and followed.
    pub async fn preview_watch(&self, job_id: &str) -> Result<PreviewRun, AppError> {
        let job = parse_job_id(job_id)?;
        let (profile, client) = self.session.active_client().await?;
        let key = (profile.clone(), job.to_string());
        let existing = self
            .previews
            .registry
            .lock()
            .entries
            .get(&key)
            .map(|e| e.tracker.clone());
        let now = Utc::now();
        if let Some(mut tracker) = existing {
            if !tracker.can_resume() {
                return Ok(tracker.run);
            }
            tracker.resume(now, &self.previews.watch);
            return Ok(self.start_following(&profile, client, tracker));
        }
        let found = client.job(job).await?.ok_or_else(|| {
            AppError::not_found(
                "This job was not found in Hasura Cloud. It may have been removed, or belong \
                 to another account.",
            )
        })?;
        let tracker = Tracker::new(
            &job.to_string(),
            &profile,
            found.project_name.as_deref().unwrap_or_default(),
            Source::default(),
            now,
            &self.previews.watch,
        );
        let tracker =
            run::step(&tracker, Poll::Job(Some(found)), now, &self.previews.watch).tracker;
        Ok(self.start_following(&profile, client, tracker))
    }

    /// Forgets a run of the active profile, stopping it first if it is live.
    pub async fn preview_dismiss(&self, job_id: &str) -> Result<(), AppError> {
        let profile = self.session.active_profile()?;
        let key = (profile.id, job_id.trim().to_owned());
        if let Some(mut entry) = self.previews.registry.lock().entries.remove(&key)
            && let Some(task) = entry.task.take()
        {
            task.abort();
        }
        Ok(())
    }

    /// The preview apps seen in the latest jobs, newest first, with their projects if they
    /// still exist.
    pub async fn preview_apps(&self) -> Result<Vec<PreviewAppRow>, AppError> {
        let client = self.session.client().await?;
        let jobs = client.preview_app_jobs(LISTED_JOBS).await?;
        let projects = client.list_projects().await?;
        Ok(preview_rows(&jobs, &projects))
    }

    /// Deletes preview apps' projects; one failing does not stop the others. With one item,
    /// `confirm_name` must be its name; each project must still have the name shown.
    pub async fn preview_cleanup(&self, input: CleanupInput) -> Result<CleanupReport, AppError> {
        if let [only] = input.items.as_slice()
            && input.confirm_name.as_deref().map(str::trim) != Some(only.name.as_str())
        {
            return Err(AppError::invalid(
                "confirmName",
                format!(
                    "Type the preview app's name, {}, exactly as shown to confirm deleting it.",
                    only.name
                ),
            ));
        }
        let (profile, client) = self.session.active_client().await?;
        let mut report = CleanupReport {
            deleted: vec![],
            failed: vec![],
        };
        for item in input.items {
            let result = async {
                let tenant = parse_tenant_id(&item.tenant_id)?;
                let details = client.tenant(tenant).await?;
                if details.project.name != item.name {
                    return Err(AppError::Conflict {
                        message: format!(
                            "This project is now named {}, not {}; it was not deleted. Refresh \
                             the list and try again.",
                            details.project.name, item.name
                        ),
                    });
                }
                client.delete_tenant(tenant).await?;
                Ok(tenant.to_string())
            }
            .await;
            match result {
                Ok(tenant) => {
                    self.drafts.drop_where(|_, t| t == tenant);
                    self.record(
                        self.activity_entry(
                            &profile,
                            ActivityKind::PreviewDeleted,
                            format!("Cleaned up preview app {}", item.name),
                        )
                        .project(Some(&item.name), Some(&tenant)),
                    );
                    report.deleted.push(item.name);
                }
                Err(error) => report.failed.push(CleanupFailure {
                    name: item.name,
                    error,
                }),
            }
        }
        Ok(report)
    }
}

/// Groups the jobs (newest first) of preview apps by name; the newest job of each name gives its
/// state, and the project list says which still exist.
pub(crate) fn preview_rows(
    jobs: &[hasura_cloud::Job],
    projects: &[hasura_cloud::Project],
) -> Vec<PreviewAppRow> {
    let mut rows: Vec<PreviewAppRow> = vec![];
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for job in jobs.iter().filter(|j| j.job_type.contains("preview")) {
        let name = job
            .project_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "(unnamed)".to_owned());
        let project_id = job
            .project_id
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| jobs::handover(job).0);
        match index.get(&name) {
            Some(&at) => {
                // An older job of the same preview app: it may know the project.
                if let Some(row) = rows.get_mut(at)
                    && row.project_id.is_none()
                {
                    row.project_id = project_id;
                }
            }
            None => {
                index.insert(name.clone(), rows.len());
                rows.push(PreviewAppRow {
                    name,
                    state: match job_state(&job.state()) {
                        JobState::Running => PreviewAppState::Running,
                        JobState::Succeeded => PreviewAppState::Succeeded,
                        JobState::Failed => PreviewAppState::Failed,
                        JobState::Skipped => PreviewAppState::Skipped,
                    },
                    status: job.status.clone(),
                    latest_job_id: job.id.to_string(),
                    job_type: job.job_type.clone(),
                    created_at: job.created_at.clone(),
                    project_id,
                    tenant_id: None,
                    endpoint: None,
                    duplicate: false,
                });
            }
        }
    }
    for row in &mut rows {
        let by_id = row
            .project_id
            .as_deref()
            .and_then(|id| projects.iter().find(|p| p.id.to_string() == id));
        // Only when no job named the project: a project id that is gone means the app is gone.
        let by_name = || {
            row.project_id
                .is_none()
                .then(|| projects.iter().find(|p| p.name == row.name))
                .flatten()
        };
        let project = by_id.or_else(by_name);
        if let Some(project) = project {
            attach(row, project);
        }
    }
    // Other projects with a listed preview app's name: duplicates of one creation. Each gets a
    // row of its own, so that it can be seen and deleted.
    let mut with_duplicates = Vec::with_capacity(rows.len());
    for mut row in rows {
        let twins: Vec<&hasura_cloud::Project> = projects
            .iter()
            .filter(|p| p.name == row.name)
            .filter(|p| row.project_id.as_deref() != Some(p.id.to_string().as_str()))
            .collect();
        if row.project_id.is_none() || twins.is_empty() {
            with_duplicates.push(row);
            continue;
        }
        row.duplicate = true;
        let copies: Vec<PreviewAppRow> = twins
            .into_iter()
            .map(|twin| {
                let mut copy = row.clone();
                attach(&mut copy, twin);
                copy
            })
            .collect();
        with_duplicates.push(row);
        with_duplicates.extend(copies);
    }
    with_duplicates
}

fn attach(row: &mut PreviewAppRow, project: &hasura_cloud::Project) {
    row.project_id = Some(project.id.to_string());
    row.tenant_id = project.tenant.as_ref().map(|t| t.id.to_string());
    row.endpoint = Some(project.endpoint.clone()).filter(|e| !e.is_empty());
}
