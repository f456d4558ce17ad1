//! Cohort rows, their copied modules, laid-out days and trainers; company holidays.

use crate::db::ids::{CohortId, CohortModuleId, CurriculumId, UserId};
use crate::db::schema::{
    attendance, cohort_days, cohort_modules, cohort_trainers, cohorts, enrolments, holidays, users,
};
use crate::db::{DbConn, LiteralLimit};
use crate::hiring::candidates::rules::prefix_upper_bound;
use crate::training::cohorts::rules::ListFilter;
use crate::training::curricula::model::{Curriculum, CurriculumModule};
use crate::training::rules::{self, AttendanceRule, CohortStatus, EnrolmentStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = cohorts)]
pub struct Cohort {
    pub id: CohortId,
    pub name: String,
    pub start_date: NaiveDate,
    pub capacity: i64,
    /// The template it was copied from (the copy is what counts).
    pub curriculum_id: Option<CurriculumId>,
    pub curriculum_name: String,
    pub weeks: i64,
    pub days_per_week: i64,
    pub live_call_target_minutes: i64,
    pub max_unexcused_absences: i64,
    pub max_lates: i64,
    pub day_minutes: i64,
    pub graduated_at: Option<NaiveDateTime>,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The first and last training day (weekends and holidays skipped), kept with the
    /// days by `set_days`.
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Every training day, as `rules::days_text` wrote it (read with `days`).
    #[serde(skip)]
    #[schema(ignore)]
    pub training_days: String,
    /// Moved on by triggers with every change to the cohort's enrolments, attendance,
    /// modules, trainers (and their names), module results and call shifts, so what was
    /// built from those rows can be kept until it moves (`web::kept`, `KeptPages`).
    #[serde(skip)]
    #[schema(ignore)]
    pub revision: i64,
}

impl Cohort {
    pub fn status(&self, today: NaiveDate) -> CohortStatus {
        rules::cohort_status(self.start_date, self.graduated_at, today)
    }

    pub fn attendance_rule(&self) -> AttendanceRule {
        AttendanceRule {
            max_unexcused_absences: self.max_unexcused_absences,
            max_lates: self.max_lates,
        }
    }

    /// The training days, in order: kept on the row by `set_days`, so every page that
    /// reads the cohort has them without another statement.
    pub fn days(&self) -> QueryResult<Vec<NaiveDate>> {
        rules::parse_days_text(&self.training_days).ok_or_else(|| {
            diesel::result::Error::DeserializationError(
                format!("cohort {} has malformed training days", self.id.0).into(),
            )
        })
    }

    pub fn day_count(&self) -> i64 {
        self.weeks * self.days_per_week
    }

    /// (week, day of week) of a 1-based day number.
    pub fn week_and_day(&self, day_number: i64) -> (i64, i64) {
        let i = day_number - 1;
        (i / self.days_per_week + 1, i % self.days_per_week + 1)
    }
}

/// A cohort as its list shows it: the columns it needs, not the days or the rules.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cohorts)]
pub struct ListedCohort {
    pub id: CohortId,
    pub name: String,
    pub start_date: NaiveDate,
    pub capacity: i64,
    pub graduated_at: Option<NaiveDateTime>,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// As `Cohort::revision`: the list keeps trainers and counts by it.
    pub revision: i64,
}

impl ListedCohort {
    pub fn status(&self, today: NaiveDate) -> CohortStatus {
        rules::cohort_status(self.start_date, self.graduated_at, today)
    }
}

/// A module as the cohort copied it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = cohort_modules)]
pub struct CohortModule {
    pub id: CohortModuleId,
    pub cohort_id: CohortId,
    pub week: i64,
    pub day: i64,
    pub position: i64,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub pass_mark: Option<i64>,
}

