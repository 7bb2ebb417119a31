//! The guard in front of every route: it works out who is asking (session cookie for pages,
//! bearer token for the API — a session or an organisation's API key — never both), enforces the route's access rule, and records the
//! request context for the handler. A route cannot be registered without it.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{AppError, Principal};
use jointly_domain::access::Permission;

use crate::AppState;
use crate::context::{RequestContext, locale_of};
use crate::cookies::Jar;
use crate::error::WebError;
use crate::routes::{Access, RouteInfo, Surface};

/// Anonymous form tokens last a day; forms left open longer are simply re-shown.
const CSRF_COOKIE_SECONDS: i64 = 24 * 3600;

fn bearer(request: &Request) -> Option<&str> {
    request
        .headers()
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn random_token() -> Result<String, WebError> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| WebError::internal("no randomness"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Checks `principal` against a route's rule.
pub(crate) fn check(access: Access, principal: &Principal) -> Result<(), AppError> {
    match access {
        Access::Public | Access::Provider => Ok(()),
        Access::Patient => principal.require(Permission::UsePortal),
        Access::Staff(permission) => principal.require(permission),
        Access::Organisation => match principal {
            Principal::Organisation { .. } => Ok(()),
            _ => Err(AppError::NotSignedIn),
        },
        Access::System => match principal {
            Principal::System { .. } => Ok(()),
            _ => Err(AppError::NotSignedIn),
        },
    }
}

/// The guard middleware, bound to one route's description.
pub(crate) async fn guard(
    State((state, route)): State<(AppState, RouteInfo)>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies;
    let token = match (route.access, route.surface) {
        (Access::Provider, _) | (Access::Public, Surface::Fhir) => None,
        (_, Surface::Html) => Jar::Session.read(request.headers(), secure),
        (_, Surface::Api | Surface::Fhir) => bearer(&request).map(str::to_owned),
    };
    let principal = match token {
        // FHIR takes only system access tokens: no sessions, no API keys.
        Some(token) if route.surface == Surface::Fhir => {
            match state.app.principal_for_system_token(&token).await {
                Ok(principal) => principal,
                Err(error) => return WebError::from(error).into_response(),
            }
        }
        // A referring organisation's API key, only on the API.
        Some(key) if route.surface == Surface::Api && key.starts_with("jly_") => {
            match state.app.organisation_for_key(&key).await {
                Ok((principal, _)) => principal,
                Err(error) => return WebError::from(error).into_response(),
            }
        }
        Some(token) => match state.app.principal_for(&token).await {
            Ok(principal) => principal,
            Err(error) => return WebError::from(error).into_response(),
        },
        None => Principal::Anonymous,
    };
    if let Err(error) = check(route.access, &principal) {
        return match (route.surface, error, route.access) {
            // A page needing sign-in sends people to the right sign-in page.
            (Surface::Html, AppError::NotSignedIn, Access::Patient)
                if request.method() == Method::GET =>
            {
                Redirect::to("/sign-in").into_response()
            }
            (Surface::Html, AppError::NotSignedIn, Access::Staff(_))
                if request.method() == Method::GET =>
            {
                Redirect::to("/staff/sign-in").into_response()
            }
            (_, error, _) => WebError::from(error).into_response(),
        };
    }
    let mut new_csrf_cookie = None;
    let csrf = match principal.session() {
        Some(session) => session.csrf_token.clone(),
        None if route.surface == Surface::Html => match Jar::Csrf.read(request.headers(), secure) {
            Some(token) if token.len() >= 32 => token,
            _ => match random_token() {
                Ok(token) => {
                    new_csrf_cookie =
                        Some(Jar::Csrf.set(&token, Some(CSRF_COOKIE_SECONDS), secure));
                    token
                }
                Err(error) => return error.into_response(),
            },
        },
        None => String::new(),
    };
    let context = RequestContext {
        principal,
        locale: locale_of(request.headers(), secure),
        csrf,
        path: request.uri().path().to_owned(),
        client: request
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip()),
    };
    request.extensions_mut().insert(context);
    let mut response = next.run(request).await;
    if let Some(cookie) = new_csrf_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}
