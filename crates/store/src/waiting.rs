//! The waiting lists: everyone accepted into a service and not yet seen, with when their
//! clock started.

use jiff::Timestamp;
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::referral::{Priority, ReferralReference, ReferralStatus};
use jointly_domain::{PatientId, ReferralId, ServiceId};

use crate::row::DbRow;
use crate::{Store, StoreError, read};

/// One person on a waiting list.
#[derive(Clone, Debug)]
pub struct WaitingEntry {
    /// The referral.
    pub referral_id: ReferralId,
    /// Its reference.
    pub reference: ReferralReference,
    /// The person.
    pub patient_id: PatientId,
    /// Their name.
    pub patient_name: PersonName,
    /// The service.
    pub service_id: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// How soon they should be seen.
    pub priority: Option<Priority>,
    /// Waiting to book, or booked and not yet seen.
    pub status: ReferralStatus,
    /// When the clock started: the referral was received.
    pub clock_start: Timestamp,
}

impl Store {
    /// When each person now waiting to be seen started waiting, by service (no one named):
    /// for the public waiting times.
    pub async fn waiting_clock_starts(&self) -> Result<Vec<(ServiceId, Timestamp)>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT service_id, received_at FROM referral \
                 WHERE status IN ('waiting', 'booked') AND service_id IS NOT NULL",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok((
                        ServiceId::from_uuid(row.uuid("service_id")?),
                        row.instant("received_at")?,
                    ))
                })
                .collect()
        })
    }

    /// Everyone waiting to be seen in any service (waiting to book, or booked), longest
    /// waiting first.
    pub async fn waiting_list(&self) -> Result<Vec<WaitingEntry>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT r.id, r.reference, r.patient_id, r.service_id, r.priority, r.status, r.received_at, \
                 p.given_name, p.family_name, s.name AS service_name \
                 FROM referral r JOIN patient p ON p.id = r.patient_id \
                 JOIN service s ON s.id = r.service_id \
                 WHERE r.status IN ('waiting', 'booked') ORDER BY r.received_at, r.id",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(WaitingEntry {
                        referral_id: ReferralId::from_uuid(row.uuid("id")?),
                        reference: row.parsed("reference", ReferralReference::parse)?,
                        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
                        patient_name: PersonName {
                            given: row.parsed("given_name", NamePart::parse)?,
                            family: row.parsed("family_name", NamePart::parse)?,
                        },
                        service_id: ServiceId::from_uuid(row.uuid("service_id")?),
                        service_name: row.text("service_name")?,
                        priority: row.opt_parsed("priority", Priority::parse)?,
                        status: row.parsed("status", ReferralStatus::parse)?,
                        clock_start: row.instant("received_at")?,
                    })
                })
                .collect()
        })
    }
}
