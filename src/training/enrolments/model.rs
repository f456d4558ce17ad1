//! Enrolment rows and the roster.

use crate::db::ids::{CohortId, EnrolmentId, HireId, UserId};
use crate::db::schema::{cohorts, enrolments, hires, users};
use crate::db::{DbConn, LiteralLimit, TextLiteral};
use crate::hiring::decision::model::Hire;
use crate::training::cohorts::model::Cohort;
use crate::training::rules::{EnrolmentStatus, Tally};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = enrolments)]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub cohort_id: CohortId,
    pub hire_id: HireId,
    pub user_id: UserId,
    /// The cohort day number they joined on; attendance counts from it.
    pub first_day: i64,
    /// active, graduated, moved or let_go.
    pub status: String,
    pub end_reason: String,
    pub ended_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Their attendance tally (days marked present, late, excused, absent), kept in step
    /// with their marks by `add_to_tallies`.
    pub present_days: i64,
    pub late_days: i64,
    pub excused_days: i64,
    pub absent_days: i64,
}

impl Enrolment {
    pub fn status(&self) -> EnrolmentStatus {
        EnrolmentStatus::parse(&self.status).unwrap_or(EnrolmentStatus::Active)
    }

    pub fn is_active(&self) -> bool {
        self.status() == EnrolmentStatus::Active
    }
}

type TallyColumns = (
    enrolments::present_days,
    enrolments::late_days,
    enrolments::excused_days,
    enrolments::absent_days,
);

/// An enrolment's tally columns, in the order `Tally::from` takes them.
pub const TALLY_COLUMNS: TallyColumns = (
    enrolments::present_days,
    enrolments::late_days,
    enrolments::excused_days,
    enrolments::absent_days,
);

/// The tally columns as read, before they become a `Tally`.
pub type TallyCounts = (i64, i64, i64, i64);

