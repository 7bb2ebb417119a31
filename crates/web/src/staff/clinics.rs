//! The clinic list for a day.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::Date;
use jointly_app::AppError;
use jointly_domain::{Invalid, ValidationErrors};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};

struct ClinicRow {
    start: Timestamp,
    end: Timestamp,
    place: String,
    clinician: Text,
    patient: String,
    reference: String,
    problem: Text,
    modality: Text,
}

#[derive(Template)]
#[template(path = "staff/clinics.html")]
struct ClinicsPage {
    page: PageContext,
    date: Date,
    previous: Date,
    next: Date,
    rows: Vec<ClinicRow>,
}

/// The day asked for.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DayQuery {
    date: Option<String>,
}

/// `GET /staff/clinics?date=2026-11-30` (today when no date is given).
pub(crate) async fn day(ctx: Ctx, Query(query): Query<DayQuery>) -> Result<Response, WebError> {
    let today = jointly_domain::local_date(ctx.app().clock().now());
    let date = match query
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => today,
        Some(raw) => raw.parse::<Date>().map_err(|_| {
            let mut errors = ValidationErrors::new();
            errors.add("date", Invalid("not-a-date"));
            WebError::from(AppError::Invalid(errors))
        })?,
    };
    let day = ctx.app().clinic_day(ctx.principal(), date).await?;
    let page = PageContext::new(&ctx, "clinics-title");
    let rows = day
        .entries
        .iter()
        .map(|e| ClinicRow {
            start: e.start,
            end: e.end,
            place: e.location_name.clone(),
            clinician: Text::plain(format!(
                "{} ({})",
                e.clinician_name,
                label(&page, "clinician-role", e.clinician_role.as_str()).as_str()
            )),
            patient: e.patient_name.to_string(),
            reference: e.reference.to_string(),
            problem: label(&page, "problem-area", e.problem_area.as_str()),
            modality: label(&page, "modality", e.modality.as_str()),
        })
        .collect();
    Ok(render_page(&ClinicsPage {
        page,
        previous: date.yesterday().unwrap_or(date),
        next: date.tomorrow().unwrap_or(date),
        date,
        rows,
    }))
}
