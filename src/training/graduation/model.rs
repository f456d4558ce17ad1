//! The graduation board of a cohort, the employee record graduation starts, closing the
//! class, and what a graduate's printable page shows.

use crate::db::ids::{CohortId, EmployeeId, EnrolmentId, HireId, UserId};
use crate::db::schema::{cohorts, employees, enrolments, hires, users};
use crate::db::DbConn;
use crate::training::cohorts::model::{self as cohorts_model, Cohort, Trainer};
use crate::training::enrolments::model::{roster, Enrolment, RosterRow};
use crate::training::graduation::rules;
use crate::training::progress::model as progress;
use crate::training::rules::{graduation_gaps, EnrolmentStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// One active trainee and what they still lack (nothing: they qualify).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Standing {
    #[serde(flatten)]
    pub trainee: RosterRow,
    pub qualifies: bool,
    pub gaps: Vec<String>,
}

/// A cohort's graduation picture.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub cohort: Cohort,
    pub last_day: Option<NaiveDate>,
    /// On or after the last training day, while the class is not closed.
    pub open: bool,
    pub trainees: Vec<Standing>,
}

/// Every active trainee of the cohort, qualifying or not, by name. A fixed number of
/// grouped queries whatever the roster size.
pub fn board(conn: &mut DbConn, id: CohortId, today: NaiveDate) -> QueryResult<Board> {
    let cohort = cohorts_model::find(conn, id)?;
    let days = cohort.days()?;
    let modules = cohorts_model::modules(conn, id)?;
    let summaries = progress::cohort_summaries(conn, id)?;
    let results = progress::cohort_results(conn, id)?;
    let trainees = roster(conn, id)?
        .into_iter()
        .map(|row| {
            let summary = progress::Summary {
                tally: row.tally,
                ..summaries
                    .get(&row.enrolment_id)
                    .copied()
                    .unwrap_or_default()
            };
            let p = progress::progress(
                &cohort,
                &days,
                &modules,
                row.first_day,
                &summary,
                results.get(&row.enrolment_id),
                today,
            );
            let gaps = graduation_gaps(&p);
            Standing {
                trainee: row,
                qualifies: gaps.is_empty(),
                gaps,
            }
        })
        .collect();
    let last_day = days.last().copied();
    Ok(Board {
        open: cohort.graduated_at.is_none() && rules::is_open(last_day, today),
        last_day,
        cohort,
        trainees,
    })
}

/// Starts the employment record of a graduate in their destination department.
pub fn insert_employee(
    conn: &mut DbConn,
    trainee: &RosterRow,
    started_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<EmployeeId> {
    diesel::insert_into(employees::table)
        .values((
            employees::hire_id.eq(trainee.hire_id),
            employees::user_id.eq(trainee.user_id),
            employees::department.eq(&trainee.department),
            employees::title.eq(&trainee.title),
            employees::started_on.eq(started_on),
            employees::leave_reason.eq(""),
            employees::created_at.eq(now),
            employees::updated_at.eq(now),
        ))
        .returning(employees::id)
        .get_result(conn)
}

/// Closes the class.
pub fn close(conn: &mut DbConn, id: CohortId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(cohorts::table.find(id))
        .set((cohorts::graduated_at.eq(now), cohorts::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Later classes a trainee who does not qualify can be moved to, soonest first.
pub fn later_cohorts(conn: &mut DbConn, after: &Cohort) -> QueryResult<Vec<(CohortId, String)>> {
    cohorts::table
        .filter(cohorts::start_date.gt(after.start_date))
        .filter(cohorts::graduated_at.is_null())
        .order((cohorts::start_date.asc(), cohorts::id.asc()))
        .select((cohorts::id, cohorts::name))
        .limit(20)
        .load(conn)
}

/// What the printable graduation page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Graduate {
    pub enrolment_id: EnrolmentId,
    pub user_id: UserId,
    pub hire_id: HireId,
    pub name: String,
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub curriculum_name: String,
    pub department: String,
    pub title: String,
    pub graduated_on: NaiveDate,
    pub trainers: Vec<Trainer>,
}

/// A graduated enrolment's page; None for any other enrolment.
pub fn graduate(conn: &mut DbConn, id: EnrolmentId) -> QueryResult<Option<Graduate>> {
    let row: Option<(Enrolment, String, String, String, String, String)> = enrolments::table
        .inner_join(users::table)
        .inner_join(hires::table)
        .inner_join(cohorts::table)
        .filter(enrolments::id.eq(id))
        .filter(enrolments::status.eq(EnrolmentStatus::Graduated.as_str()))
        .select((
            Enrolment::as_select(),
            users::name,
            hires::department,
            hires::title,
            cohorts::name,
            cohorts::curriculum_name,
        ))
        .first(conn)
        .optional()?;
    let Some((e, name, department, title, cohort_name, curriculum_name)) = row else {
        return Ok(None);
    };
    let graduated_on = employees::table
        .filter(employees::hire_id.eq(e.hire_id))
        .select(employees::started_on)
        .first::<NaiveDate>(conn)
        .optional()?
        .or(e.ended_at.map(|t| t.date()))
        .unwrap_or(e.updated_at.date());
    Ok(Some(Graduate {
        enrolment_id: e.id,
        user_id: e.user_id,
        hire_id: e.hire_id,
        name,
        cohort_id: e.cohort_id,
        cohort_name,
        curriculum_name,
        department,
        title,
        graduated_on,
        trainers: cohorts_model::trainers(conn, e.cohort_id)?,
    }))
}
