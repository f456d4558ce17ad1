//! Pages: the cohort list, the new and edit forms, and the cohort page with its schedule
//! and roster.

use crate::auth::model as users;
use crate::auth::role::{Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, CurriculumId, UserId};
use crate::error::{AppError, AppResult, FieldErrors, NO_ERRORS};
use crate::training::cohorts::rules::{CohortInput, ListQuery};
use crate::training::cohorts::{model, service, view};
use crate::training::curricula::model as curricula;
use crate::training::enrolments::model as enrolments;
use crate::training::rules::CohortStatus;
use crate::web::choice::Choice;
use crate::web::context::Viewer;
use actix_web::{get, post, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page)
        .service(new_page)
        .service(create)
        .service(cohort_page)
        .service(edit_page)
        .service(update);
}

/// Trainers and admins change cohorts; HR reads them.
pub fn can_edit(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Trainer, Role::Admin])
}

/// "Mon 2027-03-01": the weekday matters when reading a schedule. Written from the parts,
/// not `format("%a %Y-%m-%d")`: a roster labels 200 dates, and a format string is parsed
/// again on every call.
pub fn day_label(d: NaiveDate) -> String {
    format!("{} {d}", d.weekday())
}

/// The cohort list with its filters (templates/training/cohorts/list.html).
#[derive(askama::Template)]
#[template(path = "training/cohorts/list.html")]
struct ListPage<'a> {
    q: &'a ListQuery,
    errors: &'a FieldErrors,
    rows: &'a [view::ListItem],
    statuses: Vec<Choice>,
    first: String,
    next: Option<String>,
    /// Past the first page.
    paged: bool,
    can_edit: bool,
}

#[get("/training/cohorts")]
async fn list_page(
    auth: Auth<TrainingOversight>,
    req: actix_web::HttpRequest,
) -> AppResult<HttpResponse> {
    // Read by hand: a malformed query is shown as messages next to the filters.
    let q: ListQuery = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let checked = q.check();
    let filter = checked.clone().ok();
    let today = auth.req.state.clock.now().date();
    let state = auth.req.state.clone();
    let page = auth
        .req
        .db(move |c| match &filter {
            Some(f) => Ok(Some(view::list(
                c,
                &state.kept_training.listings,
                f,
                today,
            )?)),
            None => Ok(None),
        })
        .await?;
    let base = q.filters_query();
    let next = page.as_ref().and_then(|p| p.next_cursor.clone()).map(|c| {
        let sep = if base.is_empty() { "" } else { "&" };
        format!("/training/cohorts?{base}{sep}cursor={c}")
    });
    let errors = checked.err();
    let list = ListPage {
        q: &q,
        errors: errors.as_ref().unwrap_or(&NO_ERRORS),
        rows: page.as_ref().map_or(&[], |p| &p.items),
        statuses: Choice::list(
            CohortStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
            q.status.as_deref().unwrap_or(""),
        ),
        first: format!("/training/cohorts?{base}"),
        next,
        paged: q.cursor.as_deref().is_some_and(|c| !c.is_empty()),
        can_edit: can_edit(&auth.viewer),
    };
    auth.req.compiled_page("Cohorts", errors.as_ref(), &list)
}

/// The cohort form's fields; trainers is a multi-select, so its values repeat.
fn form_input(body: &[u8]) -> CohortInput {
    let mut input = CohortInput::default();
    for (k, v) in url::form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "name" => input.name = v,
            "start_date" => input.start_date = v,
            "capacity" => input.capacity = v,
            "curriculum_id" => input.curriculum_id = v.trim().parse().ok().map(CurriculumId),
            // An id that is not a number is no trainer; the service names the field.
            "trainer_ids" => input
                .trainer_ids
                .push(UserId(v.trim().parse().unwrap_or(0))),
            _ => {}
        }
    }
    input
}

async fn render_form(
    auth: &Auth<Training>,
    editing: Option<(CohortId, bool)>,
    input: CohortInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let (templates, trainers) = auth
        .req
        .db(|c| {
            Ok((
                curricula::all(c)?,
                users::active_with_role(c, Role::Trainer)?,
            ))
        })
        .await?;
    let chosen_template = input.curriculum_id.unwrap_or(service::DEFAULT_CURRICULUM);
    let templates: Vec<Value> = templates
        .iter()
        .map(|t| json!({"value": t.id, "label": format!("{} ({} weeks)", t.name, t.weeks), "selected": t.id == chosen_template}))
        .collect();
    let trainers: Vec<Value> = trainers
        .into_iter()
        .map(|(id, name, email)| json!({"value": id, "label": format!("{name} <{email}>"), "selected": input.trainer_ids.contains(&id)}))
        .collect();
    let (title, action) = match editing {
        Some((id, _)) => ("Edit cohort", format!("/training/cohorts/{id}/edit")),
        None => ("New cohort", "/training/cohorts/new".to_string()),
    };
    let data = json!({
        "form": input,
        "templates": templates,
        "trainers": trainers,
        "action": action,
        "editing": editing.map(|e| e.0),
        "start_locked": editing.is_some_and(|e| e.1),
    });
    match errors {
        Some(e) => auth
            .req
            .form_errors("training/cohorts/form", title, &e, data),
        None => auth.req.page("training/cohorts/form", title, data),
    }
}

#[get("/training/cohorts/new")]
async fn new_page(auth: Auth<Training>) -> AppResult<HttpResponse> {
    let input = CohortInput {
        trainer_ids: vec![auth.viewer.user_id],
        ..Default::default()
    };
    render_form(&auth, None, input, None).await
}

