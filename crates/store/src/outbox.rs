//! The outbox: messages queued in the same transaction as the change that causes them, then
//! claimed and delivered by the worker. Claims are leases, so a worker that dies mid-send only
//! delays a message; it is never lost.

use jiff::Timestamp;
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::{MessageData, MessagePlan, MessageTemplate, Recipient};
use jointly_domain::{Invalid, MessageId, OrganisationId, PatientId, StaffUserId};
use uuid::Uuid;

use crate::json::{read_json, to_json};
use crate::row::{DbRow, micros};
use crate::url::Backend;
use crate::{Store, StoreError, Tx, read, write};

/// Where a message is in delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting to be sent (or to be retried).
    Pending,
    /// Handed to the channel.
    Sent,
    /// Gave up after repeated failures; staff must act.
    Dead,
    /// No written channel reaches the person: waiting on the staff list of people to call.
    AwaitingCall,
}

impl OutboxStatus {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Dead => "dead",
            Self::AwaitingCall => "awaiting_call",
        }
    }

    fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "dead" => Ok(Self::Dead),
            "awaiting_call" => Ok(Self::AwaitingCall),
            _ => Err(Invalid("choose")),
        }
    }
}

/// A message in the outbox.
#[derive(Clone, Debug)]
pub struct OutboxEntry {
    /// Identifier; also the reference given to the provider, so a resend is recognised.
    pub id: MessageId,
    /// Which message.
    pub template: MessageTemplate,
    /// By which channel.
    pub channel: ContactChannel,
    /// To whom.
    pub recipient: Recipient,
    /// The patient it is about, if any.
    pub about: Option<PatientId>,
    /// What the template needs.
    pub data: MessageData,
    /// Where it is in delivery.
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last failure, as a short code (never message content).
    pub last_error: Option<String>,
    /// The channel's own id for the sent message.
    pub provider_reference: Option<String>,
    /// When queued.
    pub created_at: Timestamp,
    /// When sent.
    pub sent_at: Option<Timestamp>,
    /// Channels already tried that could not deliver, in order.
    pub failed_channels: Vec<ContactChannel>,
    /// What the provider last reported (for example `delivered`), from its receipt.
    pub delivery_status: Option<String>,
}

macro_rules! columns {
    () => {
        "id, template, channel, recipient_kind, recipient_id, patient_id, data, status, attempts, last_error, \
         provider_reference, created_at, sent_at, failed_channels, delivery_status"
    };
}

fn entry_from_row(row: &impl DbRow) -> Result<OutboxEntry, StoreError> {
    let data = read_json(row, "data")?.ok_or(StoreError::Corrupt { column: "data" })?;
    Ok(OutboxEntry {
        id: MessageId::from_uuid(row.uuid("id")?),
        template: row.parsed("template", MessageTemplate::parse)?,
        channel: row.parsed("channel", ContactChannel::parse)?,
        recipient: recipient_from(&row.text("recipient_kind")?, row.uuid("recipient_id")?)?,
        about: row.opt_uuid("patient_id")?.map(PatientId::from_uuid),
        data,
        status: row.parsed("status", OutboxStatus::parse)?,
        attempts: row.int("attempts")?,
        last_error: row.opt_text("last_error")?,
        provider_reference: row.opt_text("provider_reference")?,
        created_at: row.instant("created_at")?,
        sent_at: row.opt_instant("sent_at")?,
        failed_channels: row
            .text("failed_channels")?
            .split_whitespace()
            .map(|code| {
                ContactChannel::parse(code).map_err(|_| StoreError::Corrupt {
                    column: "failed_channels",
                })
            })
            .collect::<Result<_, _>>()?,
        delivery_status: row.opt_text("delivery_status")?,
    })
}

/// The stored kind and id of a recipient.
fn recipient_parts(recipient: Recipient) -> (&'static str, Uuid) {
    match recipient {
        Recipient::Patient(id) => ("patient", id.as_uuid()),
        Recipient::Staff(id) => ("staff", id.as_uuid()),
        Recipient::Organisation(id) => ("organisation", id.as_uuid()),
        Recipient::Carer(id) => ("carer", id.as_uuid()),
    }
}

