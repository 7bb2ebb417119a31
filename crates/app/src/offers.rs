//! The cancellation list in use: offering a freed slot to people waiting, and one of them
//! taking it, after which the others are told it has gone.

use jiff::Timestamp;
use jointly_domain::message::{MessagePlan, MessageTemplate, offer_message};
use jointly_domain::offer::{OfferStatus, SlotOffer, choose_recipients, offer_expiry};
use jointly_domain::patient::Patient;
use jointly_domain::referral::Referral;
use jointly_domain::slot::Slot;
use jointly_domain::{OfferId, SlotId};
use jointly_store::SlotView;

use crate::booking::BookingConfirmation;
use crate::principal::Principal;
use crate::{App, AppError};

/// People waiting read at most when choosing whom to offer a slot.
const WAITING_READ: u32 = 500;

impl App {
    /// The offers of `slot` to make now that it is free again (not to `except`, whose
    /// appointment it was), with the message to each person.
    pub(crate) async fn offers_for_freed_slot(
        &self,
        slot: &Slot,
        except: &Referral,
        now: Timestamp,
    ) -> Result<(Vec<SlotOffer>, Vec<MessagePlan>), AppError> {
        let Some(expires_at) = offer_expiry(slot, now) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let waiting = self
            .store
            .waiting_for_service(slot.service_id, WAITING_READ)
            .await?;
        let mut offers = Vec::new();
        let mut messages = Vec::new();
        for referral in choose_recipients(slot, &waiting, except.id) {
            let Some(person) = self.store.find_patient(referral.patient_id).await? else {
                continue;
            };
            let offer = SlotOffer {
                id: OfferId::new(),
                slot_id: slot.id,
                referral_id: referral.id,
                patient_id: referral.patient_id,
                status: OfferStatus::Offered,
                expires_at,
                created_at: now,
            };
            messages.push(offer_message(&person, &offer, MessageTemplate::SlotOffered));
            offers.push(offer);
        }
        Ok((offers, messages))
    }

    /// The signed-in patient's offers still open, with their slots.
    pub async fn open_offers(
        &self,
        by: &Principal,
    ) -> Result<Vec<(SlotOffer, SlotView)>, AppError> {
        let patient_id = by.patient()?;
        let now = self.clock.now();
        let mut out = Vec::new();
        for offer in self.store.open_offers_for_patient(patient_id, now).await? {
            // An offer for a referral booked since, or a slot taken since, is not worth showing.
            let waiting = self
                .store
                .find_referral(offer.referral_id)
                .await?
                .is_some_and(|r| r.status == jointly_domain::referral::ReferralStatus::Waiting);
            if let Some(view) = self.store.slot_view(offer.slot_id).await?
                && waiting
                && view.slot.status == jointly_domain::slot::SlotStatus::Free
            {
                out.push((offer, view));
            }
        }
        Ok(out)
    }

    /// One of the signed-in patient's offers, open or not, with its slot.
    pub async fn offer(
        &self,
        by: &Principal,
        id: OfferId,
    ) -> Result<(SlotOffer, SlotView), AppError> {
        let patient_id = by.patient()?;
        let offer = self
            .store
            .find_offer(id)
            .await?
            .filter(|o| o.patient_id == patient_id)
            .ok_or(AppError::NotFound)?;
        let view = self
            .store
            .slot_view(offer.slot_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((offer, view))
    }

    /// Takes an offered slot: the first to take it books it, and everyone else offered it is
    /// told it has gone. An expired or answered offer, or a slot already taken, is refused
    /// with `offer_gone` and changes nothing.
    pub async fn accept_offer(
        &self,
        by: &Principal,
        id: OfferId,
    ) -> Result<BookingConfirmation, AppError> {
        let (offer, _) = self.offer(by, id).await?;
        let now = self.clock.now();
        if !offer.is_open(now) {
            return Err(AppError::Conflict("offer_gone"));
        }
        let referral = self
            .store
            .find_referral(offer.referral_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Whatever stops the booking (taken first, booked elsewhere since), the offer has gone.
        self.book_referral_slot(
            by,
            referral,
            offer.slot_id,
            "appointment.offer",
            Some(offer.id),
        )
        .await
        .map_err(|e| match e {
            AppError::Conflict(_) | AppError::Invalid(_) => AppError::Conflict("offer_gone"),
            other => other,
        })
    }
}

impl App {
    /// The people, other than through `taken`, with an open offer of `slot`: to tell them it
    /// has gone once it is booked.
    pub(crate) async fn others_offered(
        &self,
        slot: SlotId,
        taken: Option<OfferId>,
    ) -> Result<Vec<(OfferId, Patient)>, AppError> {
        let mut others = Vec::new();
        for other in self.store.offers_for_slot(slot).await? {
            if Some(other.id) != taken
                && other.status == OfferStatus::Offered
                && let Some(person) = self.store.find_patient(other.patient_id).await?
            {
                others.push((other.id, person));
            }
        }
        Ok(others)
    }
}

/// "It has gone" to each person whose offer was `closed`.
pub(crate) fn gone_messages(
    closed: &[SlotOffer],
    others: &[(OfferId, Patient)],
) -> Vec<MessagePlan> {
    closed
        .iter()
        .filter_map(|offer| {
            others
                .iter()
                .find(|(id, _)| *id == offer.id)
                .map(|(_, person)| offer_message(person, offer, MessageTemplate::SlotGone))
        })
        .collect()
}
