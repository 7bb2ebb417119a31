//! The audit trail: who read or changed which patient's record, when, through which route, and
//! whether they were allowed. Append-only (the schema refuses updates and deletes).

use jiff::Timestamp;
use jointly_domain::PatientId;
use jointly_domain::access::Role;
use jointly_domain::event::Actor;
use uuid::Uuid;

use crate::row::{DbRow, micros};
use crate::slots::actor_parts;
use crate::{Store, StoreError, Tx, read, write};

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// Looked at a record.
    Read,
    /// Created one.
    Create,
    /// Changed one.
    Update,
    /// Signed in.
    SignIn,
}

impl AuditAction {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Create => "create",
            Self::Update => "update",
            Self::SignIn => "sign_in",
        }
    }
}

/// Whether it was allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditOutcome {
    /// Allowed and done.
    Allowed,
    /// Refused.
    Denied,
}

impl AuditOutcome {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Denied => "denied",
        }
    }
}

/// One entry in the audit trail.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRecord {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: Actor,
    /// In which role.
    pub role: Option<Role>,
    /// What.
    pub action: AuditAction,
    /// Kind of record, for example `referral`.
    pub entity: &'static str,
    /// Which record.
    pub entity_id: Option<Uuid>,
    /// Whose record.
    pub patient_id: Option<PatientId>,
    /// The route template or operation, for example `GET /staff/referrals/{id}`.
    pub route: &'static str,
    /// Allowed or refused.
    pub outcome: AuditOutcome,
}

/// A stored audit entry, as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAudit {
    /// Sequence number: gaps or reordering would show tampering.
    pub seq: i64,
    /// Action code.
    pub action: String,
    /// Entity kind.
    pub entity: String,
    /// Actor kind.
    pub actor_kind: String,
    /// Route.
    pub route: String,
    /// Outcome code.
    pub outcome: String,
}

impl Tx {
    /// Appends entries to the audit trail.
    pub async fn insert_audit(&mut self, records: &[AuditRecord]) -> Result<(), StoreError> {
        for record in records {
            let (kind, actor_id) = actor_parts(record.actor);
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO audit_event (at, actor_kind, actor_id, actor_role, action, entity, \
                     entity_id, patient_id, route, outcome, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $1)",
                )
                .bind(micros(record.at))
                .bind(kind)
                .bind(actor_id)
                .bind(record.role.map(Role::as_str))
                .bind(record.action.as_str())
                .bind(record.entity)
                .bind(record.entity_id)
                .bind(record.patient_id.map(|p| p.as_uuid()))
                .bind(record.route)
                .bind(record.outcome.as_str())
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }
}

/// Most requests' entries written in one transaction.
const AUDIT_BATCH: usize = 256;

/// Entries waiting for the audit writer, and the answer each request waits for.
type Pending = (Vec<AuditRecord>, tokio::sync::oneshot::Sender<bool>);

/// The queue in front of the audit writer: a task, started on first use, that takes every
/// request's entries waiting at that moment and commits them in one transaction (group
/// commit), so a busy service pays one durable write for many reads, not one each.
#[derive(Clone, Default)]
pub(crate) struct AuditQueue(
    std::sync::Arc<std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Pending>>>,
);

impl Store {
    /// Appends entries to the audit trail and returns once they are committed. Entries from
    /// requests arriving together are committed together; if the writer is not running (its
    /// runtime has gone), they are written here in their own transaction.
    pub async fn record_audit(&self, records: &[AuditRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let queue = self.audit.0.get_or_init(|| {
            let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
            let writer = Store {
                db: self.db.clone(),
                audit: AuditQueue::default(),
            };
            tokio::spawn(write_audit(writer, receiver));
            sender
        });
        let (done, committed) = tokio::sync::oneshot::channel();
        if queue.send((records.to_vec(), done)).is_ok() && committed.await == Ok(true) {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        tx.insert_audit(records).await?;
        tx.commit().await
    }

    /// The audit trail of one patient's record, oldest first.
    pub async fn audit_for_patient(
        &self,
        patient: PatientId,
    ) -> Result<Vec<StoredAudit>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT seq, action, entity, actor_kind, route, outcome FROM audit_event \
                 WHERE patient_id = $1 ORDER BY seq",
            )
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(StoredAudit {
                        seq: row.int("seq")?,
                        action: row.text("action")?,
                        entity: row.text("entity")?,
                        actor_kind: row.text("actor_kind")?,
                        route: row.text("route")?,
                        outcome: row.text("outcome")?,
                    })
                })
                .collect()
        })
    }
}

/// The audit writer: each batch in one transaction; every request told whether its entries
/// are committed (a refusal makes it write them itself, and fail if that fails too).
async fn write_audit(store: Store, mut receiver: tokio::sync::mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < AUDIT_BATCH {
            match receiver.try_recv() {
                Ok(pending) => batch.push(pending),
                Err(_) => break,
            }
        }
        let records: Vec<AuditRecord> = batch.iter().flat_map(|(r, _)| r.clone()).collect();
        let written = async {
            let mut tx = store.begin().await?;
            tx.insert_audit(&records).await?;
            tx.commit().await
        }
        .await;
        if let Err(error) = &written {
            tracing::warn!(%error, entries = records.len(), "audit batch not written; each request writes its own");
        }
        for (_, done) in batch {
            let _ = done.send(written.is_ok());
        }
    }
}
