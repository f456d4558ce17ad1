//! HR's employee pages: the list with search, and one person's record with the form to
//! record when and why they left.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::EmployeeId;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::offer::employees::model;
use crate::offer::employees::rules::LeavingInput;
use crate::offer::employees::service;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(show).service(record);
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    before: Option<EmployeeId>,
}

const PAGE: i64 = 50;

#[get("/offers/employees")]
async fn list(auth: Auth<OfferOversight>, q: web::Query<ListQuery>) -> AppResult<HttpResponse> {
    let (search, before) = (q.q.clone(), q.before);
    let rows = auth
        .req
        .db(move |c| Ok(model::list(c, search.as_deref(), before, PAGE + 1)?))
        .await?;
    let next = (rows.len() as i64 > PAGE).then(|| rows[PAGE as usize - 1].employee.id);
    let shown: Vec<_> = rows.into_iter().take(PAGE as usize).collect();
    auth.req.page(
        "offer/employees",
        "Employees",
        json!({"employees": shown, "q": q.q, "next": next}),
    )
}

async fn render(
    auth: &Auth<OfferOversight>,
    id: EmployeeId,
    form: Option<LeavingInput>,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let row = auth.req.db(move |c| Ok(model::find(c, id)?)).await?;
    let form = form.unwrap_or_else(|| LeavingInput {
        left_on: row
            .employee
            .left_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        leave_reason: row.employee.leave_reason.clone(),
    });
    let title = row.name.clone();
    let hint = format!(
        "From the day they started, {}, to today, {}.",
        row.employee.started_on,
        auth.req.ctx().today()
    );
    let data = json!({"e": row, "form": form, "hint": hint});
    match errors {
        Some(e) => auth.req.form_errors("offer/employee", &title, &e, data),
        None => auth.req.page("offer/employee", &title, data),
    }
}

#[get("/offers/employees/{id}")]
async fn show(auth: Auth<OfferOversight>, id: web::Path<EmployeeId>) -> AppResult<HttpResponse> {
    render(&auth, *id, None, None).await
}

#[post("/offers/employees/{id}")]
async fn record(
    auth: Auth<OfferOversight>,
    id: web::Path<EmployeeId>,
    form: web::Form<LeavingInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx, input) = (*id, auth.req.ctx(), form.into_inner());
    let typed = input.clone();
    match auth
        .req
        .db(move |c| service::record_leaving(c, &sctx, id, &input))
        .await
    {
        Ok(e) => Ok(auth.req.redirect_ok(
            &format!("/offers/employees/{id}"),
            &match e.employee.left_on {
                Some(d) => format!("Recorded: {} left on {d}.", e.name),
                None => format!("{} is shown as still employed.", e.name),
            },
        )),
        Err(AppError::Invalid(errors)) => render(&auth, id, Some(typed), Some(errors)).await,
        Err(e) => Err(e),
    }
}
