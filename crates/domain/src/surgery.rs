//! Shared decision-making and surgical readiness: before a referral goes to orthopaedics, a
//! clinician records the decision conversation (the options discussed, what matters to the
//! person, the person's choice) and a pre-surgery fitness checklist. The gate opens only
//! when the person chose surgery and every fitness item is met, or a clinician has overridden
//! the checklist with a reason. A person who does not want surgery is routed to the
//! non-surgical care they chose, never to orthopaedics.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::{PatientId, ReferralId, StaffUserId, SurgeryDecisionId};
use crate::passport::{optional_text, required_text};
use crate::service::ServiceKind;

/// Longest answer in the decision conversation or checklist, in characters.
pub const TEXT_MAX: usize = 1_000;

/// A way forward discussed with the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareOption {
    /// An operation.
    Surgery,
    /// Exercise and physiotherapy.
    Physiotherapy,
    /// A joint or soft-tissue injection.
    Injection,
    /// Help to live well with pain (the pain service).
    PainManagement,
    /// Support to lose weight.
    WeightManagement,
    /// Waiting to see, with self-management and the open door back.
    WatchfulWaiting,
}

impl CareOption {
    /// Every option, surgery first.
    pub const ALL: [CareOption; 6] = [
        Self::Surgery,
        Self::Physiotherapy,
        Self::Injection,
        Self::PainManagement,
        Self::WeightManagement,
        Self::WatchfulWaiting,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Surgery => "surgery",
            Self::Physiotherapy => "physiotherapy",
            Self::Injection => "injection",
            Self::PainManagement => "pain_management",
            Self::WeightManagement => "weight_management",
            Self::WatchfulWaiting => "watchful_waiting",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }

    /// The kind of service that gives this care, when one of ours does (weight management
    /// and watchful waiting are signposting and self-management, not a service's list).
    pub fn service_kind(self) -> Option<ServiceKind> {
        match self {
            Self::Surgery => Some(ServiceKind::Orthopaedics),
            Self::Physiotherapy => Some(ServiceKind::Physiotherapy),
            Self::Injection => Some(ServiceKind::SpecialistMsk),
            Self::PainManagement => Some(ServiceKind::Pain),
            Self::WeightManagement | Self::WatchfulWaiting => None,
        }
    }
}

/// What the person chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurgeryChoice {
    /// They want to go ahead towards surgery.
    Surgery,
    /// They do not want surgery.
    NotSurgery,
    /// They want time to think.
    Undecided,
}

impl SurgeryChoice {
    /// Every choice.
    pub const ALL: [SurgeryChoice; 3] = [Self::Surgery, Self::NotSurgery, Self::Undecided];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Surgery => "surgery",
            Self::NotSurgery => "not_surgery",
            Self::Undecided => "undecided",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }
}

/// A recorded decision conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionConversation {
    /// Identifier (conversations are kept; the latest stands).
    pub id: SurgeryDecisionId,
    /// The referral it is about.
    pub referral_id: ReferralId,
    /// Whose decision.
    pub patient_id: PatientId,
    /// The options talked through (always surgery and at least one other).
    pub options: Vec<CareOption>,
    /// What matters to the person, in their words.
    pub what_matters: String,
    /// Their choice.
    pub choice: SurgeryChoice,
    /// The non-surgical care they chose, when they chose not to have surgery.
    pub preferred: Option<CareOption>,
    /// The clinician who had the conversation.
    pub by: StaffUserId,
    /// When.
    pub at: Timestamp,
}

/// The decision conversation as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DecisionAnswers {
    /// Codes of the options discussed: `surgery` and at least one of `physiotherapy`,
    /// `injection`, `pain_management`, `weight_management` or `watchful_waiting`.
    pub options: Vec<String>,
    /// What matters to the person.
    pub what_matters: String,
    /// Their choice: `surgery`, `not_surgery` or `undecided`.
    pub choice: String,
    /// The non-surgical care chosen, as an option code other than `surgery` (needed when the
    /// choice is `not_surgery`, ignored otherwise).
    pub preferred: String,
}

