//! `.env` text: reading it with the `dotenvy` crate, with a line number for every problem, and
//! writing it so that reading it back gives the same variables.
//!
//! `dotenvy` reads a file as *logical* lines (a quoted value may span several physical lines) and
//! reports errors without line numbers. So the text is first cut into logical lines with the same
//! rules `dotenvy` uses, remembering where each starts, and each is then parsed by `dotenvy`.
//!
//! One thing is refused on purpose: `$NAME` / `${NAME}` substitution. `dotenvy` fills it from this
//! computer's own environment first, which would copy a local secret or path into a project
//! without anyone seeing it. A value that uses `$` outside single quotes is a line error that
//! says how to write a literal `$`.

use std::collections::BTreeMap;

use super::diff::EnvMap;
use super::issues::issues_of_import;
use super::model::{ChangeKind, EnvChange, ImportLineError, ImportPreview};

/// A variable read from a `.env` text, with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvEntry {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// Everything read from a `.env` text: the variables in file order (a key may repeat) and the
/// lines that could not be read. One parser for every `.env` text the app reads: imports and
/// the blocks pasted into a form ([`parse_keeping_unread`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedDotenv {
    pub entries: Vec<DotenvEntry>,
    pub errors: Vec<ImportLineError>,
}

impl ParsedDotenv {
    /// The variables by key; for a repeated key the last one wins (as `dotenvy` overriding).
    pub fn to_map(&self) -> EnvMap {
        self.entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect()
    }
}

/// The largest `.env` text read: ten times a project's env limit, far more than any real file.
/// Past it the text is refused whole, before reading, so no text holds the env lock for long.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// Reads a `.env` text: `KEY=value`, `export KEY=value`, comments, single quotes (literal),
/// double quotes (escapes `\n \\ \" \' \$`), values over several lines. A text over
/// [`MAX_IMPORT_BYTES`] is one error on line 1. Time grows linearly with the text.
pub fn parse(text: &str) -> ParsedDotenv {
    read(text).0
}

/// What of a pasted `.env` text could not be read: every physical line of each logical line
/// with a problem, in order, and the problems numbered by their lines in that text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unread {
    pub text: String,
    pub errors: Vec<ImportLineError>,
}

/// [`parse`], and the [`Unread`] rest of the text, for a form that keeps the lines to fix in
/// place of the pasted text. Each problem says which line it was on in the text as pasted.
pub fn parse_keeping_unread(text: &str) -> (ParsedDotenv, Unread) {
    let (parsed, failed) = read(text);
    let mut unread = Unread::default();
    let mut starts = Vec::with_capacity(failed.len());
    let mut next_line = 1u32;
    for (line, lines) in &failed {
        starts.push((*line, next_line));
        next_line = next_line.saturating_add(lines.matches('\n').count() as u32);
        unread.text.push_str(lines);
    }
    // The text is kept without the line end read() may have added to its last line.
    if unread.text.ends_with('\n') {
        unread.text.pop();
        if unread.text.ends_with('\r') {
            unread.text.pop();
        }
    }
    unread.errors = parsed
        .errors
        .iter()
        .map(|e| {
            let at = starts
                .iter()
                .find(|(line, _)| *line == e.line)
                .map_or(1, |(_, at)| *at);
            ImportLineError {
                line: at,
                message: format!("{} (was line {})", e.message, e.line),
            }
        })
        .collect();
    (parsed, unread)
}

