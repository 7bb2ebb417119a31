//! Connected systems (FHIR clients): the scopes each organisation's system is granted, the
//! people it may see (those it registered or referred), versioned reads and writes of a
//! person's record, and the searches FHIR needs (a clinician's diary; an organisation's
//! referrals).

use jiff::Timestamp;
use jointly_domain::patient::Patient;
use jointly_domain::scope::Scopes;
use jointly_domain::slot::{Slot, SlotStatus};
use jointly_domain::{ClinicianId, OrganisationId, PatientId, ReferralId, SlotId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// A person's record with its version and when it last changed.
#[derive(Clone, Debug)]
pub struct VersionedPatient {
    /// The person.
    pub patient: Patient,
    /// Increased on every change.
    pub version: i64,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Store {
    /// The FHIR scopes granted to an organisation's system (none for an unknown or inactive one).
    pub async fn organisation_scopes(&self, id: OrganisationId) -> Result<Scopes, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT fhir_scopes FROM referring_organisation WHERE id = $1 AND active = TRUE",
            )
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await?;
            row.map_or(Ok(Scopes::NONE), |row| {
                let bits = row.int("fhir_scopes")?;
                Ok(Scopes::from_bits(u32::try_from(bits).unwrap_or(0)))
            })
        })
    }

    /// Whether `organisation` may see `patient`: it registered them, or referred them.
    pub async fn organisation_may_see(
        &self,
        organisation: OrganisationId,
        patient: PatientId,
    ) -> Result<bool, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT (EXISTS (SELECT 1 FROM organisation_patient \
                 WHERE organisation_id = $1 AND patient_id = $2) OR EXISTS (SELECT 1 FROM referral \
                 WHERE organisation_id = $1 AND patient_id = $2)) AS seen",
            )
            .bind(organisation.as_uuid())
            .bind(patient.as_uuid())
            .fetch_one(pool)
            .await?;
            row.boolean("seen")
        })
    }

    /// The organisation that made a referral, if one did.
    pub async fn referral_organisation(
        &self,
        referral: ReferralId,
    ) -> Result<Option<OrganisationId>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query("SELECT organisation_id FROM referral WHERE id = $1")
                .bind(referral.as_uuid())
                .fetch_optional(pool)
                .await?;
            Ok(match row {
                Some(row) => row.opt_uuid("organisation_id")?.map(OrganisationId::from_uuid),
                None => None,
            })
        })
    }

    /// The person with `id`, with their record's version.
    pub async fn find_patient_versioned(
        &self,
        id: PatientId,
    ) -> Result<Option<VersionedPatient>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", crate::patients::patient_columns!(), ", version, updated_at FROM patient WHERE id = $1"
            );
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(versioned_from_row).transpose()
        })
    }

    /// Slots in one clinician's diary starting in `[from, until)`, with `status` if given,
    /// after the slot `after` (keyset paging by start, then id), earliest first.
    pub async fn slots_in_schedule(
        &self,
        clinician: ClinicianId,
        status: Option<SlotStatus>,
        from: Timestamp,
        until: Timestamp,
        after: Option<(Timestamp, SlotId)>,
        limit: u32,
    ) -> Result<Vec<Slot>, StoreError> {
        let (after_start, after_id) = after
            .map_or((micros(from) - 1, uuid::Uuid::max()), |(at, id)| {
                (micros(at), id.as_uuid())
            });
        read!(self, pool => {
            let rows = match status {
                Some(status) => {
                    let sql = concat!(
                        "SELECT ", crate::slots::slot_columns!(), " FROM slot sl \
                         WHERE sl.clinician_id = $1 AND sl.status = $2 AND sl.starts_at >= $3 \
                         AND sl.starts_at < $4 AND (sl.starts_at > $5 OR (sl.starts_at = $5 AND sl.id > $6)) \
                         ORDER BY sl.starts_at, sl.id LIMIT $7"
                    );
                    sqlx::query(sql)
                        .bind(clinician.as_uuid())
                        .bind(status.as_str())
                        .bind(micros(from))
                        .bind(micros(until))
                        .bind(after_start)
                        .bind(after_id)
                        .bind(i64::from(limit))
                        .fetch_all(pool)
                        .await?
                }
                None => {
                    let sql = concat!(
                        "SELECT ", crate::slots::slot_columns!(), " FROM slot sl \
                         WHERE sl.clinician_id = $1 AND sl.starts_at >= $2 \
                         AND sl.starts_at < $3 AND (sl.starts_at > $4 OR (sl.starts_at = $4 AND sl.id > $5)) \
                         ORDER BY sl.starts_at, sl.id LIMIT $6"
                    );
                    sqlx::query(sql)
                        .bind(clinician.as_uuid())
                        .bind(micros(from))
                        .bind(micros(until))
                        .bind(after_start)
                        .bind(after_id)
                        .bind(i64::from(limit))
                        .fetch_all(pool)
                        .await?
                }
            };
            rows.iter().map(crate::slots::slot_from_row).collect()
        })
    }
}

fn versioned_from_row(row: &impl DbRow) -> Result<VersionedPatient, StoreError> {
    Ok(VersionedPatient {
        patient: crate::patients::patient_from_row(row)?,
        version: row.int("version")?,
        updated_at: row.instant("updated_at")?,
    })
}

impl Tx {
    /// Grants an organisation's system `scopes` (replacing those it had).
    pub async fn set_organisation_scopes(
        &mut self,
        id: OrganisationId,
        scopes: Scopes,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            let done = sqlx::query(
                "UPDATE referring_organisation SET fhir_scopes = $2, updated_at = $3 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(i64::from(scopes.bits()))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
        });
        Ok(())
    }

    /// Records that `organisation`'s system registered `patient` (once).
    pub async fn link_organisation_patient(
        &mut self,
        organisation: OrganisationId,
        patient: PatientId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO organisation_patient (organisation_id, patient_id, created_at) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(organisation.as_uuid())
            .bind(patient.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Changes a person's contact details and preferences if their record is still at
    /// `version`; false (and nothing changed) when someone changed it meanwhile. An NHS
    /// number is only ever added, never changed.
    pub async fn update_patient_at_version(
        &mut self,
        patient: &Patient,
        version: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let address = patient.address.as_ref();
        write!(self, conn => {
            let done = sqlx::query(
                "UPDATE patient SET nhs_number = COALESCE(nhs_number, $2), postcode = $3, \
                 address_line1 = $4, address_line2 = $5, town = $6, phone = $7, email = $8, \
                 preferred_language = $9, preferred_contact = $10, ethnicity = $11, \
                 updated_at = $12, version = version + 1 WHERE id = $1 AND version = $13",
            )
            .bind(patient.id.as_uuid())
            .bind(patient.nhs_number.map(|n| n.as_digits()))
            .bind(patient.postcode.as_str())
            .bind(address.map(|a| a.line1.as_str()))
            .bind(address.and_then(|a| a.line2.as_deref()))
            .bind(address.map(|a| a.town.as_str()))
            .bind(patient.phone.as_ref().map(|p| p.as_str()))
            .bind(patient.email.as_ref().map(|e| e.as_str()))
            .bind(patient.preferred_language.code())
            .bind(patient.preferred_contact.as_str())
            .bind(patient.ethnicity.map(|e| e.code().to_string()))
            .bind(micros(now))
            .bind(version)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }
}
