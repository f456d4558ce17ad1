//! Call shift rows and a trainee's call log with hours against the target.

use crate::db::ids::{CallShiftId, CohortId, EnrolmentId, UserId};
use crate::db::schema::call_shifts;
use crate::db::DbConn;
use crate::training::calls::rules::{self, HoursProgress, ValidShift};
use crate::training::cohorts::model as cohorts;
use crate::training::enrolments::model::Enrolment;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

/// A phone shift. Deliberately no per-call duration: service is not rushed.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = call_shifts)]
pub struct CallShift {
    pub id: CallShiftId,
    pub enrolment_id: EnrolmentId,
    pub cohort_id: CohortId,
    /// UTC.
    pub started_at: NaiveDateTime,
    /// UTC.
    pub ended_at: NaiveDateTime,
    /// Length of the shift.
    pub minutes: i64,
    pub calls_taken: i64,
    /// Personal emotional connections made.
    pub connections: i64,
    pub wow_story: String,
    pub logged_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// A trainee's shifts, latest first (the call_shifts_enrolment index).
pub fn for_enrolment(conn: &mut DbConn, enrolment: EnrolmentId) -> QueryResult<Vec<CallShift>> {
    call_shifts::table
        .filter(call_shifts::enrolment_id.eq(enrolment))
        .order(call_shifts::started_at.desc())
        .select(CallShift::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: CallShiftId) -> QueryResult<CallShift> {
    call_shifts::table
        .find(id)
        .select(CallShift::as_select())
        .first(conn)
}

pub fn delete(conn: &mut DbConn, id: CallShiftId) -> QueryResult<()> {
    diesel::delete(call_shifts::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// The trainee's shift overlapping [start, end), if any.
pub fn overlapping(
    conn: &mut DbConn,
    enrolment: EnrolmentId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Option<CallShift>> {
    call_shifts::table
        .filter(call_shifts::enrolment_id.eq(enrolment))
        .filter(call_shifts::started_at.lt(end))
        .filter(call_shifts::ended_at.gt(start))
        .select(CallShift::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConn,
    e: &Enrolment,
    s: &ValidShift,
    by: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<CallShiftId> {
    diesel::insert_into(call_shifts::table)
        .values((
            call_shifts::enrolment_id.eq(e.id),
            call_shifts::cohort_id.eq(e.cohort_id),
            call_shifts::started_at.eq(s.started_at),
            call_shifts::ended_at.eq(s.ended_at),
            call_shifts::minutes.eq(s.minutes),
            call_shifts::calls_taken.eq(s.calls_taken),
            call_shifts::connections.eq(s.connections),
            call_shifts::wow_story.eq(&s.wow_story),
            call_shifts::logged_by.eq(by),
            call_shifts::created_at.eq(now),
        ))
        .returning(call_shifts::id)
        .get_result(conn)
}

/// A trainee's shifts with their hours against the cohort's target.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CallLog {
    pub enrolment_id: EnrolmentId,
    pub shifts: Vec<CallShift>,
    pub hours: HoursProgress,
}

pub fn call_log(conn: &mut DbConn, e: &Enrolment) -> QueryResult<CallLog> {
    let target = cohorts::find(conn, e.cohort_id)?.live_call_target_minutes;
    let shifts = for_enrolment(conn, e.id)?;
    let minutes = shifts.iter().map(|s| s.minutes).sum();
    Ok(CallLog {
        enrolment_id: e.id,
        shifts,
        hours: rules::progress(minutes, target),
    })
}
