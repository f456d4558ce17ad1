//! Attendance rows: a day's marks for a cohort, a trainee's marks, batched writes, and
//! who has crossed the attendance rule.

use crate::db::ids::{CohortId, EnrolmentId, UserId};
use crate::db::schema::{attendance, enrolments as enrolment_rows};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::training::attendance::rules::{self, Stored, ValidMark};
use crate::training::cohorts::model::{self as cohorts, Cohort};
use crate::training::enrolments::model::{self as enrolments, RosterRow};
use crate::training::progress::model as progress;
use crate::training::rules::{AttendanceRule, Tally};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Mark {
    pub enrolment_id: EnrolmentId,
    pub day_number: i64,
    /// present, late, excused or absent.
    pub status: String,
    pub note: String,
}

type MarkColumns = (
    attendance::enrolment_id,
    attendance::day_number,
    attendance::status,
    attendance::note,
);

const MARK_COLUMNS: MarkColumns = (
    attendance::enrolment_id,
    attendance::day_number,
    attendance::status,
    attendance::note,
);

/// A trainee on the roster with their mark of one day: (status, note) when marked.
pub type DayRosterRow = (RosterRow, Option<(String, String)>);

/// The cohort's active roster by name, each trainee with their mark of the day: one
/// statement, which the sheet and the save both read instead of the roster and the day's
/// marks apart. On SQLite both sides come from covering indexes (enrolments_cohort_idx,
/// attendance_cohort_day_idx).
pub fn day_roster(conn: &mut DbConn, cohort: CohortId, day: i64) -> QueryResult<Vec<DayRosterRow>> {
    enrolment_rows::table
        .left_join(
            attendance::table.on(attendance::cohort_id
                .eq(cohort)
                .and(attendance::day_number.eq(day))
                .and(attendance::enrolment_id.eq(enrolment_rows::id))),
        )
        .filter(enrolments::active_in(cohort))
        .order(enrolments::BY_NAME)
        .select((
            RosterRow::as_select(),
            (attendance::status, attendance::note).nullable(),
        ))
        .load(conn)
}

/// One trainee's marks, day by day (the attendance_enrolment index).
pub fn for_enrolment(conn: &mut DbConn, enrolment: EnrolmentId) -> QueryResult<Vec<Mark>> {
    attendance::table
        .filter(attendance::enrolment_id.eq(enrolment))
        .order(attendance::day_number.asc())
        .select(MARK_COLUMNS)
        .load(conn)
}

pub struct Recorded {
    pub cohort: CohortId,
    pub day: i64,
    pub by: Option<UserId>,
    pub at: NaiveDateTime,
}

/// New marks in one multi-row INSERT.
pub fn insert_many(conn: &mut DbConn, r: &Recorded, marks: &[ValidMark]) -> QueryResult<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = marks
        .iter()
        .map(|m| {
            (
                attendance::cohort_id.eq(r.cohort),
                attendance::enrolment_id.eq(m.enrolment_id),
                attendance::day_number.eq(r.day),
                attendance::status.eq(m.status.as_str()),
                attendance::note.eq(&m.note),
                attendance::recorded_by.eq(r.by),
                attendance::recorded_at.eq(r.at),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(attendance::table)
        .values(&rows)
        .execute(c))
    .map(|_| ())
}

/// Sets one (status, note) on several trainees' marks of the day in one UPDATE.
pub fn update_many(
    conn: &mut DbConn,
    r: &Recorded,
    to: &Stored,
    enrolments: &[EnrolmentId],
) -> QueryResult<()> {
    diesel::update(
        attendance::table
            .filter(attendance::enrolment_id.eq_any(enrolments))
            .filter(attendance::day_number.eq(r.day)),
    )
    .set((
        attendance::status.eq(to.0.as_str()),
        attendance::note.eq(&to.1),
        attendance::recorded_by.eq(r.by),
        attendance::recorded_at.eq(r.at),
    ))
    .execute(conn)
    .map(|_| ())
}

/// The trainees of the cohort who have crossed its attendance rule, each with why (from the
/// tallies kept on the cohort's enrolments). Includes anyone with marks in the cohort; callers
/// showing a roster look up their own rows.
pub fn flagged_in_cohort(
    conn: &mut DbConn,
    cohort: &Cohort,
) -> QueryResult<Vec<(EnrolmentId, Vec<String>)>> {
    let rule = cohort.attendance_rule();
    let mut out: Vec<_> = progress::cohort_tallies(conn, cohort.id)?
        .into_iter()
        .map(|(id, tally)| (id, rule.breaches(&tally)))
        .filter(|(_, why)| !why.is_empty())
        .collect();
    out.sort_by_key(|(id, _)| *id);
    Ok(out)
}

/// One trainee's row on a day's attendance sheet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetRow {
    pub enrolment_id: EnrolmentId,
    pub user_id: UserId,
    pub name: String,
    pub department: String,
    pub title: String,
    pub first_day: i64,
    /// True when the trainee joins after this day and cannot be marked for it.
    pub joins_later: bool,
    /// The stored mark, if any.
    pub status: Option<String>,
    pub note: String,
    /// Running tally over every marked day.
    pub tally: Tally,
    /// Why the trainee has crossed the attendance rule; empty when they have not.
    pub flags: Vec<String>,
}

