//! The front door: one way in for every route (the person or their carer online, staff on
//! the phone, a professional's form or system). Each submission is checked whole, triaged by
//! the pathway, matched to anyone we already know, and recorded with its events, tasks,
//! messages and audit in one transaction.

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use jointly_domain::access::Permission;
use jointly_domain::communication::{
    CommunicationAnswers, CommunicationNeeds, CommunicationProfile, parse_communication,
};
use jointly_domain::event::Actor;
use jointly_domain::intake::{
    CarerAnswers, PersonAnswers, PersonMatch, ProfessionalAnswers, Referrer, ReferringOrganisation,
    changed_contact, match_person, parse_carer, parse_person, parse_professional,
};
use jointly_domain::message::{Audiences, messages_for};
use jointly_domain::pathway::{DigitalTriage, Disposition};
use jointly_domain::patient::Language;
use jointly_domain::patient::{Patient, age_on};
use jointly_domain::questionnaire::{
    Answer, Answers, ItemError, QuestionnaireResponse, answer_step, answers_from_text,
    answers_given,
};
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
    ReferralStatus,
};
use jointly_domain::service::ServiceKind;
use jointly_domain::task::{Task, TaskKind};
use jointly_domain::waiting::{THROUGHPUT_WEEKS, WaitRange, estimate_wait};
use jointly_domain::{
    DomainError, DraftId, Invalid, NoteId, OrganisationId, PatientId, ReferralId, ValidationErrors,
    local_date,
};
use jointly_store::{AuditAction, AuditOutcome, Note, NoteKind, StoreError};
use serde::{Deserialize, Serialize};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// How many times to draw a new reference if one collides (1 in 34 billion per draw).
const REFERENCE_ATTEMPTS: usize = 5;

/// Everything a route collects, exactly as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Intake {
    /// The person the referral is for.
    pub person: PersonAnswers,
    /// A carer referring on their behalf, if any.
    pub carer: Option<CarerAnswers>,
    /// The referring professional, for a professional's referral.
    pub professional: Option<ProfessionalAnswers>,
    /// Answers to the questionnaire, as text per question id.
    pub answers: BTreeMap<String, String>,
    /// Coded communication needs and contact preferences, when the route asks for them (the
    /// API, or staff on the phone); otherwise the person's own words are recorded and a task
    /// asks staff to code them.
    pub communication: Option<CommunicationAnswers>,
}

/// Which way a referral came in.
#[derive(Clone, Debug)]
pub enum IntakeRoute {
    /// The person, or a carer for them, online.
    Online,
    /// Staff answering the questions with the person on the phone.
    Phone,
    /// A professional through the web form; their organisation code must be registered.
    ProfessionalForm,
    /// A referring organisation's own system, already identified by its API key.
    ProfessionalApi(ReferringOrganisation),
}

impl IntakeRoute {
    fn source(&self) -> ReferralSource {
        match self {
            Self::Online => ReferralSource::SelfReferral,
            Self::Phone => ReferralSource::Phone,
            Self::ProfessionalForm | Self::ProfessionalApi(_) => ReferralSource::Professional,
        }
    }

    fn audit_route(&self) -> &'static str {
        match self {
            Self::Online => "referral.self",
            Self::Phone => "referral.phone",
            Self::ProfessionalForm => "referral.professional",
            Self::ProfessionalApi(_) => "referral.api",
        }
    }
}

/// What the person (or referrer) is told at once.
#[derive(Clone, Debug)]
pub struct IntakeReceipt {
    /// The referral.
    pub referral_id: ReferralId,
    /// The reference to quote.
    pub reference: ReferralReference,
    /// Where the problem is, for self-help while waiting.
    pub area: ProblemArea,
    /// What the digital triage decided and why.
    pub triage: DigitalTriage,
    /// True when the answers joined a referral already open for the same problem.
    pub joined_existing: bool,
    /// Where the referral stands: awaiting triage when new; one joined may be further on.
    pub status: ReferralStatus,
    /// The expected wait for a first appointment, when there is history to go on.
    pub wait: Option<WaitRange>,
}

/// A submission that passed every check.
struct Checked {
    patient: Patient,
    referrer: Option<Referrer>,
    answers: Answers,
    area: ProblemArea,
    description: Option<FreeText>,
    age: i64,
}

