//! Generated training history for benchmarks (`onramp demo --cohorts N --trainees M`):
//! N weekly cohorts going back in time, each with M trainees who were hired, trained, got
//! The Offer (taken more often as the bonus grew over the years), and graduated; some
//! graduates left later. Plus one running cohort of 200 trainees in its second week, its
//! attendance taken and its offers open, made through the real services.

use crate::auth::role::Role;
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, CohortId, EnrolmentId, HireId, JobId, OfferId, UserId};
use crate::db::schema::{
    cohorts, employees, enrolments, hires, offer_policies, offers, payouts, user_roles, users,
};
use crate::db::{write_tx, DbConn};
use crate::error::AppResult;
use crate::hiring::import::model::{
    chunk_rows, count_on_board, insert_candidates, insert_stage_changes, NewCandidateRow,
    NewStageChange,
};
use crate::hiring::import::progress::Progress;
use crate::hiring::rules::Stage;
use crate::money::Currency;
use crate::offer::policies::model::{self as policies, NewPolicy};
use crate::offer::rules::{self as offer_rules, OfferKind, OfferStatus};
use crate::training::cohorts::model::{self as cohorts_model, NewCohort};
use crate::training::cohorts::service::DEFAULT_CURRICULUM;
use crate::training::curricula::model as curricula;
use crate::training::rules::{lay_out_days, EnrolmentStatus};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Cohorts written per transaction.
const BATCH_COHORTS: usize = 25;
/// Trainees in the running cohort: the roster size the benchmark asks for.
pub const RUNNING_TRAINEES: usize = 200;
const TRAINERS: usize = 40;
/// At most this many generated cohorts start in one week.
const COHORTS_PER_WEEK: i64 = 20;
/// The bonus as the company tuned it upward over the years (DESIGN.md): years before
/// today it took effect, and the amount in cents.
const BONUS_ERAS: [(i64, i64); 5] = [
    (10, 10_000),
    (8, 100_000),
    (6, 200_000),
    (4, 300_000),
    (2, 400_000),
];
const BANDS: [(&str, u32); 5] = [
    ("4.5-5", 30),
    ("4-4.5", 40),
    ("3-4", 20),
    ("below 3", 5),
    ("unscored", 5),
];
const LEAVE_REASONS: [&str; 4] = [
    "moved away",
    "went back to school",
    "took another job",
    "career change",
];

/// What to generate.
pub struct Options {
    /// Graduated cohorts, one week apart going back (several a week when many).
    pub graduated: usize,
    pub per_cohort: usize,
    /// Trainees of the running cohort, in its second week.
    pub running: usize,
    /// Trainers to spread over the cohorts; None creates bench trainers.
    pub trainers: Option<Vec<UserId>>,
    /// Add the bonus's history of raises to the offer policies (benchmark data).
    pub bonus_history: bool,
    /// The domain of the generated trainees' email addresses.
    pub email_domain: &'static str,
    /// Open jobs the trainees were hired for (created when fewer are open).
    pub jobs: usize,
}

