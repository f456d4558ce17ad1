//! JSON API for a cohort day's attendance: read the sheet, save the whole day.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::CohortId;
use crate::error::AppResult;
use crate::training::attendance::model::{self, DaySheet};
use crate::training::attendance::rules::MarkInput;
use crate::training::attendance::service;
use actix_web::{get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_attendance).service(put_attendance);
}

/// A training day's sheet: every active trainee with their mark, running tally and any
/// attendance-rule flags.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path), ("day" = i64, Path, description = "Training day number, 1-based")), responses((status = 200, body = DaySheet), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such cohort or day")))]
#[get("/cohorts/{id}/attendance/{day}")]
async fn get_attendance(
    auth: Auth<TrainingOversight>,
    path: web::Path<(CohortId, i64)>,
) -> AppResult<web::Json<DaySheet>> {
    let ((id, day), today) = (*path, auth.req.state.clock.now().date());
    Ok(web::Json(
        auth.req
            .db(move |c| model::day_sheet(c, id, Some(day), today))
            .await?,
    ))
}

/// Saves a day's marks in one transaction: marks not sent are left as they are, a row
/// with an empty status is skipped. Refused whole (422, with a field per bad row, named
/// `mark_<enrolment_id>`, or `day`) when any row is wrong or the day is still to come.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path), ("day" = i64, Path)), request_body = Vec<MarkInput>, responses((status = 200, body = DaySheet), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such cohort"), (status = 422, description = "Field errors")))]
#[put("/cohorts/{id}/attendance/{day}")]
async fn put_attendance(
    auth: Auth<Training>,
    path: web::Path<(CohortId, i64)>,
    body: web::Json<Vec<MarkInput>>,
) -> AppResult<web::Json<DaySheet>> {
    let ((id, day), sctx) = (*path, auth.req.ctx());
    let today = sctx.now.date();
    let sheet = auth
        .req
        .db(move |c| {
            service::save_day(c, &sctx, id, day, &body)?;
            model::day_sheet(c, id, Some(day), today)
        })
        .await?;
    Ok(web::Json(sheet))
}
