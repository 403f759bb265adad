//! State shared by the HTTP handlers and the GraphQL resolvers of one simulator.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::{Mutex, RwLock};

use crate::config::{Clock, SimConfig};
use crate::demo;
use crate::faults::Faults;
use crate::preview;
use crate::world::World;

pub struct SimState {
    pub world: RwLock<World>,
    pub clock: Clock,
    /// Shared with the world, whose actions take the behaviour faults.
    pub faults: Arc<Faults>,
    pub tokens: Vec<String>,
    requests: AtomicU64,
    log: Option<Mutex<File>>,
}

impl SimState {
    pub fn new(config: SimConfig, base_url: String) -> std::io::Result<Self> {
        let log = match &config.request_log {
            Some(path) => Some(Mutex::new(
                File::options().create(true).append(true).open(path)?,
            )),
            None => None,
        };
        let clock = Clock::new(config.manual_clock);
        let tokens = config.tokens.clone();
        let world = demo::new_world(config, base_url, clock.now());
        let faults = world.faults.clone();
        Ok(Self {
            world: RwLock::new(world),
            clock,
            faults,
            tokens,
            requests: AtomicU64::new(0),
            log,
        })
    }

    pub fn count_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Brings jobs, provisioning and restarts up to the present.
    pub fn advance(&self) {
        let now = self.clock.now();
        let mut world = self.world.write();
        preview::advance(&mut world, now);
        world.settle_custom_domains(now);
    }

    pub fn log(&self, line: &serde_json::Value) {
        if let Some(file) = &self.log {
            let mut file = file.lock();
            // A full disk must not fail the request being served.
            let _ = writeln!(file, "{line}");
        }
    }
}
