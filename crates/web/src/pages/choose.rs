//! Choosing an appointment in the portal: a search form (days, how, time of day, near home or
//! another postcode, how far, which order) with its results to book or to move a booked
//! appointment to; and cancelling an appointment, after a question, so the person can choose
//! again. Staff use the same pages on a patient's behalf.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::AppError;
use jointly_domain::choice::{DISTANCES_KM, SearchAnswers, TimeOfDay};
use jointly_domain::slot::Modality;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::portal::{appointment_id, booked_appointment};
use crate::pages::refer::Empty;
use crate::pages::{Choice, Tick, label, referral_id};
use crate::render::{PageContext, Text, render_page};

/// The search, as the form's query string gives it. Checkboxes are named one per choice
/// (`modality_video=yes`) so that a plain form works without scripts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SearchQuery {
    from: String,
    to: String,
    modality_face_to_face: String,
    modality_phone: String,
    modality_video: String,
    modality_group: String,
    time_morning: String,
    time_afternoon: String,
    time_evening: String,
    time_weekend: String,
    near: String,
    postcode: String,
    within: String,
    order: String,
    /// Set after a cancellation, to say so.
    cancelled: String,
}

impl SearchQuery {
    fn ticked(&self, field: &str) -> bool {
        let value = match field {
            "modality_face_to_face" => &self.modality_face_to_face,
            "modality_phone" => &self.modality_phone,
            "modality_video" => &self.modality_video,
            "modality_group" => &self.modality_group,
            "time_morning" => &self.time_morning,
            "time_afternoon" => &self.time_afternoon,
            "time_evening" => &self.time_evening,
            "time_weekend" => &self.time_weekend,
            _ => return false,
        };
        !value.is_empty()
    }

    /// The form as shown again, with the days, origin and order given (as understood, or as
    /// typed when they could not be).
    fn values(&self, from: String, to: String, near: String, order: String) -> FormState {
        FormState::with_values([
            ("from", from),
            ("to", to),
            ("near", near),
            ("postcode", self.postcode.clone()),
            ("within", self.within.clone()),
            ("order", order),
        ])
    }

    fn answers(&self) -> SearchAnswers {
        SearchAnswers {
            from: self.from.clone(),
            to: self.to.clone(),
            modalities: Modality::ALL
                .iter()
                .filter(|m| self.ticked(&format!("modality_{}", m.as_str())))
                .map(|m| m.as_str().to_owned())
                .collect(),
            times: TimeOfDay::ALL
                .iter()
                .filter(|t| self.ticked(&format!("time_{}", t.as_str())))
                .map(|t| t.as_str().to_owned())
                .collect(),
            near: self.near.clone(),
            postcode: self.postcode.clone(),
            within: self.within.clone(),
            order: self.order.clone(),
        }
    }
}

struct ResultRow {
    id: String,
    start: Timestamp,
    place: String,
    role: Text,
    modality: Text,
    distance: Option<String>,
    step_free: bool,
}

#[derive(Template)]
#[template(path = "portal/choose.html")]
struct ChoosePage {
    page: PageContext,
    /// Where the search form goes.
    search_action: String,
    /// Where a choice is booked.
    book_action: String,
    /// Back to the portal, or to the referral for staff.
    back: String,
    /// The appointment being moved, when the search is for a new time for it.
    current: Option<CurrentAppointment>,
    form: FormState,
    modalities: Vec<Tick>,
    times: Vec<Tick>,
    distances: Vec<Choice>,
    near_choices: Vec<Choice>,
    near_hint: Text,
    order_choices: Vec<Choice>,
    /// Said above the form: just cancelled, or the time chosen has just gone.
    notice: Option<Text>,
    searched: bool,
    results: Vec<ResultRow>,
}

/// What a search page books: a first appointment for a referral, or a new time for a booked
/// appointment.
#[derive(Clone, Copy, Debug)]
enum Booking {
    Referral(jointly_domain::ReferralId),
    Change(jointly_domain::AppointmentId),
}

/// The appointment being moved, as the change page shows it.
struct CurrentAppointment {
    start: Timestamp,
    place: String,
}

