//! Tauri commands of the environment-variable editor: each adapts one IPC call to one
//! `app_core::App` method; exporting adds the save dialog.

use crate::menu::Platform;
use crate::save::{self, SaveAs};
use app_core::{
    App, AppError, ApplyOutcome, EnvComparison, EnvDraft, EnvEdit, HealthProgress, ImportPreview,
    KeyResolution,
};
use tauri::State;
use tauri::ipc::Channel;

type Result<T> = std::result::Result<T, AppError>;

#[tauri::command]
#[specta::specta]
pub async fn env_load(app: State<'_, App>, tenant_id: String) -> Result<EnvDraft> {
    app.env_load(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_reload(app: State<'_, App>, tenant_id: String) -> Result<EnvDraft> {
    app.env_reload(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_stage(
    app: State<'_, App>,
    tenant_id: String,
    edits: Vec<EnvEdit>,
) -> Result<EnvDraft> {
    app.env_stage(&tenant_id, edits).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_unstage(
    app: State<'_, App>,
    tenant_id: String,
    keys: Vec<String>,
) -> Result<EnvDraft> {
    app.env_unstage(&tenant_id, keys).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_discard(app: State<'_, App>, tenant_id: String) -> Result<EnvDraft> {
    app.env_discard(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_restore(
    app: State<'_, App>,
    tenant_id: String,
    snapshot_id: u32,
) -> Result<EnvDraft> {
    app.env_restore(&tenant_id, snapshot_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_apply(
    app: State<'_, App>,
    tenant_id: String,
    confirm_name: Option<String>,
) -> Result<ApplyOutcome> {
    app.env_apply(&tenant_id, confirm_name).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_resolve(
    app: State<'_, App>,
    tenant_id: String,
    resolutions: Vec<KeyResolution>,
) -> Result<EnvDraft> {
    app.env_resolve(&tenant_id, resolutions).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_import_preview(
    app: State<'_, App>,
    tenant_id: String,
    text: String,
) -> Result<ImportPreview> {
    app.env_import_preview(&tenant_id, &text).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_import_stage(
    app: State<'_, App>,
    tenant_id: String,
    text: String,
) -> Result<EnvDraft> {
    app.env_import_stage(&tenant_id, &text).await
}

/// The name the save panel suggests. macOS warns about a name that starts with a dot (a hidden
/// file) before saving, so there it is a visible name with the same extension.
fn export_file_name(platform: Platform) -> &'static str {
    match platform {
        Platform::MacOs => "project.env",
        Platform::Other => ".env",
    }
}

/// Asks where to save, then writes the `.env` text there. `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn env_export(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    tenant_id: String,
) -> Result<Option<String>> {
    let text = app.env_export_text(&tenant_id).await?;
    // An export holds every secret: written whole, readable only by this user.
    let save_as = SaveAs {
        file_name: export_file_name(Platform::CURRENT),
        filter_name: "Environment file",
        extensions: &["env"],
    };
    let path = save::ask_and_write(&handle, save_as, text).await?;
    Ok(path.map(|path| path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn env_compare(
    app: State<'_, App>,
    left_tenant_id: String,
    right_tenant_id: String,
) -> Result<EnvComparison> {
    app.env_compare(&left_tenant_id, &right_tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_copy(
    app: State<'_, App>,
    from_tenant_id: String,
    to_tenant_id: String,
    keys: Vec<String>,
) -> Result<EnvDraft> {
    app.env_copy(&from_tenant_id, &to_tenant_id, keys).await
}

#[tauri::command]
#[specta::specta]
pub async fn env_watch_health(
    app: State<'_, App>,
    tenant_id: String,
    on_progress: Channel<HealthProgress>,
) -> Result<HealthProgress> {
    app.env_watch_health(&tenant_id, move |progress| {
        // The window may have gone away; the watch still ends on its own.
        let _ = on_progress.send(progress);
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn env_unsaved(app: State<'_, App>) -> Result<Vec<String>> {
    app.env_unsaved().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_save_panel_suggests_a_visible_name_on_macos_and_dot_env_elsewhere() {
        assert_eq!(export_file_name(Platform::MacOs), "project.env");
        assert_eq!(export_file_name(Platform::Other), ".env");
    }
}
