//! The portal page: the signed-in new hire's own records, by their user id only.

use crate::auth::role::NewHires;
use crate::auth::Auth;
use crate::config::company_date;
use crate::error::AppResult;
use crate::training::portal::model;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(portal_page);
}

#[get("/portal")]
async fn portal_page(auth: Auth<NewHires>) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let today = company_date(auth.req.state.clock.now());
    let portal = auth
        .req
        .db(move |c| Ok(model::portal(c, me, today)?))
        .await?;
    auth.req.page(
        "training/portal/index",
        "My onboarding",
        json!({"p": portal, "today": today}),
    )
}
