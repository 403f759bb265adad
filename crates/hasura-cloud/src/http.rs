//! The one place HTTP clients are made, so the whole app speaks TLS through one stack: rustls
//! with ring. reqwest is built without a crypto provider of its own (its default would link
//! aws-lc-rs beside the ring the updater plugin uses), so one must be installed for the process
//! before the first client is built; [`client_builder`] does that.

use std::sync::Once;

/// A `reqwest::ClientBuilder` whose TLS runs on the process's ring provider (installed on first
/// use). Every reqwest client in the app and its tests starts here.
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    #[allow(clippy::disallowed_methods)] // the one allowed use
    reqwest::Client::builder()
}

/// Makes ring the process's rustls provider, unless one is installed already (the updater plugin
/// installs ring too when it runs first).
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Err only when another thread installed one in between: that one is used.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    });
}
