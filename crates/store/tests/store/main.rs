//! The store's contract, run against a fresh SQLite and a fresh PostgreSQL database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit_and_events;
mod booking;
mod exercises;
mod front_door;
mod outbox;
mod passport;
mod people;
mod population;
mod referrals;
mod schema;
mod surgery;
