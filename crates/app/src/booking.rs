//! The patient's portal: their referrals, the slots offered to them, and booking one.

use jiff::Timestamp;
use jointly_domain::access::Permission;
use jointly_domain::appointment::{Appointment, book};
use jointly_domain::message::{Audiences, messages_for};
use jointly_domain::patient::Patient;
use jointly_domain::referral::ReferralReference;
use jointly_domain::slot::{AppointmentKind, MINIMUM_NOTICE};
use jointly_domain::{AppointmentId, OfferId, ReferralId, ServiceId, SlotId};
use jointly_store::{AuditAction, AuditOutcome, Note, NoteKind, PatientReferralView, SlotView};

use crate::choice::bookable;
use crate::offers::gone_messages;
use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Choices offered per referral, soonest first.
const OFFERED_SLOTS: usize = 12;

/// Free slots read per page while looking for those choices: several clinicians often start
/// at the same time and place, and a patient is offered each time and place once.
const SLOTS_PAGE: u32 = 48;

/// Pages read at most, so a clinic of identical slots cannot make one request expensive.
const MAX_PAGES: usize = 8;

/// A referral and the slots the patient may book for it (none unless it is waiting).
#[derive(Clone, Debug)]
pub struct ReferralOffer {
    /// The referral.
    pub referral: PatientReferralView,
    /// Slots they can book now.
    pub slots: Vec<SlotView>,
    /// Questions from clinicians and the person's replies, oldest first.
    pub notes: Vec<Note>,
    /// Their place on the waiting list and the wait it means, while waiting to book.
    pub wait: Option<crate::WaitEstimate>,
    /// We asked "do you still need this?" and await the answer.
    pub asked_still_needed: bool,
}

/// Everything the portal's home page shows.
#[derive(Clone, Debug)]
pub struct PortalOverview {
    /// The patient.
    pub patient: Patient,
    /// Their referrals, newest first, with offers.
    pub referrals: Vec<ReferralOffer>,
    /// Their appointments, soonest first.
    pub appointments: Vec<(Appointment, SlotView)>,
}

/// A booking just made.
#[derive(Clone, Debug)]
pub struct BookingConfirmation {
    /// The appointment.
    pub appointment: Appointment,
    /// Its slot, place and clinician role.
    pub slot: SlotView,
    /// The referral's reference.
    pub reference: ReferralReference,
}

