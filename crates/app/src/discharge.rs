//! Discharge with a summary: a clinician in the referral's service writes what was done and
//! what to do now. It goes in the person's passport, to them through their own channel and to
//! their GP practice, and (when care is still open) discharges the referral with the service's
//! open-access window, all in one transaction. The person can be asked for their outcome
//! measures at discharge in the same step.

use jointly_domain::access::{Permission, may_view_referral};
use jointly_domain::intake::{OrganisationKind, Referrer, ReferringOrganisation};
use jointly_domain::measure::new_requests;
use jointly_domain::message::{
    Audiences, MessageTemplate, discharge_summary_messages, measures_due_message, messages_for,
};
use jointly_domain::passport::{EntryKind, PassportEntry, new_discharge_summary};
use jointly_domain::patient::Patient;
use jointly_domain::referral::{DischargeReason, Referral, ReferralStatus, open_access_end};
use jointly_domain::{
    Invalid, OrganisationId, PassportEntryId, ReferralId, ServiceId, ValidationErrors,
};
use jointly_store::{AuditAction, AuditOutcome};
use serde::Deserialize;

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// What the discharge page shows.
#[derive(Clone, Debug)]
pub struct DischargeView {
    /// The referral.
    pub referral: Referral,
    /// Whose.
    pub patient: Patient,
    /// The service's name.
    pub service_name: String,
    /// The open-access days the service gives after discharge.
    pub open_access_days: u32,
    /// The summary, once written.
    pub summary: Option<PassportEntry>,
    /// GP practices a copy can go to.
    pub practices: Vec<ReferringOrganisation>,
    /// The practice chosen by default: the referrer, when a GP practice referred.
    pub referring_practice: Option<OrganisationId>,
}

impl DischargeView {
    /// True while care is open and a summary would discharge the referral.
    pub fn discharges(&self) -> bool {
        self.referral.status == ReferralStatus::Waiting
    }

    /// True when a summary can be written now.
    pub fn can_write(&self) -> bool {
        self.summary.is_none()
            && matches!(
                self.referral.status,
                ReferralStatus::Waiting | ReferralStatus::Discharged
            )
            && self.referral.service_id.is_some()
    }
}

/// A discharge summary as entered.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DischargeForm {
    /// What was done, how the person is, and what to do now, in plain language.
    pub summary: String,
    /// The GP practice (organisation id) to send a copy to, or `none`.
    pub gp_practice: String,
    /// `yes` to ask the person for their outcome measures at discharge.
    pub measures: String,
    /// The referral's version when the form was shown.
    pub version: String,
}

