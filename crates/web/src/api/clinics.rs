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
use utoipa::{IntoParams, ToSchema};

use crate::api::portal::AppointmentCancelled;
use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

/// One appointment on a clinic list.
#[derive(Serialize, ToSchema)]
struct ClinicListEntry {
    appointment_id: String,
    /// `booked`, `checked_in`, `cancelled`, `attended` or `did_not_attend`.
    status: &'static str,
    /// When it starts (RFC 3339).
    start: String,
    /// When it ends (RFC 3339).
    end: String,
    /// `face_to_face`, `phone`, `video` or `group`.
    modality: &'static str,
    /// The place's name.
    location: String,
    clinician_id: String,
    /// The clinician's name.
    clinician: String,
    /// `physiotherapist`, `first_contact_practitioner`, `advanced_practitioner`,
    /// `pain_specialist`, `rheumatologist`, `orthopaedic_surgeon` or `podiatrist`.
    clinician_role: &'static str,
    patient_id: String,
    /// The patient's full name.
    patient_name: String,
    /// The referral's reference, for example `JNT-4K7P2QX-9`.
    reference: String,
    /// Where the problem is: `neck`, `shoulder`, `elbow`, `wrist_hand`, `back`, `hip`,
    /// `knee`, `ankle_foot` or `widespread`.
    problem_area: &'static str,
}

/// One day's clinic list.
#[derive(Serialize, ToSchema)]
struct ClinicDay {
    /// `YYYY-MM-DD`.
    date: String,
    appointments: Vec<ClinicListEntry>,
}

fn invalid(field: &'static str, problem: &'static str) -> WebError {
    let mut errors = ValidationErrors::new();
    errors.add(field, Invalid(problem));
    WebError::from(AppError::Invalid(errors))
}

/// Which clinic.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct DayQuery {
    /// A clinician's id, for their clinic only; every clinic the caller works in when left
    /// out.
    clinician: Option<String>,
}

fn clinician_id(raw: &str) -> Result<ClinicianId, WebError> {
    raw.trim()
        .parse()
        .map_err(|_| invalid("clinician_id", "choose"))
}

/// Lists one day's appointments in the clinics the caller works in.
///
/// `?clinician={id}` for one clinician's clinic. Every patient listed is audited.
#[utoipa::path(get, path = "/api/v1/clinics/{date}", tag = "clinics",
    params(("date" = String, Path, description = "The day, `YYYY-MM-DD` (London time)"), DayQuery),
    responses(
        (status = 200, description = "The day's clinic list", body = ClinicDay),
        (status = 422, description = "`date` is not a date, or `clinician` is not an id", body = crate::openapi::Problem)))]
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
        .map(|e| ClinicListEntry {
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
        &ClinicDay {
            date: date.to_string(),
            appointments,
        },
    ))
}

/// An outcome to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ClinicOutcomeRequest {
    /// `checked_in` (arrived), `attended_follow_up` (seen; needs another appointment),
    /// `attended_discharge` (seen; care complete, discharged with open access) or
    /// `did_not_attend`.
    outcome: String,
}

/// The appointment, with its outcome recorded.
#[derive(Serialize, ToSchema)]
struct ClinicOutcomeRecorded {
    appointment_id: String,
    /// `checked_in`, `attended` or `did_not_attend`.
    status: &'static str,
}

/// Records what happened at an appointment in a clinic the caller runs.
///
/// `{"outcome": "checked_in" | "attended_follow_up" | "attended_discharge" |
/// "did_not_attend"}`. The appointment and its referral move on together and the patient is
/// told what happens next.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/outcome", tag = "clinics",
    params(("id" = String, Path, description = "The appointment's id")),
    request_body = ClinicOutcomeRequest,
    responses(
        (status = 200, description = "Recorded: the appointment's new status", body = ClinicOutcomeRecorded),
        (status = 409, description = "`invalid_transition`: that outcome does not follow the appointment's state (for example it was cancelled); or `appointment_changed`: someone recorded it meanwhile", body = crate::openapi::Problem),
        (status = 422, description = "`outcome` is missing or not one of the four", body = crate::openapi::Problem)))]
pub(crate) async fn outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ClinicOutcomeRequest>,
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
        &ClinicOutcomeRecorded {
            appointment_id: recorded.id.to_string(),
            status: recorded.status.as_str(),
        },
    ))
}

/// A running-late notice.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RunningLateRequest {
    /// The clinician whose clinic is late.
    clinician_id: String,
    /// About how late, 5 to 240 minutes.
    minutes: Option<u32>,
}

/// How many patients were told.
#[derive(Serialize, ToSchema)]
struct RunningLateSent {
    patients_told: usize,
}

/// Tells the patients still to be seen today in a clinic that it is running late.
///
/// `{"clinician_id": "…", "minutes": 20}`: every patient booked with that clinician for the
/// rest of today is sent a notice.
#[utoipa::path(post, path = "/api/v1/clinics/running-late", tag = "clinics",
    request_body = RunningLateRequest,
    responses(
        (status = 200, description = "Sent: how many patients were told", body = RunningLateSent),
        (status = 404, description = "No such clinician", body = crate::openapi::Problem),
        (status = 422, description = "`clinician_id` is missing or not an id, or `minutes` is missing or outside 5 to 240", body = crate::openapi::Problem)))]
pub(crate) async fn running_late(
    ctx: Ctx,
    ApiJson(body): ApiJson<RunningLateRequest>,
) -> Result<Response, WebError> {
    let clinician = clinician_id(&body.clinician_id)?;
    let minutes = body.minutes.ok_or_else(|| invalid("minutes", "missing"))?;
    let told = ctx
        .app()
        .notify_running_late(ctx.principal(), clinician, minutes)
        .await?;
    Ok(json(
        StatusCode::OK,
        &RunningLateSent {
            patients_told: told,
        },
    ))
}

/// Cancels a patient's appointment on their behalf.
///
/// For staff who book for patients, in their own services (for example when the patient
/// phones). The slot goes to the cancellation list, the referral waits to be booked again
/// and the patient is told.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", tag = "booking",
    params(("id" = String, Path, description = "The appointment's id")),
    responses(
        (status = 200, description = "Cancelled: the referral, waiting to book again", body = AppointmentCancelled),
        (status = 409, description = "The appointment is no longer booked, or has started", body = crate::openapi::Problem)))]
pub(crate) async fn cancel(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let appointment: AppointmentId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let referral = ctx
        .app()
        .cancel_appointment_for_patient(ctx.principal(), appointment)
        .await?;
    Ok(json(
        StatusCode::OK,
        &AppointmentCancelled {
            referral_id: referral.to_string(),
            status: "waiting",
        },
    ))
}
