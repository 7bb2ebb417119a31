//! Keeping people on the waiting list informed: each person's estimated wait (from their place
//! in the queue, the service's recent throughput and its free capacity coming up), periodic
//! "still waiting" updates, and "do you still need this?" with the patient's answer, or a call
//! from a coordinator when there is none.

use jiff::SignedDuration;
use jointly_domain::ReferralId;
use jointly_domain::message::{still_needed_message, wait_update_message};
use jointly_domain::referral::{Referral, ReferralStatus};
use jointly_domain::slot::AppointmentKind;
use jointly_domain::task::{Task, TaskKind};
use jointly_domain::waiting::{THROUGHPUT_WEEKS, WaitRange, WaitingPolicy, estimate_position_wait};
use jointly_store::{AuditAction, AuditOutcome, WaitingContact};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Weeks of free capacity ahead counted in an estimate.
const CAPACITY_WEEKS: u32 = 4;

/// People contacted per kind per run, so one run stays short; the next run goes on.
const BATCH: u32 = 500;

/// Someone's place on a waiting list and the wait it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitEstimate {
    /// People to be offered an appointment before them.
    pub ahead: u64,
    /// The estimated wait, when there is anything to go on.
    pub range: Option<WaitRange>,
}

/// What one run of [`App::keep_waiting_informed`] sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InformedCounts {
    /// "Still waiting" updates queued.
    pub updates: usize,
    /// "Do you still need this?" questions queued.
    pub questions: usize,
    /// Calls asked of coordinators where nobody answered.
    pub calls: usize,
}

impl App {
    /// The wait ahead of someone on a waiting list, estimated now.
    pub(crate) async fn wait_estimate(
        &self,
        referral: &Referral,
    ) -> Result<WaitEstimate, AppError> {
        let Some(service) = referral.service_id else {
            return Ok(WaitEstimate {
                ahead: 0,
                range: None,
            });
        };
        let now = self.clock.now();
        let ahead = u64::try_from(self.store.waiting_position(referral).await?).unwrap_or(0);
        let since = now
            .checked_sub(SignedDuration::from_hours(
                24 * 7 * i64::from(THROUGHPUT_WEEKS),
            ))
            .unwrap_or(now);
        let recent = self.store.appointments_booked_since(service, since).await?;
        let until = now
            .checked_add(SignedDuration::from_hours(
                24 * 7 * i64::from(CAPACITY_WEEKS),
            ))
            .unwrap_or(now);
        let kind = AppointmentKind::needed(referral.attended);
        let upcoming = self
            .store
            .count_free_slots_between(service, kind, now, until)
            .await?;
        Ok(WaitEstimate {
            ahead,
            range: estimate_position_wait(
                ahead,
                u64::try_from(recent).unwrap_or(0),
                THROUGHPUT_WEEKS,
                u64::try_from(upcoming).unwrap_or(0),
                CAPACITY_WEEKS,
            ),
        })
    }

    /// Sends what `policy` says is due: "still waiting" updates with each person's estimated
    /// wait, "do you still need this?" to those who have waited long, and a task to call anyone
    /// who did not answer. Each is recorded with its message in one transaction, so a person is
    /// contacted once however often this runs (and from however many instances).
    pub async fn keep_waiting_informed(
        &self,
        policy: WaitingPolicy,
    ) -> Result<InformedCounts, AppError> {
        let mut counts = InformedCounts::default();
        let now = self.clock.now();
        for referral in self
            .store
            .validations_due(now, policy.validate_after_days, BATCH)
            .await?
        {
            let Some(patient) = self.store.find_patient(referral.patient_id).await? else {
                continue;
            };
            let mut tx = self.store.begin().await?;
            tx.enqueue(&[still_needed_message(&patient, referral.id, now)], now)
                .await?;
            tx.record_waiting_contact(referral.id, WaitingContact::ValidationSent, now)
                .await?;
            // The question says they are still waiting, so it counts as an update too.
            tx.record_waiting_contact(referral.id, WaitingContact::UpdateSent, now)
                .await?;
            tx.commit().await?;
            counts.questions += 1;
        }
        for referral in self
            .store
            .wait_updates_due(now, policy.update_every_days, BATCH)
            .await?
        {
            let Some(patient) = self.store.find_patient(referral.patient_id).await? else {
                continue;
            };
            let estimate = self.wait_estimate(&referral).await?;
            let mut tx = self.store.begin().await?;
            tx.enqueue(
                &[wait_update_message(
                    &patient,
                    referral.id,
                    estimate.range,
                    now,
                )],
                now,
            )
            .await?;
            tx.record_waiting_contact(referral.id, WaitingContact::UpdateSent, now)
                .await?;
            tx.commit().await?;
            counts.updates += 1;
        }
        let unanswered = self
            .store
            .validations_unanswered(now, policy.reply_within_days, BATCH)
            .await?;
        if !unanswered.is_empty() {
            let (tasks, events): (Vec<Task>, Vec<_>) = unanswered
                .iter()
                .map(|r| Task::raise(TaskKind::ConfirmStillNeeded, r.id, r.patient_id, now))
                .unzip();
            let mut tx = self.store.begin().await?;
            tx.insert_tasks(&tasks, now).await?;
            tx.append_events(&events, now).await?;
            for referral in &unanswered {
                tx.record_waiting_contact(referral.id, WaitingContact::NoReplyTask, now)
                    .await?;
            }
            tx.commit().await?;
            counts.calls = unanswered.len();
        }
        if counts != InformedCounts::default() {
            tracing::info!(
                updates = counts.updates,
                questions = counts.questions,
                calls = counts.calls,
                "people on the waiting list kept informed"
            );
        }
        Ok(counts)
    }

    /// The signed-in patient answers "do you still need this?" for one of their referrals
    /// waiting to book: yes keeps their place; no takes them off the list (the referral is
    /// withdrawn) so someone else is seen sooner.
    pub async fn answer_still_needed(
        &self,
        by: &Principal,
        referral_id: ReferralId,
        still_needed: bool,
    ) -> Result<Referral, AppError> {
        let patient_id = by.patient()?;
        let mut referral = self
            .store
            .find_referral(referral_id)
            .await?
            .filter(|r| r.patient_id == patient_id)
            .ok_or(AppError::NotFound)?;
        if referral.status != ReferralStatus::Waiting {
            return Err(AppError::Conflict("not_waiting"));
        }
        let now = self.clock.now();
        let events = if still_needed {
            Vec::new()
        } else {
            referral.withdraw(by.actor(), now)?
        };
        let mut tx = self.store.begin().await?;
        if !still_needed {
            tx.update_referral(&referral, now).await?;
            tx.append_events(&events, now).await?;
        }
        tx.record_waiting_contact(referral.id, WaitingContact::Answered(still_needed), now)
            .await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "portal.still_needed",
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: referral.id.as_uuid(),
                patient: patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(referral_id = %referral.id, still_needed, "waiting list answer recorded");
        Ok(referral)
    }
}
