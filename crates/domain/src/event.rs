//! Domain events: the facts each transition records, written in the same transaction as the
//! change. They drive messages, the audit trail and analytics.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{
    AppointmentId, OnwardReferralId, OrganisationId, PatientId, ReferralId, ServiceId, SlotId,
    StaffUserId, TaskId,
};
use crate::pathway::Urgency;
use crate::referral::{DischargeReason, Priority, ReferralReference, ReferralSource};
use crate::task::TaskKind;

/// Who caused something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A patient acting for themselves.
    Patient(PatientId),
    /// A member of staff.
    Staff(StaffUserId),
    /// A referring organisation's system, by its API key.
    Organisation(OrganisationId),
    /// Jointly itself (a scheduled job, an import).
    System,
}

/// A fact about something that happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DomainEvent {
    /// A referral was received.
    ReferralReceived {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// The reference given to the patient.
        reference: ReferralReference,
        /// How it reached us.
        source: ReferralSource,
        /// How soon it must be triaged.
        urgency: Urgency,
        /// Who made it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// Triage accepted a referral into a service.
    ReferralAccepted {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// The service it was routed to.
        service_id: ServiceId,
        /// Its priority there.
        priority: Priority,
        /// True when the clinician chose differently from the digital triage.
        overridden: bool,
        /// The triage clinician.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// Triage closed a referral with advice.
    AdviceGiven {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// True when the advice went to the referring professional.
        to_referrer: bool,
        /// The triage clinician.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The person referred again for the same problem; the answers joined the open referral.
    ReferralResubmitted {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// True when the new answers made it more urgent.
        urgency_raised: bool,
        /// Who.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A referral was marked for the multidisciplinary team meeting.
    MdtRequested {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The multidisciplinary team discussed the referral; the outcome is in the passport.
    MdtDiscussed {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who recorded the outcome.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A clinician asked the person a question.
    PatientQuestionAsked {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who asked.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The person replied.
    PatientReplied {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who replied.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A task was raised for staff.
    TaskRaised {
        /// The task.
        task_id: TaskId,
        /// What needs doing.
        kind: TaskKind,
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// When.
        at: Timestamp,
    },
    /// A task was done.
    TaskCompleted {
        /// The task.
        task_id: TaskId,
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who did it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// An appointment was booked.
    AppointmentBooked {
        /// The appointment.
        appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who booked it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A booked appointment moved to another time: the old one is cancelled, the new one
    /// booked, and the referral stays booked.
    AppointmentChanged {
        /// The new appointment.
        appointment_id: AppointmentId,
        /// The appointment it replaces.
        previous_appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who moved it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A booked appointment was cancelled.
    AppointmentCancelled {
        /// The appointment.
        appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who cancelled it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A slot was freed by a cancellation and can be offered to someone else.
    SlotReleased {
        /// The slot.
        slot_id: SlotId,
        /// When.
        at: Timestamp,
    },
    /// The patient no longer needs the referral.
    ReferralWithdrawn {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who withdrew it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// Care finished.
    ReferralDischarged {
        /// The referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Why.
        #[serde(default)]
        reason: DischargeReason,
        /// Until when the patient may book again directly, if they may.
        #[serde(default)]
        open_access_until: Option<Timestamp>,
        /// The discharging clinician.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The patient said they are coming.
    AppointmentConfirmed {
        /// The appointment.
        appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who confirmed it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The patient arrived for their appointment.
    AppointmentCheckedIn {
        /// The appointment.
        appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who checked them in.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The patient was seen.
    AppointmentAttended {
        /// The appointment.
        appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Whether they need another appointment (otherwise they were discharged).
        follow_up: bool,
        /// The clinician who recorded it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// The patient did not attend, without warning.
    AppointmentMissed {
        /// The appointment.
        appointment_id: AppointmentId,
        /// Its referral.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Whether the service's rule discharged them for it.
        discharged: bool,
        /// Who recorded it.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A clinician referred the person on to another organisation.
    ReferredOnward {
        /// The onward referral.
        onward_referral_id: OnwardReferralId,
        /// The referral it came from.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who referred.
        by: Actor,
        /// When.
        at: Timestamp,
    },
    /// A discharged patient booked again inside their open-access window.
    OpenAccessUsed {
        /// The referral, waiting again.
        referral_id: ReferralId,
        /// Its patient.
        patient_id: PatientId,
        /// Who booked.
        by: Actor,
        /// When.
        at: Timestamp,
    },
}

impl DomainEvent {
    /// Stable name of the event type, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ReferralReceived { .. } => "referral_received",
            Self::ReferralAccepted { .. } => "referral_accepted",
            Self::AdviceGiven { .. } => "advice_given",
            Self::ReferralResubmitted { .. } => "referral_resubmitted",
            Self::MdtRequested { .. } => "mdt_requested",
            Self::MdtDiscussed { .. } => "mdt_discussed",
            Self::PatientQuestionAsked { .. } => "patient_question_asked",
            Self::PatientReplied { .. } => "patient_replied",
            Self::TaskRaised { .. } => "task_raised",
            Self::TaskCompleted { .. } => "task_completed",
            Self::AppointmentBooked { .. } => "appointment_booked",
            Self::AppointmentChanged { .. } => "appointment_changed",
            Self::AppointmentCancelled { .. } => "appointment_cancelled",
            Self::SlotReleased { .. } => "slot_released",
            Self::ReferralWithdrawn { .. } => "referral_withdrawn",
            Self::ReferralDischarged { .. } => "referral_discharged",
            Self::AppointmentConfirmed { .. } => "appointment_confirmed",
            Self::AppointmentCheckedIn { .. } => "appointment_checked_in",
            Self::AppointmentAttended { .. } => "appointment_attended",
            Self::AppointmentMissed { .. } => "appointment_missed",
            Self::OpenAccessUsed { .. } => "open_access_used",
            Self::ReferredOnward { .. } => "referred_onward",
        }
    }

    /// The patient the event is about, if any.
    pub fn patient_id(&self) -> Option<PatientId> {
        match self {
            Self::ReferralReceived { patient_id, .. }
            | Self::ReferralAccepted { patient_id, .. }
            | Self::AdviceGiven { patient_id, .. }
            | Self::ReferralResubmitted { patient_id, .. }
            | Self::MdtRequested { patient_id, .. }
            | Self::MdtDiscussed { patient_id, .. }
            | Self::PatientQuestionAsked { patient_id, .. }
            | Self::PatientReplied { patient_id, .. }
            | Self::TaskRaised { patient_id, .. }
            | Self::TaskCompleted { patient_id, .. }
            | Self::AppointmentBooked { patient_id, .. }
            | Self::AppointmentChanged { patient_id, .. }
            | Self::AppointmentCancelled { patient_id, .. }
            | Self::ReferralWithdrawn { patient_id, .. }
            | Self::ReferralDischarged { patient_id, .. }
            | Self::AppointmentConfirmed { patient_id, .. }
            | Self::AppointmentCheckedIn { patient_id, .. }
            | Self::AppointmentAttended { patient_id, .. }
            | Self::AppointmentMissed { patient_id, .. }
            | Self::OpenAccessUsed { patient_id, .. }
            | Self::ReferredOnward { patient_id, .. } => Some(*patient_id),
            Self::SlotReleased { .. } => None,
        }
    }

    /// The referral the event is about, if any.
    pub fn referral_id(&self) -> Option<ReferralId> {
        match self {
            Self::ReferralReceived { referral_id, .. }
            | Self::ReferralAccepted { referral_id, .. }
            | Self::AdviceGiven { referral_id, .. }
            | Self::ReferralResubmitted { referral_id, .. }
            | Self::MdtRequested { referral_id, .. }
            | Self::MdtDiscussed { referral_id, .. }
            | Self::PatientQuestionAsked { referral_id, .. }
            | Self::PatientReplied { referral_id, .. }
            | Self::TaskRaised { referral_id, .. }
            | Self::TaskCompleted { referral_id, .. }
            | Self::AppointmentBooked { referral_id, .. }
            | Self::AppointmentChanged { referral_id, .. }
            | Self::AppointmentCancelled { referral_id, .. }
            | Self::ReferralWithdrawn { referral_id, .. }
            | Self::ReferralDischarged { referral_id, .. }
            | Self::AppointmentConfirmed { referral_id, .. }
            | Self::AppointmentCheckedIn { referral_id, .. }
            | Self::AppointmentAttended { referral_id, .. }
            | Self::AppointmentMissed { referral_id, .. }
            | Self::OpenAccessUsed { referral_id, .. }
            | Self::ReferredOnward { referral_id, .. } => Some(*referral_id),
            Self::SlotReleased { .. } => None,
        }
    }

    /// Who caused it (Jointly itself for tasks it raised and slots it released).
    pub fn actor(&self) -> Actor {
        match self {
            Self::ReferralReceived { by, .. }
            | Self::ReferralAccepted { by, .. }
            | Self::AdviceGiven { by, .. }
            | Self::ReferralResubmitted { by, .. }
            | Self::MdtRequested { by, .. }
            | Self::MdtDiscussed { by, .. }
            | Self::PatientQuestionAsked { by, .. }
            | Self::PatientReplied { by, .. }
            | Self::TaskCompleted { by, .. }
            | Self::AppointmentBooked { by, .. }
            | Self::AppointmentChanged { by, .. }
            | Self::AppointmentCancelled { by, .. }
            | Self::ReferralWithdrawn { by, .. }
            | Self::ReferralDischarged { by, .. }
            | Self::AppointmentConfirmed { by, .. }
            | Self::AppointmentCheckedIn { by, .. }
            | Self::AppointmentAttended { by, .. }
            | Self::AppointmentMissed { by, .. }
            | Self::OpenAccessUsed { by, .. }
            | Self::ReferredOnward { by, .. } => *by,
            Self::TaskRaised { .. } | Self::SlotReleased { .. } => Actor::System,
        }
    }

    /// When it happened.
    pub fn at(&self) -> Timestamp {
        match self {
            Self::ReferralReceived { at, .. }
            | Self::ReferralAccepted { at, .. }
            | Self::AdviceGiven { at, .. }
            | Self::ReferralResubmitted { at, .. }
            | Self::MdtRequested { at, .. }
            | Self::MdtDiscussed { at, .. }
            | Self::PatientQuestionAsked { at, .. }
            | Self::PatientReplied { at, .. }
            | Self::TaskRaised { at, .. }
            | Self::TaskCompleted { at, .. }
            | Self::AppointmentBooked { at, .. }
            | Self::AppointmentChanged { at, .. }
            | Self::AppointmentCancelled { at, .. }
            | Self::SlotReleased { at, .. }
            | Self::ReferralWithdrawn { at, .. }
            | Self::ReferralDischarged { at, .. }
            | Self::AppointmentConfirmed { at, .. }
            | Self::AppointmentCheckedIn { at, .. }
            | Self::AppointmentAttended { at, .. }
            | Self::AppointmentMissed { at, .. }
            | Self::OpenAccessUsed { at, .. }
            | Self::ReferredOnward { at, .. } => *at,
        }
    }
}
