//! Classes and courses in the portal (and the patient API): what the person may join, with
//! places left; joining (a place, or the class's waiting list) and leaving.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, ClassOffer};
use jointly_domain::class::PlaceStatus;
use jointly_domain::{ClassId, ClassPlaceId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json;
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::pages::label;
use crate::pages::refer::Empty;
use crate::render::{PageContext, Text, render_page};

struct ClassRow {
    id: String,
    name: Text,
    start: Timestamp,
    end: Timestamp,
    place: String,
    address: String,
    free: usize,
    /// Their place's id and whether it is a place (true) or the waiting list (false).
    mine: Option<(String, bool)>,
}

#[derive(Template)]
#[template(path = "portal/classes.html")]
struct ClassesPage {
    page: PageContext,
    rows: Vec<ClassRow>,
    notice: Option<Text>,
}

fn rows(page: &PageContext, offers: &[ClassOffer]) -> Vec<ClassRow> {
    offers
        .iter()
        .map(|o| ClassRow {
            id: o.class.class.id.to_string(),
            name: label(page, "class-kind", o.class.class.kind.as_str()),
            start: o.class.class.start,
            end: o.class.class.end,
            place: o.class.location_name.clone(),
            address: o.class.location_address.clone(),
            free: o.class.class.free_places() as usize,
            mine: o
                .place
                .as_ref()
                .map(|p| (p.id.to_string(), p.status == PlaceStatus::Booked)),
        })
        .collect()
}

/// What was just done.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ClassesQuery {
    done: Option<String>,
}

/// `GET /portal/classes`
pub(crate) async fn list(
    ctx: Ctx,
    Query(query): Query<ClassesQuery>,
) -> Result<Response, WebError> {
    let offers = ctx.app().classes_for_patient(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "classes-title");
    let notice = match query.done.as_deref() {
        Some(done @ ("booked" | "waiting" | "left")) => {
            Some(page.t(&format!("classes-done-{done}")))
        }
        _ => None,
    };
    Ok(render_page(&ClassesPage {
        rows: rows(&page, &offers),
        notice,
        page,
    }))
}

fn class_id(raw: &str) -> Result<ClassId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

fn place_id(raw: &str) -> Result<ClassPlaceId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `POST /portal/classes/{id}/join`
pub(crate) async fn join(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    let place = ctx
        .app()
        .join_class(ctx.principal(), class_id(&id)?)
        .await?;
    let done = if place.status == PlaceStatus::Booked {
        "booked"
    } else {
        "waiting"
    };
    Ok(Redirect::to(&format!("/portal/classes?done={done}")).into_response())
}

/// `POST /portal/class-places/{id}/leave`
pub(crate) async fn leave(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    ctx.app()
        .leave_class(ctx.principal(), place_id(&id)?)
        .await?;
    Ok(Redirect::to("/portal/classes?done=left").into_response())
}

/// An upcoming class the patient may join, with their own place if they have one.
#[derive(Serialize, ToSchema)]
struct OfferedClass {
    /// The class's id.
    id: String,
    /// What kind of class: `back_class`, `knee_class`, `expert_patients` or `peer_support`.
    kind: &'static str,
    /// When it starts (RFC 3339).
    start: String,
    /// When it ends (RFC 3339).
    end: String,
    /// Where: the place's name.
    location: String,
    /// Places still free.
    free_places: u32,
    /// Their place, or their place on the waiting list; null when they have neither.
    my_place: Option<OwnClassPlace>,
}

/// The patient's place in a class.
#[derive(Serialize, ToSchema)]
struct OwnClassPlace {
    /// The place's id (to leave it).
    id: String,
    /// `booked` (a place), `waiting` (on the class's waiting list), or `cancelled` once they
    /// have left.
    status: &'static str,
}

/// Lists the upcoming classes the signed-in patient may join, with their own places.
///
/// Classes of the services where they have an open referral, with places left.
#[utoipa::path(get, path = "/api/v1/me/classes", tag = "clinics",
    responses((status = 200, description = "The classes they may join", body = [OfferedClass])))]
pub(crate) async fn api_list(ctx: Ctx) -> Result<Response, WebError> {
    let offers = ctx.app().classes_for_patient(ctx.principal()).await?;
    let classes: Vec<OfferedClass> = offers
        .iter()
        .map(|o| OfferedClass {
            id: o.class.class.id.to_string(),
            kind: o.class.class.kind.as_str(),
            start: o.class.class.start.to_string(),
            end: o.class.class.end.to_string(),
            location: o.class.location_name.clone(),
            free_places: o.class.class.free_places(),
            my_place: o.place.as_ref().map(|p| OwnClassPlace {
                id: p.id.to_string(),
                status: p.status.as_str(),
            }),
        })
        .collect();
    Ok(json(StatusCode::OK, &classes))
}

/// Joins a class: a place if one is free, otherwise the class's waiting list.
///
/// The patient is told by their own channel either way.
#[utoipa::path(post, path = "/api/v1/me/classes/{id}/join", tag = "clinics",
    params(("id" = String, Path, description = "The class's id")),
    responses(
        (status = 201, description = "They have a place (`booked`) or are on the waiting list (`waiting`)", body = OwnClassPlace),
        (status = 409, description = "The class has started (`class_started`), or they already have a place or are waiting for one (`duplicate`)", body = crate::openapi::Problem)))]
pub(crate) async fn api_join(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let place = ctx
        .app()
        .join_class(ctx.principal(), class_id(&id)?)
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &OwnClassPlace {
            id: place.id.to_string(),
            status: place.status.as_str(),
        },
    ))
}

/// Leaves a class: gives up a place, or leaves the waiting list, before the class starts.
///
/// A freed place goes to the first person waiting, who is told.
#[utoipa::path(post, path = "/api/v1/me/class-places/{id}/leave", tag = "clinics",
    params(("id" = String, Path, description = "The id of the patient's place")),
    responses(
        (status = 200, description = "They have left (`cancelled`)", body = OwnClassPlace),
        (status = 409, description = "The place can no longer be given up (`place_changed`): the class has started, or it was given up already", body = crate::openapi::Problem)))]
pub(crate) async fn api_leave(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    ctx.app()
        .leave_class(ctx.principal(), place_id(&id)?)
        .await?;
    Ok(json(
        StatusCode::OK,
        &OwnClassPlace {
            id,
            status: PlaceStatus::Cancelled.as_str(),
        },
    ))
}
