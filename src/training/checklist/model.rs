//! Checklist template items, each hire's tasks, and who is behind.

use crate::db::ids::{ChecklistItemId, ChecklistTaskId, CohortId, HireId, UserId};
use crate::db::schema::{checklist_items, checklist_tasks, cohorts, enrolments, hires, users};
use crate::db::DbConn;
use crate::training::checklist::rules::ValidItem;
use crate::training::rules::EnrolmentStatus;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = checklist_items)]
pub struct ChecklistItem {
    pub id: ChecklistItemId,
    pub position: i64,
    pub title: String,
    pub description: String,
    /// Due this many days before the start date (0: on the start date).
    pub days_before_start: i64,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = checklist_tasks)]
pub struct ChecklistTask {
    pub id: ChecklistTaskId,
    pub hire_id: HireId,
    pub user_id: UserId,
    pub position: i64,
    pub title: String,
    pub description: String,
    pub due_date: NaiveDate,
    pub done_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The template's items in order; `active_only` for what a new hire is given.
pub fn items(conn: &mut DbConn, active_only: bool) -> QueryResult<Vec<ChecklistItem>> {
    let mut q = checklist_items::table
        .select(ChecklistItem::as_select())
        .order((checklist_items::position.asc(), checklist_items::id.asc()))
        .into_boxed();
    if active_only {
        q = q.filter(checklist_items::active.eq(true));
    }
    q.load(conn)
}

/// Gives a hire their copy of the active template items, due counted back from the
/// start date. Returns how many tasks were given.
pub fn give_to_hire(
    conn: &mut DbConn,
    hire: HireId,
    user: UserId,
    start_date: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let rows: Vec<_> = items(conn, true)?
        .into_iter()
        .map(|i| {
            (
                checklist_tasks::hire_id.eq(hire),
                checklist_tasks::user_id.eq(user),
                checklist_tasks::position.eq(i.position),
                checklist_tasks::title.eq(i.title),
                checklist_tasks::description.eq(i.description),
                checklist_tasks::due_date.eq(start_date - Duration::days(i.days_before_start)),
                checklist_tasks::created_at.eq(now),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    crate::per_backend!(conn, |c| diesel::insert_into(checklist_tasks::table)
        .values(&rows)
        .execute(c))
}

/// A person's tasks in order.
pub fn tasks_of(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<ChecklistTask>> {
    checklist_tasks::table
        .filter(checklist_tasks::user_id.eq(user))
        .select(ChecklistTask::as_select())
        .order((checklist_tasks::position.asc(), checklist_tasks::id.asc()))
        .load(conn)
}

/// One of the person's own tasks; None for anyone else's (or no such task).
pub fn find_own(
    conn: &mut DbConn,
    task: ChecklistTaskId,
    user: UserId,
) -> QueryResult<Option<ChecklistTask>> {
    checklist_tasks::table
        .filter(checklist_tasks::id.eq(task))
        .filter(checklist_tasks::user_id.eq(user))
        .select(ChecklistTask::as_select())
        .first(conn)
        .optional()
}

pub fn set_done(
    conn: &mut DbConn,
    task: ChecklistTaskId,
    done_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(checklist_tasks::table.find(task))
        .set(checklist_tasks::done_at.eq(done_at))
        .execute(conn)
        .map(|_| ())
}

/// An open task past its due date, with whose it is.
#[derive(Debug, Clone, Queryable)]
pub struct OverdueRow {
    pub task_id: ChecklistTaskId,
    pub title: String,
    pub due_date: NaiveDate,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub start_date: NaiveDate,
    pub department: String,
}

/// Open tasks due before `today`, oldest first, at most `limit` (on
/// checklist_tasks_open_idx: done_at IS NULL, due_date range).
pub fn overdue(conn: &mut DbConn, today: NaiveDate, limit: i64) -> QueryResult<Vec<OverdueRow>> {
    checklist_tasks::table
        .inner_join(users::table)
        .inner_join(hires::table)
        .filter(checklist_tasks::done_at.is_null())
        .filter(checklist_tasks::due_date.lt(today))
        .order((checklist_tasks::due_date.asc(), checklist_tasks::id.asc()))
        .select((
            checklist_tasks::id,
            checklist_tasks::title,
            checklist_tasks::due_date,
            users::id,
            users::name,
            users::email,
            hires::start_date,
            hires::department,
        ))
        .limit(limit)
        .load(conn)
}

/// The cohort each of these people is in training with: (user, cohort id, name).
pub fn cohorts_of(
    conn: &mut DbConn,
    people: &[UserId],
) -> QueryResult<Vec<(UserId, CohortId, String)>> {
    enrolments::table
        .inner_join(cohorts::table)
        .filter(enrolments::user_id.eq_any(people))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .select((enrolments::user_id, cohorts::id, cohorts::name))
        .load(conn)
}

pub fn find_item(conn: &mut DbConn, id: ChecklistItemId) -> QueryResult<ChecklistItem> {
    checklist_items::table
        .find(id)
        .select(ChecklistItem::as_select())
        .first(conn)
}

pub fn insert_item(
    conn: &mut DbConn,
    v: &ValidItem,
    now: NaiveDateTime,
) -> QueryResult<ChecklistItemId> {
    diesel::insert_into(checklist_items::table)
        .values((
            checklist_items::position.eq(v.position),
            checklist_items::title.eq(&v.title),
            checklist_items::description.eq(&v.description),
            checklist_items::days_before_start.eq(v.days_before_start),
            checklist_items::active.eq(v.active),
            checklist_items::created_at.eq(now),
            checklist_items::updated_at.eq(now),
        ))
        .returning(checklist_items::id)
        .get_result(conn)
}

pub fn update_item(
    conn: &mut DbConn,
    id: ChecklistItemId,
    v: &ValidItem,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(checklist_items::table.find(id))
        .set((
            checklist_items::position.eq(v.position),
            checklist_items::title.eq(&v.title),
            checklist_items::description.eq(&v.description),
            checklist_items::days_before_start.eq(v.days_before_start),
            checklist_items::active.eq(v.active),
            checklist_items::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
