//! Pages: the candidate list, new/edit forms, stage moves and the candidate page.

use crate::auth::role::{HiringOversight, HiringStaff, Recruiting};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, JobId};
use crate::error::{AppError, AppResult, FieldErrors, NO_ERRORS};
use crate::hiring::candidates::rules::{human_duration, CandidateInput, ListQuery};
use crate::hiring::candidates::{model, records, service, view};
use crate::hiring::decision::model::{Ending, FinalMove};
use crate::hiring::jobs::model as jobs;
use crate::hiring::observations;
use crate::hiring::rules::{Source, Stage};
use crate::web::choice::Choice;
use crate::web::context::Viewer;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page)
        .service(new_page)
        .service(create)
        .service(candidate_page)
        .service(edit_page)
        .service(update)
        .service(move_stage);
}

fn job_options(all: &[jobs::JobChoice], selected: &str) -> Vec<Choice> {
    Choice::list(
        all.iter()
            .map(|j| (j.id.to_string(), format!("{} ({})", j.title, j.location))),
        selected,
    )
}

fn source_options(selected: &str) -> Vec<Choice> {
    Choice::list(
        Source::ALL.iter().map(|s| (s.as_str(), s.label())),
        selected,
    )
}

/// The candidate list with its filters (templates/hiring/candidates/list.html).
#[derive(askama::Template)]
#[template(path = "hiring/candidates/list.html")]
struct ListPage<'a> {
    q: &'a ListQuery,
    errors: &'a FieldErrors,
    rows: &'a [view::ListItem],
    jobs: Vec<Choice>,
    stages: Vec<Choice>,
    sources: Vec<Choice>,
    sorts: Vec<Choice>,
    first: String,
    next: Option<String>,
    /// Past the first page.
    paged: bool,
    can_edit: bool,
}

#[get("/hiring/candidates")]
async fn list_page(
    auth: Auth<HiringOversight>,
    req: actix_web::HttpRequest,
) -> AppResult<HttpResponse> {
    // Read by hand: a malformed query is shown as messages next to the filters.
    let q: ListQuery = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let checked = q.check();
    let filter = checked.clone().ok();
    let state = auth.req.state.clone();
    let (page, all_jobs) = auth
        .req
        .db(move |c| {
            let all_jobs = jobs::choices(c)?;
            let page = match &filter {
                Some(f) => Some(view::list_kept(
                    c,
                    &state.kept_hiring.job_lists,
                    f,
                    &all_jobs,
                )?),
                None => None,
            };
            Ok((page, all_jobs))
        })
        .await?;
    let base = q.filters_query();
    let next = page.as_ref().and_then(|p| p.next_cursor.clone()).map(|c| {
        let sep = if base.is_empty() { "" } else { "&" };
        format!("/hiring/candidates?{base}{sep}cursor={c}")
    });
    let sorts = [
        ("newest", "Newest applied"),
        ("oldest", "Oldest applied"),
        ("name", "Name"),
    ];
    let errors = checked.err();
    let list = ListPage {
        q: &q,
        errors: errors.as_ref().unwrap_or(&NO_ERRORS),
        rows: page.as_ref().map_or(&[], |p| &p.items),
        jobs: job_options(&all_jobs, q.job.as_deref().unwrap_or("")),
        stages: Choice::list(
            Stage::ALL.iter().map(|s| (s.as_str(), s.label())),
            q.stage.as_deref().unwrap_or(""),
        ),
        sources: source_options(q.source.as_deref().unwrap_or("")),
        sorts: Choice::list(sorts, q.sort.as_deref().unwrap_or("")),
        first: format!("/hiring/candidates?{base}"),
        next,
        paged: q.cursor.as_deref().is_some_and(|c| !c.is_empty()),
        can_edit: view::can_edit(&auth.viewer),
    };
    auth.req.compiled_page("Candidates", errors.as_ref(), &list)
}

/// The candidate form: a record plus the job applied for.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct CandidateForm {
    #[serde(default)]
    job_id: String,
    #[serde(flatten)]
    input: CandidateInput,
}

impl CandidateForm {
    fn job(&self) -> Option<JobId> {
        self.job_id.trim().parse().ok().map(JobId)
    }
}

