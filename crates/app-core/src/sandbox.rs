//! The in-app sandbox: the simulator of the Cloud API on a free loopback port, with the demo
//! account, and a random session token only it accepts. It serves no control API, and answers
//! only requests addressed to a loopback host (a web page reaching it through DNS rebinding is
//! refused).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};

use cloud_sim::{SimConfig, Simulator};
use hasura_cloud::Token;

use crate::error::AppError;

/// Id of the sandbox profile.
pub const SANDBOX_PROFILE_ID: &str = "sandbox";
/// Name of the sandbox profile when it is created.
pub const SANDBOX_PROFILE_NAME: &str = "Sandbox";
/// Colour of the sandbox profile when it is created.
pub const SANDBOX_COLOR: &str = "#f59e0b";
/// How much faster than the real service provisioning and jobs run in the sandbox.
pub const SANDBOX_SPEED: f64 = 10.0;

/// A running sandbox. Dropping it stops the simulator.
pub struct Sandbox {
    sim: Simulator,
    token: Token,
}

impl Sandbox {
    /// Starts the simulator on 127.0.0.1 with the demo account. Must be called inside a Tokio
    /// runtime, which then serves it until the sandbox is dropped.
    pub async fn start() -> Result<Self, AppError> {
        let token = format!("sandbox-{}", uuid::Uuid::new_v4().simple());
        let config = SimConfig {
            tokens: vec![token.clone()],
            speed: SANDBOX_SPEED,
            seed_demo: true,
            // Nothing on this computer may steer the sandbox: no faults, no clock, no stats.
            control_api: false,
            ..SimConfig::default()
        };
        let sim = Simulator::start_on(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(|e| AppError::internal(format!("The sandbox could not be started: {e}.")))?;
        Ok(Self {
            sim,
            token: Token::new(token),
        })
    }

    /// The sandbox's API endpoint, `http://127.0.0.1:<port>/v1/graphql`.
    pub fn endpoint(&self) -> String {
        self.sim.graphql_url()
    }

    /// The token the sandbox accepts.
    pub fn token(&self) -> Token {
        self.token.clone()
    }

    /// Stops the simulator and waits for it.
    pub async fn stop(self) {
        self.sim.shutdown().await;
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("endpoint", &self.endpoint())
            .field("token", &self.token)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use hasura_cloud::{Client, ClientConfig};

    use super::*;

    #[tokio::test]
    async fn sandbox_serves_the_demo_account_to_its_token_only() {
        let sandbox = Sandbox::start().await.unwrap();
        assert!(sandbox.endpoint().starts_with("http://127.0.0.1:"));
        assert!(!format!("{sandbox:?}").contains(sandbox.token().expose_secret()));
        let config = ClientConfig {
            endpoint: sandbox.endpoint(),
            ..ClientConfig::default()
        };
        let client = Client::new(sandbox.token(), config.clone()).unwrap();
        assert!(!client.list_projects().await.unwrap().is_empty());
        let stranger = Client::new(Token::new("sim-token".into()), config).unwrap();
        assert!(matches!(
            stranger.list_projects().await,
            Err(hasura_cloud::Error::TokenRejected { .. })
        ));
        sandbox.stop().await;
    }

    /// Any local process, or a web page through DNS rebinding, can reach 127.0.0.1: the sandbox
    /// serves no control API, and nothing to a request that names another host.
    #[tokio::test]
    async fn sandbox_refuses_control_and_foreign_hosts() {
        let sandbox = Sandbox::start().await.unwrap();
        let endpoint = sandbox.endpoint();
        let base = endpoint.trim_end_matches("/v1/graphql");
        let http = hasura_cloud::http::client_builder().build().unwrap();
        let faults = http
            .post(format!("{base}/control/faults"))
            .body(r#"{"kind":"http_error","status":502}"#)
            .send()
            .await
            .unwrap();
        assert!(
            faults.status().is_client_error(),
            "control answered {}",
            faults.status()
        );
        let stats = http
            .get(format!("{base}/control/stats"))
            .send()
            .await
            .unwrap();
        assert!(stats.status().is_client_error(), "{}", stats.status());

        let query = r#"{"query":"{ projects { id } }"}"#;
        let auth = format!("pat {}", sandbox.token().expose_secret());
        let rebound = http
            .post(&endpoint)
            .header("host", "attacker.example:80")
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(query)
            .send()
            .await
            .unwrap();
        assert!(
            rebound.status().is_client_error(),
            "a foreign Host got {}",
            rebound.status()
        );
        // The app itself, naming 127.0.0.1, is served.
        let own = http
            .post(&endpoint)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(query)
            .send()
            .await
            .unwrap();
        assert_eq!(own.status(), 200);
        sandbox.stop().await;
    }
}
