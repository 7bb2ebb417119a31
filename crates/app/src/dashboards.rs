//! Population-health dashboards for service managers: referrals by route, triage outcomes,
//! waits, missed appointments and feedback scores, each cut by a population group, with the
//! inequality gap on the dashboard's headline measure and an alert when it passes the
//! threshold the service sets; the waiting list in community SitRep wait bands; the
//! reporting table's rebuild. Counts only, never a person, so nothing here is audited.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::{Span, Timestamp};
use jointly_domain::access::Permission;
use jointly_domain::feedback::csv_field;
use jointly_domain::population::{Cut, Gap, Proportion, WaitHistogram, gap};
use jointly_domain::{Invalid, ServiceId, ValidationErrors, london};
use jointly_store::{FactFilter, Tally, WaitCount};
use serde::{Deserialize, Serialize};

use crate::principal::Principal;
use crate::{App, AppError};

/// The setting holding every dashboard's gaps as last worked out (JSON).
const GAPS_SETTING: &str = "population_gaps";
/// The setting holding the inequality alert threshold, in percentage points.
const THRESHOLD_SETTING: &str = "inequality_alert_points";
/// The threshold until a service manager sets one.
pub const DEFAULT_THRESHOLD: f64 = 5.0;
/// The periods a dashboard may look back over, in months.
pub const PERIODS: [u32; 5] = [1, 3, 6, 12, 24];
/// Six weeks and eighteen weeks, in days.
const SIX_WEEKS: i64 = 6 * 7;
const EIGHTEEN_WEEKS: i64 = 18 * 7;

/// The dashboards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dashboard {
    /// Referrals received, by route.
    Referrals,
    /// What triage decided.
    Triage,
    /// Waits: the list now, and how long those seen had waited.
    Waits,
    /// Appointments missed without warning.
    Attendance,
    /// Friends and Family Test answers about referrals.
    Feedback,
    /// Outcome measures answered at the start and later in care.
    Outcomes,
}

impl Dashboard {
    /// Every dashboard, in the order they are listed.
    pub const ALL: [Dashboard; 6] = [
        Self::Referrals,
        Self::Triage,
        Self::Waits,
        Self::Attendance,
        Self::Outcomes,
        Self::Feedback,
    ];

    /// Stable code, used in addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Referrals => "referrals",
            Self::Triage => "triage",
            Self::Waits => "waits",
            Self::Attendance => "attendance",
            Self::Feedback => "feedback",
            Self::Outcomes => "outcomes",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == input)
    }

    /// The headline measure the inequality gap is worked out on.
    pub fn headline(self) -> Headline {
        match self {
            Self::Referrals => Headline::SelfReferred,
            Self::Triage => Headline::AdviceOnly,
            Self::Waits => Headline::WaitingOver18Weeks,
            Self::Attendance => Headline::DidNotAttend,
            Self::Feedback => Headline::PositiveFeedback,
            Self::Outcomes => Headline::Improved,
        }
    }
}

/// The share each dashboard compares between groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headline {
    /// Referrals the person made themselves, online or by phone.
    SelfReferred,
    /// Referrals closed at triage with advice only.
    AdviceOnly,
    /// People waiting now who have waited over 18 weeks.
    WaitingOver18Weeks,
    /// Appointments missed without warning, of those attended or missed.
    DidNotAttend,
    /// Answers of good or very good, of all answers.
    PositiveFeedback,
    /// Outcome measures that got better, of those answered at least twice in care.
    Improved,
}

impl Headline {
    /// Stable code, for message keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SelfReferred => "self_referred",
            Self::AdviceOnly => "advice_only",
            Self::WaitingOver18Weeks => "over_18_weeks",
            Self::DidNotAttend => "did_not_attend",
            Self::PositiveFeedback => "positive_feedback",
            Self::Improved => "improved",
        }
    }
}

/// A gap as kept between rebuilds: which dashboard and grouping, the two sides and their
/// counts.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredGap {
    dashboard: String,
    cut: String,
    first: Vec<String>,
    second: Vec<String>,
    /// (hits, total) on each side.
    counts: [(u64, u64); 2],
}

