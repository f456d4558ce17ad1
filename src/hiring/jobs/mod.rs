//! Jobs (requisitions), their technical competencies, and the pipeline board.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
