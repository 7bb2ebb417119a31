//! The patient's side of the API: their referrals, offered slots, and booking.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::AppError;
use jointly_domain::choice::SearchAnswers;
use jointly_domain::{AppointmentId, SlotId};
use jointly_store::SlotView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::referral_id;

/// A time that may be booked.
#[derive(Serialize, ToSchema)]
struct OfferedSlot {
    /// The slot's id, to book it.
    id: String,
    /// When it starts (RFC 3339).
    start: String,
    /// When it ends (RFC 3339).
    end: String,
    /// `face_to_face`, `phone`, `video` or `group`.
    modality: &'static str,
    /// The place's name.
    location: String,
    /// The place's town.
    town: String,
    /// The place's address.
    address: String,
    /// Who the appointment is with: `physiotherapist`, `first_contact_practitioner`,
    /// `advanced_practitioner`, `pain_specialist`, `rheumatologist`, `orthopaedic_surgeon`
    /// or `podiatrist`.
    clinician_role: &'static str,
    /// The service's name.
    service: String,
}

fn slot_out(view: &SlotView) -> OfferedSlot {
    OfferedSlot {
        id: view.slot.id.to_string(),
        start: view.slot.start.to_string(),
        end: view.slot.end.to_string(),
        modality: view.slot.modality.as_str(),
        location: view.location_name.clone(),
        town: view.location_town.clone(),
        address: view.location_address.clone(),
        clinician_role: view.clinician_role.as_str(),
        service: view.service_name.clone(),
    }
}

/// One of the patient's referrals, with the times they may book now.
#[derive(Serialize, ToSchema)]
struct PatientReferral {
    id: String,
    /// The reference to quote, for example `JNT-4K7P2QX-9`.
    reference: String,
    /// `awaiting_triage`, `waiting`, `booked`, `advice_given`, `withdrawn` or `discharged`.
    status: &'static str,
    /// Where the problem is: `neck`, `shoulder`, `elbow`, `wrist_hand`, `back`, `hip`,
    /// `knee`, `ankle_foot` or `widespread`.
    problem_area: &'static str,
    /// When it was received (RFC 3339).
    received_at: String,
    /// The name of the service it was accepted into, once accepted.
    service: Option<String>,
    /// The soonest free times (up to 12) while it is waiting to book, or discharged with open
    /// access; otherwise empty.
    offered_slots: Vec<OfferedSlot>,
}

/// Lists the signed-in patient's referrals, with the times offered for each.
///
/// The read is audited.
#[utoipa::path(get, path = "/api/v1/me/referrals", tag = "booking",
    responses((status = 200, description = "The patient's referrals", body = Vec<PatientReferral>)))]
pub(crate) async fn referrals(ctx: Ctx) -> Result<Response, WebError> {
    let overview = ctx.app().portal_overview(ctx.principal()).await?;
    let out: Vec<PatientReferral> = overview
        .referrals
        .iter()
        .map(|offer| {
            let r = &offer.referral.referral;
            PatientReferral {
                id: r.id.to_string(),
                reference: r.reference.to_string(),
                status: r.status.as_str(),
                problem_area: r.problem_area.as_str(),
                received_at: r.received_at.to_string(),
                service: offer.referral.service_name.clone(),
                offered_slots: offer.slots.iter().map(slot_out).collect(),
            }
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}

/// Lists the times offered for one of the signed-in patient's referrals.
///
/// The soonest free times (up to 12, one per time, place and way of meeting) while the
/// referral is waiting to book, or discharged with open access; otherwise none.
#[utoipa::path(get, path = "/api/v1/me/referrals/{id}/slots", tag = "booking",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, description = "The times offered", body = Vec<OfferedSlot>)))]
pub(crate) async fn slots(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let slots = ctx
        .app()
        .offered_slots(ctx.principal(), referral_id(&id)?)
        .await?;
    Ok(json(
        StatusCode::OK,
        &slots.iter().map(slot_out).collect::<Vec<_>>(),
    ))
}

/// A slot search through the API: lists are comma separated (`modality=face_to_face,video`).
/// Every field may be left out.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SearchParams {
    /// The first day, `YYYY-MM-DD`, not in the past; today when left out.
    from: String,
    /// The last day, `YYYY-MM-DD`, at most 92 days after `from`; four weeks on when left out.
    to: String,
    /// Ways of meeting, comma separated: `face_to_face`, `phone`, `video`, `group`; any when
    /// left out.
    modality: String,
    /// Parts of the week, comma separated: `morning` (before noon), `afternoon` (noon to
    /// 5pm), `evening` (from 5pm), `weekend`; any when left out.
    time: String,
    /// Where distance is measured from: `home` (the default) or `other` (then `postcode`).
    near: String,
    /// The other UK postcode, when `near` is `other`.
    postcode: String,
    /// Stay within this many kilometres (in person only): `3`, `5`, `10`, `20` or `50`; any
    /// distance when left out.
    within: String,
    /// `earliest` (the default) or `nearest` (phone and video count as nearest).
    order: String,
}

/// A time found by a search.
#[derive(Serialize, ToSchema)]
struct FoundSlot {
    #[serde(flatten)]
    slot: OfferedSlot,
    /// Kilometres from home or the postcode given, for appointments in person.
    distance_km: Option<f64>,
    /// Whether the place has step-free access.
    step_free: bool,
}

/// Searches the free times for one of the signed-in patient's referrals.
///
/// As the portal's search: by days, way of meeting, part of the week and distance from home
/// or another postcode; up to 20 results. A referral not waiting to book finds nothing.
#[utoipa::path(get, path = "/api/v1/me/referrals/{id}/slot-search", tag = "booking",
    params(("id" = String, Path, description = "The referral's id"), SearchParams),
    responses(
        (status = 200, description = "The times found", body = Vec<FoundSlot>),
        (status = 422, description = "The search needs fixing: each problem names its field", body = crate::openapi::Problem)))]
