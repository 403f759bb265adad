//! The committed TypeScript bindings are what the Rust commands generate.
//! After changing a command or type: `UPDATE_BINDINGS=1 cargo test -p hasura-cloud-desktop --test bindings`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::Path;

#[test]
fn committed_bindings_match_the_commands() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(desktop_lib::BINDINGS_PATH);
    let generated_path =
        std::env::temp_dir().join(format!("hcd-bindings-{}.ts", std::process::id()));
    desktop_lib::export_bindings(&generated_path).unwrap();
    let generated = std::fs::read_to_string(&generated_path).unwrap();
    std::fs::remove_file(&generated_path).ok();
    assert!(
        generated.contains("getState:") && generated.contains("menuAction"),
        "unexpected bindings:\n{generated}"
    );
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is out of date with the Rust commands; regenerate it with\n  \
         UPDATE_BINDINGS=1 cargo test -p hasura-cloud-desktop --test bindings"
    );
}

/// The window may call exactly the commands the bindings offer: the permission set the capability
/// grants is generated (by build.rs) from the same list as the specta builder.
#[test]
fn the_capability_allows_exactly_the_commands_of_the_bindings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bindings = std::fs::read_to_string(root.join(desktop_lib::BINDINGS_PATH)).unwrap();
    let mut invoked: Vec<String> = bindings
        .split("__TAURI_INVOKE")
        .skip(1)
        .filter_map(|rest| rest.split('"').nth(1))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    invoked.sort();
    invoked.dedup();
    let set = std::fs::read_to_string(root.join("permissions/app-commands.toml")).unwrap();
    let mut allowed: Vec<String> = set
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"'))
        .filter_map(|line| line.strip_suffix("\","))
        .map(str::to_owned)
        .collect();
    allowed.sort();
    assert!(invoked.len() > 40, "{invoked:?}");
    assert_eq!(allowed, invoked);
    let capability = std::fs::read_to_string(root.join("capabilities/default.json")).unwrap();
    assert!(capability.contains("\"allow-app-commands\""));
}
