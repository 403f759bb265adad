//! The settings live in `app_core::FileSettings` (`settings.json` in the app data folder). When
//! that file could not be read, it was kept aside and the app opened without profiles: the
//! person is told so in a native message as the app starts, since the window alone would just
//! look as if every profile were gone.

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

/// Shows `notice` (from `SettingsStore::notice`), if any, and writes it to the log.
pub fn tell<R: Runtime>(app: &AppHandle<R>, notice: Option<String>) {
    let Some(notice) = notice else {
        return;
    };
    tracing::warn!("{notice}");
    app.dialog()
        .message(notice)
        .title("Your settings could not be read")
        .kind(MessageDialogKind::Warning)
        .show(|_| {});
}
