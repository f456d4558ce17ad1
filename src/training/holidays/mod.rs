//! Company holidays: days the company is closed. Cohort days skip them; adding or
//! removing one lays out again the days of cohorts that have not started.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
