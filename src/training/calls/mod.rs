//! Live calls: phone shifts logged by the trainee or a trainer, with WOW stories and
//! hours toward the cohort's target. No handle-time figure anywhere, on purpose.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
