//! Rotas over the API: read the sessions and coming exceptions, add a session (its slots are
//! made at once) or leave, training and closures.

use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::{ExceptionForm, SessionForm};
use jointly_domain::rota::weekday_code;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

#[derive(Serialize)]
struct SessionOut {
    id: String,
    clinician_id: String,
    service_id: String,
    location_id: String,
    weekday: &'static str,
    starts: String,
    ends: String,
    modality: &'static str,
    kind: &'static str,
    minutes: u32,
    valid_from: String,
    valid_until: Option<String>,
    on_bank_holidays: bool,
}

#[derive(Serialize)]
struct ExceptionOut {
    clinician_id: Option<String>,
    location_id: Option<String>,
    from: String,
    to: String,
    reason: &'static str,
}

#[derive(Serialize)]
struct RotasOut {
    sessions: Vec<SessionOut>,
    exceptions: Vec<ExceptionOut>,
    bank_holidays: Vec<String>,
}

/// `GET /api/v1/rotas`
pub(crate) async fn show(ctx: Ctx) -> Result<Response, WebError> {
    let overview = ctx.app().rota_overview(ctx.principal()).await?;
    let sessions = overview
        .sessions
        .iter()
        .map(|s| SessionOut {
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
        .map(|e| ExceptionOut {
            clinician_id: e.clinician_id.map(|c| c.to_string()),
            location_id: e.location_id.map(|l| l.to_string()),
            from: e.from.to_string(),
            to: e.to.to_string(),
            reason: e.reason.as_str(),
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &RotasOut {
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
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SessionRequest {
    clinician: String,
    location: String,
    weekday: String,
    starts: String,
    ends: String,
    modality: String,
    appointment_kind: String,
    length: Option<u32>,
    starts_on: String,
    ends_on: String,
    on_bank_holidays: bool,
}

#[derive(Serialize)]
struct Created {
    id: String,
}

/// `POST /api/v1/rota-sessions`
pub(crate) async fn add_session(
    ctx: Ctx,
    ApiJson(body): ApiJson<SessionRequest>,
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
        &Created {
            id: session.id.to_string(),
        },
    ))
}

/// Leave, training or a closure to add.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ExceptionRequest {
    exception_reason: String,
    leave_clinician: String,
    closure_location: String,
    first_day: String,
    last_day: String,
}

#[derive(Serialize)]
struct ExceptionAdded {
    slots_withdrawn: u64,
    appointments_to_rebook: usize,
}

/// `POST /api/v1/rota-exceptions`
pub(crate) async fn add_exception(
    ctx: Ctx,
    ApiJson(body): ApiJson<ExceptionRequest>,
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
        &ExceptionAdded {
            slots_withdrawn: outcome.blocked,
            appointments_to_rebook: outcome.to_rebook,
        },
    ))
}
