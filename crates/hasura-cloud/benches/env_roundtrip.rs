//! What the typed client costs on top of the HTTP exchange it makes.
//!
//! Starts the simulator in-process, seeds one project, and times N sequential `getTenantEnv`
//! calls two ways, interleaved call by call (the order alternates every iteration) after a
//! warm-up, so drift hits both equally:
//! - through [`hasura_cloud::Client::get_env`];
//! - the same HTTP request (same document text from `hasura_cloud::documents`, same variables,
//!   same headers) sent with a bare `reqwest::Client` and parsed into a `serde_json::Value`.
//!
//! Then seeds 5,000 more projects and times `list_projects()`, counting its HTTP requests.
//!
//! Run: `cargo bench -p hasura-cloud --bench env_roundtrip` (N = 1000), or add `-- --quick` or
//! set `BENCH_QUICK=1` (N = 100; also when run without `--bench`, as `cargo test --benches`
//! does). The last line printed is a JSON summary.

use std::time::{Duration, Instant};

use cloud_sim::{SimConfig, Simulator};
use hasura_cloud::{Client, ClientConfig, RetryPolicy, TenantId, Token, documents};
use reqwest::header::{self, HeaderValue};
use serde_json::{Value, json};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const TOKEN: &str = "bench-pat-0123456789abcdef";
/// What the client sends as `User-Agent` (`transport.rs`).
const USER_AGENT: &str = concat!("hasura-cloud-desktop/", env!("CARGO_PKG_VERSION"));
const TARGET_P50_OVERHEAD_MS: f64 = 0.2;
const LISTED_PROJECTS: usize = 5_000;
const LIST_REPEATS: usize = 5;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; without it (`cargo test --benches`) this is a smoke run.
    let quick = args.iter().any(|a| a == "--quick")
        || !args.iter().any(|a| a == "--bench")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| v.trim() == "1");
    let n = if quick { 100 } else { 1000 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(n))
}

/// The same exchange as `Client::get_env`, by hand.
struct Bare {
    http: reqwest::Client,
    url: String,
    auth: HeaderValue,
    tenant: TenantId,
}

impl Bare {
    fn new(sim: &Simulator, config: &ClientConfig, tenant: TenantId) -> Result<Self, BoxError> {
        // The client's reqwest settings (timeouts, no redirects, user agent); gzip and http2 come
        // with the shared reqwest build for both.
        let http = hasura_cloud::http::client_builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut auth = HeaderValue::from_str(&format!("pat {TOKEN}"))?;
        auth.set_sensitive(true);
        Ok(Self {
            http,
            url: sim.graphql_url(),
            auth,
            tenant,
        })
    }

