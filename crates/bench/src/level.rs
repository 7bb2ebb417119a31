//! One concurrency level: enough slots seeded for anything the level could book, then a
//! warm-up and a measured window, both bounded in time and in requests, with every virtual
//! client looping the journey until the gate closes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::journey::{Context, REQUESTS_PER_BOOKING, VirtualClient};
use crate::report::{LevelResult, Recorder};
use crate::setup::Target;

/// How long and how much each level runs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    /// Warm-up before each measured window (answered, never recorded).
    pub(crate) warmup: Duration,
    /// The measured window.
    pub(crate) window: Duration,
    /// Most requests sent in the warm-up, and again in the measured window.
    pub(crate) max_requests: u64,
}

/// Admits each request: says whether it falls in the warm-up or the measured window, and
/// refuses it once the window has ended or the request budget is spent.
#[derive(Debug)]
pub(crate) struct Gate {
    measure_from: Instant,
    deadline: Instant,
    max_requests: u64,
    warmup_sent: AtomicU64,
    measured_sent: AtomicU64,
}

impl Gate {
    fn new(settings: &Settings) -> Self {
        let measure_from = Instant::now() + settings.warmup;
        Self {
            measure_from,
            deadline: measure_from + settings.window,
            max_requests: settings.max_requests,
            warmup_sent: AtomicU64::new(0),
            measured_sent: AtomicU64::new(0),
        }
    }

    /// `Some(true)` for a request in the measured window, `Some(false)` for one in the
    /// warm-up, `None` when the client must stop. A client that spends the warm-up budget
    /// waits for the measured window.
    pub(crate) async fn admit(&self) -> Option<bool> {
        loop {
            let now = Instant::now();
            if now >= self.deadline {
                return None;
            }
            let measured = now >= self.measure_from;
            let sent = if measured {
                &self.measured_sent
            } else {
                &self.warmup_sent
            };
            if sent.fetch_add(1, Ordering::Relaxed) < self.max_requests {
                return Some(measured);
            }
            if measured {
                return None;
            }
            tokio::time::sleep_until(self.measure_from).await;
        }
    }
}

/// Free slots to seed before a level so that no booking can fail for want of one: every
/// booking takes at least [`REQUESTS_PER_BOOKING`] admitted requests, and the warm-up and the
/// window each admit at most `max_requests`.
pub(crate) fn slots_needed(settings: &Settings, clients: usize) -> usize {
    let bookings = 2 * settings.max_requests / REQUESTS_PER_BOOKING;
    usize::try_from(bookings)
        .unwrap_or(usize::MAX)
        .saturating_add(clients)
}

/// Runs `clients` virtual clients against `target` and returns what was measured.
pub(crate) async fn run_level(
    target: &mut Target,
    backend: &'static str,
    clients: usize,
    settings: &Settings,
) -> anyhow::Result<LevelResult> {
    target
        .add_slots(slots_needed(settings, clients))
        .await
        .context("seeding slots")?;
    target
        .refresh_statistics()
        .await
        .context("refreshing PostgreSQL's statistics")?;
    let context = Arc::new(Context::new(target));
    let gate = Arc::new(Gate::new(settings));
    let mut tasks = JoinSet::new();
    for index in 0..clients {
        let client = VirtualClient::new(index, context.clone(), gate.clone())?;
        tasks.spawn(client.run());
    }
    let mut recorder = Recorder::default();
    while let Some(joined) = tasks.join_next().await {
        recorder.merge(joined.context("a virtual client failed")?);
    }
    let elapsed = Instant::now().saturating_duration_since(gate.measure_from);
    Ok(recorder.summarise(backend, clients, elapsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_a_slot_for_every_possible_booking() {
        let settings = Settings {
            warmup: Duration::from_secs(1),
            window: Duration::from_secs(1),
            max_requests: 600,
        };
        assert_eq!(slots_needed(&settings, 8), 2 * 600 / 6 + 8);
    }

    #[tokio::test]
    async fn the_gate_stops_at_the_request_budget() {
        let gate = Gate::new(&Settings {
            warmup: Duration::ZERO,
            window: Duration::from_secs(60),
            max_requests: 3,
        });
        for _ in 0..3 {
            assert_eq!(gate.admit().await, Some(true));
        }
        assert_eq!(gate.admit().await, None);
    }

    #[tokio::test]
    async fn the_gate_stops_at_the_deadline() {
        let gate = Gate::new(&Settings {
            warmup: Duration::ZERO,
            window: Duration::ZERO,
            max_requests: 3,
        });
        assert_eq!(gate.admit().await, None);
    }
}
