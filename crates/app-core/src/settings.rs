//! The non-secret settings: profiles and which one is active. The app keeps them in a JSON file
//! ([`FileSettings`]); tests use [`MemorySettings`]. No token is ever part of [`Settings`].

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::files;
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

/// Loads and saves [`Settings`]: [`FileSettings`] in the app, [`MemorySettings`] in tests.
pub trait SettingsStore: Send + Sync {
    /// `None` before the first save.
    fn load(&self) -> Result<Option<Settings>, AppError>;
    fn save(&self, settings: &Settings) -> Result<(), AppError>;
    /// What the person should be told about the stored settings after [`load`](Self::load),
    /// e.g. that a file that could not be read was kept aside and the app opened without it.
    fn notice(&self) -> Option<String> {
        None
    }
}

/// The format [`FileSettings`] writes. Format 0 is the file tauri-plugin-store wrote up to
/// 0.1.0: `{"settings": {…}}`, no version. Format 1 is the same with `"version": 1`.
pub const SETTINGS_FORMAT: u64 = 1;

/// The settings as a JSON file, `{"version": 1, "settings": {…}}` — the file name and shape
/// tauri-plugin-store used, so existing installs keep their profiles.
///
/// A save writes a new private file and renames it into place ([`files::replace`]): a crash
/// leaves the old settings or the new ones. A file that cannot be read — cut short, not JSON, of
/// another shape, or from a newer version — is never saved over: it is kept aside as
/// `settings.json.broken-<UTC time>`, the app opens with defaults, and [`FileSettings::notice`]
/// says what happened.
pub struct FileSettings {
    path: PathBuf,
    /// For the person, after a load that could not use the file.
    notice: Mutex<Option<String>>,
    /// Why saving is refused: the file could not be read nor kept aside, so a save would
    /// overwrite the only copy.
    refuse_saves: Mutex<Option<String>>,
}

impl FileSettings {
    pub fn new(path: impl Into<PathBuf>) -> FileSettings {
        FileSettings {
            path: path.into(),
            notice: Mutex::new(None),
            refuse_saves: Mutex::new(None),
        }
    }

    fn file_name(&self) -> String {
        let name = self.path.file_name().unwrap_or_default();
        name.to_string_lossy().into_owned()
    }

    fn folder(&self) -> String {
        let folder = self.path.parent().unwrap_or(Path::new(""));
        folder.display().to_string()
    }

    /// Moves the file that could not be read (`why`) aside, and says so in the notice.
    fn keep_aside(&self, why: &str) {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let aside = self
            .path
            .with_file_name(format!("{}.broken-{stamp}", self.file_name()));
        let aside_name = aside.file_name().unwrap_or_default().to_string_lossy();
        let kept =
            fs::rename(&self.path, &aside).or_else(|_| fs::copy(&self.path, &aside).map(drop));
        let (name, folder) = (self.file_name(), self.folder());
        let notice = match kept {
            Ok(()) => format!(
                "Your settings could not be read ({why}), so the app opened without your \
                 profiles. The file was kept as {aside_name} in {folder}: nothing in it was \
                 deleted. Sign in again to go on, and send that file with a bug report if you \
                 can (it holds profile names and endpoints, never a token)."
            ),
            Err(e) => {
                *self.refuse_saves.lock() = Some(format!(
                    "Your settings were not saved: {name} in {folder} could not be read, nor \
                     kept aside ({e}), and saving would replace it. Move it out of that folder \
                     and start the app again."
                ));
                format!(
                    "Your settings could not be read ({why}), so the app opened without your \
                     profiles. {name} in {folder} could not be kept aside either ({e}), so the \
                     app will not save settings over it: move it out of that folder and start \
                     the app again."
                )
            }
        };
        *self.notice.lock() = Some(notice);
    }
}

/// The settings in a file's bytes, in any format up to [`SETTINGS_FORMAT`]; `None` for a file
/// with nothing saved yet. `Err` says, for a person, why the file cannot be used.
fn read_settings(bytes: &[u8]) -> Result<Option<Settings>, String> {
    let file: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("it is not JSON: {e}"))?;
    let serde_json::Value::Object(mut file) = file else {
        return Err("it does not have the expected shape: it is not a JSON object".to_owned());
    };
    let format = match file.get("version") {
        None => 0,
        Some(version) => version
            .as_u64()
            .ok_or("its version is not a whole number")?,
    };
    if format > SETTINGS_FORMAT {
        return Err(format!(
            "it was written by a newer version of the app (format {format}; this version \
             reads up to {SETTINGS_FORMAT})"
        ));
    }
    // Format 0 → 1 changed nothing but the version; a later format adds its step here.
    match file.remove("settings") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(settings) => serde_json::from_value(settings)
            .map(Some)
            .map_err(|e| format!("it does not have the expected shape: {e}")),
    }
}

impl SettingsStore for FileSettings {
    fn load(&self) -> Result<Option<Settings>, AppError> {
        let read = match fs::read(&self.path) {
            Ok(bytes) => read_settings(&bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => Err(format!("it could not be opened: {e}")),
        };
        match read {
            Ok(settings) => Ok(settings),
            Err(why) => {
                self.keep_aside(&why);
                Ok(None)
            }
        }
    }

    fn save(&self, settings: &Settings) -> Result<(), AppError> {
        if let Some(refusal) = self.refuse_saves.lock().clone() {
            return Err(AppError::internal(refusal));
        }
        let file = serde_json::json!({ "version": SETTINGS_FORMAT, "settings": settings });
        let bytes = serde_json::to_vec_pretty(&file)
            .map_err(|e| AppError::internal(format!("Your settings could not be saved: {e}.")))?;
        let written = match self.path.parent() {
            Some(folder) => files::create_private_dir(folder),
            None => Ok(()),
        };
        written
            .and_then(|()| files::replace(&self.path, &bytes))
            .map_err(|e| {
                AppError::internal(format!(
                    "Your settings could not be saved in {}: {e}.",
                    self.folder()
                ))
            })
    }

    fn notice(&self) -> Option<String> {
        self.notice.lock().clone()
    }
}

impl fmt::Debug for FileSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileSettings")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
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

