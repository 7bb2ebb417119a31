//! Clinicians: who a patient will see, described by their professional role.

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::{ClinicianId, ServiceId};
use crate::patient::PersonName;

/// A clinician's professional role, as patients are told it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClinicalRole {
    /// Physiotherapist.
    Physiotherapist,
    /// First contact practitioner.
    FirstContactPractitioner,
    /// Advanced practice physiotherapist.
    AdvancedPractitioner,
    /// Pain specialist.
    PainSpecialist,
    /// Rheumatologist.
    Rheumatologist,
    /// Orthopaedic surgeon.
    OrthopaedicSurgeon,
    /// Podiatrist.
    Podiatrist,
}

impl ClinicalRole {
    /// Every role.
    pub const ALL: [ClinicalRole; 7] = [
        Self::Physiotherapist,
        Self::FirstContactPractitioner,
        Self::AdvancedPractitioner,
        Self::PainSpecialist,
        Self::Rheumatologist,
        Self::OrthopaedicSurgeon,
        Self::Podiatrist,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physiotherapist => "physiotherapist",
            Self::FirstContactPractitioner => "first_contact_practitioner",
            Self::AdvancedPractitioner => "advanced_practitioner",
            Self::PainSpecialist => "pain_specialist",
            Self::Rheumatologist => "rheumatologist",
            Self::OrthopaedicSurgeon => "orthopaedic_surgeon",
            Self::Podiatrist => "podiatrist",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// A clinician who works in one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinician {
    /// Identifier.
    pub id: ClinicianId,
    /// Name.
    pub name: PersonName,
    /// Professional role.
    pub role: ClinicalRole,
    /// The service they work in.
    pub service_id: ServiceId,
    /// What they specialise in (for example "spinal", "hand therapy"), shown with their rota.
    pub skills: Vec<String>,
}
