//! The cancellation list in use: offering a freed slot to people waiting, and one of them
//! taking it, after which the others are told it has gone.

use jiff::Timestamp;
use jointly_domain::message::{MessagePlan, MessageTemplate, offer_message};
use jointly_domain::offer::{OfferStatus, SlotOffer, choose_recipients, offer_expiry};
use jointly_domain::patient::Patient;
use jointly_domain::referral::Referral;
use jointly_domain::slot::Slot;
use std::collections::HashMap;

use jointly_domain::choice::{Point, distance_km};
use jointly_domain::{OfferId, PatientId, SlotId};
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
        let people: Vec<PatientId> = waiting.iter().map(|r| r.patient_id).collect();
        let preferences = self.store.offer_preferences_for(&people).await?;
        // Distances only for those who limited how far they will travel.
        let place = self.store.slot_view(slot.id).await?.map(|v| Point {
            latitude: v.location_point.0,
            longitude: v.location_point.1,
        });
        let mut distances = HashMap::new();
        for (patient, wanted) in &preferences {
            if let (Some(_), Some(place)) = (wanted.max_km, place)
                && let Some(person) = self.store.find_patient(*patient).await?
                && let Some(home) = self.content.postcodes.locate(&person.postcode)
            {
                distances.insert(*patient, distance_km(home, place));
            }
        }
        let wants = |r: &Referral| {
            preferences
                .get(&r.patient_id)
                .is_none_or(|p| p.wants(slot, distances.get(&r.patient_id).copied()))
        };
        let mut offers = Vec::new();
        let mut messages = Vec::new();
        for referral in choose_recipients(slot, &waiting, except.id, wants) {
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

/// What a person asks of the cancellation list, as entered.
#[derive(Clone, Debug, Default)]
pub struct OfferPreferencesForm {
    /// `yes` or `no`.
    pub earlier_offers: String,
    /// Modality codes ticked.
    pub modalities: Vec<String>,
    /// Time-of-day codes ticked.
    pub times: Vec<String>,
    /// Kilometres, or empty for any distance.
    pub max_km: String,
}

impl App {
    /// What the signed-in patient wants from the cancellation list (every earlier appointment
    /// until they say otherwise).
    pub async fn offer_preferences(
        &self,
        by: &Principal,
    ) -> Result<jointly_domain::offer::OfferPreferences, AppError> {
        let patient = by.patient()?;
        Ok(self
            .store
            .offer_preferences_for(&[patient])
            .await?
            .remove(&patient)
            .unwrap_or_default())
    }

    /// Records what the signed-in patient wants from the cancellation list; every problem is
    /// named by field and nothing changes unless all is well.
    pub async fn set_offer_preferences(
        &self,
        by: &Principal,
        form: &OfferPreferencesForm,
    ) -> Result<jointly_domain::offer::OfferPreferences, AppError> {
        use jointly_domain::choice::TimeOfDay;
        use jointly_domain::offer::OfferPreferences;
        use jointly_domain::slot::Modality;
        use jointly_domain::{Invalid, ValidationErrors};
        let patient = by.patient()?;
        let mut errors = ValidationErrors::new();
        let earlier_offers = match form.earlier_offers.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            "" => {
                errors.add("earlier_offers", Invalid("missing"));
                None
            }
            _ => {
                errors.add("earlier_offers", Invalid("choose"));
                None
            }
        };
        let modalities: Vec<Modality> = form
            .modalities
            .iter()
            .filter_map(|m| errors.check("modality", Modality::parse(m)))
            .collect();
        let times: Vec<TimeOfDay> = form
            .times
            .iter()
            .filter_map(|t| errors.check("time", TimeOfDay::parse(t)))
            .collect();
        let max_km = match form.max_km.trim() {
            "" | "any" => None,
            km => match km.parse::<u32>() {
                Ok(km) if (1..=OfferPreferences::MAX_KM).contains(&km) => Some(km),
                Ok(_) => {
                    errors.add("max_km", Invalid("too-high"));
                    None
                }
                Err(_) => {
                    errors.add("max_km", Invalid("choose"));
                    None
                }
            },
        };
        let Some(earlier_offers) = earlier_offers.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let preferences = OfferPreferences {
            earlier_offers,
            modalities,
            times,
            max_km,
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.set_offer_preferences(patient, &preferences, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            jointly_store::AuditAction::Update,
            "portal.offer_preferences",
            jointly_store::AuditOutcome::Allowed,
            crate::principal::Audited {
                entity: "patient",
                id: patient.as_uuid(),
                patient,
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(preferences)
    }
}
