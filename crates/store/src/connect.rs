//! Opening the database: pools, connection settings and migrations.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Executor};

use crate::error::StoreError;
use crate::migrations::{latest_version, migrator};
use crate::url::{Backend, DatabaseUrl};
use crate::{Db, Store, read};

/// How to open the pools.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// Most connections held open (for SQLite: readers; there is always exactly one writer).
    pub max_connections: u32,
    /// How long a request may wait for a free connection before failing as unavailable.
    pub acquire_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

impl Store {
    /// Opens the database named by `url`. The schema is not touched: run [`Store::migrate`].
    pub async fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Self, StoreError> {
        let db = match url {
            DatabaseUrl::Sqlite { path, create } => {
                let base = SqliteConnectOptions::new()
                    .filename(path)
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL makes every acknowledged commit survive power loss, not only a crash.
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .disable_statement_logging();
                let writer = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(base.clone().create_if_missing(*create))
                    .await?;
                let reader = SqlitePoolOptions::new()
                    .max_connections(options.max_connections.max(1))
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(base.read_only(true))
                    .await?;
                Db::Sqlite { writer, reader }
            }
            DatabaseUrl::Postgres(raw) => {
                let connect: sqlx::postgres::PgConnectOptions =
                    raw.parse().map_err(StoreError::Database)?;
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections.max(2))
                    .acquire_timeout(options.acquire_timeout)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("SET TIME ZONE 'UTC'").await?;
                            Ok(())
                        })
                    })
                    .connect_with(connect.disable_statement_logging())
                    .await?;
                Db::Postgres(pool)
            }
        };
        Ok(Self {
            db,
            audit: crate::audit::AuditQueue::default(),
        })
    }

    /// Applies every migration not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite { writer, .. } => migrator(Backend::Sqlite).run(writer).await?,
            Db::Postgres(pool) => migrator(Backend::Postgres).run(pool).await?,
        }
        Ok(())
    }

    /// The newest applied migration version, or 0 for an empty database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let exists = read!(self, pool => {
            let sql = match self.backend() {
                Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = '_sqlx_migrations'",
                Backend::Postgres => "SELECT COUNT(*) FROM pg_tables WHERE tablename = '_sqlx_migrations' AND schemaname = current_schema()",
            };
            sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await?
        });
        if exists == 0 {
            return Ok(0);
        }
        let version = read!(self, pool => {
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await?
        });
        Ok(version.unwrap_or(0))
    }

    /// Refreshes PostgreSQL's planner statistics. Run after a bulk import (the demo region,
    /// thousands of slots from rotas): until statistics exist, PostgreSQL may scan and sort a
    /// whole table where an index would answer at once. SQLite is left to its own heuristics,
    /// which choose the indexes well here; measured statistics made its slot search slower.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Db::Postgres(pool) = &self.db {
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Ok(())
    }

    /// True when the schema is exactly what this build expects.
    pub async fn schema_is_current(&self) -> Result<bool, StoreError> {
        Ok(self.schema_version().await? == latest_version())
    }
}
