//! The person's side of a clinician's question: they reply in the portal, and the reply joins
//! the referral for the triage clinician to read.

use jointly_domain::ReferralId;
use jointly_domain::referral::FreeText;
use jointly_domain::{Invalid, NoteId, ValidationErrors};
use jointly_store::{AuditAction, AuditOutcome, Note, NoteKind};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

impl App {
    /// Records the signed-in patient's reply to a question about their referral.
    pub async fn reply_to_question(
        &self,
        by: &Principal,
        id: ReferralId,
        reply: &str,
    ) -> Result<(), AppError> {
        let patient = by.patient()?;
        let mut referral = self
            .store
            .find_referral(id)
            .await?
            .filter(|r| r.patient_id == patient)
            .ok_or(AppError::NotFound)?;
        let mut errors = ValidationErrors::new();
        let Some(body) = errors.check("reply", FreeText::parse(reply)) else {
            return Err(AppError::Invalid(errors));
        };
        if !referral.awaiting_reply {
            let mut errors = ValidationErrors::new();
            errors.add("reply", Invalid("no-question"));
            return Err(AppError::Invalid(errors));
        }
        let now = self.clock.now();
        let events = referral.patient_replied(by.actor(), now)?;
        let note = Note {
            id: NoteId::new(),
            referral_id: id,
            patient_id: patient,
            kind: NoteKind::Reply,
            body,
            author: by.actor(),
            created_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.update_referral(&referral, now).await?;
        tx.insert_note(&note).await?;
        tx.append_events(&events, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "portal.reply",
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: id.as_uuid(),
                patient,
            },
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(referral_id = %id, "patient replied to a question");
        Ok(())
    }
}
