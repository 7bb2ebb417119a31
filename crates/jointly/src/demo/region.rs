//! The demo region: four places, ten clinic locations, six services and forty clinicians with
//! rotas that include evenings and Saturdays. Synthetic, but shaped like Bedfordshire, Luton
//! and Milton Keynes.

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jointly_domain::clinician::{ClinicalRole, Clinician};
use jointly_domain::contact::Postcode;
use jointly_domain::location::{Location, LocationDetails};
use jointly_domain::patient::PersonName;
use jointly_domain::rota::{RotaSession, WEEKDAYS};
use jointly_domain::service::{Service, ServiceKind, ServiceRules};
use jointly_domain::slot::{AppointmentKind, Modality};
use jointly_domain::{ClinicianId, LocationId, RotaSessionId, ServiceId, london};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::people::{FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, person_name, pick};
use super::seeded_uuid;

/// The four places the region covers.
pub const PLACES: [&str; 4] = ["Bedford", "Central Bedfordshire", "Luton", "Milton Keynes"];

/// (name, address, town, postcode, latitude, longitude, step-free, place index)
type LocationRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    bool,
    usize,
);

const LOCATIONS: [LocationRow; 10] = [
    (
        "Bedford Health Village",
        "3 Kimbolton Road",
        "Bedford",
        "MK40 2NT",
        52.1406,
        -0.4669,
        true,
        0,
    ),
    (
        "Bedford North Clinic",
        "Brickhill Drive",
        "Bedford",
        "MK41 7QJ",
        52.1580,
        -0.4520,
        true,
        0,
    ),
    (
        "Biggleswade Community Hospital",
        "Potton Road",
        "Biggleswade",
        "SG18 0EL",
        52.0866,
        -0.2568,
        true,
        1,
    ),
    (
        "Dunstable Health Centre",
        "Priory Road",
        "Dunstable",
        "LU5 4HR",
        51.8859,
        -0.5210,
        false,
        1,
    ),
    (
        "Flitwick Clinic",
        "Steppingley Road",
        "Flitwick",
        "MK45 1AJ",
        52.0035,
        -0.4960,
        true,
        1,
    ),
    (
        "Luton Town Centre MSK Hub",
        "Chapel Street",
        "Luton",
        "LU1 2SE",
        51.8787,
        -0.4200,
        true,
        2,
    ),
    (
        "Marsh Farm Health Centre",
        "Purley Centre",
        "Luton",
        "LU3 3SR",
        51.9160,
        -0.4440,
        true,
        2,
    ),
    (
        "Milton Keynes Central Physiotherapy",
        "Witan Gate",
        "Milton Keynes",
        "MK9 2HP",
        52.0406,
        -0.7594,
        true,
        3,
    ),
    (
        "Bletchley Community Clinic",
        "Saxon Street",
        "Bletchley",
        "MK2 2SB",
        51.9946,
        -0.7330,
        false,
        3,
    ),
    (
        "Wolverton Health Centre",
        "Stratford Road",
        "Wolverton",
        "MK12 5NB",
        52.0623,
        -0.8106,
        true,
        3,
    ),
];

/// (code, name, kind, clinicians, role, minutes per appointment)
const SERVICES: [(&str, &str, ServiceKind, usize, ClinicalRole, i64); 6] = [
    (
        "PHYSIO",
        "Community Physiotherapy",
        ServiceKind::Physiotherapy,
        22,
        ClinicalRole::Physiotherapist,
        30,
    ),
    (
        "MSK-INT",
        "Specialist MSK Service",
        ServiceKind::SpecialistMsk,
        7,
        ClinicalRole::AdvancedPractitioner,
        40,
    ),
    (
        "PAIN",
        "Persistent Pain Service",
        ServiceKind::Pain,
        3,
        ClinicalRole::PainSpecialist,
        60,
    ),
    (
        "RHEUM",
        "Rheumatology",
        ServiceKind::Rheumatology,
        3,
        ClinicalRole::Rheumatologist,
        30,
    ),
    (
        "ORTHO",
        "Orthopaedic Assessment",
        ServiceKind::Orthopaedics,
        2,
        ClinicalRole::OrthopaedicSurgeon,
        20,
    ),
    (
        "PODIATRY",
        "MSK Podiatry",
        ServiceKind::Podiatry,
        3,
        ClinicalRole::Podiatrist,
        30,
    ),
];

