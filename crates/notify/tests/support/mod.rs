//! Shared by the channel and worker tests: a local stand-in for GOV.UK Notify (the endpoints
//! Jointly uses, every bearer token checked, outages on demand) and a queue of messages.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::{MessageData, MessagePlan, MessageTemplate, Recipient};
use jointly_notify::{NotifyChannel, NotifySettings};
use jointly_store::Store;
use jointly_store::testing::{now, sample_patient};
use serde_json::{Value, json};
use sha2::Sha256;

pub(crate) const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
pub(crate) const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
pub(crate) const SMS_TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
pub(crate) const EMAIL_TEMPLATE: &str = "1b2c3d4e-0000-4000-8000-000000000001";

#[derive(Default)]
pub(crate) struct Fake {
    /// (reference, kind, body) of every notification accepted.
    pub(crate) sent: Vec<(String, String, Value)>,
    /// Answer this many requests with 500 first.
    pub(crate) outage: usize,
    /// Requests with a token that did not check out.
    pub(crate) bad_tokens: usize,
}

pub(crate) type Shared = Arc<Mutex<Fake>>;

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
    let valid = match kind.as_str() {
        "sms" => body["template_id"] == SMS_TEMPLATE && body["phone_number"].is_string(),
        "email" => body["template_id"] == EMAIL_TEMPLATE && body["email_address"].is_string(),
        // A precompiled letter: a PDF, base64-encoded, and a reference.
        "letter" => body["content"]
            .as_str()
            .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
            .is_some_and(|pdf| pdf.starts_with(b"%PDF")),
        _ => return (StatusCode::NOT_FOUND, Json(json!({}))),
    };
    if !valid || !body["reference"].is_string() {
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

pub(crate) async fn fake_notify() -> (String, Shared) {
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

pub(crate) fn channel(base_url: &str, secret: &str) -> NotifyChannel {
    NotifyChannel::new(NotifySettings {
        base_url: base_url.to_owned(),
        api_key: format!("jointly_test-{SERVICE}-{secret}"),
        sms_template_id: SMS_TEMPLATE.into(),
        email_template_id: EMAIL_TEMPLATE.into(),
    })
    .unwrap()
}

/// Queues `count` sign-in codes (never held for quiet hours) for one new patient.
pub(crate) async fn queue_codes(store: &Store, count: usize) -> jointly_domain::PatientId {
    let patient = sample_patient();
    let plans: Vec<MessagePlan> = (0..count)
        .map(|i| MessagePlan {
            template: MessageTemplate::SignInCode,
            recipient: Recipient::Patient(patient.id),
            about: Some(patient.id),
            channel: ContactChannel::Sms,
            data: MessageData {
                code: Some(format!("{:06}", 100_000 + i)),
                ..MessageData::default()
            },
            idempotency_key: format!("code:{i}"),
        })
        .collect();
    let mut tx = store.begin().await.unwrap();
    tx.insert_patient(&patient, now()).await.unwrap();
    tx.enqueue(&plans, now()).await.unwrap();
    tx.commit().await.unwrap();
    patient.id
}
