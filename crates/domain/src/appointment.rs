//! Appointments, and the booking rule that turns a free slot and a waiting referral into one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::clock::local_date;
use crate::communication::Interpreter;
use crate::error::{DomainError, Invalid};
use crate::event::{Actor, DomainEvent};
use crate::ids::{AppointmentId, PatientId, ReferralId, SlotId};
use crate::referral::{Referral, ReferralStatus};
use crate::service::ServiceRules;
use crate::slot::{Slot, SlotStatus};

/// Where an appointment is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Booked and yet to happen.
    Booked,
    /// The patient has arrived and waits to be seen.
    CheckedIn,
    /// Cancelled by the patient or the service.
    Cancelled,
    /// The patient attended.
    Attended,
    /// The patient did not attend.
    DidNotAttend,
}

impl AppointmentStatus {
    /// Every status.
    pub const ALL: [AppointmentStatus; 5] = [
        Self::Booked,
        Self::CheckedIn,
        Self::Cancelled,
        Self::Attended,
        Self::DidNotAttend,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::CheckedIn => "checked_in",
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
    /// The interpreter the person needs (BSL, another language), for the clinic to book.
    pub interpreter: Option<Interpreter>,
    /// The slot after it, held so someone who needs an interpreter has double time.
    pub extra_slot_id: Option<SlotId>,
    /// When the patient confirmed they are coming (from the link in their message).
    pub confirmed_at: Option<Timestamp>,
}

/// Books `slot` for `referral`. The slot must be free, far enough ahead, in the service the
/// referral was routed to and for its kind of appointment (new or follow-up); the referral
/// must be waiting. On success the referral is marked
/// booked and the new appointment and its events are returned; on failure nothing changes.
pub fn book(
    slot: &Slot,
    referral: &mut Referral,
    id: AppointmentId,
    by: Actor,
    now: Timestamp,
) -> Result<(Appointment, Vec<DomainEvent>), DomainError> {
    check_bookable(slot, referral, now)?;
    let events = referral.record_booking(id, by, now)?;
    Ok((new_booking(id, slot, referral, by, now), events))
}

/// Whether `referral` may have `slot`: free, far enough ahead, in its service and of the kind
/// of appointment it needs.
fn check_bookable(slot: &Slot, referral: &Referral, now: Timestamp) -> Result<(), DomainError> {
    if slot.status != SlotStatus::Free {
        return Err(DomainError::SlotNotBookable("taken"));
    }
    if !slot.is_offerable(now) {
        return Err(DomainError::SlotNotBookable("too-soon"));
    }
    if referral.service_id != Some(slot.service_id) {
        return Err(DomainError::SlotNotBookable("wrong-service"));
    }
    if !slot.kind.fits(referral.attended) {
        return Err(DomainError::SlotNotBookable("wrong-kind"));
    }
    Ok(())
}

fn new_booking(
    id: AppointmentId,
    slot: &Slot,
    referral: &Referral,
    by: Actor,
    now: Timestamp,
) -> Appointment {
    Appointment {
        id,
        slot_id: slot.id,
        referral_id: referral.id,
        patient_id: referral.patient_id,
        status: AppointmentStatus::Booked,
        booked_at: now,
        booked_by: by,
        interpreter: None,
        extra_slot_id: None,
        confirmed_at: None,
    }
}

/// Moves a booked appointment (in `current`) to `slot`: the old appointment is cancelled and a
/// new one, checked as any booking is, takes its place; the referral stays booked and keeps
/// its place in the queue. Returns the new appointment and its event; on failure nothing
/// changes.
pub fn change(
    appointment: &mut Appointment,
    current: &Slot,
    slot: &Slot,
    referral: &Referral,
    id: AppointmentId,
    by: Actor,
    now: Timestamp,
) -> Result<(Appointment, Vec<DomainEvent>), DomainError> {
    if appointment.status != AppointmentStatus::Booked {
        return Err(refuse(appointment, "change"));
    }
    if current.start <= now {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: "started",
            action: "change",
        });
    }
    if referral.status != ReferralStatus::Booked {
        return Err(DomainError::InvalidTransition {
            entity: "referral",
            from: referral.status.as_str(),
            action: "change the appointment of",
        });
    }
    if slot.id == current.id {
        return Err(DomainError::SlotNotBookable("same-time"));
    }
    check_bookable(slot, referral, now)?;
    let moved = new_booking(id, slot, referral, by, now);
    appointment.status = AppointmentStatus::Cancelled;
    let events = vec![DomainEvent::AppointmentChanged {
        appointment_id: id,
        previous_appointment_id: appointment.id,
        referral_id: referral.id,
        patient_id: referral.patient_id,
        by,
        at: now,
    }];
    Ok((moved, events))
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

fn refuse(appointment: &Appointment, action: &'static str) -> DomainError {
    DomainError::InvalidTransition {
        entity: "appointment",
        from: appointment.status.as_str(),
        action,
    }
}

