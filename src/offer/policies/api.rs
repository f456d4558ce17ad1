//! JSON API for offer policies: the history, a new policy, applying one to a cohort.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::{CohortId, OfferPolicyId};
use crate::error::AppResult;
use crate::offer::policies::model::{self, OfferPolicy};
use crate::offer::policies::rules::PolicyInput;
use crate::offer::policies::service;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(history).service(create).service(apply);
}

/// Every policy ever in force, newest first.
#[utoipa::path(tag = "offer", security(("bearer" = [])), responses((status = 200, body = Vec<OfferPolicy>), (status = 403, description = "HR and admins only")))]
#[get("/offer-policies")]
async fn history(auth: Auth<OfferOversight>) -> AppResult<web::Json<Vec<OfferPolicy>>> {
    Ok(web::Json(auth.req.db(|c| Ok(model::history(c)?)).await?))
}

/// Adds a policy taking effect on its date (today or later).
#[utoipa::path(tag = "offer", security(("bearer" = [])), request_body = PolicyInput, responses((status = 201, body = OfferPolicy), (status = 403, description = "HR and admins only"), (status = 422, description = "Field errors")))]
#[post("/offer-policies")]
async fn create(
    auth: Auth<OfferOversight>,
    body: web::Json<PolicyInput>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let policy = auth
        .req
        .db(move |c| {
            let id = service::create(c, &sctx, &body)?;
            Ok(model::find(c, id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(policy))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ApplyBody {
    pub policy_id: OfferPolicyId,
}

/// Applies a policy to a cohort explicitly; its pending offers take the new bonus.
/// Returns how many pending offers changed.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ApplyBody, responses((status = 200, body = usize), (status = 403, description = "HR and admins only"), (status = 409, description = "The cohort has graduated")))]
#[post("/cohorts/{id}/offer-policy")]
async fn apply(
    auth: Auth<OfferOversight>,
    id: web::Path<CohortId>,
    body: web::Json<ApplyBody>,
) -> AppResult<web::Json<usize>> {
    let (sctx, cohort, policy) = (auth.req.ctx(), *id, body.policy_id);
    Ok(web::Json(
        auth.req
            .db(move |c| service::apply_to_cohort(c, &sctx, cohort, policy))
            .await?,
    ))
}
