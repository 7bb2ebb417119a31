//! Rotas over the API: read the sessions and coming exceptions, add a session (its slots are
//! made at once) or leave, training and closures.

use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::{ExceptionForm, SessionForm};
use jointly_domain::rota::weekday_code;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

/// A recurring weekly session on a clinician's rota.
#[derive(Serialize, ToSchema)]
struct RotaSessionOut {
    id: String,
    clinician_id: String,
    service_id: String,
    location_id: String,
    /// `monday` to `sunday`.
    weekday: &'static str,
    /// `HH:MM`, London time.
    starts: String,
    /// `HH:MM`, London time.
    ends: String,
    /// `face_to_face`, `phone`, `video` or `group`.
    modality: &'static str,
    /// The appointments it offers: `any`, `new` or `follow_up`.
    kind: &'static str,
    /// Each appointment's length in minutes.
    minutes: u32,
    /// The first day it runs, `YYYY-MM-DD`.
    valid_from: String,
    /// The last day it runs, `YYYY-MM-DD`; none when it runs on.
    valid_until: Option<String>,
    /// Whether it runs on bank holidays.
    on_bank_holidays: bool,
}

/// Leave, training or a closure.
#[derive(Serialize, ToSchema)]
struct RotaExceptionOut {
    /// The clinician away, for leave and training.
    clinician_id: Option<String>,
    /// The location closed, for a closure.
    location_id: Option<String>,
    /// The first day, `YYYY-MM-DD`.
    from: String,
    /// The last day, `YYYY-MM-DD`.
    to: String,
    /// `leave`, `training` or `closure`.
    reason: &'static str,
}

/// The rotas the caller keeps.
#[derive(Serialize, ToSchema)]
struct RotaOverview {
    sessions: Vec<RotaSessionOut>,
    /// Leave, training and closures from today on.
    exceptions: Vec<RotaExceptionOut>,
    /// The next bank holidays (up to 8), `YYYY-MM-DD`.
    bank_holidays: Vec<String>,
}

/// Reads the rotas the caller keeps.
///
/// The sessions of their services' clinicians (every service's for a service manager), the
/// coming leave, training and closures, and the next bank holidays.
#[utoipa::path(get, path = "/api/v1/rotas", tag = "clinics",
    responses((status = 200, description = "The rotas", body = RotaOverview)))]
pub(crate) async fn show(ctx: Ctx) -> Result<Response, WebError> {
    let overview = ctx.app().rota_overview(ctx.principal()).await?;
    let sessions = overview
        .sessions
        .iter()
        .map(|s| RotaSessionOut {
            id: s.id.to_string(),
            clinician_id: s.clinician_id.to_string(),
            service_id: s.service_id.to_string(),
            location_id: s.location_id.to_string(),
            weekday: weekday_code(s.weekday),
            starts: s.starts.strftime("%H:%M").to_string(),
            ends: s.ends.strftime("%H:%M").to_string(),
            modality: s.modality.as_str(),
            kind: s.kind.as_str(),
            minutes: s.minutes,
            valid_from: s.valid_from.to_string(),
            valid_until: s.valid_until.map(|d| d.to_string()),
            on_bank_holidays: s.on_bank_holidays,
        })
        .collect();
    let exceptions = overview
        .exceptions
        .iter()
        .map(|e| RotaExceptionOut {
            clinician_id: e.clinician_id.map(|c| c.to_string()),
            location_id: e.location_id.map(|l| l.to_string()),
            from: e.from.to_string(),
            to: e.to.to_string(),
            reason: e.reason.as_str(),
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &RotaOverview {
            sessions,
            exceptions,
            bank_holidays: overview
                .bank_holidays
                .iter()
                .map(ToString::to_string)
                .collect(),
        },
    ))
}

