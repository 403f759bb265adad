//! The page's renderer: how it draws (Linux: without the GPU compositor), and the window healing
//! itself when the renderer dies.
//!
//! The page runs in a process of its own that can die while the app lives on (a GPU driver bug,
//! the OOM killer, an engine crash). The shell hears of it, asks `app_core::RendererWatch` what to
//! do, and loads the page again — the UI then asks `resume_after_restart` where it was — or, when
//! the renderer keeps dying, shows `renderer-stopped.html`, a plain page with no script.
//!
//! Linux (WebKitGTK): the webview's `web-process-terminated` signal. macOS (WKWebView): Tauri's
//! `on_web_content_process_terminate`. Windows (WebView2): not wired up — neither Tauri nor wry
//! exposes `ProcessFailed`, and WebView2 shows its own "This page is having a problem" page with
//! a Reload button instead.

use std::time::Instant;

use app_core::renderer::{Location, Recovery, RendererWatch, Resume};
use tauri::{Manager, Runtime, State, Url, Webview};

/// The plain page shown when the renderer keeps dying (`ui/public`).
const STOPPED_PAGE: &str = "renderer-stopped.html";

/// The UI moved to another screen.
#[tauri::command]
#[specta::specta]
pub fn remember_location(watch: State<'_, RendererWatch>, location: Location) {
    watch.remember(location);
}

/// Asked by the UI as it starts: where it was, when the page was loaded again after a stop.
#[tauri::command]
#[specta::specta]
pub fn resume_after_restart(watch: State<'_, RendererWatch>) -> Option<Resume> {
    watch.take_resume()
}

/// The plain page's address, taken while the page is healthy (a dead page's URL may be empty).
struct StoppedPage(Option<Url>);

/// Draws the main webview's page without WebKitGTK's GPU compositor (Linux), unless
/// `WEBKIT_FORCE_COMPOSITING_MODE` is set. The page is lists and forms: drawn on the CPU it
/// reaches its first frame about 300 ms sooner and the process tree holds about 100 MiB less —
/// the compositor's first composition and its buffers, which cost most where GL is software
/// (docs/benchmarks.md, fourth round, fourth part). Elsewhere the platform's default stays.
pub fn draw_without_compositor<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    if let Some(window) = app.get_webview_window("main")
        && std::env::var_os("WEBKIT_FORCE_COMPOSITING_MODE").is_none()
    {
        window.with_webview(|platform| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&platform.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        })?;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
    Ok(())
}

/// Listens for the main webview's renderer stopping (where the platform tells).
pub fn watch<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    app.manage(RendererWatch::new());
    let page = app
        .get_webview_window("main")
        .and_then(|window| window.url().ok())
        .and_then(|url| url.join(STOPPED_PAGE).ok());
    app.manage(StoppedPage(page));
    #[cfg(target_os = "linux")]
    if let Some(window) = app.get_webview_window("main") {
        let target: Webview<R> = window.as_ref().clone();
        window.with_webview(move |platform| {
            use webkit2gtk::WebViewExt;
            platform
                .inner()
                .connect_web_process_terminated(move |_, reason| {
                    recover(&target, &format!("{reason:?}"));
                });
        })?;
    }
    Ok(())
}

/// Reloads the page, or shows the plain page when the renderer keeps stopping.
pub fn recover<R: Runtime>(webview: &Webview<R>, reason: &str) {
    let recovery = webview
        .state::<RendererWatch>()
        .renderer_stopped(Instant::now());
    let reason = reason.to_owned();
    let stopped_page = webview.state::<StoppedPage>().0.clone();
    let webview = webview.clone();
    // Not from inside the engine's own notice: loading a page there makes WebKitGTK start the
    // new web process while it is still tearing down the old one, which aborts the app. From
    // another thread the load goes through the event loop, after the notice has returned.
    tauri::async_runtime::spawn(async move {
        let result = match recovery {
            Recovery::Reload => {
                tracing::error!(
                    "The window's renderer stopped ({reason}); loading the page again."
                );
                webview.reload()
            }
            Recovery::GiveUp => {
                tracing::error!(
                    "The window's renderer stopped ({reason}) {} times within {} s; showing {STOPPED_PAGE} instead of loading the page again.",
                    app_core::renderer::RESTART_LIMIT,
                    app_core::renderer::RESTART_WINDOW.as_secs()
                );
                match stopped_page {
                    Some(url) => webview.navigate(url),
                    None => Ok(()),
                }
            }
        };
        if let Err(e) = result {
            tracing::error!("Could not load the window again: {e}");
        }
    });
}
