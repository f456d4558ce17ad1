//! JSON API for the shuttle-driver check: a candidate's observations, creating an
//! observation link, acknowledging a red flag.

use crate::auth::role::{AnyUser, HiringStaff, Recruiting};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, ObservationId};
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model as candidates;
use crate::hiring::observations::model::{self, Observation, ObservationLink};
use crate::hiring::observations::service;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_observations)
        .service(create_observation_link)
        .service(acknowledge_observation);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateObservations {
    pub candidate_id: CandidateId,
    /// Someone reported being treated badly.
    pub red_flag: bool,
    /// Red flags no culture interviewer has acknowledged yet; the culture track cannot
    /// pass while this is above zero.
    pub unacknowledged_red_flags: i64,
    pub observations: Vec<Observation>,
}

/// A candidate's observations and red flag state. Visible to whoever may see the candidate.
#[utoipa::path(tag = "observations", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = CandidateObservations), (status = 403, description = "Not your candidate"), (status = 404, description = "No such candidate")))]
#[get("/candidates/{id}/observations")]
async fn list_observations(
    auth: Auth<HiringStaff>,
    id: web::Path<CandidateId>,
) -> AppResult<web::Json<CandidateObservations>> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let out = auth
        .req
        .db(move |c| {
            let candidate = candidates::find(c, id)?;
            if !candidates::visible_to(c, &viewer, &candidate)? {
                return Err(AppError::Forbidden);
            }
            Ok(CandidateObservations {
                candidate_id: id,
                red_flag: candidate.red_flag,
                unacknowledged_red_flags: model::unacknowledged_red_flags(c, id)?,
                observations: model::list_for(c, id)?
                    .into_iter()
                    .map(|(o, _)| o)
                    .collect(),
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewObservationLink {
    /// shuttle_driver, receptionist or other.
    #[serde(default)]
    pub observer_role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedObservationLink {
    /// The link to hand to the observer. Shown only in this response; only its hash is kept.
    pub url: String,
    #[serde(flatten)]
    pub link: ObservationLink,
}

/// Creates an observation link (usable once, without an account, for 7 days).
#[utoipa::path(tag = "observations", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewObservationLink, responses((status = 201, body = CreatedObservationLink), (status = 403, description = "Recruiters only"), (status = 422, description = "Field errors")))]
#[post("/candidates/{id}/observation-links")]
async fn create_observation_link(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    body: web::Json<NewObservationLink>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let base = sctx.clone();
    let (raw, link) = auth
        .req
        .db(move |c| service::create_link(c, &sctx, id, &body.observer_role))
        .await?;
    Ok(HttpResponse::Created().json(CreatedObservationLink {
        url: base.link(&format!("/observe/{raw}")),
        link,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Acknowledgement {
    /// Required: what the culture interviewer makes of the red flag.
    #[serde(default)]
    pub note: String,
}

/// A culture interviewer of the candidate acknowledges a red flag with a written note.
#[utoipa::path(tag = "observations", security(("bearer" = [])), params(("id" = i64, Path)), request_body = Acknowledgement, responses((status = 200, body = Observation), (status = 403, description = "Only an interviewer on the candidate's scheduled culture interview"), (status = 409, description = "Not a red flag, or already acknowledged"), (status = 422, description = "The note is missing")))]
#[post("/observations/{id}/acknowledge")]
async fn acknowledge_observation(
    auth: Auth<AnyUser>,
    id: web::Path<ObservationId>,
    body: web::Json<Acknowledgement>,
) -> AppResult<web::Json<Observation>> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let out = auth
        .req
        .db(move |c| service::acknowledge(c, &sctx, me, id, &body.note))
        .await?;
    Ok(web::Json(out))
}