/// Reads `text`; also answers, for each logical line with a problem, its first line number and
/// all its physical lines (a text too large to read is one such line: all of it).
fn read(text: &str) -> (ParsedDotenv, Vec<(u32, String)>) {
    if text.len() > MAX_IMPORT_BYTES {
        let parsed = ParsedDotenv {
            entries: Vec::new(),
            errors: vec![ImportLineError {
                line: 1,
                message: too_large(text.len()),
            }],
        };
        return (parsed, vec![(1, text.to_owned())]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // dotenvy wants the last line ended (a last line ending in a space would otherwise fail).
    let owned;
    let text = if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        owned.as_str()
    };
    let mut out = ParsedDotenv::default();
    let mut failed = Vec::new();
    for chunk in logical_lines(text) {
        let problems_before = out.errors.len();
        read_chunk(&chunk, &mut out);
        if out.errors.len() > problems_before {
            failed.push((chunk.line, chunk.lines.to_owned()));
        }
    }
    (out, failed)
}

/// Reads one logical line into `out`: its variable, or its problem.
fn read_chunk(chunk: &LogicalLine<'_>, out: &mut ParsedDotenv) {
    if !chunk.closed {
        out.errors.push(ImportLineError {
            line: chunk.line,
            message: match key_of(chunk.text) {
                Some(key) => {
                    format!("The value of {key} opens a quote on this line that is never closed.")
                }
                None => "A quote opened on this line is never closed.".to_owned(),
            },
        });
        return;
    }
    // Leading whitespace means nothing to dotenvy, but it re-trims the logical line at each
    // of its physical lines: without it that is one step, not a pass over the whitespace.
    let text = chunk.text.trim_start();
    if text.is_empty() {
        return;
    }
    let mut input = text.to_owned();
    if !input.ends_with('\n') {
        input.push('\n');
    }
    for item in dotenvy::from_read_iter(input.as_bytes()) {
        match item {
            Ok((key, value)) => {
                if uses_substitution(chunk.text) {
                    out.errors.push(ImportLineError {
                        line: chunk.line,
                        message: format!(
                            "The value of {key} uses $, which .env files read as a \
                             reference to another variable; this app does not fill those \
                             in. For a literal $, write \\$ or put the value in single \
                             quotes."
                        ),
                    });
                } else {
                    out.entries.push(DotenvEntry {
                        key,
                        value,
                        line: chunk.line,
                    });
                }
            }
            Err(_) => out.errors.push(ImportLineError {
                line: chunk.line,
                message: explain(chunk.text),
            }),
        }
    }
}

/// "This .env text is 1.3 MiB, …": the size rounded up, so a text just over the cap never reads
/// as exactly at it.
fn too_large(bytes: usize) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let tenths = (bytes as f64 / MIB * 10.0).ceil() / 10.0;
    format!(
        "This .env text is {tenths:.1} MiB, and an import can be at most 1 MiB. Split it into \
         smaller files and import each, or leave out what the project does not need."
    )
}

/// A logical line: one or more physical lines, the line number it starts on, and whether its
/// quotes were closed before the text ended.
struct LogicalLine<'a> {
    line: u32,
    text: &'a str,
    /// Every physical line it covers, whole (with a trailing comment and the line end).
    lines: &'a str,
    closed: bool,
}

/// dotenvy's reading state at the end of a physical line (`iter.rs`, `ParseState`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Complete,
    Escape,
    StrongOpen,
    StrongOpenEscape,
    WeakOpen,
    WeakOpenEscape,
    Comment,
    WhiteSpace,
}

/// dotenvy's `eval_end_state`: the state after `line`, and where a comment starts.
fn end_state(mut state: State, line: &str) -> (usize, State) {
    let mut at = 0;
    for (pos, c) in line.char_indices() {
        at = pos;
        state = match state {
            State::WhiteSpace => match c {
                '#' => return (pos, State::Comment),
                '\\' => State::Escape,
                '"' => State::WeakOpen,
                '\'' => State::StrongOpen,
                _ => State::Complete,
            },
            State::Escape => State::Complete,
            State::Complete => match c {
                c if c.is_whitespace() && c != '\n' && c != '\r' => State::WhiteSpace,
                '\\' => State::Escape,
                '"' => State::WeakOpen,
                '\'' => State::StrongOpen,
                _ => State::Complete,
            },
            State::WeakOpen => match c {
                '\\' => State::WeakOpenEscape,
                '"' => State::Complete,
                _ => State::WeakOpen,
            },
            State::WeakOpenEscape => State::WeakOpen,
            State::StrongOpen => match c {
                '\\' => State::StrongOpenEscape,
                '\'' => State::Complete,
                _ => State::StrongOpen,
            },
            State::StrongOpenEscape => State::StrongOpen,
            State::Comment => return (pos, State::Comment),
        };
    }
    (at, state)
}

