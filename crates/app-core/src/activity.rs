//! The activity log: a local record of what the app changed in Hasura Cloud — projects created,
//! renamed and deleted, env changes applied, preview apps started and cleaned up — so a person
//! can answer "what did I change, and when?". It holds names, ids, keys and value fingerprints,
//! never a value and never a token. It is kept on this computer only (a JSON Lines file beside
//! the settings); when the file passes [`MAX_FILE_BYTES`] it is cut to its newest entries.
//!
//! Writing it never fails the operation it records: a change that reached Hasura Cloud is not
//! reported as failed because the log could not be written.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::env::issues::Fingerprinter;
use crate::env::{ChangeKind, EnvChange};
use crate::error::AppError;
use crate::files;

/// At most this many entries are kept.
pub const KEEP_ENTRIES: usize = 2_000;
/// The file is cut when it grows past this …
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// … to its newest entries that fit in this.
const TRIM_TO_BYTES: usize = 1024 * 1024;
/// An apply of thousands of keys records the first this many (the summary gives the count).
const MAX_KEYS_PER_ENTRY: usize = 500;

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ActivityKind {
    ProjectCreated,
    ProjectRenamed,
    ProjectDeleted,
    EnvApplied,
    PreviewCreated,
    PreviewDeleted,
    CustomDomainAdded,
    CustomDomainDeleted,
    PlanChanged,
    CollaboratorInvited,
    InvitationResent,
    InvitationRevoked,
    CollaboratorPrivilegesChanged,
    CollaboratorRemoved,
}

/// One env key an apply changed: fingerprints of the value before and after (HMAC-SHA256 of key
/// and value with this install's secret, 12 hex digits), so two entries can be compared without
/// revealing either value, and a value cannot be found by hashing guesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyActivity {
    pub key: String,
    pub kind: ChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One change the app made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    /// When, RFC 3339 (UTC, milliseconds).
    pub at: String,
    /// The profile it was made with (its name when the change was made).
    pub profile_name: String,
    /// Whether that profile was the sandbox (nothing reached Hasura Cloud).
    pub sandbox: bool,
    pub kind: ActivityKind,
    /// The project's name when known (for an env apply, the name the app last saw for the
    /// tenant id in a list, a create or a rename).
    pub project_name: Option<String>,
    pub tenant_id: Option<String>,
    /// What happened, as a sentence for a person.
    pub summary: String,
    /// For env applies: each key changed.
    #[serde(default)]
    pub keys: Vec<KeyActivity>,
}

impl ActivityEntry {
    /// An entry stamped now.
    pub fn now(
        profile_name: &str,
        sandbox: bool,
        kind: ActivityKind,
        summary: impl Into<String>,
    ) -> ActivityEntry {
        ActivityEntry {
            at: crate::env::now(),
            profile_name: profile_name.to_string(),
            sandbox,
            kind,
            project_name: None,
            tenant_id: None,
            summary: summary.into(),
            keys: Vec::new(),
        }
    }

    pub fn project(mut self, name: Option<&str>, tenant_id: Option<&str>) -> ActivityEntry {
        self.project_name = name.map(str::to_string);
        self.tenant_id = tenant_id.map(str::to_string);
        self
    }

    pub fn keys(mut self, changes: &[EnvChange], fingerprints: &Fingerprinter) -> ActivityEntry {
        self.keys = changes
            .iter()
            .take(MAX_KEYS_PER_ENTRY)
            .map(|change| key_activity(change, fingerprints))
            .collect();
        self
    }
}

fn key_activity(change: &EnvChange, fingerprints: &Fingerprinter) -> KeyActivity {
    let print = |value: &Option<String>| {
        (value.as_deref()).map(|v| fingerprints.fingerprint(&change.key, v))
    };
    KeyActivity {
        key: change.key.clone(),
        kind: change.kind,
        before: print(&change.old_value),
        after: print(&change.new_value),
    }
}

/// "3 env changes: +NEW, ~CHANGED, −GONE" — keys only.
pub fn env_summary(changes: &[EnvChange]) -> String {
    const SHOWN: usize = 6;
    let mut keys: Vec<String> = changes
        .iter()
        .take(SHOWN)
        .map(|c| {
            let mark = match c.kind {
                ChangeKind::Added => '+',
                ChangeKind::Changed => '~',
                ChangeKind::Removed => '−',
            };
            format!("{mark}{}", c.key)
        })
        .collect();
    if changes.len() > SHOWN {
        keys.push(format!("and {} more", changes.len() - SHOWN));
    }
    let n = changes.len();
    let noun = if n == 1 { "change" } else { "changes" };
    format!("Applied {n} env {noun}: {}", keys.join(", "))
}