/// Checks a decision conversation: surgery and at least one other option discussed, what
/// matters recorded, a choice, and for "not surgery" the non-surgical care chosen. Every
/// problem is named.
pub fn record_decision(
    referral_id: ReferralId,
    patient_id: PatientId,
    answers: &DecisionAnswers,
    by: StaffUserId,
    id: SurgeryDecisionId,
    at: Timestamp,
) -> Result<DecisionConversation, DomainError> {
    let mut errors = ValidationErrors::new();
    let mut options = Vec::new();
    for code in &answers.options {
        match CareOption::parse(code) {
            Ok(option) if !options.contains(&option) => options.push(option),
            Ok(_) => {}
            Err(problem) => errors.add("options", problem),
        }
    }
    if errors.is_empty() && (!options.contains(&CareOption::Surgery) || options.len() < 2) {
        errors.add("options", Invalid("surgery-and-another"));
    }
    options.sort_by_key(|o| CareOption::ALL.iter().position(|a| a == o));
    let what_matters = errors.check(
        "what_matters",
        required_text(&answers.what_matters, TEXT_MAX),
    );
    let choice = errors.check("choice", SurgeryChoice::parse(&answers.choice));
    let preferred = match (choice, answers.preferred.trim()) {
        (Some(SurgeryChoice::NotSurgery), "") => {
            errors.add("preferred", Invalid("required"));
            None
        }
        (Some(SurgeryChoice::NotSurgery), code) => match CareOption::parse(code) {
            Ok(CareOption::Surgery) => {
                errors.add("preferred", Invalid("not-surgery"));
                None
            }
            Ok(option) => Some(option),
            Err(problem) => {
                errors.add("preferred", problem);
                None
            }
        },
        // Only "not surgery" names other care; anything sent with another choice is ignored.
        _ => None,
    };
    errors.into_result(|| {
        Some(DecisionConversation {
            id,
            referral_id,
            patient_id,
            options,
            what_matters: what_matters?,
            choice: choice?,
            preferred,
            by,
            at,
        })
    })
}

/// One thing checked before surgery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FitnessItem {
    /// Weight (body mass index).
    Weight,
    /// Smoking.
    Smoking,
    /// Blood sugar (HbA1c).
    BloodSugar,
    /// Blood pressure.
    BloodPressure,
    /// Anaemia (haemoglobin).
    Anaemia,
    /// Dental health (infection risk to a new joint).
    Dental,
    /// Mobility and support at home after the operation.
    Mobility,
}

impl FitnessItem {
    /// Every item, in the checklist's order.
    pub const ALL: [FitnessItem; 7] = [
        Self::Weight,
        Self::Smoking,
        Self::BloodSugar,
        Self::BloodPressure,
        Self::Anaemia,
        Self::Dental,
        Self::Mobility,
    ];

    /// Stable code (also the form field).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weight => "weight",
            Self::Smoking => "smoking",
            Self::BloodSugar => "blood_sugar",
            Self::BloodPressure => "blood_pressure",
            Self::Anaemia => "anaemia",
            Self::Dental => "dental",
            Self::Mobility => "mobility",
        }
    }
}

/// Where a fitness item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FitnessStatus {
    /// Checked and within what surgery needs.
    Met,
    /// Checked and not yet there (for example still smoking).
    NotMet,
    /// Not checked yet.
    NotChecked,
}

impl FitnessStatus {
    /// Every status.
    pub const ALL: [FitnessStatus; 3] = [Self::Met, Self::NotMet, Self::NotChecked];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::NotMet => "not_met",
            Self::NotChecked => "not_checked",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }
}

/// One item of the checklist as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FitnessCheck {
    /// What was checked.
    pub item: FitnessItem,
    /// Where it stands.
    pub status: FitnessStatus,
    /// The reading or what is being done about it ("BMI 33, weight management referral").
    pub note: Option<String>,
}

/// The pre-surgery fitness checklist of a referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FitnessChecklist {
    /// The referral it is about.
    pub referral_id: ReferralId,
    /// Every item, in [`FitnessItem::ALL`] order.
    pub checks: Vec<FitnessCheck>,
    /// Why surgery may go ahead although some items are not met, when a clinician decided so.
    pub override_reason: Option<String>,
    /// Who recorded it.
    pub by: StaffUserId,
    /// When.
    pub at: Timestamp,
}

impl FitnessChecklist {
    /// The items not met or not checked.
    pub fn outstanding(&self) -> Vec<FitnessItem> {
        self.checks
            .iter()
            .filter(|c| c.status != FitnessStatus::Met)
            .map(|c| c.item)
            .collect()
    }
}

