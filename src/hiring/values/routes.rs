//! /hiring/values: the core values list and the add/edit form (admins).

use crate::auth::role::AdminOnly;
use crate::auth::Auth;
use crate::db::ids::CoreValueId;
use crate::error::{AppError, AppResult};
use crate::hiring::values::model;
use crate::hiring::values::rules::ValueInput;
use crate::hiring::values::service;
use actix_web::{get, post, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(values_page)
        .service(new_value_page)
        .service(create_value)
        .service(edit_value_page)
        .service(update_value);
}

#[get("/hiring/values")]
async fn values_page(auth: Auth<AdminOnly>) -> AppResult<HttpResponse> {
    let values = auth.req.db(|c| Ok(model::all(c)?)).await?;
    let rows: Vec<_> = values
        .iter()
        .map(|v| json!({"value": v, "questions": v.questions()}))
        .collect();
    auth.req
        .page("hiring/values/list", "Core values", json!({"values": rows}))
}

#[get("/hiring/values/new")]
async fn new_value_page(auth: Auth<AdminOnly>) -> AppResult<HttpResponse> {
    let next = auth
        .req
        .db(|c| Ok(model::all(c)?.iter().map(|v| v.position).max().unwrap_or(0) + 1))
        .await?;
    auth.req.page(
        "hiring/values/form",
        "Add a core value",
        json!({"form": {"position": next.to_string(), "active": "on"}, "action": "/hiring/values/new"}),
    )
}

#[post("/hiring/values/new")]
async fn create_value(
    auth: Auth<AdminOnly>,
    form: web::Form<ValueInput>,
) -> AppResult<HttpResponse> {
    let (input, sctx) = (form.into_inner(), auth.req.ctx());
    let inp = input.clone();
    match auth.req.db(move |c| service::create(c, &sctx, &inp)).await {
        Ok(_) => Ok(auth
            .req
            .redirect_ok("/hiring/values", &format!("Added {}.", input.name.trim()))),
        Err(AppError::Invalid(errors)) => auth.req.form_errors(
            "hiring/values/form",
            "Add a core value",
            &errors,
            json!({"form": input, "action": "/hiring/values/new"}),
        ),
        Err(e) => Err(e),
    }
}

#[get("/hiring/values/{id}/edit")]
async fn edit_value_page(
    auth: Auth<AdminOnly>,
    id: web::Path<CoreValueId>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let v = auth.req.db(move |c| Ok(model::find(c, id)?)).await?;
    let form = ValueInput {
        name: v.name.clone(),
        description: v.description,
        sample_questions: v.sample_questions,
        active: v.active.then(|| "on".to_string()),
        position: v.position.to_string(),
    };
    auth.req.page(
        "hiring/values/form",
        &format!("Edit {}", v.name),
        json!({"form": form, "action": format!("/hiring/values/{id}/edit"), "editing": true}),
    )
}

#[post("/hiring/values/{id}/edit")]
async fn update_value(
    auth: Auth<AdminOnly>,
    id: web::Path<CoreValueId>,
    form: web::Form<ValueInput>,
) -> AppResult<HttpResponse> {
    let (id, input, sctx) = (*id, form.into_inner(), auth.req.ctx());
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::update(c, &sctx, id, &inp))
        .await
    {
        Ok(()) => Ok(auth
            .req
            .redirect_ok("/hiring/values", &format!("Saved {}.", input.name.trim()))),
        Err(AppError::Invalid(errors)) => auth.req.form_errors(
            "hiring/values/form",
            "Edit core value",
            &errors,
            json!({"form": input, "action": format!("/hiring/values/{id}/edit"), "editing": true}),
        ),
        Err(e) => Err(e),
    }
}
