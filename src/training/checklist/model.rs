//! Checklist template items and each hire's tasks.

use crate::db::ids::{ChecklistItemId, ChecklistTaskId, HireId, UserId};
use crate::db::schema::{checklist_items, checklist_tasks};
use crate::db::DbConn;
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
