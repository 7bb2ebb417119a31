//! Tasks for staff that a referral raises: an emergency red flag to review now, a same-day call
//! back, a possible duplicate to resolve. Each is open until someone records what they did.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Invalid};
use crate::event::{Actor, DomainEvent};
use crate::ids::{PatientId, ReferralId, StaffUserId, TaskId};
use crate::pathway::Urgency;
use crate::referral::FreeText;

/// What needs doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// An emergency red flag: contact the person now and make sure they are getting
    /// emergency care.
    EmergencyReview,
    /// An urgent red flag: call the person today.
    SameDayCallBack,
    /// A referral may duplicate an open one for the same person: merge or keep both.
    PossibleDuplicate,
    /// A referral for someone on record gave different contact details, which were not
    /// used: confirm with the person before changing the record.
    CheckContactDetails,
    /// A booked appointment falls on a clinician's leave or a closure: offer the patient
    /// another time.
    RebookAppointment,
    /// The person did not answer "do you still need this?": call them before anything changes.
    ConfirmStillNeeded,
    /// Record the person's communication needs as coded needs (they described them in their
    /// own words, or speak another language), or check that recorded ones are still right.
    CommunicationNeeds,
}

impl TaskKind {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmergencyReview => "emergency_review",
            Self::SameDayCallBack => "same_day_call_back",
            Self::PossibleDuplicate => "possible_duplicate",
            Self::CheckContactDetails => "check_contact_details",
            Self::RebookAppointment => "rebook_appointment",
            Self::ConfirmStillNeeded => "confirm_still_needed",
            Self::CommunicationNeeds => "communication_needs",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        [
            Self::EmergencyReview,
            Self::SameDayCallBack,
            Self::PossibleDuplicate,
            Self::CheckContactDetails,
            Self::RebookAppointment,
            Self::ConfirmStillNeeded,
            Self::CommunicationNeeds,
        ]
        .into_iter()
        .find(|k| k.as_str() == input)
        .ok_or(Invalid("choose"))
    }

    /// How soon it must be done after it is raised.
    pub fn due_within(self) -> SignedDuration {
        match self {
            // Emergency care cannot wait for a clinic: someone acts within the quarter hour.
            Self::EmergencyReview => SignedDuration::from_mins(15),
            // "Same day": within four hours of the referral, inside a working day.
            Self::SameDayCallBack => SignedDuration::from_hours(4),
            Self::PossibleDuplicate
            | Self::CheckContactDetails
            | Self::RebookAppointment
            | Self::ConfirmStillNeeded => SignedDuration::from_hours(48),
            // Before the person's first appointment, which is rarely within two weeks.
            Self::CommunicationNeeds => SignedDuration::from_hours(24 * 7),
        }
    }

    fn urgency(self) -> Urgency {
        match self {
            Self::EmergencyReview => Urgency::Emergency,
            Self::SameDayCallBack => Urgency::Urgent,
            Self::PossibleDuplicate
            | Self::CheckContactDetails
            | Self::RebookAppointment
            | Self::ConfirmStillNeeded
            | Self::CommunicationNeeds => Urgency::Routine,
        }
    }
}

/// Whether a task is still to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Done.
    Done,
}

impl TaskStatus {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "open" => Ok(Self::Open),
            "done" => Ok(Self::Done),
            _ => Err(Invalid("choose")),
        }
    }
}

/// A task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// Identifier.
    pub id: TaskId,
    /// What needs doing.
    pub kind: TaskKind,
    /// The referral it is about.
    pub referral_id: ReferralId,
    /// The person.
    pub patient_id: PatientId,
    /// How urgent.
    pub urgency: Urgency,
    /// To do or done.
    pub status: TaskStatus,
    /// When it must be done by.
    pub due_at: Timestamp,
    /// When it was raised.
    pub created_at: Timestamp,
    /// When it was done.
    pub completed_at: Option<Timestamp>,
    /// Who did it.
    pub completed_by: Option<StaffUserId>,
    /// What they did.
    pub outcome: Option<FreeText>,
}

impl Task {
    /// Raises a task about a referral.
    pub fn raise(
        kind: TaskKind,
        referral_id: ReferralId,
        patient_id: PatientId,
        now: Timestamp,
    ) -> (Self, DomainEvent) {
        let task = Self {
            id: TaskId::new(),
            kind,
            referral_id,
            patient_id,
            urgency: kind.urgency(),
            status: TaskStatus::Open,
            due_at: now.saturating_add(kind.due_within()).unwrap_or(now),
            created_at: now,
            completed_at: None,
            completed_by: None,
            outcome: None,
        };
        let event = DomainEvent::TaskRaised {
            task_id: task.id,
            kind,
            referral_id,
            patient_id,
            at: now,
        };
        (task, event)
    }

    /// Records what was done. A task is done once; the outcome must say what happened.
    pub fn complete(
        &mut self,
        by: StaffUserId,
        outcome: FreeText,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        if self.status == TaskStatus::Done {
            return Err(DomainError::InvalidTransition {
                entity: "task",
                from: "done",
                action: "complete",
            });
        }
        self.status = TaskStatus::Done;
        self.completed_at = Some(at);
        self.completed_by = Some(by);
        self.outcome = Some(outcome);
        Ok(vec![DomainEvent::TaskCompleted {
            task_id: self.id,
            referral_id: self.referral_id,
            patient_id: self.patient_id,
            by: Actor::Staff(by),
            at,
        }])
    }

    /// True when it is open and past due.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.status == TaskStatus::Open && self.due_at < now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emergency_tasks_are_due_at_once_and_done_once() {
        let now: Timestamp = "2026-11-23T09:00:00Z".parse().unwrap();
        let (mut task, event) = Task::raise(
            TaskKind::EmergencyReview,
            ReferralId::new(),
            PatientId::new(),
            now,
        );
        assert!(matches!(
            event,
            DomainEvent::TaskRaised {
                kind: TaskKind::EmergencyReview,
                ..
            }
        ));
        assert_eq!(task.urgency, Urgency::Emergency);
        assert!(task.is_overdue(now + SignedDuration::from_mins(16)));
        let staff = StaffUserId::new();
        task.complete(
            staff,
            FreeText::parse("Spoke to patient; going to A&E").unwrap(),
            now,
        )
        .unwrap();
        assert!(!task.is_overdue(now + SignedDuration::from_hours(1)));
        assert!(
            task.complete(staff, FreeText::parse("again").unwrap(), now)
                .is_err()
        );
    }
}
