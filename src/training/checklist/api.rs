//! JSON API for the checklist: the new hire's own tasks, and who is behind.

use crate::auth::role::{NewHires, Onboarding};
use crate::auth::Auth;
use crate::db::ids::ChecklistTaskId;
use crate::error::{AppError, AppResult};
use crate::training::checklist::model::{self, ChecklistTask};
use crate::training::checklist::service::{self, Behind};
use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_task).service(post_task).service(get_behind);
}

/// One of the signed-in new hire's own tasks (anyone else's: 404).
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = ChecklistTask), (status = 403, description = "New hires only"), (status = 404, description = "Not one of your tasks")))]
#[get("/me/checklist/{id}")]
async fn get_task(
    auth: Auth<NewHires>,
    id: web::Path<ChecklistTaskId>,
) -> AppResult<web::Json<ChecklistTask>> {
    let (id, me) = (*id, auth.viewer.user_id);
    let t = auth
        .req
        .db(move |c| model::find_own(c, id, me)?.ok_or(AppError::NotFound))
        .await?;
    Ok(web::Json(t))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TaskInput {
    /// true: done; false: open again.
    pub done: bool,
}

/// Ticks one of the new hire's own tasks done, or opens it again.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TaskInput, responses((status = 200, body = ChecklistTask), (status = 403, description = "New hires only"), (status = 404, description = "Not one of your tasks")))]
#[post("/me/checklist/{id}")]
async fn post_task(
    auth: Auth<NewHires>,
    id: web::Path<ChecklistTaskId>,
    body: web::Json<TaskInput>,
) -> AppResult<web::Json<ChecklistTask>> {
    let (id, me, sctx, done) = (*id, auth.viewer.user_id, auth.req.ctx(), body.done);
    let t = auth
        .req
        .db(move |c| service::set_done(c, &sctx, me, id, done))
        .await?;
    Ok(web::Json(t))
}

/// People with open checklist tasks past their due date, most overdue first, with their
/// start date and cohort.
#[utoipa::path(tag = "training", security(("bearer" = [])), responses((status = 200, body = Vec<Behind>), (status = 403, description = "HR and admins only")))]
#[get("/checklist/behind")]
async fn get_behind(auth: Auth<Onboarding>) -> AppResult<web::Json<Vec<Behind>>> {
    let sctx = auth.req.ctx();
    Ok(web::Json(
        auth.req.db(move |c| service::behind(c, &sctx)).await?,
    ))
}