#[post("/training/cohorts/new")]
async fn create(auth: Auth<Training>, body: web::Bytes) -> AppResult<HttpResponse> {
    let (input, sctx) = (form_input(&body), auth.req.ctx());
    let inp = input.clone();
    match auth.req.db(move |c| service::create(c, &sctx, &inp)).await {
        Ok(id) => Ok(auth.req.redirect_ok(
            &format!("/training/cohorts/{id}"),
            &format!("Created {}.", input.name.trim()),
        )),
        Err(AppError::Invalid(errors)) => render_form(&auth, None, input, Some(errors)).await,
        Err(e) => Err(e),
    }
}

/// Whether the start date can no longer move: started, or attendance taken.
fn start_locked(c: &mut crate::db::DbConn, id: CohortId, today: NaiveDate) -> AppResult<bool> {
    let cohort = model::find(c, id)?;
    Ok(cohort.status(today) != CohortStatus::Planned || model::has_attendance(c, id)?)
}

#[get("/training/cohorts/{id}/edit")]
async fn edit_page(auth: Auth<Training>, id: web::Path<CohortId>) -> AppResult<HttpResponse> {
    let id = *id;
    let today = auth.req.state.clock.now().date();
    let (cohort, trainers, locked) = auth
        .req
        .db(move |c| {
            Ok((
                model::find(c, id)?,
                model::trainers(c, id)?,
                start_locked(c, id, today)?,
            ))
        })
        .await?;
    let input = CohortInput {
        name: cohort.name,
        start_date: cohort.start_date.to_string(),
        capacity: cohort.capacity.to_string(),
        curriculum_id: cohort.curriculum_id,
        trainer_ids: trainers.iter().map(|t| t.id).collect(),
    };
    render_form(&auth, Some((id, locked)), input, None).await
}

#[post("/training/cohorts/{id}/edit")]
async fn update(
    auth: Auth<Training>,
    id: web::Path<CohortId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, input, sctx) = (*id, form_input(&body), auth.req.ctx());
    let today = sctx.now.date();
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::update(c, &sctx, id, &inp))
        .await
    {
        Ok(()) => Ok(auth
            .req
            .redirect_ok(&format!("/training/cohorts/{id}"), "Cohort saved.")),
        Err(AppError::Invalid(errors)) => {
            let locked = auth.req.db(move |c| start_locked(c, id, today)).await?;
            render_form(&auth, Some((id, locked)), input, Some(errors)).await
        }
        Err(e) => Err(e),
    }
}

/// A cohort's page: its facts, roster and schedule (templates/training/cohorts/show.html).
#[derive(askama::Template)]
#[template(path = "training/cohorts/show.html")]
struct CohortPage<'a> {
    cohort: &'a model::Cohort,
    status: CohortStatus,
    first_day: String,
    last_day: String,
    target: String,
    trainers: &'a [model::Trainer],
    roster: Vec<RosterView<'a>>,
    weeks: Vec<WeekView<'a>>,
    can_edit: bool,
}

struct RosterView<'a> {
    row: &'a enrolments::RosterRow,
    /// A late joiner's first date; None for those who start on day 1.
    first_date: Option<String>,
}

struct WeekView<'a> {
    week: i64,
    days: Vec<DayView<'a>>,
}

struct DayView<'a> {
    number: i64,
    date: String,
    today: bool,
    modules: Vec<&'a model::CohortModule>,
}

/// What the cohort page shows from rows other than the cohort's own, kept per cohort
/// revision (`KeptPages::cohort_pages`).
pub struct CohortParts {
    modules: Vec<model::CohortModule>,
    trainers: Vec<model::Trainer>,
    roster: Vec<enrolments::RosterRow>,
}

/// The cohort page: its rules, the schedule week by week and the roster.
#[get("/training/cohorts/{id}")]
async fn cohort_page(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let today = auth.req.state.clock.now().date();
    let state = auth.req.state.clone();
    let (cohort, parts) = auth
        .req
        .db(move |c| {
            let cohort = model::find(c, id)?;
            let parts =
                state
                    .kept_training
                    .cohort_pages
                    .get_or_build((id, cohort.revision), || {
                        Ok::<_, diesel::result::Error>(CohortParts {
                            modules: model::modules(c, id)?,
                            trainers: model::trainers(c, id)?,
                            roster: enrolments::roster(c, id)?,
                        })
                    })?;
            Ok((cohort, parts))
        })
        .await?;
    let days = cohort.days()?;
    let CohortParts {
        modules,
        trainers,
        roster,
    } = &*parts;
    let mut weeks: Vec<WeekView> = vec![];
    for (i, date) in days.iter().enumerate() {
        let number = i as i64 + 1;
        let (week, day) = cohort.week_and_day(number);
        let row = DayView {
            number,
            date: day_label(*date),
            today: *date == today,
            modules: modules
                .iter()
                .filter(|m| m.week == week && m.day == day)
                .collect(),
        };
        match weeks.last_mut() {
            Some(w) if w.week == week => w.days.push(row),
            _ => weeks.push(WeekView {
                week,
                days: vec![row],
            }),
        }
    }
    let roster = roster
        .iter()
        .map(|r| RosterView {
            row: r,
            first_date: usize::try_from(r.first_day - 1)
                .ok()
                .filter(|_| r.first_day > 1)
                .and_then(|i| days.get(i))
                .copied()
                .map(day_label),
        })
        .collect();
    let label = |d: Option<&NaiveDate>| d.copied().map(day_label).unwrap_or_default();
    let page = CohortPage {
        cohort: &cohort,
        status: cohort.status(today),
        first_day: label(days.first()),
        last_day: label(days.last()),
        target: crate::training::rules::hours(cohort.live_call_target_minutes),
        trainers,
        roster,
        weeks,
        can_edit: can_edit(&auth.viewer),
    };
    auth.req.compiled_page(&cohort.name, None, &page)
}
