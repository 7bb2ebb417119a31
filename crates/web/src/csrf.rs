//! Form posts must prove they came from our own pages: the same-origin check, plus a token
//! tied to the session (or, before sign-in, to a cookie) that a forged form cannot know.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::{HOST, ORIGIN};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::context::RequestContext;
use crate::error::WebError;

/// A form whose origin and token were checked before it was parsed.
pub(crate) struct VerifiedForm<T>(pub(crate) T);

fn same_token(a: &str, b: &str) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The host and port of an origin such as `http://127.0.0.1:8080`.
fn authority_of(origin: &str) -> &str {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

impl<T: DeserializeOwned> FromRequest<AppState> for VerifiedForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        // Same-origin check: a browser always says where a form came from, and it must be
        // this host. Requests without an Origin header (old browsers) rely on the token alone.
        let forbidden = || WebError::new(StatusCode::FORBIDDEN, "csrf_failed");
        let expected = request
            .extensions()
            .get::<RequestContext>()
            .map(|c| c.csrf.clone())
            .ok_or_else(|| WebError::internal("form route without its guard"))?;
        let headers = request.headers();
        if headers
            .get("sec-fetch-site")
            .is_some_and(|v| v == "cross-site")
        {
            return Err(forbidden());
        }
        if let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
            let host = headers
                .get(HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if origin == "null" || authority_of(origin) != host {
                return Err(forbidden());
            }
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large"))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| {
            WebError::bad_request("malformed_form", "the form could not be read".into())
        })?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map_or("", |(_, v)| v.as_str());
        if !same_token(token, &expected) {
            return Err(forbidden());
        }
        serde_urlencoded::from_bytes(&body)
            .map(VerifiedForm)
            .map_err(|e| WebError::bad_request("malformed_form", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_host_and_port() {
        assert_eq!(authority_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(authority_of("https://msk.example"), "msk.example");
        assert!(same_token("abc", "abc"));
        assert!(!same_token("", ""));
        assert!(!same_token("abc", "abd"));
    }
}
