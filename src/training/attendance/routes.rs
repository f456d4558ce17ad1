//! The attendance page: a cohort day's whole roster on one form, saved in one POST.

use crate::auth::role::{Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::attendance::model::{self, DaySheet};
use crate::training::attendance::rules::{self, fill_unmarked, MarkInput};
use crate::training::attendance::service;
use crate::training::rules::AttendanceStatus;
use crate::web::ReqCtx;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(attendance_page).service(save_attendance);
}

#[derive(Deserialize)]
struct DayQuery {
    day: Option<i64>,
}

/// The sheet as the template draws it; `typed` (after a refused save) wins over what
/// is stored, so nothing typed is lost.
fn sheet_view(
    sheet: &DaySheet,
    typed: Option<&HashMap<EnrolmentId, MarkInput>>,
    errors: Option<&FieldErrors>,
    can_edit: bool,
    today: chrono::NaiveDate,
) -> Value {
    let rows: Vec<Value> = sheet
        .rows
        .iter()
        .map(|r| {
            let (status, note) = match typed.and_then(|t| t.get(&r.enrolment_id)) {
                Some(m) => (Some(m.status.clone()), m.note.clone()),
                None => (r.status.clone(), r.note.clone()),
            };
            // Only what a row shows, in one flat object: each field written into the page's
            // data costs time on a sheet of 200.
            json!({
                "enrolment_id": r.enrolment_id,
                "name": r.name,
                "title": r.title,
                "department": r.department,
                "joins_later": r.joins_later,
                "first_day": r.first_day,
                "tally": r.tally,
                "flags": r.flags,
                "status": status,
                "note": note,
                "flagged": !r.flags.is_empty(),
                "error": errors.and_then(|e| e.get(&rules::row_field(r.enrolment_id))),
            })
        })
        .collect();
    let days: Vec<Value> = sheet
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let n = i as i64 + 1;
            let to_come = if *d > today { " (to come)" } else { "" };
            json!({
                "value": n,
                "label": format!("Day {n} · {}{to_come}", d.format("%a %-d %b")),
                "selected": n == sheet.day,
            })
        })
        .collect();
    let marked = sheet.rows.iter().filter(|r| r.status.is_some()).count();
    let day_count = sheet.days.len() as i64;
    // Each row's marks are drawn from these four, by the `radios` helper.
    let marks: Vec<Value> = AttendanceStatus::ALL
        .iter()
        .map(|s| json!({"value": s.as_str(), "label": s.label(), "key": &s.label()[..1]}))
        .collect();
    let mut data = json!({
        // Not the sheet itself: its rows are already in `rows`.
        "sheet": {
            "cohort_id": sheet.cohort_id,
            "cohort_name": sheet.cohort_name,
            "day": sheet.day,
            "can_mark": sheet.can_mark,
            "rule": sheet.rule,
        },
        "date": sheet.date.format("%A %-d %B %Y").to_string(),
        "marked": marked,
        "total": sheet.rows.len(),
        "prev": (sheet.day > 1).then(|| sheet.day - 1),
        "next": (sheet.day < day_count).then(|| sheet.day + 1),
        "editable": can_edit && sheet.can_mark,
        "can_edit": can_edit,
    });
    // Moved in, not copied through `json!` (see `render_page`).
    data["rows"] = rows.into();
    data["days"] = days.into();
    data["marks"] = marks.into();
    data
}

fn title(sheet: &DaySheet) -> String {
    format!("Attendance · {} · day {}", sheet.cohort_name, sheet.day)
}

fn can_edit(req: &ReqCtx) -> bool {
    req.viewer
        .as_ref()
        .is_some_and(|v| v.has_any(&[Role::Trainer, Role::Admin]))
}

#[get("/training/cohorts/{id}/attendance")]
async fn attendance_page(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
    q: web::Query<DayQuery>,
) -> AppResult<HttpResponse> {
    let (id, day, today) = (*id, q.day, auth.req.state.clock.now().date());
    let sheet = auth
        .req
        .db(move |c| model::day_sheet(c, id, day, today))
        .await?;
    let data = sheet_view(&sheet, None, None, can_edit(&auth.req), today);
    auth.req
        .page("training/attendance/day", &title(&sheet), data)
}

/// Each row sends `e` (the enrolment), `status_<e>` (when a radio is chosen) and
/// `note_<e>`; the rows come in page order.
fn read_form(body: &[u8]) -> (Vec<MarkInput>, Option<AttendanceStatus>) {
    let mut order: Vec<EnrolmentId> = vec![];
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut mark_all = None;
    for (k, v) in url::form_urlencoded::parse(body) {
        match k.as_ref() {
            "e" => {
                if let Ok(id) = v.trim().parse() {
                    order.push(EnrolmentId(id));
                }
            }
            "mark_all" => mark_all = AttendanceStatus::parse(v.trim()),
            _ => {
                fields.insert(k.into_owned(), v.into_owned());
            }
        }
    }
    let marks = order
        .into_iter()
        .map(|id| MarkInput {
            enrolment_id: id,
            status: fields.remove(&format!("status_{id}")).unwrap_or_default(),
            note: fields.remove(&format!("note_{id}")).unwrap_or_default(),
        })
        .collect();
    (marks, mark_all)
}

#[post("/training/cohorts/{id}/attendance")]
async fn save_attendance(
    auth: Auth<Training>,
    id: web::Path<CohortId>,
    q: web::Query<DayQuery>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = *id;
    let day = q.day.ok_or(AppError::NotFound)?;
    let (mut marks, mark_all) = read_form(&body);
    if let Some(status) = mark_all {
        fill_unmarked(&mut marks, status);
    }
    let (sctx, today) = (auth.req.ctx(), auth.req.state.clock.now().date());
    let sent = marks.clone();
    match auth
        .req
        .db(move |c| service::save_day(c, &sctx, id, day, &sent))
        .await
    {
        Ok(saved) => Ok(auth.req.redirect_ok(
            &format!("/training/cohorts/{id}/attendance?day={day}"),
            &format!(
                "Attendance for day {day} saved: {} changed, {} unchanged.",
                saved.changed, saved.unchanged
            ),
        )),
        Err(AppError::Invalid(errors)) => {
            let sheet = auth
                .req
                .db(move |c| model::day_sheet(c, id, Some(day), today))
                .await?;
            let typed: HashMap<_, _> = marks.into_iter().map(|m| (m.enrolment_id, m)).collect();
            let data = sheet_view(&sheet, Some(&typed), Some(&errors), true, today);
            auth.req
                .form_errors("training/attendance/day", &title(&sheet), &errors, data)
        }
        Err(e) => Err(e),
    }
}
