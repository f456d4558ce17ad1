//! JSON API for graduation: the board, graduating, letting go.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId};
use crate::error::AppResult;
use crate::training::enrolments::model::{self as enrolments, Enrolment};
use crate::training::graduation::model::{self, Board};
use crate::training::graduation::service;
use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_board)
        .service(post_graduation)
        .service(post_let_go);
}

async fn board(auth: &Auth<impl crate::auth::role::Access>, id: CohortId) -> AppResult<Board> {
    let today = auth.req.ctx().today();
    auth.req.db(move |c| Ok(model::board(c, id, today)?)).await
}

/// Every active trainee of the cohort: whether they qualify and, if not, what they lack.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = Board), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such cohort")))]
#[get("/cohorts/{id}/graduation")]
async fn get_board(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
) -> AppResult<web::Json<Board>> {
    Ok(web::Json(board(&auth, *id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct GraduationInput {
    /// The enrolments that graduate; every one must qualify.
    #[serde(default)]
    pub enrolment_ids: Vec<EnrolmentId>,
}

/// Graduates the listed trainees (on or after the last training day): each becomes an
/// employee in their destination department. All or nothing; 409 lists who does not
/// qualify and why. The class closes when nobody is left in training.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), request_body = GraduationInput, responses((status = 200, body = Board), (status = 403, description = "Trainers and admins only"), (status = 409, description = "Someone does not qualify, or graduation is not open"), (status = 422, description = "No trainees, or one not in this cohort")))]
#[post("/cohorts/{id}/graduation")]
async fn post_graduation(
    auth: Auth<Training>,
    id: web::Path<CohortId>,
    body: web::Json<GraduationInput>,
) -> AppResult<web::Json<Board>> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::graduate(c, &sctx, id, &body.enrolment_ids))
        .await?;
    Ok(web::Json(board(&auth, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LetGoInput {
    /// Required; kept with the enrolment and in the audit log.
    #[serde(default)]
    pub reason: String,
}

/// Lets a trainee go: the enrolment ends with the reason and their account is
/// deactivated (sessions and API tokens stop at once).
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LetGoInput, responses((status = 200, body = Enrolment), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such enrolment"), (status = 409, description = "Not in training"), (status = 422, description = "Reason missing")))]
#[post("/enrolments/{id}/let-go")]
async fn post_let_go(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    body: web::Json<LetGoInput>,
) -> AppResult<web::Json<Enrolment>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let e = auth
        .req
        .db(move |c| {
            service::let_go(c, &sctx, id, &body.reason)?;
            Ok(enrolments::find(c, id)?)
        })
        .await?;
    Ok(web::Json(e))
}
