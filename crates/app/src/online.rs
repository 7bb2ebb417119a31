//! The online referral, for the person or a carer: short steps, each checked as it is
//! answered and saved as a draft that can be resumed by its link or by a code and the date of
//! birth. A red flag sends the referral at once, without waiting for the remaining steps.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use jointly_domain::intake::{CarerAnswers, DateParts, PersonAnswers, parse_carer, parse_person};
use jointly_domain::patient::parse_date_of_birth;
use jointly_domain::questionnaire::{answer_step, answers_before, answers_given};
use jointly_domain::{DomainError, DraftId, Invalid, PatientId, ValidationErrors, local_date};
use jointly_store::DraftRecord;
use serde::{Deserialize, Serialize};

use crate::auth::token_hash;
use crate::intake::{Answered, Intake, IntakeReceipt, IntakeRoute, item_errors, step_items};
use crate::principal::Principal;
use crate::{App, AppError};

/// How long a saved referral is kept after it was last changed.
pub const DRAFT_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 30);

/// Letters and digits that cannot be mistaken for each other when read aloud or written down.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of a resume code: 32^8, about a trillion codes.
const CODE_LENGTH: usize = 8;

/// The person's details asked on the "about you" step.
pub const ABOUT_FIELDS: [&str; 6] = [
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "sex",
    "ethnicity",
];
/// The person's details asked on the "contact" step.
pub const CONTACT_FIELDS: [&str; 8] = [
    "postcode",
    "phone",
    "email",
    "address_line1",
    "address_line2",
    "town",
    "preferred_contact",
    "preferred_language",
];
/// The carer's details.
pub const CARER_FIELDS: [&str; 5] = [
    "carer_name",
    "carer_relationship",
    "carer_phone",
    "carer_email",
    "carer_consent",
];

/// One step of the online referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// For yourself or for someone else?
    Who,
    /// The carer's details.
    Carer,
    /// Name, date of birth, NHS number, sex, ethnicity.
    About,
    /// How to reach them.
    Contact,
    /// One questionnaire step, by its id.
    Questions(String),
    /// Check the answers and send.
    Check,
}

impl Step {
    /// The step's name in addresses.
    pub fn slug(&self) -> &str {
        match self {
            Self::Who => "who",
            Self::Carer => "carer",
            Self::About => "about",
            Self::Contact => "contact",
            Self::Questions(id) => id,
            Self::Check => "check",
        }
    }
}

/// What was saved so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftData {
    /// True when a carer is referring for someone else.
    pub for_someone_else: Option<bool>,
    /// Everything entered.
    pub intake: Intake,
    /// Steps completed, by slug.
    pub done: Vec<String>,
}

/// A saved referral in progress.
#[derive(Clone, Debug)]
pub struct Draft {
    /// Identifier.
    pub id: DraftId,
    /// What was entered.
    pub data: DraftData,
    /// Every step, in order, for this person (the carer step only when a carer refers).
    pub steps: Vec<Step>,
    /// When it will be forgotten unless saved again.
    pub expires_at: Timestamp,
}

impl Draft {
    /// The first step not yet done (`Check` once all are).
    pub fn next_step(&self) -> Step {
        self.steps
            .iter()
            .find(|s| **s != Step::Check && !self.data.done.iter().any(|d| d == s.slug()))
            .cloned()
            .unwrap_or(Step::Check)
    }

    /// The step named `slug`, if this referral has it.
    pub fn step(&self, slug: &str) -> Option<Step> {
        self.steps.iter().find(|s| s.slug() == slug).cloned()
    }

    /// True when `step` may be shown now: every step before it is done.
    pub fn may_show(&self, step: &Step) -> bool {
        self.steps
            .iter()
            .take_while(|s| *s != step)
            .all(|s| self.data.done.iter().any(|d| d == s.slug()))
    }
}

/// A new draft's secrets: shown to the person once, kept by us only as hashes.
#[derive(Clone)]
pub struct DraftTicket {
    /// The link token (also kept in a cookie while they fill the form in).
    pub token: String,
    /// The code to resume with, with their date of birth.
    pub code: String,
}

impl std::fmt::Debug for DraftTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DraftTicket(redacted)")
    }
}

/// What saving a step led to.
#[derive(Clone, Debug)]
pub enum StepSaved {
    /// Carry on with this step.
    Next(Step),
    /// A red flag: the referral was sent now.
    Sent(IntakeReceipt),
}

