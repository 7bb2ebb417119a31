//! Group classes and education sessions (back class, knee class, the Expert Patients
//! Programme, peer support): a number of places, a waiting list when they are full, and a
//! register of who came.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, ValidationErrors};
use crate::ids::{
    ClassId, ClassPlaceId, ClinicianId, LocationId, PatientId, ReferralId, ServiceId,
};

/// The most places a class may have.
pub const MAX_PLACES: u32 = 40;

/// What kind of class it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassKind {
    /// Exercise and education for back pain.
    BackClass,
    /// Exercise and education for knee pain (for example osteoarthritis).
    KneeClass,
    /// The Expert Patients Programme: living well with a long-term condition.
    ExpertPatients,
    /// A peer support group.
    PeerSupport,
}

impl ClassKind {
    /// Every kind.
    pub const ALL: [ClassKind; 4] = [
        Self::BackClass,
        Self::KneeClass,
        Self::ExpertPatients,
        Self::PeerSupport,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BackClass => "back_class",
            Self::KneeClass => "knee_class",
            Self::ExpertPatients => "expert_patients",
            Self::PeerSupport => "peer_support",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// One class session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// Identifier.
    pub id: ClassId,
    /// What it is.
    pub kind: ClassKind,
    /// The service that runs it; people with a referral open in it may join.
    pub service_id: ServiceId,
    /// Where.
    pub location_id: LocationId,
    /// Who leads it.
    pub clinician_id: ClinicianId,
    /// Start.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
    /// Places.
    pub places: u32,
    /// Places taken.
    pub booked: u32,
}

impl Class {
    /// Checks a class as entered: places from 2 to [`MAX_PLACES`], an end after the start, a
    /// start after `now`.
    pub fn validate(&self, now: Timestamp) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.places < 2 {
            errors.add("places", Invalid("too-low"));
        } else if self.places > MAX_PLACES {
            errors.add("places", Invalid("too-high"));
        }
        if self.start <= now {
            errors.add("class_date", Invalid("in-the-past"));
        }
        if self.end <= self.start {
            errors.add("class_length", Invalid("too-low"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Places still free.
    pub fn free_places(&self) -> u32 {
        self.places.saturating_sub(self.booked)
    }
}

/// Where someone is with a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceStatus {
    /// Has a place.
    Booked,
    /// On the class's waiting list, in order.
    Waiting,
    /// Gave up their place (or left the waiting list).
    Cancelled,
    /// Came.
    Attended,
    /// Did not come.
    DidNotAttend,
}

impl PlaceStatus {
    /// Every status.
    pub const ALL: [PlaceStatus; 5] = [
        Self::Booked,
        Self::Waiting,
        Self::Cancelled,
        Self::Attended,
        Self::DidNotAttend,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Waiting => "waiting",
            Self::Cancelled => "cancelled",
            Self::Attended => "attended",
            Self::DidNotAttend => "did_not_attend",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }

    /// Whether the person still holds a place or a place in the queue.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Booked | Self::Waiting)
    }
}

/// A person's place (or place in the queue) in a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassPlace {
    /// Identifier.
    pub id: ClassPlaceId,
    /// The class.
    pub class_id: ClassId,
    /// The referral it belongs to.
    pub referral_id: ReferralId,
    /// The person.
    pub patient_id: PatientId,
    /// Where they are.
    pub status: PlaceStatus,
    /// When they asked.
    pub requested_at: Timestamp,
}

/// What happens next to a place, and whether it may: a person may cancel before the class
/// starts; the register is kept from the start for those with a place.
pub fn next_place_status(
    place: PlaceStatus,
    wanted: PlaceStatus,
    class_start: Timestamp,
    now: Timestamp,
) -> Result<PlaceStatus, Invalid> {
    use PlaceStatus as S;
    match (place, wanted) {
        (S::Booked | S::Waiting, S::Cancelled) if now < class_start => Ok(S::Cancelled),
        (S::Booked, S::Attended | S::DidNotAttend) if now >= class_start => Ok(wanted),
        // Correcting the register.
        (S::Attended | S::DidNotAttend, S::Attended | S::DidNotAttend) => Ok(wanted),
        _ => Err(Invalid("not-now")),
    }
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;

    fn at(hours: i64) -> Timestamp {
        Timestamp::from_second(1_795_424_400).unwrap() + SignedDuration::from_hours(hours)
    }

    #[test]
    fn a_class_as_entered_is_checked() {
        let class = Class {
            id: ClassId::new(),
            kind: ClassKind::BackClass,
            service_id: ServiceId::new(),
            location_id: LocationId::new(),
            clinician_id: ClinicianId::new(),
            start: at(24),
            end: at(25),
            places: 12,
            booked: 0,
        };
        assert!(class.validate(at(0)).is_ok());
        assert_eq!(class.free_places(), 12);
        let bad = Class {
            places: 1,
            start: at(-1),
            end: at(-2),
            ..class.clone()
        };
        let fields: Vec<_> = bad
            .validate(at(0))
            .unwrap_err()
            .errors()
            .iter()
            .map(|e| e.field.to_string())
            .collect();
        assert_eq!(fields, ["places", "class_date", "class_length"]);
        assert!(
            Class {
                places: 41,
                ..class
            }
            .validate(at(0))
            .is_err()
        );
    }

    #[test]
    fn places_move_only_as_the_register_allows() {
        use PlaceStatus as S;
        let start = at(10);
        assert_eq!(
            next_place_status(S::Booked, S::Cancelled, start, at(0)),
            Ok(S::Cancelled)
        );
        assert!(next_place_status(S::Booked, S::Cancelled, start, at(11)).is_err());
        assert!(next_place_status(S::Booked, S::Attended, start, at(0)).is_err());
        assert_eq!(
            next_place_status(S::Booked, S::Attended, start, at(11)),
            Ok(S::Attended)
        );
        assert!(next_place_status(S::Waiting, S::Attended, start, at(11)).is_err());
        assert_eq!(
            next_place_status(S::Attended, S::DidNotAttend, start, at(12)),
            Ok(S::DidNotAttend)
        );
        assert!(next_place_status(S::Cancelled, S::Booked, start, at(0)).is_err());
    }
}
