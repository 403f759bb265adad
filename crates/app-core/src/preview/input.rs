//! What a person typed in the preview-app wizard: the repository (as `owner/repo` or a pasted
//! GitHub address), branch, folder, name, cloud, region, plan and variables. Each refusal is
//! `invalidInput` naming the form field.

use hasura_cloud::PreviewAppRequest;
use url::Url;

use super::model::{PreviewAppInput, RepositoryRef};
use crate::error::AppError;
use crate::validate;

/// Clouds a preview app can run in.
pub const PREVIEW_CLOUDS: &[&str] = &["aws", "gcp"];
/// Plans a preview app can have.
pub const PREVIEW_PLANS: &[&str] = &["cloud_free", "cloud_payg"];

/// The preview-name rule in words: said with every refusal and shown beside the field.
pub const PREVIEW_NAME_RULE: &str = "A preview app name becomes its host name: 3 to 40 lowercase letters, digits and \
                                     hyphens (e.g. pr-42-shop). Capitals are made lowercase and other characters \
                                     hyphens, so my-app_name is sent as my-app-name.";

fn repository_error(why: &str) -> AppError {
    AppError::invalid(
        "repository",
        format!(
            "{why} Give it as owner/repo (e.g. hasura/my-app), or paste its GitHub address \
             (https://github.com/owner/repo, or …/tree/<branch>/<folder> for a folder)."
        ),
    )
}

/// A GitHub account or organisation name: letters, digits and single hyphens inside.
fn is_owner(owner: &str) -> bool {
    !owner.is_empty()
        && owner.len() <= 39
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !owner.starts_with('-')
        && !owner.ends_with('-')
}

/// A repository name: letters, digits, `.`, `-`, `_`; not `.` or `..`.
fn is_repo(repo: &str) -> bool {
    !repo.is_empty()
        && repo.len() <= 100
        && repo != "."
        && repo != ".."
        && repo
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Checks owner and repo (dropping a `.git` suffix) and builds the reference.
fn reference(
    owner: &str,
    repo: &str,
    branch: Option<String>,
    directory: Option<String>,
) -> Result<RepositoryRef, AppError> {
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    if owner.is_empty() || repo.is_empty() {
        return Err(repository_error(
            "This does not name both the owner and the repository.",
        ));
    }
    if !is_owner(owner) {
        return Err(repository_error(&format!(
            "\"{owner}\" is not a GitHub account or organisation name."
        )));
    }
    if !is_repo(repo) {
        return Err(repository_error(&format!(
            "\"{repo}\" is not a GitHub repository name."
        )));
    }
    Ok(RepositoryRef {
        owner: owner.to_owned(),
        repo: repo.to_owned(),
        branch,
        directory,
    })
}

/// Reads `owner/repo`, `https://github.com/owner/repo(.git)(/tree/<branch>(/<dir>))`,
/// `github.com/owner/repo`, `git@github.com:owner/repo.git` or `ssh://git@github.com/owner/repo`.
/// In a `/tree/` address the first segment after `tree` is taken as the branch and the rest as the
/// folder (a branch with `/` in it must be typed in the branch field).
pub fn parse_repository(text: &str) -> Result<RepositoryRef, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(repository_error(
            "Which repository holds the Hasura project?",
        ));
    }
    if text.chars().any(char::is_whitespace) {
        return Err(repository_error("A repository reference has no spaces."));
    }
    // git@github.com:owner/repo.git
    if let Some(rest) = text.strip_prefix("git@") {
        let Some((host, path)) = rest.split_once(':') else {
            return Err(repository_error("This SSH address has no path."));
        };
        if !host.eq_ignore_ascii_case("github.com") {
            return Err(not_github(host));
        }
        let path = path.trim_matches('/');
        let mut parts = path.split('/');
        let (owner, repo) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        if parts.next().is_some() {
            return Err(repository_error(
                "This SSH address has more than owner/repo.",
            ));
        }
        return reference(owner, repo, None, None);
    }
    let lower = text.to_ascii_lowercase();
    let is_address = lower.contains("://")
        || lower.starts_with("github.com/")
        || lower.starts_with("www.github.com/");
    if !is_address {
        let mut parts = text.trim_matches('/').split('/');
        let (owner, repo) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        if parts.next().is_some() {
            return Err(repository_error("This has more than owner/repo."));
        }
        return reference(owner, repo, None, None);
    }
    let with_scheme = if lower.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|_| repository_error("This address could not be read."))?;
    if !matches!(url.scheme(), "https" | "http" | "ssh" | "git") {
        return Err(repository_error("This is not a GitHub address."));
    }
    let host = url.host_str().unwrap_or_default();
    if !(host.eq_ignore_ascii_case("github.com") || host.eq_ignore_ascii_case("www.github.com")) {
        return Err(not_github(host));
    }
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [owner, repo] => reference(owner, repo, None, None),
        [owner, repo, "tree", branch, rest @ ..] => {
            let directory = (!rest.is_empty()).then(|| rest.join("/"));
            reference(owner, repo, Some((*branch).to_owned()), directory)
        }
        [_, _, "tree"] => Err(repository_error(
            "This address names no branch after /tree/.",
        )),
        [_, _, ..] => Err(repository_error(
            "This address points inside the repository at something other than a folder.",
        )),
        _ => Err(repository_error(
            "This address does not name both the owner and the repository.",
        )),
    }
}

