//! The patient portal: referrals and their status, slots to choose from, booking, and the
//! appointment page.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, PortalOverview};
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::referral::ReferralStatus;
use jointly_domain::slot::Modality;
use jointly_domain::{AppointmentId, SlotId};
use jointly_store::SlotView;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{label, referral_id, referral_status_colour};
use crate::render::{PageContext, Text, render_page};

struct SlotRow {
    id: String,
    start: Timestamp,
    place: String,
    role: Text,
    modality: Text,
}

struct ReferralCard {
    id: String,
    reference: String,
    problem: Text,
    status: Text,
    status_colour: &'static str,
    received: Timestamp,
    service: Option<String>,
    explanation: Text,
    slots: Vec<SlotRow>,
    /// Advice a clinician gave instead of an appointment.
    advice: Option<String>,
    /// Questions from clinicians and the person's replies.
    notes: Vec<(Text, String, Timestamp)>,
    /// A question waits for an answer.
    awaiting_reply: bool,
    /// Their place on the list and the estimated wait, in words.
    wait: Option<Text>,
    /// We asked whether they still need it.
    asked_still_needed: bool,
}

struct AppointmentRow {
    id: String,
    start: Timestamp,
    place: String,
    address: String,
    role: Text,
    modality: Text,
    status: Text,
    status_colour: &'static str,
    /// Still booked, so the person may cancel it here and choose again.
    can_cancel: bool,
    /// The service the referral was accepted into.
    service: String,
    /// In person, with step-free access; in person without; or not in person.
    access: Option<bool>,
    /// The modality's code, for what to expect.
    modality_code: &'static str,
    /// Hearing loop, parking, transport and opening hours, for appointments in person.
    getting_there: Option<jointly_domain::location::LocationDetails>,
}

fn slot_row(page: &PageContext, view: &SlotView) -> SlotRow {
    SlotRow {
        id: view.slot.id.to_string(),
        start: view.slot.start,
        place: format!("{}, {}", view.location_name, view.location_town),
        role: label(page, "clinician-role", view.clinician_role.as_str()),
        modality: label(page, "modality", view.slot.modality.as_str()),
    }
}

fn appointment_row(
    page: &PageContext,
    status: AppointmentStatus,
    id: String,
    view: &SlotView,
) -> AppointmentRow {
    AppointmentRow {
        id,
        start: view.slot.start,
        place: format!("{}, {}", view.location_name, view.location_town),
        address: view.location_address.clone(),
        role: label(page, "clinician-role", view.clinician_role.as_str()),
        modality: label(page, "modality", view.slot.modality.as_str()),
        status: label(page, "appointment-status", status.as_str()),
        can_cancel: status == AppointmentStatus::Booked,
        service: view.service_name.clone(),
        access: matches!(view.slot.modality, Modality::FaceToFace | Modality::Group)
            .then_some(view.location_step_free),
        getting_there: matches!(view.slot.modality, Modality::FaceToFace | Modality::Group)
            .then(|| view.location_details.clone()),
        modality_code: view.slot.modality.as_str(),
        status_colour: crate::staff::clinics::status_colour(status),
    }
}

#[derive(Template)]
#[template(path = "portal/overview.html")]
struct OverviewPage {
    page: PageContext,
    name: String,
    notice: Option<Text>,
    referrals: Vec<ReferralCard>,
    appointments: Vec<AppointmentRow>,
    /// Earlier appointments offered from the cancellation list.
    offers: Vec<crate::pages::choose::OfferRow>,
    form: FormState,
    /// "Your messages", with how many are unread.
    messages_link: Text,
}

/// Someone's place on the list and the estimated wait, in words.
fn wait_words(page: &PageContext, wait: jointly_app::WaitEstimate) -> Text {
    use jointly_i18n::Arg;
    let ahead = Arg::Num(wait.ahead as f64);
    match wait.range {
        Some(range) => page.t_args(
            "portal-wait-estimate",
            &[
                ("ahead", ahead),
                ("min", Arg::Num(f64::from(range.min_weeks))),
                ("max", Arg::Num(f64::from(range.max_weeks))),
            ],
        ),
        None => page.t_args("portal-wait-unknown", &[("ahead", ahead)]),
    }
}