impl StoredGap {
    fn of(dashboard: Dashboard, cut: Cut, gap: &Gap) -> Self {
        Self {
            dashboard: dashboard.as_str().to_owned(),
            cut: cut.as_str().to_owned(),
            first: gap.first.clone(),
            second: gap.second.clone(),
            counts: [
                (gap.counts.0.hits, gap.counts.0.total),
                (gap.counts.1.hits, gap.counts.1.total),
            ],
        }
    }

    /// The gap again, when it raises an alert under `threshold`.
    fn alert(self, threshold: f64) -> Option<GapAlert> {
        let dashboard = Dashboard::parse(&self.dashboard)?;
        let cut = Cut::parse(&self.cut).ok()?;
        let side = |(hits, total)| Proportion { hits, total };
        let counts = (side(self.counts[0]), side(self.counts[1]));
        let difference = jointly_domain::population::Difference::between(counts.0, counts.1)?;
        let alert = difference.estimate.abs() * 100.0 >= threshold && difference.is_clear();
        alert.then_some(GapAlert {
            dashboard,
            cut,
            gap: Gap {
                first: self.first,
                second: self.second,
                counts,
                difference,
                alert,
            },
        })
    }
}

/// A gap past the threshold, on one dashboard by one grouping.
#[derive(Clone, Debug)]
pub struct GapAlert {
    /// The dashboard.
    pub dashboard: Dashboard,
    /// The grouping.
    pub cut: Cut,
    /// The gap.
    pub gap: Gap,
}

/// What a service manager asked to see.
#[derive(Clone, Copy, Debug)]
pub struct DashboardQuery {
    /// Which dashboard.
    pub dashboard: Dashboard,
    /// The groups to cut by.
    pub cut: Cut,
    /// One service, or all.
    pub service: Option<ServiceId>,
    /// Months to look back over (one of [`PERIODS`]).
    pub months: u32,
}

