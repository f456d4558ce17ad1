//! Holiday rows.

use crate::db::ids::HolidayId;
use crate::db::schema::holidays;
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = holidays)]
pub struct Holiday {
    pub id: HolidayId,
    pub day: NaiveDate,
    pub name: String,
    pub created_at: NaiveDateTime,
}

/// Every holiday by date (holidays_day_idx): a few a year.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Holiday>> {
    holidays::table
        .select(Holiday::as_select())
        .order(holidays::day.asc())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: HolidayId) -> QueryResult<Holiday> {
    holidays::table
        .find(id)
        .select(Holiday::as_select())
        .first(conn)
}

pub fn on(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Option<Holiday>> {
    holidays::table
        .filter(holidays::day.eq(day))
        .select(Holiday::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConn,
    day: NaiveDate,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<HolidayId> {
    diesel::insert_into(holidays::table)
        .values((
            holidays::day.eq(day),
            holidays::name.eq(name),
            holidays::created_at.eq(now),
        ))
        .returning(holidays::id)
        .get_result(conn)
}

pub fn delete(conn: &mut DbConn, id: HolidayId) -> QueryResult<()> {
    diesel::delete(holidays::table.find(id))
        .execute(conn)
        .map(|_| ())
}
