//! The holidays page: everyone in training sees the list; admins add and remove.

use crate::auth::role::{AdminOnly, Role, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::HolidayId;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::holidays::model;
use crate::training::holidays::rules::HolidayInput;
use crate::training::holidays::service;
use actix_web::{get, post, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page).service(add).service(remove);
}

async fn render(
    auth: &Auth<impl crate::auth::role::Access>,
    form: HolidayInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let today = auth.req.state.clock.now().date();
    let all = auth.req.db(|c| Ok(model::all(c)?)).await?;
    let rows: Vec<_> = all
        .iter()
        .map(|h| json!({"h": h, "date": h.day.format("%a %Y-%m-%d").to_string(), "past": h.day < today}))
        .collect();
    let data = json!({
        "holidays": rows,
        "form": form,
        "can_edit": auth.viewer.has(Role::Admin),
    });
    match errors {
        Some(e) => auth
            .req
            .form_errors("training/holidays/list", "Company holidays", &e, data),
        None => auth
            .req
            .page("training/holidays/list", "Company holidays", data),
    }
}

#[get("/training/holidays")]
async fn list_page(auth: Auth<TrainingOversight>) -> AppResult<HttpResponse> {
    render(&auth, HolidayInput::default(), None).await
}

/// "Days of Class 160 and Class 161 were laid out again." or nothing to say.
fn moved_note(moved: &[String]) -> String {
    if moved.is_empty() {
        String::new()
    } else {
        format!(" Days of {} were laid out again.", moved.join(", "))
    }
}

#[post("/training/holidays")]
async fn add(auth: Auth<AdminOnly>, form: web::Form<HolidayInput>) -> AppResult<HttpResponse> {
    let (input, sctx) = (form.into_inner(), auth.req.ctx());
    let inp = input.clone();
    match auth.req.db(move |c| service::add(c, &sctx, &inp)).await {
        Ok((_, moved)) => Ok(auth.req.redirect_ok(
            "/training/holidays",
            &format!("Added {}.{}", input.name.trim(), moved_note(&moved)),
        )),
        Err(AppError::Invalid(errors)) => render(&auth, input, Some(errors)).await,
        Err(e) => Err(e),
    }
}

#[post("/training/holidays/{id}/delete")]
async fn remove(auth: Auth<AdminOnly>, id: web::Path<HolidayId>) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let moved = auth.req.db(move |c| service::remove(c, &sctx, id)).await?;
    Ok(auth.req.redirect_ok(
        "/training/holidays",
        &format!("Holiday removed.{}", moved_note(&moved)),
    ))
}
