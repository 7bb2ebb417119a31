//! The public site's live pages: waiting times by service, place and kind of appointment
//! (`/waiting-times`, `GET /api/v1/waiting-times`), and the places we run clinics with how to
//! get there and use them (`/locations`). Computed from the data as it is now.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jointly_app::ServiceWaits;
use jointly_domain::location::Location;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::json;
use crate::context::Ctx;
use crate::error::WebError;
use crate::render::{PageContext, Text, render_page};

/// A first free appointment as shown.
struct FirstRow {
    place: String,
    how: Text,
    first: Timestamp,
    free: u32,
}

/// A service's waits as shown.
struct ServiceCard {
    name: String,
    estimate: Text,
    waiting: Text,
    first: Vec<FirstRow>,
}

#[derive(Template)]
#[template(path = "waiting_times.html")]
struct WaitingTimesPage {
    page: PageContext,
    services: Vec<ServiceCard>,
    updated: Timestamp,
}

fn card(page: &PageContext, waits: &ServiceWaits) -> ServiceCard {
    let estimate = match waits.estimate {
        Some(range) => page.t2(
            "waits-estimate",
            "min",
            range.min_weeks.to_string(),
            "max",
            range.max_weeks.to_string(),
        ),
        None => page.t("waits-estimate-none"),
    };
    let summary = &waits.waiting;
    let waiting = if summary.total == 0 {
        page.t("waits-nobody")
    } else {
        page.t_args(
            "waits-waiting",
            &[
                ("count", jointly_i18n::Arg::Num(f64::from(summary.total))),
                (
                    "median",
                    jointly_i18n::Arg::Num(f64::from(summary.median_weeks)),
                ),
                (
                    "percent",
                    jointly_i18n::Arg::Num(f64::from(summary.within_18_weeks_percent)),
                ),
            ],
        )
    };
    ServiceCard {
        name: waits.service.name.clone(),
        estimate,
        waiting,
        first: waits
            .first
            .iter()
            .map(|f| FirstRow {
                place: f.place.clone(),
                how: page.t(&format!("modality-{}", f.modality.as_str())),
                first: f.first,
                free: f.free,
            })
            .collect(),
    }
}

/// `GET /waiting-times`
pub(crate) async fn page(ctx: Ctx) -> Result<Response, WebError> {
    let waits = ctx.app().waiting_times().await?;
    let page = PageContext::new(&ctx, "waits-title");
    let services = waits.iter().map(|w| card(&page, w)).collect();
    Ok(render_page(&WaitingTimesPage {
        services,
        updated: ctx.app().clock().now(),
        page,
    }))
}

/// The first free new-patient appointment at one place, in one way.
#[derive(Serialize, ToSchema)]
struct FirstFreeAppointment<'a> {
    /// The place's name and town.
    place: &'a str,
    /// `face_to_face`, `phone`, `video` or `group`.
    modality: &'static str,
    /// When (RFC 3339).
    first: String,
    /// How many are free in the next twelve weeks.
    free_next_12_weeks: u32,
}

/// One service's waiting times, as of now.
#[derive(Serialize, ToSchema)]
struct ServiceWaitingTimes<'a> {
    /// The service's code.
    service_code: &'a str,
    /// The service's name.
    service: &'a str,
    /// Everyone waiting now.
    waiting_now: u32,
    /// The median wait so far, in whole weeks.
    median_weeks_waited: u32,
    /// The longest wait so far, in whole weeks.
    longest_weeks_waited: u32,
    /// The share waiting under 18 weeks, in whole per cent.
    percent_within_18_weeks: u32,
    /// The estimated wait for a routine referral made today, at least this many weeks; null
    /// when there is no history to go on.
    estimate_min_weeks: Option<u32>,
    /// The estimated wait, at most this many weeks; null when there is no history to go on.
    estimate_max_weeks: Option<u32>,
    /// The first free appointments for a new patient, soonest first.
    first_appointments: Vec<FirstFreeAppointment<'a>>,
}

/// Lists each service's waiting times, live from the data.
///
/// For each service: how many wait now and for how long so far, the estimated wait for
/// someone referred today, and the first appointment free for a new patient at each place
/// and in each way. Counts only, never a person.
#[utoipa::path(get, path = "/api/v1/waiting-times", tag = "waiting",
    responses((status = 200, description = "Every service's waiting times", body = [ServiceWaitingTimes<'static>])))]
pub(crate) async fn api(ctx: Ctx) -> Result<Response, WebError> {
    let waits = ctx.app().waiting_times().await?;
    let out: Vec<_> = waits
        .iter()
        .map(|w| ServiceWaitingTimes {
            service_code: &w.service.code,
            service: &w.service.name,
            waiting_now: w.waiting.total,
            median_weeks_waited: w.waiting.median_weeks,
            longest_weeks_waited: w.waiting.longest_weeks,
            percent_within_18_weeks: w.waiting.within_18_weeks_percent,
            estimate_min_weeks: w.estimate.map(|r| r.min_weeks),
            estimate_max_weeks: w.estimate.map(|r| r.max_weeks),
            first_appointments: w
                .first
                .iter()
                .map(|f| FirstFreeAppointment {
                    place: &f.place,
                    modality: f.modality.as_str(),
                    first: f.first.to_string(),
                    free_next_12_weeks: f.free,
                })
                .collect(),
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}

#[derive(Template)]
#[template(path = "locations.html")]
struct LocationsPage {
    page: PageContext,
    locations: Vec<Location>,
}

/// `GET /locations`
pub(crate) async fn locations(ctx: Ctx) -> Result<Response, WebError> {
    let locations = ctx.app().public_locations().await?;
    Ok(render_page(&LocationsPage {
        page: PageContext::new(&ctx, "locations-title"),
        locations,
    }))
}

#[derive(Template)]
#[template(path = "pathway.html")]
struct PathwayPage {
    page: PageContext,
    diagram: crate::diagram::Diagram,
    /// The same steps in words: the diagram's text alternative.
    steps: Vec<String>,
    services: Vec<String>,
    warnings: Vec<String>,
}

/// `GET /pathway`: how a referral is handled, drawn from the pathway file in use.
pub(crate) async fn pathway(ctx: Ctx) -> Response {
    let page = PageContext::new(&ctx, "pathway-title");
    let pathway = &ctx.app().content().pathway;
    let (emergency, urgent) = pathway.red_flag_counts();
    let t = |id: &str| page.plain(id);
    let before = vec![t("pathway-step-refer"), t("pathway-step-check")];
    let warnings: Vec<(&'static str, String)> = [
        ("emergency", emergency, "pathway-emergency"),
        ("urgent", urgent, "pathway-urgent"),
    ]
    .into_iter()
    .filter(|(_, n, _)| *n > 0)
    .map(|(kind, _, id)| (kind, t(id)))
    .collect();
    let services: Vec<String> = pathway
        .destinations()
        .into_iter()
        .map(|r| t(&format!("route-{}", r.as_str())))
        .collect();
    let after = vec![
        t("pathway-step-choose"),
        t("pathway-step-care"),
        t("pathway-step-discharge"),
    ];
    let diagram = crate::diagram::layout(
        &before,
        &warnings,
        &t("pathway-step-triage"),
        &services,
        &after,
    );
    let steps = before
        .iter()
        .cloned()
        .chain(std::iter::once(t("pathway-step-triage")))
        .chain(after.iter().cloned())
        .collect();
    render_page(&PathwayPage {
        diagram,
        steps,
        services,
        warnings: warnings.into_iter().map(|(_, w)| w).collect(),
        page,
    })
}
