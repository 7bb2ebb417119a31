//! Population health: the groups a dashboard cuts by (deprivation decile, ethnicity, age band,
//! sex, language, communication need, digital exclusion, area), the statistics it shows (median
//! and 90th centile from a histogram of days, rates with Wilson intervals, the gap between two
//! groups with a Newcombe interval), the community SitRep wait bands, the alert when a gap
//! passes the threshold the service sets, and the postcode → LSOA → IMD lookup's values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::codes;
use crate::error::Invalid;

/// What a dashboard groups people by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cut {
    /// Index of Multiple Deprivation decile of the LSOA the person lives in (1 most deprived).
    Deprivation,
    /// Ethnic group (the Data Dictionary's categories, folded into the five broad groups).
    Ethnicity,
    /// Age band at referral.
    AgeBand,
    /// Sex.
    Sex,
    /// Preferred language.
    Language,
    /// Whether the person has a recorded communication need (Accessible Information Standard).
    CommunicationNeed,
    /// Whether the person is recorded as digitally excluded.
    DigitalExclusion,
    /// Postcode district (outward code).
    Area,
}

codes!(Cut {
    Deprivation => "deprivation",
    Ethnicity => "ethnicity",
    AgeBand => "age",
    Sex => "sex",
    Language => "language",
    CommunicationNeed => "communication_need",
    DigitalExclusion => "digital_exclusion",
    Area => "area",
});

/// The code for a group whose value is not recorded (no postcode in the lookup, no ethnicity).
pub const UNKNOWN: &str = "unknown";

/// The age bands, as `(code, first age, last age)`; the last is open.
pub const AGE_BANDS: [(&str, u32, Option<u32>); 6] = [
    ("0-17", 0, Some(17)),
    ("18-34", 18, Some(34)),
    ("35-49", 35, Some(49)),
    ("50-64", 50, Some(64)),
    ("65-79", 65, Some(79)),
    ("80+", 80, None),
];

/// The age band code for someone `age` years old.
pub fn age_band(age: u32) -> &'static str {
    AGE_BANDS
        .iter()
        .find(|(_, from, to)| age >= *from && to.is_none_or(|to| age <= to))
        .map_or("80+", |(code, _, _)| code)
}

/// The five broad ethnic groups of the 2001 census categories, with the codes in each.
const ETHNIC_GROUPS: [(&str, &[char]); 6] = [
    ("white", &['A', 'B', 'C']),
    ("mixed", &['D', 'E', 'F', 'G']),
    ("asian", &['H', 'J', 'K', 'L']),
    ("black", &['M', 'N', 'P']),
    ("other", &['R', 'S']),
    ("not_stated", &['Z']),
];

impl Cut {
    /// The group a stored value falls in: deciles and areas as they are, ethnic categories
    /// folded into their broad group; an empty or unrecognised value is [`UNKNOWN`].
    pub fn group(self, value: &str) -> String {
        let value = value.trim();
        if value.is_empty() {
            return UNKNOWN.to_owned();
        }
        match self {
            Self::Ethnicity => value
                .chars()
                .next()
                .and_then(|c| {
                    ETHNIC_GROUPS
                        .iter()
                        .find(|(_, codes)| codes.contains(&c))
                        .map(|(group, _)| (*group).to_owned())
                })
                .unwrap_or_else(|| UNKNOWN.to_owned()),
            _ => value.to_owned(),
        }
    }

    /// Where a group sorts: deciles by number, the fixed vocabularies in their own order,
    /// anything else alphabetically, and unknown last.
    pub fn order(self, group: &str) -> (u8, u32, String) {
        if group == UNKNOWN {
            return (2, 0, String::new());
        }
        let fixed: Option<usize> = match self {
            Self::Deprivation => group.parse::<usize>().ok(),
            Self::Ethnicity => ETHNIC_GROUPS.iter().position(|(g, _)| *g == group),
            Self::AgeBand => AGE_BANDS.iter().position(|(code, _, _)| *code == group),
            Self::Sex => ["female", "male", "other", "unknown"]
                .iter()
                .position(|s| *s == group),
            Self::CommunicationNeed | Self::DigitalExclusion => {
                ["yes", "no"].iter().position(|s| *s == group)
            }
            Self::Language | Self::Area => None,
        };
        match fixed {
            Some(i) => (0, u32::try_from(i).unwrap_or(u32::MAX), String::new()),
            None => (1, 0, group.to_owned()),
        }
    }

    /// The two groups an inequality gap compares for this cut, when it has a fixed pair: the
    /// most against the least deprived fifth (deciles 1–2 against 9–10).
    fn fixed_pair(self) -> Option<(&'static [&'static str], &'static [&'static str])> {
        match self {
            Self::Deprivation => Some((&["1", "2"], &["9", "10"])),
            Self::CommunicationNeed | Self::DigitalExclusion => Some((&["yes"], &["no"])),
            _ => None,
        }
    }
}

