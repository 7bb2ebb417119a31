//! The patient passport: one shared care plan per person across every MSK service. What
//! matters to them and the rest of their life that bears on recovery (work, mood, sleep,
//! social), their goals, and entries written along the way: the person's own notes and the
//! plain-language treatment plan after each appointment, and multidisciplinary team outcomes. Structured clinical notes (subjective,
//! objective, assessment, plan) belong to the care team and are checked here too.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::conversation::Author;
use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::{
    AppointmentId, ClinicalNoteId, GoalId, PassportEntryId, PatientId, ReferralId, StaffUserId,
};

/// Longest answer about the person (what matters, work, mood, sleep, social), in characters.
pub const ABOUT_MAX: usize = 1_000;
/// Longest goal, in characters.
pub const GOAL_MAX: usize = 300;
/// Longest note or treatment plan, and longest part of a clinical note, in characters.
pub const ENTRY_MAX: usize = 5_000;

/// The rest of a person's life that bears on their recovery, in their words or their
/// clinician's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holistic {
    /// Work, caring or study, and what the problem stops them doing there.
    pub work: Option<String>,
    /// Mood and worries.
    pub mood: Option<String>,
    /// Sleep.
    pub sleep: Option<String>,
    /// Family, friends, activities and support.
    pub social: Option<String>,
}

/// What the passport says about the person, apart from goals and entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// What matters to them, in their words.
    pub what_matters: Option<String>,
    /// Work, mood, sleep and social life.
    pub holistic: Holistic,
    /// Changes so far; a change must name the one it follows, so nobody overwrites a change
    /// they have not seen.
    pub version: u32,
    /// Who changed it last, and when.
    pub updated: Option<(Author, Timestamp)>,
}

/// The about-the-person part as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AboutAnswers {
    /// What matters to them.
    pub what_matters: String,
    /// Work, caring or study.
    pub work: String,
    /// Mood.
    pub mood: String,
    /// Sleep.
    pub sleep: String,
    /// Social life and support.
    pub social: String,
    /// The version the change was made from.
    pub version: String,
}

/// Trimmed text, `None` when blank, refused when longer than `max` characters.
pub(crate) fn optional_text(input: &str, max: usize) -> Result<Option<String>, Invalid> {
    let text = input.trim();
    if text.chars().count() > max {
        return Err(Invalid("too-long"));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// Trimmed text that must be there, refused when longer than `max` characters.
pub(crate) fn required_text(input: &str, max: usize) -> Result<String, Invalid> {
    optional_text(input, max)?.ok_or(Invalid("required"))
}

/// Checks the about-the-person answers against the passport as it is (`current`): every
/// problem is named and nothing is applied; a change made from an older version is refused
/// with `version` `stale`.
pub fn change_about(
    current: &About,
    answers: &AboutAnswers,
    by: Author,
    now: Timestamp,
) -> Result<About, DomainError> {
    let mut errors = ValidationErrors::new();
    let what_matters = errors.check(
        "what_matters",
        optional_text(&answers.what_matters, ABOUT_MAX),
    );
    let work = errors.check("work", optional_text(&answers.work, ABOUT_MAX));
    let mood = errors.check("mood", optional_text(&answers.mood, ABOUT_MAX));
    let sleep = errors.check("sleep", optional_text(&answers.sleep, ABOUT_MAX));
    let social = errors.check("social", optional_text(&answers.social, ABOUT_MAX));
    match answers.version.trim().parse::<u32>() {
        Ok(version) if version == current.version => {}
        Ok(_) => errors.add("version", Invalid("stale")),
        Err(_) => errors.add("version", Invalid("invalid")),
    }
    errors.into_result(|| {
        Some(About {
            what_matters: what_matters?,
            holistic: Holistic {
                work: work?,
                mood: mood?,
                sleep: sleep?,
                social: social?,
            },
            version: current.version + 1,
            updated: Some((by, now)),
        })
    })
}

/// Where a goal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// Working towards it.
    Working,
    /// Done.
    Achieved,
    /// No longer wanted.
    Stopped,
}

impl GoalStatus {
    /// Every status.
    pub const ALL: [GoalStatus; 3] = [Self::Working, Self::Achieved, Self::Stopped];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Working => "working",
            Self::Achieved => "achieved",
            Self::Stopped => "stopped",
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

/// Something the person wants to be able to do again, set by them or with their clinician.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    /// Identifier.
    pub id: GoalId,
    /// Whose goal.
    pub patient_id: PatientId,
    /// The goal, in the person's words ("walk the dog to the park without stopping").
    pub text: String,
    /// Where it stands.
    pub status: GoalStatus,
    /// Who set it.
    pub set_by: Author,
    /// When it was set.
    pub set_at: Timestamp,
    /// When its status last changed.
    pub updated_at: Timestamp,
}

/// A new goal, checked.
pub fn new_goal(
    patient_id: PatientId,
    text: &str,
    by: Author,
    id: GoalId,
    now: Timestamp,
) -> Result<Goal, DomainError> {
    let mut errors = ValidationErrors::new();
    let text = errors.check("goal", required_text(text, GOAL_MAX));
    errors.into_result(|| {
        Some(Goal {
            id,
            patient_id,
            text: text?,
            status: GoalStatus::Working,
            set_by: by,
            set_at: now,
            updated_at: now,
        })
    })
}

/// What an entry in the passport's timeline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// The person's own note (how the exercises went, a question for next time).
    PatientNote,
    /// The plain-language treatment plan written after an appointment.
    TreatmentPlan(AppointmentId),
    /// What the multidisciplinary team decided about the person's care.
    MdtOutcome,
    /// The summary written when care under a referral finished, sent to the person and their GP.
    DischargeSummary(ReferralId),
}

