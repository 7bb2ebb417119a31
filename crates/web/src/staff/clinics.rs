//! The clinic day: one day's clinic list (every clinic, or one clinician's), with check-in,
//! attended and did-not-attend recorded from the list, and a running-late notice to the
//! patients still to be seen.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use jointly_app::{AppError, ClinicDay, ClinicOutcome, LATE_MINUTES, next_outcomes};
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::communication::Interpreter;
use jointly_domain::{AppointmentId, ClinicianId, Invalid, ValidationErrors};
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};

struct ClinicRow {
    id: String,
    start: Timestamp,
    end: Timestamp,
    place: String,
    clinician: Text,
    patient: String,
    /// The interpreter to book (communication needs), if any.
    interpreter: Option<String>,
    /// The patient said they are coming (from the link in their message).
    confirmed: bool,
    reference: String,
    problem: Text,
    modality: Text,
    status: Text,
    colour: &'static str,
    /// What may be recorded next: (code, button label).
    actions: Vec<(&'static str, Text)>,
}

struct ClinicianChoice {
    id: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "staff/clinics.html")]
struct ClinicsPage {
    page: PageContext,
    form: FormState,
    date: Date,
    previous: Date,
    next: Date,
    /// The chosen clinician's id, or empty for every clinic.
    clinician: String,
    clinician_name: String,
    clinicians: Vec<ClinicianChoice>,
    rows: Vec<ClinicRow>,
    notice: Option<Text>,
    can_run: bool,
    is_today: bool,
    late_min: u32,
    late_max: u32,
}

/// The day and clinician asked for, and what was just done.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DayQuery {
    date: Option<String>,
    clinician: Option<String>,
    recorded: Option<String>,
    told: Option<usize>,
}

fn invalid(field: &'static str, problem: &'static str) -> WebError {
    let mut errors = ValidationErrors::new();
    errors.add(field, Invalid(problem));
    AppError::Invalid(errors).into()
}

fn parse_day(raw: Option<&str>, today: Date) -> Result<Date, WebError> {
    match raw.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(today),
        Some(raw) => raw.parse().map_err(|_| invalid("date", "not-a-date")),
    }
}

fn parse_clinician(raw: Option<&str>) -> Result<Option<ClinicianId>, WebError> {
    match raw.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| invalid("clinician", "choose")),
    }
}

fn clinic_link(date: Date, clinician: &str) -> String {
    if clinician.is_empty() {
        format!("/staff/clinics?date={date}")
    } else {
        format!("/staff/clinics?date={date}&clinician={clinician}")
    }
}

/// The tag colour for an appointment's status, the same in every list.
pub(crate) fn status_colour(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "blue",
        AppointmentStatus::CheckedIn => "green",
        AppointmentStatus::Attended => "white",
        AppointmentStatus::Cancelled | AppointmentStatus::DidNotAttend => "grey",
    }
}

