//! Sentences for a person about preview apps: why a job failed (a rejected GitHub token, a
//! repository the token cannot read, a missing folder, the free tier's monthly allowance), and
//! the OS notification of a finished run.

use super::model::{PreviewRun, RunPhase, TaskView};
use crate::error::{AppError, sentence};

/// The free tier's monthly allowance of preview-app calls.
pub const FREE_PREVIEW_CALLS: u32 = 60;

/// Where the preview app's code comes from, to name it in messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    pub owner: String,
    pub repo: String,
    pub branch: String,
    pub directory: String,
}

impl Source {
    fn repository(&self) -> Option<String> {
        (!self.owner.is_empty() && !self.repo.is_empty())
            .then(|| format!("{}/{}", self.owner, self.repo))
    }
}

fn lower(text: &str) -> String {
    text.to_lowercase()
}

/// The text says the monthly allowance of preview-app calls is used up.
pub fn is_allowance_text(text: &str) -> bool {
    let t = lower(text);
    t.contains("rate-limit")
        || t.contains("rate limit")
        || (t.contains("calls") && (t.contains("month") || t.contains("limit")))
}

/// The number in "all 60 … calls", if the server said it.
fn allowance_of(text: &str) -> u32 {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<u32>().ok())
        .find(|n| *n > 0)
        .unwrap_or(FREE_PREVIEW_CALLS)
}

/// The message for a used-up monthly allowance.
pub fn allowance_message(limit: u32) -> String {
    format!(
        "Your account has used its {limit} preview-app calls this month (the free tier's \
         allowance), so Hasura Cloud will not start another preview app until next month. \
         Existing preview apps keep working; a paid plan has a larger allowance."
    )
}

/// A refusal of `createGitHubPreviewApp` made readable: the allowance → `rateLimited` with
/// [`allowance_message`]; anything else as mapped for the form.
pub fn create_error(error: hasura_cloud::Error) -> AppError {
    match &error {
        hasura_cloud::Error::RateLimited { .. } => AppError::RateLimited {
            message: allowance_message(FREE_PREVIEW_CALLS),
            retry_after_secs: None,
        },
        hasura_cloud::Error::InvalidInput { message } if is_allowance_text(message) => {
            AppError::RateLimited {
                message: allowance_message(allowance_of(message)),
                retry_after_secs: None,
            }
        }
        hasura_cloud::Error::InvalidInput { message } => {
            let l = lower(message);
            let field = if l.contains("githubpersonalaccesstoken") || l.contains("github token") {
                Some("githubToken")
            } else if l.starts_with("owner") || l.starts_with("repo") {
                Some("repository")
            } else {
                None
            };
            match field {
                Some(field) => {
                    AppError::invalid(field, AppError::from(error.clone()).message().to_owned())
                }
                None => AppError::from_client_for_fields(
                    error,
                    &["name", "cloud", "region", "plan", "branch", "directory"],
                ),
            }
        }
        _ => AppError::from(error),
    }
}

/// The GitHub token was refused.
pub fn is_github_token_text(text: &str) -> bool {
    let t = lower(text);
    (t.contains("github") || t.contains("personal access token"))
        && t.contains("token")
        && [
            "reject",
            "invalid",
            "bad credentials",
            "unauthori",
            "expired",
            "revoked",
            "401",
        ]
        .iter()
        .any(|w| t.contains(w))
}

pub const GITHUB_TOKEN_REFUSED: &str = "GitHub refused the token. It may have expired, been \
     revoked, or lack access — replace it under GitHub token and try again.";

/// The repository could not be read with the token.
fn is_unreadable_text(text: &str) -> bool {
    let t = lower(text);
    t.contains("could not read")
        || t.contains("no access")
        || t.contains("not accessible")
        || t.contains("permission")
        || (t.contains("repository") && t.contains("not found"))
}

fn is_missing_directory_text(text: &str) -> bool {
    let t = lower(text);
    (t.contains("directory") || t.contains("folder"))
        && (t.contains("not found") || t.contains("missing") || t.contains("does not exist"))
}

/// The first `"quoted"` text.
fn quoted(text: &str) -> Option<&str> {
    let start = text.find('"')? + 1;
    let len = text[start..].find('"')?;
    Some(&text[start..start + len])
}

