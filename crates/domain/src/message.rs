//! Which messages an event causes, to whom and by which channel. Message bodies are rendered
//! later, at send time, from the template and the ids carried here: no personal data is queued.

use serde::{Deserialize, Serialize};

use crate::contact::ContactChannel;
use crate::error::Invalid;
use crate::event::DomainEvent;
use crate::feedback::Moment;
use crate::ids::{
    AppointmentId, NoteId, OfferId, OrganisationId, PatientId, ReferralId, StaffUserId, TaskId,
};
use crate::patient::Patient;
use crate::referral::DischargeReason;
use crate::task::TaskKind;

/// A kind of message; each has wording per language in the notify templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageTemplate {
    /// A one-time code to sign in to the portal.
    SignInCode,
    /// We have your referral; here is your reference and what happens next.
    ReferralReceived,
    /// Your answers need emergency care now: go to A&E or call 999.
    EmergencyAdvice,
    /// A clinician will call you today.
    CallBackToday,
    /// Your referral was accepted into a service; you can now book.
    ReferralAccepted,
    /// A clinician reviewed your referral and gave advice (to you, or to your referrer).
    AdviceGiven,
    /// A clinician has a question for you.
    QuestionFromClinician,
    /// Your appointment is booked.
    AppointmentBooked,
    /// Your appointment has moved to another time.
    AppointmentChanged,
    /// Your appointment is cancelled; choose another.
    AppointmentCancelled,
    /// An earlier appointment has come free: take it before it expires.
    SlotOffered,
    /// The earlier appointment we offered has gone to someone else.
    SlotGone,
    /// To a referring organisation: we have your referral.
    ReferralAcknowledged,
    /// To a referring organisation: advice and guidance instead of an appointment.
    AdviceAndGuidance,
    /// To the on-duty triage clinician: an emergency red flag needs review now.
    EmergencyAlert,
    /// A reminder of an upcoming appointment.
    AppointmentReminder,
    /// The clinic is running late today.
    RunningLate,
    /// You missed your appointment; please choose another.
    AppointmentMissed,
    /// You have missed as many appointments as the service allows and are discharged.
    DischargedAfterMissed,
    /// You need a follow-up appointment; choose one.
    FollowUpNeeded,
    /// Your care is complete; you may book again directly until a date (open access).
    Discharged,
    /// You are still on our waiting list; here is how long we expect it to be.
    WaitUpdate,
    /// Do you still need this appointment? Tell us, so no one waits for nothing.
    StillNeeded,
    /// You have a place in a class.
    ClassBooked,
    /// The class is full; you are on its waiting list.
    ClassWaiting,
    /// Your care team has written to you in the portal (the words stay there).
    CareTeamMessage,
    /// Please answer a few short questions about how you are (outcome measures).
    MeasuresDue,
    /// Your treatment plan after an appointment (the words, except by text message).
    TreatmentPlan,
    /// Your discharge summary: what was done, what to do now, how to come back.
    DischargeSummary,
    /// To the person's GP practice: the discharge summary.
    DischargeSummaryToGp,
    /// How was your experience of our service? (the Friends and Family Test, by a link).
    FeedbackRequest,
}

impl MessageTemplate {
    /// Messages that cannot wait: never held for quiet hours or a per-person rate limit.
    pub fn is_urgent(self) -> bool {
        matches!(
            self,
            Self::EmergencyAdvice | Self::CallBackToday | Self::RunningLate
        )
    }