/// The patient says they are coming: allowed while the appointment is booked and has not
/// started; saying it again changes nothing and says nothing new.
pub fn confirm(
    appointment: &mut Appointment,
    slot: &Slot,
    by: Actor,
    now: Timestamp,
) -> Result<Vec<DomainEvent>, DomainError> {
    if appointment.status != AppointmentStatus::Booked {
        return Err(refuse(appointment, "confirm"));
    }
    if slot.start <= now {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: "started",
            action: "confirm",
        });
    }
    if appointment.confirmed_at.is_some() {
        return Ok(Vec::new());
    }
    appointment.confirmed_at = Some(now);
    Ok(vec![DomainEvent::AppointmentConfirmed {
        appointment_id: appointment.id,
        referral_id: appointment.referral_id,
        patient_id: appointment.patient_id,
        by,
        at: now,
    }])
}

/// The patient has arrived: allowed on the day of the appointment, once.
pub fn check_in(
    appointment: &mut Appointment,
    slot: &Slot,
    by: Actor,
    now: Timestamp,
) -> Result<Vec<DomainEvent>, DomainError> {
    if appointment.status != AppointmentStatus::Booked {
        return Err(refuse(appointment, "check in"));
    }
    if local_date(now) != local_date(slot.start) {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: "not_today",
            action: "check in",
        });
    }
    appointment.status = AppointmentStatus::CheckedIn;
    Ok(vec![DomainEvent::AppointmentCheckedIn {
        appointment_id: appointment.id,
        referral_id: appointment.referral_id,
        patient_id: appointment.patient_id,
        by,
        at: now,
    }])
}

/// The patient was seen: recorded from the day of the appointment. With `follow_up` the
/// referral waits for the next appointment; otherwise it is discharged under `rules`.
pub fn attend(
    appointment: &mut Appointment,
    slot: &Slot,
    referral: &mut Referral,
    follow_up: bool,
    rules: ServiceRules,
    by: Actor,
    now: Timestamp,
) -> Result<Vec<DomainEvent>, DomainError> {
    if !matches!(
        appointment.status,
        AppointmentStatus::Booked | AppointmentStatus::CheckedIn
    ) {
        return Err(refuse(appointment, "record attendance for"));
    }
    if local_date(now) < local_date(slot.start) {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: "not_yet",
            action: "record attendance for",
        });
    }
    let events = referral.record_attendance(appointment.id, follow_up, rules, by, now)?;
    appointment.status = AppointmentStatus::Attended;
    Ok(events)
}

