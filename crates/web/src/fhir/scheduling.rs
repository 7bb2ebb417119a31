//! `/fhir/Schedule`, `/fhir/Slot` and `/fhir/Appointment`: clinicians' diaries, their slots
//! (searched by schedule, status and start), and appointments (read, searched by patient and
//! date, and created — a booking).

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use jointly_app::{AppError, BookingConfirmation, Diary, Page};
use jointly_domain::appointment::Appointment as Booking;
use jointly_domain::service::Service;
use jointly_domain::slot::Slot as DomainSlot;
use jointly_domain::{AppointmentId, ClinicianId, PatientId, ReferralId, ServiceId, SlotId};
use jointly_fhir::outcome::{IssueType, OperationOutcome};
use jointly_fhir::scheduling::{
    Appointment, AppointmentContext, ServiceName, appointment, parse_slot_status, schedule, slot,
};
use jointly_fhir::search::Query;
use jointly_fhir::{Versioned, bundle};
use jointly_store::SlotView;

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{
    FhirBody, app_error, base, invalid, one_page, paged, parse_id, query, resource, self_url,
};

/// How far ahead rotas make slots (the planning horizon a Schedule states).
const HORIZON: SignedDuration = SignedDuration::from_hours(12 * 7 * 24);

fn place(field: &str) -> String {
    format!("Appointment.{field}")
}

fn service_name(service: &Service) -> ServiceName<'_> {
    ServiceName {
        id: service.id,
        code: &service.code,
        name: &service.name,
    }
}

fn diary_resource(ctx: &Ctx, diary: &Diary) -> jointly_fhir::scheduling::Schedule {
    let now = ctx.app().clock().now();
    let name = diary.clinician.name.to_string();
    schedule(
        jointly_fhir::scheduling::Diary {
            clinician: diary.clinician.id,
            name: &name,
            role: diary.clinician.role.as_str(),
            service: service_name(&diary.service),
        },
        now,
        now + HORIZON,
    )
}

/// `GET /fhir/Schedule/{id}`.
pub(crate) async fn read_schedule(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = ClinicianId::from_uuid(parse_id(&id)?);
    let diary = ctx
        .app()
        .system_diary(ctx.principal(), id)
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(resource(
        StatusCode::OK,
        &diary_resource(&ctx, &diary),
        None,
        None,
    ))
}

/// `GET /fhir/Schedule?service-type=…`.
pub(crate) async fn search_schedules(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse("Schedule", query(&uri), &["service-type", "_offset"]).map_err(invalid)?;
    let service = q
        .token(
            "service-type",
            &format!("{}/service", jointly_fhir::system::JOINTLY),
        )
        .map_err(invalid)?;
    let page = (q.offset().map_err(invalid)?, q.count().map_err(invalid)?);
    let diaries = ctx
        .app()
        .system_diaries(ctx.principal(), service)
        .await
        .map_err(|e| app_error(e, place))?;
    let entries = diaries
        .iter()
        .map(|d| {
            (
                format!("Schedule/{}", d.clinician.id),
                diary_resource(&ctx, d),
            )
        })
        .collect();
    Ok(paged(&ctx.state, &uri, page, entries))
}