impl DashboardQuery {
    /// Reads a query from an address's parameters, naming any that is wrong; absent ones take
    /// their defaults (by deprivation, all services, twelve months).
    pub fn parse(
        dashboard: &str,
        cut: Option<&str>,
        service: Option<&str>,
        months: Option<&str>,
    ) -> Result<Self, AppError> {
        let dashboard = Dashboard::parse(dashboard).ok_or(AppError::NotFound)?;
        let mut errors = ValidationErrors::new();
        let cut = match cut.filter(|c| !c.is_empty()) {
            None => Some(Cut::Deprivation),
            Some(c) => errors.check("cut", Cut::parse(c)),
        };
        let service = parse_service(&mut errors, service);
        let months = parse_months(&mut errors, months);
        match (cut, service, months) {
            (Some(cut), Some(service), Some(months)) if errors.is_empty() => Ok(Self {
                dashboard,
                cut,
                service,
                months,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// One service or all (`for_service`), named when it is not a service id.
fn parse_service(
    errors: &mut ValidationErrors,
    service: Option<&str>,
) -> Option<Option<ServiceId>> {
    match service.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(s) => errors
            .check(
                "for_service",
                s.parse::<ServiceId>().map_err(|_| Invalid("choose")),
            )
            .map(Some),
    }
}

/// One of [`PERIODS`] (`months`), twelve when not given.
fn parse_months(errors: &mut ValidationErrors, months: Option<&str>) -> Option<u32> {
    match months.map(str::trim).filter(|m| !m.is_empty()) {
        None => Some(12),
        Some(m) => errors.check(
            "months",
            m.parse::<u32>()
                .ok()
                .filter(|m| PERIODS.contains(m))
                .ok_or(Invalid("choose")),
        ),
    }
}

/// The start of the period `months` back from `to`, in London time.
fn months_before(to: Timestamp, months: u32) -> Result<Timestamp, AppError> {
    to.to_zoned(london())
        .checked_sub(Span::new().months(i64::from(months)))
        .map(|z| z.timestamp())
        .map_err(|_| AppError::NotFound)
}

/// What a service manager asked of the clinic-use dashboard.
#[derive(Clone, Copy, Debug)]
pub struct CapacityQuery {
    /// One service, or all.
    pub service: Option<ServiceId>,
    /// Months to look back over (one of [`PERIODS`]).
    pub months: u32,
}

impl CapacityQuery {
    /// Reads the query from an address's parameters, naming any that is wrong.
    pub fn parse(service: Option<&str>, months: Option<&str>) -> Result<Self, AppError> {
        let mut errors = ValidationErrors::new();
        let service = parse_service(&mut errors, service);
        let months = parse_months(&mut errors, months);
        match (service, months) {
            (Some(service), Some(months)) if errors.is_empty() => Ok(Self { service, months }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// How one service's clinics at one place were used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CapacityLine {
    /// The service.
    pub service: String,
    /// The place.
    pub place: String,
    /// Slots in the period.
    pub slots: u64,
    /// Slots not available.
    pub blocked: u64,
    /// Slots used (kept, missed or booked) of those available.
    pub used: Proportion,
    /// Slots booked again of those freed by a cancellation ahead of time.
    pub refilled: Proportion,
}

/// The clinic-use dashboard.
#[derive(Clone, Debug)]
pub struct CapacityView {
    /// What was asked.
    pub query: CapacityQuery,
    /// The period's start.
    pub from: Timestamp,
    /// The period's end (now: booked future slots in it are not counted yet).
    pub to: Timestamp,
    /// A line per service and place, by service then place.
    pub lines: Vec<CapacityLine>,
    /// Everything together.
    pub total: CapacityLine,
}

impl CapacityView {
    /// The dashboard as CSV, shares in per cent.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "service,place,slots,blocked,available,used,utilisation_percent,\
             cancelled_ahead,refilled,refill_percent\n",
        );
        for l in self.lines.iter().chain(std::iter::once(&self.total)) {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{}",
                csv_field(&l.service),
                csv_field(&l.place),
                l.slots,
                l.blocked,
                l.used.total,
                l.used.hits,
                percent(l.used.rate()),
                l.refilled.total,
                l.refilled.hits,
                percent(l.refilled.rate())
            );
        }
        out
    }
}

/// Waits for one group: how long, in days, and the shares within six and eighteen weeks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaitFigures {
    /// Everyone counted.
    pub people: u64,
    /// The median wait, in days.
    pub median: Option<i64>,
    /// The 90th centile, in days.
    pub p90: Option<i64>,
    /// Those within six weeks.
    pub within_6_weeks: Proportion,
    /// Those within eighteen weeks.
    pub within_18_weeks: Proportion,
    /// How many in each SitRep wait band.
    pub bands: [u64; 8],
}

impl WaitFigures {
    fn of(histogram: &WaitHistogram) -> Self {
        Self {
            people: histogram.total(),
            median: histogram.quantile(0.5),
            p90: histogram.quantile(0.9),
            within_6_weeks: histogram.within(SIX_WEEKS),
            within_18_weeks: histogram.within(EIGHTEEN_WEEKS),
            bands: histogram.sitrep_bands(),
        }
    }
}

/// One group's figures on a dashboard.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupFigures {
    /// The group (a code: a decile, an ethnic group, a band; "unknown" when not recorded).
    pub group: String,
    /// How many counted: referrals, people waiting, appointments or answers.
    pub count: u64,
    /// The breakdown, one number per [`DashboardView::keys`] entry.
    pub breakdown: Vec<u64>,
    /// The headline share.
    pub headline: Proportion,
    /// Waiting now (the waits dashboard).
    pub waiting: Option<WaitFigures>,
    /// Waited to be seen, for those first seen in the period (the waits dashboard).
    pub seen: Option<WaitFigures>,
}

/// A dashboard as shown.
#[derive(Clone, Debug)]
pub struct DashboardView {
    /// What was asked.
    pub query: DashboardQuery,
    /// The period's start.
    pub from: Timestamp,
    /// The period's end (now).
    pub to: Timestamp,
    /// When the figures were last rebuilt; none before the first time.
    pub refreshed_at: Option<Timestamp>,
    /// The breakdown's columns: routes or triage outcomes (codes), or none.
    pub keys: Vec<String>,
    /// Each group, in the cut's order.
    pub groups: Vec<GroupFigures>,
    /// Everyone together.
    pub total: GroupFigures,
    /// The gap on the headline measure, when two groups can be compared.
    pub gap: Option<Gap>,
    /// The threshold in percentage points.
    pub threshold: f64,
}

/// Everyone waiting now, by service, in community SitRep wait bands.
#[derive(Clone, Debug)]
pub struct SitRepLine {
    /// The service's name.
    pub service: String,
    /// Its waits now.
    pub waits: WaitFigures,
    /// The mean wait in weeks.
    pub mean_weeks: Option<f64>,
}

/// A dashboard's breakdown columns, its groups and everyone together.
type Figures = (Vec<String>, Vec<GroupFigures>, GroupFigures);

/// Groups tallies and waits by the cut's group, in the cut's order.
struct Grouped<T>(BTreeMap<(u8, u32, String), (String, T)>);

impl<T: Default> Grouped<T> {
    fn new() -> Self {
        Self(BTreeMap::new())
    }

    fn entry(&mut self, cut: Cut, stored: &str) -> &mut T {
        let group = cut.group(stored);
        &mut self
            .0
            .entry(cut.order(&group))
            .or_insert_with(|| (group, T::default()))
            .1
    }
}

impl App {
    /// A dashboard, from the reporting table.
    pub async fn dashboard(
        &self,
        by: &Principal,
        query: DashboardQuery,
    ) -> Result<DashboardView, AppError> {
        by.require(Permission::ViewDashboards)?;
        self.figures(query).await
    }

    /// Every gap the dashboards show over the last twelve months for all services, worked out
    /// when the figures are rebuilt, that is at least the threshold and clear of chance now.
    pub async fn inequality_alerts(&self, by: &Principal) -> Result<Vec<GapAlert>, AppError> {
        by.require(Permission::ViewDashboards)?;
        let threshold = self.inequality_threshold().await?;
        let stored: Vec<StoredGap> = match self.store.setting(GAPS_SETTING).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| AppError::Internal(format!("stored gaps: {e}")))?,
            None => Vec::new(),
        };
        Ok(stored
            .into_iter()
            .filter_map(|s| s.alert(threshold))
            .collect())
    }

