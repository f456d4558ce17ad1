//! Graduation: who qualifies, graduating them into an employee record, moving or letting
//! go the others, closing the class, and the graduate's printable page.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
