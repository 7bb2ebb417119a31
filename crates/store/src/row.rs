//! Reading columns from either backend's rows into domain values, naming the column when a
//! stored value is not what it should be.

use jiff::Timestamp;
use jiff::civil::Date;
use jointly_domain::Invalid;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

use crate::error::StoreError;

/// Typed column access shared by SQLite and PostgreSQL rows.
pub(crate) trait DbRow {
    fn uuid(&self, column: &'static str) -> Result<Uuid, StoreError>;
    fn opt_uuid(&self, column: &'static str) -> Result<Option<Uuid>, StoreError>;
    fn text(&self, column: &'static str) -> Result<String, StoreError>;
    fn opt_text(&self, column: &'static str) -> Result<Option<String>, StoreError>;
    fn int(&self, column: &'static str) -> Result<i64, StoreError>;
    fn opt_int(&self, column: &'static str) -> Result<Option<i64>, StoreError>;
    fn float(&self, column: &'static str) -> Result<f64, StoreError>;
    fn boolean(&self, column: &'static str) -> Result<bool, StoreError>;

    /// An instant stored as microseconds since the Unix epoch.
    fn instant(&self, column: &'static str) -> Result<Timestamp, StoreError> {
        micros_to_instant(self.int(column)?, column)
    }

    /// An optional instant.
    fn opt_instant(&self, column: &'static str) -> Result<Option<Timestamp>, StoreError> {
        self.opt_int(column)?
            .map(|m| micros_to_instant(m, column))
            .transpose()
    }

    /// A count stored as a non-negative integer.
    fn count(&self, column: &'static str) -> Result<u32, StoreError> {
        u32::try_from(self.int(column)?).map_err(|_| StoreError::Corrupt { column })
    }

    /// A calendar date stored as ISO-8601 text.
    fn date(&self, column: &'static str) -> Result<Date, StoreError> {
        self.text(column)?
            .parse()
            .map_err(|_| StoreError::Corrupt { column })
    }

    /// A value stored as its domain code, parsed back with the domain's own parser.
    fn parsed<T>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Result<T, StoreError> {
        parse(&self.text(column)?).map_err(|_| StoreError::Corrupt { column })
    }

    /// An optional value stored as its domain code.
    fn opt_parsed<T>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Result<Option<T>, StoreError> {
        self.opt_text(column)?
            .map(|s| parse(&s).map_err(|_| StoreError::Corrupt { column }))
            .transpose()
    }
}

fn micros_to_instant(micros: i64, column: &'static str) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|_| StoreError::Corrupt { column })
}

/// Microseconds since the Unix epoch, as stored.
pub(crate) fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

macro_rules! impl_db_row {
    ($row:ty) => {
        impl DbRow for $row {
            fn uuid(&self, column: &'static str) -> Result<Uuid, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn opt_uuid(&self, column: &'static str) -> Result<Option<Uuid>, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn text(&self, column: &'static str) -> Result<String, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn opt_text(&self, column: &'static str) -> Result<Option<String>, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn int(&self, column: &'static str) -> Result<i64, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn opt_int(&self, column: &'static str) -> Result<Option<i64>, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn float(&self, column: &'static str) -> Result<f64, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
            fn boolean(&self, column: &'static str) -> Result<bool, StoreError> {
                self.try_get(column)
                    .map_err(|_| StoreError::Corrupt { column })
            }
        }
    };
}

impl_db_row!(SqliteRow);
impl_db_row!(PgRow);