    /// Every template.
    pub const ALL: [MessageTemplate; 31] = [
        Self::SignInCode,
        Self::ReferralReceived,
        Self::EmergencyAdvice,
        Self::CallBackToday,
        Self::ReferralAccepted,
        Self::AdviceGiven,
        Self::QuestionFromClinician,
        Self::AppointmentBooked,
        Self::AppointmentChanged,
        Self::AppointmentCancelled,
        Self::SlotOffered,
        Self::SlotGone,
        Self::ReferralAcknowledged,
        Self::AdviceAndGuidance,
        Self::EmergencyAlert,
        Self::AppointmentReminder,
        Self::RunningLate,
        Self::AppointmentMissed,
        Self::DischargedAfterMissed,
        Self::FollowUpNeeded,
        Self::Discharged,
        Self::WaitUpdate,
        Self::StillNeeded,
        Self::ClassBooked,
        Self::ClassWaiting,
        Self::CareTeamMessage,
        Self::MeasuresDue,
        Self::TreatmentPlan,
        Self::DischargeSummary,
        Self::DischargeSummaryToGp,
        Self::FeedbackRequest,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignInCode => "sign_in_code",
            Self::ReferralReceived => "referral_received",
            Self::EmergencyAdvice => "emergency_advice",
            Self::CallBackToday => "call_back_today",
            Self::ReferralAccepted => "referral_accepted",
            Self::AdviceGiven => "advice_given",
            Self::QuestionFromClinician => "question_from_clinician",
            Self::AppointmentBooked => "appointment_booked",
            Self::AppointmentChanged => "appointment_changed",
            Self::AppointmentCancelled => "appointment_cancelled",
            Self::SlotOffered => "slot_offered",
            Self::SlotGone => "slot_gone",
            Self::ReferralAcknowledged => "referral_acknowledged",
            Self::AdviceAndGuidance => "advice_and_guidance",
            Self::EmergencyAlert => "emergency_alert",
            Self::AppointmentReminder => "appointment_reminder",
            Self::RunningLate => "running_late",
            Self::AppointmentMissed => "appointment_missed",
            Self::DischargedAfterMissed => "discharged_after_missed",
            Self::FollowUpNeeded => "follow_up_needed",
            Self::Discharged => "discharged",
            Self::WaitUpdate => "wait_update",
            Self::StillNeeded => "still_needed",
            Self::ClassBooked => "class_booked",
            Self::ClassWaiting => "class_waiting",
            Self::CareTeamMessage => "care_team_message",
            Self::MeasuresDue => "measures_due",
            Self::TreatmentPlan => "treatment_plan",
            Self::DischargeSummary => "discharge_summary",
            Self::DischargeSummaryToGp => "discharge_summary_gp",
            Self::FeedbackRequest => "feedback_request",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == input)
            .ok_or(Invalid("choose"))
    }

    /// Who this message is for.
    pub fn audience(self) -> Audience {
        match self {
            Self::ReferralAcknowledged | Self::AdviceAndGuidance | Self::DischargeSummaryToGp => {
                Audience::Referrer
            }
            Self::EmergencyAlert => Audience::Staff,
            _ => Audience::Patient,
        }
    }
}

/// The kind of person a template addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The patient (or their carer).
    Patient,
    /// A referring professional's organisation.
    Referrer,
    /// A member of staff.
    Staff,
}

/// Who a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Recipient {
    /// A patient, by their preferred channel.
    Patient(PatientId),
    /// A member of staff, by email.
    Staff(StaffUserId),
    /// A referring organisation, by its contact email.
    Organisation(OrganisationId),
    /// The carer or proxy a patient named, about that patient.
    Carer(PatientId),
}

/// The ids and values a template needs, looked up again at send time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageData {
    /// The referral the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_id: Option<ReferralId>,
    /// The appointment the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_id: Option<AppointmentId>,
    /// The appointment it replaced, for a changed appointment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_appointment_id: Option<AppointmentId>,
    /// A note (a question from a clinician) the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_id: Option<NoteId>,
    /// A task the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
    /// An offer of a freed slot the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<OfferId>,
    /// A one-time sign-in code. It expires within minutes and works once, so keeping it until
    /// it is sent exposes nothing of lasting value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// How many minutes late a clinic is running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_late: Option<u32>,
    /// A place in a class the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_place_id: Option<crate::ids::ClassPlaceId>,
    /// The estimated wait when the message was queued, in weeks (fewest, most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_weeks: Option<(u32, u32)>,
    /// A passport entry (a treatment plan or discharge summary) whose words the message
    /// carries, read at send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<crate::ids::PassportEntryId>,
    /// The point in the journey a feedback request asks about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_moment: Option<Moment>,
}

