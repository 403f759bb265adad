//! Watching a project come back after its variables changed, as Hasura Cloud's dashboard does
//! (API notes §8): a successful `updateTenantEnv` does not mean every worker has the new config.
//! With the hash from before the change, read the workers' reports (`tenant.config.status`)
//! until every live one runs another hash and says "Service configured successfully"; then poll
//! `<endpoint>/healthz` with backoff until it answers 200 or the time allowed runs out. When the
//! token may not read the workers (unknown for a PAT) or the old hash is not known, the watch
//! waits a moment and polls `/healthz` only, and says so.

use std::future::Future;
use std::time::{Duration, Instant};

use hasura_cloud::backoff::Backoff;
use hasura_cloud::{CONFIGURED, ConfigStatus};

use super::model::{HealthPhase, HealthProgress};
use crate::error::AppError;
use crate::projects::checked_link;

/// How a health watch waits and polls. [`HealthWatch::default`] is the product's: wait 2 s, poll
/// after 500 ms, ×1.5 each time up to 5 s between checks, give up after 120 s in all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthWatch {
    /// Before the first check (a project takes a moment to begin restarting).
    pub initial_delay: Duration,
    /// Between the first and the second check.
    pub first_interval: Duration,
    /// Each interval is the previous one times this.
    pub backoff: f64,
    /// The longest interval.
    pub max_interval: Duration,
    /// The whole watch, initial delay included; then it gives up.
    pub total: Duration,
    /// One `/healthz` request.
    pub request_timeout: Duration,
}

impl Default for HealthWatch {
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(2),
            first_interval: Duration::from_millis(500),
            backoff: 1.5,
            max_interval: Duration::from_secs(5),
            total: Duration::from_secs(120),
            request_timeout: Duration::from_secs(5),
        }
    }
}

/// `<endpoint>/healthz`, when the endpoint is `https://`, or `http://` on this computer.
pub fn healthz_url(endpoint: &str) -> Result<String, AppError> {
    let base = checked_link(endpoint).map_err(|_| {
        AppError::internal(
            "This project's address is not https://, so its health is not checked from this app.",
        )
    })?;
    Ok(format!("{}/healthz", base.trim_end_matches('/')))
}

