//! Tasks for staff: emergency reviews, same-day call backs, possible duplicates.

use jiff::Timestamp;
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::referral::{FreeText, ReferralReference};
use jointly_domain::task::{Task, TaskKind, TaskStatus};
use jointly_domain::{PatientId, ReferralId, StaffUserId, TaskId};

use crate::referrals::{urgency_from_rank, urgency_rank};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! columns {
    () => {
        "t.id, t.kind, t.referral_id, t.patient_id, t.urgency, t.status, t.due_at, t.completed_at, \
         t.completed_by, t.outcome, t.created_at"
    };
}

fn task_from_row(row: &impl DbRow) -> Result<Task, StoreError> {
    Ok(Task {
        id: TaskId::from_uuid(row.uuid("id")?),
        kind: row.parsed("kind", TaskKind::parse)?,
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        urgency: urgency_from_rank(row.int("urgency")?)?,
        status: row.parsed("status", TaskStatus::parse)?,
        due_at: row.instant("due_at")?,
        created_at: row.instant("created_at")?,
        completed_at: row.opt_instant("completed_at")?,
        completed_by: row.opt_uuid("completed_by")?.map(StaffUserId::from_uuid),
        outcome: row.opt_parsed("outcome", FreeText::parse)?,
    })
}

/// An open task with who it is about, for the task list.
#[derive(Clone, Debug)]
pub struct TaskView {
    /// The task.
    pub task: Task,
    /// The referral's reference.
    pub reference: ReferralReference,
    /// The person.
    pub patient_name: PersonName,
    /// Their phone number, to call back.
    pub phone: Option<String>,
}

impl Store {
    /// Open tasks, most urgent and soonest due first.
    pub async fn open_tasks(&self, limit: u32) -> Result<Vec<TaskView>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), ", r.reference, p.given_name, p.family_name, p.phone \
                 FROM task t JOIN referral r ON r.id = t.referral_id JOIN patient p ON p.id = t.patient_id \
                 WHERE t.status = 'open' ORDER BY t.urgency, t.due_at, t.id LIMIT $1"
            );
            let rows = sqlx::query(sql).bind(i64::from(limit)).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    Ok(TaskView {
                        task: task_from_row(row)?,
                        reference: row.parsed("reference", ReferralReference::parse)?,
                        patient_name: PersonName {
                            given: row.parsed("given_name", NamePart::parse)?,
                            family: row.parsed("family_name", NamePart::parse)?,
                        },
                        phone: row.opt_text("phone")?,
                    })
                })
                .collect()
        })
    }

    /// Tasks about one referral, newest first.
    pub async fn tasks_for_referral(&self, referral: ReferralId) -> Result<Vec<Task>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM task t WHERE t.referral_id = $1 ORDER BY t.created_at DESC");
            let rows = sqlx::query(sql).bind(referral.as_uuid()).fetch_all(pool).await?;
            rows.iter().map(task_from_row).collect()
        })
    }

    /// The task with `id`.
    pub async fn find_task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM task t WHERE t.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(task_from_row).transpose()
        })
    }

    /// Open emergency tasks, for the alert banner.
    pub async fn open_emergencies(&self) -> Result<i64, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM task WHERE status = 'open' AND urgency = 0")
                .fetch_one(pool)
                .await?)
        })
    }
}

impl Tx {
    /// Records new tasks.
    pub async fn insert_tasks(&mut self, tasks: &[Task], now: Timestamp) -> Result<(), StoreError> {
        for task in tasks {
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO task (id, kind, referral_id, patient_id, urgency, status, due_at, \
                     completed_at, completed_by, outcome, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, $8, $9)",
                )
                .bind(task.id.as_uuid())
                .bind(task.kind.as_str())
                .bind(task.referral_id.as_uuid())
                .bind(task.patient_id.as_uuid())
                .bind(urgency_rank(task.urgency))
                .bind(task.status.as_str())
                .bind(micros(task.due_at))
                .bind(micros(task.created_at))
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Saves a completed task; a conflict if someone else completed it first.
    pub async fn complete_task(&mut self, task: &Task, now: Timestamp) -> Result<(), StoreError> {
        let changed = write!(self, conn => {
            sqlx::query(
                "UPDATE task SET status = $2, completed_at = $3, completed_by = $4, outcome = $5, \
                 updated_at = $6 WHERE id = $1 AND status = 'open'",
            )
            .bind(task.id.as_uuid())
            .bind(task.status.as_str())
            .bind(task.completed_at.map(micros))
            .bind(task.completed_by.map(|s| s.as_uuid()))
            .bind(task.outcome.as_ref().map(FreeText::as_str))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("task_done"))
        }
    }
}
