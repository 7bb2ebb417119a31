//! Shared decision-making and surgical readiness as use cases: clinicians with a relationship
//! to a referral record the decision conversation and the fitness checklist; triage reads
//! the gate before it may accept a referral into orthopaedics.

use std::collections::HashMap;

use jointly_domain::access::Permission;
use jointly_domain::surgery::{
    DecisionAnswers, DecisionConversation, FitnessChecklist, NotReady, ReadyForSurgery,
    ready_for_surgery, record_checklist, record_decision,
};
use jointly_domain::{ReferralId, StaffUserId, SurgeryDecisionId};
use jointly_store::{AuditAction, AuditOutcome};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Where a referral stands on the way to orthopaedics.
#[derive(Clone, Debug)]
pub struct SurgeryReadiness {
    /// Every decision conversation, oldest first; the last stands.
    pub decisions: Vec<DecisionConversation>,
    /// The fitness checklist, when recorded.
    pub checklist: Option<FitnessChecklist>,
    /// The gate: open, or why not.
    pub gate: Result<ReadyForSurgery, NotReady>,
    /// Names of the clinicians who recorded them.
    pub staff_names: HashMap<StaffUserId, String>,
}

impl SurgeryReadiness {
    /// The decision that stands.
    pub fn decision(&self) -> Option<&DecisionConversation> {
        self.decisions.last()
    }
}

impl App {
    /// The decisions, checklist and gate of a referral (read inside an audited referral read).
    pub(crate) async fn surgery_readiness(
        &self,
        referral: ReferralId,
    ) -> Result<SurgeryReadiness, AppError> {
        let decisions = self.store.surgery_decisions(referral).await?;
        let checklist = self.store.fitness_checklist(referral).await?;
        let gate = ready_for_surgery(referral, decisions.last(), checklist.as_ref());
        let mut staff_names = HashMap::new();
        for id in decisions
            .iter()
            .map(|d| d.by)
            .chain(checklist.iter().map(|c| c.by))
        {
            if let std::collections::hash_map::Entry::Vacant(slot) = staff_names.entry(id)
                && let Some(staff) = self.store.find_staff(id).await?
            {
                slot.insert(staff.display_name);
            }
        }
        Ok(SurgeryReadiness {
            decisions,
            checklist,
            gate,
            staff_names,
        })
    }

    /// Records a decision conversation about surgery on a referral the clinician may see.
    pub async fn record_surgery_decision(
        &self,
        by: &Principal,
        referral: ReferralId,
        answers: &DecisionAnswers,
    ) -> Result<DecisionConversation, AppError> {
        by.require(Permission::DecideAboutSurgery)?;
        let view = self.referral_for_staff(by, referral).await?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let now = self.clock.now();
        let decision = record_decision(
            referral,
            view.patient.id,
            answers,
            staff,
            SurgeryDecisionId::new(),
            now,
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_surgery_decision(&decision).await?;
        tx.insert_audit(&[self.surgery_audit(by, &view.referral, "surgery.decision")])
            .await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// Records the pre-surgery fitness checklist of a referral the clinician may see.
    pub async fn record_fitness_checklist(
        &self,
        by: &Principal,
        referral: ReferralId,
        answers: &HashMap<String, String>,
    ) -> Result<FitnessChecklist, AppError> {
        by.require(Permission::DecideAboutSurgery)?;
        let view = self.referral_for_staff(by, referral).await?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let checklist = record_checklist(referral, answers, staff, self.clock.now())?;
        let mut tx = self.store.begin().await?;
        tx.save_fitness_checklist(&checklist).await?;
        tx.insert_audit(&[self.surgery_audit(by, &view.referral, "surgery.fitness")])
            .await?;
        tx.commit().await?;
        Ok(checklist)
    }

    fn surgery_audit(
        &self,
        by: &Principal,
        referral: &jointly_domain::referral::Referral,
        route: &'static str,
    ) -> jointly_store::AuditRecord {
        by.audit(
            self.clock.now(),
            AuditAction::Update,
            route,
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: referral.id.as_uuid(),
                patient: referral.patient_id,
            },
        )
    }
}
