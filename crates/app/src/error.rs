//! Application errors: what a caller can act on, with stable codes. Internals stay internal.

use jointly_domain::{DomainError, ValidationErrors};
use jointly_store::StoreError;

/// Why a use case did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input fields were invalid; each problem names its field.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The caller must sign in.
    #[error("not signed in")]
    NotSignedIn,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// Nothing there, or nothing the caller may see (the two look the same on purpose).
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state; the code says how.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Wrong code or password (deliberately not saying which part was wrong).
    #[error("sign-in failed")]
    SignInFailed,
    /// Too many attempts; try later.
    #[error("too many attempts")]
    TooManyAttempts,
    /// A dependency is down; try later.
    #[error("service unavailable")]
    Unavailable,
    /// Our bug. The detail is for logs only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Stable snake_case code for clients and translations.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_input",
            Self::NotSignedIn => "not_signed_in",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict(code) => code,
            Self::SignInFailed => "sign_in_failed",
            Self::TooManyAttempts => "too_many_attempts",
            Self::Unavailable => "unavailable",
            Self::Internal(_) => "internal_error",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(code) => Self::Conflict(code),
            StoreError::Unavailable(_) => Self::Unavailable,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<DomainError> for AppError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid(errors) => Self::Invalid(errors),
            DomainError::InvalidTransition { .. } => Self::Conflict("invalid_transition"),
            DomainError::SlotNotBookable("taken") => Self::Conflict("slot_taken"),
            DomainError::SlotNotBookable("too-soon") => Self::Conflict("slot_too_soon"),
            DomainError::SlotNotBookable(_) => Self::Conflict("slot_not_offered"),
        }
    }
}
