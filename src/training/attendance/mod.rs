//! Daily attendance: the whole roster on one page, saved in one transaction, with
//! running tallies and the trainees who have crossed the attendance rule.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