    /// The figures of a dashboard, for whoever may see them.
    async fn figures(&self, query: DashboardQuery) -> Result<DashboardView, AppError> {
        let to = self.clock.now();
        let from = months_before(to, query.months)?;
        let filter = FactFilter {
            service: query.service,
            from,
            to,
        };
        let (keys, groups, total) = match query.dashboard {
            Dashboard::Referrals => {
                let tallies = self.store.referrals_by_route(query.cut, filter).await?;
                breakdown(query.cut, &tallies, |t| t.key == "self" || t.key == "phone")
            }
            Dashboard::Triage => {
                let tallies = self.store.triage_outcomes(query.cut, filter).await?;
                breakdown(query.cut, &tallies, |t| t.key == "advice")
            }
            Dashboard::Attendance => {
                let tallies = self.store.attendance(query.cut, filter).await?;
                shares(query.cut, &tallies)
            }
            Dashboard::Feedback => {
                let tallies = self.store.feedback_scores(query.cut, filter).await?;
                shares(query.cut, &tallies)
            }
            Dashboard::Outcomes => {
                let tallies = self.store.outcome_change(query.cut, filter).await?;
                shares(query.cut, &tallies)
            }
            Dashboard::Waits => {
                let now = self.store.waiting_now(query.cut, query.service, to).await?;
                let seen = self.store.waited_to_be_seen(query.cut, filter).await?;
                waits(query.cut, &now, &seen)
            }
        };
        let threshold = self.inequality_threshold().await?;
        let pairs: Vec<(String, Proportion)> = groups
            .iter()
            .map(|g| (g.group.clone(), g.headline))
            .collect();
        Ok(DashboardView {
            query,
            from,
            to,
            refreshed_at: self.store.population_refreshed_at().await?,
            keys,
            gap: gap(query.cut, &pairs, threshold),
            groups,
            total,
            threshold,
        })
    }

