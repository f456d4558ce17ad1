//! Curriculum templates: weeks of days of modules, the live-call target and the
//! attendance rule. A cohort copies its template when it is created.

pub mod model;
