//! A trainee's page for trainers and HR, drawing on attendance, results, calls and
//! coaching notes.

pub mod model;
pub mod routes;
