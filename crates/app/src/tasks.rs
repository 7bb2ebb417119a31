//! Tasks for staff — emergency reviews, same-day call backs, possible duplicates — and who is
//! on duty to be alerted to emergencies.

use jointly_domain::access::Permission;
use jointly_domain::referral::FreeText;
use jointly_domain::task::{TaskKind, TaskStatus};
use jointly_domain::{Invalid, NoteId, TaskId, ValidationErrors};
use jointly_store::{AuditAction, AuditOutcome, Note, NoteKind, TaskView};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Most tasks listed at once.
const TASK_PAGE: u32 = 200;

/// How a possible duplicate was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateChoice {
    /// The same person and problem: this referral is closed and its words join the open one.
    Same,
    /// Different people, or a different problem: both referrals carry on.
    Different,
}

impl DuplicateChoice {
    fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim() {
            "same" => Ok(Self::Same),
            "different" => Ok(Self::Different),
            _ => Err(Invalid("choose")),
        }
    }
}

impl App {
    /// Open tasks, most urgent and soonest due first. Every person shown is audited.
    pub async fn open_tasks(&self, by: &Principal) -> Result<Vec<TaskView>, AppError> {
        by.require(Permission::WorkTasks)?;
        let tasks = self.store.open_tasks(TASK_PAGE).await?;
        let now = self.clock.now();
        let audit: Vec<_> = tasks
            .iter()
            .map(|t| {
                by.audit(
                    now,
                    AuditAction::Read,
                    "tasks.list",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "task",
                        id: t.task.id.as_uuid(),
                        patient: t.task.patient_id,
                    },
                )
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(tasks)
    }

    /// How many emergency reviews are waiting: shown on every staff page until done.
    pub async fn open_emergencies(&self, by: &Principal) -> Result<i64, AppError> {
        by.require(Permission::WorkTasks)?;
        Ok(self.store.open_emergencies().await?)
    }

    /// Completes a task with what was done. A possible duplicate also needs the decision:
    /// `same` closes the newer referral and adds its words to the open one.
    pub async fn complete_task(
        &self,
        by: &Principal,
        id: TaskId,
        outcome: &str,
        duplicate: &str,
    ) -> Result<(), AppError> {
        by.require(Permission::WorkTasks)?;
        let Principal::Staff { id: staff, .. } = by else {
            return Err(AppError::Forbidden);
        };
        let mut task = self.store.find_task(id).await?.ok_or(AppError::NotFound)?;
        let mut errors = ValidationErrors::new();
        let outcome = errors.check("outcome", FreeText::parse(outcome));
        let choice = (task.kind == TaskKind::PossibleDuplicate)
            .then(|| errors.check("duplicate", DuplicateChoice::parse(duplicate)))
            .flatten();
        let Some(outcome) = outcome else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if task.status == TaskStatus::Done {
            return Err(AppError::Conflict("task_done"));
        }
        let now = self.clock.now();
        let mut events = task.complete(*staff, outcome.clone(), now)?;
        let mut changed = Vec::new();
        let mut notes = Vec::new();
        if choice == Some(DuplicateChoice::Same) {
            let mut newer = self
                .store
                .find_referral(task.referral_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let original_id = newer.possible_duplicate_of.ok_or(AppError::NotFound)?;
            let original = self
                .store
                .find_referral(original_id)
                .await?
                .ok_or(AppError::NotFound)?;
            events.extend(newer.withdraw(by.actor(), now)?);
            let words = newer.description.clone().unwrap_or_else(|| outcome.clone());
            notes.push(Note {
                id: NoteId::new(),
                referral_id: original.id,
                patient_id: original.patient_id,
                kind: NoteKind::Resubmission,
                body: words,
                author: by.actor(),
                created_at: now,
            });
            changed.push(newer);
        }
        let mut tx = self.store.begin().await?;
        tx.complete_task(&task, now).await?;
        for referral in &changed {
            tx.update_referral(referral, now).await?;
        }
        for note in &notes {
            tx.insert_note(note).await?;
        }
        tx.append_events(&events, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "task.complete",
            AuditOutcome::Allowed,
            Audited {
                entity: "task",
                id: task.id.as_uuid(),
                patient: task.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        let kind = task.kind.as_str();
        tracing::info!(task_id = %task.id, kind, "task completed");
        Ok(())
    }

    /// A triage clinician starts or ends their duty: those on duty are alerted to emergencies.
    pub async fn set_on_duty(&self, by: &Principal, on_duty: bool) -> Result<(), AppError> {
        by.require(Permission::TriageReferrals)?;
        let Principal::Staff { id, .. } = by else {
            return Err(AppError::Forbidden);
        };
        self.store
            .set_on_duty(*id, on_duty, self.clock.now())
            .await?;
        tracing::info!(staff_id = %id, on_duty, "duty changed");
        Ok(())
    }

    /// Whether the signed-in triage clinician is on duty.
    pub async fn is_on_duty(&self, by: &Principal) -> Result<bool, AppError> {
        by.require(Permission::TriageReferrals)?;
        let Principal::Staff { id, .. } = by else {
            return Err(AppError::Forbidden);
        };
        Ok(self.store.find_staff(*id).await?.is_some_and(|s| s.on_duty))
    }
}
