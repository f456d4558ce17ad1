//! The new hire's portal: their cohort, schedule, attendance, modules, live-call hours
//! and pre-start checklist, always the viewer's own; and their training days in the
//! private calendar feed.

pub mod api;
pub mod feed;
pub mod model;
pub mod routes;
pub mod rules;
