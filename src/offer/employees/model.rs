//! Employee rows with the person's name, HR's list and the leaving date.

use crate::db::ids::{EmployeeId, HireId, UserId};
use crate::db::schema::{employees, users};
use crate::db::{DbConn, LiteralLimit};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = employees)]
pub struct Employee {
    pub id: EmployeeId,
    pub hire_id: HireId,
    pub user_id: UserId,
    pub department: String,
    pub title: String,
    /// The graduation day.
    pub started_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub leave_reason: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An employee with their name and email.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct EmployeeRow {
    #[diesel(embed)]
    #[serde(flatten)]
    pub employee: Employee,
    pub name: String,
    pub email: String,
}

/// Employees newest first, `limit` of them before `before`, optionally those whose
/// email or name starts with `q`.
pub fn list(
    conn: &mut DbConn,
    q: Option<&str>,
    before: Option<EmployeeId>,
    limit: i64,
) -> QueryResult<Vec<EmployeeRow>> {
    let mut query = employees::table
        .inner_join(users::table)
        .select((Employee::as_select(), users::name, users::email))
        .order(employees::id.desc())
        .into_boxed();
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("{}%", q.to_lowercase().replace(['%', '_'], ""));
        query = query.filter(
            users::email
                .like(pattern.clone())
                .or(crate::db::lower(users::name).like(pattern)),
        );
    }
    if let Some(b) = before {
        query = query.filter(employees::id.lt(b));
    }
    LiteralLimit { query, limit }.load(conn)
}

pub fn find(conn: &mut DbConn, id: EmployeeId) -> QueryResult<EmployeeRow> {
    employees::table
        .inner_join(users::table)
        .filter(employees::id.eq(id))
        .select((Employee::as_select(), users::name, users::email))
        .first(conn)
}

pub fn set_leaving(
    conn: &mut DbConn,
    id: EmployeeId,
    left_on: Option<NaiveDate>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(employees::table.find(id))
        .set((
            employees::left_on.eq(left_on),
            employees::leave_reason.eq(reason),
            employees::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