/// Cuts `text` (ending with a newline) into logical lines as dotenvy's `QuotedLines` does, in
/// one pass: each physical line is looked at once.
fn logical_lines(text: &str) -> Vec<LogicalLine<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, u32)> = None;
    let mut state = State::Complete;
    let mut offset = 0;
    let mut number = 0u32;
    for physical in text.split_inclusive('\n') {
        number = number.saturating_add(1);
        let starts_a_logical_line = start.is_none();
        let (from, line) = *start.get_or_insert((offset, number));
        let line_start = offset;
        offset += physical.len();
        // A line starting with # is a comment, even one that opens a quote. Only the first
        // physical line of a logical line can start one: a logical line goes on past its first
        // line only inside a quote, so its first line is not blank. (dotenvy asks this of the
        // whole logical line at every physical line; asking once keeps this linear.)
        if starts_a_logical_line && physical.trim_start().starts_with('#') {
            start = None;
            state = State::Complete;
            continue;
        }
        let (at, next) = end_state(state, physical);
        state = next;
        match state {
            State::Complete => {
                out.push(LogicalLine {
                    line,
                    text: &text[from..offset],
                    lines: &text[from..offset],
                    closed: true,
                });
                start = None;
            }
            State::Comment => {
                out.push(LogicalLine {
                    line,
                    text: &text[from..line_start + at],
                    lines: &text[from..offset],
                    closed: true,
                });
                start = None;
                state = State::Complete;
            }
            _ => {}
        }
    }
    if let Some((from, line)) = start {
        out.push(LogicalLine {
            line,
            text: &text[from..],
            lines: &text[from..],
            closed: false,
        });
    }
    out
}

fn is_key_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Splits a leading dotenvy key off `line` (already trimmed at the start).
fn split_key(line: &str) -> Option<(&str, &str)> {
    if !line.starts_with(is_key_start) {
        return None;
    }
    let end = line.find(|c| !is_key_char(c)).unwrap_or(line.len());
    Some((&line[..end], &line[end..]))
}

/// The key of a logical line, and what follows it (from the `=` on), `export` handled.
fn key_and_rest(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = split_key(text.trim_start())?;
    let rest = rest.trim_start();
    if key == "export" && !rest.starts_with('=') {
        let (key, rest) = split_key(rest)?;
        return Some((key, rest.trim_start()));
    }
    Some((key, rest))
}

fn key_of(text: &str) -> Option<&str> {
    key_and_rest(text).map(|(key, _)| key)
}

/// A message for a logical line dotenvy refused. It names the key, never the value.
fn explain(text: &str) -> String {
    let trimmed = text.trim_start();
    if !trimmed.starts_with(is_key_start) {
        return "Expected NAME=value here; a name starts with a letter or _.".to_owned();
    }
    match key_and_rest(text) {
        None => "Expected a name after export.".to_owned(),
        Some((key, rest)) if !rest.starts_with('=') => format!("Expected = after {key}."),
        Some((key, _)) => format!(
            "The value of {key} could not be read. Put it in quotes: inside single quotes \
             everything is literal; inside double quotes the escapes are \\n, \\\\, \\\", \\' \
             and \\$."
        ),
    }
}

/// True when dotenvy would substitute a variable in this logical line's value: a `$` outside
/// single quotes that is not escaped (dotenvy's `parse_value` rules).
fn uses_substitution(text: &str) -> bool {
    let Some((_, rest)) = key_and_rest(text) else {
        return false;
    };
    let Some(value) = rest.strip_prefix('=') else {
        return false;
    };
    let mut strong = false;
    let mut weak = false;
    let mut escaped = false;
    let mut expecting_end = false;
    for c in value.trim_start().chars() {
        if expecting_end {
            if c == ' ' || c == '\t' {
                continue;
            }
            return false; // a comment, or an error dotenvy reports
        } else if escaped {
            escaped = false;
        } else if strong {
            if c == '\'' {
                strong = false;
            }
        } else if c == '$' {
            return true;
        } else if weak {
            if c == '"' {
                weak = false;
            } else if c == '\\' {
                escaped = true;
            }
        } else if c == '\'' {
            strong = true;
        } else if c == '"' {
            weak = true;
        } else if c == '\\' {
            escaped = true;
        } else if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
            expecting_end = true;
        }
    }
    false
}

/// True when `key` can be written as a `.env` name that dotenvy reads back
/// (`[A-Za-z_][A-Za-z0-9_.]*`).
pub fn is_dotenv_key(key: &str) -> bool {
    key.starts_with(is_key_start) && key.chars().all(is_key_char)
}