/// Where the activity log is kept.
pub trait ActivityStore: Send + Sync {
    fn append(&self, entry: &ActivityEntry) -> Result<(), AppError>;
    /// The newest `limit` entries, newest first.
    fn recent(&self, limit: usize) -> Result<Vec<ActivityEntry>, AppError>;
    fn clear(&self) -> Result<(), AppError>;
}

/// In memory (tests, and when the app has no data folder).
#[derive(Default)]
pub struct MemoryActivity(Mutex<Vec<ActivityEntry>>);

impl ActivityStore for MemoryActivity {
    fn append(&self, entry: &ActivityEntry) -> Result<(), AppError> {
        let mut entries = self.0.lock();
        entries.push(entry.clone());
        let excess = entries.len().saturating_sub(KEEP_ENTRIES);
        entries.drain(..excess);
        Ok(())
    }

    fn recent(&self, limit: usize) -> Result<Vec<ActivityEntry>, AppError> {
        Ok(self.0.lock().iter().rev().take(limit).cloned().collect())
    }

    fn clear(&self) -> Result<(), AppError> {
        self.0.lock().clear();
        Ok(())
    }
}

/// A JSON Lines file, one entry per line, appended to. A line that cannot be read (a torn write,
/// an entry from a newer version) is skipped, not fatal.
pub struct FileActivity {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileActivity {
    pub fn new(path: impl Into<PathBuf>) -> FileActivity {
        FileActivity {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    /// Every readable line, oldest first.
    fn lines(&self) -> Result<Vec<String>, AppError> {
        let file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("read", &e)),
        };
        Ok(BufReader::new(file).lines().map_while(Result::ok).collect())
    }