/// Adds one change of marks (`delta`, as a tally that may count down) to the tallies of
/// these enrolments, in one UPDATE.
pub fn add_to_tallies(conn: &mut DbConn, delta: Tally, ids: &[EnrolmentId]) -> QueryResult<()> {
    diesel::update(enrolments::table.filter(enrolments::id.eq_any(ids)))
        .set((
            enrolments::present_days.eq(enrolments::present_days + delta.present),
            enrolments::late_days.eq(enrolments::late_days + delta.late),
            enrolments::excused_days.eq(enrolments::excused_days + delta.excused),
            enrolments::absent_days.eq(enrolments::absent_days + delta.absent),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Puts a hire on a cohort's roster, with their name, department and title copied on
/// (see the enrolment_roster migration: none of them is ever edited), and marks the hire
/// placed: off the list of hires waiting for a cohort for good.
pub fn insert(
    conn: &mut DbConn,
    cohort: CohortId,
    hire: &Hire,
    first_day: i64,
    now: NaiveDateTime,
) -> QueryResult<EnrolmentId> {
    let name: String = users::table
        .find(hire.user_id)
        .select(users::name)
        .first(conn)?;
    let id = diesel::insert_into(enrolments::table)
        .values((
            enrolments::cohort_id.eq(cohort),
            enrolments::hire_id.eq(hire.id),
            enrolments::user_id.eq(hire.user_id),
            enrolments::first_day.eq(first_day),
            enrolments::status.eq(EnrolmentStatus::Active.as_str()),
            enrolments::end_reason.eq(""),
            enrolments::created_at.eq(now),
            enrolments::updated_at.eq(now),
            enrolments::name.eq(name),
            enrolments::department.eq(&hire.department),
            enrolments::title.eq(&hire.title),
        ))
        .returning(enrolments::id)
        .get_result(conn)?;
    // A move enrols a hire already placed: nothing to write then.
    diesel::update(
        hires::table
            .find(hire.id)
            .filter(diesel::dsl::not(hires::placed)),
    )
    .set(hires::placed.eq(true))
    .execute(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: EnrolmentId) -> QueryResult<Enrolment> {
    enrolments::table
        .find(id)
        .select(Enrolment::as_select())
        .first(conn)
}

pub fn active_for_hire(conn: &mut DbConn, hire: HireId) -> QueryResult<Option<Enrolment>> {
    enrolments::table
        .filter(enrolments::hire_id.eq(hire))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .select(Enrolment::as_select())
        .first(conn)
        .optional()
}

/// A person's current enrolment, or else their latest: what their portal shows.
pub fn current_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<Option<Enrolment>> {
    Ok(current_with_cohort(conn, user)?.map(|(e, _)| e))
}

/// `current_for_user` with its cohort, in one statement: the active enrolment sorts
/// first, then the newest (a person has a handful, found by `enrolments_user_idx`).
pub fn current_with_cohort(
    conn: &mut DbConn,
    user: UserId,
) -> QueryResult<Option<(Enrolment, Cohort)>> {
    enrolments::table
        .inner_join(cohorts::table)
        .filter(enrolments::user_id.eq(user))
        .order((
            enrolments::status
                .eq(TextLiteral(EnrolmentStatus::Active.as_str()))
                .desc(),
            enrolments::id.desc(),
        ))
        .select((Enrolment::as_select(), Cohort::as_select()))
        .first(conn)
        .optional()
}

/// Ends an enrolment (graduated, moved, let go) with its reason.
pub fn end(
    conn: &mut DbConn,
    id: EnrolmentId,
    status: EnrolmentStatus,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(enrolments::table.find(id))
        .set((
            enrolments::status.eq(status.as_str()),
            enrolments::end_reason.eq(reason),
            enrolments::ended_at.eq(now),
            enrolments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The active enrolments of a cohort. The status is written into the statement (see
/// `TextLiteral`): bound, it left PostgreSQL planning the roster's statement again on every
/// request (0.14-0.19 ms of the statement's 0.7 ms).
#[diesel::dsl::auto_type]
pub fn active_in(cohort: CohortId) -> _ {
    let active: TextLiteral = TextLiteral(EnrolmentStatus::Active.as_str());
    enrolments::cohort_id
        .eq(cohort)
        .and(enrolments::status.eq(active))
}

/// A roster's order: by name, then enrolment (enrolments_cohort_idx, no sort).
pub const BY_NAME: (enrolments::name, enrolments::id) = (enrolments::name, enrolments::id);

/// One trainee on a roster, with the department they go to after training (the
/// rotation is all-hands, so the roster shows it) and their attendance tally.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = enrolments)]
pub struct RosterRow {
    #[diesel(column_name = id)]
    pub enrolment_id: EnrolmentId,
    pub user_id: UserId,
    pub hire_id: HireId,
    pub name: String,
    pub department: String,
    pub title: String,
    pub first_day: i64,
    #[diesel(
        deserialize_as = TallyCounts,
        select_expression = TALLY_COLUMNS,
        select_expression_type = TallyColumns
    )]
    pub tally: Tally,
}

/// The active trainees of a cohort, by name.
pub fn roster(conn: &mut DbConn, cohort: CohortId) -> QueryResult<Vec<RosterRow>> {
    enrolments::table
        .filter(active_in(cohort))
        .order(BY_NAME)
        .select(RosterRow::as_select())
        .load(conn)
}

/// An active trainee as The Offer is made to them: where it is mailed and the pay rate
/// it pays time worked at.
#[derive(Debug, Clone, Queryable)]
pub struct Payee {
    pub enrolment_id: EnrolmentId,
    pub user_id: UserId,
    pub hire_id: HireId,
    pub name: String,
    pub email: String,
    pub department: String,
    pub hourly_rate_cents: i64,
    pub first_day: i64,
}

/// The active trainees of a cohort as payees, by name.
pub fn payees(conn: &mut DbConn, cohort: CohortId) -> QueryResult<Vec<Payee>> {
    enrolments::table
        .inner_join(users::table)
        .inner_join(hires::table)
        .filter(active_in(cohort))
        .order(BY_NAME)
        .select((
            enrolments::id,
            enrolments::user_id,
            enrolments::hire_id,
            enrolments::name,
            users::email,
            enrolments::department,
            hires::hourly_rate_cents,
            enrolments::first_day,
        ))
        .load(conn)
}

/// Each active trainee of a cohort with the date they join from: the later of their
/// start date and the day they were enrolled (how `first_day` was first worked out).
pub fn active_joining_dates(
    conn: &mut DbConn,
    cohort: CohortId,
) -> QueryResult<Vec<(EnrolmentId, NaiveDate)>> {
    let rows: Vec<(EnrolmentId, NaiveDate, NaiveDateTime)> = enrolments::table
        .inner_join(hires::table)
        .filter(enrolments::cohort_id.eq(cohort))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .select((enrolments::id, hires::start_date, enrolments::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, start, enrolled)| (id, start.max(enrolled.date())))
        .collect())
}

pub fn set_first_day(conn: &mut DbConn, id: EnrolmentId, first_day: i64) -> QueryResult<()> {
    diesel::update(enrolments::table.find(id))
        .set(enrolments::first_day.eq(first_day))
        .execute(conn)
        .map(|_| ())
}

/// A hire with no cohort yet.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct WaitingHire {
    pub hire_id: HireId,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub department: String,
    pub title: String,
    pub start_date: NaiveDate,
}

/// Hires waiting for a cohort, earliest start first, `limit` of them after the hire
/// `after` in that order: those never given a cohort (`hires.placed`, set by `insert`).
/// Walks hires_waiting_idx, which holds only them.
pub fn waiting(
    conn: &mut DbConn,
    after: Option<HireId>,
    limit: i64,
) -> QueryResult<Vec<WaitingHire>> {
    let mut q = hires::table
        .inner_join(users::table.on(users::id.eq(hires::user_id)))
        // Written as `NOT placed`, the partial index's own condition, so both databases
        // know the index holds every row this can match.
        .filter(diesel::dsl::not(hires::placed))
        .select((
            hires::id,
            users::id,
            users::name,
            users::email,
            hires::department,
            hires::title,
            hires::start_date,
        ))
        .order((hires::start_date.asc(), hires::id.asc()))
        .into_boxed();
    if let Some(after) = after {
        let from: NaiveDate = hires::table
            .find(after)
            .select(hires::start_date)
            .first(conn)?;
        q = q.filter(
            hires::start_date
                .gt(from)
                .or(hires::start_date.eq(from).and(hires::id.gt(after))),
        );
    }
    LiteralLimit { query: q, limit }.load(conn)
}
