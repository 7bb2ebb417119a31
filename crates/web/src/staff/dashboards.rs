//! The population-health dashboards for service managers: the list of dashboards with when the
//! figures were worked out, the deprivation lookup in use and the inequality alert threshold
//! (`/staff/dashboards`); each dashboard cut by a population group, as a chart with its table,
//! the inequality gap and its alert (`/staff/dashboards/{dashboard}`), as CSV, and the waiting
//! list in community SitRep wait bands (`/staff/dashboards/sitrep.csv`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{
    AppError, Dashboard, DashboardQuery, DashboardView, GroupFigures, PERIODS, WaitFigures,
    sitrep_csv,
};
use jointly_domain::local;
use jointly_domain::population::{Cut, Gap, Proportion, UNKNOWN};
use serde::Deserialize;

use crate::chart::{self, Chart, Point};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::Choice;
use crate::render::{PageContext, Text, render_page};

/// A dashboard's parameters, as sent by its form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DashboardParams {
    cut: String,
    for_service: String,
    months: String,
}

/// One dashboard in the list.
struct DashboardLink {
    href: String,
    title: Text,
    about: Text,
    current: bool,
}

/// An inequality alert as listed: where it is, and the gap in words.
struct AlertItem {
    href: String,
    title: Text,
    text: Text,
}

#[derive(Template)]
#[template(path = "staff/dashboards.html")]
struct DashboardsPage {
    page: PageContext,
    form: FormState,
    links: Vec<DashboardLink>,
    alerts: Vec<AlertItem>,
    refreshed: Option<Timestamp>,
    lookup: Text,
    notice: Option<Text>,
}

/// A share as shown: "12.5%", or a dash when nobody was counted.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

fn interval(p: Proportion) -> String {
    p.interval().map_or_else(
        || "–".to_owned(),
        |(low, high)| format!("{:.1}–{:.1}%", low * 100.0, high * 100.0),
    )
}

/// Days as whole weeks, or a dash.
fn weeks(days: Option<i64>) -> String {
    days.map_or_else(|| "–".to_owned(), |d| (d / 7).to_string())
}

fn links(page: &PageContext, current: Option<Dashboard>) -> Vec<DashboardLink> {
    Dashboard::ALL
        .into_iter()
        .map(|d| DashboardLink {
            href: format!("/staff/dashboards/{}", d.as_str()),
            title: page.t(&format!("dashboard-{}", d.as_str())),
            about: page.t(&format!("dashboard-{}-about", d.as_str())),
            current: Some(d) == current,
        })
        .collect()
}

async fn dashboards_page(ctx: &Ctx, form: FormState) -> Result<DashboardsPage, WebError> {
    let page = PageContext::new(ctx, "dashboards-title");
    let app = ctx.app();
    let summary = app.deprivation_lookup(ctx.principal()).await?;
    let lookup = if summary.postcodes == 0 {
        page.t("dashboards-lookup-none")
    } else {
        let (postcodes, lsoas) = (summary.postcodes.to_string(), summary.lsoas.to_string());
        let versions = summary.versions.join(", ");
        page.t_args(
            "dashboards-lookup",
            &[
                ("postcodes", postcodes.as_str().into()),
                ("lsoas", lsoas.as_str().into()),
                ("versions", versions.as_str().into()),
            ],
        )
    };
    let threshold = app.inequality_threshold().await?;
    let alerts = app
        .inequality_alerts(ctx.principal())
        .await?
        .into_iter()
        .map(|a| AlertItem {
            href: format!(
                "/staff/dashboards/{}?cut={}",
                a.dashboard.as_str(),
                a.cut.as_str()
            ),
            title: page.t2(
                "dashboards-alert-title",
                "dashboard",
                page.plain(&format!("dashboard-{}", a.dashboard.as_str())),
                "cut",
                page.plain(&format!("dashboard-cut-{}", a.cut.as_str())),
            ),
            text: gap_text(&page, a.dashboard, a.cut, &a.gap, threshold).text,
        })
        .collect();
    let mut form = form;
    if form.value("threshold").is_empty() {
        form.set("threshold", &threshold.to_string());
    }
    Ok(DashboardsPage {
        links: links(&page, None),
        alerts,
        refreshed: ctx.app().population_refreshed_at(ctx.principal()).await?,
        lookup,
        form,
        notice: None,
        page,
    })
}

