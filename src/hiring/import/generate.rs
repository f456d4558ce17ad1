//! Generated candidates for benchmarks and demos (`onramp demo --candidates N`): open jobs
//! with competencies, and candidates spread across them with realistic names, sources,
//! applied dates over two years and a pipeline funnel, each with a consistent stage history.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, JobId};
use crate::db::schema::{candidates, competencies, jobs};
use crate::db::{write_tx, DbConn, DbPool};
use crate::error::AppResult;
use crate::hiring::candidates::rules::name_key;
use crate::hiring::import::model::{self, NewCandidateRow, NewStageChange};
use crate::hiring::import::progress::Progress;
use crate::hiring::rules::{JobStatus, RejectReason, Source, Stage};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Candidates written per transaction, at most: big transactions load fastest.
const BATCH: usize = 100_000;

#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    pub jobs_created: usize,
    pub jobs_used: usize,
    pub candidates: usize,
    pub stage_changes: usize,
}

pub(crate) const FIRST: [&str; 48] = [
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Mia", "James",
    "Harper", "Lucas", "Evelyn", "Mateo", "Aaliyah", "Ethan", "Priya", "Wei", "Fatima", "Diego",
    "Chloe", "Kwame", "Yuki", "Santiago", "Zara", "Omar", "Ingrid", "Tariq", "Lucia", "Hiro",
    "Grace", "Malik", "Nora", "Arjun", "Elena", "Mason", "Layla", "Kai", "Rosa", "Daniel", "Aisha",
    "Leo", "Maya", "Samuel", "Ivy", "Jamal", "Hannah", "Tomas",
];
pub(crate) const LAST: [&str; 48] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Okafor",
];
const DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];

/// (title, department, three competencies)
const JOBS: [(&str, &str, [&str; 3]); 10] = [
    (
        "Customer Loyalty Team Member",
        "Customer Loyalty",
        ["Listening", "Problem solving", "Patience"],
    ),
    (
        "Senior Software Engineer",
        "Engineering",
        ["System design", "Code quality", "Debugging"],
    ),
    (
        "Warehouse Associate",
        "Fulfillment",
        ["Safety", "Accuracy", "Stamina"],
    ),
    (
        "Merchandising Analyst",
        "Merchandising",
        ["Data analysis", "Vendor relations", "Forecasting"],
    ),
    (
        "Product Designer",
        "Design",
        ["Interaction design", "User research", "Visual craft"],
    ),
    (
        "HR Generalist",
        "People",
        ["Employment law", "Discretion", "Coaching"],
    ),
    (
        "Data Engineer",
        "Engineering",
        ["SQL", "Pipelines", "Data modelling"],
    ),
    (
        "Marketing Manager",
        "Marketing",
        ["Campaign planning", "Copywriting", "Measurement"],
    ),
    (
        "Finance Associate",
        "Finance",
        ["Accounting", "Spreadsheets", "Attention to detail"],
    ),
    (
        "Site Reliability Engineer",
        "Engineering",
        ["Operations", "Automation", "Incident response"],
    ),
];
const LOCATIONS: [&str; 4] = [
    "Las Vegas, NV",
    "Shepherdsville, KY",
    "Remote (US)",
    "San Francisco, CA",
];

/// Weighted picks: where the candidate is now (most early, fewer further, some finished).
const FUNNEL: [(Stage, u32); 8] = [
    (Stage::Applied, 34),
    (Stage::Screening, 22),
    (Stage::Technical, 11),
    (Stage::Culture, 7),
    (Stage::Decision, 4),
    (Stage::Hired, 4),
    (Stage::Rejected, 14),
    (Stage::Withdrawn, 4),
];
const SOURCES: [(Source, u32); 6] = [
    (Source::CareersPage, 38),
    (Source::JobBoard, 25),
    (Source::Referral, 15),
    (Source::Agency, 10),
    (Source::Event, 6),
    (Source::Other, 6),
];
/// The last open stage reached by someone rejected or withdrawn.
const LEFT_AT: [(usize, u32); 5] = [(0, 35), (1, 30), (2, 18), (3, 12), (4, 5)];

