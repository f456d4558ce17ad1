//! JSON API for company holidays.

use crate::auth::role::{AdminOnly, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::HolidayId;
use crate::error::AppResult;
use crate::training::holidays::model::{self, Holiday};
use crate::training::holidays::rules::HolidayInput;
use crate::training::holidays::service;
use actix_web::{delete, get, post, web, HttpResponse};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_holidays)
        .service(add_holiday)
        .service(delete_holiday);
}

/// A holiday change and the planned cohorts whose days it moved.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HolidayChange {
    pub holiday: Option<Holiday>,
    /// Names of cohorts not yet started whose days were laid out again. Running cohorts
    /// keep their days.
    pub cohorts_laid_out_again: Vec<String>,
}

/// Every company holiday by date.
#[utoipa::path(tag = "training", security(("bearer" = [])), responses((status = 200, body = Vec<Holiday>), (status = 403, description = "Trainers, HR and admins only")))]
#[get("/holidays")]
async fn list_holidays(auth: Auth<TrainingOversight>) -> AppResult<web::Json<Vec<Holiday>>> {
    Ok(web::Json(auth.req.db(|c| Ok(model::all(c)?)).await?))
}

/// Adds a holiday; cohorts that have not started are laid out again around it.
#[utoipa::path(tag = "training", security(("bearer" = [])), request_body = HolidayInput, responses((status = 201, body = HolidayChange), (status = 403, description = "Admins only"), (status = 422, description = "Field errors, including a date that is already a holiday")))]
#[post("/holidays")]
async fn add_holiday(
    auth: Auth<AdminOnly>,
    body: web::Json<HolidayInput>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let change = auth
        .req
        .db(move |c| {
            let (id, moved) = service::add(c, &sctx, &body)?;
            Ok(HolidayChange {
                holiday: Some(model::find(c, id)?),
                cohorts_laid_out_again: moved,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(change))
}

/// Removes a holiday; cohorts that have not started are laid out again.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = HolidayChange), (status = 403, description = "Admins only"), (status = 404, description = "No such holiday")))]
#[delete("/holidays/{id}")]
async fn delete_holiday(
    auth: Auth<AdminOnly>,
    id: web::Path<HolidayId>,
) -> AppResult<web::Json<HolidayChange>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let moved = auth.req.db(move |c| service::remove(c, &sctx, id)).await?;
    Ok(web::Json(HolidayChange {
        holiday: None,
        cohorts_laid_out_again: moved,
    }))
}
