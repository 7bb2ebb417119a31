//! Exercise programmes and the sessions logged against them.

use jointly_domain::exercise::{Difficulty, Dose, ExerciseLog, Programme};
use jointly_domain::{ExerciseLogId, PatientId, ProgrammeId, StaffUserId};

use crate::json::{read_json, to_json};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

impl Store {
    /// A person's current programme: the latest built.
    pub async fn current_programme(
        &self,
        patient: PatientId,
    ) -> Result<Option<Programme>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT id, items, by_id, created_at FROM exercise_programme \
                 WHERE patient_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(patient.as_uuid())
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let items: Vec<Dose> =
                read_json(&row, "items")?.ok_or(StoreError::Corrupt { column: "items" })?;
            Ok(Some(Programme {
                id: ProgrammeId::from_uuid(row.uuid("id")?),
                patient_id: patient,
                items,
                by: StaffUserId::from_uuid(row.uuid("by_id")?),
                at: row.instant("created_at")?,
            }))
        })
    }

    /// The sessions logged against a programme, oldest day first.
    pub async fn exercise_logs(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<ExerciseLog>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, patient_id, logged_on, done, pain, difficulty, note, created_at \
                 FROM exercise_log WHERE programme_id = $1 ORDER BY logged_on, created_at, id",
            )
            .bind(programme.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(ExerciseLog {
                        id: ExerciseLogId::from_uuid(row.uuid("id")?),
                        programme_id: programme,
                        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
                        on: row.date("logged_on")?,
                        done: read_json(row, "done")?
                            .ok_or(StoreError::Corrupt { column: "done" })?,
                        pain: u8::try_from(row.int("pain")?)
                            .map_err(|_| StoreError::Corrupt { column: "pain" })?,
                        difficulty: row.parsed("difficulty", Difficulty::parse)?,
                        note: row.opt_text("note")?,
                        at: row.instant("created_at")?,
                    })
                })
                .collect()
        })
    }
}

impl Tx {
    /// Records a new programme; it becomes the person's current one.
    pub async fn insert_programme(&mut self, programme: &Programme) -> Result<(), StoreError> {
        let items = to_json(&programme.items, "items")?;
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO exercise_programme (id, patient_id, items, by_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(programme.id.as_uuid())
            .bind(programme.patient_id.as_uuid())
            .bind(&items)
            .bind(programme.by.as_uuid())
            .bind(micros(programme.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a logged session.
    pub async fn insert_exercise_log(&mut self, log: &ExerciseLog) -> Result<(), StoreError> {
        let done = to_json(&log.done, "done")?;
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO exercise_log (id, programme_id, patient_id, logged_on, done, pain, \
                 difficulty, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(log.id.as_uuid())
            .bind(log.programme_id.as_uuid())
            .bind(log.patient_id.as_uuid())
            .bind(log.on.to_string())
            .bind(&done)
            .bind(i64::from(log.pain))
            .bind(log.difficulty.as_str())
            .bind(&log.note)
            .bind(micros(log.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
