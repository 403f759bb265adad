//! The types of the environment-variable editor that cross IPC (`docs/env-contract.md`). All serialize
//! with camelCase fields; enums carry the tags of the spec.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A variable of a project as loaded from Hasura Cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub key: String,
    /// The value; for a non-string value, its JSON text.
    pub value: String,
    /// The API sent a non-string value (rendered as JSON text).
    pub is_json: bool,
    /// The key (or, for URLs, the value) looks like a secret: the UI keeps it masked.
    pub secret_like: bool,
    /// First 12 hex digits of HMAC-SHA256(this install's secret, key + "\0" + value): compares
    /// values without showing them, and cannot be reversed by hashing guesses.
    pub fingerprint: String,
}

/// One edit a person makes. `{"op": "set", "key", "value"}` or `{"op": "remove", "key"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum EnvEdit {
    Set { key: String, value: String },
    Remove { key: String },
}

impl EnvEdit {
    pub fn key(&self) -> &str {
        match self {
            EnvEdit::Set { key, .. } | EnvEdit::Remove { key } => key,
        }
    }

    /// What the key should hold afterwards: a value, or nothing.
    pub(crate) fn into_wanted(self) -> (String, Option<String>) {
        match self {
            EnvEdit::Set { key, value } => (key, Some(value)),
            EnvEdit::Remove { key } => (key, None),
        }
    }
}

/// `"added" | "changed" | "removed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

/// A staged change against the base: `old_value` is `None` for an addition, `new_value` is `None`
/// for a removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvChange {
    pub key: String,
    pub kind: ChangeKind,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// `"error" | "warning"`. An error blocks applying; a warning does not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem with a key or value, for the person to see next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvIssue {
    pub key: String,
    pub severity: Severity,
    pub message: String,
}

/// A project's variables as loaded, and the edits staged against them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvDraft {
    pub tenant_id: String,
    /// The hash the edits are based on.
    pub base_hash: String,
    /// The project's variables as loaded (the base), sorted by key.
    pub vars: Vec<EnvVar>,
    /// The staged change set against the base, sorted by key.
    pub changes: Vec<EnvChange>,
    /// Problems of the staged values, sorted by key; any `error` blocks applying.
    pub issues: Vec<EnvIssue>,
    /// Staged keys whose new value looks secret ([`super::issues::secret_like`], the one rule:
    /// the UI flags a row from this and from [`EnvVar::secret_like`]), sorted.
    pub secret_staged: Vec<String>,
    /// When the base was read (RFC 3339).
    pub loaded_at: String,
    /// The variables as they were before each apply made this session, newest first (in memory
    /// only; gone on sign-out or a profile switch).
    pub snapshots: Vec<EnvSnapshot>,
    /// Someone else changed staged keys since the base was read (found by an apply or a
    /// reload): until `env_resolve` settles it (or `env_discard` drops the edits), applying is
    /// refused. The staged changes stay against the base shown in `vars`.
    pub conflict: Option<EnvConflict>,
}

/// What someone else changed under the staged edits: per key, base / theirs / mine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvConflict {
    /// The hash of their state, which `env_resolve` rebases the draft on.
    pub their_hash: String,
    /// Staged keys they changed differently: each needs a [`KeyResolution`].
    pub conflicts: Vec<ConflictEntry>,
    /// Staged keys that merge by themselves (they left them as the base had them, or made the
    /// same change). Sorted.
    pub merged_without_conflict: Vec<String>,
}

/// The variables as they were before an apply. Restoring one (`env_restore`) stages the edits
/// that bring them back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvSnapshot {
    pub id: u32,
    /// When it was taken, just before the apply (RFC 3339).
    pub taken_at: String,
    /// The keys that apply changed, sorted (no values: the list needs none).
    pub applied: Vec<KeyChange>,
}

/// A key and how it changed, without its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyChange {
    pub key: String,
    pub kind: ChangeKind,
}

