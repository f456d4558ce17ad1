//! Pages: the jobs list, the job form with its competencies, and the pipeline board.

use crate::auth::role::{HiringOversight, Recruiting};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, CompetencyId, JobId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::candidates::model as candidates;
use crate::hiring::candidates::rules::human_duration;
use crate::hiring::jobs::model;
use crate::hiring::jobs::rules::{competency_field, CompetencyInput, JobInput};
use crate::hiring::jobs::service;
use crate::hiring::rules::{JobStatus, Stage};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(jobs_page)
        .service(new_job_page)
        .service(create_job)
        .service(board)
        .service(edit_job_page)
        .service(update_job);
}

/// Cards per column of the board.
const CARDS: u32 = 20;
/// Blank competency rows offered below the existing ones.
const BLANK_ROWS: usize = 3;

#[derive(Deserialize)]
struct StatusQuery {
    status: Option<String>,
}

#[get("/hiring/jobs")]
async fn jobs_page(
    auth: Auth<HiringOversight>,
    q: web::Query<StatusQuery>,
) -> AppResult<HttpResponse> {
    let selected = q.status.clone().unwrap_or_default();
    let status = JobStatus::parse(selected.trim());
    let (all, counts) = auth
        .req
        .db(move |c| {
            let all = model::all(c, status)?;
            let ids: Vec<JobId> = all.iter().map(|j| j.id).collect();
            let counts = crate::hiring::candidates::counts::per_job(c, &ids)?;
            Ok((all, counts))
        })
        .await?;
    let rows: Vec<Value> = all
        .iter()
        .map(|j| {
            json!({"job": j, "status_label": j.status().label(), "candidates": counts.get(&j.id).copied().unwrap_or(0)})
        })
        .collect();
    let statuses: Vec<Value> = JobStatus::options()
        .into_iter()
        .map(|mut o| {
            o["selected"] = json!(o["value"] == selected.as_str());
            o
        })
        .collect();
    auth.req.page(
        "hiring/jobs/list",
        "Jobs",
        json!({"jobs": rows, "statuses": statuses, "can_edit": crate::hiring::candidates::view::can_edit(&auth.viewer)}),
    )
}

/// Each competency row is four fields (id, position, name, good) repeated in page order;
/// browsers send them in that order, so the n-th of each belong together.
fn form_input(body: &[u8]) -> JobInput {
    let mut input = JobInput::default();
    let mut ids: Vec<String> = vec![];
    let mut positions: Vec<String> = vec![];
    let mut names: Vec<String> = vec![];
    let mut goods: Vec<String> = vec![];
    for (k, v) in url::form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "title" => input.title = v,
            "department" => input.department = v,
            "location" => input.location = v,
            "description" => input.description = v,
            "hiring_manager_id" => input.hiring_manager_id = v,
            "status" => input.status = v,
            "comp_id" => ids.push(v),
            "comp_position" => positions.push(v),
            "comp_name" => names.push(v),
            "comp_good" => goods.push(v),
            _ => {}
        }
    }
    let rows = names.len().max(goods.len());
    input.competencies = (0..rows)
        .map(|i| CompetencyInput {
            id: ids
                .get(i)
                .and_then(|s| s.trim().parse().ok())
                .map(CompetencyId),
            position: positions.get(i).cloned().unwrap_or_default(),
            name: names.get(i).cloned().unwrap_or_default(),
            good_looks_like: goods.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    input
}

async fn render_form(
    auth: &Auth<Recruiting>,
    editing: Option<JobId>,
    input: JobInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let people = auth.req.db(|c| Ok(model::active_people(c)?)).await?;
    let managers: Vec<Value> = people
        .into_iter()
        .map(|(id, name, email)| {
            json!({"value": id.to_string(), "label": format!("{name} <{email}>"), "selected": id.to_string() == input.hiring_manager_id.trim()})
        })
        .collect();
    let statuses: Vec<Value> = JobStatus::options()
        .into_iter()
        .map(|mut o| {
            o["selected"] = json!(o["value"] == input.status.trim());
            o
        })
        .collect();
    let mut rows: Vec<Value> = input
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({"c": c, "error": errors.as_ref().and_then(|e| e.get(&competency_field(i)))})
        })
        .collect();
    let next_position = input.competencies.len();
    for n in 0..BLANK_ROWS {
        rows.push(json!({"c": {"position": (next_position + n + 1).to_string()}}));
    }
    let (title, action) = match editing {
        Some(id) => ("Edit job", format!("/hiring/jobs/{id}/edit")),
        None => ("New job", "/hiring/jobs/new".to_string()),
    };
    let data = json!({
        "form": input,
        "competencies": rows,
        "managers": managers,
        "statuses": statuses,
        "action": action,
        "editing": editing,
    });
    match errors {
        Some(e) => auth.req.form_errors("hiring/jobs/form", title, &e, data),
        None => auth.req.page("hiring/jobs/form", title, data),
    }
}