/// Checks a fitness checklist given as flat fields: `<item>` is the status and `<item>_note`
/// the note for each item, with `override_reason`. Every item needs a status; unknown fields
/// are named.
pub fn record_checklist(
    referral_id: ReferralId,
    answers: &HashMap<String, String>,
    by: StaffUserId,
    at: Timestamp,
) -> Result<FitnessChecklist, DomainError> {
    let mut errors = ValidationErrors::new();
    let field = |name: &str| answers.get(name).map(String::as_str).unwrap_or("");
    let mut checks = Vec::new();
    for item in FitnessItem::ALL {
        let status = errors.check(item.as_str(), FitnessStatus::parse(field(item.as_str())));
        let note_field = format!("{}_note", item.as_str());
        let note = match optional_text(field(&note_field), TEXT_MAX) {
            Ok(note) => note,
            Err(problem) => {
                errors.add_named(note_field, problem);
                None
            }
        };
        if let Some(status) = status {
            checks.push(FitnessCheck { item, status, note });
        }
    }
    let override_reason = errors.check(
        "override_reason",
        optional_text(field("override_reason"), TEXT_MAX),
    );
    for name in answers.keys() {
        let known = name == "override_reason"
            || FitnessItem::ALL.iter().any(|item| {
                name == item.as_str() || name.strip_suffix("_note") == Some(item.as_str())
            });
        if !known {
            errors.add_named(name.clone(), Invalid("unknown"));
        }
    }
    errors.into_result(|| {
        Some(FitnessChecklist {
            referral_id,
            checks,
            override_reason: override_reason?,
            by,
            at,
        })
    })
}

/// Why the gate to orthopaedics is shut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotReady {
    /// No decision conversation is recorded.
    NoDecision,
    /// The person does not want surgery.
    Declined,
    /// The person has not decided yet.
    Undecided,
    /// No fitness checklist is recorded.
    NoChecklist,
    /// Some fitness items are not met and nobody has overridden the checklist.
    Incomplete,
}

impl NotReady {
    /// Stable code, used as the problem of the `service` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoDecision => "surgery-no-decision",
            Self::Declined => "surgery-declined",
            Self::Undecided => "surgery-undecided",
            Self::NoChecklist => "surgery-no-checklist",
            Self::Incomplete => "surgery-checklist-incomplete",
        }
    }
}

/// Proof that a referral may go to orthopaedics: only [`ready_for_surgery`] makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadyForSurgery {
    referral_id: ReferralId,
    overridden: bool,
}

impl ReadyForSurgery {
    /// The referral it was given for.
    pub fn referral_id(&self) -> ReferralId {
        self.referral_id
    }

    /// Whether a clinician overrode an incomplete checklist.
    pub fn overridden(&self) -> bool {
        self.overridden
    }
}

