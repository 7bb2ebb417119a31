//! Form posts must prove they came from our own pages: the same-origin check, plus a token
//! tied to the session (or, before sign-in, to a cookie) that a forged form cannot know.
//! Plain forms and forms with a file (multipart) are checked the same way.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};
use jointly_domain::conversation::AttachmentUpload;
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

/// The session's form token, once the request is shown to come from our own pages (a
/// browser always says where a form came from, and it must be this host; requests without an
/// Origin header, from old browsers, rely on the token alone).
fn expected_token(request: &Request) -> Result<String, WebError> {
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
    Ok(expected)
}

fn forbidden() -> WebError {
    WebError::new(StatusCode::FORBIDDEN, "csrf_failed")
}

fn malformed(detail: String) -> WebError {
    WebError::bad_request("malformed_form", detail)
}

/// The fields of a URL-encoded form, once its token matches `expected`.
async fn urlencoded_pairs(
    request: Request,
    state: &AppState,
    expected: &str,
) -> Result<(Bytes, Vec<(String, String)>), WebError> {
    let body = Bytes::from_request(request, state)
        .await
        .map_err(|_| WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large"))?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| malformed("the form could not be read".into()))?;
    let token = pairs
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map_or("", |(_, v)| v.as_str());
    if !same_token(token, expected) {
        return Err(forbidden());
    }
    Ok((body, pairs))
}

impl<T: DeserializeOwned> FromRequest<AppState> for VerifiedForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let expected = expected_token(&request)?;
        let (body, _) = urlencoded_pairs(request, state, &expected).await?;
        serde_urlencoded::from_bytes(&body)
            .map(VerifiedForm)
            .map_err(|e| malformed(e.to_string()))
    }
}

/// Text fields read from one multipart form, at most.
const MULTIPART_FIELDS: usize = 20;

/// A form that may carry a file (`multipart/form-data`, or URL-encoded without one), its
/// origin and token checked: its text fields, and the file sent as [`FILE_FIELD`], if one was
/// chosen.
pub(crate) struct VerifiedUpload {
    /// Text fields by name (the last of a repeated name wins).
    pub(crate) fields: HashMap<String, String>,
    /// The file's name and content.
    pub(crate) file: Option<AttachmentUpload>,
}

/// The name of the file input on upload forms.
pub(crate) const FILE_FIELD: &str = "attachment";

impl FromRequest<AppState> for VerifiedUpload {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let expected = expected_token(&request)?;
        // Our upload forms send multipart; the same form sent plainly (no file) is read too.
        let multipart_sent = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart_sent {
            let (_, pairs) = urlencoded_pairs(request, state, &expected).await?;
            return Ok(Self {
                fields: pairs.into_iter().collect(),
                file: None,
            });
        }
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|e| malformed(e.body_text()))?;
        let mut fields = HashMap::new();
        let mut file = None;
        let too_large = |e: MultipartError| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large")
            }
            _ => malformed(e.body_text()),
        };
        while let Some(field) = multipart.next_field().await.map_err(too_large)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == FILE_FIELD {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let content = field.bytes().await.map_err(too_large)?;
                // A file input left empty still sends a part, with no name and no content.
                if !(file_name.is_empty() && content.is_empty()) {
                    file = Some(AttachmentUpload {
                        file_name,
                        content: content.to_vec(),
                    });
                }
                continue;
            }
            if fields.len() >= MULTIPART_FIELDS {
                return Err(malformed("too many fields".into()));
            }
            let value = field.text().await.map_err(too_large)?;
            fields.insert(name, value);
        }
        let token = fields.get("_csrf").map_or("", String::as_str);
        if !same_token(token, &expected) {
            return Err(forbidden());
        }
        Ok(Self { fields, file })
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