impl App {
    /// The referral's discharge: its summary if written, and the GP practices a copy can go
    /// to. For clinicians in the referral's service; the read is audited.
    pub async fn discharge_view(
        &self,
        by: &Principal,
        id: ReferralId,
    ) -> Result<DischargeView, AppError> {
        let (referral, service) = self
            .referral_to_discharge(by, id, AuditAction::Read)
            .await?;
        let patient = self
            .store
            .find_patient(referral.patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let summary = self
            .store
            .passport_entries(referral.patient_id)
            .await?
            .into_iter()
            .find(|e| e.kind == EntryKind::DischargeSummary(id));
        let practices: Vec<ReferringOrganisation> = self
            .store
            .list_organisations()
            .await?
            .into_iter()
            .filter(|o| o.active && o.kind == OrganisationKind::GeneralPractice)
            .collect();
        let referring_practice = match &referral.referrer {
            Some(Referrer::Professional { organisation, .. }) => Some(*organisation),
            _ => None,
        }
        .filter(|id| practices.iter().any(|p| p.id == *id));
        Ok(DischargeView {
            service_name: service.name,
            open_access_days: service.rules.open_access_days,
            referral,
            patient,
            summary,
            practices,
            referring_practice,
        })
    }

    /// Writes the discharge summary of a referral (once). While care is open it discharges
    /// the referral under the service's rules; after a discharge at the clinic it adds the
    /// summary. The person hears through their own channel (the summary replaces the plain
    /// "care complete" message), the chosen GP practice by email.
    pub async fn write_discharge_summary(
        &self,
        by: &Principal,
        id: ReferralId,
        form: &DischargeForm,
    ) -> Result<PassportEntry, AppError> {
        let view = self.discharge_view(by, id).await?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let now = self.clock.now();
        let entry = new_discharge_summary(
            &view.referral,
            view.summary.is_some(),
            &form.summary,
            staff,
            PassportEntryId::new(),
            now,
        );
        let mut errors = match &entry {
            Err(jointly_domain::DomainError::Invalid(found)) => found.clone(),
            _ => ValidationErrors::new(),
        };
        let gp_practice = match form.gp_practice.trim() {
            "none" => None,
            chosen => {
                let found = view
                    .practices
                    .iter()
                    .find(|p| p.id.to_string() == chosen)
                    .map(|p| p.id);
                if found.is_none() {
                    errors.add("gp_practice", Invalid("choose"));
                }
                found
            }
        };
        let requests = if form.measures.trim() == "yes" {
            let codes: Vec<String> = self
                .measures_in_use()
                .measures
                .iter()
                .map(|m| m.id.clone())
                .collect();
            new_requests(
                self.measures_in_use(),
                view.patient.id,
                &codes,
                "discharge",
                staff,
                now,
            )?
        } else {
            Vec::new()
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let entry = entry?;
        if form.version.trim().parse::<i64>().ok() != Some(view.referral.version) {
            return Err(AppError::Conflict("referral_changed"));
        }
        let mut referral = view.referral.clone();
        let events = if view.discharges() {
            let service = self.service_of(&referral).await?;
            referral.discharge(
                DischargeReason::CareComplete,
                open_access_end(service.rules, now),
                by.actor(),
                now,
            )?
        } else {
            Vec::new()
        };
        let mut messages: Vec<_> = events
            .iter()
            .flat_map(|e| messages_for(e, &view.patient, &Audiences::default()))
            .filter(|m| m.template != MessageTemplate::Discharged)
            .collect();
        messages.extend(discharge_summary_messages(
            &view.patient,
            id,
            entry.id,
            gp_practice,
        ));
        messages.extend(
            requests
                .first()
                .map(|r| measures_due_message(&view.patient, r.id)),
        );
        let mut tx = self.store.begin().await?;
        if !events.is_empty() {
            tx.update_referral(&referral, now).await?;
            tx.append_events(&events, now).await?;
        }
        tx.insert_passport_entry(&entry).await?;
        tx.insert_measure_requests(&requests).await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&[self.discharge_audit(
            by,
            &referral,
            AuditAction::Update,
            AuditOutcome::Allowed,
        )])
        .await?;
        tx.commit().await.map_err(|e| match e {
            // Two clinicians writing at once: the second finds the first's summary.
            jointly_store::StoreError::Conflict(_) => AppError::Conflict("referral_changed"),
            other => other.into(),
        })?;
        Ok(entry)
    }

    /// The referral, if `by` is a clinician whose services include the referral's service.
    async fn referral_to_discharge(
        &self,
        by: &Principal,
        id: ReferralId,
        action: AuditAction,
    ) -> Result<(Referral, jointly_domain::service::Service), AppError> {
        let scope = by.staff_scope(Permission::WriteClinicalNotes)?;
        let referral = self
            .store
            .find_referral(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let allowed = referral.service_id.is_some() && may_view_referral(scope, &referral);
        let outcome = if allowed {
            AuditOutcome::Allowed
        } else {
            AuditOutcome::Denied
        };
        self.store
            .record_audit(&[self.discharge_audit(by, &referral, action, outcome)])
            .await?;
        if !allowed {
            return Err(AppError::NotFound);
        }
        let service = self.service_of(&referral).await?;
        Ok((referral, service))
    }

    async fn service_of(
        &self,
        referral: &Referral,
    ) -> Result<jointly_domain::service::Service, AppError> {
        let service: ServiceId = referral.service_id.ok_or(AppError::NotFound)?;
        self.store
            .find_service(service)
            .await?
            .ok_or(AppError::NotFound)
    }

    fn discharge_audit(
        &self,
        by: &Principal,
        referral: &Referral,
        action: AuditAction,
        outcome: AuditOutcome,
    ) -> jointly_store::AuditRecord {
        by.audit(
            self.clock.now(),
            action,
            "referral.discharge",
            outcome,
            Audited {
                entity: "referral",
                id: referral.id.as_uuid(),
                patient: referral.patient_id,
            },
        )
    }
}
