//! Real choice for the patient: searching free slots by days, modality, time of day and
//! distance from home or another postcode; and cancelling an appointment, which frees the slot
//! and puts the referral back on the waiting list to book again.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use jointly_domain::access::{Permission, may_view_referral};
use jointly_domain::appointment::cancel;
use jointly_domain::choice::{Candidate, Point, SearchAnswers, SlotSearch};
use jointly_domain::message::{Audiences, messages_for};
use jointly_domain::referral::ReferralStatus;
use jointly_domain::slot::{AppointmentKind, MINIMUM_NOTICE};
use jointly_domain::{AppointmentId, DomainError, ReferralId, local_date, london};
use jointly_store::{AuditAction, AuditOutcome, SlotView};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Results shown for one search.
pub const SEARCH_RESULTS: usize = 20;

/// Free slots read per page while searching.
const SEARCH_PAGE: u32 = 200;

/// Slots read at most for one search, so no search is expensive; ordering by distance looks
/// at the matches among them.
const SEARCH_BUDGET: usize = 3_000;

/// A slot found for the patient, with its distance from where they asked (in person only).
#[derive(Clone, Debug)]
pub struct SlotChoice {
    /// The slot, its place and service.
    pub view: SlotView,
    /// Kilometres from home or the other postcode, for appointments in person.
    pub distance_km: Option<f64>,
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct SlotSearchResult {
    /// The search as understood (defaults filled in).
    pub search: SlotSearch,
    /// Whether the home postcode could be placed on the map.
    pub home_known: bool,
    /// The choices, as ordered.
    pub choices: Vec<SlotChoice>,
}

impl App {
    /// Searches the free slots the signed-in patient may book for their referral. Problems
    /// with the search are named by field; a referral not waiting to book finds nothing.
    pub async fn search_slots(
        &self,
        by: &Principal,
        referral_id: ReferralId,
        answers: &SearchAnswers,
    ) -> Result<SlotSearchResult, AppError> {
        let patient_id = by.patient()?;
        let referral = self
            .store
            .find_referral(referral_id)
            .await?
            .filter(|r| r.patient_id == patient_id)
            .ok_or(AppError::NotFound)?;
        self.search_for(by, &referral, answers, "portal.search", Purpose::Book)
            .await
    }

    /// Searches for staff booking on a patient's behalf (for example on the phone): staff who
    /// book for patients, for a referral in their own services.
    pub async fn search_slots_for_patient(
        &self,
        by: &Principal,
        referral_id: ReferralId,
        answers: &SearchAnswers,
    ) -> Result<SlotSearchResult, AppError> {
        let referral = self.referral_to_book_for(by, referral_id).await?;
        self.search_for(by, &referral, answers, "booking.search", Purpose::Book)
            .await
    }

    /// Books a slot for a patient, by staff on their behalf; the patient is told as usual.
    pub async fn book_slot_for_patient(
        &self,
        by: &Principal,
        referral_id: ReferralId,
        slot_id: jointly_domain::SlotId,
    ) -> Result<crate::BookingConfirmation, AppError> {
        let referral = self.referral_to_book_for(by, referral_id).await?;
        self.book_referral_slot(by, referral, slot_id, "appointment.book_for", None)
            .await
    }

