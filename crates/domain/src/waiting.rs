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

/// Estimates how long someone already on a waiting list will wait for their appointment:
/// `position` people are ahead of them (more urgent, or waiting longer), the service booked
/// `recent` appointments over the last `recent_weeks` weeks, and has `upcoming` free slots of
/// the kind they need over the next `upcoming_weeks` weeks. The weekly rate is the mean of the
/// two that are known (throughput shows what really happens; free capacity shows what is
/// coming). `None` with neither. The range widens by a quarter each way and never claims more
/// than a year.
pub fn estimate_position_wait(
    position: u64,
    recent: u64,
    recent_weeks: u32,
    upcoming: u64,
    upcoming_weeks: u32,
) -> Option<WaitRange> {
    let rates: Vec<f64> = [(recent, recent_weeks), (upcoming, upcoming_weeks)]
        .into_iter()
        .filter(|(count, weeks)| *count > 0 && *weeks > 0)
        .map(|(count, weeks)| count as f64 / f64::from(weeks))
        .collect();
    if rates.is_empty() {
        return None;
    }
    let per_week = rates.iter().sum::<f64>() / rates.len() as f64;
    // Their own appointment is the (position + 1)th to be offered.
    let weeks = (position + 1) as f64 / per_week;
    // At least a week: "0 weeks" promises what no clinic can.
    let min = ((weeks * 0.8).floor() as u32).max(1);
    let max = ((weeks * 1.25).ceil() as u32).max(min + 1);
    Some(WaitRange {
        min_weeks: min.min(52),
        max_weeks: max.min(52),
    })
}

/// How often people on a waiting list hear from the service, and when they are asked whether
/// they still need it (validation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitingPolicy {
    /// Days between "still waiting" updates, from the referral's acceptance.
    pub update_every_days: u32,
    /// Days waited before "do you still need this?" (and again as often after an answer).
    pub validate_after_days: u32,
    /// Days to answer before a coordinator calls instead.
    pub reply_within_days: u32,
}

impl Default for WaitingPolicy {
    /// An update every four weeks; validation at twelve weeks; two weeks to answer.
    fn default() -> Self {
        Self {
            update_every_days: 28,
            validate_after_days: 84,
            reply_within_days: 14,
        }
    }
}

/// The bands a waiting list is reported in, in weeks waited: `[from, to)`, the last open.
pub const WAIT_BANDS: [(u32, Option<u32>); 7] = [
    (0, Some(1)),
    (1, Some(2)),
    (2, Some(4)),
    (4, Some(12)),
    (12, Some(18)),
    (18, Some(52)),
    (52, None),
];

/// The band (an index into [`WAIT_BANDS`]) for someone who has waited `days` days.
pub fn wait_band(days: i64) -> usize {
    let weeks = days.max(0) / 7;
    WAIT_BANDS
        .iter()
        .position(|(_, to)| to.is_some_and(|to| weeks < i64::from(to)))
        .unwrap_or(WAIT_BANDS.len() - 1)
}

/// One line of a waiting list: how many wait in each band, and how long.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaitSummary {
    /// People in each of [`WAIT_BANDS`].
    pub bands: [u32; 7],
    /// Everyone waiting.
    pub total: u32,
    /// The median wait so far, in whole weeks.
    pub median_weeks: u32,
    /// The longest wait so far, in whole weeks.
    pub longest_weeks: u32,
    /// The share waiting under 18 weeks, in whole per cent.
    pub within_18_weeks_percent: u32,
}

/// Summarises the days waited so far by everyone on one list.
pub fn summarise_waits(days_waited: &[i64]) -> WaitSummary {
    let mut days: Vec<i64> = days_waited.iter().map(|d| (*d).max(0)).collect();
    days.sort_unstable();
    let mut summary = WaitSummary::default();
    for d in &days {
        summary.bands[wait_band(*d)] += 1;
    }
    let weeks = |d: i64| u32::try_from(d / 7).unwrap_or(u32::MAX);
    summary.total = u32::try_from(days.len()).unwrap_or(u32::MAX);
    if let (Some(middle), Some(last)) = (days.get(days.len() / 2), days.last()) {
        summary.median_weeks = weeks(*middle);
        summary.longest_weeks = weeks(*last);
        let within = days.iter().filter(|d| **d < 18 * 7).count();
        summary.within_18_weeks_percent = u32::try_from(within * 100 / days.len()).unwrap_or(100);
    }
    summary
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_place_in_the_queue_gives_a_range_from_throughput_and_capacity() {
        assert_eq!(estimate_position_wait(10, 0, 8, 0, 4), None);
        // 5 a week either way: the 21st to be seen waits about 4 weeks.
        let range = estimate_position_wait(20, 40, 8, 20, 4).unwrap();
        assert_eq!(
            range,
            WaitRange {
                min_weeks: 3,
                max_weeks: 6
            }
        );
        // Only capacity known.
        assert_eq!(
            estimate_position_wait(0, 0, 8, 40, 4).unwrap(),
            WaitRange {
                min_weeks: 1,
                max_weeks: 2
            }
        );
        let further = estimate_position_wait(200, 40, 8, 20, 4).unwrap();
        assert!(further.min_weeks > range.max_weeks);
        assert_eq!(
            estimate_position_wait(100_000, 1, 8, 0, 4)
                .unwrap()
                .max_weeks,
            52
        );
    }

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

    #[test]
    fn waits_fall_into_the_national_bands() {
        assert_eq!(wait_band(0), 0);
        assert_eq!(wait_band(6), 0);
        assert_eq!(wait_band(7), 1);
        assert_eq!(wait_band(13), 1);
        assert_eq!(wait_band(14), 2);
        assert_eq!(wait_band(12 * 7 - 1), 3);
        assert_eq!(wait_band(12 * 7), 4);
        assert_eq!(wait_band(18 * 7), 5);
        assert_eq!(wait_band(52 * 7), 6);
        assert_eq!(wait_band(900), 6);
        assert_eq!(wait_band(-3), 0, "a clock cannot run backwards");
    }

    #[test]
    fn a_list_is_summarised() {
        let summary = summarise_waits(&[3, 10, 40, 100, 200, 400]);
        assert_eq!(summary.bands, [1, 1, 0, 1, 1, 1, 1]);
        assert_eq!(summary.total, 6);
        assert_eq!(summary.median_weeks, 14);
        assert_eq!(summary.longest_weeks, 57);
        assert_eq!(summary.within_18_weeks_percent, 66);
        assert_eq!(summarise_waits(&[]), WaitSummary::default());
    }
}
