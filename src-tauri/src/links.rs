//! `hasura-cloud-desktop://` links, as the OS hands them to the app: at first launch (the command
//! line on Linux and Windows, an open-URL event on macOS), or to the running window when a second
//! launch passes one on (the single-instance plugin forwards its arguments to the deep-link
//! plugin). The link waits here until the UI takes it — the window may still be loading — and
//! `app_core` reads it and finds the profiles that can see what it names.

use std::sync::{Mutex, PoisonError};

use app_core::{App, AppError, LinkTargets};
use serde::{Deserialize, Serialize};
use tauri::{Manager, Runtime, State};
use tauri_plugin_deep_link::DeepLinkExt;
use tauri_specta::Event;

/// The last link the OS handed over, not yet taken by the UI.
#[derive(Default)]
pub struct PendingLink(Mutex<Option<String>>);

/// A link arrived: the UI takes it with `take_link`.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct LinkReceived;

/// Listens for links, and keeps the one the app was started with.
pub fn watch<R: Runtime>(app: &tauri::App<R>) {
    app.manage(PendingLink::default());
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        if let Some(url) = event.urls().last() {
            receive(&handle, url.as_str());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current()
        && let Some(url) = urls.last()
    {
        receive(app.handle(), url.as_str());
    }
}

fn receive<R: Runtime>(app: &tauri::AppHandle<R>, link: &str) {
    *app.state::<PendingLink>()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(link.to_owned());
    let _ = LinkReceived.emit(app);
}

/// The link waiting to be opened, read, with the profiles that can see it; `None` when there is
/// none. A link that does not parse is refused with a sentence for a person.
#[tauri::command]
#[specta::specta]
pub async fn take_link(
    app: State<'_, App>,
    pending: State<'_, PendingLink>,
) -> Result<Option<LinkTargets>, AppError> {
    let link = pending
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    match link {
        Some(link) => app.link_targets(&link).await.map(Some),
        None => Ok(None),
    }
}