pub struct NewCohort<'a> {
    pub name: &'a str,
    pub start_date: NaiveDate,
    pub capacity: i64,
    pub curriculum: &'a Curriculum,
    pub created_by: Option<UserId>,
    pub now: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, c: &NewCohort) -> QueryResult<CohortId> {
    let t = c.curriculum;
    diesel::insert_into(cohorts::table)
        .values((
            cohorts::name.eq(c.name),
            cohorts::name_key.eq(c.name.to_lowercase()),
            cohorts::start_date.eq(c.start_date),
            cohorts::capacity.eq(c.capacity),
            cohorts::curriculum_id.eq(t.id),
            cohorts::curriculum_name.eq(&t.name),
            cohorts::weeks.eq(t.weeks),
            cohorts::days_per_week.eq(t.days_per_week),
            cohorts::live_call_target_minutes.eq(t.live_call_target_minutes),
            cohorts::max_unexcused_absences.eq(t.max_unexcused_absences),
            cohorts::max_lates.eq(t.max_lates),
            cohorts::day_minutes.eq(t.day_minutes),
            cohorts::created_by.eq(c.created_by),
            cohorts::created_at.eq(c.now),
            cohorts::updated_at.eq(c.now),
        ))
        .returning(cohorts::id)
        .get_result(conn)
}

