//! Where access tokens are kept: the OS keychain ([`KeyringStore`]), or memory ([`MemoryStore`],
//! for tests). No error produced here ever contains a secret.

use std::collections::HashMap;
use std::fmt;

use parking_lot::Mutex;

use crate::error::AppError;

/// The keychain service name the app stores its tokens under.
pub const KEYCHAIN_SERVICE: &str = "hasura-cloud-desktop";

/// The keychain account of a profile's access token.
pub fn profile_account(profile_id: &str) -> String {
    format!("profile:{profile_id}")
}

/// A token as the app keeps it in the keychain: with the normalized endpoint it was checked
/// against, as JSON `{"endpoint": "…", "token": "…"}`, so that a settings file edited to point
/// elsewhere cannot send it there. Entries written before tokens were bound hold the token alone
/// and read with `endpoint: None`. Deliberately not `Debug`.
pub(crate) struct KeptToken {
    pub endpoint: Option<String>,
    pub token: String,
}

impl KeptToken {
    /// The keychain secret for `token`, checked against `endpoint`.
    pub(crate) fn secret(endpoint: &str, token: &str) -> String {
        serde_json::json!({ "endpoint": endpoint, "token": token }).to_string()
    }

    /// Reads a keychain secret; `None` when it holds no token.
    pub(crate) fn read(secret: &str) -> Option<KeptToken> {
        #[derive(serde::Deserialize)]
        struct Bound {
            endpoint: String,
            token: String,
        }
        let kept = match serde_json::from_str::<Bound>(secret) {
            Ok(bound) => KeptToken {
                endpoint: Some(bound.endpoint),
                token: bound.token,
            },
            // An older version's entry: the token alone.
            Err(_) => KeptToken {
                endpoint: None,
                token: secret.to_owned(),
            },
        };
        let token = kept.token.trim();
        (!token.is_empty()).then(|| KeptToken {
            token: token.to_owned(),
            ..kept
        })
    }
}

/// A store of secrets by account name. Implementations must never put a secret into an error.
pub trait SecretStore: Send + Sync {
    /// The secret, or `None` when there is none.
    fn get(&self, account: &str) -> Result<Option<String>, AppError>;
    /// Creates or overwrites the secret.
    fn set(&self, account: &str, secret: &str) -> Result<(), AppError>;
    /// Removes the secret; removing an absent one is not an error.
    fn delete(&self, account: &str) -> Result<(), AppError>;
}

/// Secrets in memory, forgotten when the process ends. For tests, and for machines without a
/// keychain.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, String>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The account names held (never the secrets).
    pub fn accounts(&self) -> Vec<String> {
        let mut accounts: Vec<String> = self.entries.lock().keys().cloned().collect();
        accounts.sort();
        accounts
    }

    pub fn is_empty(&self) -> bool {
        self.entries.lock().is_empty()
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("accounts", &self.accounts())
            .finish_non_exhaustive()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<String>, AppError> {
        Ok(self.entries.lock().get(account).cloned())
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), AppError> {
        self.entries
            .lock()
            .insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), AppError> {
        self.entries.lock().remove(account);
        Ok(())
    }
}

/// The OS keychain through the `keyring` crate: Secret Service (GNOME Keyring, KWallet) on Linux,
/// the Keychain on macOS, the Credential Manager on Windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringStore {
    pub service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(KEYCHAIN_SERVICE)
    }
}

/// The keychain of an OS, for messages: what it is called, the tool that manages it, and what
/// its failures mean, in that OS's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keychain {
    MacOs,
    Windows,
    SecretService,
}

impl Keychain {
    const CURRENT: Keychain = if cfg!(target_os = "macos") {
        Keychain::MacOs
    } else if cfg!(target_os = "windows") {
        Keychain::Windows
    } else {
        Keychain::SecretService
    };

