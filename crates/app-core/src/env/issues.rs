//! What the editor tells about keys and values: issues (errors block applying, warnings do not),
//! whether a variable looks secret, and value fingerprints.

use std::collections::BTreeMap;
use std::fmt;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::model::{EnvChange, EnvIssue, Severity};
use crate::validate::is_env_key;

/// The largest value accepted, in bytes of UTF-8.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// Prefix of the engine's own variables; other `HASURA_` names are suspicious.
pub const ENGINE_PREFIX: &str = "HASURA_GRAPHQL_";

/// Schemes (and one ODBC marker) of database connection strings.
const DATABASE_URL_PREFIXES: &[&str] = &[
    "postgres://",
    "postgresql://",
    "mysql://",
    "mariadb://",
    "mssql://",
    "sqlserver://",
    "mongodb://",
    "mongodb+srv://",
    "jdbc:",
];

fn issue(key: &str, severity: Severity, message: String) -> EnvIssue {
    EnvIssue {
        key: key.to_owned(),
        severity,
        message,
    }
}

/// True when `value` looks like a database connection string.
pub fn looks_like_database_url(value: &str) -> bool {
    let lower = value.trim_start().to_ascii_lowercase();
    DATABASE_URL_PREFIXES.iter().any(|p| lower.starts_with(p)) || lower.contains("driver={")
}

/// The issues of one variable that is to be set: name, size, and Hasura Cloud's rules.
pub fn issues_of(key: &str, value: &str) -> Vec<EnvIssue> {
    let mut out = Vec::new();
    if key.is_empty() {
        out.push(issue(
            key,
            Severity::Error,
            "A variable has no name. Give it one, or remove it.".to_owned(),
        ));
    } else if !is_env_key(key) {
        out.push(issue(
            key,
            Severity::Error,
            format!(
                "\"{}\" is not a valid name: names start with a letter or _ and contain only \
                 letters, digits and _.",
                key.escape_debug()
            ),
        ));
    }
    if value.len() > MAX_VALUE_BYTES {
        out.push(issue(
            key,
            Severity::Error,
            format!(
                "This value is {} KiB; Hasura Cloud takes at most 64 KiB per value.",
                value.len().div_ceil(1024)
            ),
        ));
    }
    let upper = key.to_ascii_uppercase();
    if upper.starts_with("HASURA_") {
        if !upper.starts_with(ENGINE_PREFIX) {
            out.push(issue(
                key,
                Severity::Warning,
                format!(
                    "Names starting with HASURA_ are the engine's; {key} is not one of its \
                     variables (those start with {ENGINE_PREFIX}). Check the spelling, or choose \
                     another name."
                ),
            ));
        }
        if looks_like_database_url(value) {
            out.push(issue(
                key,
                Severity::Warning,
                "This looks like a database URL. Hasura Cloud does not allow database URLs in \
                 variables whose names start with HASURA_: use a name such as PG_DATABASE_URL \
                 and connect the database with it."
                    .to_owned(),
            ));
        }
    }
    out
}

/// The issues of a draft's staged changes (added and changed keys; removals have none), sorted
/// by key.
pub fn issues_of_changes(changes: &[EnvChange]) -> Vec<EnvIssue> {
    changes
        .iter()
        .filter_map(|c| c.new_value.as_deref().map(|v| issues_of(&c.key, v)))
        .flatten()
        .collect()
}

/// The issues of an imported file: each entry's, plus an error for a key given more than once
/// (the last one would be used). `entries` are (key, value, line) in file order.
pub fn issues_of_import<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str, u32)>,
) -> Vec<EnvIssue> {
    let mut lines: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut last: BTreeMap<&str, &str> = BTreeMap::new();
    for (key, value, line) in entries {
        lines.entry(key).or_default().push(line);
        last.insert(key, value);
    }
    let mut out = Vec::new();
    for (key, value) in last {
        if let Some(lines) = lines.get(key).filter(|l| l.len() > 1) {
            let list: Vec<String> = lines.iter().map(u32::to_string).collect();
            out.push(issue(
                key,
                Severity::Error,
                format!(
                    "{key} is set more than once in this file (lines {}). Keep one.",
                    list.join(", ")
                ),
            ));
        }
        out.extend(issues_of(key, value));
    }
    out
}

/// Words in a name that mark a secret when they are a whole `_`-separated part.
const SECRET_PARTS: &[&str] = &[
    "KEY",
    "KEYS",
    "APIKEY",
    "PASS",
    "PWD",
    "PRIVATE",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
    "SALT",
    "JWT",
];

/// Words that mark a secret anywhere in a name.
const SECRET_WORDS: &[&str] = &["SECRET", "PASSWORD", "PASSWD", "TOKEN", "APIKEY", "API_KEY"];

/// True when a variable should stay masked: its name looks secret (SECRET, PASSWORD, TOKEN, KEY,
/// …), or it is a URL (a `…_URL` name, or any value) carrying a password.
pub fn secret_like(key: &str, value: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    if SECRET_WORDS.iter().any(|w| upper.contains(w))
        || upper.split('_').any(|part| SECRET_PARTS.contains(&part))
    {
        return true;
    }
    url_with_password(value) || (upper.ends_with("DATABASE_URL") && looks_like_database_url(value))
}

