//! Outcome measures: short questionnaires, loaded as data (Jointly's own, and any licensed
//! instrument a service adds in the same format), that a person answers at the start of their
//! care, during it and at discharge; requests to answer them; scored responses; and the change
//! from the first answer to the latest.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::conversation::Author;
use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::{MeasureRequestId, MeasureResponseId, PatientId, StaffUserId};

/// Longest free-text answer, in characters.
pub const TEXT_MAX: usize = 200;

/// Words in each language; English is required, the others fall back to it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// English.
    pub en: String,
    /// Polish.
    #[serde(default)]
    pub pl: Option<String>,
    /// Urdu.
    #[serde(default)]
    pub ur: Option<String>,
    /// Easy read.
    #[serde(default)]
    pub easy: Option<String>,
}

impl Words {
    /// The words in `language` ("en", "pl", "ur", "easy"), and whether they are in it (false:
    /// English instead).
    pub fn get(&self, language: &str) -> (&str, bool) {
        let translated = match language {
            "pl" => self.pl.as_deref(),
            "ur" => self.ur.as_deref(),
            "easy" => self.easy.as_deref(),
            _ => Some(self.en.as_str()),
        };
        translated.map_or((self.en.as_str(), language == "en"), |t| (t, true))
    }
}

/// What kind of answer an item takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A whole number from `min` to `max`, scored.
    Scale,
    /// A few words (the activity a goal score is about), not scored.
    Text,
}

/// One question of a measure.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureItem {
    /// Code, unique in the measure (also the form field).
    pub id: String,
    /// Scale or text.
    pub kind: ItemKind,
    /// Lowest score (scale items).
    #[serde(default)]
    pub min: u8,
    /// Highest score (scale items).
    #[serde(default)]
    pub max: u8,
    /// The question.
    pub text: Words,
    /// What the lowest score means.
    #[serde(default)]
    pub low: Option<Words>,
    /// What the highest score means.
    #[serde(default)]
    pub high: Option<Words>,
}

/// An outcome measure.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Code ("pain").
    pub id: String,
    /// Its name.
    pub name: Words,
    /// Whether a higher score is better (a goal score) or worse (pain).
    pub higher_is_better: bool,
    /// Who owns it and on what terms.
    pub licence: String,
    /// Its questions.
    #[serde(rename = "item")]
    pub items: Vec<MeasureItem>,
}

impl Measure {
    /// The highest possible score.
    pub fn max_score(&self) -> u32 {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::Scale)
            .map(|i| u32::from(i.max))
            .sum()
    }

    /// The lowest possible score.
    pub fn min_score(&self) -> u32 {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::Scale)
            .map(|i| u32::from(i.min))
            .sum()
    }
}

/// The measures a service uses, checked.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    /// Every measure, in the file's order.
    #[serde(rename = "measure")]
    pub measures: Vec<Measure>,
}

impl Measures {
    /// Reads and checks measures: unique codes, at least one scale item each, scales with
    /// `min` below `max`.
    pub fn parse(source: &str) -> Result<Self, String> {
        let parsed: Measures = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut codes = HashSet::new();
        for measure in &parsed.measures {
            let id = &measure.id;
            if id.is_empty() || !codes.insert(id.as_str()) {
                return Err(format!("measure \"{id}\": empty or repeated code"));
            }
            let mut items = HashSet::new();
            for item in &measure.items {
                if item.id.is_empty() || !items.insert(item.id.as_str()) {
                    return Err(format!(
                        "measure \"{id}\": empty or repeated item \"{}\"",
                        item.id
                    ));
                }
                if item.kind == ItemKind::Scale && item.min >= item.max {
                    return Err(format!(
                        "measure \"{id}\" item \"{}\": min must be below max",
                        item.id
                    ));
                }
            }
            if measure.max_score() == 0 {
                return Err(format!("measure \"{id}\": no scale item to score"));
            }
        }
        Ok(parsed)
    }

    /// The measure with code `id`.
    pub fn get(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }
}

/// When in the person's care a measure is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timepoint {
    /// At the start (first assessment).
    Start,
    /// Along the way.
    During,
    /// At discharge.
    Discharge,
}

impl Timepoint {
    /// Every timepoint.
    pub const ALL: [Timepoint; 3] = [Self::Start, Self::During, Self::Discharge];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::During => "during",
            Self::Discharge => "discharge",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }
}

/// A clinician's request that the person answer a measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureRequest {
    /// Identifier.
    pub id: MeasureRequestId,
    /// Who is asked.
    pub patient_id: PatientId,
    /// The measure's code.
    pub measure: String,
    /// When in their care.
    pub timepoint: Timepoint,
    /// Who asked.
    pub by: StaffUserId,
    /// When.
    pub at: Timestamp,
    /// When it was answered.
    pub answered_at: Option<Timestamp>,
}

