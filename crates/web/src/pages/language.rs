//! Choosing the language: a plain link, so it works without JavaScript.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use jointly_i18n::Locale;
use serde::Deserialize;

use crate::context::Ctx;
use crate::cookies::Jar;

#[derive(Deserialize)]
pub(crate) struct LanguageQuery {
    #[serde(default)]
    set: String,
    #[serde(default)]
    back: String,
}

/// Only paths on this site are followed back, never another site (an open redirect).
fn safe_back(back: &str) -> &str {
    if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') {
        back
    } else {
        "/"
    }
}

/// `GET /language?set=pl&back=/refer`
pub(crate) async fn set(ctx: Ctx, Query(query): Query<LanguageQuery>) -> Response {
    let secure = ctx.state.config.secure_cookies;
    let back = safe_back(&query.back).to_owned();
    let Some(locale) = Locale::parse(&query.set) else {
        return (StatusCode::SEE_OTHER, [(LOCATION, back)]).into_response();
    };
    let cookie = Jar::Language.set(locale.code(), Some(365 * 24 * 3600), secure);
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, back), (SET_COOKIE, cookie)],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_redirects_off_site() {
        assert_eq!(safe_back("/refer"), "/refer");
        assert_eq!(safe_back("//evil.example"), "/");
        assert_eq!(safe_back("https://evil.example"), "/");
        assert_eq!(safe_back("/\\evil.example"), "/");
    }
}
