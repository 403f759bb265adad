//! The environment-variable editor's logic (`docs/env-contract.md`): drafts of edits kept in Rust, change
//! sets, the three-way merge after a conflict, `.env` import and export, comparing projects, and
//! watching a project's health after an apply. The `App` methods that use these are in
//! `app/env.rs`.

pub mod diff;
pub mod dotenv;
pub mod health;
pub mod issues;
mod model;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::SecondsFormat;
use hasura_cloud::TenantEnv;

pub use diff::{EnvMap, Staged};
pub use health::HealthWatch;
pub use model::{
    ApplyOutcome, ChangeKind, CompareRow, CompareStatus, ConflictEntry, EnvChange, EnvComparison,
    EnvConflict, EnvDraft, EnvEdit, EnvIssue, EnvSnapshot, EnvVar, HealthPhase, HealthProgress,
    ImportLineError, ImportPreview, KeyChange, KeyResolution, Resolution, Severity,
};

/// How many snapshots a draft keeps; the oldest goes first.
pub(crate) const SNAPSHOTS_KEPT: usize = 20;

/// A tenant's variables as read from the API: values by key (JSON text for non-strings), and
/// which keys held non-string values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Loaded {
    pub hash: String,
    pub vars: EnvMap,
    pub json_keys: BTreeSet<String>,
    pub loaded_at: String,
    /// The variables as the UI sees them (flags and fingerprints worked out once per read, not
    /// on every edit).
    pub rows: Vec<EnvVar>,
}

impl Loaded {
    pub fn from_env(env: &TenantEnv, fingerprints: &issues::Fingerprinter) -> Self {
        let mut vars = EnvMap::new();
        let mut json_keys = BTreeSet::new();
        for var in &env.vars {
            vars.insert(var.key.clone(), var.value.text.clone());
            if var.value.is_json {
                json_keys.insert(var.key.clone());
            } else {
                json_keys.remove(&var.key);
            }
        }
        let rows = vars
            .iter()
            .map(|(key, value)| EnvVar {
                key: key.clone(),
                value: value.clone(),
                is_json: json_keys.contains(key),
                secret_like: issues::secret_like(key, value),
                fingerprint: fingerprints.fingerprint(key, value),
            })
            .collect();
        Self {
            hash: env.hash.clone(),
            vars,
            json_keys,
            loaded_at: now(),
            rows,
        }
    }
}

/// Now, RFC 3339 in UTC with milliseconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The variables as they were just before an apply, and what that apply changed. Kept in memory
/// with the draft (never written anywhere), so a person can go back to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub id: u32,
    pub taken_at: String,
    /// The config hash the variables had (what the project's workers ran before the apply).
    pub hash: String,
    pub vars: EnvMap,
    pub applied: Vec<EnvChange>,
}

/// A draft of one tenant: the base as loaded, the staged edits, and — after a conflict found by
/// an apply or a reload — the state someone else left, which `env_resolve` rebases onto (until
/// then, applying is refused). Also the snapshots taken before this session's applies (oldest
/// first; shared, so copying a draft for an edit does not copy them).
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub tenant_id: String,
    pub base: Loaded,
    pub staged: Staged,
    pub theirs: Option<Loaded>,
    pub snapshots: Vec<Arc<Snapshot>>,
}

impl Draft {
    pub fn new(tenant_id: String, base: Loaded) -> Self {
        Self {
            tenant_id,
            base,
            staged: Staged::new(),
            theirs: None,
            snapshots: Vec::new(),
        }
    }

    /// `applied` went through and the project is now `state`: the old base becomes a snapshot,
    /// `state` the new base, and the edits still staged (those not applied) stay.
    /// Returns the id of the snapshot taken: restoring it undoes this apply.
    pub fn applied(&mut self, state: Loaded, applied: Vec<EnvChange>) -> u32 {
        let id = self.snapshots.last().map_or(1, |s| s.id + 1);
        self.snapshots.push(Arc::new(Snapshot {
            id,
            taken_at: now(),
            hash: self.base.hash.clone(),
            vars: std::mem::take(&mut self.base.vars),
            applied,
        }));
        if self.snapshots.len() > SNAPSHOTS_KEPT {
            self.snapshots.remove(0);
        }
        self.written(state);
        id
    }