    /// A referral `by` may book for: they book for patients, and the referral is in their
    /// services. Anything else is "not found", and the attempt is audited as denied.
    pub(crate) async fn referral_to_book_for(
        &self,
        by: &Principal,
        referral_id: ReferralId,
    ) -> Result<jointly_domain::referral::Referral, AppError> {
        let scope = by.staff_scope(Permission::BookForPatient)?;
        let referral = self
            .store
            .find_referral(referral_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if may_view_referral(scope, &referral) {
            return Ok(referral);
        }
        self.store
            .record_audit(&[by.audit(
                self.clock.now(),
                AuditAction::Read,
                "booking.search",
                AuditOutcome::Denied,
                Audited {
                    entity: "referral",
                    id: referral_id.as_uuid(),
                    patient: referral.patient_id,
                },
            )])
            .await?;
        Err(AppError::NotFound)
    }

    pub(crate) async fn search_for(
        &self,
        by: &Principal,
        referral: &jointly_domain::referral::Referral,
        answers: &SearchAnswers,
        route: &'static str,
        purpose: Purpose,
    ) -> Result<SlotSearchResult, AppError> {
        let patient_id = referral.patient_id;
        let referral_id = referral.id;
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let postcodes = &self.content.postcodes;
        let home = postcodes.locate(&patient.postcode);
        let search = SlotSearch::parse(answers, local_date(now), home, |p| postcodes.locate(p))
            .map_err(AppError::Invalid)?;
        self.store
            .record_audit(&[by.audit(
                now,
                AuditAction::Read,
                route,
                AuditOutcome::Allowed,
                Audited {
                    entity: "referral",
                    id: referral_id.as_uuid(),
                    patient: patient_id,
                },
            )])
            .await?;
        let open = match purpose {
            Purpose::Book => bookable(referral, now),
            Purpose::Change => referral.status == ReferralStatus::Booked,
        };
        let choices = match (open, referral.service_id) {
            (true, Some(service)) => {
                let kind = AppointmentKind::needed(referral.attended);
                self.matching_slots(service, kind, &search, now).await?
            }
            _ => Vec::new(),
        };
        Ok(SlotSearchResult {
            search,
            home_known: home.is_some(),
            choices,
        })
    }

    async fn matching_slots(
        &self,
        service: jointly_domain::ServiceId,
        kind: AppointmentKind,
        search: &SlotSearch,
        now: Timestamp,
    ) -> Result<Vec<SlotChoice>, AppError> {
        let earliest = now.saturating_add(MINIMUM_NOTICE).unwrap_or(now);
        let start_of = |date: jiff::civil::Date| {
            date.to_zoned(london())
                .map(|z| z.timestamp())
                .map_err(|e| AppError::Internal(e.to_string()))
        };
        let from = start_of(search.from)?.max(earliest);
        let until = start_of(search.to)?
            .saturating_add(SignedDuration::from_hours(24))
            .unwrap_or(Timestamp::MAX);
        // Earliest first needs only the first matches; nearest first needs every match within
        // the budget to choose among.
        let wanted = match search.order {
            jointly_domain::choice::Order::Earliest => SEARCH_RESULTS,
            jointly_domain::choice::Order::Nearest => usize::MAX,
        };
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut after = None;
        let mut read = 0;
        while read < SEARCH_BUDGET && found.len() < wanted {
            let page = self
                .store
                .free_slots_between(service, kind, from, until, after.as_ref(), SEARCH_PAGE)
                .await?;
            read += page.len();
            let full = page.len() == SEARCH_PAGE as usize;
            after = page.last().map(|view| view.slot.clone());
            for view in page {
                let (latitude, longitude) = view.location_point;
                let candidate = Candidate {
                    start: view.slot.start,
                    modality: view.slot.modality,
                    place: Point {
                        latitude,
                        longitude,
                    },
                };
                let Some(distance) = search.accepts(&candidate) else {
                    continue;
                };
                // One choice per time, place and modality: the clinicians are interchangeable.
                if seen.insert((view.slot.start, view.slot.location_id, view.slot.modality)) {
                    let start = view.slot.start;
                    found.push((view, distance, start));
                }
            }
            if !full {
                break;
            }
        }
        search.order_results(&mut found);
        Ok(found
            .into_iter()
            .take(SEARCH_RESULTS)
            .map(|(view, distance_km, _)| SlotChoice { view, distance_km })
            .collect())
    }

    /// Cancels one of the signed-in patient's appointments: the slot is free for someone
    /// else, the referral goes back to waiting so they can choose again, and they are told.
    pub async fn cancel_appointment(
        &self,
        by: &Principal,
        appointment_id: AppointmentId,
    ) -> Result<ReferralId, AppError> {
        let patient_id = by.patient()?;
        let (appointment, slot) = self.own_appointment(patient_id, appointment_id).await?;
        self.cancel_booked(by, appointment, slot, "appointment.cancel")
            .await
    }

    /// Cancels a patient's appointment on their behalf (for example when they phone): staff
    /// who book for patients, in their own services. The slot goes to the cancellation list
    /// and the patient is told, as when they cancel themselves.
    pub async fn cancel_appointment_for_patient(
        &self,
        by: &Principal,
        appointment_id: AppointmentId,
    ) -> Result<ReferralId, AppError> {
        let (appointment, slot) = self
            .store
            .find_appointment(appointment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.referral_to_book_for(by, appointment.referral_id)
            .await?;
        self.cancel_booked(by, appointment, slot, "appointment.cancel_for")
            .await
    }

    pub(crate) async fn cancel_booked(
        &self,
        by: &Principal,
        mut appointment: jointly_domain::appointment::Appointment,
        slot: jointly_store::SlotView,
        route: &'static str,
    ) -> Result<ReferralId, AppError> {
        let patient_id = appointment.patient_id;
        let mut referral = self
            .store
            .find_referral(appointment.referral_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let events =
            cancel(&mut appointment, &slot.slot, &mut referral, by.actor(), now).map_err(|e| {
                match e {
                    DomainError::Invalid(errors) => AppError::Invalid(errors),
                    other => other.into(),
                }
            })?;
        let mut messages: Vec<_> = events
            .iter()
            .flat_map(|e| messages_for(e, &patient, &Audiences::default()))
            .collect();
        // The freed time goes to the cancellation list straight away.
        let (offers, offer_messages) = self
            .offers_for_freed_slot(&slot.slot, &referral, now)
            .await?;
        messages.extend(offer_messages);
        let mut tx = self.store.begin().await?;
        tx.cancel_appointment(appointment.id, now).await?;
        tx.release_slot(slot.slot.id, now).await?;
        if let Some(extra) = appointment.extra_slot_id {
            tx.release_held_slot(extra, now).await?;
        }
        tx.insert_offers(&offers, now).await?;
        tx.update_referral(&referral, now).await?;
        tx.append_events(&events, now).await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            route,
            AuditOutcome::Allowed,
            Audited {
                entity: "appointment",
                id: appointment.id.as_uuid(),
                patient: patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(appointment_id = %appointment.id, "appointment cancelled");
        Ok(referral.id)
    }
}

/// What a slot search is for: a first booking, or moving the one already booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Booking for a referral waiting to book.
    Book,
    /// Moving the booked appointment to another time.
    Change,
}

/// Whether a patient may book for `referral` now: it waits on the list, or it was discharged
/// and its open-access window is still open (booking then reopens it).
pub(crate) fn bookable(
    referral: &jointly_domain::referral::Referral,
    now: jiff::Timestamp,
) -> bool {
    referral.status == ReferralStatus::Waiting || referral.open_access_at(now)
}
