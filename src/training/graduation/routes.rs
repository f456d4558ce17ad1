//! Pages: a cohort's graduation board with its actions, and a graduate's printable page.

use crate::auth::role::{AnyUser, Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::graduation::{model, service};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(board_page)
        .service(graduate_ticked)
        .service(let_go)
        .service(move_later)
        .service(graduate_page);
}

fn board_path(id: CohortId) -> String {
    format!("/training/cohorts/{id}/graduation")
}

/// A let-go or move form that came back with errors, shown again in its row.
struct Failed {
    enrolment_id: EnrolmentId,
    errors: FieldErrors,
    typed: Value,
}

async fn render(
    auth: &Auth<impl crate::auth::role::Access>,
    id: CohortId,
    failed: Option<Failed>,
) -> AppResult<HttpResponse> {
    let today = auth.req.ctx().today();
    let (board, later) = auth
        .req
        .db(move |c| {
            let board = model::board(c, id, today)?;
            let later = model::later_cohorts(c, &board.cohort)?;
            Ok((board, later))
        })
        .await?;
    let can_act =
        auth.viewer.has_any(&[Role::Trainer, Role::Admin]) && board.cohort.graduated_at.is_none();
    let qualifying = board.trainees.iter().filter(|s| s.qualifies).count();
    let title = format!("Graduation · {}", board.cohort.name);
    let mut data = json!({
        "board": board,
        "qualifying": qualifying,
        "others": board.trainees.len() - qualifying,
        "can_act": can_act,
        "later": later.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
    });
    match failed {
        Some(f) => {
            data["failed"] =
                json!({"enrolment_id": f.enrolment_id, "errors": f.errors, "typed": f.typed});
            auth.req.page_with_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "training/graduation/board",
                &title,
                data,
            )
        }
        None => auth.req.page("training/graduation/board", &title, data),
    }
}

#[get("/training/cohorts/{id}/graduation")]
async fn board_page(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
) -> AppResult<HttpResponse> {
    render(&auth, *id, None).await
}

/// The ticked checkboxes: `enrolment_id` repeated.
fn ticked(body: &[u8]) -> Vec<EnrolmentId> {
    url::form_urlencoded::parse(body)
        .filter(|(k, _)| k == "enrolment_id")
        .filter_map(|(_, v)| v.trim().parse().ok().map(EnrolmentId))
        .collect()
}

#[post("/training/cohorts/{id}/graduation")]
async fn graduate_ticked(
    auth: Auth<Training>,
    id: web::Path<CohortId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, ids, sctx) = (*id, ticked(&body), auth.req.ctx());
    match auth
        .req
        .db(move |c| service::graduate(c, &sctx, id, &ids))
        .await
    {
        Ok(n) => Ok(auth.req.redirect_ok(
            &board_path(id),
            &format!(
                "{n} graduate{}. Congratulations!",
                if n == 1 { "" } else { "s" }
            ),
        )),
        Err(AppError::Conflict(reasons)) => {
            Ok(auth
                .req
                .redirect_flash(&board_path(id), "error", &reasons.join(" ")))
        }
        Err(AppError::Invalid(e)) => Ok(auth.req.redirect_flash(
            &board_path(id),
            "error",
            &e.into_values().collect::<Vec<_>>().join(" "),
        )),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct LetGoForm {
    #[serde(default)]
    reason: String,
}

#[post("/training/enrolments/{id}/let-go")]
async fn let_go(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    form: web::Form<LetGoForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx, reason) = (*id, auth.req.ctx(), form.into_inner().reason);
    let r = reason.clone();
    match auth
        .req
        .db(move |c| service::let_go(c, &sctx, id, &r))
        .await
    {
        Ok(cohort) => Ok(auth
            .req
            .redirect_ok(&board_path(cohort), "Let go; their account is closed.")),
        Err(AppError::Invalid(errors)) => {
            let cohort = cohort_of(&auth, id).await?;
            let typed = json!({"action": "let_go", "reason": reason});
            render(
                &auth,
                cohort,
                Some(Failed {
                    enrolment_id: id,
                    errors,
                    typed,
                }),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    cohort_id: String,
    #[serde(default)]
    reason: String,
}

#[post("/training/enrolments/{id}/move-later")]
async fn move_later(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    form: web::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx, form) = (*id, auth.req.ctx(), form.into_inner());
    let to = form.cohort_id.trim().parse().ok().map(CohortId);
    let reason = form.reason.clone();
    let result = match to {
        Some(to) => {
            auth.req
                .db(move |c| service::move_later(c, &sctx, id, to, &reason))
                .await
        }
        None => Err(AppError::field(
            "cohort_id",
            "Choose the cohort they move to.",
        )),
    };
    match result {
        Ok(cohort) => Ok(auth
            .req
            .redirect_ok(&board_path(cohort), "Moved to the later cohort.")),
        Err(AppError::Invalid(errors)) => {
            let cohort = cohort_of(&auth, id).await?;
            let typed =
                json!({"action": "move", "reason": form.reason, "cohort_id": form.cohort_id});
            render(
                &auth,
                cohort,
                Some(Failed {
                    enrolment_id: id,
                    errors,
                    typed,
                }),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

async fn cohort_of(auth: &Auth<Training>, id: EnrolmentId) -> AppResult<CohortId> {
    auth.req
        .db(move |c| Ok(crate::training::enrolments::model::find(c, id)?.cohort_id))
        .await
}

/// The graduate's printable page: theirs to keep, and trainers', HR's and admins'. Anyone
/// else gets 404, so the page does not tell whether the enrolment exists.
#[get("/training/graduates/{id}")]
async fn graduate_page(auth: Auth<AnyUser>, id: web::Path<EnrolmentId>) -> AppResult<HttpResponse> {
    let id = *id;
    let staff = auth.viewer.has_any(&[Role::Trainer, Role::Hr, Role::Admin]);
    let me = auth.viewer.user_id;
    let graduate = auth
        .req
        .db(move |c| Ok(model::graduate(c, id)?))
        .await?
        .filter(|g| staff || g.user_id == me)
        .ok_or(AppError::NotFound)?;
    let title = format!("{} graduated", graduate.name);
    auth.req.page(
        "training/graduation/graduate",
        &title,
        json!({"graduate": graduate, "company": auth.req.state.settings.company}),
    )
}
