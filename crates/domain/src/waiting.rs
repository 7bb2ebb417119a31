//! Estimated waits, as a range, from a referral's place in the queue and how many people the
//! service has recently seen. A range, because a single date would promise too much.

use serde::{Deserialize, Serialize};

/// An estimated wait for a first appointment, in whole weeks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitRange {
    /// At least this many weeks.
    pub min_weeks: u32,
    /// At most this many weeks.
    pub max_weeks: u32,
}

/// Weeks of history used for throughput; long enough to smooth holidays, short enough to
/// follow change.
pub const THROUGHPUT_WEEKS: u32 = 8;

/// Estimates the wait for someone with `ahead` people before them, in a service that booked
/// `booked` first appointments over the last `weeks` weeks. `None` when there is no history to
/// go on. About a week of triage comes first; the range widens by a quarter each way, because
/// capacity varies; it never claims more than a year.
pub fn estimate_wait(ahead: u64, booked: u64, weeks: u32) -> Option<WaitRange> {
    if booked == 0 || weeks == 0 {
        return None;
    }
    let per_week = booked as f64 / f64::from(weeks);
    let queue_weeks = ahead as f64 / per_week;
    let min = (queue_weeks * 0.8).floor() as u32 + 1;
    let max = ((queue_weeks * 1.25).ceil() as u32 + 1).max(min + 1);
    Some(WaitRange {
        min_weeks: min.min(52),
        max_weeks: max.min(52),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_short_queue_is_a_short_wait() {
        assert_eq!(
            estimate_wait(0, 80, 8),
            Some(WaitRange {
                min_weeks: 1,
                max_weeks: 2
            })
        );
        assert_eq!(
            estimate_wait(40, 80, 8),
            Some(WaitRange {
                min_weeks: 4,
                max_weeks: 6
            })
        );
        assert_eq!(estimate_wait(10, 0, 8), None);
        assert_eq!(
            estimate_wait(10_000, 8, 8),
            Some(WaitRange {
                min_weeks: 52,
                max_weeks: 52
            })
        );
    }

    proptest! {
        #[test]
        fn ranges_are_ordered_and_grow_with_the_queue(ahead in 0u64..5000, booked in 1u64..2000) {
            let range = estimate_wait(ahead, booked, THROUGHPUT_WEEKS).unwrap();
            prop_assert!(range.min_weeks <= range.max_weeks && range.max_weeks <= 52);
            let longer = estimate_wait(ahead + 100, booked, THROUGHPUT_WEEKS).unwrap();
            prop_assert!(longer.min_weeks >= range.min_weeks && longer.max_weeks >= range.max_weeks);
        }
    }
}
