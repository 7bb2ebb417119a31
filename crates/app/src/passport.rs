//! The patient passport as a use case: the person reads theirs in the portal and adds their
//! own notes and goals; clinicians with a relationship (one of the person's referrals is in
//! their reach) read it across every service and add to it — what matters, goals, the
//! treatment plan after an appointment, structured clinical notes for the care team. Every read
//! is audited; anyone else is refused, audited as denied.

use std::collections::HashMap;

use jiff::Timestamp;
use jointly_domain::access::Permission;
use jointly_domain::appointment::{Appointment, AppointmentStatus};
use jointly_domain::communication::CommunicationProfile;
use jointly_domain::conversation::Author;
use jointly_domain::directory::Signposting;
use jointly_domain::message::treatment_plan_message;
use jointly_domain::passport::{
    About, AboutAnswers, ClinicalNote, ClinicalNoteAnswers, EntryKind, Goal, GoalStatus,
    PassportEntry, change_about, new_clinical_note, new_entry, new_goal,
};
use jointly_domain::patient::Patient;
use jointly_domain::surgery::DecisionConversation;
use jointly_domain::{
    AppointmentId, ClinicalNoteId, DomainError, GoalId, PassportEntryId, PatientId, StaffUserId,
};
use jointly_store::{AuditAction, AuditOutcome, PatientReferralView, SlotView, StoreError};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// One moment in the person's care, oldest first in the timeline.
#[derive(Clone, Debug)]
pub enum TimelineItem {
    /// A referral arrived (the start of an episode of care).
    Referred(PatientReferralView),
    /// A referral was accepted into a service (a transfer, when it is the second service).
    Accepted(PatientReferralView, Timestamp),
    /// An appointment, at its time, with its state now.
    Appointment(Appointment, SlotView),
    /// The person's note, or a treatment plan.
    Entry(PassportEntry),
    /// A clinical note (only in the care team's view).
    ClinicalNote(ClinicalNote),
    /// Care in a service finished.
    Discharged(PatientReferralView, Timestamp),
    /// A clinician signposted or referred the person to a community service or a page.
    Signposted(Signposting),
    /// A shared decision-making conversation about surgery.
    SurgeryDecision(DecisionConversation),
}

impl TimelineItem {
    /// When it happened.
    pub fn at(&self) -> Timestamp {
        match self {
            Self::Referred(view) => view.referral.received_at,
            Self::Accepted(_, at) | Self::Discharged(_, at) => *at,
            Self::Appointment(_, slot) => slot.slot.start,
            Self::Entry(entry) => entry.at,
            Self::ClinicalNote(note) => note.at,
            Self::Signposted(signposting) => signposting.at,
            Self::SurgeryDecision(decision) => decision.at,
        }
    }
}

/// Everything the passport shows.
#[derive(Clone, Debug)]
pub struct PassportView {
    /// Whose passport.
    pub patient: Patient,
    /// What matters to them, and the rest of their life.
    pub about: About,
    /// Their goals.
    pub goals: Vec<Goal>,
    /// Their referrals (problems and services), newest first.
    pub referrals: Vec<PatientReferralView>,
    /// Their communication needs and preferences.
    pub communication: CommunicationProfile,
    /// The name of their key contact, when one is known.
    pub key_contact: Option<String>,
    /// The journey across every service, oldest first.
    pub timeline: Vec<TimelineItem>,
    /// Names of the staff who wrote in it.
    pub staff_names: HashMap<StaffUserId, String>,
    /// Whether the reader is the care team (and so sees clinical notes).
    pub care_team: bool,
}

impl App {
    /// `by` as the author of a passport change to `patient`: the person themselves, or staff
    /// who may see them. Anything else is "not found", audited as denied.
    pub(crate) async fn passport_author(
        &self,
        by: &Principal,
        patient: PatientId,
        route: &'static str,
    ) -> Result<Author, AppError> {
        let author = match by {
            Principal::Patient { id, .. } if *id == patient => Some(Author::Patient(*id)),
            Principal::Patient { .. } => None,
            Principal::Staff { id, .. } => self
                .staff_may_see_patient(by, patient)
                .await?
                .then_some(Author::Staff(*id)),
            Principal::Anonymous => return Err(AppError::NotSignedIn),
            _ => return Err(AppError::Forbidden),
        };
        if author.is_none() {
            self.audit_passport(by, patient, route, AuditOutcome::Denied)
                .await?;
        }
        author.ok_or(AppError::NotFound)
    }