/// A Lower layer Super Output Area code, as the ONS writes it (`E01000001`, `W01000001`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LsoaCode(String);

impl LsoaCode {
    /// Parses an English or Welsh LSOA code: `E01` or `W01` and six digits.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let code = input.trim().to_ascii_uppercase();
        let ok = code.len() == 9
            && (code.starts_with("E01") || code.starts_with("W01"))
            && code[3..].bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Self(code))
        } else {
            Err(Invalid("lsoa"))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Index of Multiple Deprivation decile: 1 is the most deprived tenth of LSOAs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImdDecile(u8);

impl ImdDecile {
    /// Parses a decile, 1 to 10.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim().parse::<u8>() {
            Ok(d) if (1..=10).contains(&d) => Ok(Self(d)),
            _ => Err(Invalid("decile")),
        }
    }

    /// The decile, 1 to 10.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A count of people with something (`hits`) out of everyone counted (`total`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Proportion {
    /// How many had it.
    pub hits: u64,
    /// How many were counted.
    pub total: u64,
}

/// The normal quantile for a two-sided 95% interval.
const Z95: f64 = 1.959_964;

#[allow(clippy::cast_precision_loss)]
fn as_f64(n: u64) -> f64 {
    n as f64
}

impl Proportion {
    /// Adds another count to this one.
    pub fn add(&mut self, other: Proportion) {
        self.hits += other.hits;
        self.total += other.total;
    }

    /// The share, 0 to 1; none when nobody was counted.
    pub fn rate(self) -> Option<f64> {
        (self.total > 0).then(|| as_f64(self.hits) / as_f64(self.total))
    }

    /// The Wilson score 95% interval of the share.
    pub fn interval(self) -> Option<(f64, f64)> {
        let p = self.rate()?;
        let n = as_f64(self.total);
        let z2 = Z95 * Z95;
        let denominator = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denominator;
        let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
        Some(((centre - half).max(0.0), (centre + half).min(1.0)))
    }
}

/// The difference between two groups' shares with its 95% interval (Newcombe's method from
/// the two Wilson intervals), as proportions (0.05 is five percentage points).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    /// First group's share minus the second's.
    pub estimate: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

impl Difference {
    /// The difference `a − b`; none when either group is empty.
    pub fn between(a: Proportion, b: Proportion) -> Option<Self> {
        let (p1, p2) = (a.rate()?, b.rate()?);
        let ((l1, u1), (l2, u2)) = (a.interval()?, b.interval()?);
        let estimate = p1 - p2;
        Some(Self {
            estimate,
            low: estimate - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
            high: estimate + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
        })
    }

    /// True when the interval leaves out no difference at all.
    pub fn is_clear(self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// Groups smaller than this are left out of a gap: their share is too uncertain to compare.
pub const MIN_GROUP: u64 = 20;

/// The inequality gap on one measure between two groups of a cut.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// The groups on the first side (for deprivation, deciles 1 and 2).
    pub first: Vec<String>,
    /// The groups on the second side.
    pub second: Vec<String>,
    /// The counts on each side.
    pub counts: (Proportion, Proportion),
    /// First side's share minus the second's.
    pub difference: Difference,
    /// The gap is at least the service's threshold and its interval leaves out zero.
    pub alert: bool,
}

/// The gap between the groups of `cut` on one measure, given each group's count: for
/// deprivation, the most against the least deprived fifth; for communication need and digital
/// exclusion, those with against those without; otherwise the known groups of at least
/// [`MIN_GROUP`] people with the highest and the lowest share. The alert is raised when the
/// gap is at least `threshold_points` percentage points and clearly not zero.
pub fn gap(cut: Cut, groups: &[(String, Proportion)], threshold_points: f64) -> Option<Gap> {
    let (first, second) = match cut.fixed_pair() {
        Some((a, b)) => (
            a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            b.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        ),
        None => {
            let eligible: Vec<(&String, f64)> = groups
                .iter()
                .filter(|(g, p)| g != UNKNOWN && g != "not_stated" && p.total >= MIN_GROUP)
                .filter_map(|(g, p)| p.rate().map(|r| (g, r)))
                .collect();
            let by_rate = |a: &&(&String, f64), b: &&(&String, f64)| a.1.total_cmp(&b.1);
            let (h, _) = eligible.iter().max_by(by_rate)?;
            let (l, _) = eligible.iter().min_by(by_rate)?;
            if h == l {
                return None;
            }
            (vec![(*h).clone()], vec![(*l).clone()])
        }
    };
    let sum = |side: &[String]| {
        let mut total = Proportion::default();
        for (_, p) in groups.iter().filter(|(g, _)| side.contains(g)) {
            total.add(*p);
        }
        total
    };
    let counts = (sum(&first), sum(&second));
    let difference = Difference::between(counts.0, counts.1)?;
    let alert = difference.estimate.abs() * 100.0 >= threshold_points && difference.is_clear();
    Some(Gap {
        first,
        second,
        counts,
        difference,
        alert,
    })
}

/// The community health services SitRep wait bands, in days waited: `[from, to]`, the last
/// open (0–1 weeks, 1–2, 2–4, 4–12, 12–18, 18–52, 52–104 and over 104 weeks).
pub const SITREP_BANDS: [(i64, Option<i64>); 8] = [
    (0, Some(7)),
    (8, Some(14)),
    (15, Some(28)),
    (29, Some(84)),
    (85, Some(126)),
    (127, Some(364)),
    (365, Some(728)),
    (729, None),
];

/// How many people waited how many days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaitHistogram(BTreeMap<i64, u64>);

impl WaitHistogram {
    /// Counts `people` who waited `days` days (a negative wait counts as none).
    pub fn add(&mut self, days: i64, people: u64) {
        *self.0.entry(days.max(0)).or_default() += people;
    }

