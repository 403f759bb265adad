//! Change sets, diffs and the three-way merge, on plain sorted maps. No I/O.
//!
//! A draft is a base (`EnvMap`, the variables as loaded) plus staged edits ([`Staged`]: per key,
//! `Some(value)` to set it or `None` to remove it). Staged edits are kept *normalized*: an edit
//! that leaves a key as the base has it is not staged at all.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::model::{ChangeKind, ConflictEntry, EnvChange, EnvEdit, KeyResolution, Resolution};

/// Variables by key (sorted). Non-string values are held as their JSON text.
pub type EnvMap = BTreeMap<String, String>;

/// Staged edits by key: `Some(value)` sets the key, `None` removes it.
pub type Staged = BTreeMap<String, Option<String>>;

/// Applies `edits` in order to `staged`. An edit that leaves the key as `base` has it un-stages
/// the key (so setting a value back to the base value, or removing a key that was only added,
/// leaves no change behind).
pub fn stage(base: &EnvMap, staged: &mut Staged, edits: impl IntoIterator<Item = EnvEdit>) {
    for edit in edits {
        let (key, wanted) = edit.into_wanted();
        if base.get(&key) == wanted.as_ref() {
            staged.remove(&key);
        } else {
            staged.insert(key, wanted);
        }
    }
}

/// Drops staged edits that `base` already satisfies (after a rebase on a new base).
pub fn normalize(base: &EnvMap, staged: &mut Staged) {
    staged.retain(|key, wanted| base.get(key) != wanted.as_ref());
}

/// The change for one key, or `None` when `old` and `new` agree.
fn change(key: &str, old: Option<&String>, new: Option<&String>) -> Option<EnvChange> {
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(o), Some(n)) if o != n => ChangeKind::Changed,
        _ => return None,
    };
    Some(EnvChange {
        key: key.to_owned(),
        kind,
        old_value: old.cloned(),
        new_value: new.cloned(),
    })
}

/// The staged edits as changes against `base`, sorted by key.
pub fn change_set(base: &EnvMap, staged: &Staged) -> Vec<EnvChange> {
    staged
        .iter()
        .filter_map(|(key, wanted)| change(key, base.get(key), wanted.as_ref()))
        .collect()
}

/// The changes that turn `base` into `target`, sorted by key: one merge walk over both maps.
pub fn diff(base: &EnvMap, target: &EnvMap) -> Vec<EnvChange> {
    let mut out = Vec::new();
    let mut left = base.iter().peekable();
    let mut right = target.iter().peekable();
    loop {
        let step = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((l, _)), Some((r, _))) => l.cmp(r),
        };
        match step {
            Ordering::Less => {
                if let Some((key, old)) = left.next() {
                    out.extend(change(key, Some(old), None));
                }
            }
            Ordering::Greater => {
                if let Some((key, new)) = right.next() {
                    out.extend(change(key, None, Some(new)));
                }
            }
            Ordering::Equal => {
                if let (Some((key, old)), Some((_, new))) = (left.next(), right.next()) {
                    out.extend(change(key, Some(old), Some(new)));
                }
            }
        }
    }
    out
}

/// The staged edits that turn `base` into `target` (normalized).
pub fn staged_for(base: &EnvMap, target: &EnvMap) -> Staged {
    diff(base, target)
        .into_iter()
        .map(|c| (c.key, c.new_value))
        .collect()
}