/// `scheme://user:password@host…`.
fn url_with_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// Bytes of an install's fingerprint key.
pub const FINGERPRINT_SECRET_BYTES: usize = 32;

/// Value fingerprints: the first 12 hex digits of HMAC-SHA256(secret, key + "\0" + value). The
/// secret is the install's (made once, kept in the keychain), so a fingerprint in the activity
/// log or a comparison cannot be reversed by hashing guessed values, while two fingerprints made
/// by the same install still compare. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Fingerprinter {
    mac: Hmac<Sha256>,
}

impl Fingerprinter {
    pub fn new(secret: &[u8; FINGERPRINT_SECRET_BYTES]) -> Fingerprinter {
        // HMAC pads a key shorter than SHA-256's 64-byte block with zeros, so this is the MAC
        // keyed with the secret itself, built without a call that could fail.
        let mut block = [0u8; 64];
        block[..FINGERPRINT_SECRET_BYTES].copy_from_slice(secret);
        Fingerprinter {
            mac: <Hmac<Sha256> as KeyInit>::new(&block.into()),
        }
    }

    /// A new random secret (the thread RNG: a CSPRNG seeded by the OS).
    pub fn new_secret() -> [u8; FINGERPRINT_SECRET_BYTES] {
        let mut secret = [0u8; FINGERPRINT_SECRET_BYTES];
        rand::rng().fill_bytes(&mut secret);
        secret
    }

    /// The secret as kept in the keychain: lowercase hex.
    pub fn secret_text(secret: &[u8; FINGERPRINT_SECRET_BYTES]) -> String {
        hex(secret)
    }

    /// A secret read back from the keychain; `None` unless it is exactly what
    /// [`Fingerprinter::secret_text`] writes.
    pub fn secret_from_text(text: &str) -> Option<[u8; FINGERPRINT_SECRET_BYTES]> {
        let text = text.trim().as_bytes();
        if text.len() != FINGERPRINT_SECRET_BYTES * 2 {
            return None;
        }
        let mut secret = [0u8; FINGERPRINT_SECRET_BYTES];
        for (byte, pair) in secret.iter_mut().zip(text.chunks_exact(2)) {
            let digits = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(digits, 16).ok()?;
        }
        Some(secret)
    }

    /// The fingerprint of `value` under `key`.
    pub fn fingerprint(&self, key: &str, value: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(key.as_bytes());
        mac.update(&[0u8]);
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes()[..6])
    }
}

