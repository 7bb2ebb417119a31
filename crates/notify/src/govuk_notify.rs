//! GOV.UK Notify: text messages, emails and precompiled letters (our PDF, second class)
//! through its REST API (v2), authenticated with a
//! short-lived HS256 token made from the API key. Jointly renders the words itself, so each
//! channel uses one Notify template whose body is `((body))` (and, for email, subject
//! `((subject))`). The message id goes as Notify's `reference` (it holds no personal data), and
//! before sending Jointly asks Notify whether that reference was already accepted, so a retry
//! after a timeout never sends twice.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use futures::future::BoxFuture;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::channel::{Channel, Delivery, DeliveryError};
use crate::letter::letter_pdf;
use crate::render::{Recipient, RenderedMessage};

/// Where Notify is and which templates carry Jointly's words.
#[derive(Clone)]
pub struct NotifySettings {
    /// The API's base address, `https://api.notifications.service.gov.uk` in production.
    pub base_url: String,
    /// The API key, `{name}-{service id}-{secret}`.
    pub api_key: String,
    /// The template for text messages: body `((body))`.
    pub sms_template_id: String,
    /// The template for emails: subject `((subject))`, body `((body))`.
    pub email_template_id: String,
}

impl std::fmt::Debug for NotifySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifySettings")
            .field("base_url", &self.base_url)
            .field("api_key", &"(secret)")
            .field("sms_template_id", &self.sms_template_id)
            .field("email_template_id", &self.email_template_id)
            .finish()
    }
}

/// Why a Notify configuration cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotifyConfigError {
    /// The key is not `{name}-{service id}-{secret}` with two UUIDs at the end.
    #[error("the Notify API key must end with the service id and the secret key, two UUIDs")]
    BadKey,
    /// A template id is not a UUID.
    #[error("the Notify {0} template id must be a UUID")]
    BadTemplate(&'static str),
    /// The address is not http(s).
    #[error("the Notify base address must start with https:// (or http:// on loopback)")]
    BadUrl,
}

/// Sends text messages, emails and precompiled letters through GOV.UK Notify.
pub struct NotifyChannel {
    settings: NotifySettings,
    service_id: String,
    secret: String,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

#[derive(Deserialize)]
struct Page {
    notifications: Vec<Created>,
}

/// Splits an API key into (service id, secret): the last two UUIDs.
fn split_key(key: &str) -> Result<(String, String), NotifyConfigError> {
    let len = key.len();
    if len < 73 || !key.is_char_boundary(len - 73) {
        return Err(NotifyConfigError::BadKey);
    }
    let tail = &key[len - 73..];
    let (service, secret) = (&tail[..36], &tail[37..]);
    if tail.as_bytes()[36] != b'-'
        || uuid::Uuid::parse_str(service).is_err()
        || uuid::Uuid::parse_str(secret).is_err()
    {
        return Err(NotifyConfigError::BadKey);
    }
    Ok((service.to_owned(), secret.to_owned()))
}

/// A Notify bearer token for `service_id` issued at `issued_at` (seconds since the epoch):
/// header `{"typ":"JWT","alg":"HS256"}`, claims `{"iss", "iat"}`, signed with the secret.
pub fn bearer_token(service_id: &str, secret: &str, issued_at: i64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let claims = URL_SAFE_NO_PAD
        .encode(serde_json::json!({ "iss": service_id, "iat": issued_at }).to_string());
    let signing_input = format!("{header}.{claims}");
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

impl NotifyChannel {
    /// A channel for `settings`, checked.
    pub fn new(settings: NotifySettings) -> Result<Self, NotifyConfigError> {
        let (service_id, secret) = split_key(&settings.api_key)?;
        for (what, id) in [
            ("text message", &settings.sms_template_id),
            ("email", &settings.email_template_id),
        ] {
            if uuid::Uuid::parse_str(id).is_err() {
                return Err(NotifyConfigError::BadTemplate(what));
            }
        }
        let url = &settings.base_url;
        let loopback = url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost");
        if !(url.starts_with("https://") || loopback) || url.ends_with('/') {
            return Err(NotifyConfigError::BadUrl);
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|_| NotifyConfigError::BadUrl)?;
        Ok(Self {
            settings,
            service_id,
            secret,
            http,
        })
    }

    fn token(&self) -> String {
        #[allow(clippy::disallowed_methods)] // Notify checks the token against real time
        let now = jiff::Timestamp::now().as_second();
        bearer_token(&self.service_id, &self.secret, now)
    }

    /// Notify's id for a message it already accepted with this reference, if any.
    async fn already_sent(&self, reference: &str) -> Result<Option<String>, DeliveryError> {
        let response = self
            .http
            .get(format!("{}/v2/notifications", self.settings.base_url))
            .query(&[("reference", reference)])
            .bearer_auth(self.token())
            .send()
            .await
            .map_err(|e| temporary(&e))?;
        let response = check(response).await?;
        let page: Page = response
            .json()
            .await
            .map_err(|_| DeliveryError::Temporary("notify: unreadable answer".into()))?;
        Ok(page.notifications.into_iter().next().map(|n| n.id))
    }
}

fn temporary(error: &reqwest::Error) -> DeliveryError {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "unreachable"
    } else {
        "request failed"
    };
    DeliveryError::Temporary(format!("notify: {what}"))
}

/// Sorts Notify's answer: rate limits, its own failures and clock problems are worth trying
/// again; anything else it refuses will not work as it is.
async fn check(response: reqwest::Response) -> Result<reqwest::Response, DeliveryError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let code = status.as_u16();
    if code == 429 || code == 403 || status.is_server_error() {
        Err(DeliveryError::Temporary(format!("notify: {code}")))
    } else {
        Err(DeliveryError::Permanent(format!("notify: {code}")))
    }
}

