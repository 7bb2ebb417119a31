//! The demo's feedback: Friends and Family Test answers after appointments (through the link
//! in the message, once per referral), online and on paper, some tagged with themes, two
//! stories people agreed to publish, concerns at each stage (one overdue), and the
//! improvements made because of them ("you said, we did").

use std::collections::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::feedback::{
    Concern, ConcernAnswers, Feedback, FeedbackAnswers, FeedbackContext, Improvement,
    ImprovementAnswers, Mode, Moment, Theme, improvement, new_concern, new_feedback,
};
use jointly_domain::rota::BankHolidays;
use jointly_domain::{ConcernId, FeedbackId, ImprovementId, StaffUserId};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::history::History;
use super::seeded_uuid;

/// What people said, by how it went: (answer, comment, themes).
const SAID: [(&str, &str, &[Theme]); 10] = [
    (
        "very_good",
        "The physio explained everything and the exercises really help.",
        &[Theme::Staff, Theme::Information],
    ),
    (
        "very_good",
        "Seen quickly and booked online at a time that suited my shifts.",
        &[Theme::Booking, Theme::Waiting],
    ),
    (
        "good",
        "Friendly staff. The car park was full so I was nearly late.",
        &[Theme::Staff, Theme::Access],
    ),
    (
        "good",
        "Good treatment, but I would have liked a text the day before.",
        &[Theme::Treatment, Theme::Communication],
    ),
    (
        "very_good",
        "My knee is so much better. Thank you.",
        &[Theme::Treatment],
    ),
    (
        "neither",
        "Fine, but I waited eight weeks for the first appointment.",
        &[Theme::Waiting],
    ),
    (
        "poor",
        "Nobody told me the clinic had moved rooms.",
        &[Theme::Communication, Theme::Access],
    ),
    (
        "good",
        "The video appointment saved me a long bus journey.",
        &[Theme::Digital, Theme::Access],
    ),
    (
        "very_poor",
        "I could not get through on the phone for two days.",
        &[Theme::Communication],
    ),
    (
        "dont_know",
        "Too early to say; I have only had one session.",
        &[],
    ),
];

/// The demo's feedback, concerns and improvements.
pub struct Generated {
    /// Feedback.
    pub feedback: Vec<Feedback>,
    /// Concerns.
    pub concerns: Vec<Concern>,
    /// Improvements.
    pub improvements: Vec<Improvement>,
}

fn domain<T>(result: Result<T, jointly_domain::DomainError>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("demo feedback: {e}"))
}

