//! Profiles (one Hasura Cloud account or the sandbox each) as the UI sees them, and the rules a
//! profile's name, colour and endpoint follow.

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::error::AppError;

/// The production control-plane endpoint, used when a profile gives none.
pub const DEFAULT_ENDPOINT: &str = hasura_cloud::DEFAULT_ENDPOINT;

/// Colour of a profile saved without one.
pub const DEFAULT_COLOR: &str = "#3b82f6";

/// Longest profile name, in characters.
pub const MAX_PROFILE_NAME: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ProfileKind {
    /// A Hasura Cloud account (or any API endpoint the person configured).
    Cloud,
    /// The built-in simulator.
    Sandbox,
}

/// Where a signed-in profile's token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum TokenStorage {
    /// The OS keychain; survives restarts.
    Keychain,
    /// Memory only, until the app quits.
    Session,
}

/// A profile as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub color: String,
    pub endpoint: String,
    pub kind: ProfileKind,
    pub signed_in: bool,
    /// `None` when not signed in.
    pub token_storage: Option<TokenStorage>,
    /// Project ids marked as production (see `set_production`).
    pub production_projects: Vec<String>,
    /// A sentence to show beside the endpoint when it is not Hasura Cloud's (where the token
    /// goes instead); `None` for Hasura Cloud and for the sandbox (its kind says it).
    pub endpoint_note: Option<String>,
}

/// The profiles and the active one; most profile commands answer with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppSnapshot {
    pub profiles: Vec<Profile>,
    pub active_profile_id: Option<String>,
}

/// A cloud profile to create (`id: None`) or update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub id: Option<String>,
    pub name: String,
    /// `#rgb`/`#rrggbb` or a colour name such as `teal`; blank for the default.
    pub color: String,
    /// Blank for the default endpoint.
    pub endpoint: String,
}

/// Sign-in in one step: the profile to save (new when `profile.id` is `None`, else updated), the
/// token to check with its endpoint and keep, and where. Not `Debug`-printable with its token.
#[derive(Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignIn {
    pub profile: ProfileInput,
    pub token: String,
    /// `false` keeps the token in memory for this session only.
    pub remember: bool,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("profile", &self.profile)
            .field("token", &"<redacted>")
            .field("remember", &self.remember)
            .finish()
    }
}

/// What a sign-in answers: the signed-in profile (now the active one) and the profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    pub profile_id: String,
    pub state: AppSnapshot,
}

/// A token to validate and keep. Deliberately not `Debug`-printable with its token.
#[derive(Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignInInput {
    pub profile_id: String,
    pub token: String,
    /// `false` keeps the token in memory for this session only.
    pub remember: bool,
}

impl std::fmt::Debug for SignInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInInput")
            .field("profile_id", &self.profile_id)
            .field("token", &"<redacted>")
            .field("remember", &self.remember)
            .finish()
    }
}

/// A profile name: trimmed, not empty, at most [`MAX_PROFILE_NAME`] characters.
pub fn validate_profile_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "profileName",
            "Give the profile a name, e.g. \"Work\" or \"Personal\".",
        ));
    }
    if name.chars().count() > MAX_PROFILE_NAME {
        return Err(AppError::invalid(
            "profileName",
            format!("A profile name can be at most {MAX_PROFILE_NAME} characters long."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "profileName",
            "A profile name cannot contain line breaks or other control characters.",
        ));
    }
    Ok(name.to_owned())
}

/// A colour: `#rgb`, `#rrggbb` or `#rrggbbaa`, or a name of lowercase letters, digits and
/// hyphens (at most 32). Blank means [`DEFAULT_COLOR`]. The value ends up in the UI's styles, so
/// nothing else is let through.
pub fn validate_color(color: &str) -> Result<String, AppError> {
    let color = color.trim();
    if color.is_empty() {
        return Ok(DEFAULT_COLOR.to_owned());
    }
    let ok = match color.strip_prefix('#') {
        Some(hex) => matches!(hex.len(), 3 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit()),
        None => {
            color.len() <= 32
                && color.starts_with(|c: char| c.is_ascii_lowercase())
                && color
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }
    };
    if ok {
        Ok(color.to_owned())
    } else {
        Err(AppError::invalid(
            "color",
            "Choose a colour as #rrggbb (e.g. #3b82f6) or by name (e.g. teal).",
        ))
    }
}

