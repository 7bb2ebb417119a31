//! The multidisciplinary team meeting: the referrals listed for discussion (those the reader
//! may see), and the outcome of each discussion, which goes in the person's passport and takes
//! the referral off the list in one transaction.

use jointly_domain::access::{Permission, may_view_referral};
use jointly_domain::conversation::Author;
use jointly_domain::passport::{EntryKind, PassportEntry, new_entry};
use jointly_domain::{PassportEntryId, ReferralId, ValidationErrors};
use jointly_store::{AuditAction, AuditOutcome, TriageQueueItem};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Most referrals shown on the MDT list.
const MDT_PAGE: u32 = 200;

impl App {
    /// The referrals listed for the MDT that `by` may see, most urgent first. Each patient
    /// shown is audited.
    pub async fn mdt_list(&self, by: &Principal) -> Result<Vec<TriageQueueItem>, AppError> {
        let scope = by.staff_scope(Permission::RecordMdtOutcomes)?;
        let listed: Vec<_> = self
            .store
            .mdt_list(MDT_PAGE)
            .await?
            .into_iter()
            .filter(|item| may_view_referral(scope, &item.referral))
            .collect();
        let now = self.clock.now();
        let audit: Vec<_> = listed
            .iter()
            .map(|item| {
                by.audit(
                    now,
                    AuditAction::Read,
                    "mdt.list",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "referral",
                        id: item.referral.id.as_uuid(),
                        patient: item.referral.patient_id,
                    },
                )
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(listed)
    }

    /// Records what the MDT decided about a listed referral: the outcome goes in the person's
    /// passport for them and every service to read, and the referral leaves the list. A
    /// referral changed since it was read (`version_seen`) is refused.
    pub async fn record_mdt_outcome(
        &self,
        by: &Principal,
        id: ReferralId,
        outcome: &str,
        version_seen: &str,
    ) -> Result<PassportEntry, AppError> {
        by.require(Permission::RecordMdtOutcomes)?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let view = self.referral_for_staff(by, id).await?;
        let now = self.clock.now();
        let entry = new_entry(
            view.patient.id,
            EntryKind::MdtOutcome,
            outcome,
            Author::Staff(staff),
            PassportEntryId::new(),
            now,
        )
        .map_err(|e| match e {
            // The form calls the outcome "mdt_outcome"; the passport calls its text the body.
            jointly_domain::DomainError::Invalid(found) if found.for_field("body").is_some() => {
                let mut errors = ValidationErrors::new();
                if let Some(problem) = found.for_field("body") {
                    errors.add("mdt_outcome", jointly_domain::Invalid(problem.problem));
                }
                AppError::Invalid(errors)
            }
            other => other.into(),
        })?;
        if version_seen.trim().parse::<i64>().ok() != Some(view.referral.version) {
            return Err(AppError::Conflict("referral_changed"));
        }
        let mut referral = view.referral.clone();
        let events = referral.record_mdt_outcome(by.actor(), now)?;
        let mut tx = self.store.begin().await?;
        tx.update_referral(&referral, now).await?;
        tx.append_events(&events, now).await?;
        tx.insert_passport_entry(&entry).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "referral.mdt_outcome",
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: referral.id.as_uuid(),
                patient: referral.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(entry)
    }
}
