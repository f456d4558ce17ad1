//! Bulk candidates: the CSV import (web page and command line) and the demo-data
//! generator for benchmarks.

pub mod generate;
pub mod model;
pub mod progress;
pub mod routes;
pub mod rules;
pub mod service;