    fn temp_file() -> PathBuf {
        std::env::temp_dir()
            .join(format!("hcd-settings-{}", uuid::Uuid::new_v4()))
            .join("io.example.app")
            .join("settings.json")
    }

    /// The files beside the settings file, by name.
    fn names_beside(path: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn work() -> Settings {
        let mut work = profile("a");
        work.production_projects = vec!["p-1".into()];
        Settings {
            profiles: vec![work],
            active_profile_id: Some("a".into()),
            ..Default::default()
        }
    }

    /// A file cut short by a crash (or any text that is not JSON) is kept aside, byte for byte,
    /// and never saved over; the app opens without it and says so.
    #[test]
    fn a_torn_file_is_kept_aside_and_never_saved_over() {
        let path = temp_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let torn = b"{\n  \"settings\": {\n    \"profiles\": [\n      {\n        \"id\": \"a\",";
        std::fs::write(&path, torn).unwrap();
        let store = FileSettings::new(&path);
        assert_eq!(store.load().unwrap(), None);
        let names = names_beside(&path);
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("settings.json.broken-"), "{names:?}");
        let aside = path.with_file_name(&names[0]);
        let notice = store.notice().expect("a notice");
        assert!(notice.contains(&names[0]), "{notice}");
        assert!(notice.contains("could not be read"), "{notice}");

        store.save(&work()).unwrap();
        assert_eq!(std::fs::read(&aside).unwrap(), torn);
        assert_eq!(FileSettings::new(&path).load().unwrap(), Some(work()));
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    /// JSON of another shape, or written by a newer version, is kept aside the same way: the
    /// app opens with defaults and a notice instead of failing to start.
    #[test]
    fn a_file_of_another_shape_or_a_newer_version_is_kept_aside() {
        for (text, why) in [
            (r#"{"settings": {"profiles": 5}}"#, "expected shape"),
            (
                r#"{"settings": {"profiles": [{"id": "a"}]}}"#,
                "expected shape",
            ),
            (r#"[1, 2]"#, "expected shape"),
            (r#""settings""#, "expected shape"),
            (r#"{"version": "one", "settings": {}}"#, "version"),
            (
                r#"{"version": 2, "settings": {"profiles": []}}"#,
                "newer version",
            ),
            ("", "not JSON"),
        ] {
            let path = temp_file();
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            let store = FileSettings::new(&path);
            assert_eq!(store.load().ok(), Some(None), "{text}");
            let notice = store.notice().unwrap_or_default();
            assert!(notice.contains(why), "{text}: {notice}");
            let names = names_beside(&path);
            assert!(
                names.len() == 1 && names[0].starts_with("settings.json.broken-"),
                "{names:?}"
            );
            let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
        }
    }

    /// The file tauri-plugin-store wrote (format 0, no version) is read as it is, with every
    /// profile and production mark, and the next save writes format 1.
    #[test]
    fn a_file_without_version_is_read_and_saved_as_version_1() {
        let path = temp_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let plugin_store = r##"{
  "settings": {
    "profiles": [
      {
        "id": "a",
        "name": "Work",
        "color": "#3b82f6",
        "endpoint": "https://data.pro.hasura.io/v1/graphql",
        "kind": "cloud",
        "productionProjects": [
          "p-1"
        ]
      }
    ],
    "activeProfileId": "a",
    "preferences": {
      "checkUpdatesAtStart": true
    }
  }
}"##;
        std::fs::write(&path, plugin_store).unwrap();
        let store = FileSettings::new(&path);
        assert_eq!(store.load().unwrap(), Some(work()));
        assert_eq!(store.notice(), None);
        store.save(&work()).unwrap();
        let saved: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(saved["version"], 1);
        assert_eq!(saved["settings"], serde_json::to_value(work()).unwrap());
        assert_eq!(FileSettings::new(&path).load().unwrap(), Some(work()));
        // A file with nothing saved yet, as the plugin left it.
        std::fs::write(&path, "{}").unwrap();
        assert_eq!(FileSettings::new(&path).load().unwrap(), None);
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    /// A save replaces the file whole and leaves nothing else beside it; the folder is made.
    #[test]
    fn a_save_replaces_the_file_whole() {
        let path = temp_file();
        let store = FileSettings::new(&path);
        assert_eq!(store.load().unwrap(), None);
        store.save(&work()).unwrap();
        store.save(&Settings::default()).unwrap();
        assert_eq!(names_beside(&path), ["settings.json"]);
        assert_eq!(store.load().unwrap(), Some(Settings::default()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    /// The app starts on a file it cannot read, with no profiles.
    #[tokio::test]
    async fn the_app_opens_on_a_file_it_cannot_read() {
        let path = temp_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, r#"{"settings": {"activeProfileId": 7}}"#).unwrap();
        let store = std::sync::Arc::new(FileSettings::new(&path));
        let app = crate::App::new(
            store.clone(),
            std::sync::Arc::new(crate::MemoryStore::new()),
        )
        .expect("the app opens");
        let state = app.get_state().await.unwrap();
        assert!(state.profiles.is_empty() && state.active_profile_id.is_none());
        assert!(store.notice().is_some());
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }
}
