//! Outcome measures: the person's at `/portal/measures` (what their care team asked for,
//! each measure's scores over time, a form per measure), and the care team's at
//! `/staff/patients/{id}/measures` (the same, asking the person to answer, and entering
//! answers given on paper or by phone). The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{AppError, MeasuresView};
use jointly_domain::access::Permission;
use jointly_domain::measure::{
    Change, ItemKind, Measure, MeasureResponse, Timepoint, Words, change,
};
use jointly_domain::{PatientId, ValidationErrors};
use jointly_i18n::Arg;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::chart::{self, Chart, Point};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, Tick, content_language};
use crate::render::{PageContext, Text, render_page};

/// Words from the measures file in the page's language (English where it has none).
fn say(page: &PageContext, words: &Words) -> String {
    words.get(content_language(page.locale)).0.to_owned()
}

/// One measure's part of the overview.
struct MeasureRow {
    code: String,
    name: String,
    chart: Option<Chart>,
    answer: Text,
}

#[derive(Template)]
#[template(path = "measures.html")]
struct MeasuresPage {
    page: PageContext,
    form: FormState,
    staff: bool,
    patient_id: String,
    name: String,
    base: String,
    /// (link, measure, when asked) for each request not yet answered.
    due: Vec<(String, String, String)>,
    measures: Vec<MeasureRow>,
    can_request: bool,
    choices: Vec<Tick>,
    timepoints: Vec<Choice>,
    notice: Option<Text>,
}

fn base(view: &MeasuresView) -> String {
    if view.care_team {
        format!("/staff/patients/{}/measures", view.patient.id)
    } else {
        "/portal/measures".to_owned()
    }
}

fn timepoints(page: &PageContext) -> Vec<Choice> {
    Timepoint::ALL
        .into_iter()
        .map(|t| Choice::new(t.as_str(), page.t(&format!("timepoint-{}", t.as_str()))))
        .collect()
}

fn score_chart(page: &PageContext, measure: &Measure, responses: &[&MeasureResponse]) -> Chart {
    let points = responses
        .iter()
        .map(|r| Point {
            label: page.date(&jointly_domain::local_date(r.at)),
            value: f64::from(r.score),
            shown: page.plain2(
                "measures-score-at",
                "score",
                r.score.to_string(),
                "when",
                page.plain(&format!("timepoint-{}", r.timepoint.as_str())),
            ),
        })
        .collect();
    let max = measure.max_score();
    let latest = responses.last().map_or(0, |r| r.score);
    let direction = if measure.higher_is_better {
        "measures-higher-better"
    } else {
        "measures-lower-better"
    };
    let trend = match change(measure, responses) {
        Some(Change::Better(n)) => page.plain1("measures-change-better", "points", n.to_string()),
        Some(Change::Worse(n)) => page.plain1("measures-change-worse", "points", n.to_string()),
        Some(Change::Same) => page.plain("measures-change-same"),
        None => String::new(),
    };
    let summary = page.t_args(
        "measures-summary",
        &[
            ("score", Arg::Num(f64::from(latest))),
            ("max", Arg::Num(f64::from(max))),
            ("direction", Arg::Str(&page.plain(direction))),
            ("trend", Arg::Str(&trend)),
        ],
    );
    let step = if max > 20 { 5.0 } else { 2.0 };
    chart::line(
        format!("measure-{}-chart", measure.id),
        Text::plain(say(page, &measure.name)),
        summary,
        (page.t("measures-col-when"), page.t("measures-col-score")),
        points,
        f64::from(max),
        step,
    )
}