    pub(crate) async fn audit_passport(
        &self,
        by: &Principal,
        patient: PatientId,
        route: &'static str,
        outcome: AuditOutcome,
    ) -> Result<(), AppError> {
        self.store
            .record_audit(&[by.audit(
                self.clock.now(),
                AuditAction::Read,
                route,
                outcome,
                Audited {
                    entity: "passport",
                    id: patient.as_uuid(),
                    patient,
                },
            )])
            .await?;
        Ok(())
    }

    /// Opens part of a person's record for reading (`route`, such as `exercises.view`): who
    /// `by` is as an author (the person, or staff with a relationship) and the patient. The
    /// read is audited; anyone else gets "not found", audited as denied.
    pub(crate) async fn read_record(
        &self,
        by: &Principal,
        patient_id: PatientId,
        route: &'static str,
    ) -> Result<(Author, Patient), AppError> {
        let author = self.passport_author(by, patient_id, route).await?;
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.audit_passport(by, patient_id, route, AuditOutcome::Allowed)
            .await?;
        Ok((author, patient))
    }

    /// The signed-in patient's own passport (without the care team's clinical notes).
    pub async fn own_passport(&self, by: &Principal) -> Result<PassportView, AppError> {
        let patient = by.patient()?;
        self.passport(by, patient).await
    }

    /// A patient's passport: their own, or for staff with a relationship, with clinical notes.
    /// The read is audited.
    pub async fn passport(
        &self,
        by: &Principal,
        patient_id: PatientId,
    ) -> Result<PassportView, AppError> {
        let system = matches!(by, Principal::System { .. });
        let care_team = if system {
            // A connected system sees the summary, never the care team's clinical notes; the
            // read is audited as the check is made.
            self.system_may_see(
                by,
                jointly_domain::scope::ScopedResource::CarePlan,
                jointly_domain::scope::ScopeAccess::Read,
                patient_id,
                ("passport", patient_id.as_uuid(), "fhir.care_plan.read"),
            )
            .await?;
            false
        } else {
            let author = self
                .passport_author(by, patient_id, "passport.view")
                .await?;
            matches!(author, Author::Staff(_))
        };
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let about = self.store.passport_about(patient_id).await?;
        let goals = self.store.passport_goals(patient_id).await?;
        let referrals = self.store.referrals_for_patient(patient_id).await?;
        let appointments = self.store.appointments_for_patient(patient_id).await?;
        let entries = self.store.passport_entries(patient_id).await?;
        let notes = if care_team {
            self.store.clinical_notes(patient_id).await?
        } else {
            Vec::new()
        };
        let communication = self.store.communication_profile(patient_id).await?;
        let signpostings = self.store.signpostings(patient_id).await?;
        let decisions = self.store.surgery_decisions_for_patient(patient_id).await?;

        let mut timeline = Vec::new();
        for view in &referrals {
            timeline.push(TimelineItem::Referred(view.clone()));
            if let (Some(at), Some(_)) = (view.referral.triaged_at, view.referral.service_id) {
                timeline.push(TimelineItem::Accepted(view.clone(), at));
            }
            if let Some(at) = view.referral.discharged_at {
                timeline.push(TimelineItem::Discharged(view.clone(), at));
            }
        }
        timeline.extend(
            appointments
                .into_iter()
                .map(|(a, slot)| TimelineItem::Appointment(a, slot)),
        );
        timeline.extend(entries.into_iter().map(TimelineItem::Entry));
        timeline.extend(notes.into_iter().map(TimelineItem::ClinicalNote));
        timeline.extend(signpostings.into_iter().map(TimelineItem::Signposted));
        timeline.extend(decisions.into_iter().map(TimelineItem::SurgeryDecision));
        timeline.sort_by_key(TimelineItem::at);

        // The names of staff who wrote, and of the key contact (who took the latest referral
        // on, until the passport names another).
        let mut wanted: Vec<StaffUserId> = timeline
            .iter()
            .filter_map(|item| match item {
                TimelineItem::Entry(PassportEntry {
                    author: Author::Staff(id),
                    ..
                }) => Some(*id),
                TimelineItem::ClinicalNote(note) => Some(note.author),
                TimelineItem::Signposted(signposting) => Some(signposting.by),
                TimelineItem::SurgeryDecision(decision) => Some(decision.by),
                _ => None,
            })
            .chain(goals.iter().filter_map(|g| match g.set_by {
                Author::Staff(id) => Some(id),
                Author::Patient(_) => None,
            }))
            .collect();
        let key_contact_id = referrals.iter().find_map(|v| v.referral.triaged_by);
        wanted.extend(key_contact_id);
        if let Some((Author::Staff(id), _)) = about.updated {
            wanted.push(id);
        }
        wanted.sort();
        wanted.dedup();
        let mut staff_names = HashMap::new();
        for id in wanted {
            if let Some(staff) = self.store.find_staff(id).await? {
                staff_names.insert(id, staff.display_name);
            }
        }
        let key_contact = key_contact_id.and_then(|id| staff_names.get(&id).cloned());
        if !system {
            self.audit_passport(by, patient_id, "passport.view", AuditOutcome::Allowed)
                .await?;
        }
        Ok(PassportView {
            patient,
            about,
            goals,
            referrals,
            communication,
            key_contact,
            timeline,
            staff_names,
            care_team,
        })
    }