/// `GET /staff/dashboards`
pub(crate) async fn index(
    ctx: Ctx,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let mut page = dashboards_page(&ctx, FormState::default()).await?;
    if query.contains_key("refreshed") {
        page.notice = Some(page.page.t("dashboards-refreshed"));
    } else if query.contains_key("saved") {
        page.notice = Some(page.page.t("dashboards-threshold-saved"));
    }
    Ok(render_page(&page))
}

/// `POST /staff/dashboards/refresh`: work the figures out again now.
pub(crate) async fn refresh(
    ctx: Ctx,
    VerifiedForm(_): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.app().refresh_dashboards(ctx.principal()).await?;
    Ok(Redirect::to("/staff/dashboards?refreshed=1").into_response())
}

/// `POST /staff/dashboards/threshold`
pub(crate) async fn threshold(
    ctx: Ctx,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let points = sent.get("threshold").cloned().unwrap_or_default();
    match ctx
        .app()
        .set_inequality_threshold(ctx.principal(), &points)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/dashboards?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut shown = dashboards_page(&ctx, FormState::default()).await?;
            shown.form =
                FormState::with_values([("threshold", points)]).with_errors(&errors, &shown.page);
            shown.page.title_with_errors();
            let mut response = render_page(&shown);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// Waits for one group as shown.
struct WaitCells {
    people: u64,
    median: String,
    p90: String,
    within_6: String,
    within_18: String,
}

impl WaitCells {
    fn of(w: Option<&WaitFigures>) -> Self {
        let w = w.cloned().unwrap_or_default();
        Self {
            people: w.people,
            median: weeks(w.median),
            p90: weeks(w.p90),
            within_6: percent(w.within_6_weeks.rate()),
            within_18: percent(w.within_18_weeks.rate()),
        }
    }
}

/// One group's line in the table.
struct GroupRow {
    label: Text,
    count: u64,
    breakdown: Vec<u64>,
    headline: String,
    interval: String,
    waiting: WaitCells,
    seen: WaitCells,
}

/// The gap as shown.
struct GapPanel {
    alert: bool,
    text: Text,
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage {
    page: PageContext,
    form: FormState,
    links: Vec<DashboardLink>,
    heading: Text,
    about: Text,
    headline: Text,
    cuts: Vec<Choice>,
    services: Vec<Choice>,
    periods: Vec<Choice>,
    refreshed: Option<Timestamp>,
    period: Text,
    keys: Vec<Text>,
    /// Each group, then everyone together; empty when the query was refused.
    rows: Vec<GroupRow>,
    chart: Option<Chart>,
    bands_chart: Option<Chart>,
    gap: Option<GapPanel>,
    waits: bool,
    /// Where the form sends its choices: this dashboard.
    action: String,
    csv: String,
}

/// A group's name on the page.
fn group_label(page: &PageContext, cut: Cut, group: &str) -> Text {
    if group == UNKNOWN {
        return page.t("dashboard-group-unknown");
    }
    if group == "all" {
        return page.t("dashboard-group-all");
    }
    match cut {
        Cut::Deprivation => match group {
            "1" => page.t("dashboard-decile-most"),
            "10" => page.t("dashboard-decile-least"),
            _ => page.t1("dashboard-decile", "decile", group),
        },
        Cut::Ethnicity => page.t(&format!("dashboard-ethnic-{group}")),
        Cut::Sex => page.t(&format!("sex-{group}")),
        Cut::Language if page.has(&format!("language-{group}")) => {
            page.t(&format!("language-{group}"))
        }
        Cut::CommunicationNeed | Cut::DigitalExclusion => {
            page.t(&format!("dashboard-{}-{group}", cut.as_str()))
        }
        Cut::AgeBand | Cut::Language | Cut::Area => Text::plain(group.to_owned()),
    }
}

/// A group's name under a chart's bar: short, so ten fit side by side.
fn chart_label(page: &PageContext, cut: Cut, group: &str) -> String {
    match cut {
        _ if group == UNKNOWN => page.plain("dashboard-group-unknown"),
        Cut::Deprivation => group.to_owned(),
        Cut::Ethnicity => page.plain(&format!("dashboard-ethnic-short-{group}")),
        Cut::Language => group.to_uppercase(),
        Cut::CommunicationNeed | Cut::DigitalExclusion => {
            page.plain(&format!("dashboard-short-{group}"))
        }
        Cut::AgeBand | Cut::Sex | Cut::Area => group_label(page, cut, group).as_str().to_owned(),
    }
}

/// The groups on one side of a gap: for deprivation, the fifth they make up.
fn side(page: &PageContext, cut: Cut, groups: &[String]) -> String {
    match (cut, groups.first().map(String::as_str)) {
        (Cut::Deprivation, Some("1")) => page.plain("dashboard-most-deprived-fifth"),
        (Cut::Deprivation, Some("9")) => page.plain("dashboard-least-deprived-fifth"),
        _ => groups
            .iter()
            .map(|g| group_label(page, cut, g).as_str().to_owned())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A breakdown column's name: a route, or a triage outcome.
fn key_label(page: &PageContext, dashboard: Dashboard, key: &str) -> Text {
    match (dashboard, key) {
        (Dashboard::Referrals, _) => page.t(&format!("source-{key}")),
        (_, "awaiting_triage" | "advice" | "withdrawn") => {
            page.t(&format!("dashboard-outcome-{key}"))
        }
        _ => page.t_or(&format!("route-{key}"), key),
    }
}

fn row(page: &PageContext, cut: Cut, g: &GroupFigures) -> GroupRow {
    GroupRow {
        label: group_label(page, cut, &g.group),
        count: g.count,
        breakdown: g.breakdown.clone(),
        headline: percent(g.headline.rate()),
        interval: interval(g.headline),
        waiting: WaitCells::of(g.waiting.as_ref()),
        seen: WaitCells::of(g.seen.as_ref()),
    }
}

fn gap_panel(page: &PageContext, view: &DashboardView, gap: &Gap) -> GapPanel {
    gap_text(
        page,
        view.query.dashboard,
        view.query.cut,
        gap,
        view.threshold,
    )
}

fn gap_text(
    page: &PageContext,
    dashboard: Dashboard,
    cut: Cut,
    gap: &Gap,
    threshold: f64,
) -> GapPanel {
    let d = gap.difference;
    let values = [
        page.plain(&headline_key(dashboard)),
        side(page, cut, &gap.first),
        percent(gap.counts.0.rate()),
        side(page, cut, &gap.second),
        percent(gap.counts.1.rate()),
        format!("{:.1}", d.estimate * 100.0),
        format!("{:.1}", d.low * 100.0),
        format!("{:.1}", d.high * 100.0),
        format!("{threshold}"),
    ];
    let names = [
        "measure",
        "first",
        "firstshare",
        "second",
        "secondshare",
        "points",
        "low",
        "high",
        "threshold",
    ];
    let args: Vec<_> = names
        .iter()
        .zip(&values)
        .map(|(name, value)| (*name, value.as_str().into()))
        .collect();
    let id = if gap.alert {
        "dashboard-gap-alert"
    } else {
        "dashboard-gap"
    };
    let text = page.t_args(id, &args);
    GapPanel {
        alert: gap.alert,
        text,
    }
}

fn headline_key(dashboard: Dashboard) -> String {
    format!("dashboard-headline-{}", dashboard.headline().as_str())
}

fn headline_chart(page: &PageContext, view: &DashboardView) -> Option<Chart> {
    let shown: Vec<&GroupFigures> = view
        .groups
        .iter()
        .filter(|g| g.headline.total > 0)
        .collect();
    if shown.is_empty() {
        return None;
    }
    let points = shown
        .iter()
        .map(|g| Point {
            label: chart_label(page, view.query.cut, &g.group),
            value: g.headline.rate().unwrap_or(0.0) * 100.0,
            shown: format!("{} ({})", percent(g.headline.rate()), interval(g.headline)),
        })
        .collect();
    let intervals: Vec<Option<(f64, f64)>> = shown
        .iter()
        .map(|g| g.headline.interval().map(|(l, h)| (l * 100.0, h * 100.0)))
        .collect();
    let top = intervals
        .iter()
        .flatten()
        .map(|(_, h)| *h)
        .fold(1.0_f64, f64::max);
    let (max, step) = chart::nice_scale(top.min(100.0));
    let headline = page.plain(&headline_key(view.query.dashboard));
    Some(chart::bars_with_intervals(
        "headline".into(),
        page.t1("dashboard-chart", "measure", &headline),
        page.t1("dashboard-chart-summary", "measure", &headline),
        (page.t("dashboard-col-group"), Text::plain(headline)),
        points,
        &intervals,
        max,
        step,
    ))
}

fn bands_chart(page: &PageContext, view: &DashboardView) -> Option<Chart> {
    let waiting = view.total.waiting.as_ref().filter(|w| w.people > 0)?;
    let names = [
        "0–1", "1–2", "2–4", "4–12", "12–18", "18–52", "52–104", "104+",
    ];
    let points = names
        .iter()
        .zip(waiting.bands)
        .map(|(name, n)| Point {
            label: (*name).to_owned(),
            value: n as f64,
            shown: n.to_string(),
        })
        .collect();
    let (max, step) = chart::nice_scale(waiting.bands.iter().copied().max().unwrap_or(1) as f64);
    Some(chart::bars(
        "bands".into(),
        page.t("dashboard-bands-chart"),
        page.t1(
            "dashboard-bands-summary",
            "total",
            waiting.people.to_string(),
        ),
        (page.t("dashboard-col-band"), page.t("dashboard-col-people")),
        points,
        max,
        step,
    ))
}

async fn dashboard_page(
    ctx: &Ctx,
    dashboard: Dashboard,
    params: &DashboardParams,
    view: Option<&DashboardView>,
) -> Result<DashboardPage, WebError> {
    let page = PageContext::new(ctx, &format!("dashboard-{}", dashboard.as_str()));
    let form = FormState::with_values([
        ("cut", params.cut.trim().to_owned()),
        ("for_service", params.for_service.trim().to_owned()),
        ("months", params.months.trim().to_owned()),
    ]);
    let mut form = form;
    if let Some(view) = view {
        form.set("cut", view.query.cut.as_str());
        form.set("months", &view.query.months.to_string());
    }
    let cuts = Cut::ALL
        .iter()
        .map(|c| Choice::new(c.as_str(), page.t(&format!("dashboard-cut-{}", c.as_str()))))
        .collect();
    let services = service_choices(ctx, &page).await?;
    let periods = period_choices(&page);
    let waits = dashboard == Dashboard::Waits;
    let cut = view.map_or(Cut::Deprivation, |v| v.query.cut);
    let csv = format!(
        "/staff/dashboards/{}/csv?cut={}&for_service={}&months={}",
        dashboard.as_str(),
        cut.as_str(),
        params.for_service.trim(),
        view.map_or(12, |v| v.query.months)
    );
    Ok(DashboardPage {
        links: links(&page, Some(dashboard)),
        heading: page.t(&format!("dashboard-{}", dashboard.as_str())),
        about: page.t(&format!("dashboard-{}-about", dashboard.as_str())),
        headline: page.t(&headline_key(dashboard)),
        cuts,
        services,
        periods,
        refreshed: view.and_then(|v| v.refreshed_at),
        period: view.map_or_else(
            || Text::plain(String::new()),
            |v| period_text(&page, v.from, v.to),
        ),
        keys: view.map_or_else(Vec::new, |v| {
            v.keys
                .iter()
                .map(|k| key_label(&page, dashboard, k))
                .collect()
        }),
        rows: view.map_or_else(Vec::new, |v| {
            v.groups
                .iter()
                .chain(std::iter::once(&v.total))
                .map(|g| row(&page, v.query.cut, g))
                .collect()
        }),
        chart: view.and_then(|v| headline_chart(&page, v)),
        bands_chart: view.filter(|_| waits).and_then(|v| bands_chart(&page, v)),
        gap: view.and_then(|v| v.gap.as_ref().map(|g| gap_panel(&page, v, g))),
        waits,
        action: format!("/staff/dashboards/{}", dashboard.as_str()),
        csv,
        form,
        page,
    })
}

/// Every service, after "every service", for a dashboard's filter.
async fn service_choices(ctx: &Ctx, page: &PageContext) -> Result<Vec<Choice>, WebError> {
    let mut services = vec![Choice::new("", page.t("dashboard-all-services"))];
    services.extend(
        ctx.app()
            .services_for_manager(ctx.principal())
            .await?
            .into_iter()
            .map(|s| Choice::new(s.id.to_string(), Text::plain(s.name))),
    );
    Ok(services)
}

/// The periods a dashboard may look back over.
fn period_choices(page: &PageContext) -> Vec<Choice> {
    PERIODS
        .iter()
        .map(|m| Choice::new(m.to_string(), page.count("dashboard-months", *m as usize)))
        .collect()
}

/// "From … to …" for a period.
fn period_text(page: &PageContext, from: Timestamp, to: Timestamp) -> Text {
    page.t2(
        "dashboard-period",
        "from",
        local(from).date().to_string(),
        "to",
        local(to).date().to_string(),
    )
}

fn query_of(dashboard: &str, params: &DashboardParams) -> Result<DashboardQuery, AppError> {
    DashboardQuery::parse(
        dashboard,
        Some(params.cut.trim()),
        Some(params.for_service.trim()),
        Some(params.months.trim()),
    )
}

/// `GET /staff/dashboards/{dashboard}?cut=&for_service=&months=`: a wrong parameter is named
/// (422), never shown as empty figures.
pub(crate) async fn show(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(params): Query<DashboardParams>,
) -> Result<Response, WebError> {
    let dashboard = Dashboard::parse(&name).ok_or(AppError::NotFound)?;
    match query_of(&name, &params) {
        Ok(query) => {
            let view = ctx.app().dashboard(ctx.principal(), query).await?;
            let page = dashboard_page(&ctx, dashboard, &params, Some(&view)).await?;
            Ok(render_page(&page))
        }
        Err(AppError::Invalid(errors)) => {
            ctx.principal()
                .require(jointly_domain::access::Permission::ViewDashboards)?;
            let mut page = dashboard_page(&ctx, dashboard, &params, None).await?;
            page.form = page.form.with_errors(&errors, &page.page);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// A CSV file to download, never cached.
pub(crate) fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `GET /staff/dashboards/{dashboard}/csv?cut=&for_service=&months=`
pub(crate) async fn csv(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(params): Query<DashboardParams>,
) -> Result<Response, WebError> {
    let query = query_of(&name, &params)?;
    let view = ctx.app().dashboard(ctx.principal(), query).await?;
    let file = format!(
        "{}-by-{}-{}.csv",
        query.dashboard.as_str(),
        query.cut.as_str(),
        local(view.to).date()
    );
    Ok(csv_response(&file, view.to_csv()))
}

/// `GET /staff/dashboards/sitrep.csv`: everyone waiting now in community SitRep wait bands.
pub(crate) async fn sitrep(ctx: Ctx) -> Result<Response, WebError> {
    let app = ctx.app();
    let lines = app.sitrep(ctx.principal()).await?;
    let census = local(app.clock().now()).date().to_string();
    let body = sitrep_csv(&app.settings().organisation_code, &census, &lines);
    Ok(csv_response(&format!("sitrep-{census}.csv"), body))
}

/// One line of the clinic-use table.
struct CapacityRow {
    service: String,
    place: String,
    slots: u64,
    available: u64,
    used: String,
    cancelled: u64,
    refilled: String,
}

#[derive(Template)]
#[template(path = "staff/capacity.html")]
struct CapacityPage {
    page: PageContext,
    form: FormState,
    links: Vec<DashboardLink>,
    services: Vec<Choice>,
    periods: Vec<Choice>,
    period: Text,
    rows: Vec<CapacityRow>,
    chart: Option<Chart>,
    csv: String,
}

fn capacity_row(page: &PageContext, line: &jointly_app::CapacityLine) -> CapacityRow {
    let all = |name: &str| {
        if name == "all" {
            page.plain("dashboard-group-all")
        } else {
            name.to_owned()
        }
    };
    CapacityRow {
        service: all(&line.service),
        place: if line.place == "all" {
            String::new()
        } else {
            line.place.clone()
        },
        slots: line.slots,
        available: line.used.total,
        used: percent(line.used.rate()),
        cancelled: line.refilled.total,
        refilled: percent(line.refilled.rate()),
    }
}

fn capacity_chart(page: &PageContext, view: &jointly_app::CapacityView) -> Option<Chart> {
    let shown: Vec<_> = view.lines.iter().filter(|l| l.used.total > 0).collect();
    if shown.is_empty() {
        return None;
    }
    let points = shown
        .iter()
        .enumerate()
        .map(|(i, l)| Point {
            label: (i + 1).to_string(),
            value: l.used.rate().unwrap_or(0.0) * 100.0,
            shown: format!("{} ({}, {})", percent(l.used.rate()), l.service, l.place),
        })
        .collect();
    let intervals: Vec<Option<(f64, f64)>> = shown
        .iter()
        .map(|l| l.used.interval().map(|(lo, hi)| (lo * 100.0, hi * 100.0)))
        .collect();
    Some(chart::bars_with_intervals(
        "utilisation".into(),
        page.t("capacity-chart"),
        page.t("capacity-chart-summary"),
        (page.t("capacity-col-line"), page.t("capacity-col-used")),
        points,
        &intervals,
        100.0,
        20.0,
    ))
}

fn capacity_query(params: &DashboardParams) -> Result<jointly_app::CapacityQuery, AppError> {
    jointly_app::CapacityQuery::parse(Some(params.for_service.trim()), Some(params.months.trim()))
}

/// `GET /staff/dashboards/clinics?for_service=&months=`: how clinics were used, and how many
/// cancelled slots were booked again.
pub(crate) async fn capacity(
    ctx: Ctx,
    Query(params): Query<DashboardParams>,
) -> Result<Response, WebError> {
    let mut page = PageContext::new(&ctx, "capacity-title");
    let mut form = FormState::with_values([
        ("for_service", params.for_service.trim().to_owned()),
        ("months", params.months.trim().to_owned()),
    ]);
    let (view, status) = match capacity_query(&params) {
        Ok(query) => (
            Some(ctx.app().clinic_capacity(ctx.principal(), query).await?),
            StatusCode::OK,
        ),
        Err(AppError::Invalid(errors)) => {
            ctx.principal()
                .require(jointly_domain::access::Permission::ViewDashboards)?;
            form = form.with_errors(&errors, &page);
            page.title_with_errors();
            (None, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(view) = &view {
        form.set("months", &view.query.months.to_string());
    }
    let services = service_choices(&ctx, &page).await?;
    let periods = period_choices(&page);
    let shown = CapacityPage {
        links: links(&page, None),
        services,
        periods,
        period: view.as_ref().map_or_else(
            || Text::plain(String::new()),
            |v| period_text(&page, v.from, v.to),
        ),
        rows: view.as_ref().map_or_else(Vec::new, |v| {
            v.lines
                .iter()
                .chain(std::iter::once(&v.total))
                .map(|l| capacity_row(&page, l))
                .collect()
        }),
        chart: view.as_ref().and_then(|v| capacity_chart(&page, v)),
        csv: format!(
            "/staff/dashboards/clinics/csv?for_service={}&months={}",
            params.for_service.trim(),
            view.as_ref().map_or(12, |v| v.query.months)
        ),
        form,
        page,
    };
    let mut response = render_page(&shown);
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /staff/dashboards/clinics/csv?for_service=&months=`
pub(crate) async fn capacity_csv(
    ctx: Ctx,
    Query(params): Query<DashboardParams>,
) -> Result<Response, WebError> {
    let query = capacity_query(&params)?;
    let view = ctx.app().clinic_capacity(ctx.principal(), query).await?;
    let file = format!("clinic-use-{}.csv", local(view.to).date());
    Ok(csv_response(&file, view.to_csv()))
}