    /// How each service's clinics at each place were used over the period: utilisation of
    /// the slots available, and how many slots freed by a cancellation were booked again.
    pub async fn clinic_capacity(
        &self,
        by: &Principal,
        query: CapacityQuery,
    ) -> Result<CapacityView, AppError> {
        by.require(Permission::ViewDashboards)?;
        let to = self.clock.now();
        let from = months_before(to, query.months)?;
        let services: std::collections::HashMap<_, _> = self
            .store
            .list_services()
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let places: std::collections::HashMap<_, _> = self
            .store
            .list_locations()
            .await?
            .into_iter()
            .map(|l| (l.id, l.name))
            .collect();
        let mut total = CapacityLine {
            service: "all".to_owned(),
            place: "all".to_owned(),
            ..CapacityLine::default()
        };
        let mut lines: Vec<CapacityLine> = Vec::new();
        for u in self.store.clinic_use(query.service, from, to).await? {
            let line = CapacityLine {
                service: u
                    .service_id
                    .and_then(|id| services.get(&id).cloned())
                    .unwrap_or_default(),
                place: u
                    .location_id
                    .and_then(|id| places.get(&id).cloned())
                    .unwrap_or_default(),
                slots: u.slots,
                blocked: u.blocked,
                used: Proportion {
                    hits: u.used,
                    total: u.slots.saturating_sub(u.blocked),
                },
                refilled: Proportion {
                    hits: u.refilled,
                    total: u.cancelled,
                },
            };
            total.slots += line.slots;
            total.blocked += line.blocked;
            total.used.add(line.used);
            total.refilled.add(line.refilled);
            lines.push(line);
        }
        lines.sort_by(|a, b| (&a.service, &a.place).cmp(&(&b.service, &b.place)));
        Ok(CapacityView {
            query,
            from,
            to,
            lines,
            total,
        })
    }

    /// Everyone waiting now, by service, in community SitRep wait bands.
    pub async fn sitrep(&self, by: &Principal) -> Result<Vec<SitRepLine>, AppError> {
        by.require(Permission::ViewDashboards)?;
        let now = self.clock.now();
        let mut lines = Vec::new();
        for service in self.store.list_services().await? {
            let mut histogram = WaitHistogram::default();
            for w in self
                .store
                .waiting_now(Cut::Sex, Some(service.id), now)
                .await?
            {
                histogram.add(w.days, w.people);
            }
            lines.push(SitRepLine {
                service: service.name,
                mean_weeks: histogram.mean().map(|d| d / 7.0),
                waits: WaitFigures::of(&histogram),
            });
        }
        Ok(lines)
    }

    /// When the dashboards' figures were last worked out; none before the first time.
    pub async fn population_refreshed_at(
        &self,
        by: &Principal,
    ) -> Result<Option<Timestamp>, AppError> {
        by.require(Permission::ViewDashboards)?;
        Ok(self.store.population_refreshed_at().await?)
    }

