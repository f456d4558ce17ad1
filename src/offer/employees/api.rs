//! JSON API for the employment record: HR's list and recording a leaving date.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::EmployeeId;
use crate::error::AppResult;
use crate::offer::employees::model::{self, EmployeeRow};
use crate::offer::employees::rules::LeavingInput;
use crate::offer::employees::service;
use crate::web::pagination::Paged;
use actix_web::{get, put, web};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_employees).service(record_leaving);
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EmployeeQuery {
    /// Email or name starts with this.
    pub q: Option<String>,
    /// The last employee id of the previous page (newest first).
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Employees (graduates), newest first, a page at a time.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(EmployeeQuery), responses((status = 200, body = Paged<EmployeeRow>), (status = 403, description = "HR and admins only")))]
#[get("/employees")]
async fn list_employees(
    auth: Auth<OfferOversight>,
    q: web::Query<EmployeeQuery>,
) -> AppResult<web::Json<Paged<EmployeeRow>>> {
    let before = q
        .cursor
        .as_deref()
        .and_then(|c| c.parse().ok())
        .map(EmployeeId);
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let search = q.q.clone();
    let rows = auth
        .req
        .db(move |c| Ok(model::list(c, search.as_deref(), before, limit + 1)?))
        .await?;
    Ok(web::Json(Paged::from_rows(rows, limit, |r| {
        r.employee.id.0
    })))
}

/// Records when (YYYY-MM-DD, from their start to today) and why an employee left; both
/// blank marks them as still employed. Audited.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LeavingInput, responses((status = 200, body = EmployeeRow), (status = 403, description = "HR and admins only"), (status = 404, description = "No such employee"), (status = 422, description = "Date before their start or in the future, or no reason")))]
#[put("/employees/{id}/leaving")]
async fn record_leaving(
    auth: Auth<OfferOversight>,
    id: web::Path<EmployeeId>,
    body: web::Json<LeavingInput>,
) -> AppResult<web::Json<EmployeeRow>> {
    let (id, sctx, input) = (*id, auth.req.ctx(), body.into_inner());
    Ok(web::Json(
        auth.req
            .db(move |c| service::record_leaving(c, &sctx, id, &input))
            .await?,
    ))
}
