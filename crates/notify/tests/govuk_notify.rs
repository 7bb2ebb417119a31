//! The GOV.UK Notify channel against a local HTTP server that implements the endpoints it uses
//! (send a text message or an email, look one up by reference) and checks every bearer token:
//! messages arrive once however often they are retried, outages are temporary and recover,
//! refusals are permanent; letters go as precompiled PDFs (braille and audio to the print room)
//! and calls never go to Notify.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use jointly_domain::MessageId;
use jointly_domain::communication::LetterFormat;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use jointly_domain::message::MessageTemplate;
use jointly_domain::patient::{NamePart, PersonName};
use jointly_notify::{
    Channel, DeliveryError, FileChannel, LetterChannel, LetterFrame, NotifyChannel,
    NotifyConfigError, NotifySettings, Recipient, RenderedMessage, RoutedChannel,
};

mod support;

use support::{EMAIL_TEMPLATE, SECRET, SERVICE, channel, fake_notify};

fn message(to: Recipient, channel: ContactChannel) -> RenderedMessage {
    RenderedMessage {
        id: MessageId::new(),
        template: MessageTemplate::AppointmentReminder,
        channel,
        to,
        subject: Some("Reminder: your appointment".into()),
        body: "Your appointment is on Tuesday at 9am.".into(),
        locale: jointly_i18n::Locale::English,
        inbox: None,
        letter: None,
    }
}

fn sms() -> RenderedMessage {
    message(
        Recipient::Mobile(PhoneNumber::parse("07700 900123").unwrap()),
        ContactChannel::Sms,
    )
}

#[tokio::test]
async fn a_text_message_is_sent_once_however_often_it_is_retried() {
    let (url, fake) = fake_notify().await;
    let notify = channel(&url, SECRET);
    let message = sms();
    let first = notify.deliver(&message).await.unwrap();
    let again = notify.deliver(&message).await.unwrap();
    assert_eq!(
        again.provider_reference, "sent-0",
        "found by its reference, not sent again"
    );
    assert!(!first.provider_reference.is_empty());
    let fake = fake.lock().unwrap();
    assert_eq!(fake.sent.len(), 1);
    let (reference, kind, body) = &fake.sent[0];
    assert_eq!(reference, &message.id.to_string());
    assert_eq!(kind, "sms");
    assert_eq!(body["personalisation"]["body"], message.body);
    assert_eq!(fake.bad_tokens, 0);
}

#[tokio::test]
async fn an_email_carries_its_subject_and_an_outage_is_temporary() {
    let (url, fake) = fake_notify().await;
    let notify = channel(&url, SECRET);
    let email = message(
        Recipient::Email(EmailAddress::parse("amelia@example.com").unwrap()),
        ContactChannel::Email,
    );
    fake.lock().unwrap().outage = 2;
    for _ in 0..2 {
        assert!(matches!(
            notify.deliver(&email).await,
            Err(DeliveryError::Temporary(_))
        ));
    }
    notify
        .deliver(&email)
        .await
        .expect("delivered once it recovers");
    let fake = fake.lock().unwrap();
    assert_eq!(fake.sent.len(), 1);
    assert_eq!(
        fake.sent[0].2["personalisation"]["subject"],
        "Reminder: your appointment"
    );
}

#[tokio::test]
async fn refusals_are_permanent_and_a_wrong_key_is_never_accepted() {
    let (url, fake) = fake_notify().await;
    let mut settings = NotifySettings {
        base_url: url.clone(),
        api_key: format!("jointly_test-{SERVICE}-{SECRET}"),
        sms_template_id: EMAIL_TEMPLATE.into(),
        email_template_id: EMAIL_TEMPLATE.into(),
    };
    let wrong_template = NotifyChannel::new(settings.clone()).unwrap();
    assert!(matches!(
        wrong_template.deliver(&sms()).await,
        Err(DeliveryError::Permanent(_))
    ));
    let wrong_secret = channel(&url, "00000000-0000-4000-8000-000000000000");
    assert!(wrong_secret.deliver(&sms()).await.is_err());
    assert!(fake.lock().unwrap().bad_tokens >= 1);
    assert!(fake.lock().unwrap().sent.is_empty());

    settings.api_key = "not-a-key".into();
    assert_eq!(
        NotifyChannel::new(settings.clone()).err(),
        Some(NotifyConfigError::BadKey)
    );
    settings.api_key = format!("jointly_test-{SERVICE}-{SECRET}");
    settings.base_url = "http://notify.example".into();
    assert_eq!(
        NotifyChannel::new(settings).err(),
        Some(NotifyConfigError::BadUrl)
    );
}

