//! JSON API for offers: a trainee's own offer and answer, HR's list, payroll's payouts.

use crate::auth::role::{NewHires, OfferOversight, Training};
use crate::auth::Auth;
use crate::db::ids::{CohortId, OfferId, PayoutId};
use crate::error::{AppError, AppResult};
use crate::offer::offers::model::{self, Offer, PayoutDue};
use crate::offer::offers::service;
use crate::offer::rules::{OfferStatus, Payout};
use crate::web::pagination::Paged;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_offer)
        .service(accept_mine)
        .service(decline_mine)
        .service(list_offers)
        .service(make_cohort_offers)
        .service(payouts_due);
}

/// An offer with what accepting it pays now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferView {
    #[serde(flatten)]
    pub offer: Offer,
    pub payout: Payout,
}

/// The signed-in person's newest offer, training or yearly, if any (null when none).
#[utoipa::path(tag = "offer", security(("bearer" = [])), responses((status = 200, body = Option<OfferView>), (status = 403, description = "New hires only")))]
#[get("/me/offer")]
async fn my_offer(auth: Auth<NewHires>) -> AppResult<web::Json<Option<OfferView>>> {
    let me = auth.viewer.user_id;
    let view = auth
        .req
        .db(move |c| {
            let Some(offer) = model::latest_for_user(c, me)? else {
                return Ok(None);
            };
            let payout = service::current_payout(c, &offer)?;
            Ok(Some(OfferView { offer, payout }))
        })
        .await?;
    Ok(web::Json(view))
}

/// Accepting is deliberate: the trainee's password and an explicit confirmation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AcceptBody {
    pub offer_id: OfferId,
    pub password: String,
    /// Must be true: "I understand I leave today and am paid the total shown".
    pub confirm: bool,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DeclineBody {
    pub offer_id: OfferId,
}

/// Accepts the trainee's own pending offer. Answering twice, or at the same moment from
/// two places, leaves exactly one outcome (409 for the loser).
#[utoipa::path(tag = "offer", security(("bearer" = [])), request_body = AcceptBody, responses((status = 201, description = "Accepted; the payout id", body = PayoutId), (status = 404, description = "Not the caller's offer"), (status = 409, description = "Already answered or closed"), (status = 422, description = "Wrong password or not confirmed")))]
#[post("/me/offer/accept")]
async fn accept_mine(auth: Auth<NewHires>, body: web::Json<AcceptBody>) -> AppResult<HttpResponse> {
    let (sctx, me, money) = (
        auth.req.ctx(),
        auth.viewer.user_id,
        auth.req.state.settings.currency(),
    );
    let body = body.into_inner();
    let payout = auth
        .req
        .db(move |c| {
            service::accept(
                c,
                &sctx,
                &money,
                me,
                body.offer_id,
                &body.password,
                body.confirm,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(payout))
}

/// Declines the trainee's own pending offer; final.
#[utoipa::path(tag = "offer", security(("bearer" = [])), request_body = DeclineBody, responses((status = 204, description = "Declined"), (status = 404, description = "Not the caller's offer"), (status = 409, description = "Already answered or closed")))]
#[post("/me/offer/decline")]
async fn decline_mine(
    auth: Auth<NewHires>,
    body: web::Json<DeclineBody>,
) -> AppResult<HttpResponse> {
    let (sctx, me, id) = (auth.req.ctx(), auth.viewer.user_id, body.offer_id);
    auth.req
        .db(move |c| service::decline(c, &sctx, me, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OfferListQuery {
    /// pending, accepted, declined, expired or void.
    pub status: Option<String>,
    /// The last offer id of the previous page (newest first).
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Every offer, newest first, a page at a time.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(OfferListQuery), responses((status = 200, body = Paged<Offer>), (status = 403, description = "HR and admins only"), (status = 422, description = "Unknown status")))]
#[get("/offers")]
async fn list_offers(
    auth: Auth<OfferOversight>,
    q: web::Query<OfferListQuery>,
) -> AppResult<web::Json<Paged<Offer>>> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OfferStatus::parse(s).ok_or_else(|| {
            AppError::field(
                "status",
                "Use pending, accepted, declined, expired or void.",
            )
        })?),
    };
    let before = q
        .cursor
        .as_deref()
        .and_then(|c| c.parse().ok())
        .map(OfferId);
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let rows = auth
        .req
        .db(move |c| Ok(model::page(c, status, before, limit + 1)?))
        .await?;
    Ok(web::Json(Paged::from_rows(rows, limit, |o| o.id.0)))
}

/// A trainer makes the cohort's offers at once (those still without one). Returns how
/// many were made.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = usize), (status = 403, description = "Trainers and admins only"), (status = 409, description = "The cohort has graduated")))]
#[post("/cohorts/{id}/offers")]
async fn make_cohort_offers(
    auth: Auth<Training>,
    id: web::Path<CohortId>,
) -> AppResult<web::Json<usize>> {
    let (id, sctx) = (*id, auth.req.ctx());
    Ok(web::Json(
        auth.req
            .db(move |c| service::make_now(c, &sctx, id))
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PayoutQuery {
    /// The last payout id of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Payroll: payouts not yet paid, oldest first, with the arithmetic and due date.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(PayoutQuery), responses((status = 200, body = Paged<PayoutDue>), (status = 403, description = "HR and admins only")))]
#[get("/payroll/payouts")]
async fn payouts_due(
    auth: Auth<OfferOversight>,
    q: web::Query<PayoutQuery>,
) -> AppResult<web::Json<Paged<PayoutDue>>> {
    let after = q
        .cursor
        .as_deref()
        .and_then(|c| c.parse().ok())
        .map(PayoutId);
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let rows = auth
        .req
        .db(move |c| Ok(model::payouts_page(c, true, after, limit + 1)?))
        .await?;
    Ok(web::Json(Paged::from_rows(rows, limit, |r| r.payout.id.0)))
}
