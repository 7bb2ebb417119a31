//! Sign-in sessions and one-time sign-in codes. Only hashes of tokens and codes are stored.

use jiff::Timestamp;
use jointly_domain::access::Role;
use jointly_domain::contact::ContactChannel;
use jointly_domain::{MessageId, PatientId, StaffUserId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// Who a session belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionSubject {
    /// A patient signed in to the portal.
    Patient(PatientId),
    /// A member of staff.
    Staff(StaffUserId),
}

/// A signed-in session.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// SHA-256 of the session token, hex; the token itself is only ever in the cookie.
    pub token_hash: String,
    /// Whose session it is.
    pub subject: SessionSubject,
    /// The role they act in.
    pub role: Role,
    /// The token forms must carry to prove they came from our pages.
    pub csrf_token: String,
    /// Last request seen.
    pub last_seen_at: Timestamp,
    /// When it ends unless renewed by use.
    pub expires_at: Timestamp,
}

/// A one-time sign-in code sent to a patient.
#[derive(Clone, Debug)]
pub struct SignInCode {
    /// Identifier (also the outbox message's id for the code).
    pub id: MessageId,
    /// For whom.
    pub patient_id: PatientId,
    /// Argon2 or SHA-256 hash of the code.
    pub code_hash: String,
    /// Sent by text or email.
    pub channel: ContactChannel,
    /// Wrong guesses so far.
    pub attempts: i64,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was used, if it was.
    pub used_at: Option<Timestamp>,
    /// When it was issued.
    pub created_at: Timestamp,
}

fn session_from_row(row: &impl DbRow) -> Result<SessionRecord, StoreError> {
    let id = row.uuid("subject_id")?;
    let subject = match row.text("subject_kind")?.as_str() {
        "patient" => SessionSubject::Patient(PatientId::from_uuid(id)),
        "staff" => SessionSubject::Staff(StaffUserId::from_uuid(id)),
        _ => {
            return Err(StoreError::Corrupt {
                column: "subject_kind",
            });
        }
    };
    Ok(SessionRecord {
        token_hash: row.text("token_hash")?,
        subject,
        role: row.parsed("role", Role::parse)?,
        csrf_token: row.text("csrf_token")?,
        last_seen_at: row.instant("last_seen_at")?,
        expires_at: row.instant("expires_at")?,
    })
}

fn code_from_row(row: &impl DbRow) -> Result<SignInCode, StoreError> {
    Ok(SignInCode {
        id: MessageId::from_uuid(row.uuid("id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        code_hash: row.text("code_hash")?,
        channel: row.parsed("channel", ContactChannel::parse)?,
        attempts: row.int("attempts")?,
        expires_at: row.instant("expires_at")?,
        used_at: row.opt_instant("used_at")?,
        created_at: row.instant("created_at")?,
    })
}

impl Store {
    /// The session whose token hashes to `token_hash`, if it has not expired.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT token_hash, subject_kind, subject_id, role, csrf_token, last_seen_at, \
                 expires_at FROM session WHERE token_hash = $1 AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(session_from_row).transpose()
        })
    }

    /// Records activity on a session and pushes its expiry to `expires_at`.
    pub async fn touch_session(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE session SET last_seen_at = $2, expires_at = $3, updated_at = $2 \
                 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .bind(micros(now))
            .bind(micros(expires_at))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query("DELETE FROM session WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
        });
        tx.commit().await
    }

    /// Removes sessions and sign-in codes that have expired; returns how many rows went.
    pub async fn purge_expired_credentials(&self, now: Timestamp) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let removed = write!(tx, conn => {
            let sessions = sqlx::query("DELETE FROM session WHERE expires_at <= $1")
                .bind(micros(now))
                .execute(&mut *conn)
                .await?
                .rows_affected();
            let codes = sqlx::query("DELETE FROM sign_in_code WHERE expires_at <= $1")
                .bind(micros(now))
                .execute(&mut *conn)
                .await?
                .rows_affected();
            sessions + codes
        });
        tx.commit().await?;
        Ok(removed)
    }

    /// The newest sign-in code issued to `patient` that is unused and unexpired.
    pub async fn latest_sign_in_code(
        &self,
        patient: PatientId,
        now: Timestamp,
    ) -> Result<Option<SignInCode>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT id, patient_id, code_hash, channel, attempts, expires_at, used_at, created_at \
                 FROM sign_in_code WHERE patient_id = $1 AND used_at IS NULL AND expires_at > $2 \
                 ORDER BY created_at DESC LIMIT 1",
            )
            .bind(patient.as_uuid())
            .bind(micros(now))
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(code_from_row).transpose()
        })
    }

    /// How many codes `patient` has been sent since `since`; used to limit requests.
    pub async fn count_sign_in_codes_since(
        &self,
        patient: PatientId,
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM sign_in_code WHERE patient_id = $1 AND created_at >= $2",
            )
            .bind(patient.as_uuid())
            .bind(micros(since))
            .fetch_one(pool)
            .await?)
        })
    }

    /// Counts a wrong guess at a code.
    pub async fn record_sign_in_code_attempt(
        &self,
        id: MessageId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query("UPDATE sign_in_code SET attempts = attempts + 1, updated_at = $2 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
        });
        tx.commit().await
    }
}

impl Tx {
    /// Starts a session.
    pub async fn insert_session(
        &mut self,
        session: &SessionRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (kind, id) = match session.subject {
            SessionSubject::Patient(id) => ("patient", id.as_uuid()),
            SessionSubject::Staff(id) => ("staff", id.as_uuid()),
        };
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO session (token_hash, subject_kind, subject_id, role, csrf_token, \
                 last_seen_at, expires_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&session.token_hash)
            .bind(kind)
            .bind(id)
            .bind(session.role.as_str())
            .bind(&session.csrf_token)
            .bind(micros(session.last_seen_at))
            .bind(micros(session.expires_at))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a code sent to a patient.
    pub async fn insert_sign_in_code(&mut self, code: &SignInCode) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO sign_in_code (id, patient_id, code_hash, channel, attempts, expires_at, \
                 used_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(code.id.as_uuid())
            .bind(code.patient_id.as_uuid())
            .bind(&code.code_hash)
            .bind(code.channel.as_str())
            .bind(code.attempts)
            .bind(micros(code.expires_at))
            .bind(code.used_at.map(micros))
            .bind(micros(code.created_at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Marks a code used. Fails with a conflict if it was already used, so a code works once
    /// even when two requests race with it.
    pub async fn use_sign_in_code(
        &mut self,
        id: MessageId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let used = write!(self, conn => {
            sqlx::query(
                "UPDATE sign_in_code SET used_at = $2, updated_at = $2 WHERE id = $1 AND used_at IS NULL",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if used == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("code_used"))
        }
    }
}
