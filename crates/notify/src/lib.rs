//! Jointly's messages to patients, referrers and staff: rendering each template in the person's language for the
//! channel that reaches them, delivery channels, and the worker that empties the outbox.

mod channel;
mod context;
mod govuk_notify;
mod letter;
mod render;
mod smtp;
mod worker;

pub use channel::{
    Channel, Delivery, DeliveryError, FileChannel, LetterChannel, PrintChannel, RoutedChannel,
};
pub use context::{Addressee, MessageContext, load_context};
pub use govuk_notify::{NotifyChannel, NotifyConfigError, NotifySettings, bearer_token};
pub use letter::{LetterError, LetterPdf, PrintBlock, PrintDocument, document_pdf, letter_pdf};
pub use render::{
    LetterFrame, Recipient, RenderError, RenderedMessage, Renderer, TeamDetails, sms_fragments,
};
pub use smtp::{SmtpChannel, SmtpConfigError, SmtpSettings};
pub use worker::{DeliveryWorker, RunOutcome, WorkerSettings, retry_delay};

/// Why a message could not be prepared for sending.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] jointly_store::StoreError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
}
