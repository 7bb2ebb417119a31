//! `Patient` (UK Core): the person, identified by their NHS number, with how to reach them.
//! Out of the domain's [`Patient`]; in as the same answers a referral form gives, so the same
//! checks apply and every problem is named at its FHIRPath.

use jointly_domain::contact::ContactChannel;
use jointly_domain::intake::{DateParts, PersonAnswers};
use jointly_domain::patient::Patient as Person;
use serde::{Deserialize, Serialize};

use crate::model::{
    Address, CodeableConcept, Coding, ContactPoint, Extension, HumanName, Identifier, Meta,
    Narrative, PatientType, Reference,
};
use crate::{Versioned, profile, system};

/// UK Core's ethnic category extension.
pub const ETHNIC_CATEGORY: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";
/// UK Core's contact preference extension (its `PreferredContactMethod` part is used).
pub const CONTACT_PREFERENCE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ContactPreference";

/// `Patient.communication`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientCommunication {
    /// The language (BCP 47).
    pub language: CodeableConcept,
    /// Whether it is their preferred one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<bool>,
}

/// A `Patient` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patient {
    /// Always `Patient`.
    pub resource_type: PatientType,
    /// Logical id (absent on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Version and profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Narrative, accepted and not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// Ethnic category and contact preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The NHS number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// Whether the record is in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<HumanName>,
    /// Telephone and email.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// `male`, `female`, `other`, `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Home address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    /// Languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communication: Vec<PatientCommunication>,
    /// Their GP practice, accepted and not kept (the referral names it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub general_practitioner: Vec<Reference>,
}

fn contact_method(channel: ContactChannel) -> (&'static str, &'static str) {
    match channel {
        ContactChannel::Letter => ("1", "Letter"),
        ContactChannel::Telephone => ("3", "Telephone"),
        ContactChannel::Email => ("4", "E-mail"),
        ContactChannel::Sms => ("9", "SMS"),
    }
}

fn channel_code(method: &str) -> Option<&'static str> {
    match method {
        "1" => Some("letter"),
        "3" => Some("telephone"),
        "4" => Some("email"),
        "9" => Some("sms"),
        _ => None,
    }
}

/// The resource for `person`.
pub fn patient(person: &Person, version: Versioned) -> Patient {
    let mut extension = Vec::new();
    if let Some(ethnicity) = person.ethnicity {
        extension.push(Extension::coded(
            ETHNIC_CATEGORY,
            Coding::new(system::ETHNIC_CATEGORY, &ethnicity.code().to_string(), ""),
        ));
    }
    let (code, display) = contact_method(person.preferred_contact);
    extension.push(Extension {
        url: CONTACT_PREFERENCE.to_owned(),
        extension: vec![Extension::coded(
            "PreferredContactMethod",
            Coding::new(system::PREFERRED_CONTACT_METHOD, code, display),
        )],
        ..Extension::default()
    });
    let mut telecom = Vec::new();
    if let Some(phone) = &person.phone {
        telecom.push(ContactPoint {
            system: Some("phone".into()),
            value: Some(phone.as_str().to_owned()),
            use_: Some(if phone.is_mobile() { "mobile" } else { "home" }.into()),
            rank: None,
        });
    }
    if let Some(email) = &person.email {
        telecom.push(ContactPoint {
            system: Some("email".into()),
            value: Some(email.as_str().to_owned()),
            use_: Some("home".into()),
            rank: None,
        });
    }
    let mut line = Vec::new();
    let mut city = None;
    if let Some(address) = &person.address {
        line.push(address.line1.clone());
        line.extend(address.line2.clone());
        city = Some(address.town.clone());
    }
    Patient {
        id: Some(person.id.to_string()),
        meta: Some(version.meta(profile::PATIENT)),
        extension,
        identifier: person
            .nhs_number
            .iter()
            .map(|n| Identifier::new(system::NHS_NUMBER, &n.as_digits()))
            .collect(),
        active: Some(true),
        name: vec![HumanName {
            use_: Some("official".into()),
            family: Some(person.name.family.as_str().to_owned()),
            given: vec![person.name.given.as_str().to_owned()],
            ..HumanName::default()
        }],
        telecom,
        gender: Some(person.sex.as_str().to_owned()),
        birth_date: Some(person.date_of_birth.to_string()),
        address: vec![Address {
            use_: Some("home".into()),
            line,
            city,
            postal_code: Some(person.postcode.as_str().to_owned()),
            ..Address::default()
        }],
        communication: vec![PatientCommunication {
            language: CodeableConcept::of(Coding::new(
                system::LANGUAGE,
                person.preferred_language.code(),
                "",
            )),
            preferred: Some(true),
        }],
        ..Patient::default()
    }
}

