//! The patient passport's own records: what matters and the rest of the person's life (one
//! row per patient, written only from the version read), goals, timeline entries (the
//! person's notes and treatment plans) and clinical notes of appointments.

use jointly_domain::conversation::Author;
use jointly_domain::passport::{
    About, ClinicalNote, EntryKind, Goal, GoalStatus, Holistic, PassportEntry,
};
use jointly_domain::{
    AppointmentId, ClinicalNoteId, GoalId, PassportEntryId, PatientId, ReferralId, StaffUserId,
};
use uuid::Uuid;

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// How an author is stored: a kind and an id.
pub(crate) fn author_columns(author: Author) -> (&'static str, Uuid) {
    match author {
        Author::Patient(id) => ("patient", id.as_uuid()),
        Author::Staff(id) => ("staff", id.as_uuid()),
    }
}

/// An author read back from its kind and id columns.
pub(crate) fn author_from_row(
    row: &impl DbRow,
    kind: &'static str,
    id: &'static str,
) -> Result<Author, StoreError> {
    let uuid = row.uuid(id)?;
    match row.text(kind)?.as_str() {
        "patient" => Ok(Author::Patient(PatientId::from_uuid(uuid))),
        "staff" => Ok(Author::Staff(StaffUserId::from_uuid(uuid))),
        _ => Err(StoreError::Corrupt { column: kind }),
    }
}

fn goal_from_row(row: &impl DbRow) -> Result<Goal, StoreError> {
    Ok(Goal {
        id: GoalId::from_uuid(row.uuid("id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        text: row.text("text")?,
        status: row.parsed("status", GoalStatus::parse)?,
        set_by: author_from_row(row, "set_by_kind", "set_by_id")?,
        set_at: row.instant("set_at")?,
        updated_at: row.instant("updated_at")?,
    })
}

/// The columns of a passport entry, as a literal so queries stay static.
macro_rules! entry_columns {
    () => {
        "SELECT id, patient_id, kind, appointment_id, referral_id, author_kind, author_id, body, \
         created_at FROM passport_entry "
    };
}

fn entry_from_row(row: &impl DbRow) -> Result<PassportEntry, StoreError> {
    let kind = match (
        row.text("kind")?.as_str(),
        row.opt_uuid("appointment_id")?,
        row.opt_uuid("referral_id")?,
    ) {
        ("patient_note", None, None) => EntryKind::PatientNote,
        ("treatment_plan", Some(appointment), None) => {
            EntryKind::TreatmentPlan(AppointmentId::from_uuid(appointment))
        }
        ("mdt_outcome", None, None) => EntryKind::MdtOutcome,
        ("discharge_summary", None, Some(referral)) => {
            EntryKind::DischargeSummary(ReferralId::from_uuid(referral))
        }
        _ => return Err(StoreError::Corrupt { column: "kind" }),
    };
    Ok(PassportEntry {
        id: PassportEntryId::from_uuid(row.uuid("id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        kind,
        author: author_from_row(row, "author_kind", "author_id")?,
        body: row.text("body")?,
        at: row.instant("created_at")?,
    })
}

impl Store {
    /// What the passport says about the person; the empty version 0 until someone writes it.
    pub async fn passport_about(&self, patient: PatientId) -> Result<About, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT what_matters, work, mood, sleep, social, version, updated_by_kind, \
                 updated_by_id, updated_at FROM passport_about WHERE patient_id = $1",
            )
            .bind(patient.as_uuid())
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(About::default()) };
            Ok(About {
                what_matters: row.opt_text("what_matters")?,
                holistic: Holistic {
                    work: row.opt_text("work")?,
                    mood: row.opt_text("mood")?,
                    sleep: row.opt_text("sleep")?,
                    social: row.opt_text("social")?,
                },
                version: u32::try_from(row.int("version")?)
                    .map_err(|_| StoreError::Corrupt { column: "version" })?,
                updated: Some((
                    author_from_row(&row, "updated_by_kind", "updated_by_id")?,
                    row.instant("updated_at")?,
                )),
            })
        })
    }

    /// A person's goals, oldest first.
    pub async fn passport_goals(&self, patient: PatientId) -> Result<Vec<Goal>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, patient_id, text, status, set_by_kind, set_by_id, set_at, updated_at \
                 FROM passport_goal WHERE patient_id = $1 ORDER BY set_at, id",
            )
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(goal_from_row).collect()
        })
    }

    /// One goal.
    pub async fn find_goal(&self, id: GoalId) -> Result<Option<Goal>, StoreError> {
        read!(self, pool => {
            sqlx::query(
                "SELECT id, patient_id, text, status, set_by_kind, set_by_id, set_at, updated_at \
                 FROM passport_goal WHERE id = $1",
            )
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(goal_from_row)
            .transpose()
        })
    }

    /// The passport's timeline entries, oldest first.
    pub async fn passport_entries(
        &self,
        patient: PatientId,
    ) -> Result<Vec<PassportEntry>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                entry_columns!(),
                "WHERE patient_id = $1 ORDER BY created_at, id"
            ))
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(entry_from_row).collect()
        })
    }

    /// One passport entry (for a message that carries its words).
    pub async fn find_passport_entry(
        &self,
        id: PassportEntryId,
    ) -> Result<Option<PassportEntry>, StoreError> {
        read!(self, pool => {
            sqlx::query(concat!(entry_columns!(), "WHERE id = $1"))
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(entry_from_row)
                .transpose()
        })
    }

    /// The clinical notes of a person's appointments, oldest first.
    pub async fn clinical_notes(
        &self,
        patient: PatientId,
    ) -> Result<Vec<ClinicalNote>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, appointment_id, author_id, subjective, objective, assessment, plan, \
                 created_at FROM clinical_note WHERE patient_id = $1 ORDER BY created_at, id",
            )
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(ClinicalNote {
                        id: ClinicalNoteId::from_uuid(row.uuid("id")?),
                        patient_id: patient,
                        appointment_id: AppointmentId::from_uuid(row.uuid("appointment_id")?),
                        author: StaffUserId::from_uuid(row.uuid("author_id")?),
                        subjective: row.opt_text("subjective")?,
                        objective: row.opt_text("objective")?,
                        assessment: row.text("assessment")?,
                        plan: row.text("plan")?,
                        at: row.instant("created_at")?,
                    })
                })
                .collect()
        })
    }
}