impl Channel for NotifyChannel {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        Box::pin(async move {
            let reference = message.id.to_string();
            if let Some(id) = self.already_sent(&reference).await? {
                return Ok(Delivery {
                    provider_reference: id,
                });
            }
            let (path, body) = match &message.to {
                Recipient::Mobile(phone) => (
                    "sms",
                    serde_json::json!({
                        "phone_number": phone.as_str(),
                        "template_id": self.settings.sms_template_id,
                        "personalisation": { "body": message.body },
                        "reference": reference,
                    }),
                ),
                Recipient::Email(email) => (
                    "email",
                    serde_json::json!({
                        "email_address": email.as_str(),
                        "template_id": self.settings.email_template_id,
                        "personalisation": {
                            "subject": message.subject.clone().unwrap_or_default(),
                            "body": message.body,
                        },
                        "reference": reference,
                    }),
                ),
                // A precompiled letter: our own PDF, the address printed in it.
                Recipient::Post { .. } => {
                    let pdf = letter_pdf(message)
                        .map_err(|_| DeliveryError::Permanent("letter_pdf".into()))?;
                    (
                        "letter",
                        serde_json::json!({
                            "reference": reference,
                            "content": STANDARD.encode(pdf.bytes),
                            "postage": "second",
                        }),
                    )
                }
                Recipient::Call(_) => {
                    return Err(DeliveryError::Permanent(
                        "notify: calls are made by staff".into(),
                    ));
                }
            };
            let response = self
                .http
                .post(format!(
                    "{}/v2/notifications/{path}",
                    self.settings.base_url
                ))
                .bearer_auth(self.token())
                .json(&body)
                .send()
                .await
                .map_err(|e| temporary(&e))?;
            let created: Created = check(response)
                .await?
                .json()
                .await
                .map_err(|_| DeliveryError::Temporary("notify: unreadable answer".into()))?;
            Ok(Delivery {
                provider_reference: created.id,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "jointly_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";

    #[test]
    fn the_key_splits_into_the_service_and_the_secret() {
        let (service, secret) = split_key(KEY).unwrap();
        assert_eq!(service, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
        assert_eq!(split_key("short"), Err(NotifyConfigError::BadKey));
        assert_eq!(
            split_key(&KEY.replace("3d844edf", "zzzzzzzz")),
            Err(NotifyConfigError::BadKey)
        );
    }

    #[test]
    fn the_token_is_an_hs256_jwt_notify_can_check() {
        let token = bearer_token("service", "secret", 1_700_000_000);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = URL_SAFE_NO_PAD.decode(parts[0]).unwrap();
        assert_eq!(header, br#"{"typ":"JWT","alg":"HS256"}"#);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["iss"], "service");
        assert_eq!(claims["iat"], 1_700_000_000);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .expect("signed with the secret");
    }
}