/// True for `localhost`, 127.0.0.0/8 and `[::1]`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An API endpoint: `https://…`, or plain `http://` only on this computer (127.0.0.0/8,
/// `localhost`, `[::1]`), because the token travels with every request. Blank means
/// [`DEFAULT_ENDPOINT`].
///
/// Returns it normalized, the form that is saved, shown, and that a token is bound to: scheme
/// and host in lowercase, an international host in punycode (so a look-alike name shows as
/// what it is), no default port, no `#fragment` or empty `?`, and no `/` after a bare host.
pub fn validate_endpoint(endpoint: &str) -> Result<String, AppError> {
    let endpoint = endpoint.trim();
    if endpoint.is_empty() {
        return Ok(DEFAULT_ENDPOINT.to_owned());
    }
    let refuse = |why: &str| {
        Err(AppError::invalid(
            "endpoint",
            format!(
                "{why} Use an https:// address such as {DEFAULT_ENDPOINT}; plain http:// is \
                 allowed only for this computer (localhost, 127.0.0.1, [::1]), because the access \
                 token is sent with every request."
            ),
        ))
    };
    let Ok(mut url) = Url::parse(endpoint) else {
        return refuse("This endpoint is not a valid web address.");
    };
    if url.host().is_none() {
        return refuse("This endpoint has no host name.");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("An endpoint cannot contain a user name or password.");
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return refuse("This endpoint uses plain http:// to another computer."),
        _ => return refuse("This endpoint is not an https:// address."),
    }
    if url.query().is_some_and(|q| !q.is_empty()) {
        return refuse("An endpoint cannot have a ?query part.");
    }
    url.set_query(None);
    url.set_fragment(None);
    let normalized = String::from(url);
    Ok(match normalized.strip_suffix('/') {
        // `https://host/` is the bare host as typed.
        Some(bare) if bare.matches('/').count() == 2 => bare.to_owned(),
        _ => normalized,
    })
}

/// Whether two endpoints are the same once normalized (a settings file written by hand, or by
/// an older version, may hold one as typed).
pub(crate) fn same_endpoint(a: &str, b: &str) -> bool {
    endpoint_key(a) == endpoint_key(b)
}

/// An endpoint in the form tokens are bound to: normalized, or as saved when it is no valid
/// endpoint (then it matches no token, since tokens are checked only against valid ones).
pub(crate) fn endpoint_key(endpoint: &str) -> String {
    validate_endpoint(endpoint).unwrap_or_else(|_| endpoint.to_owned())
}

/// True when requests go to Hasura Cloud itself: https, on the host of [`DEFAULT_ENDPOINT`], on
/// the default port.
pub fn is_hasura_cloud(endpoint: &str) -> bool {
    let (Ok(url), Ok(ours)) = (Url::parse(endpoint), Url::parse(DEFAULT_ENDPOINT)) else {
        return false;
    };
    url.scheme() == "https" && url.port().is_none() && url.host() == ours.host()
}

/// What the UI says beside an endpoint that is not Hasura Cloud's: where requests and the token
/// go instead. `None` for Hasura Cloud's.
pub fn endpoint_note(endpoint: &str) -> Option<String> {
    if is_hasura_cloud(endpoint) {
        return None;
    }
    let Ok(url) = Url::parse(endpoint) else {
        return Some(
            "Not Hasura Cloud: this endpoint is not a valid address. Edit the profile.".to_owned(),
        );
    };
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => String::new(),
    };
    Some(if is_loopback(&url) {
        format!(
            "Not Hasura Cloud: requests and this profile's access token go to {host}, a server on \
             this computer."
        )
    } else {
        format!("Not Hasura Cloud: requests and this profile's access token go to {host}.")
    })
}

