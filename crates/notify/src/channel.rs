//! Delivery channels. The file channel writes each message to a folder, for the demo and for
//! development; the print channel writes letters as PDF for the print room; providers (GOV.UK
//! Notify, SMTP) plug in behind the same trait.

use std::path::PathBuf;
use std::sync::Arc;

use futures::future::BoxFuture;
use jointly_domain::communication::LetterFormat;
use serde::Serialize;

use crate::letter::letter_pdf;
use crate::render::{Recipient, RenderedMessage};

/// A channel accepted the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The channel's reference for it.
    pub provider_reference: String,
}

/// A channel refused or failed. The code is short and never contains message content.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth trying again later (timeouts, rate limits, provider outages).
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Will never work as it is (bad address, rejected content).
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// Something that delivers rendered messages.
pub trait Channel: Send + Sync {
    /// Delivers one message. Delivering the same message id twice must not reach the person
    /// twice: channels pass the id on as an idempotency reference.
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>>;
}

/// Writes each message as `<id>.json` in a folder. Writing the same message again replaces the
/// file, so a retried delivery never produces a second copy.
#[derive(Clone, Debug)]
pub struct FileChannel {
    folder: PathBuf,
}

#[derive(Serialize)]
struct FileMessage<'a> {
    id: String,
    template: &'a str,
    channel: &'a str,
    to: String,
    subject: Option<&'a str>,
    body: &'a str,
}

impl FileChannel {
    /// A channel writing into `folder`, which is created if needed.
    pub fn new(folder: impl Into<PathBuf>) -> std::io::Result<Self> {
        let folder = folder.into();
        std::fs::create_dir_all(&folder)?;
        Ok(Self { folder })
    }
}

impl Channel for FileChannel {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        Box::pin(async move {
            let record = FileMessage {
                id: message.id.to_string(),
                template: message.template.as_str(),
                channel: message.channel.as_str(),
                to: message.to.display(),
                subject: message.subject.as_deref(),
                body: &message.body,
            };
            let json = serde_json::to_vec_pretty(&record)
                .map_err(|_| DeliveryError::Permanent("unserialisable".into()))?;
            let path = self.folder.join(format!("{}.json", message.id));
            let partial = self.folder.join(format!("{}.json.partial", message.id));
            tokio::fs::write(&partial, json)
                .await
                .map_err(|_| DeliveryError::Temporary("write_failed".into()))?;
            tokio::fs::rename(&partial, &path)
                .await
                .map_err(|_| DeliveryError::Temporary("write_failed".into()))?;
            Ok(Delivery {
                provider_reference: format!("file:{}", message.id),
            })
        })
    }
}

/// Writes each letter as `<id>.pdf` in a print folder, with `<id>.json` beside it telling the
/// print room how to produce it (standard, large print at a point size, braille or audio).
/// Both files appear at once (written aside, then renamed), and writing a letter again
/// replaces it, so a retry never prints twice.
#[derive(Clone, Debug)]
pub struct PrintChannel {
    folder: PathBuf,
}

#[derive(Serialize)]
struct PrintJob<'a> {
    id: String,
    template: &'a str,
    format: &'a str,
    point_size: u8,
    language: &'a str,
    pages: usize,
    pdf: String,
}

impl PrintChannel {
    /// A channel writing into `folder`, which is created if needed.
    pub fn new(folder: impl Into<PathBuf>) -> std::io::Result<Self> {
        let folder = folder.into();
        std::fs::create_dir_all(&folder)?;
        Ok(Self { folder })
    }

    async fn write(&self, name: String, bytes: Vec<u8>) -> Result<(), DeliveryError> {
        let partial = self.folder.join(format!("{name}.partial"));
        tokio::fs::write(&partial, bytes)
            .await
            .map_err(|_| DeliveryError::Temporary("write_failed".into()))?;
        tokio::fs::rename(&partial, self.folder.join(name))
            .await
            .map_err(|_| DeliveryError::Temporary("write_failed".into()))
    }
}

impl Channel for PrintChannel {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        Box::pin(async move {
            let frame = message
                .letter
                .as_ref()
                .ok_or_else(|| DeliveryError::Permanent("not_a_letter".into()))?;
            let pdf =
                letter_pdf(message).map_err(|_| DeliveryError::Permanent("letter_pdf".into()))?;
            let job = PrintJob {
                id: message.id.to_string(),
                template: message.template.as_str(),
                format: frame.format.as_str(),
                point_size: frame.format.point_size(),
                language: message.locale.code(),
                pages: pdf.pages,
                pdf: format!("{}.pdf", message.id),
            };
            let json = serde_json::to_vec_pretty(&job)
                .map_err(|_| DeliveryError::Permanent("unserialisable".into()))?;
            // The PDF lands first, so a print room that watches for `.json` files finds both.
            self.write(format!("{}.pdf", message.id), pdf.bytes).await?;
            self.write(format!("{}.json", message.id), json).await?;
            Ok(Delivery {
                provider_reference: format!("print:{}", message.id),
            })
        })
    }
}

/// Sends each message by the channel for its kind: text messages, emails, and everything else
/// (letters to print, and any call that reaches a channel).
#[derive(Clone)]
pub struct RoutedChannel {
    /// Text messages.
    pub text: Arc<dyn Channel>,
    /// Emails.
    pub email: Arc<dyn Channel>,
    /// Letters.
    pub post: Arc<dyn Channel>,
}

impl Channel for RoutedChannel {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        match message.to {
            Recipient::Mobile(_) => self.text.deliver(message),
            Recipient::Email(_) => self.email.deliver(message),
            Recipient::Post { .. } | Recipient::Call(_) => self.post.deliver(message),
        }
    }
}

/// Letters by a provider that prints and posts them (GOV.UK Notify), except braille and audio,
/// which only the print room can produce.
#[derive(Clone)]
pub struct LetterChannel {
    /// Standard and large-print letters.
    pub posted: Arc<dyn Channel>,
    /// Braille and audio.
    pub print_room: Arc<dyn Channel>,
}

impl Channel for LetterChannel {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        let special = message.letter.as_ref().is_some_and(|frame| {
            matches!(frame.format, LetterFormat::Braille | LetterFormat::Audio)
        });
        if special {
            self.print_room.deliver(message)
        } else {
            self.posted.deliver(message)
        }
    }
}