#[get("/hiring/jobs/new")]
async fn new_job_page(auth: Auth<Recruiting>) -> AppResult<HttpResponse> {
    let input = JobInput {
        status: JobStatus::Open.as_str().into(),
        ..Default::default()
    };
    render_form(&auth, None, input, None).await
}

#[post("/hiring/jobs/new")]
async fn create_job(auth: Auth<Recruiting>, body: web::Bytes) -> AppResult<HttpResponse> {
    let (input, sctx) = (form_input(&body), auth.req.ctx());
    let inp = input.clone();
    match auth.req.db(move |c| service::create(c, &sctx, &inp)).await {
        Ok(id) => Ok(auth.req.redirect_ok(
            &format!("/hiring/jobs/{id}"),
            &format!("Created {}.", input.title.trim()),
        )),
        Err(AppError::Invalid(errors)) => render_form(&auth, None, input, Some(errors)).await,
        Err(e) => Err(e),
    }
}

#[get("/hiring/jobs/{id}/edit")]
async fn edit_job_page(auth: Auth<Recruiting>, id: web::Path<JobId>) -> AppResult<HttpResponse> {
    let id = *id;
    let (job, comps) = auth
        .req
        .db(move |c| Ok((model::find(c, id)?, model::competencies(c, id)?)))
        .await?;
    let input = JobInput {
        title: job.title,
        department: job.department,
        location: job.location,
        description: job.description,
        hiring_manager_id: job
            .hiring_manager_id
            .map(|m| m.to_string())
            .unwrap_or_default(),
        status: job.status,
        competencies: comps
            .into_iter()
            .map(|c| CompetencyInput {
                id: Some(c.id),
                name: c.name,
                good_looks_like: c.good_looks_like,
                position: c.position.to_string(),
            })
            .collect(),
    };
    render_form(&auth, Some(id), input, None).await
}

#[post("/hiring/jobs/{id}/edit")]
async fn update_job(
    auth: Auth<Recruiting>,
    id: web::Path<JobId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, input, sctx) = (*id, form_input(&body), auth.req.ctx());
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::update(c, &sctx, id, &inp))
        .await
    {
        Ok(()) => Ok(auth
            .req
            .redirect_ok(&format!("/hiring/jobs/{id}"), "Job saved.")),
        Err(AppError::Invalid(errors)) => render_form(&auth, Some(id), input, Some(errors)).await,
        Err(e) => Err(e),
    }
}

/// The pipeline board (templates/hiring/jobs/board.html).
#[derive(askama::Template)]
#[template(path = "hiring/jobs/board.html")]
struct BoardPage<'a> {
    job: &'a model::Job,
    competencies: &'a [model::Competency],
    total: i64,
    columns: Vec<Column>,
    can_edit: bool,
}

/// A stage's column: its count and the cards of the most recently moved.
struct Column {
    stage: Stage,
    count: i64,
    cards: Vec<CardView>,
}

struct CardView {
    id: CandidateId,
    name: String,
    red_flag: bool,
    in_stage: String,
}

/// What the board shows besides the job's own row, kept per job revision
/// (`hiring::KeptPages::boards`): the competencies, the counts and the cards.
pub struct BoardParts {
    competencies: Vec<model::Competency>,
    counts: Vec<(String, i64)>,
    columns: Vec<(Stage, Vec<candidates::Card>)>,
}

fn board_parts(c: &mut crate::db::DbConn, id: JobId) -> diesel::QueryResult<BoardParts> {
    Ok(BoardParts {
        competencies: model::competencies(c, id)?,
        counts: crate::hiring::candidates::counts::for_job(c, id)?,
        columns: candidates::recent_by_stage(c, id, CARDS)?,
    })
}

/// The pipeline board: a column per stage with its count and the most recently moved.
/// Each request reads the job (and its revision); the rest is rebuilt after a change.
#[get("/hiring/jobs/{id}")]
async fn board(auth: Auth<HiringOversight>, id: web::Path<JobId>) -> AppResult<HttpResponse> {
    let id = *id;
    let now = auth.req.state.clock.now();
    let state = auth.req.state.clone();
    let (job, parts) = auth
        .req
        .db(move |c| {
            let job = model::find(c, id)?;
            let parts = state
                .kept_hiring
                .boards
                .get_or_build((id, job.revision), || board_parts(c, id))?;
            Ok((job, parts))
        })
        .await?;
    let counts = &parts.counts;
    let columns = parts
        .columns
        .iter()
        .map(|(stage, cards)| Column {
            count: counts
                .iter()
                .find(|(s, _)| s == stage.as_str())
                .map_or(0, |(_, n)| *n),
            stage: *stage,
            cards: cards
                .iter()
                .map(|card| CardView {
                    id: card.id,
                    name: card.name.clone(),
                    red_flag: card.red_flag,
                    in_stage: human_duration(now - card.stage_entered_at),
                })
                .collect(),
        })
        .collect();
    let page = BoardPage {
        job: &job,
        competencies: &parts.competencies,
        total: counts.iter().map(|(_, n)| n).sum(),
        columns,
        can_edit: crate::hiring::candidates::view::can_edit(&auth.viewer),
    };
    auth.req.compiled_page(&job.title, None, &page)
}