async fn render_form(
    auth: &Auth<Recruiting>,
    editing: Option<CandidateId>,
    form: CandidateForm,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    // A duplicate email links to the candidate who already has it.
    let email = crate::auth::rules::normalize_email(&form.input.email);
    let check_dup = errors.as_ref().is_some_and(|e| e.contains_key("email"));
    let (all_jobs, duplicate) = auth
        .req
        .db(move |c| {
            let dup = if check_dup {
                model::find_by_email(c, &email, editing)?
            } else {
                None
            };
            Ok((jobs::choices(c)?, dup))
        })
        .await?;
    let (title, action) = match editing {
        Some(id) => ("Edit candidate", format!("/hiring/candidates/{id}/edit")),
        None => ("Add a candidate", "/hiring/candidates/new".to_string()),
    };
    let data = json!({
        "form": form,
        "action": action,
        "editing": editing,
        "duplicate": duplicate,
        "jobs": job_options(&all_jobs, form.job_id.trim()),
        "sources": source_options(form.input.source.trim()),
    });
    match errors {
        Some(e) => auth
            .req
            .form_errors("hiring/candidates/form", title, &e, data),
        None => auth.req.page("hiring/candidates/form", title, data),
    }
}

#[derive(Deserialize)]
struct NewQuery {
    job: Option<String>,
}

#[get("/hiring/candidates/new")]
async fn new_page(auth: Auth<Recruiting>, q: web::Query<NewQuery>) -> AppResult<HttpResponse> {
    let form = CandidateForm {
        job_id: q.job.clone().unwrap_or_default(),
        input: CandidateInput {
            source: Source::CareersPage.as_str().into(),
            ..Default::default()
        },
    };
    render_form(&auth, None, form, None).await
}

#[post("/hiring/candidates/new")]
async fn create(auth: Auth<Recruiting>, form: web::Form<CandidateForm>) -> AppResult<HttpResponse> {
    let (form, sctx) = (form.into_inner(), auth.req.ctx());
    let f = form.clone();
    match auth
        .req
        .db(move |c| service::create(c, &sctx, f.job(), &f.input))
        .await
    {
        Ok(id) => Ok(auth.req.redirect_ok(
            &format!("/hiring/candidates/{id}"),
            &format!("Added {}.", form.input.name.trim()),
        )),
        Err(AppError::Invalid(errors)) => render_form(&auth, None, form, Some(errors)).await,
        Err(e) => Err(e),
    }
}

#[get("/hiring/candidates/{id}/edit")]
async fn edit_page(auth: Auth<Recruiting>, id: web::Path<CandidateId>) -> AppResult<HttpResponse> {
    let id = *id;
    let c = auth.req.db(move |c| Ok(model::find(c, id)?)).await?;
    let form = CandidateForm {
        job_id: c.job_id.to_string(),
        input: CandidateInput {
            name: c.name,
            email: c.email,
            phone: c.phone,
            source: c.source,
            resume_text: c.resume_text,
            resume_url: c.resume_url,
            notes: c.notes,
        },
    };
    render_form(&auth, Some(id), form, None).await
}

#[post("/hiring/candidates/{id}/edit")]
async fn update(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    form: web::Form<CandidateForm>,
) -> AppResult<HttpResponse> {
    let (id, form, sctx) = (*id, form.into_inner(), auth.req.ctx());
    let f = form.clone();
    match auth
        .req
        .db(move |c| service::update(c, &sctx, id, f.job(), &f.input))
        .await
    {
        Ok(()) => Ok(auth
            .req
            .redirect_ok(&format!("/hiring/candidates/{id}"), "Candidate saved.")),
        Err(AppError::Invalid(errors)) => render_form(&auth, Some(id), form, Some(errors)).await,
        Err(e) => Err(e),
    }
}