    /// Stages what turns the base back into snapshot `id`, in place of the staged edits (a
    /// pending conflict stays: it is worked out again against these edits).
    /// `false` when there is no such snapshot (any more).
    pub fn restore(&mut self, id: u32) -> bool {
        let Some(snapshot) = self.snapshots.iter().find(|s| s.id == id) else {
            return false;
        };
        self.staged = diff::staged_for(&self.base.vars, &snapshot.vars);
        true
    }

    /// The project is now `state` through our own write (made on the base with the hash
    /// check): it becomes the base; staged edits stay, those it already satisfies drop out.
    fn written(&mut self, state: Loaded) {
        self.base = state;
        diff::normalize(&self.base.vars, &mut self.staged);
        self.theirs = None;
    }

    /// The project as read again, `fresh`: when nobody else changed a staged key (or they made
    /// the same change) the draft moves onto it, the edits with it. When someone changed a staged
    /// key differently, the base and the edits stay and `fresh` is kept as their state, a
    /// conflict the person settles with `env_resolve`: a reload never turns "a → c" into
    /// "b → c" behind their back. True when it found a conflict.
    pub fn reload(&mut self, fresh: Loaded) -> bool {
        let merged = diff::merge(&self.base.vars, &fresh.vars, &self.staged);
        if merged.conflicts.is_empty() {
            self.base = fresh;
            self.staged = merged.rebased;
            self.theirs = None;
            false
        } else {
            self.theirs = Some(fresh);
            true
        }
    }

    /// Drops every staged edit and a pending conflict; after a conflict, their state (the
    /// newest read) becomes the base.
    pub fn discard(&mut self) {
        self.staged.clear();
        if let Some(theirs) = self.theirs.take() {
            self.base = theirs;
        }
    }

    /// The staged edits against `theirs`: per key, base / theirs / mine.
    pub fn conflict_with(&self, theirs: &Loaded) -> EnvConflict {
        let merged = diff::merge(&self.base.vars, &theirs.vars, &self.staged);
        EnvConflict {
            their_hash: theirs.hash.clone(),
            conflicts: merged.conflicts,
            merged_without_conflict: merged.merged_without_conflict,
        }
    }

    /// Base plus staged edits.
    pub fn current(&self) -> EnvMap {
        diff::view(&self.base.vars, &self.staged)
    }

    pub fn has_changes(&self) -> bool {
        !self.staged.is_empty()
    }

    pub fn changes(&self) -> Vec<EnvChange> {
        diff::change_set(&self.base.vars, &self.staged)
    }

    /// What the UI sees.
    pub fn to_view(&self) -> EnvDraft {
        let vars = self.base.rows.clone();
        let changes = self.changes();
        let issues = issues::issues_of_changes(&changes);
        let secret_staged = changes
            .iter()
            .filter(|c| {
                c.new_value
                    .as_deref()
                    .is_some_and(|value| issues::secret_like(&c.key, value))
            })
            .map(|c| c.key.clone())
            .collect();
        EnvDraft {
            tenant_id: self.tenant_id.clone(),
            base_hash: self.base.hash.clone(),
            vars,
            changes,
            issues,
            secret_staged,
            loaded_at: self.base.loaded_at.clone(),
            snapshots: self
                .snapshots
                .iter()
                .rev()
                .map(|s| EnvSnapshot {
                    id: s.id,
                    taken_at: s.taken_at.clone(),
                    applied: s
                        .applied
                        .iter()
                        .map(|c| KeyChange {
                            key: c.key.clone(),
                            kind: c.kind,
                        })
                        .collect(),
                })
                .collect(),
            conflict: self
                .theirs
                .as_ref()
                .map(|theirs| self.conflict_with(theirs)),
        }
    }
}