/// A message to queue in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessagePlan {
    /// Which message.
    pub template: MessageTemplate,
    /// To whom.
    pub recipient: Recipient,
    /// The patient it is about (also when it goes to someone else).
    pub about: Option<PatientId>,
    /// By which channel.
    pub channel: ContactChannel,
    /// What the template needs.
    pub data: MessageData,
    /// Unique per intended message, so a retry or a replayed event never queues it twice.
    pub idempotency_key: String,
}

/// The channel to use: the person's preference when their details allow it, otherwise the
/// first channel that can reach them, with a phone call (a task for staff) as the last resort.
pub fn choose_channel(patient: &Patient) -> ContactChannel {
    if patient.reachable_by(patient.preferred_contact) {
        return patient.preferred_contact;
    }
    [
        ContactChannel::Sms,
        ContactChannel::Email,
        ContactChannel::Letter,
    ]
    .into_iter()
    .find(|c| patient.reachable_by(*c))
    .unwrap_or(ContactChannel::Telephone)
}

/// Who else an event's messages may go to besides the patient.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audiences {
    /// The organisation that referred, for a professional's referral.
    pub referrer: Option<OrganisationId>,
    /// Triage clinicians on duty, to alert about emergencies.
    pub on_duty: Vec<StaffUserId>,
}

