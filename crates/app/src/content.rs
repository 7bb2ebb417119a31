//! The clinical content Jointly runs on: the intake questionnaire and the triage pathway, the
//! exercise library, the outcome measures, the education pages and the community directory.
//! All ship inside the binary; a service may point Jointly at its own questionnaire, pathway,
//! measures and directory, which are checked completely before anything starts.

use std::path::Path;

use jointly_domain::choice::{DirectoryError, PostcodeDirectory};
use jointly_domain::directory::Directory;
use jointly_domain::education::Education;
use jointly_domain::exercise::Library;
use jointly_domain::measure::Measures;
use jointly_domain::pathway::{Pathway, PathwayError};
use jointly_domain::questionnaire::{Questionnaire, QuestionnaireError};
use jointly_domain::rota::BankHolidays;

/// The questionnaire shipped with Jointly.
pub(crate) const QUESTIONNAIRE: &str =
    include_str!("../../../content/questionnaires/msk-self-referral.json");
/// The triage pathway shipped with Jointly.
pub(crate) const PATHWAY: &str = include_str!("../../../content/pathways/msk-pathway.toml");
/// The postcode district centres shipped with Jointly, for distances to clinics.
pub(crate) const POSTCODES: &str = include_str!("../../../content/postcodes/districts.csv");
pub(crate) const BANK_HOLIDAYS: &str = include_str!("../../../content/calendar/bank-holidays.csv");
/// The outcome measures shipped with Jointly.
pub(crate) const MEASURES: &str = include_str!("../../../content/measures/measures.toml");
/// The exercise library shipped with Jointly.
pub(crate) const EXERCISES: &str = include_str!("../../../content/exercises/library.toml");
/// The education and self-help pages shipped with Jointly.
pub(crate) const EDUCATION: &str = include_str!("../../../content/education/topics.toml");
/// The sample community directory shipped with Jointly (a service replaces it with its own).
pub(crate) const DIRECTORY: &str = include_str!("../../../content/directory/community.toml");

/// The loaded, checked questionnaire and pathway.
#[derive(Clone, Debug)]
pub struct Content {
    /// The intake questions.
    pub questionnaire: Questionnaire,
    /// The same, as the FHIR Questionnaire resource it is written as (served at /fhir).
    pub questionnaire_resource: std::sync::Arc<serde_json::Value>,
    /// The triage rules that read them.
    pub pathway: Pathway,
    /// Where postcode districts are, for "near home" and "near work".
    pub postcodes: PostcodeDirectory,
    /// The bank holidays rotas skip.
    pub bank_holidays: BankHolidays,
    /// The exercise library and condition templates.
    pub exercises: Library,
    /// The outcome measures.
    pub measures: Measures,
    /// Condition pages, self-help while waiting and pain management.
    pub education: Education,
    /// The community services people are signposted or referred to.
    pub directory: Directory,
}

/// Why content was refused, naming the file and, where known, the line.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A file could not be read.
    #[error("{file}: cannot read it: {reason}")]
    Unreadable {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// The questionnaire is malformed.
    #[error("{file}: {error}")]
    Questionnaire {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: QuestionnaireError,
    },
    /// The postcode directory is malformed.
    #[error("{file}: {error}")]
    Postcodes {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: DirectoryError,
    },
    /// The outcome measures are malformed.
    #[error("{file}: {error}")]
    Measures {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: String,
    },
    /// The exercise library is malformed.
    #[error("{file}: {error}")]
    Exercises {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: String,
    },
    /// The education pages are malformed.
    #[error("{file}: {error}")]
    Education {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: String,
    },
    /// The community directory is malformed.
    #[error("{file}: {error}")]
    Directory {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: String,
    },
    /// The bank-holiday calendar is malformed.
    #[error("{file}: {error}")]
    Calendar {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: String,
    },
    /// The pathway is malformed.
    #[error("{file}: line {}: {}", error.line, error.problem)]
    Pathway {
        /// The file.
        file: String,
        /// What is wrong, and where.
        error: PathwayError,
    },
}

