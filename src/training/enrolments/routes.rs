//! Pages: hires waiting for a cohort (with "Enrol"), and moving a trainee to another
//! cohort.

use crate::auth::model as users;
use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId, HireId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::cohorts::model::{self as cohorts, Cohort};
use crate::training::cohorts::routes::{can_edit, day_label};
use crate::training::enrolments::{model, service};
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(waiting_page)
        .service(enrol)
        .service(move_page)
        .service(move_trainee);
}

/// Rows on the waiting page, and cohorts offered in its pickers.
const WAITING: i64 = 200;
const PICKABLE: i64 = 100;

/// Cohorts a trainee can be put in, as select options.
fn cohort_options(open: &[Cohort], except: Option<CohortId>, selected: &str) -> Vec<Value> {
    open.iter()
        .filter(|c| Some(c.id) != except)
        .map(|c| json!({"value": c.id, "label": format!("{} (starts {})", c.name, day_label(c.start_date)), "selected": c.id.to_string() == selected}))
        .collect()
}

/// A page of the waiting list (after the hire `after`); `problem` is a refused
/// enrolment, shown on that hire's row.
async fn render_waiting(
    auth: &Auth<impl crate::auth::role::Access>,
    after: Option<HireId>,
    problem: Option<(HireId, String)>,
) -> AppResult<HttpResponse> {
    let (mut waiting, open) = auth
        .req
        .db(move |c| {
            Ok((
                model::waiting(c, after, WAITING + 1)?,
                cohorts::open(c, PICKABLE)?,
            ))
        })
        .await?;
    let more = waiting.len() as i64 > WAITING;
    waiting.truncate(WAITING as usize);
    let options = cohort_options(&open, None, "");
    let rows: Vec<Value> = waiting
        .iter()
        .map(|h| {
            let error = problem
                .as_ref()
                .filter(|(id, _)| *id == h.hire_id)
                .map(|(_, m)| m);
            json!({"h": h, "start": day_label(h.start_date), "error": error})
        })
        .collect();
    let data = json!({
        "hires": rows,
        "next": more.then(|| waiting.last().map(|h| h.hire_id)).flatten(),
        "after": after,
        "cohorts": options,
        "can_edit": can_edit(&auth.viewer),
    });
    let title = "Hires waiting for a cohort";
    match problem {
        Some(_) => auth.req.page_with_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "training/cohorts/waiting",
            title,
            data,
        ),
        None => auth.req.page("training/cohorts/waiting", title, data),
    }
}

#[derive(Deserialize)]
struct WaitingQuery {
    after: Option<HireId>,
}

#[get("/training/hires/waiting")]
async fn waiting_page(
    auth: Auth<TrainingOversight>,
    q: web::Query<WaitingQuery>,
) -> AppResult<HttpResponse> {
    render_waiting(&auth, q.after, None).await
}

#[derive(Deserialize)]
struct EnrolForm {
    hire_id: HireId,
    #[serde(default)]
    cohort_id: String,
    /// The page of the waiting list the form was on, shown again on a refusal.
    after: Option<HireId>,
}

fn first_message(errors: &FieldErrors) -> String {
    errors.values().next().cloned().unwrap_or_default()
}

#[post("/training/enrolments")]
async fn enrol(auth: Auth<Training>, form: web::Form<EnrolForm>) -> AppResult<HttpResponse> {
    let (hire, page) = (form.hire_id, form.after);
    let Ok(cohort) = form.cohort_id.trim().parse().map(CohortId) else {
        return render_waiting(&auth, page, Some((hire, "Choose a cohort.".into()))).await;
    };
    let sctx = auth.req.ctx();
    match auth
        .req
        .db(move |c| service::enrol(c, &sctx, hire, cohort))
        .await
    {
        Ok(_) => Ok(auth.req.redirect_ok(
            &format!("/training/cohorts/{cohort}"),
            "Enrolled; the trainee is on the roster.",
        )),
        Err(AppError::Invalid(errors)) => {
            render_waiting(&auth, page, Some((hire, first_message(&errors)))).await
        }
        Err(AppError::Conflict(messages)) => {
            render_waiting(&auth, page, Some((hire, messages.join(" ")))).await
        }
        Err(e) => Err(e),
    }
}

/// The move form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct MoveForm {
    #[serde(default)]
    cohort_id: String,
    #[serde(default)]
    reason: String,
}

async fn render_move(
    auth: &Auth<Training>,
    id: EnrolmentId,
    form: MoveForm,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let (enrolment, trainee, cohort, open) = auth
        .req
        .db(move |c| {
            let e = model::find(c, id)?;
            let trainee = users::find(c, e.user_id)?;
            let cohort = cohorts::find(c, e.cohort_id)?;
            Ok((e, trainee, cohort, cohorts::open(c, PICKABLE)?))
        })
        .await?;
    if !enrolment.is_active() {
        return Err(AppError::Conflict(vec![
            "Only a trainee still in training can be moved.".into(),
        ]));
    }
    let title = format!("Move {}", trainee.name);
    let data = json!({
        "trainee": trainee.name,
        "cohort": cohort,
        "enrolment_id": id,
        "cohorts": cohort_options(&open, Some(cohort.id), form.cohort_id.trim()),
        "form": form,
    });
    match errors {
        Some(e) => auth
            .req
            .form_errors("training/cohorts/move", &title, &e, data),
        None => auth.req.page("training/cohorts/move", &title, data),
    }
}

#[get("/training/enrolments/{id}/move")]
async fn move_page(auth: Auth<Training>, id: web::Path<EnrolmentId>) -> AppResult<HttpResponse> {
    render_move(&auth, *id, MoveForm::default(), None).await
}

#[post("/training/enrolments/{id}/move")]
async fn move_trainee(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    form: web::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (*id, form.into_inner());
    let Ok(to) = form.cohort_id.trim().parse().map(CohortId) else {
        let errors = FieldErrors::from([("cohort_id".into(), "Choose a cohort.".into())]);
        return render_move(&auth, id, form, Some(errors)).await;
    };
    let (sctx, reason) = (auth.req.ctx(), form.reason.clone());
    match auth
        .req
        .db(move |c| service::move_to(c, &sctx, id, to, &reason))
        .await
    {
        Ok(_) => Ok(auth.req.redirect_ok(
            &format!("/training/cohorts/{to}"),
            "Moved; the trainee is on this roster now.",
        )),
        Err(AppError::Invalid(errors)) => render_move(&auth, id, form, Some(errors)).await,
        Err(e) => Err(e),
    }
}
