//! Exercise programmes: the library (exercises with steps, cautions, body areas, easier and
//! harder variants, video and image, in each language; condition templates), the programme a
//! clinician builds for a person (sets, repetitions, times a week, progression), the person's
//! log of each session (what they did, pain, difficulty), and adherence week by week.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::{ExerciseLogId, PatientId, ProgrammeId, StaffUserId};
use crate::passport::optional_text;

/// Most sets of one exercise in a session.
pub const SETS_MAX: u8 = 10;
/// Most repetitions in a set.
pub const REPS_MAX: u8 = 50;
/// Most sessions of one exercise a week (twice a day).
pub const PER_WEEK_MAX: u8 = 14;
/// Longest progression advice, in characters.
pub const NOTE_MAX: usize = 500;
/// Longest note on a logged session, in characters.
pub const LOG_NOTE_MAX: usize = 2_000;
/// Weeks of adherence shown.
pub const WEEKS_SHOWN: usize = 12;

/// An exercise's words in one language.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseText {
    /// Its name.
    pub name: String,
    /// How to do it, step by step.
    pub steps: Vec<String>,
    /// What to watch for.
    pub cautions: String,
}

/// One exercise of the library.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable code ("sit-to-stand").
    pub id: String,
    /// Body areas it is for (problem area codes).
    pub areas: Vec<String>,
    /// A video: an `https://` address (a hosted film of the exercise).
    #[serde(default)]
    pub video: Option<String>,
    /// A picture: an `https://` address.
    #[serde(default)]
    pub image: Option<String>,
    /// An easier exercise to step down to.
    #[serde(default)]
    pub easier: Option<String>,
    /// A harder exercise to progress to.
    #[serde(default)]
    pub harder: Option<String>,
    /// English words (required).
    pub en: ExerciseText,
    /// Polish.
    #[serde(default)]
    pub pl: Option<ExerciseText>,
    /// Urdu.
    #[serde(default)]
    pub ur: Option<ExerciseText>,
    /// Easy read.
    #[serde(default)]
    pub easy: Option<ExerciseText>,
}

impl Exercise {
    /// Its words in `language`, and whether that is the language asked for (false: English).
    pub fn text(&self, language: &str) -> (&ExerciseText, bool) {
        crate::education::in_language(language, &self.en, [&self.pl, &self.ur, &self.easy])
    }
}

/// A starting dose of one exercise in a template or programme.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dose {
    /// The exercise's code.
    pub exercise: String,
    /// Sets in a session.
    pub sets: u8,
    /// Repetitions in a set.
    pub reps: u8,
    /// Sessions a week.
    pub per_week: u8,
    /// How to progress it.
    #[serde(default)]
    pub progression: Option<String>,
}

/// A condition template: a starting programme a clinician adjusts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable code.
    pub id: String,
    /// The condition, for staff.
    pub name: String,
    /// Its exercises and doses.
    pub items: Vec<Dose>,
}

/// The exercise library, checked.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    /// The exercises, in the file's order.
    #[serde(rename = "exercise")]
    pub exercises: Vec<Exercise>,
    /// The condition templates.
    #[serde(rename = "template", default)]
    pub templates: Vec<Template>,
}

