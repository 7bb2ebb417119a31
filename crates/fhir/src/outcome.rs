//! `OperationOutcome`: how every FHIR error is told, each issue naming what is wrong and, for
//! bad input, where (a FHIRPath expression such as `Patient.birthDate`).

use serde::{Deserialize, Serialize};

use crate::model::OperationOutcomeType;

/// The issue type (`OperationOutcome.issue.code`), from the R4 `issue-type` value set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueType {
    /// Content is invalid against the specification or a profile.
    Invalid,
    /// A required element is missing.
    Required,
    /// A value is not allowed.
    Value,
    /// Structural problem (cannot be parsed).
    Structure,
    /// The client is not signed in, or its token is not valid.
    Login,
    /// Not allowed (scope or relationship).
    Forbidden,
    /// Not supported by this server.
    NotSupported,
    /// No such resource.
    NotFound,
    /// Resource version conflict (If-Match, or the slot was taken).
    Conflict,
    /// A business rule stopped it.
    BusinessRule,
    /// Too many requests.
    Throttled,
    /// Something failed inside the server.
    Exception,
    /// Information, not an error.
    Informational,
}

/// How bad an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The request failed.
    Error,
    /// Worth knowing.
    Warning,
    /// Information only.
    Information,
}

/// One issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Issue {
    /// How bad.
    pub severity: Severity,
    /// What kind.
    pub code: IssueType,
    /// What went wrong, in words for the developer of the calling system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<String>,
    /// Where, as FHIRPath.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expression: Vec<String>,
}

/// An `OperationOutcome` resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperationOutcome {
    /// Always `OperationOutcome`.
    pub resource_type: OperationOutcomeType,
    /// At least one issue.
    pub issue: Vec<Issue>,
}

impl OperationOutcome {
    /// One error.
    pub fn error(code: IssueType, diagnostics: impl Into<String>) -> Self {
        Self::of(vec![Issue {
            severity: Severity::Error,
            code,
            diagnostics: Some(diagnostics.into()),
            expression: Vec::new(),
        }])
    }

    /// Several issues.
    pub fn of(issue: Vec<Issue>) -> Self {
        Self {
            resource_type: OperationOutcomeType,
            issue,
        }
    }

    /// An error at `expression`.
    pub fn at(code: IssueType, expression: &str, diagnostics: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            code,
            diagnostics: Some(diagnostics.into()),
            expression: vec![expression.to_owned()],
        }
    }
}
