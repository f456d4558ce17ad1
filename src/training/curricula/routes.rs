//! Pages: the template list, a template with its modules, and the template form (new as
//! a copy of an existing template, or edit) with its repeated module rows.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::CurriculumId;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::cohorts::routes::can_edit;
use crate::training::cohorts::service::DEFAULT_CURRICULUM;
use crate::training::curricula::model::{self, Curriculum, CurriculumModule};
use crate::training::curricula::rules::{hours_text, module_field, CurriculumInput, ModuleInput};
use crate::training::curricula::service;
use crate::training::rules::{hours, ModuleKind};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page)
        .service(new_page)
        .service(create)
        .service(show_page)
        .service(edit_page)
        .service(update);
}

/// Blank module rows offered below the filled ones; "Add rows" offers this many more.
const BLANK_ROWS: usize = 3;

fn kind_label(kind: &str) -> &'static str {
    ModuleKind::parse(kind).map_or("", ModuleKind::label)
}

#[get("/training/curricula")]
async fn list_page(auth: Auth<TrainingOversight>) -> AppResult<HttpResponse> {
    let all = auth.req.db(|c| Ok(model::all(c)?)).await?;
    let rows: Vec<Value> = all
        .iter()
        .map(|t| json!({"t": t, "target": hours(t.live_call_target_minutes)}))
        .collect();
    auth.req.page(
        "training/curricula/list",
        "Curriculum templates",
        json!({"templates": rows, "can_edit": can_edit(&auth.viewer)}),
    )
}

#[get("/training/curricula/{id}")]
async fn show_page(
    auth: Auth<TrainingOversight>,
    id: web::Path<CurriculumId>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let (t, modules) = auth
        .req
        .db(move |c| Ok((model::find(c, id)?, model::modules(c, id)?)))
        .await?;
    let modules: Vec<Value> = modules
        .iter()
        .map(|m| json!({"m": m, "kind_label": kind_label(&m.kind)}))
        .collect();
    let title = t.name.clone();
    auth.req.page(
        "training/curricula/show",
        &title,
        json!({"t": t, "target": hours(t.live_call_target_minutes), "modules": modules, "can_edit": can_edit(&auth.viewer)}),
    )
}

/// Module rows are seven fields repeated in page order; browsers send them in that
/// order, so the n-th of each belong together.
fn form_input(body: &[u8]) -> (CurriculumInput, bool) {
    let mut input = CurriculumInput::default();
    let mut add_rows = false;
    let mut columns: [Vec<String>; 7] = Default::default();
    for (k, v) in url::form_urlencoded::parse(body) {
        let v = v.into_owned();
        let column = match k.as_ref() {
            "name" => {
                input.name = v;
                continue;
            }
            "description" => {
                input.description = v;
                continue;
            }
            "weeks" => {
                input.weeks = v;
                continue;
            }
            "days_per_week" => {
                input.days_per_week = v;
                continue;
            }
            "live_call_target_hours" => {
                input.live_call_target_hours = v;
                continue;
            }
            "max_unexcused_absences" => {
                input.max_unexcused_absences = v;
                continue;
            }
            "max_lates" => {
                input.max_lates = v;
                continue;
            }
            "day_minutes" => {
                input.day_minutes = v;
                continue;
            }
            "add_rows" => {
                add_rows = true;
                continue;
            }
            "m_week" => 0,
            "m_day" => 1,
            "m_position" => 2,
            "m_title" => 3,
            "m_kind" => 4,
            "m_description" => 5,
            "m_pass_mark" => 6,
            _ => continue,
        };
        columns[column].push(v);
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |c: usize, i: usize| columns[c].get(i).cloned().unwrap_or_default();
    input.modules = (0..rows)
        .map(|i| ModuleInput {
            week: cell(0, i),
            day: cell(1, i),
            position: cell(2, i),
            title: cell(3, i),
            kind: cell(4, i),
            description: cell(5, i),
            pass_mark: cell(6, i),
        })
        .collect();
    (input, add_rows)
}

/// A saved template as the form shows it.
fn input_of(t: Curriculum, modules: Vec<CurriculumModule>) -> CurriculumInput {
    CurriculumInput {
        name: t.name,
        description: t.description,
        weeks: t.weeks.to_string(),
        days_per_week: t.days_per_week.to_string(),
        live_call_target_hours: hours_text(t.live_call_target_minutes),
        max_unexcused_absences: t.max_unexcused_absences.to_string(),
        max_lates: t.max_lates.to_string(),
        day_minutes: t.day_minutes.to_string(),
        modules: modules
            .into_iter()
            .map(|m| ModuleInput {
                week: m.week.to_string(),
                day: m.day.to_string(),
                position: m.position.to_string(),
                title: m.title,
                kind: m.kind,
                description: m.description,
                pass_mark: m.pass_mark.map(|p| p.to_string()).unwrap_or_default(),
            })
            .collect(),
    }
}

fn render_form(
    auth: &Auth<Training>,
    editing: Option<CurriculumId>,
    input: CurriculumInput,
    blank_rows: usize,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let row = |m: &ModuleInput, error: Option<&String>| {
        let kinds: Vec<Value> = ModuleKind::options()
            .into_iter()
            .map(|mut o| {
                o["selected"] = json!(o["value"] == m.kind.trim());
                o
            })
            .collect();
        json!({"m": m, "kinds": kinds, "error": error})
    };
    let mut rows: Vec<Value> = input
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| row(m, errors.as_ref().and_then(|e| e.get(&module_field(i)))))
        .collect();
    for _ in 0..blank_rows {
        rows.push(row(&ModuleInput::default(), None));
    }
    let (title, action) = match editing {
        Some(id) => (
            "Edit curriculum template",
            format!("/training/curricula/{id}/edit"),
        ),
        None => (
            "New curriculum template",
            "/training/curricula/new".to_string(),
        ),
    };
    let data = json!({"form": input, "modules": rows, "action": action, "editing": editing});
    match errors {
        Some(e) => auth
            .req
            .form_errors("training/curricula/form", title, &e, data),
        None => auth.req.page("training/curricula/form", title, data),
    }
}