/// A cohort day's sheet without its rows: what each request reads afresh.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayHead {
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub day: i64,
    pub date: NaiveDate,
    /// Every training day's date, day 1 first.
    pub days: Vec<NaiveDate>,
    /// False for days still to come.
    pub can_mark: bool,
    /// The cohort's rule: max_unexcused_absences and max_lates.
    #[schema(value_type = Object)]
    pub rule: AttendanceRule,
    /// The cohort's revision when the head was read (what the rows are kept by).
    #[serde(skip)]
    pub revision: i64,
}

/// A cohort day's attendance: the whole active roster with its marks and tallies.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DaySheet {
    #[serde(flatten)]
    pub head: DayHead,
    pub rows: Vec<SheetRow>,
}

/// Reads a day's head: the cohort and its days. `day` None opens on today's training day
/// (or the latest past one).
pub fn day_head(
    conn: &mut DbConn,
    cohort_id: CohortId,
    day: Option<i64>,
    today: NaiveDate,
) -> AppResult<DayHead> {
    let cohort = cohorts::find(conn, cohort_id)?;
    let days = cohort.days()?;
    let day = day.unwrap_or_else(|| rules::default_day(&days, today));
    let date = rules::date_of(&days, day).ok_or(AppError::NotFound)?;
    Ok(DayHead {
        cohort_id,
        rule: cohort.attendance_rule(),
        revision: cohort.revision,
        cohort_name: cohort.name,
        day,
        date,
        days,
        can_mark: date <= today,
    })
}

/// A day's rows: the roster with each trainee's tally and mark of the day.
pub fn sheet_rows(conn: &mut DbConn, head: &DayHead) -> QueryResult<Vec<SheetRow>> {
    Ok(day_roster(conn, head.cohort_id, head.day)?
        .into_iter()
        .map(|(r, mark)| {
            let (status, note) = match mark {
                Some((status, note)) => (Some(status), note),
                None => (None, String::new()),
            };
            SheetRow {
                enrolment_id: r.enrolment_id,
                user_id: r.user_id,
                name: r.name,
                department: r.department,
                title: r.title,
                first_day: r.first_day,
                joins_later: r.first_day > head.day,
                status,
                note,
                flags: head.rule.breaches(&r.tally),
                tally: r.tally,
            }
        })
        .collect())
}

/// Reads a day's whole sheet, head and rows.
pub fn day_sheet(
    conn: &mut DbConn,
    cohort_id: CohortId,
    day: Option<i64>,
    today: NaiveDate,
) -> AppResult<DaySheet> {
    let head = day_head(conn, cohort_id, day, today)?;
    let rows = sheet_rows(conn, &head)?;
    Ok(DaySheet { head, rows })
}
