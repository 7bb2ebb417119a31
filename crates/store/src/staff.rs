//! Staff accounts and the services each works in.

use jiff::Timestamp;
use jointly_domain::access::Role;
use jointly_domain::{ServiceId, StaffUserId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// A member of staff who signs in to the workspace.
#[derive(Clone)]
pub struct StaffUser {
    /// Identifier.
    pub id: StaffUserId,
    /// Sign-in email, unique.
    pub email: String,
    /// Name shown in the workspace.
    pub display_name: String,
    /// Their role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Failed sign-ins since the last success.
    pub failed_sign_ins: i64,
    /// Locked out until this instant after too many failures.
    pub locked_until: Option<Timestamp>,
    /// False once the account is closed.
    pub active: bool,
    /// On duty: alerted to emergencies.
    pub on_duty: bool,
    /// The services they work in.
    pub services: Vec<ServiceId>,
}

impl std::fmt::Debug for StaffUser {
    // The password hash stays out of logs even though it is not the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffUser")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish()
    }
}

fn staff_from_row(row: &impl DbRow) -> Result<StaffUser, StoreError> {
    Ok(StaffUser {
        id: StaffUserId::from_uuid(row.uuid("id")?),
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        role: row.parsed("role", Role::parse)?,
        password_hash: row.text("password_hash")?,
        failed_sign_ins: row.int("failed_sign_ins")?,
        locked_until: row.opt_instant("locked_until")?,
        active: row.boolean("active")?,
        on_duty: row.boolean("on_duty")?,
        services: Vec::new(),
    })
}

impl Store {
    /// The staff account signing in with `email` (compared case-insensitively).
    pub async fn find_staff_by_email(&self, email: &str) -> Result<Option<StaffUser>, StoreError> {
        let user = read!(self, pool => {
            let row = sqlx::query(
                "SELECT id, email, display_name, role, password_hash, failed_sign_ins, locked_until, \
                 active, on_duty FROM staff_user WHERE lower(email) = lower($1)",
            )
            .bind(email.trim())
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(staff_from_row).transpose()?
        });
        self.with_services(user).await
    }

    /// The staff account with `id`.
    pub async fn find_staff(&self, id: StaffUserId) -> Result<Option<StaffUser>, StoreError> {
        let user = read!(self, pool => {
            let row = sqlx::query(
                "SELECT id, email, display_name, role, password_hash, failed_sign_ins, locked_until, \
                 active, on_duty FROM staff_user WHERE id = $1",
            )
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(staff_from_row).transpose()?
        });
        self.with_services(user).await
    }

    async fn with_services(
        &self,
        user: Option<StaffUser>,
    ) -> Result<Option<StaffUser>, StoreError> {
        let Some(mut user) = user else {
            return Ok(None);
        };
        user.services = read!(self, pool => {
            sqlx::query_scalar::<_, uuid::Uuid>(
                "SELECT service_id FROM staff_service WHERE staff_id = $1",
            )
            .bind(user.id.as_uuid())
            .fetch_all(pool)
            .await?
        })
        .into_iter()
        .map(ServiceId::from_uuid)
        .collect();
        Ok(Some(user))
    }

    /// Triage clinicians on duty, who are alerted to emergencies.
    pub async fn on_duty_triage(&self) -> Result<Vec<StaffUserId>, StoreError> {
        let ids: Vec<uuid::Uuid> = read!(self, pool => {
            sqlx::query_scalar(
                "SELECT id FROM staff_user WHERE role = 'triage_clinician' AND on_duty = TRUE AND active = TRUE",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(ids.into_iter().map(StaffUserId::from_uuid).collect())
    }

    /// Whether a member of staff is on duty.
    pub async fn set_on_duty(
        &self,
        id: StaffUserId,
        on_duty: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query("UPDATE staff_user SET on_duty = $2, updated_at = $3 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(on_duty)
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
        });
        tx.commit().await
    }

    /// Counts a failed sign-in, locking the account until `lock_until` when given.
    pub async fn record_failed_sign_in(
        &self,
        id: StaffUserId,
        lock_until: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE staff_user SET failed_sign_ins = failed_sign_ins + 1, \
                 locked_until = COALESCE($2, locked_until), updated_at = $3 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(lock_until.map(micros))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }

    /// Clears failed sign-ins after a success.
    pub async fn record_successful_sign_in(
        &self,
        id: StaffUserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write!(tx, conn => {
            sqlx::query(
                "UPDATE staff_user SET failed_sign_ins = 0, locked_until = NULL, updated_at = $2 \
                 WHERE id = $1 AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)",
            )
            .bind(id.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await
    }
}

impl Tx {
    /// Records a staff account and the services they work in.
    pub async fn insert_staff(
        &mut self,
        user: &StaffUser,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO staff_user (id, email, display_name, role, password_hash, \
                 failed_sign_ins, locked_until, active, on_duty, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9, $9)",
            )
            .bind(user.id.as_uuid())
            .bind(user.email.trim())
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(&user.password_hash)
            .bind(user.failed_sign_ins)
            .bind(user.locked_until.map(micros))
            .bind(user.active)
            .bind(micros(now))
            .bind(user.on_duty)
            .execute(&mut *conn)
            .await?;
            for service in &user.services {
                sqlx::query(
                    "INSERT INTO staff_service (staff_id, service_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(user.id.as_uuid())
                .bind(service.as_uuid())
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
            }
        });
        Ok(())
    }
}
