//! The token rule: a personal access token goes into `sign_in` and never comes back. Every `App`
//! command is run, on its success and its failure paths, with a recognizable fake token, and
//! every answer, every error (Display, Debug, JSON), the saved settings, the `App`'s `Debug`
//! output and the app's log (after every fault kind of the simulator) are searched for it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use app_core::logs::{self, LogConfig};
use app_core::{
    App, AppError, CleanupInput, CleanupItem, CreateProjectInput, DeleteProjectInput, EnvPair,
    ExternalTarget, MemorySettings, MemoryStore, PreviewAppInput, PreviewRun, ProfileInput,
};
use cloud_sim::{FaultKind, FaultRule, SimConfig};
use common::*;
use serde::Serialize;

const LEAK_TOKEN: &str = "fake-pat-LEAKCHECK-0123456789abcdef";
const REJECTED_TOKEN: &str = "fake-pat-LEAKCHECK-rejected-fedcba9876543210";
/// A GitHub token goes into `set_github_token` and, like the PAT, never comes back.
const GITHUB_TOKEN: &str = "fake-ghp-LEAKCHECK-github-0123456789abcdef";
const MARKER: &str = "LEAKCHECK";

/// Everything the app showed or handed out, as text.
#[derive(Default)]
struct Seen {
    texts: Vec<(String, String)>,
}

impl Seen {
    fn add(&mut self, what: &str, text: String) {
        self.texts.push((what.to_owned(), text));
    }

    /// Records an answer: the value as JSON, or the error as Display, Debug and JSON.
    fn result<T: Serialize + Debug>(
        &mut self,
        what: &str,
        result: Result<T, AppError>,
    ) -> Option<T> {
        match result {
            Ok(value) => {
                self.add(what, serde_json::to_string(&value).unwrap());
                self.add(what, format!("{value:?}"));
                Some(value)
            }
            Err(error) => {
                self.error(what, &error);
                None
            }
        }
    }

    fn error(&mut self, what: &str, error: &AppError) {
        self.add(what, error.to_string());
        self.add(what, format!("{error:?}"));
        self.add(what, format!("{error:#?}"));
        self.add(what, serde_json::to_string(error).unwrap());
    }

    /// Everything the app's log holds so far.
    fn log(&mut self, after: &str) {
        let text: String = logs::log_files(log_dir())
            .iter()
            .map(|file| std::fs::read_to_string(file).unwrap())
            .collect();
        self.add(&format!("log after {after}"), text);
    }

    fn assert_clean(&self) {
        assert!(
            self.texts.len() > 60,
            "too little was checked: {}",
            self.texts.len()
        );
        let leaks: Vec<&(String, String)> = self
            .texts
            .iter()
            .filter(|(_, text)| {
                text.contains(LEAK_TOKEN) || text.contains(REJECTED_TOKEN) || text.contains(MARKER)
            })
            .collect();
        assert!(leaks.is_empty(), "the token leaked: {leaks:#?}");
    }
}

/// The app's log for this test process, kept as the app keeps it (`app_core::logs`: the same
/// subscriber, files and redaction), started once.
fn log_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("hcd-leak-log-{}", uuid::Uuid::new_v4()));
        logs::init(&LogConfig {
            stderr: false,
            ..LogConfig::new(&dir)
        })
        .unwrap();
        dir
    })
}

/// Every fault kind of the simulator (the match stops compiling when it gains one).
fn every_fault_kind() -> Vec<FaultKind> {
    let all = vec![
        FaultKind::Latency { ms: 5 },
        FaultKind::HttpError { status: 502 },
        FaultKind::RateLimited {
            retry_after_secs: 60,
        },
        FaultKind::MalformedJson,
        FaultKind::DropConnection,
        FaultKind::DropResponse,
        FaultKind::LoseAnswer {
            status: 504,
            delay_ms: 10,
        },
        FaultKind::ServerError,
        FaultKind::IgnoreProjectName,
        FaultKind::DuplicatePreviewApp,
        FaultKind::PreviewCreationError,
        FaultKind::RetriedCreation,
        FaultKind::SecondWriter,
        FaultKind::BrokenRestart,
    ];
    for kind in &all {
        match kind {
            FaultKind::Latency { .. }
            | FaultKind::HttpError { .. }
            | FaultKind::RateLimited { .. }
            | FaultKind::MalformedJson
            | FaultKind::DropConnection
            | FaultKind::DropResponse
            | FaultKind::LoseAnswer { .. }
            | FaultKind::ServerError
            | FaultKind::IgnoreProjectName
            | FaultKind::DuplicatePreviewApp
            | FaultKind::PreviewCreationError
            | FaultKind::RetriedCreation
            | FaultKind::SecondWriter
            | FaultKind::BrokenRestart => {}
        }
    }
    all
}