fn measures_page(ctx: &Ctx, view: &MeasuresView, form: FormState) -> MeasuresPage {
    let page = PageContext::new(ctx, "measures-title");
    let measures = ctx.app().measures_in_use();
    let base = base(view);
    let due = view
        .due
        .iter()
        .filter_map(|r| {
            let measure = measures.get(&r.measure)?;
            Some((
                format!("{base}/{}", measure.id),
                say(&page, &measure.name),
                page.plain1("measures-asked-on", "when", page.long_date(&r.at)),
            ))
        })
        .collect();
    let rows = measures
        .measures
        .iter()
        .map(|measure| {
            let answered: Vec<&MeasureResponse> = view
                .responses
                .iter()
                .filter(|r| r.measure == measure.id)
                .collect();
            let name = say(&page, &measure.name);
            MeasureRow {
                code: measure.id.clone(),
                chart: (!answered.is_empty()).then(|| score_chart(&page, measure, &answered)),
                answer: page.t1("measures-answer", "measure", name.as_str()),
                name,
            }
        })
        .collect();
    let can_request = view.care_team && ctx.principal().can(Permission::WriteClinicalNotes);
    MeasuresPage {
        staff: view.care_team,
        patient_id: view.patient.id.to_string(),
        name: view.patient.name.to_string(),
        base,
        due,
        measures: rows,
        can_request,
        choices: measures
            .measures
            .iter()
            .map(|m| {
                let name = format!("measure_{}", m.id);
                Tick {
                    checked: form.is(&name, "yes"),
                    name,
                    label: Text::plain(m.name.en.clone()),
                }
            })
            .collect(),
        timepoints: timepoints(&page),
        notice: None,
        form,
        page,
    }
}

/// After a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

fn patient_id(raw: &str) -> Result<PatientId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

fn shown(ctx: &Ctx, view: &MeasuresView, query: &SavedQuery) -> Response {
    let mut page = measures_page(ctx, view, FormState::default());
    if query.saved.is_some() {
        let id = if view.care_team {
            "measures-saved-staff"
        } else {
            "measures-saved"
        };
        page.notice = Some(page.page.t(id));
    }
    render_page(&page)
}

/// `GET /portal/measures`
pub(crate) async fn own(ctx: Ctx, Query(query): Query<SavedQuery>) -> Result<Response, WebError> {
    let view = ctx.app().own_measures(ctx.principal()).await?;
    Ok(shown(&ctx, &view, &query))
}

/// `GET /staff/patients/{id}/measures`
pub(crate) async fn staff(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .measures(ctx.principal(), patient_id(&id)?)
        .await?;
    Ok(shown(&ctx, &view, &query))
}

/// `POST /staff/patients/{id}/measures`: ask the person to answer the ticked measures.
pub(crate) async fn request(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let patient = patient_id(&id)?;
    let codes: Vec<String> = form
        .iter()
        .filter(|(name, value)| name.starts_with("measure_") && value.as_str() == "yes")
        .map(|(name, _)| name.trim_start_matches("measure_").to_owned())
        .collect();
    let timepoint = form.get("timepoint").cloned().unwrap_or_default();
    match ctx
        .app()
        .request_measures(ctx.principal(), patient, &codes, &timepoint)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/patients/{patient}/measures?saved=1")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let view = ctx.app().measures(ctx.principal(), patient).await?;
            let page = PageContext::new(&ctx, "measures-title");
            let mut state = FormState::from_map(form).with_errors(&errors, &page);
            state.link_problems(|field| match field {
                "measures" => ctx
                    .app()
                    .measures_in_use()
                    .measures
                    .first()
                    .map_or_else(String::new, |m| format!("measure_{}", m.id)),
                other => other.to_owned(),
            });
            let mut page = measures_page(&ctx, &view, state);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// One question as shown.
struct ItemRow {
    code: String,
    scale: bool,
    text: String,
    hint: String,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "measure_form.html")]
struct MeasureForm {
    page: PageContext,
    form: FormState,
    staff: bool,
    name: String,
    measure: String,
    back: String,
    action: String,
    items: Vec<ItemRow>,
    timepoints: Vec<Choice>,
}

