//! The native menu. Its items reach the UI as typed `MenuAction` events.

use serde::{Deserialize, Serialize};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Runtime};
use tauri_specta::Event;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum MenuCommand {
    NewProject,
    Refresh,
    Search,
    GoTo,
    LookUp,
    Profiles,
    OpenSandbox,
    SignOut,
    CheckUpdates,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct MenuAction {
    pub action: MenuCommand,
}

const ITEMS: &[(&str, &str, Option<&str>, MenuCommand)] = &[
    (
        "new-project",
        "New Project…",
        Some("CmdOrCtrl+N"),
        MenuCommand::NewProject,
    ),
    (
        "look-up",
        "Look Up by ID…",
        Some("CmdOrCtrl+L"),
        MenuCommand::LookUp,
    ),
    (
        "refresh",
        "Refresh",
        Some("CmdOrCtrl+R"),
        MenuCommand::Refresh,
    ),
    (
        "search",
        "Search Projects",
        Some("CmdOrCtrl+F"),
        MenuCommand::Search,
    ),
    ("go-to", "Go To…", Some("CmdOrCtrl+K"), MenuCommand::GoTo),
    (
        "profiles",
        "Switch Profile…",
        Some("CmdOrCtrl+Shift+P"),
        MenuCommand::Profiles,
    ),
    (
        "open-sandbox",
        "Open Sandbox",
        None,
        MenuCommand::OpenSandbox,
    ),
    ("sign-out", "Sign Out", None, MenuCommand::SignOut),
    (
        "check-updates",
        "Check for Updates…",
        None,
        MenuCommand::CheckUpdates,
    ),
];

pub fn command_for(id: &str) -> Option<MenuCommand> {
    ITEMS
        .iter()
        .find(|(item_id, ..)| *item_id == id)
        .map(|(.., command)| *command)
}

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str| -> tauri::Result<MenuItem<R>> {
        let (id, label, accelerator, _) = ITEMS
            .iter()
            .find(|(item_id, ..)| *item_id == id)
            .copied()
            .unwrap_or(("", "", None, MenuCommand::Refresh));
        MenuItem::with_id(app, id, label, true, accelerator)
    };
    let file = Submenu::with_items(
        app,
        "File",
        true,
        &[
            &item("new-project")?,
            &item("look-up")?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::quit(app, None)?,
        ],
    )?;
    let edit = Submenu::with_items(
        app,
        "Edit",
        true,
        &[
            &PredefinedMenuItem::undo(app, None)?,
            &PredefinedMenuItem::redo(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::cut(app, None)?,
            &PredefinedMenuItem::copy(app, None)?,
            &PredefinedMenuItem::paste(app, None)?,
            &PredefinedMenuItem::select_all(app, None)?,
        ],
    )?;
    let view = Submenu::with_items(
        app,
        "View",
        true,
        &[&item("go-to")?, &item("refresh")?, &item("search")?],
    )?;
    let account = Submenu::with_items(
        app,
        "Account",
        true,
        &[
            &item("profiles")?,
            &item("open-sandbox")?,
            &PredefinedMenuItem::separator(app)?,
            &item("sign-out")?,
        ],
    )?;
    let help = Submenu::with_items(app, "Help", true, &[&item("check-updates")?])?;
    Menu::with_items(app, &[&file, &edit, &view, &account, &help])
}
