//! The FHIR requests the driver sends, the same to every server: each scenario builds its next
//! request from the target's fixture and says which answers count as success.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::civil::Date;
use serde_json::{Value, json};

/// What is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scenario {
    /// `GET Patient/{id}`.
    ReadPatient,
    /// `POST Patient`.
    CreatePatient,
    /// `GET Slot?schedule=…&status=free&start=ge…&start=lt…`.
    SearchSlots,
    /// `POST /` transaction: `PUT Slot` busy and `POST Appointment`.
    Book,
    /// `POST ServiceRequest` with the person, the answers and the referrer contained.
    CreateReferral,
    /// `GET ServiceRequest?patient=…&status=active`.
    SearchReferrals,
    /// `GET CarePlan/{id}`.
    ReadCarePlan,
}

impl Scenario {
    /// Every scenario, in the order run.
    pub(crate) const ALL: [Self; 7] = [
        Self::ReadPatient,
        Self::CreatePatient,
        Self::SearchSlots,
        Self::Book,
        Self::CreateReferral,
        Self::SearchReferrals,
        Self::ReadCarePlan,
    ];

    /// Name in the table.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::ReadPatient => "read Patient",
            Self::CreatePatient => "create Patient",
            Self::SearchSlots => "Slot search",
            Self::Book => "booking txn",
            Self::CreateReferral => "create SR",
            Self::SearchReferrals => "SR search",
            Self::ReadCarePlan => "read CarePlan",
        }
    }

    /// The ratio to the peer DESIGN.md asks for: at least the peer on reads, five times on
    /// searches, creates and bookings.
    pub(crate) fn target_ratio(self) -> f64 {
        match self {
            Self::ReadPatient | Self::ReadCarePlan => 1.0,
            _ => 5.0,
        }
    }
}

/// One slot a booking may take, with the person and referral it is booked for.
#[derive(Clone, Debug)]
pub(crate) struct Bookable {
    /// The slot's id.
    pub(crate) slot: String,
    /// Its start and end (FHIR instants).
    pub(crate) start: String,
    /// End.
    pub(crate) end: String,
    /// The person.
    pub(crate) patient: String,
    /// Their referral.
    pub(crate) referral: String,
}

/// What one server was given before the measurements, for the requests to name.
#[derive(Debug)]
pub(crate) struct Fixture {
    /// People to read and search for.
    pub(crate) patients: Vec<String>,
    /// Care plans to read.
    pub(crate) care_plans: Vec<String>,
    /// The diary slots are searched in.
    pub(crate) schedule: String,
    /// Days with free slots in it.
    pub(crate) days: Vec<Date>,
    /// Slots to book, each once.
    pub(crate) bookable: Mutex<VecDeque<Bookable>>,
    /// One slot and 32 people with referrals, for the race.
    pub(crate) race: Vec<Bookable>,
    /// The Questionnaire's canonical URL, for referrals' answers.
    pub(crate) questionnaire: String,
}

/// NHS numbers in the range never issued (999 000 0000 – 999 999 9999), each once per run.
static NEXT_NUMBER: AtomicU64 = AtomicU64::new(0);

/// A fresh valid NHS number in the test range.
pub(crate) fn nhs_number() -> String {
    loop {
        let n = NEXT_NUMBER.fetch_add(1, Ordering::Relaxed) % 1_000_000;
        let digits = format!("999{n:06}");
        let sum: u32 = digits
            .bytes()
            .zip((2..=10).rev())
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        let check = 11 - sum % 11;
        match check {
            11 => return format!("{digits}0"),
            10 => continue,
            c => return format!("{digits}{c}"),
        }
    }
}

/// Numbers each person, so names and dates of birth differ as real people's do.
static NEXT_PERSON: AtomicU64 = AtomicU64::new(0);