/// Rows by key of two projects' variables, with fingerprints only.
pub(crate) fn compare(
    left_tenant_id: String,
    left: &EnvMap,
    right_tenant_id: String,
    right: &EnvMap,
    fingerprints: &issues::Fingerprinter,
) -> EnvComparison {
    let keys: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    let rows = keys
        .into_iter()
        .map(|key| {
            let l = left.get(key).map(|v| fingerprints.fingerprint(key, v));
            let r = right.get(key).map(|v| fingerprints.fingerprint(key, v));
            let status = match (&l, &r) {
                (Some(_), None) => CompareStatus::OnlyLeft,
                (None, Some(_)) => CompareStatus::OnlyRight,
                (Some(a), Some(b)) if a == b && left.get(key) == right.get(key) => {
                    CompareStatus::Same
                }
                _ => CompareStatus::Different,
            };
            CompareRow {
                key: key.clone(),
                status,
                left_fingerprint: l,
                right_fingerprint: r,
            }
        })
        .collect();
    EnvComparison {
        left_tenant_id,
        right_tenant_id,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use hasura_cloud::{EnvLayout, parse_env_vars};
    use serde_json::json;

    use super::*;

    fn fingerprints() -> issues::Fingerprinter {
        issues::Fingerprinter::new(&[1u8; issues::FINGERPRINT_SECRET_BYTES])
    }

    fn loaded(raw: serde_json::Value) -> Loaded {
        let (vars, layout) = parse_env_vars(&raw).unwrap();
        Loaded::from_env(
            &TenantEnv {
                hash: "h1".into(),
                vars,
                layout,
            },
            &fingerprints(),
        )
    }

    #[test]
    fn a_draft_view_is_sorted_flagged_and_fingerprinted() {
        let base = loaded(json!({"environment": {
            "ZED": "z", "HASURA_GRAPHQL_ADMIN_SECRET": "s3cret", "COUNT": 3, "A_URL": "https://u:p@h/x"
        }}));
        let mut draft = Draft::new("t".into(), base);
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [
                EnvEdit::Set {
                    key: "HASURA_FOO".into(),
                    value: "1".into(),
                },
                EnvEdit::Remove { key: "ZED".into() },
            ],
        );
        let view = draft.to_view();
        assert_eq!(view.base_hash, "h1");
        let keys: Vec<&str> = view.vars.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(
            keys,
            ["A_URL", "COUNT", "HASURA_GRAPHQL_ADMIN_SECRET", "ZED"]
        );
        let count = &view.vars[1];
        assert!(count.is_json);
        assert_eq!(count.value, "3");
        assert!(view.vars[0].secret_like && view.vars[2].secret_like);
        assert!(!view.vars[3].secret_like);
        assert_eq!(
            view.vars[3].fingerprint,
            fingerprints().fingerprint("ZED", "z")
        );
        assert_eq!(view.changes.len(), 2);
        assert_eq!(view.issues.len(), 1);
        assert_eq!(view.issues[0].key, "HASURA_FOO");
        assert!(chrono::DateTime::parse_from_rfc3339(&view.loaded_at).is_ok());

        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["baseHash"], "h1");
        assert_eq!(json["vars"][1]["isJson"], true);
        assert_eq!(json["changes"][0]["kind"], "added");
        assert_eq!(json["changes"][0]["oldValue"], serde_json::Value::Null);
        assert_eq!(json["issues"][0]["severity"], "warning");
        assert!(json.get("loadedAt").is_some());
        let _ = EnvLayout::Nested;
    }

    #[test]
    fn staged_values_are_flagged_secret_by_the_same_rule_as_loaded_ones() {
        let base = loaded(json!({"DATABASE_URL": "file-backed", "PLAIN": "x"}));
        let mut draft = Draft::new("t".into(), base);
        let set = |key: &str, value: &str| EnvEdit::Set {
            key: key.into(),
            value: value.into(),
        };
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [
                set("PLAIN", "https://user:pw@hooks.example/x"),
                set("NEW_TOKEN", "abc"),
                set("NEW_HOMEPAGE_URL", "https://example.com/"),
                // A DATABASE_URL only when the value is one.
                set("DATABASE_URL", "not a url either"),
            ],
        );
        let view = draft.to_view();
        assert_eq!(view.secret_staged, ["NEW_TOKEN", "PLAIN"]);
        assert!(
            !view
                .vars
                .iter()
                .any(|v| v.key == "DATABASE_URL" && v.secret_like)
        );
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["secretStaged"], json!(["NEW_TOKEN", "PLAIN"]));
    }

    fn set(key: &str, value: &str) -> EnvEdit {
        EnvEdit::Set {
            key: key.into(),
            value: value.into(),
        }
    }

    fn loaded_as(hash: &str, raw: serde_json::Value) -> Loaded {
        Loaded {
            hash: hash.into(),
            ..loaded(raw)
        }
    }

    #[test]
    fn a_reload_moves_the_edits_onto_what_merges_by_itself() {
        let mut draft = Draft::new("t".into(), loaded(json!({"A": "1", "B": "2", "C": "3"})));
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [set("A", "10"), set("B", "20")],
        );
        // They made my change to A, and changed C, which I did not touch.
        let fresh = loaded_as("h2", json!({"A": "10", "B": "2", "C": "30"}));
        assert!(!draft.reload(fresh.clone()));
        assert_eq!(draft.base, fresh);
        assert_eq!(draft.staged.len(), 1);
        assert!(draft.staged.contains_key("B"));
        assert_eq!(draft.to_view().conflict, None);
    }

    #[test]
    fn a_reload_keeps_a_conflict_for_the_person_to_settle() {
        let base = loaded(json!({"X": "a", "Y": "1"}));
        let mut draft = Draft::new("t".into(), base.clone());
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [set("X", "c"), set("Y", "2")],
        );
        let theirs = loaded_as("h2", json!({"X": "b", "Y": "1"}));
        assert!(draft.reload(theirs.clone()));
        // Nothing moved: my edit is still a → c, on the base I made it on.
        assert_eq!(draft.base, base);
        assert_eq!(draft.changes()[0].old_value.as_deref(), Some("a"));
        let conflict = draft.to_view().conflict.unwrap();
        assert_eq!(conflict.their_hash, "h2");
        assert_eq!(
            conflict.conflicts,
            [ConflictEntry {
                key: "X".into(),
                base: Some("a".into()),
                theirs: Some("b".into()),
                mine: Some("c".into()),
            }]
        );
        assert_eq!(conflict.merged_without_conflict, ["Y"]);
        // Edits while it is pending are weighed against it again.
        diff::stage(&draft.base.vars, &mut draft.staged, [set("X", "b")]);
        let conflict = draft.to_view().conflict.unwrap();
        assert!(conflict.conflicts.is_empty());
        assert_eq!(conflict.merged_without_conflict, ["X", "Y"]);
        // A reload with nothing left to settle moves on.
        assert!(!draft.reload(theirs.clone()));
        assert_eq!(draft.base, theirs);
        assert_eq!(draft.changes().len(), 1, "Y: 1 → 2 stays");

        // Discarding after a conflict leaves their state as the base.
        let mut draft = Draft::new("t".into(), base);
        diff::stage(&draft.base.vars, &mut draft.staged, [set("X", "c")]);
        assert!(draft.reload(theirs.clone()));
        draft.discard();
        assert_eq!(draft.base, theirs);
        assert!(draft.staged.is_empty() && draft.theirs.is_none());
    }

    #[test]
    fn our_own_write_keeps_edits_the_new_base_lacks() {
        let mut draft = Draft::new("t".into(), loaded(json!({"A": "1", "B": "2"})));
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [set("A", "10"), set("B", "20")],
        );
        draft.written(loaded(json!({"A": "10", "B": "2"})));
        assert_eq!(draft.staged.len(), 1);
        assert!(draft.staged.contains_key("B"));
        assert!(draft.theirs.is_none());
    }

    #[test]
    fn applies_leave_snapshots_that_restore_stages_back() {
        let mut draft = Draft::new("t".into(), loaded(json!({"A": "1", "B": "2"})));
        let set = |key: &str, value: &str| EnvEdit::Set {
            key: key.into(),
            value: value.into(),
        };
        // First apply: A changed, C added.
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [set("A", "10"), set("C", "3")],
        );
        let first = draft.changes();
        draft.applied(
            loaded(json!({"A": "10", "B": "2", "C": "3"})),
            first.clone(),
        );
        assert!(draft.staged.is_empty());
        // Second apply: B removed. An edit not applied yet (D) stays staged.
        diff::stage(
            &draft.base.vars,
            &mut draft.staged,
            [EnvEdit::Remove { key: "B".into() }, set("D", "4")],
        );
        draft.applied(
            loaded(json!({"A": "10", "C": "3"})),
            vec![draft.changes()[0].clone()],
        );
        assert_eq!(
            draft.staged.len(),
            1,
            "the unapplied edit stays: {:?}",
            draft.staged
        );

        let view = draft.to_view();
        let ids: Vec<u32> = view.snapshots.iter().map(|s| s.id).collect();
        assert_eq!(ids, [2, 1], "newest first");
        let keys: Vec<(&str, ChangeKind)> = view.snapshots[1]
            .applied
            .iter()
            .map(|c| (c.key.as_str(), c.kind))
            .collect();
        assert_eq!(keys, [("A", ChangeKind::Changed), ("C", ChangeKind::Added)]);
        assert_eq!(draft.snapshots[0].applied, first);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(
            json["snapshots"][0]["applied"],
            json!([{"key": "B", "kind": "removed"}]),
            "keys and kinds only, no values"
        );
        assert!(json["snapshots"][0]["takenAt"].is_string());

        // Back to before the first apply: the staged edits are replaced by exactly its difference.
        assert!(draft.restore(1));
        assert_eq!(
            draft.current(),
            loaded(json!({"A": "1", "B": "2"})).vars,
            "restoring stages the old values and drops the staged D"
        );
        assert!(!draft.restore(99));

        for _ in 0..SNAPSHOTS_KEPT + 5 {
            draft.applied(loaded(json!({"A": "1"})), Vec::new());
        }
        assert_eq!(draft.snapshots.len(), SNAPSHOTS_KEPT);
        assert_eq!(draft.snapshots[0].id, 8, "the oldest went first");
    }

    #[test]
    fn comparison_rows() {
        let left: EnvMap = [("A", "1"), ("B", "2"), ("C", "3")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let right: EnvMap = [("B", "2"), ("C", "30"), ("D", "4")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let c = compare("l".into(), &left, "r".into(), &right, &fingerprints());
        let statuses: Vec<(&str, CompareStatus)> =
            c.rows.iter().map(|r| (r.key.as_str(), r.status)).collect();
        assert_eq!(
            statuses,
            [
                ("A", CompareStatus::OnlyLeft),
                ("B", CompareStatus::Same),
                ("C", CompareStatus::Different),
                ("D", CompareStatus::OnlyRight)
            ]
        );
        assert_eq!(c.rows[0].right_fingerprint, None);
        assert_eq!(c.rows[1].left_fingerprint, c.rows[1].right_fingerprint);
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"onlyLeft\"") && json.contains("\"leftFingerprint\""));
        for value in ["\"1\"", "\"30\"", "\"4\""] {
            assert!(!json.contains(value), "{json}");
        }
    }

    #[test]
    fn wire_shapes_of_the_tagged_enums() {
        let edits: Vec<EnvEdit> = serde_json::from_value(json!([
            {"op": "set", "key": "A", "value": "1"},
            {"op": "remove", "key": "B"}
        ]))
        .unwrap();
        assert_eq!(
            edits,
            [
                EnvEdit::Set {
                    key: "A".into(),
                    value: "1".into()
                },
                EnvEdit::Remove { key: "B".into() }
            ]
        );
        let resolutions: Vec<KeyResolution> = serde_json::from_value(json!([
            {"key": "A", "resolution": {"choose": "mine"}},
            {"key": "B", "resolution": {"choose": "theirs"}},
            {"key": "C", "resolution": {"choose": "value", "value": "x"}}
        ]))
        .unwrap();
        assert_eq!(
            resolutions[2].resolution,
            Resolution::Value { value: "x".into() }
        );
        // Every outcome carries the draft as it is afterwards.
        let draft = Draft::new("t".into(), loaded(json!({"A": "1"}))).to_view();
        let draft_json = serde_json::to_value(&draft).unwrap();
        assert_eq!(
            serde_json::to_value(ApplyOutcome::NothingChanged {
                draft: draft.clone()
            })
            .unwrap(),
            json!({"outcome": "nothingChanged", "draft": draft_json})
        );
        assert_eq!(
            serde_json::to_value(ApplyOutcome::Conflict {
                their_hash: "h".into(),
                conflicts: vec![ConflictEntry {
                    key: "A".into(),
                    base: None,
                    theirs: Some("t".into()),
                    mine: Some("m".into())
                }],
                merged_without_conflict: vec!["B".into()],
                draft: draft.clone(),
            })
            .unwrap(),
            json!({"outcome": "conflict", "theirHash": "h",
                   "conflicts": [{"key": "A", "base": null, "theirs": "t", "mine": "m"}],
                   "mergedWithoutConflict": ["B"], "draft": draft_json})
        );
        let partial = serde_json::to_value(ApplyOutcome::Partial {
            applied: vec![],
            not_applied: vec![],
            error: crate::AppError::internal("x"),
            hash: "h".into(),
            draft: draft.clone(),
        })
        .unwrap();
        assert_eq!(
            partial,
            json!({"outcome": "partial", "applied": [], "notApplied": [],
                   "error": {"kind": "internal", "message": "x"}, "hash": "h",
                   "draft": draft_json})
        );
        assert_eq!(
            serde_json::to_value(ApplyOutcome::Applied {
                hash: "h".into(),
                changes: vec![],
                undo_snapshot: 3,
                confirmed_after_lost_answer: true,
                draft: draft.clone(),
            })
            .unwrap(),
            json!({"outcome": "applied", "hash": "h", "changes": [], "undoSnapshot": 3,
                   "confirmedAfterLostAnswer": true, "draft": draft_json})
        );
        assert_eq!(draft_json["conflict"], serde_json::Value::Null);
        let conflicted = EnvDraft {
            conflict: Some(EnvConflict {
                their_hash: "h2".into(),
                conflicts: vec![ConflictEntry {
                    key: "A".into(),
                    base: Some("1".into()),
                    theirs: None,
                    mine: Some("m".into()),
                }],
                merged_without_conflict: vec!["B".into()],
            }),
            ..draft
        };
        assert_eq!(
            serde_json::to_value(&conflicted).unwrap()["conflict"],
            json!({"theirHash": "h2",
                   "conflicts": [{"key": "A", "base": "1", "theirs": null, "mine": "m"}],
                   "mergedWithoutConflict": ["B"]})
        );
        assert_eq!(
            serde_json::to_value(HealthProgress {
                phase: HealthPhase::GaveUp,
                attempt: 3,
                elapsed_ms: 1500,
                status: Some(503),
                message: "m".into()
            })
            .unwrap(),
            json!({"phase": "gaveUp", "attempt": 3, "elapsedMs": 1500, "status": 503, "message": "m"})
        );
        assert_eq!(
            serde_json::to_value([
                CompareStatus::OnlyLeft,
                CompareStatus::OnlyRight,
                CompareStatus::Different,
                CompareStatus::Same
            ])
            .unwrap(),
            json!(["onlyLeft", "onlyRight", "different", "same"])
        );
        assert_eq!(
            serde_json::to_value([ChangeKind::Added, ChangeKind::Changed, ChangeKind::Removed])
                .unwrap(),
            json!(["added", "changed", "removed"])
        );
        assert_eq!(
            serde_json::to_value([
                HealthPhase::Waiting,
                HealthPhase::Unhealthy,
                HealthPhase::Healthy
            ])
            .unwrap(),
            json!(["waiting", "unhealthy", "healthy"])
        );
        assert_eq!(
            serde_json::to_value(ImportLineError {
                line: 3,
                message: "m".into()
            })
            .unwrap(),
            json!({"line": 3, "message": "m"})
        );
    }
}