fn measure_form(
    ctx: &Ctx,
    view: &MeasuresView,
    measure: &Measure,
    mut form: FormState,
) -> MeasureForm {
    let page = PageContext::new(ctx, "measures-title");
    let back = base(view);
    // A goal score asks about the same activity each time, unless the person changes it.
    if form.problems().is_empty()
        && let Some(last) = view
            .responses
            .iter()
            .rev()
            .find(|r| r.measure == measure.id)
    {
        for item in measure.items.iter().filter(|i| i.kind == ItemKind::Text) {
            if let Some(answer) = last.answers.get(&item.id) {
                form.set(&item.id, answer);
            }
        }
    }
    let items = measure
        .items
        .iter()
        .map(|item| ItemRow {
            code: item.id.clone(),
            scale: item.kind == ItemKind::Scale,
            text: say(&page, &item.text),
            hint: match (&item.low, &item.high) {
                (Some(low), Some(high)) => page.plain_args(
                    "measures-scale-hint",
                    &[
                        ("min", Arg::Num(f64::from(item.min))),
                        ("low", Arg::Str(&say(&page, low))),
                        ("max", Arg::Num(f64::from(item.max))),
                        ("high", Arg::Str(&say(&page, high))),
                    ],
                ),
                _ => String::new(),
            },
            choices: (item.min..=item.max)
                .map(|n| Choice::new(n.to_string(), Text::plain(n.to_string())))
                .collect(),
        })
        .collect();
    MeasureForm {
        staff: view.care_team,
        name: view.patient.name.to_string(),
        measure: say(&page, &measure.name),
        action: format!("{back}/{}", measure.id),
        back,
        items,
        timepoints: timepoints(&page),
        form,
        page,
    }
}

async fn view_for(ctx: &Ctx, patient: Option<PatientId>) -> Result<MeasuresView, WebError> {
    Ok(match patient {
        Some(patient) => ctx.app().measures(ctx.principal(), patient).await?,
        None => ctx.app().own_measures(ctx.principal()).await?,
    })
}

fn find<'a>(ctx: &'a Ctx, code: &str) -> Result<&'a Measure, WebError> {
    ctx.app()
        .measures_in_use()
        .get(code)
        .ok_or_else(|| WebError::from(AppError::NotFound))
}

async fn show_form(ctx: Ctx, patient: Option<PatientId>, code: &str) -> Result<Response, WebError> {
    let view = view_for(&ctx, patient).await?;
    let measure = find(&ctx, code)?;
    Ok(render_page(&measure_form(
        &ctx,
        &view,
        measure,
        FormState::default(),
    )))
}

async fn save_form(
    ctx: Ctx,
    patient: Option<PatientId>,
    code: &str,
    mut form: HashMap<String, String>,
) -> Result<Response, WebError> {
    form.remove("_csrf");
    let view = view_for(&ctx, patient).await?;
    let measure = find(&ctx, code)?;
    match ctx
        .app()
        .answer_measure(ctx.principal(), view.patient.id, &measure.id, &form)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}?saved=1#measure-{code}", base(&view))).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(refused_form(&ctx, &view, measure, &errors, form)),
        Err(other) => Err(other.into()),
    }
}

