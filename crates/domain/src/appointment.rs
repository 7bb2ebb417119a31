//! Appointments, and the booking rule that turns a free slot and a waiting referral into one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Invalid};
use crate::event::{Actor, DomainEvent};
use crate::ids::{AppointmentId, PatientId, ReferralId, SlotId};
use crate::referral::Referral;
use crate::slot::{Slot, SlotStatus};

/// Where an appointment is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Booked and yet to happen.
    Booked,
    /// Cancelled by the patient or the service.
    Cancelled,
    /// The patient attended.
    Attended,
    /// The patient did not attend.
    DidNotAttend,
}

impl AppointmentStatus {
    /// Every status.
    pub const ALL: [AppointmentStatus; 4] = [
        Self::Booked,
        Self::Cancelled,
        Self::Attended,
        Self::DidNotAttend,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Cancelled => "cancelled",
            Self::Attended => "attended",
            Self::DidNotAttend => "did_not_attend",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// A booked appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// Identifier.
    pub id: AppointmentId,
    /// The slot it occupies.
    pub slot_id: SlotId,
    /// The referral it is for.
    pub referral_id: ReferralId,
    /// The patient.
    pub patient_id: PatientId,
    /// Where it is in its life.
    pub status: AppointmentStatus,
    /// When it was booked.
    pub booked_at: Timestamp,
    /// Who booked it.
    pub booked_by: Actor,
}

/// Books `slot` for `referral`. The slot must be free, far enough ahead and in the service the
/// referral was routed to; the referral must be waiting. On success the referral is marked
/// booked and the new appointment and its events are returned; on failure nothing changes.
pub fn book(
    slot: &Slot,
    referral: &mut Referral,
    id: AppointmentId,
    by: Actor,
    now: Timestamp,
) -> Result<(Appointment, Vec<DomainEvent>), DomainError> {
    if slot.status != SlotStatus::Free {
        return Err(DomainError::SlotNotBookable("taken"));
    }
    if !slot.is_offerable(now) {
        return Err(DomainError::SlotNotBookable("too-soon"));
    }
    if referral.service_id != Some(slot.service_id) {
        return Err(DomainError::SlotNotBookable("wrong-service"));
    }
    let events = referral.record_booking(id, by, now)?;
    let appointment = Appointment {
        id,
        slot_id: slot.id,
        referral_id: referral.id,
        patient_id: referral.patient_id,
        status: AppointmentStatus::Booked,
        booked_at: now,
        booked_by: by,
    };
    Ok((appointment, events))
}

/// Cancels a booked appointment that has not yet started: it is marked cancelled and the
/// referral goes back to waiting, so the person can choose again. Returns the events; on
/// failure nothing changes.
pub fn cancel(
    appointment: &mut Appointment,
    slot: &Slot,
    referral: &mut Referral,
    by: Actor,
    now: Timestamp,
) -> Result<Vec<DomainEvent>, DomainError> {
    if appointment.status != AppointmentStatus::Booked {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: appointment.status.as_str(),
            action: "cancel",
        });
    }
    if slot.start <= now {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: "started",
            action: "cancel",
        });
    }
    let events = referral.record_cancellation(appointment.id, by, now)?;
    appointment.status = AppointmentStatus::Cancelled;
    Ok(events)
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;
    use crate::ids::{ClinicianId, LocationId, ServiceId};
    use crate::referral::{
        FreeText, NewReferral, Priority, ProblemArea, ReferralReference, ReferralSource,
        ReferralStatus, TriageDecision,
    };
    use crate::slot::Modality;

    fn now() -> Timestamp {
        "2026-11-23T09:00:00Z".parse().unwrap()
    }

    fn waiting_referral(service_id: ServiceId) -> Referral {
        let (mut referral, _) = Referral::receive(
            NewReferral::basic(
                PatientId::new(),
                ReferralSource::SelfReferral,
                ProblemArea::Back,
                FreeText::parse("back pain").unwrap(),
            ),
            ReferralId::new(),
            ReferralReference::from_random(1),
            Actor::System,
            now(),
        );
        let decision = TriageDecision {
            service_id,
            service_kind: crate::service::ServiceKind::Physiotherapy,
            priority: Priority::Routine,
            note: None,
        };
        referral.accept(decision, Actor::System, now()).unwrap();
        referral
    }

    fn slot(service_id: ServiceId, hours_ahead: i64) -> Slot {
        let start = now() + SignedDuration::from_hours(hours_ahead);
        Slot {
            id: SlotId::new(),
            service_id,
            location_id: LocationId::new(),
            clinician_id: ClinicianId::new(),
            start,
            end: start + SignedDuration::from_mins(30),
            modality: Modality::FaceToFace,
            status: SlotStatus::Free,
        }
    }

    #[test]
    fn books_a_free_slot_in_the_right_service() {
        let service = ServiceId::new();
        let mut referral = waiting_referral(service);
        let slot = slot(service, 24);
        let by = Actor::Patient(referral.patient_id);
        let (appointment, events) =
            book(&slot, &mut referral, AppointmentId::new(), by, now()).unwrap();
        assert_eq!(appointment.slot_id, slot.id);
        assert_eq!(referral.status, ReferralStatus::Booked);
        assert!(matches!(
            events[..],
            [DomainEvent::AppointmentBooked { .. }]
        ));
    }

    #[test]
    fn refuses_and_changes_nothing() {
        let service = ServiceId::new();
        let referral = waiting_referral(service);
        let cases = [
            (
                Slot {
                    status: SlotStatus::Booked,
                    ..slot(service, 24)
                },
                "taken",
            ),
            (slot(service, 1), "too-soon"),
            (slot(service, -3), "too-soon"),
            (slot(ServiceId::new(), 24), "wrong-service"),
        ];
        for (slot, why) in cases {
            let mut copy = referral.clone();
            let err =
                book(&slot, &mut copy, AppointmentId::new(), Actor::System, now()).unwrap_err();
            assert_eq!(err, DomainError::SlotNotBookable(why));
            assert_eq!(copy, referral);
        }
    }

    #[test]
    fn a_booked_referral_cannot_book_again() {
        let service = ServiceId::new();
        let mut referral = waiting_referral(service);
        book(
            &slot(service, 24),
            &mut referral,
            AppointmentId::new(),
            Actor::System,
            now(),
        )
        .unwrap();
        let err = book(
            &slot(service, 48),
            &mut referral,
            AppointmentId::new(),
            Actor::System,
            now(),
        );
        assert!(matches!(
            err,
            Err(DomainError::InvalidTransition { from: "booked", .. })
        ));
    }

    #[test]
    fn a_future_appointment_is_cancelled_and_the_referral_waits_again() {
        let service = ServiceId::new();
        let mut referral = waiting_referral(service);
        let slot = slot(service, 48);
        let by = Actor::Patient(referral.patient_id);
        let (mut appointment, _) =
            book(&slot, &mut referral, AppointmentId::new(), by, now()).unwrap();
        let events = cancel(&mut appointment, &slot, &mut referral, by, now()).unwrap();
        assert_eq!(appointment.status, AppointmentStatus::Cancelled);
        assert_eq!(referral.status, ReferralStatus::Waiting);
        assert!(matches!(
            events[0],
            DomainEvent::AppointmentCancelled { .. }
        ));
        assert!(
            cancel(&mut appointment, &slot, &mut referral, by, now()).is_err(),
            "once only"
        );
        let later = now() + SignedDuration::from_hours(49);
        let (mut again, _) = book(&slot, &mut referral, AppointmentId::new(), by, now()).unwrap();
        assert!(
            cancel(&mut again, &slot, &mut referral, by, later).is_err(),
            "not after it started"
        );
        assert_eq!(again.status, AppointmentStatus::Booked);
    }
}
