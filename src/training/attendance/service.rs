//! Saving a cohort day's attendance: the whole roster in one transaction, one batch
//! insert, one update per changed (status, note), the trainees' tallies moved with the
//! marks, one audit entry with every change.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::CohortId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::attendance::model::{self, Recorded};
use crate::training::attendance::rules::{self, MarkInput};
use crate::training::cohorts::model as cohorts;
use crate::training::enrolments::model as enrolments;
use crate::training::rules::AttendanceStatus;
use serde_json::{json, Value};
use std::collections::HashMap;

/// How many marks a save wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub changed: usize,
    pub unchanged: usize,
}

pub fn save_day(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort_id: CohortId,
    day: i64,
    marks: &[MarkInput],
) -> AppResult<Saved> {
    write_tx(conn, |conn| {
        let cohort = cohorts::find(conn, cohort_id)?;
        let days = cohort.days()?;
        let day_date = rules::date_of(&days, day);
        let roster = model::day_roster(conn, cohort_id, day)?;
        let first_days: HashMap<_, _> = roster
            .iter()
            .map(|(r, _)| (r.enrolment_id, r.first_day))
            .collect();
        let valid = rules::validate(marks, day, day_date, ctx.now.date(), &first_days)
            .map_err(AppError::Invalid)?;
        let sent = valid.len();
        let existing: HashMap<_, _> = roster
            .into_iter()
            .filter_map(|(r, mark)| {
                let (status, note) = mark?;
                Some((r.enrolment_id, (AttendanceStatus::parse(&status)?, note)))
            })
            .collect();
        let plan = rules::plan(&existing, valid);
        if plan.changes.is_empty() {
            return Ok(Saved {
                changed: 0,
                unchanged: sent,
            });
        }
        let recorded = Recorded {
            cohort: cohort_id,
            day,
            by: ctx.actor.user_id,
            at: ctx.now,
        };
        model::insert_many(conn, &recorded, &plan.inserts)?;
        for (to, ids) in &plan.updates {
            model::update_many(conn, &recorded, to, ids)?;
        }
        for (delta, ids) in plan.tally_changes() {
            enrolments::add_to_tallies(conn, delta, &ids)?;
        }
        let mark = |s: &Option<rules::Stored>| -> Value {
            match s {
                Some((status, note)) => json!({"status": status, "note": note}),
                None => Value::Null,
            }
        };
        let before: Vec<Value> = plan
            .changes
            .iter()
            .map(|(id, b, _)| json!({"enrolment": id, "mark": mark(b)}))
            .collect();
        let after: Vec<Value> = plan
            .changes
            .iter()
            .map(|(id, _, a)| json!({"enrolment": id, "mark": mark(&Some(a.clone()))}))
            .collect();
        audit::record(
            conn,
            ctx,
            "attendance.saved",
            ("cohort", Some(cohort.id.0)),
            Some(json!({"cohort": cohort.id, "day": day, "marks": before})),
            Some(json!({"cohort": cohort.id, "day": day, "date": day_date, "marks": after})),
        )?;
        // Pending offers pay for time worked: keep them in step with the marks.
        crate::offer::offers::service::refresh_time_worked(conn, cohort.id, ctx.now)?;
        Ok(Saved {
            changed: plan.changes.len(),
            unchanged: sent - plan.changes.len(),
        })
    })
}