/// Everything the candidate page shows, for this viewer; Forbidden unless they may see it.
/// Each request reads the candidate with their job and the revisions; the records behind
/// the sections are rebuilt only after a change (`records`).
async fn candidate_data(
    auth: &Auth<HiringStaff>,
    id: CandidateId,
    move_form: Value,
) -> AppResult<Value> {
    let sctx = auth.req.ctx();
    let viewer: Viewer = auth.viewer.clone();
    let state = auth.req.state.clone();
    auth.req
        .db(move |c| {
            let (candidate, job, people) = model::find_for_page(c, id)?;
            let records = state
                .kept_hiring
                .candidates
                .get_or_build((id, candidate.revision, people), || records::load(c, id))?;
            let file = &records.file;
            if !model::visible_in(&viewer, &job, file) {
                return Err(AppError::Forbidden);
            }
            let history = view::history_of(&records.history, &viewer, sctx.now);
            let observed = &records.observed;
            let flags = observations::model::count_unacknowledged(observed.iter().map(|(o, _)| o));
            let interviews =
                crate::hiring::interviews::routes::panel(&sctx, &viewer, &candidate, file);
            let scorecards = crate::hiring::scorecards::routes::panel(&sctx, &viewer, file);
            let observations = observations::routes::panel(
                &sctx,
                &viewer,
                &candidate,
                file,
                observed,
                &records.links,
            );
            let ending = candidate.stage().is_final().then(|| Ending {
                hire: records.hire.clone(),
                last_move: records.history.last().map(FinalMove::from),
            });
            let decision = crate::hiring::decision::routes::panel(
                &sctx,
                &viewer,
                &candidate,
                &job.title,
                (file, flags),
                ending,
            );
            let stage = candidate.stage();
            let history: Vec<Value> = history
                .iter()
                .map(|h| {
                    json!({
                        "h": h,
                        "label": view::stage_label(&h.stage),
                        "entered": h.entered_at.format("%Y-%m-%d %H:%M").to_string(),
                        "spent": human_duration(chrono::Duration::seconds(h.seconds)),
                    })
                })
                .collect();
            let can_move = view::can_edit(&viewer) && !stage.is_final();
            // Unless the form came back with a choice, offer the next stage in the pipeline.
            let next = Stage::OPEN.iter().skip_while(|s| **s != stage).nth(1).copied();
            let chosen = move_form["stage"].as_str().and_then(Stage::parse).or(next);
            let targets: Vec<Value> = Stage::OPEN
                .iter()
                .filter(|s| **s != stage)
                .map(|s| json!({"value": s.as_str(), "label": s.label(), "selected": Some(*s) == chosen}))
                .collect();
            let in_stage = human_duration(sctx.now - candidate.stage_entered_at);
            Ok(json!({
                "candidate": candidate,
                "notes": view::sees_notes(&viewer).then(|| candidate.notes.clone()),
                "sees_notes": view::sees_notes(&viewer),
                "job": job,
                "source_label": view::source_label(&candidate.source),
                "stage_label": stage.label(),
                "is_final": stage.is_final(),
                "in_stage": in_stage,
                "applied": candidate.applied_at.format("%Y-%m-%d").to_string(),
                "history": history,
                "can_edit": view::can_edit(&viewer),
                "can_move": can_move,
                "targets": targets,
                "move": move_form,
                "interviews": interviews,
                "scorecards": scorecards,
                "observations": observations,
                "decision": decision,
            }))
        })
        .await
}

#[get("/hiring/candidates/{id}")]
async fn candidate_page(
    auth: Auth<HiringStaff>,
    id: web::Path<CandidateId>,
) -> AppResult<HttpResponse> {
    let data = candidate_data(&auth, *id, json!({})).await?;
    let title = data["candidate"]["name"]
        .as_str()
        .unwrap_or("Candidate")
        .to_string();
    auth.req.page("hiring/candidates/show", &title, data)
}

#[derive(Deserialize, Serialize)]
struct MoveForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    note: String,
}

#[post("/hiring/candidates/{id}/stage")]
async fn move_stage(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    form: web::Form<MoveForm>,
    req: actix_web::HttpRequest,
) -> AppResult<HttpResponse> {
    let (id, form, sctx) = (*id, form.into_inner(), auth.req.ctx());
    let (to, note) = (form.stage.clone(), form.note.clone());
    match auth
        .req
        .db(move |c| service::move_stage(c, &sctx, id, &to, &note))
        .await
    {
        Ok(()) => Ok(auth.req.redirect_ok(
            &format!("/hiring/candidates/{id}"),
            &format!(
                "Moved to {}.",
                Stage::parse(&form.stage).map(Stage::label).unwrap_or("")
            ),
        )),
        Err(AppError::Invalid(errors)) => {
            // Re-render the candidate page with the message next to the stage field.
            let staff: Auth<HiringStaff> =
                <Auth<HiringStaff> as actix_web::FromRequest>::extract(&req).await?;
            let mut data = candidate_data(&staff, id, json!(form)).await?;
            data["errors"] = json!(errors);
            let title = data["candidate"]["name"]
                .as_str()
                .unwrap_or("Candidate")
                .to_string();
            staff.req.page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "hiring/candidates/show",
                &title,
                data,
            )
        }
        Err(e) => Err(e),
    }
}