/// A different person each time, as a Patient resource.
pub(crate) fn person(nhs: Option<&str>) -> Value {
    let n = NEXT_PERSON.fetch_add(1, Ordering::Relaxed);
    let family: String = (0..4)
        .map(|i| char::from(b'a' + u8::try_from((n / 26u64.pow(i)) % 26).unwrap_or(0)))
        .collect();
    let born = format!("19{:02}-{:02}-{:02}", 30 + n % 60, 1 + n % 12, 1 + n % 28);
    let mut patient = json!({
        "resourceType": "Patient",
        "name": [{"use": "official", "family": format!("Bench{family}"), "given": ["Sam"]}],
        "gender": "female",
        "birthDate": born,
        "telecom": [{"system": "phone", "value": "07700 900123", "use": "mobile"}],
        "address": [{"use": "home", "line": ["1 High Street"], "city": "Luton", "postalCode": "LU1 3JU"}]
    });
    if let Some(number) = nhs {
        patient["identifier"] =
            json!([{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": number}]);
    }
    patient
}

/// Knee pain for six to twelve weeks, no red flags, as the intake questions' answers.
fn answers(questionnaire: &str) -> Value {
    let coded =
        |id: &str, code: &str| json!({"linkId": id, "answer": [{"valueCoding": {"code": code}}]});
    let boolean = |id: &str, yes: bool| json!({"linkId": id, "answer": [{"valueBoolean": yes}]});
    let mut items = vec![
        coded("area", "knee"),
        coded("side", "left"),
        coded("duration", "six_to_twelve_weeks"),
        coded("injury", "no"),
        coded("leg_weakness", "no"),
        boolean("walking_changed", false),
        coded("weakness_worse", "none"),
        coded("weight_bearing", "yes"),
        json!({"linkId": "pain_score", "answer": [{"valueInteger": 5}]}),
        coded("function", "a_little"),
        coded("sleep", "a_little"),
        coded("work", "a_little"),
        coded("mood", "not_at_all"),
        coded("worry", "a_little"),
        coded("confidence", "fairly"),
        json!({"linkId": "description", "answer": [{"valueString": "Knee pain on stairs"}]}),
    ];
    for flag in [
        "cancer_history",
        "weight_loss",
        "night_pain",
        "fever",
        "immunity",
        "bone_thinning",
        "hot_swollen_joint",
        "many_joints",
        "morning_stiffness",
    ] {
        items.push(boolean(flag, false));
    }
    json!({
        "resourceType": "QuestionnaireResponse", "id": "answers",
        "questionnaire": questionnaire, "status": "completed", "item": items
    })
}

/// A referral from a GP for a new person (a new NHS number each time), everything contained.
pub(crate) fn referral(questionnaire: &str) -> Value {
    let mut patient = person(Some(&nhs_number()));
    patient["id"] = json!("person");
    json!({
        "resourceType": "ServiceRequest",
        "contained": [
            patient,
            {"resourceType": "Practitioner", "id": "gp", "name": [{"prefix": ["Dr"], "given": ["Mei"], "family": "Chen"}],
             "telecom": [{"system": "email", "value": "mei.chen@nhs.example"}],
             "qualification": [{"code": {"coding": [{"system": "https://jointly.example/CodeSystem/referrer-role", "code": "general_practitioner"}]}}]},
            answers(questionnaire)
        ],
        "status": "active",
        "intent": "order",
        "subject": {"reference": "#person"},
        "requester": {"reference": "#gp"},
        "supportingInfo": [{"reference": "#answers"}]
    })
}

/// The booking transaction for one bookable slot.
pub(crate) fn booking(schedule: &str, bookable: &Bookable) -> Value {
    let id = &bookable.slot;
    json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": {"resourceType": "Slot", "id": id, "schedule": {"reference": format!("Schedule/{schedule}")},
                          "status": "busy", "start": bookable.start, "end": bookable.end},
             "request": {"method": "PUT", "url": format!("Slot/{id}")}},
            {"resource": {"resourceType": "Appointment", "status": "booked",
                          "start": bookable.start, "end": bookable.end,
                          "slot": [{"reference": format!("Slot/{id}")}],
                          "basedOn": [{"reference": format!("ServiceRequest/{}", bookable.referral)}],
                          "participant": [{"actor": {"reference": format!("Patient/{}", bookable.patient)}, "status": "accepted"}]},
             "request": {"method": "POST", "url": "Appointment"}}
        ]
    })
}

/// A request: method, path (after the base) and body.
pub(crate) type Request = (reqwest::Method, String, Option<Value>);

/// The next request of `scenario` for client `n`, or `None` when there is nothing left to do
/// (every slot booked).
pub(crate) fn next(scenario: Scenario, fixture: &Fixture, n: u64) -> Option<Request> {
    let pick = |list: &[String]| list[usize::try_from(n).unwrap_or(0) % list.len()].clone();
    Some(match scenario {
        Scenario::ReadPatient => (
            reqwest::Method::GET,
            format!("Patient/{}", pick(&fixture.patients)),
            None,
        ),
        Scenario::CreatePatient => (
            reqwest::Method::POST,
            "Patient".into(),
            Some(person(Some(&nhs_number()))),
        ),
        Scenario::SearchSlots => {
            let day = fixture.days[usize::try_from(n).unwrap_or(0) % fixture.days.len()];
            let next = day.tomorrow().unwrap_or(day);
            (
                reqwest::Method::GET,
                format!(
                    "Slot?schedule=Schedule/{}&status=free&start=ge{day}&start=lt{next}&_count=20",
                    fixture.schedule
                ),
                None,
            )
        }
        Scenario::Book => {
            let bookable = fixture.bookable.lock().ok()?.pop_front()?;
            (
                reqwest::Method::POST,
                String::new(),
                Some(booking(&fixture.schedule, &bookable)),
            )
        }
        Scenario::CreateReferral => (
            reqwest::Method::POST,
            "ServiceRequest".into(),
            Some(referral(&fixture.questionnaire)),
        ),
        Scenario::SearchReferrals => (
            reqwest::Method::GET,
            format!(
                "ServiceRequest?patient=Patient/{}&status=active",
                pick(&fixture.patients)
            ),
            None,
        ),
        Scenario::ReadCarePlan => (
            reqwest::Method::GET,
            format!("CarePlan/{}", pick(&fixture.care_plans)),
            None,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_pass_the_check_and_never_repeat() {
        let numbers: Vec<String> = (0..50).map(|_| nhs_number()).collect();
        for number in &numbers {
            assert!(
                jointly_domain::nhs_number::NhsNumber::parse(number).is_ok(),
                "{number}"
            );
            assert!(number.starts_with("999"));
        }
        let mut unique = numbers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), numbers.len());
    }
}
