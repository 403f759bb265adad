//! The non-secret settings: profiles and which one is active. The shell keeps them with
//! tauri-plugin-store; tests use [`MemorySettings`]. No token is ever part of [`Settings`].

use std::fmt;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::profiles::ProfileKind;

/// Everything the app remembers between runs, apart from tokens (those are in the keychain).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub profiles: Vec<ProfileSettings>,
    pub active_profile_id: Option<String>,
    pub preferences: Preferences,
}

/// Choices that are the person's, not a profile's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Preferences {
    /// Ask the release server for a newer version when the app starts. Nothing is installed
    /// without being asked.
    pub check_updates_at_start: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            check_updates_at_start: true,
        }
    }
}

/// A profile as saved: who it is and where it points. Whether it is signed in is not saved here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSettings {
    pub id: String,
    pub name: String,
    pub color: String,
    pub endpoint: String,
    pub kind: ProfileKind,
    /// Projects (by project id) marked as production on this computer: the app asks for their
    /// name before applying env changes to them.
    #[serde(default)]
    pub production_projects: Vec<String>,
}

impl ProfileSettings {
    /// A Hasura Cloud profile with no production marks yet.
    pub fn cloud(id: String, name: String, color: String, endpoint: String) -> ProfileSettings {
        ProfileSettings {
            id,
            name,
            color,
            endpoint,
            kind: ProfileKind::Cloud,
            production_projects: Vec::new(),
        }
    }
}

impl Settings {
    pub fn profile(&self, id: &str) -> Option<&ProfileSettings> {
        self.profiles.iter().find(|p| p.id == id)
    }

    pub fn profile_mut(&mut self, id: &str) -> Option<&mut ProfileSettings> {
        self.profiles.iter_mut().find(|p| p.id == id)
    }

    /// The active profile, if the id points at one.
    pub fn active(&self) -> Option<&ProfileSettings> {
        self.active_profile_id
            .as_deref()
            .and_then(|id| self.profile(id))
    }

    /// Drops an active id that names no profile (e.g. a hand-edited settings file).
    pub fn repair(&mut self) {
        if self.active().is_none() {
            self.active_profile_id = None;
        }
    }
}

/// Loads and saves [`Settings`]. Implemented by the shell with tauri-plugin-store.
pub trait SettingsStore: Send + Sync {
    /// `None` before the first save.
    fn load(&self) -> Result<Option<Settings>, AppError>;
    fn save(&self, settings: &Settings) -> Result<(), AppError>;
}

/// Settings in memory, for tests.
#[derive(Default)]
pub struct MemorySettings {
    saved: Mutex<Option<Settings>>,
}

impl MemorySettings {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts with settings already saved.
    pub fn with(settings: Settings) -> Self {
        Self {
            saved: Mutex::new(Some(settings)),
        }
    }

    /// What was saved last.
    pub fn saved(&self) -> Option<Settings> {
        self.saved.lock().clone()
    }
}

impl fmt::Debug for MemorySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemorySettings")
            .field("saved", &*self.saved.lock())
            .finish()
    }
}

impl SettingsStore for MemorySettings {
    fn load(&self) -> Result<Option<Settings>, AppError> {
        Ok(self.saved.lock().clone())
    }

    fn save(&self, settings: &Settings) -> Result<(), AppError> {
        *self.saved.lock() = Some(settings.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn profile(id: &str) -> ProfileSettings {
        ProfileSettings {
            id: id.into(),
            name: "Work".into(),
            color: "#3b82f6".into(),
            endpoint: "https://data.pro.hasura.io/v1/graphql".into(),
            kind: ProfileKind::Cloud,
            production_projects: vec![],
        }
    }

    #[test]
    fn settings_json_shape() {
        let settings = Settings {
            profiles: vec![profile("a")],
            active_profile_id: Some("a".into()),
            ..Default::default()
        };
        let value = serde_json::to_value(&settings).unwrap();
        assert_eq!(
            value,
            json!({
                "profiles": [{"id": "a", "name": "Work", "color": "#3b82f6",
                              "endpoint": "https://data.pro.hasura.io/v1/graphql", "kind": "cloud",
                              "productionProjects": []}],
                "activeProfileId": "a",
                "preferences": {"checkUpdatesAtStart": true}
            })
        );
        let back: Settings = serde_json::from_value(value).unwrap();
        assert_eq!(back, settings);
        // Missing keys read as defaults, so older or partial files load.
        let empty: Settings = serde_json::from_value(json!({})).unwrap();
        assert_eq!(empty, Settings::default());
        assert!(empty.preferences.check_updates_at_start);
        let off: Settings =
            serde_json::from_value(json!({"preferences": {"checkUpdatesAtStart": false}})).unwrap();
        assert!(!off.preferences.check_updates_at_start);
        // A profile saved before production marks existed has none.
        let older: Settings = serde_json::from_value(json!({"profiles": [{"id": "a", "name": "Work",
            "color": "#3b82f6", "endpoint": "https://data.pro.hasura.io/v1/graphql", "kind": "cloud"}]}))
        .unwrap();
        assert_eq!(older.profiles[0], profile("a"));
    }

    #[test]
    fn repair_drops_a_dangling_active_id() {
        let mut settings = Settings {
            profiles: vec![profile("a")],
            active_profile_id: Some("gone".into()),
            ..Default::default()
        };
        settings.repair();
        assert_eq!(settings.active_profile_id, None);
        settings.active_profile_id = Some("a".into());
        settings.repair();
        assert_eq!(settings.active().map(|p| p.id.as_str()), Some("a"));
    }

    #[test]
    fn memory_settings_round_trip() {
        let store = MemorySettings::new();
        assert_eq!(store.load().unwrap(), None);
        let settings = Settings {
            profiles: vec![profile("a")],
            active_profile_id: None,
            ..Default::default()
        };
        store.save(&settings).unwrap();
        assert_eq!(store.load().unwrap(), Some(settings.clone()));
        assert_eq!(store.saved(), Some(settings));
    }
}
