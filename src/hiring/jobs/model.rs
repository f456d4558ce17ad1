//! Job rows, their competencies, and what the jobs list shows.

use crate::db::ids::{CompetencyId, JobId, UserId};
use crate::db::schema::{competencies, jobs, users};
use crate::db::{DbConn, LiteralLimit};
use crate::hiring::jobs::rules::{ValidCompetency, ValidJob};
use crate::hiring::rules::JobStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: JobId,
    pub title: String,
    pub department: String,
    pub location: String,
    pub description: String,
    pub hiring_manager_id: Option<UserId>,
    /// open, on_hold or closed.
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Moves with every change to the job's candidates, counts, competencies, title and
    /// location (triggers): what the board and the job's list keep is keyed by it.
    #[serde(skip)]
    pub revision: i64,
}

impl Job {
    pub fn status(&self) -> JobStatus {
        JobStatus::parse(&self.status).unwrap_or(JobStatus::Closed)
    }
}

/// A technical competency the technical interview scores for a job.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = competencies)]
pub struct Competency {
    pub id: CompetencyId,
    pub job_id: JobId,
    pub position: i64,
    pub name: String,
    pub good_looks_like: String,
}

pub fn find(conn: &mut DbConn, id: JobId) -> QueryResult<Job> {
    jobs::table.find(id).select(Job::as_select()).first(conn)
}

/// A job's competencies in scorecard order.
pub fn competencies(conn: &mut DbConn, job_id: JobId) -> QueryResult<Vec<Competency>> {
    competencies::table
        .filter(competencies::job_id.eq(job_id))
        .select(Competency::as_select())
        .order((competencies::position.asc(), competencies::id.asc()))
        .load(conn)
}

/// Jobs by status then title, `limit` of them after the id `after` when paging by id.
pub fn list(
    conn: &mut DbConn,
    status: Option<JobStatus>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    let mut q = jobs::table
        .select(Job::as_select())
        .order(jobs::id.asc())
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(jobs::status.eq(s.as_str()));
    }
    if let Some(a) = after {
        q = q.filter(jobs::id.gt(a));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// Every job of a status (or all), for the jobs page and select boxes: few rows.
pub fn all(conn: &mut DbConn, status: Option<JobStatus>) -> QueryResult<Vec<Job>> {
    let mut q = jobs::table
        .select(Job::as_select())
        .order((jobs::status.asc(), jobs::title.asc(), jobs::id.asc()))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(jobs::status.eq(s.as_str()));
    }
    q.load(conn)
}

/// A job as a picker shows it.
#[derive(Debug, Clone, Queryable)]
pub struct JobChoice {
    pub id: JobId,
    pub title: String,
    pub location: String,
    /// `Job::revision`: the candidate list filtered by this job is kept by it.
    pub revision: i64,
}

/// Every job for a picker, in the order of `all`, without the descriptions.
pub fn choices(conn: &mut DbConn) -> QueryResult<Vec<JobChoice>> {
    jobs::table
        .select((jobs::id, jobs::title, jobs::location, jobs::revision))
        .order((jobs::status.asc(), jobs::title.asc(), jobs::id.asc()))
        .load(conn)
}

/// People who can be chosen as hiring manager: active accounts, by name.
pub fn active_people(conn: &mut DbConn) -> QueryResult<Vec<(UserId, String, String)>> {
    users::table
        .filter(users::active.eq(true))
        .select((users::id, users::name, users::email))
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}

pub fn user_is_active(conn: &mut DbConn, id: UserId) -> QueryResult<bool> {
    Ok(users::table
        .filter(users::id.eq(id))
        .filter(users::active.eq(true))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn insert(conn: &mut DbConn, j: &ValidJob, now: NaiveDateTime) -> QueryResult<JobId> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq(&j.title),
            jobs::department.eq(&j.department),
            jobs::location.eq(&j.location),
            jobs::description.eq(&j.description),
            jobs::hiring_manager_id.eq(j.hiring_manager_id),
            jobs::status.eq(j.status.as_str()),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(conn)
}

pub fn update(conn: &mut DbConn, id: JobId, j: &ValidJob, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((
            jobs::title.eq(&j.title),
            jobs::department.eq(&j.department),
            jobs::location.eq(&j.location),
            jobs::description.eq(&j.description),
            jobs::hiring_manager_id.eq(j.hiring_manager_id),
            jobs::status.eq(j.status.as_str()),
            jobs::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Makes the job's competencies exactly these: listed ids are updated in place (so
/// scorecards that rated them keep pointing at them), new rows inserted, the rest removed.
/// The caller has checked that every listed id belongs to this job.
pub fn replace_competencies(
    conn: &mut DbConn,
    job_id: JobId,
    rows: &[ValidCompetency],
) -> QueryResult<()> {
    let keep: Vec<CompetencyId> = rows.iter().filter_map(|r| r.id).collect();
    diesel::delete(
        competencies::table
            .filter(competencies::job_id.eq(job_id))
            .filter(competencies::id.ne_all(&keep)),
    )
    .execute(conn)?;
    for r in rows {
        match r.id {
            Some(id) => {
                diesel::update(competencies::table.find(id))
                    .set((
                        competencies::position.eq(r.position),
                        competencies::name.eq(&r.name),
                        competencies::good_looks_like.eq(&r.good_looks_like),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(competencies::table)
                    .values((
                        competencies::job_id.eq(job_id),
                        competencies::position.eq(r.position),
                        competencies::name.eq(&r.name),
                        competencies::good_looks_like.eq(&r.good_looks_like),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}
