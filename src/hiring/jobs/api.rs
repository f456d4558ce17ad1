//! JSON API for jobs and their competencies.

use crate::auth::role::{HiringOversight, Recruiting};
use crate::auth::Auth;
use crate::db::ids::JobId;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::hiring::jobs::model::{self, Competency, Job};
use crate::hiring::jobs::rules::JobInput;
use crate::hiring::jobs::service;
use crate::hiring::rules::JobStatus;
use crate::web::pagination::{PageQuery, Paged};
use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_jobs)
        .service(create_job)
        .service(get_job)
        .service(put_job);
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobView {
    #[serde(flatten)]
    pub job: Job,
    /// In scorecard order.
    pub competencies: Vec<Competency>,
}

fn view(conn: &mut DbConn, id: JobId) -> AppResult<JobView> {
    Ok(JobView {
        job: model::find(conn, id)?,
        competencies: model::competencies(conn, id)?,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
struct JobFilter {
    /// open, on_hold or closed.
    status: Option<String>,
}

/// Jobs in id order, a page at a time.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(JobFilter, PageQuery), responses((status = 200, body = Paged<JobView>), (status = 403, description = "Recruiters, HR and admins only"), (status = 422, description = "Unknown status")))]
#[get("/jobs")]
async fn list_jobs(
    auth: Auth<HiringOversight>,
    filter: web::Query<JobFilter>,
    page: web::Query<PageQuery>,
) -> AppResult<web::Json<Paged<JobView>>> {
    let status = match filter.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            JobStatus::parse(s)
                .ok_or_else(|| AppError::field("status", "Use open, on_hold or closed."))?,
        ),
    };
    let (limit, cursor) = (page.limit(), page.cursor);
    let page = auth
        .req
        .db(move |c| {
            let rows = model::list(c, status, cursor, limit + 1)?;
            let page = Paged::from_rows(rows, limit, |j| j.id.0);
            let mut items = vec![];
            for j in page.items {
                let competencies = model::competencies(c, j.id)?;
                items.push(JobView {
                    job: j,
                    competencies,
                });
            }
            Ok(Paged {
                items,
                next_cursor: page.next_cursor,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Creates a job with its competencies (an open job needs at least one).
#[utoipa::path(tag = "hiring", security(("bearer" = [])), request_body = JobInput, responses((status = 201, body = JobView), (status = 403, description = "Recruiters and admins only"), (status = 422, description = "Field errors")))]
#[post("/jobs")]
async fn create_job(auth: Auth<Recruiting>, input: web::Json<JobInput>) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let v = auth
        .req
        .db(move |c| {
            let id = service::create(c, &sctx, &input)?;
            view(c, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(v))
}

/// One job with its competencies.
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = JobView), (status = 404, description = "No such job")))]
#[get("/jobs/{id}")]
async fn get_job(
    auth: Auth<HiringOversight>,
    id: web::Path<JobId>,
) -> AppResult<web::Json<JobView>> {
    let id = *id;
    Ok(web::Json(auth.req.db(move |c| view(c, id)).await?))
}

/// Replaces a job and its competency list (competencies left out are removed; send `id`
/// to keep an existing one).
#[utoipa::path(tag = "hiring", security(("bearer" = [])), params(("id" = i64, Path)), request_body = JobInput, responses((status = 200, body = JobView), (status = 404, description = "No such job"), (status = 422, description = "Field errors")))]
#[put("/jobs/{id}")]
async fn put_job(
    auth: Auth<Recruiting>,
    id: web::Path<JobId>,
    input: web::Json<JobInput>,
) -> AppResult<web::Json<JobView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let v = auth
        .req
        .db(move |c| {
            service::update(c, &sctx, id, &input)?;
            view(c, id)
        })
        .await?;
    Ok(web::Json(v))
}
