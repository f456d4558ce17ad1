//! Module results: completion per trainee and, for modules with an assessment, a score
//! passed against the module's pass mark.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