fn refused_form(
    ctx: &Ctx,
    view: &MeasuresView,
    measure: &Measure,
    errors: &ValidationErrors,
    sent: HashMap<String, String>,
) -> Response {
    let page = PageContext::new(ctx, "measures-title");
    // Each problem names its question.
    let state = FormState::from_map(sent).with_errors_named(errors, &page, |field| {
        measure
            .items
            .iter()
            .find(|i| i.id == field)
            .map(|i| say(&page, &i.text))
    });
    let mut form = measure_form(ctx, view, measure, state);
    form.page.title_with_errors();
    let mut response = render_page(&form);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// `GET /portal/measures/{code}`
pub(crate) async fn own_form(ctx: Ctx, Path(code): Path<String>) -> Result<Response, WebError> {
    show_form(ctx, None, &code).await
}

/// `POST /portal/measures/{code}`
pub(crate) async fn own_answer(
    ctx: Ctx,
    Path(code): Path<String>,
    VerifiedForm(form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    save_form(ctx, None, &code, form).await
}

/// `GET /staff/patients/{id}/measures/{code}`
pub(crate) async fn staff_form(
    ctx: Ctx,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    show_form(ctx, Some(patient_id(&id)?), &code).await
}

/// `POST /staff/patients/{id}/measures/{code}`: answers given on paper or by phone.
pub(crate) async fn staff_answer(
    ctx: Ctx,
    Path((id, code)): Path<(String, String)>,
    VerifiedForm(form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    save_form(ctx, Some(patient_id(&id)?), &code, form).await
}

/// A person's outcome measures: what their care team asked for, and every answer so far.
#[derive(Serialize, ToSchema)]
struct PatientMeasures<'a> {
    /// Requests not yet answered, oldest first.
    due: Vec<MeasureDue<'a>>,
    /// Answers, oldest first.
    responses: Vec<MeasureAnswered<'a>>,
}

/// A request to answer a measure, not yet answered.
#[derive(Serialize, ToSchema)]
struct MeasureDue<'a> {
    /// The request's id.
    id: String,
    /// The measure's code, for example `pain`.
    measure: &'a str,
    /// When in their care: `start`, `during` or `discharge`.
    timepoint: &'static str,
    /// When the care team asked (RFC 3339).
    asked_at: String,
}

/// One set of answers to a measure, scored.
#[derive(Serialize, ToSchema)]
struct MeasureAnswered<'a> {
    /// The answer's id.
    id: String,
    /// The measure's code, for example `pain`.
    measure: &'a str,
    /// When in their care: `start`, `during` or `discharge`.
    timepoint: &'static str,
    /// The total of the scale answers.
    score: u32,
    /// The highest score the measure can give (0 for a measure no longer in use).
    max: u32,
    /// The answers, by item code.
    answers: &'a std::collections::BTreeMap<String, String>,
    /// When it was answered (RFC 3339).
    at: String,
}

fn measures_out<'a>(ctx: &'a Ctx, view: &'a MeasuresView) -> PatientMeasures<'a> {
    let measures = ctx.app().measures_in_use();
    PatientMeasures {
        due: view
            .due
            .iter()
            .map(|r| MeasureDue {
                id: r.id.to_string(),
                measure: &r.measure,
                timepoint: r.timepoint.as_str(),
                asked_at: r.at.to_string(),
            })
            .collect(),
        responses: view
            .responses
            .iter()
            .map(|r| MeasureAnswered {
                id: r.id.to_string(),
                measure: &r.measure,
                timepoint: r.timepoint.as_str(),
                score: r.score,
                max: measures.get(&r.measure).map_or(0, Measure::max_score),
                answers: &r.answers,
                at: r.at.to_string(),
            })
            .collect(),
    }
}

