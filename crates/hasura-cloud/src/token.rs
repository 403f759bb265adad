//! Secrets that must never reach a log line: the Hasura Cloud personal access token (PAT) and the
//! GitHub token handed to preview apps.

use std::borrow::Cow;
use std::fmt;
use std::sync::RwLock;

/// A secret string (a Hasura Cloud PAT or a GitHub token).
///
/// `Debug` and `Display` print `<redacted>`, and the type deliberately implements neither
/// `Serialize` nor `Deserialize`, so it cannot leak through logging or a serialized struct by
/// accident. [`Token::expose_secret`] is the only way to read it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a secret, and remembers it for [`redact`]: every secret the process holds is a
    /// `Token`, so each one is known to the redaction before it could reach a log line.
    pub fn new(secret: String) -> Self {
        remember(&secret);
        Self(secret)
    }

    /// The secret itself. Call only where it is sent over the wire.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// True when the token is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A very short "secret" would redact ordinary words; real tokens are long.
const MIN_SECRET_LEN: usize = 4;

/// Every secret made into a [`Token`] in this process. Kept for the process's life: a token
/// signed out of may still be quoted by a late error, and there are only ever a handful.
static KNOWN_SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

fn remember(secret: &str) {
    let secret = secret.trim();
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    let mut known = KNOWN_SECRETS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !known.iter().any(|k| k == secret) {
        known.push(secret.to_owned());
    }
}

/// `text` with every secret this process has held as a [`Token`] replaced by `<redacted>`:
/// what the app's log writes every line through, so a token cannot reach the log whatever
/// formatted it.
pub fn redact(text: &str) -> Cow<'_, str> {
    let known = KNOWN_SECRETS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut text = Cow::Borrowed(text);
    for secret in known.iter() {
        if text.contains(secret.as_str()) {
            text = Cow::Owned(text.replace(secret.as_str(), "<redacted>"));
        }
    }
    text
}

/// Replaces every occurrence of `secret` in `text` with `<redacted>`. Used on messages that
/// echo server text, in case the server ever echoes a secret we sent it.
pub(crate) fn scrub(text: &str, secret: &str) -> String {
    let secret = secret.trim();
    if secret.len() < MIN_SECRET_LEN {
        return text.to_owned();
    }
    text.replace(secret, "<redacted>")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cr3t-pat-value-1234";

    #[derive(Debug)]
    #[allow(dead_code)] // fields are read through Debug only
    struct Holder {
        name: &'static str,
        token: Token,
        maybe: Option<Token>,
    }

    #[test]
    fn debug_and_display_are_redacted() {
        let token = Token::new(SECRET.to_owned());
        assert_eq!(format!("{token:?}"), "<redacted>");
        assert_eq!(format!("{token}"), "<redacted>");
        assert_eq!(format!("{token:#?}"), "<redacted>");
        assert_eq!(token.to_string(), "<redacted>");
    }

    #[test]
    fn structs_containing_a_token_do_not_leak_it() {
        let holder = Holder {
            name: "x",
            token: Token::new(SECRET.to_owned()),
            maybe: Some(Token::new(SECRET.to_owned())),
        };
        let plain = format!("{holder:?}");
        let pretty = format!("{holder:#?}");
        assert!(!plain.contains(SECRET), "{plain}");
        assert!(!pretty.contains(SECRET), "{pretty}");
        assert!(plain.contains("<redacted>"));
    }

    #[test]
    fn expose_secret_returns_the_value_and_clone_keeps_it() {
        let token = Token::new(SECRET.to_owned());
        let copy = token.clone();
        assert_eq!(copy.expose_secret(), SECRET);
        assert!(!token.is_blank());
        assert!(Token::new("  \n".to_owned()).is_blank());
    }

    #[test]
    fn scrub_removes_secret_from_text() {
        assert_eq!(
            scrub(&format!("bad token {SECRET}!"), SECRET),
            "bad token <redacted>!"
        );
        assert_eq!(scrub("abc", "ab"), "abc");
    }

    #[test]
    fn redact_removes_every_token_ever_made() {
        let first = "hcd-fake-token-redact-first-0001";
        let second = "ghp_fakeRedactSecond0002";
        let text = format!("sent {first} and then {second}, twice: {first}");
        // Not yet a token: nothing to redact.
        assert_eq!(redact(&text), text);
        let _first = Token::new(first.to_owned());
        // Kept after the token is gone: a late error may still quote it.
        drop(Token::new(format!("  {second}\n")));
        assert_eq!(
            redact(&text),
            "sent <redacted> and then <redacted>, twice: <redacted>"
        );
        // Text without a secret comes back untouched (and unallocated).
        assert!(matches!(redact("nothing secret"), Cow::Borrowed(_)));
    }

    #[test]
    fn redact_ignores_secrets_too_short_to_be_tokens() {
        let _short = Token::new("abc".to_owned());
        assert_eq!(redact("abc abcdef"), "abc abcdef");
    }
}
