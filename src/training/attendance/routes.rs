//! The attendance page: a cohort day's whole roster on one form, saved in one POST.

use crate::auth::role::{Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, EnrolmentId};
use crate::error::{AppError, AppResult, FieldErrors, NO_ERRORS};
use crate::training::attendance::model::{self, DayHead, SheetRow};
use crate::training::attendance::rules::{self, fill_unmarked, MarkInput};
use crate::training::attendance::service;
use crate::training::rules::{AttendanceRule, AttendanceStatus};
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

/// The attendance sheet (templates/training/attendance/day.html) around its rows.
#[derive(askama::Template)]
#[template(path = "training/attendance/day.html")]
struct DayPage<'a> {
    head: &'a DayHead,
    rows: &'a SheetRowsHtml,
    days: Vec<Choice>,
    date: String,
    prev: Option<i64>,
    next: Option<i64>,
    editable: bool,
    errors: &'a FieldErrors,
    csrf_token: &'a str,
}

/// The sheet's rows (templates/training/attendance/rows.html).
#[derive(askama::Template)]
#[template(path = "training/attendance/rows.html")]
struct RowsPart<'a> {
    rows: Vec<RowView<'a>>,
    marks: &'static [AttendanceStatus],
    editable: bool,
}

/// A row as shown: what was typed (after a refused save) wins over what is stored, so
/// nothing typed is lost.
struct RowView<'a> {
    row: &'a SheetRow,
    status: Option<&'a str>,
    note: &'a str,
    error: Option<&'a str>,
}

/// The rows as HTML, with how many are marked. A plain GET shows them as kept for the
/// cohort's revision (`KeptPages::sheets`): 200 rows of radio buttons are most of the
/// sheet's cost.
pub struct SheetRowsHtml {
    html: String,
    marked: usize,
    total: usize,
}

/// Everything the rows' HTML depends on besides the rows themselves, and the revision
/// that stands for those.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SheetKey {
    cohort: CohortId,
    revision: i64,
    day: i64,
    editable: bool,
    rule: AttendanceRule,
}

/// After a refused save, `typed` holds what was sent and `errors` what was wrong with it.
fn rows_html(
    rows: &[SheetRow],
    typed: Option<&HashMap<EnrolmentId, MarkInput>>,
    errors: &FieldErrors,
    editable: bool,
) -> AppResult<SheetRowsHtml> {
    let views = rows
        .iter()
        .map(|r| {
            let (status, note) = match typed.and_then(|t| t.get(&r.enrolment_id)) {
                Some(m) => (Some(m.status.as_str()), m.note.as_str()),
                None => (r.status.as_deref(), r.note.as_str()),
            };
            RowView {
                row: r,
                status,
                note,
                error: errors
                    .get(&rules::row_field(r.enrolment_id))
                    .map(String::as_str),
            }
        })
        .collect();
    let part = RowsPart {
        rows: views,
        marks: AttendanceStatus::ALL,
        editable,
    };
    Ok(SheetRowsHtml {
        html: askama::Template::render(&part).map_err(AppError::internal)?,
        marked: rows.iter().filter(|r| r.status.is_some()).count(),
        total: rows.len(),
    })
}

fn day_page<'a>(
    head: &'a DayHead,
    rows: &'a SheetRowsHtml,
    editable: bool,
    errors: &'a FieldErrors,
    today: chrono::NaiveDate,
    csrf_token: &'a str,
) -> DayPage<'a> {
    let days = Choice::list(
        head.days.iter().enumerate().map(|(i, d)| {
            let n = i + 1;
            let to_come = if *d > today { " (to come)" } else { "" };
            (
                n.to_string(),
                format!("Day {n} · {}{to_come}", d.format("%a %-d %b")),
            )
        }),
        &head.day.to_string(),
    );
    let day_count = head.days.len() as i64;
    DayPage {
        head,
        rows,
        days,
        date: head.date.format("%A %-d %B %Y").to_string(),
        prev: (head.day > 1).then(|| head.day - 1),
        next: (head.day < day_count).then(|| head.day + 1),
        editable,
        errors,
        csrf_token,
    }
}

fn title(head: &DayHead) -> String {
    format!("Attendance · {} · day {}", head.cohort_name, head.day)
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
    let role_edits = can_edit(&auth.req);
    let state = auth.req.state.clone();
    let (head, rows, editable) = auth
        .req
        .db(move |c| {
            let head = model::day_head(c, id, day, today)?;
            let editable = role_edits && head.can_mark;
            let key = SheetKey {
                cohort: id,
                revision: head.revision,
                day: head.day,
                editable,
                rule: head.rule,
            };
            let rows = state.kept_training.sheets.get_or_build(key, || {
                rows_html(&model::sheet_rows(c, &head)?, None, &NO_ERRORS, editable)
            })?;
            Ok((head, rows, editable))
        })
        .await?;
    let page = day_page(&head, &rows, editable, &NO_ERRORS, today, &auth.req.csrf);
    auth.req.compiled_page(&title(&head), None, &page)
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
            let editable = sheet.head.can_mark;
            let rows = rows_html(&sheet.rows, Some(&typed), &errors, editable)?;
            let page = day_page(&sheet.head, &rows, editable, &errors, today, &auth.req.csrf);
            auth.req
                .compiled_page(&title(&sheet.head), Some(&errors), &page)
        }
        Err(e) => Err(e),
    }
}
