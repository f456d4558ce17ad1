//! Logging a phone shift, by the trainee or a trainer, and a trainer removing one logged
//! in error: checked, stored and audited in one transaction.

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

/// The refusal once the trainee has left training: their hours are then settled.
fn in_training(e: &crate::training::enrolments::model::Enrolment) -> AppResult<()> {
    if e.is_active() {
        Ok(())
    } else {
        Err(AppError::Conflict(vec![
            "Shifts are logged and removed only while the trainee is in training.".into(),
        ]))
    }
}

pub fn log_shift(
    conn: &mut DbConn,
    ctx: &Ctx,
    tz: Tz,
    enrolment: EnrolmentId,
    input: &ShiftInput,
) -> AppResult<CallShiftId> {
    write_tx(conn, |conn| {
        let e = enrolments::find(conn, enrolment)?;
        in_training(&e)?;
        let days = cohorts::find(conn, e.cohort_id)?.days()?;
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

/// A trainer removes a shift logged in error; the audit log keeps what it said. Returns
/// the trainee's enrolment.
pub fn remove_shift(conn: &mut DbConn, ctx: &Ctx, id: CallShiftId) -> AppResult<EnrolmentId> {
    write_tx(conn, |conn| {
        let shift = model::find(conn, id)?;
        in_training(&enrolments::find(conn, shift.enrolment_id)?)?;
        model::delete(conn, id)?;
        audit::record(
            conn,
            ctx,
            "call_shift.removed",
            ("enrolment", Some(shift.enrolment_id.0)),
            Some(json!(shift)),
            None,
        )?;
        Ok(shift.enrolment_id)
    })
}
