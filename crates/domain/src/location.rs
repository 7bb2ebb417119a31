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
}