/// A pasted token: trimmed, not empty, printable ASCII without spaces (what can be sent in an
/// HTTP header). The token itself never appears in the error.
pub fn validate_token_text(token: &str) -> Result<String, AppError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(AppError::invalid(
            "token",
            "Paste a personal access token (Hasura Cloud → My Account → Access Tokens).",
        ));
    }
    if !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(AppError::invalid(
            "token",
            "This token contains spaces or characters an access token does not have. Copy it \
             again from Hasura Cloud and paste it.",
        ));
    }
    Ok(token.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn field_of(e: AppError) -> Option<String> {
        match e {
            AppError::InvalidInput { field, .. } => field,
            other => panic!("expected invalidInput, got {other:?}"),
        }
    }

    #[test]
    fn endpoints() {
        for ok in [
            "https://data.pro.hasura.io/v1/graphql",
            "https://example.com",
            "http://127.0.0.1:9/v1/graphql",
            "http://127.8.9.10:4000/v1/graphql",
            "http://localhost:4000/v1/graphql",
            "http://LOCALHOST/v1/graphql",
            "http://[::1]:4000/v1/graphql",
            "  https://example.com/v1/graphql  ",
        ] {
            assert!(validate_endpoint(ok).is_ok(), "{ok}");
        }
        assert_eq!(validate_endpoint("  ").unwrap(), DEFAULT_ENDPOINT);
        for bad in [
            "http://example.com",
            "http://example.com/v1/graphql",
            "http://128.0.0.1/v1/graphql",
            "http://10.0.0.1/v1/graphql",
            "http://localhost.example.com/v1/graphql",
            "http://[::2]/v1/graphql",
            "ftp://example.com",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "example.com",
            "https://user:pass@example.com/v1/graphql",
            "not a url",
        ] {
            let e = validate_endpoint(bad).unwrap_err();
            assert!(e.message().contains("https://"), "{bad}: {e}");
            assert_eq!(field_of(e), Some("endpoint".into()), "{bad}");
        }
    }

    #[test]
    fn endpoints_are_normalized_as_saved() {
        for (typed, saved) in [
            (
                "HTTPS://Data.Pro.HASURA.io/v1/graphql",
                "https://data.pro.hasura.io/v1/graphql",
            ),
            (
                "https://bücher.example/v1/graphql",
                "https://xn--bcher-kva.example/v1/graphql",
            ),
            (
                "https://example.com:443/v1/graphql",
                "https://example.com/v1/graphql",
            ),
            ("https://example.com/", "https://example.com"),
            ("https://example.com", "https://example.com"),
            (
                "https://example.com/v1/graphql#section",
                "https://example.com/v1/graphql",
            ),
            (
                "https://example.com/v1/graphql?",
                "https://example.com/v1/graphql",
            ),
            (
                "http://LOCALHOST:4000/v1/graphql",
                "http://localhost:4000/v1/graphql",
            ),
            (
                "http://[0:0:0:0:0:0:0:1]:4000/v1/graphql",
                "http://[::1]:4000/v1/graphql",
            ),
            (
                "http://127.1:4000/v1/graphql",
                "http://127.0.0.1:4000/v1/graphql",
            ),
        ] {
            assert_eq!(validate_endpoint(typed).unwrap(), saved, "{typed}");
            // Saving the saved form again changes nothing.
            assert_eq!(validate_endpoint(saved).unwrap(), saved, "{saved}");
        }
        let e = validate_endpoint("https://example.com/v1/graphql?token=x").unwrap_err();
        assert_eq!(field_of(e), Some("endpoint".into()));
    }

    #[test]
    fn endpoints_that_are_not_hasura_clouds_say_so() {
        assert_eq!(endpoint_note(DEFAULT_ENDPOINT), None);
        assert_eq!(endpoint_note("https://data.pro.hasura.io/v2/graphql"), None);
        for (endpoint, host) in [
            (
                "https://staging.example.com/v1/graphql",
                "staging.example.com",
            ),
            (
                "https://data.pro.hasura.io:8443/v1/graphql",
                "data.pro.hasura.io:8443",
            ),
            (
                "https://data.pro.hasura.io.evil.example/v1/graphql",
                "data.pro.hasura.io.evil.example",
            ),
            (
                "https://xn--bcher-kva.example/v1/graphql",
                "xn--bcher-kva.example",
            ),
            ("http://127.0.0.1:4000/v1/graphql", "127.0.0.1:4000"),
        ] {
            let note = endpoint_note(endpoint).unwrap_or_default();
            assert!(note.starts_with("Not Hasura Cloud"), "{endpoint}: {note}");
            assert!(note.contains(host), "{endpoint}: {note}");
        }
        assert!(
            endpoint_note("http://127.0.0.1:4000/v1/graphql")
                .unwrap()
                .contains("this computer")
        );
        assert!(endpoint_note("not a url").is_some());
        assert!(is_hasura_cloud(DEFAULT_ENDPOINT));
        assert!(!is_hasura_cloud("http://data.pro.hasura.io/v1/graphql"));
    }

    #[test]
    fn profile_names() {
        assert_eq!(validate_profile_name("  Work ").unwrap(), "Work");
        assert_eq!(
            validate_profile_name(&"é".repeat(40))
                .unwrap()
                .chars()
                .count(),
            40
        );
        for bad in ["", "   ", &"x".repeat(41), "a\nb"] {
            let e = validate_profile_name(bad).unwrap_err();
            assert_eq!(field_of(e), Some("profileName".into()));
        }
    }

    #[test]
    fn colors() {
        assert_eq!(validate_color("").unwrap(), DEFAULT_COLOR);
        for ok in ["#fff", "#3B82F6", "#3b82f680", "teal", "blue-500"] {
            assert_eq!(validate_color(ok).unwrap(), ok);
        }
        for bad in [
            "#ggg",
            "#12345",
            "red;background:url(x)",
            "Teal",
            "1abc",
            "#",
        ] {
            assert_eq!(
                field_of(validate_color(bad).unwrap_err()),
                Some("color".into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn tokens() {
        assert_eq!(validate_token_text("  abc-123\n").unwrap(), "abc-123");
        for bad in ["", "  ", "abc def", "abc\u{7}", "tök"] {
            let e = validate_token_text(bad).unwrap_err();
            if !bad.trim().is_empty() {
                assert!(!e.message().contains(bad.trim()));
            }
            assert_eq!(field_of(e), Some("token".into()));
        }
    }

    #[test]
    fn wire_shapes() {
        let profile = Profile {
            id: "a".into(),
            name: "Work".into(),
            color: "#fff".into(),
            endpoint: DEFAULT_ENDPOINT.into(),
            kind: ProfileKind::Sandbox,
            signed_in: true,
            token_storage: Some(TokenStorage::Session),
            production_projects: vec!["p-1".into()],
            endpoint_note: Some("Not Hasura Cloud: …".into()),
        };
        assert_eq!(
            serde_json::to_value(&profile).unwrap(),
            json!({"id": "a", "name": "Work", "color": "#fff", "endpoint": DEFAULT_ENDPOINT,
                   "kind": "sandbox", "signedIn": true, "tokenStorage": "session",
                   "productionProjects": ["p-1"], "endpointNote": "Not Hasura Cloud: …"})
        );
        let input: SignInInput = serde_json::from_value(
            json!({"profileId": "a", "token": "fake-secret-xyz", "remember": false}),
        )
        .unwrap();
        assert!(!input.remember);
        assert!(!format!("{input:?}").contains("fake-secret-xyz"));
        let input: ProfileInput =
            serde_json::from_value(json!({"id": null, "name": "n", "color": "", "endpoint": ""}))
                .unwrap();
        assert_eq!(input.id, None);
        assert_eq!(
            serde_json::to_value(TokenStorage::Keychain).unwrap(),
            json!("keychain")
        );
    }
}