impl EntryKind {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PatientNote => "patient_note",
            Self::TreatmentPlan(_) => "treatment_plan",
            Self::MdtOutcome => "mdt_outcome",
            Self::DischargeSummary(_) => "discharge_summary",
        }
    }
}

/// An entry in the passport's timeline, which the person and their care team both read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassportEntry {
    /// Identifier.
    pub id: PassportEntryId,
    /// Whose passport.
    pub patient_id: PatientId,
    /// What it is.
    pub kind: EntryKind,
    /// Who wrote it.
    pub author: Author,
    /// The words.
    pub body: String,
    /// When.
    pub at: Timestamp,
}

/// A new entry, checked: a person's note is theirs alone to write, a treatment plan their
/// care team's.
pub fn new_entry(
    patient_id: PatientId,
    kind: EntryKind,
    body: &str,
    author: Author,
    id: PassportEntryId,
    now: Timestamp,
) -> Result<PassportEntry, DomainError> {
    let allowed = match (kind, author) {
        (EntryKind::PatientNote, Author::Patient(by)) => by == patient_id,
        // A discharge summary has rules of its own: `new_discharge_summary`.
        (EntryKind::TreatmentPlan(_) | EntryKind::MdtOutcome, Author::Staff(_)) => true,
        _ => false,
    };
    if !allowed {
        return Err(DomainError::InvalidTransition {
            entity: "passport",
            from: kind.as_str(),
            action: "write",
        });
    }
    let mut errors = ValidationErrors::new();
    let body = errors.check("body", required_text(body, ENTRY_MAX));
    errors.into_result(|| {
        Some(PassportEntry {
            id,
            patient_id,
            kind,
            author,
            body: body?,
            at: now,
        })
    })
}

/// A referral's discharge summary, checked: written by staff, once, while care is open
/// (writing it discharges the referral) or after a discharge. The words are the `summary`
/// field; `written` says whether the referral already has one.
pub fn new_discharge_summary(
    referral: &crate::referral::ReferralRecord,
    written: bool,
    summary: &str,
    by: StaffUserId,
    id: PassportEntryId,
    now: Timestamp,
) -> Result<PassportEntry, DomainError> {
    use crate::referral::ReferralStatus;
    let mut errors = ValidationErrors::new();
    let body = errors.check("summary", required_text(summary, ENTRY_MAX));
    if written {
        errors.add("summary", Invalid("already-written"));
    } else if referral.service_id.is_none()
        || !matches!(
            referral.status,
            ReferralStatus::Waiting | ReferralStatus::Discharged
        )
    {
        errors.add("summary", Invalid("not-dischargeable"));
    }
    errors.into_result(|| {
        Some(PassportEntry {
            id,
            patient_id: referral.patient_id,
            kind: EntryKind::DischargeSummary(referral.id),
            author: Author::Staff(by),
            body: body?,
            at: now,
        })
    })
}