#[tokio::test]
async fn the_token_appears_in_nothing_the_app_hands_out() {
    log_dir();
    let sim = cloud_sim::Simulator::start(SimConfig {
        tokens: vec![LEAK_TOKEN.to_owned()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.control()
        .seed_project("seeded", "aws", "us-east-2", "cloud_free", &[("K", "v")]);
    let settings = Arc::new(MemorySettings::new());
    let secrets = Arc::new(MemoryStore::new());
    // Everything the preview-app watch hands to the shell (events, notifications) is checked too.
    let published: Arc<parking_lot::Mutex<Vec<String>>> = Arc::default();
    let sink_seen = Arc::clone(&published);
    let app = App::with_client_config(settings.clone(), secrets.clone(), fast_clients())
        .unwrap()
        .with_preview_sink(Arc::new(move |run: PreviewRun| {
            sink_seen
                .lock()
                .push(format!("{} {run:?}", serde_json::to_string(&run).unwrap()));
        }));
    let mut seen = Seen::default();
    let absent = "00000000-0000-4000-8000-000000000000";

    // Profiles and signing in, including a rejected token.
    let snap = seen
        .result(
            "save_profile",
            app.save_profile(ProfileInput {
                id: None,
                name: "Work".into(),
                color: String::new(),
                endpoint: sim.graphql_url(),
            })
            .await,
        )
        .unwrap();
    let id = snap.profiles[0].id.clone();
    seen.result(
        "sign_in rejected",
        app.sign_in(sign_in_input(&id, REJECTED_TOKEN, true)).await,
    );
    seen.result(
        "sign_in bad text",
        app.sign_in(sign_in_input(&id, &format!("{LEAK_TOKEN} x"), true))
            .await,
    );
    seen.result(
        "sign_in",
        app.sign_in(sign_in_input(&id, LEAK_TOKEN, true)).await,
    );
    seen.add("App Debug", format!("{app:?}"));
    seen.add("App Debug pretty", format!("{app:#?}"));
    seen.result("get_state", app.get_state().await);
    seen.result("switch_profile", app.switch_profile(&id).await);
    seen.result("switch_profile missing", app.switch_profile("nope").await);
    seen.result(
        "save_profile update",
        app.save_profile(ProfileInput {
            id: Some(id.clone()),
            name: "Work 2".into(),
            color: "#123456".into(),
            endpoint: sim.graphql_url(),
        })
        .await,
    );
    seen.result(
        "save_profile bad endpoint",
        app.save_profile(ProfileInput {
            id: Some(id.clone()),
            name: "Work".into(),
            color: String::new(),
            endpoint: "http://example.com".into(),
        })
        .await,
    );

    // Projects: every command, then again with failures injected.
    let rows = seen
        .result("list_projects", app.list_projects().await)
        .unwrap();
    let seeded = rows.iter().find(|r| r.name == "seeded").unwrap().clone();
    seen.result("project_details", app.project_details(&seeded.id).await);
    seen.result("project_details absent", app.project_details(absent).await);
    seen.result("find_tenant_id", app.find_tenant_id(&seeded.id).await);
    seen.result("find_tenant_id absent", app.find_tenant_id(absent).await);
    let tenant = seeded.tenant_id.clone().unwrap();
    seen.result("tenant_details", app.tenant_details(&tenant).await);
    seen.result("tenant_details absent", app.tenant_details(absent).await);
    seen.result("list_regions", app.list_regions().await);
    let created = seen
        .result(
            "create_project",
            app.create_project(CreateProjectInput {
                cloud: "aws".into(),
                region: "us-west-2".into(),
                plan: "cloud_free".into(),
                name: Some("leak-check".into()),
                envs: vec![EnvPair {
                    key: "A".into(),
                    value: "b".into(),
                }],
            })
            .await,
        )
        .unwrap();
    seen.result(
        "create_project taken",
        app.create_project(CreateProjectInput {
            cloud: "aws".into(),
            region: "us-west-2".into(),
            plan: "cloud_free".into(),
            name: Some("leak-check".into()),
            envs: vec![],
        })
        .await,
    );
    let created_tenant = created.tenant_id.clone().unwrap();
    seen.result(
        "rename_project",
        app.rename_project(&created_tenant, "leak-check-2").await,
    );
    seen.result(
        "rename_project absent",
        app.rename_project(absent, "whatever-name").await,
    );
    seen.result(
        "delete_project wrong name",
        app.delete_project(DeleteProjectInput {
            tenant_id: created_tenant.clone(),
            confirm_name: "leak-check".into(),
        })
        .await,
    );
    seen.result(
        "delete_project",
        app.delete_project(DeleteProjectInput {
            tenant_id: created_tenant.clone(),
            confirm_name: "leak-check-2".into(),
        })
        .await,
    );
    for target in [
        ExternalTarget::Console,
        ExternalTarget::Dashboard,
        ExternalTarget::Endpoint,
    ] {
        seen.result("external_url", app.external_url(&seeded.id, target).await);
    }

    // Environment variables: every editor command, on its answers and its errors.
    let edit = |value: &str| app_core::EnvEdit::Set {
        key: "NEW_KEY".into(),
        value: value.into(),
    };
    seen.result("env_load", app.env_load(&tenant).await);
    seen.result("env_load absent", app.env_load(absent).await);
    seen.result("env_stage", app.env_stage(&tenant, vec![edit("1")]).await);
    seen.result(
        "env_unstage",
        app.env_unstage(&tenant, vec!["NEW_KEY".into()]).await,
    );
    seen.result(
        "env_stage again",
        app.env_stage(&tenant, vec![edit("2")]).await,
    );
    let applied = seen.result("env_apply", app.env_apply(&tenant, None).await);
    assert!(
        matches!(applied, Some(app_core::ApplyOutcome::Applied { .. })),
        "{applied:?}"
    );
    let restored = seen.result("env_restore", app.env_restore(&tenant, 1).await);
    assert_eq!(restored.map(|d| d.changes.len()), Some(1));
    seen.result("env_restore absent", app.env_restore(&tenant, 99).await);
    seen.result(
        "env_resolve without conflict",
        app.env_resolve(&tenant, Vec::new()).await,
    );
    seen.result("env_reload", app.env_reload(&tenant).await);
    seen.result(
        "env_import_preview",
        app.env_import_preview(&tenant, "A=1\nbad line").await,
    );
    seen.result(
        "env_import_stage",
        app.env_import_stage(&tenant, "A=1").await,
    );
    seen.result("env_export_text", app.env_export_text(&tenant).await);
    seen.result("env_compare", app.env_compare(&tenant, &tenant).await);
    seen.result(
        "env_copy",
        app.env_copy(&tenant, &tenant, vec!["K".into()]).await,
    );
    seen.result("env_unsaved", app.env_unsaved().await);
    seen.result("env_discard", app.env_discard(&tenant).await);

    let control = sim.control();
    let (http_faults, behaviour_faults): (Vec<FaultKind>, Vec<FaultKind>) = every_fault_kind()
        .into_iter()
        .partition(|f| !f.is_behaviour());
    for (n, fault) in http_faults.into_iter().enumerate() {
        // These run the request before spoiling the answer: nothing is deleted under them.
        let runs_the_request = matches!(
            fault,
            FaultKind::DropResponse | FaultKind::LoseAnswer { .. }
        );
        let what = format!("{fault:?}");
        control.add_fault(FaultRule::new(fault));
        seen.result("list_projects fault", app.list_projects().await);
        seen.result("tenant_details fault", app.tenant_details(&tenant).await);
        seen.result("list_regions fault", app.list_regions().await);
        seen.result("env_reload fault", app.env_reload(&tenant).await);
        // Staging reads the variables first when no draft is kept: under a fault, that fails.
        seen.result(
            "env_stage fault",
            app.env_stage(&tenant, vec![edit(&format!("fault-{n}"))])
                .await,
        );
        seen.result("env_apply fault", app.env_apply(&tenant, None).await);
        seen.result("env_discard fault", app.env_discard(&tenant).await);
        if !runs_the_request {
            seen.result(
                "delete_project fault",
                app.delete_project(DeleteProjectInput {
                    tenant_id: tenant.clone(),
                    confirm_name: "seeded".into(),
                })
                .await,
            );
        }
        control.clear_faults();
        seen.log(&what);
    }

    // GitHub preview apps: the GitHub token goes in once; answers, errors and the watch's
    // published runs must hold neither token.
    seen.result("set_github_token", app.set_github_token(GITHUB_TOKEN).await);
    seen.result("github_token_status", app.github_token_status().await);
    seen.result(
        "parse_repository",
        app.parse_repository("https://github.com/acme/shop/tree/main/hasura")
            .await,
    );
    let preview = |name: &str, branch: &str| PreviewAppInput {
        repository: "acme/shop".into(),
        branch: branch.into(),
        directory: "hasura".into(),
        name: name.into(),
        cloud: "aws".into(),
        region: "us-east-2".into(),
        plan: "cloud_free".into(),
        envs: vec![EnvPair {
            key: "K".into(),
            value: "v".into(),
        }],
    };
    let run = seen.result(
        "preview_create",
        app.preview_create(preview("leak-preview", "main")).await,
    );
    seen.result(
        "preview_create invalid",
        app.preview_create(preview("Not A Name", "main")).await,
    );
    control.add_fault(
        FaultRule::new(FaultKind::HttpError { status: 502 }).on("createGitHubPreviewApp"),
    );
    seen.result(
        "preview_create fault",
        app.preview_create(preview("leak-preview-2", "main")).await,
    );
    control.clear_faults();
    seen.result("preview_runs", app.preview_runs().await);
    if let Some(run) = &run {
        seen.result("preview_watch", app.preview_watch(&run.id).await);
    }
    seen.result("preview_watch absent", app.preview_watch(absent).await);
    seen.result("preview_apps", app.preview_apps().await);
    seen.result(
        "preview_cleanup refused",
        app.preview_cleanup(CleanupInput {
            items: vec![CleanupItem {
                tenant_id: tenant.clone(),
                name: "seeded".into(),
            }],
            confirm_name: Some("not-the-name".into()),
        })
        .await,
    );
    if let Some(run) = &run {
        seen.result("preview_dismiss", app.preview_dismiss(&run.id).await);
    }
    // The service's own bugs, each taken by the action it concerns.
    for (n, fault) in behaviour_faults.into_iter().enumerate() {
        let what = format!("{fault:?}");
        let creates_a_project = fault == FaultKind::IgnoreProjectName;
        control.add_fault(FaultRule::new(fault).times(1));
        if creates_a_project {
            seen.result(
                "create_project fault",
                app.create_project(CreateProjectInput {
                    name: Some(format!("leak-fault-{n}")),
                    cloud: "aws".into(),
                    region: "us-east-2".into(),
                    plan: "cloud_free".into(),
                    envs: Vec::new(),
                })
                .await,
            );
        } else {
            seen.result(
                "preview_create fault",
                app.preview_create(preview(&format!("leak-fault-{n}"), "main"))
                    .await,
            );
        }
        control.clear_faults();
        seen.log(&what);
    }
    seen.result("forget_github_token", app.forget_github_token().await);
    assert!(run.is_some(), "the preview app was created");
    let published = published.lock().clone();
    assert!(!published.is_empty(), "the watch published its runs");
    for text in published {
        seen.add("preview sink", text);
    }

    // The GitHub token goes with the access token: after a sign-out and a new sign-in it is not
    // there to be sent.
    seen.result(
        "set_github_token again",
        app.set_github_token(GITHUB_TOKEN).await,
    );
    seen.result("sign_out with a GitHub token", app.sign_out(&id).await);
    seen.result(
        "sign_in after sign_out",
        app.sign_in(sign_in_input(&id, LEAK_TOKEN, true)).await,
    );
    seen.result(
        "github_token_status after sign_out",
        app.github_token_status().await,
    );
    seen.result(
        "preview_create after sign_out",
        app.preview_create(preview("leak-preview-3", "main")).await,
    );

    // A mismatched endpoint: the settings file edited by hand to point at another server that
    // would accept the token; the next launch sends it nothing.
    let elsewhere = cloud_sim::Simulator::start(SimConfig {
        tokens: vec![LEAK_TOKEN.to_owned()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    app.set_github_token(GITHUB_TOKEN).await.unwrap();
    let mut edited = settings.saved().unwrap();
    for profile in edited.profiles.iter_mut().filter(|p| p.id == id) {
        profile.endpoint = elsewhere.graphql_url();
    }
    let moved = App::with_client_config(
        Arc::new(MemorySettings::with(edited)),
        secrets.clone(),
        fast_clients(),
    )
    .unwrap();
    moved.prefetch_projects().await;
    seen.result("get_state mismatched", moved.get_state().await);
    seen.result("list_projects mismatched", moved.list_projects().await);
    seen.result("cached_projects mismatched", moved.cached_projects().await);
    seen.result(
        "github_token_status mismatched",
        moved.github_token_status().await,
    );
    seen.result(
        "preview_create mismatched",
        moved
            .preview_create(preview("leak-preview-4", "main"))
            .await,
    );
    seen.add("App Debug mismatched", format!("{moved:#?}"));
    assert_eq!(
        elsewhere.control().request_count(),
        0,
        "a token was sent to an endpoint it was not checked with"
    );
    drop(moved);
    seen.result("forget_github_token again", app.forget_github_token().await);

    // The sandbox, then signing out and deleting.
    seen.result("open_sandbox", app.open_sandbox().await);
    seen.result("list_projects sandbox", app.list_projects().await);
    seen.add("App Debug with sandbox", format!("{app:#?}"));
    seen.result("switch_profile back", app.switch_profile(&id).await);
    seen.result("sign_out", app.sign_out(&id).await);
    seen.result("list_projects signed out", app.list_projects().await);
    seen.result(
        "sign_in session",
        app.sign_in(sign_in_input(&id, LEAK_TOKEN, false)).await,
    );
    seen.add("App Debug session", format!("{app:?}"));
    // The activity log of everything above (projects, env applies, preview apps).
    let activity = app.activity_list(1_000).await;
    assert!(
        activity.as_ref().is_ok_and(|log| !log.is_empty()),
        "the activity log recorded nothing: {activity:?}"
    );
    seen.result("activity_list", activity);
    seen.result("cached_projects", app.cached_projects().await);
    seen.result("delete_profile", app.delete_profile(&id).await);
    seen.result("get_state end", app.get_state().await);
    seen.add("App Debug end", format!("{app:#?}"));

    // The saved settings never held it; the keychain did, under the profile's account only.
    seen.add(
        "settings",
        serde_json::to_string(&settings.saved().unwrap()).unwrap(),
    );
    seen.add("settings Debug", format!("{settings:?}"));
    seen.add("secrets Debug", format!("{secrets:?}"));
    // No token of the profile is left (a key of this install, not a token, may be).
    let accounts = secrets.accounts();
    assert!(
        (accounts.iter()).all(|a| !a.starts_with("profile:") && !a.starts_with("github-token:")),
        "{accounts:?}"
    );

    // The log said what happened (requests and their failures), and never the token.
    seen.log("everything");
    let (_, log) = seen.texts.last().unwrap();
    assert!(log.contains("operation="), "{log}");
    assert!(
        log.contains("request failed") && log.contains("kind="),
        "{log}"
    );
    seen.assert_clean();
}