#[tokio::test]
async fn letters_and_calls_go_another_way() {
    let (url, fake) = fake_notify().await;
    let folder = std::env::temp_dir().join(format!("jointly-routed-{}", uuid::Uuid::new_v4()));
    let notify = Arc::new(channel(&url, SECRET));
    let routed = RoutedChannel {
        text: notify.clone(),
        email: notify,
        post: Arc::new(FileChannel::new(&folder).unwrap()),
    };
    let letter = message(
        Recipient::Post {
            name: PersonName {
                given: NamePart::parse("Amelia").unwrap(),
                family: NamePart::parse("Khan").unwrap(),
            },
            address: Address {
                line1: "1 High Street".into(),
                line2: None,
                town: "Luton".into(),
            },
            postcode: Postcode::parse("LU1 3JU").unwrap(),
        },
        ContactChannel::Letter,
    );
    routed.deliver(&letter).await.unwrap();
    routed.deliver(&sms()).await.unwrap();
    assert_eq!(
        fake.lock().unwrap().sent.len(),
        1,
        "only the text message went to Notify"
    );
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        1,
        "the letter went to the folder"
    );
    std::fs::remove_dir_all(folder).unwrap();
}

fn letter(format: LetterFormat) -> RenderedMessage {
    let mut letter = message(
        Recipient::Post {
            name: PersonName {
                given: NamePart::parse("Amelia").unwrap(),
                family: NamePart::parse("Khan").unwrap(),
            },
            address: Address {
                line1: "1 High Street".into(),
                line2: None,
                town: "Luton".into(),
            },
            postcode: Postcode::parse("LU1 3JU").unwrap(),
        },
        ContactChannel::Letter,
    );
    letter.letter = Some(LetterFrame {
        format,
        greeting: "Dear Amelia Khan,".into(),
        date: "Date: 7 December 2026".into(),
        reference: Some("Our reference: JNT-0003RJ0-T".into()),
        nhs: None,
        signoff: "Yours sincerely,".into(),
        from: "The Jointly MSK team".into(),
        other_formats: "You can ask for this letter in large print.".into(),
        letterhead: ("Jointly MSK".into(), "0300 123 4567".into()),
    });
    letter
}

#[tokio::test]
async fn letters_go_to_notify_as_precompiled_pdfs_once_and_braille_to_the_print_room() {
    let (url, fake) = fake_notify().await;
    let folder = std::env::temp_dir().join(format!("jointly-letters-{}", uuid::Uuid::new_v4()));
    let letters = LetterChannel {
        posted: Arc::new(channel(&url, SECRET)),
        print_room: Arc::new(FileChannel::new(&folder).unwrap()),
    };
    let standard = letter(LetterFormat::LargePrint(18));
    letters.deliver(&standard).await.unwrap();
    // A retry after a lost answer finds the letter by its reference and sends nothing.
    letters.deliver(&standard).await.unwrap();
    {
        let fake = fake.lock().unwrap();
        assert_eq!(fake.sent.len(), 1, "one letter, however often retried");
        let (reference, kind, body) = &fake.sent[0];
        assert_eq!(kind, "letter");
        assert_eq!(reference, &standard.id.to_string());
        assert_eq!(body["postage"], "second");
    }
    letters
        .deliver(&letter(LetterFormat::Braille))
        .await
        .unwrap();
    assert_eq!(
        fake.lock().unwrap().sent.len(),
        1,
        "braille is not for Notify"
    );
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    assert!(matches!(
        channel(&url, SECRET)
            .deliver(&message(
                Recipient::Call(PhoneNumber::parse("01582 123456").unwrap()),
                ContactChannel::Telephone
            ))
            .await,
        Err(DeliveryError::Permanent(_))
    ));
    std::fs::remove_dir_all(folder).unwrap();
}
