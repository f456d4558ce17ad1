//! Training: the four-week all-hands customer-loyalty rotation every new hire joins,
//! whatever their role. Curriculum templates, cohorts with their laid-out days,
//! enrolments, and the pre-start checklist. Each part is a folder with the usual rooms.

pub mod checklist;
pub mod cohorts;
pub mod curricula;
pub mod enrolments;
pub mod progress;
pub mod rules;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut web::ServiceConfig) {}

pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(cohorts::api::routes);
}
