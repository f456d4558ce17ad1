//! JSON API for the yearly pay-to-quit windows.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::YearlyWindowId;
use crate::error::AppResult;
use crate::offer::yearly::rules::WindowInput;
use crate::offer::yearly::service::{self, WindowView};
use crate::web::pagination::{PageQuery, Paged};
use actix_web::{delete, get, post, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(update)
        .service(remove);
}

/// The yearly windows, newest first, each with its offers by outcome.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(PageQuery), responses((status = 200, body = Paged<WindowView>), (status = 403, description = "HR and admins only")))]
#[get("/yearly-windows")]
async fn list(
    auth: Auth<OfferOversight>,
    q: web::Query<PageQuery>,
) -> AppResult<web::Json<Paged<WindowView>>> {
    let (limit, before) = (q.limit(), q.cursor.map(YearlyWindowId));
    let rows = auth
        .req
        .db(move |c| service::windows_page(c, before, limit + 1))
        .await?;
    Ok(web::Json(Paged::from_rows(rows, limit, |v| v.window.id.0)))
}

/// Adds a window: on its opening day every eligible employee (employed, started by that
/// day) is offered base + step per full year of tenure, up to the cap, until the end of
/// its closing day. Amounts are typed like "2,000".
#[utoipa::path(tag = "offer", security(("bearer" = [])), request_body = WindowInput, responses((status = 201, body = WindowView), (status = 403, description = "HR and admins only"), (status = 422, description = "Field errors")))]
#[post("/yearly-windows")]
async fn create(
    auth: Auth<OfferOversight>,
    body: web::Json<WindowInput>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let view = auth
        .req
        .db(move |c| {
            let id = service::create_window(c, &sctx, &body)?;
            service::window_view(c, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Changes a window that has not opened yet (the same fields as adding one).
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(("id" = i64, Path, description = "Window id")), request_body = WindowInput, responses((status = 200, body = WindowView), (status = 403, description = "HR and admins only"), (status = 404, description = "No such window"), (status = 409, description = "The window has opened"), (status = 422, description = "Field errors")))]
#[put("/yearly-windows/{id}")]
async fn update(
    auth: Auth<OfferOversight>,
    id: web::Path<YearlyWindowId>,
    body: web::Json<WindowInput>,
) -> AppResult<web::Json<WindowView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let view = auth
        .req
        .db(move |c| {
            service::update_window(c, &sctx, id, &body)?;
            service::window_view(c, id)
        })
        .await?;
    Ok(web::Json(view))
}

/// Removes a window that has not opened yet.
#[utoipa::path(tag = "offer", security(("bearer" = [])), params(("id" = i64, Path, description = "Window id")), responses((status = 204, description = "Removed"), (status = 403, description = "HR and admins only"), (status = 404, description = "No such window"), (status = 409, description = "The window has opened")))]
#[delete("/yearly-windows/{id}")]
async fn remove(
    auth: Auth<OfferOversight>,
    id: web::Path<YearlyWindowId>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::delete_window(c, &sctx, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
