//! `Communication`: the messages the service sent a person (or their carer) about their care —
//! which message, by which channel, when, and whether it reached them — so another service can
//! see what the person has been told. The words are not shared: they are rendered for the
//! person at sending time and may carry links meant only for them.

use jiff::Timestamp;
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::MessageTemplate;
use jointly_domain::{MessageId, PatientId};
use serde::Serialize;

use crate::directory::words;
use crate::model::{CodeableConcept, Coding, CommunicationType, Meta, Reference};
use crate::{instant, profile, system};

/// HL7 v3 participation modes (how a message travels).
const PARTICIPATION_MODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode";

/// Where a message is in delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting to be sent, or to be tried again.
    Queued,
    /// Handed to the channel.
    Sent,
    /// Could not be delivered; staff have been told.
    Undeliverable,
    /// No written channel reaches the person: the care team will phone.
    AwaitingCall,
}

/// One message sent about a person.
#[derive(Clone, Copy, Debug)]
pub struct SentMessage {
    /// The message.
    pub id: MessageId,
    /// The person it is about.
    pub patient: PatientId,
    /// Which message.
    pub template: MessageTemplate,
    /// By which channel.
    pub channel: ContactChannel,
    /// To the person's carer or proxy rather than the person.
    pub to_carer: bool,
    /// Where it is in delivery.
    pub delivery: Delivery,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// When it was sent.
    pub sent_at: Option<Timestamp>,
}

/// A `Communication` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Communication {
    /// Always `Communication`.
    pub resource_type: CommunicationType,
    /// The message's id.
    pub id: String,
    /// Profile and when it last changed.
    pub meta: Meta,
    /// `in-progress`, `completed`, `not-done` or `on-hold`.
    pub status: &'static str,
    /// Why it is not done or on hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept>,
    /// `notification` or `reminder`.
    pub category: Vec<CodeableConcept>,
    /// The channel.
    pub medium: Vec<CodeableConcept>,
    /// The person it is about.
    pub subject: Reference,
    /// Which message.
    pub topic: CodeableConcept,
    /// When it was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<String>,
    /// The person, or their carer.
    pub recipient: Vec<Reference>,
}

/// Whether a message is about the person's care (rather than signing in).
pub fn is_shared(template: MessageTemplate) -> bool {
    template != MessageTemplate::SignInCode
}

fn medium(channel: ContactChannel) -> CodeableConcept {
    let (code, display, text) = match channel {
        ContactChannel::Sms => ("ELECTRONIC", "electronic data", "Text message"),
        ContactChannel::Email => ("EMAILWRIT", "email", "Email"),
        ContactChannel::Letter => ("MAILWRIT", "mail", "Letter"),
        ContactChannel::Telephone => ("PHONE", "telephone", "Telephone call"),
    };
    CodeableConcept {
        coding: vec![Coding::new(PARTICIPATION_MODE, code, display)],
        text: Some(text.to_owned()),
    }
}

/// The resource for `message`.
pub fn communication(message: &SentMessage) -> Communication {
    let (status, reason) = match message.delivery {
        Delivery::Queued => ("in-progress", None),
        Delivery::Sent => ("completed", None),
        Delivery::Undeliverable => (
            "not-done",
            Some("No channel could deliver it; the care team has been told."),
        ),
        Delivery::AwaitingCall => (
            "on-hold",
            Some("No written channel reaches the person; the care team will phone."),
        ),
    };
    let code = message.template.as_str();
    let category = if message.template == MessageTemplate::AppointmentReminder {
        "reminder"
    } else {
        "notification"
    };
    let recipient = if message.to_carer {
        Reference {
            display: Some("The person's carer or proxy".into()),
            ..Reference::default()
        }
    } else {
        Reference::to("Patient", message.patient)
    };
    Communication {
        resource_type: CommunicationType,
        id: message.id.to_string(),
        meta: Meta {
            last_updated: Some(instant(message.sent_at.unwrap_or(message.queued_at))),
            profile: vec![profile::COMMUNICATION.to_owned()],
            ..Meta::default()
        },
        status,
        status_reason: reason.map(CodeableConcept::text),
        category: vec![CodeableConcept::of(Coding::new(
            "http://terminology.hl7.org/CodeSystem/communication-category",
            category,
            &words(category),
        ))],
        medium: vec![medium(message.channel)],
        subject: Reference::to("Patient", message.patient),
        topic: CodeableConcept::of(Coding::new(
            &format!("{}/message", system::JOINTLY),
            code,
            &words(code),
        )),
        sent: message.sent_at.map(instant),
        recipient: vec![recipient],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(delivery: Delivery, to_carer: bool) -> SentMessage {
        SentMessage {
            id: MessageId::new(),
            patient: PatientId::new(),
            template: MessageTemplate::AppointmentReminder,
            channel: ContactChannel::Letter,
            to_carer,
            delivery,
            queued_at: "2026-12-07T09:00:00Z".parse().unwrap(),
            sent_at: None,
        }
    }

    #[test]
    fn delivery_reads_as_event_status_with_reasons() {
        let found = communication(&message(Delivery::AwaitingCall, false));
        assert_eq!(found.status, "on-hold");
        assert!(found.status_reason.is_some());
        assert_eq!(
            found.category[0].coding[0].code.as_deref(),
            Some("reminder")
        );
        assert_eq!(found.medium[0].coding[0].code.as_deref(), Some("MAILWRIT"));
        assert_eq!(
            communication(&message(Delivery::Sent, false)).status,
            "completed"
        );
        assert_eq!(
            communication(&message(Delivery::Undeliverable, false)).status,
            "not-done"
        );
    }

    #[test]
    fn a_carer_is_named_without_pointing_at_the_person() {
        let found = communication(&message(Delivery::Queued, true));
        assert_eq!(found.recipient[0].reference, None);
        assert_eq!(found.subject.id_of("Patient").map(str::len), Some(36));
        assert!(!is_shared(MessageTemplate::SignInCode));
    }
}
