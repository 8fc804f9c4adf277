//! keylint's own limit on live probes, so that an editor hovering over many keys,
//! or a loop in a script, cannot turn keylint into a source of provider traffic.
//!
//! A sliding window over the last minute: a probe may start when fewer than
//! `max_per_minute` started in the 60 seconds before it. Cache hits and refused
//! targets do not count, only probes that would touch the network.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The window the limit applies to.
pub const WINDOW: Duration = Duration::from_secs(60);

/// A sliding-window limiter. `max_per_minute == 0` means no limit.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    max_per_minute: u32,
    starts: VecDeque<Instant>,
}

impl RateLimiter {
    /// A limiter allowing `max_per_minute` starts per rolling minute.
    #[must_use]
    pub fn new(max_per_minute: u32) -> RateLimiter {
        RateLimiter {
            max_per_minute,
            starts: VecDeque::new(),
        }
    }

    /// The configured limit (`0` = none).
    #[must_use]
    pub fn max_per_minute(&self) -> u32 {
        self.max_per_minute
    }

    /// Records a start at `now` if the limit allows it.
    ///
    /// # Errors
    /// How long to wait until the next start is allowed.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), Duration> {
        if self.max_per_minute == 0 {
            return Ok(());
        }
        while let Some(oldest) = self.starts.front() {
            if now.saturating_duration_since(*oldest) >= WINDOW {
                self.starts.pop_front();
            } else {
                break;
            }
        }
        if self.starts.len() < self.max_per_minute as usize {
            self.starts.push_back(now);
            return Ok(());
        }
        let oldest = self.starts.front().copied().unwrap_or(now);
        Err(WINDOW.saturating_sub(now.saturating_duration_since(oldest)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_max_then_waits_for_the_oldest() {
        let mut limiter = RateLimiter::new(2);
        let start = Instant::now();
        assert_eq!(limiter.try_acquire(start), Ok(()));
        assert_eq!(limiter.try_acquire(start + Duration::from_secs(10)), Ok(()));
        assert_eq!(
            limiter.try_acquire(start + Duration::from_secs(20)),
            Err(Duration::from_secs(40))
        );
        // A refused attempt does not count.
        assert_eq!(limiter.try_acquire(start + Duration::from_secs(60)), Ok(()));
        assert_eq!(
            limiter.try_acquire(start + Duration::from_secs(61)),
            Err(Duration::from_secs(9))
        );
        assert_eq!(limiter.try_acquire(start + Duration::from_secs(70)), Ok(()));
    }

    #[test]
    fn zero_means_unlimited() {
        let mut limiter = RateLimiter::new(0);
        let now = Instant::now();
        for _ in 0..100 {
            assert_eq!(limiter.try_acquire(now), Ok(()));
        }
    }
}
