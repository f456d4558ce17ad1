//! Hiring: jobs and candidates through two separate interviews (technical ability and
//! culture fit), structured scorecards, the shuttle-driver check and the hiring gate.
//! Each part is a folder with the usual rooms (model, rules, service, routes, api).

pub mod candidates;
pub mod decision;
pub mod demo;
pub mod import;
pub mod interviews;
pub mod jobs;
pub mod observations;
pub mod reports;
pub mod rules;
pub mod scorecards;
pub mod values;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(values::routes::routes)
        .configure(jobs::routes::routes)
        .configure(candidates::routes::routes)
        .configure(import::routes::routes)
        .configure(interviews::routes::routes)
        .configure(scorecards::routes::routes)
        .configure(observations::routes::routes)
        .configure(decision::routes::routes)
        .configure(reports::routes::routes);
}

pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(jobs::api::routes)
        .configure(candidates::api::routes)
        .configure(interviews::api::routes)
        .configure(scorecards::api::routes)
        .configure(observations::api::routes)
        .configure(decision::api::routes);
}
