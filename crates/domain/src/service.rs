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
}
