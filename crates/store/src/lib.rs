//! Jointly's persistence: one store API over SQLite (the embedded default) and PostgreSQL.
//!
//! The SQL is written once and runs on both backends wherever it is portable: every query is
//! monomorphised per backend by the [`read!`] and [`write!`] dispatch macros. Where a backend
//! needs its own SQL (claiming outbox rows, schema), the two versions sit side by side.
//! Instants are stored as microseconds since the Unix epoch, dates as ISO-8601 text.

mod audit;
mod catalogue;
mod classes;
mod clinics;
mod communication;
mod connect;
mod conversations;
mod drafts;
mod error;
mod events;
mod exercises;
mod feedback;
mod json;
mod measures;
mod migrations;
mod notes;
mod offers;
mod onward;
mod organisations;
mod outbox;
mod passport;
mod patients;
mod population;
mod referrals;
mod rotas;
mod row;
mod sessions;
mod settings;
mod signposting;
mod slots;
mod staff;
mod surgery;
mod systems;
mod tasks;
mod url;
mod waiting;
mod waiting_contact;

#[cfg(feature = "testing")]
pub mod testing;

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub use audit::{AuditAction, AuditOutcome, AuditRecord, StoredAudit};
pub use classes::{ClassView, RegisterEntry};
pub use clinics::ClinicListEntry;
pub use communication::PortalMessage;
pub use connect::ConnectOptions;
pub use conversations::ConversationSummary;
pub use drafts::DraftRecord;
pub use error::StoreError;
pub use feedback::FftGroup;
pub use notes::{Note, NoteKind};
pub use outbox::{OutboxEntry, OutboxStatus};
pub use population::{ClinicUse, FactFilter, LookupSummary, Tally, WaitCount};
pub use referrals::{PatientReferralView, QueueFilter, TriageQueueItem};
pub use sessions::{SessionRecord, SessionSubject, SignInCode};
pub use slots::{FirstFree, SlotView};
pub use staff::StaffUser;
pub use systems::VersionedPatient;
pub use tasks::TaskView;
pub use url::{Backend, DatabaseUrl, UrlError};
pub use waiting::WaitingEntry;
pub use waiting_contact::WaitingContact;

/// The store: a handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: Db,
    /// Audit entries on their way to the database, written together (see `audit.rs`).
    audit: audit::AuditQueue,
}

#[derive(Clone)]
enum Db {
    // SQLite allows one writer at a time; funnelling writes through a single connection avoids
    // lock contention and "database is busy" failures, while readers run in parallel (WAL).
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
    },
    Postgres(PgPool),
}

/// A write transaction. Nothing it does is visible to others until [`Tx::commit`]; dropping it
/// without committing rolls everything back.
pub struct Tx {
    inner: TxInner,
}

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$pool` bound to the backend's read pool. The body is compiled once per
/// backend, so portable SQL is written once.
macro_rules! read {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite { reader: $pool, .. } => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection, once per backend.
macro_rules! write {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.inner {
            $crate::TxInner::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::TxInner::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

pub(crate) use {read, write};

impl Store {
    /// Which database this store uses.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let inner = match &self.db {
            Db::Sqlite { writer, .. } => TxInner::Sqlite(writer.begin().await?),
            Db::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx { inner })
    }

    /// Checks the database answers; used by the readiness probe.
    pub async fn ping(&self) -> Result<(), StoreError> {
        read!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection, waiting for work in progress to finish.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { writer, reader } => {
                writer.close().await;
                reader.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    /// Makes every change in the transaction permanent, atomically.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
