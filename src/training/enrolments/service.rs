//! Enrolling a hire (at hire, or a trainer's pick) and moving a trainee between cohorts.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, EnrolmentId, HireId};
use crate::db::schema::hires;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::decision::model::Hire;
use crate::training::checklist::model as checklist;
use crate::training::cohorts::model::{self as cohorts, Cohort};
use crate::training::enrolments::model;
use crate::training::rules::{first_day_for, EnrolmentStatus};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

const MAX_REASON: usize = 2000;

fn find_hire(conn: &mut DbConn, id: HireId) -> AppResult<Hire> {
    Ok(hires::table
        .find(id)
        .select(Hire::as_select())
        .first(conn)?)
}

/// Puts the hire on the cohort's roster from the first training day on or after
/// `joining`, after checking the cohort has room and days left. Runs inside the
/// caller's transaction.
fn enrol_into(
    conn: &mut DbConn,
    ctx: &Ctx,
    hire: &Hire,
    cohort: &Cohort,
    joining: NaiveDate,
    how: &str,
) -> AppResult<EnrolmentId> {
    if cohort.graduated_at.is_some() {
        return Err(AppError::field(
            "cohort_id",
            format!("{} has already graduated.", cohort.name),
        ));
    }
    if cohorts::active_count(conn, cohort.id)? >= cohort.capacity {
        return Err(AppError::field(
            "cohort_id",
            format!("{} is full ({} trainees).", cohort.name, cohort.capacity),
        ));
    }
    let days = cohort.days()?;
    let Some(first_day) = first_day_for(&days, joining) else {
        return Err(AppError::field(
            "cohort_id",
            format!("{} has no training days left to join.", cohort.name),
        ));
    };
    let id = model::insert(conn, cohort.id, hire, first_day, ctx.now)?;
    audit::record(
        conn,
        ctx,
        "enrolment.created",
        ("enrolment", Some(id.0)),
        None,
        Some(json!({
            "hire": hire.id,
            "user": hire.user_id,
            "cohort": cohort.id,
            "cohort_name": cohort.name,
            "first_day": first_day,
            "how": how,
        })),
    )?;
    Ok(id)
}

/// At hire, inside the hire's transaction: gives the pre-start checklist and enrols the
/// hire in the first cohort starting on or after the start date with room. Returns that
/// cohort; None when there is none yet (a trainer enrols them later).
pub fn onboard_hire(conn: &mut DbConn, ctx: &Ctx, hire: HireId) -> AppResult<Option<Cohort>> {
    let hire = find_hire(conn, hire)?;
    checklist::give_to_hire(conn, hire.id, hire.user_id, hire.start_date, ctx.now)?;
    let cohort = cohorts::first_open_on_or_after(conn, hire.start_date)?;
    if let Some(c) = &cohort {
        enrol_into(conn, ctx, &hire, c, hire.start_date, "at hire")?;
    }
    Ok(cohort)
}

/// A trainer puts a hire without a cohort into the one they pick. They join from the
/// later of their start date and today.
pub fn enrol(
    conn: &mut DbConn,
    ctx: &Ctx,
    hire: HireId,
    cohort: CohortId,
) -> AppResult<EnrolmentId> {
    write_tx(conn, |conn| {
        let hire = find_hire(conn, hire)?;
        if hire.placed {
            let why = if model::active_for_hire(conn, hire.id)?.is_some() {
                "This hire is already in a cohort; move them instead."
            } else {
                "This hire's training is over (graduated, let go or left with the offer): they cannot be enrolled again."
            };
            return Err(AppError::Conflict(vec![why.into()]));
        }
        let cohort = cohorts::find(conn, cohort)?;
        let joining = hire.start_date.max(ctx.now.date());
        enrol_into(conn, ctx, &hire, &cohort, joining, "picked by a trainer")
    })
}

/// Moves an active trainee to another cohort: the old enrolment ends as moved (with the
/// reason), a new one starts from the later of today and their start date.
pub fn move_to(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: EnrolmentId,
    to: CohortId,
    reason: &str,
) -> AppResult<EnrolmentId> {
    write_tx(conn, |conn| {
        let current = model::find(conn, id)?;
        if !current.is_active() {
            return Err(AppError::Conflict(vec![
                "Only a trainee still in training can be moved.".into(),
            ]));
        }
        if current.cohort_id == to {
            return Err(AppError::field("cohort_id", "Choose a different cohort."));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(AppError::field(
                "reason",
                format!("Say why the trainee moves (up to {MAX_REASON} characters)."),
            ));
        }
        let hire = find_hire(conn, current.hire_id)?;
        let cohort = cohorts::find(conn, to)?;
        model::end(conn, id, EnrolmentStatus::Moved, reason, ctx.now)?;
        crate::offer::offers::service::void_for_enrolment(
            conn,
            ctx,
            id,
            &format!("moved to {}", cohort.name),
        )?;
        let joining = hire.start_date.max(ctx.now.date());
        let new_id = enrol_into(conn, ctx, &hire, &cohort, joining, "moved")?;
        audit::record(
            conn,
            ctx,
            "enrolment.moved",
            ("enrolment", Some(id.0)),
            Some(json!({"cohort": current.cohort_id, "status": current.status})),
            Some(
                json!({"cohort": to, "status": EnrolmentStatus::Moved, "reason": reason, "new_enrolment": new_id}),
            ),
        )?;
        Ok(new_id)
    })
}
