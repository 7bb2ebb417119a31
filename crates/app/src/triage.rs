//! Clinician triage: the queue (most urgent first, then longest waiting), a referral on one
//! screen, and what a triage clinician does with it: accept into a service (a reason when
//! overriding the digital triage), give advice (to the person, or advice and guidance to a
//! professional referrer), ask the person a question, and mark it for the MDT meeting.

use jointly_domain::access::{Permission, may_view_referral};
use jointly_domain::event::DomainEvent;
use jointly_domain::intake::{Referrer, ReferringOrganisation};
use jointly_domain::message::{Audiences, messages_for, question_message};
use jointly_domain::pathway::Route;
use jointly_domain::patient::Patient;
use jointly_domain::referral::{FreeText, Priority, ProblemArea, Referral, TriageDecision};
use jointly_domain::service::{Service, ServiceKind};
use jointly_domain::task::Task;
use jointly_domain::{Invalid, NoteId, ReferralId, ServiceId, ValidationErrors};
use jointly_store::{
    AuditAction, AuditOutcome, Note, NoteKind, PatientReferralView, QueueFilter, TriageQueueItem,
};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Most referrals shown in the triage queue at once.
const QUEUE_PAGE: u32 = 200;

/// A referral opened by a member of staff: everything needed to triage it on one screen.
#[derive(Clone, Debug)]
pub struct StaffReferralView {
    /// The person's communication needs and preferences (flagged on every staff view).
    pub communication: jointly_domain::communication::CommunicationProfile,
    /// Every message queued for or about the person, newest first.
    pub messages: Vec<jointly_store::OutboxEntry>,
    /// The referral.
    pub referral: Referral,
    /// The patient.
    pub patient: Patient,
    /// The service it was routed to, if triaged.
    pub service_name: Option<String>,
    /// Services it can be routed to.
    pub services: Vec<Service>,
    /// The referring organisation, for a professional's referral.
    pub organisation: Option<ReferringOrganisation>,
    /// What happened to it, oldest first.
    pub history: Vec<DomainEvent>,
    /// Questions, replies and repeat referrals, oldest first.
    pub notes: Vec<Note>,
    /// Tasks about it, newest first.
    pub tasks: Vec<Task>,
    /// The person's other referrals.
    pub other_referrals: Vec<PatientReferralView>,
    /// The appointments booked for this referral, soonest first.
    pub appointments: Vec<(
        jointly_domain::appointment::Appointment,
        jointly_store::SlotView,
    )>,
    /// The decision about surgery and fitness for it: the gate to orthopaedics.
    pub surgery: crate::surgery::SurgeryReadiness,
}

/// A triage decision as submitted.
#[derive(Clone, Debug, Default)]
pub struct TriageForm {
    /// Service id.
    pub service: String,
    /// Priority code.
    pub priority: String,
    /// The clinician's reasoning (required when overriding the digital triage).
    pub note: String,
    /// The referral version the clinician looked at.
    pub version: String,
}

/// Advice instead of an appointment, as submitted.
#[derive(Clone, Debug, Default)]
pub struct AdviceForm {
    /// The advice, in words the person (or referrer) will read.
    pub advice: String,
    /// `yes` to send it to the professional who referred, as advice and guidance.
    pub to_referrer: String,
    /// Why, when this goes against the digital triage.
    pub reason: String,
    /// The referral version the clinician looked at.
    pub version: String,
}

fn version(errors: &mut ValidationErrors, input: &str) -> Option<i64> {
    errors.check(
        "version",
        input.trim().parse::<i64>().map_err(|_| Invalid("format")),
    )
}