fn not_github(host: &str) -> AppError {
    AppError::invalid(
        "repository",
        format!(
            "Preview apps are built from repositories on github.com, and this address is on \
             {host}."
        ),
    )
}

/// A git branch name (the usual ref rules, checked before sending).
pub fn branch(branch: &str) -> Result<String, AppError> {
    let branch = branch.trim();
    let refuse = |why: &str| Err(AppError::invalid("branch", why.to_owned()));
    if branch.is_empty() {
        return refuse("Which branch should the preview app be built from?");
    }
    let bad_char = branch
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c));
    if bad_char
        || branch.contains("..")
        || branch.contains("@{")
        || branch.contains("//")
        || branch.starts_with(['-', '/', '.'])
        || branch.ends_with(['/', '.'])
        || branch.ends_with(".lock")
    {
        return refuse(&format!(
            "\"{branch}\" is not a valid git branch name (no spaces, no .., and none of ~ ^ : ? * [ \\)."
        ));
    }
    Ok(branch.to_owned())
}

/// The Hasura project folder relative to the repository root: `""` for the root (also `.`, `./`),
/// `./hasura/` → `hasura`. No leading `/`, no `..`.
pub fn directory(directory: &str) -> Result<String, AppError> {
    let trimmed = directory.trim();
    let refuse = |why: String| Err(AppError::invalid("directory", why));
    if trimmed.starts_with('/') {
        return refuse(
            "Give the folder relative to the repository root, without a leading / (e.g. hasura)."
                .to_owned(),
        );
    }
    if trimmed.contains('\\') {
        return refuse("Separate folders with /, not \\.".to_owned());
    }
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return refuse(
                    "The folder must be inside the repository: .. is not allowed.".to_owned(),
                );
            }
            other if other.chars().any(char::is_control) => {
                return refuse("This folder name has characters that are not allowed.".to_owned());
            }
            other => parts.push(other),
        }
    }
    Ok(parts.join("/"))
}

/// A preview app's name, as sent: its host-name form, 3–40 lowercase letters, digits and
/// hyphens, not starting or ending with a hyphen. What the API accepts is wider than its docs
/// (its own reference example sends `my-app_name`), and whether the service then normalizes such
/// a name or fails the job is unknown; sending the normalized form is safe either way and does
/// not spend a monthly preview-app call on a job that might fail.
pub fn preview_name(name: &str) -> Result<String, AppError> {
    let typed = name.trim();
    let rule = PREVIEW_NAME_RULE;
    let refuse = |why: &str| Err(AppError::invalid("name", format!("{why} {rule}")));
    if typed.is_empty() {
        return refuse("Give the preview app a name.");
    }
    let mut name = String::new();
    for c in typed.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    let len = name.chars().count();
    if len < validate::MIN_PROJECT_NAME {
        return refuse("This name is too short.");
    }
    if len > validate::MAX_PROJECT_NAME {
        return refuse("This name is too long.");
    }
    Ok(name.to_owned())
}

