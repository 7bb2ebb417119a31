//! The one mapping from errors to HTTP: a status and a stable code, rendered as a translated
//! HTML page for people or as problem details (RFC 9457) for the API. Internal detail goes to
//! the log, never to the client.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jointly_app::AppError;
use jointly_domain::FieldError;
use serde::Serialize;

use crate::AppState;
use crate::context::locale_of;
use crate::render::{ErrorPage, render_page};

/// An error on its way to becoming a response.
#[derive(Clone, Debug)]
pub(crate) struct WebError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) fields: Vec<FieldError>,
    /// Safe to show: describes the client's own input (for example a JSON syntax error).
    pub(crate) detail: Option<String>,
    /// For the log only.
    pub(crate) internal: Option<String>,
    /// The FHIR API's answer, when a FHIR handler already said what is wrong.
    pub(crate) outcome: Option<Box<jointly_fhir::OperationOutcome>>,
}

impl WebError {
    pub(crate) fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            fields: Vec::new(),
            detail: None,
            internal: None,
            outcome: None,
        }
    }

    pub(crate) fn internal(why: &str) -> Self {
        Self {
            internal: Some(why.to_owned()),
            ..Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
        }
    }

    pub(crate) fn bad_request(code: &'static str, detail: String) -> Self {
        Self {
            detail: Some(detail),
            ..Self::new(StatusCode::BAD_REQUEST, code)
        }
    }
}

impl From<AppError> for WebError {
    fn from(error: AppError) -> Self {
        let status = match &error {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotSignedIn | AppError::SignInFailed => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut web = Self::new(status, error.code());
        match error {
            AppError::Invalid(errors) => web.fields = errors.errors().to_vec(),
            AppError::Internal(why) => web.internal = Some(why),
            _ => {}
        }
        web
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The stable code for a status axum produced itself (unknown route, wrong method, ...).
fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::TOO_MANY_REQUESTS => "too_many_attempts",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemField<'a>>,
}

#[derive(Serialize)]
struct ProblemField<'a> {
    field: &'a str,
    code: &'static str,
    message: String,
}

/// Turns every error response into its final form: a page or a problem document. Runs around
/// the whole router, so errors from axum itself (unknown routes, bad methods) are covered too.
pub(crate) async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let locale = locale_of(request.headers(), state.config.secure_cookies);
    let api = request.uri().path().starts_with("/api/");
    let fhir = request.uri().path().starts_with("/fhir");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().clone();
    let mut response = next.run(request).await;
    let error = match response.extensions_mut().remove::<WebError>() {
        Some(error) => error,
        None if response.status().is_client_error() || response.status().is_server_error() => {
            // Only bodies axum made itself are replaced; our own error pages pass through.
            if response.headers().contains_key(CONTENT_TYPE) && !api {
                return response;
            }
            WebError::new(response.status(), code_for_status(response.status()))
        }
        None => return response,
    };
    if error.status.is_server_error() {
        tracing::error!(%method, route, code = error.code, internal = error.internal.as_deref().unwrap_or(""), "request failed");
    }
    let catalog = &state.catalog;
    let title = catalog.message(locale, &format!("problem-{}", error.code), &[]);
    let title = if title.starts_with("problem-") {
        catalog.message(locale, "problem-bad_request", &[])
    } else {
        title
    };
    let mut rendered = if fhir {
        let found = error
            .outcome
            .clone()
            .map_or_else(|| crate::fhir::generic_outcome(&error), |o| *o);
        let mut response = crate::fhir::resource(error.status, &found, None, None);
        if error.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        response
    } else if api {
        let problem = Problem {
            kind: format!("/problems/{}", error.code),
            title,
            status: error.status.as_u16(),
            code: error.code,
            detail: error.detail.as_deref(),
            errors: error
                .fields
                .iter()
                .map(|f| ProblemField {
                    field: f.field.as_ref(),
                    code: f.problem,
                    // A question from the questionnaire has no message of its own: the
                    // general one for its problem names it.
                    message: if catalog.has(&f.message_key()) {
                        catalog.message(locale, &f.message_key(), &[])
                    } else {
                        catalog.message(
                            locale,
                            &format!("error-item-{}", f.problem),
                            &[("question", jointly_i18n::Arg::Str(f.field.as_ref()))],
                        )
                    },
                })
                .collect(),
        };
        let body = serde_json::to_string(&problem).unwrap_or_default();
        let mut response = (error.status, body).into_response();
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if error.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        response
    } else {
        let page = ErrorPage::new(&state, locale, error.code, title, error.detail.clone());
        let mut response = render_page(&page);
        *response.status_mut() = error.status;
        response
    };
    // Keep cookies the handler set (for example clearing an expired session).
    for cookie in response.headers().get_all(axum::http::header::SET_COOKIE) {
        rendered
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, cookie.clone());
    }
    rendered
}
