//! `Schedule`, `Slot` and `Appointment` (UK Core). A schedule is one clinician's diary in their
//! service; its slots carry the service, the kind of appointment and how it is delivered; an
//! appointment is a booked slot for a referral (`basedOn` its ServiceRequest).

use jiff::Timestamp;
use jointly_domain::appointment::{Appointment as Booking, AppointmentStatus};
use jointly_domain::slot::{AppointmentKind, Modality, Slot as DomainSlot, SlotStatus};
use serde::{Deserialize, Serialize};

use crate::model::{
    AppointmentType, CodeableConcept, Coding, Extension, Meta, Narrative, Period, Reference,
    ScheduleType, SlotType,
};
use crate::outcome::{Issue, IssueType, OperationOutcome};
use crate::{Versioned, instant, profile, profiled, system};

/// UK Core's delivery channel extension.
pub const DELIVERY_CHANNEL: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeliveryChannel";

/// HL7 v2 table 0276, appointment reason codes.
const APPOINTMENT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v2-0276";

/// A service as slots and schedules name it.
#[derive(Clone, Copy, Debug)]
pub struct ServiceName<'a> {
    /// Its id.
    pub id: jointly_domain::ServiceId,
    /// Its short code.
    pub code: &'a str,
    /// Its name.
    pub name: &'a str,
}

impl ServiceName<'_> {
    fn concept(self) -> CodeableConcept {
        CodeableConcept::of(Coding::new(
            &format!("{}/service", system::JOINTLY),
            self.code,
            self.name,
        ))
    }
}

fn delivery_channel(modality: Modality) -> Extension {
    let (code, display) = match modality {
        Modality::FaceToFace | Modality::Group => ("In-person", "In person"),
        Modality::Phone => ("Telephone", "Telephone"),
        Modality::Video => ("Video", "Video"),
    };
    Extension::coded(
        DELIVERY_CHANNEL,
        Coding::new(system::DELIVERY_CHANNEL, code, display),
    )
}

fn appointment_type(kind: AppointmentKind) -> Option<CodeableConcept> {
    let (code, display) = match kind {
        AppointmentKind::Any => return None,
        AppointmentKind::New => ("ROUTINE", "Routine appointment"),
        AppointmentKind::FollowUp => ("FOLLOWUP", "A follow up visit from a previous appointment"),
    };
    Some(CodeableConcept::of(Coding::new(
        APPOINTMENT_REASON,
        code,
        display,
    )))
}

/// `Slot.status` for a slot's status.
pub fn slot_status(status: SlotStatus) -> &'static str {
    match status {
        SlotStatus::Free => "free",
        SlotStatus::Booked => "busy",
        SlotStatus::Blocked => "busy-unavailable",
    }
}

/// The slot status a `Slot.status` search value means, if any.
pub fn parse_slot_status(code: &str) -> Option<SlotStatus> {
    match code {
        "free" => Some(SlotStatus::Free),
        "busy" => Some(SlotStatus::Booked),
        "busy-unavailable" => Some(SlotStatus::Blocked),
        _ => None,
    }
}

/// A `Slot` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Slot {
    /// Always `Slot`.
    pub resource_type: SlotType,
    /// Logical id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Narrative, accepted and not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// How it is delivered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_type: Vec<CodeableConcept>,
    /// New or follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    /// The clinician's diary.
    pub schedule: Reference,
    /// `free`, `busy`, `busy-unavailable`.
    pub status: String,
    /// Start.
    pub start: String,
    /// End.
    pub end: String,
}

/// The resource for `slot`.
pub fn slot(slot: &DomainSlot, service: ServiceName<'_>) -> Slot {
    Slot {
        id: Some(slot.id.to_string()),
        meta: Some(profiled(profile::SLOT)),
        extension: vec![delivery_channel(slot.modality)],
        service_type: vec![service.concept()],
        appointment_type: appointment_type(slot.kind),
        schedule: Reference::to("Schedule", slot.clinician_id),
        status: slot_status(slot.status).to_owned(),
        start: instant(slot.start),
        end: instant(slot.end),
        ..Slot::default()
    }
}

