//! The trainer's home: today's sessions, attendance still to take and flagged trainees,
//! for the cohorts they train.

pub mod model;
pub mod routes;
