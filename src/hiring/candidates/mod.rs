//! Candidates: records, the list with search and filters, stage moves, the candidate page.

pub mod api;
pub mod counts;
pub mod model;
pub mod records;
pub mod routes;
pub mod rules;
pub mod service;
pub mod view;
