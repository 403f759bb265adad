// App commands get generated permissions, so capabilities can allow exactly the ones the UI uses.
const COMMANDS: &[&str] = &[
    "get_state",
    "save_profile",
    "delete_profile",
    "switch_profile",
    "sign_in",
    "sign_out",
    "open_sandbox",
    "list_projects",
    "cached_projects",
    "project_details",
    "find_tenant_id",
    "tenant_details",
    "list_regions",
    "create_project",
    "rename_project",
    "delete_project",
    "open_external",
    "env_load",
    "env_reload",
    "env_stage",
    "env_unstage",
    "env_discard",
    "env_restore",
    "env_apply",
    "env_resolve",
    "env_import_preview",
    "env_import_stage",
    "env_export",
    "env_compare",
    "env_copy",
    "env_watch_health",
    "env_unsaved",
    "parse_repository",
    "github_token_status",
    "set_github_token",
    "forget_github_token",
    "preview_create",
    "preview_runs",
    "preview_watch",
    "preview_dismiss",
    "preview_apps",
    "preview_cleanup",
    "set_production",
    "activity_list",
    "activity_clear",
    "get_preferences",
    "set_preferences",
    "update_check",
    "update_install",
    "bench_mark_ready",
    "remember_location",
    "resume_after_restart",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1)
    });
}
