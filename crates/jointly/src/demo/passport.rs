//! One person's passport across two services, for the demo: Ruth Adeyemi saw community
//! physiotherapy for her knee (two appointments, discharged with open access), then came back
//! through the front door and was seen by the MSK interface service. Her passport holds what
//! matters to her, goals, treatment plans and clinical notes from both services, a decision
//! conversation about surgery, her exercise programme with four weeks of sessions, and outcome
//! measures from the start of her care to now. Everything goes through the domain's own rules.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use jointly_domain::appointment::{Appointment, attend, book};
use jointly_domain::conversation::Author;
use jointly_domain::directory::{SignpostAnswers, Signposting, new_signposting};
use jointly_domain::event::{Actor, DomainEvent};
use jointly_domain::exercise::{ExerciseLog, Programme, new_log, new_programme};
use jointly_domain::measure::{Asked, MeasureResponse, Timepoint, score};
use jointly_domain::passport::{
    About, AboutAnswers, ClinicalNote, ClinicalNoteAnswers, EntryKind, Goal, GoalStatus,
    PassportEntry, change_about, new_clinical_note, new_discharge_summary, new_entry, new_goal,
};
use jointly_domain::patient::Patient;
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
    TriageDecision,
};
use jointly_domain::service::ServiceKind;
use jointly_domain::slot::{AppointmentKind, Modality, Slot, SlotStatus};
use jointly_domain::surgery::{DecisionAnswers, DecisionConversation, record_decision};
use jointly_domain::{
    AppointmentId, ClinicalNoteId, ExerciseLogId, GoalId, MeasureResponseId, PassportEntryId,
    ProgrammeId, ReferralId, SignpostingId, SlotId, StaffUserId, SurgeryDecisionId, local_date,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::region::{Region, at};
use super::seeded_uuid;

/// Ruth's journey and passport.
#[derive(Default)]
pub struct Story {
    /// Her two referrals.
    pub referrals: Vec<Referral>,
    /// Her three appointments, all attended.
    pub appointments: Vec<Appointment>,
    /// The slots they were in.
    pub slots: Vec<Slot>,
    /// What happened, in order.
    pub events: Vec<DomainEvent>,
    /// What matters to her.
    pub about: Option<About>,
    /// Her goals.
    pub goals: Vec<Goal>,
    /// Treatment plans and her own notes.
    pub entries: Vec<PassportEntry>,
    /// The care team's notes.
    pub notes: Vec<ClinicalNote>,
    /// The decision conversation about surgery.
    pub decision: Option<DecisionConversation>,
    /// Her exercise programme and sessions.
    pub programme: Option<(Programme, Vec<ExerciseLog>)>,
    /// Her outcome measures.
    pub measures: Vec<MeasureResponse>,
    /// Where her clinicians signposted and referred her.
    pub signpostings: Vec<Signposting>,
}

/// Who wrote in Ruth's passport: the triage clinician, the physiotherapist and the MSK
/// interface practitioner (staff accounts).
pub struct Authors {
    /// Triage.
    pub triage: StaffUserId,
    /// Physiotherapy.
    pub physio: StaffUserId,
    /// MSK interface service.
    pub msk: StaffUserId,
}

fn text(words: &str) -> anyhow::Result<FreeText> {
    FreeText::parse(words).map_err(|e| anyhow::anyhow!("{e}"))
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn domain<T>(result: Result<T, jointly_domain::DomainError>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("demo passport: {e}"))
}

/// An attended appointment `days_ago` at 10:00 in `kind`'s service, with its first clinician.
#[allow(clippy::too_many_arguments)]
fn seen(
    story: &mut Story,
    rng: &mut ChaCha8Rng,
    region: &Region,
    referral: &mut Referral,
    kind: ServiceKind,
    day: Timestamp,
    follow_up: bool,
    patient: &Patient,
) -> anyhow::Result<AppointmentId> {
    let service = region.service(kind);
    let clinician = region
        .clinicians
        .iter()
        .position(|c| c.service_id == service.id)
        .unwrap_or(0);
    let start = at(local_date(day), 10, 0)?;
    let slot = Slot {
        id: SlotId::from_uuid(seeded_uuid(rng)),
        service_id: service.id,
        location_id: region.home_location[clinician],
        clinician_id: region.clinicians[clinician].id,
        start,
        end: start + SignedDuration::from_mins(region.minutes[clinician]),
        modality: Modality::FaceToFace,
        status: SlotStatus::Free,
        kind: if referral.attended > 0 {
            AppointmentKind::FollowUp
        } else {
            AppointmentKind::New
        },
    };
    let (mut appointment, events) = domain(book(
        &slot,
        referral,
        AppointmentId::from_uuid(seeded_uuid(rng)),
        Actor::Patient(patient.id),
        start - days(12),
    ))?;
    story.events.extend(events);
    let slot = Slot {
        status: SlotStatus::Booked,
        ..slot
    };
    story.events.extend(domain(attend(
        &mut appointment,
        &slot,
        referral,
        follow_up,
        service.rules,
        Actor::System,
        slot.end,
    ))?);
    let id = appointment.id;
    story.slots.push(slot);
    story.appointments.push(appointment);
    Ok(id)
}

/// Ruth's story as of `now`.
pub fn ruth(
    rng: &mut ChaCha8Rng,
    region: &Region,
    patient: &Patient,
    by: &Authors,
    now: Timestamp,
) -> anyhow::Result<Story> {
    let mut story = Story::default();
    let me = Author::Patient(patient.id);

    // First episode: community physiotherapy, discharged with open access.
    let received = now - days(120);
    let words =
        "My left knee aches after walking and stairs are hard. I run a stall at the market.";
    let new = NewReferral::basic(
        patient.id,
        ReferralSource::SelfReferral,
        ProblemArea::Knee,
        text(words)?,
    );
    let (mut physio_referral, events) = Referral::receive(
        new,
        ReferralId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0051)),
        ReferralReference::from_random(0x3_9F2C_4D17),
        Actor::Patient(patient.id),
        received,
    );
    story.events.extend(events);
    let physio = region.service(ServiceKind::Physiotherapy);
    story.events.extend(domain(physio_referral.accept(
        TriageDecision {
            service_id: physio.id,
            service_kind: ServiceKind::Physiotherapy,
            priority: Priority::Routine,
            note: Some(text(
                "Knee osteoarthritis symptoms; exercise-based care first.",
            )?),
            ready_for_surgery: None,
        },
        Actor::Staff(by.triage),
        received + days(1),
    ))?);
    let first = seen(
        &mut story,
        rng,
        region,
        &mut physio_referral,
        ServiceKind::Physiotherapy,
        now - days(100),
        true,
        patient,
    )?;
    let second = seen(
        &mut story,
        rng,
        region,
        &mut physio_referral,
        ServiceKind::Physiotherapy,
        now - days(72),
        false,
        patient,
    )?;

    // Second episode: back through the front door, seen by the MSK interface service.
    let received = now - days(45);
    let words = "The knee is giving way now and wakes me at night. My GP suggested I come back.";
    let new = NewReferral::basic(
        patient.id,
        ReferralSource::SelfReferral,
        ProblemArea::Knee,
        text(words)?,
    );
    let (mut msk_referral, events) = Referral::receive(
        new,
        ReferralId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0052)),
        ReferralReference::from_random(0x4_7A1B_2E63),
        Actor::Patient(patient.id),
        received,
    );
    story.events.extend(events);
    let msk = region.service(ServiceKind::SpecialistMsk);
    story.events.extend(domain(msk_referral.accept(
        TriageDecision {
            service_id: msk.id,
            service_kind: ServiceKind::SpecialistMsk,
            priority: Priority::Soon,
            note: Some(text(
                "Giving way and night pain after physiotherapy: assessment and imaging.",
            )?),
            ready_for_surgery: None,
        },
        Actor::Staff(by.triage),
        received + days(1),
    ))?);
    let third = seen(
        &mut story,
        rng,
        region,
        &mut msk_referral,
        ServiceKind::SpecialistMsk,
        now - days(30),
        true,
        patient,
    )?;

    // What matters to her, and her goals.
    story.about = Some(domain(change_about(
        &About::default(),
        &AboutAnswers {
            what_matters: "Keeping my market stall going and walking my dog, Bisi, to the park."
                .into(),
            work: "Self-employed; on my feet from 6am on market days.".into(),
            mood: "Worried I will have to give up the stall.".into(),
            sleep: "The knee wakes me most nights.".into(),
            social: "My daughter helps on the stall on Saturdays.".into(),
            version: "0".into(),
        },
        me,
        now - days(99),
    ))?);
    let mut stairs = domain(new_goal(
        patient.id,
        "Climb the stairs at home without holding the rail",
        Author::Staff(by.physio),
        GoalId::from_uuid(seeded_uuid(rng)),
        now - days(100),
    ))?;
    stairs.status = GoalStatus::Achieved;
    stairs.updated_at = now - days(72);
    let dog = domain(new_goal(
        patient.id,
        "Walk Bisi to the park and back without stopping",
        me,
        GoalId::from_uuid(seeded_uuid(rng)),
        now - days(99),
    ))?;
    story.goals = vec![stairs, dog];

    // Plans and notes from both services.
    let entries = [
        (
            first,
            by.physio,
            100,
            "Your knee pain fits with osteoarthritis. Exercise is the best treatment: do the \
             strengthening exercises in your portal five days a week. Pace the market days.",
            [
                "Knee aches after 20 minutes' walking; stairs hard.",
                "Good range; weak quadriceps.",
                "Knee osteoarthritis, moderate.",
                "Strengthening programme; review in 4 weeks.",
            ],
        ),
        (
            second,
            by.physio,
            72,
            "You are stronger and the stairs are easier. Keep the exercises going three times \
             a week. If it gets worse, book straight back in through your portal within 3 months.",
            [
                "Stairs easier; still sore after market days.",
                "Quadriceps stronger.",
                "Improving; self-managing.",
                "Discharge with open access; continue programme.",
            ],
        ),
        (
            third,
            by.msk,
            30,
            "We talked about the giving way. An X-ray is booked. We looked at the choices, \
             including an operation one day; you want time to think, and to keep up the new \
             exercises meanwhile. We will review in 6 weeks.",
            [
                "Giving way twice a week; night pain.",
                "Mild effusion; ligaments intact.",
                "Progressing knee osteoarthritis.",
                "X-ray; revised programme; shared decision about surgery; review 6 weeks.",
            ],
        ),
    ];
    for (appointment, author, days_ago, plan, [s, o, a, p]) in entries {
        // Written after the 10am appointment.
        let when = at(local_date(now - days(days_ago)), 12, 30)?;
        story.entries.push(domain(new_entry(
            patient.id,
            EntryKind::TreatmentPlan(appointment),
            plan,
            Author::Staff(author),
            PassportEntryId::from_uuid(seeded_uuid(rng)),
            when,
        ))?);
        story.notes.push(domain(new_clinical_note(
            patient.id,
            appointment,
            &ClinicalNoteAnswers {
                subjective: s.into(),
                objective: o.into(),
                assessment: a.into(),
                plan: p.into(),
            },
            author,
            ClinicalNoteId::from_uuid(seeded_uuid(rng)),
            when,
        ))?);
    }
    // The physiotherapist's discharge summary, sent to her and her GP practice.
    story.entries.push(domain(new_discharge_summary(
        &physio_referral,
        false,
        "Two appointments for knee osteoarthritis. Your quadriceps are stronger, the stairs are \
         easier and you met your stairs goal. Keep the exercises going three times a week and \
         keep walking. If the same problem comes back within 6 months, book straight back in \
         through your portal; otherwise refer yourself again or see your GP.",
        by.physio,
        PassportEntryId::from_uuid(seeded_uuid(rng)),
        at(local_date(now - days(72)), 12, 45)?,
    ))?);
    // Signposted to pages and a walking group by the physiotherapist; referred to a
    // strength class by the MSK practitioner.
    let directory = jointly_domain::directory::Directory::parse(include_str!(
        "../../../../content/directory/community.toml"
    ))
    .map_err(|e| anyhow::anyhow!(e))?;
    let education = jointly_domain::education::Education::parse(
        include_str!("../../../../content/education/topics.toml"),
        |_| true,
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    for (resource, action, note, author, days_ago) in [
        ("topic:knee-pain", "signposted", "", by.physio, 100),
        (
            "service:bedford-health-walks",
            "signposted",
            "Saturday mornings, before the market opens up, or Wednesdays.",
            by.physio,
            72,
        ),
        (
            "topic:managing-pain",
            "signposted",
            "For the nights the knee wakes you.",
            by.msk,
            30,
        ),
        (
            "service:luton-strength-and-balance",
            "referred",
            "Referred for the 12-week class; the Sunday session fits around market days.",
            by.msk,
            30,
        ),
    ] {
        story.signpostings.push(domain(new_signposting(
            patient.id,
            &SignpostAnswers {
                resource: resource.into(),
                action: action.into(),
                note: note.into(),
            },
            &directory,
            &education,
            author,
            SignpostingId::from_uuid(seeded_uuid(rng)),
            at(local_date(now - days(days_ago)), 13, 0)?,
        ))?);
    }
    story.entries.push(domain(new_entry(
        patient.id,
        EntryKind::PatientNote,
        "Market day was easier this week. I did the exercises before opening up.",
        me,
        PassportEntryId::from_uuid(seeded_uuid(rng)),
        now - days(9),
    ))?);
    story.decision = Some(domain(record_decision(
        msk_referral.id,
        patient.id,
        &DecisionAnswers {
            options: vec![
                "surgery".into(),
                "physiotherapy".into(),
                "injection".into(),
                "weight_management".into(),
            ],
            what_matters: "Keeping the stall going; worried about time off work for an operation."
                .into(),
            choice: "undecided".into(),
            preferred: String::new(),
        },
        by.msk,
        SurgeryDecisionId::from_uuid(seeded_uuid(rng)),
        at(local_date(now - days(30)), 12, 40)?,
    ))?);

    // The programme set at the MSK appointment, and four weeks of sessions.
    let set_at = at(local_date(now - days(30)), 12, 50)?;
    let programme = domain(new_programme(
        &jointly_domain::exercise::Library::parse(include_str!(
            "../../../../content/exercises/library.toml"
        ))
        .map_err(|e| anyhow::anyhow!(e))?,
        patient.id,
        &fields(&[
            ("quad-set", "yes"),
            ("quad-set_sets", "3"),
            ("quad-set_reps", "10"),
            ("quad-set_per_week", "5"),
            ("sit-to-stand", "yes"),
            ("sit-to-stand_sets", "2"),
            ("sit-to-stand_reps", "8"),
            ("sit-to-stand_per_week", "4"),
            (
                "sit-to-stand_progression",
                "Add a set when 8 feel easy, then try step ups.",
            ),
            ("bridge", "yes"),
            ("bridge_sets", "2"),
            ("bridge_reps", "10"),
            ("bridge_per_week", "3"),
        ]),
        by.msk,
        ProgrammeId::from_uuid(seeded_uuid(rng)),
        set_at,
    ))?;
    let mut logs = Vec::new();
    for day_ago in (1..=29).rev() {
        // Most days at first, fewer on market days later; pain easing from 6 to 3.
        if rng.random_range(0..100) < 35 {
            continue;
        }
        let on = local_date(now - days(day_ago)).to_string();
        let pain = (3 + day_ago / 9).min(6).to_string();
        let mut answers = fields(&[
            ("on", on.as_str()),
            ("pain", pain.as_str()),
            (
                "difficulty",
                if day_ago > 14 { "too_hard" } else { "right" },
            ),
            ("done_quad-set", "yes"),
        ]);
        if day_ago % 2 == 0 {
            answers.insert("done_sit-to-stand".into(), "yes".into());
        }
        if day_ago % 3 == 0 {
            answers.insert("done_bridge".into(), "yes".into());
        }
        logs.push(domain(new_log(
            &programme,
            &answers,
            ExerciseLogId::from_uuid(seeded_uuid(rng)),
            now - days(day_ago) + SignedDuration::from_hours(10),
        ))?);
    }
    story.programme = Some((programme, logs));

    // Outcome measures at the start, at discharge from physiotherapy, at the MSK appointment
    // and this week.
    let measures = jointly_domain::measure::Measures::parse(include_str!(
        "../../../../content/measures/measures.toml"
    ))
    .map_err(|e| anyhow::anyhow!(e))?;
    let answers = [
        (100, Timepoint::Start, ["7", "7", "6", "6", "2"]),
        (72, Timepoint::Discharge, ["4", "4", "3", "4", "5"]),
        (30, Timepoint::Start, ["6", "6", "5", "7", "4"]),
        (3, Timepoint::During, ["4", "3", "3", "4", "6"]),
    ];
    for (days_ago, timepoint, [pain, daily, work, sleep, ability]) in answers {
        let asked = Asked {
            patient_id: patient.id,
            timepoint,
            request_id: None,
        };
        let when = now - days(days_ago) + SignedDuration::from_hours(1);
        for (code, given) in [
            ("pain", fields(&[("average", pain)])),
            (
                "function",
                fields(&[("daily", daily), ("work", work), ("sleep", sleep)]),
            ),
            (
                "goal",
                fields(&[("activity", "Walk Bisi to the park"), ("ability", ability)]),
            ),
        ] {
            let measure = measures
                .get(code)
                .ok_or_else(|| anyhow::anyhow!("no {code} measure"))?;
            story.measures.push(domain(score(
                measure,
                asked,
                &given,
                me,
                MeasureResponseId::from_uuid(seeded_uuid(rng)),
                when,
            ))?);
        }
    }
    story.referrals = vec![physio_referral, msk_referral];
    Ok(story)
}
