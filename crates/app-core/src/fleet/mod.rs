//! Fleet env changes: one edit across many projects, and "where is this value used?". Pure
//! rules only — which projects a rule picks ([`select`]), what a change does to one project's
//! variables ([`plan_project`]), and the run as a state machine ([`run`]). The `App` methods
//! that read, apply and drive them are in `app/fleet.rs`.

pub mod run;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::env::diff::{self, EnvMap};
use crate::env::dotenv;
use crate::env::issues::Fingerprinter;
use crate::env::{ChangeKind, EnvEdit, KeyChange};
use crate::error::AppError;
use crate::projects::ProjectRow;

/// How many projects' variables are read at once: the API limits requests per token
/// (`cloud-api.md`, rate limits), and a handful in flight keeps well under it.
pub const READ_CONCURRENCY: usize = 4;

/// A rule that picks projects. Every part that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetRule {
    /// A name pattern: `*` any run of characters, `?` one; case-insensitive, whole name.
    pub name_pattern: Option<String>,
    pub region: Option<String>,
    pub plan: Option<String>,
    /// `Some(true)`: only projects marked production; `Some(false)`: only those not marked.
    pub production: Option<bool>,
    /// Only projects that have this variable (needs their variables read).
    pub has_key: Option<String>,
}

impl FleetRule {
    pub fn needs_env(&self) -> bool {
        self.has_key
            .as_deref()
            .is_some_and(|k| !k.trim().is_empty())
    }
}

/// Whether `pattern` (`*`, `?`) matches all of `name`, ignoring case.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.trim().to_lowercase().chars().collect();
    let name: Vec<char> = name.to_lowercase().chars().collect();
    // Greedy matching with one backtrack point: linear in practice, never exponential.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, n));
            p += 1;
        } else if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if let Some((sp, sn)) = star {
            p = sp + 1;
            n = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

fn same_text(wanted: Option<&str>, actual: Option<&str>) -> bool {
    match wanted.map(str::trim).filter(|w| !w.is_empty()) {
        None => true,
        Some(w) => actual.is_some_and(|a| a.trim().eq_ignore_ascii_case(w)),
    }
}

/// Whether `rule` picks `project`. `vars` are its variables when read (a `has_key` rule picks
/// nothing without them).
pub fn rule_matches(
    rule: &FleetRule,
    project: &ProjectRow,
    production: bool,
    vars: Option<&EnvMap>,
) -> bool {
    let name_ok = rule
        .name_pattern
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .is_none_or(|p| name_matches(p, &project.name));
    let key_ok = match rule
        .has_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => true,
        Some(key) => vars.is_some_and(|v| v.contains_key(key)),
    };
    name_ok
        && same_text(rule.region.as_deref(), project.region.as_deref())
        && same_text(rule.plan.as_deref(), project.plan.as_deref())
        && rule.production.is_none_or(|p| p == production)
        && key_ok
        && project.tenant_id.is_some()
}

/// One thing a fleet change does. `{"op": "set" | "delete" | "rename" | "dotenv" | "rotate"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum FleetChange {
    /// Add or change a variable.
    Set { key: String, value: String },
    /// Remove a variable.
    Delete { key: String },
    /// Move a value to another key name.
    Rename { from: String, to: String },
    /// Set every variable of a pasted `.env` block.
    Dotenv { text: String },
    /// Replace a value wherever it appears, under any key: the value is named by its
    /// [`value_fingerprint`], never sent to the UI.
    Rotate {
        value_fingerprint: String,
        new_value: String,
    },
}

/// The fingerprint of a value whatever key holds it (the key part of the keyed fingerprint is
/// empty, which no variable's key is, so it never equals a key's fingerprint).
pub fn value_fingerprint(fingerprints: &Fingerprinter, value: &str) -> String {
    fingerprints.fingerprint("", value)
}

fn checked_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if dotenv::is_dotenv_key(key) {
        Ok(key.to_owned())
    } else if key.is_empty() {
        Err(AppError::invalid("changes", "A variable name is missing."))
    } else {
        Err(AppError::invalid(
            "changes",
            format!(
                "“{key}” is not a variable name: use letters, digits and underscores, not \
                 starting with a digit."
            ),
        ))
    }
}

