//! Customer care's feedback pages: a month of feedback with its FFT counts and themes over
//! time, tagging themes, entering answers given on paper or by phone, the FFT return as CSV
//! (`/staff/feedback`); concerns with their deadlines (`/staff/concerns`); and "you said, we
//! did" (`/staff/improvements`). The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, FeedbackReview};
use jointly_domain::feedback::{FftAnswer, ImprovementAnswers, ImprovementStatus, Theme};
use jointly_domain::{ConcernId, FeedbackId, ImprovementId, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiQuery, json};
use crate::chart::{self, Chart, Point};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::feedback::{answers_of, fft_choices, moment_choices};
use crate::pages::{Choice, Tick};
use crate::render::{PageContext, Text, render_page};
use crate::staff::dashboards::csv_response;
use crate::staff::services::SavedQuery;

/// The month asked for, `YYYY-MM`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct MonthQuery {
    /// The month, `YYYY-MM` (London time); this month when left out.
    month: String,
    /// Set by the pages after saving, to show a notice.
    #[param(ignore)]
    saved: Option<String>,
}

/// One piece of feedback as listed.
struct FeedbackRow {
    id: String,
    at: Timestamp,
    answer: Text,
    moment: Text,
    mode: Text,
    service: String,
    comment: String,
    story: String,
    publish: bool,
    themes: Vec<Tick>,
}

#[derive(Template)]
#[template(path = "staff/feedback.html")]
struct FeedbackPage {
    page: PageContext,
    form: FormState,
    period: String,
    total: u64,
    positive: String,
    negative: String,
    answers_chart: Option<Chart>,
    /// (month, counts by theme in `theme_names` order).
    theme_rows: Vec<(String, Vec<u64>)>,
    theme_names: Vec<Text>,
    rows: Vec<FeedbackRow>,
    services: Vec<Choice>,
    moments: Vec<Choice>,
    answers: Vec<Choice>,
    modes: Vec<Choice>,
    notice: Option<Text>,
}