    /// Keeps the newest entries that fit in [`TRIM_TO_BYTES`], at most [`KEEP_ENTRIES`].
    fn trim(&self) -> Result<(), AppError> {
        let lines = self.lines()?;
        let mut size = 0;
        let mut keep = 0;
        for line in lines.iter().rev() {
            if keep == KEEP_ENTRIES || size + line.len() + 1 > TRIM_TO_BYTES {
                break;
            }
            size += line.len() + 1;
            keep += 1;
        }
        let mut text = lines[lines.len() - keep..].join("\n");
        text.push('\n');
        files::replace(&self.path, text.as_bytes()).map_err(|e| io_error("write", &e))
    }
}

/// Whether a file is empty or ends with a newline (a crash can leave a torn last line).
fn ends_a_line(file: &mut fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

fn to_line(entry: &ActivityEntry) -> Result<String, AppError> {
    let mut line = serde_json::to_string(entry)
        .map_err(|e| AppError::internal(format!("Could not record the activity: {e}.")))?;
    line.push('\n');
    Ok(line)
}

fn io_error(what: &str, error: &std::io::Error) -> AppError {
    AppError::internal(format!(
        "Could not {what} this computer's activity log: {error}."
    ))
}

impl ActivityStore for FileActivity {
    fn append(&self, entry: &ActivityEntry) -> Result<(), AppError> {
        let _guard = self.lock.lock();
        if let Some(dir) = self.path.parent() {
            files::create_private_dir(dir).map_err(|e| io_error("write", &e))?;
        }
        let mut file = files::open_private_append(&self.path).map_err(|e| io_error("write", &e))?;
        let mut line = to_line(entry)?;
        if !ends_a_line(&mut file).map_err(|e| io_error("write", &e))? {
            line.insert(0, '\n');
        }
        file.write_all(line.as_bytes())
            .map_err(|e| io_error("write", &e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        drop(file);
        if size > MAX_FILE_BYTES {
            self.trim()?;
        }
        Ok(())
    }

    fn recent(&self, limit: usize) -> Result<Vec<ActivityEntry>, AppError> {
        let _guard = self.lock.lock();
        Ok(self
            .lines()?
            .iter()
            .rev()
            .filter_map(|line| serde_json::from_str(line).ok())
            .take(limit)
            .collect())
    }

    fn clear(&self) -> Result<(), AppError> {
        let _guard = self.lock.lock();
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("clear", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(key: &str, kind: ChangeKind, old: Option<&str>, new: Option<&str>) -> EnvChange {
        EnvChange {
            key: key.into(),
            kind,
            old_value: old.map(Into::into),
            new_value: new.map(Into::into),
        }
    }

    fn temp_path() -> PathBuf {
        std::env::temp_dir()
            .join(format!("hcd-activity-{}", uuid::Uuid::new_v4()))
            .join("activity.jsonl")
    }

    #[test]
    fn env_entries_hold_keys_and_fingerprints_never_values() {
        let fingerprints = Fingerprinter::new(&[3u8; 32]);
        let changes = [
            change("NEW", ChangeKind::Added, None, Some("value-new-1234")),
            change(
                "DB",
                ChangeKind::Changed,
                Some("value-old-5678"),
                Some("value-new-9999"),
            ),
            change("GONE", ChangeKind::Removed, Some("value-gone-0000"), None),
        ];
        let entry = ActivityEntry::now(
            "Work",
            false,
            ActivityKind::EnvApplied,
            env_summary(&changes),
        )
        .project(None, Some("t-1"))
        .keys(&changes, &fingerprints);
        let json = serde_json::to_string(&entry).unwrap();
        assert!(!json.contains("value-"), "{json}");
        assert_eq!(entry.summary, "Applied 3 env changes: +NEW, ~DB, −GONE");
        assert_eq!(entry.keys[0].before, None);
        assert_eq!(
            entry.keys[0].after.as_deref(),
            Some(fingerprints.fingerprint("NEW", "value-new-1234").as_str())
        );
        assert_eq!(entry.keys[2].after, None);
        assert_ne!(entry.keys[1].before, entry.keys[1].after);
    }

    #[test]
    fn a_long_change_set_is_summarised() {
        let changes: Vec<EnvChange> = (0..9)
            .map(|i| change(&format!("K{i}"), ChangeKind::Added, None, Some("v")))
            .collect();
        assert_eq!(
            env_summary(&changes),
            "Applied 9 env changes: +K0, +K1, +K2, +K3, +K4, +K5, and 3 more"
        );
        assert_eq!(env_summary(&changes[..1]), "Applied 1 env change: +K0");
    }

    #[test]
    fn the_file_keeps_entries_newest_first_skips_damaged_lines_and_clears() {
        let path = temp_path();
        let log = FileActivity::new(&path);
        assert_eq!(log.recent(10).unwrap(), vec![]);
        for i in 0..3 {
            log.append(&ActivityEntry::now(
                "Work",
                false,
                ActivityKind::ProjectCreated,
                format!("Created p{i}"),
            ))
            .unwrap();
        }
        // A torn last line, as a crash mid-write would leave.
        let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"at\":\"2026-").unwrap();
        drop(file);
        log.append(&ActivityEntry::now(
            "Work",
            true,
            ActivityKind::ProjectDeleted,
            "Deleted p0",
        ))
        .unwrap();
        let summaries: Vec<String> = log
            .recent(10)
            .unwrap()
            .into_iter()
            .map(|e| e.summary)
            .collect();
        assert_eq!(
            summaries,
            ["Deleted p0", "Created p2", "Created p1", "Created p0"]
        );
        assert_eq!(log.recent(2).unwrap().len(), 2);
        log.clear().unwrap();
        assert_eq!(log.recent(10).unwrap(), vec![]);
        log.clear().unwrap();
        let _ = fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn the_file_is_cut_to_its_newest_entries_when_it_grows_too_big() {
        let path = temp_path();
        let log = FileActivity::new(&path);
        let padding = "x".repeat(4000);
        let count = 600; // about 2.4 MB
        for i in 0..count {
            log.append(&ActivityEntry::now(
                "Work",
                false,
                ActivityKind::ProjectCreated,
                format!("{i} {padding}"),
            ))
            .unwrap();
        }
        let size = fs::metadata(&path).unwrap().len();
        assert!(size <= MAX_FILE_BYTES, "{size} bytes");
        let all = log.recent(usize::MAX).unwrap();
        assert!(
            all.len() < count && all.len() > 200,
            "{} entries",
            all.len()
        );
        assert!(all[0].summary.starts_with(&format!("{} ", count - 1)));
        let numbers: Vec<usize> = all
            .iter()
            .map(|e| e.summary.split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert!(
            numbers.windows(2).all(|w| w[0] == w[1] + 1),
            "newest entries, none missing"
        );
        let _ = fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn memory_keeps_the_newest() {
        let log = MemoryActivity::default();
        for i in 0..(KEEP_ENTRIES + 5) {
            log.append(&ActivityEntry::now(
                "S",
                true,
                ActivityKind::PreviewCreated,
                i.to_string(),
            ))
            .unwrap();
        }
        let recent = log.recent(usize::MAX).unwrap();
        assert_eq!(recent.len(), KEEP_ENTRIES);
        assert_eq!(recent[0].summary, (KEEP_ENTRIES + 4).to_string());
    }
}
