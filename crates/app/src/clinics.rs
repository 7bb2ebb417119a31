//! Clinic lists for the day, limited to the clinics a member of staff works in.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jointly_domain::access::{Permission, may_view_clinic};
use jointly_domain::{Invalid, ValidationErrors, london};
use jointly_store::{AuditAction, AuditOutcome, ClinicListEntry};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// One day's clinics.
#[derive(Clone, Debug)]
pub struct ClinicDay {
    /// The day (in London).
    pub date: Date,
    /// Appointments that day, by time.
    pub entries: Vec<ClinicListEntry>,
}

impl App {
    /// The appointments on `date` (London time) in clinics `by` works in. Every patient listed
    /// is audited.
    pub async fn clinic_day(&self, by: &Principal, date: Date) -> Result<ClinicDay, AppError> {
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
        Ok(ClinicDay { date, entries })
    }
}