/// Checks a request to answer measures: at least one known measure, and a timepoint.
pub fn new_requests(
    measures: &Measures,
    patient_id: PatientId,
    codes: &[String],
    timepoint: &str,
    by: StaffUserId,
    at: Timestamp,
) -> Result<Vec<MeasureRequest>, DomainError> {
    let mut errors = ValidationErrors::new();
    let timepoint = errors.check("timepoint", Timepoint::parse(timepoint));
    let mut chosen: Vec<&str> = Vec::new();
    for code in codes {
        match measures.get(code.trim()) {
            Some(m) if !chosen.contains(&m.id.as_str()) => chosen.push(&m.id),
            Some(_) => {}
            None => errors.add("measures", Invalid("choose")),
        }
    }
    if chosen.is_empty() && errors.is_empty() {
        errors.add("measures", Invalid("required"));
    }
    errors.into_result(|| {
        let timepoint = timepoint?;
        Some(
            chosen
                .iter()
                .map(|code| MeasureRequest {
                    id: MeasureRequestId::new(),
                    patient_id,
                    measure: (*code).to_owned(),
                    timepoint,
                    by,
                    at,
                    answered_at: None,
                })
                .collect(),
        )
    })
}

/// A scored answer to a measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureResponse {
    /// Identifier.
    pub id: MeasureResponseId,
    /// Whose.
    pub patient_id: PatientId,
    /// The measure's code.
    pub measure: String,
    /// When in their care.
    pub timepoint: Timepoint,
    /// The request it answers, if one was made.
    pub request_id: Option<MeasureRequestId>,
    /// The answers by item code, as given.
    pub answers: BTreeMap<String, String>,
    /// The score: the sum of the scale items.
    pub score: u32,
    /// Who entered it: the person, or staff from paper or the phone.
    pub entered_by: Author,
    /// When.
    pub at: Timestamp,
}

/// Whose answers, when in their care, and the request they answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asked {
    /// Whose.
    pub patient_id: PatientId,
    /// When in their care.
    pub timepoint: Timepoint,
    /// The request answered, if one was made.
    pub request_id: Option<MeasureRequestId>,
}

/// Checks and scores answers to `measure`: every item answered (scales as whole numbers in
/// range, text within [`TEXT_MAX`]); unknown fields named.
pub fn score(
    measure: &Measure,
    asked: Asked,
    answers: &HashMap<String, String>,
    entered_by: Author,
    id: MeasureResponseId,
    at: Timestamp,
) -> Result<MeasureResponse, DomainError> {
    let mut errors = ValidationErrors::new();
    let mut kept = BTreeMap::new();
    let mut total = 0u32;
    for item in &measure.items {
        let answer = answers.get(&item.id).map_or("", |a| a.trim());
        let checked = match item.kind {
            _ if answer.is_empty() => Err(Invalid("required")),
            ItemKind::Scale => match answer.parse::<u8>() {
                Ok(n) if (item.min..=item.max).contains(&n) => {
                    total += u32::from(n);
                    Ok(())
                }
                _ => Err(Invalid("out-of-range")),
            },
            ItemKind::Text if answer.chars().count() > TEXT_MAX => Err(Invalid("too-long")),
            ItemKind::Text => Ok(()),
        };
        match checked {
            Ok(()) => {
                kept.insert(item.id.clone(), answer.to_owned());
            }
            Err(problem) => errors.add_named(item.id.clone(), problem),
        }
    }
    for name in answers.keys() {
        if !measure.items.iter().any(|i| &i.id == name) {
            errors.add_named(name.clone(), Invalid("unknown"));
        }
    }
    errors.into_result(|| {
        Some(MeasureResponse {
            id,
            patient_id: asked.patient_id,
            measure: measure.id.clone(),
            timepoint: asked.timepoint,
            request_id: asked.request_id,
            answers: kept,
            score: total,
            entered_by,
            at,
        })
    })
}

/// How a measure has changed from the first answer to the latest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Better by this many points.
    Better(u32),
    /// Worse by this many points.
    Worse(u32),
    /// The same.
    Same,
}

