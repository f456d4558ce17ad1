//! Graduating the trainees who qualify, letting go or moving those who do not, and
//! closing the class once nobody is left in training.

use crate::audit;
use crate::auth::{model as users, session};
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, EnrolmentId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::cohorts::model as cohorts;
use crate::training::enrolments::{model as enrolments, service as enrolment_service};
use crate::training::graduation::model::{self, Standing};
use crate::training::graduation::rules;
use crate::training::rules::EnrolmentStatus;
use serde_json::json;

/// Graduates the ticked trainees of a cohort in one transaction: each enrolment ends as
/// graduated and an employee record starts in their destination department, dated
/// today. Refused, with every reason, if any of them does not qualify. Returns how many
/// graduated.
pub fn graduate(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort: CohortId,
    ids: &[EnrolmentId],
) -> AppResult<usize> {
    let today = ctx.today();
    write_tx(conn, |conn| {
        if ids.is_empty() {
            return Err(AppError::field(
                "enrolment_ids",
                "Tick the trainees who graduate.",
            ));
        }
        let board = model::board(conn, cohort, today)?;
        if board.cohort.graduated_at.is_some() {
            return Err(AppError::Conflict(vec![format!(
                "{} has already graduated.",
                board.cohort.name
            )]));
        }
        if !board.open {
            return Err(AppError::Conflict(vec![match board.last_day {
                Some(d) => format!("Graduation opens on the last training day, {d}."),
                None => "This cohort has no training days.".into(),
            }]));
        }
        let mut chosen: Vec<&Standing> = vec![];
        for id in ids {
            let Some(s) = board
                .trainees
                .iter()
                .find(|s| s.trainee.enrolment_id == *id)
            else {
                return Err(AppError::field(
                    "enrolment_ids",
                    format!("Trainee {id} is not in training in {}.", board.cohort.name),
                ));
            };
            if !chosen.iter().any(|c| c.trainee.enrolment_id == *id) {
                chosen.push(s);
            }
        }
        let refusals: Vec<String> = chosen
            .iter()
            .filter(|s| !s.qualifies)
            .map(|s| {
                format!(
                    "{} does not qualify: {}.",
                    s.trainee.name,
                    s.gaps.join("; ")
                )
            })
            .collect();
        if !refusals.is_empty() {
            return Err(AppError::Conflict(refusals));
        }
        for s in &chosen {
            let t = &s.trainee;
            enrolments::end(
                conn,
                t.enrolment_id,
                EnrolmentStatus::Graduated,
                "",
                ctx.now,
            )?;
            crate::offer::offers::service::void_for_enrolment(
                conn,
                ctx,
                t.enrolment_id,
                "graduated",
            )?;
            let employee = model::insert_employee(conn, t, today, ctx.now)?;
            crate::offer::reports::tally::graduated(conn, t.enrolment_id, today)?;
            audit::record(
                conn,
                ctx,
                "enrolment.graduated",
                ("enrolment", Some(t.enrolment_id.0)),
                Some(json!({"status": EnrolmentStatus::Active})),
                Some(json!({
                    "status": EnrolmentStatus::Graduated,
                    "cohort": cohort,
                    "user": t.user_id,
                    "employee": employee,
                    "department": t.department,
                    "title": t.title,
                    "started_on": today,
                })),
            )?;
        }
        close_if_empty(conn, ctx, cohort)?;
        Ok(chosen.len())
    })
}

/// Lets a trainee go with the reason: the enrolment ends, their account is deactivated
/// and their sessions end, as an admin's deactivation does. Returns their cohort.
pub fn let_go(conn: &mut DbConn, ctx: &Ctx, id: EnrolmentId, reason: &str) -> AppResult<CohortId> {
    let reason = rules::reason(reason).map_err(|m| AppError::field("reason", m))?;
    write_tx(conn, |conn| {
        let e = enrolments::find(conn, id)?;
        if !e.is_active() {
            return Err(AppError::Conflict(vec![
                "Only a trainee still in training can be let go.".into(),
            ]));
        }
        enrolments::end(conn, id, EnrolmentStatus::LetGo, &reason, ctx.now)?;
        crate::offer::offers::service::void_for_enrolment(conn, ctx, id, "let go")?;
        audit::record(
            conn,
            ctx,
            "enrolment.let_go",
            ("enrolment", Some(id.0)),
            Some(json!({"status": e.status})),
            Some(
                json!({"status": EnrolmentStatus::LetGo, "cohort": e.cohort_id, "user": e.user_id, "reason": reason}),
            ),
        )?;
        let user = users::find(conn, e.user_id)?;
        if user.active {
            users::set_active(conn, e.user_id, false, ctx.now)?;
            let ended = session::end_all_for(conn, e.user_id, None)?;
            audit::record(
                conn,
                ctx,
                "user.deactivated",
                ("user", Some(e.user_id.0)),
                Some(json!({"active": true})),
                Some(
                    json!({"active": false, "sessions_ended": ended, "why": "let go from training"}),
                ),
            )?;
        }
        close_if_empty(conn, ctx, e.cohort_id)?;
        Ok(e.cohort_id)
    })
}

/// Moves a trainee who does not qualify to a later cohort (the enrolment service does
/// the move in its own transaction), then closes their old class if they were the last.
pub fn move_later(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: EnrolmentId,
    to: CohortId,
    reason: &str,
) -> AppResult<CohortId> {
    let from = enrolments::find(conn, id)?.cohort_id;
    enrolment_service::move_to(conn, ctx, id, to, reason)?;
    // A separate transaction: the move already stands on its own, and a class left
    // open here is closed by the next graduation step.
    write_tx(conn, |conn| close_if_empty(conn, ctx, from))?;
    Ok(from)
}

/// Closes the class once graduation is open and no active trainee remains (a class
/// emptied earlier stays open for late joiners).
fn close_if_empty(conn: &mut DbConn, ctx: &Ctx, id: CohortId) -> AppResult<bool> {
    let cohort = cohorts::find(conn, id)?;
    if cohort.graduated_at.is_some()
        || !rules::is_open(cohort.last_day, ctx.today())
        || cohorts::active_count(conn, id)? > 0
    {
        return Ok(false);
    }
    model::close(conn, id, ctx.now)?;
    audit::record(
        conn,
        ctx,
        "cohort.graduated",
        ("cohort", Some(id.0)),
        Some(json!({"graduated_at": null})),
        Some(json!({"graduated_at": ctx.now, "name": cohort.name})),
    )?;
    Ok(true)
}
