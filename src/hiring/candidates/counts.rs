//! The pipeline board's counts per job and stage (`job_stage_counts`), kept in step in
//! the caller's transaction with every candidate insert, stage move and job change, so a
//! board never counts a popular job's candidates.

use crate::db::ids::JobId;
use crate::db::schema::job_stage_counts;
use crate::db::DbConn;
use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Adds `delta` (negative: removes) candidates to a job's stage.
pub fn add(conn: &mut DbConn, job: JobId, stage: &str, delta: i64) -> QueryResult<()> {
    use job_stage_counts::dsl as t;
    let q = diesel::insert_into(t::job_stage_counts)
        .values((
            t::job_id.eq(job),
            t::stage.eq(stage),
            t::candidates.eq(delta),
        ))
        .on_conflict((t::job_id, t::stage))
        .do_update()
        .set(t::candidates.eq(t::candidates + delta));
    crate::per_backend!(conn, |c| q.execute(c)).map(|_| ())
}

/// A candidate left one (job, stage) for another.
pub fn moved(conn: &mut DbConn, from: (JobId, &str), to: (JobId, &str)) -> QueryResult<()> {
    if from != to {
        add(conn, from.0, from.1, -1)?;
        add(conn, to.0, to.1, 1)?;
    }
    Ok(())
}

/// Many new candidates at once (an import): one update per (job, stage).
pub fn add_all<'a>(
    conn: &mut DbConn,
    rows: impl IntoIterator<Item = (JobId, &'a str)>,
) -> QueryResult<()> {
    let mut tally: BTreeMap<(JobId, &str), i64> = BTreeMap::new();
    for key in rows {
        *tally.entry(key).or_default() += 1;
    }
    for ((job, stage), n) in tally {
        add(conn, job, stage, n)?;
    }
    Ok(())
}

/// (stage, candidates) of a job's non-empty stages.
pub fn for_job(conn: &mut DbConn, job: JobId) -> QueryResult<Vec<(String, i64)>> {
    job_stage_counts::table
        .filter(job_stage_counts::job_id.eq(job))
        .filter(job_stage_counts::candidates.gt(0))
        .select((job_stage_counts::stage, job_stage_counts::candidates))
        .load(conn)
}

/// Candidates per job in every stage, for these jobs (the jobs list): a job's few rows
/// summed, where counting the candidates read every one of them.
pub fn per_job(conn: &mut DbConn, jobs: &[JobId]) -> QueryResult<HashMap<JobId, i64>> {
    let rows: Vec<(JobId, i64)> = job_stage_counts::table
        .filter(job_stage_counts::job_id.eq_any(jobs))
        .select((job_stage_counts::job_id, job_stage_counts::candidates))
        .load(conn)?;
    let mut counts = HashMap::new();
    for (job, n) in rows {
        *counts.entry(job).or_insert(0) += n;
    }
    Ok(counts)
}
