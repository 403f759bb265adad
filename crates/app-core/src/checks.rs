//! Checks of a form field as the person types, for the UI: the same rules the commands apply
//! before sending (so each rule has one home, here in Rust), answering with the problem in
//! words, or nothing. Also the lists and limits the forms offer ([`FormRules`]).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::env::{ImportLineError, dotenv};
use crate::error::AppError;
use crate::preview::input as preview;
use crate::profiles::{DEFAULT_ENDPOINT, validate_endpoint, validate_profile_name};
use crate::projects::{EnvPair, parse_project_id, parse_tenant_id};
use crate::validate;

/// One field's text, by the rule it follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "rule", content = "text", rename_all = "camelCase")]
pub enum FieldCheck {
    ProjectName(String),
    PreviewName(String),
    ProfileName(String),
    Endpoint(String),
    EnvKey(String),
    ProjectId(String),
    TenantId(String),
    Branch(String),
    Directory(String),
    DomainName(String),
    Email(String),
}

/// What is wrong with a field's text, or `None` when it may be sent.
pub fn field_problem(check: &FieldCheck) -> Option<String> {
    let result = match check {
        FieldCheck::ProjectName(t) => validate::project_name(t).map(drop),
        FieldCheck::PreviewName(t) => preview::preview_name(t).map(drop),
        FieldCheck::ProfileName(t) => validate_profile_name(t).map(drop),
        FieldCheck::Endpoint(t) => validate_endpoint(t).map(drop),
        FieldCheck::EnvKey(t) => validate::env_key(t),
        FieldCheck::ProjectId(t) => parse_project_id(t).map(drop),
        FieldCheck::TenantId(t) => parse_tenant_id(t).map(drop),
        FieldCheck::Branch(t) => preview::branch(t).map(drop),
        FieldCheck::Directory(t) => preview::directory(t).map(drop),
        FieldCheck::DomainName(t) => crate::domains::fqdn(t).map(drop),
        FieldCheck::Email(t) => crate::collaborators::email(t).map(drop),
    };
    result.err().map(|e: AppError| e.message().to_owned())
}

/// A row with neither key nor value is left out of what a form sends.
pub fn is_blank_row(row: &EnvPair) -> bool {
    row.key.trim().is_empty() && row.value.is_empty()
}

/// The rows a form sends: all but the blank ones.
pub fn filled_rows(rows: Vec<EnvPair>) -> Vec<EnvPair> {
    rows.into_iter().filter(|row| !is_blank_row(row)).collect()
}

/// What a form's env rows are, one entry per row, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvRowsCheck {
    /// [`env_row_problems`].
    pub problems: Vec<Option<String>>,
    /// Rows left out of what the form sends ([`is_blank_row`]).
    pub blank: Vec<bool>,
}

pub fn check_env_rows(rows: &[EnvPair]) -> EnvRowsCheck {
    EnvRowsCheck {
        problems: env_row_problems(rows),
        blank: rows.iter().map(is_blank_row).collect(),
    }
}

/// A `.env` block pasted into a form's env table, merged into its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvPaste {
    /// The table after the paste: the rows given, in their places, then the new rows. A key
    /// already in the table takes the pasted value; otherwise a blank row takes the variable,
    /// and only then is a row added.
    pub rows: Vec<EnvPair>,
    /// How many variables the paste set.
    pub added: u32,
    /// What is left of the pasted text: only the lines that could not be read, to fix in place.
    pub text: String,
    /// The problems of `text`, by its own line numbers.
    pub errors: Vec<ImportLineError>,
}

pub fn paste_env_rows(mut rows: Vec<EnvPair>, text: &str) -> EnvPaste {
    let (parsed, unread) = dotenv::parse_keeping_unread(text);
    let mut blanks = (0..rows.len())
        .filter(|&i| is_blank_row(&rows[i]))
        .collect::<Vec<_>>();
    blanks.reverse();
    for entry in &parsed.entries {
        if let Some(row) = rows.iter_mut().find(|row| row.key == entry.key) {
            row.value.clone_from(&entry.value);
            continue;
        }
        let pair = EnvPair {
            key: entry.key.clone(),
            value: entry.value.clone(),
        };
        match blanks.pop() {
            Some(i) => rows[i] = pair,
            None => rows.push(pair),
        }
    }
    EnvPaste {
        rows,
        // A key pasted twice is one variable (the last value wins).
        added: u32::try_from(parsed.to_map().len()).unwrap_or(u32::MAX),
        text: unread.text,
        errors: unread.errors,
    }
}