impl App {
    /// Referrals awaiting triage, most urgent first, then longest waiting; optionally only
    /// one suggested route or body area. Every patient shown is audited.
    pub async fn triage_queue(
        &self,
        by: &Principal,
        route: Option<Route>,
        area: Option<ProblemArea>,
    ) -> Result<Vec<TriageQueueItem>, AppError> {
        by.require(Permission::TriageReferrals)?;
        let queue = self
            .store
            .triage_queue(&QueueFilter { route, area }, QUEUE_PAGE)
            .await?;
        let now = self.clock.now();
        let audit: Vec<_> = queue
            .iter()
            .map(|item| {
                let r = &item.referral;
                by.audit(
                    now,
                    AuditAction::Read,
                    "triage.queue",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "referral",
                        id: r.id.as_uuid(),
                        patient: r.patient_id,
                    },
                )
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(queue)
    }

    /// Opens a referral for a member of staff with a legitimate relationship to it. Anyone
    /// else gets "not found", and the attempt is audited as denied.
    pub async fn referral_for_staff(
        &self,
        by: &Principal,
        id: ReferralId,
    ) -> Result<StaffReferralView, AppError> {
        let scope = by.staff_scope(Permission::ViewReferral)?;
        let referral = self
            .store
            .find_referral(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let allowed = may_view_referral(scope, &referral);
        let outcome = if allowed {
            AuditOutcome::Allowed
        } else {
            AuditOutcome::Denied
        };
        self.store
            .record_audit(&[by.audit(
                now,
                AuditAction::Read,
                "referral.view",
                outcome,
                Audited {
                    entity: "referral",
                    id: id.as_uuid(),
                    patient: referral.patient_id,
                },
            )])
            .await?;
        if !allowed {
            return Err(AppError::NotFound);
        }
        let patient = self
            .store
            .find_patient(referral.patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let services = self.store.list_services().await?;
        let service_name = referral
            .service_id
            .and_then(|s| services.iter().find(|service| service.id == s))
            .map(|s| s.name.clone());
        let organisation = match &referral.referrer {
            Some(Referrer::Professional { organisation, .. }) => {
                self.store.find_organisation(*organisation).await?
            }
            _ => None,
        };
        let other_referrals = self
            .store
            .referrals_for_patient(patient.id)
            .await?
            .into_iter()
            .filter(|r| r.referral.id != id)
            .collect();
        let appointments = self
            .store
            .appointments_for_patient(patient.id)
            .await?
            .into_iter()
            .filter(|(a, _)| a.referral_id == id)
            .collect();
        Ok(StaffReferralView {
            communication: self.store.communication_profile(patient.id).await?,
            messages: self.store.outbox_for_patient(patient.id).await?,
            appointments,
            history: self.store.events_for_referral(id).await?,
            notes: self.store.notes_for_referral(id).await?,
            tasks: self.store.tasks_for_referral(id).await?,
            surgery: self.surgery_readiness(id).await?,
            referral,
            patient,
            service_name,
            services,
            organisation,
            other_referrals,
        })
    }

    /// Opens a referral for a triage action, checking the version the clinician saw.
    async fn referral_to_change(
        &self,
        by: &Principal,
        id: ReferralId,
        version: Option<i64>,
        errors: ValidationErrors,
    ) -> Result<StaffReferralView, AppError> {
        by.require(Permission::TriageReferrals)?;
        let view = self.referral_for_staff(by, id).await?;
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if Some(view.referral.version) != version {
            return Err(AppError::Conflict("referral_changed"));
        }
        Ok(view)
    }

    /// Saves a triage action's result: the referral, its events, messages (to the person,
    /// the referrer and on-duty staff) and notes, and the audit entry, in one transaction.
    async fn record_triage(
        &self,
        by: &Principal,
        view: &StaffReferralView,
        referral: &Referral,
        events: &[DomainEvent],
        notes: &[Note],
        action: &'static str,
    ) -> Result<(), AppError> {
        let now = self.clock.now();
        let audiences = Audiences {
            referrer: view.organisation.as_ref().map(|o| o.id),
            on_duty: Vec::new(),
        };
        let mut messages: Vec<_> = events
            .iter()
            .flat_map(|e| messages_for(e, &view.patient, &audiences))
            .collect();
        messages.extend(
            notes
                .iter()
                .filter(|n| n.kind == NoteKind::Question)
                .map(|n| question_message(&view.patient, referral.id, n.id)),
        );
        let mut tx = self.store.begin().await?;
        tx.update_referral(referral, now).await?;
        for note in notes {
            tx.insert_note(note).await?;
        }
        tx.append_events(events, now).await?;
        tx.enqueue(&messages, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            action,
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: referral.id.as_uuid(),
                patient: referral.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(referral_id = %referral.id, action, "triage action recorded");
        Ok(())
    }

    /// Accepts a referral into a service with a priority. Choosing differently from the
    /// digital triage needs a reason. If someone else changed it since the form was opened,
    /// nothing changes.
    pub async fn accept_referral(
        &self,
        by: &Principal,
        id: ReferralId,
        form: &TriageForm,
    ) -> Result<Referral, AppError> {
        let services = self.store.list_services().await?;
        let mut errors = ValidationErrors::new();
        let service = errors.check(
            "service",
            form.service
                .parse::<ServiceId>()
                .ok()
                .and_then(|s| services.iter().find(|service| service.id == s))
                .ok_or(Invalid("choose")),
        );
        let priority = errors.check("priority", Priority::parse(form.priority.trim()));
        let note = errors.check("note", FreeText::parse_optional(&form.note));
        let version = version(&mut errors, &form.version);
        let view = self.referral_to_change(by, id, version, errors).await?;
        let (Some(service), Some(priority), Some(note)) = (service, priority, note) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        // Orthopaedics only for a person who chose surgery and is fit for it (or a clinician
        // overrode the checklist with a reason); the gate names what is missing.
        let ready_for_surgery = match (service.kind, view.surgery.gate) {
            (ServiceKind::Orthopaedics, Err(not_ready)) => {
                let mut errors = ValidationErrors::new();
                errors.add("service", Invalid(not_ready.as_str()));
                return Err(AppError::Invalid(errors));
            }
            (_, gate) => gate.ok(),
        };
        let mut referral = view.referral.clone();
        let events = referral.accept(
            TriageDecision {
                service_id: service.id,
                service_kind: service.kind,
                priority,
                note,
                ready_for_surgery,
            },
            by.actor(),
            self.clock.now(),
        )?;
        self.record_triage(by, &view, &referral, &events, &[], "referral.accept")
            .await?;
        Ok(referral)
    }

    /// Closes a referral with advice instead of an appointment: to the person, or as advice
    /// and guidance to the professional who referred (the person is told too).
    pub async fn give_advice(
        &self,
        by: &Principal,
        id: ReferralId,
        form: &AdviceForm,
    ) -> Result<Referral, AppError> {
        let mut errors = ValidationErrors::new();
        let advice = errors.check("advice", FreeText::parse(&form.advice));
        let reason = errors.check("reason", FreeText::parse_optional(&form.reason));
        let to_referrer = match form.to_referrer.trim() {
            "yes" => true,
            "" | "no" => false,
            _ => {
                errors.add("to_referrer", Invalid("choose"));
                false
            }
        };
        let version = version(&mut errors, &form.version);
        let view = self.referral_to_change(by, id, version, errors).await?;
        let (Some(advice), Some(reason)) = (advice, reason) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let mut referral = view.referral.clone();
        let events = referral
            .give_advice(advice, to_referrer, reason, by.actor(), self.clock.now())
            .map_err(|e| match e {
                // The form names the reason field "reason"; the domain calls it the note.
                jointly_domain::DomainError::Invalid(found)
                    if found.for_field("note").is_some() =>
                {
                    let mut errors = ValidationErrors::new();
                    errors.add("reason", Invalid("reason-required"));
                    AppError::Invalid(errors)
                }
                other => other.into(),
            })?;
        self.record_triage(by, &view, &referral, &events, &[], "referral.advice")
            .await?;
        Ok(referral)
    }

    /// Asks the person a question; they are told by their usual channel and answer in the
    /// portal (or by phone, recorded by staff).
    pub async fn ask_patient(
        &self,
        by: &Principal,
        id: ReferralId,
        question: &str,
        version_seen: &str,
    ) -> Result<Referral, AppError> {
        let mut errors = ValidationErrors::new();
        let question = errors.check("question", FreeText::parse(question));
        let version = version(&mut errors, version_seen);
        let view = self.referral_to_change(by, id, version, errors).await?;
        let Some(question) = question else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let now = self.clock.now();
        let mut referral = view.referral.clone();
        let events = referral.ask_patient(by.actor(), now)?;
        let note = Note {
            id: NoteId::new(),
            referral_id: id,
            patient_id: referral.patient_id,
            kind: NoteKind::Question,
            body: question,
            author: by.actor(),
            created_at: now,
        };
        self.record_triage(by, &view, &referral, &events, &[note], "referral.question")
            .await?;
        Ok(referral)
    }

    /// Marks a referral for discussion at the multidisciplinary team meeting.
    pub async fn request_mdt(
        &self,
        by: &Principal,
        id: ReferralId,
        version_seen: &str,
    ) -> Result<Referral, AppError> {
        let mut errors = ValidationErrors::new();
        let version = version(&mut errors, version_seen);
        let view = self.referral_to_change(by, id, version, errors).await?;
        let mut referral = view.referral.clone();
        let events = referral.request_mdt(by.actor(), self.clock.now())?;
        self.record_triage(by, &view, &referral, &events, &[], "referral.mdt")
            .await?;
        Ok(referral)
    }
}
