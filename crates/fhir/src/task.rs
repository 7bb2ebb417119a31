//! `Task`: the work of fulfilling a referral, so a referrer can follow it without reading the
//! clinical record. One task per referral (its id is the ServiceRequest's id): received while
//! it waits for triage, accepted onto a waiting list, in progress once booked, completed with
//! advice or discharge, cancelled when withdrawn. Staff work queues stay inside the service.

use jiff::Timestamp;
use jointly_domain::referral::{Referral, ReferralStatus};
use serde::Serialize;

use crate::directory::words;
use crate::model::{CodeableConcept, Coding, Identifier, Meta, Reference, TaskType};
use crate::{Versioned, profile, system};

/// A `Task` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// Always `Task`.
    pub resource_type: TaskType,
    /// The referral's id.
    pub id: String,
    /// Version and profile.
    pub meta: Meta,
    /// The referral's reference (`JNT-…`).
    pub identifier: Vec<Identifier>,
    /// `received`, `accepted`, `in-progress`, `completed` or `cancelled`.
    pub status: &'static str,
    /// Where the referral is, in the service's words.
    pub business_status: CodeableConcept,
    /// Always `order`: the service was asked to do this.
    pub intent: &'static str,
    /// `asap` for urgent referrals, otherwise `routine`.
    pub priority: &'static str,
    /// "Fulfil the referral".
    pub code: CodeableConcept,
    /// The referral.
    pub focus: Reference,
    /// The person.
    #[serde(rename = "for")]
    pub for_: Reference,
    /// When it was received.
    pub authored_on: String,
    /// When it last changed.
    pub last_modified: String,
    /// The service that has it, once triaged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Reference>,
}

/// `Task.status` for a referral's status.
pub fn task_status(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::AwaitingTriage => "received",
        ReferralStatus::Waiting => "accepted",
        ReferralStatus::Booked => "in-progress",
        ReferralStatus::AdviceGiven | ReferralStatus::Discharged => "completed",
        ReferralStatus::Withdrawn => "cancelled",
    }
}

/// The referral statuses a `Task.status` search value means, if it is one we use.
pub fn statuses_for(code: &str) -> Option<Vec<ReferralStatus>> {
    let found: Vec<ReferralStatus> = ReferralStatus::ALL
        .into_iter()
        .filter(|s| task_status(*s) == code)
        .collect();
    (!found.is_empty()).then_some(found)
}

/// The task of fulfilling `referral`, owned by the service named `owner` once triaged.
pub fn task(
    referral: &Referral,
    owner: Option<(jointly_domain::ServiceId, &str)>,
    version: Versioned,
    last_modified: Timestamp,
) -> Task {
    let record = referral.record();
    let urgent = matches!(
        record.priority,
        Some(jointly_domain::referral::Priority::Urgent)
    );
    Task {
        resource_type: TaskType,
        id: record.id.to_string(),
        meta: version.meta(profile::TASK),
        identifier: vec![Identifier::new(
            system::REFERRAL_REFERENCE,
            record.reference.as_str(),
        )],
        status: task_status(record.status),
        business_status: CodeableConcept::of(Coding::new(
            &format!("{}/referral-status", system::JOINTLY),
            record.status.as_str(),
            &words(record.status.as_str()),
        )),
        intent: "order",
        priority: if urgent { "asap" } else { "routine" },
        code: CodeableConcept::of(Coding::new(
            "http://hl7.org/fhir/CodeSystem/task-code",
            "fulfill",
            "Fulfill the focal request",
        )),
        focus: Reference::to("ServiceRequest", record.id),
        for_: Reference::to("Patient", record.patient_id),
        authored_on: crate::instant(record.received_at),
        last_modified: crate::instant(last_modified),
        owner: owner.map(|(id, name)| Reference::to_named("HealthcareService", id, name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_task_status_and_back() {
        for status in ReferralStatus::ALL {
            let code = task_status(status);
            assert!(statuses_for(code).unwrap().contains(&status));
        }
        assert_eq!(
            statuses_for("completed"),
            Some(vec![
                ReferralStatus::AdviceGiven,
                ReferralStatus::Discharged
            ])
        );
        assert_eq!(statuses_for("draft"), None);
    }
}
