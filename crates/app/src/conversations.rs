//! Secure messaging between a patient and their care team. A patient starts a conversation
//! (it goes to their key contact, the clinician who took their referral on) or replies in their
//! own; staff with a relationship to the patient read, reply and hand conversations on. Every
//! staff read is audited; a reply from the team tells the patient by their own channel that a
//! message is waiting, never what it says. Open pages hear of new messages through
//! [`App::watch_conversation`].

use std::collections::HashMap;

use jointly_domain::access::{Permission, Role, may_view_referral};
use jointly_domain::conversation::{
    AttachmentMeta, AttachmentUpload, Author, Conversation, ConversationMessage, Side,
    check_message, check_subject,
};
use jointly_domain::error::{DomainError, Invalid, ValidationErrors};
use jointly_domain::message::care_team_message;
use jointly_domain::{AttachmentId, ConversationId, ConversationMessageId, PatientId, StaffUserId};
use jointly_store::{AuditAction, AuditOutcome, ConversationSummary};
use tokio::sync::broadcast;

use crate::principal::Audited;
use crate::{App, AppError, Principal};

/// A conversation opened for reading: its messages and the names staff are shown by.
#[derive(Clone, Debug)]
pub struct ConversationView {
    /// The conversation.
    pub conversation: Conversation,
    /// The patient's name.
    pub patient_name: String,
    /// Its messages, oldest first.
    pub messages: Vec<ConversationMessage>,
    /// Staff names by id, for authors and the assignee.
    pub staff_names: HashMap<StaffUserId, String>,
}

impl ConversationView {
    /// How an author is named: staff by name, the patient by theirs.
    pub fn author_name(&self, author: Author) -> String {
        match author {
            Author::Patient(_) => self.patient_name.clone(),
            Author::Staff(id) => self.staff_names.get(&id).cloned().unwrap_or_default(),
        }
    }
}

fn invalid(errors: ValidationErrors) -> AppError {
    AppError::Invalid(errors)
}

impl App {
    /// Which side `by` reads from, and as whom they write.
    fn conversation_side(by: &Principal) -> Result<(Side, Author), AppError> {
        match by {
            Principal::Patient { id, .. } => Ok((Side::Patient, Author::Patient(*id))),
            Principal::Staff { id, .. } => {
                by.staff_scope(Permission::ViewReferral)?;
                Ok((Side::CareTeam, Author::Staff(*id)))
            }
            Principal::Anonymous => Err(AppError::NotSignedIn),
            _ => Err(AppError::Forbidden),
        }
    }

    /// True when `by` (staff) may see `patient`'s record: they may view one of their referrals.
    pub(crate) async fn staff_may_see_patient(
        &self,
        by: &Principal,
        patient: PatientId,
    ) -> Result<bool, AppError> {
        let scope = by.staff_scope(Permission::ViewReferral)?;
        let referrals = self.store.referrals_for_patient(patient).await?;
        Ok(referrals
            .iter()
            .any(|view| may_view_referral(scope, &view.referral)))
    }