fn pick<T: Copy>(rng: &mut StdRng, options: &[(T, u32)]) -> T {
    let total: u32 = options.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (v, w) in options {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    options[0].0
}

/// The stages a candidate went through to reach `last`, in order.
pub fn path_to(last: Stage, left_at: usize) -> Vec<Stage> {
    let open = Stage::OPEN;
    match last {
        Stage::Hired => open.iter().copied().chain([Stage::Hired]).collect(),
        Stage::Rejected | Stage::Withdrawn => {
            open[..=left_at].iter().copied().chain([last]).collect()
        }
        s => {
            let k = open.iter().position(|o| *o == s).unwrap_or(0);
            open[..=k].to_vec()
        }
    }
}

/// Times for each step: the first at `applied`, then gaps of one to ten days, squeezed to
/// end by `now` when the candidate applied recently.
fn step_times(
    rng: &mut StdRng,
    applied: NaiveDateTime,
    steps: usize,
    now: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    let gaps: Vec<i64> = (1..steps)
        .map(|_| rng.gen_range(86_400..10 * 86_400))
        .collect();
    let total: i64 = gaps.iter().sum();
    let room = (now - applied).num_seconds().max(0);
    let mut at = applied;
    let mut times = vec![applied];
    for g in gaps {
        let g = if total > room {
            g * room / total.max(1)
        } else {
            g
        };
        at += Duration::seconds(g);
        times.push(at);
    }
    times
}

/// Makes sure `wanted` jobs take candidates (creating open ones with three competencies each
/// when there are fewer); returns the jobs to use and how many were created.
pub(crate) fn ensure_jobs(
    conn: &mut DbConn,
    ctx: &Ctx,
    wanted: usize,
) -> AppResult<(Vec<JobId>, usize)> {
    write_tx(conn, |conn| {
        let mut ids: Vec<JobId> = jobs::table
            .filter(jobs::status.eq(JobStatus::Open.as_str()))
            .select(jobs::id)
            .order(jobs::id.asc())
            .limit(wanted as i64)
            .load(conn)?;
        let created = wanted.saturating_sub(ids.len());
        for i in 0..created {
            let (title, department, skills) = JOBS[(ids.len() + i) % JOBS.len()];
            let round = (ids.len() + i) / JOBS.len();
            let title = if round == 0 {
                title.to_string()
            } else {
                format!("{title} ({})", round + 1)
            };
            let id: JobId = diesel::insert_into(jobs::table)
                .values((
                    jobs::title.eq(&title),
                    jobs::department.eq(department),
                    jobs::location.eq(LOCATIONS[i % LOCATIONS.len()]),
                    jobs::description.eq(format!(
                        "{title} in {department}. Everyone hired first joins the four-week customer loyalty training."
                    )),
                    jobs::status.eq(JobStatus::Open.as_str()),
                    jobs::created_at.eq(ctx.now),
                    jobs::updated_at.eq(ctx.now),
                ))
                .returning(jobs::id)
                .get_result(conn)?;
            for (position, skill) in skills.iter().enumerate() {
                diesel::insert_into(competencies::table)
                    .values((
                        competencies::job_id.eq(id),
                        competencies::position.eq(position as i64 + 1),
                        competencies::name.eq(*skill),
                        competencies::good_looks_like.eq(format!(
                            "Shows strong {} with concrete examples from past work.",
                            skill.to_lowercase()
                        )),
                    ))
                    .execute(conn)?;
            }
            ids.push(id);
        }
        Ok((ids, created))
    })
}

/// How long ago generated candidates applied: the `i`th of `count` a little later than the
/// one before, across two years up to `now`, as ids and dates go together in a real
/// pipeline. Inserting in date order keeps every date-ordered index appending at its
/// partitions' ends instead of writing all over a million-row tree.
fn applied_at(rng: &mut StdRng, i: usize, count: usize, now: NaiveDateTime) -> NaiveDateTime {
    const SPAN: i64 = 730 * 86_400;
    let step = SPAN * i as i64 / count.max(1) as i64;
    let jitter = rng.gen_range(0..3_600);
    (now - Duration::seconds(SPAN) + Duration::seconds(step + jitter)).min(now)
}

/// One generated candidate and the stage history that led to where they are.
fn candidate(
    rng: &mut StdRng,
    number: i64,
    job_id: JobId,
    applied: NaiveDateTime,
    now: NaiveDateTime,
) -> (NewCandidateRow, Vec<(Stage, NaiveDateTime)>) {
    let first = FIRST[rng.gen_range(0..FIRST.len())];
    let last = LAST[rng.gen_range(0..LAST.len())];
    let name = format!("{first} {last}");
    let email = format!(
        "{}.{}.{number}@{}",
        first.to_lowercase(),
        last.to_lowercase(),
        DOMAINS[rng.gen_range(0..DOMAINS.len())]
    );
    let stage = pick(rng, &FUNNEL);
    let path = path_to(stage, pick(rng, &LEFT_AT));
    let times = step_times(rng, applied, path.len(), now);
    let entered = *times.last().unwrap_or(&applied);
    let source = pick(rng, &SOURCES);
    let row = NewCandidateRow {
        name_key: name_key(&name),
        name,
        email,
        phone: format!("+1 702 555 {:04}", rng.gen_range(0..10_000)),
        source: source.as_str().into(),
        job_id,
        resume_text: format!(
            "{first} has {} years of experience and applied through {}.",
            rng.gen_range(0..20),
            source.label().to_lowercase()
        ),
        resume_url: String::new(),
        notes: String::new(),
        stage: stage.as_str().into(),
        stage_entered_at: entered,
        applied_at: applied,
        created_at: applied,
        updated_at: entered,
    };
    (row, path.into_iter().zip(times).collect())
}

/// One transaction's worth: candidates `first..first + len` of the run, each with the
/// stage history that led to where they are.
struct Batch {
    rows: Vec<NewCandidateRow>,
    paths: Vec<Vec<(Stage, NaiveDateTime, Option<&'static str>)>>,
}

/// Everything a batch is made from, shared by the writers.
struct Plan {
    /// Highest candidate id before the run: emails number on from it.
    start: i64,
    count: usize,
    /// Candidates per batch.
    batch: usize,
    /// Some jobs draw far more people than others.
    job_weights: Vec<(JobId, u32)>,
    now: NaiveDateTime,
}

impl Plan {
    fn batches(&self) -> usize {
        self.count.div_ceil(self.batch)
    }

    /// Batch `b`, the same whichever writer makes it: its own seeded generator.
    fn batch(&self, b: usize) -> Batch {
        let mut rng = StdRng::seed_from_u64(self.start as u64 ^ 0x2a3b ^ ((b as u64) << 32));
        let first = b * self.batch;
        let n = self.batch.min(self.count - first);
        let mut rows = Vec::with_capacity(n);
        let mut paths = Vec::with_capacity(n);
        for i in first..first + n {
            let number = self.start + i as i64 + 1;
            let job_id = pick(&mut rng, &self.job_weights);
            let applied = applied_at(&mut rng, i, self.count, self.now);
            let (row, path) = candidate(&mut rng, number, job_id, applied, self.now);
            let path = path
                .into_iter()
                .map(|(stage, at)| {
                    let reason = (stage == Stage::Rejected).then(|| {
                        RejectReason::ALL[rng.gen_range(0..RejectReason::ALL.len())].as_str()
                    });
                    (stage, at, reason)
                })
                .collect();
            rows.push(row);
            paths.push(path);
        }
        Batch { rows, paths }
    }
}

/// Stores one batch in one transaction; returns its number of stage changes.
fn write_batch(conn: &mut DbConn, batch: &Batch) -> AppResult<usize> {
    write_tx(conn, |conn| {
        let ids = model::insert_candidates(conn, &batch.rows, |_| {})?;
        let mut changes = Vec::with_capacity(batch.rows.len() * 3);
        for ((id, row), path) in ids.iter().zip(&batch.rows).zip(&batch.paths) {
            let mut from = None;
            for (stage, at, reason) in path {
                changes.push(NewStageChange {
                    candidate_id: *id,
                    job_id: row.job_id,
                    from_stage: from,
                    to_stage: stage.as_str(),
                    reason: *reason,
                    note: String::new(),
                    actor_id: None,
                    at: *at,
                });
                from = Some(stage.as_str());
            }
        }
        let n = model::insert_stage_changes(conn, &changes)?;
        model::count_on_board(conn, &batch.rows)?;
        Ok(n)
    })
}

/// How many transactions write at once. PostgreSQL runs each connection's inserts on one
/// core, so a writer per core (this machine's count stands in for the server's); SQLite
/// takes one writer at a time.
fn writers(conn: &DbConn) -> usize {
    match conn {
        DbConn::Pg(_) => std::thread::available_parallelism().map_or(2, |n| n.get()),
        DbConn::Sqlite(_) => 1,
    }
}

/// Adds `count` candidates across the first `job_count` open jobs (created when missing),
/// in batches that writers on their own pooled connections take in turn.
pub fn run(
    pool: &DbPool,
    ctx: &Ctx,
    count: usize,
    job_count: usize,
    progress: &dyn Progress,
) -> AppResult<Generated> {
    let mut pooled = pool.get()?;
    let conn: &mut DbConn = &mut pooled;
    let (job_ids, jobs_created) = ensure_jobs(conn, ctx, job_count.max(1))?;
    let start: i64 = candidates::table
        .select(diesel::dsl::max(candidates::id))
        .first::<Option<CandidateId>>(conn)?
        .map_or(0, |id| id.0);
    let writers = writers(conn);
    let plan = Plan {
        start,
        count,
        // A few batches per writer at least, so that all of them have work to the end.
        batch: count.div_ceil(writers * 4).clamp(100, BATCH),
        job_weights: job_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, 1 + (i as u32 * 7) % 10))
            .collect(),
        now: ctx.now,
    };
    let writers = writers.min(plan.batches());
    progress.start("Generating", count as u64);
    let next = AtomicUsize::new(0);
    let (done, written) = mpsc::channel::<usize>();
    let results: Vec<AppResult<usize>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|_| {
                let (plan, next, done) = (&plan, &next, done.clone());
                scope.spawn(move || -> AppResult<usize> {
                    let mut pooled = pool.get()?;
                    let conn: &mut DbConn = &mut pooled;
                    crate::db::for_bulk_load(conn)?;
                    let mut changes = 0;
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        if b >= plan.batches() {
                            return Ok(changes);
                        }
                        let batch = plan.batch(b);
                        changes += write_batch(conn, &batch)?;
                        let _ = done.send(batch.rows.len());
                    }
                })
            })
            .collect();
        // The bar lives on this thread; the writers report each batch they store.
        drop(done);
        for n in written {
            progress.advance(n as u64);
        }
        handles
            .into_iter()
            .map(|h| h.join().expect("a generator writer panicked"))
            .collect()
    });
    progress.finish();
    let mut stage_changes = 0;
    for result in results {
        stage_changes += result?;
    }
    let report = Generated {
        jobs_created,
        jobs_used: job_ids.len(),
        candidates: count,
        stage_changes,
    };
    write_tx(conn, |conn| {
        audit::record(
            conn,
            ctx,
            "demo.candidates_generated",
            ("job", None),
            None,
            Some(json!(report)),
        )
    })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_pipeline_to_where_the_candidate_is() {
        assert_eq!(path_to(Stage::Applied, 3), [Stage::Applied]);
        assert_eq!(
            path_to(Stage::Technical, 0),
            [Stage::Applied, Stage::Screening, Stage::Technical]
        );
        assert_eq!(path_to(Stage::Hired, 0).len(), 6);
        assert_eq!(
            path_to(Stage::Rejected, 1),
            [Stage::Applied, Stage::Screening, Stage::Rejected]
        );
    }

    fn noon_june_first() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn step_times_never_pass_now_and_never_go_back() {
        let mut rng = StdRng::seed_from_u64(7);
        let now = noon_june_first();
        for hours_ago in [0, 1, 30, 24 * 400] {
            let applied = now - Duration::hours(hours_ago);
            let times = step_times(&mut rng, applied, 6, now);
            assert_eq!(times[0], applied);
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
            assert!(*times.last().unwrap() <= now);
        }
    }

    #[test]
    fn applications_spread_over_two_years_in_order() {
        let mut rng = StdRng::seed_from_u64(3);
        let now = noon_june_first();
        let dates: Vec<_> = (0..1_000)
            .map(|i| applied_at(&mut rng, i * 1_000, 1_000_000, now))
            .collect();
        assert!(dates[0] < now - Duration::days(729));
        assert!(dates[999] > now - Duration::days(2) && dates[999] <= now);
        assert!(dates.windows(2).all(|w| w[0] < w[1]), "in date order");
    }

    #[test]
    fn the_funnel_narrows() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut count = std::collections::HashMap::new();
        for _ in 0..10_000 {
            *count.entry(pick(&mut rng, &FUNNEL)).or_insert(0) += 1;
        }
        assert!(count[&Stage::Applied] > count[&Stage::Screening]);
        assert!(count[&Stage::Screening] > count[&Stage::Technical]);
        assert!(count[&Stage::Technical] > count[&Stage::Decision]);
        assert!(count[&Stage::Hired] > 0 && count[&Stage::Withdrawn] > 0);
    }
}
