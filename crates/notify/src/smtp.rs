//! Email by SMTP through the organisation's own mail relay (lettre): plain text in UTF-8, the
//! outbox id as the `Message-ID`, STARTTLS or implicit TLS chosen by the relay's URL.

use std::time::Duration;

use futures::future::BoxFuture;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::channel::{Channel, Delivery, DeliveryError};
use crate::render::{Recipient, RenderedMessage};

/// How to reach the relay and who the emails are from.
#[derive(Clone)]
pub struct SmtpSettings {
    /// The relay as a URL: `smtp://host:25` (no TLS, loopback relays only),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://host:465`.
    pub url: String,
    /// The sender, for example `Jointly MSK <msk.jointly@nhs.net>`.
    pub from: String,
    /// How long one send may take before it counts as a temporary failure.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    // The URL may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &"(secret)")
            .field("from", &self.from)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What is wrong with the SMTP settings.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SmtpConfigError {
    /// The URL is not one lettre understands (the reason never repeats the URL).
    #[error("the relay URL is not smtp://host:port or smtps://host:port")]
    BadUrl,
    /// The sender is not a mailbox.
    #[error("the sender `{0}` is not an email address (Name <name@example.nhs.uk>)")]
    BadFrom(String),
}

/// Sends emails through an SMTP relay. A retry sends the same `Message-ID`, so a relay or
/// mailbox that has the first copy can drop the second.
#[derive(Clone)]
pub struct SmtpChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpChannel {
    /// A channel for `settings`, checked but not yet connected.
    pub fn new(settings: &SmtpSettings) -> Result<Self, SmtpConfigError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| SmtpConfigError::BadFrom(settings.from.clone()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .map_err(|_| SmtpConfigError::BadUrl)?
            .timeout(Some(settings.timeout))
            .build();
        Ok(Self { transport, from })
    }

    fn message(&self, message: &RenderedMessage) -> Result<Message, DeliveryError> {
        let Recipient::Email(address) = &message.to else {
            return Err(DeliveryError::Permanent("smtp: not an email".into()));
        };
        let to: Mailbox = address
            .as_str()
            .parse()
            .map_err(|_| DeliveryError::Permanent("smtp: bad address".into()))?;
        let domain = self.from.email.domain();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone().unwrap_or_default())
            .message_id(Some(format!("<{}@{domain}>", message.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|_| DeliveryError::Permanent("smtp: unbuildable".into()))
    }
}

impl Channel for SmtpChannel {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        Box::pin(async move {
            let email = self.message(message)?;
            match self.transport.send(email).await {
                Ok(_) => Ok(Delivery {
                    provider_reference: format!("smtp:{}", message.id),
                }),
                // A 5xx answer will never work as it is; anything else (4xx, a refused or
                // dropped connection, a timeout) may work later.
                Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(format!(
                    "smtp: refused ({})",
                    e.status().map(|c| c.to_string()).unwrap_or_default()
                ))),
                Err(_) => Err(DeliveryError::Temporary("smtp: relay unavailable".into())),
            }
        })
    }
}