/// The messages an event causes.
pub fn messages_for(
    event: &DomainEvent,
    patient: &Patient,
    others: &Audiences,
) -> Vec<MessagePlan> {
    let to_patient = |template: MessageTemplate, key: String, data: MessageData| {
        to_patient(patient, template, data, key)
    };
    let to_referrer = |template: MessageTemplate, key: String, data: MessageData| {
        others.referrer.map(|organisation| MessagePlan {
            template,
            recipient: Recipient::Organisation(organisation),
            about: Some(patient.id),
            channel: ContactChannel::Email,
            data,
            idempotency_key: key,
        })
    };
    let about = |referral_id: ReferralId| MessageData {
        referral_id: Some(referral_id),
        ..MessageData::default()
    };
    let asking = |referral_id: ReferralId, moment: Moment| MessageData {
        referral_id: Some(referral_id),
        feedback_moment: Some(moment),
        ..MessageData::default()
    };
    match event {
        DomainEvent::ReferralReceived { referral_id, .. } => {
            let mut plans = vec![to_patient(
                MessageTemplate::ReferralReceived,
                format!("referral_received:{referral_id}"),
                about(*referral_id),
            )];
            plans.extend(to_referrer(
                MessageTemplate::ReferralAcknowledged,
                format!("referral_acknowledged:{referral_id}"),
                about(*referral_id),
            ));
            plans
        }
        // A repeat referral joined an open one: the person and any new referrer still hear
        // that it arrived, once per resubmission.
        DomainEvent::ReferralResubmitted {
            referral_id, at, ..
        } => {
            let stamp = at.as_microsecond();
            let mut plans = vec![to_patient(
                MessageTemplate::ReferralReceived,
                format!("referral_received:{referral_id}:{stamp}"),
                about(*referral_id),
            )];
            plans.extend(to_referrer(
                MessageTemplate::ReferralAcknowledged,
                format!("referral_acknowledged:{referral_id}:{stamp}"),
                about(*referral_id),
            ));
            plans
        }
        DomainEvent::TaskRaised {
            task_id,
            kind,
            referral_id,
            ..
        } => {
            let data = MessageData {
                referral_id: Some(*referral_id),
                task_id: Some(*task_id),
                ..MessageData::default()
            };
            match kind {
                TaskKind::EmergencyReview => {
                    let mut plans = vec![to_patient(
                        MessageTemplate::EmergencyAdvice,
                        format!("emergency_advice:{task_id}"),
                        data.clone(),
                    )];
                    plans.extend(others.on_duty.iter().map(|staff| MessagePlan {
                        template: MessageTemplate::EmergencyAlert,
                        recipient: Recipient::Staff(*staff),
                        about: Some(patient.id),
                        channel: ContactChannel::Email,
                        data: data.clone(),
                        idempotency_key: format!("emergency_alert:{task_id}:{staff}"),
                    }));
                    plans
                }
                TaskKind::SameDayCallBack => vec![to_patient(
                    MessageTemplate::CallBackToday,
                    format!("call_back_today:{task_id}"),
                    data,
                )],
                TaskKind::PossibleDuplicate
                | TaskKind::CheckContactDetails
                | TaskKind::RebookAppointment
                | TaskKind::ConfirmStillNeeded
                | TaskKind::CommunicationNeeds => vec![],
            }
        }
        DomainEvent::ReferralAccepted { referral_id, .. } => vec![
            to_patient(
                MessageTemplate::ReferralAccepted,
                format!("referral_accepted:{referral_id}"),
                about(*referral_id),
            ),
            to_patient(
                MessageTemplate::FeedbackRequest,
                format!("feedback_request:{referral_id}:after_triage"),
                asking(*referral_id, Moment::AfterTriage),
            ),
        ],
        DomainEvent::AdviceGiven {
            referral_id,
            to_referrer: professional,
            ..
        } => {
            let mut plans = vec![
                to_patient(
                    MessageTemplate::AdviceGiven,
                    format!("advice_given:{referral_id}"),
                    about(*referral_id),
                ),
                to_patient(
                    MessageTemplate::FeedbackRequest,
                    format!("feedback_request:{referral_id}:after_triage"),
                    asking(*referral_id, Moment::AfterTriage),
                ),
            ];
            if *professional {
                plans.extend(to_referrer(
                    MessageTemplate::AdviceAndGuidance,
                    format!("advice_and_guidance:{referral_id}"),
                    about(*referral_id),
                ));
            }
            plans
        }
        DomainEvent::AppointmentBooked {
            appointment_id,
            referral_id,
            ..
        } => vec![to_patient(
            MessageTemplate::AppointmentBooked,
            format!("appointment_booked:{appointment_id}"),
            MessageData {
                referral_id: Some(*referral_id),
                appointment_id: Some(*appointment_id),
                ..MessageData::default()
            },
        )],
        DomainEvent::AppointmentChanged {
            appointment_id,
            previous_appointment_id,
            referral_id,
            ..
        } => vec![to_patient(
            MessageTemplate::AppointmentChanged,
            format!("appointment_changed:{appointment_id}"),
            MessageData {
                referral_id: Some(*referral_id),
                appointment_id: Some(*appointment_id),
                previous_appointment_id: Some(*previous_appointment_id),
                ..MessageData::default()
            },
        )],
        DomainEvent::AppointmentCancelled {
            appointment_id,
            referral_id,
            ..
        } => vec![to_patient(
            MessageTemplate::AppointmentCancelled,
            format!("appointment_cancelled:{appointment_id}"),
            MessageData {
                referral_id: Some(*referral_id),
                appointment_id: Some(*appointment_id),
                ..MessageData::default()
            },
        )],
        DomainEvent::AppointmentMissed {
            appointment_id,
            referral_id,
            discharged: false,
            ..
        } => vec![to_patient(
            MessageTemplate::AppointmentMissed,
            format!("appointment_missed:{appointment_id}"),
            MessageData {
                referral_id: Some(*referral_id),
                appointment_id: Some(*appointment_id),
                ..MessageData::default()
            },
        )],
        DomainEvent::AppointmentAttended {
            appointment_id,
            referral_id,
            follow_up: true,
            ..
        } => vec![
            to_patient(
                MessageTemplate::FollowUpNeeded,
                format!("follow_up_needed:{appointment_id}"),
                about(*referral_id),
            ),
            to_patient(
                MessageTemplate::FeedbackRequest,
                format!("feedback_request:{appointment_id}"),
                asking(*referral_id, Moment::AfterAppointment),
            ),
        ],
        DomainEvent::ReferralDischarged {
            referral_id,
            reason,
            at,
            ..
        } => {
            let template = match reason {
                DischargeReason::CareComplete => MessageTemplate::Discharged,
                DischargeReason::MissedAppointments => MessageTemplate::DischargedAfterMissed,
            };
            let mut plans = vec![to_patient(
                template,
                format!(
                    "{}:{referral_id}:{}",
                    template.as_str(),
                    at.as_microsecond()
                ),
                about(*referral_id),
            )];
            if *reason == DischargeReason::CareComplete {
                plans.push(to_patient(
                    MessageTemplate::FeedbackRequest,
                    format!("feedback_request:{referral_id}:{}", at.as_microsecond()),
                    asking(*referral_id, Moment::AtDischarge),
                ));
            }
            plans
        }
        _ => vec![],
    }
}

