//! Clinic locations and what a patient needs to know to get there.

use serde::{Deserialize, Serialize};

use crate::contact::Postcode;
use crate::ids::LocationId;

/// A place where clinics are held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Identifier.
    pub id: LocationId,
    /// Name, for example "Bedford Health Village".
    pub name: String,
    /// Street address.
    pub address: String,
    /// Town.
    pub town: String,
    /// Postcode.
    pub postcode: Postcode,
    /// Latitude in degrees (WGS84), for distance from a patient's postcode.
    pub latitude: f64,
    /// Longitude in degrees (WGS84).
    pub longitude: f64,
    /// Step-free access from the street to the clinic rooms.
    pub step_free: bool,
    /// Access, parking, travel and opening hours, as patients need to know them.
    pub details: LocationDetails,
}

/// What a patient needs to know to get to a location and use it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocationDetails {
    /// A hearing loop at reception and in clinic rooms.
    pub hearing_loop: bool,
    /// Parking bays for Blue Badge holders near the entrance.
    pub blue_badge_parking: bool,
    /// Parking, in words (for example "Free car park, 40 spaces").
    pub parking: String,
    /// Buses, trains and walking, in words.
    pub transport: String,
    /// Opening hours, in words, including evenings and weekends.
    pub opening_hours: String,
}
