//! JSON API for HR's reports: the same figures the pages show.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::error::AppResult;
use crate::offer::reports::routes::{RetentionQuery, UptakeQuery, PAGE};
use crate::offer::reports::view::{self, RetentionReport, UptakeReport};
use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(uptake).service(retention);
}

/// Offer uptake for one kind of offer (training or yearly, never mixed): made, open,
/// accepted, declined, expired, void, the uptake rate and money paid out, overall and by
/// bonus, culture band and month (and month with bonus), plus a page of the cohort,
/// trainer or department breakdown.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(UptakeQuery), responses((status = 200, body = UptakeReport), (status = 403, description = "HR and admins only")))]
#[get("/offers/uptake")]
async fn uptake(
    auth: Auth<OfferOversight>,
    q: web::Query<UptakeQuery>,
) -> AppResult<web::Json<UptakeReport>> {
    let (kind, by, after) = (q.kind(), q.by(), q.after());
    Ok(web::Json(
        auth.req
            .db(move |c| Ok(view::uptake(c, kind, by, after, PAGE)?))
            .await?,
    ))
}

/// Retention of graduates who declined the training offer or let it expire: the share
/// still employed 90, 180 and 365 days after graduating, counting only those whose
/// horizon has passed; overall, by bonus, and a page of cohorts.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(RetentionQuery), responses((status = 200, body = RetentionReport), (status = 403, description = "HR and admins only")))]
#[get("/offers/retention")]
async fn retention(
    auth: Auth<OfferOversight>,
    q: web::Query<RetentionQuery>,
) -> AppResult<web::Json<RetentionReport>> {
    let (today, before) = (auth.req.ctx().today(), q.cursor);
    Ok(web::Json(
        auth.req
            .db(move |c| Ok(view::retention(c, today, before, PAGE)?))
            .await?,
    ))
}
