//! HTTP-level tests against a canned local server.

mod canned;
mod operations;
mod tls;
mod transport;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::Client;
use crate::config::{ClientConfig, RetryPolicy};
use crate::token::Token;
use crate::transport::Transport;

pub(crate) const PAT: &str = "pat-secret-0123456789abcdef";

/// A client for `endpoint` whose waits between retries are recorded, not slept.
pub(crate) fn client(endpoint: &str, retry: RetryPolicy) -> (Client, Arc<Mutex<Vec<Duration>>>) {
    let config = ClientConfig {
        endpoint: endpoint.to_owned(),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry,
    };
    client_with(config)
}

pub(crate) fn client_with(config: ClientConfig) -> (Client, Arc<Mutex<Vec<Duration>>>) {
    let mut transport = Transport::new(Token::new(PAT.to_owned()), &config).unwrap();
    let slept = Arc::new(Mutex::new(Vec::new()));
    let record = slept.clone();
    transport.set_sleep(Arc::new(move |d| {
        record.lock().unwrap().push(d);
        Box::pin(async {})
    }));
    (Client::from_transport(transport), slept)
}
