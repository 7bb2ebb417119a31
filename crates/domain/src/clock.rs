//! The injected clock: every rule that needs "now" takes it from here, so tests control time.

use std::sync::Mutex;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A source of the current instant.
pub trait Clock: Send + Sync {
    /// The current instant in UTC.
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned place that reads the system clock
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until moved; for tests and the deterministic demo.
#[derive(Debug)]
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    /// A clock fixed at `at`.
    pub fn new(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now = now.saturating_add(by).unwrap_or(*now);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The UK's civil time, in which the service runs and every date and time is shown.
pub fn london() -> TimeZone {
    // The zone database is compiled in (jiff's bundled tzdb), so this cannot fail at run time;
    // UTC is the safe answer if it ever did.
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

/// An instant as a date and time on the clock in London.
pub fn local(at: Timestamp) -> DateTime {
    at.to_zoned(london()).datetime()
}

/// The date in London at `at`.
pub fn local_date(at: Timestamp) -> Date {
    local(at).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_time_follows_british_summer_time() {
        let winter: Timestamp = "2026-11-30T09:30:00Z".parse().unwrap();
        assert_eq!(local(winter).time(), jiff::civil::time(9, 30, 0, 0));
        let summer: Timestamp = "2026-06-01T23:30:00Z".parse().unwrap();
        assert_eq!(local_date(summer), jiff::civil::date(2026, 6, 2));
    }
}