/// The cohort keeps its own copy of the template's modules.
pub fn copy_modules(
    conn: &mut DbConn,
    id: CohortId,
    modules: &[CurriculumModule],
) -> QueryResult<()> {
    let rows: Vec<_> = modules
        .iter()
        .map(|m| {
            (
                cohort_modules::cohort_id.eq(id),
                cohort_modules::week.eq(m.week),
                cohort_modules::day.eq(m.day),
                cohort_modules::position.eq(m.position),
                cohort_modules::title.eq(&m.title),
                cohort_modules::kind.eq(&m.kind),
                cohort_modules::description.eq(&m.description),
                cohort_modules::pass_mark.eq(m.pass_mark),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(cohort_modules::table)
        .values(&rows)
        .execute(c))
    .map(|_| ())
}

/// Replaces the cohort's laid-out days (day 1 is `days[0]`), kept twice: as rows of
/// `cohort_days` for queries by date, and on the cohort row for reading them all at once.
pub fn set_days(conn: &mut DbConn, id: CohortId, days: &[NaiveDate]) -> QueryResult<()> {
    diesel::update(cohorts::table.find(id))
        .set((
            cohorts::first_day.eq(days.first()),
            cohorts::last_day.eq(days.last()),
            cohorts::training_days.eq(rules::days_text(days)),
        ))
        .execute(conn)?;
    diesel::delete(cohort_days::table.filter(cohort_days::cohort_id.eq(id))).execute(conn)?;
    let rows: Vec<_> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                cohort_days::cohort_id.eq(id),
                cohort_days::day_number.eq(i as i64 + 1),
                cohort_days::date.eq(*d),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(cohort_days::table)
        .values(&rows)
        .execute(c))
    .map(|_| ())
}

/// Replaces the cohort's trainers; their offer tallies follow.
pub fn set_trainers(conn: &mut DbConn, id: CohortId, trainers: &[UserId]) -> QueryResult<()> {
    let before: Vec<UserId> = cohort_trainers::table
        .filter(cohort_trainers::cohort_id.eq(id))
        .select(cohort_trainers::user_id)
        .load(conn)?;
    crate::offer::reports::tally::trainers_changed(conn, id, &before, trainers)?;
    diesel::delete(cohort_trainers::table.filter(cohort_trainers::cohort_id.eq(id)))
        .execute(conn)?;
    let rows: Vec<_> = trainers
        .iter()
        .map(|u| {
            (
                cohort_trainers::cohort_id.eq(id),
                cohort_trainers::user_id.eq(*u),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(cohort_trainers::table)
        .values(&rows)
        .execute(c))
    .map(|_| ())
}

pub fn find(conn: &mut DbConn, id: CohortId) -> QueryResult<Cohort> {
    cohorts::table
        .find(id)
        .select(Cohort::as_select())
        .first(conn)
}

pub fn name_taken(conn: &mut DbConn, name: &str, except: Option<CohortId>) -> QueryResult<bool> {
    let mut q = cohorts::table
        .filter(cohorts::name.eq(name))
        .select(cohorts::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(cohorts::id.ne(id));
    }
    Ok(q.first::<CohortId>(conn).optional()?.is_some())
}

pub fn modules(conn: &mut DbConn, id: CohortId) -> QueryResult<Vec<CohortModule>> {
    cohort_modules::table
        .filter(cohort_modules::cohort_id.eq(id))
        .select(CohortModule::as_select())
        .order((
            cohort_modules::week.asc(),
            cohort_modules::day.asc(),
            cohort_modules::position.asc(),
            cohort_modules::id.asc(),
        ))
        .load(conn)
}

/// A trainer of a cohort: (id, name, email), by name.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Trainer {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

pub fn trainers(conn: &mut DbConn, id: CohortId) -> QueryResult<Vec<Trainer>> {
    cohort_trainers::table
        .inner_join(users::table)
        .filter(cohort_trainers::cohort_id.eq(id))
        .select((users::id, users::name, users::email))
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}

pub fn is_trainer_of(conn: &mut DbConn, id: CohortId, user: UserId) -> QueryResult<bool> {
    Ok(cohort_trainers::table
        .filter(cohort_trainers::cohort_id.eq(id))
        .filter(cohort_trainers::user_id.eq(user))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn active_count(conn: &mut DbConn, id: CohortId) -> QueryResult<i64> {
    enrolments::table
        .filter(enrolments::cohort_id.eq(id))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .count()
        .get_result(conn)
}

/// The first not-yet-graduated cohort starting on or after `date` with a free place:
/// where a new hire starting on `date` is enrolled.
pub fn first_open_on_or_after(conn: &mut DbConn, date: NaiveDate) -> QueryResult<Option<Cohort>> {
    // Few candidates are looked at: cohorts are a handful a month.
    let upcoming: Vec<Cohort> = cohorts::table
        .filter(cohorts::start_date.ge(date))
        .filter(cohorts::graduated_at.is_null())
        .order((cohorts::start_date.asc(), cohorts::id.asc()))
        .select(Cohort::as_select())
        .limit(20)
        .load(conn)?;
    for c in upcoming {
        if active_count(conn, c.id)? < c.capacity {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// Cohorts not yet graduated that started between `from` and `today`: the ones whose
/// offers may fall due.
pub fn running_since(
    conn: &mut DbConn,
    from: NaiveDate,
    today: NaiveDate,
) -> QueryResult<Vec<Cohort>> {
    cohorts::table
        .filter(cohorts::graduated_at.is_null())
        .filter(cohorts::start_date.ge(from))
        .filter(cohorts::start_date.le(today))
        .order((cohorts::start_date.asc(), cohorts::id.asc()))
        .select(Cohort::as_select())
        .load(conn)
}

/// Company holidays on or after `from`, for laying out a cohort's days.
pub fn holidays_from(conn: &mut DbConn, from: NaiveDate) -> QueryResult<HashSet<NaiveDate>> {
    Ok(holidays::table
        .filter(holidays::day.ge(from))
        .select(holidays::day)
        .load::<NaiveDate>(conn)?
        .into_iter()
        .collect())
}

/// A cohort's id and name, for pickers.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct CohortChoice {
    pub id: CohortId,
    pub name: String,
    pub start_date: NaiveDate,
}

/// Cohorts not yet graduated, newest start first, at most `limit`.
pub fn not_graduated(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<CohortChoice>> {
    cohorts::table
        .filter(cohorts::graduated_at.is_null())
        .order((cohorts::start_date.desc(), cohorts::id.desc()))
        .limit(limit)
        .select((cohorts::id, cohorts::name, cohorts::start_date))
        .load(conn)
}

/// One page of the cohort list (`limit + 1` rows: the extra one says more exist), by
/// start date, newest first, then id.
///
/// Index use: with no filter, or graduated (nearly all rows), cohorts_start_idx is walked
/// backwards; planned and running are one range each of cohorts_open_idx
/// (graduated_at IS NULL, then start_date after or up to today); a name search ranges
/// over cohorts_name_key_idx. The keyset condition repeats the bound
/// (`start_date <= d AND (start_date < d OR id < i)`) so it is an index range too.
pub fn list(conn: &mut DbConn, f: &ListFilter, today: NaiveDate) -> QueryResult<Vec<ListedCohort>> {
    let mut q = cohorts::table
        .select(ListedCohort::as_select())
        .order((cohorts::start_date.desc(), cohorts::id.desc()))
        .into_boxed();
    match f.status {
        Some(CohortStatus::Planned) => {
            q = q
                .filter(cohorts::graduated_at.is_null())
                .filter(cohorts::start_date.gt(today))
        }
        Some(CohortStatus::Running) => {
            q = q
                .filter(cohorts::graduated_at.is_null())
                .filter(cohorts::start_date.le(today))
        }
        Some(CohortStatus::Graduated) => q = q.filter(cohorts::graduated_at.is_not_null()),
        None => {}
    }
    if let Some(prefix) = &f.prefix {
        q = q.filter(cohorts::name_key.ge(prefix.clone()));
        if let Some(upper) = prefix_upper_bound(prefix) {
            q = q.filter(cohorts::name_key.lt(upper));
        }
    }
    if let Some(c) = f.cursor {
        q = q.filter(cohorts::start_date.le(c.start_date)).filter(
            cohorts::start_date
                .lt(c.start_date)
                .or(cohorts::id.lt(CohortId(c.id))),
        );
    }
    LiteralLimit {
        query: q,
        limit: f.limit + 1,
    }
    .load(conn)
}

/// The trainers' names of several cohorts, by name (cohort_trainers_cohort_idx).
pub fn trainer_names(
    conn: &mut DbConn,
    ids: &[CohortId],
) -> QueryResult<HashMap<CohortId, Vec<String>>> {
    // Sorted here, not in SQL: ORDER BY users.name leads PostgreSQL to walk the name
    // index over every account (new hires included) instead of the few trainers.
    let rows: Vec<(CohortId, String)> = cohort_trainers::table
        .inner_join(users::table)
        .filter(cohort_trainers::cohort_id.eq_any(ids))
        .select((cohort_trainers::cohort_id, users::name))
        .load(conn)?;
    let mut out: HashMap<CohortId, Vec<String>> = HashMap::new();
    for (id, name) in rows {
        out.entry(id).or_default().push(name);
    }
    for names in out.values_mut() {
        names.sort();
    }
    Ok(out)
}

/// Active trainees of several cohorts: one GROUP BY over enrolments_cohort_idx.
pub fn active_counts(conn: &mut DbConn, ids: &[CohortId]) -> QueryResult<HashMap<CohortId, i64>> {
    let rows: Vec<(CohortId, i64)> = enrolments::table
        .filter(enrolments::cohort_id.eq_any(ids))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .group_by(enrolments::cohort_id)
        .select((enrolments::cohort_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Cohorts a trainee can still be put in (not graduated), soonest first: for pickers
/// (cohorts_open_idx).
pub fn open(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Cohort>> {
    cohorts::table
        .filter(cohorts::graduated_at.is_null())
        .order((cohorts::start_date.asc(), cohorts::id.asc()))
        .select(Cohort::as_select())
        .limit(limit)
        .load(conn)
}

/// Cohorts not started by `today` whose start is on or before `day`: those a holiday on
/// `day` can move (cohorts_start_idx range).
pub fn planned_starting_by(
    conn: &mut DbConn,
    today: NaiveDate,
    day: NaiveDate,
) -> QueryResult<Vec<Cohort>> {
    cohorts::table
        .filter(cohorts::start_date.gt(today))
        .filter(cohorts::start_date.le(day))
        .filter(cohorts::graduated_at.is_null())
        .order((cohorts::start_date.asc(), cohorts::id.asc()))
        .select(Cohort::as_select())
        .load(conn)
}

pub fn update(
    conn: &mut DbConn,
    id: CohortId,
    name: &str,
    start_date: NaiveDate,
    capacity: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(cohorts::table.find(id))
        .set((
            cohorts::name.eq(name),
            cohorts::name_key.eq(name.to_lowercase()),
            cohorts::start_date.eq(start_date),
            cohorts::capacity.eq(capacity),
            cohorts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether any attendance was taken in the cohort (attendance_cohort_day_idx).
pub fn has_attendance(conn: &mut DbConn, id: CohortId) -> QueryResult<bool> {
    Ok(attendance::table
        .filter(attendance::cohort_id.eq(id))
        .select(attendance::id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}
