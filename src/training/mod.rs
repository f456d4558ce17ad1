//! Training: the four-week all-hands customer-loyalty rotation every new hire joins,
//! whatever their role. Curriculum templates, cohorts with their laid-out days,
//! enrolments, and the pre-start checklist. Each part is a folder with the usual rooms.

pub mod checklist;
pub mod cohorts;
pub mod curricula;
pub mod enrolments;
pub mod graduation;
pub mod home;
pub mod portal;
pub mod progress;
pub mod rules;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(graduation::routes::routes);
    cfg.configure(home::routes::routes);
    cfg.configure(portal::routes::routes);
    cfg.configure(checklist::routes::routes);
}

pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(cohorts::api::routes);
    cfg.configure(graduation::api::routes);
    cfg.configure(portal::api::routes);
    cfg.configure(checklist::api::routes);
}
