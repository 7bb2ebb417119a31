//! Classes for staff: the coming classes with places taken, putting one on (coordinators and
//! managers), and each class's register where the leader marks who came.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, ClassForm};
use jointly_domain::access::Permission;
use jointly_domain::class::{ClassKind, PlaceStatus};
use jointly_domain::{ClassId, ClassPlaceId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json;
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, label};
use crate::render::{PageContext, Text, render_page};

struct ClassRow {
    id: String,
    name: Text,
    start: Timestamp,
    place: String,
    leader: String,
    booked: u32,
    places: u32,
}

#[derive(Template)]
#[template(path = "staff/classes.html")]
struct ClassesPage {
    page: PageContext,
    form: FormState,
    rows: Vec<ClassRow>,
    can_create: bool,
    kinds: Vec<Choice>,
    leaders: Vec<Choice>,
    locations: Vec<Choice>,
}

async fn classes_page(ctx: &Ctx, form: FormState) -> Result<ClassesPage, WebError> {
    let classes = ctx.app().classes_for_staff(ctx.principal()).await?;
    let page = PageContext::new(ctx, "staff-classes-title");
    let can_create = ctx.principal().can(Permission::ManageRotas);
    let (mut leaders, mut locations) = (vec![], vec![]);
    if can_create {
        let overview = ctx.app().rota_overview(ctx.principal()).await?;
        leaders.push(Choice::new("", page.t("choose-one")));
        leaders.extend(
            overview
                .clinicians
                .iter()
                .map(|c| Choice::new(c.id.to_string(), Text::plain(c.name.to_string()))),
        );
        locations.push(Choice::new("", page.t("choose-one")));
        locations.extend(
            overview
                .locations
                .iter()
                .map(|l| Choice::new(l.id.to_string(), Text::plain(l.name.clone()))),
        );
    }
    let mut kinds = vec![Choice::new("", page.t("choose-one"))];
    kinds.extend(
        ClassKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), label(&page, "class-kind", k.as_str()))),
    );
    let rows = classes
        .iter()
        .map(|c| ClassRow {
            id: c.class.id.to_string(),
            name: label(&page, "class-kind", c.class.kind.as_str()),
            start: c.class.start,
            place: c.location_name.clone(),
            leader: c.leader.to_string(),
            booked: c.class.booked,
            places: c.class.places,
        })
        .collect();
    Ok(ClassesPage {
        page,
        form,
        rows,
        can_create,
        kinds,
        leaders,
        locations,
    })
}

/// `GET /staff/classes`
pub(crate) async fn list(ctx: Ctx) -> Result<Response, WebError> {
    Ok(render_page(
        &classes_page(&ctx, FormState::default()).await?,
    ))
}

/// A class, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ClassPost {
    class_kind: String,
    leader: String,
    class_location: String,
    class_date: String,
    class_starts: String,
    class_length: String,
    places: String,
}