    const fn name(self) -> &'static str {
        match self {
            Keychain::MacOs => "the macOS Keychain",
            Keychain::Windows => "the Windows Credential Manager",
            Keychain::SecretService => {
                "the system keychain (Secret Service: GNOME Keyring or KWallet)"
            }
        }
    }

    const fn tool(self) -> &'static str {
        match self {
            Keychain::MacOs => "Keychain Access",
            Keychain::Windows => "Credential Manager (Control Panel)",
            Keychain::SecretService => "your keyring manager (such as Passwords and Keys)",
        }
    }

    /// Why it failed, read from the platform's text (lowercase): the texts of the Secret Service
    /// over D-Bus, of macOS Security framework codes, of Windows system errors.
    fn why(self, cause: &str) -> &'static str {
        let has = |words: &[&str]| words.iter().any(|w| cause.contains(w));
        match self {
            // The provider test comes first: its D-Bus error names D-Bus too.
            Keychain::SecretService if has(&["org.freedesktop.secrets", "service files"]) => {
                "no Secret Service provider (such as GNOME Keyring or KWallet) is installed or running"
            }
            Keychain::SecretService if has(&["dbus", "d-bus"]) => {
                "no D-Bus session is running, so the Secret Service cannot be reached"
            }
            Keychain::SecretService if has(&["locked", "no result", "prompt"]) => {
                "it is locked, or it has no default collection"
            }
            // errSecInteractionNotAllowed: locked, and macOS could not ask (e.g. over SSH).
            Keychain::MacOs if has(&["interaction is not allowed", "locked"]) => {
                "the login keychain is locked and macOS could not ask you to unlock it"
            }
            // errSecUserCanceled, errSecAuthFailed: the access prompt was refused.
            Keychain::MacOs if has(&["canceled", "cancelled", "passphrase", "not correct"]) => {
                "access to it was refused (the prompt was cancelled or the password was wrong)"
            }
            // errSecNoDefaultKeychain, errSecNoSuchKeychain.
            Keychain::MacOs if has(&["could not be found", "no default keychain"]) => {
                "there is no default keychain; make the login keychain the default in Keychain Access"
            }
            // ERROR_NO_SUCH_LOGON_SESSION: no user profile loaded (a service, some remote sessions).
            Keychain::Windows if has(&["logon session"]) => {
                "this Windows session has no credential store (no user profile is loaded)"
            }
            Keychain::Windows if has(&["access is denied"]) => "Windows denied access to it",
            _ => "it did not answer as expected",
        }
    }
}

/// What the keychain is called on this system, for messages.
const KEYCHAIN_NAME: &str = Keychain::CURRENT.name();

const SESSION_HINT: &str = "You can still sign in for this session only.";

/// Longest platform cause quoted in a message.
const MAX_CAUSE_CHARS: usize = 240;

/// A platform error's text made fit for a message: the secret (if any) removed, shortened.
fn cause_text(cause: &dyn fmt::Display, secret: Option<&str>) -> String {
    let mut text = cause.to_string();
    if let Some(secret) = secret.filter(|s| !s.is_empty()) {
        text = text.replace(secret, "<redacted>");
    }
    let text = text.trim();
    if text.chars().count() > MAX_CAUSE_CHARS {
        let short: String = text.chars().take(MAX_CAUSE_CHARS).collect();
        format!("{short}…")
    } else {
        text.to_owned()
    }
}

/// `keychainUnavailable` with an explanation of why and what to do.
fn unavailable(action: &str, cause: &dyn fmt::Display, secret: Option<&str>) -> AppError {
    unavailable_in(Keychain::CURRENT, action, cause, secret)
}

fn unavailable_in(
    keychain: Keychain,
    action: &str,
    cause: &dyn fmt::Display,
    secret: Option<&str>,
) -> AppError {
    let cause = cause_text(cause, secret);
    let why = keychain.why(&cause.to_lowercase());
    let name = keychain.name();
    AppError::keychain(format!(
        "Could not {action} {name}: {why}. {SESSION_HINT} (Details: {cause})"
    ))
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
))]
mod platform {
    use keyring::{Entry, Error as KeyringError};

    use super::{
        KEYCHAIN_NAME, Keychain, KeyringStore, SESSION_HINT, SecretStore, cause_text, unavailable,
    };
    use crate::error::AppError;

