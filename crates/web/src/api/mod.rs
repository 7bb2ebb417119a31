//! The JSON API under `/api/v1`: the same use cases as the pages, for programs. Sessions are
//! bearer tokens (never cookies, so there is nothing for another site to forge); errors are
//! RFC 9457 problem documents with stable codes.

pub(crate) mod clinics;
pub(crate) mod communication;
pub(crate) mod conversations;
pub(crate) mod passport;
pub(crate) mod portal;
pub(crate) mod referrals;
pub(crate) mod rotas;
pub(crate) mod sessions;
pub(crate) mod triage;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;

use crate::AppState;
use crate::error::WebError;

/// A JSON body, refused with a problem document naming what is wrong.
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large"))?;
        serde_json::from_slice(&body)
            .map(ApiJson)
            .map_err(|e| WebError::bad_request("malformed_json", e.to_string()))
    }
}

/// A query string for the JSON API, refused with a problem naming the first parameter the
/// operation does not take (the names are those its OpenAPI description lists) or the value
/// that does not parse. For query types the pages share, where other parameters may ride along.
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned + IntoParams> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|e| WebError::bad_request("invalid_query", e.to_string()))?;
        let declared: Vec<String> = T::into_params(|| Some(ParameterIn::Query))
            .into_iter()
            .map(|p| p.name)
            .collect();
        if let Some((unknown, _)) = pairs.iter().find(|(name, _)| !declared.contains(name)) {
            return Err(WebError::bad_request(
                "unknown_parameter",
                format!(
                    "`{unknown}` is not a parameter of this call; it takes {}",
                    declared.join(", ")
                ),
            ));
        }
        serde_urlencoded::from_str(raw)
            .map(ApiQuery)
            .map_err(|e| WebError::bad_request("invalid_query", e.to_string()))
    }
}

/// A JSON response.
pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => WebError::internal("response not serialisable").into_response(),
    }
}
