//! `CarePlan` (UK Core): the passport's summary for other services — what matters to the
//! person, their goals (contained `Goal`s), the referrals it addresses, and their appointments
//! as activities. Clinical notes stay in the care team's own view and never leave here.

use jiff::Timestamp;
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::passport::{Goal, GoalStatus};
use jointly_domain::{AppointmentId, PatientId, ReferralId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::model::{Annotation, CarePlanType, CodeableConcept, Meta, Period, Reference};
use crate::scheduling::appointment_status;
use crate::{Versioned, instant, profile};

/// A `CarePlan` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CarePlan {
    /// Always `CarePlan`.
    pub resource_type: CarePlanType,
    /// Logical id (the person's: one passport each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Version and profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The goals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Value>,
    /// `active` while any referral is open, otherwise `completed`.
    pub status: String,
    /// Always `plan`.
    pub intent: String,
    /// What kind of plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What matters to the person, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whose.
    pub subject: Reference,
    /// From the first referral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The key contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Reference>,
    /// The referrals it addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference>,
    /// The goals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Reference>,
    /// Appointments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<Activity>,
    /// Work, mood, sleep and social life, in the person's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
}

/// `CarePlan.activity`: an appointment, with where it stands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Activity {
    /// Where it stands, in FHIR's appointment status words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome_codeable_concept: Vec<CodeableConcept>,
    /// The appointment.
    pub reference: Reference,
}

/// What the care plan summarises.
#[derive(Clone, Debug)]
pub struct CarePlanParts<'a> {
    /// Whose passport.
    pub patient: PatientId,
    /// Version of what matters (changes on every edit).
    pub version: Versioned,
    /// What matters to them.
    pub what_matters: Option<&'a str>,
    /// Work, mood, sleep and social life, each labelled.
    pub holistic: Vec<(&'static str, &'a str)>,
    /// Their goals.
    pub goals: &'a [Goal],
    /// Their referrals: id, received, still open.
    pub referrals: Vec<(ReferralId, Timestamp, bool)>,
    /// Their appointments.
    pub appointments: Vec<(AppointmentId, AppointmentStatus)>,
    /// Their key contact's name.
    pub key_contact: Option<&'a str>,
}

fn goal_status(status: GoalStatus) -> &'static str {
    match status {
        GoalStatus::Working => "active",
        GoalStatus::Achieved => "completed",
        GoalStatus::Stopped => "cancelled",
    }
}

/// The resource for a passport.
pub fn care_plan(parts: &CarePlanParts<'_>) -> CarePlan {
    let subject = Reference::to("Patient", parts.patient);
    let contained = parts
        .goals
        .iter()
        .map(|goal| {
            json!({
                "resourceType": "Goal",
                "id": format!("goal-{}", goal.id),
                "lifecycleStatus": goal_status(goal.status),
                "description": {"text": goal.text},
                "subject": subject,
                "startDate": jointly_domain::local_date(goal.set_at).to_string(),
            })
        })
        .collect();
    let open = parts.referrals.iter().any(|(_, _, open)| *open);
    CarePlan {
        resource_type: CarePlanType,
        id: Some(parts.patient.to_string()),
        meta: Some(parts.version.meta(profile::CARE_PLAN)),
        contained,
        status: if open { "active" } else { "completed" }.into(),
        intent: "plan".into(),
        category: vec![CodeableConcept::text("Musculoskeletal care passport")],
        title: Some("Care passport".into()),
        description: parts.what_matters.map(str::to_owned),
        subject,
        period: parts
            .referrals
            .iter()
            .map(|(_, at, _)| *at)
            .min()
            .map(|start| Period {
                start: Some(instant(start)),
                end: None,
            }),
        author: parts.key_contact.map(|name| Reference {
            type_: Some("Practitioner".into()),
            display: Some(name.to_owned()),
            ..Reference::default()
        }),
        based_on: parts
            .referrals
            .iter()
            .map(|(id, _, _)| Reference::to("ServiceRequest", id))
            .collect(),
        goal: parts
            .goals
            .iter()
            .map(|goal| Reference {
                reference: Some(format!("#goal-{}", goal.id)),
                ..Reference::default()
            })
            .collect(),
        activity: parts
            .appointments
            .iter()
            .map(|(id, status)| Activity {
                outcome_codeable_concept: vec![CodeableConcept::text(appointment_status(*status))],
                reference: Reference::to("Appointment", id),
            })
            .collect(),
        note: parts
            .holistic
            .iter()
            .map(|(label, text)| Annotation {
                text: format!("{label}: {text}"),
                ..Annotation::default()
            })
            .collect(),
    }
}
