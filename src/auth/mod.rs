//! Accounts, passwords, sessions, CSRF, roles and API tokens.

pub mod api;
pub mod extract;
pub mod model;
pub mod password;
pub mod role;
pub mod routes;
pub mod rules;
pub mod service;
pub mod session;
pub mod tokens;

pub use extract::Auth;