#[derive(Deserialize)]
struct CopyQuery {
    from: Option<CurriculumId>,
}

/// A new template starts as a copy of an existing one (the default unless `from` says).
#[get("/training/curricula/new")]
async fn new_page(auth: Auth<Training>, q: web::Query<CopyQuery>) -> AppResult<HttpResponse> {
    let from = q.from.unwrap_or(DEFAULT_CURRICULUM);
    let (t, modules) = auth
        .req
        .db(move |c| Ok((model::find(c, from)?, model::modules(c, from)?)))
        .await?;
    let mut input = input_of(t, modules);
    input.name = format!("Copy of {}", input.name);
    render_form(&auth, None, input, BLANK_ROWS, None)
}

#[post("/training/curricula/new")]
async fn create(auth: Auth<Training>, body: web::Bytes) -> AppResult<HttpResponse> {
    let (input, add_rows) = form_input(&body);
    if add_rows {
        return render_form(&auth, None, input, 2 * BLANK_ROWS, None);
    }
    let (sctx, inp) = (auth.req.ctx(), input.clone());
    match auth.req.db(move |c| service::create(c, &sctx, &inp)).await {
        Ok(id) => Ok(auth.req.redirect_ok(
            &format!("/training/curricula/{id}"),
            &format!("Created {}.", input.name.trim()),
        )),
        Err(AppError::Invalid(errors)) => render_form(&auth, None, input, BLANK_ROWS, Some(errors)),
        Err(e) => Err(e),
    }
}

#[get("/training/curricula/{id}/edit")]
async fn edit_page(auth: Auth<Training>, id: web::Path<CurriculumId>) -> AppResult<HttpResponse> {
    let id = *id;
    let (t, modules) = auth
        .req
        .db(move |c| Ok((model::find(c, id)?, model::modules(c, id)?)))
        .await?;
    render_form(&auth, Some(id), input_of(t, modules), BLANK_ROWS, None)
}

#[post("/training/curricula/{id}/edit")]
async fn update(
    auth: Auth<Training>,
    id: web::Path<CurriculumId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = *id;
    let (input, add_rows) = form_input(&body);
    if add_rows {
        return render_form(&auth, Some(id), input, 2 * BLANK_ROWS, None);
    }
    let (sctx, inp) = (auth.req.ctx(), input.clone());
    match auth
        .req
        .db(move |c| service::update(c, &sctx, id, &inp))
        .await
    {
        Ok(()) => Ok(auth.req.redirect_ok(
            &format!("/training/curricula/{id}"),
            "Template saved. Existing cohorts keep the copy they started with.",
        )),
        Err(AppError::Invalid(errors)) => {
            render_form(&auth, Some(id), input, BLANK_ROWS, Some(errors))
        }
        Err(e) => Err(e),
    }
}
