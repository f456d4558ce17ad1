//! JSON API for candidates: the filtered list with cursor pagination, records, stage moves.

use crate::auth::role::{HiringOversight, HiringStaff, Recruiting};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, JobId};
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::rules::{CandidateInput, ListQuery};
use crate::hiring::candidates::view::{self, CandidateView, ListItem};
use crate::hiring::candidates::{model, service};
use crate::web::pagination::Paged;
use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_candidates)
        .service(create_candidate)
        .service(get_candidate)
        .service(put_candidate)
        .service(move_stage);
}

/// Search, filter and sort candidates, a page at a time (`next_cursor` continues).
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(ListQuery), responses((status = 200, body = Paged<ListItem>), (status = 403, description = "Recruiters, HR and admins only"), (status = 422, description = "Field errors")))]
#[get("/candidates")]
async fn list_candidates(
    auth: Auth<HiringOversight>,
    q: web::Query<ListQuery>,
) -> AppResult<web::Json<Paged<ListItem>>> {
    let f = q.check().map_err(AppError::Invalid)?;
    let page = auth.req.db(move |c| Ok(view::list(c, &f)?)).await?;
    Ok(web::Json(page))
}

/// A candidate record with the job applied for.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CandidateBody {
    pub job_id: Option<JobId>,
    #[serde(flatten)]
    pub candidate: CandidateInput,
}

async fn show(
    auth: &Auth<impl crate::auth::role::Access>,
    id: CandidateId,
) -> AppResult<CandidateView> {
    let viewer = auth.viewer.clone();
    let now = auth.req.state.clock.now();
    auth.req
        .db(move |c| {
            let candidate = model::find(c, id)?;
            if !model::visible_to(c, &viewer, &candidate)? {
                return Err(AppError::Forbidden);
            }
            Ok(view::candidate(c, &viewer, candidate, now)?)
        })
        .await
}

/// Adds a candidate in the applied stage. A second candidate with the same email (in any
/// case) is refused with a field error on `email`.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), request_body = CandidateBody, responses((status = 201, body = CandidateView), (status = 403, description = "Recruiters and admins only"), (status = 422, description = "Field errors, including a duplicate email")))]
#[post("/candidates")]
async fn create_candidate(
    auth: Auth<Recruiting>,
    body: web::Json<CandidateBody>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let id = auth
        .req
        .db(move |c| service::create(c, &sctx, body.job_id, &body.candidate))
        .await?;
    Ok(HttpResponse::Created().json(show(&auth, id).await?))
}

/// One candidate with their stage history. Interviewers see only candidates whose
/// interviews they sit on, and without the recruiter's notes.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = CandidateView), (status = 403, description = "Not on this candidate's panel"), (status = 404, description = "No such candidate")))]
#[get("/candidates/{id}")]
async fn get_candidate(
    auth: Auth<HiringStaff>,
    id: web::Path<CandidateId>,
) -> AppResult<web::Json<CandidateView>> {
    Ok(web::Json(show(&auth, *id).await?))
}

/// Replaces a candidate's record (not the stage).
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CandidateBody, responses((status = 200, body = CandidateView), (status = 404, description = "No such candidate"), (status = 422, description = "Field errors, including a duplicate email")))]
#[put("/candidates/{id}")]
async fn put_candidate(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    body: web::Json<CandidateBody>,
) -> AppResult<web::Json<CandidateView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::update(c, &sctx, id, body.job_id, &body.candidate))
        .await?;
    Ok(web::Json(show(&auth, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StageMove {
    /// One of the open stages: applied, screening, technical_interview, culture_interview, decision.
    pub stage: String,
    #[serde(default)]
    pub note: String,
}

/// Moves a candidate to another open stage. Hired, rejected and withdrawn are set by the
/// decision endpoints; a candidate in one of them cannot be moved (422).
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), request_body = StageMove, responses((status = 200, body = CandidateView), (status = 404, description = "No such candidate"), (status = 422, description = "Not an open stage, or the candidate's pipeline has ended")))]
#[post("/candidates/{id}/stage")]
async fn move_stage(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    body: web::Json<StageMove>,
) -> AppResult<web::Json<CandidateView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::move_stage(c, &sctx, id, &body.stage, &body.note))
        .await?;
    Ok(web::Json(show(&auth, id).await?))
}
