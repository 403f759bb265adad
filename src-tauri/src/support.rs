//! What a person can send to whoever helps them: the log (`app_core::logs`, in the OS's log
//! folder), Help → Report a Problem (`app_core::diagnostics`) and Help → Show Logs; and long work
//! shown in the taskbar/Dock (`app_core::progress`).

use std::path::PathBuf;

use crate::save::{self, SaveAs};
use app_core::diagnostics::{self, Facts, ProblemReport, RecentErrors};
use app_core::logs::{self, LogConfig};
use app_core::progress::{ProgressSink, TaskbarProgress};
use app_core::{App, AppError};
use tauri::window::{ProgressBarState, ProgressBarStatus};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_opener::OpenerExt;

type Result<T> = std::result::Result<T, AppError>;

/// The folder the log files are in (Tauri's `app_log_dir`).
pub struct LogDir(PathBuf);

/// How long after the start the log says which OS the app runs on.
const OS_LINE_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts the log, first thing at start-up, and says what is starting.
pub fn init<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let dir = app.path().app_log_dir()?;
    if let Err(e) = logs::init(&LogConfig::new(&dir)) {
        // The app works without its log; stderr still says why.
        eprintln!("{e}");
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        commit = option_env!("HCD_COMMIT"),
        webview = webview().as_deref(),
        "Hasura Cloud Desktop started"
    );
    // The OS is said a little later, from its own thread: describing it runs commands
    // (`lsb_release`, `getconf`, `uname`), processes that would share the CPU with the window's
    // web process while it starts and draws the first screen.
    std::thread::spawn(|| {
        std::thread::sleep(OS_LINE_AFTER);
        tracing::info!(os = diagnostics::os_description(), "Running on");
    });
    app.manage(LogDir(dir));
    app.manage(RecentErrors::default());
    Ok(())
}

/// The webview engine and its version, when the platform says.
fn webview() -> Option<String> {
    let engine = if cfg!(target_os = "windows") {
        "WebView2"
    } else if cfg!(target_os = "macos") {
        "WKWebView (WebKit)"
    } else {
        "WebKitGTK"
    };
    tauri::webview_version()
        .ok()
        .map(|version| format!("{engine} {version}"))
}

/// The window showed an error: it goes to the log and to the next report.
#[tauri::command]
#[specta::specta]
pub fn note_error(recent: State<'_, RecentErrors>, kind: String, message: String) {
    recent.note(&kind, &message);
}

/// The summary Help → Report a Problem shows.
#[tauri::command]
#[specta::specta]
pub async fn problem_report(
    app: State<'_, App>,
    recent: State<'_, RecentErrors>,
    dir: State<'_, LogDir>,
) -> Result<ProblemReport> {
    let profile_kind = app.get_state().await.ok().and_then(|state| {
        let active = state.active_profile_id?;
        state.profiles.into_iter().find(|p| p.id == active)
    });
    let facts = Facts {
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: option_env!("HCD_COMMIT").map(str::to_owned),
        webview: webview(),
        profile_kind: profile_kind.map(|p| p.kind),
    };
    let dir = dir.0.clone();
    let lines = tokio::task::spawn_blocking(move || {
        logs::recent_lines(&dir, diagnostics::REPORT_LOG_LINES)
    })
    .await
    .unwrap_or_default();
    Ok(diagnostics::problem_report_now(
        &facts,
        &recent.list(),
        &lines,
    ))
}

/// Asks where to save the report, then writes it there. `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn problem_report_save(
    handle: AppHandle,
    text: String,
    file_name: String,
) -> Result<Option<String>> {
    // Redacted once more: the text came back from the window.
    let text = diagnostics::redact(&text).into_owned();
    let save_as = SaveAs {
        file_name: &file_name,
        filter_name: "Text",
        extensions: &["txt"],
    };
    let Some(path) = save::ask_and_write(&handle, save_as, text).await? else {
        return Ok(None);
    };
    tracing::info!("problem report saved");
    Ok(Some(path.display().to_string()))
}

/// Help → Show Logs: the log folder in the file manager.
#[tauri::command]
#[specta::specta]
pub fn show_logs(handle: AppHandle, dir: State<'_, LogDir>) -> Result<()> {
    handle
        .opener()
        .open_path(dir.0.display().to_string(), None::<&str>)
        .map_err(|e| AppError::Internal {
            message: format!(
                "The log folder could not be opened: {e}. It is {}.",
                dir.0.display()
            ),
        })
}

/// Shows the app's long work on the main window's taskbar button / Dock icon.
pub fn progress_sink<R: Runtime>(handle: AppHandle<R>) -> ProgressSink {
    std::sync::Arc::new(move |progress| {
        let (status, progress) = match progress {
            TaskbarProgress::None => (ProgressBarStatus::None, None),
            TaskbarProgress::Indeterminate => (ProgressBarStatus::Indeterminate, None),
            TaskbarProgress::Percent(p) => (ProgressBarStatus::Normal, Some(u64::from(p))),
        };
        if let Some(window) = handle.get_webview_window("main") {
            // Where the desktop has no such thing, nothing is shown; never fatal.
            let _ = window.set_progress_bar(ProgressBarState {
                status: Some(status),
                progress,
            });
        }
    })
}
