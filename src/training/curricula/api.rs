//! JSON API for curriculum templates: list, read with modules, create, edit.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::CurriculumId;
use crate::error::AppResult;
use crate::training::curricula::model::{self, Curriculum, CurriculumModule};
use crate::training::curricula::rules::CurriculumInput;
use crate::training::curricula::service;
use actix_web::{get, post, put, web, HttpResponse};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_curricula)
        .service(create_curriculum)
        .service(get_curriculum)
        .service(put_curriculum);
}

/// A template with its modules in teaching order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CurriculumDetail {
    #[serde(flatten)]
    pub curriculum: Curriculum,
    pub modules: Vec<CurriculumModule>,
}

async fn detail(
    auth: &Auth<impl crate::auth::role::Access>,
    id: CurriculumId,
) -> AppResult<CurriculumDetail> {
    auth.req
        .db(move |c| {
            Ok(CurriculumDetail {
                curriculum: model::find(c, id)?,
                modules: model::modules(c, id)?,
            })
        })
        .await
}

/// Every template by name (without modules).
#[utoipa::path(tag = "training", security(("bearer" = [])), responses((status = 200, body = Vec<Curriculum>), (status = 403, description = "Trainers, HR and admins only")))]
#[get("/curricula")]
async fn list_curricula(auth: Auth<TrainingOversight>) -> AppResult<web::Json<Vec<Curriculum>>> {
    Ok(web::Json(auth.req.db(|c| Ok(model::all(c)?)).await?))
}

/// Creates a template with its modules. Each module's week and day must fit the
/// template's weeks and days per week; positions are renumbered within each day.
#[utoipa::path(tag = "training", security(("bearer" = [])), request_body = CurriculumInput, responses((status = 201, body = CurriculumDetail), (status = 403, description = "Trainers and admins only"), (status = 422, description = "Field errors; module rows as module_<index>")))]
#[post("/curricula")]
async fn create_curriculum(
    auth: Auth<Training>,
    body: web::Json<CurriculumInput>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let id = auth
        .req
        .db(move |c| service::create(c, &sctx, &body))
        .await?;
    Ok(HttpResponse::Created().json(detail(&auth, id).await?))
}

/// One template with its modules.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = CurriculumDetail), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such template")))]
#[get("/curricula/{id}")]
async fn get_curriculum(
    auth: Auth<TrainingOversight>,
    id: web::Path<CurriculumId>,
) -> AppResult<web::Json<CurriculumDetail>> {
    Ok(web::Json(detail(&auth, *id).await?))
}

/// Replaces a template and its full module list. Cohorts already made from it keep
/// their own copy and do not change.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CurriculumInput, responses((status = 200, body = CurriculumDetail), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such template"), (status = 422, description = "Field errors")))]
#[put("/curricula/{id}")]
async fn put_curriculum(
    auth: Auth<Training>,
    id: web::Path<CurriculumId>,
    body: web::Json<CurriculumInput>,
) -> AppResult<web::Json<CurriculumDetail>> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::update(c, &sctx, id, &body))
        .await?;
    Ok(web::Json(detail(&auth, id).await?))
}
