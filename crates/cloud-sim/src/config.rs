//! How a simulator instance behaves: accepted tokens, speed, env layout, and its clock.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// Where `getTenantEnv` puts the user's variables; the real layout is not documented.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EnvLayout {
    /// `{"environment": {"KEY": "value"}}`, the layout the best evidence shows.
    #[default]
    Nested,
    /// `{"KEY": "value"}`, the layout some clients read.
    Flat,
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Personal access tokens that see the full schema; any other caller sees the reduced one.
    pub tokens: Vec<String>,
    /// How many times faster than the real service time-driven work runs (jobs, provisioning,
    /// restarts).
    pub speed: f64,
    /// How long a new project's endpoint stays unhealthy, at speed 1.
    pub provisioning: Duration,
    /// How long a project restarts after an env change or rename, at speed 1.
    pub restart: Duration,
    pub env_layout: EnvLayout,
    /// Fill the account with demo projects, env vars and preview apps.
    pub seed_demo: bool,
    /// Append every request received (query, variables, operationName; secrets masked) as JSONL.
    pub request_log: Option<PathBuf>,
    /// Whether a PAT may read the `region` table; when not, `region` and `tenant.region_info` are
    /// absent from its schema.
    pub regions_readable: bool,
    /// Whether a PAT sees the team parts (collaborators, invitations, owner, entitlements, custom
    /// domains, plan change); when not, they are absent from its schema ("not found in type").
    pub team_visible: bool,
    /// Monthly allowance of `createGitHubPreviewApp` calls (the free tier has 60).
    pub preview_app_limit: Option<u32>,
    /// Reproduce documented bugs of the real service (plan cloud_free_v2 with envs fails).
    pub quirks: bool,
    /// A manual clock moves only when told (`Control::advance`), for deterministic tests.
    pub manual_clock: bool,
    /// Serve the test-only `/control/*` API (faults, stats, the clock). It has no token: turn it
    /// off where other programs on this computer must not steer the simulator (the app's
    /// sandbox).
    pub control_api: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            tokens: vec!["sim-token".to_string()],
            speed: 1.0,
            provisioning: Duration::from_secs(30),
            restart: Duration::from_secs(8),
            env_layout: EnvLayout::Nested,
            seed_demo: false,
            request_log: None,
            regions_readable: true,
            team_visible: true,
            preview_app_limit: None,
            quirks: true,
            manual_clock: false,
            control_api: true,
        }
    }
}

impl SimConfig {
    pub fn visibility(&self) -> crate::team::Visibility {
        crate::team::Visibility {
            regions_readable: self.regions_readable,
            team_visible: self.team_visible,
        }
    }
}

/// Wall time for the simulator: real, or moved by hand in tests.
pub struct Clock {
    start_wall: DateTime<Utc>,
    start: Instant,
    manual_offset: Option<Mutex<Duration>>,
}

impl Clock {
    pub fn new(manual: bool) -> Self {
        Self {
            start_wall: Utc::now(),
            start: Instant::now(),
            manual_offset: manual.then(Mutex::default),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = match &self.manual_offset {
            Some(offset) => *offset.lock(),
            None => self.start.elapsed(),
        };
        self.start_wall + chrono::Duration::from_std(elapsed).unwrap_or_default()
    }

    /// Moves a manual clock forward; a real clock ignores this.
    pub fn advance(&self, by: Duration) {
        if let Some(offset) = &self.manual_offset {
            *offset.lock() += by;
        }
    }
}