/// `POST /staff/classes`
pub(crate) async fn create(
    ctx: Ctx,
    VerifiedForm(post): VerifiedForm<ClassPost>,
) -> Result<Response, WebError> {
    let form = ClassForm {
        kind: post.class_kind.clone(),
        clinician: post.leader.clone(),
        location: post.class_location.clone(),
        date: post.class_date.clone(),
        starts: post.class_starts.clone(),
        minutes: post.class_length.clone(),
        places: post.places.clone(),
    };
    match ctx.app().create_class(ctx.principal(), &form).await {
        Ok(class) => Ok(Redirect::to(&format!("/staff/classes/{}", class.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let values = FormState::with_values([
                ("class_kind", post.class_kind),
                ("leader", post.leader),
                ("class_location", post.class_location),
                ("class_date", post.class_date),
                ("class_starts", post.class_starts),
                ("class_length", post.class_length),
                ("places", post.places),
            ]);
            let mut page = classes_page(&ctx, FormState::default()).await?;
            page.form = values.with_errors(&errors, &page.page);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

struct RegisterRow {
    id: String,
    name: String,
    status: Text,
    booked: bool,
    marked: bool,
}

#[derive(Template)]
#[template(path = "staff/class.html")]
struct ClassPage {
    page: PageContext,
    name: Text,
    start: Timestamp,
    place: String,
    leader: String,
    booked: u32,
    places: u32,
    rows: Vec<RegisterRow>,
    can_mark: bool,
}

fn class_id(raw: &str) -> Result<ClassId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `GET /staff/classes/{id}`: the register.
pub(crate) async fn register(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let (class, register) = ctx
        .app()
        .class_register(ctx.principal(), class_id(&id)?)
        .await?;
    let page = PageContext::new(&ctx, "staff-class-title");
    let now = ctx.app().clock().now();
    let rows = register
        .iter()
        .filter(|e| e.place.status != PlaceStatus::Cancelled)
        .map(|e| RegisterRow {
            id: e.place.id.to_string(),
            name: e.patient_name.to_string(),
            status: label(&page, "place-status", e.place.status.as_str()),
            booked: e.place.status == PlaceStatus::Booked,
            marked: matches!(
                e.place.status,
                PlaceStatus::Attended | PlaceStatus::DidNotAttend
            ),
        })
        .collect();
    Ok(render_page(&ClassPage {
        name: label(&page, "class-kind", class.class.kind.as_str()),
        start: class.class.start,
        place: class.location_name.clone(),
        leader: class.leader.to_string(),
        booked: class.class.booked,
        places: class.class.places,
        rows,
        can_mark: ctx.principal().can(Permission::RunClinic) && now >= class.class.start,
        page,
    }))
}

/// Come or not come, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AttendanceForm {
    attended: String,
}

fn attended(raw: &str) -> Result<bool, WebError> {
    match raw {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => {
            let mut errors = jointly_domain::ValidationErrors::new();
            errors.add("attended", jointly_domain::Invalid("choose"));
            Err(AppError::Invalid(errors).into())
        }
    }
}

/// `POST /staff/class-places/{id}/attendance`
pub(crate) async fn attendance(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<AttendanceForm>,
) -> Result<Response, WebError> {
    let place_id: ClassPlaceId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let place = ctx
        .app()
        .record_class_attendance(ctx.principal(), place_id, attended(&form.attended)?)
        .await?;
    Ok(Redirect::to(&format!("/staff/classes/{}", place.class_id)).into_response())
}

/// A place in a class, as it now stands.
#[derive(Serialize, ToSchema)]
struct ClassPlaceOut {
    id: String,
    /// `booked`, `waiting`, `cancelled`, `attended` or `did_not_attend`.
    status: &'static str,
}

/// A register mark over the API.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassAttendanceRequest {
    /// True if the person came, false if they did not.
    #[schema(value_type = bool, required = true)]
    attended: Option<bool>,
}

/// Marks the class register: whether the person with a place came.
///
/// From the class's start, for a booked place; a mark already made can be corrected.
#[utoipa::path(post, path = "/api/v1/class-places/{id}/attendance", tag = "clinics",
    params(("id" = String, Path, description = "The class place's id")),
    request_body = ClassAttendanceRequest,
    responses(
        (status = 200, description = "Marked", body = ClassPlaceOut),
        (status = 409, description = "The place cannot be marked now: the class has not started, or the place is not booked (`place_changed`)", body = crate::openapi::Problem),
        (status = 422, description = "`attended` is missing", body = crate::openapi::Problem)))]
pub(crate) async fn api_attendance(
    ctx: Ctx,
    Path(id): Path<String>,
    crate::api::ApiJson(body): crate::api::ApiJson<ClassAttendanceRequest>,
) -> Result<Response, WebError> {
    let place_id: ClassPlaceId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let came = body.attended.ok_or_else(|| {
        let mut errors = jointly_domain::ValidationErrors::new();
        errors.add("attended", jointly_domain::Invalid("missing"));
        WebError::from(AppError::Invalid(errors))
    })?;
    let place = ctx
        .app()
        .record_class_attendance(ctx.principal(), place_id, came)
        .await?;
    Ok(json(
        StatusCode::OK,
        &ClassPlaceOut {
            id: place.id.to_string(),
            status: place.status.as_str(),
        },
    ))
}