fn percent(n: u64, total: u64) -> String {
    (n * 100 + total / 2)
        .checked_div(total)
        .map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

async fn feedback_page(
    ctx: &Ctx,
    review: &FeedbackReview,
    form: FormState,
) -> Result<FeedbackPage, WebError> {
    let page = PageContext::new(ctx, "staff-feedback-title");
    let total = review.counts.total();
    let count = |test: fn(FftAnswer) -> bool| -> u64 {
        review
            .counts
            .answers
            .iter()
            .filter(|(a, _)| test(**a))
            .map(|(_, n)| n)
            .sum()
    };
    let answers_chart = (total > 0).then(|| {
        let points = FftAnswer::ALL
            .iter()
            .map(|a| {
                let n = review.counts.answers.get(a).copied().unwrap_or(0);
                Point {
                    label: page.plain(&format!("fft-{}", a.as_str())),
                    value: n as f64,
                    shown: n.to_string(),
                }
            })
            .collect();
        let most = review.counts.answers.values().copied().max().unwrap_or(1);
        chart::bars(
            "fft-answers".into(),
            page.t("staff-feedback-chart"),
            page.t1("staff-feedback-chart-summary", "total", total.to_string()),
            (
                page.t("staff-feedback-col-answer"),
                page.t("staff-feedback-col-count"),
            ),
            points,
            most.max(1) as f64,
            (most.max(4) / 4) as f64,
        )
    });
    let theme_rows = review
        .themes
        .iter()
        .map(|(month, counts)| {
            (
                month.clone(),
                Theme::ALL
                    .iter()
                    .map(|t| counts.get(t).copied().unwrap_or(0))
                    .collect(),
            )
        })
        .collect();
    let rows = review
        .items
        .iter()
        .map(|f| FeedbackRow {
            id: f.id.to_string(),
            at: f.at,
            answer: page.t(&format!("fft-{}", f.answer.as_str())),
            moment: page.t(&format!("feedback-moment-{}", f.moment.as_str())),
            mode: page.t(&format!("feedback-mode-{}", f.mode.as_str())),
            service: f
                .service_id
                .and_then(|id| review.services.get(&id).cloned())
                .unwrap_or_default(),
            comment: f.comment.clone().unwrap_or_default(),
            story: f.story.as_ref().map(|s| s.text.clone()).unwrap_or_default(),
            publish: f.story.as_ref().is_some_and(|s| s.publish),
            themes: Theme::ALL
                .iter()
                .map(|t| Tick {
                    name: format!("theme_{}", t.as_str()),
                    label: page.t(&format!("theme-{}", t.as_str())),
                    checked: f.themes.contains(t),
                })
                .collect(),
        })
        .collect();
    let mut services = vec![Choice::new("", page.t("staff-feedback-no-service"))];
    services.extend(
        ctx.app()
            .feedback_services(ctx.principal())
            .await?
            .into_iter()
            .map(|s| Choice::new(s.id.to_string(), Text::plain(s.name))),
    );
    Ok(FeedbackPage {
        period: review.period.clone(),
        total,
        positive: percent(count(FftAnswer::positive), total),
        negative: percent(count(FftAnswer::negative), total),
        answers_chart,
        theme_rows,
        theme_names: Theme::ALL
            .iter()
            .map(|t| page.t(&format!("theme-{}", t.as_str())))
            .collect(),
        rows,
        services,
        moments: moment_choices(&page),
        answers: fft_choices(&page),
        modes: ["paper", "telephone"]
            .into_iter()
            .map(|m| Choice::new(m, page.t(&format!("feedback-mode-{m}"))))
            .collect(),
        form,
        notice: None,
        page,
    })
}

/// `GET /staff/feedback?month=YYYY-MM`
pub(crate) async fn review(
    ctx: Ctx,
    Query(query): Query<MonthQuery>,
) -> Result<Response, WebError> {
    let review = ctx
        .app()
        .feedback_review(ctx.principal(), &query.month)
        .await?;
    let mut page = feedback_page(&ctx, &review, FormState::default()).await?;
    if query.saved.is_some() {
        page.notice = Some(page.page.t("staff-feedback-saved"));
    }
    Ok(render_page(&page))
}

/// `POST /staff/feedback`: feedback given on paper or by phone.
pub(crate) async fn enter(
    ctx: Ctx,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let field = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let answers = answers_of(&sent);
    match ctx
        .app()
        .enter_feedback(
            ctx.principal(),
            &answers,
            &field("about_service"),
            &field("moment"),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/feedback?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let review = ctx.app().feedback_review(ctx.principal(), "").await?;
            let page = PageContext::new(&ctx, "staff-feedback-title");
            let form = FormState::from_map(sent).with_errors(&errors, &page);
            let mut shown = feedback_page(&ctx, &review, form).await?;
            shown.page.title_with_errors();
            let mut response = render_page(&shown);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

fn feedback_id(raw: &str) -> Result<FeedbackId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

fn ticked(sent: &HashMap<String, String>) -> Vec<String> {
    let mut themes: Vec<String> = sent
        .iter()
        .filter(|(name, value)| name.starts_with("theme_") && value.as_str() == "yes")
        .map(|(name, _)| name.trim_start_matches("theme_").to_owned())
        .collect();
    themes.sort();
    themes
}

/// `POST /staff/feedback/{id}/themes`
pub(crate) async fn tag(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.app()
        .tag_feedback(ctx.principal(), feedback_id(&raw)?, &ticked(&sent))
        .await?;
    let month = sent.get("month").cloned().unwrap_or_default();
    Ok(Redirect::to(&format!(
        "/staff/feedback?month={}&saved=1",
        month_param(&month)
    ))
    .into_response())
}

/// A month for an address: digits and a hyphen only.
fn month_param(month: &str) -> String {
    month
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .take(7)
        .collect()
}

/// `GET /staff/feedback/fft.csv?month=YYYY-MM`
pub(crate) async fn fft_csv(
    ctx: Ctx,
    Query(query): Query<MonthQuery>,
) -> Result<Response, WebError> {
    let month = if query.month.trim().is_empty() {
        ctx.app().feedback_review(ctx.principal(), "").await?.period
    } else {
        query.month.clone()
    };
    let csv = ctx.app().fft_return(ctx.principal(), &month).await?;
    Ok(csv_response(
        &format!("fft-{}.csv", month_param(&month)),
        csv,
    ))
}

/// One piece of feedback, for customer care.
#[derive(Serialize, ToSchema)]
struct FeedbackItem {
    /// The feedback's id.
    id: String,
    /// When it was given (RFC 3339).
    at: String,
    /// The Friends and Family Test answer: `very_good`, `good`, `neither`, `poor`,
    /// `very_poor` or `dont_know`.
    answer: &'static str,
    /// Where in the journey: `after_triage`, `after_appointment`, `at_discharge` or
    /// `any_time`.
    moment: &'static str,
    /// How it reached us: `message_link`, `online`, `paper` or `telephone`.
    mode: &'static str,
    /// The id of the service it is about, when known.
    service_id: Option<String>,
    /// What was good, or could be better.
    comment: Option<String>,
    /// The person's story, when they told one.
    story: Option<String>,
    /// True when they agreed to the story being published (without their name).
    publish: bool,
    /// Themes staff tagged it with: `waiting`, `communication`, `booking`, `staff`,
    /// `treatment`, `access`, `information`, `digital` or `other`.
    themes: Vec<&'static str>,
}

/// Lists a month's feedback for customer care to review.
///
/// The month's feedback, newest first (at most 500). Reading feedback about a known person
/// is audited.
#[utoipa::path(get, path = "/api/v1/feedback", tag = "feedback",
    params(MonthQuery),
    responses(
        (status = 200, description = "The month's feedback, newest first", body = [FeedbackItem]),
        (status = 422, description = "The month is not a month (`YYYY-MM`)", body = crate::openapi::Problem)))]
pub(crate) async fn api_review(
    ctx: Ctx,
    ApiQuery(query): ApiQuery<MonthQuery>,
) -> Result<Response, WebError> {
    let review = ctx
        .app()
        .feedback_review(ctx.principal(), &query.month)
        .await?;
    let out: Vec<_> = review
        .items
        .iter()
        .map(|f| FeedbackItem {
            id: f.id.to_string(),
            at: f.at.to_string(),
            answer: f.answer.as_str(),
            moment: f.moment.as_str(),
            mode: f.mode.as_str(),
            service_id: f.service_id.map(|id| id.to_string()),
            comment: f.comment.clone(),
            story: f.story.as_ref().map(|s| s.text.clone()),
            publish: f.story.as_ref().is_some_and(|s| s.publish),
            themes: f.themes.iter().map(|t| t.as_str()).collect(),
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}

/// A concern as listed.
struct ConcernRow {
    id: String,
    name: String,
    contact: String,
    text: String,
    received: Timestamp,
    acknowledge_by: String,
    respond_by: String,
    status: Text,
    overdue: bool,
    response: String,
    version: u32,
    can_acknowledge: bool,
    can_respond: bool,
}

#[derive(Template)]
#[template(path = "staff/concerns.html")]
struct ConcernsPage {
    page: PageContext,
    form: FormState,
    rows: Vec<ConcernRow>,
    notice: Option<Text>,
}

async fn concerns_page(ctx: &Ctx, form: FormState) -> Result<ConcernsPage, WebError> {
    let concerns = ctx.app().concerns(ctx.principal()).await?;
    let page = PageContext::new(ctx, "staff-concerns-title");
    let today = jointly_domain::local_date(ctx.app().clock().now());
    let rows = concerns
        .iter()
        .map(|c| ConcernRow {
            id: c.id.to_string(),
            name: c.name.clone(),
            contact: c.contact.clone(),
            text: c.text.clone(),
            received: c.received_at,
            acknowledge_by: page.date(&c.acknowledge_by),
            respond_by: page.date(&c.respond_by),
            status: page.t(&format!("concern-status-{}", c.status.as_str())),
            overdue: c.overdue(today),
            response: c.response.clone().unwrap_or_default(),
            version: c.version,
            can_acknowledge: c.status == jointly_domain::feedback::ConcernStatus::Received,
            can_respond: c.status != jointly_domain::feedback::ConcernStatus::Responded,
        })
        .collect();
    Ok(ConcernsPage {
        page,
        form,
        rows,
        notice: None,
    })
}

/// `GET /staff/concerns`
pub(crate) async fn concerns(
    ctx: Ctx,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let mut page = concerns_page(&ctx, FormState::default()).await?;
    if query.is_saved() {
        page.notice = Some(page.page.t("staff-concerns-saved"));
    }
    Ok(render_page(&page))
}

/// `POST /staff/concerns/{id}`: acknowledge, or respond in full.
pub(crate) async fn act(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id: ConcernId = raw
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    let field = |name: &str| sent.get(name).cloned().unwrap_or_default();
    let result = ctx
        .app()
        .act_on_concern(
            ctx.principal(),
            id,
            &field("concern_status"),
            &field("response"),
            &field("version"),
        )
        .await;
    let (errors, status) = match result {
        Ok(_) => return Ok(Redirect::to("/staff/concerns?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(_)) => {
            let mut errors = ValidationErrors::new();
            errors.add("response", jointly_domain::Invalid("stale"));
            (errors, StatusCode::CONFLICT)
        }
        Err(other) => return Err(other.into()),
    };
    let page = PageContext::new(&ctx, "staff-concerns-title");
    let mut form = FormState::from_map(sent).with_errors(&errors, &page);
    form.link_problems(|field| format!("{field}-{raw}"));
    let mut shown = concerns_page(&ctx, form).await?;
    shown.page.title_with_errors();
    let mut response = render_page(&shown);
    *response.status_mut() = status;
    Ok(response)
}

/// An improvement as listed.
struct ImprovementRow {
    id: String,
    theme: Text,
    theme_code: &'static str,
    status_code: &'static str,
    due_iso: String,
    you_said: String,
    we_did: String,
    owner: String,
    status: Text,
    due: String,
    published: bool,
}

#[derive(Template)]
#[template(path = "staff/improvements.html")]
struct ImprovementsPage {
    page: PageContext,
    form: FormState,
    rows: Vec<ImprovementRow>,
    themes: Vec<Choice>,
    statuses: Vec<Choice>,
    publish: Vec<Tick>,
    notice: Option<Text>,
}

async fn improvements_page(ctx: &Ctx, form: FormState) -> Result<ImprovementsPage, WebError> {
    let improvements = ctx.app().improvements(ctx.principal()).await?;
    let page = PageContext::new(ctx, "staff-improvements-title");
    let rows = improvements
        .iter()
        .map(|i| ImprovementRow {
            id: i.id.to_string(),
            theme: page.t(&format!("theme-{}", i.theme.as_str())),
            theme_code: i.theme.as_str(),
            status_code: i.status.as_str(),
            due_iso: i.due.map(|d| d.to_string()).unwrap_or_default(),
            you_said: i.you_said.clone(),
            we_did: i.we_did.clone(),
            owner: i.owner.clone(),
            status: page.t(&format!("improvement-status-{}", i.status.as_str())),
            due: i.due.map(|d| page.date(&d)).unwrap_or_default(),
            published: i.published,
        })
        .collect();
    let mut themes = vec![Choice::new("", page.t("staff-improvements-choose-theme"))];
    themes.extend(
        Theme::ALL
            .iter()
            .map(|t| Choice::new(t.as_str(), page.t(&format!("theme-{}", t.as_str())))),
    );
    Ok(ImprovementsPage {
        statuses: ImprovementStatus::ALL
            .iter()
            .map(|s| {
                Choice::new(
                    s.as_str(),
                    page.t(&format!("improvement-status-{}", s.as_str())),
                )
            })
            .collect(),
        publish: vec![Tick {
            name: "published".into(),
            label: page.t("staff-improvements-publish"),
            checked: form.is("published", "yes"),
        }],
        themes,
        rows,
        form,
        notice: None,
        page,
    })
}

/// `GET /staff/improvements`
pub(crate) async fn improvements(
    ctx: Ctx,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let mut page = improvements_page(&ctx, FormState::default()).await?;
    if query.is_saved() {
        page.notice = Some(page.page.t("staff-improvements-saved"));
    }
    Ok(render_page(&page))
}

fn improvement_answers(sent: &HashMap<String, String>) -> ImprovementAnswers {
    let field = |name: &str| sent.get(name).cloned().unwrap_or_default();
    ImprovementAnswers {
        theme: field("theme"),
        you_said: field("you_said"),
        we_did: field("we_did"),
        owner: field("owner"),
        status: field("improvement_status"),
        due: field("due"),
        published: field("published"),
    }
}

async fn save(
    ctx: &Ctx,
    id: Option<ImprovementId>,
    sent: HashMap<String, String>,
) -> Result<Response, WebError> {
    match ctx
        .app()
        .save_improvement(ctx.principal(), id, &improvement_answers(&sent))
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/improvements?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = PageContext::new(ctx, "staff-improvements-title");
            let form = FormState::from_map(sent).with_errors(&errors, &page);
            let mut shown = improvements_page(ctx, form).await?;
            shown.page.title_with_errors();
            let mut response = render_page(&shown);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /staff/improvements`
pub(crate) async fn add(
    ctx: Ctx,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    save(&ctx, None, sent).await
}

/// `POST /staff/improvements/{id}`: a change of status (and anything else sent).
pub(crate) async fn change(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id: ImprovementId = raw
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    save(&ctx, Some(id), sent).await
}
