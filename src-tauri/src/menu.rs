//! The native menu. Its items reach the UI as typed `MenuAction` events.
//!
//! What each platform's menu holds is [`layout`], a plain description tested on any OS;
//! [`build`] only turns it into Tauri menus. macOS makes the first submenu the application menu
//! (named after the app), so there it is the app menu Mac apps have — About, Settings, Hide,
//! Quit — followed by File, Edit, View, Account, Window and Help.

use serde::{Deserialize, Serialize};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Runtime};
use tauri_specta::Event;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
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
    ReportProblem,
    ShowLogs,
    About,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct MenuAction {
    pub action: MenuCommand,
}

/// The app's name as the menu shows it.
const APP_NAME: &str = "Hasura Cloud Desktop";

/// The OS whose conventions the menu follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    MacOs,
    /// Windows and Linux: a File menu that ends with Quit, About under Help.
    Other,
}

impl Platform {
    pub const CURRENT: Platform = if cfg!(target_os = "macos") {
        Platform::MacOs
    } else {
        Platform::Other
    };
}

/// An item the OS provides (its label, shortcut and behaviour are the system's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Native {
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    SelectAll,
    Services,
    Hide,
    HideOthers,
    ShowAll,
    CloseWindow,
    Minimize,
    Zoom,
    Fullscreen,
    BringAllToFront,
}

/// One line of a submenu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Our item: sent to the UI as a `MenuAction`.
    Item(Item),
    /// Quit goes through [`crate::quit`], never the OS's own quit (which exits without asking
    /// about staged changes).
    Quit,
    Native(Native),
    Separator,
}

/// An item of ours: id, label, accelerator, and the command it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub id: &'static str,
    pub label: &'static str,
    pub accelerator: Option<&'static str>,
    pub command: MenuCommand,
}

/// Which submenu macOS should treat specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plain,
    /// macOS lists the open windows here.
    Window,
    /// macOS adds its help search here.
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmenuSpec {
    pub title: &'static str,
    pub role: Role,
    pub entries: Vec<Entry>,
}

/// The id of the Quit item (not a `MenuCommand`: the UI is asked through the quit request).
pub const QUIT_ID: &str = "quit";
/// Quit's shortcut on every OS (⌘Q on macOS, Ctrl+Q elsewhere).
pub const QUIT_ACCELERATOR: &str = "CmdOrCtrl+Q";

const fn item(
    id: &'static str,
    label: &'static str,
    accelerator: Option<&'static str>,
    command: MenuCommand,
) -> Entry {
    Entry::Item(Item {
        id,
        label,
        accelerator,
        command,
    })
}

const NEW_PROJECT: Entry = item(
    "new-project",
    "New Project…",
    Some("CmdOrCtrl+N"),
    MenuCommand::NewProject,
);
const LOOK_UP: Entry = item(
    "look-up",
    "Look Up by ID…",
    Some("CmdOrCtrl+L"),
    MenuCommand::LookUp,
);
const GO_TO: Entry = item("go-to", "Go To…", Some("CmdOrCtrl+K"), MenuCommand::GoTo);
const REFRESH: Entry = item(
    "refresh",
    "Refresh",
    Some("CmdOrCtrl+R"),
    MenuCommand::Refresh,
);
const SEARCH: Entry = item(
    "search",
    "Search Projects",
    Some("CmdOrCtrl+F"),
    MenuCommand::Search,
);
const PROFILES: Entry = item(
    "profiles",
    "Switch Profile…",
    Some("CmdOrCtrl+Shift+P"),
    MenuCommand::Profiles,
);
const OPEN_SANDBOX: Entry = item(
    "open-sandbox",
    "Open Sandbox",
    None,
    MenuCommand::OpenSandbox,
);
const SIGN_OUT: Entry = item("sign-out", "Sign Out", None, MenuCommand::SignOut);
const CHECK_UPDATES: Entry = item(
    "check-updates",
    "Check for Updates…",
    None,
    MenuCommand::CheckUpdates,
);
const REPORT_PROBLEM: Entry = item(
    "report-problem",
    "Report a Problem…",
    None,
    MenuCommand::ReportProblem,
);
const SHOW_LOGS: Entry = item("show-logs", "Show Logs", None, MenuCommand::ShowLogs);
const ABOUT: Entry = item(
    "about",
    "About Hasura Cloud Desktop",
    None,
    MenuCommand::About,
);
/// The app's settings are its profiles: macOS's ⌘, opens the profile switcher.
const SETTINGS: Entry = item(
    "settings",
    "Settings…",
    Some("CmdOrCtrl+,"),
    MenuCommand::Profiles,
);

