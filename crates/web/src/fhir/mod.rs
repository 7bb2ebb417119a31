//! The FHIR R4 API under `/fhir`: thin handlers that read FHIR JSON, call one use case and
//! answer with a resource (`application/fhir+json`, with `ETag` where the record is versioned)
//! or an `OperationOutcome` naming what is wrong. Connected systems sign in with client
//! credentials at `/fhir/token`; the app checks scopes and relationships.

pub(crate) mod care_plan;
pub(crate) mod directory;
pub(crate) mod metadata;
pub(crate) mod patient;
pub(crate) mod records;
pub(crate) mod referral;
pub(crate) mod scheduling;
pub(crate) mod transaction;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::{CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jointly_app::{AppError, Page};
use jointly_fhir::{IssueType, OperationOutcome};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::WebError;

/// A FHIR resource in the body (`application/fhir+json` or `application/json`), refused with
/// an OperationOutcome naming what is wrong.
pub(crate) struct FhirBody<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for FhirBody<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case(jointly_fhir::MEDIA_TYPE)
                    || m.eq_ignore_ascii_case("application/json")
            });
        if !is_json {
            return Err(outcome(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                OperationOutcome::error(
                    IssueType::NotSupported,
                    "send the resource as application/fhir+json",
                ),
            ));
        }
        let body = Bytes::from_request(request, state).await.map_err(|_| {
            outcome(
                StatusCode::PAYLOAD_TOO_LARGE,
                OperationOutcome::error(IssueType::Structure, "the resource is too large"),
            )
        })?;
        serde_json::from_slice(&body).map(FhirBody).map_err(|e| {
            outcome(
                StatusCode::BAD_REQUEST,
                OperationOutcome::error(IssueType::Structure, e.to_string()),
            )
        })
    }
}

/// An error answered with `outcome`.
pub(crate) fn outcome(status: StatusCode, outcome: OperationOutcome) -> WebError {
    WebError {
        outcome: Some(Box::new(outcome)),
        ..WebError::new(status, "fhir")
    }
}

/// Bad input found while reading a resource or a search: 400 with its issues.
pub(crate) fn invalid(found: OperationOutcome) -> WebError {
    outcome(StatusCode::BAD_REQUEST, found)
}

/// What a conflict's code means, for the developer of the calling system.
fn conflict_words(code: &str) -> &str {
    match code {
        "slot_taken" => "the slot is no longer free (someone booked it a moment ago); search again",
        "version_changed" => {
            "the record changed since it was read (If-Match names an older version); read it again"
        }
        "nhs_number_known" => {
            "a person with this NHS number is already known; refer them with a ServiceRequest whose contained Patient carries the NHS number"
        }
        "invalid_transition" => "the record is not in a state that allows this change",
        "slot_too_soon" => "the slot starts too soon to book; choose a later one",
        "slot_not_offered" => {
            "the slot cannot be booked for this referral: another service or kind of appointment, or the referral is not waiting to book"
        }
        other => other,
    }
}

/// An error from a use case on `resource`, with field problems placed by `place`.
pub(crate) fn app_error(error: AppError, place: fn(&str) -> String) -> WebError {
    match error {
        AppError::Invalid(errors) => outcome(
            StatusCode::UNPROCESSABLE_ENTITY,
            OperationOutcome::of(
                errors
                    .errors()
                    .iter()
                    .map(|f| {
                        OperationOutcome::at(
                            if f.problem == "missing" {
                                IssueType::Required
                            } else {
                                IssueType::Value
                            },
                            &place(f.field.as_ref()),
                            format!("{}: {}", f.field, f.problem.replace('-', " ")),
                        )
                    })
                    .collect(),
            ),
        ),
        AppError::Conflict(code) => {
            let status = if code == "version_changed" {
                StatusCode::PRECONDITION_FAILED
            } else {
                StatusCode::CONFLICT
            };
            outcome(
                status,
                OperationOutcome::error(IssueType::Conflict, conflict_words(code)),
            )
        }
        other => WebError::from(other),
    }
}

