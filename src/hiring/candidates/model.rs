//! Candidate rows and their stage history.

use crate::auth::role::Role;
use crate::db::ids::{CandidateId, JobId, UserId};
use crate::db::schema::{
    candidates, interview_panel, interviews, jobs, people_revision, stage_changes, users,
};
use crate::db::{DbConn, LiteralLimit};
use crate::hiring::candidates::rules::{
    prefix_upper_bound, Cursor, ListFilter, Search, Sort, ValidCandidate,
};
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::jobs::model::Job;
use crate::hiring::rules::Stage;
use crate::web::context::Viewer;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = candidates)]
pub struct Candidate {
    pub id: CandidateId,
    pub name: String,
    #[serde(skip)]
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
    /// Someone outside the interviews reported being treated badly.
    pub red_flag: bool,
    pub applied_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Moves with every change to the candidate's own row (a stage move, which also writes
    /// the history), interviews, panels, scorecards, observations, links and hire, and to
    /// a history row (triggers): the candidate page keeps those records by it.
    #[serde(skip)]
    pub revision: i64,
}

impl Candidate {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Applied)
    }
}

/// Stores a new candidate in `applied` with the first entry of its stage history.
pub fn insert(
    conn: &mut DbConn,
    job_id: JobId,
    c: &ValidCandidate,
    applied_at: NaiveDateTime,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<CandidateId> {
    let id: CandidateId = diesel::insert_into(candidates::table)
        .values((
            candidates::name.eq(&c.name),
            candidates::name_key.eq(&c.name_key),
            candidates::email.eq(&c.email),
            candidates::phone.eq(&c.phone),
            candidates::source.eq(c.source.as_str()),
            candidates::job_id.eq(job_id),
            candidates::resume_text.eq(&c.resume_text),
            candidates::resume_url.eq(&c.resume_url),
            candidates::notes.eq(&c.notes),
            candidates::stage.eq(Stage::Applied.as_str()),
            candidates::stage_entered_at.eq(applied_at),
            candidates::applied_at.eq(applied_at),
            candidates::created_at.eq(now),
            candidates::updated_at.eq(now),
        ))
        .returning(candidates::id)
        .get_result(conn)?;
    super::counts::add(conn, job_id, Stage::Applied.as_str(), 1)?;
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::candidate_id.eq(id),
            stage_changes::job_id.eq(job_id),
            stage_changes::to_stage.eq(Stage::Applied.as_str()),
            stage_changes::note.eq(""),
            stage_changes::actor_id.eq(actor),
            stage_changes::at.eq(applied_at),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: CandidateId) -> QueryResult<Candidate> {
    candidates::table
        .find(id)
        .select(Candidate::as_select())
        .first(conn)
}

/// Which of these (normalised) emails already belong to a candidate.
pub fn existing_emails(conn: &mut DbConn, emails: &[String]) -> QueryResult<Vec<String>> {
    let mut found = vec![];
    // Bounded IN lists keep every backend under its bind-parameter limit.
    for chunk in emails.chunks(500) {
        found.extend(
            candidates::table
                .filter(candidates::email.eq_any(chunk))
                .select(candidates::email)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// Moves a candidate to another stage and records the move in its history. The caller
/// checks the move is allowed and writes the audit entry in the same transaction.
pub fn move_stage(
    conn: &mut DbConn,
    candidate: &Candidate,
    to: Stage,
    reason: Option<&str>,
    note: &str,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    super::counts::moved(
        conn,
        (candidate.job_id, &candidate.stage),
        (candidate.job_id, to.as_str()),
    )?;
    diesel::update(candidates::table.find(candidate.id))
        .set((
            candidates::stage.eq(to.as_str()),
            candidates::stage_entered_at.eq(now),
            candidates::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::candidate_id.eq(candidate.id),
            stage_changes::job_id.eq(candidate.job_id),
            stage_changes::from_stage.eq(Some(&candidate.stage)),
            stage_changes::to_stage.eq(to.as_str()),
            stage_changes::reason.eq(reason),
            stage_changes::note.eq(note),
            stage_changes::actor_id.eq(actor),
            stage_changes::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Recruiters, HR and admins see every candidate; an interviewer sees those whose
/// interviews they sit on, and a hiring manager those applying to their jobs.
pub fn visible_to(conn: &mut DbConn, viewer: &Viewer, candidate: &Candidate) -> QueryResult<bool> {
    if sees_every_candidate(viewer) {
        return Ok(true);
    }
    let on_panel: i64 = interview_panel::table
        .inner_join(interviews::table)
        .filter(interviews::candidate_id.eq(candidate.id))
        .filter(interview_panel::user_id.eq(viewer.user_id))
        .count()
        .get_result(conn)?;
    if on_panel > 0 {
        return Ok(true);
    }
    let manages: i64 = jobs::table
        .filter(jobs::id.eq(candidate.job_id))
        .filter(jobs::hiring_manager_id.eq(viewer.user_id))
        .count()
        .get_result(conn)?;
    Ok(manages > 0)
}

/// `visible_to` from what the candidate page has already read: the job and the panels.
pub fn visible_in(viewer: &Viewer, job: &Job, file: &InterviewFile) -> bool {
    sees_every_candidate(viewer)
        || file
            .panels
            .values()
            .any(|panel| panel.iter().any(|m| m.id == viewer.user_id))
        || job.hiring_manager_id == Some(viewer.user_id)
}

fn sees_every_candidate(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Recruiter, Role::Hr, Role::Admin])
}

/// A candidate with their job and the people revision (see `records`), for the candidate
/// page: one statement.
pub fn find_for_page(conn: &mut DbConn, id: CandidateId) -> QueryResult<(Candidate, Job, i64)> {
    let people = people_revision::table
        .select(people_revision::revision)
        .single_value();
    let (candidate, job, people): (Candidate, Job, Option<i64>) = candidates::table
        .inner_join(jobs::table)
        .filter(candidates::id.eq(id))
        .select((Candidate::as_select(), Job::as_select(), people))
        .first(conn)?;
    Ok((candidate, job, people.unwrap_or(0)))
}

/// A row of the candidate list: what the list shows, without resume and notes.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = candidates)]
pub struct Summary {
    pub id: CandidateId,
    pub name: String,
    #[serde(skip)]
    pub name_key: String,
    pub email: String,
    pub source: String,
    pub job_id: JobId,
    pub stage: String,
    pub stage_entered_at: NaiveDateTime,
    pub red_flag: bool,
    pub applied_at: NaiveDateTime,
}

/// One page of the candidate list (`limit + 1` rows: the extra one says more exist).
///
/// Index use: a name search ranges over candidates_name_idx (name_key, id), an email
/// search over candidates_email_idx; otherwise the job, stage or source filter leads
/// (candidates_job_applied_idx / candidates_job_name_idx, candidates_job_stage_idx,
/// candidates_stage_idx, candidates_source_idx, all ending in the sort key), and with no
/// filter candidates_applied_idx or candidates_name_idx is walked in sort order. The
/// keyset condition repeats the bound (`key <= k AND (key < k OR id < i)`) so that it
/// is an index range on both backends, and page 1,000 costs what page 1 costs.
pub fn list(conn: &mut DbConn, f: &ListFilter) -> QueryResult<Vec<(Summary, String)>> {
    let mut q = candidates::table
        .inner_join(jobs::table)
        .select((Summary::as_select(), jobs::title))
        .into_boxed();
    if let Some(search) = &f.search {
        let prefix = search.prefix().to_string();
        let upper = prefix_upper_bound(&prefix);
        match search {
            Search::Name(_) if by_date_alone(f) => match name_matches(conn, &prefix)? {
                NameMatches::Few(ids) => q = q.filter(candidates::id.eq_any(ids)),
                // `name_key || ''` is the same text, but no index matches it: the database
                // walks the applied-date index in page order and keeps the names that match.
                NameMatches::Common => {
                    q = q.filter(candidates::name_key.concat("").ge(prefix));
                    if let Some(u) = upper {
                        q = q.filter(candidates::name_key.concat("").lt(u));
                    }
                }
            },
            Search::Name(_) => {
                q = q.filter(candidates::name_key.ge(prefix));
                if let Some(u) = upper {
                    q = q.filter(candidates::name_key.lt(u));
                }
            }
            Search::Email(_) => {
                q = q.filter(candidates::email.ge(prefix));
                if let Some(u) = upper {
                    q = q.filter(candidates::email.lt(u));
                }
            }
        }
    }
    if let Some(job) = f.job {
        q = q.filter(candidates::job_id.eq(job));
    }
    if let Some(stage) = f.stage {
        q = q.filter(candidates::stage.eq(stage.as_str()));
    }
    if let Some(source) = f.source {
        q = q.filter(candidates::source.eq(source.as_str()));
    }
    if let Some(from) = f.applied_from {
        q = q.filter(candidates::applied_at.ge(from.and_hms_opt(0, 0, 0).expect("midnight")));
    }
    if let Some(to) = f.applied_to.and_then(|d| d.succ_opt()) {
        q = q.filter(candidates::applied_at.lt(to.and_hms_opt(0, 0, 0).expect("midnight")));
    }
    match (f.sort, &f.cursor) {
        (Sort::Newest, Some(Cursor::Applied(at, id))) => {
            q = q
                .filter(candidates::applied_at.le(*at))
                .filter(candidates::applied_at.lt(*at).or(candidates::id.lt(*id)));
        }
        (Sort::Oldest, Some(Cursor::Applied(at, id))) => {
            q = q
                .filter(candidates::applied_at.ge(*at))
                .filter(candidates::applied_at.gt(*at).or(candidates::id.gt(*id)));
        }
        (Sort::Name, Some(Cursor::Name(key, id))) => {
            q = q.filter(candidates::name_key.ge(key.clone())).filter(
                candidates::name_key
                    .gt(key.clone())
                    .or(candidates::id.gt(*id)),
            );
        }
        _ => {}
    }
    q = match f.sort {
        Sort::Newest => q.order((candidates::applied_at.desc(), candidates::id.desc())),
        Sort::Oldest => q.order((candidates::applied_at.asc(), candidates::id.asc())),
        Sort::Name => q.order((candidates::name_key.asc(), candidates::id.asc())),
    };
    LiteralLimit {
        query: q,
        limit: f.limit + 1,
    }
    .load(conn)
}

/// A name prefix shared by this many candidates is searched in applied-date order.
/// Sorting the matches by date costs a row read per match, and walking the dates costs an
/// index entry per candidate passed over (about candidates / matches per row shown); at a
/// million candidates the two meet near 2,000 matches, at a few milliseconds each.
const COMMON_NAME_PREFIX: i64 = 2_000;

/// Sorted by applied date with no job, stage or source filter, whose indexes would lead.
/// Left to itself, the database guesses how many names share the prefix: SQLite sorted
/// every match of a common prefix (200 ms for "a" at a million), PostgreSQL walked all the
/// dates for a prefix nobody has (300 ms for "q").
fn by_date_alone(f: &ListFilter) -> bool {
    f.sort != Sort::Name && f.job.is_none() && f.stage.is_none() && f.source.is_none()
}

enum NameMatches {
    /// Every candidate whose name starts with the prefix: fewer than COMMON_NAME_PREFIX.
    Few(Vec<CandidateId>),
    Common,
}

/// The candidates whose names start with the prefix, from the name index, reading no
/// more than COMMON_NAME_PREFIX entries.
fn name_matches(conn: &mut DbConn, prefix: &str) -> QueryResult<NameMatches> {
    let mut q = candidates::table
        .filter(candidates::name_key.ge(prefix))
        .into_boxed();
    if let Some(u) = prefix_upper_bound(prefix) {
        q = q.filter(candidates::name_key.lt(u));
    }
    let ids: Vec<CandidateId> = q
        .order((candidates::name_key, candidates::id))
        .select(candidates::id)
        .limit(COMMON_NAME_PREFIX)
        .load(conn)?;
    Ok(if (ids.len() as i64) < COMMON_NAME_PREFIX {
        NameMatches::Few(ids)
    } else {
        NameMatches::Common
    })
}

/// The cursor that continues after this row in this sort.
pub fn cursor_after(row: &Summary, sort: Sort) -> Cursor {
    match sort {
        Sort::Newest | Sort::Oldest => Cursor::Applied(row.applied_at, row.id.0),
        Sort::Name => Cursor::Name(row.name_key.clone(), row.id.0),
    }
}

/// A card on the pipeline board.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = candidates)]
pub struct Card {
    pub id: CandidateId,
    pub name: String,
    pub stage: String,
    pub stage_entered_at: NaiveDateTime,
    pub red_flag: bool,
}

/// The `limit` most recently moved candidates of each stage of one job, newest first,
/// in one statement: a UNION ALL of one index seek per stage (candidates_board_idx), so a
/// board is one round trip however many columns it has.
pub fn recent_by_stage(
    conn: &mut DbConn,
    job: JobId,
    limit: u32,
) -> QueryResult<Vec<(Stage, Vec<Card>)>> {
    let board = BoardStatement { job, limit };
    let mut cards: Vec<Card> = crate::per_backend!(conn, |conn| board.load(conn))?;
    // A UNION ALL promises no order: each column is put back in its own.
    cards.sort_by_key(|c| std::cmp::Reverse((c.stage_entered_at, c.id)));
    let mut columns: Vec<(Stage, Vec<Card>)> = Stage::ALL.iter().map(|s| (*s, vec![])).collect();
    for card in cards {
        if let Some((_, column)) = columns.iter_mut().find(|(s, _)| s.as_str() == card.stage) {
            column.push(card);
        }
    }
    Ok(columns)
}

/// The board's statement, written out. PostgreSQL plans a statement again on every run
/// while its parameters could change the plan: with the stages and the card count bound it
/// did (0.36 ms planning against 0.14 ms running, each time). With them in the text and only
/// the job bound, it keeps one plan after five runs. (diesel's `sql()` literals would mark
/// the statement unsafe to cache.) The stages are the enum's own names (`TextLiteral`) and the count an
/// integer: nothing from a request reaches the text.
#[derive(Debug, Clone, Copy)]
struct BoardStatement {
    job: JobId,
    limit: u32,
}

impl diesel::query_builder::QueryId for BoardStatement {
    // Not a static id: the card count is in the text, so the text is the cache key.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for BoardStatement {
    type SqlType = (
        diesel::sql_types::BigInt,
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Timestamp,
        diesel::sql_types::Bool,
    );
}

impl<C> RunQueryDsl<C> for BoardStatement {}

impl<DB> diesel::query_builder::QueryFragment<DB> for BoardStatement
where
    DB: diesel::backend::Backend,
    JobId: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        for (i, stage) in Stage::ALL.iter().enumerate() {
            if i > 0 {
                out.push_sql(" UNION ALL ");
            }
            // Each branch in its own subquery: both backends take ORDER BY and LIMIT there.
            out.push_sql(
                "SELECT * FROM (SELECT id, name, stage, stage_entered_at, red_flag \
                 FROM candidates WHERE job_id = ",
            );
            out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.job)?;
            out.push_sql(" AND stage = ");
            crate::db::TextLiteral(stage.as_str()).push(&mut out);
            out.push_sql(&format!(
                " ORDER BY stage_entered_at DESC, id DESC LIMIT {}) AS column_{i}",
                self.limit
            ));
        }
        Ok(())
    }
}

/// A candidate with this (normalised) email, other than `except`.
pub fn find_by_email(
    conn: &mut DbConn,
    email: &str,
    except: Option<CandidateId>,
) -> QueryResult<Option<CandidateId>> {
    let mut q = candidates::table
        .filter(candidates::email.eq(email))
        .select(candidates::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(candidates::id.ne(id));
    }
    q.first(conn).optional()
}

/// Saves an edit of a candidate's record (not its stage).
pub fn update(
    conn: &mut DbConn,
    before: &Candidate,
    job_id: JobId,
    c: &ValidCandidate,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let stage = before.stage.as_str();
    super::counts::moved(conn, (before.job_id, stage), (job_id, stage))?;
    diesel::update(candidates::table.find(before.id))
        .set((
            candidates::name.eq(&c.name),
            candidates::name_key.eq(&c.name_key),
            candidates::email.eq(&c.email),
            candidates::phone.eq(&c.phone),
            candidates::source.eq(c.source.as_str()),
            candidates::job_id.eq(job_id),
            candidates::resume_text.eq(&c.resume_text),
            candidates::resume_url.eq(&c.resume_url),
            candidates::notes.eq(&c.notes),
            candidates::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One move in a candidate's stage history, with the mover's name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StageEntry {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub reason: Option<String>,
    pub note: String,
    pub actor: Option<String>,
    pub at: NaiveDateTime,
}

/// Every stage move of a candidate, oldest first (stage_changes_candidate_idx), with the
/// mover's name in the same query.
pub fn history(conn: &mut DbConn, id: CandidateId) -> QueryResult<Vec<StageEntry>> {
    type Row = (
        Option<String>,
        String,
        Option<String>,
        String,
        Option<String>,
        NaiveDateTime,
    );
    let rows: Vec<Row> = stage_changes::table
        .left_join(users::table.on(stage_changes::actor_id.eq(users::id.nullable())))
        .filter(stage_changes::candidate_id.eq(id))
        .order((stage_changes::at.asc(), stage_changes::id.asc()))
        .select((
            stage_changes::from_stage,
            stage_changes::to_stage,
            stage_changes::reason,
            stage_changes::note,
            users::name.nullable(),
            stage_changes::at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(from_stage, to_stage, reason, note, actor, at)| StageEntry {
                from_stage,
                to_stage,
                reason,
                note,
                actor,
                at,
            },
        )
        .collect())
}