    /// Adds everyone in `other`.
    pub fn merge(&mut self, other: &WaitHistogram) {
        for (days, n) in &other.0 {
            self.add(*days, *n);
        }
    }

    /// Everyone counted.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    /// The wait at quantile `q` (0.5 is the median) by nearest rank, in days.
    pub fn quantile(&self, q: f64) -> Option<i64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        self.0.iter().find_map(|(days, n)| {
            seen += n;
            (seen >= rank).then_some(*days)
        })
    }

    /// Those who waited at most `days` days, out of everyone.
    pub fn within(&self, days: i64) -> Proportion {
        Proportion {
            hits: self.0.range(..=days).map(|(_, n)| n).sum(),
            total: self.total(),
        }
    }

    /// Those who waited more than `days` days, out of everyone.
    pub fn over(&self, days: i64) -> Proportion {
        let within = self.within(days);
        Proportion {
            hits: within.total - within.hits,
            total: within.total,
        }
    }

    /// How many fall in each of [`SITREP_BANDS`].
    pub fn sitrep_bands(&self) -> [u64; 8] {
        let mut bands = [0; 8];
        for (days, n) in &self.0 {
            let band = SITREP_BANDS
                .iter()
                .position(|(_, to)| to.is_some_and(|to| *days <= to))
                .unwrap_or(SITREP_BANDS.len() - 1);
            bands[band] += n;
        }
        bands
    }

