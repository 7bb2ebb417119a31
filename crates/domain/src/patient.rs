//! The patient: who they are and how they want to be contacted.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use crate::error::Invalid;
use crate::ids::PatientId;
use crate::nhs_number::NhsNumber;

/// Longest name part we accept; longer input is almost certainly a mistake or an attack.
const MAX_NAME_LEN: usize = 100;

/// A given or family name: trimmed, non-empty, printable.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NamePart(String);

impl NamePart {
    /// Parses one part of a name.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid("missing"));
        }
        if trimmed.chars().count() > MAX_NAME_LEN {
            return Err(Invalid("too-long"));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>'))
        {
            return Err(Invalid("characters"));
        }
        Ok(Self(
            trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    }

    /// The name as entered, with spacing tidied.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NamePart(redacted)")
    }
}

impl TryFrom<String> for NamePart {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NamePart> for String {
    fn from(value: NamePart) -> Self {
        value.0
    }
}

/// A person's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// Given (first) name.
    pub given: NamePart,
    /// Family name (surname).
    pub family: NamePart,
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.given, self.family)
    }
}

/// Checks a date of birth against today: not in the future and not more than 130 years ago.
pub fn parse_date_of_birth(
    year: &str,
    month: &str,
    day: &str,
    today: Date,
) -> Result<Date, Invalid> {
    let (year, month, day) = (year.trim(), month.trim(), day.trim());
    if year.is_empty() && month.is_empty() && day.is_empty() {
        return Err(Invalid("missing"));
    }
    if year.is_empty() || month.is_empty() || day.is_empty() {
        return Err(Invalid("incomplete"));
    }
    let parse = |s: &str| s.parse::<i16>().map_err(|_| Invalid("not-a-date"));
    let (y, m, d) = (parse(year)?, parse(month)?, parse(day)?);
    if !(1000..=9999).contains(&y) {
        return Err(Invalid("year-four-digits"));
    }
    let m = i8::try_from(m).map_err(|_| Invalid("not-a-date"))?;
    let d = i8::try_from(d).map_err(|_| Invalid("not-a-date"))?;
    let date = Date::new(y, m, d).map_err(|_| Invalid("not-a-date"))?;
    check_date_of_birth(date, today)
}

/// Checks an already-parsed date of birth against today.
pub fn check_date_of_birth(date: Date, today: Date) -> Result<Date, Invalid> {
    if date > today {
        return Err(Invalid("future"));
    }
    if today.year() - date.year() > 130 {
        return Err(Invalid("too-old"));
    }
    Ok(date)
}

/// Age in whole years on `today`.
pub fn age_on(date_of_birth: Date, today: Date) -> i16 {
    let mut years = today.year() - date_of_birth.year();
    if (today.month(), today.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    years
}

/// Administrative sex/gender, as in FHIR `AdministrativeGender`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other.
    Other,
    /// Not known or not stated.
    Unknown,
}

impl Sex {
    /// Every value, in form order.
    pub const ALL: [Sex; 4] = [Self::Female, Self::Male, Self::Other, Self::Unknown];

    /// The stable code (the FHIR code).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
            Self::Unknown => "unknown",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// Ethnic category, coded as in the NHS Data Dictionary (2001 census categories, A–Z).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EthnicCategory(char);

impl EthnicCategory {
    /// Every code, in Data Dictionary order; `Z` is "not stated".
    pub const CODES: [char; 17] = [
        'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'Z',
    ];

    /// Parses a one-letter code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let mut chars = input.trim().chars();
        match (chars.next().map(|c| c.to_ascii_uppercase()), chars.next()) {
            (Some(c), None) if Self::CODES.contains(&c) => Ok(Self(c)),
            _ => Err(Invalid("choose")),
        }
    }

    /// The one-letter code.
    pub fn code(self) -> char {
        self.0
    }

    /// True when the person chose not to state their ethnicity.
    pub fn is_not_stated(self) -> bool {
        self.0 == 'Z'
    }
}

/// A language a person prefers to be addressed in, as an ISO 639-1 code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(u8);

impl Language {
    /// English, the default.
    pub const ENGLISH: Language = Language(0);

    /// Languages we record (English first, then the most spoken in the region); the web offers a subset for its
    /// own pages and asks for an interpreter for the rest.
    pub const KNOWN: [&'static str; 16] = [
        "en", "pl", "ur", "pa", "bn", "gu", "ro", "pt", "so", "ar", "lt", "it", "tr", "ta", "zh",
        "bg",
    ];

    /// Parses an ISO 639-1 code from [`Language::KNOWN`].
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let lower = input.trim().to_ascii_lowercase();
        let index = Self::KNOWN
            .iter()
            .position(|code| *code == lower)
            .ok_or(Invalid("choose"))?;
        u8::try_from(index).map(Self).map_err(|_| Invalid("choose"))
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        Self::KNOWN
            .get(usize::from(self.0))
            .copied()
            .unwrap_or("en")
    }
}

