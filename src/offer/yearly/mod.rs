//! The yearly pay-to-quit (Amazon's variant), optional per company: HR adds a window, and
//! on its opening day every graduated employee still with the company is offered a bonus
//! that rises with tenure. Answered in the same portal page, expired and paid out by the
//! same offer machinery; accepting ends the employment record.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
