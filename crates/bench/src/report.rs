//! What was measured and how it is shown: latencies per step, kept as plain vectors and
//! sorted once at the end; a table on stdout and, on request, the same figures as JSON.

use std::time::Duration;

use serde::Serialize;

/// The steps of the journey whose requests are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// `POST /api/v1/referrals`.
    Refer,
    /// `POST /api/v1/referrals/{id}/accept`, as the triage clinician.
    Accept,
    /// `POST /api/v1/sessions/code` and `POST /api/v1/sessions/patient`.
    SignIn,
    /// `GET /api/v1/me/referrals/{id}/slots`.
    Slots,
    /// `GET /api/v1/me/referrals/{id}/slot-search`: the patient's own search, nearest first.
    Search,
    /// `POST /api/v1/me/appointments` that booked the slot (201), or failed.
    Book,
    /// `POST /api/v1/me/appointments` refused with 409 `slot_taken` because another client
    /// booked the slot first: expected under contention, not an error.
    SlotTaken,
}

impl Step {
    /// Every step, in the order shown: the headline steps first.
    pub(crate) const ALL: [Self; 7] = [
        Self::Refer,
        Self::Book,
        Self::Search,
        Self::SlotTaken,
        Self::Accept,
        Self::SignIn,
        Self::Slots,
    ];

    /// Short name for the table.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Refer => "refer",
            Self::Accept => "accept",
            Self::SignIn => "sign-in",
            Self::Slots => "slots",
            Self::Book => "book",
            Self::SlotTaken => "book-409",
            Self::Search => "search",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Refer => 0,
            Self::Accept => 1,
            Self::SignIn => 2,
            Self::Slots => 3,
            Self::Book => 4,
            Self::SlotTaken => 5,
            Self::Search => 6,
        }
    }
}

/// Error messages kept per level, to show what went wrong without flooding the terminal.
const ERROR_SAMPLES: usize = 10;

#[derive(Debug, Default)]
struct StepRecord {
    latencies: Vec<Duration>,
    errors: u64,
}

/// One virtual client's measurements (or several, merged).
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    steps: [StepRecord; 7],
    bookings: usize,
    warmup_errors: u64,
    samples: Vec<String>,
}

impl Recorder {
    /// A request answered during the measured window, whatever its status.
    pub(crate) fn latency(&mut self, step: Step, took: Duration) {
        self.steps[step.index()].latencies.push(took);
    }

    /// An appointment booked during the measured window.
    pub(crate) fn booked(&mut self) {
        self.bookings += 1;
    }

    /// A failure: an unexpected status, a transport error or a broken answer.
    pub(crate) fn error(&mut self, step: Step, measured: bool, message: String) {
        if measured {
            self.steps[step.index()].errors += 1;
        } else {
            self.warmup_errors += 1;
        }
        if self.samples.len() < ERROR_SAMPLES {
            let phase = if measured { "" } else { " (warm-up)" };
            self.samples
                .push(format!("{}{phase}: {message}", step.name()));
        }
    }

    /// Adds another client's measurements to these.
    pub(crate) fn merge(&mut self, other: Self) {
        for (mine, theirs) in self.steps.iter_mut().zip(other.steps) {
            mine.latencies.extend(theirs.latencies);
            mine.errors += theirs.errors;
        }
        self.bookings += other.bookings;
        self.warmup_errors += other.warmup_errors;
        for sample in other.samples {
            if self.samples.len() < ERROR_SAMPLES {
                self.samples.push(sample);
            }
        }
    }

    /// The figures for one level, over a measured window of `elapsed`.
    pub(crate) fn summarise(
        self,
        backend: &'static str,
        clients: usize,
        elapsed: Duration,
    ) -> LevelResult {
        let seconds = elapsed.as_secs_f64().max(f64::EPSILON);
        let Self {
            steps: mut recorded,
            bookings,
            warmup_errors,
            samples,
        } = self;
        let mut all = Vec::new();
        let mut errors = 0;
        let mut steps = Vec::new();
        for step in Step::ALL {
            let record = &mut recorded[step.index()];
            record.latencies.sort_unstable();
            errors += record.errors;
            all.extend_from_slice(&record.latencies);
            steps.push(StepStats::new(
                step.name(),
                &record.latencies,
                seconds,
                record.errors,
            ));
        }
        all.sort_unstable();
        LevelResult {
            backend,
            clients,
            seconds,
            bookings,
            conflicts: recorded[Step::SlotTaken.index()].latencies.len(),
            all: StepStats::new("all", &all, seconds, errors),
            steps,
            warmup_errors,
            error_samples: samples,
        }
    }
}

/// Figures for one step (or for all of them) at one level.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct StepStats {
    /// The step's name, or `all`.
    pub(crate) step: &'static str,
    /// Requests answered in the measured window.
    pub(crate) count: usize,
    /// Requests answered per second.
    pub(crate) rate: f64,
    /// Median latency, milliseconds.
    pub(crate) p50_ms: f64,
    /// 99th percentile latency, milliseconds.
    pub(crate) p99_ms: f64,
    /// Slowest request, milliseconds.
    pub(crate) max_ms: f64,
    /// Failed requests: any answer but the expected one (or an expected 409), a transport
    /// error, or an answer the journey could not use.
    pub(crate) errors: u64,
}

