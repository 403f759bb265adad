//! Custom domains and plan changes: adapters over `app_core::App`.

use app_core::{
    App, AppError, ChangePlanInput, CustomDomainView, CustomDomainsView, PlanChangeOutcome,
    PlanChoices,
};
use tauri::State;

type Result<T> = std::result::Result<T, AppError>;

#[tauri::command]
#[specta::specta]
pub async fn custom_domains(app: State<'_, App>, tenant_id: String) -> Result<CustomDomainsView> {
    app.custom_domains(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_custom_domain(
    app: State<'_, App>,
    tenant_id: String,
    fqdn: String,
) -> Result<CustomDomainView> {
    app.add_custom_domain(&tenant_id, &fqdn).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_custom_domain(
    app: State<'_, App>,
    tenant_id: String,
    domain_id: String,
) -> Result<()> {
    app.delete_custom_domain(&tenant_id, &domain_id).await
}

/// Returns when the domain's DNS validation settles, or after the watch's time (still pending).
#[tauri::command]
#[specta::specta]
pub async fn watch_custom_domain(
    app: State<'_, App>,
    tenant_id: String,
    domain_id: String,
) -> Result<CustomDomainView> {
    app.watch_custom_domain(&tenant_id, &domain_id).await
}

/// Ends the domain watches going on (the page that follows them closed).
#[tauri::command]
#[specta::specta]
pub fn stop_domain_watches(app: State<'_, App>) {
    app.stop_domain_watches();
}

#[tauri::command]
#[specta::specta]
pub async fn plan_choices(app: State<'_, App>, tenant_id: String) -> Result<PlanChoices> {
    app.plan_choices(&tenant_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn change_plan(app: State<'_, App>, input: ChangePlanInput) -> Result<PlanChangeOutcome> {
    app.change_plan(input).await
}
