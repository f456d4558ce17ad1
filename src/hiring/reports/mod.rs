//! Recruiters' reports: the funnel per job and interviewer calibration.

pub mod model;
pub mod routes;
pub mod rules;