impl Options {
    /// Benchmark data: `graduated` cohorts of `per_cohort` and a running cohort of 200.
    pub fn bench(graduated: usize, per_cohort: usize) -> Options {
        Options {
            graduated,
            per_cohort,
            running: RUNNING_TRAINEES,
            trainers: None,
            bonus_history: true,
            email_domain: "bench.example",
            jobs: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    pub cohorts: usize,
    pub trainees: usize,
    pub offers: usize,
    pub running_cohort: CohortId,
}

/// What one generated trainee's story is.
struct Trainee {
    name: String,
    email: String,
    job: usize,
    hourly_rate_cents: i64,
    band: &'static str,
    outcome: OfferStatus,
    /// Days after graduation they left, for those who stayed and later left.
    left_after: Option<i64>,
}

/// One cohort before it is stored.
struct Plan {
    number: i64,
    start: NaiveDate,
    trainers: Vec<UserId>,
    trainees: Vec<Trainee>,
    running: bool,
}

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

/// Uptake rises with the bonus: about 0.6% at $100, 3.5% at $4,000.
fn outcome(rng: &mut StdRng, bonus_cents: i64, running: bool) -> OfferStatus {
    if running {
        return OfferStatus::Pending;
    }
    let accept = 0.005 + 0.03 * bonus_cents as f64 / 400_000.0;
    let x: f64 = rng.gen();
    if x < accept {
        OfferStatus::Accepted
    } else if x < accept + 0.2 {
        OfferStatus::Declined
    } else {
        OfferStatus::Expired
    }
}

fn trainee(
    rng: &mut StdRng,
    cohort: i64,
    k: usize,
    domain: &str,
    jobs: usize,
    bonus: i64,
    running: bool,
) -> Trainee {
    use crate::hiring::import::generate::{FIRST, LAST};
    let (first, last) = (
        FIRST[rng.gen_range(0..FIRST.len())],
        LAST[rng.gen_range(0..LAST.len())],
    );
    Trainee {
        name: format!("{first} {last}"),
        email: format!(
            "{}.{}.{cohort}.{k}@{domain}",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        job: rng.gen_range(0..jobs),
        hourly_rate_cents: rng.gen_range(1_500..2_600),
        band: pick(rng, &BANDS),
        outcome: outcome(rng, bonus, running),
        left_after: (!running && rng.gen_bool(0.3)).then(|| rng.gen_range(20..700)),
    }
}

/// The Monday on or before `d`.
fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// The policy history's eras, added once (when only the seeded default exists); returns
/// (effective_on, policy) newest first.
fn ensure_eras(conn: &mut DbConn, ctx: &Ctx, add: bool) -> AppResult<Vec<Era>> {
    if add && policies::history(conn)?.len() <= 1 {
        for (years, cents) in BONUS_ERAS {
            policies::insert(
                conn,
                &NewPolicy {
                    bonus_cents: cents,
                    offer_day: 5,
                    closes_day: 10,
                    pays_time_worked: true,
                    effective_on: ctx.today() - Duration::days(365 * years),
                    note: "Raised: too few trainees took the offer.",
                    created_by: None,
                    now: ctx.now,
                },
            )?;
        }
    }
    let mut eras: Vec<Era> = offer_policies::table
        .select((
            offer_policies::effective_on,
            offer_policies::id,
            offer_policies::bonus_cents,
        ))
        .load(conn)?;
    eras.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    Ok(eras)
}

/// `count` bench trainers, created when missing.
fn ensure_trainers(conn: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<UserId>> {
    let mut ids = Vec::with_capacity(TRAINERS);
    for n in 1..=TRAINERS {
        let email = format!("trainer{n}@bench.example");
        let id = match crate::auth::model::find_by_email(conn, &email)? {
            Some(u) => u.id,
            None => {
                let id = diesel::insert_into(users::table)
                    .values((
                        users::email.eq(&email),
                        users::name.eq(format!("Trainer {n}")),
                        users::active.eq(true),
                        users::created_at.eq(ctx.now),
                        users::updated_at.eq(ctx.now),
                    ))
                    .returning(users::id)
                    .get_result(conn)?;
                // Through `set_roles`, which also marks them staff.
                crate::auth::model::set_roles(conn, id, &[Role::Trainer])?;
                id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// A policy era: when it took effect, the policy and its bonus.
type Era = (NaiveDate, crate::db::ids::OfferPolicyId, i64);

/// What every generated cohort shares.
struct Setting<'a> {
    ctx: &'a Ctx,
    money: &'a Currency,
    template: curricula::Curriculum,
    modules: Vec<curricula::CurriculumModule>,
    eras: Vec<Era>,
    /// The company holidays: no cohort trains on one.
    holidays: HashSet<NaiveDate>,
    /// (id, department, title) of the jobs trainees were hired for.
    jobs: Vec<(JobId, String, String)>,
}

/// One cohort as stored so far: its rows' ids, in the order of its plan's trainees.
struct Stored {
    id: CohortId,
    days: Vec<NaiveDate>,
    policy: crate::db::ids::OfferPolicyId,
    bonus: i64,
    users: Vec<UserId>,
    hires: Vec<HireId>,
    enrolments: Vec<EnrolmentId>,
}

/// Adds the graduated cohorts and the running one that `o` asks for.
pub fn run(
    conn: &mut DbConn,
    ctx: &Ctx,
    money: &Currency,
    o: &Options,
    progress: &dyn Progress,
) -> AppResult<Generated> {
    let count = o.graduated;
    let (job_ids, _) = crate::hiring::import::generate::ensure_jobs(conn, ctx, o.jobs)?;
    let jobs: Vec<(JobId, String, String)> = crate::db::schema::jobs::table
        .filter(crate::db::schema::jobs::id.eq_any(&job_ids))
        .select((
            crate::db::schema::jobs::id,
            crate::db::schema::jobs::department,
            crate::db::schema::jobs::title,
        ))
        .load(conn)?;
    let (eras, trainers) = write_tx(conn, |c| -> AppResult<_> {
        let trainers = match &o.trainers {
            Some(t) => t.clone(),
            None => ensure_trainers(c, ctx)?,
        };
        Ok((ensure_eras(c, ctx, o.bonus_history)?, trainers))
    })?;
    // Two trainers a cohort, taking turns (one when there is only one).
    let pair = |i: usize| {
        let mut two = vec![
            trainers[i % trainers.len()],
            trainers[(i + 1) % trainers.len()],
        ];
        two.dedup();
        two
    };
    // A big company runs many classes side by side: up to 20 start each week.
    let per_week = (count as i64 / 500).clamp(1, COHORTS_PER_WEEK);
    let first_number: i64 = cohorts::table.count().get_result::<i64>(conn)? + 1;
    let mut rng = StdRng::seed_from_u64(first_number as u64 ^ 0x0ffe);
    let this_monday = monday(ctx.today());
    let mut plans: Vec<Plan> = (0..count)
        .map(|i| Plan {
            // The oldest cohort has the lowest number.
            number: first_number + (count - 1 - i) as i64,
            start: this_monday - Duration::weeks(6 + i as i64 / per_week),
            trainers: pair(i),
            trainees: Vec::new(),
            running: false,
        })
        .collect();
    plans.push(Plan {
        number: first_number + count as i64,
        start: this_monday - Duration::weeks(1),
        trainers: pair(0),
        trainees: Vec::new(),
        running: true,
    });
    let earliest = plans.iter().map(|p| p.start).min().unwrap_or(this_monday);
    let total = count * o.per_cohort + o.running;
    progress.start("Generating trainees", total as u64);
    let setting = Setting {
        ctx,
        money,
        template: curricula::find(conn, DEFAULT_CURRICULUM)?,
        modules: curricula::modules(conn, DEFAULT_CURRICULUM)?,
        eras,
        holidays: cohorts_model::holidays_from(conn, earliest)?,
        jobs,
    };
    let mut running = None;
    for batch in plans.chunks_mut(BATCH_COHORTS) {
        for p in batch.iter_mut() {
            let bonus = era(&setting.eras, p.start).2;
            let size = if p.running { o.running } else { o.per_cohort };
            p.trainees = (0..size)
                .map(|k| {
                    let domain = o.email_domain;
                    let jobs = setting.jobs.len();
                    trainee(&mut rng, p.number, k, domain, jobs, bonus, p.running)
                })
                .collect();
        }
        let made = write_tx(conn, |c| -> AppResult<Option<CohortId>> {
            let mut running = None;
            for p in batch.iter() {
                let id = store_cohort(c, &setting, p)?;
                if p.running {
                    running = Some(id);
                }
            }
            Ok(running)
        })?;
        running = running.or(made);
        progress.advance(batch.iter().map(|p| p.trainees.len() as u64).sum());
    }
    let running = running.expect("the running cohort is always planned");
    take_attendance(conn, ctx, running, &mut rng)?;
    let made = crate::offer::offers::service::make_now(conn, ctx, running)?;
    // The history went in by the thousand, past the running tallies: count it once.
    crate::offer::reports::tally::rebuild(conn)?;
    progress.finish();
    Ok(Generated {
        cohorts: count + 1,
        trainees: total,
        offers: count * o.per_cohort + made,
        running_cohort: running,
    })
}

/// A password for the cohort's first trainee, so the portal can be signed in to.
pub fn give_password(conn: &mut DbConn, cohort: CohortId) -> AppResult<(String, String)> {
    let (id, email): (UserId, String) = enrolments::table
        .inner_join(users::table)
        .filter(enrolments::cohort_id.eq(cohort))
        .order(enrolments::id.asc())
        .select((users::id, users::email))
        .first(conn)?;
    let password = crate::auth::password::random_token()[..20].to_string();
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(crate::auth::password::hash(&password)))
        .execute(conn)?;
    Ok((email, password))
}

/// The policy era a cohort starting on `start` took (the seeded default before them all).
fn era(eras: &[Era], start: NaiveDate) -> Era {
    *eras
        .iter()
        .find(|(on, _, _)| *on <= start)
        .unwrap_or(eras.last().expect("the seeded policy"))
}

fn store_cohort(conn: &mut DbConn, s: &Setting, p: &Plan) -> AppResult<CohortId> {
    let ctx = s.ctx;
    let days = lay_out_days(p.start, s.template.day_count() as usize, &s.holidays);
    let last_day = *days.last().expect("a curriculum has days");
    let id = cohorts_model::insert(
        conn,
        &NewCohort {
            name: &format!("Class {}", p.number),
            start_date: p.start,
            capacity: p.trainees.len().max(20) as i64,
            curriculum: &s.template,
            created_by: None,
            now: crate::clock::local_to_utc(ctx.tz, p.start - Duration::weeks(3), 9, 0),
        },
    )?;
    cohorts_model::copy_modules(conn, id, &s.modules)?;
    cohorts_model::set_days(conn, id, &days)?;
    cohorts_model::set_trainers(conn, id, &p.trainers)?;
    let (_, policy, bonus) = era(&s.eras, p.start);
    policies::set_for_cohort(conn, id, policy)?;
    if !p.running {
        diesel::update(cohorts::table.find(id))
            .set(cohorts::graduated_at.eq(crate::clock::local_to_utc(ctx.tz, last_day, 17, 0)))
            .execute(conn)?;
    }
    let hired_at = hired_at(s, p);
    let users = insert_users(conn, &p.trainees, hired_at, p.running)?;
    let rows: Vec<NewCandidateRow> = p
        .trainees
        .iter()
        .map(|t| NewCandidateRow {
            name: t.name.clone(),
            name_key: crate::hiring::candidates::rules::name_key(&t.name),
            email: t.email.clone(),
            phone: String::new(),
            source: "careers_page".into(),
            job_id: s.jobs[t.job].0,
            resume_text: String::new(),
            resume_url: String::new(),
            notes: String::new(),
            stage: "hired".into(),
            stage_entered_at: hired_at,
            applied_at: hired_at - Duration::weeks(3),
            created_at: hired_at - Duration::weeks(3),
            updated_at: hired_at,
        })
        .collect();
    let candidates = insert_candidates(conn, &rows, |_| {})?;
    insert_history(conn, &candidates, &rows)?;
    count_on_board(conn, &rows)?;
    let hires = insert_hires(conn, p, &s.jobs, &candidates, &users, hired_at)?;
    let enrolments = insert_enrolments(conn, s, id, p, &hires, &users, &days)?;
    if p.running {
        return Ok(id);
    }
    let stored = Stored {
        id,
        days,
        policy,
        bonus,
        users,
        hires,
        enrolments,
    };
    let offers = insert_offers(conn, s, p, &stored)?;
    insert_payouts(conn, s, p, &stored, &offers)?;
    insert_employees(conn, s, p, &stored, last_day)?;
    Ok(id)
}

/// Each hire's way through the pipeline, a few days a stage from applying to the hire.
fn insert_history(
    conn: &mut DbConn,
    ids: &[CandidateId],
    rows: &[NewCandidateRow],
) -> AppResult<()> {
    let path = crate::hiring::import::generate::path_to(Stage::Hired, 0);
    let mut changes = Vec::with_capacity(ids.len() * path.len());
    for (id, row) in ids.iter().zip(rows) {
        let step = (row.stage_entered_at - row.applied_at) / (path.len() as i32 - 1);
        let mut from = None;
        for (i, stage) in path.iter().enumerate() {
            changes.push(NewStageChange {
                candidate_id: *id,
                job_id: row.job_id,
                from_stage: from,
                to_stage: stage.as_str(),
                reason: None,
                note: String::new(),
                actor_id: None,
                at: row.applied_at + step * i as i32,
            });
            from = Some(stage.as_str());
        }
    }
    insert_stage_changes(conn, &changes)?;
    Ok(())
}

/// Rows are returned in insert order in practice, but neither backend promises it: pair
/// them back by a unique key.
fn in_order<K: std::hash::Hash + Eq, V: Copy>(keys: &[K], got: Vec<(V, K)>) -> Vec<V> {
    let by_key: HashMap<K, V> = got.into_iter().map(|(v, k)| (k, v)).collect();
    keys.iter().map(|k| by_key[k]).collect()
}

fn insert_users(
    conn: &mut DbConn,
    trainees: &[Trainee],
    at: NaiveDateTime,
    active: bool,
) -> AppResult<Vec<UserId>> {
    let rows: Vec<_> = trainees
        .iter()
        .map(|t| {
            (
                users::email.eq(&t.email),
                users::name.eq(&t.name),
                // Graduates who stayed are employees; the rest left.
                users::active.eq(active || t.outcome != OfferStatus::Accepted),
                users::created_at.eq(at),
                users::updated_at.eq(at),
            )
        })
        .collect();
    let mut got = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(chunk_rows(conn, 5)) {
        let q = diesel::insert_into(users::table)
            .values(chunk)
            .returning((users::id, users::email));
        let part: Vec<(UserId, String)> = crate::per_backend!(conn, |c| q.get_results(c)?);
        got.extend(part);
    }
    let emails: Vec<String> = trainees.iter().map(|t| t.email.clone()).collect();
    let ids = in_order(&emails, got);
    let roles: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                user_roles::user_id.eq(*id),
                user_roles::role.eq(Role::NewHire.as_str()),
            )
        })
        .collect();
    for chunk in roles.chunks(chunk_rows(conn, 2)) {
        let q = diesel::insert_into(user_roles::table).values(chunk);
        crate::per_backend!(conn, |c| q.execute(c)?);
    }
    Ok(ids)
}

fn insert_hires(
    conn: &mut DbConn,
    p: &Plan,
    jobs: &[(JobId, String, String)],
    candidates: &[CandidateId],
    users: &[UserId],
    at: NaiveDateTime,
) -> AppResult<Vec<HireId>> {
    let rows: Vec<_> = p
        .trainees
        .iter()
        .zip(candidates.iter().zip(users))
        .map(|(t, (c, u))| {
            let (_, department, title) = &jobs[t.job];
            (
                hires::candidate_id.eq(*c),
                hires::user_id.eq(*u),
                hires::start_date.eq(p.start),
                hires::department.eq(department),
                hires::title.eq(title),
                hires::hourly_rate_cents.eq(t.hourly_rate_cents),
                hires::created_at.eq(at),
                // Every generated trainee is enrolled in their class.
                hires::placed.eq(true),
            )
        })
        .collect();
    let mut got = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(chunk_rows(conn, 8)) {
        let q = diesel::insert_into(hires::table)
            .values(chunk)
            .returning((hires::id, hires::candidate_id));
        let part: Vec<(HireId, CandidateId)> = crate::per_backend!(conn, |c| q.get_results(c)?);
        got.extend(part);
    }
    Ok(in_order(candidates, got))
}

/// When a planned class's trainees were hired: two weeks before it starts.
fn hired_at(s: &Setting, p: &Plan) -> NaiveDateTime {
    crate::clock::local_to_utc(s.ctx.tz, p.start - Duration::weeks(2), 10, 0)
}

fn insert_enrolments(
    conn: &mut DbConn,
    s: &Setting,
    cohort: CohortId,
    p: &Plan,
    hire_ids: &[HireId],
    users: &[UserId],
    days: &[NaiveDate],
) -> AppResult<Vec<EnrolmentId>> {
    let at = hired_at(s, p);
    let rows: Vec<_> = p
        .trainees
        .iter()
        .zip(hire_ids.iter().zip(users))
        .map(|(t, (h, u))| {
            let (status, reason, ended) = match (p.running, t.outcome) {
                (true, _) => (EnrolmentStatus::Active, "", None),
                (false, OfferStatus::Accepted) => (
                    EnrolmentStatus::LeftWithOffer,
                    "accepted the offer",
                    Some(answer_time(days)),
                ),
                (false, _) => (
                    EnrolmentStatus::Graduated,
                    "graduated",
                    days.last()
                        .map(|d| d.and_hms_opt(17, 0, 0).unwrap_or_default()),
                ),
            };
            let (_, department, title) = &s.jobs[t.job];
            (
                (
                    enrolments::cohort_id.eq(cohort),
                    enrolments::hire_id.eq(*h),
                    enrolments::user_id.eq(*u),
                    enrolments::first_day.eq(1_i64),
                    enrolments::status.eq(status.as_str()),
                    enrolments::end_reason.eq(reason),
                ),
                (
                    enrolments::ended_at.eq(ended),
                    enrolments::created_at.eq(at),
                    enrolments::updated_at.eq(ended.unwrap_or(at)),
                    enrolments::name.eq(&t.name),
                    enrolments::department.eq(department),
                    enrolments::title.eq(title),
                ),
            )
        })
        .collect();
    let mut got = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(chunk_rows(conn, 12)) {
        let q = diesel::insert_into(enrolments::table)
            .values(chunk)
            .returning((enrolments::id, enrolments::hire_id));
        let part: Vec<(EnrolmentId, HireId)> = crate::per_backend!(conn, |c| q.get_results(c)?);
        got.extend(part);
    }
    Ok(in_order(hire_ids, got))
}

/// Those who took the offer answered on day 7, in the middle of its window.
fn answer_time(days: &[NaiveDate]) -> NaiveDateTime {
    days[6].and_hms_opt(12, 0, 0).unwrap_or_default()
}

/// Minutes worked when the offer closed for this trainee (a full day each day).
fn minutes_worked(outcome: OfferStatus, day_minutes: i64) -> i64 {
    let days = if outcome == OfferStatus::Accepted {
        6
    } else {
        10
    };
    days * day_minutes
}

fn insert_offers(conn: &mut DbConn, s: &Setting, p: &Plan, c: &Stored) -> AppResult<Vec<OfferId>> {
    let (ctx, days, bonus) = (s.ctx, &c.days, c.bonus);
    let opens = crate::clock::local_to_utc(ctx.tz, days[4], 17, 0);
    let expires = crate::clock::local_to_utc(ctx.tz, days[9], 17, 0);
    let rows: Vec<_> = p
        .trainees
        .iter()
        .zip(c.users.iter().zip(&c.enrolments))
        .map(|(t, (u, e))| {
            let pay = offer_rules::payout(
                bonus,
                minutes_worked(t.outcome, 480),
                t.hourly_rate_cents,
                true,
            );
            let answered = match t.outcome {
                OfferStatus::Accepted => Some(answer_time(days)),
                OfferStatus::Declined => Some(days[5].and_hms_opt(9, 30, 0).unwrap_or_default()),
                _ => None,
            };
            (
                (
                    offers::kind.eq(OfferKind::Training.as_str()),
                    offers::user_id.eq(*u),
                    offers::enrolment_id.eq(Some(*e)),
                    offers::cohort_id.eq(Some(c.id)),
                    offers::policy_id.eq(Some(c.policy)),
                    offers::department.eq(&s.jobs[t.job].1),
                    offers::culture_band.eq(t.band),
                    offers::bonus_cents.eq(bonus),
                    offers::hourly_rate_cents.eq(t.hourly_rate_cents),
                    offers::pays_time_worked.eq(true),
                ),
                (
                    offers::minutes_worked.eq(pay.minutes_worked),
                    offers::time_pay_cents.eq(pay.time_pay_cents),
                    offers::opens_at.eq(opens),
                    offers::expires_at.eq(expires),
                    offers::status.eq(t.outcome.as_str()),
                    offers::answered_at.eq(answered),
                    offers::void_reason.eq(""),
                    offers::created_at.eq(opens),
                    offers::updated_at.eq(answered.unwrap_or(expires)),
                ),
            )
        })
        .collect();
    let mut got = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(chunk_rows(conn, 19)) {
        let q = diesel::insert_into(offers::table)
            .values(chunk)
            .returning((offers::id, offers::enrolment_id));
        let part: Vec<(OfferId, Option<EnrolmentId>)> =
            crate::per_backend!(conn, |c| q.get_results(c)?);
        got.extend(part);
    }
    let keys: Vec<Option<EnrolmentId>> = c.enrolments.iter().copied().map(Some).collect();
    Ok(in_order(&keys, got))
}

fn insert_payouts(
    conn: &mut DbConn,
    s: &Setting,
    p: &Plan,
    c: &Stored,
    offer_ids: &[OfferId],
) -> AppResult<()> {
    let answered = answer_time(&c.days);
    let paid = |due: NaiveDate| {
        (due < s.ctx.today()).then(|| due.and_hms_opt(12, 0, 0).unwrap_or_default())
    };
    let due_on = answered.date() + Duration::days(offer_rules::PAYOUT_DUE_DAYS);
    let rows: Vec<_> = p
        .trainees
        .iter()
        .zip(offer_ids.iter().zip(&c.users))
        .filter(|(t, _)| t.outcome == OfferStatus::Accepted)
        .map(|(t, (o, u))| {
            let pay = offer_rules::payout(
                c.bonus,
                minutes_worked(t.outcome, 480),
                t.hourly_rate_cents,
                true,
            );
            (
                payouts::offer_id.eq(*o),
                payouts::user_id.eq(*u),
                payouts::bonus_cents.eq(pay.bonus_cents),
                payouts::minutes_worked.eq(pay.minutes_worked),
                payouts::hourly_rate_cents.eq(pay.hourly_rate_cents),
                payouts::time_pay_cents.eq(pay.time_pay_cents),
                payouts::total_cents.eq(pay.total_cents),
                payouts::arithmetic.eq(offer_rules::arithmetic(&pay, s.money)),
                payouts::due_on.eq(due_on),
                payouts::paid_at.eq(paid(due_on)),
                payouts::created_at.eq(answered),
            )
        })
        .collect();
    for chunk in rows.chunks(chunk_rows(conn, 11)) {
        let q = diesel::insert_into(payouts::table).values(chunk);
        crate::per_backend!(conn, |c| q.execute(c)?);
    }
    Ok(())
}

fn insert_employees(
    conn: &mut DbConn,
    s: &Setting,
    p: &Plan,
    c: &Stored,
    graduated_on: NaiveDate,
) -> AppResult<()> {
    let (jobs, today) = (&s.jobs, s.ctx.today());
    let at = graduated_on.and_hms_opt(17, 0, 0).unwrap_or_default();
    let rows: Vec<_> = p
        .trainees
        .iter()
        .zip(c.hires.iter().zip(&c.users))
        .filter(|(t, _)| t.outcome != OfferStatus::Accepted)
        .map(|(t, (h, u))| {
            let left_on = t
                .left_after
                .map(|d| graduated_on + Duration::days(d))
                .filter(|d| *d <= today);
            let reason = left_on.map_or("", |d| {
                LEAVE_REASONS[d.day0() as usize % LEAVE_REASONS.len()]
            });
            (
                employees::hire_id.eq(*h),
                employees::user_id.eq(*u),
                employees::department.eq(&jobs[t.job].1),
                employees::title.eq(&jobs[t.job].2),
                employees::started_on.eq(graduated_on),
                employees::left_on.eq(left_on),
                employees::leave_reason.eq(reason),
                employees::created_at.eq(at),
                employees::updated_at.eq(at),
            )
        })
        .collect();
    for chunk in rows.chunks(chunk_rows(conn, 9)) {
        let q = diesel::insert_into(employees::table).values(chunk);
        crate::per_backend!(conn, |c| q.execute(c)?);
    }
    Ok(())
}

/// The running cohort's attendance up to yesterday, saved a day at a time through the real
/// service (mostly present, a few late, excused or absent).
fn take_attendance(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort: CohortId,
    rng: &mut StdRng,
) -> AppResult<()> {
    use crate::training::attendance::rules::MarkInput;
    let days = cohorts_model::find(conn, cohort)?.days()?;
    let roster: Vec<EnrolmentId> = enrolments::table
        .filter(enrolments::cohort_id.eq(cohort))
        .select(enrolments::id)
        .order(enrolments::id.asc())
        .load(conn)?;
    let past = days.iter().take_while(|d| **d < ctx.today()).count();
    for day in 1..=past as i64 {
        let marks: Vec<MarkInput> = roster
            .iter()
            .map(|e| MarkInput {
                enrolment_id: *e,
                status: pick(
                    rng,
                    &[("present", 90), ("late", 6), ("excused", 2), ("absent", 2)],
                )
                .into(),
                note: String::new(),
            })
            .collect();
        crate::training::attendance::service::save_day(conn, ctx, cohort, day, &marks)?;
    }
    Ok(())
}
