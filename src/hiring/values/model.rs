//! Core value rows.

use crate::db::ids::CoreValueId;
use crate::db::schema::core_values;
use crate::db::DbConn;
use crate::hiring::values::rules::ValidValue;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = core_values)]
pub struct CoreValue {
    pub id: CoreValueId,
    pub position: i64,
    pub name: String,
    pub description: String,
    /// One question per line.
    pub sample_questions: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl CoreValue {
    pub fn questions(&self) -> Vec<&str> {
        self.sample_questions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Every value, active or not, in position order.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<CoreValue>> {
    core_values::table
        .select(CoreValue::as_select())
        .order((core_values::position.asc(), core_values::id.asc()))
        .load(conn)
}

/// The values the culture scorecard rates, in position order.
pub fn active(conn: &mut DbConn) -> QueryResult<Vec<CoreValue>> {
    core_values::table
        .filter(core_values::active.eq(true))
        .select(CoreValue::as_select())
        .order((core_values::position.asc(), core_values::id.asc()))
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: CoreValueId) -> QueryResult<CoreValue> {
    core_values::table
        .find(id)
        .select(CoreValue::as_select())
        .first(conn)
}

/// Another value with this name, ignoring case.
pub fn name_taken(conn: &mut DbConn, name: &str, except: Option<CoreValueId>) -> QueryResult<bool> {
    let mut q = core_values::table
        .filter(crate::db::lower(core_values::name).eq(name.to_lowercase()))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(core_values::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

pub fn insert(conn: &mut DbConn, v: &ValidValue, now: NaiveDateTime) -> QueryResult<CoreValueId> {
    diesel::insert_into(core_values::table)
        .values((
            core_values::position.eq(v.position),
            core_values::name.eq(&v.name),
            core_values::description.eq(&v.description),
            core_values::sample_questions.eq(&v.sample_questions),
            core_values::active.eq(v.active),
            core_values::created_at.eq(now),
            core_values::updated_at.eq(now),
        ))
        .returning(core_values::id)
        .get_result(conn)
}

pub fn update(
    conn: &mut DbConn,
    id: CoreValueId,
    v: &ValidValue,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(core_values::table.find(id))
        .set((
            core_values::position.eq(v.position),
            core_values::name.eq(&v.name),
            core_values::description.eq(&v.description),
            core_values::sample_questions.eq(&v.sample_questions),
            core_values::active.eq(v.active),
            core_values::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