/// The problem of each env row of a form, in order: a key that breaks the key rule, or a key
/// already set in an earlier row. Blank rows have none.
pub fn env_row_problems(rows: &[EnvPair]) -> Vec<Option<String>> {
    let mut seen = HashSet::new();
    rows.iter()
        .map(|row| {
            if is_blank_row(row) {
                return None;
            }
            if let Err(e) = validate::env_key(&row.key) {
                return Some(e.message().to_owned());
            }
            (!seen.insert(row.key.as_str()))
                .then(|| format!("{} is already set in a row above.", row.key))
        })
        .collect()
}

/// The choices and limits the forms show, from the same constants the checks use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FormRules {
    pub clouds: Vec<String>,
    pub plans: Vec<String>,
    pub preview_clouds: Vec<String>,
    pub preview_plans: Vec<String>,
    pub default_endpoint: String,
    /// The project-name and preview-name rules in words, for the fields' hints.
    pub project_name_rule: String,
    pub preview_name_rule: String,
}

impl FormRules {
    pub fn get() -> FormRules {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        FormRules {
            clouds: owned(validate::CLOUDS),
            plans: owned(validate::PLANS),
            preview_clouds: owned(preview::PREVIEW_CLOUDS),
            preview_plans: owned(preview::PREVIEW_PLANS),
            default_endpoint: DEFAULT_ENDPOINT.to_owned(),
            project_name_rule: validate::PROJECT_NAME_RULE.to_owned(),
            preview_name_rule: preview::PREVIEW_NAME_RULE.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(key: &str, value: &str) -> EnvPair {
        EnvPair {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn each_field_follows_the_rule_its_command_applies() {
        let ok = [
            FieldCheck::ProjectName("shop-staging".into()),
            FieldCheck::PreviewName("pr-42-shop".into()),
            // The API reference's own example; sent as my-app-name.
            FieldCheck::PreviewName("my-app_name".into()),
            FieldCheck::ProfileName("Work".into()),
            FieldCheck::Endpoint("http://127.0.0.1:4000/v1/graphql".into()),
            FieldCheck::EnvKey("PG_DATABASE_URL".into()),
            FieldCheck::ProjectId("123e4567-e89b-12d3-a456-426614174000".into()),
            FieldCheck::TenantId("123e4567-e89b-12d3-a456-426614174000".into()),
            FieldCheck::Branch("feature/x".into()),
            FieldCheck::Directory("".into()),
            FieldCheck::DomainName("api.example.com".into()),
        ];
        for check in &ok {
            assert_eq!(field_problem(check), None, "{check:?}");
        }
        let bad = [
            FieldCheck::ProjectName("Shop".into()),
            FieldCheck::PreviewName("_-_".into()),
            FieldCheck::ProfileName("   ".into()),
            FieldCheck::Endpoint("http://example.com/v1/graphql".into()),
            FieldCheck::EnvKey("1A".into()),
            FieldCheck::ProjectId("not-a-uuid".into()),
            FieldCheck::TenantId("".into()),
            FieldCheck::Branch("has space".into()),
            FieldCheck::Directory("/abs".into()),
            FieldCheck::DomainName("https://api.example.com".into()),
        ];
        for check in &bad {
            let problem = field_problem(check).unwrap_or_default();
            assert!(
                problem.ends_with('.') && problem.len() > 10,
                "{check:?}: {problem}"
            );
        }
        // The same words the command answers with on submit.
        let submitted = validate::project_name("Shop").unwrap_err();
        assert_eq!(
            field_problem(&FieldCheck::ProjectName("Shop".into())).as_deref(),
            Some(submitted.message())
        );
        let wire = serde_json::to_value(FieldCheck::EnvKey("A".into())).unwrap();
        assert_eq!(wire, serde_json::json!({"rule": "envKey", "text": "A"}));
    }

    #[test]
    fn env_rows_report_bad_and_repeated_keys_and_skip_blank_rows() {
        let problems = env_row_problems(&[
            pair("A", "1"),
            pair("", ""),
            pair("1B", "x"),
            pair("A", "2"),
            pair("  ", "value"),
        ]);
        assert_eq!(problems[0], None);
        assert_eq!(problems[1], None, "blank");
        assert!(problems[2].as_deref().unwrap_or("").contains("1B"));
        assert_eq!(
            problems[3].as_deref(),
            Some("A is already set in a row above.")
        );
        assert!(problems[4].is_some(), "a value without a key");
        let check = check_env_rows(&[pair("A", "1"), pair(" ", ""), pair("", "v")]);
        assert_eq!(check.blank, [false, true, false]);
        assert_eq!(check.problems.len(), 3);
        assert_eq!(
            filled_rows(vec![pair("", ""), pair("B", ""), pair("", "v")]),
            [pair("B", ""), pair("", "v")]
        );
    }

    #[test]
    fn a_paste_updates_keys_fills_blank_rows_then_adds_and_keeps_the_unread_lines() {
        let rows = vec![pair("LOG", "info"), pair("", ""), pair("", "typed")];
        let text = "# staging\nLOG=debug\nA=1\noops\nB=2\nBAD KEY=1\nC=3";
        let paste = paste_env_rows(rows, text);
        assert_eq!(
            paste.rows,
            [
                pair("LOG", "debug"),
                pair("A", "1"),
                pair("", "typed"),
                pair("B", "2"),
                pair("C", "3")
            ],
            "a value with no key is not blank: it is never overwritten"
        );
        assert_eq!(paste.added, 4);
        assert_eq!(paste.text, "oops\nBAD KEY=1");
        let lines: Vec<_> = paste.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2]);
        assert!(paste.errors[0].message.ends_with("(was line 4)"));
        assert!(paste.errors[1].message.ends_with("(was line 6)"));
    }

    #[test]
    fn a_paste_keeps_every_line_of_what_it_could_not_read() {
        // A quote never closed runs to the end: all of it stays to be fixed, not just its first line.
        let paste = paste_env_rows(Vec::new(), "A=1\r\nB=\"open\r\nC=3\r\nD=4\r\n");
        assert_eq!(paste.rows, [pair("A", "1")]);
        assert_eq!(paste.text, "B=\"open\r\nC=3\r\nD=4");
        assert_eq!(paste.errors.len(), 1);
        assert_eq!(paste.errors[0].line, 1);
        assert!(paste.errors[0].message.contains("(was line 2)"));
        // A value over several lines with a problem after it keeps its lines; the comment stays too.
        let paste = paste_env_rows(Vec::new(), "A=\"x\ny\" junk # note\nB=2");
        assert_eq!(paste.rows, [pair("B", "2")]);
        assert_eq!(paste.text, "A=\"x\ny\" junk # note");
        assert_eq!(paste.errors[0].line, 1);
        // A key pasted twice is one variable, with the last value.
        let paste = paste_env_rows(Vec::new(), "A=1\nA=2\n");
        assert_eq!((paste.rows, paste.added), (vec![pair("A", "2")], 1));
        // Nothing left when every line was read.
        let paste = paste_env_rows(vec![pair("", "")], "A=1\n");
        assert_eq!(
            (paste.rows, paste.text, paste.errors),
            (vec![pair("A", "1")], String::new(), vec![])
        );
        // A text too large to read stays whole.
        let big = format!("A=1\n{}", "#".repeat(dotenv::MAX_IMPORT_BYTES));
        let paste = paste_env_rows(Vec::new(), &big);
        assert_eq!((paste.added, paste.text.len()), (0, big.len()));
    }

    #[test]
    fn form_rules_are_the_checked_lists() {
        let rules = FormRules::get();
        for cloud in &rules.clouds {
            validate::cloud(cloud).unwrap();
        }
        for plan in &rules.plans {
            validate::plan(plan).unwrap();
        }
        assert!(
            rules
                .preview_clouds
                .iter()
                .all(|c| rules.clouds.contains(c))
        );
        assert_eq!(rules.default_endpoint, hasura_cloud::DEFAULT_ENDPOINT);
    }
}
