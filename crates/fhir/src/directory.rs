//! The service directory as FHIR: `HealthcareService` (each service that accepts referrals),
//! `Location` (clinic sites, with the access details people ask about) and `Practitioner`
//! (clinicians, whose diaries are the Schedules). Reference data: no person's record.

use jointly_domain::clinician::Clinician;
use jointly_domain::location::Location as Site;
use jointly_domain::service::Service;
use serde::Serialize;

use crate::model::{
    Address, CodeableConcept, Coding, HealthcareServiceType, HumanName, LocationType, Meta,
    PractitionerType,
};
use crate::{profile, profiled, system};

/// A stable code as words: `first_contact_practitioner` → "First contact practitioner".
pub fn words(code: &str) -> String {
    let spaced = code.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A `HealthcareService` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthcareService {
    /// Always `HealthcareService`.
    pub resource_type: HealthcareServiceType,
    /// The service's id.
    pub id: String,
    /// Profile.
    pub meta: Meta,
    /// Always true: services listed take referrals.
    pub active: bool,
    /// Its kind (physiotherapy, pain, …).
    pub category: Vec<CodeableConcept>,
    /// Its code, as Slots and Schedules name it.
    #[serde(rename = "type")]
    pub type_: Vec<CodeableConcept>,
    /// Its name.
    pub name: String,
    /// How referrals arrive: electronically, by phone, by the person themselves.
    pub referral_method: Vec<CodeableConcept>,
    /// Every first visit is booked.
    pub appointment_required: bool,
}

/// The resource for `service`.
pub fn healthcare_service(service: &Service) -> HealthcareService {
    let referral_method = [
        ("elec", "Referral"),
        ("phone", "Phone"),
        ("other", "Self-referral"),
    ]
    .into_iter()
    .map(|(code, display)| {
        CodeableConcept::of(Coding::new(
            "http://terminology.hl7.org/CodeSystem/service-referral-method",
            code,
            display,
        ))
    })
    .collect();
    HealthcareService {
        resource_type: HealthcareServiceType,
        id: service.id.to_string(),
        meta: profiled(profile::HEALTHCARE_SERVICE),
        active: true,
        category: vec![CodeableConcept::of(Coding::new(
            &format!("{}/service-kind", system::JOINTLY),
            service.kind.as_str(),
            &words(service.kind.as_str()),
        ))],
        type_: vec![CodeableConcept::of(Coding::new(
            &format!("{}/service", system::JOINTLY),
            &service.code,
            &service.name,
        ))],
        name: service.name.clone(),
        referral_method,
        appointment_required: true,
    }
}

/// A position in WGS84.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Position {
    /// Degrees east.
    pub longitude: f64,
    /// Degrees north.
    pub latitude: f64,
}

/// A `Location` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// Always `Location`.
    pub resource_type: LocationType,
    /// The site's id.
    pub id: String,
    /// Profile.
    pub meta: Meta,
    /// `active`.
    pub status: &'static str,
    /// Its name.
    pub name: String,
    /// Access, parking and travel, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `instance`: one building.
    pub mode: &'static str,
    /// Where it is.
    pub address: Address,
    /// Where it is on a map.
    pub position: Position,
    /// When it is open, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_exceptions: Option<String>,
}

/// The resource for `site`.
pub fn location(site: &Site) -> Location {
    let details = &site.details;
    let access: Vec<String> = [
        (
            site.step_free,
            "Step-free access from the street to the clinic rooms.",
        ),
        (
            details.hearing_loop,
            "Hearing loop at reception and in clinic rooms.",
        ),
        (
            details.blue_badge_parking,
            "Blue Badge parking near the entrance.",
        ),
    ]
    .into_iter()
    .filter(|(has, _)| *has)
    .map(|(_, words)| words.to_owned())
    .chain(
        [&details.parking, &details.transport]
            .into_iter()
            .filter(|text| !text.trim().is_empty())
            .cloned(),
    )
    .collect();
    Location {
        resource_type: LocationType,
        id: site.id.to_string(),
        meta: profiled(profile::LOCATION),
        status: "active",
        name: site.name.clone(),
        description: (!access.is_empty()).then(|| access.join(" ")),
        mode: "instance",
        address: Address {
            use_: Some("work".into()),
            type_: Some("physical".into()),
            line: vec![site.address.clone()],
            city: Some(site.town.clone()),
            postal_code: Some(site.postcode.to_string()),
            country: Some("GB".into()),
            ..Address::default()
        },
        position: Position {
            longitude: site.longitude,
            latitude: site.latitude,
        },
        availability_exceptions: Some(details.opening_hours.clone())
            .filter(|hours| !hours.trim().is_empty()),
    }
}

/// A qualification: the clinician's role.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Qualification {
    /// The role.
    pub code: CodeableConcept,
}

/// A `Practitioner` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Practitioner {
    /// Always `Practitioner`.
    pub resource_type: PractitionerType,
    /// The clinician's id (also their Schedule's id).
    pub id: String,
    /// Profile.
    pub meta: Meta,
    /// Always true: clinicians listed hold diaries.
    pub active: bool,
    /// Name.
    pub name: Vec<HumanName>,
    /// Their role.
    pub qualification: Vec<Qualification>,
}

/// The resource for `clinician`.
pub fn practitioner(clinician: &Clinician) -> Practitioner {
    Practitioner {
        resource_type: PractitionerType,
        id: clinician.id.to_string(),
        meta: profiled(profile::PRACTITIONER),
        active: true,
        name: vec![HumanName {
            use_: Some("official".into()),
            family: Some(clinician.name.family.to_string()),
            given: vec![clinician.name.given.to_string()],
            ..HumanName::default()
        }],
        qualification: vec![Qualification {
            code: CodeableConcept::of(Coding::new(
                &format!("{}/clinical-role", system::JOINTLY),
                clinician.role.as_str(),
                &words(clinician.role.as_str()),
            )),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words() {
        assert_eq!(
            words("first_contact_practitioner"),
            "First contact practitioner"
        );
        assert_eq!(words("pain"), "Pain");
        assert_eq!(words(""), "");
    }
}