/// A value in double quotes, escaped so that dotenvy reads back exactly `value`: `\` `"` `$` are
/// escaped, a newline becomes `\n`; everything else (quotes, `#`, carriage returns, any Unicode)
/// stays as it is.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `.env` lines, one `KEY="value"` per variable in the order given. A key that cannot be
/// written as a `.env` name is left out, with a comment saying so.
pub fn serialize<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in vars {
        if is_dotenv_key(key) {
            out.push_str(key);
            out.push('=');
            out.push_str(&quote(value));
        } else {
            out.push_str(&format!(
                "# left out: {:?} is not a name a .env file can hold",
                key
            ));
        }
        out.push('\n');
    }
    out
}

/// What importing `parsed` into a draft whose current view is `view` would do.
pub fn preview(view: &EnvMap, parsed: &ParsedDotenv) -> ImportPreview {
    let imported: BTreeMap<&str, &str> = parsed
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    let mut added = Vec::new();
    let mut overwritten = Vec::new();
    let mut unchanged = Vec::new();
    for (key, value) in imported {
        match view.get(key) {
            None => added.push(EnvChange {
                key: key.to_owned(),
                kind: ChangeKind::Added,
                old_value: None,
                new_value: Some(value.to_owned()),
            }),
            Some(old) if old == value => unchanged.push(key.to_owned()),
            Some(old) => overwritten.push(EnvChange {
                key: key.to_owned(),
                kind: ChangeKind::Changed,
                old_value: Some(old.clone()),
                new_value: Some(value.to_owned()),
            }),
        }
    }
    ImportPreview {
        added,
        overwritten,
        unchanged,
        errors: parsed.errors.clone(),
        issues: issues_of_import(
            parsed
                .entries
                .iter()
                .map(|e| (e.key.as_str(), e.value.as_str(), e.line)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_pasted_block_with_comments_export_and_quotes() {
        let parsed = parse(
            &[
                "# comment",
                "",
                "A=1",
                "export B=\"two words\"",
                "C='x=y'",
                "D=",
            ]
            .join("\n"),
        );
        assert_eq!(parsed.errors, []);
        assert_eq!(
            pairs(&parsed),
            [
                ("A", "1", 3),
                ("B", "two words", 4),
                ("C", "x=y", 5),
                ("D", "", 6)
            ]
        );
        let bad = parse(&["OK=1", "no equals", "1BAD=x", "=x", "Q=\"open"].join("\n"));
        assert_eq!(pairs(&bad), [("OK", "1", 1)]);
        let lines: Vec<u32> = bad.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{:?}", bad.errors);
        assert!(bad.errors.iter().all(|e| !e.message.is_empty()));
    }

    fn pairs(parsed: &ParsedDotenv) -> Vec<(&str, &str, u32)> {
        parsed
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
            .collect()
    }

    fn lines_of_errors(parsed: &ParsedDotenv) -> Vec<u32> {
        parsed.errors.iter().map(|e| e.line).collect()
    }

    #[test]
    fn plain_quoted_comments_and_export() {
        let text = "\
# a comment
A=1
B = two
export C=3
export D='single $HOME #not-a-comment'
E=\"double \\\"quoted\\\" \\$5 \\\\ done\"

F=value # a comment after a space
G=value#not-a-comment
   # indented comment
H=
I='with \"double\" inside'
J=\"with 'single' inside\"
export=\"export as a key\"
K=a\\ b
";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(
            pairs(&parsed),
            [
                ("A", "1", 2),
                ("B", "two", 3),
                ("C", "3", 4),
                ("D", "single $HOME #not-a-comment", 5),
                ("E", "double \"quoted\" $5 \\ done", 6),
                ("F", "value", 8),
                ("G", "value#not-a-comment", 9),
                ("H", "", 11),
                ("I", "with \"double\" inside", 12),
                ("J", "with 'single' inside", 13),
                ("export", "export as a key", 14),
                ("K", "a b", 15),
            ]
        );
    }

    #[test]
    fn multi_line_values_keep_line_numbers() {
        let text = "A=1\nCERT=\"-----BEGIN-----\nline two\n-----END-----\"\nB='x\ny'\nC=\"esc\\nnewline\"\nD=4\r\nE=5";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(
            pairs(&parsed),
            [
                ("A", "1", 1),
                ("CERT", "-----BEGIN-----\nline two\n-----END-----", 2),
                ("B", "x\ny", 5),
                ("C", "esc\nnewline", 7),
                ("D", "4", 8),
                ("E", "5", 9),
            ]
        );
    }

    #[test]
    fn errors_name_the_line_and_reading_goes_on() {
        let text = "\
GOOD=1
1BAD=2
NO_EQUALS
SPACED=a b
BAD_ESCAPE=\"\\q\"
-X=1
PRICE=costs$5
REF=${HOME}/x
export
AFTER=ok
OPEN=\"never closed
MORE=1
";
        let parsed = parse(text);
        assert_eq!(pairs(&parsed), [("GOOD", "1", 1), ("AFTER", "ok", 10)]);
        assert_eq!(lines_of_errors(&parsed), [2, 3, 4, 5, 6, 7, 8, 9, 11]);
        let message = |line: u32| {
            parsed
                .errors
                .iter()
                .find(|e| e.line == line)
                .map(|e| e.message.clone())
                .unwrap_or_default()
        };
        assert!(
            message(2).contains("starts with a letter"),
            "{}",
            message(2)
        );
        assert!(
            message(3).contains("Expected = after NO_EQUALS"),
            "{}",
            message(3)
        );
        assert!(message(4).contains("value of SPACED"), "{}", message(4));
        assert!(message(5).contains("value of BAD_ESCAPE"), "{}", message(5));
        assert!(message(7).contains("PRICE uses $"), "{}", message(7));
        assert!(message(7).contains("write \\$"), "{}", message(7));
        assert!(message(8).contains("REF uses $"), "{}", message(8));
        assert!(message(11).contains("never closed"), "{}", message(11));
        // No message repeats a value.
        for e in &parsed.errors {
            assert!(!e.message.contains("costs"), "{}", e.message);
            assert!(!e.message.contains("never closed\nMORE"), "{}", e.message);
        }
    }

    #[test]
    fn edge_texts() {
        assert_eq!(parse(""), ParsedDotenv::default());
        assert_eq!(parse("\n\n# only comments\n"), ParsedDotenv::default());
        // A byte-order mark, a last line without newline that ends in a space.
        assert_eq!(pairs(&parse("\u{feff}A=1 ")), [("A", "1", 1)]);
        // Windows line ends.
        assert_eq!(
            pairs(&parse("A=1\r\nB=\"2\"\r\n")),
            [("A", "1", 1), ("B", "2", 2)]
        );
        // A repeated key: both entries are kept, the map takes the last.
        let parsed = parse("A=1\nA=2\n");
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(parsed.to_map().get("A").map(String::as_str), Some("2"));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a\"b\\c$d\ne'f#g"), "\"a\\\"b\\\\c\\$d\\ne'f#g\"");
        assert_eq!(
            serialize([("A", "1"), ("bad-key", "x"), ("B", "")]),
            "A=\"1\"\n# left out: \"bad-key\" is not a name a .env file can hold\nB=\"\"\n"
        );
        assert!(is_dotenv_key("A.B") && is_dotenv_key("_") && !is_dotenv_key("1A"));
    }

    #[test]
    fn preview_against_a_view() {
        let view: EnvMap = [("A", "1"), ("B", "2")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let parsed = parse("A=1\nB=20\nC=3\nbad line\nC=4\nHASURA_X=y\n");
        let p = preview(&view, &parsed);
        assert_eq!(p.unchanged, ["A"]);
        assert_eq!(
            p.overwritten,
            [EnvChange {
                key: "B".into(),
                kind: ChangeKind::Changed,
                old_value: Some("2".into()),
                new_value: Some("20".into())
            }]
        );
        assert_eq!(
            p.added
                .iter()
                .map(|c| (c.key.as_str(), c.new_value.as_deref()))
                .collect::<Vec<_>>(),
            [("C", Some("4")), ("HASURA_X", Some("y"))]
        );
        assert_eq!(lines_of_errors(&parsed), [4]);
        assert_eq!(p.errors, parsed.errors);
        let issue_keys: Vec<(&str, super::super::model::Severity)> = p
            .issues
            .iter()
            .map(|i| (i.key.as_str(), i.severity))
            .collect();
        assert_eq!(
            issue_keys,
            [
                ("C", super::super::model::Severity::Error),
                ("HASURA_X", super::super::model::Severity::Warning)
            ]
        );
    }

    /// A text past 1 MiB is refused whole, in words a person can act on; 1 MiB itself is read.
    #[test]
    fn an_import_over_1_mib_is_refused_with_a_clear_error() {
        const MIB: usize = 1024 * 1024;
        let line = "SOME_KEY=\"a value of some length\"\n";
        let mut text = line.repeat(MIB / line.len());
        text.push_str(&"#".repeat(MIB - text.len() - 1));
        text.push('\n');
        assert_eq!(text.len(), MIB);
        let parsed = parse(&text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
        assert_eq!(parsed.entries.len(), MIB / line.len());

        text.push_str("MORE=1\n");
        let parsed = parse(&text);
        assert_eq!(parsed.entries, []);
        let messages: Vec<(u32, &str)> = (parsed.errors.iter())
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [(
                1,
                "This .env text is 1.1 MiB, and an import can be at most 1 MiB. Split it into \
                 smaller files and import each, or leave out what the project does not need."
            )]
        );
    }

    fn key() -> impl Strategy<Value = String> {
        "[A-Za-z_][A-Za-z0-9_]{0,12}"
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            // Dense in the characters that matter to .env syntax.
            proptest::collection::vec(
                prop_oneof![
                    Just('"'),
                    Just('\''),
                    Just('\\'),
                    Just('$'),
                    Just('#'),
                    Just('\n'),
                    Just('\r'),
                    Just(' '),
                    Just('\t'),
                    Just('='),
                    Just('{'),
                    Just('}'),
                    Just('é'),
                    Just('😀'),
                    Just('\u{feff}'),
                    Just('\u{2028}'),
                    Just('a'),
                    Just('n'),
                    Just('\0'),
                ],
                0..24
            )
            .prop_map(|chars| chars.into_iter().collect()),
        ]
    }

    /// `.env`-like text, dense in what matters to its syntax, without `$`.
    fn dotenv_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "A", "b_1", "export ", "=", "\"", "'", "\\", "#", " ", "   ", "\t", "\n", "\r\n", "x",
            "é", "\u{2028}", "\u{a0}", "\u{feff}",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
            .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the values, writing then reading gives back the same variables.
        #[test]
        fn serialize_then_parse_round_trips(
            vars in proptest::collection::btree_map(key(), value(), 0..12)
        ) {
            let mut text = String::from("# header\n");
            text.push_str(&serialize(vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
            let parsed = parse(&text);
            prop_assert!(parsed.errors.is_empty(), "{:?}\n{}", parsed.errors, text);
            prop_assert_eq!(parsed.to_map(), vars.clone());
            prop_assert_eq!(parsed.entries.len(), vars.len());
        }

        /// Line by line, the variables and the count of refused lines are dotenvy's own for the
        /// whole text (without `$`, which dotenvy fills in and this parser refuses): cutting the
        /// text into logical lines, and trimming their leading whitespace, change nothing.
        #[test]
        fn reads_what_dotenvy_reads(text in dotenv_text()) {
            let parsed = parse(&text);
            // As `parse` does on purpose: no byte-order mark, and the last line ended.
            let mut whole = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
            if !whole.is_empty() && !whole.ends_with('\n') {
                whole.push('\n');
            }
            let mut entries = Vec::new();
            let mut errors = 0;
            for item in dotenvy::from_read_iter(whole.as_bytes()) {
                match item {
                    Ok(pair) => entries.push(pair),
                    Err(_) => errors += 1,
                }
            }
            let ours: Vec<(String, String)> = (parsed.entries.iter())
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect();
            prop_assert_eq!(ours, entries, "{:?}", text);
            prop_assert_eq!(parsed.errors.len(), errors, "{:?}", text);
        }

        /// Reading never panics, and every error names a line of the text.
        #[test]
        fn parse_any_text(text in any::<String>()) {
            let parsed = parse(&text);
            let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
            for e in &parsed.errors {
                prop_assert!(e.line >= 1 && e.line <= lines, "{} of {}", e.line, lines);
            }
        }
    }
}