impl fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fingerprinter { .. }")
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::model::ChangeKind;

    fn severities(issues: &[EnvIssue]) -> Vec<Severity> {
        issues.iter().map(|i| i.severity).collect()
    }

    #[test]
    fn names_and_sizes() {
        assert!(issues_of("PG_DATABASE_URL", "postgres://u:p@h/db").is_empty());
        assert!(issues_of("_x1", "").is_empty());
        for bad in ["", "1A", "A-B", "A B", "É", " A", "A.B"] {
            let issues = issues_of(bad, "v");
            assert_eq!(severities(&issues), [Severity::Error], "{bad:?}");
            assert_eq!(issues[0].key, bad);
        }
        assert!(issues_of("", "v")[0].message.contains("no name"));
        assert!(
            issues_of("A-B", "v")[0]
                .message
                .contains("\"A-B\" is not a valid name")
        );
        assert!(issues_of("A", &"x".repeat(MAX_VALUE_BYTES)).is_empty());
        let big = issues_of("A", &"x".repeat(MAX_VALUE_BYTES + 1));
        assert_eq!(severities(&big), [Severity::Error]);
        assert!(big[0].message.contains("65 KiB"), "{}", big[0].message);
        // Multi-byte characters count as bytes.
        assert_eq!(
            issues_of("A", &"é".repeat(MAX_VALUE_BYTES / 2 + 1)).len(),
            1
        );
    }

    #[test]
    fn hasura_prefixed_names() {
        assert!(issues_of("HASURA_GRAPHQL_ADMIN_SECRET", "s").is_empty());
        assert!(issues_of("HASURA_GRAPHQL_JWT_SECRET", "{\"type\":\"HS256\"}").is_empty());
        let typo = issues_of("HASURA_GRAPHQ_ADMIN_SECRET", "s");
        assert_eq!(severities(&typo), [Severity::Warning]);
        assert!(typo[0].message.contains("HASURA_GRAPHQL_"));
        let db = issues_of("HASURA_GRAPHQL_DATABASE_URL", "postgres://u:p@h:5432/db");
        assert_eq!(severities(&db), [Severity::Warning]);
        assert!(db[0].message.contains("database URL"));
        assert_eq!(
            severities(&issues_of("HASURA_DB", "mysql://h/db")),
            [Severity::Warning, Severity::Warning]
        );
        assert_eq!(
            issues_of(
                "HASURA_GRAPHQL_X",
                "Driver={ODBC Driver 18 for SQL Server};Server=h"
            )
            .len(),
            1
        );
        // Database URLs under other names are how Hasura Cloud wants them.
        assert!(issues_of("PG_DATABASE_URL", "postgresql://h/db").is_empty());
        assert!(issues_of("HASURA_GRAPHQL_CORS_DOMAIN", "https://a.example").is_empty());
    }

    #[test]
    fn change_and_import_issues() {
        let changes = vec![
            EnvChange {
                key: "1BAD".into(),
                kind: ChangeKind::Added,
                old_value: None,
                new_value: Some("v".into()),
            },
            EnvChange {
                key: "2GONE".into(),
                kind: ChangeKind::Removed,
                old_value: Some("v".into()),
                new_value: None,
            },
        ];
        let issues = issues_of_changes(&changes);
        assert_eq!(issues.len(), 1, "removals have no issues");
        assert_eq!(issues[0].key, "1BAD");

        let issues = issues_of_import([("A", "1", 1), ("B", "2", 2), ("A", "3", 5), ("A", "4", 9)]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].key, "A");
        assert_eq!(issues[0].severity, Severity::Error);
        assert!(
            issues[0].message.contains("lines 1, 5, 9"),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn secret_like_names_and_values() {
        for key in [
            "HASURA_GRAPHQL_ADMIN_SECRET",
            "HASURA_GRAPHQL_JWT_SECRET",
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "STRIPE_API_KEY",
            "KEY",
            "SIGNING_KEY",
            "my_secret",
            "AWS_SECRET_ACCESS_KEY",
            "SMTP_PASS",
            "PRIVATE_KEY",
        ] {
            assert!(secret_like(key, "x"), "{key}");
        }
        for key in [
            "PORT",
            "HASURA_GRAPHQL_ENABLE_CONSOLE",
            "MONKEY_COUNT",
            "KEYBOARD",
            "LOG_LEVEL",
            "HASURA_GRAPHQL_AUTH_HOOK",
            "API_BASE",
            // Only when its value is a database URL (the UI once flagged every one).
            "DATABASE_URL",
        ] {
            assert!(!secret_like(key, "x"), "{key}");
        }
        assert!(secret_like(
            "PG_DATABASE_URL",
            "postgres://user:pw@db.example:5432/app"
        ));
        assert!(secret_like("PG_DATABASE_URL", "postgres://db.example/app"));
        assert!(secret_like("WEBHOOK", "https://user:pw@hooks.example/x"));
        assert!(!secret_like("WEBHOOK", "https://hooks.example/x?to=a@b"));
        assert!(!secret_like("HOMEPAGE_URL", "https://example.com/"));
        assert!(secret_like("CACHE_URL", "redis://user:pw@cache:6379"));
        assert!(!secret_like("CACHE_URL", "redis://cache:6379"));
    }

    #[test]
    fn fingerprints_are_keyed() {
        let secret = [7u8; FINGERPRINT_SECRET_BYTES];
        let prints = Fingerprinter::new(&secret);
        let f = prints.fingerprint("A", "1");
        assert_eq!(f.len(), 12);
        assert!(
            f.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(f, prints.fingerprint("A", "1"));
        assert_eq!(f, Fingerprinter::new(&secret).fingerprint("A", "1"));
        assert_ne!(f, prints.fingerprint("A", "2"));
        assert_ne!(
            prints.fingerprint("AB", "C"),
            prints.fingerprint("A", "BC"),
            "the separator counts"
        );
        // Another secret, another fingerprint; and not the plain SHA-256 of key and value.
        assert_ne!(
            f,
            Fingerprinter::new(&[8u8; FINGERPRINT_SECRET_BYTES]).fingerprint("A", "1")
        );
        use sha2::Digest;
        assert_ne!(f, hex(&Sha256::digest(b"A\x001")[..6]));
        // The recipe: HMAC-SHA256 keyed with the 32 secret bytes, of key, NUL, value; the first 6
        // bytes in lowercase hex.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret).unwrap();
        mac.update(b"A\x001");
        assert_eq!(f, hex(&mac.finalize().into_bytes()[..6]));
        assert_eq!(format!("{prints:?}"), "Fingerprinter { .. }");
    }

    #[test]
    fn fingerprint_secrets_are_kept_as_hex() {
        let secret = Fingerprinter::new_secret();
        assert_ne!(secret, Fingerprinter::new_secret(), "random");
        let text = Fingerprinter::secret_text(&secret);
        assert_eq!(text.len(), 64);
        assert_eq!(Fingerprinter::secret_from_text(&text), Some(secret));
        assert_eq!(
            Fingerprinter::secret_from_text(&format!(" {text}\n")),
            Some(secret)
        );
        for bad in [
            "",
            "abc",
            &text[..63],
            &format!("{}zz", &text[..62]),
            "é".repeat(32).as_str(),
        ] {
            assert_eq!(Fingerprinter::secret_from_text(bad), None, "{bad:?}");
        }
    }
}