/// A `Schedule` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Schedule {
    /// Always `Schedule`.
    pub resource_type: ScheduleType,
    /// Logical id (the clinician's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// In use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// The service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_type: Vec<CodeableConcept>,
    /// The clinician and their service.
    pub actor: Vec<Reference>,
    /// How far ahead slots are made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planning_horizon: Option<Period>,
    /// The clinician's role, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One clinician's schedule.
#[derive(Clone, Copy, Debug)]
pub struct Diary<'a> {
    /// The clinician.
    pub clinician: jointly_domain::ClinicianId,
    /// Their name.
    pub name: &'a str,
    /// Their role, in words.
    pub role: &'a str,
    /// Their service.
    pub service: ServiceName<'a>,
}

/// The resource for one clinician's diary, with slots made up to `horizon`.
pub fn schedule(diary: Diary<'_>, from: Timestamp, horizon: Timestamp) -> Schedule {
    Schedule {
        id: Some(diary.clinician.to_string()),
        meta: Some(profiled(profile::SCHEDULE)),
        active: Some(true),
        service_type: vec![diary.service.concept()],
        actor: vec![
            Reference::to_named("Practitioner", diary.clinician, diary.name),
            Reference::to_named("HealthcareService", diary.service.id, diary.service.name),
        ],
        planning_horizon: Some(Period {
            start: Some(instant(from)),
            end: Some(instant(horizon)),
        }),
        comment: Some(diary.role.to_owned()),
        ..Schedule::default()
    }
}

/// `Appointment.participant`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Participant {
    /// Role in the appointment, accepted and ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "type")]
    pub type_: Vec<CodeableConcept>,
    /// Who or where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Reference>,
    /// `required`, `optional`, `information-only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
    /// `accepted`, `declined`, `tentative`, `needs-action`.
    pub status: String,
}

/// An `Appointment` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Appointment {
    /// Always `Appointment`.
    pub resource_type: AppointmentType,
    /// Logical id (absent on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Narrative, accepted and not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// How it is delivered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `booked`, `checked-in`, `fulfilled`, `noshow`, `cancelled`, …
    pub status: String,
    /// The service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_type: Vec<CodeableConcept>,
    /// New or follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    /// Why it was cancelled, accepted and kept in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelation_reason: Option<CodeableConcept>,
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// End.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The slot it takes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slot: Vec<Reference>,
    /// When it was booked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Notes for the clinic, accepted and not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The referral it is for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference>,
    /// The patient, the clinician and the place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participant: Vec<Participant>,
}

/// `Appointment.status` for an appointment's status.
pub fn appointment_status(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "booked",
        AppointmentStatus::CheckedIn => "checked-in",
        AppointmentStatus::Cancelled => "cancelled",
        AppointmentStatus::Attended => "fulfilled",
        AppointmentStatus::DidNotAttend => "noshow",
    }
}

/// The appointment status an `Appointment.status` search value means, if any.
pub fn parse_appointment_status(code: &str) -> Option<AppointmentStatus> {
    AppointmentStatus::ALL
        .into_iter()
        .find(|s| appointment_status(*s) == code)
}

/// What an appointment resource needs besides the booking.
#[derive(Clone, Copy, Debug)]
pub struct AppointmentContext<'a> {
    /// Its slot.
    pub slot: &'a DomainSlot,
    /// The slot's service.
    pub service: ServiceName<'a>,
    /// Where, by name.
    pub location_name: &'a str,
    /// With whom (their role), in words.
    pub clinician: &'a str,
    /// The booking's version.
    pub version: Versioned,
}

/// The resource for `booking`.
pub fn appointment(booking: &Booking, context: AppointmentContext<'_>) -> Appointment {
    let slot = context.slot;
    let accepted = |actor: Reference| Participant {
        actor: Some(actor),
        required: Some("required".into()),
        status: "accepted".into(),
        ..Participant::default()
    };
    Appointment {
        id: Some(booking.id.to_string()),
        meta: Some(context.version.meta(profile::APPOINTMENT)),
        extension: vec![delivery_channel(slot.modality)],
        status: appointment_status(booking.status).to_owned(),
        service_type: vec![context.service.concept()],
        appointment_type: appointment_type(slot.kind),
        start: Some(instant(slot.start)),
        end: Some(instant(slot.end)),
        slot: vec![Reference::to("Slot", slot.id)],
        created: Some(instant(booking.booked_at)),
        based_on: vec![Reference::to("ServiceRequest", booking.referral_id)],
        participant: vec![
            accepted(Reference::to("Patient", booking.patient_id)),
            accepted(Reference::to_named(
                "Practitioner",
                slot.clinician_id,
                context.clinician,
            )),
            accepted(Reference::to_named(
                "Location",
                slot.location_id,
                context.location_name,
            )),
        ],
        ..Appointment::default()
    }
}

