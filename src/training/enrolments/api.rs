//! JSON API for enrolments: hires waiting for a cohort, enrolling one, moving a trainee.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId, HireId};
use crate::error::AppResult;
use crate::training::enrolments::model::{self, Enrolment, WaitingHire};
use crate::training::enrolments::service;
use crate::web::pagination::{PageQuery, Paged};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(waiting_hires)
        .service(create_enrolment)
        .service(move_enrolment);
}

/// Hires with no cohort yet (no active enrolment, not let go, not yet employees),
/// earliest start date first, a page at a time.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(PageQuery), responses((status = 200, body = Paged<WaitingHire>), (status = 403, description = "Trainers, HR and admins only")))]
#[get("/hires/waiting")]
async fn waiting_hires(
    auth: Auth<TrainingOversight>,
    q: web::Query<PageQuery>,
) -> AppResult<web::Json<Paged<WaitingHire>>> {
    let (limit, after) = (q.limit(), q.cursor.map(HireId));
    let rows = auth
        .req
        .db(move |c| Ok(model::waiting(c, after, limit + 1)?))
        .await?;
    Ok(web::Json(Paged::from_rows(rows, limit, |h| h.hire_id.0)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EnrolBody {
    pub hire_id: HireId,
    pub cohort_id: CohortId,
}

/// Enrols a hire without a cohort in the one chosen. They join from the later of their
/// start date and today; a full or graduated cohort is refused on `cohort_id`.
#[utoipa::path(tag = "training", security(("bearer" = [])), request_body = EnrolBody, responses((status = 201, body = Enrolment), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such hire or cohort"), (status = 409, description = "The hire is already in a cohort, or their training is over"), (status = 422, description = "Field errors")))]
#[post("/enrolments")]
async fn create_enrolment(
    auth: Auth<Training>,
    body: web::Json<EnrolBody>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let enrolment = auth
        .req
        .db(move |c| {
            let id = service::enrol(c, &sctx, body.hire_id, body.cohort_id)?;
            Ok(model::find(c, id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(enrolment))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MoveBody {
    pub cohort_id: CohortId,
    /// Why the trainee moves; kept on the old enrolment and in the audit log.
    pub reason: String,
}

/// Moves an active trainee to another cohort: this enrolment ends as moved with the
/// reason, and the new enrolment is returned.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), request_body = MoveBody, responses((status = 201, body = Enrolment), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such enrolment or cohort"), (status = 409, description = "Not in training any more"), (status = 422, description = "Field errors")))]
#[post("/enrolments/{id}/move")]
async fn move_enrolment(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    body: web::Json<MoveBody>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let enrolment = auth
        .req
        .db(move |c| {
            let new_id = service::move_to(c, &sctx, id, body.cohort_id, &body.reason)?;
            Ok(model::find(c, new_id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(enrolment))
}
