//! Appointment reminders, queued through the outbox a set number of days before each
//! appointment.

use jointly_domain::message::reminder_message;

use crate::{App, AppError};

/// Appointments reminded per transaction.
const BATCH: u32 = 200;

/// Batches per run at most, so one run after a long outage stays short; the next run goes on.
const MAX_BATCHES: usize = 50;

/// The reminders sent by default: a week and a day before.
pub const DEFAULT_REMINDER_DAYS: [u32; 2] = [7, 1];

impl App {
    /// Queues the reminders now due, `days_before` each appointment (for example 7 and 1).
    /// An appointment booked inside a reminder's lead time skips it (the booking message told
    /// them), and one that is due several at once (after an outage) gets only the nearest.
    /// Safe to run from several instances: a reminder's idempotency key queues it once.
    /// Returns how many were queued.
    pub async fn queue_reminders(&self, days_before: &[u32]) -> Result<usize, AppError> {
        let mut days: Vec<u32> = days_before.iter().copied().filter(|d| *d > 0).collect();
        days.sort_unstable();
        days.dedup();
        let mut queued = 0;
        for days in days {
            for _ in 0..MAX_BATCHES {
                let now = self.clock.now();
                let due = self
                    .store
                    .appointments_due_reminder(days, now, BATCH)
                    .await?;
                if due.is_empty() {
                    break;
                }
                let mut messages = Vec::with_capacity(due.len());
                for appointment in &due {
                    if let Some(patient) = self.store.find_patient(appointment.patient_id).await? {
                        messages.push(reminder_message(
                            &patient,
                            appointment.referral_id,
                            appointment.id,
                            days,
                        ));
                    }
                }
                let mut tx = self.store.begin().await?;
                tx.enqueue(&messages, now).await?;
                for appointment in &due {
                    tx.mark_reminded(appointment.id, days, now).await?;
                }
                tx.commit().await?;
                queued += messages.len();
            }
        }
        if queued > 0 {
            tracing::info!(queued, "appointment reminders queued");
        }
        Ok(queued)
    }
}
