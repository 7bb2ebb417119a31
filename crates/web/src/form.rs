//! Form state for re-showing a form: what was entered, and each problem in words, so the page
//! can show an error summary that links to each field and a message beside it.

use std::collections::HashMap;

use jointly_domain::ValidationErrors;

use crate::render::{PageContext, Text};

/// One problem, ready to show.
pub(crate) struct FormProblem {
    /// The field's name.
    pub(crate) field: String,
    /// The id to link to from the summary (the first input of the field).
    pub(crate) anchor: String,
    /// The message, translated.
    pub(crate) message: Text,
}

/// The values and problems of a form being shown.
#[derive(Default)]
pub(crate) struct FormState {
    values: HashMap<String, String>,
    problems: Vec<FormProblem>,
}

/// Fields entered as day, month and year boxes; the summary links to the day box.
const DATE_FIELDS: [&str; 1] = ["date_of_birth"];

impl FormState {
    /// A form showing `values`.
    pub(crate) fn with_values(values: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        Self {
            values: values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            problems: Vec::new(),
        }
    }

    /// A form showing values keyed by field name.
    pub(crate) fn from_map(values: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            values: values.into_iter().collect(),
            problems: Vec::new(),
        }
    }

    /// Adds the problems in `errors`, translated for `page`. A field with no message of its
    /// own (a question from the questionnaire) gets the general message for its problem,
    /// naming the question as `question(field)` words it.
    pub(crate) fn with_errors_named(
        mut self,
        errors: &ValidationErrors,
        page: &PageContext,
        question: impl Fn(&str) -> Option<String>,
    ) -> Self {
        for error in errors.errors() {
            let field = error.field.as_ref();
            let anchor = if DATE_FIELDS.contains(&field) {
                format!("{field}-day")
            } else {
                field.to_owned()
            };
            let key = error.message_key();
            let message = match question(field) {
                Some(words) if !page.has(&key) => {
                    page.t1(&format!("error-item-{}", error.problem), "question", words)
                }
                _ => page.t(&key),
            };
            self.problems.push(FormProblem {
                field: field.to_owned(),
                anchor,
                message,
            });
        }
        self
    }

    /// Adds the problems in `errors`, translated for `page`.
    pub(crate) fn with_errors(self, errors: &ValidationErrors, page: &PageContext) -> Self {
        self.with_errors_named(errors, page, |_| None)
    }

    /// Adds one problem that is not about a single field's format (for example a wrong code).
    pub(crate) fn with_problem(mut self, field: &str, message: Text) -> Self {
        self.problems.push(FormProblem {
            field: field.to_owned(),
            anchor: field.to_owned(),
            message,
        });
        self
    }

    /// Points each problem's link at `href(field)` (a page where it can be put right) instead
    /// of a field on this page.
    pub(crate) fn link_problems(&mut self, href: impl Fn(&str) -> String) {
        for problem in &mut self.problems {
            problem.anchor = href(&problem.field);
        }
    }

    /// Fills `field` with `value` (a suggestion shown before anything is entered).
    pub(crate) fn set(&mut self, field: &str, value: &str) {
        self.values.insert(field.to_owned(), value.to_owned());
    }

    /// What was entered in `field`.
    pub(crate) fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    /// What was entered in one box of a multi-box field, for example the day of a date.
    pub(crate) fn part(&self, field: &str, part: &str) -> &str {
        self.value(&format!("{field}_{part}"))
    }

    /// True when `field` holds `value` (for radios and selects).
    pub(crate) fn is(&self, field: &str, value: &str) -> bool {
        self.value(field) == value
    }

    /// The problem with `field`, if any.
    pub(crate) fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// Every problem, in field order.
    pub(crate) fn problems(&self) -> &[FormProblem] {
        &self.problems
    }
}
