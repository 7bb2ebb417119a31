//! The clinic list: who is booked to be seen, where and when.

use jiff::Timestamp;
use jiff::civil::Date;
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::clinician::ClinicalRole;
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::referral::{ProblemArea, ReferralReference};
use jointly_domain::slot::Modality;
use jointly_domain::{AppointmentId, ClinicianId, LocationId, PatientId, ReferralId, ServiceId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, read};

/// One booked appointment on a clinic list.
#[derive(Clone, Debug)]
pub struct ClinicListEntry {
    /// The appointment.
    pub appointment_id: AppointmentId,
    /// Its status.
    pub status: AppointmentStatus,
    /// Start.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
    /// How.
    pub modality: Modality,
    /// The service whose clinic it is.
    pub service_id: ServiceId,
    /// Where.
    pub location_id: LocationId,
    /// Location name.
    pub location_name: String,
    /// The clinician.
    pub clinician_id: ClinicianId,
    /// The clinician's name.
    pub clinician_name: PersonName,
    /// The clinician's role.
    pub clinician_role: ClinicalRole,
    /// The patient.
    pub patient_id: PatientId,
    /// The patient's name.
    pub patient_name: PersonName,
    /// The patient's date of birth.
    pub date_of_birth: Date,
    /// The referral.
    pub referral_id: ReferralId,
    /// Its reference.
    pub reference: ReferralReference,
    /// The problem area.
    pub problem_area: ProblemArea,
    /// The interpreter to book for it, if any.
    pub interpreter: Option<jointly_domain::communication::Interpreter>,
    /// The patient confirmed they are coming.
    pub confirmed: bool,
}

impl Store {
    /// Live appointments (booked or already attended) starting in `[from, to)`, by time then
    /// location.
    pub async fn clinic_list(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<ClinicListEntry>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT a.id AS appointment_id, a.status, sl.starts_at, sl.modality, sl.service_id, \
                 l.id AS location_id, l.name AS location_name, c.id AS clinician_id, c.given_name AS clinician_given, \
                 c.family_name AS clinician_family, c.role AS clinician_role, p.id AS patient_id, \
                 p.given_name, p.family_name, p.date_of_birth, r.id AS referral_id, r.reference, \
                 r.problem_area, a.interpreter, a.confirmed_at, \
                 COALESCE((SELECT x.ends_at FROM slot x WHERE x.id = a.extra_slot_id), sl.ends_at) AS ends_at \
                 FROM appointment a JOIN slot sl ON sl.id = a.slot_id \
                 JOIN location l ON l.id = sl.location_id JOIN clinician c ON c.id = sl.clinician_id \
                 JOIN patient p ON p.id = a.patient_id JOIN referral r ON r.id = a.referral_id \
                 WHERE sl.starts_at >= $1 AND sl.starts_at < $2 AND a.status <> 'cancelled' \
                 ORDER BY sl.starts_at, l.name, c.family_name",
            )
            .bind(micros(from))
            .bind(micros(to))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(ClinicListEntry {
                        appointment_id: AppointmentId::from_uuid(row.uuid("appointment_id")?),
                        status: row.parsed("status", AppointmentStatus::parse)?,
                        start: row.instant("starts_at")?,
                        end: row.instant("ends_at")?,
                        modality: row.parsed("modality", Modality::parse)?,
                        service_id: ServiceId::from_uuid(row.uuid("service_id")?),
                        location_id: LocationId::from_uuid(row.uuid("location_id")?),
                        location_name: row.text("location_name")?,
                        clinician_id: ClinicianId::from_uuid(row.uuid("clinician_id")?),
                        clinician_name: PersonName {
                            given: row.parsed("clinician_given", NamePart::parse)?,
                            family: row.parsed("clinician_family", NamePart::parse)?,
                        },
                        clinician_role: row.parsed("clinician_role", ClinicalRole::parse)?,
                        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
                        patient_name: PersonName {
                            given: row.parsed("given_name", NamePart::parse)?,
                            family: row.parsed("family_name", NamePart::parse)?,
                        },
                        date_of_birth: row.date("date_of_birth")?,
                        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
                        reference: row.parsed("reference", ReferralReference::parse)?,
                        problem_area: row.parsed("problem_area", ProblemArea::parse)?,
                        interpreter: row.opt_parsed(
                            "interpreter",
                            jointly_domain::communication::Interpreter::parse,
                        )?,
                        confirmed: row.opt_instant("confirmed_at")?.is_some(),
                    })
                })
                .collect()
        })
    }
}
