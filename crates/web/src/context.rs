//! What every handler knows about its request: who is asking, in which language, through
//! which surface, and the form token to put in its forms.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use jointly_app::Principal;
use jointly_i18n::Locale;

use crate::AppState;
use crate::cookies::Jar;
use crate::error::WebError;

/// The language a request should be answered in: the person's choice (cookie), else their
/// browser's preference, else English.
pub(crate) fn locale_of(headers: &HeaderMap, secure: bool) -> Locale {
    Jar::Language
        .read(headers, secure)
        .and_then(|code| Locale::parse(&code))
        .unwrap_or_else(|| {
            headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Locale::English, Locale::negotiate)
        })
}

/// Everything about the request the guard established.
#[derive(Clone)]
pub(crate) struct RequestContext {
    /// Who is asking.
    pub(crate) principal: Principal,
    /// In which language.
    pub(crate) locale: Locale,
    /// The token forms must carry: the session's, or the anonymous cookie's.
    pub(crate) csrf: String,
    /// The path requested, for the language switcher's way back.
    pub(crate) path: String,
    /// The client's address, for rate limits (not logged).
    pub(crate) client: Option<std::net::IpAddr>,
}

/// The extractor handlers use: the request context plus the shared state.
pub(crate) struct Ctx {
    /// The request context.
    pub(crate) request: RequestContext,
    /// Shared state.
    pub(crate) state: AppState,
}

impl Ctx {
    /// Who is asking.
    pub(crate) fn principal(&self) -> &Principal {
        &self.request.principal
    }

    /// The application.
    pub(crate) fn app(&self) -> &jointly_app::App {
        &self.state.app
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let request = parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| WebError::internal("route registered without its guard"))?;
        Ok(Self {
            request,
            state: state.clone(),
        })
    }
}