impl Library {
    /// Reads and checks a library: unique codes, known body areas, variants and template
    /// exercises that exist, steps in every language, doses within limits.
    pub fn parse(source: &str) -> Result<Self, String> {
        let library: Library = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut seen = HashSet::new();
        for exercise in &library.exercises {
            let id = &exercise.id;
            if id.is_empty() || !seen.insert(id.as_str()) {
                return Err(format!("exercise \"{id}\": empty or repeated code"));
            }
        }
        for exercise in &library.exercises {
            let id = &exercise.id;
            for area in &exercise.areas {
                if crate::referral::ProblemArea::parse(area).is_err() {
                    return Err(format!("exercise \"{id}\": unknown body area \"{area}\""));
                }
            }
            for media in exercise.video.iter().chain(&exercise.image) {
                if !media.starts_with("https://") || media.contains(char::is_whitespace) {
                    return Err(format!(
                        "exercise \"{id}\": \"{media}\" is not an https:// address"
                    ));
                }
            }
            for variant in exercise.easier.iter().chain(&exercise.harder) {
                if !seen.contains(variant.as_str()) || variant == id {
                    return Err(format!(
                        "exercise \"{id}\": no other exercise \"{variant}\""
                    ));
                }
            }
            for text in [
                Some(&exercise.en),
                exercise.pl.as_ref(),
                exercise.ur.as_ref(),
                exercise.easy.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                if text.name.trim().is_empty() || text.steps.is_empty() {
                    return Err(format!(
                        "exercise \"{id}\": a language has no name or steps"
                    ));
                }
            }
        }
        for template in &library.templates {
            if template.items.is_empty() {
                return Err(format!("template \"{}\": no exercises", template.id));
            }
            for dose in &template.items {
                if !seen.contains(dose.exercise.as_str()) {
                    return Err(format!(
                        "template \"{}\": no exercise \"{}\"",
                        template.id, dose.exercise
                    ));
                }
                if check_dose(dose).is_err() {
                    return Err(format!(
                        "template \"{}\": the dose of \"{}\" is out of range",
                        template.id, dose.exercise
                    ));
                }
            }
        }
        Ok(library)
    }

    /// The exercise with code `id`.
    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// The template with code `id`.
    pub fn template(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }
}

fn check_dose(dose: &Dose) -> Result<(), Invalid> {
    let fits = |n: u8, max: u8| (1..=max).contains(&n);
    if fits(dose.sets, SETS_MAX) && fits(dose.reps, REPS_MAX) && fits(dose.per_week, PER_WEEK_MAX) {
        Ok(())
    } else {
        Err(Invalid("out-of-range"))
    }
}

/// A person's exercise programme, built by a clinician.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Programme {
    /// Identifier.
    pub id: ProgrammeId,
    /// Whose.
    pub patient_id: PatientId,
    /// The exercises and doses, in the order to do them.
    pub items: Vec<Dose>,
    /// Who built it.
    pub by: StaffUserId,
    /// When (it starts that day).
    pub at: Timestamp,
}

impl Programme {
    /// The day it starts.
    pub fn starts(&self) -> Date {
        crate::local_date(self.at)
    }
}

/// A number in `1..=max`, from a form field.
fn count(input: &str, max: u8) -> Result<u8, Invalid> {
    match input.trim().parse::<u8>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        Ok(_) => Err(Invalid("out-of-range")),
        Err(_) if input.trim().is_empty() => Err(Invalid("required")),
        Err(_) => Err(Invalid("not-a-number")),
    }
}

/// Builds a programme from flat fields: `<code>` = `yes` for each exercise included, with
/// `<code>_sets`, `<code>_reps`, `<code>_per_week` and `<code>_progression`. At least one
/// exercise; every dose within limits; unknown fields named.
pub fn new_programme(
    library: &Library,
    patient_id: PatientId,
    answers: &HashMap<String, String>,
    by: StaffUserId,
    id: ProgrammeId,
    at: Timestamp,
) -> Result<Programme, DomainError> {
    let mut errors = ValidationErrors::new();
    let field = |name: &str| answers.get(name).map_or("", String::as_str);
    let mut items = Vec::new();
    for exercise in &library.exercises {
        let code = exercise.id.as_str();
        match field(code) {
            "" => continue,
            "yes" => {}
            _ => {
                errors.add_named(code.to_owned(), Invalid("choose"));
                continue;
            }
        }
        let mut part = |suffix: &str, max: u8| match count(field(&format!("{code}_{suffix}")), max)
        {
            Ok(n) => Some(n),
            Err(problem) => {
                errors.add_named(format!("{code}_{suffix}"), problem);
                None
            }
        };
        let (sets, reps, per_week) = (
            part("sets", SETS_MAX),
            part("reps", REPS_MAX),
            part("per_week", PER_WEEK_MAX),
        );
        let progression = match optional_text(field(&format!("{code}_progression")), NOTE_MAX) {
            Ok(text) => text,
            Err(problem) => {
                errors.add_named(format!("{code}_progression"), problem);
                None
            }
        };
        if let (Some(sets), Some(reps), Some(per_week)) = (sets, reps, per_week) {
            items.push(Dose {
                exercise: code.to_owned(),
                sets,
                reps,
                per_week,
                progression,
            });
        }
    }
    for name in answers.keys() {
        let known = library.exercises.iter().any(|e| {
            name == &e.id
                || name
                    .strip_prefix(e.id.as_str())
                    .and_then(|rest| rest.strip_prefix('_'))
                    .is_some_and(|part| ["sets", "reps", "per_week", "progression"].contains(&part))
        });
        if !known {
            errors.add_named(name.clone(), Invalid("unknown"));
        }
    }
    if errors.is_empty() && items.is_empty() {
        errors.add("exercises", Invalid("required"));
    }
    errors.into_result(|| {
        Some(Programme {
            id,
            patient_id,
            items,
            by,
            at,
        })
    })
}

