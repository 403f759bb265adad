//! Quitting asks the same question as the window's close button: with staged env changes, the
//! UI's close prompt. Every quit is turned into a close request of the main window, which the UI
//! answers (`onCloseRequested` in `ui/src/App.svelte`); once it closes, the app exits because
//! its last window is gone. The OS's own Quit items exit without a close request (on macOS
//! `terminate:`, on Windows `PostQuitMessage`), so the menu has its own Quit item instead.

use tauri::{AppHandle, Manager, RunEvent, Runtime};

/// The window whose close request the UI answers.
const MAIN_WINDOW: &str = "main";

/// What to do with an app-level request to exit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Let the app exit.
    Proceed,
    /// Keep running and ask the main window to close (the UI prompts first).
    AskWindow,
}

/// `code` is `None` when the last window has closed (the prompt has been answered), a code
/// when something asked the app itself to exit (`AppHandle::exit`, `restart`).
pub fn decide(code: Option<i32>, window_open: bool) -> Exit {
    match code {
        // The last window closed: it went through the prompt.
        None => Exit::Proceed,
        // Installing an update restarts the app; Tauri does not let it be stopped.
        Some(tauri::RESTART_EXIT_CODE) => Exit::Proceed,
        Some(_) if window_open => Exit::AskWindow,
        // No window to ask in: nothing can be staged there.
        Some(_) => Exit::Proceed,
    }
}

/// The menu's Quit (⌘Q / Ctrl+Q): a close request, as if the close button were clicked.
pub fn request<R: Runtime>(app: &AppHandle<R>) {
    match app.get_webview_window(MAIN_WINDOW) {
        // Fails only once the event loop is gone, when the app is exiting anyway.
        Some(window) => drop(window.close()),
        None => app.exit(0),
    }
}

/// Run-loop hook: an exit requested of the app while the window is open becomes a quit request.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::ExitRequested { code, api, .. } = event {
        let window_open = app.get_webview_window(MAIN_WINDOW).is_some();
        if decide(code, window_open) == Exit::AskWindow {
            api.prevent_exit();
            request(app);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_level_quit_with_the_window_open_asks_the_window_first() {
        assert_eq!(decide(Some(0), true), Exit::AskWindow);
        assert_eq!(decide(Some(1), true), Exit::AskWindow);
    }

    #[test]
    fn the_last_window_closing_exits_since_its_prompt_was_answered() {
        assert_eq!(decide(None, false), Exit::Proceed);
        assert_eq!(decide(None, true), Exit::Proceed);
    }

    #[test]
    fn without_a_window_or_when_restarting_for_an_update_the_app_exits() {
        assert_eq!(decide(Some(0), false), Exit::Proceed);
        assert_eq!(decide(Some(tauri::RESTART_EXIT_CODE), true), Exit::Proceed);
    }
}
