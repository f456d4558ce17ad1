pub mod api;
pub mod routes;
