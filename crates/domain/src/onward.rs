//! Onward referral: a clinician refers a person on from this service to another organisation
//! (a hospital's orthopaedic or rheumatology clinic, a pain service), naming it by its ODS
//! code, what is asked for, why and how soon. The person's communication needs travel with it
//! (the FHIR ServiceRequest carries them as reasonable-adjustment flags), so the next service
//! meets them from the first letter.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::event::{Actor, DomainEvent};
use crate::ids::{OnwardReferralId, PatientId, ReferralId, StaffUserId};
use crate::intake::OdsCode;
use crate::passport::required_text;
use crate::referral::{FreeText, Priority, ReferralRecord, ReferralStatus};

/// Longest organisation name or request, in characters.
const NAME_MAX: usize = 200;

/// A referral on to another organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnwardReferral {
    /// Identifier.
    pub id: OnwardReferralId,
    /// The referral in this service it came from.
    pub referral_id: ReferralId,
    /// The person.
    pub patient_id: PatientId,
    /// The receiving organisation's ODS code.
    pub ods_code: OdsCode,
    /// Its name.
    pub organisation: String,
    /// What is asked for (for example "Orthopaedic opinion: knee replacement").
    pub request: String,
    /// Why, in the clinician's words.
    pub reason: FreeText,
    /// How soon.
    pub priority: Priority,
    /// The clinician who referred.
    pub by: StaffUserId,
    /// When.
    pub at: Timestamp,
}

/// An onward referral as entered on a form or in JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct OnwardAnswers {
    /// The receiving organisation's ODS code: 3 to 10 letters and digits.
    pub receiver_ods: String,
    /// Its name.
    pub receiver: String,
    /// What is asked for.
    pub request: String,
    /// Why.
    pub reason: String,
    /// `urgent`, `soon` or `routine`.
    pub priority: String,
}

/// Refers the person of `referral` on, as entered in `answers` by `by`. A withdrawn referral
/// cannot be referred on: the person said they no longer need care.
pub fn refer_onward(
    referral: &ReferralRecord,
    answers: &OnwardAnswers,
    by: StaffUserId,
    id: OnwardReferralId,
    now: Timestamp,
) -> Result<(OnwardReferral, DomainEvent), DomainError> {
    if referral.status == ReferralStatus::Withdrawn {
        return Err(DomainError::InvalidTransition {
            entity: "referral",
            from: ReferralStatus::Withdrawn.as_str(),
            action: "refer on",
        });
    }
    let mut errors = ValidationErrors::new();
    let ods_code = errors.check("receiver_ods", OdsCode::parse(&answers.receiver_ods));
    let organisation = errors.check("receiver", required_text(&answers.receiver, NAME_MAX));
    let request = errors.check("request", required_text(&answers.request, NAME_MAX));
    let reason = errors.check("reason", FreeText::parse(&answers.reason));
    let priority = errors.check(
        "priority",
        if answers.priority.trim().is_empty() {
            Err(Invalid("missing"))
        } else {
            Priority::parse(answers.priority.trim())
        },
    );
    let onward = errors.into_result(|| {
        Some(OnwardReferral {
            id,
            referral_id: referral.id,
            patient_id: referral.patient_id,
            ods_code: ods_code?,
            organisation: organisation?,
            request: request?,
            reason: reason?,
            priority: priority?,
            by,
            at: now,
        })
    })?;
    let event = DomainEvent::ReferredOnward {
        onward_referral_id: onward.id,
        referral_id: onward.referral_id,
        patient_id: onward.patient_id,
        by: Actor::Staff(by),
        at: now,
    };
    Ok((onward, event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referral::{NewReferral, ProblemArea, Referral, ReferralReference, ReferralSource};

    fn record(status: ReferralStatus) -> ReferralRecord {
        let new = NewReferral::basic(
            PatientId::new(),
            ReferralSource::SelfReferral,
            ProblemArea::Knee,
            FreeText::parse("Sore knee").unwrap(),
        );
        let (referral, _) = Referral::receive(
            new,
            ReferralId::new(),
            ReferralReference::from_random(7),
            Actor::System,
            Timestamp::UNIX_EPOCH,
        );
        ReferralRecord {
            status,
            ..referral.record().clone()
        }
    }

    fn answers() -> OnwardAnswers {
        OnwardAnswers {
            receiver_ods: "rc9".into(),
            receiver: "Bedfordshire Hospitals".into(),
            request: "Orthopaedic opinion: knee replacement".into(),
            reason: "Severe osteoarthritis; conservative care exhausted.".into(),
            priority: "routine".into(),
        }
    }

    #[test]
    fn a_referral_goes_on_with_its_person_and_an_event() {
        let referral = record(ReferralStatus::Discharged);
        let by = StaffUserId::new();
        let now = Timestamp::UNIX_EPOCH;
        let (onward, event) =
            refer_onward(&referral, &answers(), by, OnwardReferralId::new(), now).unwrap();
        assert_eq!(onward.ods_code.as_str(), "RC9");
        assert_eq!(onward.patient_id, referral.patient_id);
        assert_eq!(event.kind(), "referred_onward");
        assert_eq!(event.patient_id(), Some(referral.patient_id));
        assert_eq!(event.actor(), Actor::Staff(by));
    }

    #[test]
    fn every_problem_is_named_and_withdrawn_referrals_stay_put() {
        let referral = record(ReferralStatus::Waiting);
        let blank = OnwardAnswers::default();
        let Err(DomainError::Invalid(errors)) = refer_onward(
            &referral,
            &blank,
            StaffUserId::new(),
            OnwardReferralId::new(),
            Timestamp::UNIX_EPOCH,
        ) else {
            panic!("blank answers refused")
        };
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(
            fields,
            ["receiver_ods", "receiver", "request", "reason", "priority"]
        );
        let withdrawn = record(ReferralStatus::Withdrawn);
        assert!(matches!(
            refer_onward(
                &withdrawn,
                &answers(),
                StaffUserId::new(),
                OnwardReferralId::new(),
                Timestamp::UNIX_EPOCH
            ),
            Err(DomainError::InvalidTransition { .. })
        ));
    }
}
