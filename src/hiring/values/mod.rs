//! The company's core values: what the culture interview scores. Seeded with the ten
//! defaults; an admin edits the list.

pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
