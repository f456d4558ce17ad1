//! Offer policies: the bonus, the day it is made, how long it stays open and whether time
//! worked is paid, kept as a history. A cohort takes the policy in force when created.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