/// A session to add. Field names match the problems reported.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RotaSessionRequest {
    /// The clinician's id.
    clinician: String,
    /// The location's id.
    location: String,
    /// `monday` to `sunday`.
    weekday: String,
    /// `HH:MM`, London time.
    starts: String,
    /// `HH:MM`, London time; long enough for one appointment.
    ends: String,
    /// `face_to_face`, `phone`, `video` or `group`.
    modality: String,
    /// The appointments it offers: `any`, `new` or `follow_up`.
    appointment_kind: String,
    /// Each appointment's length in minutes, 10 to 180.
    length: Option<u32>,
    /// The first day it runs, `YYYY-MM-DD`, not in the past; today when left out.
    starts_on: String,
    /// The last day it runs, `YYYY-MM-DD`; left out, it runs on.
    ends_on: String,
    /// Whether it runs on bank holidays.
    on_bank_holidays: bool,
}

/// The session added.
#[derive(Serialize, ToSchema)]
struct RotaSessionAdded {
    id: String,
}

/// Adds a weekly session to a clinician's rota.
///
/// Its slots are made at once, over the coming 12 weeks. Every problem is named by field;
/// nothing is stored unless all is well.
#[utoipa::path(post, path = "/api/v1/rota-sessions", tag = "clinics",
    request_body = RotaSessionRequest,
    responses(
        (status = 201, description = "Added: the session's id", body = RotaSessionAdded),
        (status = 422, description = "The session needs fixing: each problem names its field", body = crate::openapi::Problem)))]
pub(crate) async fn add_session(
    ctx: Ctx,
    ApiJson(body): ApiJson<RotaSessionRequest>,
) -> Result<Response, WebError> {
    let form = SessionForm {
        clinician: body.clinician,
        location: body.location,
        weekday: body.weekday,
        starts: body.starts,
        ends: body.ends,
        modality: body.modality,
        kind: body.appointment_kind,
        minutes: body.length.map(|m| m.to_string()).unwrap_or_default(),
        valid_from: body.starts_on,
        valid_until: body.ends_on,
        on_bank_holidays: if body.on_bank_holidays { "yes" } else { "" }.to_owned(),
    };
    let session = ctx.app().add_rota_session(ctx.principal(), &form).await?;
    Ok(json(
        StatusCode::CREATED,
        &RotaSessionAdded {
            id: session.id.to_string(),
        },
    ))
}

/// Leave, training or a closure to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RotaExceptionRequest {
    /// `leave`, `training` or `closure`.
    exception_reason: String,
    /// The clinician's id, for leave and training.
    leave_clinician: String,
    /// The location's id, for a closure.
    closure_location: String,
    /// The first day, `YYYY-MM-DD`, not in the past.
    first_day: String,
    /// The last day, `YYYY-MM-DD`; the first day when left out.
    last_day: String,
}

/// What adding the exception did.
#[derive(Serialize, ToSchema)]
struct RotaExceptionAdded {
    /// Free slots on those days, no longer offered.
    slots_withdrawn: u64,
    /// Booked appointments on those days; a task is raised for each, to offer another time.
    appointments_to_rebook: usize,
}

/// Records leave or training for a clinician, or a closure of a location.
///
/// Free slots on those days are withdrawn at once, and each patient already booked gets a
/// task for a coordinator to offer another time. Only a service manager may close a
/// location.
#[utoipa::path(post, path = "/api/v1/rota-exceptions", tag = "clinics",
    request_body = RotaExceptionRequest,
    responses(
        (status = 201, description = "Added: what it changed", body = RotaExceptionAdded),
        (status = 422, description = "The exception needs fixing: each problem names its field", body = crate::openapi::Problem)))]
pub(crate) async fn add_exception(
    ctx: Ctx,
    ApiJson(body): ApiJson<RotaExceptionRequest>,
) -> Result<Response, WebError> {
    let form = ExceptionForm {
        clinician: body.leave_clinician,
        location: body.closure_location,
        from: body.first_day,
        to: body.last_day,
        reason: body.exception_reason,
    };
    let outcome = ctx.app().add_rota_exception(ctx.principal(), &form).await?;
    Ok(json(
        StatusCode::CREATED,
        &RotaExceptionAdded {
            slots_withdrawn: outcome.blocked,
            appointments_to_rebook: outcome.to_rebook,
        },
    ))
}
