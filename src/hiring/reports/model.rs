//! The reports' queries. Each aggregates in the database and returns a handful of rows
//! (counts per stage, histograms of whole hours), never one row per candidate.
//!
//! They are raw SQL because they need CASE, window functions and date arithmetic; the
//! text is written once and only two things differ by dialect (bind placeholders and the
//! seconds between two timestamps), handled in `load` and `secs`.
//!
//! Plans (checked with EXPLAIN QUERY PLAN / EXPLAIN):
//! - funnel, one job: `candidates_job_stage_idx` (job_id = ?, stage IN (every stage),
//!   applied_at range) as a covering index, then `stage_changes_candidate_idx` per candidate
//!   (a correlated subquery for how far each got; LEAD() over the same join for time in stage);
//! - funnel, all jobs: `candidates_applied_idx` range, then `stage_changes_candidate_idx`;
//! - time to hire: `candidates_job_stage_idx` / `candidates_stage_idx` with stage = 'hired';
//! - calibration: `interviews_status_idx` (status IN (..), starts_at range), then
//!   `scorecards_interview_idx`, `scorecard_versions_idx`, `scorecard_ratings_version_idx`.

use crate::db::ids::{JobId, UserId};
use crate::db::schema::users;
use crate::db::DbConn;
use crate::hiring::reports::rules::{self, LATE_GRACE_SECS};
use crate::hiring::rules::{InterviewStatus, Recommendation, Stage, Track};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel::sqlite::Sqlite;
use serde::Serialize;
use std::collections::BTreeMap;

/// A value bound into one of the raw queries.
#[derive(Debug, Clone)]
enum Arg {
    Ts(NaiveDateTime),
    Int(i64),
    Text(String),
}

/// Runs `sql` (written with `?` placeholders) on either backend.
fn load<R>(conn: &mut DbConn, sql: &str, args: &[Arg]) -> QueryResult<Vec<R>>
where
    R: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
{
    macro_rules! run {
        ($c:expr, $db:ty, $sql:expr) => {{
            let mut q = diesel::sql_query($sql).into_boxed::<$db>();
            for a in args {
                q = match a {
                    Arg::Ts(t) => q.bind::<Timestamp, _>(*t),
                    Arg::Int(i) => q.bind::<BigInt, _>(*i),
                    Arg::Text(s) => q.bind::<Text, _>(s.clone()),
                };
            }
            q.load::<R>($c)
        }};
    }
    match conn {
        DbConn::Sqlite(c) => run!(c, Sqlite, sql.to_string()),
        DbConn::Pg(c) => run!(c, Pg, numbered(sql)),
    }
}