impl TryFrom<String> for Language {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Language> for String {
    fn from(value: Language) -> Self {
        value.code().to_owned()
    }
}

/// A person known to the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    /// Identifier.
    pub id: PatientId,
    /// NHS number, when known.
    pub nhs_number: Option<NhsNumber>,
    /// Name.
    pub name: PersonName,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Administrative sex.
    pub sex: Sex,
    /// Ethnic category, when stated.
    pub ethnicity: Option<EthnicCategory>,
    /// Home postcode.
    pub postcode: Postcode,
    /// Postal address, when given.
    pub address: Option<Address>,
    /// Telephone number.
    pub phone: Option<PhoneNumber>,
    /// Email address.
    pub email: Option<EmailAddress>,
    /// Language they prefer.
    pub preferred_language: Language,
    /// How they prefer to be contacted.
    pub preferred_contact: ContactChannel,
}

impl Patient {
    /// True when the recorded details can carry messages on `channel`.
    pub fn reachable_by(&self, channel: ContactChannel) -> bool {
        match channel {
            ContactChannel::Sms => self.phone.as_ref().is_some_and(PhoneNumber::is_mobile),
            ContactChannel::Email => self.email.is_some(),
            ContactChannel::Letter => self.address.is_some(),
            ContactChannel::Telephone => self.phone.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    const TODAY: Date = date(2026, 11, 23);

    #[test]
    fn dates_of_birth_name_their_problem() {
        assert_eq!(
            parse_date_of_birth("1968", "4", "12", TODAY),
            Ok(date(1968, 4, 12))
        );
        assert_eq!(
            parse_date_of_birth("", "", "", TODAY),
            Err(Invalid("missing"))
        );
        assert_eq!(
            parse_date_of_birth("1968", "", "12", TODAY),
            Err(Invalid("incomplete"))
        );
        assert_eq!(
            parse_date_of_birth("1968", "2", "30", TODAY),
            Err(Invalid("not-a-date"))
        );
        assert_eq!(
            parse_date_of_birth("68", "2", "3", TODAY),
            Err(Invalid("year-four-digits"))
        );
        assert_eq!(
            parse_date_of_birth("2027", "1", "1", TODAY),
            Err(Invalid("future"))
        );
        assert_eq!(
            parse_date_of_birth("1890", "1", "1", TODAY),
            Err(Invalid("too-old"))
        );
        assert_eq!(
            parse_date_of_birth("x", "1", "1", TODAY),
            Err(Invalid("not-a-date"))
        );
    }

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(age_on(date(1968, 11, 23), TODAY), 58);
        assert_eq!(age_on(date(1968, 11, 24), TODAY), 57);
        assert_eq!(age_on(date(2000, 2, 29), date(2001, 2, 28)), 0);
    }

    #[test]
    fn names_are_tidied_and_checked() {
        assert_eq!(
            NamePart::parse("  Mary   Ann ").unwrap().as_str(),
            "Mary Ann"
        );
        assert_eq!(NamePart::parse(" "), Err(Invalid("missing")));
        assert_eq!(NamePart::parse("<script>"), Err(Invalid("characters")));
        assert_eq!(NamePart::parse(&"a".repeat(101)), Err(Invalid("too-long")));
        assert!(NamePart::parse("Zoë O'Brien-Łukasz").is_ok());
    }

    #[test]
    fn codes_round_trip() {
        for sex in Sex::ALL {
            assert_eq!(Sex::parse(sex.as_str()), Ok(sex));
        }
        for code in EthnicCategory::CODES {
            assert_eq!(
                EthnicCategory::parse(&code.to_string()).unwrap().code(),
                code
            );
        }
        assert_eq!(EthnicCategory::parse("I"), Err(Invalid("choose")));
        assert_eq!(Language::parse("PL").unwrap().code(), "pl");
        assert_eq!(Language::parse("xx"), Err(Invalid("choose")));
    }

    proptest! {
        #[test]
        fn any_real_past_date_is_accepted(days_ago in 0i32..(365 * 120)) {
            let dob = TODAY.checked_sub(jiff::Span::new().days(days_ago)).unwrap();
            let parsed = parse_date_of_birth(
                &dob.year().to_string(), &dob.month().to_string(), &dob.day().to_string(), TODAY);
            prop_assert_eq!(parsed, Ok(dob));
            prop_assert!(age_on(dob, TODAY) >= 0);
        }

        #[test]
        fn date_parser_never_panics(y in "\\PC{0,6}", m in "\\PC{0,3}", d in "\\PC{0,3}") {
            let _ = parse_date_of_birth(&y, &m, &d, TODAY);
        }
    }
}
