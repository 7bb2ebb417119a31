//! The web layer end to end, in process: every route against every role, form tokens, bad
//! input, translations, headers, audit and logs, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod about;
mod access;
mod changing;
mod choice;
mod classes;
mod clinic_day;
mod communication;
mod conversations;
mod dashboards;
mod exercises;
mod feedback;
mod fhir;
mod fhir_records;
mod front_door;
mod harness;
mod help;
mod input;
mod journey;
mod keeping_informed;
mod links;
mod mdt;
mod measures;
mod openapi;
mod pages;
mod passport;
mod race;
mod rotas;
mod surgery;
mod validators;
mod waiting;
