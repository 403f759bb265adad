//! A project's collaborators: adapters over `app_core::App`.

use app_core::collaborators::PrivilegeChoice;
use app_core::{App, AppError, InviteInput, TeamOutcome, TeamView};
use tauri::State;

type Result<T> = std::result::Result<T, AppError>;

#[tauri::command]
#[specta::specta]
pub async fn project_team(app: State<'_, App>, tenant_id: String) -> Result<TeamView> {
    app.project_team(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn invite_collaborator(app: State<'_, App>, input: InviteInput) -> Result<TeamOutcome> {
    app.invite_collaborator(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn resend_invitation(
    app: State<'_, App>,
    tenant_id: String,
    email: String,
) -> Result<TeamOutcome> {
    app.resend_invitation(&tenant_id, &email).await
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_invitation(
    app: State<'_, App>,
    tenant_id: String,
    invitation_id: String,
    email: String,
) -> Result<TeamOutcome> {
    app.revoke_invitation(&tenant_id, &invitation_id, &email)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn change_collaborator_privileges(
    app: State<'_, App>,
    tenant_id: String,
    collaborator_id: String,
    privileges: PrivilegeChoice,
) -> Result<TeamOutcome> {
    app.change_collaborator_privileges(&tenant_id, &collaborator_id, privileges)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_collaborator(
    app: State<'_, App>,
    tenant_id: String,
    collaborator_id: String,
    confirm_email: String,
) -> Result<TeamOutcome> {
    app.remove_collaborator(&tenant_id, &collaborator_id, &confirm_email)
        .await
}