fn random_code() -> Result<String, AppError> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect())
}

fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A resume code as typed: spaces and dashes ignored, any case.
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Keeps the answers to step `id` from `form` in the draft (those `keep` accepts), replacing
/// what the step had.
fn keep_step_answers(
    app: &App,
    data: &mut DraftData,
    id: &str,
    form: &BTreeMap<String, String>,
    keep: impl Fn(&str) -> bool,
) {
    for item in step_items(app, id) {
        data.intake.answers.remove(&item);
        if let Some(v) = form.get(&item).filter(|v| !v.trim().is_empty())
            && keep(&item)
        {
            data.intake.answers.insert(item, v.trim().to_owned());
        }
    }
}

fn value(form: &BTreeMap<String, String>, field: &str) -> String {
    form.get(field).cloned().unwrap_or_default()
}

/// Copies the person's fields named in `fields` from a form.
fn apply_person(person: &mut PersonAnswers, form: &BTreeMap<String, String>, fields: &[&str]) {
    for field in fields {
        let v = value(form, field);
        match *field {
            "given_name" => person.given_name = v,
            "family_name" => person.family_name = v,
            "date_of_birth" => {
                person.date_of_birth = DateParts {
                    day: value(form, "date_of_birth_day"),
                    month: value(form, "date_of_birth_month"),
                    year: value(form, "date_of_birth_year"),
                };
            }
            "nhs_number" => person.nhs_number = v,
            "sex" => person.sex = v,
            "ethnicity" => person.ethnicity = v,
            "postcode" => person.postcode = v,
            "phone" => person.phone = v,
            "email" => person.email = v,
            "address_line1" => person.address_line1 = v,
            "address_line2" => person.address_line2 = v,
            "town" => person.town = v,
            "preferred_contact" => person.preferred_contact = v,
            "preferred_language" => person.preferred_language = v,
            _ => {}
        }
    }
}

/// Reads a carer's fields from a form.
pub fn carer_from_form(form: &BTreeMap<String, String>) -> CarerAnswers {
    CarerAnswers {
        carer_name: value(form, "carer_name"),
        carer_relationship: value(form, "carer_relationship"),
        carer_phone: value(form, "carer_phone"),
        carer_email: value(form, "carer_email"),
        carer_consent: value(form, "carer_consent"),
    }
}

/// Reads the person's fields from a form.
pub fn person_from_form(form: &BTreeMap<String, String>) -> PersonAnswers {
    let mut person = PersonAnswers::default();
    apply_person(&mut person, form, &ABOUT_FIELDS);
    apply_person(&mut person, form, &CONTACT_FIELDS);
    person
}

