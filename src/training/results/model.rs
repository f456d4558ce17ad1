//! Module result rows: a module's results for its cohort, a trainee's results, and the
//! batched writes a save makes.

use crate::db::ids::{CohortId, CohortModuleId, EnrolmentId, UserId};
use crate::db::schema::module_results;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::training::cohorts::model::{self as cohorts, CohortModule};
use crate::training::enrolments::model as enrolments;
use crate::training::results::rules::Outcome;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Each trainee's result for one module (the module_results_module index).
pub fn for_module(
    conn: &mut DbConn,
    module: CohortModuleId,
) -> QueryResult<HashMap<EnrolmentId, Outcome>> {
    let rows: Vec<(EnrolmentId, Option<i64>, bool)> = module_results::table
        .filter(module_results::cohort_module_id.eq(module))
        .select((
            module_results::enrolment_id,
            module_results::score,
            module_results::passed,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(e, s, p)| (e, (s, p))).collect())
}

/// One trainee's results by module (the module_results_enrolment index).
pub fn for_enrolment(
    conn: &mut DbConn,
    enrolment: EnrolmentId,
) -> QueryResult<HashMap<CohortModuleId, Outcome>> {
    let rows: Vec<(CohortModuleId, Option<i64>, bool)> = module_results::table
        .filter(module_results::enrolment_id.eq(enrolment))
        .select((
            module_results::cohort_module_id,
            module_results::score,
            module_results::passed,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(m, s, p)| (m, (s, p))).collect())
}

pub struct Recorded {
    pub module: CohortModuleId,
    pub by: Option<UserId>,
    pub at: NaiveDateTime,
}

/// New results in one multi-row INSERT.
pub fn insert_many(
    conn: &mut DbConn,
    r: &Recorded,
    rows: &[(EnrolmentId, Outcome)],
) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = rows
        .iter()
        .map(|(e, (score, passed))| {
            (
                module_results::enrolment_id.eq(*e),
                module_results::cohort_module_id.eq(r.module),
                module_results::score.eq(*score),
                module_results::passed.eq(*passed),
                module_results::recorded_by.eq(r.by),
                module_results::recorded_at.eq(r.at),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(module_results::table)
        .values(&values)
        .execute(c))
    .map(|_| ())
}

/// Sets one outcome on several trainees' results for the module in one UPDATE.
pub fn update_many(
    conn: &mut DbConn,
    r: &Recorded,
    to: Outcome,
    enrolments: &[EnrolmentId],
) -> QueryResult<()> {
    diesel::update(
        module_results::table
            .filter(module_results::enrolment_id.eq_any(enrolments))
            .filter(module_results::cohort_module_id.eq(r.module)),
    )
    .set((
        module_results::score.eq(to.0),
        module_results::passed.eq(to.1),
        module_results::recorded_by.eq(r.by),
        module_results::recorded_at.eq(r.at),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Removes results marked not completed after all.
pub fn delete_many(
    conn: &mut DbConn,
    module: CohortModuleId,
    enrolments: &[EnrolmentId],
) -> QueryResult<()> {
    if enrolments.is_empty() {
        return Ok(());
    }
    diesel::delete(
        module_results::table
            .filter(module_results::enrolment_id.eq_any(enrolments))
            .filter(module_results::cohort_module_id.eq(module)),
    )
    .execute(conn)
    .map(|_| ())
}

/// One trainee's line on a module's results sheet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultRow {
    pub enrolment_id: EnrolmentId,
    pub name: String,
    pub department: String,
    pub first_day: i64,
    pub completed: bool,
    pub score: Option<i64>,
    /// Computed from the score and the module's pass mark when saved.
    pub passed: Option<bool>,
}

/// A module's results for the cohort's active roster.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultsSheet {
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub module: CohortModule,
    pub rows: Vec<ResultRow>,
}

/// The cohort's module `module`, or NotFound when it belongs to another cohort.
pub fn module_of(modules: &[CohortModule], module: CohortModuleId) -> AppResult<CohortModule> {
    modules
        .iter()
        .find(|m| m.id == module)
        .cloned()
        .ok_or(AppError::NotFound)
}

pub fn sheet(
    conn: &mut DbConn,
    cohort_id: CohortId,
    module: CohortModuleId,
) -> AppResult<ResultsSheet> {
    let cohort = cohorts::find(conn, cohort_id)?;
    let modules = cohorts::modules(conn, cohort_id)?;
    let module = module_of(&modules, module)?;
    let results = for_module(conn, module.id)?;
    let rows = enrolments::roster(conn, cohort_id)?
        .into_iter()
        .map(|r| {
            let outcome = results.get(&r.enrolment_id);
            ResultRow {
                enrolment_id: r.enrolment_id,
                name: r.name,
                department: r.department,
                first_day: r.first_day,
                completed: outcome.is_some(),
                score: outcome.and_then(|o| o.0),
                passed: outcome.map(|o| o.1),
            }
        })
        .collect();
    Ok(ResultsSheet {
        cohort_id,
        cohort_name: cohort.name,
        module,
        rows,
    })
}
