//! Slots: bookable periods of a clinician's time at a location, in one modality.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::{ClinicianId, LocationId, ServiceId, SlotId};

/// How the appointment happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// In person at the location.
    FaceToFace,
    /// By telephone.
    Phone,
    /// By video call.
    Video,
    /// A group class at the location.
    Group,
}

impl Modality {
    /// Every modality.
    pub const ALL: [Modality; 4] = [Self::FaceToFace, Self::Phone, Self::Video, Self::Group];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FaceToFace => "face_to_face",
            Self::Phone => "phone",
            Self::Video => "video",
            Self::Group => "group",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// Which appointments a slot is for: a first (new) appointment, a follow-up, or either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    /// Either.
    #[default]
    Any,
    /// A first appointment: a longer assessment.
    New,
    /// A follow-up for someone already seen in this episode.
    FollowUp,
}

impl AppointmentKind {
    /// Every kind.
    pub const ALL: [AppointmentKind; 3] = [Self::Any, Self::New, Self::FollowUp];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::New => "new",
            Self::FollowUp => "follow_up",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == input)
            .ok_or(Invalid("choose"))
    }

    /// The kind of slot someone needs who has attended `attended` appointments this episode.
    pub fn needed(attended: u32) -> Self {
        if attended == 0 {
            Self::New
        } else {
            Self::FollowUp
        }
    }

    /// Whether a slot of this kind suits someone who has attended `attended` appointments.
    pub fn fits(self, attended: u32) -> bool {
        self == Self::Any || self == Self::needed(attended)
    }
}

/// Whether a slot can be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotStatus {
    /// Free to book.
    Free,
    /// Holds an appointment.
    Booked,
    /// Not available (leave, training, clinic cancelled).
    Blocked,
}

impl SlotStatus {
    /// Every status.
    pub const ALL: [SlotStatus; 3] = [Self::Free, Self::Booked, Self::Blocked];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Booked => "booked",
            Self::Blocked => "blocked",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// The shortest notice a patient can book with: a slot starting sooner is not offered, so the
/// clinic has time to prepare and the patient time to travel.
pub const MINIMUM_NOTICE: SignedDuration = SignedDuration::from_hours(2);

/// A bookable period of time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Identifier.
    pub id: SlotId,
    /// The service whose patients it is for.
    pub service_id: ServiceId,
    /// Where.
    pub location_id: LocationId,
    /// With whom.
    pub clinician_id: ClinicianId,
    /// Start.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
    /// How.
    pub modality: Modality,
    /// Whether it can be booked.
    pub status: SlotStatus,
    /// Which appointments it is for.
    pub kind: AppointmentKind,
}

impl Slot {
    /// True when a patient may book it at `now`.
    pub fn is_offerable(&self, now: Timestamp) -> bool {
        self.status == SlotStatus::Free
            && now
                .saturating_add(MINIMUM_NOTICE)
                .is_ok_and(|earliest| self.start >= earliest)
    }

    /// Length of the slot.
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }
}