/// The patient did not come and did not warn: recorded once the appointment has started,
/// and never for someone who checked in. The service's rule decides whether they may book
/// again or are discharged.
pub fn did_not_attend(
    appointment: &mut Appointment,
    slot: &Slot,
    referral: &mut Referral,
    rules: ServiceRules,
    by: Actor,
    now: Timestamp,
) -> Result<Vec<DomainEvent>, DomainError> {
    if appointment.status != AppointmentStatus::Booked {
        return Err(refuse(appointment, "record as not attended"));
    }
    if now < slot.start {
        return Err(DomainError::InvalidTransition {
            entity: "appointment",
            from: "not_yet",
            action: "record as not attended",
        });
    }
    let events = referral.record_missed(appointment.id, rules, by, now)?;
    appointment.status = AppointmentStatus::DidNotAttend;
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
            ready_for_surgery: None,
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
            kind: crate::slot::AppointmentKind::Any,
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
                    kind: crate::slot::AppointmentKind::Any,
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

    fn booked(service: ServiceId, hours_ahead: i64) -> (Appointment, Slot, Referral) {
        let mut referral = waiting_referral(service);
        let slot = slot(service, hours_ahead);
        let (appointment, _) = book(
            &slot,
            &mut referral,
            AppointmentId::new(),
            Actor::System,
            now(),
        )
        .unwrap();
        (appointment, slot, referral)
    }

    #[test]
    fn changing_moves_the_booking_and_keeps_the_referral_booked() {
        let service = ServiceId::new();
        let (mut appointment, current, referral) = booked(service, 24);
        let later = slot(service, 72);
        let id = AppointmentId::new();
        let by = Actor::Patient(referral.patient_id);
        let (moved, events) =
            change(&mut appointment, &current, &later, &referral, id, by, now()).unwrap();
        assert_eq!(appointment.status, AppointmentStatus::Cancelled);
        assert_eq!((moved.id, moved.slot_id), (id, later.id));
        assert_eq!(moved.status, AppointmentStatus::Booked);
        assert_eq!(referral.status, ReferralStatus::Booked);
        assert!(matches!(
            events[..],
            [DomainEvent::AppointmentChanged { appointment_id, previous_appointment_id, .. }]
                if appointment_id == id && previous_appointment_id == appointment.id
        ));
    }

    #[test]
    fn changing_refuses_and_changes_nothing() {
        let service = ServiceId::new();
        let (appointment, current, referral) = booked(service, 24);
        let taken = Slot {
            status: SlotStatus::Booked,
            ..slot(service, 48)
        };
        let cases = [
            (taken, DomainError::SlotNotBookable("taken")),
            (slot(service, 1), DomainError::SlotNotBookable("too-soon")),
            (
                slot(ServiceId::new(), 48),
                DomainError::SlotNotBookable("wrong-service"),
            ),
            (
                Slot {
                    status: SlotStatus::Free,
                    ..current.clone()
                },
                DomainError::SlotNotBookable("same-time"),
            ),
        ];
        for (to, why) in cases {
            let mut copy = appointment.clone();
            let err = change(
                &mut copy,
                &current,
                &to,
                &referral,
                AppointmentId::new(),
                Actor::System,
                now(),
            )
            .unwrap_err();
            assert_eq!(err, why);
            assert_eq!(copy, appointment);
        }
        // Once it has started, or when it is no longer booked, it cannot move.
        let started = current.start + SignedDuration::from_mins(1);
        let mut copy = appointment.clone();
        assert!(
            change(
                &mut copy,
                &current,
                &slot(service, 96),
                &referral,
                AppointmentId::new(),
                Actor::System,
                started
            )
            .is_err()
        );
        let mut cancelled = Appointment {
            status: AppointmentStatus::Cancelled,
            ..appointment.clone()
        };
        assert!(matches!(
            change(
                &mut cancelled,
                &current,
                &slot(service, 48),
                &referral,
                AppointmentId::new(),
                Actor::System,
                now()
            ),
            Err(DomainError::InvalidTransition {
                from: "cancelled",
                ..
            })
        ));
    }

    #[test]
    fn clinic_day_check_in_then_attended_with_follow_up() {
        let (mut appointment, slot, mut referral) = booked(ServiceId::new(), 24);
        let day_before = now();
        assert!(check_in(&mut appointment, &slot, Actor::System, day_before).is_err());
        let on_the_day = slot.start - SignedDuration::from_mins(20);
        check_in(&mut appointment, &slot, Actor::System, on_the_day).unwrap();
        assert_eq!(appointment.status, AppointmentStatus::CheckedIn);
        assert!(
            did_not_attend(
                &mut appointment,
                &slot,
                &mut referral,
                ServiceRules::default(),
                Actor::System,
                slot.end
            )
            .is_err(),
            "someone who checked in did attend"
        );
        let events = attend(
            &mut appointment,
            &slot,
            &mut referral,
            true,
            ServiceRules::default(),
            Actor::System,
            slot.end,
        )
        .unwrap();
        assert!(matches!(
            events[..],
            [DomainEvent::AppointmentAttended {
                follow_up: true,
                ..
            }]
        ));
        assert_eq!(referral.status, ReferralStatus::Waiting);
        assert_eq!(referral.attended, 1);
    }

    #[test]
    fn attended_and_discharged_opens_the_services_open_access_window() {
        let (mut appointment, slot, mut referral) = booked(ServiceId::new(), 24);
        let rules = ServiceRules::new(30, 2).unwrap();
        let events = attend(
            &mut appointment,
            &slot,
            &mut referral,
            false,
            rules,
            Actor::System,
            slot.end,
        )
        .unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(referral.status, ReferralStatus::Discharged);
        let until = referral.open_access_until.unwrap();
        assert_eq!(until, slot.end + SignedDuration::from_hours(24 * 30));
        assert!(referral.open_access_at(until - SignedDuration::from_hours(1)));
        assert!(!referral.open_access_at(until));
        let mut late = referral.clone();
        assert!(late.use_open_access(Actor::System, until).is_err());
        referral
            .use_open_access(Actor::System, slot.end + SignedDuration::from_hours(24))
            .unwrap();
        assert_eq!(referral.status, ReferralStatus::Waiting);
        assert_eq!(referral.open_access_until, None);
    }

    #[test]
    fn missed_appointments_follow_the_services_rule() {
        let service = ServiceId::new();
        let rules = ServiceRules::new(182, 2).unwrap();
        let (mut first, slot, mut referral) = booked(service, 24);
        assert!(
            did_not_attend(
                &mut first,
                &slot,
                &mut referral,
                rules,
                Actor::System,
                now()
            )
            .is_err(),
            "not before it starts"
        );
        let events = did_not_attend(
            &mut first,
            &slot,
            &mut referral,
            rules,
            Actor::System,
            slot.start,
        )
        .unwrap();
        assert!(matches!(
            events[..],
            [DomainEvent::AppointmentMissed {
                discharged: false,
                ..
            }]
        ));
        assert_eq!(referral.status, ReferralStatus::Waiting);
        let second_slot = self::slot(service, 72);
        let (mut second, _) = book(
            &second_slot,
            &mut referral,
            AppointmentId::new(),
            Actor::System,
            now(),
        )
        .unwrap();
        let events = did_not_attend(
            &mut second,
            &second_slot,
            &mut referral,
            rules,
            Actor::System,
            second_slot.end,
        )
        .unwrap();
        assert!(matches!(
            events[..],
            [
                DomainEvent::AppointmentMissed {
                    discharged: true,
                    ..
                },
                DomainEvent::ReferralDischarged {
                    open_access_until: None,
                    ..
                }
            ]
        ));
        assert_eq!(referral.status, ReferralStatus::Discharged);
        assert_eq!(referral.missed, 2);
        assert!(!referral.open_access_at(second_slot.end));
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
