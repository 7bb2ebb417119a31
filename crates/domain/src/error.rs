//! Domain errors: field-level validation problems and broken rules.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// Why a single value was refused, as a stable kebab-case code (for example `check-digit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A problem with one named field of some input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The input field, as named in forms and JSON (snake_case); for questionnaire answers,
    /// the question's link id.
    pub field: Cow<'static, str>,
    /// The problem, as a stable kebab-case code.
    pub problem: &'static str,
}

impl FieldError {
    /// The stable message key for this problem: `error-<field>-<problem>`.
    pub fn message_key(&self) -> String {
        format!("error-{}-{}", self.field, self.problem)
    }
}

/// Every field problem found in one input, in the order the fields appear.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &'static str, problem: Invalid) {
        self.0.push(FieldError {
            field: Cow::Borrowed(field),
            problem: problem.0,
        });
    }

    /// Records a problem with a field named at run time, such as a question's link id.
    pub fn add_named(&mut self, field: String, problem: Invalid) {
        self.0.push(FieldError {
            field: Cow::Owned(field),
            problem: problem.0,
        });
    }

    /// Adds every problem from `other`.
    pub fn extend(&mut self, other: ValidationErrors) {
        self.0.extend(other.0);
    }

    /// Parses one field, recording its problem and returning `None` if it is invalid.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems found.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// The problem recorded for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// `Ok(value)` when no problems were recorded, otherwise the problems.
    pub fn into_result<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, DomainError> {
        if self.is_empty() {
            value().ok_or(DomainError::Invalid(self))
        } else {
            Err(DomainError::Invalid(self))
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.problem))
            .collect();
        f.write_str(&fields.join(", "))
    }
}

/// A broken domain rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Some input fields were invalid.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The record is not in a state that allows the action.
    #[error("cannot {action} a {entity} that is {from}")]
    InvalidTransition {
        /// The kind of record, for example `referral`.
        entity: &'static str,
        /// The state it is in.
        from: &'static str,
        /// What was attempted.
        action: &'static str,
    },
    /// The slot cannot be booked for this referral.
    #[error("slot cannot be booked: {0}")]
    SlotNotBookable(&'static str),
}

impl DomainError {
    /// A single-field validation error.
    pub fn field(field: &'static str, problem: Invalid) -> Self {
        let mut errors = ValidationErrors::new();
        errors.add(field, problem);
        Self::Invalid(errors)
    }
}
