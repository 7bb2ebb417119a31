//! Made-up patients for the demo region: names, ages, languages, ethnic groups, contact
//! preferences and communication needs in proportions like the area's, all clearly fictional
//! (NHS numbers in the never-issued 999 range, phone numbers in Ofcom's drama range,
//! example.com email addresses).

use jiff::civil::Date;
use jointly_domain::PatientId;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use jointly_domain::nhs_number::{NhsNumber, check_digit};
use jointly_domain::patient::{EthnicCategory, Language, NamePart, Patient, PersonName, Sex};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::seeded_uuid;

/// Given names used for women in the demo.
pub const FEMALE_NAMES: [&str; 32] = [
    "Amelia",
    "Olivia",
    "Sophie",
    "Emily",
    "Grace",
    "Margaret",
    "Susan",
    "Patricia",
    "Aisha",
    "Fatima",
    "Priya",
    "Anjali",
    "Nadia",
    "Zainab",
    "Agnieszka",
    "Katarzyna",
    "Magdalena",
    "Ioana",
    "Maria",
    "Chloe",
    "Ruth",
    "Joan",
    "Sandra",
    "Hannah",
    "Amara",
    "Chiamaka",
    "Shanice",
    "Mei",
    "Hui Min",
    "Rekha",
    "Bernadette",
    "Siobhan",
];

/// Given names used for men in the demo.
pub const MALE_NAMES: [&str; 30] = [
    "James",
    "Oliver",
    "Harry",
    "George",
    "David",
    "Michael",
    "Robert",
    "Peter",
    "Mohammed",
    "Imran",
    "Arjun",
    "Sanjay",
    "Tariq",
    "Bilal",
    "Tomasz",
    "Piotr",
    "Krzysztof",
    "Andrei",
    "Marek",
    "Daniel",
    "Samuel",
    "Kwame",
    "Chinedu",
    "Delroy",
    "Wei",
    "Ravi",
    "Gurpreet",
    "Liam",
    "Patrick",
    "Stefan",
];

/// Family names used in the demo.
pub const FAMILY_NAMES: [&str; 44] = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Hussain",
    "Ahmed",
    "Ali",
    "Begum",
    "Patel",
    "Singh",
    "Sharma",
    "Kaur",
    "Shah",
    "Nowak",
    "Kowalski",
    "Wiśniewska",
    "Popescu",
    "Ionescu",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Campbell",
    "Chen",
    "Wong",
    "O'Brien",
    "Murphy",
    "Gallagher",
];

/// The demo region's postcode districts (outward codes) and their towns.
pub(crate) const OUTWARD: [(&str, &str); 16] = [
    ("MK40", "Bedford"),
    ("MK41", "Bedford"),
    ("MK42", "Bedford"),
    ("SG18", "Biggleswade"),
    ("LU5", "Dunstable"),
    ("LU6", "Dunstable"),
    ("MK45", "Flitwick"),
    ("SG17", "Shefford"),
    ("LU1", "Luton"),
    ("LU2", "Luton"),
    ("LU3", "Luton"),
    ("LU4", "Luton"),
    ("MK1", "Milton Keynes"),
    ("MK2", "Bletchley"),
    ("MK6", "Milton Keynes"),
    ("MK12", "Wolverton"),
];

const STREETS: [&str; 8] = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Mill Road",
    "Victoria Street",
    "Queens Drive",
    "Grove Road",
];

/// Picks one item.
pub fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A person's name from two parts.
pub fn person_name(given: &str, family: &str) -> anyhow::Result<PersonName> {
    Ok(PersonName {
        given: NamePart::parse(given).map_err(|e| anyhow::anyhow!("demo name {given}: {e}"))?,
        family: NamePart::parse(family).map_err(|e| anyhow::anyhow!("demo name {family}: {e}"))?,
    })
}

/// A valid NHS number from the never-issued 999 range.
fn nhs_number(rng: &mut ChaCha8Rng) -> anyhow::Result<NhsNumber> {
    loop {
        let mut digits = [9u8, 9, 9, 0, 0, 0, 0, 0, 0];
        for d in digits.iter_mut().skip(3) {
            *d = rng.random_range(0..10);
        }
        if let Some(check) = check_digit(&digits) {
            let text: String = digits
                .iter()
                .chain(std::iter::once(&check))
                .map(|d| char::from(b'0' + d))
                .collect();
            return NhsNumber::parse(&text).map_err(|e| anyhow::anyhow!("demo NHS number: {e}"));
        }
    }
}