    /// The mean wait in days, to one decimal place's worth of precision.
    pub fn mean(&self) -> Option<f64> {
        let total = self.total();
        #[allow(clippy::cast_precision_loss)]
        let sum: f64 = self.0.iter().map(|(d, n)| *d as f64 * as_f64(*n)).sum();
        (total > 0).then(|| sum / as_f64(total))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn p(hits: u64, total: u64) -> Proportion {
        Proportion { hits, total }
    }

    #[test]
    fn groups_fold_and_sort_in_the_services_order() {
        assert_eq!(Cut::Ethnicity.group("H"), "asian");
        assert_eq!(Cut::Ethnicity.group("Z"), "not_stated");
        assert_eq!(Cut::Ethnicity.group(""), UNKNOWN);
        assert_eq!(Cut::Ethnicity.group("Q"), UNKNOWN);
        assert_eq!(Cut::Deprivation.group("3"), "3");
        let mut deciles: Vec<&str> = vec!["10", UNKNOWN, "2", "1"];
        deciles.sort_by_key(|g| Cut::Deprivation.order(g));
        assert_eq!(deciles, ["1", "2", "10", UNKNOWN]);
        assert_eq!(age_band(17), "0-17");
        assert_eq!(age_band(18), "18-34");
        assert_eq!(age_band(64), "50-64");
        assert_eq!(age_band(104), "80+");
        assert_eq!(Cut::parse("age"), Ok(Cut::AgeBand));
        assert!(Cut::parse("shoe size").is_err());
    }

    #[test]
    fn the_wilson_interval_matches_a_worked_example() {
        // 81 of 263: 0.308, 95% CI 0.255 to 0.366 (Newcombe 1998, example).
        let (low, high) = p(81, 263).interval().unwrap();
        assert!((low - 0.2553).abs() < 0.001, "{low}");
        assert!((high - 0.3662).abs() < 0.001, "{high}");
        assert_eq!(p(0, 0).interval(), None);
        let (low, high) = p(0, 10).interval().unwrap();
        assert!(low.abs() < f64::EPSILON && high > 0.2 && high < 0.35);
    }

    #[test]
    fn the_newcombe_difference_matches_a_worked_example() {
        // Newcombe 1998, example (a): 56/70 against 48/80, difference 0.2, CI 0.0524 to 0.3339.
        let d = Difference::between(p(56, 70), p(48, 80)).unwrap();
        assert!((d.estimate - 0.2).abs() < 1e-9);
        assert!((d.low - 0.0524).abs() < 0.001, "{}", d.low);
        assert!((d.high - 0.3339).abs() < 0.001, "{}", d.high);
        assert!(d.is_clear());
    }

    #[test]
    fn the_deprivation_gap_compares_the_most_and_least_deprived_fifths() {
        let groups: Vec<(String, Proportion)> = [
            ("1", p(40, 100)),
            ("2", p(30, 100)),
            ("5", p(99, 100)),
            ("9", p(10, 100)),
            ("10", p(10, 100)),
        ]
        .into_iter()
        .map(|(g, c)| (g.to_owned(), c))
        .collect();
        let gap = gap(Cut::Deprivation, &groups, 5.0).unwrap();
        assert_eq!(gap.counts, (p(70, 200), p(20, 200)));
        assert!((gap.difference.estimate - 0.25).abs() < 1e-9);
        assert!(gap.alert);
        // The same gap under a threshold of 30 points raises no alert.
        assert!(!super::gap(Cut::Deprivation, &groups, 30.0).unwrap().alert);
    }

    #[test]
    fn other_cuts_compare_the_highest_and_lowest_groups_big_enough_to_count() {
        let groups: Vec<(String, Proportion)> = [
            ("white", p(10, 100)),
            ("asian", p(20, 100)),
            ("black", p(5, 10)), // too few to compare
            (UNKNOWN, p(90, 100)),
        ]
        .into_iter()
        .map(|(g, c)| (g.to_owned(), c))
        .collect();
        let gap = gap(Cut::Ethnicity, &groups, 5.0).unwrap();
        assert_eq!(
            (gap.first, gap.second),
            (vec!["asian".to_owned()], vec!["white".to_owned()])
        );
        // A small sample: ten points apart but not clearly, so no alert.
        let small: Vec<(String, Proportion)> = vec![("a".into(), p(3, 20)), ("b".into(), p(5, 20))];
        let gap = super::gap(Cut::Area, &small, 5.0).unwrap();
        assert!(!gap.alert);
        assert_eq!(super::gap(Cut::Area, &small[..1], 5.0), None);
    }

    #[test]
    fn a_histogram_gives_centiles_shares_and_sitrep_bands() {
        let mut h = WaitHistogram::default();
        for days in [0, 7, 8, 14, 28, 84, 126, 127, 365, 729] {
            h.add(days, 1);
        }
        h.add(-3, 1);
        assert_eq!(h.total(), 11);
        assert_eq!(h.sitrep_bands(), [3, 2, 1, 1, 1, 1, 1, 1]);
        assert_eq!(h.quantile(0.5), Some(28));
        assert_eq!(h.quantile(0.9), Some(365));
        assert_eq!(h.within(126), p(8, 11));
        assert_eq!(h.over(126), p(3, 11));
        assert_eq!(WaitHistogram::default().quantile(0.5), None);
    }

    #[test]
    fn lookup_values_are_checked() {
        assert_eq!(
            LsoaCode::parse(" e01000001 ").unwrap().as_str(),
            "E01000001"
        );
        assert!(LsoaCode::parse("E0100001").is_err());
        assert!(LsoaCode::parse("S01000001").is_err());
        assert_eq!(ImdDecile::parse("10").unwrap().get(), 10);
        assert!(ImdDecile::parse("0").is_err());
        assert!(ImdDecile::parse("eleven").is_err());
    }

    proptest! {
        #[test]
        fn the_median_sits_among_the_waits(waits in proptest::collection::vec(0i64..2000, 1..200)) {
            let mut h = WaitHistogram::default();
            for w in &waits {
                h.add(*w, 1);
            }
            let mut sorted = waits.clone();
            sorted.sort_unstable();
            let median = h.quantile(0.5).unwrap();
            let below = sorted.iter().filter(|w| **w <= median).count();
            prop_assert!(below * 2 >= sorted.len());
            prop_assert!(h.quantile(0.9).unwrap() >= median);
            prop_assert_eq!(h.sitrep_bands().iter().sum::<u64>(), h.total());
        }

        #[test]
        fn an_interval_holds_its_share(hits in 0u64..500, extra in 0u64..500) {
            let c = p(hits, hits + extra);
            if let (Some(r), Some((l, u))) = (c.rate(), c.interval()) {
                prop_assert!(l <= r + 1e-12 && r <= u + 1e-12);
            }
        }
    }
}
