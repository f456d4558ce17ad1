//! Cohorts: a class with its start date, trainers, capacity, its own copy of the
//! curriculum and its laid-out training days.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
pub mod view;