/// How a session felt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Difficulty {
    /// Too easy: ready to progress.
    TooEasy,
    /// About right.
    Right,
    /// Too hard.
    TooHard,
}

impl Difficulty {
    /// Every answer.
    pub const ALL: [Difficulty; 3] = [Self::TooEasy, Self::Right, Self::TooHard];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TooEasy => "too_easy",
            Self::Right => "right",
            Self::TooHard => "too_hard",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }
}

/// One session, as the person logged it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseLog {
    /// Identifier.
    pub id: ExerciseLogId,
    /// The programme followed.
    pub programme_id: ProgrammeId,
    /// Whose.
    pub patient_id: PatientId,
    /// The day of the session.
    pub on: Date,
    /// The exercises done (codes in the programme).
    pub done: Vec<String>,
    /// Pain during or after, 0 (none) to 10 (worst imaginable).
    pub pain: u8,
    /// How hard it felt.
    pub difficulty: Difficulty,
    /// Anything to tell the clinician.
    pub note: Option<String>,
    /// When it was logged.
    pub at: Timestamp,
}

/// A logged session, checked: a day from the programme's start to today (`on`, as
/// `YYYY-MM-DD`), `done_<code>` = `yes` for exercises done (only the programme's), `pain`
/// 0–10, `difficulty`, and an optional `note`.
pub fn new_log(
    programme: &Programme,
    answers: &HashMap<String, String>,
    id: ExerciseLogId,
    now: Timestamp,
) -> Result<ExerciseLog, DomainError> {
    let mut errors = ValidationErrors::new();
    let field = |name: &str| answers.get(name).map_or("", String::as_str);
    let today = crate::local_date(now);
    let on = match field("on").trim() {
        "" => {
            errors.add("on", Invalid("required"));
            None
        }
        text => match text.parse::<Date>() {
            Ok(day) if day > today => {
                errors.add("on", Invalid("future"));
                None
            }
            Ok(day) if day < programme.starts() => {
                errors.add("on", Invalid("before-programme"));
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.add("on", Invalid("invalid"));
                None
            }
        },
    };
    let mut done = Vec::new();
    for (name, value) in answers {
        if let Some(code) = name.strip_prefix("done_") {
            if !programme.items.iter().any(|d| d.exercise == code) {
                errors.add_named(name.clone(), Invalid("unknown"));
            } else if value == "yes" {
                done.push(code.to_owned());
            }
        } else if !["on", "pain", "difficulty", "note"].contains(&name.as_str()) {
            errors.add_named(name.clone(), Invalid("unknown"));
        }
    }
    done.sort_by_key(|code| programme.items.iter().position(|d| &d.exercise == code));
    let pain = errors.check(
        "pain",
        match field("pain").trim() {
            "" => Err(Invalid("required")),
            text => text
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 10)
                .ok_or(Invalid("out-of-range")),
        },
    );
    let difficulty = errors.check("difficulty", Difficulty::parse(field("difficulty")));
    let note = errors.check("note", optional_text(field("note"), LOG_NOTE_MAX));
    errors.into_result(|| {
        Some(ExerciseLog {
            id,
            programme_id: programme.id,
            patient_id: programme.patient_id,
            on: on?,
            done,
            pain: pain?,
            difficulty: difficulty?,
            note: note?,
            at: now,
        })
    })
}

