//! Intake: the details every route into the service collects about the person (whoever
//! enters them), about a carer referring for someone, and about a referring professional; the
//! rules that turn them into records, naming every field that needs fixing; and how a new
//! referral is matched to a person we already know.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::OrganisationId;
use crate::ids::PatientId;
use crate::nhs_number::NhsNumber;
use crate::patient::{
    EthnicCategory, Language, NamePart, Patient, PersonName, Sex, parse_date_of_birth,
};
use crate::referral::FreeText;

/// A date as entered in three boxes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateParts {
    /// Day of the month.
    pub day: String,
    /// Month number.
    pub month: String,
    /// Four-digit year.
    pub year: String,
}

impl DateParts {
    /// Splits an ISO date ("1968-04-12") into parts; anything else becomes a value that fails
    /// validation with `not-a-date`.
    pub fn from_iso(input: &str) -> Self {
        let mut parts = input.trim().splitn(3, '-');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(year), Some(month), Some(day)) if year.len() == 4 => Self {
                day: day.to_owned(),
                month: month.to_owned(),
                year: year.to_owned(),
            },
            _ if input.trim().is_empty() => Self::default(),
            _ => Self {
                day: "x".into(),
                month: "x".into(),
                year: "x".into(),
            },
        }
    }
}

/// A person's details, exactly as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonAnswers {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: DateParts,
    /// NHS number, optional.
    pub nhs_number: String,
    /// Sex code, or `unknown` for "prefer not to say".
    pub sex: String,
    /// Ethnic category code, optional.
    pub ethnicity: String,
    /// Preferred language code; blank means English.
    pub preferred_language: String,
    /// Telephone number, optional unless phone or text is preferred.
    pub phone: String,
    /// Email, optional unless email is preferred.
    pub email: String,
    /// Address line 1, optional unless letters are preferred.
    pub address_line1: String,
    /// Address line 2, optional.
    pub address_line2: String,
    /// Town, optional unless letters are preferred.
    pub town: String,
    /// Postcode.
    pub postcode: String,
    /// Preferred contact channel code.
    pub preferred_contact: String,
}

fn optional<T>(
    input: &str,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Result<Option<T>, Invalid> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

/// Checks every detail and returns either the person or every problem found, each naming its
/// field. `patient_id` is used if the person is new.
pub fn parse_person(
    answers: &PersonAnswers,
    patient_id: PatientId,
    today: Date,
) -> Result<Patient, DomainError> {
    let mut errors = ValidationErrors::new();
    let given = errors.check("given_name", NamePart::parse(&answers.given_name));
    let family = errors.check("family_name", NamePart::parse(&answers.family_name));
    let dob = answers.date_of_birth.clone();
    let date_of_birth = errors.check(
        "date_of_birth",
        parse_date_of_birth(&dob.year, &dob.month, &dob.day, today),
    );
    let nhs_number = errors.check(
        "nhs_number",
        optional(&answers.nhs_number, NhsNumber::parse),
    );
    let sex = errors.check("sex", Sex::parse(answers.sex.trim()));
    let ethnicity = errors.check(
        "ethnicity",
        optional(&answers.ethnicity, EthnicCategory::parse),
    );
    let language = errors.check(
        "preferred_language",
        optional(&answers.preferred_language, Language::parse)
            .map(|l| l.unwrap_or(Language::ENGLISH)),
    );
    let channel = errors.check(
        "preferred_contact",
        ContactChannel::parse(answers.preferred_contact.trim()),
    );

    let phone_required = matches!(
        channel,
        Some(ContactChannel::Sms | ContactChannel::Telephone)
    );
    let phone = errors.check(
        "phone",
        match optional(&answers.phone, PhoneNumber::parse) {
            Ok(None) if phone_required => Err(Invalid("missing")),
            Ok(Some(p)) if channel == Some(ContactChannel::Sms) && !p.is_mobile() => {
                Err(Invalid("not-mobile"))
            }
            other => other,
        },
    );
    let email = errors.check(
        "email",
        match optional(&answers.email, EmailAddress::parse) {
            Ok(None) if channel == Some(ContactChannel::Email) => Err(Invalid("missing")),
            other => other,
        },
    );
    let letters = channel == Some(ContactChannel::Letter);
    let line1 = answers.address_line1.trim();
    let town = answers.town.trim();
    if letters && line1.is_empty() {
        errors.add("address_line1", Invalid("missing"));
    }
    if line1.chars().count() > 200 || answers.address_line2.trim().chars().count() > 200 {
        errors.add("address_line1", Invalid("too-long"));
    }
    if letters && town.is_empty() {
        errors.add("town", Invalid("missing"));
    }
    let postcode = errors.check("postcode", Postcode::parse(&answers.postcode));
    let address = (!line1.is_empty() && !town.is_empty()).then(|| Address {
        line1: line1.to_owned(),
        line2: Some(answers.address_line2.trim().to_owned()).filter(|l| !l.is_empty()),
        town: town.to_owned(),
    });
    errors.into_result(|| {
        Some(Patient {
            id: patient_id,
            nhs_number: nhs_number?,
            name: PersonName {
                given: given?,
                family: family?,
            },
            date_of_birth: date_of_birth?,
            sex: sex?,
            ethnicity: ethnicity?,
            postcode: postcode?,
            address,
            phone: phone?,
            email: email?,
            preferred_language: language?,
            preferred_contact: channel?,
        })
    })
}

/// How a carer is related to the person they refer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CarerRelationship {
    /// A family member.
    Family,
    /// A friend or neighbour.
    Friend,
    /// A paid or professional carer.
    PaidCarer,
    /// Someone else.
    Other,
}

