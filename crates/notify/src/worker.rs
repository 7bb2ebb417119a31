//! The delivery worker: claims due messages from the outbox, renders and delivers each, and
//! records the outcome. Failures are retried with exponential backoff, then parked as dead for
//! staff to see; nothing is dropped.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use jointly_domain::Clock;
use jointly_store::{OutboxEntry, Store, StoreError};

use crate::NotifyError;
use crate::channel::{Channel, DeliveryError};
use crate::context::load_context;
use crate::render::Renderer;

/// How the worker paces itself.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// Messages claimed per round.
    pub batch: u32,
    /// How long a claim lasts; a worker that dies holding one only delays those messages.
    pub lease: SignedDuration,
    /// Attempts before a message is parked as dead. Ten attempts with the backoff below span
    /// about eight and a half hours, longer than any provider outage we expect.
    pub max_attempts: i64,
    /// Pause between rounds when the outbox is empty.
    pub idle_poll: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            batch: 50,
            lease: SignedDuration::from_mins(2),
            max_attempts: 10,
            idle_poll: Duration::from_millis(500),
        }
    }
}

/// The wait before retrying after `attempts` failed attempts: 30 s doubling, at most 4 hours.
pub fn retry_delay(attempts: i64) -> SignedDuration {
    let exponent = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    let seconds = 30i64.saturating_mul(2i64.saturating_pow(exponent));
    SignedDuration::from_secs(seconds.min(4 * 3600))
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// Messages claimed.
    pub claimed: usize,
    /// Delivered.
    pub delivered: usize,
    /// Failed, to be retried.
    pub retrying: usize,
    /// Failed for good.
    pub dead: usize,
}

/// Empties the outbox through a channel.
pub struct DeliveryWorker {
    store: Store,
    renderer: Arc<Renderer>,
    channel: Arc<dyn Channel>,
    clock: Arc<dyn Clock>,
    settings: WorkerSettings,
}

impl DeliveryWorker {
    /// A worker.
    pub fn new(
        store: Store,
        renderer: Arc<Renderer>,
        channel: Arc<dyn Channel>,
        clock: Arc<dyn Clock>,
        settings: WorkerSettings,
    ) -> Self {
        Self {
            store,
            renderer,
            channel,
            clock,
            settings,
        }
    }

    /// Claims one batch of due messages and delivers them.
    pub async fn run_once(&self) -> Result<RunOutcome, StoreError> {
        let now = self.clock.now();
        let lease_until = now.saturating_add(self.settings.lease).unwrap_or(now);
        let claimed = self
            .store
            .claim_due_messages(now, lease_until, self.settings.batch)
            .await?;
        let mut outcome = RunOutcome {
            claimed: claimed.len(),
            ..RunOutcome::default()
        };
        for entry in &claimed {
            match self.deliver(entry).await {
                Ok(reference) => {
                    self.store
                        .mark_message_sent(entry.id, &reference, self.clock.now())
                        .await?;
                    outcome.delivered += 1;
                    tracing::info!(message_id = %entry.id, template = entry.template.as_str(), channel = entry.channel.as_str(), "message delivered");
                }
                Err(failure) => {
                    let (code, permanent) = failure;
                    let now = self.clock.now();
                    let retry_at = (!permanent && entry.attempts < self.settings.max_attempts)
                        .then(|| {
                            now.saturating_add(retry_delay(entry.attempts))
                                .unwrap_or(now)
                        });
                    self.store
                        .mark_message_failed(entry.id, &code, retry_at, now)
                        .await?;
                    if retry_at.is_some() {
                        outcome.retrying += 1;
                        tracing::warn!(message_id = %entry.id, attempts = entry.attempts, error = %code, "message delivery failed; will retry");
                    } else {
                        outcome.dead += 1;
                        tracing::error!(message_id = %entry.id, attempts = entry.attempts, error = %code, "message delivery failed for good; staff must act");
                    }
                }
            }
        }
        Ok(outcome)
    }

    /// Renders and delivers one message: the provider reference, or (error code, permanent?).
    async fn deliver(&self, entry: &OutboxEntry) -> Result<String, (String, bool)> {
        let context = load_context(&self.store, entry)
            .await
            .map_err(|e| match e {
                NotifyError::Store(_) => ("store_unavailable".to_owned(), false),
                NotifyError::Render(_) => ("missing_data".to_owned(), true),
            })?;
        let message = self
            .renderer
            .render(entry, &context)
            .map_err(|e| (format!("render:{}", render_code(&e)), true))?;
        match self.channel.deliver(&message).await {
            Ok(delivery) => Ok(delivery.provider_reference),
            Err(DeliveryError::Temporary(code)) => Err((code, false)),
            Err(DeliveryError::Permanent(code)) => Err((code, true)),
        }
    }

    /// Runs rounds until `shutdown` completes, pausing when there is nothing to send. A store
    /// outage pauses the worker; it never stops it.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let pause = match self.run_once().await {
                Ok(outcome) if outcome.claimed as u32 == self.settings.batch => Duration::ZERO,
                Ok(_) => self.settings.idle_poll,
                Err(error) => {
                    tracing::error!(%error, "outbox worker could not reach the store");
                    self.settings.idle_poll * 4
                }
            };
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
}

fn render_code(error: &crate::render::RenderError) -> &'static str {
    match error {
        crate::render::RenderError::NoAddress(_) => "no_address",
        crate::render::RenderError::MissingData(_) => "missing_data",
        crate::render::RenderError::Template(_) => "template",
    }
}
