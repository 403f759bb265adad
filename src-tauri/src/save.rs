//! Saving text a person asked for (an env export, a problem report) where they choose.

use std::path::PathBuf;

use app_core::AppError;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

type Result<T> = std::result::Result<T, AppError>;

/// What the save panel offers: the suggested name and one filter.
pub struct SaveAs<'a> {
    pub file_name: &'a str,
    pub filter_name: &'a str,
    pub extensions: &'a [&'a str],
}

/// Asks where to save, then writes `text` there whole, readable only by this user
/// (`app_core::files`). `None` when the person cancels.
pub async fn ask_and_write(
    handle: &AppHandle,
    save_as: SaveAs<'_>,
    text: String,
) -> Result<Option<PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    handle
        .dialog()
        .file()
        .set_file_name(save_as.file_name)
        .add_filter(save_as.filter_name, save_as.extensions)
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| AppError::Internal {
        message: format!("That location cannot be written: {e}"),
    })?;
    let target = path.clone();
    tokio::task::spawn_blocking(move || app_core::files::replace(&target, text.as_bytes()))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
        .map_err(|e| AppError::Internal {
            message: format!("The file could not be written to {}: {e}", path.display()),
        })?;
    Ok(Some(path))
}
