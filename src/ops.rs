//! Probes for a load balancer or orchestrator.

use crate::app::AppState;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz).service(root);
}

/// The process is alive and serving.
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// The database answers and has every migration this binary expects.
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let result = state
        .db(|c| crate::db::migrations_current(c).map_err(crate::error::AppError::internal))
        .await;
    match result {
        Ok(true) => HttpResponse::Ok().json(json!({"status": "ready"})),
        Ok(false) => {
            HttpResponse::ServiceUnavailable().json(json!({"status": "migrations pending"}))
        }
        Err(_) => {
            HttpResponse::ServiceUnavailable().json(json!({"status": "database unreachable"}))
        }
    }
}

#[get("/")]
async fn root() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", "/home"))
        .finish()
}