    /// Changes what matters and the holistic factors, from the version the writer saw; a
    /// change made meanwhile by someone else is refused with `passport_changed`.
    pub async fn change_passport_about(
        &self,
        by: &Principal,
        patient: PatientId,
        answers: &AboutAnswers,
    ) -> Result<About, AppError> {
        let author = self.passport_author(by, patient, "passport.about").await?;
        let current = self.store.passport_about(patient).await?;
        let now = self.clock.now();
        let about = change_about(&current, answers, author, now).map_err(|e| match e {
            DomainError::Invalid(errors)
                if errors.errors().iter().any(|e| e.problem == "stale") =>
            {
                AppError::Conflict("passport_changed")
            }
            other => other.into(),
        })?;
        let mut tx = self.store.begin().await?;
        tx.save_passport_about(patient, &about)
            .await
            .map_err(stale)?;
        tx.insert_audit(&[self.passport_audit(by, patient, "passport.about", now)])
            .await?;
        tx.commit().await?;
        Ok(about)
    }

    /// Adds a goal, set by the person or with their clinician.
    pub async fn add_goal(
        &self,
        by: &Principal,
        patient: PatientId,
        text: &str,
    ) -> Result<Goal, AppError> {
        let author = self.passport_author(by, patient, "passport.goal").await?;
        let now = self.clock.now();
        let goal = new_goal(patient, text, author, GoalId::new(), now)?;
        let mut tx = self.store.begin().await?;
        tx.insert_goal(&goal).await?;
        tx.insert_audit(&[self.passport_audit(by, patient, "passport.goal", now)])
            .await?;
        tx.commit().await?;
        Ok(goal)
    }

    /// Records where a goal stands (achieved, stopped, or working towards it again).
    pub async fn set_goal_status(
        &self,
        by: &Principal,
        id: GoalId,
        status: &str,
    ) -> Result<Goal, AppError> {
        let mut goal = self.store.find_goal(id).await?.ok_or(AppError::NotFound)?;
        self.passport_author(by, goal.patient_id, "passport.goal")
            .await?;
        let status = GoalStatus::parse(status).map_err(|problem| {
            let mut errors = jointly_domain::ValidationErrors::new();
            errors.add("status", problem);
            AppError::Invalid(errors)
        })?;
        let now = self.clock.now();
        goal.status = status;
        goal.updated_at = now;
        let mut tx = self.store.begin().await?;
        tx.update_goal_status(&goal).await?;
        tx.insert_audit(&[self.passport_audit(by, goal.patient_id, "passport.goal", now)])
            .await?;
        tx.commit().await?;
        Ok(goal)
    }

