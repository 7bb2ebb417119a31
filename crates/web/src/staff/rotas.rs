//! Rotas for coordinators and service managers: each clinician's recurring sessions, leave,
//! training and closures, and bank holidays; forms to add sessions (their slots are made at
//! once) and exceptions (free slots withdrawn, booked patients put on the task list).

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use jointly_app::{AppError, ExceptionForm, RotaOverview, SessionForm};
use jointly_domain::rota::{ExceptionReason, WEEKDAYS, weekday_code};
use jointly_domain::slot::{AppointmentKind, Modality};
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, label};
use crate::render::{PageContext, Text, render_page};

struct SessionRow {
    clinician: String,
    day: Text,
    times: String,
    place: String,
    modality: Text,
    kind: Text,
    minutes: u32,
    dates: String,
    bank_holidays: bool,
}

struct ExceptionRow {
    who: String,
    reason: Text,
    from: Date,
    to: Date,
}

#[derive(Template)]
#[template(path = "staff/rotas.html")]
struct RotasPage {
    page: PageContext,
    form: FormState,
    notice: Option<Text>,
    sessions: Vec<SessionRow>,
    exceptions: Vec<ExceptionRow>,
    bank_holidays: Vec<Date>,
    clinicians: Vec<Choice>,
    locations: Vec<Choice>,
    weekdays: Vec<Choice>,
    modalities: Vec<Choice>,
    kinds: Vec<Choice>,
    reasons: Vec<Choice>,
    /// Which form the values and problems belong to: `session` or `exception`.
    open: &'static str,
}

fn rotas_page(
    ctx: &Ctx,
    overview: &RotaOverview,
    form: FormState,
    notice: Option<Text>,
    open: &'static str,
) -> RotasPage {
    let page = PageContext::new(ctx, "rotas-title");
    let name_of = |id| {
        overview
            .clinicians
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.to_string())
            .unwrap_or_default()
    };
    let place_of = |id| {
        overview
            .locations
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    };
    let sessions = overview
        .sessions
        .iter()
        .map(|s| SessionRow {
            clinician: name_of(s.clinician_id),
            day: label(&page, "weekday", weekday_code(s.weekday)),
            times: format!(
                "{}–{}",
                s.starts.strftime("%H:%M"),
                s.ends.strftime("%H:%M")
            ),
            place: place_of(s.location_id),
            modality: label(&page, "modality", s.modality.as_str()),
            kind: label(&page, "appointment-kind", s.kind.as_str()),
            minutes: s.minutes,
            dates: match s.valid_until {
                Some(until) => format!("{} – {until}", s.valid_from),
                None => format!("{} –", s.valid_from),
            },
            bank_holidays: s.on_bank_holidays,
        })
        .collect();
    let exceptions = overview
        .exceptions
        .iter()
        .map(|e| ExceptionRow {
            who: match (e.clinician_id, e.location_id) {
                (Some(c), _) => name_of(c),
                (None, Some(l)) => place_of(l),
                (None, None) => String::new(),
            },
            reason: label(&page, "exception-reason", e.reason.as_str()),
            from: e.from,
            to: e.to,
        })
        .collect();
    let choose = Choice::new("", page.t("choose-one"));
    let mut clinicians = vec![choose.clone()];
    clinicians.extend(overview.clinicians.iter().map(|c| {
        let skills = c.skills.join(", ");
        Choice::new(
            c.id.to_string(),
            Text::plain(if skills.is_empty() {
                c.name.to_string()
            } else {
                format!("{} ({skills})", c.name)
            }),
        )
    }));
    let mut locations = vec![choose.clone()];
    locations.extend(
        overview
            .locations
            .iter()
            .map(|l| Choice::new(l.id.to_string(), Text::plain(l.name.clone()))),
    );
    let mut reasons = vec![choose];
    reasons.extend(
        ExceptionReason::ALL
            .map(|r| Choice::new(r.as_str(), label(&page, "exception-reason", r.as_str()))),
    );
    RotasPage {
        sessions,
        exceptions,
        bank_holidays: overview.bank_holidays.clone(),
        clinicians,
        locations,
        weekdays: WEEKDAYS
            .iter()
            .map(|(code, _)| Choice::new(*code, label(&page, "weekday", code)))
            .collect(),
        modalities: Modality::ALL
            .iter()
            .map(|m| Choice::new(m.as_str(), label(&page, "modality", m.as_str())))
            .collect(),
        kinds: AppointmentKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), label(&page, "appointment-kind", k.as_str())))
            .collect(),
        reasons,
        notice,
        open,
        form,
        page,
    }
}

