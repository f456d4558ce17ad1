//! The portal's data as JSON: the signed-in new hire's own, never anyone else's.

use crate::auth::role::NewHires;
use crate::auth::Auth;
use crate::error::AppResult;
use crate::training::portal::model::{self, Portal};
use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_training);
}

/// The signed-in new hire's cohort, trainers, schedule, attendance, modules, live-call
/// hours and pre-start checklist.
#[utoipa::path(tag = "training", security(("bearer" = [])), responses((status = 200, body = Portal), (status = 403, description = "New hires only")))]
#[get("/me/training")]
async fn my_training(auth: Auth<NewHires>) -> AppResult<web::Json<Portal>> {
    let me = auth.viewer.user_id;
    let today = auth.req.ctx().today();
    let state = auth.req.state.clone();
    Ok(web::Json(
        auth.req
            .db(move |c| Ok(model::portal(c, &state.kept_training.portals, me, today)?))
            .await?,
    ))
}
