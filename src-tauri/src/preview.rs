//! Tauri commands of GitHub preview apps: each adapts one IPC call to one `app_core::App`
//! method. The watch lives in app-core; its sink, built here, emits `PreviewRunChanged` to the
//! window and shows an OS notification when a run finishes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app_core::{
    App, AppError, CleanupInput, CleanupReport, GithubTokenStatus, PreviewAppInput, PreviewAppRow,
    PreviewRun, RepositoryRef, RunPhase,
};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;

type Result<T> = std::result::Result<T, AppError>;

/// Every new state of any preview-app run.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
pub struct PreviewRunChanged(pub PreviewRun);

#[tauri::command]
#[specta::specta]
pub async fn parse_repository(app: State<'_, App>, text: String) -> Result<RepositoryRef> {
    app.parse_repository(&text).await
}

#[tauri::command]
#[specta::specta]
pub async fn github_token_status(app: State<'_, App>) -> Result<GithubTokenStatus> {
    app.github_token_status().await
}

#[tauri::command]
#[specta::specta]
pub async fn set_github_token(app: State<'_, App>, token: String) -> Result<GithubTokenStatus> {
    app.set_github_token(&token).await
}

#[tauri::command]
#[specta::specta]
pub async fn forget_github_token(app: State<'_, App>) -> Result<GithubTokenStatus> {
    app.forget_github_token().await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_create(app: State<'_, App>, input: PreviewAppInput) -> Result<PreviewRun> {
    app.preview_create(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_runs(app: State<'_, App>) -> Result<Vec<PreviewRun>> {
    app.preview_runs().await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_watch(app: State<'_, App>, job_id: String) -> Result<PreviewRun> {
    app.preview_watch(&job_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_dismiss(app: State<'_, App>, job_id: String) -> Result<()> {
    app.preview_dismiss(&job_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_apps(app: State<'_, App>) -> Result<Vec<PreviewAppRow>> {
    app.preview_apps().await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_cleanup(app: State<'_, App>, input: CleanupInput) -> Result<CleanupReport> {
    app.preview_cleanup(input).await
}

/// The sink given to `App`: emits each run to the window, and notifies when a run that was
/// being followed finishes (not when an already finished job is opened from the list).
/// Failures are logged and never stop the watch (CI has no notification daemon).
pub fn sink<R: Runtime>(handle: AppHandle<R>) -> app_core::PreviewSink {
    let last_phase: Mutex<HashMap<String, RunPhase>> = Mutex::default();
    Arc::new(move |run: PreviewRun| {
        let was_live = match last_phase.lock() {
            Ok(mut seen) => seen
                .insert(run.id.clone(), run.phase)
                .is_some_and(|phase| !phase.is_terminal()),
            Err(_) => false,
        };
        if run.phase.is_terminal()
            && was_live
            && let Some((title, body)) = app_core::preview::notification(&run)
            && let Err(e) = handle
                .notification()
                .builder()
                .title(title)
                .body(body)
                .show()
        {
            tracing::warn!("the preview-app notification was not shown: {e}");
        }
        if let Err(e) = PreviewRunChanged(run).emit(&handle) {
            tracing::warn!("a preview-app update did not reach the window: {e}");
        }
    })
}