    /// The signed-in patient adds their own note to their passport.
    pub async fn add_own_note(
        &self,
        by: &Principal,
        body: &str,
    ) -> Result<PassportEntry, AppError> {
        let patient = by.patient()?;
        let now = self.clock.now();
        let entry = new_entry(
            patient,
            EntryKind::PatientNote,
            body,
            Author::Patient(patient),
            PassportEntryId::new(),
            now,
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_passport_entry(&entry).await?;
        tx.insert_audit(&[self.passport_audit(by, patient, "passport.note", now)])
            .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The appointment `id`, if `by` is a clinician who may write about it: in one of their
    /// services, and the person has arrived or been seen.
    async fn appointment_to_write_about(
        &self,
        by: &Principal,
        id: AppointmentId,
        route: &'static str,
    ) -> Result<(Appointment, StaffUserId), AppError> {
        let scope = by.staff_scope(Permission::WriteClinicalNotes)?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let (appointment, slot) = self
            .store
            .find_appointment(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !scope.services.contains(&slot.slot.service_id) {
            self.audit_passport(by, appointment.patient_id, route, AuditOutcome::Denied)
                .await?;
            return Err(AppError::NotFound);
        }
        if !matches!(
            appointment.status,
            AppointmentStatus::CheckedIn | AppointmentStatus::Attended
        ) {
            return Err(AppError::Conflict("not_seen"));
        }
        Ok((appointment, staff))
    }

    /// A clinician writes the plain-language treatment plan after an appointment; it goes in
    /// the person's passport for them and every service to read, and to the person through
    /// their own channel (a letter for someone offline), in the same transaction.
    pub async fn write_treatment_plan(
        &self,
        by: &Principal,
        appointment: AppointmentId,
        body: &str,
    ) -> Result<PassportEntry, AppError> {
        let (appointment, staff) = self
            .appointment_to_write_about(by, appointment, "passport.plan")
            .await?;
        let now = self.clock.now();
        let entry = new_entry(
            appointment.patient_id,
            EntryKind::TreatmentPlan(appointment.id),
            body,
            Author::Staff(staff),
            PassportEntryId::new(),
            now,
        )?;
        let patient = self
            .store
            .find_patient(appointment.patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        tx.insert_passport_entry(&entry).await?;
        tx.enqueue(
            &[treatment_plan_message(
                &patient,
                appointment.referral_id,
                entry.id,
            )],
            now,
        )
        .await?;
        tx.insert_audit(&[self.passport_audit(by, appointment.patient_id, "passport.plan", now)])
            .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// A clinician records a structured note of an appointment, for the care team.
    pub async fn write_clinical_note(
        &self,
        by: &Principal,
        appointment: AppointmentId,
        answers: &ClinicalNoteAnswers,
    ) -> Result<ClinicalNote, AppError> {
        let (appointment, staff) = self
            .appointment_to_write_about(by, appointment, "passport.clinical_note")
            .await?;
        let now = self.clock.now();
        let note = new_clinical_note(
            appointment.patient_id,
            appointment.id,
            answers,
            staff,
            ClinicalNoteId::new(),
            now,
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_clinical_note(&note).await?;
        tx.insert_audit(&[self.passport_audit(
            by,
            appointment.patient_id,
            "passport.clinical_note",
            now,
        )])
        .await?;
        tx.commit().await?;
        Ok(note)
    }

    pub(crate) fn passport_audit(
        &self,
        by: &Principal,
        patient: PatientId,
        route: &'static str,
        now: Timestamp,
    ) -> jointly_store::AuditRecord {
        by.audit(
            now,
            AuditAction::Update,
            route,
            AuditOutcome::Allowed,
            Audited {
                entity: "passport",
                id: patient.as_uuid(),
                patient,
            },
        )
    }
}

/// A lost race to change the passport is the same conflict as a stale version.
fn stale(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::Conflict("passport_changed"),
        other => other.into(),
    }
}