/// `GET /portal/referrals/{id}/choose`: the patient's own search.
pub(crate) async fn search(
    ctx: Ctx,
    Path(id): Path<String>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let booking = Booking::Referral(referral_id(&id)?);
    render_search(ctx, booking, query, false, None).await
}

/// `GET /staff/referrals/{id}/book`: staff searching on a patient's behalf.
pub(crate) async fn staff_search(
    ctx: Ctx,
    Path(id): Path<String>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let booking = Booking::Referral(referral_id(&id)?);
    render_search(ctx, booking, query, true, None).await
}

/// `GET /portal/appointments/{id}/change`: the patient looks for a new time for their
/// appointment.
pub(crate) async fn change_search(
    ctx: Ctx,
    Path(id): Path<String>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let booking = Booking::Change(appointment_id(&id)?);
    render_search(ctx, booking, query, false, None).await
}

/// `GET /staff/appointments/{id}/change`: staff look for a new time on the patient's behalf.
pub(crate) async fn staff_change_search(
    ctx: Ctx,
    Path(id): Path<String>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let booking = Booking::Change(appointment_id(&id)?);
    render_search(ctx, booking, query, true, None).await
}

/// The booking form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StaffBookForm {
    slot_id: String,
}

impl StaffBookForm {
    fn slot(&self) -> Result<jointly_domain::SlotId, WebError> {
        self.slot_id
            .parse()
            .map_err(|_| WebError::from(AppError::NotFound))
    }
}

/// `POST /staff/referrals/{id}/book`: staff book the chosen time for the patient, who is told.
pub(crate) async fn staff_book(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<StaffBookForm>,
) -> Result<Response, WebError> {
    let referral = referral_id(&id)?;
    ctx.app()
        .book_slot_for_patient(ctx.principal(), referral, form.slot()?)
        .await?;
    Ok(Redirect::to(&format!("/staff/referrals/{referral}?booked=1")).into_response())
}

/// `POST /portal/appointments/{id}/change`: moves the appointment to the chosen time.
pub(crate) async fn change(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<StaffBookForm>,
) -> Result<Response, WebError> {
    move_to(ctx, &id, &form, false).await
}

/// `POST /staff/appointments/{id}/change`: staff move it for the patient, who is told.
pub(crate) async fn staff_change(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<StaffBookForm>,
) -> Result<Response, WebError> {
    move_to(ctx, &id, &form, true).await
}