/// A structured note of an appointment, for the care team only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClinicalNote {
    /// Identifier.
    pub id: ClinicalNoteId,
    /// Whose care.
    pub patient_id: PatientId,
    /// The appointment it records.
    pub appointment_id: AppointmentId,
    /// The clinician who wrote it.
    pub author: StaffUserId,
    /// What the person said.
    pub subjective: Option<String>,
    /// What was examined and found.
    pub objective: Option<String>,
    /// The clinician's assessment.
    pub assessment: String,
    /// The plan agreed.
    pub plan: String,
    /// When it was written.
    pub at: Timestamp,
}

/// A clinical note as entered. Each part is up to 5,000 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ClinicalNoteAnswers {
    /// Subjective: what the person reports (optional).
    pub subjective: String,
    /// Objective: what the clinician found (optional).
    pub objective: String,
    /// Assessment (required).
    pub assessment: String,
    /// Plan (required).
    pub plan: String,
}

/// A clinical note, checked: the assessment and plan are required, every part has a limit.
pub fn new_clinical_note(
    patient_id: PatientId,
    appointment_id: AppointmentId,
    answers: &ClinicalNoteAnswers,
    author: StaffUserId,
    id: ClinicalNoteId,
    now: Timestamp,
) -> Result<ClinicalNote, DomainError> {
    let mut errors = ValidationErrors::new();
    let subjective = errors.check("subjective", optional_text(&answers.subjective, ENTRY_MAX));
    let objective = errors.check("objective", optional_text(&answers.objective, ENTRY_MAX));
    let assessment = errors.check("assessment", required_text(&answers.assessment, ENTRY_MAX));
    let plan = errors.check("plan", required_text(&answers.plan, ENTRY_MAX));
    errors.into_result(|| {
        Some(ClinicalNote {
            id,
            patient_id,
            appointment_id,
            author,
            subjective: subjective?,
            objective: objective?,
            assessment: assessment?,
            plan: plan?,
            at: now,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-01T10:00:00Z".parse().unwrap()
    }

    fn fields(problems: &DomainError) -> Vec<(String, &'static str)> {
        match problems {
            DomainError::Invalid(e) => e
                .errors()
                .iter()
                .map(|p| (p.field.to_string(), p.problem))
                .collect(),
            other => panic!("not validation errors: {other:?}"),
        }
    }

    #[test]
    fn about_changes_from_the_version_seen_and_names_every_problem() {
        let patient = PatientId::new();
        let by = Author::Patient(patient);
        let answers = AboutAnswers {
            what_matters: "  Playing with my grandchildren  ".into(),
            work: "Warehouse, lifting all day".into(),
            version: "0".into(),
            ..AboutAnswers::default()
        };
        let about = change_about(&About::default(), &answers, by, now()).unwrap();
        assert_eq!(
            about.what_matters.as_deref(),
            Some("Playing with my grandchildren")
        );
        assert_eq!(about.holistic.mood, None, "blank is nothing");
        assert_eq!(about.version, 1);
        assert_eq!(about.updated, Some((by, now())));
        // Made from version 0 again: someone changed it meanwhile.
        let stale = change_about(&about, &answers, by, now()).unwrap_err();
        assert_eq!(fields(&stale), [("version".to_owned(), "stale")]);
        let bad = AboutAnswers {
            mood: "x".repeat(ABOUT_MAX + 1),
            version: "one".into(),
            ..AboutAnswers::default()
        };
        assert_eq!(
            fields(&change_about(&about, &bad, by, now()).unwrap_err()),
            [
                ("mood".to_owned(), "too-long"),
                ("version".to_owned(), "invalid")
            ]
        );
    }

    #[test]
    fn goals_and_entries_are_checked_and_written_by_the_right_person() {
        let patient = PatientId::new();
        let goal = new_goal(
            patient,
            " Walk to the park ",
            Author::Patient(patient),
            GoalId::new(),
            now(),
        )
        .unwrap();
        assert_eq!(
            (goal.text.as_str(), goal.status),
            ("Walk to the park", GoalStatus::Working)
        );
        let empty = new_goal(patient, " ", Author::Patient(patient), GoalId::new(), now());
        assert_eq!(
            fields(&empty.unwrap_err()),
            [("goal".to_owned(), "required")]
        );
        assert_eq!(GoalStatus::parse("achieved"), Ok(GoalStatus::Achieved));
        assert!(GoalStatus::parse("nearly").is_err());

        let staff = Author::Staff(StaffUserId::new());
        let plan = EntryKind::TreatmentPlan(AppointmentId::new());
        assert!(
            new_entry(
                patient,
                plan,
                "Exercises daily",
                staff,
                PassportEntryId::new(),
                now()
            )
            .is_ok()
        );
        for (kind, author) in [
            (plan, Author::Patient(patient)),
            (EntryKind::PatientNote, staff),
            (EntryKind::PatientNote, Author::Patient(PatientId::new())),
        ] {
            assert!(matches!(
                new_entry(
                    patient,
                    kind,
                    "words",
                    author,
                    PassportEntryId::new(),
                    now()
                ),
                Err(DomainError::InvalidTransition { .. })
            ));
        }
        let long = "x".repeat(ENTRY_MAX + 1);
        let too_long = new_entry(
            patient,
            EntryKind::PatientNote,
            &long,
            Author::Patient(patient),
            PassportEntryId::new(),
            now(),
        );
        assert_eq!(
            fields(&too_long.unwrap_err()),
            [("body".to_owned(), "too-long")]
        );
    }

    #[test]
    fn a_clinical_note_needs_an_assessment_and_a_plan() {
        let answers = ClinicalNoteAnswers {
            subjective: "Knee gives way on stairs".into(),
            ..ClinicalNoteAnswers::default()
        };
        let missing = new_clinical_note(
            PatientId::new(),
            AppointmentId::new(),
            &answers,
            StaffUserId::new(),
            ClinicalNoteId::new(),
            now(),
        );
        assert_eq!(
            fields(&missing.unwrap_err()),
            [
                ("assessment".to_owned(), "required"),
                ("plan".to_owned(), "required")
            ]
        );
        let complete = ClinicalNoteAnswers {
            assessment: "Patellofemoral pain".into(),
            plan: "Quadriceps strengthening; review in 4 weeks".into(),
            ..answers
        };
        let note = new_clinical_note(
            PatientId::new(),
            AppointmentId::new(),
            &complete,
            StaffUserId::new(),
            ClinicalNoteId::new(),
            now(),
        )
        .unwrap();
        assert_eq!(note.objective, None);
        assert_eq!(note.subjective.as_deref(), Some("Knee gives way on stairs"));
    }

    #[test]
    fn a_discharge_summary_is_written_once_and_only_when_care_can_end() {
        use crate::event::Actor;
        use crate::ids::{ReferralId, ServiceId};
        use crate::referral::{
            FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference,
            ReferralSource, TriageDecision,
        };
        use crate::service::ServiceKind;
        let (mut referral, _) = Referral::receive(
            NewReferral::basic(
                PatientId::new(),
                ReferralSource::SelfReferral,
                ProblemArea::Knee,
                FreeText::parse("knee").unwrap(),
            ),
            ReferralId::new(),
            ReferralReference::from_random(7),
            Actor::System,
            now(),
        );
        let write = |r: &Referral, written: bool, words: &str| {
            new_discharge_summary(
                r,
                written,
                words,
                StaffUserId::new(),
                PassportEntryId::new(),
                now(),
            )
        };
        let untriaged = write(&referral, false, "Done").unwrap_err();
        assert_eq!(
            fields(&untriaged),
            [("summary".into(), "not-dischargeable")]
        );
        referral
            .accept(
                TriageDecision {
                    service_id: ServiceId::new(),
                    service_kind: ServiceKind::Physiotherapy,
                    priority: Priority::Routine,
                    note: None,
                    ready_for_surgery: None,
                },
                Actor::System,
                now(),
            )
            .unwrap();
        let entry = write(&referral, false, " Stronger now. ").unwrap();
        assert_eq!(entry.kind, EntryKind::DischargeSummary(referral.id));
        assert_eq!(entry.body, "Stronger now.");
        let again = write(&referral, true, "").unwrap_err();
        assert_eq!(
            fields(&again),
            [
                ("summary".into(), "required"),
                ("summary".into(), "already-written")
            ]
        );
    }
}
