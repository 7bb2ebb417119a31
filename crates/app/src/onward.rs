//! Onward referral as a use case: a clinician or triage clinician with a relationship to a
//! referral refers the person on to another organisation. When that organisation is connected
//! (registered here by its ODS code), its system may then see the person through the FHIR API
//! — the onward ServiceRequest, the person's record and their communication needs.

use jointly_domain::access::Permission;
use jointly_domain::communication::CommunicationProfile;
use jointly_domain::onward::{OnwardAnswers, OnwardReferral, refer_onward};
use jointly_domain::scope::{ScopeAccess, ScopedResource};
use jointly_domain::{OnwardReferralId, ReferralId};
use jointly_store::{AuditAction, AuditOutcome};

use crate::principal::{Audited, Principal};
use crate::triage::StaffReferralView;
use crate::{App, AppError};

impl App {
    /// A referral as its onward-referral page shows it, with the onward referrals made from it
    /// (the read is audited with the referral's).
    pub async fn onward_referrals(
        &self,
        by: &Principal,
        referral: ReferralId,
    ) -> Result<(StaffReferralView, Vec<OnwardReferral>), AppError> {
        by.require(Permission::ReferOnward)?;
        let view = self.referral_for_staff(by, referral).await?;
        let onward = self.store.onward_referrals_from(referral).await?;
        Ok((view, onward))
    }

    /// Refers the person of `referral` on, as entered in `answers`; written with its event,
    /// its audit entry and (for a connected organisation) the organisation's sight of the
    /// person, all in one transaction.
    pub async fn refer_onward(
        &self,
        by: &Principal,
        referral: ReferralId,
        answers: &OnwardAnswers,
    ) -> Result<OnwardReferral, AppError> {
        by.require(Permission::ReferOnward)?;
        let view = self.referral_for_staff(by, referral).await?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let now = self.clock.now();
        let (onward, event) = refer_onward(
            view.referral.record(),
            answers,
            staff,
            OnwardReferralId::new(),
            now,
        )?;
        let receiver = self
            .store
            .find_organisation_by_ods(&onward.ods_code)
            .await?
            .filter(|o| o.active);
        let mut tx = self.store.begin().await?;
        tx.insert_onward_referral(&onward).await?;
        if let Some(receiver) = receiver {
            tx.link_organisation_patient(receiver.id, onward.patient_id, now)
                .await?;
        }
        tx.append_events(&[event], now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Create,
            "referral.onward",
            AuditOutcome::Allowed,
            Audited {
                entity: "onward_referral",
                id: onward.id.as_uuid(),
                patient: onward.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(onward)
    }
}

/// An onward referral as a connected system reads it: with the person's communication needs,
/// which go with it.
#[derive(Clone, Debug)]
pub struct SystemOnwardReferral {
    /// The onward referral.
    pub onward: OnwardReferral,
    /// The person's needs and preferences.
    pub communication: CommunicationProfile,
    /// The service that referred them on (the one their referral here was in).
    pub sender: String,
}

impl App {
    pub(crate) async fn system_onward_view(
        &self,
        onward: OnwardReferral,
    ) -> Result<SystemOnwardReferral, AppError> {
        let communication = self.store.communication_profile(onward.patient_id).await?;
        let service = match self.store.find_referral(onward.referral_id).await? {
            Some(referral) => match referral.service_id {
                Some(id) => self.store.find_service(id).await?,
                None => None,
            },
            None => None,
        };
        Ok(SystemOnwardReferral {
            onward,
            communication,
            sender: service.map_or_else(|| "Community MSK service".to_owned(), |s| s.name),
        })
    }

    /// One onward referral, for a system that may see the person (the organisation it was
    /// sent to, once connected, or one that referred the person here).
    pub async fn system_onward_referral(
        &self,
        by: &Principal,
        id: OnwardReferralId,
    ) -> Result<SystemOnwardReferral, AppError> {
        by.system_scope(ScopedResource::ServiceRequest, ScopeAccess::Read)?;
        let onward = self
            .store
            .find_onward_referral(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.system_may_see(
            by,
            ScopedResource::ServiceRequest,
            ScopeAccess::Read,
            onward.patient_id,
            ("onward_referral", id.as_uuid(), "fhir.service_request.read"),
        )
        .await?;
        self.system_onward_view(onward).await
    }
}
