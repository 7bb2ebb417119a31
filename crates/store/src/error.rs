//! Store errors, by meaning rather than by driver.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a concurrent change stopped the write; nothing was changed.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A stored value could not be read back as its domain type: a bug or a bad manual edit.
    #[error("stored value in column {column} is not valid")]
    Corrupt {
        /// The column.
        column: &'static str,
    },
    /// The database could not be reached or timed out.
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// Migrations could not be applied.
    #[error("migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Anything else from the driver.
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::Unavailable(error)
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::Conflict(unique_constraint(db.message()))
            }
            _ => Self::Database(error),
        }
    }
}

// Names the broken uniqueness rule from the driver's message; both backends mention the index
// or column, so callers can tell a taken slot from a reused reference.
fn unique_constraint(message: &str) -> &'static str {
    const KNOWN: [(&str, &str); 5] = [
        ("ods_code", "ods_code_taken"),
        ("appointment_one_per_slot", "slot_taken"),
        ("appointment.slot_id", "slot_taken"),
        ("reference", "reference_taken"),
        ("email", "email_taken"),
    ];
    KNOWN
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or("duplicate", |(_, name)| name)
}