/// A key both sides changed differently since the base was read. `None` means "not set".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConflictEntry {
    pub key: String,
    pub base: Option<String>,
    pub theirs: Option<String>,
    pub mine: Option<String>,
}

/// How to settle a conflict: `{"choose": "mine"}`, `{"choose": "theirs"}` or
/// `{"choose": "value", "value": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(
    tag = "choose",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Resolution {
    Mine,
    Theirs,
    Value { value: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyResolution {
    pub key: String,
    pub resolution: Resolution,
}

/// What applying a draft did, tagged `outcome`.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(
    tag = "outcome",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ApplyOutcome {
    /// Everything staged is live under `hash`; `draft` has nothing staged. Restoring snapshot
    /// `undo_snapshot` (`env_restore`) stages the values from before this apply.
    /// `confirmed_after_lost_answer`: a request's answer was lost (a timeout, a dropped
    /// connection, a gateway error) but reading the variables back showed exactly what was sent
    /// on top of what it was sent on.
    Applied {
        hash: String,
        changes: Vec<EnvChange>,
        undo_snapshot: u32,
        confirmed_after_lost_answer: bool,
        draft: EnvDraft,
    },
    /// There was nothing to send, or Hasura Cloud already had these values. Not an error.
    NothingChanged { draft: EnvDraft },
    /// Someone else changed the project since the draft was loaded; nothing was sent. Keys in
    /// `merged_without_conflict` merge by themselves; each of `conflicts` needs a
    /// [`KeyResolution`] (`env_resolve`). The same is in `draft.conflict`.
    Conflict {
        their_hash: String,
        conflicts: Vec<ConflictEntry>,
        merged_without_conflict: Vec<String>,
        draft: EnvDraft,
    },
    /// The additions and changes went through (`applied`, now under `hash`) but the removals
    /// failed (`not_applied`, still staged in `draft`) with `error`.
    Partial {
        applied: Vec<EnvChange>,
        not_applied: Vec<EnvChange>,
        error: AppError,
        hash: String,
        draft: EnvDraft,
    },
}

/// A line of an imported `.env` text that could not be read (1-based line number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportLineError {
    pub line: u32,
    pub message: String,
}

/// What importing a `.env` text would do to the draft's current view (base + staged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// Keys the project does not have.
    pub added: Vec<EnvChange>,
    /// Keys whose value would change.
    pub overwritten: Vec<EnvChange>,
    /// Keys that already have the imported value.
    pub unchanged: Vec<String>,
    pub errors: Vec<ImportLineError>,
    pub issues: Vec<EnvIssue>,
}

/// A key of a comparison, with fingerprints only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CompareRow {
    pub key: String,
    pub status: CompareStatus,
    pub left_fingerprint: Option<String>,
    pub right_fingerprint: Option<String>,
}

/// `"onlyLeft" | "onlyRight" | "different" | "same"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum CompareStatus {
    OnlyLeft,
    OnlyRight,
    Different,
    Same,
}

/// Two projects' variables side by side, by key. Never holds a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvComparison {
    pub left_tenant_id: String,
    pub right_tenant_id: String,
    pub rows: Vec<CompareRow>,
}

/// `"waiting" | "unhealthy" | "healthy" | "gaveUp"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum HealthPhase {
    /// Before the first check (the project needs a moment to start restarting).
    Waiting,
    /// A check did not answer 200.
    Unhealthy,
    /// `/healthz` answered 200. Final.
    Healthy,
    /// Still not healthy when the time allowed ran out. Final.
    GaveUp,
}

/// One step of watching a project's `/healthz` after an apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthProgress {
    pub phase: HealthPhase,
    /// Checks made so far (0 while waiting).
    pub attempt: u32,
    /// Since the watch started. A TypeScript `number`: it stays far below 2^53.
    #[specta(type = u32)]
    pub elapsed_ms: u64,
    /// HTTP status of the last check, if one answered.
    pub status: Option<u16>,
    pub message: String,
}