/// Where a checked submission goes.
enum Placement {
    /// A new referral; `known` when the person is already on record.
    New {
        known: bool,
        duplicate_of: Option<ReferralId>,
    },
    /// The answers join this open referral for the same person and problem.
    Join(Box<Referral>),
}

/// A note for staff of contact details given that differ from the record and were not used.
fn contact_check_note(
    referral: &Referral,
    patient: &Patient,
    unconfirmed: &[(&'static str, String)],
    author: Actor,
    now: Timestamp,
) -> Result<Note, AppError> {
    let given: Vec<String> = unconfirmed
        .iter()
        .map(|(field, value)| format!("{field}: {value}"))
        .collect();
    let body = format!(
        "This referral gave contact details that differ from the record, so they were not used: {}. \
         Confirm with the person (using the details on record) before changing anything.",
        given.join("; ")
    );
    Ok(Note {
        id: NoteId::new(),
        referral_id: referral.id,
        patient_id: patient.id,
        kind: NoteKind::ContactCheck,
        body: FreeText::parse(&body).map_err(|e| AppError::Internal(e.to_string()))?,
        author,
        created_at: now,
    })
}

/// How much of the questionnaire a submission answers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Answered<'a> {
    /// Every step: a finished referral.
    All,
    /// The steps up to and including this one: an online referral sent early by a red flag.
    UpTo(&'a str),
    /// The steps before this one and the valid answers on it: a red flag found before the
    /// person finished the step, which must not wait for the rest.
    PartOf(&'a str),
}

/// Adds item problems to `errors`, named by question id.
pub(crate) fn item_errors(errors: &mut ValidationErrors, items: Vec<ItemError>) {
    for item in items {
        errors.add_named(item.link_id, Invalid(item.problem));
    }
}

fn invalid(error: DomainError, errors: &mut ValidationErrors) -> Result<(), AppError> {
    match error {
        DomainError::Invalid(found) => {
            errors.extend(found);
            Ok(())
        }
        other => Err(other.into()),
    }
}

impl App {
    /// Checks the answers to as much of the questionnaire as `answered` says (all of it, with
    /// unknown questions refused, for a finished referral).
    pub(crate) fn check_answers_upto(
        &self,
        raw: &BTreeMap<String, String>,
        answered: Answered<'_>,
    ) -> Result<Answers, Vec<ItemError>> {
        let questionnaire = &self.content.questionnaire;
        let last = match answered {
            Answered::All => return answers_from_text(questionnaire, raw),
            Answered::UpTo(step) | Answered::PartOf(step) => step,
        };
        let mut answers = Answers::new();
        let mut errors = Vec::new();
        for step in &questionnaire.steps {
            if step.link_id == last && matches!(answered, Answered::PartOf(_)) {
                let given = answers_given(step, raw, &answers);
                answers.extend(given);
                break;
            }
            match answer_step(step, raw, &answers) {
                Ok(found) => answers.extend(found),
                Err(found) => errors.extend(found),
            }
            if step.link_id == last {
                break;
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }

    /// Checks a whole submission, naming every problem at once.
    async fn check_intake(
        &self,
        route: &IntakeRoute,
        intake: &Intake,
        answered: Answered<'_>,
    ) -> Result<Checked, AppError> {
        let today = local_date(self.clock.now());
        let mut errors = ValidationErrors::new();
        let patient = match parse_person(&intake.person, PatientId::new(), today) {
            Ok(patient) => Some(patient),
            Err(e) => invalid(e, &mut errors).map(|()| None)?,
        };
        let carer = match intake.carer.as_ref().map(parse_carer) {
            Some(Ok(carer)) => Some(carer),
            Some(Err(e)) => invalid(e, &mut errors).map(|()| None)?,
            None => None,
        };
        let professional = self
            .check_professional(route, intake.professional.as_ref(), &mut errors)
            .await?;
        let answers = match self.check_answers_upto(&intake.answers, answered) {
            Ok(answers) => Some(answers),
            Err(items) => {
                item_errors(&mut errors, items);
                None
            }
        };
        let area = answers.as_ref().and_then(|a| match a.get("area") {
            Some(Answer::ValueCoding(code)) => ProblemArea::parse(code).ok(),
            _ => None,
        });
        if answers.is_some() && area.is_none() {
            errors.add("area", Invalid("choose"));
        }
        let description = match answers.as_ref().and_then(|a| a.get("description")) {
            Some(Answer::ValueString(text)) => errors.check("description", FreeText::parse(text)),
            _ => None,
        };
        let (Some(patient), Some(answers), Some(area), true) =
            (patient, answers, area, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let referrer = match (carer, professional) {
            (_, Some((organisation, professional))) => Some(Referrer::Professional {
                organisation,
                professional,
            }),
            (Some(carer), None) => Some(Referrer::Carer { carer }),
            (None, None) => None,
        };
        let age = i64::from(age_on(patient.date_of_birth, today));
        Ok(Checked {
            patient,
            referrer,
            answers,
            area,
            description,
            age,
        })
    }

    /// The referring professional and their organisation, for professional routes.
    async fn check_professional(
        &self,
        route: &IntakeRoute,
        answers: Option<&ProfessionalAnswers>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<(OrganisationId, jointly_domain::intake::Professional)>, AppError> {
        let registered = match route {
            IntakeRoute::Online | IntakeRoute::Phone => return Ok(None),
            IntakeRoute::ProfessionalApi(organisation) => Some(organisation.clone()),
            IntakeRoute::ProfessionalForm => None,
        };
        let mut answers = answers.cloned().unwrap_or_default();
        if let Some(organisation) = &registered
            && answers.ods_code.trim().is_empty()
        {
            answers.ods_code = organisation.ods_code.as_str().to_owned();
        }
        let (ods, professional) = match parse_professional(&answers) {
            Ok(parsed) => parsed,
            Err(e) => return invalid(e, errors).map(|()| None),
        };
        let organisation = match registered {
            Some(organisation) if organisation.ods_code != ods => {
                errors.add("ods_code", Invalid("not-yours"));
                return Ok(None);
            }
            Some(organisation) => organisation,
            None => match self.store.find_organisation_by_ods(&ods).await? {
                Some(organisation) if organisation.active => organisation,
                _ => {
                    errors.add("ods_code", Invalid("not-registered"));
                    return Ok(None);
                }
            },
        };
        Ok(Some((organisation.id, professional)))
    }

    /// Finds the person among those we know: the same person (their record is reused), or
    /// perhaps the same (a new record, flagged for staff). Only a `trusted` route (staff on the
    /// phone, or a referring organisation's own system) may change a known person's contact
    /// details; from any other, details that differ are returned for staff to confirm.
    async fn place(
        &self,
        new: &Patient,
        area: ProblemArea,
        trusted: bool,
    ) -> Result<(Patient, Placement, Vec<(&'static str, String)>), AppError> {
        let mut candidates = self
            .store
            .find_patients_by_birth_and_family(new.date_of_birth, new.name.family.as_str())
            .await?;
        if let Some(nhs) = &new.nhs_number
            && let Some(known) = self.store.find_patient_by_nhs_number(nhs).await?
            && candidates.iter().all(|c| c.id != known.id)
        {
            candidates.insert(0, known);
        }
        let same = candidates
            .iter()
            .find(|known| match_person(known, new) == PersonMatch::Same);
        if let Some(known) = same {
            let (contact, unconfirmed) = if trusted {
                (new, Vec::new())
            } else {
                (known, changed_contact(known, new))
            };
            let updated = Patient {
                id: known.id,
                nhs_number: known.nhs_number.or(new.nhs_number),
                name: known.name.clone(),
                date_of_birth: known.date_of_birth,
                sex: known.sex,
                ethnicity: new.ethnicity.or(known.ethnicity),
                ..contact.clone()
            };
            let placement = match self.store.open_referral_for(known.id, area).await? {
                Some(open) => Placement::Join(Box::new(open)),
                None => Placement::New {
                    known: true,
                    duplicate_of: None,
                },
            };
            return Ok((updated, placement, unconfirmed));
        }
        let mut duplicate_of = None;
        for possible in candidates
            .iter()
            .filter(|known| match_person(known, new) == PersonMatch::Possible)
        {
            if let Some(open) = self.store.open_referral_for(possible.id, area).await? {
                duplicate_of = Some(open.id);
                break;
            }
        }
        Ok((
            new.clone(),
            Placement::New {
                known: false,
                duplicate_of,
            },
            Vec::new(),
        ))
    }

    /// What to record about communication at intake: coded needs given on the route are
    /// recorded as they are; otherwise, for someone with nothing recorded yet, their own words
    /// and a spoken-language interpreter (anyone who prefers a language other than English).
    /// The flag says whether staff should code or check them (a task).
    async fn communication_at_intake(
        &self,
        patient: &jointly_domain::patient::Patient,
        coded: Option<CommunicationProfile>,
        intake: &Intake,
        now: jiff::Timestamp,
    ) -> Result<(Option<CommunicationProfile>, bool), AppError> {
        if let Some(coded) = coded {
            return Ok((Some(coded), false));
        }
        let words = intake
            .answers
            .get("communication")
            .map(|w| w.trim().to_owned())
            .filter(|w| !w.is_empty());
        let other_language =
            (patient.preferred_language != Language::ENGLISH).then_some(patient.preferred_language);
        if words.is_none() && other_language.is_none() {
            return Ok((None, false));
        }
        let existing = self.store.communication_profile(patient.id).await?;
        if !existing.needs.is_empty() {
            // Already recorded: new words still need a look, but nothing is overwritten.
            return Ok((None, words.is_some()));
        }
        let profile = CommunicationProfile {
            needs: CommunicationNeeds {
                needs: Vec::new(),
                interpreter_language: other_language,
                details: words,
            },
            reviewed_at: Some(now),
            ..existing
        };
        Ok((Some(profile), true))
    }

    /// Receives a referral by any route.
    pub async fn submit_intake(
        &self,
        by: &Principal,
        route: IntakeRoute,
        intake: &Intake,
    ) -> Result<IntakeReceipt, AppError> {
        self.receive_intake(by, &route, intake, Answered::All, None)
            .await
    }

    pub(crate) async fn receive_intake(
        &self,
        by: &Principal,
        route: &IntakeRoute,
        intake: &Intake,
        answered: Answered<'_>,
        draft: Option<DraftId>,
    ) -> Result<IntakeReceipt, AppError> {
        let assisted_by = match route {
            IntakeRoute::Phone => {
                by.require(Permission::TakePhoneReferral)?;
                match by {
                    Principal::Staff { id, .. } => Some(*id),
                    _ => return Err(AppError::Forbidden),
                }
            }
            _ => None,
        };
        let checked = self.check_intake(route, intake, answered).await?;
        let now = self.clock.now();
        let coded = intake
            .communication
            .as_ref()
            .map(|answers| parse_communication(answers, now))
            .transpose()?;
        let content = &self.content;
        let triage = content
            .pathway
            .triage(&content.questionnaire, &checked.answers, checked.age);
        let mut response =
            QuestionnaireResponse::completed(&content.questionnaire, &checked.answers);
        if !matches!(answered, Answered::All) {
            response.status = "in-progress".into();
        }
        let trusted = matches!(route, IntakeRoute::Phone | IntakeRoute::ProfessionalApi(_));
        let (patient, placement, unconfirmed) =
            self.place(&checked.patient, checked.area, trusted).await?;
        let actor = match by {
            Principal::Anonymous
            | Principal::Patient { .. }
            | Principal::AppointmentLink { .. } => Actor::Patient(patient.id),
            Principal::Staff { .. } | Principal::Organisation { .. } | Principal::System { .. } => {
                by.actor()
            }
        };
        let referrer_org = match &checked.referrer {
            Some(Referrer::Professional { organisation, .. }) => Some(*organisation),
            _ => None,
        };
        let audiences = Audiences {
            referrer: referrer_org,
            on_duty: self.store.on_duty_triage().await?,
        };
        if matches!(triage.disposition(), Disposition::Emergency) && audiences.on_duty.is_empty() {
            tracing::warn!(
                "emergency referral with no triage clinician on duty; the staff banner shows it"
            );
        }

        for _ in 0..REFERENCE_ATTEMPTS {
            let (referral, joined, mut events, mut notes) = match &placement {
                Placement::Join(open) => {
                    let mut referral = (**open).clone();
                    let events =
                        referral.resubmitted(response.clone(), triage.clone(), actor, now)?;
                    let body = match checked.description.clone() {
                        Some(words) => words,
                        None => FreeText::parse("Referred again; the answers were updated.")
                            .map_err(|e| AppError::Internal(e.to_string()))?,
                    };
                    let note = Note {
                        id: NoteId::new(),
                        referral_id: referral.id,
                        patient_id: patient.id,
                        kind: NoteKind::Resubmission,
                        body,
                        author: actor,
                        created_at: now,
                    };
                    (referral, true, events, vec![note])
                }
                Placement::New { duplicate_of, .. } => {
                    let new = NewReferral {
                        patient_id: patient.id,
                        source: route.source(),
                        problem_area: checked.area,
                        description: checked.description.clone(),
                        answers: Some(response.clone()),
                        digital_triage: Some(triage.clone()),
                        referrer: checked.referrer.clone(),
                        assisted_by,
                        possible_duplicate_of: *duplicate_of,
                    };
                    let (referral, events) =
                        Referral::receive(new, ReferralId::new(), random_reference()?, actor, now);
                    (referral, false, events, vec![])
                }
            };
            if !unconfirmed.is_empty() {
                notes.push(contact_check_note(
                    &referral,
                    &patient,
                    &unconfirmed,
                    actor,
                    now,
                )?);
            }
            let (profile, code_needs) = self
                .communication_at_intake(&patient, coded.clone(), intake, now)
                .await?;
            let mut tasks = Vec::new();
            let kinds = [
                code_needs.then_some(TaskKind::CommunicationNeeds),
                matches!(triage.disposition(), Disposition::Emergency)
                    .then_some(TaskKind::EmergencyReview),
                matches!(triage.disposition(), Disposition::Urgent { .. })
                    .then_some(TaskKind::SameDayCallBack),
                referral
                    .possible_duplicate_of
                    .filter(|_| !joined)
                    .map(|_| TaskKind::PossibleDuplicate),
                (!unconfirmed.is_empty()).then_some(TaskKind::CheckContactDetails),
            ];
            for kind in kinds.into_iter().flatten() {
                let (task, event) = Task::raise(kind, referral.id, patient.id, now);
                tasks.push(task);
                events.push(event);
            }
            let messages: Vec<_> = events
                .iter()
                .flat_map(|e| messages_for(e, &patient, &audiences))
                .collect();
            let audit = self.intake_audit(by, route, &patient, &referral, &placement, now);

            let mut tx = self.store.begin().await?;
            match &placement {
                Placement::New { known: false, .. } => tx.insert_patient(&patient, now).await?,
                Placement::New { known: true, .. } | Placement::Join(_) => {
                    tx.update_patient_contact(&patient, now).await?;
                }
            }
            if joined {
                tx.update_referral(&referral, now).await?;
            } else {
                match tx.insert_referral(&referral, now).await {
                    Err(StoreError::Conflict("reference_taken")) => continue,
                    other => other?,
                }
            }
            for note in &notes {
                tx.insert_note(note).await?;
            }
            tx.insert_tasks(&tasks, now).await?;
            if let Some(profile) = &profile {
                tx.set_communication_profile(patient.id, profile, now)
                    .await?;
            }
            if let Some(draft) = draft {
                tx.submit_draft(draft, now).await?;
            }
            tx.append_events(&events, now).await?;
            tx.enqueue(&messages, now).await?;
            tx.insert_audit(&audit).await?;
            tx.commit().await?;
            tracing::info!(
                referral_id = %referral.id,
                route = route.audit_route(),
                urgency = referral.urgency.as_str(),
                joined,
                "referral received"
            );
            let wait = self.expected_wait(&triage).await?;
            return Ok(IntakeReceipt {
                referral_id: referral.id,
                reference: referral.reference.clone(),
                area: checked.area,
                triage,
                joined_existing: joined,
                status: referral.status,
                wait,
            });
        }
        Err(AppError::Internal(
            "could not find an unused referral reference".into(),
        ))
    }

    fn intake_audit(
        &self,
        by: &Principal,
        route: &IntakeRoute,
        patient: &Patient,
        referral: &Referral,
        placement: &Placement,
        now: jiff::Timestamp,
    ) -> Vec<jointly_store::AuditRecord> {
        let mut audit = Vec::new();
        let (patient_action, referral_action) = match placement {
            Placement::New { known: false, .. } => (AuditAction::Create, AuditAction::Create),
            Placement::New { known: true, .. } => (AuditAction::Update, AuditAction::Create),
            Placement::Join(_) => (AuditAction::Update, AuditAction::Update),
        };
        audit.push(by.audit(
            now,
            patient_action,
            route.audit_route(),
            AuditOutcome::Allowed,
            Audited {
                entity: "patient",
                id: patient.id.as_uuid(),
                patient: patient.id,
            },
        ));
        audit.push(by.audit(
            now,
            referral_action,
            route.audit_route(),
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: referral.id.as_uuid(),
                patient: patient.id,
            },
        ));
        audit
    }

    /// The expected wait for a first appointment on the suggested route, across the services
    /// of that kind; none for emergencies, advice-only routes or services with no history.
    async fn expected_wait(&self, triage: &DigitalTriage) -> Result<Option<WaitRange>, AppError> {
        let Some(kind) = triage.route().and_then(|r| r.service_kind()) else {
            return Ok(None);
        };
        if matches!(triage.disposition(), Disposition::Emergency) {
            return Ok(None);
        }
        let now = self.clock.now();
        let key = (kind, triage.priority());
        if let Some(known) = self.wait_estimates.get(key, now) {
            return Ok(known);
        }
        let since = self
            .clock
            .now()
            .checked_sub(SignedDuration::from_hours(
                24 * 7 * i64::from(THROUGHPUT_WEEKS),
            ))
            .unwrap_or(self.clock.now());
        let (mut ahead, mut booked) = (0i64, 0i64);
        for service in self
            .store
            .list_services()
            .await?
            .iter()
            .filter(|s| s.kind == kind)
        {
            ahead += self
                .store
                .waiting_ahead(service.id, triage.priority())
                .await?;
            booked += self
                .store
                .appointments_booked_since(service.id, since)
                .await?;
        }
        let estimate = estimate_wait(
            u64::try_from(ahead).unwrap_or(0),
            u64::try_from(booked).unwrap_or(0),
            THROUGHPUT_WEEKS,
        );
        self.wait_estimates.put(key, now, estimate);
        Ok(estimate)
    }
}

/// How long an expected wait is reused before it is counted again: it moves by days, and
/// counting the waiting list and eight weeks of bookings for every referral made the front
/// door slower the longer the lists grew.
const WAIT_ESTIMATE_FOR: SignedDuration = SignedDuration::from_mins(5);

/// Which expected wait: the kind of service and the priority.
type WaitKey = (ServiceKind, Priority);

/// Expected waits, each with when it was counted, kept for [`WAIT_ESTIMATE_FOR`].
#[derive(Debug, Default)]
pub(crate) struct WaitEstimates(std::sync::Mutex<HashMap<WaitKey, (Timestamp, Option<WaitRange>)>>);

impl WaitEstimates {
    fn get(&self, key: WaitKey, now: Timestamp) -> Option<Option<WaitRange>> {
        let known = self.0.lock().ok()?;
        let (at, estimate) = known.get(&key)?;
        let age = now.duration_since(*at);
        (age >= SignedDuration::ZERO && age < WAIT_ESTIMATE_FOR).then_some(*estimate)
    }

    fn put(&self, key: WaitKey, now: Timestamp, estimate: Option<WaitRange>) {
        if let Ok(mut known) = self.0.lock() {
            known.insert(key, (now, estimate));
        }
    }
}

/// A fresh, random referral reference.
pub(crate) fn random_reference() -> Result<ReferralReference, AppError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(ReferralReference::from_random(
        u64::from_le_bytes(bytes) & ((1 << 35) - 1),
    ))
}

/// The question ids of one questionnaire step.
pub(crate) fn step_items(app: &App, step: &str) -> Vec<String> {
    app.content
        .questionnaire
        .step(step)
        .map(|s| s.items.iter().map(|i| i.link_id.clone()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_estimate_is_reused_for_five_minutes_then_counted_again() {
        let estimates = WaitEstimates::default();
        let key = (ServiceKind::Physiotherapy, Priority::Routine);
        let at: Timestamp = "2026-12-07T09:00:00Z".parse().unwrap();
        let range = Some(WaitRange {
            min_weeks: 3,
            max_weeks: 6,
        });
        assert_eq!(estimates.get(key, at), None, "nothing counted yet");
        estimates.put(key, at, range);
        assert_eq!(
            estimates.get(key, at + SignedDuration::from_mins(4)),
            Some(range)
        );
        assert_eq!(
            estimates.get((ServiceKind::Pain, Priority::Routine), at),
            None
        );
        assert_eq!(
            estimates.get(key, at + WAIT_ESTIMATE_FOR),
            None,
            "counted again"
        );
        assert_eq!(
            estimates.get(key, at - SignedDuration::from_mins(1)),
            None,
            "a clock set back counts again"
        );
    }
}
