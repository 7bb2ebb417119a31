//! `GET /api/v1/clinics/{date}`: one day's clinic list.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use jointly_app::AppError;
use jointly_domain::{Invalid, ValidationErrors};
use serde::Serialize;

use crate::api::json;
use crate::context::Ctx;
use crate::error::WebError;

#[derive(Serialize)]
struct Entry {
    appointment_id: String,
    status: &'static str,
    start: String,
    end: String,
    modality: &'static str,
    location: String,
    clinician: String,
    clinician_role: &'static str,
    patient_id: String,
    patient_name: String,
    reference: String,
    problem_area: &'static str,
}

#[derive(Serialize)]
struct Day {
    date: String,
    appointments: Vec<Entry>,
}

/// `GET /api/v1/clinics/{date}`
pub(crate) async fn day(ctx: Ctx, Path(date): Path<String>) -> Result<Response, WebError> {
    let date: Date = date.parse().map_err(|_| {
        let mut errors = ValidationErrors::new();
        errors.add("date", Invalid("not-a-date"));
        WebError::from(AppError::Invalid(errors))
    })?;
    let day = ctx.app().clinic_day(ctx.principal(), date).await?;
    let appointments = day
        .entries
        .iter()
        .map(|e| Entry {
            appointment_id: e.appointment_id.to_string(),
            status: e.status.as_str(),
            start: e.start.to_string(),
            end: e.end.to_string(),
            modality: e.modality.as_str(),
            location: e.location_name.clone(),
            clinician: e.clinician_name.to_string(),
            clinician_role: e.clinician_role.as_str(),
            patient_id: e.patient_id.to_string(),
            patient_name: e.patient_name.to_string(),
            reference: e.reference.to_string(),
            problem_area: e.problem_area.as_str(),
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &Day {
            date: date.to_string(),
            appointments,
        },
    ))
}