/// The built region.
pub struct Region {
    /// Services, in the order above.
    pub services: Vec<Service>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Clinicians, grouped by service.
    pub clinicians: Vec<Clinician>,
    /// Each clinician's home location.
    pub home_location: Vec<LocationId>,
    /// Each clinician's appointment length.
    pub minutes: Vec<i64>,
}

impl Region {
    /// The service of `kind`.
    pub fn service(&self, kind: ServiceKind) -> &Service {
        self.services
            .iter()
            .find(|s| s.kind == kind)
            .unwrap_or(&self.services[0])
    }

    /// The rules of the service with `id`.
    pub fn service_rules(&self, id: ServiceId) -> ServiceRules {
        self.services
            .iter()
            .find(|s| s.id == id)
            .map_or_else(ServiceRules::default, |s| s.rules)
    }
}

fn name(rng: &mut ChaCha8Rng) -> anyhow::Result<PersonName> {
    let given = if rng.random_bool(0.6) {
        pick(rng, &FEMALE_NAMES)
    } else {
        pick(rng, &MALE_NAMES)
    };
    person_name(given, pick(rng, &FAMILY_NAMES))
}

/// What a patient needs to know about getting to the demo's locations.
fn location_details(index: usize, town: &str, step_free: bool) -> LocationDetails {
    let parking = match index % 3 {
        0 => "Free car park on site; it fills up by 10am, so allow time.",
        1 => "Pay and display car park next door (free for the first 2 hours).",
        _ => "Street parking only, limited to 2 hours.",
    };
    LocationDetails {
        hearing_loop: index % 3 != 2,
        blue_badge_parking: step_free,
        parking: parking.to_owned(),
        transport: format!(
            "Local buses stop within 5 minutes' walk; {town} station is about 15 minutes away \
             by bus."
        ),
        opening_hours: if index.is_multiple_of(2) {
            "Monday to Friday 8am to 8pm; Saturday 9am to 12:30pm.".to_owned()
        } else {
            "Monday to Friday 8:30am to 5:30pm.".to_owned()
        },
    }
}

/// What the demo's clinicians specialise in.
fn skills(kind: ServiceKind, index: usize) -> Vec<String> {
    let choices: &[&str] = match kind {
        ServiceKind::Physiotherapy => &["spinal", "knee", "shoulder", "hand therapy", "vestibular"],
        ServiceKind::SpecialistMsk => &["spinal injections", "ultrasound", "hip and knee"],
        ServiceKind::Pain => &["pain management programme", "acupuncture"],
        ServiceKind::Rheumatology => &["inflammatory arthritis", "osteoporosis"],
        ServiceKind::Orthopaedics => &["hip and knee", "foot and ankle", "upper limb"],
        ServiceKind::Podiatry => &["biomechanics", "diabetic foot"],
    };
    vec![choices[index % choices.len()].to_owned()]
}

/// Each service sets its own rules; the demo shows that they differ.
fn demo_rules(kind: ServiceKind) -> ServiceRules {
    match kind {
        // Long-term conditions: a year to come back without a new referral.
        ServiceKind::Pain | ServiceKind::Rheumatology => ServiceRules {
            open_access_days: 365,
            ..ServiceRules::default()
        },
        // A surgical opinion is a one-off; a missed one is followed up after the first.
        ServiceKind::Orthopaedics => ServiceRules {
            open_access_days: 90,
            discharge_after_missed: 1,
        },
        _ => ServiceRules::default(),
    }
}