/// A postcode and its town.
fn postcode(rng: &mut ChaCha8Rng) -> anyhow::Result<(Postcode, &'static str)> {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let (outward, town) = OUTWARD[rng.random_range(0..OUTWARD.len())];
    let inward = format!(
        "{}{}{}",
        rng.random_range(1..10),
        char::from(LETTERS[rng.random_range(0..LETTERS.len())]),
        char::from(LETTERS[rng.random_range(0..LETTERS.len())])
    );
    let postcode = Postcode::parse(&format!("{outward} {inward}"))
        .map_err(|e| anyhow::anyhow!("demo postcode: {e}"))?;
    Ok((postcode, town))
}

/// The language a demo patient prefers: mostly English, then the region's common languages.
fn language(rng: &mut ChaCha8Rng) -> Language {
    let roll = rng.random_range(0..100);
    let code = match roll {
        0..=83 => "en",
        84..=88 => "pl",
        89..=92 => "ur",
        93..=94 => "pa",
        95..=96 => "bn",
        97 => "ro",
        98 => "gu",
        _ => "pt",
    };
    Language::parse(code).unwrap_or(Language::ENGLISH)
}

fn ethnicity(rng: &mut ChaCha8Rng) -> Option<EthnicCategory> {
    let code = match rng.random_range(0..100) {
        0..=54 => "A",
        55..=57 => "B",
        58..=64 => "C",
        65..=67 => "D",
        68..=70 => "F",
        71..=76 => "H",
        77..=83 => "J",
        84..=86 => "K",
        87..=88 => "L",
        89..=91 => "M",
        92..=94 => "N",
        95 => "R",
        96..=97 => "S",
        _ => return None,
    };
    EthnicCategory::parse(code).ok()
}

/// A made-up patient. `number` makes email addresses and phone numbers distinct.
pub fn patient(rng: &mut ChaCha8Rng, number: usize, today: Date) -> anyhow::Result<Patient> {
    let sex = if rng.random_bool(0.55) {
        Sex::Female
    } else {
        Sex::Male
    };
    let given = match sex {
        Sex::Female => pick(rng, &FEMALE_NAMES),
        _ => pick(rng, &MALE_NAMES),
    };
    let name = person_name(given, pick(rng, &FAMILY_NAMES))?;
    // Adults, weighted towards middle and older age as MSK services see.
    let age = 18 + (rng.random_range(0..60) + rng.random_range(0..30)) as i16;
    let date_of_birth = Date::new(
        today.year() - age,
        rng.random_range(1..13),
        rng.random_range(1..29),
    )?;
    let channel = match rng.random_range(0..100) {
        0..=54 => ContactChannel::Sms,
        55..=79 => ContactChannel::Email,
        80..=91 => ContactChannel::Letter,
        _ => ContactChannel::Telephone,
    };
    // Digitally excluded people are among those preferring letters and calls.
    let has_mobile = !matches!(channel, ContactChannel::Letter | ContactChannel::Telephone)
        || rng.random_bool(0.3);
    let phone_text = if has_mobile {
        format!("07700 900{:03}", number % 1000)
    } else {
        format!("01632 960{:03}", number % 1000)
    };
    let email_local: String = format!("{}.{}{}", name.given, name.family, number)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let wants_email = channel == ContactChannel::Email || rng.random_bool(0.3);
    let (postcode, town) = postcode(rng)?;
    Ok(Patient {
        id: PatientId::from_uuid(seeded_uuid(rng)),
        nhs_number: rng.random_bool(0.8).then(|| nhs_number(rng)).transpose()?,
        name,
        date_of_birth,
        sex,
        ethnicity: ethnicity(rng),
        postcode,
        address: Some(Address {
            line1: format!("{} {}", rng.random_range(1..200), pick(rng, &STREETS)),
            line2: None,
            town: town.into(),
        }),
        phone: PhoneNumber::parse(&phone_text).ok(),
        email: wants_email
            .then(|| EmailAddress::parse(&format!("{email_local}@example.com")).ok())
            .flatten(),
        preferred_language: language(rng),
        preferred_contact: channel,
    })
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn every_listed_name_is_valid() {
        for name in FEMALE_NAMES.iter().chain(&MALE_NAMES).chain(&FAMILY_NAMES) {
            assert!(NamePart::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn patients_are_valid_and_fictional() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for i in 0..500 {
            let p = patient(&mut rng, i, jiff::civil::date(2026, 11, 23)).unwrap();
            assert!(p.nhs_number.is_none_or(|n| n.is_test_number()));
            assert!(
                p.reachable_by(p.preferred_contact),
                "{:?}",
                p.preferred_contact
            );
        }
    }
}
