//! How to reach a person: postcode, address, phone, email and the channel they prefer.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Invalid;

/// A UK postcode, normalised to upper case with one space before the inward code ("LU1 3JU").
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    /// Parses a UK postcode in any case and spacing.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(Invalid("missing"));
        }
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(Invalid("format"));
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
        };
        let outward_ok = {
            let b = outward.as_bytes();
            b[0].is_ascii_alphabetic()
                && b.iter().all(u8::is_ascii_alphanumeric)
                && b.iter().any(u8::is_ascii_digit)
        };
        if !inward_ok || !outward_ok {
            return Err(Invalid("format"));
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    /// The normalised postcode.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The outward code ("LU1"), which names an area without identifying a household.
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Postcode({} ***)", self.outward())
    }
}

impl TryFrom<String> for Postcode {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Postcode> for String {
    fn from(value: Postcode) -> Self {
        value.0
    }
}

/// A UK telephone number, stored in national format ("07700 900123" becomes "07700900123").
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a UK number, accepting spaces, hyphens, brackets and a +44 or 0044 prefix.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid("missing"));
        }
        let mut digits = String::new();
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '(' | ')' => {}
                _ => return Err(Invalid("format")),
            }
        }
        // "+44 (0)7700 900123" carries the trunk 0 in brackets; drop it after the country code.
        let international = if let Some(rest) = digits.strip_prefix("0044") {
            Some(rest)
        } else if trimmed.starts_with('+') {
            Some(digits.strip_prefix("44").ok_or(Invalid("not-uk"))?)
        } else {
            None
        };
        let national = match international {
            Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
            None => digits.clone(),
        };
        if !national.starts_with('0') || !(10..=11).contains(&national.len()) {
            return Err(Invalid("format"));
        }
        Ok(Self(national))
    }

    /// The number in national format with no spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for UK mobile numbers (07...), the only ones that receive text messages.
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with("07") && self.0.len() == 11
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(redacted)")
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

/// An email address, trimmed, with its domain in lower case.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an email address: one `@`, a non-empty local part, a dotted domain, no spaces.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid("missing"));
        }
        if trimmed.len() > 254 || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid("format"));
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(Invalid("format"))?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(Invalid("format"));
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(redacted)")
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

/// A postal address for letters. The postcode is held separately on the patient.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    /// First line (house number and street).
    pub line1: String,
    /// Optional second line.
    pub line2: Option<String>,
    /// Town or city.
    pub town: String,
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Address(redacted)")
    }
}

/// How a person prefers to be contacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// Text message to a mobile.
    Sms,
    /// Email.
    Email,
    /// Letter by post.
    Letter,
    /// A phone call from the care team.
    Telephone,
}

impl ContactChannel {
    /// Every channel, in the order offered on forms.
    pub const ALL: [ContactChannel; 4] = [Self::Sms, Self::Email, Self::Letter, Self::Telephone];

    /// The stable code used in storage, forms and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Email => "email",
            Self::Letter => "letter",
            Self::Telephone => "telephone",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn postcodes_are_normalised() {
        assert_eq!(Postcode::parse("lu1 3ju").unwrap().as_str(), "LU1 3JU");
        assert_eq!(Postcode::parse("MK93HQ").unwrap().as_str(), "MK9 3HQ");
        assert_eq!(Postcode::parse(" sw1a 1aa ").unwrap().as_str(), "SW1A 1AA");
        assert_eq!(Postcode::parse("MK9 3HQ").unwrap().outward(), "MK9");
        assert_eq!(Postcode::parse(""), Err(Invalid("missing")));
        assert_eq!(Postcode::parse("Bedford"), Err(Invalid("format")));
        assert_eq!(Postcode::parse("123 456"), Err(Invalid("format")));
    }

    #[test]
    fn phone_numbers_are_national() {
        assert_eq!(
            PhoneNumber::parse("07700 900123").unwrap().as_str(),
            "07700900123"
        );
        assert_eq!(
            PhoneNumber::parse("+44 7700 900123").unwrap().as_str(),
            "07700900123"
        );
        assert_eq!(
            PhoneNumber::parse("+44 (0)7700 900123").unwrap().as_str(),
            "07700900123"
        );
        assert_eq!(
            PhoneNumber::parse("0044 1234 567890").unwrap().as_str(),
            "01234567890"
        );
        assert!(PhoneNumber::parse("07700 900123").unwrap().is_mobile());
        assert!(!PhoneNumber::parse("01234 567890").unwrap().is_mobile());
        assert_eq!(
            PhoneNumber::parse("+33 6 12 34 56 78"),
            Err(Invalid("not-uk"))
        );
        assert_eq!(PhoneNumber::parse("call me"), Err(Invalid("format")));
        assert_eq!(PhoneNumber::parse("0770"), Err(Invalid("format")));
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(
            EmailAddress::parse(" Amelia@Example.COM ")
                .unwrap()
                .as_str(),
            "Amelia@example.com"
        );
        for bad in [
            "amelia",
            "amelia@",
            "@example.com",
            "a b@example.com",
            "a@example",
            "a@.com",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(Invalid("format")), "{bad}");
        }
    }

    #[test]
    fn contact_details_are_redacted_in_debug() {
        let phone = PhoneNumber::parse("07700900123").unwrap();
        let email = EmailAddress::parse("amelia@example.com").unwrap();
        let postcode = Postcode::parse("LU1 3JU").unwrap();
        let shown = format!("{phone:?} {email:?} {postcode:?}");
        assert!(!shown.contains("900123") && !shown.contains("amelia") && !shown.contains("3JU"));
    }

    proptest! {
        #[test]
        fn parsers_never_panic(input in "\\PC{0,40}") {
            let _ = Postcode::parse(&input);
            let _ = PhoneNumber::parse(&input);
            let _ = EmailAddress::parse(&input);
        }

        #[test]
        fn a_parsed_postcode_parses_to_itself(input in "[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}") {
            let once = Postcode::parse(&input).unwrap();
            prop_assert_eq!(Postcode::parse(once.as_str()).unwrap(), once);
        }
    }
}