impl CarerRelationship {
    /// Every relationship.
    pub const ALL: [CarerRelationship; 4] =
        [Self::Family, Self::Friend, Self::PaidCarer, Self::Other];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Family => "family",
            Self::Friend => "friend",
            Self::PaidCarer => "paid_carer",
            Self::Other => "other",
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

/// A carer's details, exactly as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CarerAnswers {
    /// Their full name.
    pub carer_name: String,
    /// How they are related (code).
    pub carer_relationship: String,
    /// Their phone number.
    pub carer_phone: String,
    /// Their email.
    pub carer_email: String,
    /// `yes` when the person knows about the referral and agrees to it.
    pub carer_consent: String,
}

/// Someone referring on another person's behalf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Carer {
    /// Their name.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub name: FreeText,
    /// How they are related.
    pub relationship: CarerRelationship,
    /// Their phone number, if given (UK national format, for example `07700900123`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<PhoneNumber>,
    /// Their email, if given.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<EmailAddress>,
}

/// Checks a carer's details: a name, a relationship, a way to reach them, and the person's
/// agreement to be referred.
pub fn parse_carer(answers: &CarerAnswers) -> Result<Carer, DomainError> {
    let mut errors = ValidationErrors::new();
    let name = errors.check(
        "carer_name",
        FreeText::parse(&answers.carer_name).and_then(|n| {
            if n.as_str().chars().count() > 100 {
                Err(Invalid("too-long"))
            } else {
                Ok(n)
            }
        }),
    );
    let relationship = errors.check(
        "carer_relationship",
        CarerRelationship::parse(answers.carer_relationship.trim()),
    );
    let phone = errors.check(
        "carer_phone",
        optional(&answers.carer_phone, PhoneNumber::parse),
    );
    let email = errors.check(
        "carer_email",
        optional(&answers.carer_email, EmailAddress::parse),
    );
    if matches!((&phone, &email), (Some(None), Some(None))) {
        errors.add("carer_phone", Invalid("missing"));
    }
    if answers.carer_consent.trim() != "yes" {
        errors.add("carer_consent", Invalid("required"));
    }
    errors.into_result(|| {
        Some(Carer {
            name: name?,
            relationship: relationship?,
            phone: phone?,
            email: email?,
        })
    })
}

/// A referring professional's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfessionalRole {
    /// A GP.
    GeneralPractitioner,
    /// A pharmacist.
    Pharmacist,
    /// A social prescribing link worker.
    SocialPrescriber,
    /// An emergency department clinician.
    EmergencyDepartment,
    /// A first contact practitioner in general practice.
    FirstContactPractitioner,
    /// A nurse.
    Nurse,
    /// Another professional.
    Other,
}

