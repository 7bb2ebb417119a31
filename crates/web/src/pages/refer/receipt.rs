//! The confirmation after a referral: the reference, what happens next (or, for a red flag,
//! what to do now), why, the expected wait and self-help while waiting. It is shown from a
//! short-lived cookie holding only what the page says, so nothing is looked up by a value a
//! visitor could change, and the reference never appears in an address.

use askama::Template;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jointly_app::IntakeReceipt;
use jointly_domain::pathway::{Disposition, Route};
use jointly_domain::referral::{Priority, ProblemArea, ReferralReference};
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::cookies::Jar;
use crate::error::WebError;
use crate::pages::label;
use crate::questions::question_label;
use crate::render::{PageContext, Text, render_page};

/// How long the confirmation can be shown again (for example after a reload).
const RECEIPT_SECONDS: i64 = 15 * 60;

/// What the confirmation shows.
#[derive(Debug, Serialize, Deserialize)]
struct ReceiptNote {
    reference: String,
    outcome: String,
    route: Option<String>,
    priority: Option<String>,
    wait: Option<(u32, u32)>,
    area: String,
    joined: bool,
    because: Vec<String>,
}

/// The confirmation cookie for a referral just received.
pub(crate) fn receipt_cookie(ctx: &Ctx, receipt: &IntakeReceipt) -> Result<String, WebError> {
    let (outcome, route, priority) = match receipt.triage.disposition() {
        Disposition::Emergency => ("emergency", None, None),
        Disposition::Urgent { route } => ("urgent", Some(*route), None),
        Disposition::Routed { route, priority } => ("routed", Some(*route), Some(*priority)),
    };
    let note = ReceiptNote {
        reference: receipt.reference.to_string(),
        outcome: outcome.into(),
        route: route.map(|r| r.as_str().to_owned()),
        priority: priority.map(|p| p.as_str().to_owned()),
        wait: receipt.wait.map(|w| (w.min_weeks, w.max_weeks)),
        area: receipt.area.as_str().to_owned(),
        joined: receipt.joined_existing,
        because: receipt.triage.answers_used().to_vec(),
    };
    let json = serde_json::to_vec(&note).map_err(|_| WebError::internal("receipt"))?;
    Ok(Jar::Receipt.set(
        &URL_SAFE_NO_PAD.encode(json),
        Some(RECEIPT_SECONDS),
        ctx.state.config.secure_cookies,
    ))
}

#[derive(Template)]
#[template(path = "refer/submitted.html")]
struct SubmittedPage {
    page: PageContext,
    reference: String,
    outcome: String,
    route: Option<Text>,
    priority: Option<Text>,
    wait: Option<(u32, u32)>,
    area_name: Text,
    selfhelp: Text,
    joined: bool,
    because: Vec<Text>,
    staff: bool,
}

fn read_note(value: &str) -> Option<ReceiptNote> {
    let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
    let note: ReceiptNote = serde_json::from_slice(&bytes).ok()?;
    // Everything shown must be one of ours, or the page is not shown at all.
    ReferralReference::parse(&note.reference).ok()?;
    ProblemArea::parse(&note.area).ok()?;
    if !matches!(note.outcome.as_str(), "emergency" | "urgent" | "routed") {
        return None;
    }
    if let Some(route) = &note.route {
        Route::parse(route)?;
    }
    if let Some(priority) = &note.priority {
        Priority::parse(priority).ok()?;
    }
    Some(note)
}

/// `GET /refer/submitted`
pub(crate) async fn show(ctx: Ctx, headers: HeaderMap) -> Result<Response, WebError> {
    let Some(note) = Jar::Receipt
        .read(&headers, ctx.state.config.secure_cookies)
        .and_then(|v| read_note(&v))
    else {
        return Ok(Redirect::to("/refer").into_response());
    };
    let title = match note.outcome.as_str() {
        "emergency" => "submitted-emergency-title",
        "urgent" => "submitted-urgent-title",
        _ => "submitted-title",
    };
    let page = PageContext::new(&ctx, title);
    let questionnaire = &ctx.app().content().questionnaire;
    let because = note
        .because
        .iter()
        .filter_map(|id| {
            if id == "age" {
                Some(page.t("because-age"))
            } else {
                questionnaire
                    .item(id)
                    .map(|item| question_label(&page, item))
            }
        })
        .collect();
    Ok(render_page(&SubmittedPage {
        reference: note.reference,
        route: note.route.as_deref().map(|r| label(&page, "route", r)),
        priority: note
            .priority
            .as_deref()
            .map(|p| label(&page, "route-priority", p)),
        wait: note.wait,
        area_name: label(&page, "problem-area", &note.area),
        selfhelp: label(&page, "selfhelp", &note.area),
        joined: note.joined,
        because,
        outcome: note.outcome,
        staff: page.staff,
        page,
    }))
}
