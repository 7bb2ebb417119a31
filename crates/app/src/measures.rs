//! Outcome measures as use cases: clinicians with a relationship ask a person to answer
//! measures at a point in their care (the person is told through their own channel); the
//! person answers in the portal, or staff enter answers given on paper or by phone; both see
//! the scores over time. Every read is audited.

use std::collections::HashMap;

use jointly_domain::access::Permission;
use jointly_domain::conversation::Author;
use jointly_domain::measure::{
    Asked, MeasureRequest, MeasureResponse, Measures, Timepoint, new_requests, score,
};
use jointly_domain::message::measures_due_message;
use jointly_domain::patient::Patient;
use jointly_domain::{MeasureResponseId, PatientId, ValidationErrors};

use crate::principal::Principal;
use crate::{App, AppError};

/// A person's requests and answers.
#[derive(Clone, Debug)]
pub struct MeasuresView {
    /// Whose.
    pub patient: Patient,
    /// Requests not yet answered, oldest first.
    pub due: Vec<MeasureRequest>,
    /// Every answer, oldest first.
    pub responses: Vec<MeasureResponse>,
    /// Whether the reader is the care team.
    pub care_team: bool,
}

impl App {
    /// The outcome measures in use.
    pub fn measures_in_use(&self) -> &Measures {
        &self.content().measures
    }

    /// The signed-in person's requests and answers.
    pub async fn own_measures(&self, by: &Principal) -> Result<MeasuresView, AppError> {
        let patient = by.patient()?;
        self.measures(by, patient).await
    }

    /// A person's requests and answers: their own, or for staff with a relationship. Audited.
    pub async fn measures(
        &self,
        by: &Principal,
        patient_id: PatientId,
    ) -> Result<MeasuresView, AppError> {
        let (author, patient) = self.read_record(by, patient_id, "measures.view").await?;
        let due = self
            .store
            .measure_requests(patient_id)
            .await?
            .into_iter()
            .filter(|r| r.answered_at.is_none())
            .collect();
        let responses = self.store.measure_responses(patient_id).await?;
        Ok(MeasuresView {
            patient,
            due,
            responses,
            care_team: matches!(author, Author::Staff(_)),
        })
    }

    /// A clinician with a relationship asks the person to answer `codes` at `timepoint`; they
    /// are told once, through their own channel.
    pub async fn request_measures(
        &self,
        by: &Principal,
        patient_id: PatientId,
        codes: &[String],
        timepoint: &str,
    ) -> Result<Vec<MeasureRequest>, AppError> {
        by.require(Permission::WriteClinicalNotes)?;
        let Author::Staff(staff) = self
            .passport_author(by, patient_id, "measures.request")
            .await?
        else {
            return Err(AppError::Forbidden);
        };
        let now = self.clock.now();
        let requests = new_requests(
            self.measures_in_use(),
            patient_id,
            codes,
            timepoint,
            staff,
            now,
        )?;
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        tx.insert_measure_requests(&requests).await?;
        if let Some(first) = requests.first() {
            tx.enqueue(&[measures_due_message(&patient, first.id)], now)
                .await?;
        }
        tx.insert_audit(&[self.passport_audit(by, patient_id, "measures.request", now)])
            .await?;
        tx.commit().await?;
        Ok(requests)
    }

    /// Answers to `measure` for `patient_id`: by the person, or entered by a clinician with a
    /// relationship from paper or the phone. It answers the oldest open request for that
    /// measure (at that request's timepoint); without one it is a "during" answer, unless
    /// `timepoint` names another.
    pub async fn answer_measure(
        &self,
        by: &Principal,
        patient_id: PatientId,
        measure: &str,
        answers: &HashMap<String, String>,
    ) -> Result<MeasureResponse, AppError> {
        if by.staff_id().is_some() {
            by.require(Permission::WriteClinicalNotes)?;
        }
        let entered_by = self
            .passport_author(by, patient_id, "measures.answer")
            .await?;
        let measure = self
            .measures_in_use()
            .get(measure)
            .ok_or(AppError::NotFound)?;
        let mut answers = answers.clone();
        let asked = answers.remove("timepoint");
        let open = self
            .store
            .measure_requests(patient_id)
            .await?
            .into_iter()
            .find(|r| r.answered_at.is_none() && r.measure == measure.id);
        let timepoint = match (&open, asked.as_deref().map(str::trim)) {
            (Some(request), None | Some("")) => request.timepoint,
            (_, None | Some("")) => Timepoint::During,
            (_, Some(code)) => Timepoint::parse(code).map_err(|problem| {
                let mut errors = ValidationErrors::new();
                errors.add("timepoint", problem);
                AppError::Invalid(errors)
            })?,
        };
        let request = open.filter(|r| r.timepoint == timepoint).map(|r| r.id);
        let now = self.clock.now();
        let response = score(
            measure,
            Asked {
                patient_id,
                timepoint,
                request_id: request,
            },
            &answers,
            entered_by,
            MeasureResponseId::new(),
            now,
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_measure_response(&response).await?;
        tx.insert_audit(&[self.passport_audit(by, patient_id, "measures.answer", now)])
            .await?;
        tx.commit().await?;
        Ok(response)
    }
}
