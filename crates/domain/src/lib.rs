//! Jointly's domain: the types, rules and state machines of an integrated community MSK service.
//!
//! Pure by construction: no IO, no async runtime, no database or web crates. Time comes from an
//! injected [`Clock`]; randomness comes from the caller.

pub mod access;
pub mod appointment;
pub mod choice;
pub mod class;
pub mod clinician;
pub mod clock;
mod codes;
pub mod communication;
pub mod contact;
pub mod conversation;
pub mod directory;
pub mod education;
pub mod error;
pub mod event;
pub mod exercise;
pub mod feedback;
pub mod ids;
pub mod intake;
pub mod link;
pub mod location;
pub mod measure;
pub mod message;
pub mod nhs_number;
pub mod offer;
pub mod onward;
pub mod passport;
pub mod pathway;
pub mod patient;
pub mod population;
pub mod questionnaire;
pub mod referral;
pub mod rota;
pub mod rules;
pub mod scope;
pub mod service;
pub mod slot;
pub mod surgery;
pub mod task;
pub mod waiting;

pub use clock::{Clock, FixedClock, SystemClock, local, local_date, london};
pub use error::{DomainError, FieldError, Invalid, ValidationErrors};
pub use ids::*;
