//! The delivery worker: claims due messages from the outbox, renders and delivers each, and
//! records the outcome. Failures are retried with exponential backoff, then parked as dead for
//! staff to see; nothing is dropped.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::{MessagePlan, MessageTemplate, Recipient};
use jointly_domain::{Clock, PatientId};
use jointly_store::{OutboxEntry, PortalMessage, Store, StoreError};

use crate::NotifyError;
use crate::channel::{Channel, DeliveryError};
use crate::context::{Addressee, MessageContext, load_context};
use crate::render::{RenderError, RenderedMessage, Renderer};

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
    /// Messages one person (or their carer) may be sent in an hour; more wait until the
    /// oldest of them is an hour old. Urgent messages are never held. Zero means no limit.
    pub per_person_per_hour: u32,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            batch: 50,
            lease: SignedDuration::from_mins(2),
            max_attempts: 10,
            idle_poll: Duration::from_millis(500),
            per_person_per_hour: 10,
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
    /// Held for the end of the person's quiet hours.
    pub held: usize,
    /// Put on the staff list of people to call.
    pub to_call: usize,
}

/// What happened to one claimed message.
enum Step {
    /// Delivered: record it, keep the inbox copy, queue a copy for the carer.
    Sent {
        channel: ContactChannel,
        reference: String,
        inbox: Option<(PatientId, PortalMessage)>,
        copy: Vec<MessagePlan>,
    },
    /// Quiet hours: try again when they end.
    Held(Timestamp),
    /// This channel cannot reach the person: try their next one.
    FallBack(ContactChannel, String),
    /// Only a phone call reaches them: the staff list of people to call.
    Call,
    /// Failed: (code, permanent?).
    Failed(String, bool),
}

/// A copy for the carer, when the patient asked for one (never a sign-in code).
fn carer_copy(entry: &OutboxEntry, context: &MessageContext) -> Vec<MessagePlan> {
    let preferences = &context.profile.preferences;
    match entry.recipient {
        Recipient::Patient(patient)
            if preferences.copy_carer
                && preferences.carer.is_some()
                && !context.profile.needs.via_carer()
                && entry.template != MessageTemplate::SignInCode =>
        {
            vec![MessagePlan {
                template: entry.template,
                recipient: Recipient::Carer(patient),
                about: Some(patient),
                channel: ContactChannel::Sms,
                data: entry.data.clone(),
                idempotency_key: format!("carer_copy:{}", entry.id),
            }]
        }
        _ => vec![],
    }
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
            let now = self.clock.now();
            match self.deliver(entry, now).await {
                Step::Sent {
                    channel,
                    reference,
                    inbox,
                    copy,
                } => {
                    let mut tx = self.store.begin().await?;
                    tx.mark_message_sent(entry.id, channel, &reference, now)
                        .await?;
                    if let Some((patient, message)) = inbox {
                        tx.record_portal_message(patient, &message).await?;
                    }
                    tx.enqueue(&copy, now).await?;
                    tx.commit().await?;
                    outcome.delivered += 1;
                    tracing::info!(message_id = %entry.id, template = entry.template.as_str(), channel = channel.as_str(), "message delivered");
                }
                Step::Held(until) => {
                    self.store.hold_message(entry.id, until, now).await?;
                    outcome.held += 1;
                }
                Step::FallBack(channel, code) => {
                    self.store
                        .fall_back_message(entry.id, channel, &code, now)
                        .await?;
                    outcome.retrying += 1;
                    tracing::warn!(message_id = %entry.id, channel = channel.as_str(), error = %code, "channel cannot deliver; trying the next");
                }
                Step::Call => {
                    self.store.await_call(entry.id, now).await?;
                    outcome.to_call += 1;
                }
                Step::Failed(code, permanent) => {
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

    /// Decides what to do with one message and, when it can go now, renders and delivers it.
    async fn deliver(&self, entry: &OutboxEntry, now: Timestamp) -> Step {
        let context = match load_context(&self.store, entry, now).await {
            Ok(context) => context,
            Err(NotifyError::Store(_)) => return Step::Failed("store_unavailable".into(), false),
            Err(NotifyError::Render(e)) => {
                return Step::Failed(format!("render:{}", render_code(&e)), true);
            }
        };
        let to_patient = matches!(context.addressee, Addressee::Patient);
        // A patient's channel is chosen now, from their needs and preferences as they are
        // today; channels that failed before are skipped.
        let channel = if to_patient {
            context
                .profile
                .channel_order(&context.patient, &entry.failed_channels)
                .first()
                .copied()
                .unwrap_or(ContactChannel::Telephone)
        } else {
            entry.channel
        };
        if to_patient && channel == ContactChannel::Telephone {
            return Step::Call;
        }
        let personal = matches!(context.addressee, Addressee::Patient | Addressee::Carer(_));
        if let Some(until) = personal
            .then(|| context.profile.hold_until(entry.template, channel, now))
            .flatten()
        {
            return Step::Held(until);
        }
        if personal && !entry.template.is_urgent() {
            match self.rate_limited_until(entry.recipient, now).await {
                Ok(Some(until)) => return Step::Held(until),
                Ok(None) => {}
                Err(_) => return Step::Failed("store_unavailable".into(), false),
            }
        }
        let message = match self.renderer.render(entry, &context, channel) {
            Ok(message) => message,
            Err(RenderError::NoAddress(_)) if to_patient => {
                return Step::FallBack(channel, "render:no_address".into());
            }
            Err(e) => return Step::Failed(format!("render:{}", render_code(&e)), true),
        };
        // A carer reached only by a landline is phoned, like a patient.
        if message.channel == ContactChannel::Telephone {
            return Step::Call;
        }
        match self.channel.deliver(&message).await {
            Ok(delivery) => Step::Sent {
                channel: message.channel,
                reference: delivery.provider_reference,
                inbox: self.inbox_copy(entry, &message, now),
                copy: carer_copy(entry, &context),
            },
            Err(DeliveryError::Temporary(code)) => Step::Failed(code, false),
            Err(DeliveryError::Permanent(code)) if to_patient => Step::FallBack(channel, code),
            Err(DeliveryError::Permanent(code)) => Step::Failed(code, true),
        }
    }

    /// When a person who has had their hour's share of messages may be sent the next one.
    async fn rate_limited_until(
        &self,
        recipient: Recipient,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        let limit = self.settings.per_person_per_hour as usize;
        if limit == 0 {
            return Ok(None);
        }
        let hour = SignedDuration::from_hours(1);
        let since = now.saturating_sub(hour).unwrap_or(now);
        let sent = self.store.sent_to_recipient_since(recipient, since).await?;
        Ok((sent.len() >= limit)
            .then(|| sent.get(sent.len() - limit))
            .flatten()
            .and_then(|oldest| oldest.saturating_add(hour).ok()))
    }

    /// The copy of a patient's message for their portal inbox (not sign-in codes).
    fn inbox_copy(
        &self,
        entry: &OutboxEntry,
        message: &RenderedMessage,
        now: Timestamp,
    ) -> Option<(PatientId, PortalMessage)> {
        let Recipient::Patient(patient) = entry.recipient else {
            return None;
        };
        if entry.template == MessageTemplate::SignInCode {
            return None;
        }
        let (subject, body) = message.inbox.clone()?;
        Some((
            patient,
            PortalMessage {
                id: entry.id,
                template: entry.template,
                subject,
                body,
                created_at: now,
                read_at: None,
            },
        ))
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