fn clinics_page(ctx: &Ctx, day: ClinicDay, form: FormState, notice: Option<Text>) -> ClinicsPage {
    let page = PageContext::new(ctx, "clinics-title");
    let now = ctx.app().clock().now();
    let can_run = ctx
        .principal()
        .can(jointly_domain::access::Permission::RunClinic);
    let rows = day
        .entries
        .iter()
        .map(|e| ClinicRow {
            id: e.appointment_id.to_string(),
            start: e.start,
            end: e.end,
            place: e.location_name.clone(),
            clinician: Text::plain(format!(
                "{} ({})",
                e.clinician_name,
                label(&page, "clinician-role", e.clinician_role.as_str()).as_str()
            )),
            patient: e.patient_name.to_string(),
            confirmed: e.confirmed,
            interpreter: e.interpreter.map(|i| match i {
                Interpreter::Professional(need) => need.display().to_owned(),
                Interpreter::Spoken(language) => format!(
                    "{}: {}",
                    page.plain("clinic-interpreter"),
                    label(&page, "language", language.code()).as_str()
                ),
            }),
            reference: e.reference.to_string(),
            problem: label(&page, "problem-area", e.problem_area.as_str()),
            modality: label(&page, "modality", e.modality.as_str()),
            status: label(&page, "appointment-status", e.status.as_str()),
            colour: status_colour(e.status),
            actions: if can_run {
                next_outcomes(e.status, e.start, now)
                    .into_iter()
                    .map(|o| (o.as_str(), label(&page, "clinic-outcome", o.as_str())))
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    let chosen = day.clinician.map(|c| c.to_string()).unwrap_or_default();
    let clinicians: Vec<ClinicianChoice> = day
        .clinicians
        .iter()
        .map(|(id, name)| ClinicianChoice {
            id: id.to_string(),
            name: name.to_string(),
            selected: Some(*id) == day.clinician,
        })
        .collect();
    let clinician_name = clinicians
        .iter()
        .find(|c| c.selected)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    ClinicsPage {
        is_today: day.date == jointly_domain::local_date(now),
        previous: day.date.yesterday().unwrap_or(day.date),
        next: day.date.tomorrow().unwrap_or(day.date),
        date: day.date,
        clinician: chosen,
        clinician_name,
        clinicians,
        rows,
        notice,
        can_run,
        late_min: *LATE_MINUTES.start(),
        late_max: *LATE_MINUTES.end(),
        page,
        form,
    }
}

/// `GET /staff/clinics?date=2026-11-30&clinician=…` (today and every clinic by default).
pub(crate) async fn day(ctx: Ctx, Query(query): Query<DayQuery>) -> Result<Response, WebError> {
    let today = jointly_domain::local_date(ctx.app().clock().now());
    let date = parse_day(query.date.as_deref(), today)?;
    let clinician = parse_clinician(query.clinician.as_deref())?;
    let day = ctx
        .app()
        .clinic_day(ctx.principal(), date, clinician)
        .await?;
    let page = PageContext::new(&ctx, "clinics-title");
    let notice = match (query.recorded.as_deref(), query.told) {
        (Some(code), _) => ClinicOutcome::parse(code)
            .ok()
            .map(|o| label(&page, "clinic-recorded", o.as_str())),
        (None, Some(told)) => Some(page.count("clinics-late-sent", told)),
        _ => None,
    };
    Ok(render_page(&clinics_page(
        &ctx,
        day,
        FormState::default(),
        notice,
    )))
}

/// Recording an outcome from the clinic list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OutcomeForm {
    outcome: String,
    date: String,
    clinician: String,
}

/// `POST /staff/appointments/{id}/outcome`
pub(crate) async fn outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<OutcomeForm>,
) -> Result<Response, WebError> {
    let appointment: AppointmentId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let outcome = ClinicOutcome::parse(&form.outcome).map_err(|e| invalid("outcome", e.0))?;
    let today = jointly_domain::local_date(ctx.app().clock().now());
    let date = parse_day(Some(&form.date), today)?;
    let clinician = parse_clinician(Some(&form.clinician))?
        .map(|c| c.to_string())
        .unwrap_or_default();
    ctx.app()
        .record_clinic_outcome(ctx.principal(), appointment, outcome)
        .await?;
    let back = clinic_link(date, &clinician);
    Ok(Redirect::to(&format!("{back}&recorded={}#row-{id}", outcome.as_str())).into_response())
}

/// A running-late notice, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LateForm {
    clinician: String,
    minutes: String,
}

/// `POST /staff/clinics/running-late`: tells the chosen clinician's patients still to be seen
/// today.
pub(crate) async fn running_late(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<LateForm>,
) -> Result<Response, WebError> {
    let clinician =
        parse_clinician(Some(&form.clinician))?.ok_or(invalid("clinician", "missing"))?;
    let today = jointly_domain::local_date(ctx.app().clock().now());
    let minutes = form.minutes.trim().parse::<u32>();
    let result = match minutes {
        Ok(minutes) => {
            ctx.app()
                .notify_running_late(ctx.principal(), clinician, minutes)
                .await
        }
        Err(_) => {
            let mut errors = ValidationErrors::new();
            errors.add(
                "minutes",
                Invalid(if form.minutes.trim().is_empty() {
                    "missing"
                } else {
                    "not-a-number"
                }),
            );
            Err(AppError::Invalid(errors))
        }
    };
    match result {
        Ok(told) => Ok(Redirect::to(&format!(
            "{}&told={told}",
            clinic_link(today, &clinician.to_string())
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let day = ctx
                .app()
                .clinic_day(ctx.principal(), today, Some(clinician))
                .await?;
            let mut page = clinics_page(&ctx, day, FormState::default(), None);
            page.form = FormState::with_values([("minutes", form.minutes)])
                .with_errors(&errors, &page.page);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
