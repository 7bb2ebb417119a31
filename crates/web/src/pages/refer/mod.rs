//! The online referral, for the person or a carer: a start page, short steps saved as a
//! draft, "check your answers", and the confirmation. The draft is found by a cookie holding
//! its link token; "save and come back later" gives a new link and a code.

pub(crate) mod receipt;
pub(crate) mod resume;
pub(crate) mod step;

use askama::Template;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jointly_app::{AppError, Draft};

use crate::context::Ctx;
use crate::cookies::Jar;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::middleware::Limit;
use crate::render::{PageContext, render_page};

/// How long the draft cookie lasts: as long as the draft itself.
pub(crate) const DRAFT_COOKIE_SECONDS: i64 = 30 * 24 * 3600;

/// The draft cookie's `Set-Cookie` value for `token`.
pub(crate) fn draft_cookie(ctx: &Ctx, token: &str) -> String {
    Jar::Draft.set(
        token,
        Some(DRAFT_COOKIE_SECONDS),
        ctx.state.config.secure_cookies,
    )
}

/// A redirect that also sets cookies.
pub(crate) fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response();
    for cookie in cookies {
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// The draft this browser is filling in, if any (and still open).
pub(crate) async fn current_draft(
    ctx: &Ctx,
    headers: &HeaderMap,
) -> Result<Option<(String, Draft)>, WebError> {
    let Some(token) = Jar::Draft.read(headers, ctx.state.config.secure_cookies) else {
        return Ok(None);
    };
    match ctx.app().referral_draft(&token).await {
        Ok(draft) => Ok(Some((token, draft))),
        Err(AppError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "refer/start.html")]
struct StartPage {
    page: PageContext,
    /// Where to carry on, when a draft is open in this browser.
    carry_on: Option<String>,
}

/// `GET /refer`
pub(crate) async fn start(ctx: Ctx, headers: HeaderMap) -> Result<Response, WebError> {
    let carry_on = current_draft(&ctx, &headers)
        .await?
        .map(|(_, draft)| step::step_href(&draft.next_step()));
    Ok(render_page(&StartPage {
        page: PageContext::new(&ctx, "refer-title"),
        carry_on,
    }))
}

/// `POST /refer/start`: a fresh draft for this browser.
pub(crate) async fn begin(
    ctx: Ctx,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::Referral) {
        return Err(AppError::TooManyAttempts.into());
    }
    let ticket = ctx.app().start_referral().await?;
    Ok(see_other(
        "/refer/step/who",
        &[draft_cookie(&ctx, &ticket.token)],
    ))
}

/// A form with nothing in it but its token.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Empty {}