impl StepStats {
    /// Figures from latencies sorted ascending.
    fn new(step: &'static str, sorted: &[Duration], seconds: f64, errors: u64) -> Self {
        Self {
            step,
            count: sorted.len(),
            rate: sorted.len() as f64 / seconds,
            p50_ms: millis(percentile(sorted, 50)),
            p99_ms: millis(percentile(sorted, 99)),
            max_ms: millis(sorted.last().copied().unwrap_or_default()),
            errors,
        }
    }
}

/// The nearest-rank percentile of latencies sorted ascending (zero when there are none).
fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * pct).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Everything measured at one concurrency level on one backend.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct LevelResult {
    /// `sqlite` or `postgres`.
    pub(crate) backend: &'static str,
    /// Concurrent virtual clients.
    pub(crate) clients: usize,
    /// Length of the measured window, seconds.
    pub(crate) seconds: f64,
    /// Appointments booked in the measured window.
    pub(crate) bookings: usize,
    /// Bookings refused with 409 `slot_taken` in the measured window (expected).
    pub(crate) conflicts: usize,
    /// Every request of every step together.
    pub(crate) all: StepStats,
    /// Each step on its own, in table order.
    pub(crate) steps: Vec<StepStats>,
    /// Failures during the warm-up (not in the figures, but still failures).
    pub(crate) warmup_errors: u64,
    /// The first few failures, described.
    pub(crate) error_samples: Vec<String>,
}

impl LevelResult {
    /// Every failure at this level, measured or not.
    pub(crate) fn errors(&self) -> u64 {
        self.all.errors + self.warmup_errors
    }
}

/// The table header.
pub(crate) fn header() -> String {
    format!(
        "{:<9} {:>7}  {:<8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>7}",
        "backend", "clients", "step", "count", "req/s", "p50 ms", "p99 ms", "max ms", "errors"
    )
}

/// The table rows for one level: all requests, then each step.
pub(crate) fn rows(level: &LevelResult) -> Vec<String> {
    std::iter::once(&level.all)
        .chain(&level.steps)
        .map(|s| {
            format!(
                "{:<9} {:>7}  {:<8} {:>8} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>7}",
                level.backend,
                level.clients,
                s.step,
                s.count,
                s.rate,
                s.p50_ms,
                s.p99_ms,
                s.max_ms,
                s.errors
            )
        })
        .collect()
}

/// The whole table, with a line of totals.
pub(crate) fn table(levels: &[LevelResult]) -> String {
    let mut out = vec![header()];
    for (i, level) in levels.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        out.extend(rows(level));
    }
    let requests: usize = levels.iter().map(|l| l.all.count).sum();
    let bookings: usize = levels.iter().map(|l| l.bookings).sum();
    let conflicts: usize = levels.iter().map(|l| l.conflicts).sum();
    let errors: u64 = levels.iter().map(LevelResult::errors).sum();
    out.push(String::new());
    out.push(format!(
        "total: {requests} requests measured over {} levels, {bookings} bookings, \
         {conflicts} lost races for a slot (409, expected), {errors} errors{}",
        levels.len(),
        if errors == 0 { "" } else { " (FAILED)" }
    ));
    out.join("\n")
}

/// The run as a whole, for `--json`.
#[derive(Debug, Serialize)]
pub(crate) struct RunReport<'a> {
    /// CPUs available to the process (load generator and server share them).
    pub(crate) cpus: usize,
    /// Warm-up per level, seconds.
    pub(crate) warmup_seconds: u64,
    /// Measured window per level, seconds.
    pub(crate) seconds: u64,
    /// Most requests per level (per phase).
    pub(crate) max_requests: u64,
    /// Every level.
    pub(crate) levels: &'a [LevelResult],
    /// Every failure, in all levels.
    pub(crate) errors: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_millis(*v)).collect()
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&sorted, 50), Duration::from_millis(50));
        assert_eq!(percentile(&sorted, 99), Duration::from_millis(99));
        assert_eq!(percentile(&ms(&[7]), 99), Duration::from_millis(7));
        assert_eq!(percentile(&[], 50), Duration::ZERO);
    }

    #[test]
    fn summary_keeps_lost_races_apart_from_bookings_and_errors() {
        let mut recorder = Recorder::default();
        recorder.latency(Step::Book, Duration::from_millis(2));
        recorder.booked();
        recorder.latency(Step::Book, Duration::from_millis(4));
        recorder.booked();
        recorder.latency(Step::SlotTaken, Duration::from_millis(1));
        recorder.latency(Step::Refer, Duration::from_millis(3));
        recorder.error(Step::Refer, true, "500".into());
        recorder.error(Step::Refer, false, "503".into());
        let level = recorder.summarise("sqlite", 1, Duration::from_secs(1));
        assert_eq!(level.all.count, 4);
        assert_eq!((level.bookings, level.conflicts), (2, 1));
        assert_eq!(level.errors(), 2);
        assert_eq!(level.error_samples.len(), 2);
        assert_eq!(level.steps[0].step, "refer");
        assert_eq!(level.steps[1].max_ms, 4.0);
    }
}
