//! Communication needs and preferences (recorded by the person or by staff caring for them),
//! the portal inbox, the staff list of people to call, undeliverable messages and delivery
//! receipts from the provider.

use jointly_domain::access::{Permission, may_view_referral};
use jointly_domain::communication::{
    CommunicationAnswers, CommunicationProfile, parse_communication,
};
use jointly_domain::patient::Patient;
use jointly_domain::{MessageId, PatientId, ReferralId};
use jointly_notify::load_context;
use jointly_store::{AuditAction, AuditOutcome, OutboxEntry, OutboxStatus, PortalMessage};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Rows shown on staff lists.
const LIST_PAGE: u32 = 200;

/// A message waiting for a member of staff to phone the person.
#[derive(Clone, Debug)]
pub struct CallToMake {
    /// The message.
    pub entry: OutboxEntry,
    /// Who to call.
    pub patient: Patient,
    /// What to say (the template's call script, in English for staff).
    pub script: Option<String>,
    /// Their needs, so the caller can meet them (an interpreter, a carer, text relay).
    pub profile: CommunicationProfile,
}

/// A patient's portal inbox.
#[derive(Clone, Debug)]
pub struct Inbox {
    /// Messages, newest first.
    pub messages: Vec<PortalMessage>,
    /// How many are unread.
    pub unread: u32,
}

/// What a provider's delivery receipt changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptOutcome {
    /// Recorded against the message.
    Recorded,
    /// The provider could not deliver for good: the next channel will be tried.
    FallingBack,
    /// No message has that reference.
    Unknown,
}

impl App {
    /// The signed-in patient's own communication needs and preferences.
    pub async fn own_communication(
        &self,
        by: &Principal,
    ) -> Result<CommunicationProfile, AppError> {
        let patient = by.patient()?;
        Ok(self.store.communication_profile(patient).await?)
    }

    /// Records the signed-in patient's needs and preferences. Nothing changes unless all of
    /// it is valid.
    pub async fn set_own_communication(
        &self,
        by: &Principal,
        answers: &CommunicationAnswers,
    ) -> Result<CommunicationProfile, AppError> {
        let patient = by.patient()?;
        self.save_communication(by, patient, answers, "communication.own")
            .await
    }

    /// Records needs and preferences for the person a referral is about, by staff with a
    /// legitimate relationship to the referral (anyone else is told it does not exist).
    pub async fn set_communication_for_referral(
        &self,
        by: &Principal,
        referral: ReferralId,
        answers: &CommunicationAnswers,
    ) -> Result<CommunicationProfile, AppError> {
        let scope = by.staff_scope(Permission::ViewReferral)?;
        let referral = self
            .store
            .find_referral(referral)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may_view_referral(scope, &referral) {
            self.store
                .record_audit(&[by.audit(
                    self.clock.now(),
                    AuditAction::Update,
                    "communication.staff",
                    AuditOutcome::Denied,
                    Audited {
                        entity: "communication_profile",
                        id: referral.patient_id.as_uuid(),
                        patient: referral.patient_id,
                    },
                )])
                .await?;
            return Err(AppError::NotFound);
        }
        self.save_communication(by, referral.patient_id, answers, "communication.staff")
            .await
    }