async fn service_map(ctx: &Ctx) -> Result<HashMap<ServiceId, Service>, WebError> {
    Ok(ctx
        .app()
        .our_services()
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

fn slot_resource(
    services: &HashMap<ServiceId, Service>,
    found: &DomainSlot,
) -> Result<jointly_fhir::scheduling::Slot, WebError> {
    let service = services
        .get(&found.service_id)
        .ok_or_else(|| WebError::internal("a slot's service is missing"))?;
    Ok(slot(found, service_name(service)))
}

/// `GET /fhir/Slot/{id}`.
pub(crate) async fn read_slot(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = SlotId::from_uuid(parse_id(&id)?);
    let found = ctx
        .app()
        .system_slot(ctx.principal(), id)
        .await
        .map_err(|e| app_error(e, place))?;
    let services = service_map(&ctx).await?;
    Ok(resource(
        StatusCode::OK,
        &slot_resource(&services, &found)?,
        None,
        None,
    ))
}

/// `GET /fhir/Slot?schedule=Schedule/{id}&status=free&start=ge…&start=lt…`. The schedule is
/// required (a search reads one diary); without a start range, slots from now on.
pub(crate) async fn search_slots(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse(
        "Slot",
        query(&uri),
        &["schedule", "status", "start", "_after"],
    )
    .map_err(invalid)?;
    let Some(schedule) = q.reference("schedule", "Schedule").map_err(invalid)? else {
        return Err(invalid(OperationOutcome::error(
            IssueType::Required,
            "search one diary at a time: schedule=Schedule/{id} (see GET /fhir/Schedule)",
        )));
    };
    let status = match q
        .token("status", "http://hl7.org/fhir/slotstatus")
        .map_err(invalid)?
    {
        None => None,
        Some(code) => Some(parse_slot_status(code).ok_or_else(|| {
            invalid(OperationOutcome::error(
                IssueType::Value,
                format!("status is free, busy or busy-unavailable, not `{code}`"),
            ))
        })?),
    };
    let range = q.range("start").map_err(invalid)?;
    let count = q.count().map_err(invalid)?;
    let after = match q.one("_after").map_err(invalid)? {
        None => None,
        Some(cursor) => Some(parse_cursor(cursor).ok_or_else(|| {
            invalid(OperationOutcome::error(
                IssueType::Value,
                "_after is the cursor from a `next` link; start the search again",
            ))
        })?),
    };
    let from = range.from.unwrap_or_else(|| ctx.app().clock().now());
    let until = range.until.unwrap_or(Timestamp::MAX);
    let limit = u32::try_from(count).unwrap_or(20);
    let found = ctx
        .app()
        .system_slots(
            ctx.principal(),
            ClinicianId::from_uuid(schedule),
            status,
            (from, until),
            after,
            limit,
        )
        .await
        .map_err(|e| app_error(e, place))?;
    let services = service_map(&ctx).await?;
    let next = (found.len() == count)
        .then(|| found.last())
        .flatten()
        .map(|last| next_link(&ctx, &uri, last));
    let mut entries = Vec::with_capacity(found.len());
    for s in &found {
        entries.push((format!("Slot/{}", s.id), slot_resource(&services, s)?));
    }
    let bundle = bundle::searchset(&base(&ctx.state), self_url(&ctx.state, &uri), next, entries);
    Ok(resource(StatusCode::OK, &bundle, None, None))
}

/// The cursor after `last`: its start (microseconds) and id.
fn next_link(ctx: &Ctx, uri: &axum::http::Uri, last: &DomainSlot) -> String {
    let cursor = format!("{}.{}", last.start.as_microsecond(), last.id);
    crate::fhir::search_with(&ctx.state, uri, "_after", &cursor)
}

fn parse_cursor(cursor: &str) -> Option<(Timestamp, SlotId)> {
    let (micros, id) = cursor.split_once('.')?;
    let at = Timestamp::from_microsecond(micros.parse().ok()?).ok()?;
    Some((at, SlotId::from_uuid(uuid::Uuid::parse_str(id).ok()?)))
}

/// The resource for a booking and its slot.
pub(crate) fn appointment_resource(
    services: &HashMap<ServiceId, Service>,
    booking: &Booking,
    view: &SlotView,
) -> Result<Appointment, WebError> {
    let service = services
        .get(&view.slot.service_id)
        .ok_or_else(|| WebError::internal("an appointment's service is missing"))?;
    Ok(appointment(
        booking,
        AppointmentContext {
            slot: &view.slot,
            service: service_name(service),
            location_name: &view.location_name,
            clinician: view.clinician_role.as_str(),
            version: appointment_version(booking),
        },
    ))
}

/// An appointment's version: it changes whenever its status or confirmation does.
fn appointment_version(booking: &Booking) -> Versioned {
    let status = jointly_domain::appointment::AppointmentStatus::ALL
        .iter()
        .position(|s| *s == booking.status)
        .unwrap_or(0);
    let version =
        1 + i64::try_from(status).unwrap_or(0) * 2 + i64::from(booking.confirmed_at.is_some());
    Versioned::new(version, None)
}

/// `GET /fhir/Appointment/{id}`.
pub(crate) async fn read_appointment(
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = AppointmentId::from_uuid(parse_id(&id)?);
    let (booking, view) = ctx
        .app()
        .system_appointment(ctx.principal(), id)
        .await
        .map_err(|e| app_error(e, place))?;
    let services = service_map(&ctx).await?;
    let version = appointment_version(&booking);
    Ok(resource(
        StatusCode::OK,
        &appointment_resource(&services, &booking, &view)?,
        Some(version.etag()),
        None,
    ))
}

/// `GET /fhir/Appointment?patient=Patient/{id}&date=ge…`.
pub(crate) async fn search_appointments(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse("Appointment", query(&uri), &["patient", "date", "_offset"])
        .map_err(invalid)?;
    let Some(patient) = q.reference("patient", "Patient").map_err(invalid)? else {
        return Err(invalid(OperationOutcome::error(
            IssueType::Required,
            "search a person's appointments: patient=Patient/{id}",
        )));
    };
    let range = q.range("date").map_err(invalid)?;
    let page = Page {
        offset: q.offset().map_err(invalid)?,
        count: q.count().map_err(invalid)?,
    };
    let found = ctx
        .app()
        .system_appointments(
            ctx.principal(),
            PatientId::from_uuid(patient),
            (
                range.from.unwrap_or(Timestamp::MIN),
                range.until.unwrap_or(Timestamp::MAX),
            ),
        )
        .await
        .map_err(|e| app_error(e, place))?;
    let services = service_map(&ctx).await?;
    let more = found.len() > page.offset.saturating_add(page.count);
    let mut entries = Vec::new();
    for (booking, view) in found.iter().skip(page.offset).take(page.count) {
        entries.push((
            format!("Appointment/{}", booking.id),
            appointment_resource(&services, booking, view)?,
        ));
    }
    Ok(one_page(&ctx.state, &uri, page, more, entries))
}

/// Books the appointment a client sent; shared by `POST /fhir/Appointment` and transactions.
pub(crate) async fn book(
    ctx: &Ctx,
    body: &Appointment,
) -> Result<(BookingConfirmation, Appointment), WebError> {
    let request = body.booking_request().map_err(invalid)?;
    let ids = (
        uuid::Uuid::parse_str(&request.slot),
        uuid::Uuid::parse_str(&request.patient),
        uuid::Uuid::parse_str(&request.referral),
    );
    let (Ok(slot), Ok(patient), Ok(referral)) = ids else {
        return Err(AppError::NotFound.into());
    };
    let confirmation = ctx
        .app()
        .system_book(
            ctx.principal(),
            SlotId::from_uuid(slot),
            PatientId::from_uuid(patient),
            ReferralId::from_uuid(referral),
        )
        .await
        .map_err(|e| app_error(e, place))?;
    let services = service_map(ctx).await?;
    let resource = appointment_resource(&services, &confirmation.appointment, &confirmation.slot)?;
    Ok((confirmation, resource))
}

/// `POST /fhir/Appointment`: books the slot it names.
pub(crate) async fn create_appointment(
    ctx: Ctx,
    FhirBody(body): FhirBody<Appointment>,
) -> Result<Response, WebError> {
    let (confirmation, created) = book(&ctx, &body).await?;
    let version = appointment_version(&confirmation.appointment);
    Ok(resource(
        StatusCode::CREATED,
        &created,
        Some(version.etag()),
        Some(format!(
            "{}/Appointment/{}",
            base(&ctx.state),
            confirmation.appointment.id
        )),
    ))
}
