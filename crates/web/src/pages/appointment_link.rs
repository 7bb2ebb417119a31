//! The pages a confirm-or-cancel link in a message opens, without signing in: when and where,
//! "I am coming", and cancelling with an "are you sure?" step.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{LinkState, LinkedAppointment};
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::pages::choose::CancelPage;
use crate::pages::refer::Empty;
use crate::render::{PageContext, render_page};

#[derive(Template)]
#[template(path = "link/appointment.html")]
struct LinkPage {
    page: PageContext,
    token: String,
    start: Timestamp,
    place: String,
    address: String,
    /// "open", "confirmed", "cancelled" or "past".
    state: &'static str,
    /// What was just done: "confirmed" or "cancelled", for the banner.
    done: String,
}

/// What the page was reached after.
#[derive(Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
}

fn state(linked: &LinkedAppointment) -> &'static str {
    match linked.state {
        LinkState::Open { confirmed: false } => "open",
        LinkState::Open { confirmed: true } => "confirmed",
        LinkState::Cancelled => "cancelled",
        LinkState::Past => "past",
    }
}

/// `GET /a/{token}`
pub(crate) async fn show(
    ctx: Ctx,
    Path(token): Path<String>,
    done: Result<Query<Done>, QueryRejection>,
) -> Result<Response, WebError> {
    let linked = ctx.app().appointment_by_link(&token).await?;
    // An odd query only loses the banner.
    let done = done
        .ok()
        .map(|Query(d)| d.done)
        .filter(|d| d == "confirmed" || d == "cancelled")
        .unwrap_or_default();
    Ok(render_page(&LinkPage {
        page: PageContext::new(&ctx, "link-title"),
        state: state(&linked),
        token,
        start: linked.start,
        place: linked.place,
        address: linked.address,
        done,
    }))
}

/// `GET /a/{token}/cancel`: are you sure?
pub(crate) async fn confirm_cancel(
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let linked = ctx.app().appointment_by_link(&token).await?;
    if !matches!(linked.state, LinkState::Open { .. }) {
        return Ok(Redirect::to(&format!("/a/{token}")).into_response());
    }
    Ok(render_page(&CancelPage {
        page: PageContext::new(&ctx, "cancel-title"),
        back: format!("/a/{token}"),
        action: format!("/a/{token}/cancel"),
        start: linked.start,
        place: linked.place,
    }))
}

/// `POST /a/{token}/confirm`
pub(crate) async fn confirm(
    ctx: Ctx,
    Path(token): Path<String>,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    ctx.app().confirm_by_link(&token).await?;
    Ok(Redirect::to(&format!("/a/{token}?done=confirmed")).into_response())
}

/// `POST /a/{token}/cancel`
pub(crate) async fn cancel(
    ctx: Ctx,
    Path(token): Path<String>,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    ctx.app().cancel_by_link(&token).await?;
    Ok(Redirect::to(&format!("/a/{token}?done=cancelled")).into_response())
}
