//! The clinical services of the integrated MSK pathway that referrals are routed to.

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::ServiceId;

/// The kind of service, which decides who works in it and what it offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Community physiotherapy.
    Physiotherapy,
    /// Specialist MSK interface service (advanced practitioners, assessment and diagnostics).
    SpecialistMsk,
    /// Persistent pain service.
    Pain,
    /// Rheumatology.
    Rheumatology,
    /// Orthopaedics (surgical opinion).
    Orthopaedics,
    /// Podiatry and foot health.
    Podiatry,
}

impl ServiceKind {
    /// Every kind.
    pub const ALL: [ServiceKind; 6] = [
        Self::Physiotherapy,
        Self::SpecialistMsk,
        Self::Pain,
        Self::Rheumatology,
        Self::Orthopaedics,
        Self::Podiatry,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physiotherapy => "physiotherapy",
            Self::SpecialistMsk => "specialist_msk",
            Self::Pain => "pain",
            Self::Rheumatology => "rheumatology",
            Self::Orthopaedics => "orthopaedics",
            Self::Podiatry => "podiatry",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// A service that accepts referrals and runs clinics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Identifier.
    pub id: ServiceId,
    /// Short code, unique, for example `PHYSIO-BED`.
    pub code: String,
    /// Name shown to patients and staff.
    pub name: String,
    /// Kind of service.
    pub kind: ServiceKind,
    /// How the service runs its clinics: open access after discharge, missed appointments.
    pub rules: ServiceRules,
}

/// Rules each service sets for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRules {
    /// Days after discharge in which a patient may book again directly, without a new
    /// referral (patient-initiated follow-up); 0 for none.
    pub open_access_days: u32,
    /// Missed appointments (did not attend, without warning) after which the referral is
    /// discharged back to the patient and their GP; before that, the patient is asked to book
    /// again. 0 never discharges for missed appointments.
    pub discharge_after_missed: u32,
}

impl Default for ServiceRules {
    /// Six months of open access; discharged after the second missed appointment.
    fn default() -> Self {
        Self {
            open_access_days: 182,
            discharge_after_missed: 2,
        }
    }
}

impl ServiceRules {
    /// The most days of open access a service may offer: two years.
    pub const MAX_OPEN_ACCESS_DAYS: u32 = 730;

    /// Checks the rules are within sensible bounds.
    pub fn new(open_access_days: u32, discharge_after_missed: u32) -> Result<Self, Invalid> {
        if open_access_days > Self::MAX_OPEN_ACCESS_DAYS {
            return Err(Invalid("too-high"));
        }
        if discharge_after_missed > 10 {
            return Err(Invalid("too-high"));
        }
        Ok(Self {
            open_access_days,
            discharge_after_missed,
        })
    }
}
