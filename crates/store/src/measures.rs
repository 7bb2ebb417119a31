//! Outcome measures: requests that a person answer them, and their scored answers.

use jointly_domain::measure::{MeasureRequest, MeasureResponse, Timepoint};
use jointly_domain::{MeasureRequestId, MeasureResponseId, PatientId, StaffUserId};

use crate::json::{read_json, to_json};
use crate::passport::{author_columns, author_from_row};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

impl Store {
    /// A person's requests to answer measures, oldest first.
    pub async fn measure_requests(
        &self,
        patient: PatientId,
    ) -> Result<Vec<MeasureRequest>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, measure, timepoint, by_id, created_at, answered_at FROM measure_request \
                 WHERE patient_id = $1 ORDER BY created_at, id",
            )
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(MeasureRequest {
                        id: MeasureRequestId::from_uuid(row.uuid("id")?),
                        patient_id: patient,
                        measure: row.text("measure")?,
                        timepoint: row.parsed("timepoint", Timepoint::parse)?,
                        by: StaffUserId::from_uuid(row.uuid("by_id")?),
                        at: row.instant("created_at")?,
                        answered_at: row.opt_instant("answered_at")?,
                    })
                })
                .collect()
        })
    }

    /// A person's answers to measures, oldest first.
    pub async fn measure_responses(
        &self,
        patient: PatientId,
    ) -> Result<Vec<MeasureResponse>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, measure, timepoint, request_id, answers, score, by_kind, by_id, \
                 created_at FROM measure_response WHERE patient_id = $1 ORDER BY created_at, id",
            )
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(MeasureResponse {
                        id: MeasureResponseId::from_uuid(row.uuid("id")?),
                        patient_id: patient,
                        measure: row.text("measure")?,
                        timepoint: row.parsed("timepoint", Timepoint::parse)?,
                        request_id: row.opt_uuid("request_id")?.map(MeasureRequestId::from_uuid),
                        answers: read_json(row, "answers")?
                            .ok_or(StoreError::Corrupt { column: "answers" })?,
                        score: u32::try_from(row.int("score")?)
                            .map_err(|_| StoreError::Corrupt { column: "score" })?,
                        entered_by: author_from_row(row, "by_kind", "by_id")?,
                        at: row.instant("created_at")?,
                    })
                })
                .collect()
        })
    }
}

impl Tx {
    /// Records requests to answer measures.
    pub async fn insert_measure_requests(
        &mut self,
        requests: &[MeasureRequest],
    ) -> Result<(), StoreError> {
        for request in requests {
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO measure_request (id, patient_id, measure, timepoint, by_id, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(request.id.as_uuid())
                .bind(request.patient_id.as_uuid())
                .bind(&request.measure)
                .bind(request.timepoint.as_str())
                .bind(request.by.as_uuid())
                .bind(micros(request.at))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Records an answer, and marks the request it answers as answered.
    pub async fn insert_measure_response(
        &mut self,
        response: &MeasureResponse,
    ) -> Result<(), StoreError> {
        let answers = to_json(&response.answers, "answers")?;
        let (kind, by) = author_columns(response.entered_by);
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO measure_response (id, patient_id, measure, timepoint, request_id, \
                 answers, score, by_kind, by_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(response.id.as_uuid())
            .bind(response.patient_id.as_uuid())
            .bind(&response.measure)
            .bind(response.timepoint.as_str())
            .bind(response.request_id.map(|r| r.as_uuid()))
            .bind(&answers)
            .bind(i64::from(response.score))
            .bind(kind)
            .bind(by)
            .bind(micros(response.at))
            .execute(&mut *conn)
            .await?;
        });
        if let Some(request) = response.request_id {
            write!(self, conn => {
                sqlx::query(
                    "UPDATE measure_request SET answered_at = $2 WHERE id = $1 AND answered_at IS NULL",
                )
                .bind(request.as_uuid())
                .bind(micros(response.at))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }
}