/// One week of a programme: sessions prescribed and done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekAdherence {
    /// The Monday the week starts.
    pub week_of: Date,
    /// Exercise sessions prescribed that week.
    pub expected: u32,
    /// Exercise sessions done (each exercise counted up to its times a week).
    pub done: u32,
}

impl WeekAdherence {
    /// Done as a whole percentage of prescribed.
    pub fn percent(&self) -> u32 {
        (self.done * 100).checked_div(self.expected).unwrap_or(0)
    }
}

/// Adherence week by week, from the week the programme started to the week of `today`, the
/// last [`WEEKS_SHOWN`] at most. Extra sessions of an exercise beyond its times a week do not
/// make up for another left undone.
pub fn adherence(programme: &Programme, logs: &[ExerciseLog], today: Date) -> Vec<WeekAdherence> {
    // Weeks start on Monday, as in the UK calendar.
    let monday = |day: Date| {
        let back = i64::from(day.weekday().to_monday_zero_offset());
        day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
    };
    let expected: u32 = programme.items.iter().map(|d| u32::from(d.per_week)).sum();
    let mut counts: BTreeMap<Date, HashMap<&str, u32>> = BTreeMap::new();
    for log in logs.iter().filter(|l| l.programme_id == programme.id) {
        let week = counts.entry(monday(log.on)).or_default();
        for code in &log.done {
            *week.entry(code.as_str()).or_default() += 1;
        }
    }
    let mut weeks = Vec::new();
    let mut week = monday(programme.starts());
    let last = monday(today);
    while week <= last {
        let done = programme
            .items
            .iter()
            .map(|dose| {
                let times = counts
                    .get(&week)
                    .and_then(|c| c.get(dose.exercise.as_str()))
                    .copied()
                    .unwrap_or(0);
                times.min(u32::from(dose.per_week))
            })
            .sum();
        weeks.push(WeekAdherence {
            week_of: week,
            expected,
            done,
        });
        week = week
            .checked_add(jiff::Span::new().days(7))
            .unwrap_or(Date::MAX);
    }
    let skip = weeks.len().saturating_sub(WEEKS_SHOWN);
    weeks.split_off(skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBRARY: &str = include_str!("../../../content/exercises/library.toml");

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

    fn start() -> Timestamp {
        "2026-11-02T10:00:00Z".parse().unwrap() // a Monday
    }

    fn programme(library: &Library) -> Programme {
        new_programme(
            library,
            PatientId::new(),
            &answers(&[
                ("quad-set", "yes"),
                ("quad-set_sets", "3"),
                ("quad-set_reps", "10"),
                ("quad-set_per_week", "7"),
                ("sit-to-stand", "yes"),
                ("sit-to-stand_sets", "2"),
                ("sit-to-stand_reps", "8"),
                ("sit-to-stand_per_week", "3"),
                ("sit-to-stand_progression", " Add a set when easy "),
            ]),
            StaffUserId::new(),
            ProgrammeId::new(),
            start(),
        )
        .unwrap()
    }

    #[test]
    fn the_shipped_library_is_complete_and_broken_ones_are_named() {
        let library = Library::parse(LIBRARY).unwrap();
        assert!(library.exercises.len() >= 10);
        assert!(library.template("knee").is_some());
        let sit = library.exercise("sit-to-stand").unwrap();
        assert_eq!(sit.text("pl").0.name, "Wstawanie z krzesła");
        assert_eq!(sit.text("easy"), (&sit.en, false), "falls back to English");
        let broken = LIBRARY.replace("harder = \"step-up\"", "harder = \"moonwalk\"");
        assert!(Library::parse(&broken).unwrap_err().contains("moonwalk"));
        let repeated = format!(
            "{LIBRARY}\n[[exercise]]\nid = \"clam\"\nareas = []\n[exercise.en]\nname = \"x\"\nsteps = [\"x\"]\ncautions = \"\"\n"
        );
        assert!(Library::parse(&repeated).unwrap_err().contains("repeated"));
        let film = LIBRARY.replace(
            "areas = [\"neck\"]",
            "areas = [\"neck\"]\nvideo = \"film.mp4\"",
        );
        assert!(Library::parse(&film).unwrap_err().contains("https://"));
        let elbow = LIBRARY.replace("areas = [\"neck\"]", "areas = [\"ear\"]");
        assert!(Library::parse(&elbow).unwrap_err().contains("ear"));
    }

    #[test]
    fn a_programme_names_every_problem() {
        let library = Library::parse(LIBRARY).unwrap();
        let made = programme(&library);
        assert_eq!(made.items.len(), 2);
        assert_eq!(
            made.items[1].progression.as_deref(),
            Some("Add a set when easy")
        );
        let empty = new_programme(
            &library,
            PatientId::new(),
            &HashMap::new(),
            StaffUserId::new(),
            ProgrammeId::new(),
            start(),
        );
        assert_eq!(
            problems(empty.unwrap_err()),
            [("exercises".to_owned(), "required")]
        );
        let bad = new_programme(
            &library,
            PatientId::new(),
            &answers(&[
                ("clam", "yes"),
                ("clam_sets", "0"),
                ("clam_reps", "ten"),
                ("clam_per_week", ""),
                ("juggling", "yes"),
            ]),
            StaffUserId::new(),
            ProgrammeId::new(),
            start(),
        );
        assert_eq!(
            problems(bad.unwrap_err()),
            [
                ("clam_per_week".to_owned(), "required"),
                ("clam_reps".to_owned(), "not-a-number"),
                ("clam_sets".to_owned(), "out-of-range"),
                ("juggling".to_owned(), "unknown"),
            ]
        );
    }

    #[test]
    fn logs_are_checked_and_adherence_counts_each_exercise_up_to_its_dose() {
        let library = Library::parse(LIBRARY).unwrap();
        let programme = programme(&library);
        let now: Timestamp = "2026-11-18T18:00:00Z".parse().unwrap(); // Wednesday, week 3
        let log = |on: &str, done: &[&str], pain: &str| {
            let mut fields = answers(&[("on", on), ("pain", pain), ("difficulty", "right")]);
            for code in done {
                fields.insert(format!("done_{code}"), "yes".into());
            }
            new_log(&programme, &fields, ExerciseLogId::new(), now)
        };
        assert_eq!(
            problems(log("2026-11-19", &[], "11").unwrap_err()),
            [
                ("on".to_owned(), "future"),
                ("pain".to_owned(), "out-of-range")
            ]
        );
        assert_eq!(
            problems(log("2026-11-01", &["clam"], "3").unwrap_err()),
            [
                ("done_clam".to_owned(), "unknown"),
                ("on".to_owned(), "before-programme")
            ]
        );
        let mut logs = Vec::new();
        // Week 1: quad sets every day (7 of 7), sit to stand five times (counts 3 of 3).
        for day in 2..=8 {
            let done: &[&str] = if day <= 6 {
                &["quad-set", "sit-to-stand"]
            } else {
                &["quad-set"]
            };
            logs.push(log(&format!("2026-11-{day:02}"), done, "4").unwrap());
        }
        // Week 2: one session of each.
        logs.push(log("2026-11-10", &["sit-to-stand", "quad-set"], "3").unwrap());
        assert_eq!(
            logs.last().unwrap().done,
            ["quad-set", "sit-to-stand"],
            "programme order"
        );
        let weeks = adherence(&programme, &logs, crate::local_date(now));
        assert_eq!(weeks.len(), 3);
        assert_eq!(
            (weeks[0].expected, weeks[0].done, weeks[0].percent()),
            (10, 10, 100)
        );
        assert_eq!((weeks[1].done, weeks[1].percent()), (2, 20));
        assert_eq!((weeks[2].done, weeks[2].percent()), (0, 0));
        assert_eq!(weeks[1].week_of.to_string(), "2026-11-09");
    }
}