/// A message to `patient` by their own channel.
fn to_patient(
    patient: &Patient,
    template: MessageTemplate,
    data: MessageData,
    idempotency_key: String,
) -> MessagePlan {
    MessagePlan {
        template,
        recipient: Recipient::Patient(patient.id),
        about: Some(patient.id),
        channel: choose_channel(patient),
        data,
        idempotency_key,
    }
}

/// The message offering `offer`'s freed slot to a waiting patient, or (`SlotGone`) telling
/// them someone else took it.
pub fn offer_message(
    patient: &Patient,
    offer: &crate::offer::SlotOffer,
    template: MessageTemplate,
) -> MessagePlan {
    to_patient(
        patient,
        template,
        MessageData {
            referral_id: Some(offer.referral_id),
            offer_id: Some(offer.id),
            ..MessageData::default()
        },
        format!("{}:{}", template.as_str(), offer.id),
    )
}

/// A reminder, `days` before it, of `appointment`.
pub fn reminder_message(
    patient: &Patient,
    referral_id: ReferralId,
    appointment: AppointmentId,
    days: u32,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::AppointmentReminder,
        MessageData {
            referral_id: Some(referral_id),
            appointment_id: Some(appointment),
            ..MessageData::default()
        },
        format!("appointment_reminder:{appointment}:{days}"),
    )
}

/// Tells a patient waiting for `appointment` that the clinic runs `minutes` late; `notice`
/// (when the clinician said so) keeps a second notice the same day from being swallowed.
pub fn running_late_message(
    patient: &Patient,
    referral_id: ReferralId,
    appointment: AppointmentId,
    minutes: u32,
    notice: jiff::Timestamp,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::RunningLate,
        MessageData {
            referral_id: Some(referral_id),
            appointment_id: Some(appointment),
            minutes_late: Some(minutes),
            ..MessageData::default()
        },
        format!("running_late:{appointment}:{}", notice.as_microsecond()),
    )
}

/// A "still waiting" update for `referral`, with the wait estimated now (if there is one).
pub fn wait_update_message(
    patient: &Patient,
    referral_id: ReferralId,
    wait: Option<crate::waiting::WaitRange>,
    at: jiff::Timestamp,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::WaitUpdate,
        MessageData {
            referral_id: Some(referral_id),
            wait_weeks: wait.map(|w| (w.min_weeks, w.max_weeks)),
            ..MessageData::default()
        },
        format!("wait_update:{referral_id}:{}", at.as_microsecond()),
    )
}

