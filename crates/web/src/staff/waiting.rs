//! The waiting lists page: bands per service and priority, and who has waited longest.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jointly_domain::waiting::{WAIT_BANDS, WaitSummary};
use serde::Serialize;

use crate::api::json;
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};
use crate::staff::emergency_alert;

struct Line {
    service: String,
    priority: Text,
    summary: WaitSummary,
}

struct Waiter {
    referral_id: String,
    reference: String,
    name: String,
    service: String,
    priority: Text,
    status: Text,
    weeks: i64,
    since: Timestamp,
}

#[derive(Template)]
#[template(path = "staff/waiting.html")]
struct WaitingPage {
    page: PageContext,
    bands: Vec<String>,
    lines: Vec<Line>,
    overall: WaitSummary,
    longest: Vec<Waiter>,
}

fn band_names() -> Vec<String> {
    WAIT_BANDS
        .iter()
        .map(|(from, to)| match to {
            Some(to) => format!("{from}–{to}"),
            None => format!("{from}+"),
        })
        .collect()
}

fn priority_label(
    page: &PageContext,
    priority: Option<jointly_domain::referral::Priority>,
) -> Text {
    match priority {
        Some(p) => label(page, "priority", p.as_str()),
        None => page.t("waiting-no-priority"),
    }
}

/// `GET /staff/waiting`
pub(crate) async fn show(ctx: Ctx) -> Result<Response, WebError> {
    let lists = ctx.app().waiting_lists(ctx.principal()).await?;
    let mut page = PageContext::new(&ctx, "waiting-title");
    emergency_alert(&ctx, &mut page).await?;
    let lines = lists
        .lines
        .iter()
        .map(|l| Line {
            service: l.service_name.clone(),
            priority: priority_label(&page, l.priority),
            summary: l.summary.clone(),
        })
        .collect();
    let longest = lists
        .longest
        .iter()
        .map(|(e, days)| Waiter {
            referral_id: e.referral_id.to_string(),
            reference: e.reference.to_string(),
            name: e.patient_name.to_string(),
            service: e.service_name.clone(),
            priority: priority_label(&page, e.priority),
            status: label(&page, "referral-status", e.status.as_str()),
            weeks: days / 7,
            since: e.clock_start,
        })
        .collect();
    Ok(render_page(&WaitingPage {
        page,
        bands: band_names(),
        lines,
        overall: lists.overall,
        longest,
    }))
}

#[derive(Serialize)]
struct LineOut {
    service: String,
    priority: Option<&'static str>,
    bands: Vec<BandOut>,
    total: u32,
    median_weeks: u32,
    longest_weeks: u32,
    within_18_weeks_percent: u32,
}

#[derive(Serialize)]
struct BandOut {
    weeks: String,
    count: u32,
}

/// `GET /api/v1/waiting-lists`: the same lines as the page, without names.
pub(crate) async fn api(ctx: Ctx) -> Result<Response, WebError> {
    let lists = ctx.app().waiting_lists(ctx.principal()).await?;
    let names = band_names();
    let out: Vec<LineOut> = lists
        .lines
        .iter()
        .map(|l| LineOut {
            service: l.service_name.clone(),
            priority: l.priority.map(|p| p.as_str()),
            bands: names
                .iter()
                .zip(l.summary.bands)
                .map(|(weeks, count)| BandOut {
                    weeks: weeks.clone(),
                    count,
                })
                .collect(),
            total: l.summary.total,
            median_weeks: l.summary.median_weeks,
            longest_weeks: l.summary.longest_weeks,
            within_18_weeks_percent: l.summary.within_18_weeks_percent,
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}
