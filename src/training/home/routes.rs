//! The trainer's home page.

use crate::auth::role::Training;
use crate::auth::Auth;
use crate::error::AppResult;
use crate::training::home::model;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home_page);
}

/// Only the cohorts the signed-in person trains (an admin who trains none sees none).
#[get("/training/home")]
async fn home_page(auth: Auth<Training>) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let today = auth.req.ctx().today();
    let (home, offers) = auth
        .req
        .db(move |c| {
            Ok((
                model::trainer_home(c, me, today)?,
                crate::offer::offers::model::pending_for_trainer(c, me)?,
            ))
        })
        .await?;
    let offers: Vec<_> = offers
        .into_iter()
        .map(
            |(id, name, pending)| json!({"cohort_id": id, "cohort_name": name, "pending": pending}),
        )
        .collect();
    auth.req.page(
        "training/home/index",
        "Training today",
        json!({"home": home, "today": today, "offers": offers}),
    )
}
