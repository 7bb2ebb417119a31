//! Every template renders on every channel, names the team's phone, and fits its channel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::SignedDuration;
use jointly_domain::clinician::ClinicalRole;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress};
use jointly_domain::message::{Audience, MessageData, MessageTemplate, Recipient as To};
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::referral::ReferralReference;
use jointly_domain::slot::{Modality, Slot, SlotStatus};
use jointly_domain::{
    AppointmentId, ClinicianId, LocationId, MessageId, OrganisationId, PatientId, ReferralId,
    ServiceId, SlotId, StaffUserId,
};
use jointly_notify::{Addressee, MessageContext, Recipient, Renderer, TeamDetails};
use jointly_store::testing::{now, sample_patient};
use jointly_store::{OutboxEntry, OutboxStatus, SlotView};

fn context() -> MessageContext {
    let mut patient = sample_patient();
    patient.email = Some(EmailAddress::parse("amelia@example.com").unwrap());
    patient.address = Some(Address {
        line1: "1 High Street".into(),
        line2: None,
        town: "Luton".into(),
    });
    let start = now() + SignedDuration::from_hours(48);
    let appointment = SlotView {
        slot: Slot {
            id: SlotId::new(),
            service_id: ServiceId::new(),
            location_id: LocationId::new(),
            clinician_id: ClinicianId::new(),
            start,
            end: start + SignedDuration::from_mins(30),
            modality: Modality::FaceToFace,
            status: SlotStatus::Booked,
            kind: jointly_domain::slot::AppointmentKind::Any,
        },
        location_name: "Bedford Health Village".into(),
        location_town: "Bedford".into(),
        location_address: "3 Kimbolton Road".into(),
        location_point: (52.1406, -0.4669),
        location_step_free: true,
        location_details: Default::default(),
        clinician_role: ClinicalRole::Physiotherapist,
        service_name: "Community Physiotherapy".into(),
    };
    // The appointment it replaced, for a changed appointment: the day before, half past two.
    let was = start - SignedDuration::from_hours(24) + SignedDuration::from_mins(330);
    let mut previous_appointment = appointment.clone();
    previous_appointment.slot.start = was;
    previous_appointment.slot.end = was + SignedDuration::from_mins(30);
    MessageContext {
        addressee: Addressee::Patient,
        patient,
        referral_id: Some(ReferralId::new()),
        reference: Some(ReferralReference::from_random(123_456)),
        service_name: Some("Community Physiotherapy".into()),
        advice: Some("Keep active; try the knee exercises on our website.".into()),
        question: Some("Does your knee ever lock or give way?".into()),
        appointment: Some(appointment),
        previous_appointment: Some(previous_appointment),
        offer: Some((
            jointly_domain::OfferId::new(),
            start - SignedDuration::from_hours(26),
        )),
        open_access_until: Some(start + SignedDuration::from_hours(24 * 182)),
        class: Some(jointly_store::ClassView {
            class: jointly_domain::class::Class {
                id: jointly_domain::ClassId::new(),
                kind: jointly_domain::class::ClassKind::KneeClass,
                service_id: ServiceId::new(),
                location_id: LocationId::new(),
                clinician_id: ClinicianId::new(),
                start,
                end: start + SignedDuration::from_mins(60),
                places: 12,
                booked: 3,
            },
            location_name: "Bedford Health Village".into(),
            location_address: "3 Kimbolton Road, Bedford".into(),
            leader: PersonName {
                given: NamePart::parse("Priya").unwrap(),
                family: NamePart::parse("Shah").unwrap(),
            },
        }),
        profile: Default::default(),
        key_contact: Some("Priya Shah".into()),
        entry: Some("Keep walking every day; do the knee exercises twice a week.".into()),
        now: now(),
    }
}

