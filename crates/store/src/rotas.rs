//! Rotas: recurring sessions and the days they do not run.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jointly_domain::rota::{
    ExceptionReason, RotaException, RotaSession, parse_weekday, weekday_code,
};
use jointly_domain::slot::{AppointmentKind, Modality};
use jointly_domain::{ClinicianId, LocationId, RotaExceptionId, RotaSessionId, ServiceId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

fn time(row: &impl DbRow, column: &'static str) -> Result<Time, StoreError> {
    row.text(column)?
        .parse()
        .map_err(|_| StoreError::Corrupt { column })
}

fn session_from_row(row: &impl DbRow) -> Result<RotaSession, StoreError> {
    Ok(RotaSession {
        id: RotaSessionId::from_uuid(row.uuid("id")?),
        clinician_id: ClinicianId::from_uuid(row.uuid("clinician_id")?),
        service_id: ServiceId::from_uuid(row.uuid("service_id")?),
        location_id: LocationId::from_uuid(row.uuid("location_id")?),
        weekday: row.parsed("weekday", parse_weekday)?,
        starts: time(row, "starts")?,
        ends: time(row, "ends")?,
        modality: row.parsed("modality", Modality::parse)?,
        kind: row.parsed("kind", AppointmentKind::parse)?,
        minutes: row.count("minutes")?,
        valid_from: row.date("valid_from")?,
        valid_until: row
            .opt_text("valid_until")?
            .map(|d| {
                d.parse().map_err(|_| StoreError::Corrupt {
                    column: "valid_until",
                })
            })
            .transpose()?,
        on_bank_holidays: row.boolean("on_bank_holidays")?,
    })
}

fn exception_from_row(row: &impl DbRow) -> Result<RotaException, StoreError> {
    Ok(RotaException {
        id: RotaExceptionId::from_uuid(row.uuid("id")?),
        clinician_id: row.opt_uuid("clinician_id")?.map(ClinicianId::from_uuid),
        location_id: row.opt_uuid("location_id")?.map(LocationId::from_uuid),
        from: row.date("from_date")?,
        to: row.date("to_date")?,
        reason: row.parsed("reason", ExceptionReason::parse)?,
    })
}

impl Store {
    /// Every rota session, by clinician then day and time.
    pub async fn rota_sessions(&self) -> Result<Vec<RotaSession>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, clinician_id, service_id, location_id, weekday, starts, ends, modality, \
                 kind, minutes, valid_from, valid_until, on_bank_holidays FROM rota_session \
                 ORDER BY clinician_id, weekday, starts",
            )
            .fetch_all(pool)
            .await?;
            rows.iter().map(session_from_row).collect()
        })
    }

    /// The exceptions that end on or after `from`, soonest first.
    pub async fn rota_exceptions(&self, from: Date) -> Result<Vec<RotaException>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, clinician_id, location_id, from_date, to_date, reason \
                 FROM rota_exception WHERE to_date >= $1 ORDER BY from_date, id",
            )
            .bind(from.to_string())
            .fetch_all(pool)
            .await?;
            rows.iter().map(exception_from_row).collect()
        })
    }
}

impl Tx {
    /// Records rota sessions.
    pub async fn insert_rota_sessions(
        &mut self,
        sessions: &[RotaSession],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for session in sessions {
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO rota_session (id, clinician_id, service_id, location_id, weekday, \
                     starts, ends, modality, kind, minutes, valid_from, valid_until, \
                     on_bank_holidays, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
                )
                .bind(session.id.as_uuid())
                .bind(session.clinician_id.as_uuid())
                .bind(session.service_id.as_uuid())
                .bind(session.location_id.as_uuid())
                .bind(weekday_code(session.weekday))
                .bind(session.starts.strftime("%H:%M").to_string())
                .bind(session.ends.strftime("%H:%M").to_string())
                .bind(session.modality.as_str())
                .bind(session.kind.as_str())
                .bind(i64::from(session.minutes))
                .bind(session.valid_from.to_string())
                .bind(session.valid_until.map(|d| d.to_string()))
                .bind(session.on_bank_holidays)
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Records a rota exception.
    pub async fn insert_rota_exception(
        &mut self,
        exception: &RotaException,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO rota_exception (id, clinician_id, location_id, from_date, to_date, \
                 reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(exception.id.as_uuid())
            .bind(exception.clinician_id.map(|c| c.as_uuid()))
            .bind(exception.location_id.map(|l| l.as_uuid()))
            .bind(exception.from.to_string())
            .bind(exception.to.to_string())
            .bind(exception.reason.as_str())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
