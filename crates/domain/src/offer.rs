//! The cancellation list: when an appointment is cancelled, the freed slot is offered to people
//! waiting for the same service, most clinically urgent first and then longest waiting; the
//! first to take it gets it, and the others are told it has gone.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::choice::TimeOfDay;
use crate::clock::local;
use crate::error::Invalid;
use crate::ids::{OfferId, PatientId, ReferralId, SlotId};
use crate::referral::{Priority, Referral, ReferralStatus};
use crate::slot::{MINIMUM_NOTICE, Modality, Slot};

/// How many people one freed slot is offered to at once.
pub const OFFERS_PER_SLOT: usize = 3;

/// How long an offer stands at most.
pub const OFFER_LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// Where an offer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferStatus {
    /// Sent; waiting for an answer.
    Offered,
    /// Taken: this person booked the slot.
    Accepted,
    /// Someone else took the slot first, or it was no longer free.
    Gone,
}

impl OfferStatus {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Gone => "gone",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        [Self::Offered, Self::Accepted, Self::Gone]
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// A freed slot offered to one person for one referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotOffer {
    /// Identifier.
    pub id: OfferId,
    /// The slot.
    pub slot_id: SlotId,
    /// The referral it would be booked for.
    pub referral_id: ReferralId,
    /// The person.
    pub patient_id: PatientId,
    /// Where it is.
    pub status: OfferStatus,
    /// When it stops standing.
    pub expires_at: Timestamp,
    /// When it was made.
    pub created_at: Timestamp,
}

impl SlotOffer {
    /// True while the person can still take it.
    pub fn is_open(&self, now: Timestamp) -> bool {
        self.status == OfferStatus::Offered && now < self.expires_at
    }
}

/// When an offer of `slot` made at `now` stops standing: a day, or earlier so that whoever
/// takes it still has the usual notice. `None` when there is no time left to offer it.
pub fn offer_expiry(slot: &Slot, now: Timestamp) -> Option<Timestamp> {
    let last_chance = slot.start.checked_sub(MINIMUM_NOTICE).ok()?;
    let expiry = now.checked_add(OFFER_LIFETIME).ok()?.min(last_chance);
    (expiry > now).then_some(expiry)
}

/// The referrals a freed `slot` is offered to, from those `waiting`: in the slot's service,
/// waiting to book, not `except` (the referral whose appointment was cancelled), most urgent
/// priority first and then the longest waiting, at most [`OFFERS_PER_SLOT`].
pub fn choose_recipients<'a>(
    slot: &Slot,
    waiting: &'a [Referral],
    except: ReferralId,
    wants: impl Fn(&Referral) -> bool,
) -> Vec<&'a Referral> {
    let rank = |p: Option<Priority>| match p {
        Some(Priority::Urgent) => 0,
        Some(Priority::Soon) => 1,
        Some(Priority::Routine) | None => 2,
    };
    let mut chosen: Vec<&Referral> = waiting
        .iter()
        .filter(|r| {
            r.id != except
                && r.status == ReferralStatus::Waiting
                && r.service_id == Some(slot.service_id)
                && slot.kind.fits(r.attended)
                && wants(r)
        })
        .collect();
    chosen.sort_by_key(|r| {
        (
            rank(r.priority),
            r.triaged_at.unwrap_or(r.received_at),
            r.id,
        )
    });
    // One offer per person, whatever number of referrals they have waiting.
    let mut people = std::collections::HashSet::new();
    chosen.retain(|r| people.insert(r.patient_id));
    chosen.truncate(OFFERS_PER_SLOT);
    chosen
}

/// What a person waiting wants from the cancellation list: whether to be offered earlier
/// appointments at all, and which (how, when, how far from home).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferPreferences {
    /// Offer me earlier appointments when they come free.
    pub earlier_offers: bool,
    /// Only these ways of being seen (empty for any).
    pub modalities: Vec<Modality>,
    /// Only at these times (empty for any).
    pub times: Vec<TimeOfDay>,
    /// In person, only this far from home, in kilometres.
    pub max_km: Option<u32>,
}

impl Default for OfferPreferences {
    /// Every earlier appointment is offered.
    fn default() -> Self {
        Self {
            earlier_offers: true,
            modalities: Vec::new(),
            times: Vec::new(),
            max_km: None,
        }
    }
}

impl OfferPreferences {
    /// The furthest distance a person may set, in kilometres.
    pub const MAX_KM: u32 = 200;