impl App {
    /// The times and places a patient may choose from in `service`, from `earliest`: one slot
    /// per start time, place and modality, soonest first, at most [`OFFERED_SLOTS`].
    async fn choices(
        &self,
        service: ServiceId,
        kind: AppointmentKind,
        earliest: Timestamp,
    ) -> Result<Vec<SlotView>, AppError> {
        let mut seen = std::collections::HashSet::new();
        let mut choices = Vec::new();
        let mut after = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .store
                .free_slots_after(service, kind, earliest, after.as_ref(), SLOTS_PAGE)
                .await?;
            let full = page.len() == SLOTS_PAGE as usize;
            after = page.last().map(|view| view.slot.clone());
            for view in page {
                let key = (view.slot.start, view.slot.location_id, view.slot.modality);
                if choices.len() < OFFERED_SLOTS && seen.insert(key) {
                    choices.push(view);
                }
            }
            if choices.len() == OFFERED_SLOTS || !full {
                break;
            }
        }
        Ok(choices)
    }

    /// The signed-in patient's referrals, offers and appointments. The read is audited.
    pub async fn portal_overview(&self, by: &Principal) -> Result<PortalOverview, AppError> {
        let patient_id = by.patient()?;
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let earliest = now.saturating_add(MINIMUM_NOTICE).unwrap_or(now);
        let mut referrals = Vec::new();
        for view in self.store.referrals_for_patient(patient_id).await? {
            let slots = match (bookable(&view.referral, now), view.referral.service_id) {
                (true, Some(service)) => {
                    let kind = AppointmentKind::needed(view.referral.attended);
                    self.choices(service, kind, earliest).await?
                }
                _ => Vec::new(),
            };
            let notes = self
                .store
                .notes_for_referral(view.referral.id)
                .await?
                .into_iter()
                .filter(|n| matches!(n.kind, NoteKind::Question | NoteKind::Reply))
                .collect();
            let waiting = view.referral.status == jointly_domain::referral::ReferralStatus::Waiting;
            let wait = if waiting {
                Some(self.wait_estimate(&view.referral).await?)
            } else {
                None
            };
            let asked_still_needed =
                waiting && self.store.validation_open(view.referral.id).await?;
            referrals.push(ReferralOffer {
                referral: view,
                slots,
                notes,
                wait,
                asked_still_needed,
            });
        }
        let appointments = self.store.appointments_for_patient(patient_id).await?;
        self.store
            .record_audit(&[by.audit(
                now,
                AuditAction::Read,
                "portal.overview",
                AuditOutcome::Allowed,
                Audited {
                    entity: "patient",
                    id: patient_id.as_uuid(),
                    patient: patient_id,
                },
            )])
            .await?;
        Ok(PortalOverview {
            patient,
            referrals,
            appointments,
        })
    }

    /// The slots the signed-in patient may book for one of their referrals.
    pub async fn offered_slots(
        &self,
        by: &Principal,
        referral_id: ReferralId,
    ) -> Result<Vec<SlotView>, AppError> {
        let patient_id = by.patient()?;
        let referral = self
            .store
            .find_referral(referral_id)
            .await?
            .filter(|r| r.patient_id == patient_id)
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        self.store
            .record_audit(&[by.audit(
                now,
                AuditAction::Read,
                "portal.slots",
                AuditOutcome::Allowed,
                Audited {
                    entity: "referral",
                    id: referral_id.as_uuid(),
                    patient: patient_id,
                },
            )])
            .await?;
        match (bookable(&referral, now), referral.service_id) {
            (true, Some(service)) => {
                let earliest = now.saturating_add(MINIMUM_NOTICE).unwrap_or(now);
                let kind = AppointmentKind::needed(referral.attended);
                self.choices(service, kind, earliest).await
            }
            _ => Ok(Vec::new()),
        }
    }

    /// Books a slot for one of the signed-in patient's referrals. Of any number of people
    /// racing for one slot exactly one gets it; the others are told it has gone.
    pub async fn book_slot(
        &self,
        by: &Principal,
        referral_id: ReferralId,
        slot_id: SlotId,
    ) -> Result<BookingConfirmation, AppError> {
        let patient_id = by.patient()?;
        let referral = self
            .store
            .find_referral(referral_id)
            .await?
            .filter(|r| r.patient_id == patient_id)
            .ok_or(AppError::NotFound)?;
        self.book_referral_slot(by, referral, slot_id, "appointment.book", None)
            .await
    }

    /// Books `slot_id` for `referral` on behalf of `by`, who has been checked already; through
    /// `offer` when it was taken from the cancellation list. However the slot is booked, anyone
    /// else it was offered to is told it has gone.
    pub(crate) async fn book_referral_slot(
        &self,
        by: &Principal,
        mut referral: jointly_domain::referral::Referral,
        slot_id: SlotId,
        route: &'static str,
        offer: Option<OfferId>,
    ) -> Result<BookingConfirmation, AppError> {
        let patient_id = referral.patient_id;
        let slot = self
            .store
            .find_slot(slot_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        // Inside an open-access window the discharged referral reopens as part of the booking.
        let mut events = if referral.open_access_at(now) {
            referral.use_open_access(by.actor(), now)?
        } else {
            Vec::new()
        };
        let (mut appointment, booked) =
            book(&slot, &mut referral, AppointmentId::new(), by.actor(), now)?;
        // Someone who needs an interpreter is flagged for the clinic and given double time.
        let needs = self.store.communication_profile(patient_id).await?.needs;
        appointment.interpreter = needs.interpreter();
        events.extend(booked);
        let mut messages: Vec<_> = events
            .iter()
            .flat_map(|e| messages_for(e, &patient, &Audiences::default()))
            .collect();
        let others = self.others_offered(slot.id, offer).await?;
        let mut tx = self.store.begin().await?;
        tx.take_free_slot(slot.id, now).await?;
        if needs.needs_longer_appointment() {
            appointment.extra_slot_id = tx.hold_following_slot(&slot, now).await?;
            if appointment.extra_slot_id.is_none() {
                tracing::warn!(slot_id = %slot.id, "no free time after the slot for a longer appointment");
            }
        }
        if let Some(offer) = offer {
            tx.accept_offer(offer, now).await?;
        }
        messages.extend(gone_messages(
            &tx.close_offers(slot.id, now).await?,
            &others,
        ));
        tx.insert_appointments(std::slice::from_ref(&appointment), now)
            .await?;
        tx.update_referral(&referral, now).await?;
        tx.append_events(&events, now).await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Create,
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
        tracing::info!(appointment_id = %appointment.id, slot_id = %slot.id, "appointment booked");
        let (_, slot) = self.own_appointment(patient_id, appointment.id).await?;
        Ok(BookingConfirmation {
            appointment,
            slot,
            reference: referral.reference.clone(),
        })
    }

    /// One of the signed-in patient's appointments, with its slot. The read is audited.
    pub async fn patient_appointment(
        &self,
        by: &Principal,
        id: AppointmentId,
    ) -> Result<(Appointment, SlotView), AppError> {
        let patient_id = by.patient()?;
        let found = self.own_appointment(patient_id, id).await?;
        self.store
            .record_audit(&[by.audit(
                self.clock.now(),
                AuditAction::Read,
                "portal.appointment",
                AuditOutcome::Allowed,
                Audited {
                    entity: "appointment",
                    id: id.as_uuid(),
                    patient: patient_id,
                },
            )])
            .await?;
        Ok(found)
    }

    /// The appointment `id` if it is `patient`'s, with its slot.
    pub(crate) async fn own_appointment(
        &self,
        patient: jointly_domain::PatientId,
        id: AppointmentId,
    ) -> Result<(Appointment, SlotView), AppError> {
        self.store
            .appointments_for_patient(patient)
            .await?
            .into_iter()
            .find(|(a, _)| a.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Whether `by` may use the portal; for pages that only need the check.
    pub fn require_portal(&self, by: &Principal) -> Result<(), AppError> {
        by.require(Permission::UsePortal)
    }
}
