//! Help → Report a Problem: a summary a person reads before sending it to whoever helps them —
//! the app's version and commit, the OS, the webview's version, the active profile's kind, the
//! errors the app showed last and the log's last lines. The shell gathers the facts only it can
//! (the webview's version, the log folder); the text is made here.
//!
//! Nothing in it identifies a project's secrets: the log never holds a token, a value or a key
//! name (see [`crate::logs`]); errors whose message may quote what was typed or sent (a key, a
//! value, a name) are listed by kind only; and the whole text goes through the redaction again.

use std::collections::VecDeque;
use std::fmt::Write as _;

use parking_lot::Mutex;
use serde::Serialize;

use crate::profiles::ProfileKind;

pub use hasura_cloud::redact;

/// The log lines a report ends with.
pub const REPORT_LOG_LINES: usize = 200;
/// The errors a report lists, newest last.
pub const REPORT_ERRORS: usize = 20;
/// An error's message is cut here (the window sends it; a log line stays a line).
const MAX_MESSAGE_CHARS: usize = 1_000;

/// Kinds whose message is the app's own wording about the connection, the account or the
/// keychain. The others (`invalidInput`, `conflict`, `notFound`, `nothingChanged`, `internal`)
/// may quote a key, a value or a project's name, so only their kind is kept.
const KINDS_WITH_SAFE_MESSAGES: [&str; 7] = [
    "tokenRejected",
    "keychainUnavailable",
    "notSignedIn",
    "network",
    "timeout",
    "rateLimited",
    "server",
];

/// Every kind of [`crate::AppError`]; anything else the UI reports is counted as `internal`.
const KINDS: [&str; 12] = [
    "tokenRejected",
    "keychainUnavailable",
    "notSignedIn",
    "network",
    "timeout",
    "rateLimited",
    "conflict",
    "nothingChanged",
    "notFound",
    "invalidInput",
    "server",
    "internal",
];

/// What the shell knows about the running app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub app_version: String,
    /// The commit the app was built from, when the build knew it.
    pub commit: Option<String>,
    /// WebKitGTK, WKWebView or WebView2, with its version, when the platform says.
    pub webview: Option<String>,
    /// The active profile's kind; never its name.
    pub profile_kind: Option<ProfileKind>,
}

/// The OS, its version and the processor architecture (`Ubuntu 24.04 (x86_64)`).
pub fn os_description() -> String {
    let info = os_info::get();
    format!(
        "{} {} ({})",
        info.os_type(),
        info.version(),
        std::env::consts::ARCH
    )
}

/// An error the window showed, as a report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ShownError {
    /// RFC 3339, UTC.
    pub at: String,
    pub kind: String,
    /// `None` for kinds whose message may quote what was typed or sent.
    pub message: Option<String>,
}

impl ShownError {
    /// The error as the report and the log keep it.
    pub fn new(at: String, kind: &str, message: &str) -> Self {
        let kind = KINDS.iter().find(|k| **k == kind).unwrap_or(&"internal");
        let message = KINDS_WITH_SAFE_MESSAGES.contains(kind).then(|| {
            let message: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
            hasura_cloud::redact(&message).into_owned()
        });
        Self {
            at,
            kind: (*kind).to_owned(),
            message,
        }
    }
}

/// The errors shown last, newest last, at most [`REPORT_ERRORS`]. Each is logged too.
#[derive(Debug, Default)]
pub struct RecentErrors(Mutex<VecDeque<ShownError>>);

impl RecentErrors {
    /// The window showed an error.
    pub fn note(&self, kind: &str, message: &str) {
        let error = ShownError::new(seconds(chrono::Utc::now()), kind, message);
        match &error.message {
            Some(message) => tracing::warn!(kind = error.kind, "error shown: {message}"),
            None => tracing::warn!(kind = error.kind, "error shown"),
        }
        let mut errors = self.0.lock();
        if errors.len() == REPORT_ERRORS {
            errors.pop_front();
        }
        errors.push_back(error);
    }

    pub fn list(&self) -> Vec<ShownError> {
        self.0.lock().iter().cloned().collect()
    }
}

/// The report, as the dialog shows it and as it is copied or saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProblemReport {
    pub text: String,
    /// What the save dialog suggests: `hasura-cloud-desktop-report-<date>.txt`.
    pub file_name: String,
}

/// [`problem_report`] of this computer, now.
pub fn problem_report_now(
    facts: &Facts,
    errors: &[ShownError],
    log_lines: &[String],
) -> ProblemReport {
    problem_report(
        facts,
        &os_description(),
        errors,
        log_lines,
        chrono::Utc::now(),
    )
}

