//! JSON API for cohorts: the filtered list, create one, read one with its days, modules,
//! trainers and roster, edit one.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::CohortId;
use crate::error::{AppError, AppResult};
use crate::training::cohorts::model::{self, Cohort, CohortModule, Trainer};
use crate::training::cohorts::rules::{CohortInput, ListQuery};
use crate::training::cohorts::service;
use crate::training::cohorts::view::{self, ListItem};
use crate::training::enrolments::model::{self as enrolments, RosterRow};
use crate::training::rules::CohortStatus;
use crate::web::pagination::Paged;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_cohorts)
        .service(create_cohort)
        .service(get_cohort)
        .service(put_cohort);
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
                days: cohort.days()?,
                modules: model::modules(c, id)?,
                trainers: model::trainers(c, id)?,
                roster: enrolments::roster(c, id)?,
                cohort,
            })
        })
        .await
}

/// Cohorts by start date, newest first, a page at a time (`next_cursor` continues);
/// filtered by status (derived from the dates) and name prefix.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(ListQuery), responses((status = 200, body = Paged<ListItem>), (status = 403, description = "Trainers, HR and admins only"), (status = 422, description = "Field errors")))]
#[get("/cohorts")]
async fn list_cohorts(
    auth: Auth<TrainingOversight>,
    q: web::Query<ListQuery>,
) -> AppResult<web::Json<Paged<ListItem>>> {
    let f = q.check().map_err(AppError::Invalid)?;
    let today = auth.req.state.clock.now().date();
    let state = auth.req.state.clone();
    Ok(web::Json(
        auth.req
            .db(move |c| Ok(view::list(c, &state.kept_training.listings, &f, today)?))
            .await?,
    ))
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

/// Edits a cohort's name, capacity and trainers (`curriculum_id` is ignored: the cohort
/// keeps its copy). The start date changes only while the cohort is planned and no
/// attendance is taken; its days are then laid out again.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CohortInput, responses((status = 200, body = CohortDetail), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such cohort"), (status = 422, description = "Field errors")))]
#[put("/cohorts/{id}")]
async fn put_cohort(
    auth: Auth<Training>,
    id: web::Path<CohortId>,
    body: web::Json<CohortInput>,
) -> AppResult<web::Json<CohortDetail>> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::update(c, &sctx, id, &body))
        .await?;
    Ok(web::Json(detail(&auth, id).await?))
}
