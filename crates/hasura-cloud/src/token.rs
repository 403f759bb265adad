//! Secrets that must never reach a log line: the Hasura Cloud personal access token (PAT) and the
//! GitHub token handed to preview apps.

use std::fmt;

/// A secret string (a Hasura Cloud PAT or a GitHub token).
///
/// `Debug` and `Display` print `<redacted>`, and the type deliberately implements neither
/// `Serialize` nor `Deserialize`, so it cannot leak through logging or a serialized struct by
/// accident. [`Token::expose_secret`] is the only way to read it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a secret.
    pub fn new(secret: String) -> Self {
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

/// Replaces every occurrence of `secret` in `text` with `<redacted>`. Used on messages that
/// echo server text, in case the server ever echoes a secret we sent it.
pub(crate) fn scrub(text: &str, secret: &str) -> String {
    let secret = secret.trim();
    // A very short "secret" would redact ordinary words; real tokens are long.
    if secret.len() < 4 {
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
}