/// Builds the services, locations and clinicians.
pub fn build(rng: &mut ChaCha8Rng) -> anyhow::Result<Region> {
    let services: Vec<Service> = SERVICES
        .iter()
        .map(|(code, name, kind, ..)| Service {
            id: ServiceId::from_uuid(seeded_uuid(rng)),
            code: (*code).to_owned(),
            name: (*name).to_owned(),
            kind: *kind,
            rules: demo_rules(*kind),
        })
        .collect();
    let mut locations = Vec::new();
    for (name, address, town, postcode, latitude, longitude, step_free, _) in LOCATIONS {
        locations.push(Location {
            id: LocationId::from_uuid(seeded_uuid(rng)),
            name: name.to_owned(),
            address: address.to_owned(),
            town: town.to_owned(),
            postcode: Postcode::parse(postcode)
                .map_err(|e| anyhow::anyhow!("demo postcode {postcode}: {e}"))?,
            latitude,
            longitude,
            step_free,
            details: location_details(locations.len(), town, step_free),
        });
    }
    let (mut clinicians, mut home_location, mut minutes) = (Vec::new(), Vec::new(), Vec::new());
    for (service, (_, _, _, count, role, length)) in services.iter().zip(SERVICES) {
        for i in 0..count {
            // Physiotherapists spread over every location; specialists work from the hubs.
            let location = match service.kind {
                ServiceKind::Physiotherapy => &locations[i % locations.len()],
                _ => &locations[[0, 5, 7][i % 3]],
            };
            let role = if service.kind == ServiceKind::Physiotherapy && i % 5 == 4 {
                ClinicalRole::FirstContactPractitioner
            } else {
                role
            };
            clinicians.push(Clinician {
                id: ClinicianId::from_uuid(seeded_uuid(rng)),
                name: name(rng)?,
                role,
                service_id: service.id,
                skills: skills(service.kind, i),
            });
            home_location.push(location.id);
            minutes.push(length);
        }
    }
    Ok(Region {
        services,
        locations,
        clinicians,
        home_location,
        minutes,
    })
}

/// A working session: start hour and minute, end hour and minute, modality.
type Session = ((i8, i8), (i8, i8), Modality);

/// Each clinician's week: mornings and afternoons on most weekdays, one evening for some, a
/// Saturday morning for others, and a video or phone session mid-week.
fn sessions(index: usize, day: Weekday) -> Vec<Session> {
    let morning = ((9, 0), (12, 30), Modality::FaceToFace);
    let afternoon = ((13, 30), (17, 0), Modality::FaceToFace);
    let remote = if index.is_multiple_of(2) {
        Modality::Video
    } else {
        Modality::Phone
    };
    let day_off = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ][index % 5];
    match day {
        Weekday::Sunday => vec![],
        Weekday::Saturday if index % 4 == 1 => vec![((9, 0), (12, 0), Modality::FaceToFace)],
        Weekday::Saturday => vec![],
        d if d == day_off => vec![],
        Weekday::Wednesday => vec![morning, ((13, 30), (17, 0), remote)],
        Weekday::Tuesday | Weekday::Thursday if index.is_multiple_of(3) => {
            vec![
                morning,
                afternoon,
                ((17, 30), (20, 0), Modality::FaceToFace),
            ]
        }
        _ => vec![morning, afternoon],
    }
}

/// A London wall-clock time on `date` as an instant.
pub fn at(date: Date, hour: i8, minute: i8) -> anyhow::Result<Timestamp> {
    Ok(date.at(hour, minute, 0, 0).to_zoned(london())?.timestamp())
}

/// Every clinician's weekly rota from `from`: assessments of their usual length in the
/// mornings, 30-minute follow-ups in the afternoons and remote sessions, either in the
/// evenings and on Saturdays.
pub fn rota(region: &Region, from: Date, rng: &mut ChaCha8Rng) -> Vec<RotaSession> {
    let mut sessions = Vec::new();
    for (index, clinician) in region.clinicians.iter().enumerate() {
        for (_, weekday) in WEEKDAYS {
            for ((start_hour, start_minute), (end_hour, end_minute), modality) in
                self::sessions(index, weekday)
            {
                let (kind, minutes) = match (start_hour, modality) {
                    (17.., _) => (AppointmentKind::Any, region.minutes[index]),
                    (_, Modality::Phone | Modality::Video) => (AppointmentKind::FollowUp, 30),
                    _ if weekday == Weekday::Saturday => {
                        (AppointmentKind::Any, region.minutes[index])
                    }
                    (..13, _) => (AppointmentKind::New, region.minutes[index]),
                    _ => (AppointmentKind::FollowUp, 30),
                };
                sessions.push(RotaSession {
                    id: RotaSessionId::from_uuid(seeded_uuid(rng)),
                    clinician_id: clinician.id,
                    service_id: clinician.service_id,
                    location_id: region.home_location[index],
                    weekday,
                    starts: jiff::civil::time(start_hour, start_minute, 0, 0),
                    ends: jiff::civil::time(end_hour, end_minute, 0, 0),
                    modality,
                    kind,
                    minutes: u32::try_from(minutes).unwrap_or(30),
                    valid_from: from,
                    valid_until: None,
                    on_bank_holidays: false,
                });
            }
        }
    }
    sessions
}
