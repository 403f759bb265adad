//! Benchmark support: the start-up mark (docs/benchmarks.md).
//!
//! The UI calls `bench_mark_ready` once, after the project list's first frame is painted. With
//! `HCD_BENCH_READY` set in the environment the app prints one line on stderr with wall-clock
//! timestamps, which the benchmark compares with the moment it spawned the process; without it
//! the command does nothing. The baseline in `bench/baseline` prints the same line.

use std::time::{SystemTime, UNIX_EPOCH};

// Prints `hcd-bench ready painted_at_ms=… received_at_ms=…` on stderr when benchmarking.
// `painted_at_ms` is the page's own wall clock (`performance.timeOrigin + performance.now()`).
#[tauri::command]
#[specta::specta]
pub fn bench_mark_ready(painted_at_ms: f64) {
    if std::env::var_os("HCD_BENCH_READY").is_none() {
        return;
    }
    let received = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default();
    eprintln!("hcd-bench ready painted_at_ms={painted_at_ms:.3} received_at_ms={received:.3}");
}
