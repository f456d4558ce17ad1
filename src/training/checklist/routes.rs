//! Pages: HR's view of who is behind and the template editor; the new hire's tick.

use crate::auth::role::{NewHires, Onboarding};
use crate::auth::Auth;
use crate::db::ids::{ChecklistItemId, ChecklistTaskId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::checklist::rules::{ItemInput, MAX_DAYS_BEFORE};
use crate::training::checklist::{model, service};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(checklist_page)
        .service(new_item_page)
        .service(create_item)
        .service(edit_item_page)
        .service(update_item)
        .service(tick);
}

#[get("/training/checklist")]
async fn checklist_page(auth: Auth<Onboarding>) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let (behind, items) = auth
        .req
        .db(move |c| Ok((service::behind(c, &sctx)?, model::items(c, false)?)))
        .await?;
    auth.req.page(
        "training/checklist/index",
        "Pre-start checklist",
        json!({"behind": behind, "items": items, "limit": service::BEHIND_LIMIT}),
    )
}

fn render_form(
    auth: &Auth<Onboarding>,
    editing: Option<ChecklistItemId>,
    input: &ItemInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let (title, action) = match editing {
        Some(id) => (
            "Edit checklist item",
            format!("/training/checklist/items/{id}"),
        ),
        None => (
            "New checklist item",
            "/training/checklist/items/new".to_string(),
        ),
    };
    let data =
        json!({"form": input, "action": action, "editing": editing, "max_days": MAX_DAYS_BEFORE});
    match errors {
        Some(e) => auth
            .req
            .form_errors("training/checklist/item", title, &e, data),
        None => auth.req.page("training/checklist/item", title, data),
    }
}

#[get("/training/checklist/items/new")]
async fn new_item_page(auth: Auth<Onboarding>) -> AppResult<HttpResponse> {
    let input = ItemInput {
        days_before_start: "3".into(),
        position: "10".into(),
        active: Some("on".into()),
        ..Default::default()
    };
    render_form(&auth, None, &input, None)
}

#[post("/training/checklist/items/new")]
async fn create_item(
    auth: Auth<Onboarding>,
    form: web::Form<ItemInput>,
) -> AppResult<HttpResponse> {
    let (input, sctx) = (form.into_inner(), auth.req.ctx());
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::create_item(c, &sctx, &inp))
        .await
    {
        Ok(_) => Ok(auth.req.redirect_ok(
            "/training/checklist",
            "Item added. New hires get it from now on.",
        )),
        Err(AppError::Invalid(e)) => render_form(&auth, None, &input, Some(e)),
        Err(e) => Err(e),
    }
}

#[get("/training/checklist/items/{id}")]
async fn edit_item_page(
    auth: Auth<Onboarding>,
    id: web::Path<ChecklistItemId>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let item = auth.req.db(move |c| Ok(model::find_item(c, id)?)).await?;
    let input = ItemInput {
        title: item.title,
        description: item.description,
        days_before_start: item.days_before_start.to_string(),
        position: item.position.to_string(),
        active: item.active.then(|| "on".into()),
    };
    render_form(&auth, Some(id), &input, None)
}

#[post("/training/checklist/items/{id}")]
async fn update_item(
    auth: Auth<Onboarding>,
    id: web::Path<ChecklistItemId>,
    form: web::Form<ItemInput>,
) -> AppResult<HttpResponse> {
    let (id, input, sctx) = (*id, form.into_inner(), auth.req.ctx());
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::update_item(c, &sctx, id, &inp))
        .await
    {
        Ok(()) => Ok(auth.req.redirect_ok(
            "/training/checklist",
            "Item saved. Checklists already given stay as they were.",
        )),
        Err(AppError::Invalid(e)) => render_form(&auth, Some(id), &input, Some(e)),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct TickForm {
    /// "1" ticks the task done, anything else opens it again.
    #[serde(default)]
    done: String,
}

/// The new hire ticks one of their own tasks; anyone else's is 404.
#[post("/portal/checklist/{id}")]
async fn tick(
    auth: Auth<NewHires>,
    id: web::Path<ChecklistTaskId>,
    form: web::Form<TickForm>,
) -> AppResult<HttpResponse> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let done = form.done == "1";
    let task = auth
        .req
        .db(move |c| service::set_done(c, &sctx, me, id, done))
        .await?;
    let message = if done {
        format!("Done: {}.", task.title)
    } else {
        format!("Open again: {}.", task.title)
    };
    Ok(auth.req.redirect_ok("/portal#checklist", &message))
}