/// RFC 3339 to the second: finer says nothing to a person.
fn seconds(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The summary for people: plain text, one fact a line, then the errors and the log.
pub fn problem_report(
    facts: &Facts,
    os: &str,
    errors: &[ShownError],
    log_lines: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> ProblemReport {
    let unknown = "unknown";
    let mut text = String::new();
    let _ = writeln!(text, "Hasura Cloud Desktop problem report");
    let _ = writeln!(text, "Made: {}", seconds(now));
    let _ = writeln!(text, "App version: {}", facts.app_version);
    let _ = writeln!(
        text,
        "Commit: {}",
        facts.commit.as_deref().unwrap_or(unknown)
    );
    let _ = writeln!(text, "OS: {os}");
    let _ = writeln!(
        text,
        "Webview: {}",
        facts.webview.as_deref().unwrap_or(unknown)
    );
    let profile = match facts.profile_kind {
        Some(ProfileKind::Cloud) => "Hasura Cloud account",
        Some(ProfileKind::Sandbox) => "sandbox",
        None => "none",
    };
    let _ = writeln!(text, "Active profile: {profile}");

    let _ = writeln!(text, "\nErrors shown ({}, newest last):", errors.len());
    if errors.is_empty() {
        let _ = writeln!(text, "  none");
    }
    for error in errors {
        let message = error
            .message
            .as_deref()
            .unwrap_or("(message left out: it may quote what was typed)");
        let _ = writeln!(text, "  {} {}: {message}", error.at, error.kind);
    }

    let _ = writeln!(
        text,
        "\nLast {} lines of the log (newest last):",
        log_lines.len()
    );
    for line in log_lines {
        let _ = writeln!(text, "  {line}");
    }
    ProblemReport {
        text: hasura_cloud::redact(&text).into_owned(),
        file_name: format!(
            "hasura-cloud-desktop-report-{}.txt",
            now.format("%Y-%m-%d-%H%M%S")
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use hasura_cloud::Token;

    use super::*;

    fn facts() -> Facts {
        Facts {
            app_version: "1.2.3".into(),
            commit: Some("abc1234".into()),
            webview: Some("WebKitGTK 2.44.1".into()),
            profile_kind: Some(ProfileKind::Sandbox),
        }
    }

    fn at() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc
            .with_ymd_and_hms(2026, 3, 4, 5, 6, 7)
            .single()
            .unwrap()
    }

    #[test]
    fn the_report_says_each_fact_once() {
        let errors = [
            ShownError::new(
                "2026-03-04T05:00:00+00:00".into(),
                "network",
                "Could not reach Hasura Cloud.",
            ),
            ShownError::new(
                "2026-03-04T05:01:00+00:00".into(),
                "invalidInput",
                "The key STRIPE_SECRET_KEY is not valid.",
            ),
        ];
        let lines = ["first line".to_owned(), "second line".to_owned()];
        let report = problem_report(&facts(), "Ubuntu 24.04 (x86_64)", &errors, &lines, at());
        assert_eq!(
            report.text,
            "Hasura Cloud Desktop problem report\n\
             Made: 2026-03-04T05:06:07+00:00\n\
             App version: 1.2.3\n\
             Commit: abc1234\n\
             OS: Ubuntu 24.04 (x86_64)\n\
             Webview: WebKitGTK 2.44.1\n\
             Active profile: sandbox\n\
             \n\
             Errors shown (2, newest last):\n\
             \x20 2026-03-04T05:00:00+00:00 network: Could not reach Hasura Cloud.\n\
             \x20 2026-03-04T05:01:00+00:00 invalidInput: (message left out: it may quote what was typed)\n\
             \n\
             Last 2 lines of the log (newest last):\n\
             \x20 first line\n\
             \x20 second line\n"
        );
        assert_eq!(
            report.file_name,
            "hasura-cloud-desktop-report-2026-03-04-050607.txt"
        );
    }

    #[test]
    fn unknown_facts_are_said_to_be_unknown() {
        let facts = Facts {
            commit: None,
            webview: None,
            profile_kind: None,
            ..facts()
        };
        let report = problem_report(&facts, "Windows 11 (x86_64)", &[], &[], at());
        assert!(report.text.contains("Commit: unknown\n"), "{}", report.text);
        assert!(report.text.contains("Webview: unknown\n"));
        assert!(report.text.contains("Active profile: none\n"));
        assert!(
            report
                .text
                .contains("Errors shown (0, newest last):\n  none\n")
        );
    }

    #[test]
    fn no_token_reaches_the_report() {
        let secret = "hcd-fake-token-for-the-report-test-51c2e0";
        let _token = Token::new(secret.to_owned());
        let errors = [ShownError::new(
            "t".into(),
            "server",
            &format!("it echoed {secret}"),
        )];
        let lines = [format!("a line with {secret}")];
        let report = problem_report(&facts(), "OS", &errors, &lines, at());
        assert!(!report.text.contains(secret), "{}", report.text);
        assert_eq!(report.text.matches("<redacted>").count(), 2);
    }

    #[test]
    fn recent_errors_keep_the_newest_and_unknown_kinds_are_internal() {
        let recent = RecentErrors::default();
        for n in 0..(REPORT_ERRORS + 5) {
            recent.note("timeout", &format!("number {n}"));
        }
        recent.note("made-up", "anything");
        recent.note("network", &"x".repeat(5_000));
        let list = recent.list();
        assert_eq!(list.len(), REPORT_ERRORS);
        assert_eq!(list[0].message.as_deref(), Some("number 7"));
        let made_up = &list[REPORT_ERRORS - 2];
        assert_eq!(
            (made_up.kind.as_str(), made_up.message.as_deref()),
            ("internal", None)
        );
        let long = list.last().unwrap().message.as_deref().unwrap();
        assert_eq!(long.len(), MAX_MESSAGE_CHARS);
    }

    #[test]
    fn the_os_is_named() {
        let os = os_description();
        assert!(
            os.ends_with(&format!("({})", std::env::consts::ARCH)),
            "{os}"
        );
        assert!(os.len() > std::env::consts::ARCH.len() + 3, "{os}");
    }
}