/// The current view: `base` with `staged` applied.
pub fn view(base: &EnvMap, staged: &Staged) -> EnvMap {
    let mut out = base.clone();
    for (key, wanted) in staged {
        match wanted {
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

/// The result of merging staged edits made on `base` with `theirs`, per key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Merge {
    /// Keys both sides changed, differently.
    pub conflicts: Vec<ConflictEntry>,
    /// Staged keys that merge by themselves: they left it as the base had it, or made the same
    /// change. Sorted.
    pub merged_without_conflict: Vec<String>,
    /// The staged edits that merge by themselves, rebased on `theirs` (normalized: a key they
    /// changed the same way is no longer staged).
    pub rebased: Staged,
}

/// Three-way merge of `staged` (mine, made on `base`) with `theirs` (now). Per staged key:
/// theirs == base → my edit stands; theirs == mine → nothing left to do; otherwise a conflict.
/// Keys I did not touch simply follow theirs.
pub fn merge(base: &EnvMap, theirs: &EnvMap, staged: &Staged) -> Merge {
    let mut out = Merge::default();
    for (key, mine) in staged {
        let b = base.get(key);
        let t = theirs.get(key);
        let m = mine.as_ref();
        if t == m {
            out.merged_without_conflict.push(key.clone());
        } else if t == b {
            out.merged_without_conflict.push(key.clone());
            out.rebased.insert(key.clone(), mine.clone());
        } else {
            out.conflicts.push(ConflictEntry {
                key: key.clone(),
                base: b.cloned(),
                theirs: t.cloned(),
                mine: mine.clone(),
            });
        }
    }
    out
}

/// Staged edits on `theirs` after settling every conflict of `merge` with `resolutions`. On
/// failure, the conflicting keys without a resolution (sorted). Resolutions of keys that are not
/// in conflict are ignored; the last resolution of a key wins.
pub fn resolve(
    theirs: &EnvMap,
    merge: &Merge,
    resolutions: &[KeyResolution],
) -> Result<Staged, Vec<String>> {
    let chosen: BTreeMap<&str, &Resolution> = resolutions
        .iter()
        .map(|r| (r.key.as_str(), &r.resolution))
        .collect();
    let mut staged = merge.rebased.clone();
    let mut unresolved = Vec::new();
    for conflict in &merge.conflicts {
        match chosen.get(conflict.key.as_str()) {
            None => unresolved.push(conflict.key.clone()),
            Some(Resolution::Theirs) => {}
            Some(Resolution::Mine) => {
                staged.insert(conflict.key.clone(), conflict.mine.clone());
            }
            Some(Resolution::Value { value }) => {
                staged.insert(conflict.key.clone(), Some(value.clone()));
            }
        }
    }
    if !unresolved.is_empty() {
        return Err(unresolved);
    }
    normalize(theirs, &mut staged);
    Ok(staged)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn map(pairs: &[(&str, &str)]) -> EnvMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn set(key: &str, value: &str) -> EnvEdit {
        EnvEdit::Set {
            key: key.into(),
            value: value.into(),
        }
    }

    fn remove(key: &str) -> EnvEdit {
        EnvEdit::Remove { key: key.into() }
    }

    fn kinds(changes: &[EnvChange]) -> Vec<(&str, ChangeKind)> {
        changes.iter().map(|c| (c.key.as_str(), c.kind)).collect()
    }

    #[test]
    fn diff_finds_adds_changes_removes_in_key_order() {
        let base = map(&[("A", "1"), ("B", "2"), ("C", "3"), ("E", "5")]);
        let target = map(&[("B", "2"), ("C", "33"), ("D", "4"), ("E", "5"), ("F", "6")]);
        let changes = diff(&base, &target);
        assert_eq!(
            kinds(&changes),
            [
                ("A", ChangeKind::Removed),
                ("C", ChangeKind::Changed),
                ("D", ChangeKind::Added),
                ("F", ChangeKind::Added)
            ]
        );
        assert_eq!(changes[0].old_value.as_deref(), Some("1"));
        assert_eq!(changes[0].new_value, None);
        assert_eq!(changes[1].old_value.as_deref(), Some("3"));
        assert_eq!(changes[1].new_value.as_deref(), Some("33"));
        assert_eq!(changes[2].old_value, None);
        assert!(diff(&base, &base).is_empty());
        assert!(diff(&EnvMap::new(), &EnvMap::new()).is_empty());
        assert_eq!(diff(&EnvMap::new(), &base).len(), 4);
        assert_eq!(diff(&base, &EnvMap::new()).len(), 4);
    }

    #[test]
    fn staging_and_unstaging() {
        let base = map(&[("A", "1"), ("B", "2")]);
        let mut staged = Staged::new();
        stage(
            &base,
            &mut staged,
            [set("A", "10"), set("C", "3"), remove("B")],
        );
        assert_eq!(
            kinds(&change_set(&base, &staged)),
            [
                ("A", ChangeKind::Changed),
                ("B", ChangeKind::Removed),
                ("C", ChangeKind::Added)
            ]
        );
        // Back to the base value: un-staged.
        stage(&base, &mut staged, [set("A", "1")]);
        assert!(!staged.contains_key("A"));
        // Re-adding a removed key with its old value: un-staged.
        stage(&base, &mut staged, [set("B", "2")]);
        assert!(!staged.contains_key("B"));
        // Removing a key that was only added: un-staged.
        stage(&base, &mut staged, [remove("C")]);
        assert!(staged.is_empty());
        // Removing a key the base does not have: nothing.
        stage(&base, &mut staged, [remove("Z")]);
        assert!(staged.is_empty());
        // The last edit of a key wins.
        stage(&base, &mut staged, [set("A", "x"), set("A", "y")]);
        assert_eq!(staged.get("A"), Some(&Some("y".to_owned())));
        // An empty value is a value, not a removal.
        stage(&base, &mut staged, [set("B", "")]);
        assert_eq!(
            change_set(&base, &staged)[1],
            EnvChange {
                key: "B".into(),
                kind: ChangeKind::Changed,
                old_value: Some("2".into()),
                new_value: Some(String::new())
            }
        );
        assert_eq!(view(&base, &staged), map(&[("A", "y"), ("B", "")]));
    }

    #[test]
    fn normalize_after_a_rebase() {
        let new_base = map(&[("A", "10"), ("C", "3")]);
        let mut staged: Staged = [
            ("A".to_owned(), Some("10".to_owned())),
            ("B".to_owned(), None),
            ("C".to_owned(), Some("4".to_owned())),
        ]
        .into();
        normalize(&new_base, &mut staged);
        assert_eq!(staged, [("C".to_owned(), Some("4".to_owned()))].into());
    }

    /// Every combination of base / theirs / mine being absent, equal or different.
    #[test]
    fn three_way_merge_every_combination() {
        // Values: None = absent; "b" = the base's value; "t"/"m" = other values.
        let values = [None, Some("b"), Some("t"), Some("m")];
        let mut seen_conflict = 0;
        let mut seen_auto = 0;
        for b in values {
            for t in values {
                for m in values {
                    if m == b {
                        continue; // not a staged edit: normalized away
                    }
                    let base: EnvMap = b
                        .map(|v| ("K".to_owned(), v.to_owned()))
                        .into_iter()
                        .collect();
                    let theirs: EnvMap = t
                        .map(|v| ("K".to_owned(), v.to_owned()))
                        .into_iter()
                        .collect();
                    let staged: Staged = [("K".to_owned(), m.map(str::to_owned))].into();
                    let merged = merge(&base, &theirs, &staged);
                    let case = format!("base {b:?} theirs {t:?} mine {m:?}");
                    if t == m {
                        // The same change on both sides: merged, nothing left to send.
                        assert_eq!(merged.merged_without_conflict, ["K"], "{case}");
                        assert!(merged.conflicts.is_empty(), "{case}");
                        assert!(merged.rebased.is_empty(), "{case}");
                        seen_auto += 1;
                    } else if t == b {
                        // They did not touch it: my edit stands.
                        assert_eq!(merged.merged_without_conflict, ["K"], "{case}");
                        assert_eq!(merged.rebased, staged, "{case}");
                        assert_eq!(
                            view(&theirs, &merged.rebased).get("K").map(String::as_str),
                            m,
                            "{case}"
                        );
                        seen_auto += 1;
                    } else {
                        assert!(merged.merged_without_conflict.is_empty(), "{case}");
                        assert_eq!(
                            merged.conflicts,
                            [ConflictEntry {
                                key: "K".into(),
                                base: b.map(str::to_owned),
                                theirs: t.map(str::to_owned),
                                mine: m.map(str::to_owned),
                            }],
                            "{case}"
                        );
                        assert!(merged.rebased.is_empty(), "{case}");
                        seen_conflict += 1;
                    }
                }
            }
        }
        assert!(seen_conflict > 0 && seen_auto > 0);
    }

    #[test]
    fn keys_only_they_changed_follow_theirs() {
        let base = map(&[("A", "1"), ("B", "2"), ("C", "3")]);
        let theirs = map(&[("A", "1"), ("B", "22"), ("D", "4")]); // B changed, C removed, D added
        let staged: Staged = [("A".to_owned(), Some("11".to_owned()))].into();
        let merged = merge(&base, &theirs, &staged);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.merged_without_conflict, ["A"]);
        assert_eq!(
            view(&theirs, &merged.rebased),
            map(&[("A", "11"), ("B", "22"), ("D", "4")])
        );
    }

    #[test]
    fn resolving_conflicts() {
        let base = map(&[("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")]);
        let theirs = map(&[("A", "1t"), ("B", "2t"), ("C", "3t"), ("D", "4")]);
        let staged: Staged = [
            ("A".to_owned(), Some("1m".to_owned())),
            ("B".to_owned(), None),
            ("C".to_owned(), Some("3m".to_owned())),
            ("D".to_owned(), Some("4m".to_owned())),
        ]
        .into();
        let merged = merge(&base, &theirs, &staged);
        assert_eq!(
            merged
                .conflicts
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>(),
            ["A", "B", "C"]
        );
        assert_eq!(merged.merged_without_conflict, ["D"]);
        let res = |key: &str, resolution: Resolution| KeyResolution {
            key: key.into(),
            resolution,
        };
        // Missing resolutions are reported.
        assert_eq!(
            resolve(&theirs, &merged, &[res("A", Resolution::Mine)]),
            Err(vec!["B".to_owned(), "C".to_owned()])
        );
        let staged = resolve(
            &theirs,
            &merged,
            &[
                res("A", Resolution::Mine),
                res("B", Resolution::Theirs),
                res("C", Resolution::Value { value: "3x".into() }),
                res("NOT_IN_CONFLICT", Resolution::Mine),
            ],
        )
        .unwrap();
        assert_eq!(
            view(&theirs, &staged),
            map(&[("A", "1m"), ("B", "2t"), ("C", "3x"), ("D", "4m")])
        );
        // Choosing a value equal to theirs leaves nothing staged for the key.
        let staged = resolve(
            &theirs,
            &merged,
            &[
                res("A", Resolution::Value { value: "1t".into() }),
                res("B", Resolution::Mine),
                res("C", Resolution::Theirs),
            ],
        )
        .unwrap();
        assert_eq!(
            change_set(&theirs, &staged)
                .iter()
                .map(|c| (c.key.as_str(), c.kind))
                .collect::<Vec<_>>(),
            [("B", ChangeKind::Removed), ("D", ChangeKind::Changed)]
        );
    }

    fn small_map() -> impl Strategy<Value = EnvMap> {
        prop::collection::btree_map("[A-F]", "[a-c]{0,2}", 0..6)
    }

    proptest! {
        /// Staging the diff reproduces the target, and the change set equals the diff.
        #[test]
        fn staged_diff_reproduces_the_target(base in small_map(), target in small_map()) {
            let staged = staged_for(&base, &target);
            prop_assert_eq!(view(&base, &staged), target.clone());
            prop_assert_eq!(change_set(&base, &staged), diff(&base, &target));
            // Staging edits one by one gives the same normalized result.
            let mut again = Staged::new();
            let edits: Vec<EnvEdit> = staged.iter().map(|(k, v)| match v {
                Some(v) => EnvEdit::Set { key: k.clone(), value: v.clone() },
                None => EnvEdit::Remove { key: k.clone() },
            }).collect();
            stage(&base, &mut again, edits);
            prop_assert_eq!(again, staged);
        }

        /// Merging never loses a change of theirs that I did not also make, and keeps every
        /// change of mine they did not touch.
        #[test]
        fn merge_keeps_both_sides(base in small_map(), theirs in small_map(), mine in small_map()) {
            let staged = staged_for(&base, &mine);
            let merged = merge(&base, &theirs, &staged);
            let conflicted: Vec<&str> = merged.conflicts.iter().map(|c| c.key.as_str()).collect();
            let result = view(&theirs, &merged.rebased);
            for key in base.keys().chain(theirs.keys()).chain(mine.keys()) {
                if conflicted.contains(&key.as_str()) {
                    continue;
                }
                let expected = if staged.contains_key(key) { mine.get(key) } else { theirs.get(key) };
                prop_assert_eq!(result.get(key), expected, "key {}", key);
            }
            // Choosing theirs everywhere gives theirs plus my non-conflicting edits.
            let all_theirs: Vec<KeyResolution> = merged.conflicts.iter()
                .map(|c| KeyResolution { key: c.key.clone(), resolution: Resolution::Theirs })
                .collect();
            let settled = resolve(&theirs, &merged, &all_theirs).unwrap();
            prop_assert_eq!(view(&theirs, &settled), result);
        }
    }
}
