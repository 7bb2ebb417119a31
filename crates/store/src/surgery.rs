//! Shared decision-making and surgical readiness records: every decision conversation about
//! surgery (the latest of a referral stands) and each referral's fitness checklist.

use jointly_domain::surgery::{
    CareOption, DecisionConversation, FitnessCheck, FitnessChecklist, SurgeryChoice,
};
use jointly_domain::{PatientId, ReferralId, StaffUserId, SurgeryDecisionId};

use crate::json::{read_json, to_json};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// The columns of a decision, as a literal so queries stay static.
macro_rules! decision_columns {
    () => {
        "SELECT id, referral_id, patient_id, options, what_matters, choice, preferred, by_id, \
         created_at FROM surgery_decision "
    };
}

fn decision_from_row(row: &impl DbRow) -> Result<DecisionConversation, StoreError> {
    let options = row
        .text("options")?
        .split(',')
        .map(|code| CareOption::parse(code).map_err(|_| StoreError::Corrupt { column: "options" }))
        .collect::<Result<_, _>>()?;
    Ok(DecisionConversation {
        id: SurgeryDecisionId::from_uuid(row.uuid("id")?),
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        options,
        what_matters: row.text("what_matters")?,
        choice: row.parsed("choice", SurgeryChoice::parse)?,
        preferred: row.opt_parsed("preferred", CareOption::parse)?,
        by: StaffUserId::from_uuid(row.uuid("by_id")?),
        at: row.instant("created_at")?,
    })
}

impl Store {
    /// The decision conversations about surgery of a referral, oldest first (the last stands).
    pub async fn surgery_decisions(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<DecisionConversation>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                decision_columns!(),
                "WHERE referral_id = $1 ORDER BY created_at, id"
            ))
            .bind(referral.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(decision_from_row).collect()
        })
    }

    /// Every decision conversation about surgery a person has had, oldest first.
    pub async fn surgery_decisions_for_patient(
        &self,
        patient: PatientId,
    ) -> Result<Vec<DecisionConversation>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                decision_columns!(),
                "WHERE patient_id = $1 ORDER BY created_at, id"
            ))
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(decision_from_row).collect()
        })
    }

    /// The fitness checklist of a referral, when one is recorded.
    pub async fn fitness_checklist(
        &self,
        referral: ReferralId,
    ) -> Result<Option<FitnessChecklist>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT checks, override_reason, by_id, recorded_at FROM fitness_checklist \
                 WHERE referral_id = $1",
            )
            .bind(referral.as_uuid())
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let checks: Vec<FitnessCheck> =
                read_json(&row, "checks")?.ok_or(StoreError::Corrupt { column: "checks" })?;
            Ok(Some(FitnessChecklist {
                referral_id: referral,
                checks,
                override_reason: row.opt_text("override_reason")?,
                by: StaffUserId::from_uuid(row.uuid("by_id")?),
                at: row.instant("recorded_at")?,
            }))
        })
    }
}

impl Tx {
    /// Keeps a decision conversation.
    pub async fn insert_surgery_decision(
        &mut self,
        decision: &DecisionConversation,
    ) -> Result<(), StoreError> {
        let options = decision
            .options
            .iter()
            .map(|o| o.as_str())
            .collect::<Vec<_>>()
            .join(",");
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO surgery_decision (id, referral_id, patient_id, options, what_matters, \
                 choice, preferred, by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(decision.id.as_uuid())
            .bind(decision.referral_id.as_uuid())
            .bind(decision.patient_id.as_uuid())
            .bind(&options)
            .bind(&decision.what_matters)
            .bind(decision.choice.as_str())
            .bind(decision.preferred.map(CareOption::as_str))
            .bind(decision.by.as_uuid())
            .bind(micros(decision.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a referral's fitness checklist, replacing any before it.
    pub async fn save_fitness_checklist(
        &mut self,
        checklist: &FitnessChecklist,
    ) -> Result<(), StoreError> {
        let checks = to_json(&checklist.checks, "checks")?;
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO fitness_checklist (referral_id, checks, override_reason, by_id, \
                 recorded_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (referral_id) DO UPDATE SET checks = excluded.checks, \
                 override_reason = excluded.override_reason, by_id = excluded.by_id, \
                 recorded_at = excluded.recorded_at",
            )
            .bind(checklist.referral_id.as_uuid())
            .bind(&checks)
            .bind(&checklist.override_reason)
            .bind(checklist.by.as_uuid())
            .bind(micros(checklist.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
