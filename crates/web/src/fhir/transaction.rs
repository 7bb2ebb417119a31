//! `POST /fhir`: a transaction Bundle. The one transaction served is a booking — `PUT
//! Slot/{id}` (status `busy`) with `POST Appointment` for that slot — done all or nothing in
//! one database transaction, so a slot is never booked twice however many clients race for it.

use axum::http::StatusCode;
use axum::response::Response;
use jointly_fhir::bundle::{Bundle, EntryResponse, transaction_response};
use jointly_fhir::outcome::{Issue, IssueType, OperationOutcome};
use jointly_fhir::scheduling::{Appointment, Slot};
use serde_json::Value;

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::scheduling::book;
use crate::fhir::{FhirBody, base, invalid, resource};

fn at(index: usize, part: &str, code: IssueType, words: impl Into<String>) -> Issue {
    OperationOutcome::at(code, &format!("Bundle.entry[{index}]{part}"), words)
}

/// What the bundle asks, checked: the slot it marks busy (if it does) and the appointment.
struct Booking {
    slot_entry: Option<usize>,
    appointment_entry: usize,
    appointment: Appointment,
}

fn read_bundle(bundle: &Bundle<Value>) -> Result<Booking, OperationOutcome> {
    if bundle.type_ != "transaction" {
        return Err(OperationOutcome::of(vec![OperationOutcome::at(
            IssueType::NotSupported,
            "Bundle.type",
            format!("send a `transaction`, not a `{}`", bundle.type_),
        )]));
    }
    let mut issues = Vec::new();
    let mut slots: Vec<(usize, Slot)> = Vec::new();
    let mut appointments: Vec<(usize, Appointment)> = Vec::new();
    for (i, entry) in bundle.entry.iter().enumerate() {
        let (Some(request), Some(body)) = (&entry.request, &entry.resource) else {
            issues.push(at(
                i,
                "",
                IssueType::Required,
                "each entry needs a request and a resource",
            ));
            continue;
        };
        match (request.method.as_str(), request.url.split('/').collect::<Vec<_>>().as_slice()) {
            ("PUT", ["Slot", id]) => match serde_json::from_value::<Slot>(body.clone()) {
                Ok(slot) if slot.id.as_deref() != Some(*id) => issues.push(at(
                    i,
                    ".resource.id",
                    IssueType::Invalid,
                    "the Slot's id must match the request URL",
                )),
                Ok(slot) if slot.status != "busy" => issues.push(at(
                    i,
                    ".resource.status",
                    IssueType::Value,
                    "a booking marks the slot `busy`",
                )),
                Ok(slot) => slots.push((i, slot)),
                Err(error) => issues.push(at(i, ".resource", IssueType::Structure, error.to_string())),
            },
            ("POST", ["Appointment"]) => {
                match serde_json::from_value::<Appointment>(body.clone()) {
                    Ok(appointment) => appointments.push((i, appointment)),
                    Err(error) => {
                        issues.push(at(i, ".resource", IssueType::Structure, error.to_string()));
                    }
                }
            }
            (method, _) => issues.push(at(
                i,
                ".request",
                IssueType::NotSupported,
                format!(
                    "a transaction here books an appointment: PUT Slot/{{id}} and POST Appointment, not {method} {}",
                    request.url
                ),
            )),
        }
    }
    if !issues.is_empty() {
        return Err(OperationOutcome::of(issues));
    }
    let ([(appointment_entry, appointment)], slots) = (appointments.as_slice(), slots.as_slice())
    else {
        return Err(OperationOutcome::of(vec![OperationOutcome::at(
            IssueType::Invalid,
            "Bundle.entry",
            "a booking has exactly one POST Appointment",
        )]));
    };
    let slot_entry = match slots {
        [] => None,
        [(i, slot)] => {
            let named = appointment
                .slot
                .first()
                .and_then(|r| r.id_of("Slot"))
                .map(str::to_owned);
            if slot.id != named {
                return Err(OperationOutcome::of(vec![at(
                    *i,
                    ".resource.id",
                    IssueType::Invalid,
                    "the Slot marked busy must be the one the Appointment books",
                )]));
            }
            Some(*i)
        }
        _ => {
            return Err(OperationOutcome::of(vec![OperationOutcome::at(
                IssueType::Invalid,
                "Bundle.entry",
                "a booking marks one Slot busy",
            )]));
        }
    };
    Ok(Booking {
        slot_entry,
        appointment_entry: *appointment_entry,
        appointment: appointment.clone(),
    })
}

/// `POST /fhir` with a transaction Bundle.
pub(crate) async fn transaction(
    ctx: Ctx,
    FhirBody(bundle): FhirBody<Bundle<Value>>,
) -> Result<Response, WebError> {
    let booking = read_bundle(&bundle).map_err(invalid)?;
    let (confirmation, created) = book(&ctx, &booking.appointment).await?;
    let base = base(&ctx.state);
    let slot_id = confirmation.slot.slot.id;
    let appointment_id = confirmation.appointment.id;
    let mut responses: Vec<(EntryResponse, Option<Value>)> = Vec::new();
    for i in 0..bundle.entry.len() {
        if Some(i) == booking.slot_entry {
            responses.push((
                EntryResponse {
                    status: "200 OK".into(),
                    location: Some(format!("{base}/Slot/{slot_id}")),
                    ..EntryResponse::default()
                },
                None,
            ));
        } else if i == booking.appointment_entry {
            responses.push((
                EntryResponse {
                    status: "201 Created".into(),
                    location: Some(format!("{base}/Appointment/{appointment_id}")),
                    etag: created
                        .meta
                        .as_ref()
                        .and_then(|m| m.version_id.as_ref())
                        .map(|v| format!("W/\"{v}\"")),
                    ..EntryResponse::default()
                },
                serde_json::to_value(&created).ok(),
            ));
        }
    }
    Ok(resource(
        StatusCode::OK,
        &transaction_response(responses),
        None,
        None,
    ))
}
