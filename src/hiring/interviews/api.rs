//! JSON API for interviews: a candidate's interviews, scheduling, one interview,
//! rescheduling and cancelling. The same service as the pages.

use crate::auth::role::{HiringStaff, Recruiting};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, InterviewId};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model as candidates;
use crate::hiring::interviews::model::{self, Interview, Member};
use crate::hiring::interviews::routes::may_view;
use crate::hiring::interviews::rules::InterviewInput;
use crate::hiring::interviews::service;
use crate::web::context::Viewer;
use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_for_candidate)
        .service(create)
        .service(get_one)
        .service(put_one)
        .service(cancel);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewView {
    #[serde(flatten)]
    pub interview: Interview,
    /// UTC.
    pub ends_at: chrono::NaiveDateTime,
    pub panel: Vec<Member>,
}

fn view_of(conn: &mut DbConn, iv: Interview) -> AppResult<InterviewView> {
    let panel = model::panel(conn, iv.id)?;
    Ok(InterviewView {
        ends_at: iv.ends_at(),
        interview: iv,
        panel,
    })
}

fn load_visible(conn: &mut DbConn, viewer: &Viewer, id: InterviewId) -> AppResult<InterviewView> {
    let iv = model::find(conn, id)?;
    if !may_view(conn, viewer, id)? {
        return Err(AppError::Forbidden);
    }
    view_of(conn, iv)
}

/// A candidate's interviews, soonest first. Interviewers see them only for candidates
/// whose interviews they sit on.
#[utoipa::path(tag = "interviews", security(("bearer" = [])), params(("id" = i64, Path, description = "Candidate id")), responses((status = 200, body = Vec<InterviewView>), (status = 403, description = "Not your candidate"), (status = 404, description = "No such candidate")))]
#[get("/candidates/{id}/interviews")]
async fn list_for_candidate(
    auth: Auth<HiringStaff>,
    id: web::Path<CandidateId>,
) -> AppResult<web::Json<Vec<InterviewView>>> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let list = auth
        .req
        .db(move |c| {
            let candidate = candidates::find(c, id)?;
            if !candidates::visible_to(c, &viewer, &candidate)? {
                return Err(AppError::Forbidden);
            }
            model::for_candidate(c, id)?
                .into_iter()
                .map(|iv| view_of(c, iv))
                .collect()
        })
        .await?;
    Ok(web::Json(list))
}

/// Schedules an interview and mails the invitations (.ics, METHOD:REQUEST). Give the time
/// as `starts_at` (RFC 3339) or as `date` + `time` in the company time zone. A candidate
/// in applied or screening moves to the track's interview stage.
#[utoipa::path(tag = "interviews", security(("bearer" = [])), params(("id" = i64, Path, description = "Candidate id")), request_body = InterviewInput, responses((status = 201, body = InterviewView), (status = 403, description = "Recruiters and admins only"), (status = 404, description = "No such candidate"), (status = 422, description = "Field errors")))]
#[post("/candidates/{id}/interviews")]
async fn create(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    input: web::Json<InterviewInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let view = auth
        .req
        .db(move |c| {
            let iid = service::schedule(c, &sctx, id, &input)?;
            let iv = model::find(c, iid)?;
            view_of(c, iv)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// One interview with its panel: recruiters, HR and admins, or someone on the panel.
#[utoipa::path(tag = "interviews", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = InterviewView), (status = 403, description = "Not on the panel"), (status = 404, description = "No such interview")))]
#[get("/interviews/{id}")]
async fn get_one(
    auth: Auth<HiringStaff>,
    id: web::Path<InterviewId>,
) -> AppResult<web::Json<InterviewView>> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let view = auth.req.db(move |c| load_visible(c, &viewer, id)).await?;
    Ok(web::Json(view))
}

/// Reschedules or changes the panel (the track stays). Any change raises SEQUENCE and
/// mails updated invitations; people taken off get METHOD:CANCEL.
#[utoipa::path(tag = "interviews", security(("bearer" = [])), params(("id" = i64, Path)), request_body = InterviewInput, responses((status = 200, body = InterviewView), (status = 404, description = "No such interview"), (status = 409, description = "Cancelled"), (status = 422, description = "Field errors")))]
#[put("/interviews/{id}")]
async fn put_one(
    auth: Auth<Recruiting>,
    id: web::Path<InterviewId>,
    input: web::Json<InterviewInput>,
) -> AppResult<web::Json<InterviewView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let view = auth
        .req
        .db(move |c| {
            service::update(c, &sctx, id, &input)?;
            let iv = model::find(c, id)?;
            view_of(c, iv)
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelInput {
    /// Told to the candidate and the interviewers.
    #[serde(default)]
    pub reason: String,
}

/// Cancels an interview: everyone invited gets METHOD:CANCEL with the same UID.
#[utoipa::path(tag = "interviews", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CancelInput, responses((status = 200, body = InterviewView), (status = 404, description = "No such interview"), (status = 409, description = "Already cancelled"), (status = 422, description = "Reason missing")))]
#[post("/interviews/{id}/cancel")]
async fn cancel(
    auth: Auth<Recruiting>,
    id: web::Path<InterviewId>,
    input: web::Json<CancelInput>,
) -> AppResult<web::Json<InterviewView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let view = auth
        .req
        .db(move |c| {
            service::cancel(c, &sctx, id, &input.reason)?;
            let iv = model::find(c, id)?;
            view_of(c, iv)
        })
        .await?;
    Ok(web::Json(view))
}