pub(crate) async fn search(
    ctx: Ctx,
    Path(id): Path<String>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(params) =
        params.map_err(|e| WebError::bad_request("invalid_query", e.body_text()))?;
    let found = ctx
        .app()
        .search_slots(ctx.principal(), referral_id(&id)?, &params.answers())
        .await?;
    Ok(json(StatusCode::OK, &choices_out(&found)))
}

/// Searches the times one of the signed-in patient's booked appointments could move to.
///
/// Searched as for a first booking; 422 names what is wrong with the search. An appointment
/// no longer booked is not found.
#[utoipa::path(get, path = "/api/v1/me/appointments/{id}/slot-search", tag = "booking",
    params(("id" = String, Path, description = "The appointment's id"), SearchParams),
    responses(
        (status = 200, description = "The times found", body = Vec<FoundSlot>),
        (status = 422, description = "The search needs fixing: each problem names its field", body = crate::openapi::Problem)))]
pub(crate) async fn change_search(
    ctx: Ctx,
    Path(id): Path<String>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(params) =
        params.map_err(|e| WebError::bad_request("invalid_query", e.body_text()))?;
    let found = ctx
        .app()
        .search_to_change(ctx.principal(), appointment_id(&id)?, &params.answers())
        .await?;
    let found = found.result.map_err(AppError::Invalid)?;
    Ok(json(StatusCode::OK, &choices_out(&found)))
}

impl SearchParams {
    /// The search as the domain reads it (lists are comma-separated).
    fn answers(self) -> SearchAnswers {
        let list = |text: &str| -> Vec<String> {
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        SearchAnswers {
            modalities: list(&self.modality),
            times: list(&self.time),
            from: self.from,
            to: self.to,
            near: self.near,
            postcode: self.postcode,
            within: self.within,
            order: self.order,
        }
    }
}

fn choices_out(found: &jointly_app::SlotSearchResult) -> Vec<FoundSlot> {
    found
        .choices
        .iter()
        .map(|c| FoundSlot {
            slot: slot_out(&c.view),
            distance_km: c.distance_km.map(|km| (km * 10.0).round() / 10.0),
            step_free: c.view.location_step_free,
        })
        .collect()
}

fn appointment_id(id: &str) -> Result<AppointmentId, WebError> {
    id.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// The appointment is cancelled; its referral waits to be booked again.
#[derive(Serialize, ToSchema)]
pub(crate) struct AppointmentCancelled {
    pub(crate) referral_id: String,
    /// Always `waiting`.
    pub(crate) status: &'static str,
}

/// Cancels one of the signed-in patient's appointments.
///
/// The slot is freed and the referral waits to be booked again.
#[utoipa::path(post, path = "/api/v1/me/appointments/{id}/cancel", tag = "booking",
    params(("id" = String, Path, description = "The appointment's id")),
    responses(
        (status = 200, description = "Cancelled: the referral, waiting to book again", body = AppointmentCancelled),
        (status = 409, description = "The appointment is no longer booked, or has started", body = crate::openapi::Problem)))]
