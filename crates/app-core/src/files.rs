//! Files the app keeps beside its settings (the settings, the activity log, the offline project
//! lists) and the `.env` exports a person saves. Each is written whole or not at all, and only the
//! person running the app can read it: the settings name every project marked as production, and
//! an export holds every secret of a project.
//!
//! On Unix, files are created `0600` and folders `0700`, whatever the umask, and a file or folder
//! an older version left open to others is closed when next written. On Windows, permissions come
//! from ACLs: the app's files live in the per-user profile folder (`%APPDATA%\<identifier>`),
//! whose inherited ACLs grant only that user, SYSTEM and Administrators; an export takes the ACLs
//! of the folder the person chose to save it in.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` and any missing parents, readable only by this user; closes an existing `dir`
/// that others could read.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    close_to_others(dir, 0o700)?;
    Ok(())
}

/// Writes `bytes` to `path` through a new private file beside it, flushed to disk, then renamed
/// into place: a crash or a full disk leaves the old file or the new one, never half of one.
/// Any folder it goes in must exist.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let partial = partial_path(path);
    let written = write_new(&partial, bytes).and_then(|()| fs::rename(&partial, path));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written?;
    // The rename itself reaches the disk with the folder; a folder that cannot be synced (some
    // file systems, Windows) still holds the new file.
    if let Some(dir) = path.parent() {
        let _ = File::open(dir).and_then(|dir| dir.sync_all());
    }
    Ok(())
}

/// Opens `path` to append to it, creating it private; closes one that others could read.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).read(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    close_to_others(path, 0o600)?;
    Ok(file)
}

/// A name beside `path` no other writer uses: two saves at once never share a partial file.
fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let unique = uuid::Uuid::new_v4().simple().to_string();
    path.with_file_name(format!(".{name}.{}.partial", &unique[..12]))
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Sets `mode` on `path` when group or others have any access to it (the umask does not apply
/// to an existing file or folder).
#[cfg(unix)]
fn close_to_others(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = fs::metadata(path)?.permissions().mode();
    if current & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::activity::{ActivityEntry, ActivityKind, ActivityStore, FileActivity};
    use crate::offline::{CachedProjects, FileProjectsCache, ProjectsCache};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn temp_dir() -> PathBuf {
        std::env::temp_dir()
            .join(format!("hcd-files-{}", uuid::Uuid::new_v4()))
            .join("io.example.app")
    }

    /// Every file the app keeps is readable by its owner only, and so is the folder.
    #[test]
    fn the_app_files_and_their_folder_are_private() {
        let dir = temp_dir();
        let activity = FileActivity::new(dir.join("activity.jsonl"));
        activity
            .append(&ActivityEntry::now(
                "Work",
                false,
                ActivityKind::ProjectCreated,
                "Created shop",
            ))
            .unwrap();
        FileProjectsCache::new(&dir)
            .save("sandbox", &CachedProjects::now(vec![]))
            .unwrap();
        replace(&dir.join("export.env"), b"A=\"1\"\n").unwrap();
        assert_eq!(mode(&dir), 0o700, "the app's folder");
        for name in ["activity.jsonl", "projects-sandbox.json", "export.env"] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
        let _ = fs::remove_dir_all(dir.parent().unwrap());
    }

    /// Files and a folder an older version left readable by others are closed when next written.
    #[test]
    fn files_left_open_by_an_older_version_are_closed() {
        let dir = temp_dir();
        fs::create_dir_all(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        let log = dir.join("activity.jsonl");
        fs::write(&log, b"").unwrap();
        fs::set_permissions(&log, fs::Permissions::from_mode(0o644)).unwrap();
        FileActivity::new(&log)
            .append(&ActivityEntry::now(
                "Work",
                false,
                ActivityKind::ProjectCreated,
                "Created shop",
            ))
            .unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(&dir), 0o700);
        let _ = fs::remove_dir_all(dir.parent().unwrap());
    }
}