/// Default branches say little about a preview app: the repository's name goes first.
const GENERIC_BRANCHES: &[&str] = &["main", "master", "develop", "dev", "trunk"];

/// A valid preview app name made from a branch, and from the repository when the branch alone
/// is too short or generic: `feature/Login-Form` → `feature-login-form`, `main` in `shop` →
/// `shop-main`.
pub fn suggest_name(branch: &str, repository: &str) -> String {
    fn slug(text: &str) -> String {
        let mut out = String::new();
        for c in text.to_lowercase().chars() {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        // Starts with a letter, ends without a hyphen.
        let start = out
            .find(|c: char| c.is_ascii_lowercase())
            .unwrap_or(out.len());
        out[start..].trim_end_matches('-').to_owned()
    }
    let mut name = slug(branch);
    if name.len() < validate::MIN_PROJECT_NAME
        || (GENERIC_BRANCHES.contains(&name.as_str()) && !repository.trim().is_empty())
    {
        name = slug(&format!("{repository}-{branch}"));
    }
    if name.len() < validate::MIN_PROJECT_NAME {
        name = slug(&format!("preview-{name}"));
    }
    let cut: String = name.chars().take(validate::MAX_PROJECT_NAME).collect();
    let name = cut.trim_end_matches('-').to_owned();
    match preview_name(&name) {
        Ok(name) => name,
        Err(_) => "preview-app".to_owned(),
    }
}

/// Checks everything the wizard sends and makes the request to send. A branch or folder left
/// blank is taken from a pasted `/tree/<branch>/<folder>` address; the directory is `""` for the
/// repository root.
pub fn validate_input(input: &PreviewAppInput) -> Result<PreviewAppRequest, AppError> {
    let repository = parse_repository(&input.repository)?;
    let branch_text = if input.branch.trim().is_empty() {
        repository.branch.clone().unwrap_or_default()
    } else {
        input.branch.clone()
    };
    let branch = branch(&branch_text)?;
    let directory_text = if input.directory.trim().is_empty() {
        repository.directory.clone().unwrap_or_default()
    } else {
        input.directory.clone()
    };
    let directory = directory(&directory_text)?;
    let name = preview_name(&input.name)?;
    let cloud = input.cloud.trim();
    if !PREVIEW_CLOUDS.contains(&cloud) {
        return Err(AppError::invalid(
            "cloud",
            "Preview apps run on AWS or Google Cloud: choose one of them.",
        ));
    }
    let region = validate::region(&input.region)?;
    let plan = input.plan.trim();
    if !PREVIEW_PLANS.contains(&plan) {
        return Err(AppError::invalid(
            "plan",
            "Preview apps use the Free or the Pay-as-you-go plan: choose one of them.",
        ));
    }
    let envs = crate::checks::filled_rows(input.envs.clone());
    validate::env_keys(envs.iter().map(|e| e.key.as_str()))?;
    Ok(PreviewAppRequest {
        owner: repository.owner,
        repo: repository.repo,
        branch,
        directory,
        name,
        cloud: cloud.to_owned(),
        region,
        plan: Some(plan.to_owned()),
        env: envs.into_iter().map(|e| (e.key, e.value)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::projects::EnvPair;

    fn field(e: &AppError) -> Option<&str> {
        match e {
            AppError::InvalidInput { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    fn parsed(text: &str) -> (String, String, Option<String>, Option<String>) {
        let r = parse_repository(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        (r.owner, r.repo, r.branch, r.directory)
    }

    fn plain(owner: &str, repo: &str) -> (String, String, Option<String>, Option<String>) {
        (owner.into(), repo.into(), None, None)
    }

    #[test]
    fn repository_forms() {
        for text in [
            "hasura/my-app",
            " hasura/my-app ",
            "hasura/my-app.git",
            "hasura/my-app/",
            "https://github.com/hasura/my-app",
            "https://github.com/hasura/my-app/",
            "https://github.com/hasura/my-app.git",
            "http://github.com/hasura/my-app",
            "https://www.github.com/hasura/my-app",
            "https://GitHub.com/hasura/my-app?tab=readme#top",
            "github.com/hasura/my-app",
            "git@github.com:hasura/my-app.git",
            "git@github.com:hasura/my-app",
            "ssh://git@github.com/hasura/my-app.git",
        ] {
            assert_eq!(parsed(text), plain("hasura", "my-app"), "{text}");
        }
        assert_eq!(parsed("a-b/c_d.e"), plain("a-b", "c_d.e"));
    }

    #[test]
    fn tree_addresses_give_branch_and_folder() {
        assert_eq!(
            parsed("https://github.com/hasura/my-app/tree/main/hasura"),
            (
                "hasura".into(),
                "my-app".into(),
                Some("main".into()),
                Some("hasura".into())
            )
        );
        assert_eq!(
            parsed("https://github.com/hasura/my-app/tree/feature-x/apps/backend/hasura/"),
            (
                "hasura".into(),
                "my-app".into(),
                Some("feature-x".into()),
                Some("apps/backend/hasura".into())
            )
        );
        assert_eq!(
            parsed("https://github.com/hasura/my-app/tree/dev"),
            ("hasura".into(), "my-app".into(), Some("dev".into()), None)
        );
    }

    #[test]
    fn bad_repositories_name_the_field() {
        for text in [
            "",
            "   ",
            "hasura",
            "hasura/",
            "/my-app",
            "a/b/c",
            "hasura/my app",
            "-bad/repo",
            "bad-/repo",
            "owner/..",
            "owner/re$po",
            "https://gitlab.com/hasura/my-app",
            "git@gitlab.com:hasura/my-app.git",
            "https://github.com/hasura",
            "https://github.com/hasura/my-app/tree",
            "https://github.com/hasura/my-app/blob/main/README.md",
            "https://github.com/hasura/my-app/pulls",
            "ftp://github.com/hasura/my-app",
            "git@github.com:hasura/my-app/extra",
        ] {
            let err = parse_repository(text).unwrap_err();
            assert_eq!(field(&err), Some("repository"), "{text}: {err}");
            assert!(
                err.message().ends_with('.') || err.message().ends_with(')'),
                "{err}"
            );
        }
        let err = parse_repository("https://gitlab.com/hasura/my-app").unwrap_err();
        assert!(err.message().contains("gitlab.com"), "{err}");
    }

    #[test]
    fn directories() {
        for (given, want) in [
            ("", ""),
            (".", ""),
            ("./", ""),
            ("hasura", "hasura"),
            ("./hasura/", "hasura"),
            ("apps/backend/hasura", "apps/backend/hasura"),
            (" apps//hasura ", "apps/hasura"),
        ] {
            assert_eq!(directory(given).unwrap(), want, "{given}");
        }
        for bad in ["/hasura", "../hasura", "apps/../../x", "apps\\hasura"] {
            assert_eq!(
                field(&directory(bad).unwrap_err()),
                Some("directory"),
                "{bad}"
            );
        }
    }

    #[test]
    fn branches() {
        for ok in ["main", "feature/x-1", "release-1.2", "fail-apply-migration"] {
            assert_eq!(branch(ok).unwrap(), ok);
        }
        for bad in [
            "", " ", "a b", "a..b", "-x", "x/", "x.lock", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b",
            "a\\b", "a@{b", ".x", "a//b",
        ] {
            assert_eq!(field(&branch(bad).unwrap_err()), Some("branch"), "{bad:?}");
        }
    }

    #[test]
    fn names() {
        for ok in ["pr-1", "abc", "a1-b2", "1pr", &"a".repeat(40)] {
            assert_eq!(preview_name(ok).unwrap(), ok);
        }
        // What the API accepts is sent in its host-name form: the reference's own example first.
        for (typed, sent) in [
            ("my-app_name", "my-app-name"),
            ("PR-1", "pr-1"),
            ("pr_1", "pr-1"),
            (" pr 1 ", "pr-1"),
            ("feature/Login__Form.", "feature-login-form"),
        ] {
            assert_eq!(preview_name(typed).unwrap(), sent, "{typed}");
        }
        for bad in ["", "ab", "-pr", "pr-", "__", "é-ü", &"a".repeat(41)] {
            assert_eq!(
                field(&preview_name(bad).unwrap_err()),
                Some("name"),
                "{bad}"
            );
        }
    }

    fn input() -> PreviewAppInput {
        PreviewAppInput {
            repository: "hasura/my-app".into(),
            branch: "main".into(),
            directory: "hasura".into(),
            name: "pr-1".into(),
            cloud: "aws".into(),
            region: "us-east-2".into(),
            plan: "cloud_free".into(),
            envs: vec![EnvPair {
                key: "A".into(),
                value: "1".into(),
            }],
        }
    }

    #[test]
    fn a_whole_input() {
        let valid = validate_input(&input()).unwrap();
        assert_eq!(
            valid,
            PreviewAppRequest {
                owner: "hasura".into(),
                repo: "my-app".into(),
                branch: "main".into(),
                directory: "hasura".into(),
                name: "pr-1".into(),
                cloud: "aws".into(),
                region: "us-east-2".into(),
                plan: Some("cloud_free".into()),
                env: vec![("A".into(), "1".into())],
            }
        );
    }

    #[test]
    fn blank_env_rows_are_left_out_and_the_rest_checked() {
        let pair = |key: &str, value: &str| EnvPair {
            key: key.into(),
            value: value.into(),
        };
        let with = |envs: Vec<EnvPair>| validate_input(&PreviewAppInput { envs, ..input() });
        let valid = with(vec![pair("", ""), pair("A", "1"), pair("  ", "")]).unwrap();
        assert_eq!(valid.env, [("A".to_owned(), "1".to_owned())]);
        // A value without a key is not blank: it is refused, not dropped.
        assert!(with(vec![pair("", "lost")]).is_err());
    }

    #[test]
    fn blank_branch_and_folder_come_from_a_tree_address() {
        let valid = validate_input(&PreviewAppInput {
            repository: "https://github.com/hasura/my-app/tree/dev/db/hasura".into(),
            branch: " ".into(),
            directory: String::new(),
            ..input()
        })
        .unwrap();
        assert_eq!(
            (valid.branch.as_str(), valid.directory.as_str()),
            ("dev", "db/hasura")
        );
        // What the person typed wins over the address.
        let valid = validate_input(&PreviewAppInput {
            repository: "https://github.com/hasura/my-app/tree/dev/db/hasura".into(),
            branch: "main".into(),
            directory: ".".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(
            (valid.branch.as_str(), valid.directory.as_str()),
            ("main", "")
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(PreviewAppInput, &str)> = vec![
            (
                PreviewAppInput {
                    repository: "x".into(),
                    ..input()
                },
                "repository",
            ),
            (
                PreviewAppInput {
                    branch: String::new(),
                    ..input()
                },
                "branch",
            ),
            (
                PreviewAppInput {
                    directory: "/abs".into(),
                    ..input()
                },
                "directory",
            ),
            (
                PreviewAppInput {
                    name: "_-_".into(),
                    ..input()
                },
                "name",
            ),
            (
                PreviewAppInput {
                    cloud: "azure".into(),
                    ..input()
                },
                "cloud",
            ),
            (
                PreviewAppInput {
                    region: String::new(),
                    ..input()
                },
                "region",
            ),
            (
                PreviewAppInput {
                    plan: "cloud_shared".into(),
                    ..input()
                },
                "plan",
            ),
            (
                PreviewAppInput {
                    envs: vec![
                        EnvPair {
                            key: "A".into(),
                            value: "1".into(),
                        },
                        EnvPair {
                            key: "A".into(),
                            value: "2".into(),
                        },
                    ],
                    ..input()
                },
                "envs",
            ),
            (
                PreviewAppInput {
                    envs: vec![EnvPair {
                        key: "1A".into(),
                        value: String::new(),
                    }],
                    ..input()
                },
                "envs",
            ),
        ];
        for (given, want) in cases {
            let err = validate_input(&given).unwrap_err();
            assert_eq!(field(&err), Some(want), "{given:?}: {err}");
        }
    }

    #[test]
    fn suggested_names_are_valid_and_say_where_they_come_from() {
        assert_eq!(
            suggest_name("feature/Login-Form", "shop"),
            "feature-login-form"
        );
        assert_eq!(suggest_name("main", "shop"), "shop-main");
        assert_eq!(suggest_name("main", ""), "main");
        assert_eq!(suggest_name("42", ""), "preview");
        assert_eq!(suggest_name("123-fix", ""), "fix");
        assert_eq!(suggest_name("v2", "shop"), "shop-v2");
        assert_eq!(suggest_name("feature/Login_Page", ""), "feature-login-page");
        assert_eq!(suggest_name("x", "My Repo"), "my-repo-x");
        assert_eq!(suggest_name("", ""), "preview");
        let long = suggest_name(&"a-".repeat(40), "");
        assert!(long.len() <= 40 && !long.ends_with('-'), "{long}");
        for (branch, repo) in [("___", ""), ("ü", "é"), ("9-9", ""), ("-", ""), ("ab-", "")] {
            let name = suggest_name(branch, repo);
            assert!(preview_name(&name).is_ok(), "{branch} {repo} → {name}");
        }
    }

    /// What a person may type or paste: any Unicode, or pieces of addresses and names next to
    /// characters that change length or case oddly.
    fn typed() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "https://",
            "github.com",
            "GITHUB.COM",
            "git@",
            ":",
            "/",
            "tree",
            ".git",
            "acme",
            "shop",
            "..",
            ".",
            "-",
            "_",
            "@{",
            " ",
            "\\",
            "İ",
            "ẞ",
            "\u{212a}",
            "é",
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Any text is read or refused without a panic, and what is read follows the rules.
        #[test]
        fn any_typed_text_is_read_or_refused(text in typed(), other in typed()) {
            if let Ok(reference) = parse_repository(&text) {
                prop_assert!(is_owner(&reference.owner), "{text:?}");
                prop_assert!(is_repo(&reference.repo), "{text:?}");
            }
            if let Ok(branch) = branch(&text) {
                prop_assert!(!branch.is_empty() && !branch.contains(".."), "{text:?}");
            }
            if let Ok(directory) = directory(&text) {
                prop_assert!(!directory.starts_with('/'), "{text:?}");
                prop_assert!(!directory.split('/').any(|part| part == ".."), "{text:?}");
            }
            if let Ok(name) = preview_name(&text) {
                prop_assert!(name.is_ascii(), "{text:?}");
            }
            let suggested = suggest_name(&text, &other);
            prop_assert!(preview_name(&suggested).is_ok(), "{text:?} {other:?} → {suggested}");
            let _ = validate_input(&PreviewAppInput {
                repository: text.clone(),
                branch: other.clone(),
                directory: text.clone(),
                name: other.clone(),
                cloud: text.clone(),
                region: other.clone(),
                plan: text.clone(),
                envs: vec![EnvPair { key: other.clone(), value: text.clone() }],
            });
        }
    }
}
