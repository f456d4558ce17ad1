//! Interviews: scheduling with calendar invitations, the private calendar feed,
//! "my interviews", and reminders for missing scorecards.

pub mod api;
pub mod feed;
pub mod file;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
