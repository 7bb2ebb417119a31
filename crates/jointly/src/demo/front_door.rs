//! The demo's front door: referring organisations (one with a known API key), and scripted
//! referrals waiting for triage with real answers and digital triage — a Polish speaker's back
//! pain, an emergency red flag, a same-day call back and a GP's referral.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use jointly_app::Content;
use jointly_domain::contact::EmailAddress;
use jointly_domain::event::{Actor, DomainEvent};
use jointly_domain::intake::{
    OdsCode, OrganisationKind, Professional, ProfessionalRole, Referrer, ReferringOrganisation,
};
use jointly_domain::patient::{Patient, age_on};
use jointly_domain::questionnaire::{QuestionnaireResponse, answers_from_text};
use jointly_domain::referral::{
    FreeText, NewReferral, ProblemArea, Referral, ReferralReference, ReferralSource,
};
use jointly_domain::task::{Task, TaskKind};
use jointly_domain::{OrganisationId, ReferralId, local_date};
use uuid::Uuid;

/// The API key of the demo GP practice, printed when the demo starts.
pub const DEMO_API_KEY: &str = "jly_demo-marsh-lane-surgery-not-a-secret";

/// The demo GP practice's ODS code.
pub const DEMO_ODS_CODE: &str = "Y01234";

fn err(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("demo content: {e:?}")
}

/// The organisations that refer in the demo; the first has [`DEMO_API_KEY`].
pub fn organisations() -> anyhow::Result<Vec<ReferringOrganisation>> {
    let organisation = |n: u128, ods: &str, name: &str, kind, email: &str| -> anyhow::Result<_> {
        Ok(ReferringOrganisation {
            id: OrganisationId::from_uuid(Uuid::from_u128(
                0x0196_0000_0000_7000_8000_0000_0000_0100 + n,
            )),
            ods_code: OdsCode::parse(ods).map_err(err)?,
            name: name.to_owned(),
            kind,
            contact_email: EmailAddress::parse(email).map_err(err)?,
            active: true,
        })
    };
    Ok(vec![
        organisation(
            1,
            DEMO_ODS_CODE,
            "Marsh Lane Surgery",
            OrganisationKind::GeneralPractice,
            "referrals.marshlane@nhs.example",
        )?,
        organisation(
            2,
            "FA123",
            "Luton Central Pharmacy",
            OrganisationKind::Pharmacy,
            "luton.central@pharmacy.example",
        )?,
        organisation(
            3,
            "RC971",
            "Luton and Dunstable A&E",
            OrganisationKind::EmergencyDepartment,
            "ed.msk@ldh.example",
        )?,
        organisation(
            4,
            "SP042",
            "Bedford Social Prescribing",
            OrganisationKind::SocialPrescribing,
            "link.workers@bedfordsp.example",
        )?,
    ])
}

/// What the scripted referrals add.
pub struct Scripted {
    /// Referrals awaiting triage.
    pub referrals: Vec<Referral>,
    /// Open tasks for the red flags.
    pub tasks: Vec<Task>,
    /// Their events.
    pub events: Vec<DomainEvent>,
}