/// The OperationOutcome for an error that has none of its own (signed out, not found, …).
pub(crate) fn generic_outcome(error: &WebError) -> OperationOutcome {
    let (code, words) = match error.status {
        StatusCode::UNAUTHORIZED => (
            IssueType::Login,
            "sign in: get a token at /fhir/token (client credentials) and send it as a bearer token",
        ),
        StatusCode::FORBIDDEN => (
            IssueType::Forbidden,
            "the token's scopes do not allow this; ask for the scope when getting the token",
        ),
        StatusCode::NOT_FOUND => (
            IssueType::NotFound,
            "no such resource that this system may see",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            IssueType::NotSupported,
            "that interaction is not supported here; see /fhir/metadata",
        ),
        StatusCode::TOO_MANY_REQUESTS => (IssueType::Throttled, "too many requests; slow down"),
        StatusCode::REQUEST_TIMEOUT => (IssueType::Exception, "the request took too long"),
        StatusCode::SERVICE_UNAVAILABLE => (
            IssueType::Exception,
            "the service is busy or its database is unavailable; try again",
        ),
        s if s.is_server_error() => (
            IssueType::Exception,
            "something went wrong on our side; it has been logged",
        ),
        _ => (IssueType::Invalid, "the request is not valid"),
    };
    OperationOutcome::error(
        code,
        error.detail.clone().unwrap_or_else(|| words.to_owned()),
    )
}

/// The FHIR base address: `{public_url}/fhir`.
pub(crate) fn base(state: &AppState) -> String {
    format!("{}/fhir", state.config.public_url.trim_end_matches('/'))
}

/// A resource response.
pub(crate) fn resource<T: Serialize>(
    status: StatusCode,
    value: &T,
    etag: Option<String>,
    location: Option<String>,
) -> Response {
    let Ok(body) = serde_json::to_vec(value) else {
        return WebError::internal("resource not serialisable").into_response();
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(jointly_fhir::MEDIA_TYPE),
    );
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        headers.insert(ETAG, etag);
    }
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(LOCATION, location);
    }
    (status, headers, body).into_response()
}

/// The id in a path, as one of ours (a UUID); anything else names nothing here.
pub(crate) fn parse_id(id: &str) -> Result<uuid::Uuid, WebError> {
    uuid::Uuid::parse_str(id).map_err(|_| WebError::from(AppError::NotFound))
}

/// The version `If-Match` names; an update without one is refused (428), so nobody
/// overwrites a change they have not seen.
pub(crate) fn if_match(headers: &HeaderMap, resource: &str) -> Result<i64, WebError> {
    let header = headers.get("if-match").and_then(|v| v.to_str().ok());
    match header.map(jointly_fhir::if_match_version) {
        Some(Some(version)) => Ok(version),
        Some(None) => Err(outcome(
            StatusCode::BAD_REQUEST,
            OperationOutcome::error(
                IssueType::Invalid,
                "If-Match must quote the version from the ETag, such as W/\"3\"",
            ),
        )),
        None => Err(outcome(
            StatusCode::PRECONDITION_REQUIRED,
            OperationOutcome::error(
                IssueType::Required,
                format!(
                    "an update needs If-Match with the {resource}'s ETag from when it was read"
                ),
            ),
        )),
    }
}

/// The address a search was made at, for its `self` link.
pub(crate) fn self_url(state: &AppState, uri: &axum::http::Uri) -> String {
    format!("{}{uri}", state.config.public_url.trim_end_matches('/'))
}

/// The query string of a request, for searches.
pub(crate) fn query(uri: &axum::http::Uri) -> Option<&str> {
    uri.query()
}

/// The address of the same search with `name` set to `value` (for `next` links).
pub(crate) fn search_with(
    state: &AppState,
    uri: &axum::http::Uri,
    name: &str,
    value: &str,
) -> String {
    let prefix = format!("{name}=");
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.starts_with(&prefix) && !p.is_empty())
        .collect();
    let separator = if kept.is_empty() { "" } else { "&" };
    format!(
        "{}{}?{}{separator}{name}={value}",
        state.config.public_url.trim_end_matches('/'),
        uri.path(),
        kept.join("&")
    )
}

/// One page of results held in memory: `count` from `_offset`, with a `next` link when more
/// remain, so nothing is cut off unseen.
pub(crate) fn paged<R: Serialize>(
    state: &AppState,
    uri: &axum::http::Uri,
    (offset, count): (usize, usize),
    all: Vec<(String, R)>,
) -> Response {
    let more = all.len() > offset.saturating_add(count);
    let entries: Vec<(String, R)> = all.into_iter().skip(offset).take(count).collect();
    one_page(state, uri, Page { offset, count }, more, entries)
}

/// One page of results read a page at a time, with a `next` link when `more` follow.
pub(crate) fn one_page<R: Serialize>(
    state: &AppState,
    uri: &axum::http::Uri,
    page: Page,
    more: bool,
    entries: Vec<(String, R)>,
) -> Response {
    let next = more.then(|| {
        let next = page.offset.saturating_add(page.count);
        search_with(state, uri, "_offset", &next.to_string())
    });
    let bundle = jointly_fhir::bundle::searchset(&base(state), self_url(state, uri), next, entries);
    resource(StatusCode::OK, &bundle, None, None)
}
