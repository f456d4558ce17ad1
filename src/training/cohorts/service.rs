//! Creating a cohort (validate, copy the template, lay out the days, name the trainers,
//! audit, all in one transaction), editing it, and laying its days out again.

use crate::audit;
use crate::auth::model as users;
use crate::auth::role::Role;
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, CurriculumId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::offer::policies::model as offer_policies;
use crate::training::cohorts::model::{self, Cohort, NewCohort};
use crate::training::cohorts::rules::{validate, CohortInput};
use crate::training::curricula::model as curricula;
use crate::training::enrolments::model as enrolments;
use crate::training::rules::{first_day_for, lay_out_days, CohortStatus};
use chrono::NaiveDate;
use diesel::OptionalExtension;
use serde_json::{json, Value};

/// The seeded "Customer Loyalty Training" template, used when none is chosen.
pub const DEFAULT_CURRICULUM: CurriculumId = CurriculumId(1);

pub fn create(conn: &mut DbConn, ctx: &Ctx, input: &CohortInput) -> AppResult<CohortId> {
    write_tx(conn, |conn| {
        let v = validate(input).map_err(AppError::Invalid)?;
        if model::name_taken(conn, &v.name, None)? {
            return Err(AppError::field(
                "name",
                format!("There is already a cohort called {}.", v.name),
            ));
        }
        check_trainers(conn, &v.trainer_ids)?;
        let template_id = v.curriculum_id.unwrap_or(DEFAULT_CURRICULUM);
        let Some(curriculum) = curricula::find(conn, template_id).optional()? else {
            return Err(AppError::field(
                "curriculum_id",
                "Choose a curriculum template.",
            ));
        };
        let modules = curricula::modules(conn, template_id)?;
        let id = model::insert(
            conn,
            &NewCohort {
                name: &v.name,
                start_date: v.start_date,
                capacity: v.capacity,
                curriculum: &curriculum,
                created_by: ctx.actor.user_id,
                now: ctx.now,
            },
        )?;
        model::copy_modules(conn, id, &modules)?;
        let days = lay_out(conn, v.start_date, curriculum.day_count())?;
        model::set_days(conn, id, &days)?;
        model::set_trainers(conn, id, &v.trainer_ids)?;
        // The offer policy in force today stays with the cohort; later changes apply
        // only when HR applies them to it.
        let policy = offer_policies::in_force(conn, ctx.now.date())?;
        if let Some(p) = &policy {
            offer_policies::set_for_cohort(conn, id, p.id)?;
        }
        audit::record(
            conn,
            ctx,
            "cohort.created",
            ("cohort", Some(id.0)),
            None,
            Some(json!({
                "name": v.name,
                "start_date": v.start_date,
                "capacity": v.capacity,
                "curriculum": curriculum.name,
                "trainers": v.trainer_ids,
                "first_day": days.first(),
                "last_day": days.last(),
                "offer_policy": policy.map(|p| p.id),
            })),
        )?;
        Ok(id)
    })
}

fn check_trainers(conn: &mut DbConn, chosen: &[UserId]) -> AppResult<()> {
    let trainers: Vec<_> = users::active_with_role(conn, Role::Trainer)?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    match chosen.iter().find(|id| !trainers.contains(id)) {
        Some(bad) => Err(AppError::field(
            "trainer_ids",
            format!("Person {bad} is not an active trainer."),
        )),
        None => Ok(()),
    }
}

/// `count` training days from `start`, skipping weekends and the company holidays.
fn lay_out(conn: &mut DbConn, start: NaiveDate, count: i64) -> AppResult<Vec<NaiveDate>> {
    let holidays = model::holidays_from(conn, start)?;
    Ok(lay_out_days(start, count as usize, &holidays))
}

/// Lays a cohort's days out again from its start date (after a holiday changed or the
/// start date moved) and renumbers each trainee's first day to match. Runs inside the
/// caller's transaction; true when any date changed.
pub fn lay_out_again(conn: &mut DbConn, cohort: &Cohort) -> AppResult<bool> {
    let days = lay_out(conn, cohort.start_date, cohort.day_count())?;
    if days == cohort.days()? {
        return Ok(false);
    }
    model::set_days(conn, cohort.id, &days)?;
    for (enrolment, joining) in enrolments::active_joining_dates(conn, cohort.id)? {
        let first_day = first_day_for(&days, joining).unwrap_or(1);
        enrolments::set_first_day(conn, enrolment, first_day)?;
    }
    Ok(true)
}

/// A cohort as the audit log records an edit.
fn snapshot(conn: &mut DbConn, id: CohortId) -> AppResult<Value> {
    let cohort = model::find(conn, id)?;
    let days = cohort.days()?;
    let trainers: Vec<UserId> = model::trainers(conn, id)?.iter().map(|t| t.id).collect();
    Ok(json!({
        "name": cohort.name,
        "start_date": cohort.start_date,
        "capacity": cohort.capacity,
        "trainers": trainers,
        "first_day": days.first(),
        "last_day": days.last(),
    }))
}

/// Edits a cohort's name, capacity and trainers. The start date moves only while the
/// cohort is planned and no attendance is taken; its days are then laid out again.
pub fn update(conn: &mut DbConn, ctx: &Ctx, id: CohortId, input: &CohortInput) -> AppResult<()> {
    write_tx(conn, |conn| {
        let cohort = model::find(conn, id)?;
        let v = validate(input).map_err(AppError::Invalid)?;
        if model::name_taken(conn, &v.name, Some(id))? {
            return Err(AppError::field(
                "name",
                format!("There is already a cohort called {}.", v.name),
            ));
        }
        check_trainers(conn, &v.trainer_ids)?;
        let trainees = model::active_count(conn, id)?;
        if v.capacity < trainees {
            return Err(AppError::field(
                "capacity",
                format!("{trainees} trainees are enrolled; move some before lowering capacity below that."),
            ));
        }
        let moves = v.start_date != cohort.start_date;
        if moves
            && (cohort.status(ctx.now.date()) != CohortStatus::Planned
                || model::has_attendance(conn, id)?)
        {
            return Err(AppError::field(
                "start_date",
                "The start date only changes before the cohort starts.",
            ));
        }
        let before = snapshot(conn, id)?;
        model::update(conn, id, &v.name, v.start_date, v.capacity, ctx.now)?;
        model::set_trainers(conn, id, &v.trainer_ids)?;
        if moves {
            let moved = model::find(conn, id)?;
            lay_out_again(conn, &moved)?;
        }
        let after = snapshot(conn, id)?;
        audit::record(
            conn,
            ctx,
            "cohort.updated",
            ("cohort", Some(id.0)),
            Some(before),
            Some(after),
        )?;
        Ok(())
    })
}
