//! The audit log over the API, newest first, with the page's filters.

use crate::audit::model::{self, Entry, Filter};
use crate::auth::role::AuditReaders;
use crate::auth::Auth;
use crate::error::AppResult;
use crate::web::pagination::{PageQuery, Paged};
use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list);
}

/// Audit entries, newest first. `next_cursor` continues to older entries.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(Filter, PageQuery), responses((status = 200, body = Paged<Entry>), (status = 403, description = "HR and admins only")))]
#[get("/audit")]
async fn list(
    auth: Auth<AuditReaders>,
    filter: web::Query<Filter>,
    page: web::Query<PageQuery>,
) -> AppResult<web::Json<Paged<Entry>>> {
    let (limit, cursor, filter) = (page.limit(), page.cursor, filter.into_inner());
    let rows = auth
        .req
        .db(move |c| Ok(model::list(c, &filter, cursor, limit + 1)?))
        .await?;
    Ok(web::Json(Paged::from_rows(rows, limit, |e| e.id.0)))
}
