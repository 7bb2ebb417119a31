//! The GOV.UK Notify channel against a local HTTP server that implements the endpoints it uses
//! (send a text message or an email, look one up by reference) and checks every bearer token:
//! messages arrive once however often they are retried, outages are temporary and recover,
//! refusals are permanent, and letters and calls go another way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jointly_domain::MessageId;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use jointly_domain::message::MessageTemplate;
use jointly_domain::patient::{NamePart, PersonName};
use jointly_notify::{
    Channel, DeliveryError, FileChannel, NotifyChannel, NotifyConfigError, NotifySettings,
    Recipient, RenderedMessage, RoutedChannel,
};
use serde_json::{Value, json};
use sha2::Sha256;

const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
const SMS_TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
const EMAIL_TEMPLATE: &str = "1b2c3d4e-0000-4000-8000-000000000001";

#[derive(Default)]
struct Fake {
    /// (reference, kind, body) of every notification accepted.
    sent: Vec<(String, String, Value)>,
    /// Answer this many requests with 500 first.
    outage: usize,
    /// Requests with a token that did not check out.
    bad_tokens: usize,
}

type Shared = Arc<Mutex<Fake>>;

fn token_ok(headers: &HeaderMap) -> bool {
    let Some(token) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    let Ok(signature) = URL_SAFE_NO_PAD.decode(parts[2]) else {
        return false;
    };
    let claims: Value = URL_SAFE_NO_PAD
        .decode(parts[1])
        .ok()
        .and_then(|c| serde_json::from_slice(&c).ok())
        .unwrap_or_default();
    #[allow(clippy::disallowed_methods)]
    let now = jiff::Timestamp::now().as_second();
    mac.verify_slice(&signature).is_ok()
        && claims["iss"] == SERVICE
        && claims["iat"]
            .as_i64()
            .is_some_and(|iat| (now - iat).abs() <= 30)
}

async fn send(
    State(fake): State<Shared>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut fake = fake.lock().unwrap();
    if !token_ok(&headers) {
        fake.bad_tokens += 1;
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"errors": [{"error": "AuthError"}]})),
        );
    }
    if fake.outage > 0 {
        fake.outage -= 1;
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({})));
    }
    let template = match kind.as_str() {
        "sms" => SMS_TEMPLATE,
        "email" => EMAIL_TEMPLATE,
        _ => return (StatusCode::NOT_FOUND, Json(json!({}))),
    };
    let address = if kind == "sms" {
        "phone_number"
    } else {
        "email_address"
    };
    if body["template_id"] != template || !body[address].is_string() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"errors": [{"error": "BadRequestError"}]})),
        );
    }
    let reference = body["reference"].as_str().unwrap_or_default().to_owned();
    let id = uuid::Uuid::new_v4().to_string();
    fake.sent.push((reference.clone(), kind, body));
    (
        StatusCode::CREATED,
        Json(json!({"id": id, "reference": reference})),
    )
}

#[derive(serde::Deserialize)]
struct ByReference {
    reference: String,
}

async fn list(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<ByReference>,
) -> (StatusCode, Json<Value>) {
    let mut fake = fake.lock().unwrap();
    if !token_ok(&headers) {
        fake.bad_tokens += 1;
        return (StatusCode::FORBIDDEN, Json(json!({})));
    }
    let found: Vec<Value> = fake
        .sent
        .iter()
        .enumerate()
        .filter(|(_, (reference, ..))| *reference == query.reference)
        .map(|(i, (reference, ..))| json!({"id": format!("sent-{i}"), "reference": reference}))
        .collect();
    (StatusCode::OK, Json(json!({"notifications": found})))
}

async fn fake_notify() -> (String, Shared) {
    let fake: Shared = Arc::default();
    let app = Router::new()
        .route("/v2/notifications/{kind}", post(send))
        .route("/v2/notifications", get(list))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://127.0.0.1:{}", address.port()), fake)
}

fn channel(base_url: &str, secret: &str) -> NotifyChannel {
    NotifyChannel::new(NotifySettings {
        base_url: base_url.to_owned(),
        api_key: format!("jointly_test-{SERVICE}-{secret}"),
        sms_template_id: SMS_TEMPLATE.into(),
        email_template_id: EMAIL_TEMPLATE.into(),
    })
    .unwrap()
}

fn message(to: Recipient, channel: ContactChannel) -> RenderedMessage {
    RenderedMessage {
        id: MessageId::new(),
        template: MessageTemplate::AppointmentReminder,
        channel,
        to,
        subject: Some("Reminder: your appointment".into()),
        body: "Your appointment is on Tuesday at 9am.".into(),
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
    let routed = RoutedChannel {
        electronic: channel(&url, SECRET),
        other: FileChannel::new(&folder).unwrap(),
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
    assert!(matches!(
        channel(&url, SECRET).deliver(&letter).await,
        Err(DeliveryError::Permanent(_))
    ));
    std::fs::remove_dir_all(folder).unwrap();
}
