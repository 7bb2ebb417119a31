//! Clinic lists for the day, limited to the clinics a member of staff works in.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jointly_domain::access::{Permission, may_view_clinic};
use jointly_domain::patient::PersonName;
use jointly_domain::{ClinicianId, Invalid, ValidationErrors, london};
use jointly_store::{AuditAction, AuditOutcome, ClinicListEntry};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// One day's clinics.
#[derive(Clone, Debug)]
pub struct ClinicDay {
    /// The day (in London).
    pub date: Date,
    /// Appointments that day, by time (one clinician's, when one was chosen).
    pub entries: Vec<ClinicListEntry>,
    /// The clinicians with appointments that day, by name, to choose one clinic.
    pub clinicians: Vec<(ClinicianId, PersonName)>,
    /// The clinician chosen, if any.
    pub clinician: Option<ClinicianId>,
}

impl App {
    /// The appointments on `date` (London time) in clinics `by` works in, only `clinician`'s
    /// when given. Every patient listed is audited.
    pub async fn clinic_day(
        &self,
        by: &Principal,
        date: Date,
        clinician: Option<ClinicianId>,
    ) -> Result<ClinicDay, AppError> {
        let scope = by.staff_scope(Permission::ViewClinicList)?;
        let zone: TimeZone = london();
        let invalid_date = || {
            let mut errors = ValidationErrors::new();
            errors.add("date", Invalid("not-a-date"));
            AppError::Invalid(errors)
        };
        let start = date.to_zoned(zone.clone()).map_err(|_| invalid_date())?;
        let end = date
            .tomorrow()
            .and_then(|d| d.to_zoned(zone))
            .map_err(|_| invalid_date())?;
        let entries: Vec<ClinicListEntry> = self
            .store
            .clinic_list(start.timestamp(), end.timestamp())
            .await?
            .into_iter()
            .filter(|entry| may_view_clinic(scope, entry.service_id))
            .collect();
        let mut clinicians: Vec<(ClinicianId, PersonName)> = entries
            .iter()
            .map(|e| (e.clinician_id, e.clinician_name.clone()))
            .collect();
        clinicians.sort_by_key(|(id, name)| (name.to_string(), *id));
        clinicians.dedup_by_key(|(id, _)| *id);
        let entries: Vec<ClinicListEntry> = entries
            .into_iter()
            .filter(|e| clinician.is_none_or(|c| c == e.clinician_id))
            .collect();
        let now = self.clock.now();
        let audit: Vec<_> = entries
            .iter()
            .map(|e| {
                by.audit(
                    now,
                    AuditAction::Read,
                    "clinic.list",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "appointment",
                        id: e.appointment_id.as_uuid(),
                        patient: e.patient_id,
                    },
                )
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(ClinicDay {
            date,
            entries,
            clinicians,
            clinician,
        })
    }
}
