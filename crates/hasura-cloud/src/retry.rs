//! Retry timing (`Retry-After` parsing and the backoff of [`RetryPolicy`]), kept free of I/O so
//! it can be tested directly. The backoff rule itself lives in [`crate::backoff`].

use std::time::Duration;

use crate::backoff::{Backoff, full_jitter};
use crate::config::RetryPolicy;

impl RetryPolicy {
    /// The ceilings of the waits between retries: `base_delay`, doubling with every retry, up to
    /// `max_delay`.
    pub fn ceilings(&self) -> Backoff {
        Backoff {
            initial: self.base_delay,
            factor: 2.0,
            max: self.max_delay,
        }
    }

    /// Upper bound of the wait before retry number `retry` (0 = the first retry):
    /// `base_delay · 2^retry`, capped at `max_delay`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        self.ceilings().delay(retry)
    }

    /// The wait before retry number `retry`: uniformly random in `[0, ceiling]` ("full jitter"),
    /// so many clients failing together do not retry in lockstep.
    pub fn backoff(&self, retry: u32) -> Duration {
        full_jitter(self.backoff_ceiling(retry), &mut rand::rng())
    }

    /// Attempts in total, never less than one.
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }
}

/// Reads a `Retry-After` header given in seconds. The HTTP-date form is not understood and yields
/// `None` (the caller then falls back to its own backoff).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let p = policy();
        assert_eq!(p.backoff_ceiling(0), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(400));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(1600));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(3200));
        assert_eq!(p.backoff_ceiling(5), Duration::from_secs(5));
        assert_eq!(p.backoff_ceiling(31), Duration::from_secs(5));
        // Overflowing exponents must cap, not panic.
        assert_eq!(p.backoff_ceiling(64), Duration::from_secs(5));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn millisecond_policies_of_the_tests_double_exactly() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..policy()
        };
        let ceilings: Vec<_> = (0..4).map(|n| p.backoff_ceiling(n)).collect();
        assert_eq!(
            ceilings,
            [5, 10, 20, 20].map(Duration::from_millis),
            "the same rule as the other backoffs: {:?}",
            p.ceilings()
        );
    }

    #[test]
    fn huge_base_delay_caps_instead_of_overflowing() {
        let p = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::from_secs(1),
            ..policy()
        };
        assert_eq!(p.backoff_ceiling(3), Duration::from_secs(1));
    }

    #[test]
    fn jitter_stays_within_ceiling() {
        let p = policy();
        for retry in 0..8 {
            for _ in 0..200 {
                assert!(p.backoff(retry) <= p.backoff_ceiling(retry));
            }
        }
        assert_eq!(
            full_jitter(Duration::ZERO, &mut rand::rng()),
            Duration::ZERO
        );
        // Not constant: 200 draws below a 5 s ceiling are not all equal.
        let draws: Vec<_> = (0..200).map(|_| p.backoff(10)).collect();
        assert!(draws.iter().any(|d| *d != draws[0]));
    }

    #[test]
    fn attempts_is_at_least_one() {
        let p = RetryPolicy {
            max_attempts: 0,
            ..policy()
        };
        assert_eq!(p.attempts(), 1);
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(policy().attempts(), 4);
    }

    #[test]
    fn retry_after_seconds() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-3"), None);
        assert_eq!(parse_retry_after("1.5"), None);
        assert_eq!(parse_retry_after(""), None);
    }
}
