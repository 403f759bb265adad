//! Tauri commands of fleet env changes: each adapts one IPC call to one `app_core::App` method.
//! `fleet_start` spawns the run's loop on Tauri's runtime (not the window's), so the run goes on
//! when the screen closes or the window reloads; every step is emitted as `FleetRunChanged`.

use app_core::fleet::run::{Control, FleetRun};
use app_core::fleet::{FleetChange, FleetRule};
use app_core::{App, AppError, FindProgress, FleetPreview, FleetStart, FleetUsage};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

type Result<T> = std::result::Result<T, AppError>;

/// Every new state of a fleet run.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
pub struct FleetRunChanged(pub FleetRun);

#[tauri::command]
#[specta::specta]
pub async fn fleet_select(app: State<'_, App>, rule: FleetRule) -> Result<Vec<String>> {
    app.fleet_select(rule).await
}

#[tauri::command]
#[specta::specta]
pub async fn fleet_preview(
    app: State<'_, App>,
    tenant_ids: Vec<String>,
    changes: Vec<FleetChange>,
) -> Result<FleetPreview> {
    app.fleet_preview(tenant_ids, changes).await
}

#[tauri::command]
#[specta::specta]
pub async fn fleet_start(
    app: State<'_, App>,
    handle: AppHandle,
    start: FleetStart,
) -> Result<FleetRun> {
    let run = app.fleet_start(start).await?;
    let id = run.id.clone();
    tauri::async_runtime::spawn(async move {
        let app = handle.state::<App>();
        app.fleet_drive(&id, |run| {
            if let Err(e) = FleetRunChanged(run.clone()).emit(&handle) {
                tracing::warn!("a fleet update did not reach the window: {e}");
            }
        })
        .await;
    });
    Ok(run)
}

#[tauri::command]
#[specta::specta]
pub async fn fleet_control(app: State<'_, App>, id: String, control: Control) -> Result<FleetRun> {
    app.fleet_control(&id, control).await
}

#[tauri::command]
#[specta::specta]
pub async fn fleet_runs(app: State<'_, App>) -> Result<Vec<FleetRun>> {
    app.fleet_runs().await
}

#[tauri::command]
#[specta::specta]
pub async fn fleet_undo(app: State<'_, App>, id: String) -> Result<FleetPreview> {
    app.fleet_undo(&id).await
}

#[tauri::command]
#[specta::specta]
pub async fn fleet_find_usage(
    app: State<'_, App>,
    tenant_id: String,
    key: String,
    on_progress: Channel<FindProgress>,
) -> Result<FleetUsage> {
    app.fleet_find_usage(&tenant_id, &key, move |progress| {
        // The window may have gone away; the search still ends on its own.
        let _ = on_progress.send(progress);
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub fn fleet_usage_cancel(app: State<'_, App>) {
    app.fleet_usage_cancel();
}