fn entry(template: MessageTemplate, channel: ContactChannel) -> OutboxEntry {
    OutboxEntry {
        id: MessageId::new(),
        template,
        channel,
        recipient: match template.audience() {
            Audience::Patient => To::Patient(PatientId::new()),
            Audience::Staff => To::Staff(StaffUserId::new()),
            Audience::Referrer => To::Organisation(OrganisationId::new()),
        },
        about: None,
        data: MessageData {
            referral_id: Some(ReferralId::new()),
            appointment_id: Some(AppointmentId::new()),
            code: Some("482913".into()),
            minutes_late: Some(25),
            feedback_moment: Some(jointly_domain::feedback::Moment::AfterAppointment),
            ..MessageData::default()
        },
        status: OutboxStatus::Pending,
        attempts: 0,
        last_error: None,
        provider_reference: None,
        created_at: now(),
        sent_at: None,
        failed_channels: vec![],
        delivery_status: None,
    }
}

fn renderer() -> Renderer {
    Renderer::new(TeamDetails {
        name: "Jointly MSK".into(),
        phone: "0300 123 4567".into(),
        public_url: "https://jointly.example".into(),
    })
    .unwrap()
    // Confirmations and reminders carry their confirm-or-cancel link in every test here.
    .with_links(jointly_domain::link::LinkKey::new([3; 32]))
}

/// The contexts to write in: English, easy read, Polish and Urdu.
fn in_every_language() -> Vec<(&'static str, MessageContext)> {
    let mut contexts = vec![("en", context())];
    let mut easy = context();
    easy.profile.needs.needs = vec![jointly_domain::communication::Need::EasyRead];
    contexts.push(("easy", easy));
    for code in ["pl", "ur"] {
        let mut other = context();
        other.patient.preferred_language = jointly_domain::patient::Language::parse(code).unwrap();
        contexts.push((code, other));
    }
    contexts
}

#[test]
fn every_template_renders_on_every_channel_in_every_language() {
    let renderer = renderer();
    let english = context();
    for (language, context) in in_every_language() {
        let for_patients = MessageTemplate::ALL
            .into_iter()
            .filter(|t| t.audience() == Audience::Patient);
        for template in for_patients {
            for channel in ContactChannel::ALL {
                let message = renderer
                    .render(&entry(template, channel), &context, channel)
                    .unwrap();
                let what = format!("{language} {template:?}/{channel:?}: {}", message.body);
                assert!(!message.body.contains('{'), "{what}");
                if language != "en" && channel != ContactChannel::Telephone {
                    let in_english = renderer
                        .render(&entry(template, channel), &english, channel)
                        .unwrap();
                    assert_ne!(message.body, in_english.body, "{what} is not translated");
                }
                match channel {
                    ContactChannel::Sms => {
                        // English and easy read stay in GSM-7 and two fragments; Polish
                        // and Urdu need Unicode, which fits 67 characters a fragment.
                        let limit = if matches!(language, "en" | "easy") {
                            2
                        } else {
                            4
                        };
                        assert!(
                            message.sms_fragments() <= limit,
                            "{what} takes {} fragments",
                            message.sms_fragments()
                        );
                        if limit == 2 {
                            assert!(message.body.is_ascii(), "{what} leaves GSM-7");
                        }
                        assert!(matches!(message.to, Recipient::Mobile(_)));
                        // In English and easy read the link always fits.
                        if matches!(language, "en" | "easy")
                            && matches!(
                                template,
                                MessageTemplate::AppointmentBooked
                                    | MessageTemplate::AppointmentReminder
                            )
                        {
                            assert!(
                                message.body.contains("https://jointly.example/a/"),
                                "{what}"
                            );
                        }
                    }
                    ContactChannel::Email | ContactChannel::Letter => {
                        assert!(message.subject.is_some());
                        assert!(
                            message.body.contains("0300 123 4567"),
                            "{what} must name the team's phone"
                        );
                        assert!(
                            message.body.contains("Priya Shah"),
                            "{what} must name the key contact"
                        );
                    }
                    ContactChannel::Telephone => {
                        assert!(matches!(message.to, Recipient::Call(_)));
                    }
                }
            }
        }
    }
}

