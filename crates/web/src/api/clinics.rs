//! The clinic day over the API: one day's clinic list (`?clinician=` for one clinic),
//! outcomes recorded, running-late notices, and cancelling on a patient's behalf.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use jointly_app::AppError;
use jointly_app::ClinicOutcome;
use jointly_domain::{AppointmentId, ClinicianId, Invalid, ValidationErrors};
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
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
    clinician_id: String,
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

fn invalid(field: &'static str, problem: &'static str) -> WebError {
    let mut errors = ValidationErrors::new();
    errors.add(field, Invalid(problem));
    WebError::from(AppError::Invalid(errors))
}

/// Which clinic.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct DayQuery {
    clinician: Option<String>,
}

fn clinician_id(raw: &str) -> Result<ClinicianId, WebError> {
    raw.trim()
        .parse()
        .map_err(|_| invalid("clinician_id", "choose"))
}

/// `GET /api/v1/clinics/{date}?clinician={id}`
pub(crate) async fn day(
    ctx: Ctx,
    Path(date): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, WebError> {
    let date: Date = date.parse().map_err(|_| invalid("date", "not-a-date"))?;
    let clinician = query.clinician.as_deref().map(clinician_id).transpose()?;
    let day = ctx
        .app()
        .clinic_day(ctx.principal(), date, clinician)
        .await?;
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
            clinician_id: e.clinician_id.to_string(),
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

/// An outcome to record.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OutcomeRequest {
    outcome: String,
}

#[derive(Serialize)]
struct OutcomeOut {
    appointment_id: String,
    status: &'static str,
}

/// `POST /api/v1/appointments/{id}/outcome` with `{"outcome": "checked_in" | "attended_follow_up"
/// | "attended_discharge" | "did_not_attend"}`.
pub(crate) async fn outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OutcomeRequest>,
) -> Result<Response, WebError> {
    let appointment: AppointmentId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let outcome = ClinicOutcome::parse(&body.outcome).map_err(|e| {
        invalid(
            "outcome",
            if body.outcome.is_empty() {
                "missing"
            } else {
                e.0
            },
        )
    })?;
    let recorded = ctx
        .app()
        .record_clinic_outcome(ctx.principal(), appointment, outcome)
        .await?;
    Ok(json(
        StatusCode::OK,
        &OutcomeOut {
            appointment_id: recorded.id.to_string(),
            status: recorded.status.as_str(),
        },
    ))
}

/// A running-late notice.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct LateRequest {
    clinician_id: String,
    minutes: Option<u32>,
}

#[derive(Serialize)]
struct LateOut {
    patients_told: usize,
}

/// `POST /api/v1/clinics/running-late` with `{"clinician_id": "…", "minutes": 20}`.
pub(crate) async fn running_late(
    ctx: Ctx,
    ApiJson(body): ApiJson<LateRequest>,
) -> Result<Response, WebError> {
    let clinician = clinician_id(&body.clinician_id)?;
    let minutes = body.minutes.ok_or_else(|| invalid("minutes", "missing"))?;
    let told = ctx
        .app()
        .notify_running_late(ctx.principal(), clinician, minutes)
        .await?;
    Ok(json(
        StatusCode::OK,
        &LateOut {
            patients_told: told,
        },
    ))
}

#[derive(Serialize)]
struct CancelledOut {
    referral_id: String,
    status: &'static str,
}

/// `POST /api/v1/appointments/{id}/cancel`: staff cancel on a patient's behalf.
pub(crate) async fn cancel(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let appointment: AppointmentId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let referral = ctx
        .app()
        .cancel_appointment_for_patient(ctx.principal(), appointment)
        .await?;
    Ok(json(
        StatusCode::OK,
        &CancelledOut {
            referral_id: referral.to_string(),
            status: "waiting",
        },
    ))
}
