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

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::referral_id;

#[derive(Serialize)]
struct SlotOut {
    id: String,
    start: String,
    end: String,
    modality: &'static str,
    location: String,
    town: String,
    address: String,
    clinician_role: &'static str,
    service: String,
}

fn slot_out(view: &SlotView) -> SlotOut {
    SlotOut {
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

#[derive(Serialize)]
struct ReferralOut {
    id: String,
    reference: String,
    status: &'static str,
    problem_area: &'static str,
    received_at: String,
    service: Option<String>,
    offered_slots: Vec<SlotOut>,
}

/// `GET /api/v1/me/referrals`
pub(crate) async fn referrals(ctx: Ctx) -> Result<Response, WebError> {
    let overview = ctx.app().portal_overview(ctx.principal()).await?;
    let out: Vec<ReferralOut> = overview
        .referrals
        .iter()
        .map(|offer| {
            let r = &offer.referral.referral;
            ReferralOut {
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

/// `GET /api/v1/me/referrals/{id}/slots`
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
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SearchParams {
    from: String,
    to: String,
    modality: String,
    time: String,
    near: String,
    postcode: String,
    within: String,
    order: String,
}

#[derive(Serialize)]
struct ChoiceOut {
    #[serde(flatten)]
    slot: SlotOut,
    /// Kilometres from home or the postcode given, for appointments in person.
    distance_km: Option<f64>,
    step_free: bool,
}

/// `GET /api/v1/me/referrals/{id}/slot-search`: free slots that suit, as the portal's search.
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

/// `GET /api/v1/me/appointments/{id}/slot-search`: the times the patient's booked appointment
/// could move to, searched as for a first booking; 422 names what is wrong with the search.
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

fn choices_out(found: &jointly_app::SlotSearchResult) -> Vec<ChoiceOut> {
    found
        .choices
        .iter()
        .map(|c| ChoiceOut {
            slot: slot_out(&c.view),
            distance_km: c.distance_km.map(|km| (km * 10.0).round() / 10.0),
            step_free: c.view.location_step_free,
        })
        .collect()
}

fn appointment_id(id: &str) -> Result<AppointmentId, WebError> {
    id.parse().map_err(|_| WebError::from(AppError::NotFound))
}

#[derive(Serialize)]
struct CancelledOut {
    referral_id: String,
    status: &'static str,
}

/// `POST /api/v1/me/appointments/{id}/cancel`: the slot is freed and the referral waits to
/// be booked again.
pub(crate) async fn cancel(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let referral = ctx
        .app()
        .cancel_appointment(ctx.principal(), appointment_id(&id)?)
        .await?;
    Ok(json(
        StatusCode::OK,
        &CancelledOut {
            referral_id: referral.to_string(),
            status: "waiting",
        },
    ))
}

/// A booking request.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct BookRequest {
    referral_id: String,
    slot_id: String,
}

#[derive(Serialize)]
struct Booked {
    appointment_id: String,
    reference: String,
    slot: SlotOut,
}

/// `POST /api/v1/me/appointments`: 201 with the appointment, or 409 `slot_taken` when
/// someone else booked the slot first.
pub(crate) async fn book(
    ctx: Ctx,
    ApiJson(body): ApiJson<BookRequest>,
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
        &Booked {
            appointment_id: confirmation.appointment.id.to_string(),
            reference: confirmation.reference.to_string(),
            slot: slot_out(&confirmation.slot),
        },
    )
}

/// A request to move a booked appointment.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ChangeRequest {
    slot_id: String,
}

/// `POST /api/v1/me/appointments/{id}/change` (and, for staff, `/api/v1/appointments/{id}/change`):
/// 201 with the new appointment, which replaces the old; 409 `slot_taken` when the time has
/// gone, changing nothing.
pub(crate) async fn change(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ChangeRequest>,
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
