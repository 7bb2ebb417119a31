//! The waiting lists page: bands per service and priority, and who has waited longest.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jointly_domain::waiting::{WAIT_BANDS, WaitSummary};
use serde::Serialize;
use utoipa::ToSchema;

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

/// One waiting list: a service and a priority, with how long people have waited so far.
#[derive(Serialize, ToSchema)]
struct WaitingListLine {
    /// The service's name.
    service: String,
    /// The triage priority: `urgent`, `soon` or `routine`; null for referrals not yet given
    /// one.
    priority: Option<&'static str>,
    /// How many have waited how long, shortest wait first.
    bands: Vec<WaitingBand>,
    /// Everyone waiting on this list.
    total: u32,
    /// The median wait so far, in whole weeks.
    median_weeks: u32,
    /// The longest wait so far, in whole weeks.
    longest_weeks: u32,
    /// The share waiting under 18 weeks, in whole per cent.
    within_18_weeks_percent: u32,
}

/// How many people have waited a number of weeks.
#[derive(Serialize, ToSchema)]
struct WaitingBand {
    /// The band, in whole weeks waited (from, up to but not including, to): `0–1`, `1–2`,
    /// `2–4`, `4–12`, `12–18`, `18–52` or `52+`.
    weeks: String,
    /// People waiting that long so far.
    count: u32,
}

/// Lists the waiting lists by service and priority, with how long people have waited.
///
/// The same lines as the staff page, without names: counts only.
#[utoipa::path(get, path = "/api/v1/waiting-lists", tag = "waiting",
    responses((status = 200, description = "One line per service and priority, by service then priority", body = [WaitingListLine])))]
pub(crate) async fn api(ctx: Ctx) -> Result<Response, WebError> {
    let lists = ctx.app().waiting_lists(ctx.principal()).await?;
    let names = band_names();
    let out: Vec<WaitingListLine> = lists
        .lines
        .iter()
        .map(|l| WaitingListLine {
            service: l.service_name.clone(),
            priority: l.priority.map(|p| p.as_str()),
            bands: names
                .iter()
                .zip(l.summary.bands)
                .map(|(weeks, count)| WaitingBand {
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
