//! Watching a project come back after its variables changed: Hasura Cloud restarts it, and its
//! `<endpoint>/healthz` answers 200 again once it is up. Wait a moment, then poll with backoff
//! until healthy or until the time allowed runs out.

use std::time::{Duration, Instant};

use hasura_cloud::backoff::Backoff;

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
    reqwest::Client::builder()
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

    #[test]
    fn defaults_are_the_specs() {
        let w = HealthWatch::default();
        assert_eq!(w.initial_delay, Duration::from_secs(2));
        assert_eq!(w.first_interval, Duration::from_millis(500));
        assert_eq!(w.max_interval, Duration::from_secs(5));
        assert_eq!(w.total, Duration::from_secs(120));
    }
}
