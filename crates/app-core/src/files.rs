//! Files the app keeps beside its settings (the activity log, the offline project lists).

use std::fs;
use std::io;
use std::path::Path;

/// Writes `bytes` to `path` through a file beside it, then renames it into place: a crash leaves
/// the old file or the new one, never half of one.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    fs::write(&partial, bytes)?;
    fs::rename(&partial, path)
}
