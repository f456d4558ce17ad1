//! A trainee's page for trainers and HR: who they are, attendance day by day with the
//! tally and flags, module results, phone shifts with WOW stories and hours against the
//! target, and coaching notes (never shown to the new hire).

use crate::auth::role::{Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::EnrolmentId;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::interviews::rules::show;
use crate::training::attendance::model as attendance;
use crate::training::attendance::rules::date_of;
use crate::training::calls::model as calls;
use crate::training::coaching::model as coaching;
use crate::training::coaching::service::{self as coaching_service, NoteInput};
use crate::training::cohorts::model as cohorts;
use crate::training::results::model as results;
use crate::training::rules::{AttendanceStatus, Tally};
use crate::training::trainees::model as trainees;
use crate::web::ReqCtx;
use actix_web::{get, post, web, HttpResponse};
use chrono::TimeZone;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(trainee_page).service(add_note);
}

async fn render(
    req: &ReqCtx,
    id: EnrolmentId,
    can_edit: bool,
    note: &str,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let (tz, today) = (req.state.settings.tz(), req.state.clock.now().date());
    let data = req
        .db(move |c| {
            let t = trainees::find(c, id)?;
            let cohort = cohorts::find(c, t.cohort_id)?;
            let days = cohort.days()?;
            let marks: HashMap<i64, attendance::Mark> = attendance::for_enrolment(c, id)?
                .into_iter()
                .map(|m| (m.day_number, m))
                .collect();
            let modules = cohorts::modules(c, t.cohort_id)?;
            let outcomes = results::for_enrolment(c, id)?;
            let log = calls::call_log(c, &t.enrolment)?;
            let notes = coaching::for_enrolment(c, id)?;
            let tally = Tally::of(
                marks
                    .values()
                    .filter_map(|m| AttendanceStatus::parse(&m.status)),
            );
            let days_view: Vec<Value> = days
                .iter()
                .enumerate()
                .map(|(i, d)| (i as i64 + 1, d))
                .filter(|(n, _)| *n >= t.enrolment.first_day)
                .map(|(n, d)| {
                    let mark = marks.get(&n);
                    json!({
                        "day": n,
                        "date": d.format("%a %-d %b").to_string(),
                        "status": mark.and_then(|m| AttendanceStatus::parse(&m.status)).map(|s| s.label()),
                        "note": mark.map(|m| m.note.as_str()),
                        "to_come": *d > today,
                    })
                })
                .collect();
            let modules_view: Vec<Value> = modules
                .iter()
                .filter(|m| m.kind != "graduation")
                .map(|m| {
                    let o = outcomes.get(&m.id);
                    json!({
                        "module": m,
                        "completed": o.is_some(),
                        "score": o.and_then(|o| o.0),
                        "passed": o.map(|o| o.1),
                    })
                })
                .collect();
            let shifts: Vec<Value> = log
                .shifts
                .iter()
                .map(|s| {
                    json!({
                        "id": s.id,
                        "started": show(s.started_at, tz),
                        "ended": tz.from_utc_datetime(&s.ended_at).format("%H:%M").to_string(),
                        "calls_taken": s.calls_taken,
                        "connections": s.connections,
                        "wow_story": s.wow_story,
                    })
                })
                .collect();
            Ok(json!({
                "trainee": t,
                "first_date": date_of(&days, t.enrolment.first_day).map(|d| d.format("%a %-d %b %Y").to_string()),
                "status_label": t.enrolment.status().label(),
                "rule": cohort.attendance_rule(),
                "tally": tally,
                "flags": cohort.attendance_rule().breaches(&tally),
                "days": days_view,
                "modules": modules_view,
                "hours": log.hours,
                "shifts": shifts,
                "notes": notes,
            }))
        })
        .await?;
    let mut data = data;
    data["can_edit"] = json!(can_edit && data["trainee"]["enrolment"]["status"] == "active");
    data["can_note"] = json!(can_edit);
    data["note"] = json!(note);
    data["tz"] = json!(tz.name());
    let title = data["trainee"]["name"]
        .as_str()
        .unwrap_or("Trainee")
        .to_string();
    match errors {
        Some(e) => req.form_errors("training/trainees/show", &title, &e, data),
        None => req.page("training/trainees/show", &title, data),
    }
}

#[get("/training/enrolments/{id}")]
async fn trainee_page(
    auth: Auth<TrainingOversight>,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let can_edit = auth.viewer.has_any(&[Role::Trainer, Role::Admin]);
    render(&auth.req, *id, can_edit, "", None).await
}

#[post("/training/enrolments/{id}/coaching-notes")]
async fn add_note(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    form: web::Form<NoteInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let input = form.into_inner();
    let body = input.body.clone();
    match auth
        .req
        .db(move |c| coaching_service::add(c, &sctx, id, &input))
        .await
    {
        Ok(_) => Ok(auth.req.redirect_ok(
            &format!("/training/enrolments/{id}#coaching"),
            "Coaching note added.",
        )),
        Err(AppError::Invalid(errors)) => render(&auth.req, id, true, &body, Some(errors)).await,
        Err(e) => Err(e),
    }
}