impl ProfessionalRole {
    /// Every role.
    pub const ALL: [ProfessionalRole; 7] = [
        Self::GeneralPractitioner,
        Self::Pharmacist,
        Self::SocialPrescriber,
        Self::EmergencyDepartment,
        Self::FirstContactPractitioner,
        Self::Nurse,
        Self::Other,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GeneralPractitioner => "general_practitioner",
            Self::Pharmacist => "pharmacist",
            Self::SocialPrescriber => "social_prescriber",
            Self::EmergencyDepartment => "emergency_department",
            Self::FirstContactPractitioner => "first_contact_practitioner",
            Self::Nurse => "nurse",
            Self::Other => "other",
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

/// A referring professional's details, exactly as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfessionalAnswers {
    /// Their organisation's ODS code.
    pub ods_code: String,
    /// Their name.
    pub referrer_name: String,
    /// Their role (code).
    pub referrer_role: String,
    /// A phone number for the MSK team to call back.
    pub referrer_phone: String,
    /// An email for advice and guidance and the outcome.
    pub referrer_email: String,
}

/// A referring professional.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Professional {
    /// Their name.
    pub name: FreeText,
    /// Their role.
    pub role: ProfessionalRole,
    /// Phone.
    pub phone: Option<PhoneNumber>,
    /// Email, where advice and the outcome go.
    pub email: EmailAddress,
}

/// Checks a professional's details (the organisation code is checked against the register).
pub fn parse_professional(
    answers: &ProfessionalAnswers,
) -> Result<(OdsCode, Professional), DomainError> {
    let mut errors = ValidationErrors::new();
    let ods = errors.check("ods_code", OdsCode::parse(&answers.ods_code));
    let name = errors.check("referrer_name", FreeText::parse(&answers.referrer_name));
    let role = errors.check(
        "referrer_role",
        ProfessionalRole::parse(answers.referrer_role.trim()),
    );
    let phone = errors.check(
        "referrer_phone",
        optional(&answers.referrer_phone, PhoneNumber::parse),
    );
    let email = errors.check(
        "referrer_email",
        EmailAddress::parse(&answers.referrer_email),
    );
    errors.into_result(|| {
        Some((
            ods?,
            Professional {
                name: name?,
                role: role?,
                phone: phone?,
                email: email?,
            },
        ))
    })
}

/// An organisation code from the NHS's Organisation Data Service, such as `A81001`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