/// Tells a patient they have a place in a class (`ClassBooked`, also when they move up from
/// its waiting list) or are on its waiting list (`ClassWaiting`).
pub fn class_message(
    patient: &Patient,
    place: &crate::class::ClassPlace,
    template: MessageTemplate,
    at: jiff::Timestamp,
) -> MessagePlan {
    to_patient(
        patient,
        template,
        MessageData {
            referral_id: Some(place.referral_id),
            class_place_id: Some(place.id),
            ..MessageData::default()
        },
        format!("{}:{}:{}", template.as_str(), place.id, at.as_microsecond()),
    )
}

/// "Do you still need this?" for `referral`, with a link to answer.
pub fn still_needed_message(
    patient: &Patient,
    referral_id: ReferralId,
    at: jiff::Timestamp,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::StillNeeded,
        MessageData {
            referral_id: Some(referral_id),
            ..MessageData::default()
        },
        format!("still_needed:{referral_id}:{}", at.as_microsecond()),
    )
}

/// The message that tells a patient a clinician has asked them a question (`note`).
pub fn question_message(patient: &Patient, referral_id: ReferralId, note: NoteId) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::QuestionFromClinician,
        MessageData {
            referral_id: Some(referral_id),
            note_id: Some(note),
            ..MessageData::default()
        },
        format!("question_from_clinician:{note}"),
    )
}

/// Tells a patient their care team has written to them in the portal (never the words).
pub fn care_team_message(
    patient: &Patient,
    message: crate::ids::ConversationMessageId,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::CareTeamMessage,
        MessageData::default(),
        format!("care_team_message:{message}"),
    )
}

/// Asks a patient to answer outcome measures in the portal (or by phone, or on paper).
pub fn measures_due_message(
    patient: &Patient,
    request: crate::ids::MeasureRequestId,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::MeasuresDue,
        MessageData::default(),
        format!("measures_due:{request}"),
    )
}

/// Sends a person their treatment plan after an appointment, through their own channel.
pub fn treatment_plan_message(
    patient: &Patient,
    referral_id: ReferralId,
    entry: crate::ids::PassportEntryId,
) -> MessagePlan {
    to_patient(
        patient,
        MessageTemplate::TreatmentPlan,
        MessageData {
            referral_id: Some(referral_id),
            entry_id: Some(entry),
            ..MessageData::default()
        },
        format!("treatment_plan:{entry}"),
    )
}