/// What a client asks to book: a slot, for a patient, for their referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingRequest {
    /// `Slot.id`.
    pub slot: String,
    /// `Patient.id`.
    pub patient: String,
    /// `ServiceRequest.id` (the referral).
    pub referral: String,
}

impl Appointment {
    /// The booking this appointment asks for, or every problem with it, each at its place.
    pub fn booking_request(&self) -> Result<BookingRequest, OperationOutcome> {
        let mut issues: Vec<Issue> = Vec::new();
        if !matches!(self.status.as_str(), "booked" | "pending" | "proposed") {
            issues.push(OperationOutcome::at(
                IssueType::Value,
                "Appointment.status",
                format!("a new appointment is `booked`, not `{}`", self.status),
            ));
        }
        let slot = match self.slot.as_slice() {
            [one] => one.id_of("Slot").map(str::to_owned),
            _ => None,
        };
        if slot.is_none() {
            issues.push(OperationOutcome::at(
                IssueType::Required,
                "Appointment.slot",
                "name exactly one slot, as `Slot/{id}`",
            ));
        }
        let patient = self
            .participant
            .iter()
            .filter_map(|p| p.actor.as_ref())
            .find_map(|a| a.id_of("Patient"))
            .map(str::to_owned);
        if patient.is_none() {
            issues.push(OperationOutcome::at(
                IssueType::Required,
                "Appointment.participant.actor",
                "name the patient, as `Patient/{id}`",
            ));
        }
        let referral = self
            .based_on
            .iter()
            .find_map(|r| r.id_of("ServiceRequest"))
            .map(str::to_owned);
        if referral.is_none() {
            issues.push(OperationOutcome::at(
                IssueType::Required,
                "Appointment.basedOn",
                "name the referral being booked, as `ServiceRequest/{id}`",
            ));
        }
        match (slot, patient, referral, issues.is_empty()) {
            (Some(slot), Some(patient), Some(referral), true) => Ok(BookingRequest {
                slot,
                patient,
                referral,
            }),
            _ => Err(OperationOutcome::of(issues)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booking_request_names_everything_missing_at_once() {
        let empty: Appointment = serde_json::from_value(
            serde_json::json!({"resourceType": "Appointment", "status": "arrived"}),
        )
        .unwrap();
        let outcome = empty.booking_request().unwrap_err();
        let places: Vec<&str> = outcome
            .issue
            .iter()
            .map(|i| i.expression[0].as_str())
            .collect();
        assert_eq!(
            places,
            [
                "Appointment.status",
                "Appointment.slot",
                "Appointment.participant.actor",
                "Appointment.basedOn"
            ]
        );
        let full: Appointment = serde_json::from_value(serde_json::json!({
            "resourceType": "Appointment", "status": "booked",
            "slot": [{"reference": "Slot/s1"}],
            "basedOn": [{"reference": "ServiceRequest/r1"}],
            "participant": [{"actor": {"reference": "Patient/p1"}, "status": "accepted"}]
        }))
        .unwrap();
        assert_eq!(
            full.booking_request().unwrap(),
            BookingRequest {
                slot: "s1".into(),
                patient: "p1".into(),
                referral: "r1".into()
            }
        );
    }

    #[test]
    fn statuses_read_back() {
        for status in AppointmentStatus::ALL {
            assert_eq!(
                parse_appointment_status(appointment_status(status)),
                Some(status)
            );
        }
        for status in [SlotStatus::Free, SlotStatus::Booked, SlotStatus::Blocked] {
            assert_eq!(parse_slot_status(slot_status(status)), Some(status));
        }
    }
}
