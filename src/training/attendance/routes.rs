//! The attendance page: a cohort day's whole roster on one form, saved in one POST.

use crate::auth::role::{Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId};
use crate::error::{AppError, AppResult, FieldErrors, NO_ERRORS};
use crate::training::attendance::model::{self, DaySheet, SheetRow};
use crate::training::attendance::rules::{self, fill_unmarked, MarkInput};
use crate::training::attendance::service;
use crate::training::rules::AttendanceStatus;
use crate::web::choice::Choice;
use crate::web::ReqCtx;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(attendance_page).service(save_attendance);
}

#[derive(Deserialize)]
struct DayQuery {
    day: Option<i64>,
}

/// The attendance sheet (templates/training/attendance/day.html).
#[derive(askama::Template)]
#[template(path = "training/attendance/day.html")]
struct DayPage<'a> {
    sheet: &'a DaySheet,
    rows: Vec<RowView<'a>>,
    days: Vec<Choice>,
    marks: &'static [AttendanceStatus],
    date: String,
    marked: usize,
    prev: Option<i64>,
    next: Option<i64>,
    editable: bool,
    errors: &'a FieldErrors,
    csrf_token: &'a str,
}

/// A row as shown: what was typed (after a refused save) wins over what is stored, so
/// nothing typed is lost.
struct RowView<'a> {
    row: &'a SheetRow,
    status: Option<&'a str>,
    note: &'a str,
    error: Option<&'a str>,
}

struct SheetInput<'a> {
    typed: Option<&'a HashMap<EnrolmentId, MarkInput>>,
    errors: &'a FieldErrors,
    can_edit: bool,
    today: chrono::NaiveDate,
    csrf_token: &'a str,
}

fn day_page<'a>(sheet: &'a DaySheet, input: SheetInput<'a>) -> DayPage<'a> {
    let rows = sheet
        .rows
        .iter()
        .map(|r| {
            let (status, note) = match input.typed.and_then(|t| t.get(&r.enrolment_id)) {
                Some(m) => (Some(m.status.as_str()), m.note.as_str()),
                None => (r.status.as_deref(), r.note.as_str()),
            };
            RowView {
                row: r,
                status,
                note,
                error: input
                    .errors
                    .get(&rules::row_field(r.enrolment_id))
                    .map(String::as_str),
            }
        })
        .collect();
    let days = Choice::list(
        sheet.days.iter().enumerate().map(|(i, d)| {
            let n = i + 1;
            let to_come = if *d > input.today { " (to come)" } else { "" };
            (
                n.to_string(),
                format!("Day {n} · {}{to_come}", d.format("%a %-d %b")),
            )
        }),
        &sheet.day.to_string(),
    );
    let day_count = sheet.days.len() as i64;
    DayPage {
        sheet,
        rows,
        days,
        marks: AttendanceStatus::ALL,
        date: sheet.date.format("%A %-d %B %Y").to_string(),
        marked: sheet.rows.iter().filter(|r| r.status.is_some()).count(),
        prev: (sheet.day > 1).then(|| sheet.day - 1),
        next: (sheet.day < day_count).then(|| sheet.day + 1),
        editable: input.can_edit && sheet.can_mark,
        errors: input.errors,
        csrf_token: input.csrf_token,
    }
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
    let page = day_page(
        &sheet,
        SheetInput {
            typed: None,
            errors: &NO_ERRORS,
            can_edit: can_edit(&auth.req),
            today,
            csrf_token: &auth.req.csrf,
        },
    );
    auth.req.compiled_page(&title(&sheet), None, &page)
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
            let page = day_page(
                &sheet,
                SheetInput {
                    typed: Some(&typed),
                    errors: &errors,
                    can_edit: true,
                    today,
                    csrf_token: &auth.req.csrf,
                },
            );
            auth.req.compiled_page(&title(&sheet), Some(&errors), &page)
        }
        Err(e) => Err(e),
    }
}