/// What was just done.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RotaQuery {
    added: Option<String>,
    blocked: Option<u64>,
    rebook: Option<usize>,
}

/// `GET /staff/rotas`
pub(crate) async fn show(ctx: Ctx, Query(query): Query<RotaQuery>) -> Result<Response, WebError> {
    let overview = ctx.app().rota_overview(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "rotas-title");
    let notice = match (query.added.as_deref(), query.blocked, query.rebook) {
        (Some("session"), _, _) => Some(page.t("rotas-session-added")),
        (Some("exception"), Some(blocked), Some(rebook)) => Some(page.t2(
            "rotas-exception-added",
            "blocked",
            blocked.to_string(),
            "rebook",
            rebook.to_string(),
        )),
        _ => None,
    };
    Ok(render_page(&rotas_page(
        &ctx,
        &overview,
        FormState::default(),
        notice,
        "",
    )))
}

/// A session, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SessionPost {
    clinician: String,
    location: String,
    weekday: String,
    starts: String,
    ends: String,
    modality: String,
    appointment_kind: String,
    length: String,
    starts_on: String,
    ends_on: String,
    on_bank_holidays: String,
}

async fn refused(
    ctx: &Ctx,
    errors: &jointly_domain::ValidationErrors,
    values: FormState,
    open: &'static str,
) -> Result<Response, WebError> {
    let overview = ctx.app().rota_overview(ctx.principal()).await?;
    let mut page = rotas_page(ctx, &overview, FormState::default(), None, open);
    page.form = values.with_errors(errors, &page.page);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /staff/rotas/sessions`
pub(crate) async fn add_session(
    ctx: Ctx,
    VerifiedForm(post): VerifiedForm<SessionPost>,
) -> Result<Response, WebError> {
    let form = SessionForm {
        clinician: post.clinician.clone(),
        location: post.location.clone(),
        weekday: post.weekday.clone(),
        starts: post.starts.clone(),
        ends: post.ends.clone(),
        modality: post.modality.clone(),
        kind: post.appointment_kind.clone(),
        minutes: post.length.clone(),
        valid_from: post.starts_on.clone(),
        valid_until: post.ends_on.clone(),
        on_bank_holidays: post.on_bank_holidays.clone(),
    };
    match ctx.app().add_rota_session(ctx.principal(), &form).await {
        Ok(_) => Ok(Redirect::to("/staff/rotas?added=session").into_response()),
        Err(AppError::Invalid(errors)) => {
            let values = FormState::with_values([
                ("clinician", post.clinician),
                ("location", post.location),
                ("weekday", post.weekday),
                ("starts", post.starts),
                ("ends", post.ends),
                ("modality", post.modality),
                ("appointment_kind", post.appointment_kind),
                ("length", post.length),
                ("starts_on", post.starts_on),
                ("ends_on", post.ends_on),
                ("on_bank_holidays", post.on_bank_holidays),
            ]);
            refused(&ctx, &errors, values, "session").await
        }
        Err(other) => Err(other.into()),
    }
}

/// An exception, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ExceptionPost {
    exception_reason: String,
    leave_clinician: String,
    closure_location: String,
    first_day: String,
    last_day: String,
}

/// `POST /staff/rotas/exceptions`
pub(crate) async fn add_exception(
    ctx: Ctx,
    VerifiedForm(post): VerifiedForm<ExceptionPost>,
) -> Result<Response, WebError> {
    let form = ExceptionForm {
        clinician: post.leave_clinician.clone(),
        location: post.closure_location.clone(),
        from: post.first_day.clone(),
        to: post.last_day.clone(),
        reason: post.exception_reason.clone(),
    };
    match ctx.app().add_rota_exception(ctx.principal(), &form).await {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/staff/rotas?added=exception&blocked={}&rebook={}",
            outcome.blocked, outcome.to_rebook
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let values = FormState::with_values([
                ("exception_reason", post.exception_reason),
                ("leave_clinician", post.leave_clinician),
                ("closure_location", post.closure_location),
                ("first_day", post.first_day),
                ("last_day", post.last_day),
            ]);
            refused(&ctx, &errors, values, "exception").await
        }
        Err(other) => Err(other.into()),
    }
}
