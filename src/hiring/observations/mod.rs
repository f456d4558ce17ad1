pub mod api;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
