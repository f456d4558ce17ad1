//! onramp: hiring and culture onboarding, from candidate to team member.
//! The architecture is described in DESIGN.md (shared/DESIGN.md in the project).

// The static libpq calls into OpenSSL; naming the vendored crate makes sure it is linked.
extern crate openssl_sys;

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod ctx;
pub mod db;
pub mod demo;
pub mod error;
pub mod hiring;
pub mod home;
pub mod mail;
pub mod money;
pub mod offer;
pub mod openapi;
pub mod ops;
pub mod server;
pub mod training;
pub mod web;
