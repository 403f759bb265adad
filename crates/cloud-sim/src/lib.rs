//! A local simulator of the Hasura Cloud control-plane GraphQL API.
//!
//! It serves the contract of `schema/cloud-schema.graphql` with the behaviour described in the
//! project's API notes: PAT authentication (unknown tokens see a reduced schema), Hasura-style
//! errors with HTTP 200, tables with Hasura's `where`/`order_by`/`limit`, env-var hashes, project
//! restarts, preview-app jobs that progress over time, and injectable faults. Tests, benchmarks,
//! end-to-end runs and the app's sandbox all run against it.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = cloud_sim::Simulator::start(cloud_sim::SimConfig::default()).await?;
//! println!("{}", sim.graphql_url());
//! # Ok(()) }
//! ```

mod config;
mod demo;
mod domains;
mod faults;
mod filter;
pub mod graphql;
mod jobs;
mod preview;
mod server;
mod state;
mod table;
mod team;
pub mod validate;
mod workers;
mod world;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::Notify;

pub use config::{EnvLayout, SimConfig};
pub use demo::KNOWN_REGIONS;
pub use domains::{DNS_VALIDATION_DELAY, custom_domain_limit};
pub use faults::{FaultKind, FaultRule};
pub use preview::{CREATION_JOB, CREATION_TASK, DEPLOYMENT_JOB, DEPLOYMENT_TASKS};
pub use workers::CONFIGURED;
pub use world::{NOTHING_CHANGED, STALE_HASH};

/// A running simulator. Dropping it stops the server.
pub struct Simulator {
    addr: SocketAddr,
    control: Control,
    shutdown: Arc<Notify>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Simulator {
    /// Starts on a free loopback port.
    pub async fn start(config: SimConfig) -> std::io::Result<Self> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let visibility = config.visibility();
        let sim = Arc::new(state::SimState::new(config, server::local_url(addr))?);
        let schemas = graphql::build(sim.clone(), visibility).map_err(std::io::Error::other)?;
        let router = server::router(server::AppState {
            sim: sim.clone(),
            schemas: Arc::new(schemas),
        });
        let shutdown = Arc::new(Notify::new());
        let task = tokio::spawn(server::serve(listener, router, shutdown.clone()));
        Ok(Self {
            addr,
            control: Control(sim),
            shutdown,
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> String {
        server::local_url(self.addr)
    }

    /// The API endpoint, `http://127.0.0.1:<port>/v1/graphql`.
    pub fn graphql_url(&self) -> String {
        format!("{}/v1/graphql", self.base_url())
    }

    pub fn control(&self) -> Control {
        self.control.clone()
    }

    pub async fn shutdown(mut self) {
        self.shutdown.notify_one();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown.notify_one();
    }
}

/// The SDL the simulator serves to a caller with an accepted token (introspection's view).
pub fn served_sdl(config: SimConfig) -> std::io::Result<String> {
    let visibility = config.visibility();
    let sim = Arc::new(state::SimState::new(
        config,
        "http://127.0.0.1:0".to_string(),
    )?);
    let schemas = graphql::build(sim, visibility).map_err(std::io::Error::other)?;
    Ok(schemas.full.sdl())
}

/// A project put straight into the simulator's tables.
#[derive(Debug, Clone)]
pub struct SeededProject {
    pub project_id: String,
    pub tenant_id: String,
    pub name: String,
    pub endpoint: String,
}

/// Test-side control of a running simulator (the same as the `/control` HTTP API).
#[derive(Clone)]
pub struct Control(Arc<state::SimState>);

impl Control {
    pub fn add_fault(&self, rule: FaultRule) {
        self.0.faults.add(rule);
    }

    pub fn clear_faults(&self) {
        self.0.faults.clear();
    }

    /// Requests received at `/v1/graphql` so far.
    pub fn request_count(&self) -> u64 {
        self.0.request_count()
    }

    /// Moves a manual clock (see [`SimConfig::manual_clock`]) and what depends on time.
    pub fn advance(&self, by: Duration) {
        self.0.clock.advance(by);
        self.0.advance();
    }

    /// Sets a custom domain's `dns_validation` (`pending` stays so); false when it is unknown.
    pub fn set_dns_validation(&self, fqdn: &str, state: &str) -> bool {
        let now = self.0.clock.now();
        self.0.world.write().set_dns_validation(fqdn, state, now)
    }

    /// Puts a project (by tenant id) in or out of maintenance mode.
    pub fn set_maintenance_mode(&self, tenant_id: &str, on: bool) -> bool {
        self.0.world.write().set_maintenance_mode(tenant_id, on)
    }

    /// Accepts the pending invitation of `email`, as the invitee would; false when there is none.
    pub fn accept_invitation(&self, email: &str) -> bool {
        let now = self.0.clock.now();
        team::accept_by_email(&mut self.0.world.write(), email, now)
    }

    /// Adds a settled (healthy) project without going through the API.
    pub fn seed_project(
        &self,
        name: &str,
        cloud: &str,
        region: &str,
        plan: &str,
        envs: &[(&str, &str)],
    ) -> SeededProject {
        let now = self.0.clock.now();
        let mut world = self.0.world.write();
        let envs = envs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // Created long enough ago to have finished provisioning.
        let created = now - chrono::Duration::days(1);
        let tenant_id = world.insert_project(name, cloud, region, plan, envs, created);
        preview::advance(&mut world, now);
        let tenant = world
            .tables
            .find("tenant", "id", &Value::String(tenant_id.clone()));
        let project_id = tenant
            .and_then(|t| {
                t.get("project_id")
                    .and_then(Value::as_str)
                    .map(String::from)
            })
            .unwrap_or_default();
        SeededProject {
            project_id,
            tenant_id,
            name: name.to_string(),
            endpoint: world.endpoint_for(name),
        }
    }

    /// Adds `count` settled projects named `<prefix>-<n>`, spread over regions and plans.
    pub fn seed_projects(&self, prefix: &str, count: usize) {
        let now = self.0.clock.now();
        let mut world = self.0.world.write();
        let created = now - chrono::Duration::days(1);
        for n in 0..count {
            let (cloud, region) = KNOWN_REGIONS[n % KNOWN_REGIONS.len()];
            let plan = world::PLANS[n % 2 * 2];
            world.insert_project(
                &format!("{prefix}-{n}"),
                cloud,
                region,
                plan,
                Vec::new(),
                created,
            );
        }
        preview::advance(&mut world, now);
    }
}