    /// The inequality alert threshold, in percentage points.
    pub async fn inequality_threshold(&self) -> Result<f64, AppError> {
        Ok(self
            .store
            .setting(THRESHOLD_SETTING)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_THRESHOLD))
    }

    /// Sets the inequality alert threshold: a number of percentage points from 0.5 to 50.
    pub async fn set_inequality_threshold(
        &self,
        by: &Principal,
        points: &str,
    ) -> Result<f64, AppError> {
        by.require(Permission::ViewDashboards)?;
        let points = points
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|p| (0.5..=50.0).contains(p))
            .ok_or_else(|| {
                let mut errors = ValidationErrors::new();
                errors.add("threshold", Invalid("range"));
                AppError::Invalid(errors)
            })?;
        let mut tx = self.store.begin().await?;
        tx.put_setting(THRESHOLD_SETTING, &points.to_string(), self.clock.now())
            .await?;
        tx.commit().await?;
        Ok(points)
    }

    /// Rebuilds the reporting table now (also done by a background job); returns the
    /// referrals counted.
    pub async fn refresh_dashboards(&self, by: &Principal) -> Result<u64, AppError> {
        by.require(Permission::ViewDashboards)?;
        self.refresh_population().await
    }

    /// Rebuilds the reporting table, for the background job and the command line.
    pub async fn refresh_population(&self) -> Result<u64, AppError> {
        let higher: Vec<&str> = self
            .content
            .measures
            .measures
            .iter()
            .filter(|m| m.higher_is_better)
            .map(|m| m.id.as_str())
            .collect();
        let counted = self
            .store
            .refresh_population(self.clock.now(), &higher)
            .await?;
        // Every dashboard's gap by every grouping, so the list of alerts costs nothing to show.
        let mut gaps = Vec::new();
        for dashboard in Dashboard::ALL {
            for cut in Cut::ALL.iter().copied() {
                let query = DashboardQuery {
                    dashboard,
                    cut,
                    service: None,
                    months: 12,
                };
                if let Some(gap) = self.figures(query).await?.gap {
                    gaps.push(StoredGap::of(dashboard, cut, &gap));
                }
            }
        }
        let json = serde_json::to_string(&gaps)
            .map_err(|e| AppError::Internal(format!("stored gaps: {e}")))?;
        let mut tx = self.store.begin().await?;
        tx.put_setting(GAPS_SETTING, &json, self.clock.now())
            .await?;
        tx.commit().await?;
        Ok(counted)
    }
}

/// Groups with a breakdown by key (routes, outcomes); the headline counts the tallies `hit`
/// picks out of all.
fn breakdown(cut: Cut, tallies: &[Tally], hit: impl Fn(&Tally) -> bool) -> Figures {
    let mut keys: Vec<String> = tallies.iter().map(|t| t.key.clone()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut grouped: Grouped<GroupFigures> = Grouped::new();
    for t in tallies {
        let figures = grouped.entry(cut, &t.group);
        figures.breakdown.resize(keys.len(), 0);
        if let Ok(i) = keys.binary_search(&t.key) {
            figures.breakdown[i] += t.count;
        }
        figures.count += t.count;
        figures.headline.add(Proportion {
            hits: if hit(t) { t.count } else { 0 },
            total: t.count,
        });
    }
    let groups = finish(grouped);
    let total = overall(&groups, keys.len());
    (keys, groups, total)
}

/// Groups with one share each (missed of booked, positive of all answers).
fn shares(cut: Cut, tallies: &[Tally]) -> Figures {
    let mut grouped: Grouped<GroupFigures> = Grouped::new();
    for t in tallies {
        let figures = grouped.entry(cut, &t.group);
        figures.count += t.of;
        figures.headline.add(Proportion {
            hits: t.count,
            total: t.of,
        });
    }
    let groups = finish(grouped);
    let total = overall(&groups, 0);
    (Vec::new(), groups, total)
}

/// Groups with their waits now and waits to be seen; everyone together from the merged
/// histograms, so the overall centiles are true centiles.
fn waits(cut: Cut, now: &[WaitCount], seen: &[WaitCount]) -> Figures {
    let mut grouped: Grouped<(WaitHistogram, WaitHistogram)> = Grouped::new();
    for w in now {
        grouped.entry(cut, &w.group).0.add(w.days, w.people);
    }
    for w in seen {
        grouped.entry(cut, &w.group).1.add(w.days, w.people);
    }
    let figures = |group: String, now: &WaitHistogram, seen: &WaitHistogram| GroupFigures {
        group,
        count: now.total(),
        breakdown: Vec::new(),
        headline: now.over(EIGHTEEN_WEEKS),
        waiting: Some(WaitFigures::of(now)),
        seen: Some(WaitFigures::of(seen)),
    };
    let (mut all_now, mut all_seen) = (WaitHistogram::default(), WaitHistogram::default());
    let groups = grouped
        .0
        .into_values()
        .map(|(group, (now, seen))| {
            all_now.merge(&now);
            all_seen.merge(&seen);
            figures(group, &now, &seen)
        })
        .collect();
    (
        Vec::new(),
        groups,
        figures("all".to_owned(), &all_now, &all_seen),
    )
}

fn finish(grouped: Grouped<GroupFigures>) -> Vec<GroupFigures> {
    grouped
        .0
        .into_values()
        .map(|(group, figures)| GroupFigures { group, ..figures })
        .collect()
}

/// Everyone together: the sums of the groups' counts.
fn overall(groups: &[GroupFigures], keys: usize) -> GroupFigures {
    let mut total = GroupFigures {
        group: "all".to_owned(),
        breakdown: vec![0; keys],
        ..GroupFigures::default()
    };
    for g in groups {
        total.count += g.count;
        total.headline.add(g.headline);
        for (sum, n) in total.breakdown.iter_mut().zip(&g.breakdown) {
            *sum += n;
        }
    }
    total
}

/// A share as a percentage to one decimal place, empty when nobody was counted.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(String::new, |s| format!("{:.1}", s * 100.0))
}

