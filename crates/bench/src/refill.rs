//! The cancellation list on the demo region: how many freed slots are booked again.
//!
//! Nobody answers offers in a simulation, so the answers are the assumption: each person
//! offered a slot takes it with probability `accept`, in a random order within the offer's
//! life. Everything else is Jointly's own code on the demo data: cancelling (which chooses whom
//! to offer the slot by priority, wait, the kind of appointment and each person's
//! preferences), taking an offer (of several takers the first wins; the rest are told it has
//! gone).

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use jointly_app::{App, AppError, AppSettings, Content, Principal, SignedIn};
use jointly_domain::FixedClock;
use jointly_notify::{Renderer, TeamDetails};
use jointly_store::{ConnectOptions, DatabaseUrl, Store};

/// What one simulation found.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RefillReport {
    /// Appointments cancelled.
    pub(crate) freed: usize,
    /// Freed slots offered to at least one person.
    pub(crate) offered: usize,
    /// Offers sent.
    pub(crate) offers: usize,
    /// Freed slots booked again from the list.
    pub(crate) refilled: usize,
    /// Takers who were too late.
    pub(crate) too_late: usize,
}

impl RefillReport {
    /// Refilled as a share of freed, in per cent.
    pub(crate) fn rate(&self) -> f64 {
        if self.freed == 0 {
            0.0
        } else {
            100.0 * self.refilled as f64 / self.freed as f64
        }
    }
}

/// A tiny deterministic generator (xorshift), so a run can be repeated exactly.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }
}

fn patient(id: jointly_domain::PatientId) -> Principal {
    Principal::Patient {
        id,
        session: SignedIn {
            token_hash: String::new(),
            csrf_token: String::new(),
        },
    }
}

/// Builds the demo region in a fresh SQLite file, cancels up to `cancellations` booked
/// appointments (every `step`th, soonest first) and lets the people offered each slot answer.
pub(crate) async fn run(
    cancellations: usize,
    accept: f64,
    seed: u64,
) -> anyhow::Result<RefillReport> {
    let path: PathBuf =
        std::env::temp_dir().join(format!("jointly-refill-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = Store::connect(
        &DatabaseUrl::sqlite_creating(&path),
        &ConnectOptions::default(),
    )
    .await?;
    store.migrate().await?;
    #[allow(clippy::disallowed_methods)] // the demo is built as of the real now
    let now = Timestamp::now();
    jointly::demo::build(&store, now).await?;
    let clock = Arc::new(FixedClock::new(now));
    let app = App::new(
        store.clone(),
        clock.clone(),
        Arc::new(Renderer::new(TeamDetails {
            name: "Jointly MSK".into(),
            phone: "0300 123 4567".into(),
            public_url: "http://127.0.0.1".into(),
        })?),
        Arc::new(Content::embedded()?),
        AppSettings {
            demo: true,
            ..AppSettings::default()
        },
    );
    let booked = store
        .booked_between(
            None,
            None,
            now + SignedDuration::from_hours(48),
            now + SignedDuration::from_hours(24 * 28),
        )
        .await?;
    let step = (booked.len() / cancellations.max(1)).max(1);
    let mut draw = Draw(seed.max(1));
    let mut report = RefillReport::default();
    for appointment in booked.iter().step_by(step).take(cancellations) {
        let by = patient(appointment.patient_id);
        if app.cancel_appointment(&by, appointment.id).await.is_err() {
            continue;
        }
        report.freed += 1;
        let offers = store.offers_for_slot(appointment.slot_id).await?;
        report.offers += offers.len();
        if !offers.is_empty() {
            report.offered += 1;
        }
        // Answers arrive in a random order.
        let mut order: Vec<_> = offers.iter().collect();
        for i in (1..order.len()).rev() {
            let j = (draw.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut taken = false;
        for offer in order {
            if !draw.chance(accept) {
                continue;
            }
            match app.accept_offer(&patient(offer.patient_id), offer.id).await {
                Ok(_) => taken = true,
                Err(AppError::Conflict(_) | AppError::NotFound) => report.too_late += 1,
                Err(other) => return Err(other.into()),
            }
        }
        if taken {
            report.refilled += 1;
        }
    }
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(report)
}