    async fn get_env(&self) -> Result<(), BoxError> {
        let document = documents::GET_TENANT_ENV;
        let body = serde_json::to_vec(&json!({
            "query": document.source,
            "variables": { "tenantId": self.tenant },
            "operationName": document.name,
        }))?;
        let response = self
            .http
            .post(&self.url)
            .header(header::AUTHORIZATION, self.auth.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        let value: Value = serde_json::from_slice(&bytes)?;
        match value.pointer("/data/getTenantEnv/hash") {
            Some(Value::String(_)) if status.is_success() => Ok(()),
            _ => Err(format!("unexpected answer (HTTP {status}): {value}").into()),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Stats {
    p50: f64,
    p99: f64,
    mean: f64,
}

/// Nearest-rank percentiles and the mean, in milliseconds.
fn stats(samples: &[Duration]) -> Stats {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let rank = |p: f64| {
        let index = ((p / 100.0) * ms.len() as f64).ceil() as usize;
        ms.get(index.saturating_sub(1)).copied().unwrap_or(f64::NAN)
    };
    Stats {
        p50: rank(50.0),
        p99: rank(99.0),
        mean: ms.iter().sum::<f64>() / ms.len().max(1) as f64,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

async fn run(n: usize) -> Result<(), BoxError> {
    let sim = Simulator::start(SimConfig {
        tokens: vec![TOKEN.to_owned()],
        ..SimConfig::default()
    })
    .await?;
    let control = sim.control();
    let seeded = control.seed_project(
        "bench-env",
        "aws",
        "us-east-2",
        "cloud_payg",
        &[
            ("HASURA_GRAPHQL_DATABASE_URL", "postgres://u:p@db:5432/app"),
            ("HASURA_GRAPHQL_ENABLE_CONSOLE", "true"),
            ("FEATURE_FLAG", "on"),
        ],
    );
    let tenant: TenantId = seeded.tenant_id.parse()?;
    let config = ClientConfig {
        endpoint: sim.graphql_url(),
        retry: RetryPolicy::none(),
        ..ClientConfig::default()
    };
    let client = Client::new(Token::new(TOKEN.to_owned()), config.clone())?;
    let bare = Bare::new(&sim, &config, tenant)?;

    // Warm-up: connections, allocator, the simulator's indexes.
    let warmup = (n / 10).max(20);
    for _ in 0..warmup {
        client.get_env(tenant).await?;
        bare.get_env().await?;
    }

    let mut with_client = Vec::with_capacity(n);
    let mut with_bare = Vec::with_capacity(n);
    let mut paired = Vec::with_capacity(n);
    for i in 0..n {
        let (c, b) = if i % 2 == 0 {
            let c = time(client.get_env(tenant)).await?;
            let b = time(bare.get_env()).await?;
            (c, b)
        } else {
            let b = time(bare.get_env()).await?;
            let c = time(client.get_env(tenant)).await?;
            (c, b)
        };
        with_client.push(c);
        with_bare.push(b);
        paired.push((c.as_secs_f64() - b.as_secs_f64()) * 1e3);
    }
    let c = stats(&with_client);
    let b = stats(&with_bare);
    let overhead = c.p50 - b.p50;
    let paired_median = median(paired);
    let pass = overhead < TARGET_P50_OVERHEAD_MS;

    println!(
        "env_roundtrip: {n} sequential getTenantEnv calls each way, interleaved (order alternating), after {warmup} warm-up calls each"
    );
    println!(
        "{:<14} {:>9} {:>9} {:>9}",
        "", "p50 ms", "p99 ms", "mean ms"
    );
    for (name, s) in [("client", c), ("bare reqwest", b)] {
        println!("{name:<14} {:>9.3} {:>9.3} {:>9.3}", s.p50, s.p99, s.mean);
    }
    println!(
        "client overhead at p50: {overhead:.3} ms (median of per-iteration differences: {paired_median:.3} ms)"
    );
    println!(
        "verdict: {} — client adds {overhead:.3} ms at p50 (target: client adds < {TARGET_P50_OVERHEAD_MS} ms at p50)",
        if pass { "PASS" } else { "FAIL" }
    );

    // Listing 5,000 projects with their tenants.
    control.seed_projects("bench-list", LISTED_PROJECTS);
    let before = control.request_count();
    let started = Instant::now();
    let projects = client.list_projects().await?;
    let first = started.elapsed();
    let requests = control.request_count() - before;
    let with_tenant = projects.iter().filter(|p| p.tenant.is_some()).count();
    let mut repeats = Vec::with_capacity(LIST_REPEATS);
    for _ in 0..LIST_REPEATS {
        repeats.push(time(client.list_projects()).await?.as_secs_f64() * 1e3);
    }
    let first_ms = first.as_secs_f64() * 1e3;
    let repeat_median = median(repeats);
    println!(
        "list_projects: {} projects ({with_tenant} with tenants) in {requests} HTTP request(s) (must be 1); first call {first_ms:.1} ms, median of {LIST_REPEATS} more {repeat_median:.1} ms",
        projects.len()
    );

    let summary = json!({
        "bench": "env_roundtrip",
        "n": n,
        "warmup": warmup,
        "client_ms": { "p50": round(c.p50), "p99": round(c.p99), "mean": round(c.mean) },
        "bare_ms": { "p50": round(b.p50), "p99": round(b.p99), "mean": round(b.mean) },
        "overhead_p50_ms": round(overhead),
        "paired_median_overhead_ms": round(paired_median),
        "target_overhead_p50_ms": TARGET_P50_OVERHEAD_MS,
        "pass": pass,
        "list_projects": {
            "projects": projects.len(),
            "with_tenant": with_tenant,
            "http_requests": requests,
            "first_ms": round(first_ms),
            "median_ms": round(repeat_median),
        },
    });
    println!("{summary}");

    sim.shutdown().await;
    if requests != 1 {
        return Err(format!("list_projects took {requests} HTTP requests; expected 1").into());
    }
    if with_tenant != projects.len() || projects.len() != LISTED_PROJECTS + 1 {
        return Err(format!(
            "list_projects returned {} projects ({with_tenant} with tenants); expected {}",
            projects.len(),
            LISTED_PROJECTS + 1
        )
        .into());
    }
    Ok(())
}

async fn time<T, E>(call: impl Future<Output = Result<T, E>>) -> Result<Duration, BoxError>
where
    E: Into<BoxError>,
{
    let started = Instant::now();
    call.await.map_err(Into::into)?;
    Ok(started.elapsed())
}

/// Three decimals for the summary (microsecond resolution).
fn round(ms: f64) -> f64 {
    (ms * 1e3).round() / 1e3
}