/// Moves appointment `id` to the time in `form`; a time that has just gone shows the search
/// again with a notice, changing nothing.
async fn move_to(
    ctx: Ctx,
    id: &str,
    form: &StaffBookForm,
    for_staff: bool,
) -> Result<Response, WebError> {
    let appointment = appointment_id(id)?;
    match ctx
        .app()
        .change_appointment(ctx.principal(), appointment, form.slot()?)
        .await
    {
        Ok(moved) if for_staff => Ok(Redirect::to(&format!(
            "/staff/referrals/{}?changed=1#appointments",
            moved.appointment.referral_id
        ))
        .into_response()),
        Ok(moved) => Ok(Redirect::to(&format!(
            "/portal/appointments/{}?changed=1",
            moved.appointment.id
        ))
        .into_response()),
        Err(AppError::Conflict(code)) => {
            let page = PageContext::new(&ctx, "change-title");
            let key = format!("booking-conflict-{code}");
            let notice = if page.has(&key) {
                page.t(&key)
            } else {
                page.t("booking-conflict-other")
            };
            let booking = Booking::Change(appointment);
            let mut response = render_search(
                ctx,
                booking,
                Ok(Query(SearchQuery::default())),
                for_staff,
                Some(notice),
            )
            .await?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

async fn render_search(
    ctx: Ctx,
    booking: Booking,
    query: Result<Query<SearchQuery>, QueryRejection>,
    for_staff: bool,
    notice: Option<Text>,
) -> Result<Response, WebError> {
    let Query(query) = query.map_err(|e| WebError::bad_request("invalid_query", e.body_text()))?;
    let title = match booking {
        Booking::Referral(_) => "choose-title",
        Booking::Change(_) => "change-title",
    };
    let mut page = PageContext::new(&ctx, title);
    let app = ctx.app();
    let by = ctx.principal();
    let answers = query.answers();
    let mut current = None;
    // Where the form searches, where a choice goes and what "back" is.
    let (found, (search_action, book_action, back)) = match booking {
        Booking::Referral(referral) if for_staff => (
            app.search_slots_for_patient(by, referral, &answers).await,
            (
                format!("/staff/referrals/{referral}/book"),
                format!("/staff/referrals/{referral}/book"),
                format!("/staff/referrals/{referral}"),
            ),
        ),
        Booking::Referral(referral) => (
            app.search_slots(by, referral, &answers).await,
            (
                format!("/portal/referrals/{referral}/choose"),
                format!("/portal/referrals/{referral}/book"),
                "/portal".to_owned(),
            ),
        ),
        Booking::Change(id) => {
            let found = app.search_to_change(by, id, &answers).await?;
            current = Some(CurrentAppointment {
                start: found.current.slot.start,
                place: format!(
                    "{}, {}",
                    found.current.location_name, found.current.location_town
                ),
            });
            let back = if for_staff {
                format!("/staff/referrals/{}", found.appointment.referral_id)
            } else {
                format!("/portal/appointments/{id}")
            };
            let action = if for_staff {
                format!("/staff/appointments/{id}/change")
            } else {
                format!("/portal/appointments/{id}/change")
            };
            (
                found.result.map_err(AppError::Invalid),
                (action.clone(), action, back),
            )
        }
    };
    let (mut form, status, home_known, results) = match found {
        Ok(result) => {
            let rows = result
                .choices
                .iter()
                .map(|c| ResultRow {
                    id: c.view.slot.id.to_string(),
                    start: c.view.slot.start,
                    place: format!("{}, {}", c.view.location_name, c.view.location_town),
                    role: label(&page, "clinician-role", c.view.clinician_role.as_str()),
                    modality: label(&page, "modality", c.view.slot.modality.as_str()),
                    distance: c.distance_km.map(|km| format!("{km:.1}")),
                    step_free: c.view.location_step_free,
                })
                .collect();
            let form = query.values(
                result.search.from.to_string(),
                result.search.to.to_string(),
                or(&query.near, "home"),
                or(&query.order, "earliest"),
            );
            (form, StatusCode::OK, result.home_known, rows)
        }
        Err(AppError::Invalid(errors)) => {
            let form = query
                .values(
                    query.from.clone(),
                    query.to.clone(),
                    query.near.clone(),
                    query.order.clone(),
                )
                .with_errors(&errors, &page);
            page.title_with_errors();
            (form, StatusCode::UNPROCESSABLE_ENTITY, true, Vec::new())
        }
        Err(other) => return Err(other.into()),
    };
    form.link_problems(|field| match field {
        "modality" => "modality_face_to_face".to_owned(),
        "time" => "time_morning".to_owned(),
        "near" => "near".to_owned(),
        other => other.to_owned(),
    });
    let tick = |prefix: &str, code: &str, key: String| Tick {
        name: format!("{prefix}_{code}"),
        label: page.t(&key),
        checked: query.ticked(&format!("{prefix}_{code}")),
    };
    let modalities = Modality::ALL
        .iter()
        .map(|m| tick("modality", m.as_str(), format!("modality-{}", m.as_str())))
        .collect();
    let times = TimeOfDay::ALL
        .iter()
        .map(|t| tick("time", t.as_str(), format!("time-of-day-{}", t.as_str())))
        .collect();
    let distances = std::iter::once(Choice::new("", page.t("choose-within-any")))
        .chain(DISTANCES_KM.iter().map(|km| {
            Choice::new(
                km.to_string(),
                page.t1("choose-within-km", "km", km.to_string()),
            )
        }))
        .collect();
    let near_choices = vec![
        Choice::new("home", page.t("choose-near-home")),
        Choice::new("other", page.t("choose-near-other")),
    ];
    let near_hint = if home_known {
        page.t("choose-near-hint")
    } else {
        page.t("choose-near-unknown")
    };
    let order_choices = vec![
        Choice::new("earliest", page.t("choose-order-earliest")),
        Choice::new("nearest", page.t("choose-order-nearest")),
    ];
    let notice =
        notice.or_else(|| (!query.cancelled.is_empty()).then(|| page.t("choose-cancelled")));
    let mut response = render_page(&ChoosePage {
        searched: status == StatusCode::OK,
        page,
        search_action,
        book_action,
        back,
        current,
        form,
        modalities,
        times,
        distances,
        near_choices,
        near_hint,
        order_choices,
        notice,
        results,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Template)]
#[template(path = "portal/cancel.html")]
pub(crate) struct CancelPage {
    pub(crate) page: PageContext,
    /// Where "back" and "keep it" go.
    pub(crate) back: String,
    /// Where the form posts.
    pub(crate) action: String,
    pub(crate) start: Timestamp,
    pub(crate) place: String,
}

/// `GET /portal/appointments/{id}/cancel`: are you sure?
pub(crate) async fn confirm_cancel(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let (_, view) = booked_appointment(&ctx, &id).await?;
    Ok(render_page(&CancelPage {
        page: PageContext::new(&ctx, "cancel-title"),
        back: format!("/portal/appointments/{id}"),
        action: format!("/portal/appointments/{id}/cancel"),
        start: view.slot.start,
        place: format!("{}, {}", view.location_name, view.location_town),
    }))
}

/// `POST /portal/appointments/{id}/cancel`
pub(crate) async fn cancel(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    let appointment = appointment_id(&id)?;
    let referral = ctx
        .app()
        .cancel_appointment(ctx.principal(), appointment)
        .await?;
    Ok(Redirect::to(&format!("/portal/referrals/{referral}/choose?cancelled=1")).into_response())
}

/// `value`, or `default` when it is blank.
fn or(value: &str, default: &str) -> String {
    if value.trim().is_empty() {
        default.to_owned()
    } else {
        value.to_owned()
    }
}

/// An earlier slot offered to the person.
pub(crate) struct OfferRow {
    pub(crate) id: String,
    pub(crate) start: Timestamp,
    pub(crate) place: String,
    pub(crate) modality: Text,
    pub(crate) expires: Timestamp,
    pub(crate) open: bool,
}

/// The offer as the pages show it.
pub(crate) fn offer_row(
    page: &PageContext,
    offer: &jointly_domain::offer::SlotOffer,
    view: &jointly_store::SlotView,
    now: Timestamp,
) -> OfferRow {
    OfferRow {
        id: offer.id.to_string(),
        start: view.slot.start,
        place: format!("{}, {}", view.location_name, view.location_town),
        modality: label(page, "modality", view.slot.modality.as_str()),
        expires: offer.expires_at,
        open: offer.is_open(now),
    }
}

#[derive(Template)]
#[template(path = "portal/offer.html")]
struct OfferPage {
    page: PageContext,
    offer: OfferRow,
}

fn offer_id(id: &str) -> Result<jointly_domain::OfferId, WebError> {
    id.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `GET /portal/offers/{id}`: the earlier appointment offered, to take or leave.
pub(crate) async fn offer(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let (offer, view) = ctx.app().offer(ctx.principal(), offer_id(&id)?).await?;
    let page = PageContext::new(&ctx, "offer-title");
    let offer = offer_row(&page, &offer, &view, ctx.app().clock().now());
    Ok(render_page(&OfferPage { page, offer }))
}

/// `POST /portal/offers/{id}/accept`
pub(crate) async fn accept_offer(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(_): VerifiedForm<Empty>,
) -> Result<Response, WebError> {
    let offer = offer_id(&id)?;
    match ctx.app().accept_offer(ctx.principal(), offer).await {
        Ok(booked) => Ok(Redirect::to(&format!(
            "/portal/appointments/{}?booked=1",
            booked.appointment.id
        ))
        .into_response()),
        Err(AppError::Conflict(_)) => {
            let (offer, view) = ctx.app().offer(ctx.principal(), offer).await?;
            let page = PageContext::new(&ctx, "offer-title");
            let mut row = offer_row(&page, &offer, &view, ctx.app().clock().now());
            row.open = false;
            let mut response = render_page(&OfferPage { page, offer: row });
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