    /// Whether a freed `slot`, `distance_km` from the person's home (when known), is one they
    /// want offered. A distance limit they set counts only for appointments in person, and an
    /// unknown distance does not rule a slot out.
    pub fn wants(&self, slot: &Slot, distance_km: Option<f64>) -> bool {
        let in_person = matches!(slot.modality, Modality::FaceToFace | Modality::Group);
        self.earlier_offers
            && (self.modalities.is_empty() || self.modalities.contains(&slot.modality))
            && (self.times.is_empty() || self.times.iter().any(|t| t.includes(local(slot.start))))
            && !(in_person
                && matches!((self.max_km, distance_km), (Some(max), Some(km)) if km > f64::from(max)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::event::Actor;
    use crate::ids::{ClinicianId, LocationId, ServiceId};
    use crate::referral::{
        FreeText, NewReferral, ProblemArea, ReferralReference, ReferralSource, TriageDecision,
    };
    use crate::slot::{Modality, SlotStatus};

    fn now() -> Timestamp {
        "2026-11-23T09:00:00Z".parse().unwrap()
    }

    fn slot(service_id: ServiceId, hours: i64) -> Slot {
        let start = now() + SignedDuration::from_hours(hours);
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

    fn waiting(service_id: ServiceId, priority: Priority, days_ago: i64) -> Referral {
        let at = now() - SignedDuration::from_hours(24 * days_ago);
        let (mut referral, _) = Referral::receive(
            NewReferral::basic(
                PatientId::new(),
                ReferralSource::SelfReferral,
                ProblemArea::Knee,
                FreeText::parse("knee").unwrap(),
            ),
            ReferralId::new(),
            ReferralReference::from_random(7),
            Actor::System,
            at,
        );
        let decision = TriageDecision {
            service_id,
            service_kind: crate::service::ServiceKind::Physiotherapy,
            priority,
            note: None,
            ready_for_surgery: None,
        };
        referral.accept(decision, Actor::System, at).unwrap();
        referral
    }

    #[test]
    fn preferences_say_which_freed_slots_to_offer() {
        let service = ServiceId::new();
        let evening = {
            let mut s = slot(service, 24);
            s.start = "2026-11-24T18:00:00Z".parse().unwrap();
            s.end = s.start + SignedDuration::from_mins(30);
            s
        };
        let any = OfferPreferences::default();
        assert!(any.wants(&evening, Some(80.0)));
        let none = OfferPreferences {
            earlier_offers: false,
            ..any.clone()
        };
        assert!(!none.wants(&evening, None));
        let mornings = OfferPreferences {
            times: vec![TimeOfDay::Morning],
            ..any.clone()
        };
        assert!(!mornings.wants(&evening, None));
        let near = OfferPreferences {
            max_km: Some(10),
            ..any.clone()
        };
        assert!(!near.wants(&evening, Some(12.0)));
        assert!(near.wants(&evening, Some(8.0)));
        assert!(
            near.wants(&evening, None),
            "an unknown distance does not rule it out"
        );
        let video = OfferPreferences {
            modalities: vec![Modality::Video],
            ..any
        };
        assert!(!video.wants(&evening, None), "in person");
    }

    #[test]
    fn urgent_first_then_longest_waiting_and_never_the_canceller() {
        let service = ServiceId::new();
        let freed = slot(service, 72);
        let cancelled = waiting(service, Priority::Urgent, 90);
        let list = vec![
            waiting(service, Priority::Routine, 60),
            waiting(service, Priority::Urgent, 2),
            waiting(ServiceId::new(), Priority::Urgent, 100),
            waiting(service, Priority::Soon, 10),
            waiting(service, Priority::Routine, 80),
            cancelled.clone(),
        ];
        let chosen = choose_recipients(&freed, &list, cancelled.id, |_| true);
        let order: Vec<(Option<Priority>, ReferralId)> =
            chosen.iter().map(|r| (r.priority, r.id)).collect();
        assert_eq!(
            order,
            vec![
                (Some(Priority::Urgent), list[1].id),
                (Some(Priority::Soon), list[3].id),
                (Some(Priority::Routine), list[4].id),
            ]
        );
    }

    #[test]
    fn an_offer_stands_a_day_or_until_the_notice_runs_out() {
        let service = ServiceId::new();
        assert_eq!(
            offer_expiry(&slot(service, 72), now()),
            Some(now() + OFFER_LIFETIME)
        );
        let soon = slot(service, 20);
        assert_eq!(
            offer_expiry(&soon, now()),
            Some(soon.start - MINIMUM_NOTICE)
        );
        assert_eq!(
            offer_expiry(&slot(service, 1), now()),
            None,
            "too late to offer"
        );
    }
}
