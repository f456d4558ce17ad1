//! The Offer: during training every trainee is offered money to quit (pay for time
//! worked plus a bonus), so that only people who want to be there stay. Policies kept as
//! a history, the offers and their payouts, and HR's audit of uptake.

pub mod employees;
pub mod offers;
pub mod policies;
pub mod reports;
pub mod rules;
pub mod yearly;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Fixed paths under /offers/ first: /offers/{id} would take them otherwise.
    cfg.configure(policies::routes::routes)
        .configure(reports::routes::routes)
        .configure(employees::routes::routes)
        .configure(yearly::routes::routes)
        .configure(offers::routes::routes);
}

pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(policies::api::routes)
        .configure(reports::api::routes)
        .configure(employees::api::routes)
        .configure(offers::api::routes)
        .configure(yearly::api::routes);
}