/// The changes checked and with `.env` blocks read, in the order given. Refuses an empty
/// list, a bad key, a `.env` block with unreadable lines, a rename onto itself.
pub fn checked_changes(changes: &[FleetChange]) -> Result<Vec<FleetChange>, AppError> {
    if changes.is_empty() {
        return Err(AppError::invalid(
            "changes",
            "Say what changes: set, delete or rename a variable, paste a .env block, or rotate a value.",
        ));
    }
    let mut out = Vec::new();
    for change in changes {
        match change {
            FleetChange::Set { key, value } => out.push(FleetChange::Set {
                key: checked_key(key)?,
                value: value.clone(),
            }),
            FleetChange::Delete { key } => out.push(FleetChange::Delete {
                key: checked_key(key)?,
            }),
            FleetChange::Rename { from, to } => {
                let (from, to) = (checked_key(from)?, checked_key(to)?);
                if from == to {
                    return Err(AppError::invalid(
                        "changes",
                        format!("Renaming {from} to itself changes nothing: give another name."),
                    ));
                }
                out.push(FleetChange::Rename { from, to });
            }
            FleetChange::Dotenv { text } => {
                let parsed = dotenv::parse(text);
                if let Some(first) = parsed.errors.first() {
                    return Err(AppError::invalid(
                        "changes",
                        format!(
                            "The pasted .env block cannot be read, line {}: {}",
                            first.line, first.message
                        ),
                    ));
                }
                if parsed.entries.is_empty() {
                    return Err(AppError::invalid(
                        "changes",
                        "The pasted .env block has no variables.",
                    ));
                }
                out.extend(parsed.entries.into_iter().map(|e| FleetChange::Set {
                    key: e.key,
                    value: e.value,
                }));
            }
            FleetChange::Rotate {
                value_fingerprint,
                new_value,
            } => {
                if value_fingerprint.trim().is_empty() {
                    return Err(AppError::invalid(
                        "changes",
                        "Find the projects with the old value first, then rotate it.",
                    ));
                }
                if new_value.is_empty() {
                    return Err(AppError::invalid(
                        "changes",
                        "Type the new value to rotate to.",
                    ));
                }
                out.push(change.clone());
            }
        }
    }
    Ok(out)
}

/// What a change means for one project. `"changes"`: something to send; `"alreadyAsAsked"`:
/// it already holds what was asked; `"doesNotApply"`: nothing to do because what the change
/// needs is missing (a key to delete or rename, a value to rotate); `"unreadable"`: its
/// variables could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum PlanStatus {
    Changes,
    AlreadyAsAsked,
    DoesNotApply,
    Unreadable,
}

/// One project in a preview: keys and kinds, never values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectPreview {
    pub tenant_id: String,
    pub project_id: String,
    pub name: String,
    pub production: bool,
    pub status: PlanStatus,
    pub changes: Vec<KeyChange>,
    /// Why a change does not apply here (or why the project could not be read).
    pub notes: Vec<String>,
}

/// What a change list does to one project's variables: the variables afterwards and why some
/// changes did not apply.
pub fn apply_changes(
    vars: &EnvMap,
    changes: &[FleetChange],
    fingerprints: &Fingerprinter,
) -> (EnvMap, Vec<String>) {
    let mut out = vars.clone();
    let mut notes = Vec::new();
    for change in changes {
        match change {
            FleetChange::Set { key, value } => {
                out.insert(key.clone(), value.clone());
            }
            FleetChange::Delete { key } => {
                if out.remove(key).is_none() {
                    notes.push(format!("{key} is not set here: nothing to delete."));
                }
            }
            FleetChange::Rename { from, to } => match out.remove(from) {
                Some(value) => {
                    out.insert(to.clone(), value);
                }
                None => notes.push(format!("{from} is not set here: nothing to rename.")),
            },
            // A `.env` block was turned into sets by `checked_changes`; one left here still
            // means its variables.
            FleetChange::Dotenv { text } => out.extend(dotenv::parse(text).to_map()),
            FleetChange::Rotate {
                value_fingerprint: wanted,
                new_value,
            } => {
                let mut found = false;
                for value in out.values_mut() {
                    if *value == *new_value || value_fingerprint(fingerprints, value) == *wanted {
                        if *value != *new_value {
                            *value = new_value.clone();
                        }
                        found = true;
                    }
                }
                if !found {
                    notes.push("The value to rotate is not used here.".to_owned());
                }
            }
        }
    }
    (out, notes)
}

/// The edits that turn `base` into `target`, and what they change (keys and kinds).
pub fn edits_between(base: &EnvMap, target: &EnvMap) -> (Vec<EnvEdit>, Vec<KeyChange>) {
    let changes = diff::diff(base, target);
    let kinds = changes
        .iter()
        .map(|c| KeyChange {
            key: c.key.clone(),
            kind: c.kind,
        })
        .collect();
    let edits = changes
        .into_iter()
        .map(|c| match (c.kind, c.new_value) {
            (ChangeKind::Removed, _) | (_, None) => EnvEdit::Remove { key: c.key },
            (_, Some(value)) => EnvEdit::Set { key: c.key, value },
        })
        .collect();
    (edits, kinds)
}

