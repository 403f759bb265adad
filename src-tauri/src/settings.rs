//! Non-secret settings (profiles, the active profile) in tauri-plugin-store's JSON file.

use std::sync::Arc;

use app_core::{AppError, Settings, SettingsStore};
use tauri::Runtime;
use tauri_plugin_store::Store;

const KEY: &str = "settings";

pub struct PluginSettings<R: Runtime>(pub Arc<Store<R>>);

fn storage_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal {
        message: format!("Your settings could not be saved or read: {e}"),
    }
}

impl<R: Runtime> SettingsStore for PluginSettings<R> {
    fn load(&self) -> Result<Option<Settings>, AppError> {
        match self.0.get(KEY) {
            None => Ok(None),
            Some(value) => serde_json::from_value(value)
                .map(Some)
                .map_err(storage_error),
        }
    }

    fn save(&self, settings: &Settings) -> Result<(), AppError> {
        self.0
            .set(KEY, serde_json::to_value(settings).map_err(storage_error)?);
        self.0.save().map_err(storage_error)
    }
}