fn recipient_from(kind: &str, id: Uuid) -> Result<Recipient, StoreError> {
    match kind {
        "patient" => Ok(Recipient::Patient(PatientId::from_uuid(id))),
        "staff" => Ok(Recipient::Staff(StaffUserId::from_uuid(id))),
        "organisation" => Ok(Recipient::Organisation(OrganisationId::from_uuid(id))),
        "carer" => Ok(Recipient::Carer(PatientId::from_uuid(id))),
        _ => Err(StoreError::Corrupt {
            column: "recipient_kind",
        }),
    }
}

impl Tx {
    /// Queues messages. A plan whose idempotency key is already queued is skipped, so replaying
    /// an event never sends its message twice.
    pub async fn enqueue(
        &mut self,
        plans: &[MessagePlan],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for plan in plans {
            let data = to_json(&plan.data, "data")?;
            let (kind, recipient) = recipient_parts(plan.recipient);
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO outbox (id, idempotency_key, template, channel, recipient_kind, \
                     recipient_id, patient_id, data, status, attempts, next_attempt_at, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9, $9) \
                     ON CONFLICT (idempotency_key) DO NOTHING",
                )
                .bind(MessageId::new().as_uuid())
                .bind(&plan.idempotency_key)
                .bind(plan.template.as_str())
                .bind(plan.channel.as_str())
                .bind(kind)
                .bind(recipient)
                .bind(plan.about.map(|p| p.as_uuid()))
                .bind(data)
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Records that a message was handed to `channel`.
    pub async fn mark_message_sent(
        &mut self,
        id: MessageId,
        channel: ContactChannel,
        provider_reference: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $2, provider_reference = $3, \
                 channel = $4, claimed_until = NULL, last_error = NULL, updated_at = $2 \
                 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .bind(provider_reference)
            .bind(channel.as_str())
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}

impl Store {
    /// Claims up to `limit` messages that are due, leasing them until `lease_until`. Several
    /// workers (or app instances) may claim at once; each message goes to exactly one of them.
    pub async fn claim_due_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        // PostgreSQL skips rows another worker has locked; SQLite has a single writer, so the
        // claim is already exclusive.
        let sql = match self.backend() {
            Backend::Postgres => concat!(
                "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1, updated_at = $1 \
                 WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' \
                 AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) \
                 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING ",
                columns!()
            ),
            Backend::Sqlite => concat!(
                "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1, updated_at = $1 \
                 WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' \
                 AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) \
                 ORDER BY next_attempt_at LIMIT $3) RETURNING ",
                columns!()
            ),
        };
        let mut tx = self.begin().await?;
        let entries = write!(tx, conn => {
            let rows = sqlx::query(sql)
                .bind(micros(now))
                .bind(micros(lease_until))
                .bind(i64::from(limit))
                .fetch_all(&mut *conn)
                .await?;
            rows.iter().map(entry_from_row).collect::<Result<Vec<_>, _>>()?
        });
        tx.commit().await?;
        Ok(entries)
    }

    /// Holds a claimed message until `until` (quiet hours) without counting an attempt.
    pub async fn hold_message(
        &self,
        id: MessageId,
        until: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE outbox SET next_attempt_at = $3, attempts = attempts - 1, \
                 claimed_until = NULL, updated_at = $2 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .bind(micros(until))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Records that `channel` cannot deliver a message: it goes again at once by the next
    /// channel in the person's order.
    pub async fn fall_back_message(
        &self,
        id: MessageId,
        channel: ContactChannel,
        error_code: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', last_error = $3, \
                 failed_channels = TRIM(failed_channels || ' ' || $4), next_attempt_at = $2, \
                 claimed_until = NULL, attempts = 0, updated_at = $2 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .bind(error_code)
            .bind(channel.as_str())
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Puts a message on the staff list of people to call: no written channel reaches them.
    pub async fn await_call(&self, id: MessageId, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE outbox SET status = 'awaiting_call', channel = 'telephone', \
                 claimed_until = NULL, updated_at = $2 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Records a failed attempt: retry at `retry_at`, or give up (dead) when it is `None`.
    pub async fn mark_message_failed(
        &self,
        id: MessageId,
        error_code: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let status = if retry_at.is_some() {
            OutboxStatus::Pending
        } else {
            OutboxStatus::Dead
        };
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE outbox SET status = $2, last_error = $3, next_attempt_at = $4, \
                 claimed_until = NULL, updated_at = $5 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(status.as_str())
            .bind(error_code)
            .bind(micros(retry_at.unwrap_or(now)))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Records a call made from the list of people to call: reached, the message counts as
    /// sent; not reached, it stays on the list with the attempt counted.
    pub async fn record_call(
        &self,
        id: MessageId,
        reached: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let changed = write!(tx, conn => {
            let query = if reached {
                sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = $2, provider_reference = 'call', \
                     attempts = attempts + 1, last_error = NULL, updated_at = $2 \
                     WHERE id = $1 AND status = 'awaiting_call'",
                )
            } else {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = 'not_reached', \
                     updated_at = $2 WHERE id = $1 AND status = 'awaiting_call'",
                )
            };
            query
                .bind(id.as_uuid())
                .bind(micros(now))
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Records a provider's delivery receipt against the message with that reference. Returns
    /// the message, or `None` when no message has that reference.
    pub async fn record_delivery_receipt(
        &self,
        provider_reference: &str,
        status: &str,
        at: Timestamp,
    ) -> Result<Option<OutboxEntry>, StoreError> {
        let mut tx = self.begin().await?;
        let entry = write!(tx, conn => {
            let sql = concat!(
                "UPDATE outbox SET delivery_status = $2, delivered_at = $3, updated_at = $3 \
                 WHERE provider_reference = $1 RETURNING ",
                columns!()
            );
            sqlx::query(sql)
                .bind(provider_reference)
                .bind(status)
                .bind(micros(at))
                .fetch_optional(&mut *conn)
                .await?
                .as_ref()
                .map(entry_from_row)
                .transpose()?
        });
        tx.commit().await?;
        Ok(entry)
    }

    /// Sends a dead message again from the start (staff, after fixing the cause).
    pub async fn resend_message(&self, id: MessageId, now: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let changed = write!(tx, conn => {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', attempts = 0, failed_channels = '', \
                 next_attempt_at = $2, claimed_until = NULL, updated_at = $2 \
                 WHERE id = $1 AND status = 'dead'",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// One message.
    pub async fn find_message(&self, id: MessageId) -> Result<Option<OutboxEntry>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM outbox WHERE id = $1");
            sqlx::query(sql)
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(entry_from_row)
                .transpose()
        })
    }

    /// When messages to `recipient` were sent since `since`, oldest first: what a per-person
    /// rate limit counts.
    pub async fn sent_to_recipient_since(
        &self,
        recipient: Recipient,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError> {
        let (kind, id) = recipient_parts(recipient);
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT sent_at FROM outbox WHERE recipient_kind = $1 AND recipient_id = $2 \
                 AND status = 'sent' AND sent_at >= $3 ORDER BY sent_at",
            )
            .bind(kind)
            .bind(id)
            .bind(micros(since))
            .fetch_all(pool)
            .await?;
            rows.iter().map(|row| row.instant("sent_at")).collect()
        })
    }

    /// Messages in one state (dead ones for staff to act on, calls to make), oldest first.
    pub async fn messages_with_status(
        &self,
        status: OutboxStatus,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM outbox WHERE status = $1 \
                 ORDER BY created_at, id LIMIT $2"
            );
            let rows = sqlx::query(sql)
                .bind(status.as_str())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(entry_from_row).collect()
        })
    }

    /// The most recently queued messages, newest first.
    pub async fn recent_outbox(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM outbox ORDER BY created_at DESC, id DESC LIMIT $1"
            );
            let rows = sqlx::query(sql).bind(i64::from(limit)).fetch_all(pool).await?;
            rows.iter().map(entry_from_row).collect()
        })
    }

    /// Messages queued for one patient, newest first.
    pub async fn outbox_for_patient(
        &self,
        patient: PatientId,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM outbox WHERE patient_id = $1 \
                 ORDER BY created_at DESC, id DESC"
            );
            let rows = sqlx::query(sql).bind(patient.as_uuid()).fetch_all(pool).await?;
            rows.iter().map(entry_from_row).collect()
        })
    }
}