    /// Maps a keyring error. `secret` is the value being written, if any, so that it can be
    /// scrubbed from platform texts.
    fn map_error(action: &str, error: KeyringError, secret: Option<&str>) -> AppError {
        match error {
            KeyringError::PlatformFailure(cause) | KeyringError::NoStorageAccess(cause) => {
                unavailable(action, &cause, secret)
            }
            // The bytes of a non-UTF-8 secret must not be shown.
            KeyringError::BadEncoding(_) => AppError::keychain(format!(
                "The token saved in {KEYCHAIN_NAME} is damaged (it is not text). Sign out and \
                 sign in again."
            )),
            KeyringError::TooLong(attribute, limit) => AppError::keychain(format!(
                "Could not {action} {KEYCHAIN_NAME}: its `{}` is longer than the limit of {limit}. \
                 {SESSION_HINT}",
                cause_text(&attribute, secret)
            )),
            KeyringError::Invalid(attribute, reason) => AppError::keychain(format!(
                "Could not {action} {KEYCHAIN_NAME}: `{}` is invalid ({}). {SESSION_HINT}",
                cause_text(&attribute, secret),
                cause_text(&reason, secret)
            )),
            KeyringError::Ambiguous(entries) => AppError::keychain(format!(
                "Could not {action} {KEYCHAIN_NAME}: it holds {} entries for this profile. \
                 Remove them in {}, then sign in again.",
                entries.len(),
                Keychain::CURRENT.tool()
            )),
            KeyringError::NoEntry => AppError::keychain(format!(
                "Could not {action} {KEYCHAIN_NAME}: the entry is missing. {SESSION_HINT}"
            )),
            other => unavailable(action, &other, secret),
        }
    }

    impl KeyringStore {
        fn entry(&self, action: &str, account: &str) -> Result<Entry, AppError> {
            Entry::new(&self.service, account).map_err(|e| map_error(action, e, None))
        }
    }

    impl SecretStore for KeyringStore {
        fn get(&self, account: &str) -> Result<Option<String>, AppError> {
            const ACTION: &str = "read the token from";
            match self.entry(ACTION, account)?.get_password() {
                Ok(secret) => Ok(Some(secret)),
                Err(KeyringError::NoEntry) => Ok(None),
                Err(e) => Err(map_error(ACTION, e, None)),
            }
        }

        fn set(&self, account: &str, secret: &str) -> Result<(), AppError> {
            const ACTION: &str = "save the token in";
            self.entry(ACTION, account)?
                .set_password(secret)
                .map_err(|e| map_error(ACTION, e, Some(secret)))
        }