/// The menu for `platform`, as submenus of entries.
pub fn layout(platform: Platform) -> Vec<SubmenuSpec> {
    use Entry::{Native as N, Separator as Sep};
    let plain = |title, entries| SubmenuSpec {
        title,
        role: Role::Plain,
        entries,
    };
    let edit = plain(
        "Edit",
        vec![
            N(Native::Undo),
            N(Native::Redo),
            Sep,
            N(Native::Cut),
            N(Native::Copy),
            N(Native::Paste),
            N(Native::SelectAll),
        ],
    );
    let account = plain("Account", vec![PROFILES, OPEN_SANDBOX, Sep, SIGN_OUT]);
    match platform {
        Platform::MacOs => vec![
            plain(
                APP_NAME,
                vec![
                    ABOUT,
                    CHECK_UPDATES,
                    Sep,
                    SETTINGS,
                    Sep,
                    N(Native::Services),
                    Sep,
                    N(Native::Hide),
                    N(Native::HideOthers),
                    N(Native::ShowAll),
                    Sep,
                    Entry::Quit,
                ],
            ),
            plain(
                "File",
                vec![NEW_PROJECT, LOOK_UP, Sep, N(Native::CloseWindow)],
            ),
            edit,
            plain(
                "View",
                vec![GO_TO, REFRESH, SEARCH, Sep, N(Native::Fullscreen)],
            ),
            account,
            SubmenuSpec {
                title: "Window",
                role: Role::Window,
                entries: vec![
                    N(Native::Minimize),
                    N(Native::Zoom),
                    Sep,
                    N(Native::BringAllToFront),
                ],
            },
            SubmenuSpec {
                title: "Help",
                role: Role::Help,
                entries: vec![REPORT_PROBLEM, SHOW_LOGS],
            },
        ],
        Platform::Other => vec![
            plain("File", vec![NEW_PROJECT, LOOK_UP, Sep, Entry::Quit]),
            edit,
            plain("View", vec![GO_TO, REFRESH, SEARCH]),
            account,
            SubmenuSpec {
                title: "Help",
                role: Role::Help,
                entries: vec![CHECK_UPDATES, REPORT_PROBLEM, SHOW_LOGS, Sep, ABOUT],
            },
        ],
    }
}

/// The command a menu event id stands for (any platform's items; ids are unique across them).
pub fn command_for(id: &str) -> Option<MenuCommand> {
    [Platform::MacOs, Platform::Other]
        .into_iter()
        .flat_map(layout)
        .flat_map(|submenu| submenu.entries)
        .find_map(|entry| match entry {
            Entry::Item(item) if item.id == id => Some(item.command),
            _ => None,
        })
}

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for spec in layout(Platform::CURRENT) {
        let submenu = Submenu::new(app, spec.title, true)?;
        for entry in spec.entries {
            match entry {
                Entry::Item(item) => submenu.append(&MenuItem::with_id(
                    app,
                    item.id,
                    item.label,
                    true,
                    item.accelerator,
                )?)?,
                Entry::Quit => {
                    let label = if Platform::CURRENT == Platform::MacOs {
                        format!("Quit {APP_NAME}")
                    } else {
                        "Quit".to_string()
                    };
                    submenu.append(&MenuItem::with_id(
                        app,
                        QUIT_ID,
                        label,
                        true,
                        Some(QUIT_ACCELERATOR),
                    )?)?
                }
                Entry::Separator => submenu.append(&PredefinedMenuItem::separator(app)?)?,
                Entry::Native(native) => submenu.append(&native_item(app, native)?)?,
            }
        }
        #[cfg(target_os = "macos")]
        match spec.role {
            Role::Window => submenu.set_as_windows_menu_for_nsapp()?,
            Role::Help => submenu.set_as_help_menu_for_nsapp()?,
            Role::Plain => {}
        }
        menu.append(&submenu)?;
    }
    Ok(menu)
}

