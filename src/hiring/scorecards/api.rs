//! JSON API for scorecards: list an interview's (blind until your own is in), submit,
//! read one, amend.

use crate::auth::role::AnyUser;
use crate::auth::Auth;
use crate::db::ids::{CandidateId, InterviewId, ScorecardId, UserId};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::hiring::scorecards::model::{self, RatingRow, Scorecard, Version};
use crate::hiring::scorecards::rules::{RatingInput, ScorecardInput};
use crate::hiring::scorecards::service;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_for_interview)
        .service(submit_scorecard)
        .service(get_scorecard)
        .service(amend_scorecard);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    #[serde(flatten)]
    pub version: Version,
    pub ratings: Vec<RatingRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScorecardView {
    pub id: ScorecardId,
    pub interview_id: InterviewId,
    pub candidate_id: CandidateId,
    pub interviewer_id: UserId,
    pub interviewer_name: String,
    /// technical or culture.
    pub track: String,
    /// The current version's recommendation: strong_no, no, yes or strong_yes.
    pub recommendation: String,
    pub version: i64,
    pub submitted_at: NaiveDateTime,
    pub amended_at: Option<NaiveDateTime>,
    /// Every version, oldest (the original) first; the last is current.
    pub versions: Vec<VersionView>,
}

fn view(conn: &mut DbConn, card: Scorecard, name: String) -> AppResult<ScorecardView> {
    let versions = model::versions(conn, card.id)?
        .into_iter()
        .map(|(version, ratings)| VersionView { version, ratings })
        .collect();
    Ok(ScorecardView {
        id: card.id,
        interview_id: card.interview_id,
        candidate_id: card.candidate_id,
        interviewer_id: card.interviewer_id,
        interviewer_name: name,
        track: card.track,
        recommendation: card.recommendation,
        version: card.version,
        submitted_at: card.submitted_at,
        amended_at: card.amended_at,
        versions,
    })
}

fn view_of(conn: &mut DbConn, id: ScorecardId) -> AppResult<ScorecardView> {
    let card = model::find(conn, id)?;
    let name = crate::auth::model::find(conn, card.interviewer_id)?.name;
    view(conn, card, name)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewScorecards {
    /// True when the caller sees only their own scorecard (blind until theirs are in).
    pub blind: bool,
    pub scorecards: Vec<ScorecardView>,
}

/// An interview's scorecards. Recruiters, HR, admins and interviewers whose own
/// scorecards are all in get every one; other panel members only their own.
#[utoipa::path(tag = "scorecards", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = InterviewScorecards), (status = 403, description = "Not on this candidate's panels"), (status = 404, description = "No such interview")))]
#[get("/interviews/{id}/scorecards")]
async fn list_for_interview(
    auth: Auth<AnyUser>,
    id: web::Path<InterviewId>,
) -> AppResult<web::Json<InterviewScorecards>> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let out = auth
        .req
        .db(move |c| {
            let interview = model::interview(c, id)?;
            let unblinded = model::unblinded(c, &viewer, interview.candidate_id)?;
            if !unblinded && !model::on_panel(c, id, viewer.user_id)? {
                return Err(AppError::Forbidden);
            }
            let scorecards = model::for_interview(c, id)?
                .into_iter()
                .filter(|(s, _)| unblinded || s.interviewer_id == viewer.user_id)
                .map(|(s, name)| view(c, s, name))
                .collect::<AppResult<_>>()?;
            Ok(InterviewScorecards {
                blind: !unblinded,
                scorecards,
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingSubmission {
    /// A competency id (technical) or a core value id (culture).
    pub attribute_id: i64,
    /// 1 to 5, or null for N/A.
    pub rating: Option<i64>,
    /// Required for a 1, 2 or 5.
    #[serde(default)]
    pub evidence: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScorecardSubmission {
    /// strong_no, no, yes or strong_yes: there is no neutral option.
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub summary: String,
    /// One per competency (technical) or active core value (culture).
    #[serde(default)]
    pub ratings: Vec<RatingSubmission>,
    /// Required when amending: why.
    #[serde(default)]
    pub reason: String,
}

impl ScorecardSubmission {
    fn input(&self) -> ScorecardInput {
        ScorecardInput {
            recommendation: self.recommendation.clone(),
            summary: self.summary.clone(),
            reason: self.reason.clone(),
            ratings: self
                .ratings
                .iter()
                .map(|r| RatingInput {
                    attribute_id: r.attribute_id,
                    rating: r.rating.map_or("na".into(), |n| n.to_string()),
                    evidence: r.evidence.clone(),
                })
                .collect(),
        }
    }
}

/// Submits the caller's scorecard for an interview they sit on. Final once submitted.
#[utoipa::path(tag = "scorecards", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ScorecardSubmission, responses((status = 201, body = ScorecardView), (status = 403, description = "Not on this interview's panel"), (status = 409, description = "Already submitted, or the interview is cancelled"), (status = 422, description = "Field errors (rating_<id>, evidence_<id>, recommendation, summary)")))]
#[post("/interviews/{id}/scorecards")]
async fn submit_scorecard(
    auth: Auth<AnyUser>,
    id: web::Path<InterviewId>,
    body: web::Json<ScorecardSubmission>,
) -> AppResult<HttpResponse> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let input = body.input();
    let out = auth
        .req
        .db(move |c| {
            let card = service::submit(c, &sctx, me, id, &input)?;
            view_of(c, card)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// One scorecard with every version: its author, recruiters, HR, admins, and the
/// candidate's other interviewers once theirs are in.
#[utoipa::path(tag = "scorecards", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = ScorecardView), (status = 403, description = "Blind until your own scorecards are in"), (status = 404, description = "No such scorecard")))]
#[get("/scorecards/{id}")]
async fn get_scorecard(
    auth: Auth<AnyUser>,
    id: web::Path<ScorecardId>,
) -> AppResult<web::Json<ScorecardView>> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let out = auth
        .req
        .db(move |c| {
            let card = model::find(c, id)?;
            if !service::can_view(c, &viewer, &card)? {
                return Err(AppError::Forbidden);
            }
            view_of(c, id)
        })
        .await?;
    Ok(web::Json(out))
}

/// Amends the caller's own scorecard: a new version with a reason; the original stays.
#[utoipa::path(tag = "scorecards", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ScorecardSubmission, responses((status = 200, body = ScorecardView), (status = 403, description = "Only the author may amend"), (status = 422, description = "Field errors, including reason")))]
#[post("/scorecards/{id}/amend")]
async fn amend_scorecard(
    auth: Auth<AnyUser>,
    id: web::Path<ScorecardId>,
    body: web::Json<ScorecardSubmission>,
) -> AppResult<web::Json<ScorecardView>> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let input = body.input();
    let out = auth
        .req
        .db(move |c| {
            service::amend(c, &sctx, me, id, &input)?;
            view_of(c, id)
        })
        .await?;
    Ok(web::Json(out))
}