pub(crate) async fn cancel(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let referral = ctx
        .app()
        .cancel_appointment(ctx.principal(), appointment_id(&id)?)
        .await?;
    Ok(json(
        StatusCode::OK,
        &AppointmentCancelled {
            referral_id: referral.to_string(),
            status: "waiting",
        },
    ))
}

/// A booking request.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct BookingRequest {
    /// One of the patient's referrals.
    referral_id: String,
    /// A slot offered or found for it.
    slot_id: String,
}

/// A booked appointment.
#[derive(Serialize, ToSchema)]
struct BookedAppointment {
    appointment_id: String,
    /// The referral's reference, for example `JNT-4K7P2QX-9`.
    reference: String,
    slot: OfferedSlot,
}

/// Books one of the slots offered for a referral.
///
/// 201 with the appointment, or 409 `slot_taken` when someone else booked the slot first.
#[utoipa::path(post, path = "/api/v1/me/appointments", tag = "booking",
    request_body = BookingRequest,
    responses(
        (status = 201, description = "Booked: the appointment", body = BookedAppointment),
        (status = 404, description = "No such referral of the patient's, or no such slot", body = crate::openapi::Problem),
        (status = 409, description = "`slot_taken`: someone else booked it first; `slot_too_soon` or `slot_not_offered`: it cannot be booked for this referral; `invalid_transition`: the referral is not waiting to book", body = crate::openapi::Problem)))]
pub(crate) async fn book(
    ctx: Ctx,
    ApiJson(body): ApiJson<BookingRequest>,
) -> Result<Response, WebError> {
    let referral = referral_id(&body.referral_id)?;
    let slot: SlotId = body
        .slot_id
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    let confirmation = ctx.app().book_slot(ctx.principal(), referral, slot).await?;
    Ok(booked(&confirmation))
}

/// 201 with a booked (or moved) appointment.
pub(crate) fn booked(confirmation: &jointly_app::BookingConfirmation) -> Response {
    json(
        StatusCode::CREATED,
        &BookedAppointment {
            appointment_id: confirmation.appointment.id.to_string(),
            reference: confirmation.reference.to_string(),
            slot: slot_out(&confirmation.slot),
        },
    )
}

/// A request to move a booked appointment.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AppointmentChangeRequest {
    /// The free slot to move to (as found by the appointment's slot search).
    slot_id: String,
}

/// Moves one of the signed-in patient's booked appointments to another time.
///
/// 201 with the new appointment, which replaces the old; 409 `slot_taken` when the time has
/// gone, changing nothing.
#[utoipa::path(post, path = "/api/v1/me/appointments/{id}/change", tag = "booking",
    params(("id" = String, Path, description = "The appointment's id")),
    request_body = AppointmentChangeRequest,
    responses(
        (status = 201, description = "Moved: the new appointment", body = BookedAppointment),
        (status = 409, description = "`slot_taken`: the time has gone; `slot_too_soon`, `slot_not_offered` or `invalid_transition`: it cannot move there, or the appointment is no longer booked or has started", body = crate::openapi::Problem)))]
pub(crate) async fn change_own(
    ctx: Ctx,
    path: Path<String>,
    body: ApiJson<AppointmentChangeRequest>,
) -> Result<Response, WebError> {
    change(ctx, path, body).await
}

/// Moves a patient's booked appointment to another time, on their behalf.
///
/// For staff who book for patients, in their own services. 201 with the new appointment,
/// which replaces the old; 409 `slot_taken` when the time has gone, changing nothing. The
/// patient is told of the change.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/change", tag = "booking",
    params(("id" = String, Path, description = "The appointment's id")),
    request_body = AppointmentChangeRequest,
    responses(
        (status = 201, description = "Moved: the new appointment", body = BookedAppointment),
        (status = 409, description = "`slot_taken`: the time has gone; `slot_too_soon`, `slot_not_offered` or `invalid_transition`: it cannot move there, or the appointment is no longer booked or has started", body = crate::openapi::Problem)))]
pub(crate) async fn change_for_staff(
    ctx: Ctx,
    path: Path<String>,
    body: ApiJson<AppointmentChangeRequest>,
) -> Result<Response, WebError> {
    change(ctx, path, body).await
}

/// Moves a booked appointment, for the patient (`change_own`) or staff (`change_for_staff`):
/// 201 with the new appointment, which replaces the old; 409 `slot_taken` when the time has
/// gone, changing nothing.
async fn change(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AppointmentChangeRequest>,
) -> Result<Response, WebError> {
    let slot: SlotId = body
        .slot_id
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    let moved = ctx
        .app()
        .change_appointment(ctx.principal(), appointment_id(&id)?, slot)
        .await?;
    Ok(booked(&moved))
}
