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

impl Store {
    /// The secret key called `name`, keeping `candidate` as it when there is none yet, so
    /// every server process of the service signs with the same key.
    pub async fn service_key(
        &self,
        name: &str,
        candidate: &[u8],
        now: Timestamp,
    ) -> Result<Vec<u8>, StoreError> {
        let mut tx = self.begin().await?;
        let key = write!(tx, conn => {
            sqlx::query(
                "INSERT INTO service_key (name, key, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(candidate)
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
            sqlx::query_scalar::<_, Vec<u8>>("SELECT key FROM service_key WHERE name = $1")
                .bind(name)
                .fetch_one(&mut *conn)
                .await?
        });
        tx.commit().await?;
        Ok(key)
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
