//! Moving a booked appointment to another time, by the patient in the portal or by staff on
//! their behalf: one change, not a cancellation and a new booking, so the referral keeps its
//! place, the freed time goes to the cancellation list and the person hears "your appointment
//! has changed" once.

use jointly_domain::access::Permission;
use jointly_domain::appointment::{Appointment, AppointmentStatus, change};
use jointly_domain::choice::SearchAnswers;
use jointly_domain::message::{Audiences, messages_for};
use jointly_domain::referral::Referral;
use jointly_domain::{AppointmentId, DomainError, SlotId, ValidationErrors};
use jointly_store::{AuditAction, AuditOutcome, SlotView};

use crate::booking::BookingConfirmation;
use crate::choice::{Purpose, SlotSearchResult};
use crate::offers::gone_messages;
use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// A booked appointment that may be moved, with the times it could move to.
#[derive(Clone, Debug)]
pub struct ChangeSearch {
    /// The appointment as booked.
    pub appointment: Appointment,
    /// Its slot, place and service.
    pub current: SlotView,
    /// The free times found, or what was wrong with the search (named by field).
    pub result: Result<SlotSearchResult, ValidationErrors>,
}

impl App {
    /// Searches the times a booked appointment could move to: the patient's own, or, for
    /// staff who book for patients, one in their services. Problems with the search are named
    /// by field in the result, with the appointment still shown; an appointment no longer
    /// booked is not found, and one whose referral can no longer book finds nothing.
    pub async fn search_to_change(
        &self,
        by: &Principal,
        id: AppointmentId,
        answers: &SearchAnswers,
    ) -> Result<ChangeSearch, AppError> {
        let (appointment, current, referral) = self.appointment_to_change(by, id).await?;
        if appointment.status != AppointmentStatus::Booked {
            return Err(AppError::NotFound);
        }
        let route = route(by, "portal.change_search", "booking.change_search");
        let result = match self
            .search_for(by, &referral, answers, route, Purpose::Change)
            .await
        {
            Ok(found) => Ok(found),
            Err(AppError::Invalid(errors)) => Err(errors),
            Err(other) => return Err(other),
        };
        Ok(ChangeSearch {
            appointment,
            current,
            result,
        })
    }

    /// Moves a booked appointment to `slot`, checked as any booking is. The old time is freed
    /// for the cancellation list, anyone else offered the new time is told it has gone, an
    /// interpreter's double time moves with it, and the person is told of the change by their
    /// channel. A time taken meanwhile is refused with `slot_taken` and changes nothing.
    pub async fn change_appointment(
        &self,
        by: &Principal,
        id: AppointmentId,
        slot_id: SlotId,
    ) -> Result<BookingConfirmation, AppError> {
        let (mut appointment, current, referral) = self.appointment_to_change(by, id).await?;
        let slot = self
            .store
            .find_slot(slot_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let patient = self
            .store
            .find_patient(referral.patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let (mut moved, events) = change(
            &mut appointment,
            &current.slot,
            &slot,
            &referral,
            AppointmentId::new(),
            by.actor(),
            now,
        )
        .map_err(|e| match e {
            DomainError::Invalid(errors) => AppError::Invalid(errors),
            other => other.into(),
        })?;
        // The needs as recorded now, which may have changed since the first booking.
        let needs = self.store.communication_profile(patient.id).await?.needs;
        moved.interpreter = needs.interpreter();
        let mut messages: Vec<_> = events
            .iter()
            .flat_map(|e| messages_for(e, &patient, &Audiences::default()))
            .collect();
        let (offers, offer_messages) = self
            .offers_for_freed_slot(&current.slot, &referral, now)
            .await?;
        messages.extend(offer_messages);
        let others = self.others_offered(slot.id, None).await?;
        let mut tx = self.store.begin().await?;
        tx.take_free_slot(slot.id, now).await?;
        tx.cancel_appointment(appointment.id, now).await?;
        tx.release_slot(current.slot.id, now).await?;
        if let Some(extra) = appointment.extra_slot_id {
            tx.release_held_slot(extra, now).await?;
        }
        if needs.needs_longer_appointment() {
            moved.extra_slot_id = tx.hold_following_slot(&slot, now).await?;
        }
        messages.extend(gone_messages(
            &tx.close_offers(slot.id, now).await?,
            &others,
        ));
        tx.insert_offers(&offers, now).await?;
        tx.insert_appointments(std::slice::from_ref(&moved), now)
            .await?;
        tx.append_events(&events, now).await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            route(by, "appointment.change", "appointment.change_for"),
            AuditOutcome::Allowed,
            Audited {
                entity: "appointment",
                id: moved.id.as_uuid(),
                patient: patient.id,
            },
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(from = %appointment.id, to = %moved.id, slot_id = %slot.id, "appointment changed");
        let (_, slot) = self.own_appointment(patient.id, moved.id).await?;
        Ok(BookingConfirmation {
            appointment: moved,
            slot,
            reference: referral.reference.clone(),
        })
    }

    /// The appointment `id` with its slot and referral, if `by` may move it: a patient their
    /// own, staff who book for patients one in their services. Anything else is "not found".
    async fn appointment_to_change(
        &self,
        by: &Principal,
        id: AppointmentId,
    ) -> Result<(Appointment, SlotView, Referral), AppError> {
        if let Principal::Patient { id: patient, .. } = by {
            let (appointment, current) = self.own_appointment(*patient, id).await?;
            let referral = self
                .store
                .find_referral(appointment.referral_id)
                .await?
                .ok_or(AppError::NotFound)?;
            return Ok((appointment, current, referral));
        }
        // Refused before the lookup, so staff who do not book learn nothing of what exists.
        by.require(Permission::BookForPatient)?;
        let (appointment, current) = self
            .store
            .find_appointment(id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Checks the staff member's services, auditing a refusal.
        let referral = self
            .referral_to_book_for(by, appointment.referral_id)
            .await?;
        Ok((appointment, current, referral))
    }
}

/// The audit route for a patient acting for themselves, or for staff acting for them.
fn route(by: &Principal, patient: &'static str, staff: &'static str) -> &'static str {
    if matches!(by, Principal::Patient { .. }) {
        patient
    } else {
        staff
    }
}