/// Answers: the defaults of a person with no red flags, then `changes`.
fn answers(
    content: &Content,
    changes: &[(&str, &str)],
) -> anyhow::Result<(
    QuestionnaireResponse,
    BTreeMap<String, jointly_domain::questionnaire::Answer>,
)> {
    let mut raw: BTreeMap<String, String> = [
        ("side", "not_applicable"),
        ("duration", "two_to_six_weeks"),
        ("injury", "no"),
        ("saddle_numbness", "no"),
        ("bladder_bowel", "no"),
        ("sexual_function", "no"),
        ("leg_symptoms", "no"),
        ("leg_weakness", "no"),
        ("hands_clumsy", "no"),
        ("walking_changed", "no"),
        ("weakness_worse", "none"),
        ("cancer_history", "no"),
        ("weight_loss", "no"),
        ("night_pain", "no"),
        ("fever", "no"),
        ("immunity", "no"),
        ("bone_thinning", "no"),
        ("weight_bearing", "yes"),
        ("hot_swollen_joint", "no"),
        ("many_joints", "no"),
        ("morning_stiffness", "no"),
        ("upper_back_pain", "no"),
        ("pain_score", "6"),
        ("function", "quite_a_lot"),
        ("sleep", "quite_a_lot"),
        ("work", "a_little"),
        ("mood", "a_little"),
        ("worry", "a_little"),
        ("confidence", "fairly"),
        ("description", "It has hurt for a few weeks."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (k, v) in changes {
        raw.insert((*k).to_owned(), (*v).to_owned());
    }
    let answers = answers_from_text(&content.questionnaire, &raw).map_err(err)?;
    Ok((
        QuestionnaireResponse::completed(&content.questionnaire, &answers),
        answers,
    ))
}

/// One scripted referral: who, the answers that differ, how it came in, and how long ago.
struct Script<'a> {
    patient: &'a Patient,
    id: u128,
    reference: u64,
    area: ProblemArea,
    changes: &'a [(&'a str, &'a str)],
    source: ReferralSource,
    referrer: Option<Referrer>,
    hours_ago: i64,
}

/// Tomasz (Polish, back pain, awaiting triage), Grace (saddle numbness: an emergency), Daniel
/// (many swollen joints: a call back today) and a GP's referral for Farida's shoulder.
pub fn scripted(
    content: &Content,
    people: [&Patient; 4],
    now: Timestamp,
) -> anyhow::Result<Scripted> {
    let [tomasz, grace, daniel, farida] = people;
    let gp = Referrer::Professional {
        organisation: organisations()?[0].id,
        professional: Professional {
            name: FreeText::parse("Dr Mei Chen").map_err(err)?,
            role: ProfessionalRole::GeneralPractitioner,
            phone: None,
            email: EmailAddress::parse("mei.chen@nhs.example").map_err(err)?,
        },
    };
    let scripts = [
        Script {
            patient: tomasz,
            id: 2,
            reference: 0x2_3456_789A,
            area: ProblemArea::Back,
            changes: &[
                ("area", "back"),
                ("leg_symptoms", "one_leg"),
                ("duration", "two_to_six_weeks"),
                (
                    "description",
                    "Low back pain for three weeks after moving house. It goes down my left leg. It is hard to sleep.",
                ),
            ],
            source: ReferralSource::SelfReferral,
            referrer: None,
            hours_ago: 2,
        },
        Script {
            patient: grace,
            id: 3,
            reference: 0x3_4567_89AB,
            area: ProblemArea::Back,
            changes: &[
                ("area", "back"),
                ("saddle_numbness", "yes"),
                ("leg_symptoms", "both_legs"),
                ("pain_score", "8"),
                (
                    "description",
                    "Bad back pain since Saturday. Since this morning my bottom feels numb and both legs tingle.",
                ),
            ],
            source: ReferralSource::SelfReferral,
            referrer: None,
            hours_ago: 1,
        },
        Script {
            patient: daniel,
            id: 4,
            reference: 0x4_5678_9ABC,
            area: ProblemArea::WristHand,
            changes: &[
                ("area", "wrist_hand"),
                ("side", "both"),
                ("many_joints", "yes"),
                ("morning_stiffness", "yes"),
                (
                    "description",
                    "For a month my knuckles and toes have been swollen, and my hands are stiff for two hours every morning.",
                ),
            ],
            source: ReferralSource::SelfReferral,
            referrer: None,
            hours_ago: 3,
        },
        Script {
            patient: farida,
            id: 5,
            reference: 0x5_6789_ABCD,
            area: ProblemArea::Shoulder,
            changes: &[
                ("area", "shoulder"),
                ("side", "left"),
                ("duration", "three_to_twelve_months"),
                (
                    "description",
                    "Painful stiff left shoulder for five months; night pain lying on it; diabetic. Please assess for frozen shoulder.",
                ),
            ],
            source: ReferralSource::Professional,
            referrer: Some(gp),
            hours_ago: 20,
        },
    ];
    let mut out = Scripted {
        referrals: Vec::new(),
        tasks: Vec::new(),
        events: Vec::new(),
    };
    for script in scripts {
        let received = now - SignedDuration::from_hours(script.hours_ago);
        let (response, answers) = answers(content, script.changes)?;
        let age = i64::from(age_on(script.patient.date_of_birth, local_date(received)));
        let triage = content
            .pathway
            .triage(&content.questionnaire, &answers, age);
        let description = answers.get("description").map(|a| a.as_code());
        let kinds = match triage.disposition() {
            jointly_domain::pathway::Disposition::Emergency => Some(TaskKind::EmergencyReview),
            jointly_domain::pathway::Disposition::Urgent { .. } => Some(TaskKind::SameDayCallBack),
            jointly_domain::pathway::Disposition::Routed { .. } => None,
        };
        let new = NewReferral {
            patient_id: script.patient.id,
            source: script.source,
            problem_area: script.area,
            description: description
                .map(|d| FreeText::parse(&d))
                .transpose()
                .map_err(err)?,
            answers: Some(response),
            digital_triage: Some(triage),
            referrer: script.referrer,
            assisted_by: None,
            possible_duplicate_of: None,
        };
        let by = match script.source {
            ReferralSource::Professional => Actor::Organisation(organisations()?[0].id),
            _ => Actor::Patient(script.patient.id),
        };
        let (referral, events) = Referral::receive(
            new,
            ReferralId::from_uuid(Uuid::from_u128(
                0x0196_0000_0000_7000_8000_0000_0000_0000 + script.id,
            )),
            ReferralReference::from_random(script.reference),
            by,
            received,
        );
        out.events.extend(events);
        if let Some(kind) = kinds {
            let (task, event) = Task::raise(kind, referral.id, script.patient.id, received);
            out.tasks.push(task);
            out.events.push(event);
        }
        out.referrals.push(referral);
    }
    Ok(out)
}
