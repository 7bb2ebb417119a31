//! Onward referrals: people referred on from this service to another organisation, found by
//! the referral they came from, by person, and by the receiving organisation's ODS code.

use jointly_domain::intake::OdsCode;
use jointly_domain::onward::OnwardReferral;
use jointly_domain::referral::{FreeText, Priority};
use jointly_domain::{OnwardReferralId, PatientId, ReferralId, StaffUserId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! columns {
    () => {
        "id, referral_id, patient_id, ods_code, organisation, request, reason, priority, by_id, \
         created_at"
    };
}

fn onward_from_row(row: &impl DbRow) -> Result<OnwardReferral, StoreError> {
    Ok(OnwardReferral {
        id: OnwardReferralId::from_uuid(row.uuid("id")?),
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        ods_code: row.parsed("ods_code", OdsCode::parse)?,
        organisation: row.text("organisation")?,
        request: row.text("request")?,
        reason: row.parsed("reason", FreeText::parse)?,
        priority: row.parsed("priority", Priority::parse)?,
        by: StaffUserId::from_uuid(row.uuid("by_id")?),
        at: row.instant("created_at")?,
    })
}

impl Store {
    /// One onward referral.
    pub async fn find_onward_referral(
        &self,
        id: OnwardReferralId,
    ) -> Result<Option<OnwardReferral>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM onward_referral WHERE id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(onward_from_row).transpose()
        })
    }

    /// The onward referrals made from `referral`, oldest first.
    pub async fn onward_referrals_from(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<OnwardReferral>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM onward_referral WHERE referral_id = $1 \
                 ORDER BY created_at, id"
            );
            let rows = sqlx::query(sql).bind(referral.as_uuid()).fetch_all(pool).await?;
            rows.iter().map(onward_from_row).collect()
        })
    }

    /// A person's onward referrals, newest first.
    pub async fn onward_referrals_for(
        &self,
        patient: PatientId,
    ) -> Result<Vec<OnwardReferral>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM onward_referral WHERE patient_id = $1 \
                 ORDER BY created_at DESC, id DESC"
            );
            let rows = sqlx::query(sql).bind(patient.as_uuid()).fetch_all(pool).await?;
            rows.iter().map(onward_from_row).collect()
        })
    }

    /// Onward referrals sent to the organisation with `ods`, newest first, at most `limit`.
    pub async fn onward_referrals_to(
        &self,
        ods: &OdsCode,
        limit: u32,
    ) -> Result<Vec<OnwardReferral>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM onward_referral WHERE ods_code = $1 \
                 ORDER BY created_at DESC, id DESC LIMIT $2"
            );
            let rows = sqlx::query(sql)
                .bind(ods.as_str())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(onward_from_row).collect()
        })
    }
}

impl Tx {
    /// Records an onward referral.
    pub async fn insert_onward_referral(
        &mut self,
        onward: &OnwardReferral,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            let sql = concat!(
                "INSERT INTO onward_referral (", columns!(), ") \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            );
            sqlx::query(sql)
                .bind(onward.id.as_uuid())
                .bind(onward.referral_id.as_uuid())
                .bind(onward.patient_id.as_uuid())
                .bind(onward.ods_code.as_str())
                .bind(&onward.organisation)
                .bind(&onward.request)
                .bind(onward.reason.as_str())
                .bind(onward.priority.as_str())
                .bind(onward.by.as_uuid())
                .bind(micros(onward.at))
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