fn overview_page(ctx: &Ctx, overview: PortalOverview, notice: Option<Text>) -> OverviewPage {
    let page = PageContext::new(ctx, "portal-title");
    let now = ctx.app().clock().now();
    let referrals = overview
        .referrals
        .iter()
        .map(|offer| {
            let r = &offer.referral.referral;
            ReferralCard {
                id: r.id.to_string(),
                reference: r.reference.to_string(),
                problem: label(&page, "problem-area", r.problem_area.as_str()),
                status: label(&page, "referral-status", r.status.as_str()),
                status_colour: referral_status_colour(r.status),
                received: r.received_at,
                service: offer.referral.service_name.clone(),
                explanation: match r.open_access_until {
                    Some(until) if r.open_access_at(now) => page.t1(
                        "referral-explain-open-access",
                        "until",
                        page.long_date(&until),
                    ),
                    _ => label(&page, "referral-explain", r.status.as_str()),
                },
                slots: offer.slots.iter().map(|s| slot_row(&page, s)).collect(),
                advice: (r.status == ReferralStatus::AdviceGiven)
                    .then(|| r.triage_note.as_ref().map(|n| n.as_str().to_owned()))
                    .flatten(),
                notes: offer
                    .notes
                    .iter()
                    .map(|n| {
                        (
                            label(&page, "note-kind", n.kind.as_str()),
                            n.body.as_str().to_owned(),
                            n.created_at,
                        )
                    })
                    .collect(),
                awaiting_reply: r.awaiting_reply,
                wait: offer.wait.map(|w| wait_words(&page, w)),
                asked_still_needed: offer.asked_still_needed,
            }
        })
        .collect();
    let appointments = overview
        .appointments
        .iter()
        .map(|(a, view)| appointment_row(&page, a.status, a.id.to_string(), view))
        .collect();
    OverviewPage {
        name: overview.patient.name.given.to_string(),
        page,
        notice,
        referrals,
        appointments,
        offers: Vec::new(),
        form: FormState::default(),
        messages_link: Text::plain(String::new()),
    }
}

/// The overview page with the person's open offers.
async fn overview_with_offers(
    ctx: &Ctx,
    overview: PortalOverview,
    notice: Option<Text>,
) -> Result<OverviewPage, WebError> {
    let mut page = overview_page(ctx, overview, notice);
    let now = ctx.app().clock().now();
    page.offers = ctx
        .app()
        .open_offers(ctx.principal())
        .await?
        .iter()
        .map(|(offer, view)| crate::pages::choose::offer_row(&page.page, offer, view, now))
        .collect();
    let unread = ctx.app().inbox(ctx.principal()).await?.unread;
    page.messages_link = page.page.t_args(
        "portal-messages-link",
        &[("unread", jointly_i18n::Arg::Num(f64::from(unread)))],
    );
    Ok(page)
}

/// What the portal says after an action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OverviewQuery {
    replied: Option<String>,
    still_needed: Option<String>,
}

/// `GET /portal`
pub(crate) async fn overview(
    ctx: Ctx,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    let overview = ctx.app().portal_overview(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "portal-title");
    let notice = match (query.replied, query.still_needed.as_deref()) {
        (Some(_), _) => Some(page.t("portal-reply-sent")),
        (None, Some("yes")) => Some(page.t("still-needed-thanks-yes")),
        (None, Some("no")) => Some(page.t("still-needed-thanks-no")),
        _ => None,
    };
    Ok(render_page(
        &overview_with_offers(&ctx, overview, notice).await?,
    ))
}

/// The booking form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct BookForm {
    slot_id: String,
}

