//! Exercise programmes as use cases: clinicians with a relationship build a person's
//! programme from the library or a condition template; the person follows it in the portal
//! and logs each session (what they did, pain, difficulty); both see adherence week by week and
//! the pain trend. Every read is audited.

use std::collections::HashMap;

use jointly_domain::access::Permission;
use jointly_domain::conversation::Author;
use jointly_domain::exercise::{
    ExerciseLog, Library, Programme, WeekAdherence, adherence, new_log, new_programme,
};
use jointly_domain::patient::Patient;
use jointly_domain::{ExerciseLogId, PatientId, ProgrammeId};

use crate::principal::Principal;
use crate::{App, AppError};

/// A person's programme, their sessions and how they are going.
#[derive(Clone, Debug)]
pub struct ExerciseView {
    /// Whose.
    pub patient: Patient,
    /// The current programme, if a clinician has built one.
    pub programme: Option<Programme>,
    /// Who built it.
    pub built_by: Option<String>,
    /// Sessions logged against it, oldest day first.
    pub logs: Vec<ExerciseLog>,
    /// Adherence week by week, oldest first.
    pub adherence: Vec<WeekAdherence>,
    /// Whether the reader is the care team.
    pub care_team: bool,
}

impl App {
    /// The exercise library and condition templates.
    pub fn exercise_library(&self) -> &Library {
        &self.content().exercises
    }

    /// The signed-in person's programme and sessions.
    pub async fn own_exercises(&self, by: &Principal) -> Result<ExerciseView, AppError> {
        let patient = by.patient()?;
        self.exercises(by, patient).await
    }

    /// A person's programme and sessions: their own, or for staff with a relationship. Audited.
    pub async fn exercises(
        &self,
        by: &Principal,
        patient_id: PatientId,
    ) -> Result<ExerciseView, AppError> {
        let (author, patient) = self.read_record(by, patient_id, "exercises.view").await?;
        let programme = self.store.current_programme(patient_id).await?;
        let (logs, built_by) = match &programme {
            Some(p) => (
                self.store.exercise_logs(p.id).await?,
                self.store.find_staff(p.by).await?.map(|s| s.display_name),
            ),
            None => (Vec::new(), None),
        };
        let today = jointly_domain::local_date(self.clock.now());
        let adherence = programme
            .as_ref()
            .map(|p| adherence(p, &logs, today))
            .unwrap_or_default();
        Ok(ExerciseView {
            patient,
            programme,
            built_by,
            logs,
            adherence,
            care_team: matches!(author, Author::Staff(_)),
        })
    }

    /// A clinician with a relationship sets the person's programme (it replaces the current
    /// one; sessions logged against the old one stay with it).
    pub async fn set_programme(
        &self,
        by: &Principal,
        patient: PatientId,
        answers: &HashMap<String, String>,
    ) -> Result<Programme, AppError> {
        by.require(Permission::WriteClinicalNotes)?;
        let Author::Staff(staff) = self
            .passport_author(by, patient, "exercises.programme")
            .await?
        else {
            return Err(AppError::Forbidden);
        };
        let now = self.clock.now();
        let programme = new_programme(
            self.exercise_library(),
            patient,
            answers,
            staff,
            ProgrammeId::new(),
            now,
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_programme(&programme).await?;
        tx.insert_audit(&[self.passport_audit(by, patient, "exercises.programme", now)])
            .await?;
        tx.commit().await?;
        Ok(programme)
    }

    /// The signed-in person logs a session of their current programme.
    pub async fn log_exercises(
        &self,
        by: &Principal,
        answers: &HashMap<String, String>,
    ) -> Result<ExerciseLog, AppError> {
        let patient = by.patient()?;
        let programme = self
            .store
            .current_programme(patient)
            .await?
            .ok_or(AppError::Conflict("no_programme"))?;
        let now = self.clock.now();
        let log = new_log(&programme, answers, ExerciseLogId::new(), now)?;
        let mut tx = self.store.begin().await?;
        tx.insert_exercise_log(&log).await?;
        tx.insert_audit(&[self.passport_audit(by, patient, "exercises.log", now)])
            .await?;
        tx.commit().await?;
        Ok(log)
    }
}