/// The plan of one project: the edits to stage on `vars` and what the preview shows.
pub fn plan_project(
    vars: &EnvMap,
    changes: &[FleetChange],
    fingerprints: &Fingerprinter,
) -> (Vec<EnvEdit>, PlanStatus, Vec<KeyChange>, Vec<String>) {
    let (target, notes) = apply_changes(vars, changes, fingerprints);
    let (edits, kinds) = edits_between(vars, &target);
    let status = if !edits.is_empty() {
        PlanStatus::Changes
    } else if notes.len() == changes.len() {
        // Nothing the change needs is here.
        PlanStatus::DoesNotApply
    } else {
        PlanStatus::AlreadyAsAsked
    };
    (edits, status, kinds, notes)
}

/// The way back after an apply: per key, the value it had before (`None`: it did not exist).
/// Applied to the project as it is now, it touches only the keys the apply changed.
pub fn undo_target(now: &EnvMap, before: &BTreeMap<String, Option<String>>) -> EnvMap {
    let mut out = now.clone();
    for (key, old) in before {
        match old {
            Some(value) => {
                out.insert(key.clone(), value.clone());
            }
            None => {
                out.remove(key);
            }
        }
    }
    out
}

/// Where a value is used: a project and the keys holding it there. Never the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageRow {
    pub tenant_id: String,
    pub project_id: String,
    pub name: String,
    pub production: bool,
    pub keys: Vec<String>,
}