        fn delete(&self, account: &str) -> Result<(), AppError> {
            const ACTION: &str = "remove the token from";
            match self.entry(ACTION, account)?.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
                Err(e) => Err(map_error(ACTION, e, None)),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn platform_errors_are_keychain_unavailable_without_the_secret() {
            let secret = "fake-pat-SECRET-in-platform-text";
            let cases = [
                KeyringError::PlatformFailure(
                    format!(
                        "org.freedesktop.secrets was not provided by any .service files ({secret})"
                    )
                    .into(),
                ),
                KeyringError::NoStorageAccess("no result found".into()),
                KeyringError::BadEncoding(secret.as_bytes().to_vec()),
                KeyringError::TooLong(secret.to_owned(), 10),
                KeyringError::Invalid("service".into(), secret.to_owned()),
                KeyringError::Ambiguous(Vec::new()),
            ];
            for error in cases {
                let mapped = map_error("save the token in", error, Some(secret));
                assert_eq!(mapped.kind(), "keychainUnavailable");
                let shown = format!("{mapped} {mapped:?}");
                assert!(!shown.contains(secret), "{shown}");
            }
            // Named as this OS names its keychain (every OS's wording: `keychain_errors_…`).
            let mapped = map_error(
                "read the token from",
                KeyringError::PlatformFailure("something failed".into()),
                None,
            );
            assert!(mapped.message().contains(KEYCHAIN_NAME), "{mapped}");
            assert!(mapped.message().contains("this session only"), "{mapped}");
        }
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
impl SecretStore for KeyringStore {
    fn get(&self, _account: &str) -> Result<Option<String>, AppError> {
        Err(no_keychain())
    }

    fn set(&self, _account: &str, _secret: &str) -> Result<(), AppError> {
        Err(no_keychain())
    }

    fn delete(&self, _account: &str) -> Result<(), AppError> {
        Err(no_keychain())
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
fn no_keychain() -> AppError {
    AppError::keychain(format!(
        "This system has no keychain this app can use. {SESSION_HINT}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryStore::new();
        assert_eq!(store.get("a").unwrap(), None);
        store.set("a", "one").unwrap();
        store.set("a", "two").unwrap();
        assert_eq!(store.get("a").unwrap().as_deref(), Some("two"));
        assert_eq!(store.accounts(), vec!["a".to_owned()]);
        assert!(!format!("{store:?}").contains("two"));
        store.delete("a").unwrap();
        store.delete("a").unwrap();
        assert_eq!(store.get("a").unwrap(), None);
        assert!(store.is_empty());
    }

    #[test]
    fn kept_tokens_carry_their_endpoint_and_older_ones_read_without() {
        let secret = KeptToken::secret("https://example.com/v1/graphql", "fake-pat-1");
        let kept = KeptToken::read(&secret).unwrap();
        assert_eq!(
            kept.endpoint.as_deref(),
            Some("https://example.com/v1/graphql")
        );
        assert_eq!(kept.token, "fake-pat-1");
        let older = KeptToken::read(" fake-pat-2\n").unwrap();
        assert_eq!(older.endpoint, None);
        assert_eq!(older.token, "fake-pat-2");
        for empty in [
            "",
            "  ",
            r#"{"endpoint": "https://example.com", "token": " "}"#,
        ] {
            assert!(KeptToken::read(empty).is_none(), "{empty:?}");
        }
    }

    #[test]
    fn account_names() {
        assert_eq!(profile_account("abc"), "profile:abc");
        assert_eq!(KeyringStore::default().service, KEYCHAIN_SERVICE);
    }

    /// The message for `cause` as it reads on `keychain`'s OS.
    fn message(keychain: Keychain, cause: &str) -> String {
        unavailable_in(keychain, "read the token from", &cause, None)
            .message()
            .to_owned()
    }

    #[test]
    fn secret_service_errors_are_explained_in_secret_service_terms() {
        let k = Keychain::SecretService;
        let no_provider = "org.freedesktop.secrets was not provided by any .service files";
        assert!(message(k, no_provider).contains("no Secret Service provider"));
        let no_bus = "Unable to autolaunch a dbus-daemon without a $DISPLAY for X11";
        assert!(message(k, no_bus).contains("no D-Bus session"));
        assert!(message(k, "no result found").contains("no default collection"));
        assert!(message(k, "x").starts_with("Could not read the token from the system keychain"));
    }

    #[test]
    fn keychain_errors_on_macos_speak_of_the_keychain_not_the_secret_service() {
        let k = Keychain::MacOs;
        let locked = message(k, "User interaction is not allowed.");
        assert!(
            locked.starts_with(
                "Could not read the token from the macOS Keychain: the login keychain is locked"
            ),
            "{locked}"
        );
        assert!(message(k, "User canceled the operation.").contains("access to it was refused"));
        assert!(
            message(k, "The user name or passphrase you entered is not correct.")
                .contains("password was wrong")
        );
        assert!(
            message(k, "A default keychain could not be found.").contains("no default keychain")
        );
        // A Secret Service text does not get a Secret Service explanation on macOS.
        let odd = message(
            k,
            "org.freedesktop.secrets was not provided by any .service files",
        );
        assert!(odd.contains("did not answer as expected"), "{odd}");
        for text in [locked, odd] {
            assert!(!text.contains("D-Bus") && !text.contains("GNOME"), "{text}");
        }
        assert_eq!(k.tool(), "Keychain Access");
    }

    #[test]
    fn keychain_errors_on_windows_speak_of_the_credential_manager() {
        let k = Keychain::Windows;
        let session = message(
            k,
            "A specified logon session does not exist. It may already have been terminated.",
        );
        assert!(session.starts_with("Could not read the token from the Windows Credential Manager: this Windows session has no credential store"), "{session}");
        assert!(message(k, "Access is denied.").contains("Windows denied access"));
        let locked = message(k, "locked");
        assert!(locked.contains("did not answer as expected"), "{locked}");
        assert!(!locked.contains("collection"), "{locked}");
    }

    #[test]
    fn unavailable_keeps_the_cause_short() {
        let long = "x".repeat(1000);
        let e = unavailable("read the token from", &long, None);
        assert!(e.message().len() < 600);
        assert!(e.message().contains(KEYCHAIN_NAME), "{e}");
    }
}
