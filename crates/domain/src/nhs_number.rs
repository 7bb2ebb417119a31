//! The NHS number: ten digits whose last is a modulus 11 check digit (NHS Data Dictionary).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Invalid;

/// A valid NHS number. Construct it with [`NhsNumber::parse`]; it can never hold a bad check digit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber([u8; 10]);

impl NhsNumber {
    /// Parses an NHS number, ignoring spaces and hyphens ("943 476 5919" and "943-476-5919").
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let mut digits = [0u8; 10];
        let mut count = 0;
        for c in input.chars().filter(|c| !matches!(c, ' ' | '-')) {
            let digit = c.to_digit(10).ok_or(Invalid("not-digits"))?;
            if count == 10 {
                return Err(Invalid("length"));
            }
            digits[count] = digit as u8;
            count += 1;
        }
        if count != 10 {
            return Err(Invalid("length"));
        }
        let expected = check_digit(&digits).ok_or(Invalid("check-digit"))?;
        if expected != digits[9] {
            return Err(Invalid("check-digit"));
        }
        Ok(Self(digits))
    }

    /// The ten digits with no separators, as stored and exchanged.
    pub fn as_digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// True for the 999 000 0000 – 999 999 9999 range, which is valid but never issued to a person.
    pub fn is_test_number(&self) -> bool {
        self.0[..3] == [9, 9, 9]
    }
}

/// The modulus 11 check digit for the first nine digits, or `None` when the remainder gives 10,
/// which means no valid NHS number starts with those nine digits.
pub fn check_digit(digits: &[u8]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .take(9)
        .zip((2..=10u32).rev())
        .map(|(d, weight)| u32::from(*d) * weight)
        .sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        n => Some(n as u8),
    }
}

impl fmt::Display for NhsNumber {
    /// The NHS's 3-3-4 display format, for example `943 476 5919`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_digits();
        write!(f, "{} {} {}", &s[..3], &s[3..6], &s[6..])
    }
}

impl fmt::Debug for NhsNumber {
    // Debug output can reach logs; an NHS number identifies a person, so it never appears there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NhsNumber(redacted)")
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NhsNumber> for String {
    fn from(value: NhsNumber) -> Self {
        value.as_digits()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn accepts_known_valid_numbers_in_any_common_format() {
        for input in ["9434765919", "943 476 5919", "943-476-5919", "4010232137"] {
            assert!(NhsNumber::parse(input).is_ok(), "{input} should be valid");
        }
        assert_eq!(
            NhsNumber::parse("943 476 5919").unwrap().to_string(),
            "943 476 5919"
        );
    }

    #[test]
    fn names_the_problem() {
        assert_eq!(NhsNumber::parse("9434765918"), Err(Invalid("check-digit")));
        assert_eq!(NhsNumber::parse("943476591"), Err(Invalid("length")));
        assert_eq!(NhsNumber::parse("94347659190"), Err(Invalid("length")));
        assert_eq!(NhsNumber::parse("94347659A9"), Err(Invalid("not-digits")));
        assert_eq!(NhsNumber::parse(""), Err(Invalid("length")));
    }

    #[test]
    fn a_remainder_of_ten_is_never_valid() {
        // 0000000 0 6: weighted sum 6 x 2 = 12, remainder 1, 11 - 1 = 10: no valid check digit.
        assert_eq!(check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 6]), None);
        for last in 0..10 {
            assert_eq!(
                NhsNumber::parse(&format!("000000006{last}")),
                Err(Invalid("check-digit"))
            );
        }
        // A remainder of 0 gives 11, which becomes a check digit of 0.
        assert_eq!(check_digit(&[0; 9]), Some(0));
    }

    #[test]
    fn debug_never_shows_the_number() {
        let n = NhsNumber::parse("9434765919").unwrap();
        assert!(!format!("{n:?}").contains("943"));
    }

    proptest! {
        #[test]
        fn every_stem_with_its_check_digit_is_valid(stem in proptest::array::uniform9(0u8..10)) {
            let input: String = stem.iter().map(|d| char::from(b'0' + d)).collect();
            match check_digit(&stem) {
                Some(check) => {
                    let n = NhsNumber::parse(&format!("{input}{check}")).unwrap();
                    prop_assert_eq!(n.as_digits(), format!("{input}{check}"));
                }
                None => {
                    for last in 0..10 {
                        let candidate = format!("{input}{last}");
                        prop_assert!(NhsNumber::parse(&candidate).is_err());
                    }
                }
            }
        }

        #[test]
        fn any_single_digit_change_is_detected(
            stem in proptest::array::uniform9(0u8..10),
            position in 0usize..10,
            delta in 1u8..10,
        ) {
            prop_assume!(check_digit(&stem).is_some());
            let mut digits = stem.to_vec();
            digits.push(check_digit(&stem).unwrap());
            digits[position] = (digits[position] + delta) % 10;
            let input: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(NhsNumber::parse(&input).is_err());
        }

        #[test]
        fn swapping_two_adjacent_different_digits_is_detected(
            stem in proptest::array::uniform9(0u8..10),
            position in 0usize..9,
        ) {
            prop_assume!(check_digit(&stem).is_some());
            let mut digits = stem.to_vec();
            digits.push(check_digit(&stem).unwrap());
            prop_assume!(digits[position] != digits[position + 1]);
            digits.swap(position, position + 1);
            let input: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(NhsNumber::parse(&input).is_err());
        }

        #[test]
        fn parse_never_panics(input in ".{0,20}") {
            let _ = NhsNumber::parse(&input);
        }
    }
}
