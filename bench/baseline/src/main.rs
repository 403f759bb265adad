//! The benchmark floor: a window with a static page and two commands, nothing else. The page
//! reports its start-up as the app does (the window mapped, its first script, its first IPC
//! answer, its first paint), so start-up is measured phase by phase the same way for both (see
//! tests/bench/desktop.mjs).

// As in the app: no console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::{SystemTime, UNIX_EPOCH};

fn enabled() -> bool {
    std::env::var_os("HCD_BENCH_READY").is_some()
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

/// The page's start on its own clock, as the app's page sends it.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageStart {
    navigation_at_ms: f64,
    first_script_at_ms: f64,
    first_answer_at_ms: Option<f64>,
}

/// The page's first IPC call: how soon a page can have an answer from Rust.
#[tauri::command]
fn bench_ping() {}

/// Prints the ready mark on stderr when `HCD_BENCH_READY` is set, in the app's format.
#[tauri::command]
fn bench_mark_ready(painted_at_ms: f64, page: Option<PageStart>) {
    if !enabled() {
        return;
    }
    let received = now_ms();
    let mut line =
        format!("hcd-bench ready painted_at_ms={painted_at_ms:.3} received_at_ms={received:.3}");
    if let Some(page) = page {
        line += &format!(
            " navigation_at_ms={:.3} first_script_at_ms={:.3}",
            page.navigation_at_ms, page.first_script_at_ms
        );
        if let Some(answered) = page.first_answer_at_ms {
            line += &format!(" first_answer_at_ms={answered:.3}");
        }
    }
    eprintln!("{line}");
}

/// When benchmarking, prints `hcd-bench mapped at_ms=…` the first time the window is mapped,
/// as the app does.
fn watch(app: &tauri::App) {
    if !enabled() {
        return;
    }
    #[cfg(target_os = "linux")]
    if let Some(window) =
        tauri::Manager::get_webview_window(app, "main").and_then(|w| w.gtk_window().ok())
    {
        use webkit2gtk::glib::prelude::{ObjectExt, ToValue};
        let once = std::sync::Once::new();
        window.connect_local("map-event", false, move |_| {
            once.call_once(|| eprintln!("hcd-bench mapped at_ms={:.3}", now_ms()));
            Some(false.to_value())
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![bench_ping, bench_mark_ready])
        .setup(|app| {
            watch(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("baseline could not start: {e}");
        std::process::exit(1);
    }
}
