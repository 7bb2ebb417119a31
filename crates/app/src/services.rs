//! Each service's own rules, kept by service managers: how long patients may book straight back
//! in after discharge (open access), and after how many missed appointments they are discharged.

use jointly_domain::access::Permission;
use jointly_domain::service::{Service, ServiceRules};
use jointly_domain::{Invalid, ServiceId, ValidationErrors};
use jointly_store::{AuditAction, AuditOutcome, AuditRecord};

use crate::principal::Principal;
use crate::{App, AppError};

impl App {
    /// Every service with its rules, for service managers.
    pub async fn services_for_manager(&self, by: &Principal) -> Result<Vec<Service>, AppError> {
        by.require(Permission::ManageServices)?;
        Ok(self.store.list_services().await?)
    }

    /// Sets a service's rules from the form's text: open-access days (0 to 730) and missed
    /// appointments before discharge (0 to 10; 0 never discharges for them). Every problem is
    /// named by field and nothing changes unless all is well.
    pub async fn set_service_rules(
        &self,
        by: &Principal,
        service: ServiceId,
        open_access_days: &str,
        discharge_after_missed: &str,
    ) -> Result<ServiceRules, AppError> {
        by.require(Permission::ManageServices)?;
        let mut errors = ValidationErrors::new();
        let number =
            |field: &'static str, raw: &str, most: u32, errors: &mut ValidationErrors| match raw
                .trim()
                .parse::<u32>()
            {
                Ok(n) if n <= most => Some(n),
                Ok(_) => {
                    errors.add(field, Invalid("too-high"));
                    None
                }
                Err(_) if raw.trim().is_empty() => {
                    errors.add(field, Invalid("missing"));
                    None
                }
                Err(_) => {
                    errors.add(field, Invalid("not-a-number"));
                    None
                }
            };
        let days = number(
            "open_access_days",
            open_access_days,
            ServiceRules::MAX_OPEN_ACCESS_DAYS,
            &mut errors,
        );
        let missed = number(
            "discharge_after_missed",
            discharge_after_missed,
            10,
            &mut errors,
        );
        let (Some(days), Some(missed)) = (days, missed) else {
            return Err(AppError::Invalid(errors));
        };
        let rules = ServiceRules::new(days, missed).map_err(|_| AppError::Invalid(errors))?;
        if self.store.find_service(service).await?.is_none() {
            return Err(AppError::NotFound);
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.update_service_rules(service, rules, now).await?;
        tx.insert_audit(&[AuditRecord {
            at: now,
            actor: by.actor(),
            role: by.role(),
            action: AuditAction::Update,
            entity: "service",
            entity_id: Some(service.as_uuid()),
            patient_id: None,
            route: "service.rules",
            outcome: AuditOutcome::Allowed,
        }])
        .await?;
        tx.commit().await?;
        Ok(rules)
    }
}
