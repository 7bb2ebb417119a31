//! Delivery channels. The file channel writes each message to a folder, for the demo and for
//! development; providers (GOV.UK Notify, SMTP, print) plug in behind the same trait.

use std::path::PathBuf;

use futures::future::BoxFuture;
use serde::Serialize;

use crate::render::RenderedMessage;

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
