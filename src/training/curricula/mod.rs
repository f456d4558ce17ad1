//! Curriculum templates: weeks of days of modules, the live-call target and the
//! attendance rule. A cohort copies its template when it is created.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
