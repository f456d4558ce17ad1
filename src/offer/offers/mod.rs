//! Offers: made on the offer day by a scheduled job (or at once by a trainer), answered
//! by the trainee in their portal only, expired when unanswered, void when the trainee
//! leaves training another way; an accepted offer becomes a payout for payroll.

pub mod api;
pub mod model;
pub mod routes;
pub mod service;
