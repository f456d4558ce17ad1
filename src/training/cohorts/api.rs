//! JSON API for cohorts: create one, read one with its days, modules, trainers and roster.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::CohortId;
use crate::error::AppResult;
use crate::training::cohorts::model::{self, Cohort, CohortModule, Trainer};
use crate::training::cohorts::rules::CohortInput;
use crate::training::cohorts::service;
use crate::training::enrolments::model::{self as enrolments, RosterRow};
use crate::training::rules::CohortStatus;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_cohort).service(get_cohort);
}

/// A cohort with everything a trainer plans from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CohortDetail {
    #[serde(flatten)]
    pub cohort: Cohort,
    pub status: CohortStatus,
    /// Training day dates, day 1 first (weekends and holidays skipped).
    pub days: Vec<NaiveDate>,
    pub modules: Vec<CohortModule>,
    pub trainers: Vec<Trainer>,
    pub roster: Vec<RosterRow>,
}

async fn detail(
    auth: &Auth<impl crate::auth::role::Access>,
    id: CohortId,
) -> AppResult<CohortDetail> {
    let today = auth.req.state.clock.now().date();
    auth.req
        .db(move |c| {
            let cohort = model::find(c, id)?;
            Ok(CohortDetail {
                status: cohort.status(today),
                days: model::days(c, id)?,
                modules: model::modules(c, id)?,
                trainers: model::trainers(c, id)?,
                roster: enrolments::roster(c, id)?,
                cohort,
            })
        })
        .await
}

/// Creates a cohort from a curriculum template (the default when none is given): the
/// cohort keeps its own copy, and its days are laid out skipping weekends and holidays.
#[utoipa::path(tag = "training", security(("bearer" = [])), request_body = CohortInput, responses((status = 201, body = CohortDetail), (status = 403, description = "Trainers and admins only"), (status = 422, description = "Field errors")))]
#[post("/cohorts")]
async fn create_cohort(
    auth: Auth<Training>,
    body: web::Json<CohortInput>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let id = auth
        .req
        .db(move |c| service::create(c, &sctx, &body))
        .await?;
    Ok(HttpResponse::Created().json(detail(&auth, id).await?))
}

/// One cohort with its days, modules, trainers and active roster.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = CohortDetail), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such cohort")))]
#[get("/cohorts/{id}")]
async fn get_cohort(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
) -> AppResult<web::Json<CohortDetail>> {
    Ok(web::Json(detail(&auth, *id).await?))
}
