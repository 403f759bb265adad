//! The IPC surface ([`specta_builder`], the one list of commands) and the Tauri commands that
//! adapt an IPC call to `app_core`; the env, preview, renderer, update and bench commands live
//! in their own modules.

use app_core::checks::{self, FieldCheck, FormRules};
use app_core::{
    ActivityEntry, App, AppError, AppSnapshot, CachedProjects, CreateProjectInput,
    DeleteProjectInput, EnvPair, ExternalTarget, Preferences, ProjectDetails, ProjectRow,
    RegionChoices, SignIn, SignedIn, TenantInfo,
};
use tauri::State;
use tauri_plugin_opener::OpenerExt;
use tauri_specta::{collect_commands, collect_events};

type Result<T> = std::result::Result<T, AppError>;

/// The IPC surface: every command and event the UI may use. This list is the only one:
/// `build.rs` reads it for the commands' permissions, and the bindings are generated from it.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            get_state,
            delete_profile,
            switch_profile,
            sign_in,
            sign_out,
            open_sandbox,
            list_projects,
            cached_projects,
            project_details,
            find_tenant_id,
            tenant_details,
            list_regions,
            create_project,
            rename_project,
            delete_project,
            open_external,
            check_field,
            check_env_rows,
            paste_env_rows,
            suggest_preview_name,
            form_rules,
            crate::env::env_load,
            crate::env::env_reload,
            crate::env::env_stage,
            crate::env::env_unstage,
            crate::env::env_discard,
            crate::env::env_restore,
            crate::env::env_apply,
            crate::env::env_resolve,
            crate::env::env_import_preview,
            crate::env::env_import_stage,
            crate::env::env_export,
            crate::env::env_compare,
            crate::env::env_copy,
            crate::env::env_watch_health,
            crate::env::env_unsaved,
            crate::preview::parse_repository,
            crate::preview::github_token_status,
            crate::preview::set_github_token,
            crate::preview::forget_github_token,
            crate::preview::preview_create,
            crate::preview::preview_runs,
            crate::preview::preview_watch,
            crate::preview::preview_dismiss,
            crate::preview::preview_apps,
            crate::preview::preview_cleanup,
            set_production,
            activity_list,
            activity_clear,
            get_preferences,
            set_preferences,
            crate::update::update_check,
            crate::update::update_install,
            crate::bench::bench_mark_ready,
            crate::renderer::remember_location,
            crate::renderer::resume_after_restart,
            crate::support::note_error,
            crate::support::problem_report,
            crate::support::problem_report_save,
            crate::support::show_logs,
            crate::links::take_link,
            crate::about::about,
            crate::domains::custom_domains,
            crate::domains::add_custom_domain,
            crate::domains::delete_custom_domain,
            crate::domains::watch_custom_domain,
            crate::domains::stop_domain_watches,
            crate::domains::plan_choices,
            crate::domains::change_plan,
            crate::collaborators::project_team,
            crate::collaborators::invite_collaborator,
            crate::collaborators::resend_invitation,
            crate::collaborators::revoke_invitation,
            crate::collaborators::change_collaborator_privileges,
            crate::collaborators::remove_collaborator,
            crate::fleet::fleet_select,
            crate::fleet::fleet_preview,
            crate::fleet::fleet_start,
            crate::fleet::fleet_control,
            crate::fleet::fleet_runs,
            crate::fleet::fleet_undo,
            crate::fleet::fleet_find_usage,
            crate::fleet::fleet_usage_cancel,
        ])
        .events(collect_events![
            crate::MenuAction,
            crate::links::LinkReceived,
            crate::preview::PreviewRunChanged,
            crate::fleet::FleetRunChanged
        ])
        // A command's error rejects its promise (with the `AppError`), so the UI's `Api` is the
        // generated commands as they are (`ui/src/lib/api.ts`).
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
}

