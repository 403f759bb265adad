//! Updates through tauri-plugin-updater. The UI asks for a check at start when the preference is
//! on, and installs only when the person asks. Every download is verified against the public key
//! in `tauri.conf.json` before anything is installed.

use app_core::AppError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State, Url};
use tauri_plugin_updater::{Error as UpdaterError, Update, Updater, UpdaterExt};
use tokio::sync::Mutex;

/// Points the app at another release server (a mirror, or a local server in tests). Signatures
/// are still checked, and release builds still refuse plain http.
const ENDPOINT_VAR: &str = "HCD_UPDATE_ENDPOINT";
/// Debug builds only: verify with this public key instead (tests sign with a throwaway key).
const PUBKEY_VAR: &str = "HCD_UPDATE_PUBKEY";

/// The update found by the last check, kept for `update_install`.
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<Update>>);

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    pub notes: Option<String>,
    /// RFC 3339, when the release says.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(
    tag = "phase",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum UpdateProgress {
    /// Bytes. TypeScript `number`s: an update stays far below 2^53.
    Downloading {
        #[specta(type = u32)]
        downloaded: u64,
        #[specta(type = Option<u32>)]
        total: Option<u64>,
    },
    Installing,
    Restarting,
}

/// Asks the release server for a newer version; `None` when this one is the newest.
#[tauri::command]
#[specta::specta]
pub async fn update_check(
    app: AppHandle,
    pending: State<'_, PendingUpdate>,
) -> Result<Option<UpdateInfo>, AppError> {
    let update = updater(&app)?
        .check()
        .await
        .map_err(|e| update_error("check for updates", &e))?;
    let info = update.as_ref().map(|u| UpdateInfo {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone().filter(|n| !n.trim().is_empty()),
        // As the release manifest wrote it (RFC 3339).
        date: u
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
    });
    *pending.0.lock().await = update;
    Ok(info)
}

/// Downloads, verifies and installs the update found by the last check, then restarts.
#[tauri::command]
#[specta::specta]
pub async fn update_install(
    app: AppHandle,
    pending: State<'_, PendingUpdate>,
    on_progress: Channel<UpdateProgress>,
) -> Result<(), AppError> {
    let mut slot = pending.0.lock().await;
    let Some(update) = slot.as_ref() else {
        return Err(AppError::NotFound {
            message: "There is no update to install. Check for updates first.".into(),
        });
    };
    let mut downloaded = 0u64;
    update
        .download_and_install(
            |chunk, total| {
                downloaded += chunk as u64;
                let _ = on_progress.send(UpdateProgress::Downloading { downloaded, total });
            },
            || {
                let _ = on_progress.send(UpdateProgress::Installing);
            },
        )
        .await
        .map_err(|e| update_error("install the update", &e))?;
    slot.take();
    let _ = on_progress.send(UpdateProgress::Restarting);
    app.restart()
}

fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<Updater, AppError> {
    let mut builder = app.updater_builder();
    if let Some(endpoint) = std::env::var(ENDPOINT_VAR).ok().filter(|v| !v.is_empty()) {
        let url = Url::parse(&endpoint).map_err(|_| AppError::Internal {
            message: format!("{ENDPOINT_VAR} is not a URL: {endpoint}"),
        })?;
        builder = builder
            .endpoints(vec![url])
            .map_err(|e| update_error("check for updates", &e))?;
    }
    if cfg!(debug_assertions)
        && let Some(key) = std::env::var(PUBKEY_VAR).ok().filter(|v| !v.is_empty())
    {
        builder = builder.pubkey(key);
    }
    builder
        .build()
        .map_err(|e| update_error("check for updates", &e))
}

/// An updater failure, said for a person. Nothing is installed on any of these.
fn update_error(action: &str, error: &UpdaterError) -> AppError {
    match error {
        UpdaterError::Reqwest(_) | UpdaterError::Network(_) => AppError::Network {
            message: format!(
                "Could not {action}: the release server could not be reached. Check your connection and try again."
            ),
        },
        UpdaterError::Minisign(_)
        | UpdaterError::Base64(_)
        | UpdaterError::SignatureUtf8(_)
        | UpdaterError::SignedVersionMismatch { .. }
        | UpdaterError::MissingSignedVersion => AppError::Server {
            message: "The downloaded update is not signed with Hasura Cloud Desktop's release key, so it was not installed.".into(),
            code: Some("update-signature".into()),
            request_id: None,
        },
        UpdaterError::ReleaseNotFound
        | UpdaterError::TargetNotFound(_)
        | UpdaterError::TargetsNotFound(_)
        | UpdaterError::Serialization(_)
        | UpdaterError::Semver(_) => AppError::Server {
            message: format!(
                "Could not {action}: the release server's answer has no usable release for this system."
            ),
            code: Some("update-manifest".into()),
            request_id: None,
        },
        UpdaterError::InvalidUpdaterFormat
        | UpdaterError::BinaryNotFoundInArchive
        | UpdaterError::UnsupportedOs
        | UpdaterError::UnsupportedArch => AppError::Internal {
            message: "This copy of the app cannot replace itself with the download. Install the new version from the releases page instead.".into(),
        },
        UpdaterError::AuthenticationFailed => AppError::Internal {
            message: "The update was not installed: the system asked for permission and it was not given.".into(),
        },
        other => AppError::Internal {
            message: format!("Could not {action}: {other}"),
        },
    }
}
