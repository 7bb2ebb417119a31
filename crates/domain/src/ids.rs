//! Newtype identifiers: one type per kind of record, so ids cannot be mixed up.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered identifier (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an identifier read from storage.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID, for storage and URLs.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A person known to the service.
    PatientId
);
id_type!(
    /// One episode of care: a referral into the MSK service.
    ReferralId
);
id_type!(
    /// A clinical service (physiotherapy, specialist MSK, pain, ...).
    ServiceId
);
id_type!(
    /// A place where clinics are held.
    LocationId
);
id_type!(
    /// A treating or triaging clinician.
    ClinicianId
);
id_type!(
    /// A bookable period of a clinician's time.
    SlotId
);
id_type!(
    /// A booked appointment.
    AppointmentId
);
id_type!(
    /// A member of staff who signs in to the workspace.
    StaffUserId
);
id_type!(
    /// A message waiting in, or sent from, the outbox.
    MessageId
);
id_type!(
    /// A domain event.
    EventId
);
id_type!(
    /// An organisation that refers patients (a GP practice, a pharmacy, an emergency department).
    OrganisationId
);
id_type!(
    /// A task for staff (an emergency review, a same-day call back).
    TaskId
);
id_type!(
    /// A referral saved part-way, to finish later.
    DraftId
);
id_type!(
    /// A message between the care team and a patient or referrer about a referral.
    NoteId
);
id_type!(
    /// An earlier slot offered to someone on the waiting list after a cancellation.
    OfferId
);
id_type!(
    /// A recurring session in a clinician's rota.
    RotaSessionId
);
id_type!(
    /// A day or days a rota does not run: leave, training, a closure.
    RotaExceptionId
);
id_type!(
    /// A group class or education session.
    ClassId
);
id_type!(
    /// A person's place, or place in the queue, in a class.
    ClassPlaceId
);
id_type!(
    /// A secure conversation between a patient and their care team.
    ConversationId
);
id_type!(
    /// One message in a conversation.
    ConversationMessageId
);
id_type!(
    /// A file attached to a message in a conversation.
    AttachmentId
);
id_type!(
    /// A goal in a patient's passport.
    GoalId
);
id_type!(
    /// An entry in a patient's passport: their own note, or a treatment plan.
    PassportEntryId
);
id_type!(
    /// A clinical note of an appointment, for the care team.
    ClinicalNoteId
);
id_type!(
    /// A recorded shared decision-making conversation about surgery.
    SurgeryDecisionId
);
id_type!(
    /// A person's exercise programme.
    ProgrammeId
);
id_type!(
    /// One logged exercise session.
    ExerciseLogId
);
id_type!(
    /// A request that a person answer an outcome measure.
    MeasureRequestId
);
id_type!(
    /// A person's scored answer to an outcome measure.
    MeasureResponseId
);
id_type!(
    /// A record that a clinician signposted or referred a person to a community service or
    /// to information.
    SignpostingId
);
id_type!(
    /// A referral from this service on to another organisation.
    OnwardReferralId
);
id_type!(
    /// Feedback: a Friends and Family Test answer with what the person said.
    FeedbackId
);
id_type!(
    /// A concern raised with customer care.
    ConcernId
);
id_type!(
    /// An action taken because of feedback ("you said, we did").
    ImprovementId
);
