//! Bulk writes for the import and the demo generator: many candidates in multi-row
//! INSERTs, chunked under each backend's bind-parameter limit, and their stage history
//! the same way on SQLite and by COPY on PostgreSQL.

use crate::db::ids::{CandidateId, JobId, UserId};
use crate::db::schema::{candidates, jobs, stage_changes};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One candidate row as stored (red_flag keeps its default, false).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = candidates)]
pub struct NewCandidateRow {
    pub name: String,
    pub name_key: String,
    pub email: String,
    pub phone: String,
    pub source: String,
    pub job_id: JobId,
    pub resume_text: String,
    pub resume_url: String,
    pub notes: String,
    pub stage: String,
    pub stage_entered_at: NaiveDateTime,
    pub applied_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One move in a candidate's stage history. `None` is stored as NULL (not DEFAULT), which
/// lets SQLite take many rows in one statement.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = stage_changes, treat_none_as_default_value = false)]
pub struct NewStageChange {
    pub candidate_id: CandidateId,
    pub job_id: JobId,
    pub from_stage: Option<&'static str>,
    pub to_stage: &'static str,
    pub reason: Option<&'static str>,
    pub note: String,
    pub actor_id: Option<UserId>,
    pub at: NaiveDateTime,
}

/// Binds per candidate row: the 14 columns above.
const CANDIDATE_BINDS: usize = 14;
const STAGE_CHANGE_BINDS: usize = 8;

/// Rows per statement: SQLite takes at most 32,766 bound values, PostgreSQL 65,535.
pub(crate) fn chunk_rows(conn: &DbConn, binds_per_row: usize) -> usize {
    let limit = match conn {
        DbConn::Sqlite(_) => 32_766,
        DbConn::Pg(_) => 65_535,
    };
    // Well under the limit: huge statements cost more to build than they save.
    (limit / binds_per_row).min(2_000)
}

/// Stores candidates and returns their new ids in the order of `rows`. Call inside
/// `write_tx`, followed in the same transaction by `count_on_board` for the same rows.
pub fn insert_candidates(
    conn: &mut DbConn,
    rows: &[NewCandidateRow],
    mut done: impl FnMut(usize),
) -> QueryResult<Vec<CandidateId>> {
    let size = chunk_rows(conn, CANDIDATE_BINDS);
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(size) {
        let q = diesel::insert_into(candidates::table)
            .values(chunk)
            .returning((candidates::id, candidates::email));
        let got: Vec<(CandidateId, String)> = crate::per_backend!(conn, |c| q.get_results(c)?);
        ids.extend(in_row_order(chunk, got));
        done(chunk.len());
    }
    Ok(ids)
}

/// Adds new candidates to their boards' counts. Best last in its transaction: it locks
/// the count rows every writer of new candidates shares, until the commit.
pub fn count_on_board(conn: &mut DbConn, rows: &[NewCandidateRow]) -> QueryResult<()> {
    let keys = rows.iter().map(|r| (r.job_id, r.stage.as_str()));
    crate::hiring::candidates::counts::add_all(conn, keys)
}

/// RETURNING gives rows in insert order on both backends, but neither promises it:
/// match by the (unique) email whenever the order differs.
fn in_row_order(chunk: &[NewCandidateRow], got: Vec<(CandidateId, String)>) -> Vec<CandidateId> {
    if got.iter().zip(chunk).all(|((_, e), r)| *e == r.email) {
        return got.into_iter().map(|(id, _)| id).collect();
    }
    let by_email: std::collections::HashMap<String, CandidateId> =
        got.into_iter().map(|(id, e)| (e, id)).collect();
    chunk.iter().map(|r| by_email[&r.email]).collect()
}

pub fn insert_stage_changes(conn: &mut DbConn, rows: &[NewStageChange]) -> QueryResult<usize> {
    let size = chunk_rows(conn, STAGE_CHANGE_BINDS);
    match conn {
        // One binary COPY stream: no statement to parse and plan per chunk of rows.
        DbConn::Pg(c) => diesel::copy_from(stage_changes::table)
            .from_insertable(rows)
            .execute(c),
        DbConn::Sqlite(c) => {
            let mut n = 0;
            for chunk in rows.chunks(size) {
                n += diesel::insert_into(stage_changes::table)
                    .values(chunk)
                    .execute(c)?;
            }
            Ok(n)
        }
    }
}

/// A job as the import needs it: its title and status.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct JobChoice {
    pub id: JobId,
    pub title: String,
    pub department: String,
    pub status: String,
}

pub fn find_job(conn: &mut DbConn, id: JobId) -> QueryResult<Option<JobChoice>> {
    jobs::table
        .find(id)
        .select((jobs::id, jobs::title, jobs::department, jobs::status))
        .first(conn)
        .optional()
}

/// Jobs that take candidates (not closed), by title.
pub fn jobs_taking_candidates(conn: &mut DbConn) -> QueryResult<Vec<JobChoice>> {
    jobs::table
        .filter(jobs::status.ne(crate::hiring::rules::JobStatus::Closed.as_str()))
        .select((jobs::id, jobs::title, jobs::department, jobs::status))
        .order((jobs::title.asc(), jobs::id.asc()))
        .load(conn)
}
