//! The gate and the decisions: track verdicts by a written policy (a culture fail vetoes
//! the hire), then hire, reject or withdraw.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
