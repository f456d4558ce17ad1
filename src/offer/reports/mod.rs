//! HR's audit of the Offer: uptake (how many take it, by cohort, amount, trainer,
//! department, culture band and month, with the money paid out) and the retention of
//! those who stayed. Both read running tallies kept in step by `tally`.

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod tally;
pub mod view;
