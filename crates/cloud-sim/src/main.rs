//! `cloud-sim`: run the Hasura Cloud API simulator on a local port.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use cloud_sim::{EnvLayout, FaultRule, SimConfig, Simulator};

/// A local simulator of the Hasura Cloud control-plane GraphQL API.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Port to listen on; 0 picks a free one. The bound address is printed on start.
    #[arg(long, default_value_t = 4000)]
    port: u16,
    /// Address to listen on. Only loopback addresses are sensible: the simulator has no TLS.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// A personal access token to accept (repeatable). Other callers see a reduced schema.
    #[arg(long = "token", default_value = "sim-token")]
    tokens: Vec<String>,
    /// Fill the account with demo projects, env vars and preview apps.
    #[arg(long)]
    seed_demo: bool,
    /// Run jobs, provisioning and restarts this many times faster than the real service.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Seconds a new project stays unhealthy while provisioning (at speed 1).
    #[arg(long, default_value_t = 30.0)]
    provisioning_secs: f64,
    /// Seconds a project restarts after an env change or rename (at speed 1).
    #[arg(long, default_value_t = 8.0)]
    restart_secs: f64,
    /// Layout of getTenantEnv's envVars.
    #[arg(long, value_enum, default_value_t = EnvLayout::Nested)]
    env_layout: EnvLayout,
    /// Append every request received as a JSON line to FILE (secrets masked).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Leave the `region` table (and `tenant.region_info`) out of the schema a PAT sees.
    #[arg(long)]
    hide_regions: bool,
    /// Leave the team parts (collaborators, invitations, owner, entitlements, custom domains,
    /// plan change) out of the schema a PAT sees, as for a token that may not use them.
    #[arg(long)]
    hide_team: bool,
    /// Monthly allowance of createGitHubPreviewApp calls (the free tier has 60).
    #[arg(long)]
    preview_app_limit: Option<u32>,
    /// Do not reproduce known bugs of the real service.
    #[arg(long)]
    no_quirks: bool,
    /// A fault rule as JSON (repeatable), e.g.
    /// '{"kind":"http_error","status":502,"operation":"getTenantEnv","times":1}'.
    /// Kinds: latency{ms}, http_error{status}, rate_limited{retry_after_secs}, malformed_json,
    /// drop_connection, drop_response (runs the request, then drops the answer), server_error;
    /// optional operation, times, rate.
    #[arg(long = "fault", value_name = "JSON")]
    faults: Vec<String>,
    /// Add N settled projects named `bench-<n>`, spread over regions and plans (big accounts).
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed_projects: usize,
    /// Do not serve the /control API (faults, stats, clock): it has no token, so any program on
    /// this computer could use it.
    #[arg(long)]
    no_control: bool,
}

fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.max(0.0)).unwrap_or_default()
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut faults = Vec::new();
    for text in &args.faults {
        match serde_json::from_str::<FaultRule>(text) {
            Ok(rule) => faults.push(rule),
            Err(e) => {
                eprintln!("cloud-sim: --fault {text}: not a fault rule: {e}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let config = SimConfig {
        tokens: args.tokens,
        speed: if args.speed > 0.0 { args.speed } else { 1.0 },
        provisioning: seconds(args.provisioning_secs),
        restart: seconds(args.restart_secs),
        env_layout: args.env_layout,
        seed_demo: args.seed_demo,
        request_log: args.log,
        regions_readable: !args.hide_regions,
        team_visible: !args.hide_team,
        preview_app_limit: args.preview_app_limit,
        quirks: !args.no_quirks,
        manual_clock: false,
        control_api: !args.no_control,
    };
    let sim = match Simulator::start_on(config, SocketAddr::new(args.host, args.port)).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!(
                "cloud-sim: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return std::process::ExitCode::from(1);
        }
    };
    for rule in faults {
        sim.control().add_fault(rule);
    }
    if args.seed_projects > 0 {
        sim.control().seed_projects("bench", args.seed_projects);
    }
    // The first line is the contract for scripts: the API endpoint.
    println!("{}", sim.graphql_url());
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    std::process::ExitCode::SUCCESS
}
