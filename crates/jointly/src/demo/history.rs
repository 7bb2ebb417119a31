//! A year of history for the demo region: referrals received over the past year, triaged,
//! booked, attended or missed, and discharged; a waiting list; a triage queue. Every change
//! goes through the domain's own transitions, so the history is one the service could make.

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use jointly_app::Content;
use jointly_domain::appointment::{Appointment, AppointmentStatus, book};
use jointly_domain::event::{Actor, DomainEvent};
use jointly_domain::local_date;
use jointly_domain::pathway::DigitalTriage;
use jointly_domain::patient::{Patient, age_on};
use jointly_domain::questionnaire::{QuestionnaireResponse, answers_from_text};
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
    TriageDecision,
};
use jointly_domain::service::ServiceKind;
use jointly_domain::slot::{Modality, Slot, SlotStatus};
use jointly_domain::surgery::{
    DecisionAnswers, DecisionConversation, FitnessChecklist, FitnessItem, ready_for_surgery,
    record_checklist, record_decision,
};
use jointly_domain::{
    AppointmentId, ReferralId, ServiceId, SlotId, StaffUserId, SurgeryDecisionId,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::region::{Region, at};
use super::seeded_uuid;

/// Everything the history adds.
#[derive(Default)]
pub struct History {
    /// Referrals, in their final state.
    pub referrals: Vec<Referral>,
    /// Appointments.
    pub appointments: Vec<Appointment>,
    /// Slots in the past that held appointments.
    pub past_slots: Vec<Slot>,
    /// Every event, in order.
    pub events: Vec<DomainEvent>,
    /// The decision conversation and fitness checklist behind each referral to orthopaedics.
    pub surgery: Vec<(DecisionConversation, FitnessChecklist)>,
}

const DESCRIPTIONS: [&str; 6] = [
    "It started after gardening about six weeks ago and is worse in the mornings.",
    "It has ached for three months. Stairs and getting up from a chair are hard.",
    "I hurt it lifting at work. It keeps me awake at night sometimes.",
    "It comes and goes but has been bad for a month. Painkillers help a little.",
    "Stiff and sore since a fall in the spring. I cannot do my usual walking.",
    "Pain when I reach up or carry shopping. It is affecting my job.",
];

fn problem_area(rng: &mut ChaCha8Rng) -> ProblemArea {
    match rng.random_range(0..100) {
        0..=29 => ProblemArea::Back,
        30..=47 => ProblemArea::Knee,
        48..=62 => ProblemArea::Shoulder,
        63..=72 => ProblemArea::Neck,
        73..=80 => ProblemArea::Hip,
        81..=88 => ProblemArea::AnkleFoot,
        89..=93 => ProblemArea::WristHand,
        94..=96 => ProblemArea::Elbow,
        _ => ProblemArea::Widespread,
    }
}

/// Where triage sends a problem: mostly physiotherapy, with the specialist services taking
/// the share they would.
fn route(rng: &mut ChaCha8Rng, area: ProblemArea) -> ServiceKind {
    let roll = rng.random_range(0..100);
    match area {
        ProblemArea::Widespread if roll < 60 => ServiceKind::Pain,
        ProblemArea::AnkleFoot if roll < 45 => ServiceKind::Podiatry,
        ProblemArea::WristHand if roll < 20 => ServiceKind::Rheumatology,
        ProblemArea::Knee | ProblemArea::Hip if roll < 18 => ServiceKind::SpecialistMsk,
        ProblemArea::Knee | ProblemArea::Hip if roll < 23 => ServiceKind::Orthopaedics,
        ProblemArea::Back if roll < 10 => ServiceKind::SpecialistMsk,
        _ if roll < 3 => ServiceKind::Rheumatology,
        _ => ServiceKind::Physiotherapy,
    }
}

fn priority(rng: &mut ChaCha8Rng) -> Priority {
    match rng.random_range(0..100) {
        0..=4 => Priority::Urgent,
        5..=19 => Priority::Soon,
        _ => Priority::Routine,
    }
}

fn text(value: &str) -> anyhow::Result<FreeText> {
    FreeText::parse(value).map_err(|e| anyhow::anyhow!("demo text: {e}"))
}

/// Answers a person with `area` might give, with no red flags, and their digital triage.
pub fn synthetic_intake(
    rng: &mut ChaCha8Rng,
    content: &Content,
    area: ProblemArea,
    age: i64,
    description: &str,
) -> anyhow::Result<(QuestionnaireResponse, DigitalTriage)> {
    let pick = |rng: &mut ChaCha8Rng, options: &[&str]| {
        options[rng.random_range(0..options.len())].to_owned()
    };
    let impact = ["not_at_all", "a_little", "quite_a_lot", "a_lot"];
    let mut raw: BTreeMap<String, String> = [
        ("area", area.as_str()),
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
        ("description", description),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    raw.insert(
        "side".into(),
        pick(rng, &["left", "right", "both", "not_applicable"]),
    );
    raw.insert(
        "duration".into(),
        pick(
            rng,
            &[
                "two_to_six_weeks",
                "six_to_twelve_weeks",
                "three_to_twelve_months",
                "over_a_year",
            ],
        ),
    );
    raw.insert("pain_score".into(), rng.random_range(2..9).to_string());
    for item in ["function", "sleep", "mood", "worry"] {
        raw.insert(item.into(), pick(rng, &impact));
    }
    raw.insert(
        "work".into(),
        pick(rng, &["not_applicable", "a_little", "quite_a_lot"]),
    );
    raw.insert(
        "confidence".into(),
        pick(rng, &["very", "fairly", "not_very"]),
    );
    let answers = answers_from_text(&content.questionnaire, &raw)
        .map_err(|e| anyhow::anyhow!("demo answers: {e:?}"))?;
    let triage = content
        .pathway
        .triage(&content.questionnaire, &answers, age);
    Ok((
        QuestionnaireResponse::completed(&content.questionnaire, &answers),
        triage,
    ))
}

/// The decision conversation (the person chose surgery) and a complete fitness checklist a
/// clinician recorded before routing `referral` to orthopaedics.
fn surgery_readiness(
    rng: &mut ChaCha8Rng,
    referral: &Referral,
    by: StaffUserId,
    at: Timestamp,
) -> anyhow::Result<(DecisionConversation, FitnessChecklist)> {
    let decision = record_decision(
        referral.id,
        referral.patient_id,
        &DecisionAnswers {
            options: vec!["surgery".into(), "physiotherapy".into(), "injection".into()],
            what_matters: "Walking without pain; physiotherapy and an injection have not helped."
                .into(),
            choice: "surgery".into(),
            preferred: String::new(),
        },
        by,
        SurgeryDecisionId::from_uuid(seeded_uuid(rng)),
        at,
    )
    .map_err(|e| anyhow::anyhow!("demo decision: {e}"))?;
    let answers = FitnessItem::ALL
        .iter()
        .map(|item| (item.as_str().to_owned(), "met".to_owned()))
        .collect();
    let checklist = record_checklist(referral.id, &answers, by, at)
        .map_err(|e| anyhow::anyhow!("demo checklist: {e}"))?;
    Ok((decision, checklist))
}

/// The history generator's inputs.
pub struct Inputs<'a> {
    /// The questionnaire and pathway.
    pub content: &'a Content,
    /// The region.
    pub region: &'a Region,
    /// The patients, one referral each (the first few are scripted by the caller).
    pub patients: &'a [Patient],
    /// Now.
    pub now: Timestamp,
    /// The triage clinician's account.
    pub triager: StaffUserId,
    /// Future free slots; some are booked for people on the waiting list.
    pub future_slots: &'a mut [Slot],
}

/// Generates the history.
pub fn generate(rng: &mut ChaCha8Rng, inputs: Inputs<'_>) -> anyhow::Result<History> {
    let Inputs {
        content,
        region,
        patients,
        now,
        triager,
        future_slots,
    } = inputs;
    let mut history = History::default();
    let mut next_free: HashMap<ServiceId, usize> = HashMap::new();
    let clinicians_by_service: HashMap<ServiceId, Vec<usize>> = region
        .clinicians
        .iter()
        .enumerate()
        .fold(HashMap::new(), |mut map, (i, c)| {
            map.entry(c.service_id).or_default().push(i);
            map
        });
    for patient in patients {
        let days_ago = rng.random_range(0..365i64);
        let received = now
            - SignedDuration::from_hours(24 * days_ago)
            - SignedDuration::from_mins(rng.random_range(30..600));
        let area = problem_area(rng);
        let reference = ReferralReference::from_random(rng.random_range(0..(1u64 << 35)));
        let words = DESCRIPTIONS[rng.random_range(0..DESCRIPTIONS.len())];
        let age = i64::from(age_on(patient.date_of_birth, local_date(received)));
        let (answers, triage) = synthetic_intake(rng, content, area, age, words)?;
        let suggested = triage
            .route()
            .and_then(|r| r.service_kind())
            .map(|kind| (kind, triage.priority()));
        let mut new =
            NewReferral::basic(patient.id, ReferralSource::SelfReferral, area, text(words)?);
        new.answers = Some(answers);
        new.digital_triage = Some(triage);
        let (mut referral, events) = Referral::receive(
            new,
            ReferralId::from_uuid(seeded_uuid(rng)),
            reference,
            Actor::Patient(patient.id),
            received,
        );
        history.events.extend(events);
        if days_ago < 3 {
            history.referrals.push(referral);
            continue;
        }
        // Triage mostly confirms the suggestion; where it suggested advice only, or now and
        // then on a clinician's judgement, it routes elsewhere with a reason.
        let (kind, priority, note) = match suggested {
            Some((kind, priority)) if rng.random_bool(0.85) => (kind, priority, None),
            _ => (
                route(rng, area),
                priority(rng),
                Some(text("Clinical judgement after reading the answers.")?),
            ),
        };
        let service = region.service(kind).id;
        let triaged = received + SignedDuration::from_hours(rng.random_range(4..40));
        let ready_for_surgery = if kind == ServiceKind::Orthopaedics {
            let (decision, checklist) = surgery_readiness(
                rng,
                &referral,
                triager,
                triaged - SignedDuration::from_mins(20),
            )?;
            let ready = ready_for_surgery(referral.id, Some(&decision), Some(&checklist))
                .map_err(|e| anyhow::anyhow!("demo surgery gate: {}", e.as_str()))?;
            history.surgery.push((decision, checklist));
            Some(ready)
        } else {
            None
        };
        let decision = TriageDecision {
            service_id: service,
            service_kind: kind,
            priority,
            note,
            ready_for_surgery,
        };
        history
            .events
            .extend(referral.accept(decision, Actor::Staff(triager), triaged)?);
        let by = Actor::Patient(patient.id);
        if days_ago < 35 {
            // On the waiting list; about a third have already chosen a future appointment.
            if rng.random_bool(0.35) {
                let cursor = next_free.entry(service).or_insert(0);
                let offered = future_slots
                    .iter_mut()
                    .enumerate()
                    .skip(*cursor)
                    .find(|(_, s)| {
                        s.service_id == service
                            && s.status == SlotStatus::Free
                            && s.kind.fits(referral.attended)
                            && s.start > now + SignedDuration::from_hours(24)
                    });
                if let Some((index, slot)) = offered {
                    *cursor = index + 1 + rng.random_range(0..6);
                    let booked_at = now - SignedDuration::from_hours(rng.random_range(1..72));
                    let (appointment, events) = book(
                        slot,
                        &mut referral,
                        AppointmentId::from_uuid(seeded_uuid(rng)),
                        by,
                        booked_at,
                    )?;
                    slot.status = SlotStatus::Booked;
                    history.appointments.push(appointment);
                    history.events.extend(events);
                }
            }
            history.referrals.push(referral);
            continue;
        }
        // Seen in the past: a slot 2 to 8 weeks after triage, with one of the service's clinicians.
        let clinicians = clinicians_by_service
            .get(&service)
            .map_or(&[][..], Vec::as_slice);
        let Some(&clinician) = clinicians.get(rng.random_range(0..clinicians.len().max(1))) else {
            history.referrals.push(referral);
            continue;
        };
        let day = jointly_domain::local_date(
            triaged + SignedDuration::from_hours(24 * rng.random_range(14..56)),
        );
        let start = at(
            day,
            9 + rng.random_range(0..8),
            [0, 30][rng.random_range(0..2)],
        )?;
        if start + SignedDuration::from_hours(48) > now {
            history.referrals.push(referral);
            continue;
        }
        let slot = Slot {
            id: SlotId::from_uuid(seeded_uuid(rng)),
            service_id: service,
            location_id: region.home_location[clinician],
            clinician_id: region.clinicians[clinician].id,
            start,
            end: start + SignedDuration::from_mins(region.minutes[clinician]),
            modality: if rng.random_bool(0.85) {
                Modality::FaceToFace
            } else {
                Modality::Video
            },
            status: SlotStatus::Free,
            kind: jointly_domain::slot::AppointmentKind::New,
        };
        let booked_at = triaged + SignedDuration::from_hours(rng.random_range(24..96));
        let (mut appointment, events) = book(
            &slot,
            &mut referral,
            AppointmentId::from_uuid(seeded_uuid(rng)),
            by,
            booked_at.min(start - SignedDuration::from_hours(3)),
        )?;
        history.events.extend(events);
        // Missed appointments are commoner in the most deprived neighbourhoods, as they are
        // in the NHS, so the dashboards have a gap to find.
        let missed_from = match super::deprivation::decile_of(&patient.postcode) {
            Some(1 | 2) => 82,
            Some(9 | 10) => 91,
            _ => 88,
        };
        let outcome = rng.random_range(0..100);
        appointment.status = match outcome {
            o if o < missed_from => AppointmentStatus::Attended,
            0..=96 => AppointmentStatus::DidNotAttend,
            _ => AppointmentStatus::Cancelled,
        };
        let slot = Slot {
            status: if appointment.status == AppointmentStatus::Cancelled {
                SlotStatus::Free
            } else {
                SlotStatus::Booked
            },
            ..slot
        };
        let rules = region.service_rules(service);
        match appointment.status {
            AppointmentStatus::Cancelled => {
                // Cancelled and not yet rebooked: one of the long waits the dashboards must show.
                history.events.extend(referral.record_cancellation(
                    appointment.id,
                    by,
                    start - SignedDuration::from_hours(30),
                )?);
            }
            AppointmentStatus::DidNotAttend => {
                // A first missed appointment: back on the list to book again.
                history.events.extend(referral.record_missed(
                    appointment.id,
                    rules,
                    Actor::System,
                    slot.end,
                )?);
            }
            _ => {
                let discharged = start + SignedDuration::from_hours(24 * rng.random_range(1..30));
                if discharged < now {
                    history.events.extend(referral.record_attendance(
                        appointment.id,
                        false,
                        rules,
                        Actor::System,
                        discharged,
                    )?);
                }
            }
        }
        history.past_slots.push(slot);
        history.appointments.push(appointment);
        history.referrals.push(referral);
    }
    history.events.sort_by_key(DomainEvent::at);
    Ok(history)
}
