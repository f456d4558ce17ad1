//! The append-only audit log: one row per state change, written in the change's own
//! transaction. Nothing in the code updates or deletes it, and the database refuses to.

pub mod api;
pub mod model;
pub mod routes;

pub use model::{record, Actor};
