//! Messages only people can deliver: the list of people to call (with what to say and how to
//! meet their needs) and messages that could not be delivered, to send again once the cause is
//! fixed.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::AppError;
use jointly_domain::MessageId;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};
use crate::staff::outbox::{HistoryRow, history_rows};

struct CallRow {
    id: String,
    name: String,
    phone: String,
    template: Text,
    script: String,
    needs: Vec<String>,
    queued: Timestamp,
    attempts: i64,
}

#[derive(Template)]
#[template(path = "staff/calls.html")]
struct CallsPage {
    page: PageContext,
    rows: Vec<CallRow>,
}

/// `GET /staff/calls`
pub(crate) async fn list(ctx: Ctx) -> Result<Response, WebError> {
    let calls = ctx.app().calls_to_make(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "calls-title");
    let rows = calls
        .into_iter()
        .map(|call| CallRow {
            id: call.entry.id.to_string(),
            name: call.patient.name.to_string(),
            phone: call
                .patient
                .phone
                .as_ref()
                .map_or_else(|| page.plain("calls-no-number"), ToString::to_string),
            template: label(&page, "template", call.entry.template.as_str()),
            script: call.script.unwrap_or_default(),
            needs: crate::staff::referral::communication_flags(&call.profile),
            queued: call.entry.created_at,
            attempts: call.entry.attempts,
        })
        .collect();
    Ok(render_page(&CallsPage { page, rows }))
}

/// The result of a call.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CallForm {
    reached: String,
}

fn message_id(raw: &str) -> Result<MessageId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `POST /staff/calls/{id}`
pub(crate) async fn record(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(form): VerifiedForm<CallForm>,
) -> Result<Response, WebError> {
    let reached = match form.reached.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::from(jointly_domain::DomainError::field(
                "reached",
                jointly_domain::Invalid("choose"),
            ))
            .into());
        }
    };
    ctx.app()
        .record_call(ctx.principal(), message_id(&raw)?, reached)
        .await?;
    Ok(Redirect::to("/staff/calls").into_response())
}

#[derive(Template)]
#[template(path = "staff/undeliverable.html")]
struct UndeliverablePage {
    page: PageContext,
    rows: Vec<(String, HistoryRow)>,
}

/// `GET /staff/undeliverable`
pub(crate) async fn undeliverable(ctx: Ctx) -> Result<Response, WebError> {
    let dead = ctx.app().undeliverable(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "undeliverable-title");
    let rows = dead
        .iter()
        .map(|e| e.id.to_string())
        .zip(history_rows(&page, &dead))
        .collect();
    Ok(render_page(&UndeliverablePage { page, rows }))
}

/// `POST /staff/outbox/{id}/resend`
pub(crate) async fn resend(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(_): VerifiedForm<CallForm>,
) -> Result<Response, WebError> {
    ctx.app().resend(ctx.principal(), message_id(&raw)?).await?;
    Ok(Redirect::to("/staff/undeliverable").into_response())
}
