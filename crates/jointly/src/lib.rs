//! The `jointly` binary's parts, as a library so tests, the bench and the browser tests can
//! build the same demo region and run the same server.

pub mod config;
pub mod demo;
pub mod serve;
