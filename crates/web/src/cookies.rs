//! The cookies Jointly sets: the session, the anonymous form token, the language choice, the
//! online referral in progress and the confirmation of one just sent.
//! All are HTTP-only and SameSite; with secure cookies on they use the `__Host-` prefix, which
//! browsers only accept over a secure origin, from this host, for the whole site.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use cookie::{Cookie, SameSite};

/// A cookie Jointly uses.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Jar {
    /// The signed-in session token.
    Session,
    /// The anonymous double-submit form token.
    Csrf,
    /// The chosen language.
    Language,
    /// What the confirmation page says about a referral just made.
    Receipt,
    /// The link token of the online referral this browser is filling in.
    Draft,
}

impl Jar {
    fn base_name(self) -> &'static str {
        match self {
            Self::Session => "jointly_session",
            Self::Csrf => "jointly_csrf",
            Self::Language => "jointly_lang",
            Self::Receipt => "jointly_receipt",
            Self::Draft => "jointly_draft",
        }
    }

    /// The cookie's name under the current security setting.
    pub(crate) fn name(self, secure: bool) -> String {
        if secure {
            format!("__Host-{}", self.base_name())
        } else {
            self.base_name().to_owned()
        }
    }

    /// The cookie's value in a request, if present.
    pub(crate) fn read(self, headers: &HeaderMap, secure: bool) -> Option<String> {
        let name = self.name(secure);
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == name)
            .map(|cookie| cookie.value().to_owned())
    }

    /// A `Set-Cookie` value that stores `value` for `max_age_seconds` (a session cookie when
    /// `None`).
    pub(crate) fn set(self, value: &str, max_age_seconds: Option<i64>, secure: bool) -> String {
        let same_site = match self {
            // Strict: a link from another site must not arrive signed in.
            Self::Session | Self::Csrf | Self::Receipt => SameSite::Strict,
            // Lax: a saved link opened from an email or a message must find the draft.
            Self::Language | Self::Draft => SameSite::Lax,
        };
        let mut cookie = Cookie::build((self.name(secure), value.to_owned()))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(same_site);
        if let Some(seconds) = max_age_seconds {
            cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
        }
        cookie.build().to_string()
    }

    /// A `Set-Cookie` value that removes the cookie.
    pub(crate) fn clear(self, secure: bool) -> String {
        self.set("", Some(0), secure)
    }
}