#[test]
fn text_messages_count_their_fragments() {
    use jointly_notify::sms_fragments;
    assert_eq!(sms_fragments(&"a".repeat(160)), 1);
    assert_eq!(sms_fragments(&"a".repeat(161)), 2);
    assert_eq!(sms_fragments(&"a".repeat(306)), 2);
    assert_eq!(sms_fragments(&"a".repeat(307)), 3);
    // The euro sign takes two units of the GSM alphabet.
    assert_eq!(sms_fragments(&"€".repeat(80)), 1);
    assert_eq!(sms_fragments(&"€".repeat(81)), 2);
    // One Polish letter makes the whole message Unicode.
    assert_eq!(sms_fragments(&format!("ż{}", "a".repeat(69))), 1);
    assert_eq!(sms_fragments(&format!("ż{}", "a".repeat(70))), 2);
    assert_eq!(sms_fragments(&"ے".repeat(134)), 2);
    assert_eq!(sms_fragments(&"ے".repeat(135)), 3);
}

#[test]
fn appointment_messages_give_the_local_date_time_and_place() {
    let message = renderer()
        .render(
            &entry(MessageTemplate::AppointmentBooked, ContactChannel::Email),
            &context(),
            ContactChannel::Email,
        )
        .unwrap();
    assert!(
        message.body.contains("Wednesday 25 November 2026 at 9am"),
        "{}",
        message.body
    );
    assert!(
        message
            .body
            .contains("Bedford Health Village, 3 Kimbolton Road, Bedford")
    );
    let letter = renderer()
        .render(
            &entry(MessageTemplate::AppointmentBooked, ContactChannel::Letter),
            &context(),
            ContactChannel::Letter,
        )
        .unwrap();
    assert_eq!(
        letter.to.display(),
        "Amelia Khan, 1 High Street, Luton, LU1 3JU"
    );
    assert_eq!(format!("{:?}", letter.to), "Recipient::Post(redacted)");
}

#[test]
fn a_changed_appointment_says_when_it_was_and_when_it_is_now() {
    let render = |channel| {
        renderer()
            .render(
                &entry(MessageTemplate::AppointmentChanged, channel),
                &context(),
                channel,
            )
            .unwrap()
    };
    let email = render(ContactChannel::Email);
    assert!(
        email
            .body
            .contains("It was: Tuesday 24 November 2026 at 2:30pm"),
        "{}",
        email.body
    );
    assert!(
        email
            .body
            .contains("It is now: Wednesday 25 November 2026 at 9am")
    );
    let text = render(ContactChannel::Sms);
    assert!(
        text.body.contains("Tuesday 24 November 2026 2:30pm"),
        "{}",
        text.body
    );
    assert!(text.body.contains("0300 123 4567"));
}

#[test]
fn someone_who_keeps_the_details_in_the_portal_is_told_only_that_there_is_something_new() {
    let mut portal_first = context();
    portal_first.profile.preferences.portal_first = true;
    let render = |template, channel| {
        renderer()
            .render(&entry(template, channel), &portal_first, channel)
            .unwrap()
    };
    let text = render(MessageTemplate::AppointmentBooked, ContactChannel::Sms);
    assert!(
        text.body
            .contains("https://jointly.example/portal/messages"),
        "{}",
        text.body
    );
    assert!(!text.body.contains("Bedford"), "no details: {}", text.body);
    let email = render(MessageTemplate::AppointmentBooked, ContactChannel::Email);
    assert_eq!(
        email.subject.as_deref(),
        Some("There is something new in your portal")
    );
    assert!(!email.body.contains("25 November"), "{}", email.body);
    assert!(email.body.contains("0300 123 4567"));
    // The portal copy has everything.
    let (_, inbox) = email.inbox.clone().unwrap();
    assert!(
        inbox.contains("Wednesday 25 November 2026 at 9am"),
        "{inbox}"
    );
    // Urgent advice and sign-in codes cannot wait for a sign-in; a letter carries the details.
    let urgent = render(MessageTemplate::EmergencyAdvice, ContactChannel::Sms);
    assert!(!urgent.body.contains("/portal/messages"), "{}", urgent.body);
    let code = render(MessageTemplate::SignInCode, ContactChannel::Sms);
    assert!(code.body.contains("482913"));
    let letter = render(MessageTemplate::AppointmentBooked, ContactChannel::Letter);
    assert!(letter.body.contains("Bedford Health Village"));
}