/// Feedback on about a third of the attended appointments of `history`, and the rest.
pub fn generate(
    history: &History,
    holidays: &BankHolidays,
    handler: StaffUserId,
    now: Timestamp,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Generated> {
    let slots: HashMap<_, _> = history.past_slots.iter().map(|s| (s.id, s)).collect();
    let services: HashMap<_, _> = history
        .referrals
        .iter()
        .map(|r| (r.id, r.service_id))
        .collect();
    let mut asked = HashSet::new();
    let mut feedback = Vec::new();
    for appointment in &history.appointments {
        let Some(slot) = slots.get(&appointment.slot_id) else {
            continue;
        };
        if appointment.status != AppointmentStatus::Attended
            || !asked.insert(appointment.referral_id)
            || rng.random_range(0..3) != 0
        {
            continue;
        }
        let (answer, comment, themes) = SAID[rng.random_range(0..SAID.len())];
        let mut given = domain(new_feedback(
            &FeedbackAnswers {
                answer: answer.into(),
                comment: comment.into(),
                ..FeedbackAnswers::default()
            },
            FeedbackContext {
                patient_id: Some(appointment.patient_id),
                referral_id: Some(appointment.referral_id),
                service_id: services.get(&appointment.referral_id).copied().flatten(),
                moment: Moment::AfterAppointment,
                mode: Mode::MessageLink,
                entered_by_staff: false,
            },
            FeedbackId::from_uuid(seeded_uuid(rng)),
            slot.end + SignedDuration::from_hours(rng.random_range(2..30)),
        ))?;
        // Customer care has tagged the older ones.
        if now.duration_since(given.at) > SignedDuration::from_hours(24 * 7) {
            given.themes = themes.to_vec();
        }
        feedback.push(given);
    }
    let extra: [(&str, &str, &str, &str, Mode, i64); 4] = [
        (
            "very_good",
            "You helped me get back to work.",
            "After my back went I could not lift my grandson. Six weeks of exercises later I can, and I am back at work.",
            "yes",
            Mode::Online,
            40,
        ),
        (
            "good",
            "Easy to refer myself.",
            "I used the website at 11pm and had a call the next day. I did not need to see my GP first.",
            "yes",
            Mode::Online,
            12,
        ),
        (
            "poor",
            "The waiting room was too cold.",
            "",
            "",
            Mode::Paper,
            20,
        ),
        (
            "very_good",
            "Lovely, patient physio.",
            "",
            "",
            Mode::Telephone,
            5,
        ),
    ];
    for (answer, comment, story, publish, mode, days_ago) in extra {
        let mut given = domain(new_feedback(
            &FeedbackAnswers {
                answer: answer.into(),
                comment: comment.into(),
                story: story.into(),
                publish: publish.into(),
                mode: mode.as_str().into(),
            },
            FeedbackContext {
                patient_id: None,
                referral_id: None,
                service_id: None,
                moment: Moment::AnyTime,
                mode,
                entered_by_staff: matches!(mode, Mode::Paper | Mode::Telephone),
            },
            FeedbackId::from_uuid(seeded_uuid(rng)),
            now - SignedDuration::from_hours(24 * days_ago),
        ))?;
        given.themes = vec![Theme::Other];
        feedback.push(given);
    }

    let mut concerns = Vec::new();
    for (name, contact, text, days_ago, acted) in [
        (
            "Maria Santos",
            "07700 900417",
            "I was discharged after missing one appointment, but I had told you I was in hospital.",
            9,
            0,
        ),
        (
            "Peter Hall",
            "peter.hall@example.com",
            "The letter about my appointment came after the appointment date.",
            6,
            1,
        ),
        (
            "Anon Carer",
            "01632 960555",
            "My mother needs an interpreter and none was booked, so the appointment was wasted.",
            30,
            2,
        ),
    ] {
        let mut concern = domain(new_concern(
            &ConcernAnswers {
                name: name.into(),
                contact: contact.into(),
                concern: text.into(),
            },
            None,
            holidays,
            ConcernId::from_uuid(seeded_uuid(rng)),
            now - SignedDuration::from_hours(24 * days_ago),
        ))?;
        if acted >= 1 {
            domain(concern.act("acknowledged", "", "0", handler))?;
        }
        if acted >= 2 {
            domain(concern.act(
                "responded",
                "We are sorry. We have booked an Urdu interpreter for every appointment and added the need to your mother's record so it is flagged on every list.",
                "1",
                handler,
            ))?;
        }
        concerns.push(concern);
    }

    let mut improvements = Vec::new();
    for (theme, you_said, we_did, owner, status, published) in [
        (
            "access",
            "The car park at Bedford Health Village is full in the mornings.",
            "We reserved twenty spaces for patients until 11am.",
            "Estates manager",
            "done",
            "yes",
        ),
        (
            "booking",
            "Appointments clash with work.",
            "Tuesday and Thursday evening clinics in Luton and Milton Keynes, bookable online.",
            "Physiotherapy lead",
            "done",
            "yes",
        ),
        (
            "communication",
            "We are not told when the clinic is running late.",
            "Patients now get a text when their clinic runs more than 15 minutes late.",
            "Clinic coordinator",
            "done",
            "yes",
        ),
        (
            "waiting",
            "The wait for a first appointment is too long.",
            "Group knee classes so more people start treatment sooner; we publish the waits on the website.",
            "Service manager",
            "in_progress",
            "yes",
        ),
        (
            "communication",
            "The phone line is hard to get through on.",
            "A call-back option on the phone line.",
            "Service manager",
            "planned",
            "",
        ),
    ] {
        improvements.push(domain(improvement(
            &ImprovementAnswers {
                theme: theme.into(),
                you_said: you_said.into(),
                we_did: we_did.into(),
                owner: owner.into(),
                status: status.into(),
                due: String::new(),
                published: published.into(),
            },
            ImprovementId::from_uuid(seeded_uuid(rng)),
            now - SignedDuration::from_hours(24 * rng.random_range(3..60)),
        ))?);
    }
    Ok(Generated {
        feedback,
        concerns,
        improvements,
    })
}
