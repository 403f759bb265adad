//! The benchmark floor: a window with a static page and one command, nothing else. The page
//! reports its first paint through `bench_mark_ready`, as the app does, so start-up is measured
//! the same way for both (see tests/bench/desktop.mjs).

// As in the app: no console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::{SystemTime, UNIX_EPOCH};

/// Prints the ready mark on stderr when `HCD_BENCH_READY` is set, in the app's format.
#[tauri::command]
fn bench_mark_ready(painted_at_ms: f64) {
    if std::env::var_os("HCD_BENCH_READY").is_none() {
        return;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default();
    eprintln!("hcd-bench ready painted_at_ms={painted_at_ms:.3} received_at_ms={now:.3}");
}

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![bench_mark_ready])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("baseline could not start: {e}");
        std::process::exit(1);
    }
}
