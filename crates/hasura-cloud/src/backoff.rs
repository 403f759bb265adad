//! The one exponential backoff rule of the app: a delay that starts at `initial`, grows by
//! `factor` each time and stops growing at `max`. Request retries (with jitter), the health watch
//! after an env apply and the preview-app watch all take their waits from it. Pure arithmetic, so
//! callers and tests can treat delays as data and never need to sleep.

use std::time::Duration;

use rand::Rng;

/// `initial · factor^n`, capped at `max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The first delay.
    pub initial: Duration,
    /// Each delay is the previous one times this. Below 1, infinite or NaN means no growth, so a
    /// bad setting never shrinks the waits to nothing.
    pub factor: f64,
    /// The longest delay.
    pub max: Duration,
}

impl Backoff {
    /// The delay before attempt `attempt` (0 = the first delay: `initial`). Exponents too
    /// large to compute cap at `max` instead of panicking.
    pub fn delay(&self, attempt: u32) -> Duration {
        if self.initial.is_zero() {
            return Duration::ZERO;
        }
        let grown = self.initial.as_secs_f64() * self.factor().powf(f64::from(attempt));
        self.capped(grown)
    }

    /// The delay that follows `previous`: for callers that keep the current delay as state (and
    /// may reset it), rather than counting attempts. `after(delay(n))` equals `delay(n + 1)` up to
    /// float rounding.
    pub fn after(&self, previous: Duration) -> Duration {
        self.capped(previous.as_secs_f64() * self.factor())
    }

    fn factor(&self) -> f64 {
        if self.factor.is_finite() && self.factor >= 1.0 {
            self.factor
        } else {
            1.0
        }
    }

    fn capped(&self, seconds: f64) -> Duration {
        Duration::try_from_secs_f64(seconds).map_or(self.max, |d| d.min(self.max))
    }
}

/// A delay uniformly random in `[0, ceiling]` ("full jitter"), so many clients failing together
/// do not retry in lockstep.
pub(crate) fn full_jitter(ceiling: Duration, rng: &mut impl Rng) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.random_range(0..=nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    fn millis(delays: impl Iterator<Item = Duration>) -> Vec<u128> {
        delays.map(|d| d.as_millis()).collect()
    }

    #[test]
    fn doubling_is_exact_and_caps() {
        let b = Backoff {
            initial: ms(200),
            factor: 2.0,
            max: Duration::from_secs(5),
        };
        assert_eq!(
            (0..7).map(|n| b.delay(n)).collect::<Vec<_>>(),
            [
                ms(200),
                ms(400),
                ms(800),
                ms(1600),
                ms(3200),
                ms(5000),
                ms(5000)
            ]
        );
    }

    #[test]
    fn half_again_each_time_up_to_the_cap() {
        let b = Backoff {
            initial: ms(500),
            factor: 1.5,
            max: Duration::from_secs(5),
        };
        assert_eq!(
            (0..9).map(|n| b.delay(n)).collect::<Vec<_>>(),
            [
                ms(500),
                ms(750),
                ms(1125),
                Duration::from_micros(1_687_500),
                Duration::from_micros(2_531_250),
                Duration::from_nanos(3_796_875_000),
                ms(5000),
                ms(5000),
                ms(5000),
            ]
        );
    }

    #[test]
    fn after_walks_the_same_steps_as_delay() {
        for b in [
            Backoff {
                initial: ms(200),
                factor: 2.0,
                max: Duration::from_secs(5),
            },
            Backoff {
                initial: ms(500),
                factor: 1.5,
                max: Duration::from_secs(5),
            },
            Backoff {
                initial: Duration::from_secs(1),
                factor: 1.5,
                max: Duration::from_secs(10),
            },
            Backoff {
                initial: ms(5),
                factor: 2.0,
                max: ms(20),
            },
        ] {
            let stepped = std::iter::successors(Some(b.initial), |d| Some(b.after(*d)));
            let counted = (0..).map(|n| b.delay(n));
            assert_eq!(
                stepped.take(12).collect::<Vec<_>>(),
                counted.take(12).collect::<Vec<_>>(),
                "{b:?}"
            );
        }
        let preview = Backoff {
            initial: Duration::from_secs(1),
            factor: 1.5,
            max: Duration::from_secs(10),
        };
        assert_eq!(
            millis((0..8).map(|n| preview.delay(n))),
            [1000, 1500, 2250, 3375, 5062, 7593, 10000, 10000]
        );
    }

    #[test]
    fn huge_values_cap_instead_of_overflowing() {
        let b = Backoff {
            initial: ms(200),
            factor: 2.0,
            max: Duration::from_secs(5),
        };
        for attempt in [31, 64, 1024, u32::MAX] {
            assert_eq!(b.delay(attempt), Duration::from_secs(5), "{attempt}");
        }
        let huge = Backoff {
            initial: Duration::MAX,
            factor: 2.0,
            max: Duration::from_secs(1),
        };
        assert_eq!(huge.delay(3), Duration::from_secs(1));
        assert_eq!(huge.after(Duration::MAX), Duration::from_secs(1));
        let uncapped = Backoff {
            max: Duration::MAX,
            ..huge
        };
        assert_eq!(uncapped.after(Duration::MAX), Duration::MAX);
    }

    #[test]
    fn a_factor_below_one_or_not_finite_means_no_growth() {
        for factor in [1.0, 0.5, 0.0, -2.0, f64::NAN, f64::INFINITY] {
            let b = Backoff {
                initial: ms(300),
                factor,
                max: Duration::from_secs(5),
            };
            assert_eq!(b.delay(0), ms(300), "{factor}");
            assert_eq!(b.delay(7), ms(300), "{factor}");
            assert_eq!(b.after(ms(300)), ms(300), "{factor}");
        }
    }

    #[test]
    fn zero_stays_zero() {
        let b = Backoff {
            initial: Duration::ZERO,
            factor: 2.0,
            max: Duration::from_secs(5),
        };
        assert_eq!(b.delay(0), Duration::ZERO);
        assert_eq!(b.delay(u32::MAX), Duration::ZERO);
        assert_eq!(b.after(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn the_cap_applies_to_the_first_delay_too() {
        // A first delay set above the cap is a setting mistake: the cap wins, as for every delay.
        let b = Backoff {
            initial: Duration::from_secs(9),
            factor: 2.0,
            max: Duration::from_secs(5),
        };
        assert_eq!(b.delay(0), Duration::from_secs(5));
    }

    #[test]
    fn jitter_stays_within_the_ceiling_and_varies() {
        let mut rng = rand::rng();
        assert_eq!(full_jitter(Duration::ZERO, &mut rng), Duration::ZERO);
        for _ in 0..200 {
            assert!(full_jitter(ms(800), &mut rng) <= ms(800));
        }
        let draws: Vec<_> = (0..200).map(|_| full_jitter(ms(5000), &mut rng)).collect();
        assert!(draws.iter().any(|d| *d != draws[0]));
    }
}