#[test]
fn staff_and_referrers_are_written_to_by_email_in_english_with_what_they_need() {
    let renderer = renderer();
    let mut to_practice = context();
    to_practice.patient.preferred_language =
        jointly_domain::patient::Language::parse("pl").unwrap();
    to_practice.addressee = Addressee::Organisation {
        name: "Marsh Lane Surgery".into(),
        email: EmailAddress::parse("referrals@marsh-lane.example").unwrap(),
    };
    // Whatever channel the patient prefers, organisations get email.
    let message = renderer
        .render(
            &entry(MessageTemplate::AdviceAndGuidance, ContactChannel::Sms),
            &to_practice,
            ContactChannel::Sms,
        )
        .unwrap();
    assert_eq!(message.channel, ContactChannel::Email);
    assert_eq!(message.to.display(), "referrals@marsh-lane.example");
    for needed in [
        "Dear Marsh Lane Surgery",
        "Amelia Khan (born 12 April 1968",
        "try the knee exercises",
        "0300 123 4567",
    ] {
        assert!(message.body.contains(needed), "{needed}: {}", message.body);
    }

    let mut to_clinician = context();
    to_clinician.addressee = Addressee::Staff {
        name: "Sam Okafor".into(),
        email: EmailAddress::parse("sam.okafor@jointly.example").unwrap(),
    };
    let alert = renderer
        .render(
            &entry(MessageTemplate::EmergencyAlert, ContactChannel::Sms),
            &to_clinician,
            ContactChannel::Sms,
        )
        .unwrap();
    let referral = to_clinician.referral_id.unwrap();
    assert!(alert.subject.unwrap().starts_with("EMERGENCY"));
    assert!(
        alert.body.contains(&format!(
            "https://jointly.example/staff/referrals/{referral}"
        )),
        "{}",
        alert.body
    );
    assert!(!alert.body.contains("Amelia"), "alerts carry no name");
}

#[test]
fn advice_and_questions_carry_the_clinicians_words() {
    let renderer = renderer();
    let advice = renderer
        .render(
            &entry(MessageTemplate::AdviceGiven, ContactChannel::Letter),
            &context(),
            ContactChannel::Letter,
        )
        .unwrap();
    assert!(advice.body.contains("try the knee exercises"));
    let question = renderer
        .render(
            &entry(
                MessageTemplate::QuestionFromClinician,
                ContactChannel::Email,
            ),
            &context(),
            ContactChannel::Email,
        )
        .unwrap();
    assert!(question.body.contains("Does your knee ever lock"));
    let text = renderer
        .render(
            &entry(MessageTemplate::QuestionFromClinician, ContactChannel::Sms),
            &context(),
            ContactChannel::Sms,
        )
        .unwrap();
    assert!(!text.body.contains("lock"), "free text stays out of texts");
}

#[test]
fn a_discharge_says_whether_the_patient_can_book_straight_back_in() {
    let renderer = renderer();
    let mut context = context();
    let with_window = renderer
        .render(
            &entry(MessageTemplate::Discharged, ContactChannel::Sms),
            &context,
            ContactChannel::Sms,
        )
        .unwrap();
    assert!(
        with_window.body.contains("book straight back in"),
        "{}",
        with_window.body
    );
    context.open_access_until = None;
    let without = renderer
        .render(
            &entry(MessageTemplate::Discharged, ContactChannel::Sms),
            &context,
            ContactChannel::Sms,
        )
        .unwrap();
    assert!(without.body.contains("refer again"), "{}", without.body);
    let late = renderer
        .render(
            &entry(MessageTemplate::RunningLate, ContactChannel::Sms),
            &context,
            ContactChannel::Sms,
        )
        .unwrap();
    assert!(late.body.contains("about 25 minutes late"), "{}", late.body);
}

#[test]
fn class_messages_name_the_class() {
    let message = renderer()
        .render(
            &entry(MessageTemplate::ClassBooked, ContactChannel::Sms),
            &context(),
            ContactChannel::Sms,
        )
        .unwrap();
    assert!(
        message.body.contains("place at the knee class"),
        "{}",
        message.body
    );
}