/// The gate: the latest decision must be the person's choice of surgery, and the checklist
/// complete or overridden with a reason.
pub fn ready_for_surgery(
    referral_id: ReferralId,
    decision: Option<&DecisionConversation>,
    checklist: Option<&FitnessChecklist>,
) -> Result<ReadyForSurgery, NotReady> {
    match decision.map(|d| d.choice) {
        None => return Err(NotReady::NoDecision),
        Some(SurgeryChoice::NotSurgery) => return Err(NotReady::Declined),
        Some(SurgeryChoice::Undecided) => return Err(NotReady::Undecided),
        Some(SurgeryChoice::Surgery) => {}
    }
    let checklist = checklist.ok_or(NotReady::NoChecklist)?;
    let complete = checklist.outstanding().is_empty();
    if !complete && checklist.override_reason.is_none() {
        return Err(NotReady::Incomplete);
    }
    Ok(ReadyForSurgery {
        referral_id,
        overridden: !complete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2026-12-01T10:00:00Z".parse().unwrap()
    }

    fn problems(error: DomainError) -> Vec<(String, &'static str)> {
        match error {
            DomainError::Invalid(e) => e
                .errors()
                .iter()
                .map(|p| (p.field.to_string(), p.problem))
                .collect(),
            other => panic!("not validation errors: {other:?}"),
        }
    }

    fn decide(
        options: &[&str],
        choice: &str,
        preferred: &str,
    ) -> Result<DecisionConversation, DomainError> {
        record_decision(
            ReferralId::new(),
            PatientId::new(),
            &DecisionAnswers {
                options: options.iter().map(|o| (*o).to_owned()).collect(),
                what_matters: "Walking the dog without stopping".into(),
                choice: choice.into(),
                preferred: preferred.into(),
            },
            StaffUserId::new(),
            SurgeryDecisionId::new(),
            at(),
        )
    }

    fn checklist(statuses: &[(&str, &str)]) -> HashMap<String, String> {
        statuses
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn all_met() -> HashMap<String, String> {
        FitnessItem::ALL
            .iter()
            .map(|i| (i.as_str().to_owned(), "met".to_owned()))
            .collect()
    }

    #[test]
    fn a_decision_needs_surgery_and_another_option_what_matters_and_a_choice() {
        let none = record_decision(
            ReferralId::new(),
            PatientId::new(),
            &DecisionAnswers::default(),
            StaffUserId::new(),
            SurgeryDecisionId::new(),
            at(),
        );
        assert_eq!(
            problems(none.unwrap_err()),
            [
                ("options".to_owned(), "surgery-and-another"),
                ("what_matters".to_owned(), "required"),
                ("choice".to_owned(), "choose"),
            ]
        );
        assert_eq!(
            problems(decide(&["surgery"], "surgery", "").unwrap_err()),
            [("options".to_owned(), "surgery-and-another")]
        );
        assert_eq!(
            problems(decide(&["surgery", "magic"], "surgery", "").unwrap_err()),
            [("options".to_owned(), "choose")]
        );
        assert_eq!(
            problems(decide(&["surgery", "injection"], "not_surgery", "").unwrap_err()),
            [("preferred".to_owned(), "required")]
        );
        assert_eq!(
            problems(decide(&["surgery", "injection"], "not_surgery", "surgery").unwrap_err()),
            [("preferred".to_owned(), "not-surgery")]
        );
        let chosen = decide(
            &["physiotherapy", "surgery", "surgery"],
            "not_surgery",
            "physiotherapy",
        )
        .unwrap();
        assert_eq!(
            chosen.options,
            [CareOption::Surgery, CareOption::Physiotherapy]
        );
        assert_eq!(chosen.preferred, Some(CareOption::Physiotherapy));
        // A preference sent with a choice of surgery means nothing.
        let surgery = decide(&["surgery", "injection"], "surgery", "injection").unwrap();
        assert_eq!(surgery.preferred, None);
    }

    #[test]
    fn the_checklist_needs_every_item_and_names_unknown_fields() {
        let referral = ReferralId::new();
        let by = StaffUserId::new();
        let partial = record_checklist(
            referral,
            &checklist(&[("weight", "met"), ("smoking", "maybe"), ("shoe_size", "9")]),
            by,
            at(),
        );
        let found = problems(partial.unwrap_err());
        assert!(found.contains(&("smoking".to_owned(), "choose")));
        assert!(found.contains(&("blood_sugar".to_owned(), "choose")));
        assert!(found.contains(&("shoe_size".to_owned(), "unknown")));
        assert!(!found.iter().any(|(f, _)| f == "weight"));

        let mut answers = all_met();
        answers.insert("smoking".into(), "not_met".into());
        answers.insert(
            "smoking_note".into(),
            " Smokes 10 a day; stop-smoking service ".into(),
        );
        let recorded = record_checklist(referral, &answers, by, at()).unwrap();
        assert_eq!(recorded.checks.len(), FitnessItem::ALL.len());
        assert_eq!(recorded.outstanding(), [FitnessItem::Smoking]);
        assert_eq!(
            recorded.checks[1].note.as_deref(),
            Some("Smokes 10 a day; stop-smoking service")
        );
    }

    #[test]
    fn the_gate_opens_only_for_a_chosen_surgery_with_fitness_met_or_overridden() {
        let referral = ReferralId::new();
        let by = StaffUserId::new();
        let surgery = decide(&["surgery", "physiotherapy"], "surgery", "").unwrap();
        let declined = decide(
            &["surgery", "physiotherapy"],
            "not_surgery",
            "physiotherapy",
        )
        .unwrap();
        let undecided = decide(&["surgery", "physiotherapy"], "undecided", "").unwrap();
        let complete = record_checklist(referral, &all_met(), by, at()).unwrap();
        let mut answers = all_met();
        answers.insert("anaemia".into(), "not_checked".into());
        let incomplete = record_checklist(referral, &answers, by, at()).unwrap();
        answers.insert(
            "override_reason".into(),
            "Bloods booked at pre-op assessment".into(),
        );
        let overridden = record_checklist(referral, &answers, by, at()).unwrap();

        let gate = |d: Option<&DecisionConversation>, c: Option<&FitnessChecklist>| {
            ready_for_surgery(referral, d, c)
        };
        assert_eq!(gate(None, Some(&complete)), Err(NotReady::NoDecision));
        assert_eq!(
            gate(Some(&declined), Some(&complete)),
            Err(NotReady::Declined)
        );
        assert_eq!(
            gate(Some(&undecided), Some(&complete)),
            Err(NotReady::Undecided)
        );
        assert_eq!(gate(Some(&surgery), None), Err(NotReady::NoChecklist));
        assert_eq!(
            gate(Some(&surgery), Some(&incomplete)),
            Err(NotReady::Incomplete)
        );
        let ready = gate(Some(&surgery), Some(&complete)).unwrap();
        assert!(!ready.overridden());
        assert_eq!(ready.referral_id(), referral);
        assert!(
            gate(Some(&surgery), Some(&overridden))
                .unwrap()
                .overridden()
        );
        // An override cannot overrule the person: no surgery means no surgery.
        assert_eq!(
            gate(Some(&declined), Some(&overridden)),
            Err(NotReady::Declined)
        );
    }
}