fn directory(text: &str, file: &str) -> Result<Directory, ContentError> {
    Directory::parse(text).map_err(|error| ContentError::Directory {
        file: file.to_owned(),
        error,
    })
}

fn measures(text: &str, file: &str) -> Result<Measures, ContentError> {
    Measures::parse(text).map_err(|error| ContentError::Measures {
        file: file.to_owned(),
        error,
    })
}

impl Content {
    /// Checks a questionnaire and a pathway given as text; `names` label them in errors.
    pub fn parse(
        questionnaire: &str,
        pathway: &str,
        names: (&str, &str),
    ) -> Result<Self, ContentError> {
        let questionnaire_resource = std::sync::Arc::new(
            serde_json::from_str(questionnaire).unwrap_or(serde_json::Value::Null),
        );
        let questionnaire =
            Questionnaire::parse(questionnaire).map_err(|error| ContentError::Questionnaire {
                file: names.0.to_owned(),
                error,
            })?;
        let pathway =
            Pathway::parse(pathway, &questionnaire).map_err(|error| ContentError::Pathway {
                file: names.1.to_owned(),
                error,
            })?;
        let postcodes =
            PostcodeDirectory::parse(POSTCODES).map_err(|error| ContentError::Postcodes {
                file: "content/postcodes/districts.csv".to_owned(),
                error,
            })?;
        let bank_holidays =
            BankHolidays::parse(BANK_HOLIDAYS).map_err(|error| ContentError::Calendar {
                file: "content/calendar/bank-holidays.csv".to_owned(),
                error,
            })?;
        let exercises = Library::parse(EXERCISES).map_err(|error| ContentError::Exercises {
            file: "content/exercises/library.toml".to_owned(),
            error,
        })?;
        let measures = measures(MEASURES, "content/measures/measures.toml")?;
        let education = Education::parse(EDUCATION, |code| exercises.exercise(code).is_some())
            .map_err(|error| ContentError::Education {
                file: "content/education/topics.toml".to_owned(),
                error,
            })?;
        let directory = directory(DIRECTORY, "content/directory/community.toml")?;
        Ok(Self {
            questionnaire,
            questionnaire_resource,
            pathway,
            postcodes,
            bank_holidays,
            exercises,
            measures,
            education,
            directory,
        })
    }

    /// The content shipped with Jointly.
    pub fn embedded() -> Result<Self, ContentError> {
        Self::parse(
            QUESTIONNAIRE,
            PATHWAY,
            (
                "content/questionnaires/msk-self-referral.json",
                "content/pathways/msk-pathway.toml",
            ),
        )
    }

    /// The shipped content with any file replaced by the service's own.
    pub fn load(
        questionnaire: Option<&Path>,
        pathway: Option<&Path>,
        measures_file: Option<&Path>,
        directory_file: Option<&Path>,
    ) -> Result<Self, ContentError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|e| ContentError::Unreadable {
                file: path.display().to_string(),
                reason: e.kind().to_string(),
            })
        };
        let q_text = questionnaire.map(read).transpose()?;
        let p_text = pathway.map(read).transpose()?;
        let q_name = questionnaire.map_or_else(
            || "content/questionnaires/msk-self-referral.json".to_owned(),
            |p| p.display().to_string(),
        );
        let p_name = pathway.map_or_else(
            || "content/pathways/msk-pathway.toml".to_owned(),
            |p| p.display().to_string(),
        );
        let mut content = Self::parse(
            q_text.as_deref().unwrap_or(QUESTIONNAIRE),
            p_text.as_deref().unwrap_or(PATHWAY),
            (&q_name, &p_name),
        )?;
        if let Some(path) = measures_file {
            content.measures = measures(&read(path)?, &path.display().to_string())?;
        }
        if let Some(path) = directory_file {
            content.directory = directory(&read(path)?, &path.display().to_string())?;
        }
        Ok(content)
    }
}