/// Letters render to PDF in the reader's language and print. Set `JOINTLY_LETTERS_OUT` to a
/// folder to keep the PDFs and look at them.
#[tokio::test]
async fn letters_render_as_pdf_in_the_right_language_and_print() {
    use jointly_domain::communication::{LetterFormat, Need};
    use jointly_notify::{Channel, PrintChannel, letter_pdf};

    let folder = std::env::var_os("JOINTLY_LETTERS_OUT").map_or_else(
        || std::env::temp_dir().join(format!("jointly-letters-{}", uuid::Uuid::new_v4().simple())),
        std::path::PathBuf::from,
    );
    let printer = PrintChannel::new(&folder).unwrap();
    let renderer = renderer();
    let mut standard = context();
    standard.patient.nhs_number =
        Some(jointly_domain::nhs_number::NhsNumber::parse("943 476 5919").unwrap());
    let mut urdu_large = context();
    urdu_large.patient.preferred_language = jointly_domain::patient::Language::parse("ur").unwrap();
    urdu_large.profile.needs.needs = vec![Need::LargePrint24];
    let mut easy = context();
    easy.profile.needs.needs = vec![Need::EasyRead, Need::LargePrint20];
    let mut sizes = Vec::new();
    for (name, context, format) in [
        ("standard", &standard, LetterFormat::Standard),
        (
            "urdu-large-print",
            &urdu_large,
            LetterFormat::LargePrint(24),
        ),
        ("easy-read", &easy, LetterFormat::LargePrint(20)),
    ] {
        let entry = entry(MessageTemplate::AppointmentBooked, ContactChannel::Letter);
        let message = renderer
            .render(&entry, context, ContactChannel::Letter)
            .unwrap();
        assert_eq!(message.letter.as_ref().unwrap().format, format);
        let pdf = letter_pdf(&message).unwrap();
        assert!(pdf.bytes.starts_with(b"%PDF-"), "{name}");
        sizes.push((name, pdf.pages, pdf.bytes.len()));
        if name == "urdu-large-print" {
            assert!(
                pdf.bytes.windows(14).any(|w| w == b"NotoSansArabic"),
                "Urdu is set in the Arabic-script font"
            );
        }
        let delivery = printer.deliver(&message).await.unwrap();
        assert_eq!(delivery.provider_reference, format!("print:{}", message.id));
        let job: serde_json::Value = serde_json::from_slice(
            &std::fs::read(folder.join(format!("{}.json", message.id))).unwrap(),
        )
        .unwrap();
        assert_eq!(job["point_size"], format.point_size());
        assert_eq!(job["pages"], pdf.pages);
        std::fs::copy(
            folder.join(format!("{}.pdf", message.id)),
            folder.join(format!("{name}.pdf")),
        )
        .unwrap();
    }
    // Large print takes more pages than standard print.
    assert!(sizes[1].1 > sizes[0].1, "{sizes:?}");
    let not_a_letter = renderer
        .render(
            &entry(MessageTemplate::AppointmentBooked, ContactChannel::Sms),
            &standard,
            ContactChannel::Sms,
        )
        .unwrap();
    assert!(printer.deliver(&not_a_letter).await.is_err());
    if std::env::var_os("JOINTLY_LETTERS_OUT").is_none() {
        std::fs::remove_dir_all(folder).unwrap();
    }
}

#[test]
fn feedback_after_advice_at_triage_asks_about_the_team_when_there_is_no_service() {
    let mut closed_at_triage = context();
    closed_at_triage.service_name = None;
    let mut asked = entry(MessageTemplate::FeedbackRequest, ContactChannel::Email);
    asked.data.feedback_moment = Some(jointly_domain::feedback::Moment::AfterTriage);
    let email = renderer()
        .render(&asked, &closed_at_triage, ContactChannel::Email)
        .unwrap();
    assert_eq!(
        email.subject.as_deref(),
        Some("How was your experience of Jointly MSK?")
    );
    assert!(email.body.contains("https://jointly.example/feedback/"));
}