/// Only the problems with `fields`.
fn errors_in(error: DomainError, fields: &[&'static str]) -> Result<ValidationErrors, AppError> {
    match error {
        DomainError::Invalid(all) => {
            let mut mine = ValidationErrors::new();
            for e in all.errors() {
                if let Some(field) = fields.iter().find(|f| **f == e.field) {
                    mine.add(field, Invalid(e.problem));
                }
            }
            Ok(mine)
        }
        other => Err(other.into()),
    }
}

impl App {
    fn steps_for(&self, data: &DraftData) -> Vec<Step> {
        let mut steps = vec![Step::Who];
        if data.for_someone_else == Some(true) {
            steps.push(Step::Carer);
        }
        steps.extend([Step::About, Step::Contact]);
        steps.extend(
            self.content
                .questionnaire
                .steps
                .iter()
                .map(|s| Step::Questions(s.link_id.clone())),
        );
        steps.push(Step::Check);
        steps
    }

    fn draft_from(&self, record: DraftRecord) -> Result<Draft, AppError> {
        let data: DraftData = serde_json::from_str(&record.data)
            .map_err(|_| AppError::Internal("a saved referral could not be read".into()))?;
        Ok(Draft {
            id: record.id,
            steps: self.steps_for(&data),
            data,
            expires_at: record.expires_at,
        })
    }

    /// Starts an online referral: a new, empty draft and its link token and resume code.
    pub async fn start_referral(&self) -> Result<DraftTicket, AppError> {
        let now = self.clock.now();
        let ticket = DraftTicket {
            token: random_token()?,
            code: random_code()?,
        };
        let record = DraftRecord {
            id: DraftId::new(),
            token_hash: token_hash(&ticket.token),
            code_hash: token_hash(&ticket.code),
            route: "online".into(),
            data: serde_json::to_string(&DraftData::default())
                .map_err(|e| AppError::Internal(e.to_string()))?,
            submitted_at: None,
            expires_at: now.saturating_add(DRAFT_LIFETIME).unwrap_or(now),
        };
        self.store.insert_draft(&record, now).await?;
        Ok(ticket)
    }

    /// The draft behind a link token; "not found" once it expired or was sent.
    pub async fn referral_draft(&self, token: &str) -> Result<Draft, AppError> {
        let record = self
            .store
            .find_draft_by_token(&token_hash(token), self.clock.now())
            .await?
            .ok_or(AppError::NotFound)?;
        self.draft_from(record)
    }

    /// Resumes a draft by its code and the person's date of birth (asked once they gave it).
    /// The old link stops working; the new token is returned. Wrong details say nothing about
    /// which part was wrong.
    pub async fn resume_referral(
        &self,
        code: &str,
        date_of_birth: &DateParts,
    ) -> Result<String, AppError> {
        let now = self.clock.now();
        let code = normalise_code(code);
        if code.len() != CODE_LENGTH {
            return Err(AppError::Invalid({
                let mut e = ValidationErrors::new();
                e.add("code", Invalid("format"));
                e
            }));
        }
        let record = self
            .store
            .find_draft_by_code(&token_hash(&code), now)
            .await?
            .ok_or(AppError::SignInFailed)?;
        let draft = self.draft_from(record)?;
        if !self.birth_date_matches(&draft, date_of_birth) {
            return Err(AppError::SignInFailed);
        }
        let token = random_token()?;
        self.store
            .replace_draft_secrets(draft.id, &token_hash(&token), None, now)
            .await?;
        Ok(token)
    }

    /// "Save and come back later": a new link and a new resume code for the draft behind
    /// `token`, shown once; the old ones stop working.
    pub async fn save_for_later(&self, token: &str) -> Result<DraftTicket, AppError> {
        let draft = self.referral_draft(token).await?;
        let ticket = DraftTicket {
            token: random_token()?,
            code: random_code()?,
        };
        self.store
            .replace_draft_secrets(
                draft.id,
                &token_hash(&ticket.token),
                Some(&token_hash(&ticket.code)),
                self.clock.now(),
            )
            .await?;
        Ok(ticket)
    }

    /// Opens a draft from its saved link, with the date of birth when one was given; the link
    /// is replaced by a fresh token.
    pub async fn resume_by_link(
        &self,
        token: &str,
        date_of_birth: &DateParts,
    ) -> Result<String, AppError> {
        let draft = self.referral_draft(token).await?;
        if !self.birth_date_matches(&draft, date_of_birth) {
            return Err(AppError::SignInFailed);
        }
        let fresh = random_token()?;
        self.store
            .replace_draft_secrets(draft.id, &token_hash(&fresh), None, self.clock.now())
            .await?;
        Ok(fresh)
    }

    /// True when the draft holds no date of birth yet, or `given` is the one it holds.
    pub fn birth_date_matches(&self, draft: &Draft, given: &DateParts) -> bool {
        let saved = &draft.data.intake.person.date_of_birth;
        if *saved == DateParts::default() {
            return true;
        }
        let today = local_date(self.clock.now());
        let given = parse_date_of_birth(&given.year, &given.month, &given.day, today);
        given.is_ok() && given == parse_date_of_birth(&saved.year, &saved.month, &saved.day, today)
    }

    async fn save_draft(&self, draft: &Draft) -> Result<(), AppError> {
        let now = self.clock.now();
        let data =
            serde_json::to_string(&draft.data).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .update_draft(
                draft.id,
                &data,
                now.saturating_add(DRAFT_LIFETIME).unwrap_or(now),
                now,
            )
            .await?;
        Ok(())
    }

    /// Checks and saves one step. Problems name their fields and save nothing. After a step
    /// of questions, the answers so far are screened: a red flag sends the referral at once.
    pub async fn save_referral_step(
        &self,
        by: &Principal,
        token: &str,
        slug: &str,
        form: &BTreeMap<String, String>,
    ) -> Result<StepSaved, AppError> {
        let mut draft = self.referral_draft(token).await?;
        let step = draft.step(slug).ok_or(AppError::NotFound)?;
        if !draft.may_show(&step) {
            return Err(AppError::Conflict("earlier_step"));
        }
        let today = local_date(self.clock.now());
        let mut errors = ValidationErrors::new();
        let data = &mut draft.data;
        match &step {
            Step::Who => match value(form, "for_someone_else").trim() {
                "yes" => data.for_someone_else = Some(true),
                "no" => {
                    data.for_someone_else = Some(false);
                    data.intake.carer = None;
                }
                _ => errors.add("for_someone_else", Invalid("choose")),
            },
            Step::Carer => {
                let carer = carer_from_form(form);
                if let Err(e) = parse_carer(&carer) {
                    errors = errors_in(e, &CARER_FIELDS)?;
                }
                data.intake.carer = Some(carer);
            }
            Step::About | Step::Contact => {
                let fields: &[&str] = if step == Step::About {
                    &ABOUT_FIELDS
                } else {
                    &CONTACT_FIELDS
                };
                let mut person = data.intake.person.clone();
                apply_person(&mut person, form, fields);
                if let Err(e) = parse_person(&person, PatientId::new(), today) {
                    errors = errors_in(e, fields)?;
                }
                data.intake.person = person;
            }
            Step::Questions(id) => {
                let questionnaire = &self.content.questionnaire;
                let earlier = answers_before(questionnaire, &data.intake.answers, Some(id));
                let group = questionnaire.step(id).ok_or(AppError::NotFound)?;
                match answer_step(group, form, &earlier) {
                    Ok(_) => keep_step_answers(self, data, id, form, |_| true),
                    Err(items) => {
                        item_errors(&mut errors, items);
                        // A red flag among the answers given does not wait for the rest.
                        let given = answers_given(group, form, &earlier);
                        let mut partial = data.clone();
                        keep_step_answers(self, &mut partial, id, form, |item| {
                            given.contains_key(item)
                        });
                        if self.has_red_flag(&partial.intake, Answered::PartOf(id)) {
                            let receipt = self
                                .receive_intake(
                                    by,
                                    &IntakeRoute::Online,
                                    &partial.intake,
                                    Answered::PartOf(id),
                                    Some(draft.id),
                                )
                                .await?;
                            return Ok(StepSaved::Sent(receipt));
                        }
                    }
                }
            }
            Step::Check => return Err(AppError::NotFound),
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if !data.done.iter().any(|d| d == step.slug()) {
            data.done.push(step.slug().to_owned());
        }
        draft.steps = self.steps_for(&draft.data);
        if let Step::Questions(id) = &step
            && self.has_red_flag(&draft.data.intake, Answered::UpTo(id))
        {
            let receipt = self
                .receive_intake(
                    by,
                    &IntakeRoute::Online,
                    &draft.data.intake,
                    Answered::UpTo(id),
                    Some(draft.id),
                )
                .await?;
            return Ok(StepSaved::Sent(receipt));
        }
        self.save_draft(&draft).await?;
        Ok(StepSaved::Next(draft.next_step()))
    }

    /// True when the answers given so far already carry a red flag.
    fn has_red_flag(&self, intake: &Intake, answered: Answered<'_>) -> bool {
        let today = local_date(self.clock.now());
        let Ok(answers) = self.check_answers_upto(&intake.answers, answered) else {
            return false;
        };
        let Ok(person) = parse_person(&intake.person, PatientId::new(), today) else {
            return false;
        };
        let age = i64::from(jointly_domain::patient::age_on(person.date_of_birth, today));
        let content = &self.content;
        !content
            .pathway
            .triage(&content.questionnaire, &answers, age)
            .red_flags()
            .is_empty()
    }

    /// Sends a finished online referral, checking everything again.
    pub async fn send_referral(
        &self,
        by: &Principal,
        token: &str,
    ) -> Result<IntakeReceipt, AppError> {
        let draft = self.referral_draft(token).await?;
        if draft.next_step() != Step::Check {
            return Err(AppError::Conflict("earlier_step"));
        }
        self.receive_intake(
            by,
            &IntakeRoute::Online,
            &draft.data.intake,
            Answered::All,
            Some(draft.id),
        )
        .await
    }

    /// Forgets expired drafts and the contents of sent ones.
    pub async fn purge_drafts(&self) -> Result<u64, AppError> {
        Ok(self.store.purge_drafts(self.clock.now()).await?)
    }
}