/// Shows the signed-in patient's outcome measures: what is due and their answers so far.
#[utoipa::path(get, path = "/api/v1/me/measures", tag = "self-management",
    responses((status = 200, description = "Their measures", body = PatientMeasures<'static>)))]
pub(crate) async fn api_own(ctx: Ctx) -> Result<Response, WebError> {
    let view = ctx.app().own_measures(ctx.principal()).await?;
    Ok(json(StatusCode::OK, &measures_out(&ctx, &view)))
}

/// Answers one of the signed-in patient's outcome measures.
///
/// The body holds the answers by the measure's item codes (a whole number within the item's
/// scale, or text), every item answered. It answers the oldest open request for that measure;
/// without one it is a `during` answer, unless an optional `timepoint` key (`start`, `during`
/// or `discharge`) names another. Returns their measures as they now stand.
#[utoipa::path(post, path = "/api/v1/me/measures/{code}", tag = "self-management",
    params(("code" = String, Path, description = "The measure's code, for example `pain`")),
    request_body = HashMap<String, String>,
    responses(
        (status = 201, description = "The answers were saved; their measures now", body = PatientMeasures<'static>),
        (status = 422, description = "An item is unanswered, out of range, too long or unknown, or the timepoint is not one: the problem names each", body = crate::openapi::Problem)))]
pub(crate) async fn api_own_answer(
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(answers): ApiJson<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let patient = ctx.principal().patient()?;
    ctx.app()
        .answer_measure(ctx.principal(), patient, &code, &answers)
        .await?;
    let view = ctx.app().own_measures(ctx.principal()).await?;
    Ok(json(StatusCode::CREATED, &measures_out(&ctx, &view)))
}

/// Shows a patient's outcome measures to their care team: what is due and their answers.
///
/// Reading them is audited.
#[utoipa::path(get, path = "/api/v1/patients/{id}/measures", tag = "self-management",
    params(("id" = String, Path, description = "The patient's id")),
    responses((status = 200, description = "The patient's measures", body = PatientMeasures<'static>)))]
pub(crate) async fn api_staff(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .measures(ctx.principal(), patient_id(&id)?)
        .await?;
    Ok(json(StatusCode::OK, &measures_out(&ctx, &view)))
}

/// A request to answer measures over the API.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeasuresRequest {
    /// The codes of the measures to answer (at least one), for example `pain`.
    measures: Vec<String>,
    /// When in their care: `start`, `during` or `discharge`.
    timepoint: String,
}

/// Asks a patient to answer outcome measures.
///
/// They are told once, through their own channel. Returns their measures as they now stand.
#[utoipa::path(post, path = "/api/v1/patients/{id}/measures/requests", tag = "self-management",
    params(("id" = String, Path, description = "The patient's id")),
    request_body = MeasuresRequest,
    responses(
        (status = 201, description = "The patient was asked; their measures now", body = PatientMeasures<'static>),
        (status = 422, description = "No measure, an unknown measure or timepoint: the problem names each", body = crate::openapi::Problem)))]
pub(crate) async fn api_request(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MeasuresRequest>,
) -> Result<Response, WebError> {
    let patient = patient_id(&id)?;
    ctx.app()
        .request_measures(ctx.principal(), patient, &body.measures, &body.timepoint)
        .await?;
    let view = ctx.app().measures(ctx.principal(), patient).await?;
    Ok(json(StatusCode::CREATED, &measures_out(&ctx, &view)))
}

/// Enters a patient's answers to an outcome measure, given on paper or by phone.
///
/// The body holds the answers by the measure's item codes (a whole number within the item's
/// scale, or text), every item answered. It answers the oldest open request for that measure;
/// without one it is a `during` answer, unless an optional `timepoint` key (`start`, `during`
/// or `discharge`) names another. Returns the patient's measures as they now stand.
#[utoipa::path(post, path = "/api/v1/patients/{id}/measures/{code}", tag = "self-management",
    params(
        ("id" = String, Path, description = "The patient's id"),
        ("code" = String, Path, description = "The measure's code, for example `pain`")),
    request_body = HashMap<String, String>,
    responses(
        (status = 201, description = "The answers were saved; the patient's measures now", body = PatientMeasures<'static>),
        (status = 422, description = "An item is unanswered, out of range, too long or unknown, or the timepoint is not one: the problem names each", body = crate::openapi::Problem)))]
pub(crate) async fn api_staff_answer(
    ctx: Ctx,
    Path((id, code)): Path<(String, String)>,
    ApiJson(answers): ApiJson<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let patient = patient_id(&id)?;
    ctx.app()
        .answer_measure(ctx.principal(), patient, &code, &answers)
        .await?;
    let view = ctx.app().measures(ctx.principal(), patient).await?;
    Ok(json(StatusCode::CREATED, &measures_out(&ctx, &view)))
}