fn days(value: Option<i64>) -> String {
    value.map_or_else(String::new, |d| d.to_string())
}

impl DashboardView {
    /// The dashboard as CSV: a line per group and one for everyone, with the headline share
    /// and its 95% interval in per cent, and waits in days.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("cut,group,count");
        for key in &self.keys {
            out.push(',');
            out.push_str(&csv_field(key));
        }
        let headline = self.query.dashboard.headline().as_str();
        let _ = write!(
            out,
            ",{headline}_percent,{headline}_low_percent,{headline}_high_percent"
        );
        let waits = self.query.dashboard == Dashboard::Waits;
        if waits {
            for which in ["waiting", "seen"] {
                let _ = write!(
                    out,
                    ",{which}_people,{which}_median_days,{which}_p90_days,\
                     {which}_within_6_weeks_percent,{which}_within_18_weeks_percent"
                );
            }
        }
        out.push('\n');
        for g in self.groups.iter().chain(std::iter::once(&self.total)) {
            let _ = write!(
                out,
                "{},{},{}",
                self.query.cut.as_str(),
                csv_field(&g.group),
                g.count
            );
            for n in &g.breakdown {
                let _ = write!(out, ",{n}");
            }
            let (low, high) = g.headline.interval().unzip();
            let _ = write!(
                out,
                ",{},{},{}",
                percent(g.headline.rate()),
                percent(low),
                percent(high)
            );
            if waits {
                for w in [&g.waiting, &g.seen] {
                    let w = w.clone().unwrap_or_default();
                    let _ = write!(
                        out,
                        ",{},{},{},{},{}",
                        w.people,
                        days(w.median),
                        days(w.p90),
                        percent(w.within_6_weeks.rate()),
                        percent(w.within_18_weeks.rate())
                    );
                }
            }
            out.push('\n');
        }
        out
    }
}

/// The waiting list in community health services SitRep wait bands, a line per service:
/// the total waiting (RES001c), the eight bands (RES001ci to RES001cviii: 0–1, 1–2, 2–4,
/// 4–12, 12–18, 18–52, 52–104 and over 104 weeks) and the mean wait in weeks (RES002cii).
pub fn sitrep_csv(organisation: &str, census: &str, lines: &[SitRepLine]) -> String {
    let mut out = String::from(
        "census_date,organisation_code,service,RES001c_total_waiting,\
         RES001ci_0_1_weeks,RES001cii_1_2_weeks,RES001ciii_2_4_weeks,RES001civ_4_12_weeks,\
         RES001cv_12_18_weeks,RES001cvi_18_52_weeks,RES001cvii_52_104_weeks,\
         RES001cviii_over_104_weeks,RES002cii_mean_wait_weeks\n",
    );
    for line in lines {
        let _ = write!(
            out,
            "{census},{},{},{}",
            csv_field(organisation),
            csv_field(&line.service),
            line.waits.people
        );
        for n in line.waits.bands {
            let _ = write!(out, ",{n}");
        }
        let mean = line
            .mean_weeks
            .map_or_else(String::new, |w| format!("{w:.1}"));
        let _ = writeln!(out, ",{mean}");
    }
    out
}
