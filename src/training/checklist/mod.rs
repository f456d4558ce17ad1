//! The pre-start checklist: a template of tasks, copied to each hire with due dates
//! counted back from their start date; the new hire ticks them off, HR sees who is behind.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
