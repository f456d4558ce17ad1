//! Enrolments: a hire in a cohort. Made at hire (the first cohort starting on or after
//! the start date with room) or by a trainer; moved between cohorts with a reason.

pub mod api;
pub mod model;
pub mod routes;
pub mod service;