/// Where each of the person's details sits in a `Patient`, for naming problems.
pub fn expression(field: &str) -> &'static str {
    match field {
        "given_name" => "Patient.name[0].given[0]",
        "family_name" => "Patient.name[0].family",
        "date_of_birth" => "Patient.birthDate",
        "nhs_number" => {
            "Patient.identifier.where(system='https://fhir.nhs.uk/Id/nhs-number').value"
        }
        "sex" => "Patient.gender",
        "ethnicity" => {
            "Patient.extension('https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory')"
        }
        "preferred_language" => "Patient.communication.language",
        "phone" => "Patient.telecom.where(system='phone').value",
        "email" => "Patient.telecom.where(system='email').value",
        "address_line1" => "Patient.address[0].line[0]",
        "town" => "Patient.address[0].city",
        "postcode" => "Patient.address[0].postalCode",
        "preferred_contact" => {
            "Patient.extension('https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ContactPreference')"
        }
        _ => "Patient",
    }
}

impl Patient {
    /// The details as a referral form would give them, for the domain's checks. The way to
    /// contact them is the contact preference when given, otherwise the first of text message
    /// (a mobile), email, letter (an address) and telephone that the details allow.
    pub fn answers(&self) -> PersonAnswers {
        let name = self
            .name
            .iter()
            .find(|n| n.use_.as_deref() == Some("official"))
            .or_else(|| self.name.first());
        let phones: Vec<&ContactPoint> = self
            .telecom
            .iter()
            .filter(|t| t.system.as_deref() == Some("phone"))
            .collect();
        let phone = phones
            .iter()
            .find(|t| t.use_.as_deref() == Some("mobile"))
            .or(phones.first())
            .and_then(|t| t.value.clone())
            .unwrap_or_default();
        let email = self
            .telecom
            .iter()
            .find(|t| t.system.as_deref() == Some("email"))
            .and_then(|t| t.value.clone())
            .unwrap_or_default();
        let address = self
            .address
            .iter()
            .find(|a| a.use_.as_deref() == Some("home"))
            .or_else(|| self.address.first());
        let language = self
            .communication
            .iter()
            .find(|c| c.preferred == Some(true))
            .or_else(|| self.communication.first())
            .and_then(|c| c.language.coding.first())
            .and_then(|c| c.code.as_deref())
            .map(|code| code.split('-').next().unwrap_or(code).to_owned())
            .unwrap_or_default();
        let preferred_contact = Extension::find(&self.extension, CONTACT_PREFERENCE)
            .and_then(|e| Extension::find(&e.extension, "PreferredContactMethod"))
            .and_then(Extension::code)
            .map(|code| channel_code(code).unwrap_or("unknown").to_owned());
        let line = |i: usize| {
            address
                .and_then(|a| a.line.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let mut answers = PersonAnswers {
            given_name: name.map(|n| n.given.join(" ")).unwrap_or_default(),
            family_name: name.and_then(|n| n.family.clone()).unwrap_or_default(),
            date_of_birth: DateParts::from_iso(self.birth_date.as_deref().unwrap_or("")),
            nhs_number: self
                .identifier
                .iter()
                .find(|i| i.system.as_deref() == Some(system::NHS_NUMBER))
                .and_then(|i| i.value.clone())
                .unwrap_or_default(),
            sex: self.gender.clone().unwrap_or_default(),
            ethnicity: Extension::find(&self.extension, ETHNIC_CATEGORY)
                .and_then(Extension::code)
                .unwrap_or_default()
                .to_owned(),
            preferred_language: language,
            phone,
            email,
            address_line1: line(0),
            address_line2: address
                .map(|a| {
                    a.line
                        .iter()
                        .skip(1)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            town: address.and_then(|a| a.city.clone()).unwrap_or_default(),
            postcode: address
                .and_then(|a| a.postal_code.clone())
                .unwrap_or_default(),
            preferred_contact: String::new(),
        };
        answers.preferred_contact = preferred_contact.unwrap_or_else(|| {
            let mobile = phones.iter().any(|t| t.use_.as_deref() == Some("mobile"))
                || answers.phone.trim_start().starts_with("07")
                || answers.phone.trim_start().starts_with("+447");
            if mobile {
                "sms"
            } else if !answers.email.is_empty() {
                "email"
            } else if !answers.address_line1.is_empty() {
                "letter"
            } else {
                "telephone"
            }
            .to_owned()
        });
        answers
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use jointly_domain::PatientId;
    use jointly_domain::intake::parse_person;

    use super::*;

    fn sample() -> serde_json::Value {
        serde_json::json!({
            "resourceType": "Patient",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
            "name": [{"use": "official", "family": "Kowalska", "given": ["Anna", "Maria"]}],
            "gender": "female",
            "birthDate": "1961-04-12",
            "telecom": [{"system": "phone", "value": "07700 900123", "use": "mobile"}],
            "address": [{"use": "home", "line": ["1 High Street", "Flat 2"], "city": "Luton", "postalCode": "LU1 2AB"}],
            "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "pl"}]}, "preferred": true}]
        })
    }

    #[test]
    fn a_patient_goes_in_and_comes_out_the_same() {
        let resource: Patient = serde_json::from_value(sample()).unwrap();
        let answers = resource.answers();
        assert_eq!(
            answers.preferred_contact, "sms",
            "a mobile number means text messages"
        );
        assert_eq!(answers.address_line2, "Flat 2");
        let person = parse_person(&answers, PatientId::new(), date(2026, 12, 7)).unwrap();
        assert_eq!(person.preferred_language.code(), "pl");
        let out = patient(&person, Versioned::new(1, None));
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(json["identifier"][0]["value"], "9434765919");
        assert_eq!(json["name"][0]["given"][0], "Anna Maria");
        assert_eq!(json["birthDate"], "1961-04-12");
        assert_eq!(json["meta"]["versionId"], "1");
        assert_eq!(
            json["extension"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"],
            "9"
        );
        let back: Patient = serde_json::from_value(json).unwrap();
        assert_eq!(back.answers().preferred_contact, "sms");
    }

    #[test]
    fn a_wrong_resource_type_or_element_is_named() {
        let mut wrong = sample();
        wrong["resourceType"] = "Practitioner".into();
        let error = serde_json::from_value::<Patient>(wrong).unwrap_err();
        assert!(error.to_string().contains("expected `Patient`"), "{error}");
        let mut unknown = sample();
        unknown["maritalStatus"] = serde_json::json!({"text": "M"});
        let error = serde_json::from_value::<Patient>(unknown).unwrap_err();
        assert!(error.to_string().contains("maritalStatus"), "{error}");
    }

    #[test]
    fn a_contact_preference_is_followed() {
        let mut json = sample();
        json["extension"] = serde_json::json!([{
            "url": CONTACT_PREFERENCE,
            "extension": [{"url": "PreferredContactMethod", "valueCodeableConcept": {"coding": [{"system": system::PREFERRED_CONTACT_METHOD, "code": "1"}]}}]
        }]);
        let resource: Patient = serde_json::from_value(json).unwrap();
        assert_eq!(resource.answers().preferred_contact, "letter");
    }
}
