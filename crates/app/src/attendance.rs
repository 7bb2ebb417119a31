//! The clinic day: patients checked in, seen or missed, and later patients told when a clinic
//! runs late. Each is recorded by staff running a clinic of their own service.

use jiff::Timestamp;
use jointly_domain::access::{Permission, may_run_clinic};
use jointly_domain::appointment::{
    Appointment, AppointmentStatus, attend, check_in, did_not_attend,
};
use jointly_domain::event::DomainEvent;
use jointly_domain::message::{Audiences, messages_for, running_late_message};
use jointly_domain::{AppointmentId, ClinicianId, Invalid, ValidationErrors, local_date, london};
use jointly_store::{AuditAction, AuditOutcome};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// What happened at an appointment, as the clinic records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClinicOutcome {
    /// The patient has arrived.
    CheckedIn,
    /// Seen; they need another appointment.
    AttendedFollowUp,
    /// Seen; care is complete and they are discharged (with open access).
    AttendedDischarge,
    /// They did not come and did not warn us.
    DidNotAttend,
}

impl ClinicOutcome {
    /// Every outcome.
    pub const ALL: [ClinicOutcome; 4] = [
        Self::CheckedIn,
        Self::AttendedFollowUp,
        Self::AttendedDischarge,
        Self::DidNotAttend,
    ];

    /// Stable code, as forms and the API send it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CheckedIn => "checked_in",
            Self::AttendedFollowUp => "attended_follow_up",
            Self::AttendedDischarge => "attended_discharge",
            Self::DidNotAttend => "did_not_attend",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// The fewest and most minutes a running-late notice may give.
pub const LATE_MINUTES: std::ops::RangeInclusive<u32> = 5..=240;

impl App {
    /// Records `outcome` for an appointment in a clinic `by` runs: the appointment and its
    /// referral move on together, the patient is told what happens next (book again, a
    /// follow-up, discharge with open access) and it is audited.
    pub async fn record_clinic_outcome(
        &self,
        by: &Principal,
        appointment_id: AppointmentId,
        outcome: ClinicOutcome,
    ) -> Result<Appointment, AppError> {
        let scope = by.staff_scope(Permission::RunClinic)?;
        let (mut appointment, slot) = self
            .store
            .find_appointment(appointment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may_run_clinic(scope, slot.slot.service_id) {
            return Err(AppError::Forbidden);
        }
        let mut referral = self
            .store
            .find_referral(appointment.referral_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let rules = self
            .store
            .find_service(slot.slot.service_id)
            .await?
            .ok_or(AppError::NotFound)?
            .rules;
        let patient = self
            .store
            .find_patient(appointment.patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let before = appointment.status;
        let actor = by.actor();
        let events: Vec<DomainEvent> = match outcome {
            ClinicOutcome::CheckedIn => check_in(&mut appointment, &slot.slot, actor, now)?,
            ClinicOutcome::AttendedFollowUp | ClinicOutcome::AttendedDischarge => attend(
                &mut appointment,
                &slot.slot,
                &mut referral,
                outcome == ClinicOutcome::AttendedFollowUp,
                rules,
                actor,
                now,
            )?,
            ClinicOutcome::DidNotAttend => did_not_attend(
                &mut appointment,
                &slot.slot,
                &mut referral,
                rules,
                actor,
                now,
            )?,
        };
        let messages: Vec<_> = events
            .iter()
            .flat_map(|e| messages_for(e, &patient, &Audiences::default()))
            .collect();
        let mut tx = self.store.begin().await?;
        tx.move_appointment(appointment.id, before, appointment.status, now)
            .await?;
        if outcome != ClinicOutcome::CheckedIn {
            tx.update_referral(&referral, now).await?;
        }
        tx.append_events(&events, now).await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "clinic.outcome",
            AuditOutcome::Allowed,
            Audited {
                entity: "appointment",
                id: appointment.id.as_uuid(),
                patient: appointment.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(appointment_id = %appointment.id, outcome = outcome.as_str(), "clinic outcome recorded");
        Ok(appointment)
    }

    /// Tells every patient still to be seen by `clinician` for the rest of today that the
    /// clinic is running about `minutes` late. Returns how many were told.
    pub async fn notify_running_late(
        &self,
        by: &Principal,
        clinician: ClinicianId,
        minutes: u32,
    ) -> Result<usize, AppError> {
        let scope = by.staff_scope(Permission::RunClinic)?;
        if !LATE_MINUTES.contains(&minutes) {
            let mut errors = ValidationErrors::new();
            errors.add(
                "minutes",
                Invalid(if minutes < *LATE_MINUTES.start() {
                    "too-low"
                } else {
                    "too-high"
                }),
            );
            return Err(AppError::Invalid(errors));
        }
        let found = self
            .store
            .list_clinicians()
            .await?
            .into_iter()
            .find(|c| c.id == clinician)
            .ok_or(AppError::NotFound)?;
        if !may_run_clinic(scope, found.service_id) {
            return Err(AppError::Forbidden);
        }
        let now = self.clock.now();
        let end_of_day = end_of_local_day(now)?;
        let waiting = self
            .store
            .booked_between(Some(clinician), None, now, end_of_day)
            .await?;
        let mut messages = Vec::with_capacity(waiting.len());
        let mut audit = Vec::with_capacity(waiting.len());
        for appointment in &waiting {
            let patient = self
                .store
                .find_patient(appointment.patient_id)
                .await?
                .ok_or(AppError::NotFound)?;
            messages.push(running_late_message(
                &patient,
                appointment.referral_id,
                appointment.id,
                minutes,
                now,
            ));
            audit.push(by.audit(
                now,
                AuditAction::Update,
                "clinic.running_late",
                AuditOutcome::Allowed,
                Audited {
                    entity: "appointment",
                    id: appointment.id.as_uuid(),
                    patient: appointment.patient_id,
                },
            ));
        }
        let mut tx = self.store.begin().await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&audit).await?;
        tx.commit().await?;
        tracing::info!(told = waiting.len(), minutes, "running-late notice queued");
        Ok(waiting.len())
    }
}

/// Midnight at the end of `now`'s day in London.
fn end_of_local_day(now: Timestamp) -> Result<Timestamp, AppError> {
    local_date(now)
        .tomorrow()
        .and_then(|d| d.to_zoned(london()))
        .map(|z| z.timestamp())
        .map_err(|e| AppError::Internal(format!("end of day: {e}")))
}

/// What a clinic list offers to record next for an appointment in `status` starting at
/// `start`, at `now`; the same rules the domain applies.
pub fn next_outcomes(
    status: AppointmentStatus,
    start: Timestamp,
    now: Timestamp,
) -> Vec<ClinicOutcome> {
    let today = local_date(now) == local_date(start);
    let started = now >= start;
    let reached = local_date(now) >= local_date(start);
    match status {
        AppointmentStatus::Booked => {
            let mut next = Vec::new();
            if today {
                next.push(ClinicOutcome::CheckedIn);
            }
            if reached {
                next.extend([
                    ClinicOutcome::AttendedFollowUp,
                    ClinicOutcome::AttendedDischarge,
                ]);
            }
            if started {
                next.push(ClinicOutcome::DidNotAttend);
            }
            next
        }
        AppointmentStatus::CheckedIn => {
            vec![
                ClinicOutcome::AttendedFollowUp,
                ClinicOutcome::AttendedDischarge,
            ]
        }
        _ => Vec::new(),
    }
}