/// Where `needle` (ASCII) first occurs in `text`, ignoring ASCII case, as a byte index into
/// `text` itself. An index found in `text.to_lowercase()` would point elsewhere in `text`: some
/// characters change length when lowercased (`İ` is 2 bytes, `i̇` is 3).
fn find_ignoring_ascii_case(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    (0..=text.len().checked_sub(needle.len())?)
        .find(|&at| text[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

/// `owner/repo` after "could not read ".
fn repository_in(text: &str) -> Option<String> {
    const BEFORE: &str = "could not read ";
    let at = find_ignoring_ascii_case(text, BEFORE)? + BEFORE.len();
    // The needle is ASCII, so a match starts and ends on character boundaries.
    let word: String = text
        .get(at..)?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
        .collect();
    let word = word.trim_end_matches('.');
    word.contains('/').then(|| word.to_owned())
}

/// Why a job failed, for a person. `task` is the failed step (if any), `deploying` whether it
/// was the deployment job.
pub fn failure_message(task: Option<&TaskView>, deploying: bool, source: &Source) -> String {
    let error = task.and_then(|t| t.error.as_deref()).unwrap_or_default();
    if is_github_token_text(error) {
        return GITHUB_TOKEN_REFUSED.to_owned();
    }
    if is_missing_directory_text(error) {
        let folder = quoted(error)
            .map(str::to_owned)
            .or_else(|| (!source.directory.is_empty()).then(|| source.directory.clone()));
        let place = source
            .repository()
            .map(|r| {
                if source.branch.is_empty() {
                    format!(" in {r}")
                } else {
                    format!(" in {r} on branch {}", source.branch)
                }
            })
            .unwrap_or_default();
        return match folder {
            Some(folder) => format!(
                "The folder “{folder}” was not found{place}. Check the Hasura project folder \
                 (relative to the repository root) and the branch."
            ),
            None => format!(
                "The Hasura project folder was not found{place}. Check the folder and the branch."
            ),
        };
    }
    if is_unreadable_text(error) {
        let repository = source
            .repository()
            .or_else(|| repository_in(error))
            .unwrap_or_else(|| "the repository".to_owned());
        return format!(
            "Hasura Cloud could not read {repository} with the GitHub token. Check that the \
             repository exists and that the token has read access to it."
        );
    }
    let job = if deploying {
        "Deploying the preview app"
    } else {
        "Creating the preview app"
    };
    match (task, error.trim()) {
        (Some(task), "") => format!("{job} failed at “{}”, without a reason given.", task.label),
        (Some(task), error) => format!("{job} failed at “{}”: {}", task.label, sentence(error)),
        (None, _) => format!("{job} failed, and Hasura Cloud did not say why."),
    }
}

/// A task's error for a person. Hasura Cloud's jobs are written in Go and may pass on a
/// GraphQL error as Go prints it (graphql-engine #9731): `error creating tenant: Message: …,
/// Locations: [] Extensions: map[code:GenericServerError id:…]`. That becomes a sentence with
/// the request id; any other text is returned as sent.
pub fn readable_error(raw: &str) -> String {
    let raw = raw.trim();
    let Some(at) = raw.find("Message: ") else {
        return raw.to_owned();
    };
    let Some(extensions) = raw.find("Extensions: map[") else {
        return raw.to_owned();
    };
    let context = raw[..at].trim().trim_end_matches(':').trim();
    let message_end = raw.find(", Locations:").unwrap_or(extensions);
    let message = raw
        .get(at + "Message: ".len()..message_end.max(at + "Message: ".len()))
        .unwrap_or_default()
        .trim()
        .trim_end_matches(',');
    let fields = raw[extensions + "Extensions: map[".len()..]
        .split(']')
        .next()
        .unwrap_or_default();
    let field = |name: &str| {
        fields
            .split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix(':'))
            .filter(|v| !v.is_empty())
    };
    // "error creating tenant" → "creating the project"
    let doing = context
        .strip_prefix("error ")
        .unwrap_or(context)
        .replace("tenant", "the project");
    let while_doing = if doing.is_empty() {
        String::new()
    } else {
        format!(" while {doing}")
    };
    let id = field("id")
        .map(|id| format!(" If it keeps happening, quote request id {id} to Hasura support."))
        .unwrap_or_default();
    match field("code") {
        Some("GenericServerError") => {
            format!("Hasura Cloud had an internal problem{while_doing}. Try again in a moment.{id}")
        }
        code => {
            let code = code.map(|c| format!(" ({c})")).unwrap_or_default();
            let said = if message.is_empty() {
                "no reason given".to_owned()
            } else {
                message.to_owned()
            };
            format!("Hasura Cloud failed{while_doing}: {said}{code}.{id}")
        }
    }
}

/// The creation job succeeded but did not say which deployment job follows.
pub const NO_DEPLOYMENT_JOB: &str = "Hasura Cloud reported the preview app as created but did \
     not say which deployment job applies its metadata and migrations, so its progress cannot be \
     followed. Open the project in the console to check it.";

pub fn skipped_message(name: &str) -> String {
    let name = if name.is_empty() {
        "the same name".to_owned()
    } else {
        format!("the name {name}")
    };
    format!(
        "A newer preview app with {name} was started, so Hasura Cloud skipped this one; follow \
         the newer one instead."
    )
}

pub fn gave_up_message(minutes: u64) -> String {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!(
        "Still running after {minutes} {unit}; the preview app may still come up. Watch again \
         to keep following it."
    )
}

pub const LOST_MESSAGE: &str = "The job is gone from Hasura Cloud: it was asked for several \
     times and no longer exists. The preview app may have been deleted or re-created.";

/// Title and body of the OS notification for a finished run; `None` while it is live.
pub fn notification(run: &PreviewRun) -> Option<(String, String)> {
    let name = if run.name.is_empty() {
        "(unnamed)"
    } else {
        run.name.as_str()
    };
    let reason = || short(run.error.as_deref().unwrap_or("no reason was given"));
    match run.phase {
        RunPhase::Creating | RunPhase::Deploying => None,
        RunPhase::Succeeded => Some((
            format!("Preview app {name} is ready"),
            run.links
                .as_ref()
                .and_then(|l| l.endpoint.clone())
                .unwrap_or_else(|| "Metadata and migrations were applied.".to_owned()),
        )),
        RunPhase::Failed | RunPhase::Lost => {
            Some((format!("Preview app {name} failed: {}", reason()), reason()))
        }
        RunPhase::Skipped => Some((format!("Preview app {name} was skipped"), reason())),
        RunPhase::GaveUp => Some((format!("Preview app {name} is taking long"), reason())),
    }
}

/// The first sentence, at most 120 characters.
fn short(text: &str) -> String {
    let first = text
        .split_inclusive(". ")
        .next()
        .unwrap_or(text)
        .trim()
        .trim_end_matches('.');
    if first.chars().count() <= 120 {
        first.to_owned()
    } else {
        let cut: String = first.chars().take(119).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::preview::model::TaskState;

    fn failed(name: &str, error: &str) -> TaskView {
        TaskView {
            name: name.into(),
            label: crate::preview::jobs::task_label(name),
            state: TaskState::Failed,
            started_at: None,
            finished_at: None,
            duration_ms: None,
            error: (!error.is_empty()).then(|| error.to_owned()),
            error_detail: None,
            github_detail: None,
        }
    }

    fn source() -> Source {
        Source {
            owner: "acme".into(),
            repo: "shop".into(),
            branch: "main".into(),
            directory: "hasura".into(),
        }
    }

    #[test]
    fn allowance() {
        let e = create_error(hasura_cloud::Error::InvalidInput {
            message: "you have used all 60 preview app API calls this month; projects on the \
                      free plan get 60 a month"
                .into(),
        });
        match &e {
            AppError::RateLimited {
                message,
                retry_after_secs: None,
            } => assert!(
                message.starts_with("Your account has used its 60 preview-app calls this month")
            ),
            other => panic!("{other:?}"),
        }
        let e = create_error(hasura_cloud::Error::RateLimited { retry_after: None });
        assert!(e.message().contains("60 preview-app calls"), "{e}");
        assert_eq!(e.kind(), "rateLimited");
        let e = create_error(hasura_cloud::Error::InvalidInput {
            message: "monthly rate-limit-exceeded: 5 calls".into(),
        });
        assert!(e.message().contains("its 5 preview-app calls"), "{e}");
    }

    #[test]
    fn create_refusals_name_fields() {
        let field = |message: &str| match create_error(hasura_cloud::Error::InvalidInput {
            message: message.into(),
        }) {
            AppError::InvalidInput { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field("cloud \"azure\" is not supported for preview apps").as_deref(),
            Some("cloud")
        );
        assert_eq!(
            field("plan \"x\" is not supported").as_deref(),
            Some("plan")
        );
        assert_eq!(
            field("a project named \"pr-1\" exists; name taken").as_deref(),
            Some("name")
        );
        assert_eq!(
            field("owner must not be empty").as_deref(),
            Some("repository")
        );
        assert_eq!(
            field("githubPersonalAccessToken must not be empty").as_deref(),
            Some("githubToken")
        );
        assert_eq!(field("something odd").as_deref(), None);
        let e = create_error(hasura_cloud::Error::Timeout);
        assert_eq!(e.kind(), "timeout");
    }

    #[test]
    fn github_token_refused() {
        let m = failure_message(
            Some(&failed(
                "create-preview-app",
                "GitHub rejected the personal access token",
            )),
            false,
            &source(),
        );
        assert_eq!(m, GITHUB_TOKEN_REFUSED);
        assert!(m.starts_with("GitHub refused the token") && m.contains("replace it"));
        assert!(is_github_token_text("Bad credentials: GitHub token"));
        assert!(!is_github_token_text("apply-migration failed"));
    }

    #[test]
    fn unreadable_repository() {
        let error = "could not read acme/unreadable-shop: the GitHub token has no access to this repository";
        let m = failure_message(Some(&failed("gh-validation", error)), true, &source());
        assert!(
            m.starts_with("Hasura Cloud could not read acme/shop"),
            "{m}"
        );
        assert!(m.contains("read access"), "{m}");
        // Without the source, the repository comes from the error.
        let m = failure_message(
            Some(&failed("gh-validation", error)),
            true,
            &Source::default(),
        );
        assert!(
            m.starts_with("Hasura Cloud could not read acme/unreadable-shop "),
            "{m}"
        );
    }

    /// `İ` is 2 bytes and lowercases to 3 (`i̇`): an index found in the lowercased text points
    /// elsewhere in the original, here into the middle of `é`.
    #[test]
    fn a_repository_named_after_text_that_grows_when_lowercased() {
        let error = "İ could not read éé/shop: no access";
        let m = failure_message(
            Some(&failed("gh-validation", error)),
            true,
            &Source::default(),
        );
        assert!(
            m.starts_with("Hasura Cloud could not read the repository "),
            "{m}"
        );
        let error = "İİİ COULD NOT READ acme/shop: no access";
        let m = failure_message(
            Some(&failed("gh-validation", error)),
            true,
            &Source::default(),
        );
        assert!(
            m.starts_with("Hasura Cloud could not read acme/shop "),
            "{m}"
        );
    }

    #[test]
    fn missing_directory() {
        let error = "directory \"db/missing\" was not found in acme/shop on branch main";
        let m = failure_message(Some(&failed("gh-validation", error)), true, &source());
        assert!(m.contains("“db/missing”"), "{m}");
        assert!(m.contains("acme/shop on branch main"), "{m}");
        let m = failure_message(
            Some(&failed("gh-validation", "directory missing")),
            true,
            &Source::default(),
        );
        assert!(m.contains("folder was not found"), "{m}");
    }

    #[test]
    fn other_failures_name_the_step() {
        let m = failure_message(
            Some(&failed(
                "apply-migration",
                "apply-migration failed: scripted failure for branch \"fail-apply-migration\"",
            )),
            true,
            &source(),
        );
        assert!(
            m.starts_with(
                "Deploying the preview app failed at “Apply migrations”: Apply-migration failed"
            ),
            "{m}"
        );
        let m = failure_message(Some(&failed("weird", "")), false, &source());
        assert_eq!(
            m,
            "Creating the preview app failed at “weird”, without a reason given."
        );
        let m = failure_message(None, false, &source());
        assert!(m.contains("did not say why"), "{m}");
    }

    #[test]
    fn other_messages() {
        assert!(skipped_message("pr-1").contains("the name pr-1"));
        assert!(skipped_message("").contains("the same name"));
        assert!(gave_up_message(10).starts_with(
            "Still running after 10 minutes; the preview app may still come up. Watch again"
        ));
        assert!(gave_up_message(1).contains("1 minute;"));
        assert!(LOST_MESSAGE.starts_with("The job is gone from Hasura Cloud"));
    }

    fn run(phase: RunPhase, error: Option<&str>) -> PreviewRun {
        PreviewRun {
            id: "j".into(),
            app_link: String::new(),
            profile_id: "p".into(),
            name: "pr-1".into(),
            phase,
            creation: None,
            deployment: None,
            links: None,
            error: error.map(str::to_owned),
            poll_error: None,
            started_at: String::new(),
            updated_at: String::new(),
            polls: 0,
            next_poll_in_ms: None,
        }
    }

    #[test]
    fn notifications() {
        assert_eq!(notification(&run(RunPhase::Creating, None)), None);
        assert_eq!(notification(&run(RunPhase::Deploying, None)), None);
        let (title, _) = notification(&run(RunPhase::Succeeded, None)).unwrap();
        assert_eq!(title, "Preview app pr-1 is ready");
        let (title, body) = notification(&run(
            RunPhase::Failed,
            Some("GitHub refused the token. It may have expired."),
        ))
        .unwrap();
        assert_eq!(title, "Preview app pr-1 failed: GitHub refused the token");
        assert_eq!(body, "GitHub refused the token");
        for phase in [RunPhase::Skipped, RunPhase::GaveUp, RunPhase::Lost] {
            assert!(notification(&run(phase, Some("x"))).is_some(), "{phase:?}");
        }
        let long = "x".repeat(300);
        let (title, _) = notification(&run(RunPhase::Failed, Some(&long))).unwrap();
        assert!(title.chars().count() < 160);
    }

    /// Text as Hasura Cloud or GitHub may phrase it: any Unicode, or pieces of what these
    /// functions look for next to characters that change length or case oddly (`İ` lowercases
    /// to 3 bytes, `ẞ` to 2, the Kelvin sign `K` to ASCII `k`).
    fn api_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "could not read ",
            "COULD NOT READ ",
            "acme/shop",
            "é/ü",
            "directory",
            "folder",
            "not found",
            "\"",
            "github token invalid",
            "personal access token",
            "rate-limit",
            "calls this month",
            "60",
            "owner",
            "repo",
            "githubPersonalAccessToken",
            "name",
            "region",
            ". ",
            " ",
            "İ",
            "ẞ",
            "\u{212a}",
            "Σ",
            "😀",
            "\u{301}",
        ];
        prop_oneof![
            any::<String>(),
            proptest::collection::vec(
                prop_oneof![
                    3 => proptest::sample::select(PIECES).prop_map(str::to_owned),
                    1 => any::<char>().prop_map(String::from),
                ],
                0..12
            )
            .prop_map(|pieces| pieces.concat()),
        ]
    }

    fn any_source() -> impl Strategy<Value = Source> {
        (api_text(), api_text(), api_text(), api_text()).prop_map(
            |(owner, repo, branch, directory)| Source {
                owner,
                repo,
                branch,
                directory,
            },
        )
    }

    #[test]
    fn go_formatted_errors_of_other_codes_keep_what_the_server_said() {
        assert_eq!(
            readable_error(
                "error applying metadata: Message: inconsistent object: table users, \
                 Locations: [] Extensions: map[code:unexpected]"
            ),
            "Hasura Cloud failed while applying metadata: inconsistent object: table users \
             (unexpected)."
        );
        assert_eq!(
            readable_error("Message: x Extensions: map[]"),
            "Hasura Cloud failed: x."
        );
        // Not Go-formatted: as sent.
        assert_eq!(readable_error("  plain words "), "plain words");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Whatever a failed task's error says, the sentence is made without a panic, and a
        /// repository taken from the error is text that follows "could not read " in it.
        #[test]
        fn failure_messages_take_any_text(
            error in api_text(),
            source in any_source(),
            deploying in any::<bool>(),
        ) {
            let task = failed("gh-validation", &error);
            let _ = failure_message(Some(&task), deploying, &source);
            let _ = failure_message(Some(&task), deploying, &Source::default());
            if let Some(repository) = repository_in(&error) {
                let phrase = format!("could not read {repository}").to_ascii_lowercase();
                prop_assert!(error.to_ascii_lowercase().contains(&phrase), "{error:?}");
            }
            if let Some(quoted) = quoted(&error) {
                prop_assert!(error.contains(&format!("\"{quoted}\"")), "{error:?}");
            }
            let _ = is_allowance_text(&error);
            let _ = allowance_of(&error);
            let _ = readable_error(&error);
        }

        /// Go-formatted errors with any parts are read without a panic.
        #[test]
        fn go_formatted_errors_take_any_parts(a in api_text(), b in api_text(), c in api_text()) {
            let _ = readable_error(&format!("{a}: Message: {b}, Locations: [] Extensions: map[{c}]"));
            let _ = readable_error(&format!("Extensions: map[{c}] {a} Message: {b}"));
        }

        /// Any refusal of a create is mapped without a panic.
        #[test]
        fn create_errors_take_any_text(message in api_text()) {
            let _ = create_error(hasura_cloud::Error::InvalidInput { message: message.clone() });
            let _ = create_error(hasura_cloud::Error::NotFound { what: message });
        }

        /// Any name and reason make a notification of bounded length.
        #[test]
        fn notifications_take_any_text(name in api_text(), error in api_text()) {
            let mut run = run(RunPhase::Failed, Some(&error));
            run.name = name.clone();
            let (title, body) = notification(&run).unwrap_or_default();
            prop_assert!(body.chars().count() <= 120, "{body:?}");
            prop_assert!(title.chars().count() <= 160 + name.chars().count(), "{title:?}");
        }
    }
}
