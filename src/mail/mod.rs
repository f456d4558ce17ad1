//! Mail: written to the outbox in the transaction that causes it, delivered by a
//! background worker (SMTP or .eml files), retried with backoff, visible to admins.

pub mod ics;
pub mod model;
pub mod routes;
pub mod rules;
pub mod worker;

pub use model::{enqueue, enqueue_with_calendar};
