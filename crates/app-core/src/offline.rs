//! The last project list seen per profile, kept so that the app can still show it — read-only,
//! and saying so — when Hasura Cloud cannot be reached. It holds what the list shows (names, ids,
//! regions, plans, endpoints): no token and no env value. Signing out or deleting the profile
//! forgets it.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::files;
use crate::projects::ProjectRow;

/// A project list as it was when last fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CachedProjects {
    /// When it was fetched, RFC 3339 (UTC, milliseconds).
    pub fetched_at: String,
    pub rows: Vec<ProjectRow>,
}

impl CachedProjects {
    pub fn now(rows: Vec<ProjectRow>) -> CachedProjects {
        CachedProjects {
            fetched_at: crate::env::now(),
            rows,
        }
    }
}

/// Where the lists are kept, per profile id.
pub trait ProjectsCache: Send + Sync {
    fn save(&self, profile_id: &str, list: &CachedProjects) -> Result<(), AppError>;
    fn load(&self, profile_id: &str) -> Result<Option<CachedProjects>, AppError>;
    fn forget(&self, profile_id: &str) -> Result<(), AppError>;
}

/// In memory (tests, and an app without a data folder).
#[derive(Default)]
pub struct MemoryProjectsCache(Mutex<HashMap<String, CachedProjects>>);

impl ProjectsCache for MemoryProjectsCache {
    fn save(&self, profile_id: &str, list: &CachedProjects) -> Result<(), AppError> {
        self.0.lock().insert(profile_id.to_owned(), list.clone());
        Ok(())
    }

    fn load(&self, profile_id: &str) -> Result<Option<CachedProjects>, AppError> {
        Ok(self.0.lock().get(profile_id).cloned())
    }

    fn forget(&self, profile_id: &str) -> Result<(), AppError> {
        self.0.lock().remove(profile_id);
        Ok(())
    }
}

/// One JSON file per profile in a folder (`projects-<profile id>.json`), replaced whole.
pub struct FileProjectsCache {
    dir: PathBuf,
}

impl FileProjectsCache {
    pub fn new(dir: impl Into<PathBuf>) -> FileProjectsCache {
        FileProjectsCache { dir: dir.into() }
    }

    /// `None` for an id that would not make a plain file name (ids are UUIDs or "sandbox").
    fn path(&self, profile_id: &str) -> Option<PathBuf> {
        let plain = !profile_id.is_empty()
            && profile_id.len() <= 64
            && profile_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        plain.then(|| self.dir.join(format!("projects-{profile_id}.json")))
    }
}

fn io_error(what: &str, error: &std::io::Error) -> AppError {
    AppError::internal(format!(
        "Could not {what} the project list kept for working offline: {error}."
    ))
}

impl ProjectsCache for FileProjectsCache {
    fn save(&self, profile_id: &str, list: &CachedProjects) -> Result<(), AppError> {
        let Some(path) = self.path(profile_id) else {
            return Ok(());
        };
        files::create_private_dir(&self.dir).map_err(|e| io_error("save", &e))?;
        let text = serde_json::to_vec(list)
            .map_err(|e| AppError::internal(format!("Could not keep the project list: {e}.")))?;
        files::replace(&path, &text).map_err(|e| io_error("save", &e))
    }

    fn load(&self, profile_id: &str) -> Result<Option<CachedProjects>, AppError> {
        let Some(path) = self.path(profile_id) else {
            return Ok(None);
        };
        match fs::read(&path) {
            // A damaged file is as good as none: the next successful list replaces it.
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read", &e)),
        }
    }

    fn forget(&self, profile_id: &str) -> Result<(), AppError> {
        let Some(path) = self.path(profile_id) else {
            return Ok(());
        };
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("forget", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> ProjectRow {
        ProjectRow {
            id: format!("id-{name}"),
            name: name.into(),
            endpoint: format!("https://{name}.hasura.app"),
            plan: Some("cloud_free".into()),
            tenant_id: Some(format!("t-{name}")),
            slug: Some(name.into()),
            cloud: Some("aws".into()),
            region: Some("us-east-2".into()),
            created_at: "2026-11-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn the_file_cache_keeps_one_list_per_profile_and_forgets_it() {
        let dir = std::env::temp_dir().join(format!("hcd-offline-{}", uuid::Uuid::new_v4()));
        let cache = FileProjectsCache::new(&dir);
        let profile = "0b7e0c4e-5a1f-4c55-9a55-2a43f0f0a001";
        assert_eq!(cache.load(profile).unwrap(), None);
        let list = CachedProjects::now(vec![row("shop"), row("billing")]);
        cache.save(profile, &list).unwrap();
        cache
            .save("other", &CachedProjects::now(vec![row("x")]))
            .unwrap();
        assert_eq!(cache.load(profile).unwrap(), Some(list));
        cache.forget(profile).unwrap();
        assert_eq!(cache.load(profile).unwrap(), None);
        assert_eq!(cache.load("other").unwrap().unwrap().rows.len(), 1);
        cache.forget(profile).unwrap();

        // A damaged file reads as no list; an id that is not a plain name is never a path.
        fs::write(dir.join("projects-other.json"), b"{\"fetchedAt\":").unwrap();
        assert_eq!(cache.load("other").unwrap(), None);
        for odd in ["../settings", "a/b", "", "x.json"] {
            cache.save(odd, &CachedProjects::now(vec![])).unwrap();
            assert_eq!(cache.load(odd).unwrap(), None);
        }
        let files = fs::read_dir(&dir).unwrap().count();
        assert_eq!(files, 1, "only projects-other.json");
        let _ = fs::remove_dir_all(dir);
    }
}
