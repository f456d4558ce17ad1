//! Logging a phone shift, by the trainee or a trainer: checked, stored and audited in
//! one transaction.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CallShiftId, EnrolmentId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::interviews::rules::show;
use crate::training::attendance::rules::date_of;
use crate::training::calls::model;
use crate::training::calls::rules::{validate, ShiftInput};
use crate::training::cohorts::model as cohorts;
use crate::training::enrolments::model as enrolments;
use chrono_tz::Tz;
use serde_json::json;

pub fn log_shift(
    conn: &mut DbConn,
    ctx: &Ctx,
    tz: Tz,
    enrolment: EnrolmentId,
    input: &ShiftInput,
) -> AppResult<CallShiftId> {
    write_tx(conn, |conn| {
        let e = enrolments::find(conn, enrolment)?;
        if !e.is_active() {
            return Err(AppError::Conflict(vec![
                "Shifts are logged only while the trainee is in training.".into(),
            ]));
        }
        let days = cohorts::days(conn, e.cohort_id)?;
        let first_day = date_of(&days, e.first_day).ok_or(AppError::NotFound)?;
        let shift = validate(input, tz, ctx.now, first_day).map_err(AppError::Invalid)?;
        if let Some(other) = model::overlapping(conn, e.id, shift.started_at, shift.ended_at)? {
            return Err(AppError::field(
                "start",
                format!(
                    "Overlaps the shift already logged from {} to {}.",
                    show(other.started_at, tz),
                    show(other.ended_at, tz)
                ),
            ));
        }
        let id = model::insert(conn, &e, &shift, ctx.actor.user_id, ctx.now)?;
        audit::record(
            conn,
            ctx,
            "call_shift.logged",
            ("enrolment", Some(e.id.0)),
            None,
            Some(json!({
                "shift": id,
                "started_at": shift.started_at,
                "ended_at": shift.ended_at,
                "minutes": shift.minutes,
                "calls_taken": shift.calls_taken,
                "connections": shift.connections,
                "wow_story": shift.wow_story,
            })),
        )?;
        Ok(id)
    })
}
