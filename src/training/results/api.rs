//! JSON API for a cohort module's results.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, CohortModuleId};
use crate::error::AppResult;
use crate::training::results::model::{self, ResultsSheet};
use crate::training::results::rules::ResultInput;
use crate::training::results::service;
use actix_web::{get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_results).service(put_results);
}

/// A module's results for every active trainee of the cohort.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path), ("module_id" = i64, Path)), responses((status = 200, body = ResultsSheet), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such cohort or module")))]
#[get("/cohorts/{id}/modules/{module_id}/results")]
async fn get_results(
    auth: Auth<TrainingOversight>,
    path: web::Path<(CohortId, CohortModuleId)>,
) -> AppResult<web::Json<ResultsSheet>> {
    let (id, module) = *path;
    Ok(web::Json(
        auth.req.db(move |c| model::sheet(c, id, module)).await?,
    ))
}

/// Saves results in one transaction. `passed` is computed from `score` and the
/// module's pass mark; `completed: false` removes a result. Trainees not sent keep
/// theirs. Refused whole (422, fields `result_<enrolment_id>`) when any row is wrong.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path), ("module_id" = i64, Path)), request_body = Vec<ResultInput>, responses((status = 200, body = ResultsSheet), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such cohort or module"), (status = 422, description = "Field errors")))]
#[put("/cohorts/{id}/modules/{module_id}/results")]
async fn put_results(
    auth: Auth<Training>,
    path: web::Path<(CohortId, CohortModuleId)>,
    body: web::Json<Vec<ResultInput>>,
) -> AppResult<web::Json<ResultsSheet>> {
    let ((id, module), sctx) = (*path, auth.req.ctx());
    let sheet = auth
        .req
        .db(move |c| {
            service::save(c, &sctx, id, module, &body)?;
            model::sheet(c, id, module)
        })
        .await?;
    Ok(web::Json(sheet))
}