/// The keys of `vars` whose value has `fingerprint` ([`value_fingerprint`]).
pub fn keys_with_value(
    vars: &EnvMap,
    fingerprint: &str,
    fingerprints: &Fingerprinter,
) -> Vec<String> {
    vars.iter()
        .filter(|(_, v)| value_fingerprint(fingerprints, v) == fingerprint)
        .map(|(k, _)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::env::issues::FINGERPRINT_SECRET_BYTES;

    fn fp() -> Fingerprinter {
        Fingerprinter::new(&[7u8; FINGERPRINT_SECRET_BYTES])
    }

    fn map(pairs: &[(&str, &str)]) -> EnvMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn row(name: &str, region: &str, plan: &str) -> ProjectRow {
        ProjectRow {
            id: format!("id-{name}"),
            name: name.into(),
            endpoint: String::new(),
            plan: Some(plan.into()),
            tenant_id: Some(format!("t-{name}")),
            slug: None,
            cloud: None,
            region: Some(region.into()),
            created_at: String::new(),
        }
    }

    #[test]
    fn name_patterns() {
        assert!(name_matches("shop-*", "shop-staging"));
        assert!(name_matches("SHOP-*", "shop-prod"));
        assert!(name_matches("*-prod", "shop-prod"));
        assert!(name_matches("shop-?rod", "shop-prod"));
        assert!(name_matches("*", ""));
        assert!(name_matches("a*b*c", "axxbyyc"));
        assert!(!name_matches("shop-*", "blog-prod"));
        assert!(!name_matches("shop", "shop-prod"), "the whole name");
        assert!(!name_matches("a*b*c", "axxbyy"));
    }

    #[test]
    fn rules_pick_by_every_part_set() {
        let staging = row("shop-staging", "us-east-2", "cloud_free");
        let prod = row("shop-prod", "eu-west-1", "cloud_payg");
        let vars = map(&[("STRIPE_KEY", "x")]);
        let rule = FleetRule {
            name_pattern: Some("shop-*".into()),
            ..FleetRule::default()
        };
        assert!(rule_matches(&rule, &staging, false, None));
        assert!(rule_matches(&rule, &prod, true, None));
        let rule = FleetRule {
            region: Some("EU-WEST-1".into()),
            production: Some(true),
            ..FleetRule::default()
        };
        assert!(!rule_matches(&rule, &staging, false, None));
        assert!(rule_matches(&rule, &prod, true, None));
        assert!(!rule_matches(&rule, &prod, false, None), "not marked");
        let rule = FleetRule {
            plan: Some("cloud_free".into()),
            has_key: Some("STRIPE_KEY".into()),
            ..FleetRule::default()
        };
        assert!(rule.needs_env());
        assert!(!rule_matches(&rule, &staging, false, None), "not read yet");
        assert!(rule_matches(&rule, &staging, false, Some(&vars)));
        assert!(!rule_matches(&rule, &staging, false, Some(&map(&[]))));
        let mut tenantless = staging.clone();
        tenantless.tenant_id = None;
        assert!(!rule_matches(
            &FleetRule::default(),
            &tenantless,
            false,
            None
        ));
    }

    #[test]
    fn set_delete_rename_per_project() {
        let changes = checked_changes(&[
            FleetChange::Set {
                key: "A".into(),
                value: "1".into(),
            },
            FleetChange::Delete { key: "OLD".into() },
            FleetChange::Rename {
                from: "DB".into(),
                to: "DATABASE_URL".into(),
            },
        ])
        .unwrap();
        let (edits, status, kinds, notes) = plan_project(
            &map(&[("A", "0"), ("OLD", "x"), ("DB", "postgres://h/db")]),
            &changes,
            &fp(),
        );
        assert_eq!(status, PlanStatus::Changes);
        assert!(notes.is_empty());
        let seen: Vec<(&str, ChangeKind)> =
            kinds.iter().map(|k| (k.key.as_str(), k.kind)).collect();
        assert_eq!(
            seen,
            [
                ("A", ChangeKind::Changed),
                ("DATABASE_URL", ChangeKind::Added),
                ("DB", ChangeKind::Removed),
                ("OLD", ChangeKind::Removed),
            ]
        );
        assert!(edits.contains(&EnvEdit::Set {
            key: "DATABASE_URL".into(),
            value: "postgres://h/db".into()
        }));

        // Already as asked: A is 1, and the rest is missing (noted, not an error).
        let (edits, status, _, notes) = plan_project(&map(&[("A", "1")]), &changes, &fp());
        assert!(edits.is_empty());
        assert_eq!(status, PlanStatus::AlreadyAsAsked);
        assert_eq!(
            notes,
            [
                "OLD is not set here: nothing to delete.",
                "DB is not set here: nothing to rename."
            ]
        );

        // Only a delete of a missing key: does not apply.
        let delete = [FleetChange::Delete { key: "GONE".into() }];
        let (_, status, kinds, _) = plan_project(&map(&[("A", "1")]), &delete, &fp());
        assert_eq!((status, kinds.len()), (PlanStatus::DoesNotApply, 0));
        let rename = [FleetChange::Rename {
            from: "GONE".into(),
            to: "NEW".into(),
        }];
        let (_, status, _, _) = plan_project(&map(&[]), &rename, &fp());
        assert_eq!(status, PlanStatus::DoesNotApply);
    }

    #[test]
    fn rotation_replaces_a_value_under_any_key() {
        let old = "sk_test_old";
        let changes = [FleetChange::Rotate {
            value_fingerprint: value_fingerprint(&fp(), old),
            new_value: "sk_test_new".into(),
        }];
        let vars = map(&[
            ("STRIPE_KEY", old),
            ("PAYMENTS_SECRET", old),
            ("OTHER", "sk_test_other"),
        ]);
        assert_eq!(
            keys_with_value(&vars, &value_fingerprint(&fp(), old), &fp()),
            ["PAYMENTS_SECRET", "STRIPE_KEY"]
        );
        let (edits, status, kinds, _) = plan_project(&vars, &changes, &fp());
        assert_eq!(status, PlanStatus::Changes);
        assert_eq!(kinds.len(), 2);
        assert!(kinds.iter().all(|k| k.kind == ChangeKind::Changed));
        assert!(
            edits
                .iter()
                .all(|e| matches!(e, EnvEdit::Set { value, .. } if value == "sk_test_new"))
        );
        // A project already rotated; one that never had it.
        let done = map(&[("STRIPE_KEY", "sk_test_new")]);
        assert_eq!(
            plan_project(&done, &changes, &fp()).1,
            PlanStatus::AlreadyAsAsked
        );
        let never = map(&[("STRIPE_KEY", "sk_live_else")]);
        assert_eq!(
            plan_project(&never, &changes, &fp()).1,
            PlanStatus::DoesNotApply
        );
        // A value fingerprint is not the keyed fingerprint of any key.
        assert_ne!(
            value_fingerprint(&fp(), old),
            fp().fingerprint("STRIPE_KEY", old)
        );
    }

    #[test]
    fn dotenv_blocks_and_bad_input() {
        let changes = checked_changes(&[FleetChange::Dotenv {
            text: "# pasted\nA=1\nexport B=\"two words\"\n".into(),
        }])
        .unwrap();
        assert_eq!(
            changes,
            [
                FleetChange::Set {
                    key: "A".into(),
                    value: "1".into()
                },
                FleetChange::Set {
                    key: "B".into(),
                    value: "two words".into()
                }
            ]
        );
        for bad in [
            vec![],
            vec![FleetChange::Set {
                key: "1BAD".into(),
                value: String::new(),
            }],
            vec![FleetChange::Delete { key: " ".into() }],
            vec![FleetChange::Rename {
                from: "A".into(),
                to: "A".into(),
            }],
            vec![FleetChange::Dotenv {
                text: "A=\"unterminated".into(),
            }],
            vec![FleetChange::Dotenv {
                text: "# only a comment".into(),
            }],
            vec![FleetChange::Rotate {
                value_fingerprint: "abc".into(),
                new_value: String::new(),
            }],
        ] {
            let error = checked_changes(&bad).unwrap_err();
            assert_eq!(error.kind(), "invalidInput", "{bad:?}");
            assert!(!error.message().is_empty());
        }
    }

    #[test]
    fn undo_puts_back_only_the_keys_changed() {
        let before: BTreeMap<String, Option<String>> = [
            ("A".to_string(), Some("1".to_string())),
            ("NEW".to_string(), None),
        ]
        .into();
        let now = map(&[("A", "2"), ("NEW", "x"), ("THEIRS", "later")]);
        assert_eq!(
            undo_target(&now, &before),
            map(&[("A", "1"), ("THEIRS", "later")])
        );
    }

    #[test]
    fn the_wire_shape_of_changes() {
        let parsed: Vec<FleetChange> = serde_json::from_value(serde_json::json!([
            {"op": "set", "key": "A", "value": "1"},
            {"op": "delete", "key": "B"},
            {"op": "rename", "from": "C", "to": "D"},
            {"op": "dotenv", "text": "E=5"},
            {"op": "rotate", "valueFingerprint": "ab12", "newValue": "n"}
        ]))
        .unwrap();
        assert_eq!(parsed.len(), 5);
        assert_eq!(
            serde_json::to_value(PlanStatus::AlreadyAsAsked).unwrap(),
            "alreadyAsAsked"
        );
    }

    fn key() -> impl Strategy<Value = String> {
        "[A-E]"
    }

    fn vars() -> impl Strategy<Value = EnvMap> {
        prop::collection::btree_map(key(), "[xyz]{1,2}", 0..5)
    }

    fn change() -> impl Strategy<Value = FleetChange> {
        prop_oneof![
            (key(), "[xyz]{1,2}").prop_map(|(key, value)| FleetChange::Set { key, value }),
            key().prop_map(|key| FleetChange::Delete { key }),
            (key(), key())
                .prop_filter("a rename to another key", |(a, b)| a != b)
                .prop_map(|(from, to)| FleetChange::Rename { from, to }),
        ]
    }

    proptest! {
        /// Staging the planned edits on the base gives exactly what the changes ask, and a
        /// second plan on that result has nothing left to send.
        #[test]
        fn plans_are_exact_and_idempotent(base in vars(), changes in prop::collection::vec(change(), 1..4)) {
            let (target, _) = apply_changes(&base, &changes, &fp());
            let (edits, status, kinds, _) = plan_project(&base, &changes, &fp());
            let mut staged = diff::Staged::new();
            diff::stage(&base, &mut staged, edits.clone());
            prop_assert_eq!(diff::view(&base, &staged), target.clone());
            prop_assert_eq!(edits.len(), kinds.len());
            prop_assert_eq!(status == PlanStatus::Changes, !edits.is_empty());
            let (again, status, _, _) = plan_project(&target, &changes, &fp());
            // Renames and deletes that already happened leave nothing to do.
            let repeat_safe = changes.iter().all(|c| matches!(c, FleetChange::Set { .. }));
            if repeat_safe {
                prop_assert!(again.is_empty());
                prop_assert_ne!(status, PlanStatus::Changes);
            }
            // Undo brings the base back.
            let before: BTreeMap<String, Option<String>> = kinds
                .iter()
                .map(|k| (k.key.clone(), base.get(&k.key).cloned()))
                .collect();
            prop_assert_eq!(undo_target(&target, &before), base);
        }

        #[test]
        fn name_matching_never_panics(pattern in ".{0,12}", name in ".{0,12}") {
            let _ = name_matches(&pattern, &name);
            prop_assert!(name_matches("*", &name));
            // A name without wildcards matches itself (the pattern's outer spaces are ignored).
            let plain = name.replace(['*', '?'], "x").trim().to_owned();
            prop_assert!(name_matches(&plain, &plain));
        }
    }
}