    /// The conversation if `by` may see it; otherwise "not found", audited as denied.
    async fn open_conversation(
        &self,
        by: &Principal,
        id: ConversationId,
        route: &'static str,
    ) -> Result<(Side, Author, Conversation), AppError> {
        let (side, author) = Self::conversation_side(by)?;
        let conversation = self
            .store
            .find_conversation(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let allowed = match author {
            Author::Patient(patient) => conversation.patient_id == patient,
            Author::Staff(_) => {
                self.staff_may_see_patient(by, conversation.patient_id)
                    .await?
            }
        };
        self.store
            .record_audit(&[by.audit(
                self.clock.now(),
                AuditAction::Read,
                route,
                if allowed {
                    AuditOutcome::Allowed
                } else {
                    AuditOutcome::Denied
                },
                Audited {
                    entity: "conversation",
                    id: id.as_uuid(),
                    patient: conversation.patient_id,
                },
            )])
            .await?;
        if !allowed {
            return Err(AppError::NotFound);
        }
        Ok((side, author, conversation))
    }

    /// The conversations `by` can answer or read, newest first, with their unread counts: a
    /// patient's own; for staff, those assigned to them or to nobody, of patients they may see.
    pub async fn conversations(
        &self,
        by: &Principal,
    ) -> Result<Vec<ConversationSummary>, AppError> {
        let (_, author) = Self::conversation_side(by)?;
        match author {
            Author::Patient(patient) => Ok(self.store.conversations_for_patient(patient).await?),
            Author::Staff(staff) => {
                let mut visible = Vec::new();
                for summary in self.store.conversations_for_staff(staff).await? {
                    if self
                        .staff_may_see_patient(by, summary.conversation.patient_id)
                        .await?
                    {
                        visible.push(summary);
                    }
                }
                Ok(visible)
            }
        }
    }

    /// A patient starts a conversation with their care team. It goes to their key contact:
    /// the clinician who took their latest referral on, if any.
    pub async fn start_conversation(
        &self,
        by: &Principal,
        subject: &str,
        body: &str,
        attachment: Option<AttachmentUpload>,
    ) -> Result<ConversationId, AppError> {
        let patient_id = by.patient()?;
        let mut errors = ValidationErrors::new();
        let subject = check_subject(subject, &mut errors);
        let message = check_message(body, attachment, &mut errors);
        let (Some(subject), Some(message)) = (subject, message) else {
            return Err(invalid(errors));
        };
        let referrals = self.store.referrals_for_patient(patient_id).await?;
        let key_contact = referrals.iter().find_map(|view| view.referral.triaged_by);
        let now = self.clock.now();
        let conversation = Conversation {
            id: ConversationId::new(),
            patient_id,
            subject,
            assigned_to: key_contact,
            created_at: now,
            updated_at: now,
        };
        let (meta, content) = message.attachment.unzip();
        let first = ConversationMessage {
            id: ConversationMessageId::new(),
            conversation_id: conversation.id,
            author: Author::Patient(patient_id),
            body: message.body,
            created_at: now,
            attachment: meta,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_conversation(&conversation).await?;
        tx.add_conversation_message(&first, content.as_deref())
            .await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Create,
            "conversation.start",
            AuditOutcome::Allowed,
            Audited {
                entity: "conversation",
                id: conversation.id.as_uuid(),
                patient: patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        let _ = self.conversation_events.send(conversation.id);
        tracing::info!(conversation_id = %conversation.id, "conversation started");
        Ok(conversation.id)
    }

    /// Opens a conversation: its messages, and everything in it counts as read by `by`'s side.
    pub async fn conversation(
        &self,
        by: &Principal,
        id: ConversationId,
    ) -> Result<ConversationView, AppError> {
        let (side, _, conversation) = self.open_conversation(by, id, "conversation.read").await?;
        let messages = self.store.conversation_messages(id).await?;
        let mut tx = self.store.begin().await?;
        tx.mark_conversation_read(id, side, self.clock.now())
            .await?;
        tx.commit().await?;
        let patient_name = self
            .store
            .find_patient(conversation.patient_id)
            .await?
            .map(|p| p.name.to_string())
            .unwrap_or_default();
        let mut staff_names = HashMap::new();
        let staff_ids = messages
            .iter()
            .filter_map(|m| match m.author {
                Author::Staff(id) => Some(id),
                Author::Patient(_) => None,
            })
            .chain(conversation.assigned_to);
        for staff in staff_ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = staff_names.entry(staff)
                && let Some(user) = self.store.find_staff(staff).await?
            {
                slot.insert(user.display_name);
            }
        }
        Ok(ConversationView {
            conversation,
            patient_name,
            messages,
            staff_names,
        })
    }

    /// Adds a message. A reply from the team takes an unassigned conversation on and tells
    /// the patient, by their own channel, that a message is waiting.
    pub async fn reply_in_conversation(
        &self,
        by: &Principal,
        id: ConversationId,
        body: &str,
        attachment: Option<AttachmentUpload>,
    ) -> Result<ConversationMessageId, AppError> {
        let (_, author, conversation) =
            self.open_conversation(by, id, "conversation.reply").await?;
        let mut errors = ValidationErrors::new();
        let Some(checked) = check_message(body, attachment, &mut errors) else {
            return Err(invalid(errors));
        };
        let now = self.clock.now();
        let (meta, content) = checked.attachment.unzip();
        let message = ConversationMessage {
            id: ConversationMessageId::new(),
            conversation_id: id,
            author,
            body: checked.body,
            created_at: now,
            attachment: meta,
        };
        let mut tx = self.store.begin().await?;
        tx.add_conversation_message(&message, content.as_deref())
            .await?;
        if let Author::Staff(staff) = author {
            if conversation.assigned_to.is_none() {
                tx.assign_conversation(id, staff).await?;
            }
            let patient = self
                .store
                .find_patient(conversation.patient_id)
                .await?
                .ok_or(AppError::NotFound)?;
            tx.enqueue(&[care_team_message(&patient, message.id)], now)
                .await?;
        }
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Create,
            "conversation.reply",
            AuditOutcome::Allowed,
            Audited {
                entity: "conversation",
                id: id.as_uuid(),
                patient: conversation.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        let _ = self.conversation_events.send(id);
        Ok(message.id)
    }

    /// Hands a conversation to another member of the care team (a clinician, triage clinician
    /// or coordinator who may see the patient).
    pub async fn assign_conversation(
        &self,
        by: &Principal,
        id: ConversationId,
        to: StaffUserId,
    ) -> Result<(), AppError> {
        let (_, author, conversation) = self
            .open_conversation(by, id, "conversation.assign")
            .await?;
        if !matches!(author, Author::Staff(_)) {
            return Err(AppError::Forbidden);
        }
        let target = self.store.find_staff(to).await?;
        let suitable = target.as_ref().is_some_and(|staff| {
            matches!(
                staff.role,
                Role::TriageClinician | Role::Clinician | Role::Coordinator
            )
        });
        if !suitable {
            return Err(DomainError::field("staff_id", Invalid("choose")).into());
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.assign_conversation(id, to).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "conversation.assign",
            AuditOutcome::Allowed,
            Audited {
                entity: "conversation",
                id: id.as_uuid(),
                patient: conversation.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An attachment in a conversation `by` may see (audited).
    pub async fn conversation_attachment(
        &self,
        by: &Principal,
        id: ConversationId,
        attachment: AttachmentId,
    ) -> Result<(AttachmentMeta, Vec<u8>), AppError> {
        self.open_conversation(by, id, "conversation.attachment")
            .await?;
        match self.store.conversation_attachment(attachment).await? {
            Some((conversation, meta, content)) if conversation == id => Ok((meta, content)),
            _ => Err(AppError::NotFound),
        }
    }

    /// New messages in a conversation `by` may see, as they are written (for an open page).
    pub async fn watch_conversation(
        &self,
        by: &Principal,
        id: ConversationId,
    ) -> Result<ConversationWatch, AppError> {
        self.open_conversation(by, id, "conversation.watch").await?;
        Ok(ConversationWatch {
            id,
            events: self.conversation_events.subscribe(),
            closing: self.streams_closing.subscribe(),
        })
    }

    /// Ends every open watch, so a server shutting down is not held open by pages that are
    /// listening.
    pub fn close_streams(&self) {
        let _ = self.streams_closing.send(true);
    }
}

/// One open page's view of a conversation's new messages.
pub struct ConversationWatch {
    id: ConversationId,
    events: broadcast::Receiver<ConversationId>,
    closing: tokio::sync::watch::Receiver<bool>,
}

impl ConversationWatch {
    /// Waits for the conversation's next new message: true when there is one (or the watch
    /// fell behind and should look again), false when the server is closing.
    pub async fn next(&mut self) -> bool {
        loop {
            if *self.closing.borrow() {
                return false;
            }
            tokio::select! {
                changed = self.closing.changed() => {
                    if changed.is_err() {
                        return false;
                    }
                }
                event = self.events.recv() => match event {
                    Ok(changed) if changed == self.id => return true,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => return true,
                    Err(broadcast::error::RecvError::Closed) => return false,
                },
            }
        }
    }
}
