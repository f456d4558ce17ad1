//! Creating a cohort: validate, copy the template, lay out the days, name the trainers,
//! audit, all in one transaction.

use crate::audit;
use crate::auth::model as users;
use crate::auth::role::Role;
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, CurriculumId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::offer::policies::model as offer_policies;
use crate::training::cohorts::model::{self, NewCohort};
use crate::training::cohorts::rules::{validate, CohortInput};
use crate::training::curricula::model as curricula;
use crate::training::rules::lay_out_days;
use diesel::OptionalExtension;
use serde_json::json;

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
        let trainers: Vec<_> = users::active_with_role(conn, Role::Trainer)?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        if let Some(bad) = v.trainer_ids.iter().find(|id| !trainers.contains(id)) {
            return Err(AppError::field(
                "trainer_ids",
                format!("Person {bad} is not an active trainer."),
            ));
        }
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
        let holidays = model::holidays_from(conn, v.start_date)?;
        let days = lay_out_days(v.start_date, curriculum.day_count() as usize, &holidays);
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
