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
