//! JSON API for the gate and the decisions.

use crate::auth::role::{HiringStaff, Recruiting};
use crate::auth::Auth;
use crate::db::ids::CandidateId;
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model as candidates;
use crate::hiring::decision::model;
use crate::hiring::decision::rules::{Policy, Verdict};
use crate::hiring::decision::service::{self, HireInput, Hired, MissingScorecard};
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::observations::model::unacknowledged_red_flags;
use crate::hiring::rules::{RejectReason, Stage};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_decision)
        .service(post_hire)
        .service(post_reject)
        .service(post_withdraw);
}

/// The gate for one candidate. For an interviewer who has not submitted their own
/// scorecard (blind until submitted) the verdicts, `can_hire` and the reasons are null.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub candidate_id: CandidateId,
    pub stage: Stage,
    /// The written policy, in plain words.
    pub policy: Vec<String>,
    /// True when the verdicts are hidden from the caller.
    pub blinded: bool,
    pub technical: Option<Verdict>,
    pub culture: Option<Verdict>,
    pub missing_scorecards: Option<Vec<MissingScorecard>>,
    pub can_hire: Option<bool>,
    pub blocking_reasons: Option<Vec<String>>,
}

/// A refusal as problem+json with the reasons listed one by one.
fn refusal(reasons: Vec<String>) -> HttpResponse {
    HttpResponse::build(StatusCode::CONFLICT)
        .content_type("application/problem+json")
        .body(
            json!({
                "type": "about:blank",
                "title": AppError::Conflict(vec![]).title(),
                "status": 409,
                "detail": reasons.join(" "),
                "reasons": reasons,
            })
            .to_string(),
        )
}

/// Both track verdicts with their reasons, whether the candidate can be hired, and
/// everything that blocks it.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DecisionView), (status = 403, description = "Not in hiring"),
              (status = 404, description = "No such candidate, or not one of yours")))]
#[get("/candidates/{id}/decision")]
async fn get_decision(
    auth: Auth<HiringStaff>,
    id: web::Path<CandidateId>,
) -> AppResult<web::Json<DecisionView>> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let view = auth
        .req
        .db(move |c| {
            let candidate = candidates::find(c, id)?;
            if !candidates::visible_to(c, &viewer, &candidate)? {
                return Err(AppError::NotFound);
            }
            let file = InterviewFile::load(c, id)?;
            let blinded = !file.unblinded(&viewer);
            let mut view = DecisionView {
                candidate_id: id,
                stage: candidate.stage(),
                policy: Policy::default().describe(),
                blinded,
                technical: None,
                culture: None,
                missing_scorecards: None,
                can_hire: None,
                blocking_reasons: None,
            };
            if !blinded {
                let flags = unacknowledged_red_flags(c, id)? as usize;
                let e = service::judge(&candidate, model::inputs_from(&file, flags));
                view.technical = Some(e.technical);
                view.culture = Some(e.culture);
                view.missing_scorecards = Some(e.missing_scorecards);
                view.can_hire = Some(e.can_hire);
                view.blocking_reasons = Some(e.blocking_reasons);
            }
            Ok(view)
        })
        .await?;
    Ok(web::Json(view))
}

/// Hires the candidate when the gate allows: records the hire, moves the stage to hired,
/// creates the new hire's account (or adds the new_hire role to an existing one) and
/// mails the welcome with a set-password link. `hourly_rate` is dollars and cents as
/// text ("18.50").
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), request_body = HireInput,
    responses((status = 201, body = Hired), (status = 409, description = "The gate refuses: problem+json with `reasons`"),
              (status = 422, description = "Field errors"), (status = 403, description = "Recruiters and admins only")))]
#[post("/candidates/{id}/hire")]
async fn post_hire(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    input: web::Json<HireInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx, input) = (*id, auth.req.ctx(), input.into_inner());
    match auth
        .req
        .db(move |c| service::hire(c, &sctx, id, &input))
        .await
    {
        Ok(hired) => Ok(HttpResponse::Created().json(hired)),
        Err(AppError::Conflict(reasons)) => Ok(refusal(reasons)),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectInput {
    pub reason: Option<RejectReason>,
    #[serde(default)]
    pub note: String,
    /// Send the rejection email from the template.
    #[serde(default)]
    pub send_email: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WithdrawInput {
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionDone {
    pub candidate_id: CandidateId,
    pub stage: Stage,
}

/// Rejects the candidate at any open stage; the reason is required.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), request_body = RejectInput,
    responses((status = 200, body = DecisionDone), (status = 409, description = "Already in a final stage"),
              (status = 422, description = "Field errors"), (status = 403, description = "Recruiters and admins only")))]
#[post("/candidates/{id}/reject")]
async fn post_reject(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    input: web::Json<RejectInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx, input) = (*id, auth.req.ctx(), input.into_inner());
    match auth
        .req
        .db(move |c| service::reject(c, &sctx, id, input.reason, &input.note, input.send_email))
        .await
    {
        Ok(()) => Ok(HttpResponse::Ok().json(DecisionDone {
            candidate_id: id,
            stage: Stage::Rejected,
        })),
        Err(AppError::Conflict(reasons)) => Ok(refusal(reasons)),
        Err(e) => Err(e),
    }
}

/// Records that the candidate withdrew at their request.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), request_body = WithdrawInput,
    responses((status = 200, body = DecisionDone), (status = 409, description = "Already in a final stage"),
              (status = 403, description = "Recruiters and admins only")))]
#[post("/candidates/{id}/withdraw")]
async fn post_withdraw(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    input: web::Json<WithdrawInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx, input) = (*id, auth.req.ctx(), input.into_inner());
    match auth
        .req
        .db(move |c| service::withdraw(c, &sctx, id, &input.note))
        .await
    {
        Ok(()) => Ok(HttpResponse::Ok().json(DecisionDone {
            candidate_id: id,
            stage: Stage::Withdrawn,
        })),
        Err(AppError::Conflict(reasons)) => Ok(refusal(reasons)),
        Err(e) => Err(e),
    }
}