#[tauri::command]
#[specta::specta]
pub async fn get_state(app: State<'_, App>) -> Result<AppSnapshot> {
    app.get_state().await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_profile(app: State<'_, App>, id: String) -> Result<AppSnapshot> {
    app.delete_profile(&id).await
}

#[tauri::command]
#[specta::specta]
pub async fn switch_profile(app: State<'_, App>, id: String) -> Result<AppSnapshot> {
    app.switch_profile(&id).await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_in(app: State<'_, App>, input: SignIn) -> Result<SignedIn> {
    app.sign_in_with(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out(app: State<'_, App>, profile_id: String) -> Result<AppSnapshot> {
    app.sign_out(&profile_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn open_sandbox(app: State<'_, App>) -> Result<AppSnapshot> {
    app.open_sandbox().await
}

#[tauri::command]
#[specta::specta]
pub async fn list_projects(app: State<'_, App>) -> Result<Vec<ProjectRow>> {
    app.list_projects().await
}

/// The active profile's project list as last fetched, for showing it offline.
#[tauri::command]
#[specta::specta]
pub async fn cached_projects(app: State<'_, App>) -> Result<Option<CachedProjects>> {
    app.cached_projects().await
}

#[tauri::command]
#[specta::specta]
pub async fn project_details(app: State<'_, App>, project_id: String) -> Result<ProjectDetails> {
    app.project_details(&project_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn find_tenant_id(app: State<'_, App>, project_id: String) -> Result<String> {
    app.find_tenant_id(&project_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn tenant_details(app: State<'_, App>, tenant_id: String) -> Result<TenantInfo> {
    app.tenant_details(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_regions(app: State<'_, App>) -> Result<RegionChoices> {
    app.list_regions().await
}

#[tauri::command]
#[specta::specta]
pub async fn create_project(app: State<'_, App>, input: CreateProjectInput) -> Result<ProjectRow> {
    app.create_project(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn rename_project(
    app: State<'_, App>,
    tenant_id: String,
    name: String,
) -> Result<TenantInfo> {
    app.rename_project(&tenant_id, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_project(app: State<'_, App>, input: DeleteProjectInput) -> Result<()> {
    app.delete_project(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn open_external(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    project_id: String,
    target: ExternalTarget,
) -> Result<()> {
    let url = app.external_url(&project_id, target).await?;
    handle
        .opener()
        .open_url(url, None::<&str>)
        .map_err(|e| AppError::Internal {
            message: format!("The link could not be opened in your browser: {e}"),
        })
}

#[tauri::command]
#[specta::specta]
pub async fn set_production(
    app: State<'_, App>,
    project_id: String,
    production: bool,
) -> Result<AppSnapshot> {
    app.set_production(&project_id, production).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_list(app: State<'_, App>, limit: u32) -> Result<Vec<ActivityEntry>> {
    app.activity_list(limit).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_clear(app: State<'_, App>) -> Result<()> {
    app.activity_clear().await
}

#[tauri::command]
#[specta::specta]
pub async fn get_preferences(app: State<'_, App>) -> Result<Preferences> {
    app.preferences().await
}

#[tauri::command]
#[specta::specta]
pub async fn set_preferences(app: State<'_, App>, preferences: Preferences) -> Result<Preferences> {
    app.set_preferences(preferences).await
}

// ---- what forms check as the person types (the same rules the commands apply) ------------

#[tauri::command]
#[specta::specta]
pub fn check_field(check: FieldCheck) -> Option<String> {
    checks::field_problem(&check)
}

#[tauri::command]
#[specta::specta]
pub fn check_env_rows(rows: Vec<EnvPair>) -> checks::EnvRowsCheck {
    checks::check_env_rows(&rows)
}

/// Merges a pasted `.env` block into a form's env rows (the preview wizard's).
#[tauri::command]
#[specta::specta]
pub fn paste_env_rows(rows: Vec<EnvPair>, text: String) -> checks::EnvPaste {
    checks::paste_env_rows(rows, &text)
}

#[tauri::command]
#[specta::specta]
pub fn suggest_preview_name(branch: String, repository: String) -> String {
    app_core::preview::input::suggest_name(&branch, &repository)
}

#[tauri::command]
#[specta::specta]
pub fn form_rules() -> FormRules {
    FormRules::get()
}