    async fn save_communication(
        &self,
        by: &Principal,
        patient: PatientId,
        answers: &CommunicationAnswers,
        route: &'static str,
    ) -> Result<CommunicationProfile, AppError> {
        let now = self.clock.now();
        let profile = parse_communication(answers, now)?;
        let mut tx = self.store.begin().await?;
        tx.set_communication_profile(patient, &profile, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            route,
            AuditOutcome::Allowed,
            Audited {
                entity: "communication_profile",
                id: patient.as_uuid(),
                patient,
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Raises a task to review the communication needs of everyone whose yearly review is
    /// due (the standard's sixth step), on their most recent referral. Each is asked for once:
    /// the review date moves on a month until staff record the needs again.
    pub async fn raise_communication_reviews(&self) -> Result<usize, AppError> {
        use jiff::ToSpan;
        use jointly_domain::task::{Task, TaskKind};
        let now = self.clock.now();
        let today = jointly_domain::local_date(now);
        let mut raised = 0;
        for patient in self.store.communication_reviews_due(today, 200).await? {
            let later = today
                .checked_add(30.days())
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let latest = self
                .store
                .referrals_for_patient(patient)
                .await?
                .into_iter()
                .map(|v| v.referral)
                .max_by_key(|r| r.received_at);
            let mut tx = self.store.begin().await?;
            if let Some(referral) = latest {
                let (task, event) =
                    Task::raise(TaskKind::CommunicationNeeds, referral.id, patient, now);
                tx.insert_tasks(&[task], now).await?;
                tx.append_events(&[event], now).await?;
                raised += 1;
            }
            tx.postpone_communication_review(patient, later, now)
                .await?;
            tx.commit().await?;
        }
        Ok(raised)
    }

    /// The signed-in patient's inbox.
    pub async fn inbox(&self, by: &Principal) -> Result<Inbox, AppError> {
        let patient = by.patient()?;
        Ok(Inbox {
            messages: self.store.portal_messages(patient, LIST_PAGE).await?,
            unread: self.store.unread_portal_messages(patient).await?,
        })
    }

    /// Marks one of the signed-in patient's inbox messages as read.
    pub async fn read_inbox_message(&self, by: &Principal, id: MessageId) -> Result<(), AppError> {
        let patient = by.patient()?;
        let mut tx = self.store.begin().await?;
        let found = tx
            .mark_portal_message_read(patient, id, self.clock.now())
            .await?;
        tx.commit().await?;
        if found {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Messages only a phone call can deliver, oldest first, with what to say. Each person
    /// shown is audited.
    pub async fn calls_to_make(&self, by: &Principal) -> Result<Vec<CallToMake>, AppError> {
        by.require(Permission::WorkTasks)?;
        let entries = self
            .store
            .messages_with_status(OutboxStatus::AwaitingCall, LIST_PAGE)
            .await?;
        let now = self.clock.now();
        let mut calls = Vec::with_capacity(entries.len());
        let mut audit = Vec::new();
        for entry in entries {
            let Ok(context) = load_context(&self.store, &entry, now).await else {
                continue;
            };
            let script = self
                .renderer
                .render(
                    &entry,
                    &context,
                    jointly_domain::contact::ContactChannel::Telephone,
                )
                .ok()
                .map(|m| m.body);
            audit.push(by.audit(
                now,
                AuditAction::Read,
                "calls.list",
                AuditOutcome::Allowed,
                Audited {
                    entity: "message",
                    id: entry.id.as_uuid(),
                    patient: context.patient.id,
                },
            ));
            calls.push(CallToMake {
                entry,
                patient: context.patient,
                script,
                profile: context.profile,
            });
        }
        self.store.record_audit(&audit).await?;
        Ok(calls)
    }

    /// Records a call from the list: reached (the message is delivered) or not (it stays).
    pub async fn record_call(
        &self,
        by: &Principal,
        id: MessageId,
        reached: bool,
    ) -> Result<(), AppError> {
        by.require(Permission::WorkTasks)?;
        let entry = self
            .store
            .find_message(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        if !self.store.record_call(id, reached, now).await? {
            return Err(AppError::Conflict("not-awaiting-call"));
        }
        if let Some(patient) = entry.about {
            self.store
                .record_audit(&[by.audit(
                    now,
                    AuditAction::Update,
                    "calls.record",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "message",
                        id: id.as_uuid(),
                        patient,
                    },
                )])
                .await?;
        }
        Ok(())
    }

    /// Messages that could not be delivered at all, oldest first.
    pub async fn undeliverable(&self, by: &Principal) -> Result<Vec<OutboxEntry>, AppError> {
        by.require(Permission::ViewOutbox)?;
        Ok(self
            .store
            .messages_with_status(OutboxStatus::Dead, LIST_PAGE)
            .await?)
    }

    /// Sends an undeliverable message again from its first channel (after the cause, such as
    /// a wrong number, is fixed).
    pub async fn resend(&self, by: &Principal, id: MessageId) -> Result<(), AppError> {
        by.require(Permission::ViewOutbox)?;
        let entry = self
            .store
            .find_message(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        if !self.store.resend_message(id, now).await? {
            return Err(AppError::Conflict("not-undeliverable"));
        }
        if let Some(patient) = entry.about {
            self.store
                .record_audit(&[by.audit(
                    now,
                    AuditAction::Update,
                    "outbox.resend",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "message",
                        id: id.as_uuid(),
                        patient,
                    },
                )])
                .await?;
        }
        Ok(())
    }

    /// Checks the bearer token a provider sent with a callback.
    pub fn check_receipt_token(&self, token: &str) -> Result<(), AppError> {
        use sha2::{Digest, Sha256};
        let expected = self
            .settings
            .receipt_token
            .as_deref()
            .ok_or(AppError::NotSignedIn)?;
        // Comparing digests keeps the comparison's time independent of the token.
        if Sha256::digest(token.as_bytes()) == Sha256::digest(expected.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::NotSignedIn)
        }
    }

    /// Records a provider's delivery receipt, sent with the agreed bearer token. A permanent
    /// failure (for example a number that does not exist) sends the message on by the
    /// person's next channel.
    pub async fn record_delivery_receipt(
        &self,
        token: &str,
        reference: &str,
        status: &str,
    ) -> Result<ReceiptOutcome, AppError> {
        self.check_receipt_token(token)?;
        if !matches!(
            status,
            "delivered" | "permanent-failure" | "temporary-failure" | "technical-failure"
        ) {
            return Err(jointly_domain::DomainError::field(
                "status",
                jointly_domain::Invalid("choose"),
            )
            .into());
        }
        let now = self.clock.now();
        let Some(entry) = self
            .store
            .record_delivery_receipt(reference, status, now)
            .await?
        else {
            return Ok(ReceiptOutcome::Unknown);
        };
        let to_patient = matches!(
            entry.recipient,
            jointly_domain::message::Recipient::Patient(_)
        );
        if status == "permanent-failure" && to_patient {
            self.store
                .fall_back_message(entry.id, entry.channel, "permanent-failure", now)
                .await?;
            return Ok(ReceiptOutcome::FallingBack);
        }
        Ok(ReceiptOutcome::Recorded)
    }
}