/// A client for `/healthz` only: no redirects (an answer elsewhere does not count), no token.
pub fn http_client(watch: &HealthWatch) -> Result<reqwest::Client, AppError> {
    hasura_cloud::http::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(watch.request_timeout)
        .connect_timeout(watch.request_timeout)
        .build()
        .map_err(|e| AppError::internal(format!("Could not prepare the health check: {e}.")))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

impl HealthWatch {
    /// The intervals between checks: `first_interval`, times `backoff` after each check, up to
    /// `max_interval`.
    pub fn intervals(&self) -> Backoff {
        Backoff {
            initial: self.first_interval,
            factor: self.backoff,
            max: self.max_interval,
        }
    }
}

/// What one check saw.
enum Seen {
    Status(u16),
    NoAnswer(String),
}

async fn check(client: &reqwest::Client, url: &str) -> Seen {
    match client.get(url).send().await {
        Ok(response) => Seen::Status(response.status().as_u16()),
        Err(e) if e.is_timeout() => Seen::NoAnswer("it did not answer in time".to_owned()),
        Err(e) if e.is_connect() => Seen::NoAnswer("it could not be reached".to_owned()),
        Err(_) => Seen::NoAnswer("the request failed".to_owned()),
    }
}

/// What reading the workers' reports showed.
pub enum Workers {
    /// Every live worker runs a config other than the one from before the change.
    MovedOn,
    /// The token may not read them, or the old hash is unknown: only `/healthz` can tell.
    Unseen(&'static str),
    /// The time allowed ran out first (the final progress, already sent).
    GaveUp(HealthProgress),
}

const UNSEEN_BY_TOKEN: &str = "This token cannot see whether the project's workers have the \
                               new configuration, so only /healthz is watched.";
const UNSEEN_HASH: &str = "The configuration from before this change is not known here, so \
                           only /healthz is watched.";

/// Reads the workers' reports (`read`) until every live worker has moved on from
/// `previous_hash` (the dashboard's rule), waiting between reads as between health checks.
/// Each read that shows workers still on the old config is sent to `on_progress` as `waiting`.
pub async fn wait_for_workers<F, Fut>(
    read: F,
    previous_hash: Option<&str>,
    watch: &HealthWatch,
    started: Instant,
    on_progress: &(impl Fn(HealthProgress) + Send + Sync),
) -> Workers
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Option<ConfigStatus>, hasura_cloud::Error>>,
{
    let Some(previous) = previous_hash else {
        return Workers::Unseen(UNSEEN_HASH);
    };
    let intervals = watch.intervals();
    let mut reads: u32 = 0;
    loop {
        let status = match read().await {
            Ok(Some(status)) => status,
            Ok(None) => return Workers::Unseen(UNSEEN_BY_TOKEN),
            // Not knowing is no reason to stop watching: /healthz still tells.
            Err(_) => return Workers::Unseen(UNSEEN_BY_TOKEN),
        };
        if status.moved_on_from(previous) {
            return Workers::MovedOn;
        }
        let (moved, live) = status.count_moved_on(previous);
        let said = status
            .active()
            .filter_map(|w| w.message.as_deref())
            .find(|m| *m != CONFIGURED)
            .map(|m| format!(" A worker says: {m}"))
            .unwrap_or_default();
        let progress = format!("{moved} of {live} workers run the new configuration.{said}");
        let elapsed = started.elapsed();
        let left = watch.total.saturating_sub(elapsed);
        if left.is_zero() {
            let done = HealthProgress {
                phase: HealthPhase::GaveUp,
                attempt: 0,
                elapsed_ms: millis(elapsed),
                status: None,
                message: format!(
                    "{progress} Still so after {}: check the project in the Hasura Cloud \
                     dashboard before applying more changes.",
                    seconds(elapsed)
                ),
            };
            on_progress(done.clone());
            return Workers::GaveUp(done);
        }
        let wait = intervals.delay(reads).min(left);
        reads = reads.saturating_add(1);
        on_progress(HealthProgress {
            phase: HealthPhase::Waiting,
            attempt: 0,
            elapsed_ms: millis(elapsed),
            status: None,
            message: format!("{progress} Checking again in {}.", seconds(wait)),
        });
        tokio::time::sleep(wait).await;
    }
}

/// The whole watch after an apply: the workers first ([`wait_for_workers`]), then `/healthz`
/// ([`watch`]). Once the workers have moved on, `/healthz` is checked without the initial wait.
pub async fn watch_after_apply<F, Fut>(
    read_workers: F,
    previous_hash: Option<&str>,
    client: &reqwest::Client,
    url: &str,
    watch: &HealthWatch,
    on_progress: &(impl Fn(HealthProgress) + Send + Sync),
) -> HealthProgress
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Option<ConfigStatus>, hasura_cloud::Error>>,
{
    let started = Instant::now();
    on_progress(HealthProgress {
        phase: HealthPhase::Waiting,
        attempt: 0,
        elapsed_ms: 0,
        status: None,
        message: "Waiting for the project's workers to take the new configuration.".to_owned(),
    });
    match wait_for_workers(read_workers, previous_hash, watch, started, on_progress).await {
        Workers::GaveUp(done) => done,
        Workers::MovedOn => {
            on_progress(HealthProgress {
                phase: HealthPhase::Waiting,
                attempt: 0,
                elapsed_ms: millis(started.elapsed()),
                status: None,
                message: "Every worker runs the new configuration; checking /healthz.".to_owned(),
            });
            poll_healthz(client, url, watch, started, on_progress).await
        }
        Workers::Unseen(why) => {
            let wait = watch
                .initial_delay
                .min(watch.total.saturating_sub(started.elapsed()));
            on_progress(HealthProgress {
                phase: HealthPhase::Waiting,
                attempt: 0,
                elapsed_ms: millis(started.elapsed()),
                status: None,
                message: format!(
                    "{why} Waiting {} for the project to restart before checking it.",
                    seconds(wait)
                ),
            });
            tokio::time::sleep(wait).await;
            poll_healthz(client, url, watch, started, on_progress).await
        }
    }
}

/// Polls `url` until it answers 200 or `watch.total` has passed, calling `on_progress` with
/// every step (the final one included, which is also returned).
pub async fn watch(
    client: &reqwest::Client,
    url: &str,
    watch: &HealthWatch,
    on_progress: &(impl Fn(HealthProgress) + Send + Sync),
) -> HealthProgress {
    let started = Instant::now();
    on_progress(HealthProgress {
        phase: HealthPhase::Waiting,
        attempt: 0,
        elapsed_ms: 0,
        status: None,
        message: format!(
            "Waiting {} for the project to restart before checking it.",
            seconds(watch.initial_delay)
        ),
    });
    tokio::time::sleep(watch.initial_delay.min(watch.total)).await;
    poll_healthz(client, url, watch, started, on_progress).await
}

/// Checks `url` with backoff until 200 or until `watch.total` has passed since `started`.
async fn poll_healthz(
    client: &reqwest::Client,
    url: &str,
    watch: &HealthWatch,
    started: Instant,
    on_progress: &(impl Fn(HealthProgress) + Send + Sync),
) -> HealthProgress {
    let intervals = watch.intervals();
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        let seen = check(client, url).await;
        let elapsed = started.elapsed();
        let status = match &seen {
            Seen::Status(code) => Some(*code),
            Seen::NoAnswer(_) => None,
        };
        if status == Some(200) {
            let done = HealthProgress {
                phase: HealthPhase::Healthy,
                attempt,
                elapsed_ms: millis(elapsed),
                status,
                message: format!("The project is up again (after {}).", seconds(elapsed)),
            };
            on_progress(done.clone());
            return done;
        }
        let what = match &seen {
            Seen::Status(code) => format!("The project is not ready yet (HTTP {code})"),
            Seen::NoAnswer(why) => format!("The project is not ready yet: {why}"),
        };
        let left = watch.total.saturating_sub(elapsed);
        if left.is_zero() {
            let done = HealthProgress {
                phase: HealthPhase::GaveUp,
                attempt,
                elapsed_ms: millis(elapsed),
                status,
                message: format!(
                    "{what} after {}. It may still be restarting: check it in the Hasura Cloud \
                     dashboard before applying more changes.",
                    seconds(elapsed)
                ),
            };
            on_progress(done.clone());
            return done;
        }
        // `attempt` counts from 1: the wait after the first check is the first interval.
        let wait = intervals.delay(attempt.saturating_sub(1)).min(left);
        on_progress(HealthProgress {
            phase: HealthPhase::Unhealthy,
            attempt,
            elapsed_ms: millis(elapsed),
            status,
            message: format!("{what}; checking again in {}.", seconds(wait)),
        });
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_half_up_to_the_cap() {
        let w = HealthWatch::default();
        let intervals = w.intervals();
        let seen: Vec<u128> = (0..9).map(|n| intervals.delay(n).as_millis()).collect();
        assert_eq!(seen, [500, 750, 1125, 1687, 2531, 3796, 5000, 5000, 5000]);
        let odd = HealthWatch {
            backoff: f64::NAN,
            ..w
        };
        let i = intervals.delay(8);
        assert_eq!(odd.intervals().after(i), i);
        assert_eq!(odd.intervals().delay(8), w.first_interval);
    }

    #[test]
    fn only_safe_endpoints_are_polled() {
        assert_eq!(
            healthz_url("https://shop.hasura.app").unwrap(),
            "https://shop.hasura.app/healthz"
        );
        assert_eq!(
            healthz_url("http://127.0.0.1:4000/p/shop/").unwrap(),
            "http://127.0.0.1:4000/p/shop/healthz"
        );
        for bad in ["http://shop.example.com", "file:///etc/passwd", "nope"] {
            assert_eq!(healthz_url(bad).unwrap_err().kind(), "internal", "{bad}");
        }
    }

    fn quick() -> HealthWatch {
        HealthWatch {
            initial_delay: Duration::from_millis(10),
            first_interval: Duration::from_millis(10),
            backoff: 1.5,
            max_interval: Duration::from_millis(20),
            total: Duration::from_secs(5),
            request_timeout: Duration::from_secs(2),
        }
    }

    #[tokio::test]
    async fn a_token_that_cannot_see_the_workers_falls_back_to_healthz() {
        let sim = cloud_sim::Simulator::start(cloud_sim::SimConfig::default())
            .await
            .unwrap();
        let project = sim
            .control()
            .seed_project("shop", "aws", "us-east-2", "cloud_free", &[]);
        let url = healthz_url(&project.endpoint).unwrap();
        let watch = quick();
        let http = http_client(&watch).unwrap();
        let reads = std::sync::atomic::AtomicU32::new(0);
        let seen = std::sync::Mutex::new(Vec::new());
        let read = || {
            reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            async { Ok(None) }
        };
        let last = watch_after_apply(read, Some("old"), &http, &url, &watch, &|p| {
            seen.lock().unwrap().push(p)
        })
        .await;
        assert_eq!(reads.into_inner(), 1, "asked once, then /healthz only");
        assert_eq!(last.phase, HealthPhase::Healthy);
        let seen = seen.into_inner().unwrap();
        assert!(
            seen.iter().any(|p| p.message.starts_with(UNSEEN_BY_TOKEN)),
            "{seen:?}"
        );
    }

    #[tokio::test]
    async fn workers_still_on_the_old_config_are_waited_for_and_a_failure_shown() {
        let watch = quick();
        let reads = std::sync::atomic::AtomicU32::new(0);
        let read = || {
            let n = reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let worker = |hash: &str, message: &str| hasura_cloud::WorkerConfig {
                worker_id: hash.to_owned(),
                hash: hash.to_owned(),
                is_active: true,
                message: Some(message.to_owned()),
            };
            let workers = match n {
                0 => vec![
                    worker("old", CONFIGURED),
                    worker("new", "metadata is inconsistent"),
                ],
                _ => vec![worker("new", CONFIGURED), worker("new", CONFIGURED)],
            };
            async move {
                Ok(Some(ConfigStatus {
                    hash: "new".into(),
                    workers,
                }))
            }
        };
        let seen = std::sync::Mutex::new(Vec::new());
        let outcome = wait_for_workers(read, Some("old"), &watch, Instant::now(), &|p| {
            seen.lock().unwrap().push(p)
        })
        .await;
        assert!(matches!(outcome, Workers::MovedOn));
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(seen[0].phase, HealthPhase::Waiting);
        assert!(
            seen[0].message.starts_with(
                "0 of 2 workers run the new configuration. A worker says: metadata is inconsistent"
            ),
            "{}",
            seen[0].message
        );
    }

    #[test]
    fn defaults_are_the_specs() {
        let w = HealthWatch::default();
        assert_eq!(w.initial_delay, Duration::from_secs(2));
        assert_eq!(w.first_interval, Duration::from_millis(500));
        assert_eq!(w.max_interval, Duration::from_secs(5));
        assert_eq!(w.total, Duration::from_secs(120));
    }
}
