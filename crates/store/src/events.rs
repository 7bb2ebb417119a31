//! The domain event log, appended in the same transaction as the change it records.

use jiff::Timestamp;
use jointly_domain::EventId;
use jointly_domain::event::DomainEvent;

use crate::row::micros;
use crate::{Store, StoreError, Tx, read, write};

impl Tx {
    /// Appends events to the log.
    pub async fn append_events(
        &mut self,
        events: &[DomainEvent],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for event in events {
            let payload = serde_json::to_string(event)
                .map_err(|_| StoreError::Corrupt { column: "payload" })?;
            write!(self, conn => {
                sqlx::query(
                    "INSERT INTO domain_event (id, kind, patient_id, referral_id, payload, occurred_at, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(EventId::new().as_uuid())
                .bind(event.kind())
                .bind(event.patient_id().map(|p| p.as_uuid()))
                .bind(event.referral_id().map(|r| r.as_uuid()))
                .bind(payload)
                .bind(micros(event.at()))
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }
}

impl Store {
    /// Events about one referral, oldest first.
    pub async fn events_for_referral(
        &self,
        referral: jointly_domain::ReferralId,
    ) -> Result<Vec<DomainEvent>, StoreError> {
        let payloads: Vec<String> = read!(self, pool => {
            sqlx::query_scalar("SELECT payload FROM domain_event WHERE referral_id = $1 ORDER BY seq")
                .bind(referral.as_uuid())
                .fetch_all(pool)
                .await?
        });
        payloads
            .iter()
            .map(|p| serde_json::from_str(p).map_err(|_| StoreError::Corrupt { column: "payload" }))
            .collect()
    }
}
