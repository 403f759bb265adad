//! Updates through tauri-plugin-updater. The UI asks for a check at start when the preference is
//! on, and installs only when the person asks. Every download is verified against the public key
//! in `tauri.conf.json` before anything is installed.

use std::time::Duration;

use app_core::AppError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State, Url};
use tauri_plugin_updater::{Error as UpdaterError, Update, Updater, UpdaterExt};
use tokio::sync::Mutex;

/// Debug builds only: ask another release server (a local one in tests). Signatures are still
/// checked. A release build ignores it, so nothing in the environment can put another server's
/// manifest (and its release notes) in the Updates dialog.
const ENDPOINT_VAR: &str = "HCD_UPDATE_ENDPOINT";
/// Debug builds only: verify with this public key instead (tests sign with a throwaway key).
const PUBKEY_VAR: &str = "HCD_UPDATE_PUBKEY";

/// The whole update check: the manifest is small.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
/// The whole download of an update, on a slow connection.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// Connecting to the release server, for the check and the download.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Silence while reading an answer: a stalled download fails instead of hanging.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

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
    tracing::info!(current = env!("CARGO_PKG_VERSION"), "update check");
    let update = updater(&app)?
        .check()
        .await
        .map_err(|e| update_error("check for updates", &e))?;
    match &update {
        Some(found) => tracing::info!(version = found.version, "update found"),
        None => tracing::info!("no update: this version is the newest"),
    }
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
    let Some(update) = slot.as_mut() else {
        return Err(AppError::NotFound {
            message: "There is no update to install. Check for updates first.".into(),
        });
    };
    // The check's timeout is not carried over to the download.
    update.timeout = Some(DOWNLOAD_TIMEOUT);
    tracing::info!(version = update.version, "update download");
    let mut downloaded = 0u64;
    update
        .download_and_install(
            |chunk, total| {
                downloaded += chunk as u64;
                let _ = on_progress.send(UpdateProgress::Downloading { downloaded, total });
            },
            || {
                tracing::info!("update downloaded and verified; installing");
                let _ = on_progress.send(UpdateProgress::Installing);
            },
        )
        .await
        .map_err(|e| update_error("install the update", &e))?;
    slot.take();
    tracing::info!("update installed; restarting");
    let _ = on_progress.send(UpdateProgress::Restarting);
    app.restart()
}

/// The release server named by `HCD_UPDATE_ENDPOINT`, if it is set and this is a debug build.
fn endpoint_override(value: Option<&str>, debug_build: bool) -> Result<Option<Url>, AppError> {
    let Some(endpoint) = value.filter(|v| debug_build && !v.is_empty()) else {
        return Ok(None);
    };
    Url::parse(endpoint)
        .map(Some)
        .map_err(|_| AppError::Internal {
            message: format!("{ENDPOINT_VAR} is not a URL: {endpoint}"),
        })
}

fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<Updater, AppError> {
    let mut builder = app
        .updater_builder()
        .timeout(CHECK_TIMEOUT)
        .configure_client(|client| {
            client
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(READ_TIMEOUT)
        });
    let endpoint = std::env::var(ENDPOINT_VAR).ok();
    if let Some(url) = endpoint_override(endpoint.as_deref(), cfg!(debug_assertions))? {
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

/// An updater failure, said for a person (and logged with its kind). Nothing is installed on any
/// of these.
fn update_error(action: &str, error: &UpdaterError) -> AppError {
    let said = said_for_people(action, error);
    tracing::warn!(kind = said.kind(), "could not {action}: {error}");
    said
}

fn said_for_people(action: &str, error: &UpdaterError) -> AppError {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A release build asks only the release server in `tauri.conf.json`: an environment
    /// variable must not put someone else's manifest (and release notes) in the Updates dialog.
    #[test]
    fn the_endpoint_override_is_for_debug_builds_only() {
        let local = "http://127.0.0.1:8080/latest.json";
        assert_eq!(endpoint_override(Some(local), false).unwrap(), None);
        assert_eq!(
            endpoint_override(Some(local), true)
                .unwrap()
                .map(String::from),
            Some(local.to_owned())
        );
        assert_eq!(endpoint_override(Some(""), true).unwrap(), None);
        assert_eq!(endpoint_override(None, true).unwrap(), None);
        let e = endpoint_override(Some("not a url"), true).unwrap_err();
        assert_eq!(e.kind(), "internal");
    }
}