impl Tx {
    /// Writes what the passport says about the person, only over the version it was changed
    /// from (one less than `about.version`); anything else is `Conflict("passport_changed")`.
    pub async fn save_passport_about(
        &mut self,
        patient: PatientId,
        about: &About,
    ) -> Result<(), StoreError> {
        let Some((author, at)) = about.updated else {
            return Err(StoreError::Conflict("passport_unsigned"));
        };
        let (kind, author) = author_columns(author);
        let holistic = &about.holistic;
        let written = write!(self, conn => {
            // The first version inserts (a second writer of version 1 hits the primary key);
            // later ones update only the version they were made from.
            let sql = if about.version == 1 {
                "INSERT INTO passport_about (patient_id, what_matters, work, mood, sleep, social, \
                 version, updated_by_kind, updated_by_id, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            } else {
                "UPDATE passport_about SET what_matters = $2, work = $3, mood = $4, sleep = $5, \
                 social = $6, version = $7, updated_by_kind = $8, updated_by_id = $9, \
                 updated_at = $10 WHERE patient_id = $1 AND version = $7 - 1"
            };
            sqlx::query(sql)
                .bind(patient.as_uuid())
                .bind(&about.what_matters)
                .bind(&holistic.work)
                .bind(&holistic.mood)
                .bind(&holistic.sleep)
                .bind(&holistic.social)
                .bind(i64::from(about.version))
                .bind(kind)
                .bind(author)
                .bind(micros(at))
                .execute(&mut *conn)
                .await
                .map(|done| done.rows_affected())
        });
        match written {
            Ok(1) => Ok(()),
            Ok(_) => Err(StoreError::Conflict("passport_changed")),
            Err(e) => match StoreError::from(e) {
                StoreError::Conflict(_) => Err(StoreError::Conflict("passport_changed")),
                other => Err(other),
            },
        }
    }

    /// Records a new goal.
    pub async fn insert_goal(&mut self, goal: &Goal) -> Result<(), StoreError> {
        let (kind, by) = author_columns(goal.set_by);
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO passport_goal (id, patient_id, text, status, set_by_kind, set_by_id, \
                 set_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(goal.id.as_uuid())
            .bind(goal.patient_id.as_uuid())
            .bind(&goal.text)
            .bind(goal.status.as_str())
            .bind(kind)
            .bind(by)
            .bind(micros(goal.set_at))
            .bind(micros(goal.updated_at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records where a goal stands now.
    pub async fn update_goal_status(&mut self, goal: &Goal) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query("UPDATE passport_goal SET status = $2, updated_at = $3 WHERE id = $1")
                .bind(goal.id.as_uuid())
                .bind(goal.status.as_str())
                .bind(micros(goal.updated_at))
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Adds an entry to a passport's timeline.
    pub async fn insert_passport_entry(&mut self, entry: &PassportEntry) -> Result<(), StoreError> {
        let (kind, author) = author_columns(entry.author);
        let (appointment, referral) = match entry.kind {
            EntryKind::PatientNote | EntryKind::MdtOutcome => (None, None),
            EntryKind::TreatmentPlan(appointment) => (Some(appointment.as_uuid()), None),
            EntryKind::DischargeSummary(referral) => (None, Some(referral.as_uuid())),
        };
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO passport_entry (id, patient_id, kind, appointment_id, referral_id, \
                 author_kind, author_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(entry.id.as_uuid())
            .bind(entry.patient_id.as_uuid())
            .bind(entry.kind.as_str())
            .bind(appointment)
            .bind(referral)
            .bind(kind)
            .bind(author)
            .bind(&entry.body)
            .bind(micros(entry.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a clinical note.
    pub async fn insert_clinical_note(&mut self, note: &ClinicalNote) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO clinical_note (id, patient_id, appointment_id, author_id, subjective, \
                 objective, assessment, plan, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(note.id.as_uuid())
            .bind(note.patient_id.as_uuid())
            .bind(note.appointment_id.as_uuid())
            .bind(note.author.as_uuid())
            .bind(&note.subjective)
            .bind(&note.objective)
            .bind(&note.assessment)
            .bind(&note.plan)
            .bind(micros(note.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
