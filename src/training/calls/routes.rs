//! Pages: the shift form, for a new hire logging their own (from the portal) and for a
//! trainer logging one on a trainee's behalf (one template, one service); a trainer
//! removing a shift logged in error.

use crate::auth::role::{NewHires, Training};
use crate::auth::Auth;
use crate::db::ids::{CallShiftId, EnrolmentId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::calls::model::{self, CallLog};
use crate::training::calls::rules::ShiftInput;
use crate::training::calls::service;
use crate::training::enrolments::model::{self as enrolments, Enrolment};
use crate::training::trainees::model as trainees;
use crate::web::ReqCtx;
use actix_web::{get, post, web, HttpResponse};
use chrono::TimeZone;
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(my_shift_page)
        .service(log_my_shift)
        .service(trainee_shift_page)
        .service(log_trainee_shift)
        .service(remove_shift);
}

/// Where each form posts and returns to, and whose shift it is.
struct FormPlace {
    action: String,
    back: String,
    whose: String,
}

fn render(
    req: &ReqCtx,
    place: &FormPlace,
    log: &CallLog,
    input: &ShiftInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let data = json!({
        "form": input,
        "action": place.action,
        "back": place.back,
        "whose": place.whose,
        "hours": log.hours,
        "tz_hint": format!("24-hour time, {}", req.state.settings.tz().name()),
    });
    let title = "Log a phone shift";
    match errors {
        Some(e) => req.form_errors("training/calls/form", title, &e, data),
        None => req.page("training/calls/form", title, data),
    }
}

fn read_form(body: &[u8]) -> ShiftInput {
    let mut input = ShiftInput::default();
    for (k, v) in url::form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "date" => input.date = v,
            "start" => input.start = v,
            "end" => input.end = v,
            "calls_taken" => input.calls_taken = v,
            "connections" => input.connections = v,
            "wow_story" => input.wow_story = v,
            _ => {}
        }
    }
    input
}

/// A blank form opens on today's date in the company zone.
fn blank(req: &ReqCtx) -> ShiftInput {
    let today = req
        .state
        .settings
        .tz()
        .from_utc_datetime(&req.state.clock.now())
        .date_naive();
    ShiftInput {
        date: today.format("%Y-%m-%d").to_string(),
        ..Default::default()
    }
}

/// The new hire's own enrolment while in training; anyone else has no form here.
async fn own_active(auth: &Auth<NewHires>) -> AppResult<(Enrolment, CallLog)> {
    let me = auth.viewer.user_id;
    auth.req
        .db(move |c| {
            let e = enrolments::current_for_user(c, me)?
                .filter(Enrolment::is_active)
                .ok_or(AppError::NotFound)?;
            let log = model::call_log(c, &e)?;
            Ok((e, log))
        })
        .await
}

fn my_place() -> FormPlace {
    FormPlace {
        action: "/portal/calls/new".into(),
        back: "/portal".into(),
        whose: "your".into(),
    }
}

#[get("/portal/calls/new")]
async fn my_shift_page(auth: Auth<NewHires>) -> AppResult<HttpResponse> {
    let (_, log) = own_active(&auth).await?;
    render(&auth.req, &my_place(), &log, &blank(&auth.req), None)
}

#[post("/portal/calls/new")]
async fn log_my_shift(auth: Auth<NewHires>, body: web::Bytes) -> AppResult<HttpResponse> {
    let (e, log) = own_active(&auth).await?;
    let (input, sctx, tz) = (
        read_form(&body),
        auth.req.ctx(),
        auth.req.state.settings.tz(),
    );
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::log_shift(c, &sctx, tz, e.id, &inp))
        .await
    {
        Ok(_) => Ok(auth
            .req
            .redirect_ok("/portal", "Shift logged. Thank you for the WOW.")),
        Err(AppError::Invalid(errors)) => {
            render(&auth.req, &my_place(), &log, &input, Some(errors))
        }
        Err(e) => Err(e),
    }
}

async fn trainee_place(auth: &Auth<Training>, id: EnrolmentId) -> AppResult<(FormPlace, CallLog)> {
    let (trainee, log) = auth
        .req
        .db(move |c| {
            let t = trainees::find(c, id)?;
            let log = model::call_log(c, &t.enrolment)?;
            Ok((t, log))
        })
        .await?;
    let place = FormPlace {
        action: format!("/training/enrolments/{id}/calls/new"),
        back: format!("/training/enrolments/{id}"),
        whose: format!("{}'s", trainee.name),
    };
    Ok((place, log))
}

#[get("/training/enrolments/{id}/calls/new")]
async fn trainee_shift_page(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let (place, log) = trainee_place(&auth, *id).await?;
    render(&auth.req, &place, &log, &blank(&auth.req), None)
}

#[post("/training/enrolments/{id}/calls/new")]
async fn log_trainee_shift(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = *id;
    let (input, sctx, tz) = (
        read_form(&body),
        auth.req.ctx(),
        auth.req.state.settings.tz(),
    );
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::log_shift(c, &sctx, tz, id, &inp))
        .await
    {
        Ok(_) => Ok(auth
            .req
            .redirect_ok(&format!("/training/enrolments/{id}"), "Shift logged.")),
        Err(AppError::Invalid(errors)) => {
            let (place, log) = trainee_place(&auth, id).await?;
            render(&auth.req, &place, &log, &input, Some(errors))
        }
        Err(e) => Err(e),
    }
}

#[post("/training/shifts/{id}/delete")]
async fn remove_shift(auth: Auth<Training>, id: web::Path<CallShiftId>) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let enrolment = auth
        .req
        .db(move |c| service::remove_shift(c, &sctx, id))
        .await?;
    Ok(auth.req.redirect_ok(
        &format!("/training/enrolments/{enrolment}"),
        "Shift removed. The audit log keeps what it said.",
    ))
}
