//! FHIR R4 with the UK Core profiles: the resources Jointly serves under `/fhir`, shaped as R4
//! JSON, and their mapping to and from the domain. Pure: no IO, no HTTP. The web crate serves
//! these; the app decides who may see what.
//!
//! The types are written here, for the resources and elements this server supports, rather
//! than taken from a generated model crate: the maintained one (`fhir-model`) has no R4 (only
//! R4B, R5 and STU3) and adds minutes to every clean build on this project's 2-core machine;
//! the tests check the output with independent R4 validators instead.

pub mod bundle;
pub mod capability;
pub mod care_plan;
pub mod communication;
pub mod directory;
pub mod flag;
pub mod model;
pub mod onward;
pub mod outcome;
pub mod patient;
pub mod referral;
pub mod scheduling;
pub mod search;
pub mod task;

use jiff::Timestamp;

pub use model::{CodeableConcept, Coding, Extension, Identifier, Meta, Reference};
pub use outcome::{Issue, IssueType, OperationOutcome};

/// The FHIR version served.
pub const FHIR_VERSION: &str = "4.0.1";

/// The media type of FHIR JSON.
pub const MEDIA_TYPE: &str = "application/fhir+json";

/// UK Core profile URLs claimed in `meta.profile`.
pub mod profile {
    /// UK Core Patient.
    pub const PATIENT: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
    /// UK Core Slot.
    pub const SLOT: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Slot";
    /// UK Core Schedule.
    pub const SCHEDULE: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Schedule";
    /// UK Core Appointment.
    pub const APPOINTMENT: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment";
    /// UK Core ServiceRequest.
    pub const SERVICE_REQUEST: &str =
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest";
    /// UK Core CarePlan.
    pub const CARE_PLAN: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-CarePlan";
    /// UK Core Flag.
    pub const FLAG: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag";
    /// UK Core Communication.
    pub const COMMUNICATION: &str =
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Communication";
    /// UK Core HealthcareService.
    pub const HEALTHCARE_SERVICE: &str =
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-HealthcareService";
    /// UK Core Location.
    pub const LOCATION: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Location";
    /// UK Core Practitioner.
    pub const PRACTITIONER: &str =
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Practitioner";
    /// UK Core Task.
    pub const TASK: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Task";
    /// UK Core Questionnaire.
    pub const QUESTIONNAIRE: &str =
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Questionnaire";
}

/// Code and identifier systems.
pub mod system {
    /// NHS number.
    pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
    /// ODS organisation code.
    pub const ODS_ORGANISATION: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
    /// UK Core ethnic category (England).
    pub const ETHNIC_CATEGORY: &str =
        "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";
    /// UK Core preferred contact method.
    pub const PREFERRED_CONTACT_METHOD: &str =
        "https://fhir.hl7.org.uk/CodeSystem/UKCore-PreferredContactMethod";
    /// UK Core delivery channel.
    pub const DELIVERY_CHANNEL: &str = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeliveryChannel";
    /// BCP 47 language tags.
    pub const LANGUAGE: &str = "urn:ietf:bcp:47";
    /// SNOMED CT.
    pub const SNOMED: &str = "http://snomed.info/sct";
    /// Jointly's referral references (`JNT-…`).
    pub const REFERRAL_REFERENCE: &str = "https://jointly.example/Id/referral-reference";
    /// Jointly's own codes (services, appointment kinds, problem areas).
    pub const JOINTLY: &str = "https://jointly.example/CodeSystem";
}

/// A record's version and when it last changed: `meta.versionId`, `meta.lastUpdated` and the
/// weak ETag `W/"n"` that If-Match must quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Versioned {
    /// The version.
    pub version: i64,
    /// When it last changed.
    pub last_updated: Option<Timestamp>,
}

impl Versioned {
    /// A version.
    pub fn new(version: i64, last_updated: Option<Timestamp>) -> Self {
        Self {
            version,
            last_updated,
        }
    }

    /// `meta` with this version and `profile`.
    pub fn meta(self, profile: &str) -> Meta {
        Meta {
            version_id: Some(self.version.to_string()),
            last_updated: self.last_updated.map(instant),
            profile: vec![profile.to_owned()],
            tag: Vec::new(),
        }
    }

    /// The ETag.
    pub fn etag(self) -> String {
        format!("W/\"{}\"", self.version)
    }
}

/// The version an `If-Match` header names (`W/"3"`, `"3"` or `3`), if it names one.
pub fn if_match_version(header: &str) -> Option<i64> {
    let value = header.trim();
    let value = value.strip_prefix("W/").unwrap_or(value);
    value.trim_matches('"').parse().ok()
}

/// An instant as FHIR writes it: UTC, to the second.
pub fn instant(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The meta of a resource with no version kept (reference data), claiming `profile`.
pub fn profiled(profile: &str) -> Meta {
    Meta {
        profile: vec![profile.to_owned()],
        ..Meta::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_takes_weak_strong_and_bare_versions() {
        assert_eq!(if_match_version("W/\"3\""), Some(3));
        assert_eq!(if_match_version("\"12\""), Some(12));
        assert_eq!(if_match_version(" 7 "), Some(7));
        assert_eq!(if_match_version("W/\"x\""), None);
        assert_eq!(Versioned::new(4, None).etag(), "W/\"4\"");
    }

    #[test]
    fn instants_are_utc_seconds() {
        let at: Timestamp = "2026-12-07T09:30:15.123Z".parse().unwrap();
        assert_eq!(instant(at), "2026-12-07T09:30:15Z");
    }
}
