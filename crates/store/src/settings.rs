//! Facts about this installation, kept as keyed text values.

use jiff::Timestamp;

use crate::row::micros;
use crate::{Store, StoreError, Tx, read, write};

impl Store {
    /// The value stored under `key`.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, String>("SELECT value FROM setting WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?)
        })
    }
}

impl Tx {
    /// Stores `value` under `key`, replacing any earlier value.
    pub async fn put_setting(
        &mut self,
        key: &str,
        value: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO setting (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