/// The change between the first and the latest of `responses` (oldest first) to `measure`,
/// once there are two.
pub fn change(measure: &Measure, responses: &[&MeasureResponse]) -> Option<Change> {
    let (first, last) = (responses.first()?, responses.last()?);
    if responses.len() < 2 {
        return None;
    }
    let up = last.score.abs_diff(first.score);
    Some(
        match (last.score.cmp(&first.score), measure.higher_is_better) {
            (std::cmp::Ordering::Equal, _) => Change::Same,
            (std::cmp::Ordering::Greater, true) | (std::cmp::Ordering::Less, false) => {
                Change::Better(up)
            }
            _ => Change::Worse(up),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEASURES: &str = include_str!("../../../content/measures/measures.toml");

    fn at() -> Timestamp {
        "2026-12-01T10:00:00Z".parse().unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn problems(error: DomainError) -> Vec<(String, &'static str)> {
        let DomainError::Invalid(errors) = error else {
            panic!("not validation errors")
        };
        let mut found: Vec<_> = errors
            .errors()
            .iter()
            .map(|e| (e.field.to_string(), e.problem))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn the_shipped_measures_load_and_broken_ones_are_named() {
        let measures = Measures::parse(MEASURES).unwrap();
        let function = measures.get("function").unwrap();
        assert_eq!((function.min_score(), function.max_score()), (0, 30));
        assert_eq!(measures.get("goal").unwrap().max_score(), 10);
        assert_eq!(function.name.get("pl"), ("Codzienne życie", true));
        let twice = MEASURES.replace("id = \"goal\"", "id = \"pain\"");
        assert!(Measures::parse(&twice).unwrap_err().contains("repeated"));
        let upside_down = MEASURES.replacen("min = 0\nmax = 10", "min = 10\nmax = 0", 1);
        assert!(
            Measures::parse(&upside_down)
                .unwrap_err()
                .contains("min must be below max")
        );
    }

    #[test]
    fn answers_are_scored_and_every_problem_named() {
        let measures = Measures::parse(MEASURES).unwrap();
        let function = measures.get("function").unwrap();
        let patient = PatientId::new();
        let by = Author::Patient(patient);
        let bad = score(
            function,
            Asked {
                patient_id: patient,
                timepoint: Timepoint::Start,
                request_id: None,
            },
            &answers(&[("daily", "11"), ("work", "x"), ("mood", "3")]),
            by,
            MeasureResponseId::new(),
            at(),
        );
        assert_eq!(
            problems(bad.unwrap_err()),
            [
                ("daily".to_owned(), "out-of-range"),
                ("mood".to_owned(), "unknown"),
                ("sleep".to_owned(), "required"),
                ("work".to_owned(), "out-of-range"),
            ]
        );
        let first = score(
            function,
            Asked {
                patient_id: patient,
                timepoint: Timepoint::Start,
                request_id: None,
            },
            &answers(&[("daily", "7"), ("work", "8"), ("sleep", "6")]),
            by,
            MeasureResponseId::new(),
            at(),
        )
        .unwrap();
        assert_eq!(first.score, 21);
        let later = score(
            function,
            Asked {
                patient_id: patient,
                timepoint: Timepoint::Discharge,
                request_id: None,
            },
            &answers(&[("daily", "2"), ("work", "3"), ("sleep", "1")]),
            by,
            MeasureResponseId::new(),
            at(),
        )
        .unwrap();
        assert_eq!(change(function, &[&first]), None);
        assert_eq!(
            change(function, &[&first, &later]),
            Some(Change::Better(15))
        );
        let goal = measures.get("goal").unwrap();
        let aim = |n: &str| {
            score(
                goal,
                Asked {
                    patient_id: patient,
                    timepoint: Timepoint::During,
                    request_id: None,
                },
                &answers(&[("activity", "Walk the dog"), ("ability", n)]),
                by,
                MeasureResponseId::new(),
                at(),
            )
            .unwrap()
        };
        let (low, high) = (aim("3"), aim("8"));
        assert_eq!(
            change(goal, &[&low, &high]),
            Some(Change::Better(5)),
            "higher is better"
        );
        assert_eq!(change(goal, &[&high, &low]), Some(Change::Worse(5)));
    }

    #[test]
    fn requests_name_a_known_measure_and_a_timepoint() {
        let measures = Measures::parse(MEASURES).unwrap();
        let ask = |codes: &[&str], when: &str| {
            new_requests(
                &measures,
                PatientId::new(),
                &codes.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>(),
                when,
                StaffUserId::new(),
                at(),
            )
        };
        assert_eq!(
            problems(ask(&[], "soon").unwrap_err()),
            [("timepoint".to_owned(), "choose")]
        );
        assert_eq!(
            problems(ask(&[], "start").unwrap_err()),
            [("measures".to_owned(), "required")]
        );
        assert_eq!(
            problems(ask(&["pain", "happiness"], "start").unwrap_err()),
            [("measures".to_owned(), "choose")]
        );
        let made = ask(&["pain", "goal", "pain"], "start").unwrap();
        assert_eq!(made.len(), 2);
        assert_eq!(made[1].timepoint, Timepoint::Start);
    }
}