fn native_item<R: Runtime>(
    app: &AppHandle<R>,
    native: Native,
) -> tauri::Result<PredefinedMenuItem<R>> {
    match native {
        Native::Undo => PredefinedMenuItem::undo(app, None),
        Native::Redo => PredefinedMenuItem::redo(app, None),
        Native::Cut => PredefinedMenuItem::cut(app, None),
        Native::Copy => PredefinedMenuItem::copy(app, None),
        Native::Paste => PredefinedMenuItem::paste(app, None),
        Native::SelectAll => PredefinedMenuItem::select_all(app, None),
        Native::Services => PredefinedMenuItem::services(app, None),
        Native::Hide => PredefinedMenuItem::hide(app, None),
        Native::HideOthers => PredefinedMenuItem::hide_others(app, None),
        Native::ShowAll => PredefinedMenuItem::show_all(app, None),
        Native::CloseWindow => PredefinedMenuItem::close_window(app, None),
        Native::Minimize => PredefinedMenuItem::minimize(app, None),
        Native::Zoom => PredefinedMenuItem::maximize(app, Some("Zoom")),
        Native::Fullscreen => PredefinedMenuItem::fullscreen(app, None),
        Native::BringAllToFront => PredefinedMenuItem::bring_all_to_front(app, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(platform: Platform) -> Vec<&'static str> {
        layout(platform).iter().map(|s| s.title).collect()
    }

    fn items(platform: Platform) -> Vec<Item> {
        layout(platform)
            .into_iter()
            .flat_map(|s| s.entries)
            .filter_map(|e| match e {
                Entry::Item(item) => Some(item),
                _ => None,
            })
            .collect()
    }

    fn submenu(platform: Platform, title: &str) -> SubmenuSpec {
        layout(platform)
            .into_iter()
            .find(|s| s.title == title)
            .unwrap_or_else(|| panic!("no {title} menu"))
    }

    fn has_command(spec: &SubmenuSpec, command: MenuCommand) -> bool {
        spec.entries
            .iter()
            .any(|e| matches!(e, Entry::Item(item) if item.command == command))
    }

    #[test]
    fn macos_menus_are_the_app_menu_then_file_edit_view_account_window_help() {
        assert_eq!(
            titles(Platform::MacOs),
            [
                APP_NAME, "File", "Edit", "View", "Account", "Window", "Help"
            ]
        );
        assert_eq!(
            titles(Platform::Other),
            ["File", "Edit", "View", "Account", "Help"]
        );
    }

    #[test]
    fn the_macos_app_menu_has_about_settings_hide_and_quit_and_file_has_no_quit() {
        let app = submenu(Platform::MacOs, APP_NAME);
        assert_eq!(app.entries.first(), Some(&ABOUT));
        assert_eq!(app.entries.last(), Some(&Entry::Quit));
        assert!(app.entries.contains(&SETTINGS));
        for native in [Native::Hide, Native::HideOthers, Native::ShowAll] {
            assert!(app.entries.contains(&Entry::Native(native)), "{native:?}");
        }
        let file = submenu(Platform::MacOs, "File");
        assert!(!file.entries.contains(&Entry::Quit));
        assert!(file.entries.contains(&Entry::Native(Native::CloseWindow)));
        assert!(has_command(&file, MenuCommand::NewProject));
    }

    #[test]
    fn macos_has_a_window_menu_with_minimize_and_a_help_menu_marked_for_the_system() {
        let window = submenu(Platform::MacOs, "Window");
        assert_eq!(window.role, Role::Window);
        assert!(window.entries.contains(&Entry::Native(Native::Minimize)));
        let help = submenu(Platform::MacOs, "Help");
        assert_eq!(help.role, Role::Help);
        assert!(has_command(&help, MenuCommand::ReportProblem));
        assert!(has_command(&help, MenuCommand::ShowLogs));
    }

    #[test]
    fn about_is_our_own_item_on_every_platform() {
        // In the app menu on macOS, under Help elsewhere; never the system's about box.
        assert!(has_command(
            &submenu(Platform::MacOs, APP_NAME),
            MenuCommand::About
        ));
        let help = submenu(Platform::Other, "Help");
        for command in [
            MenuCommand::About,
            MenuCommand::ReportProblem,
            MenuCommand::ShowLogs,
            MenuCommand::CheckUpdates,
        ] {
            assert!(has_command(&help, command), "{command:?}");
        }
        assert_eq!(command_for("about"), Some(MenuCommand::About));
        assert_eq!(
            command_for("report-problem"),
            Some(MenuCommand::ReportProblem)
        );
        assert_eq!(command_for("show-logs"), Some(MenuCommand::ShowLogs));
    }

    #[test]
    fn quit_is_ours_once_per_platform_and_the_file_menu_ends_with_it_off_macos() {
        for platform in [Platform::MacOs, Platform::Other] {
            let quits = layout(platform)
                .iter()
                .flat_map(|s| s.entries.iter())
                .filter(|e| **e == Entry::Quit)
                .count();
            assert_eq!(quits, 1, "{platform:?}");
        }
        assert_eq!(
            submenu(Platform::Other, "File").entries.last(),
            Some(&Entry::Quit)
        );
        assert_eq!(command_for(QUIT_ID), None);
    }

    #[test]
    fn every_command_keeps_its_accelerator_on_both_platforms() {
        let mac = items(Platform::MacOs);
        for other in items(Platform::Other) {
            let same = mac.iter().find(|m| m.id == other.id);
            assert_eq!(same, Some(&other), "{} differs on macOS", other.id);
        }
        let accelerators: Vec<_> = mac.iter().filter_map(|i| i.accelerator).collect();
        let mut unique = accelerators.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(accelerators.len(), unique.len(), "{accelerators:?}");
    }

    #[test]
    fn ids_are_unique_and_map_back_to_their_commands() {
        for platform in [Platform::MacOs, Platform::Other] {
            let items = items(platform);
            for item in &items {
                assert_eq!(items.iter().filter(|i| i.id == item.id).count(), 1);
                assert_eq!(command_for(item.id), Some(item.command));
            }
        }
        assert_eq!(command_for("nope"), None);
    }
}