impl OdsCode {
    /// Parses a code: 3 to 10 letters and digits, any case.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(Invalid("missing"));
        }
        if !(3..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Invalid("format"));
        }
        Ok(Self(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OdsCode {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OdsCode> for String {
    fn from(value: OdsCode) -> Self {
        value.0
    }
}

/// Who referred, when it was not the person themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Referrer {
    /// A carer, family member or friend.
    Carer {
        /// Their details.
        carer: Carer,
    },
    /// A professional, for an organisation.
    Professional {
        /// The organisation.
        organisation: OrganisationId,
        /// The professional.
        professional: Professional,
    },
}

/// How sure we are that two records are the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonMatch {
    /// The same person: same NHS number, or the same name, date of birth and postcode.
    Same,
    /// Perhaps the same: same date of birth and family name, or date of birth, given name and
    /// postcode. Staff decide.
    Possible,
    /// Different people.
    Different,
}

/// Compares a known person with newly entered details.
pub fn match_person(known: &Patient, new: &Patient) -> PersonMatch {
    if let (Some(a), Some(b)) = (known.nhs_number, new.nhs_number) {
        return if a == b {
            PersonMatch::Same
        } else {
            PersonMatch::Different
        };
    }
    if known.date_of_birth != new.date_of_birth {
        return PersonMatch::Different;
    }
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let family = same(known.name.family.as_str(), new.name.family.as_str());
    let given = same(known.name.given.as_str(), new.name.given.as_str());
    let postcode = known.postcode == new.postcode;
    match (family, given, postcode) {
        (true, true, true) => PersonMatch::Same,
        (true, _, _) | (_, true, true) => PersonMatch::Possible,
        _ => PersonMatch::Different,
    }
}

/// The contact details given for someone already on record that differ from the record, as
/// (field, value given). A referral that is not from the person's verified care team must not
/// change where their messages and sign-in codes go, so these are kept for staff to confirm.
pub fn changed_contact(known: &Patient, given: &Patient) -> Vec<(&'static str, String)> {
    let mut changed = Vec::new();
    if given.postcode != known.postcode {
        changed.push(("postcode", given.postcode.to_string()));
    }
    if let Some(phone) = &given.phone
        && known.phone.as_ref() != Some(phone)
    {
        changed.push(("phone", phone.to_string()));
    }
    if let Some(email) = &given.email
        && known.email.as_ref() != Some(email)
    {
        changed.push(("email", email.to_string()));
    }
    if let Some(address) = &given.address
        && known.address.as_ref() != Some(address)
    {
        let line2 = address
            .line2
            .as_deref()
            .map(|l| format!(", {l}"))
            .unwrap_or_default();
        changed.push((
            "address",
            format!("{}{line2}, {}", address.line1, address.town),
        ));
    }
    if given.preferred_contact != known.preferred_contact {
        changed.push((
            "preferred contact",
            given.preferred_contact.as_str().to_owned(),
        ));
    }
    if given.preferred_language != known.preferred_language {
        changed.push(("language", given.preferred_language.code().to_owned()));
    }
    changed
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    const TODAY: Date = date(2026, 11, 23);

    pub(crate) fn valid_answers() -> PersonAnswers {
        PersonAnswers {
            given_name: "Amelia".into(),
            family_name: "Khan".into(),
            date_of_birth: DateParts::from_iso("1968-04-12"),
            nhs_number: "943 476 5919".into(),
            sex: "female".into(),
            ethnicity: "H".into(),
            preferred_language: "en".into(),
            phone: "07700 900123".into(),
            email: "".into(),
            address_line1: "".into(),
            address_line2: "".into(),
            town: "".into(),
            postcode: "lu1 3ju".into(),
            preferred_contact: "sms".into(),
        }
    }

    // Field names may be built at run time; tests compare them with literals.
    fn leak(field: &str) -> &'static str {
        Box::leak(field.to_owned().into_boxed_str())
    }

    fn problems(answers: &PersonAnswers) -> Vec<(&'static str, &'static str)> {
        match parse_person(answers, PatientId::new(), TODAY) {
            Ok(_) => vec![],
            Err(DomainError::Invalid(errors)) => errors
                .errors()
                .iter()
                .map(|e| (leak(&e.field), e.problem))
                .collect(),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_complete_person_parses() {
        let patient = parse_person(&valid_answers(), PatientId::new(), TODAY).unwrap();
        assert_eq!(patient.postcode.as_str(), "LU1 3JU");
        assert_eq!(patient.preferred_contact, ContactChannel::Sms);
    }

    #[test]
    fn an_empty_form_names_every_required_field() {
        let fields: Vec<&str> = problems(&PersonAnswers::default())
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            fields,
            [
                "given_name",
                "family_name",
                "date_of_birth",
                "sex",
                "preferred_contact",
                "postcode"
            ]
        );
    }

    #[test]
    fn the_preferred_channel_needs_its_detail() {
        let mut answers = valid_answers();
        answers.preferred_contact = "email".into();
        assert_eq!(problems(&answers), [("email", "missing")]);
        answers.preferred_contact = "letter".into();
        assert_eq!(
            problems(&answers),
            [("address_line1", "missing"), ("town", "missing")]
        );
        answers.preferred_contact = "sms".into();
        answers.phone = "01234 567890".into();
        assert_eq!(problems(&answers), [("phone", "not-mobile")]);
        answers.phone = "".into();
        answers.preferred_contact = "telephone".into();
        assert_eq!(problems(&answers), [("phone", "missing")]);
    }

    #[test]
    fn optional_fields_may_be_blank_but_not_wrong() {
        let mut answers = valid_answers();
        answers.nhs_number = "".into();
        answers.ethnicity = "".into();
        answers.preferred_language = "".into();
        let patient = parse_person(&answers, PatientId::new(), TODAY).unwrap();
        assert_eq!(patient.nhs_number, None);
        assert_eq!(patient.preferred_language, Language::ENGLISH);
        answers.nhs_number = "943 476 5918".into();
        assert_eq!(problems(&answers), [("nhs_number", "check-digit")]);
    }

    #[test]
    fn carers_need_a_way_to_be_reached_and_the_persons_agreement() {
        let mut carer = CarerAnswers {
            carer_name: "Sam Khan".into(),
            carer_relationship: "family".into(),
            carer_phone: "".into(),
            carer_email: "".into(),
            carer_consent: "".into(),
        };
        let err = parse_carer(&carer).unwrap_err();
        let DomainError::Invalid(errors) = err else {
            panic!()
        };
        let fields: Vec<_> = errors
            .errors()
            .iter()
            .map(|e| (leak(&e.field), e.problem))
            .collect();
        assert_eq!(
            fields,
            [("carer_phone", "missing"), ("carer_consent", "required")]
        );
        carer.carer_email = "sam@example.com".into();
        carer.carer_consent = "yes".into();
        assert_eq!(
            parse_carer(&carer).unwrap().relationship,
            CarerRelationship::Family
        );
    }

    #[test]
    fn professionals_and_organisation_codes_are_checked() {
        let answers = ProfessionalAnswers {
            ods_code: " a81001 ".into(),
            referrer_name: "Dr Mei Chen".into(),
            referrer_role: "general_practitioner".into(),
            referrer_phone: "".into(),
            referrer_email: "mei.chen@nhs.example".into(),
        };
        let (ods, professional) = parse_professional(&answers).unwrap();
        assert_eq!(ods.as_str(), "A81001");
        assert_eq!(professional.role, ProfessionalRole::GeneralPractitioner);
        assert_eq!(OdsCode::parse("A-1"), Err(Invalid("format")));
        let bad = ProfessionalAnswers {
            referrer_email: "".into(),
            ..answers
        };
        assert!(parse_professional(&bad).is_err());
    }

    #[test]
    fn people_are_matched_carefully() {
        let known = parse_person(&valid_answers(), PatientId::new(), TODAY).unwrap();
        let mut new = known.clone();
        assert_eq!(match_person(&known, &new), PersonMatch::Same);
        new.nhs_number = None;
        assert_eq!(
            match_person(&known, &new),
            PersonMatch::Same,
            "name, birth date and postcode"
        );
        new.postcode = Postcode::parse("MK9 3HQ").unwrap();
        assert_eq!(
            match_person(&known, &new),
            PersonMatch::Possible,
            "moved house?"
        );
        new.name.family = NamePart::parse("Ahmed").unwrap();
        assert_eq!(match_person(&known, &new), PersonMatch::Different);
        let mut twin = known.clone();
        twin.nhs_number = Some(NhsNumber::parse("4010232137").unwrap());
        assert_eq!(
            match_person(&known, &twin),
            PersonMatch::Different,
            "a different NHS number decides"
        );
    }

    proptest! {
        #[test]
        fn any_details_give_a_person_or_named_problems(
            given in "\\PC{0,12}", family in "\\PC{0,12}", nhs in "[0-9 ]{0,12}",
            phone in "[0-9+ ]{0,14}", email in "\\PC{0,20}", postcode in "\\PC{0,9}",
            channel in "(sms|email|letter|telephone|fax|)",
        ) {
            let answers = PersonAnswers {
                given_name: given, family_name: family, nhs_number: nhs, phone, email, postcode,
                preferred_contact: channel, ..valid_answers()
            };
            match parse_person(&answers, PatientId::new(), TODAY) {
                Ok(patient) => prop_assert!(patient.reachable_by(patient.preferred_contact)),
                Err(DomainError::Invalid(errors)) => prop_assert!(!errors.is_empty()),
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }
}

/// What kind of organisation refers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// A GP practice.
    GeneralPractice,
    /// A community pharmacy.
    Pharmacy,
    /// An emergency department or urgent treatment centre.
    EmergencyDepartment,
    /// A social prescribing service.
    SocialPrescribing,
    /// Any other health or care organisation.
    Other,
}

impl OrganisationKind {
    /// Every kind.
    pub const ALL: [OrganisationKind; 5] = [
        Self::GeneralPractice,
        Self::Pharmacy,
        Self::EmergencyDepartment,
        Self::SocialPrescribing,
        Self::Other,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GeneralPractice => "general_practice",
            Self::Pharmacy => "pharmacy",
            Self::EmergencyDepartment => "emergency_department",
            Self::SocialPrescribing => "social_prescribing",
            Self::Other => "other",
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

/// An organisation registered to refer: its code, name, and where advice and outcomes go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferringOrganisation {
    /// Identifier.
    pub id: OrganisationId,
    /// ODS code, unique.
    pub ods_code: OdsCode,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrganisationKind,
    /// Where acknowledgements, advice and outcomes are sent.
    pub contact_email: EmailAddress,
    /// False once it may no longer refer.
    pub active: bool,
}
