//! Benchmark support: the start-up marks (docs/benchmarks.md).
//!
//! With `HCD_BENCH_READY` set in the environment the app prints lines `hcd-bench <phase> …` on
//! stderr with wall-clock timestamps (epoch ms), which the benchmark compares with the moment it
//! spawned the process: `mapped` when the X server has mapped the window, and `ready` when the UI
//! calls `bench_mark_ready` after the project list's first frame is painted, with the page's own
//! start times. Without the variable nothing is watched and the command does nothing. The
//! baseline in `bench/baseline` prints the same lines.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use specta::Type;
use tauri::{Manager, Runtime};

fn enabled() -> bool {
    std::env::var_os("HCD_BENCH_READY").is_some()
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

/// When benchmarking, prints `hcd-bench mapped at_ms=…` the first time the main window is
/// mapped (GTK's `map-event`: the X server has put it on screen).
pub fn watch<R: Runtime>(app: &tauri::App<R>) {
    if !enabled() {
        return;
    }
    #[cfg(target_os = "linux")]
    if let Some(window) = app
        .get_webview_window("main")
        .and_then(|w| w.gtk_window().ok())
    {
        use webkit2gtk::glib::prelude::{ObjectExt, ToValue};
        let once = std::sync::Once::new();
        window.connect_local("map-event", false, move |_| {
            once.call_once(|| eprintln!("hcd-bench mapped at_ms={:.3}", now_ms()));
            // Let GTK go on handling the event.
            Some(false.to_value())
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// The page's start, on its own wall clock (`performance.timeOrigin + performance.now()`).
#[derive(Debug, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PageStart {
    /// `performance.timeOrigin`: the navigation to the page started.
    navigation_at_ms: f64,
    /// The entry script's first statement ran.
    first_script_at_ms: f64,
    /// The page's first IPC call was answered (none yet: absent).
    first_answer_at_ms: Option<f64>,
    /// The first project rows were in the document (Svelte had rendered them), not painted yet.
    #[serde(default)]
    rows_in_dom_at_ms: Option<f64>,
    /// The frame that paints them began (its `requestAnimationFrame` callback ran).
    #[serde(default)]
    frame_at_ms: Option<f64>,
}

/// Prints `hcd-bench ready painted_at_ms=… received_at_ms=…` (and, given `page`,
/// `navigation_at_ms=… first_script_at_ms=…` and the page's later marks) on stderr when benchmarking.
/// `painted_at_ms` is the page's wall clock after the first frame with project rows.
#[tauri::command]
#[specta::specta]
pub fn bench_mark_ready(painted_at_ms: f64, page: Option<PageStart>) {
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
        for (name, at) in [
            ("first_answer_at_ms", page.first_answer_at_ms),
            ("rows_in_dom_at_ms", page.rows_in_dom_at_ms),
            ("frame_at_ms", page.frame_at_ms),
        ] {
            if let Some(at) = at {
                line += &format!(" {name}={at:.3}");
            }
        }
    }
    eprintln!("{line}");
}