/// `POST /portal/referrals/{id}/book`
pub(crate) async fn book(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<BookForm>,
) -> Result<Response, WebError> {
    let referral = referral_id(&id)?;
    let slot: SlotId = form
        .slot_id
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    match ctx.app().book_slot(ctx.principal(), referral, slot).await {
        Ok(confirmation) => {
            let to = format!(
                "/portal/appointments/{}?booked=1",
                confirmation.appointment.id
            );
            Ok((StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response())
        }
        Err(AppError::Conflict(code)) => {
            // Someone else got there first, or the referral changed: show the latest choices.
            let overview = ctx.app().portal_overview(ctx.principal()).await?;
            let page = PageContext::new(&ctx, "portal-title");
            let id = format!("booking-conflict-{code}");
            let message = if page.has(&id) {
                page.t(&id)
            } else {
                page.t("booking-conflict-other")
            };
            let mut response = render_page(&overview_page(&ctx, overview, Some(message)));
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// A reply to a clinician's question.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ReplyForm {
    reply: String,
}

/// `POST /portal/referrals/{id}/reply`
pub(crate) async fn reply(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<ReplyForm>,
) -> Result<Response, WebError> {
    let referral = referral_id(&id)?;
    match ctx
        .app()
        .reply_to_question(ctx.principal(), referral, &form.reply)
        .await
    {
        Ok(()) => Ok(Redirect::to("/portal?replied=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let overview = ctx.app().portal_overview(ctx.principal()).await?;
            let mut page = overview_page(&ctx, overview, None);
            page.form =
                FormState::with_values([("reply", form.reply)]).with_errors(&errors, &page.page);
            page.form.link_problems(|_| format!("reply-{id}"));
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "portal/appointment.html")]
struct AppointmentPage {
    page: PageContext,
    appointment: AppointmentRow,
    /// The panel heading after booking or moving it.
    just_done: Option<Text>,
}

/// Whether the page follows a booking.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AppointmentQuery {
    booked: Option<String>,
    changed: Option<String>,
}

/// `GET /portal/appointments/{id}`
pub(crate) async fn appointment(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<AppointmentQuery>,
) -> Result<Response, WebError> {
    let (found, view) = ctx
        .app()
        .patient_appointment(ctx.principal(), appointment_id(&id)?)
        .await?;
    let page = PageContext::new(&ctx, "appointment-title");
    let appointment = appointment_row(&page, found.status, found.id.to_string(), &view);
    let just_done = match (query.booked, query.changed) {
        (_, Some(_)) => Some(page.t("appointment-changed-heading")),
        (Some(_), None) => Some(page.t("appointment-booked-heading")),
        (None, None) => None,
    };
    Ok(render_page(&AppointmentPage {
        page,
        appointment,
        just_done,
    }))
}

/// `GET /portal/appointments/{id}/calendar.ics`: the appointment for the person's calendar.
pub(crate) async fn calendar(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let (appointment, view) = booked_appointment(&ctx, &id).await?;
    let page = PageContext::new(&ctx, "appointment-title");
    let role = label(&page, "clinician-role", view.clinician_role.as_str());
    let summary = page.t1("calendar-summary", "service", &view.service_name);
    let location = format!(
        "{}, {}, {}",
        view.location_name, view.location_address, view.location_town
    );
    let description = page.t2(
        "calendar-description",
        "role",
        role.as_str(),
        "phone",
        &ctx.state.config.service_phone,
    );
    let body = crate::calendar::ics(&crate::calendar::CalendarEvent {
        uid: &appointment.id.to_string(),
        stamp: appointment.booked_at,
        start: view.slot.start,
        end: view.slot.end,
        summary: summary.as_str(),
        location: &location,
        description: description.as_str(),
    });
    Ok((
        StatusCode::OK,
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"msk-appointment.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The appointment `id` of the signed-in patient, by its id in a path.
pub(crate) fn appointment_id(id: &str) -> Result<AppointmentId, WebError> {
    id.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// The signed-in patient's appointment `id`, if it is still booked.
pub(crate) async fn booked_appointment(
    ctx: &Ctx,
    id: &str,
) -> Result<(jointly_domain::appointment::Appointment, SlotView), WebError> {
    let (appointment, view) = ctx
        .app()
        .patient_appointment(ctx.principal(), appointment_id(id)?)
        .await?;
    if appointment.status != AppointmentStatus::Booked {
        return Err(AppError::NotFound.into());
    }
    Ok((appointment, view))
}
