//! Coaching notes per trainee, for trainers and HR only.

pub mod api;
pub mod model;
pub mod service;