/// `?` placeholders as PostgreSQL's `$1, $2, ...` (the queries hold no `?` in literals).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut k = 0;
    for c in sql.chars() {
        if c == '?' {
            k += 1;
            out.push_str(&format!("${k}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whole seconds from timestamp `a` to timestamp `b`, as a BIGINT expression.
fn secs(conn: &DbConn, a: &str, b: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => {
            format!("(CAST(strftime('%s', {b}) AS INTEGER) - CAST(strftime('%s', {a}) AS INTEGER))")
        }
        DbConn::Pg(_) => format!("CAST(EXTRACT(EPOCH FROM ({b} - {a})) AS BIGINT)"),
    }
}

/// `'a', 'b', ...` for an IN list of our own enum texts (never user input).
fn quoted(values: impl IntoIterator<Item = &'static str>) -> String {
    values
        .into_iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which candidates a funnel counts: those who applied in the period, for one job or all.
#[derive(Debug, Clone)]
pub struct FunnelFilter {
    pub job: Option<JobId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The WHERE clause for candidates `c` in the filter, limited to some current stages.
/// With a job, listing the stages lets the (job_id, stage, applied_at) index seek each
/// stage's applied range instead of scanning the whole job.
fn cohort(f: &FunnelFilter, stages: &[Stage], args: &mut Vec<Arg>) -> String {
    let (start, end) = rules::period_bounds(f.from, f.to);
    let mut w = String::new();
    if let Some(job) = f.job {
        w.push_str("c.job_id = ? AND ");
        args.push(Arg::Int(job.0));
    }
    if f.job.is_some() || stages.len() < Stage::ALL.len() {
        w.push_str(&format!(
            "c.stage IN ({}) AND ",
            quoted(stages.iter().map(|s| s.as_str()))
        ));
    }
    w.push_str("c.applied_at >= ? AND c.applied_at < ?");
    args.push(Arg::Ts(start));
    args.push(Arg::Ts(end));
    w
}

#[derive(QueryableByName)]
struct FurthestRow {
    #[diesel(sql_type = BigInt)]
    furthest: i64,
    #[diesel(sql_type = Text)]
    outcome: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct HoursRow {
    #[diesel(sql_type = BigInt)]
    hours: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct StageHoursRow {
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = BigInt)]
    hours: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What the funnel queries return, before the arithmetic in `rules`.
#[derive(Debug, Clone, Default)]
pub struct FunnelData {
    /// (furthest funnel rank reached, how many candidates).
    pub furthest: Vec<(usize, i64)>,
    /// How many of the cohort now stand in each stage (rejected, withdrawn, ...).
    pub current: BTreeMap<Stage, i64>,
    /// Whole hours from applying to being hired: (hours, how many).
    pub hire_hours: Vec<(i64, i64)>,
    /// Whole hours a finished stay in each stage lasted: stage -> (hours, how many).
    pub stage_hours: BTreeMap<Stage, Vec<(i64, i64)>>,
}

pub fn funnel(conn: &mut DbConn, f: &FunnelFilter) -> QueryResult<FunnelData> {
    let rank_case = format!(
        "CASE sc.to_stage {} ELSE 0 END",
        rules::FUNNEL
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, s)| format!("WHEN '{}' THEN {i}", s.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut data = FunnelData::default();

    // How far each candidate got, counted per (furthest stage, current stage).
    let mut args = vec![];
    let w = cohort(f, Stage::ALL, &mut args);
    // A correlated subquery rather than a join grouped by candidate: grouping by c.id
    // tempts SQLite into scanning all candidates in id order instead of the date range.
    let sql = format!(
        "SELECT CAST(t.furthest AS BIGINT) AS furthest, t.outcome AS outcome, COUNT(*) AS n FROM (\
           SELECT c.stage AS outcome, COALESCE((SELECT MAX({rank_case}) FROM stage_changes sc \
             WHERE sc.candidate_id = c.id), 0) AS furthest \
           FROM candidates c WHERE {w}) t \
         GROUP BY t.furthest, t.outcome"
    );
    let mut furthest: BTreeMap<usize, i64> = BTreeMap::new();
    for r in load::<FurthestRow>(conn, &sql, &args)? {
        let stage = Stage::parse(&r.outcome);
        // The current stage counts too, in case its history row were missing.
        let now_rank = stage.and_then(rules::rank).unwrap_or(0);
        let best = (r.furthest.max(0) as usize).max(now_rank);
        *furthest.entry(best).or_default() += r.n;
        if let Some(s) = stage {
            *data.current.entry(s).or_default() += r.n;
        }
    }
    data.furthest = furthest.into_iter().collect();

    // Time to hire: from applying to the move into `hired`.
    let mut args = vec![];
    let w = cohort(f, &[Stage::Hired], &mut args);
    let sql = format!(
        "SELECT CAST({d} / 3600 AS BIGINT) AS hours, COUNT(*) AS n \
         FROM candidates c JOIN stage_changes sc ON sc.candidate_id = c.id AND sc.to_stage = 'hired' \
         WHERE {w} GROUP BY 1",
        d = secs(conn, "c.applied_at", "sc.at"),
    );
    data.hire_hours = load::<HoursRow>(conn, &sql, &args)?
        .into_iter()
        .map(|r| (r.hours, r.n))
        .collect();

    // Time in stage: the gap from each move to the candidate's next one.
    let mut args = vec![];
    let w = cohort(f, Stage::ALL, &mut args);
    let sql = format!(
        "SELECT t.stage AS stage, CAST({d} / 3600 AS BIGINT) AS hours, COUNT(*) AS n FROM (\
           SELECT sc.to_stage AS stage, sc.at AS at, \
             LEAD(sc.at) OVER (PARTITION BY sc.candidate_id ORDER BY sc.at, sc.id) AS next_at \
           FROM candidates c JOIN stage_changes sc ON sc.candidate_id = c.id WHERE {w}) t \
         WHERE t.next_at IS NOT NULL GROUP BY 1, 2",
        d = secs(conn, "t.at", "t.next_at"),
    );
    for r in load::<StageHoursRow>(conn, &sql, &args)? {
        if let Some(s) = Stage::parse(&r.stage) {
            data.stage_hours.entry(s).or_default().push((r.hours, r.n));
        }
    }
    Ok(data)
}

#[derive(Debug, Clone, Serialize)]
pub struct JobOption {
    pub id: i64,
    pub title: String,
}

/// Every job, for the filter's select box.
pub fn job_options(conn: &mut DbConn) -> QueryResult<Vec<JobOption>> {
    use crate::db::schema::jobs;
    let rows: Vec<(JobId, String)> = jobs::table
        .select((jobs::id, jobs::title))
        .order((jobs::title.asc(), jobs::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| JobOption { id: id.0, title })
        .collect())
}

/// Which scorecards calibration reads: those of interviews that started in the period.
#[derive(Debug, Clone)]
pub struct CalibrationFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub track: Option<Track>,
}

fn interview_where(f: &CalibrationFilter, args: &mut Vec<Arg>) -> String {
    let (start, end) = rules::period_bounds(f.from, f.to);
    let mut w = format!(
        "i.status IN ({}) AND i.starts_at >= ? AND i.starts_at < ?",
        quoted(InterviewStatus::ALL.iter().map(|s| s.as_str()))
    );
    args.push(Arg::Ts(start));
    args.push(Arg::Ts(end));
    if let Some(t) = f.track {
        w.push_str(" AND i.track = ?");
        args.push(Arg::Text(t.as_str().into()));
    }
    w
}

#[derive(QueryableByName)]
struct RecommendationRow {
    #[diesel(sql_type = BigInt)]
    interviewer_id: i64,
    #[diesel(sql_type = Text)]
    recommendation: String,
    #[diesel(sql_type = BigInt)]
    late: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct AttributeRow {
    #[diesel(sql_type = BigInt)]
    interviewer_id: i64,
    #[diesel(sql_type = Text)]
    attribute: String,
    #[diesel(sql_type = BigInt)]
    mine_n: i64,
    #[diesel(sql_type = BigInt)]
    mine_total: i64,
    #[diesel(sql_type = BigInt)]
    panel_n: i64,
    #[diesel(sql_type = BigInt)]
    panel_total: i64,
}

/// One interviewer's figures for the period.
#[derive(Debug, Clone)]
pub struct InterviewerStats {
    pub id: UserId,
    pub name: String,
    pub submitted: i64,
    pub late: i64,
    /// Counts per recommendation, in `Recommendation::ALL` order.
    pub recommendations: [i64; 4],
    /// Attribute name -> their (count, sum) and the panel's (count, sum) of ratings.
    pub attributes: Vec<(String, rules::Comparison)>,
}

pub fn calibration(conn: &mut DbConn, f: &CalibrationFilter) -> QueryResult<Vec<InterviewerStats>> {
    let mut args = vec![Arg::Int(LATE_GRACE_SECS)];
    let w = interview_where(f, &mut args);
    let sql = format!(
        "SELECT s.interviewer_id AS interviewer_id, s.recommendation AS recommendation, \
           CAST(SUM(CASE WHEN {d} - i.duration_minutes * 60 > ? THEN 1 ELSE 0 END) AS BIGINT) AS late, \
           COUNT(*) AS n \
         FROM interviews i JOIN scorecards s ON s.interview_id = i.id \
         WHERE {w} GROUP BY s.interviewer_id, s.recommendation",
        d = secs(conn, "i.starts_at", "s.submitted_at"),
    );
    let mut by_id: BTreeMap<i64, InterviewerStats> = BTreeMap::new();
    for r in load::<RecommendationRow>(conn, &sql, &args)? {
        let e = by_id
            .entry(r.interviewer_id)
            .or_insert_with(|| InterviewerStats {
                id: UserId(r.interviewer_id),
                name: String::new(),
                submitted: 0,
                late: 0,
                recommendations: [0; 4],
                attributes: vec![],
            });
        e.submitted += r.n;
        e.late += r.late;
        if let Some(i) = Recommendation::parse(&r.recommendation)
            .and_then(|rec| Recommendation::ALL.iter().position(|x| *x == rec))
        {
            e.recommendations[i] += r.n;
        }
    }

    // Their mean per attribute beside the other interviewers' on the same candidates,
    // from each scorecard's current version, N/A left out.
    let mut args = vec![];
    let w = interview_where(f, &mut args);
    let sql = format!(
        "WITH cur AS (\
           SELECT s.interviewer_id AS who, s.candidate_id AS cand, r.attribute_name AS attr, r.rating AS rating \
           FROM interviews i JOIN scorecards s ON s.interview_id = i.id \
             JOIN scorecard_versions v ON v.scorecard_id = s.id AND v.version = s.version \
             JOIN scorecard_ratings r ON r.scorecard_version_id = v.id \
           WHERE {w} AND r.rating IS NOT NULL), \
         mine AS (SELECT who, attr, COUNT(*) AS n, SUM(rating) AS total FROM cur GROUP BY who, attr), \
         panel AS (\
           SELECT m.who AS who, m.attr AS attr, COUNT(*) AS n, SUM(o.rating) AS total \
           FROM (SELECT DISTINCT who, cand, attr FROM cur) m \
             JOIN cur o ON o.cand = m.cand AND o.attr = m.attr AND o.who <> m.who \
           GROUP BY m.who, m.attr) \
         SELECT mine.who AS interviewer_id, mine.attr AS attribute, \
           CAST(mine.n AS BIGINT) AS mine_n, CAST(mine.total AS BIGINT) AS mine_total, \
           CAST(COALESCE(panel.n, 0) AS BIGINT) AS panel_n, CAST(COALESCE(panel.total, 0) AS BIGINT) AS panel_total \
         FROM mine LEFT JOIN panel ON panel.who = mine.who AND panel.attr = mine.attr"
    );
    for r in load::<AttributeRow>(conn, &sql, &args)? {
        if let Some(e) = by_id.get_mut(&r.interviewer_id) {
            e.attributes.push((
                r.attribute,
                rules::Comparison::from_sums((r.mine_n, r.mine_total), (r.panel_n, r.panel_total)),
            ));
        }
    }
    // Names by primary key, for the few people found above.
    let ids: Vec<UserId> = by_id.keys().map(|id| UserId(*id)).collect();
    let names: Vec<(UserId, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)?;
    for (id, name) in names {
        if let Some(e) = by_id.get_mut(&id.0) {
            e.name = name;
        }
    }
    let mut out: Vec<InterviewerStats> = by_id.into_values().collect();
    for e in &mut out {
        // Sorted here, not in SQL: the two databases collate text differently.
        e.attributes.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(out)
}