/// Sends a discharge summary to the person through their own channel and, when one is named,
/// to their GP practice by email.
pub fn discharge_summary_messages(
    patient: &Patient,
    referral_id: ReferralId,
    entry: crate::ids::PassportEntryId,
    gp_practice: Option<OrganisationId>,
) -> Vec<MessagePlan> {
    let data = MessageData {
        referral_id: Some(referral_id),
        entry_id: Some(entry),
        ..MessageData::default()
    };
    let mut plans = vec![to_patient(
        patient,
        MessageTemplate::DischargeSummary,
        data.clone(),
        format!("discharge_summary:{entry}"),
    )];
    plans.extend(gp_practice.map(|practice| MessagePlan {
        template: MessageTemplate::DischargeSummaryToGp,
        recipient: Recipient::Organisation(practice),
        about: Some(patient.id),
        channel: ContactChannel::Email,
        data,
        idempotency_key: format!("discharge_summary_gp:{entry}"),
    }));
    plans
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::contact::{Address, EmailAddress, PhoneNumber, Postcode};
    use crate::event::Actor;
    use crate::patient::{Language, NamePart, PersonName, Sex};

    fn patient(preferred: ContactChannel) -> Patient {
        Patient {
            id: PatientId::new(),
            nhs_number: None,
            name: PersonName {
                given: NamePart::parse("Amelia").unwrap(),
                family: NamePart::parse("Khan").unwrap(),
            },
            date_of_birth: date(1968, 4, 12),
            sex: Sex::Female,
            ethnicity: None,
            postcode: Postcode::parse("LU1 3JU").unwrap(),
            address: None,
            phone: None,
            email: None,
            preferred_language: Language::ENGLISH,
            preferred_contact: preferred,
        }
    }

    #[test]
    fn the_preference_wins_when_it_can_reach_them() {
        let mut p = patient(ContactChannel::Email);
        p.email = Some(EmailAddress::parse("a@example.com").unwrap());
        p.phone = Some(PhoneNumber::parse("07700900123").unwrap());
        assert_eq!(choose_channel(&p), ContactChannel::Email);
    }

    #[test]
    fn falls_back_to_a_channel_that_works_then_to_a_call() {
        let mut p = patient(ContactChannel::Email);
        p.phone = Some(PhoneNumber::parse("07700900123").unwrap());
        assert_eq!(choose_channel(&p), ContactChannel::Sms);
        p.phone = None;
        p.address = Some(Address {
            line1: "1 High St".into(),
            line2: None,
            town: "Luton".into(),
        });
        assert_eq!(choose_channel(&p), ContactChannel::Letter);
        p.address = None;
        assert_eq!(choose_channel(&p), ContactChannel::Telephone);
    }

    #[test]
    fn a_professional_referral_is_acknowledged_to_the_referrer_too() {
        let p = patient(ContactChannel::Telephone);
        let referral_id = ReferralId::new();
        let event = DomainEvent::ReferralReceived {
            referral_id,
            patient_id: p.id,
            reference: crate::referral::ReferralReference::from_random(1),
            source: crate::referral::ReferralSource::Professional,
            urgency: crate::pathway::Urgency::Routine,
            by: Actor::System,
            at: jiff::Timestamp::UNIX_EPOCH,
        };
        let organisation = OrganisationId::new();
        let plans = messages_for(
            &event,
            &p,
            &Audiences {
                referrer: Some(organisation),
                on_duty: vec![],
            },
        );
        let to: Vec<_> = plans.iter().map(|m| (m.template, m.recipient)).collect();
        assert_eq!(
            to,
            vec![
                (MessageTemplate::ReferralReceived, Recipient::Patient(p.id)),
                (
                    MessageTemplate::ReferralAcknowledged,
                    Recipient::Organisation(organisation)
                ),
            ]
        );
    }

    #[test]
    fn triage_asks_for_feedback_once_whatever_it_decided() {
        let p = patient(ContactChannel::Telephone);
        let referral_id = ReferralId::new();
        let advice = DomainEvent::AdviceGiven {
            referral_id,
            patient_id: p.id,
            to_referrer: false,
            by: Actor::System,
            at: jiff::Timestamp::UNIX_EPOCH,
        };
        let plans = messages_for(&advice, &p, &Audiences::default());
        let asked: Vec<_> = plans
            .iter()
            .filter(|m| m.template == MessageTemplate::FeedbackRequest)
            .collect();
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].data.feedback_moment, Some(Moment::AfterTriage));
        assert_eq!(
            asked[0].idempotency_key,
            format!("feedback_request:{referral_id}:after_triage")
        );
    }

    #[test]
    fn an_emergency_alerts_everyone_on_duty_once() {
        let p = patient(ContactChannel::Telephone);
        let event = DomainEvent::TaskRaised {
            task_id: TaskId::new(),
            kind: TaskKind::EmergencyReview,
            referral_id: ReferralId::new(),
            patient_id: p.id,
            at: jiff::Timestamp::UNIX_EPOCH,
        };
        let on_duty = vec![StaffUserId::new(), StaffUserId::new()];
        let plans = messages_for(
            &event,
            &p,
            &Audiences {
                referrer: None,
                on_duty: on_duty.clone(),
            },
        );
        assert_eq!(plans.len(), 3);
        assert_eq!(plans[0].template, MessageTemplate::EmergencyAdvice);
        let keys: std::collections::HashSet<_> =
            plans.iter().map(|m| m.idempotency_key.clone()).collect();
        assert_eq!(keys.len(), 3, "one message per person, never twice");
        assert!(
            plans[1..]
                .iter()
                .all(|m| m.template == MessageTemplate::EmergencyAlert
                    && m.channel == ContactChannel::Email)
        );
    }
}
