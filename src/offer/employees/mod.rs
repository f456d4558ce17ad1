//! The minimal employment record: graduation starts it, HR records when and why the
//! person later leaves. The retention report reads it (through its tallies).

pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
