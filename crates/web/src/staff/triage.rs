//! The triage queue: referrals awaiting a clinician's decision, most urgent first, then
//! longest waiting; filtered by suggested service and body area. Triage clinicians say here
//! when they are on duty for emergency alerts.

use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_domain::pathway::{Route, Urgency};
use jointly_domain::patient::age_on;
use jointly_domain::referral::ProblemArea;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, label};
use crate::render::{PageContext, Text, render_page};

struct QueueRow {
    id: String,
    reference: String,
    received: Timestamp,
    name: String,
    age: i16,
    problem: Text,
    waiting: Text,
    urgency: Text,
    urgency_colour: &'static str,
    suggested: Text,
    flags: Vec<Text>,
}

#[derive(Template)]
#[template(path = "staff/triage.html")]
struct TriagePage {
    page: PageContext,
    rows: Vec<QueueRow>,
    filter: FormState,
    routes: Vec<Choice>,
    areas: Vec<Choice>,
    filtered: bool,
    on_duty: bool,
}

/// The queue's filters, from the address.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct QueueQuery {
    route: String,
    area: String,
}

/// The tag colour for an urgency.
pub(crate) fn urgency_colour(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Emergency => "red",
        Urgency::Urgent => "orange",
        Urgency::Soon => "yellow",
        Urgency::Routine => "grey",
    }
}

/// `GET /staff/triage?route=&area=`
pub(crate) async fn queue(ctx: Ctx, Query(query): Query<QueueQuery>) -> Result<Response, WebError> {
    // An unknown filter value is ignored rather than refused: it is a bookmark gone stale.
    let route = Route::parse(query.route.trim());
    let area = ProblemArea::parse(query.area.trim()).ok();
    let queue = ctx.app().triage_queue(ctx.principal(), route, area).await?;
    let on_duty = ctx.app().is_on_duty(ctx.principal()).await?;
    let mut page = PageContext::new(&ctx, "triage-title");
    crate::staff::emergency_alert(&ctx, &mut page).await?;
    let now = ctx.app().clock().now();
    let today = jointly_domain::local_date(now);
    let rows = queue
        .iter()
        .map(|item| {
            let r = &item.referral;
            let days = now.duration_since(r.received_at).as_hours().max(0) / 24;
            let mut flags = Vec::new();
            if r.possible_duplicate_of.is_some() {
                flags.push(page.t("flag-possible-duplicate"));
            }
            if r.mdt {
                flags.push(page.t("flag-mdt"));
            }
            if r.awaiting_reply {
                flags.push(page.t("flag-awaiting-reply"));
            }
            QueueRow {
                id: r.id.to_string(),
                reference: r.reference.to_string(),
                received: r.received_at,
                name: item.patient_name.to_string(),
                age: age_on(item.date_of_birth, today),
                problem: label(&page, "problem-area", r.problem_area.as_str()),
                waiting: page.count("waiting-days", usize::try_from(days).unwrap_or(0)),
                urgency: label(&page, "urgency", r.urgency.as_str()),
                urgency_colour: urgency_colour(r.urgency),
                suggested: r
                    .digital_triage
                    .as_ref()
                    .and_then(|t| t.route())
                    .map_or_else(
                        || page.t("route-none"),
                        |route| label(&page, "route", route.as_str()),
                    ),
                flags,
            }
        })
        .collect();
    let mut routes = vec![Choice::new("", page.t("filter-any-route"))];
    routes.extend(
        Route::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), label(&page, "route", r.as_str()))),
    );
    let mut areas = vec![Choice::new("", page.t("filter-any-area"))];
    areas.extend(
        ProblemArea::ALL
            .iter()
            .map(|a| Choice::new(a.as_str(), label(&page, "problem-area", a.as_str()))),
    );
    Ok(render_page(&TriagePage {
        filter: FormState::with_values([
            (
                "route",
                route.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            ),
            (
                "area",
                area.map(|a| a.as_str().to_owned()).unwrap_or_default(),
            ),
        ]),
        filtered: route.is_some() || area.is_some(),
        page,
        rows,
        routes,
        areas,
        on_duty,
    }))
}

/// Going on or off duty.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DutyForm {
    on_duty: String,
}

/// `POST /staff/duty`
pub(crate) async fn duty(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<DutyForm>,
) -> Result<Response, WebError> {
    let on = match form.on_duty.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(WebError::bad_request(
                "malformed_form",
                "on_duty must be yes or no".into(),
            ));
        }
    };
    ctx.app().set_on_duty(ctx.principal(), on).await?;
    Ok(Redirect::to("/staff/triage").into_response())
}
