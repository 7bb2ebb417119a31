//! The cancellation list: offers of freed slots, and the people waiting who may receive them.

use jiff::Timestamp;
use jointly_domain::offer::{OfferPreferences, OfferStatus, SlotOffer};
use jointly_domain::referral::Referral;
use jointly_domain::{OfferId, PatientId, ReferralId, ServiceId, SlotId};

use crate::referrals::referral_from_row;
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! columns {
    () => {
        "id, slot_id, referral_id, patient_id, status, expires_at, created_at"
    };
}

fn offer_from_row(row: &impl DbRow) -> Result<SlotOffer, StoreError> {
    Ok(SlotOffer {
        id: OfferId::from_uuid(row.uuid("id")?),
        slot_id: SlotId::from_uuid(row.uuid("slot_id")?),
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        status: row.parsed("status", OfferStatus::parse)?,
        expires_at: row.instant("expires_at")?,
        created_at: row.instant("created_at")?,
    })
}

impl Store {
    /// Referrals waiting to book in `service`, longest waiting first, at most `limit`.
    pub async fn waiting_for_service(
        &self,
        service: ServiceId,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", crate::referrals::referral_columns!(),
                " FROM referral r WHERE r.service_id = $1 AND r.status = 'waiting' \
                 ORDER BY r.received_at, r.id LIMIT $2"
            );
            let rows = sqlx::query(sql)
                .bind(service.as_uuid())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(referral_from_row).collect()
        })
    }

    /// The offer with `id`.
    pub async fn find_offer(&self, id: OfferId) -> Result<Option<SlotOffer>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM slot_offer WHERE id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(offer_from_row).transpose()
        })
    }

    /// A person's offers still waiting for an answer, newest first.
    pub async fn open_offers_for_patient(
        &self,
        patient: PatientId,
        now: Timestamp,
    ) -> Result<Vec<SlotOffer>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM slot_offer WHERE patient_id = $1 AND status = 'offered' \
                 AND expires_at > $2 ORDER BY created_at DESC, id"
            );
            let rows = sqlx::query(sql)
                .bind(patient.as_uuid())
                .bind(micros(now))
                .fetch_all(pool)
                .await?;
            rows.iter().map(offer_from_row).collect()
        })
    }

    /// Every offer made for `slot`.
    pub async fn offers_for_slot(&self, slot: SlotId) -> Result<Vec<SlotOffer>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM slot_offer WHERE slot_id = $1 ORDER BY created_at, id"
            );
            let rows = sqlx::query(sql).bind(slot.as_uuid()).fetch_all(pool).await?;
            rows.iter().map(offer_from_row).collect()
        })
    }

    /// Freed slots offered since `from`, and how many of those were taken through an offer:
    /// the cancellation list's refill rate.
    pub async fn offer_refills(&self, from: Timestamp) -> Result<(i64, i64), StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT COUNT(DISTINCT slot_id) AS offered, \
                 COUNT(DISTINCT CASE WHEN status = 'accepted' THEN slot_id END) AS taken \
                 FROM slot_offer WHERE created_at >= $1",
            )
            .bind(micros(from))
            .fetch_one(pool)
            .await?;
            Ok((row.int("offered")?, row.int("taken")?))
        })
    }
}

impl Tx {
    /// Records new offers.
    pub async fn insert_offers(
        &mut self,
        offers: &[SlotOffer],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for offer in offers {
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO slot_offer (id, slot_id, referral_id, patient_id, status, \
                     expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(offer.id.as_uuid())
                .bind(offer.slot_id.as_uuid())
                .bind(offer.referral_id.as_uuid())
                .bind(offer.patient_id.as_uuid())
                .bind(offer.status.as_str())
                .bind(micros(offer.expires_at))
                .bind(micros(offer.created_at))
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Marks an open offer taken. Refused when it was answered already.
    pub async fn accept_offer(&mut self, offer: OfferId, now: Timestamp) -> Result<(), StoreError> {
        let changed = write!(self, conn => {
            sqlx::query(
                "UPDATE slot_offer SET status = 'accepted', updated_at = $2 \
                 WHERE id = $1 AND status = 'offered'",
            )
            .bind(offer.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("offer_gone"))
        }
    }

    /// Marks the other open offers of `slot` gone; returns them, to tell those people.
    pub async fn close_offers(
        &mut self,
        slot: SlotId,
        now: Timestamp,
    ) -> Result<Vec<SlotOffer>, StoreError> {
        let sql = concat!(
            "UPDATE slot_offer SET status = 'gone', updated_at = $2 \
             WHERE slot_id = $1 AND status = 'offered' RETURNING ",
            columns!()
        );
        write!(self, conn => {
            let rows = sqlx::query(sql)
                .bind(slot.as_uuid())
                .bind(micros(now))
                .fetch_all(&mut *conn)
                .await?;
            rows.iter().map(offer_from_row).collect()
        })
    }
}

impl Store {
    /// What each of `patients` wants from the cancellation list, for those who said.
    pub async fn offer_preferences_for(
        &self,
        patients: &[PatientId],
    ) -> Result<std::collections::HashMap<PatientId, OfferPreferences>, StoreError> {
        self.json_by_patient("offer_preference", patients).await
    }
}

impl Tx {
    /// Records what `patient` wants from the cancellation list.
    pub async fn set_offer_preferences(
        &mut self,
        patient: PatientId,
        preferences: &OfferPreferences,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let data = crate::json::to_json(preferences, "data")?;
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO offer_preference (patient_id, data, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (patient_id) DO UPDATE SET data = $2, updated_at = $3",
            )
            .bind(patient.as_uuid())
            .bind(&data)
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
