//! Referrals saved part-way. The draft's contents are the application's (a JSON document);
//! the store keeps it, finds it by the hash of its link token or resume code, and forgets it
//! when it expires.

use jiff::Timestamp;
use jointly_domain::DraftId;

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// A saved draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftRecord {
    /// Identifier.
    pub id: DraftId,
    /// SHA-256 of the link token (hex).
    pub token_hash: String,
    /// SHA-256 of the resume code (hex).
    pub code_hash: String,
    /// Which intake route it belongs to.
    pub route: String,
    /// The application's document.
    pub data: String,
    /// When it was turned into a referral.
    pub submitted_at: Option<Timestamp>,
    /// When it is forgotten.
    pub expires_at: Timestamp,
}

fn draft_from_row(row: &impl DbRow) -> Result<DraftRecord, StoreError> {
    Ok(DraftRecord {
        id: DraftId::from_uuid(row.uuid("id")?),
        token_hash: row.text("token_hash")?,
        code_hash: row.text("code_hash")?,
        route: row.text("route")?,
        data: row.text("data")?,
        submitted_at: row.opt_instant("submitted_at")?,
        expires_at: row.instant("expires_at")?,
    })
}

macro_rules! columns {
    () => {
        "id, token_hash, code_hash, route, data, submitted_at, expires_at"
    };
}

impl Store {
    /// The unexpired, unsubmitted draft whose link token hashes to `token_hash`.
    pub async fn find_draft_by_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<DraftRecord>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referral_draft WHERE token_hash = $1 AND expires_at > $2 AND submitted_at IS NULL");
            let row = sqlx::query(sql).bind(token_hash).bind(micros(now)).fetch_optional(pool).await?;
            row.as_ref().map(draft_from_row).transpose()
        })
    }

    /// The unexpired, unsubmitted draft whose resume code hashes to `code_hash`.
    pub async fn find_draft_by_code(
        &self,
        code_hash: &str,
        now: Timestamp,
    ) -> Result<Option<DraftRecord>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referral_draft WHERE code_hash = $1 AND expires_at > $2 AND submitted_at IS NULL");
            let row = sqlx::query(sql).bind(code_hash).bind(micros(now)).fetch_optional(pool).await?;
            row.as_ref().map(draft_from_row).transpose()
        })
    }

    /// Saves a new draft.
    pub async fn insert_draft(
        &self,
        draft: &DraftRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "INSERT INTO referral_draft (id, token_hash, code_hash, route, data, submitted_at, \
                 expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7)",
            )
            .bind(draft.id.as_uuid())
            .bind(&draft.token_hash)
            .bind(&draft.code_hash)
            .bind(&draft.route)
            .bind(&draft.data)
            .bind(micros(draft.expires_at))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Saves a draft's new contents and expiry.
    pub async fn update_draft(
        &self,
        id: DraftId,
        data: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let changed = write!(tx, conn => {
            sqlx::query(
                "UPDATE referral_draft SET data = $2, expires_at = $3, updated_at = $4 \
                 WHERE id = $1 AND submitted_at IS NULL",
            )
            .bind(id.as_uuid())
            .bind(data)
            .bind(micros(expires_at))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        tx.commit().await?;
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("draft_submitted"))
        }
    }

    /// Gives a draft a new link token and, when given, a new resume code: the old ones stop
    /// working.
    pub async fn replace_draft_secrets(
        &self,
        id: DraftId,
        token_hash: &str,
        code_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let changed = write!(tx, conn => {
            sqlx::query(
                "UPDATE referral_draft SET token_hash = $2, code_hash = COALESCE($4, code_hash), \
                 updated_at = $3 WHERE id = $1 AND submitted_at IS NULL",
            )
            .bind(id.as_uuid())
            .bind(token_hash)
            .bind(micros(now))
            .bind(code_hash)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        tx.commit().await?;
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("draft_submitted"))
        }
    }

    /// Forgets drafts that expired, and submitted drafts' contents.
    pub async fn purge_drafts(&self, now: Timestamp) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let removed = write!(tx, conn => {
            sqlx::query("DELETE FROM referral_draft WHERE expires_at <= $1 OR submitted_at IS NOT NULL")
                .bind(micros(now))
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        tx.commit().await?;
        Ok(removed)
    }
}

impl Tx {
    /// Marks a draft as turned into a referral, in the referral's own transaction, so it can
    /// never be submitted twice. Fails with a conflict if it already was.
    pub async fn submit_draft(&mut self, id: DraftId, now: Timestamp) -> Result<(), StoreError> {
        let changed = write!(self, conn => {
            sqlx::query(
                "UPDATE referral_draft SET submitted_at = $2, data = '{}', updated_at = $2 \
                 WHERE id = $1 AND submitted_at IS NULL",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("draft_submitted"))
        }
    }
}
