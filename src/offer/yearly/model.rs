//! Yearly window rows, their offers counted by outcome, the employees still to be
//! offered, and an employee's leaving.

use crate::db::ids::{EmployeeId, HireId, UserId, YearlyWindowId};
use crate::db::schema::{employees, hires, offers, users, yearly_windows};
use crate::db::{DbConn, LiteralLimit};
use crate::offer::reports::rules::Uptake;
use crate::offer::rules::OfferStatus;
use crate::offer::yearly::rules::ValidWindow;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, exists, not};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = yearly_windows)]
pub struct YearlyWindow {
    pub id: YearlyWindowId,
    pub opens_on: NaiveDate,
    /// Offers made in the window expire at the end of this day.
    pub closes_on: NaiveDate,
    /// The bonus at less than a year of tenure.
    pub base_cents: i64,
    /// Added for each full year of tenure on the opening day.
    pub step_cents: i64,
    /// The most anyone is offered.
    pub max_cents: i64,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

impl YearlyWindow {
    pub fn terms(&self) -> ValidWindow {
        ValidWindow {
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            base_cents: self.base_cents,
            step_cents: self.step_cents,
            max_cents: self.max_cents,
        }
    }
}

pub fn insert(
    conn: &mut DbConn,
    w: &ValidWindow,
    by: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<YearlyWindowId> {
    diesel::insert_into(yearly_windows::table)
        .values((
            yearly_windows::opens_on.eq(w.opens_on),
            yearly_windows::closes_on.eq(w.closes_on),
            yearly_windows::base_cents.eq(w.base_cents),
            yearly_windows::step_cents.eq(w.step_cents),
            yearly_windows::max_cents.eq(w.max_cents),
            yearly_windows::created_by.eq(by),
            yearly_windows::created_at.eq(now),
        ))
        .returning(yearly_windows::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: YearlyWindowId) -> QueryResult<YearlyWindow> {
    yearly_windows::table
        .find(id)
        .select(YearlyWindow::as_select())
        .first(conn)
}

/// Windows newest first, `limit` of them before `before`.
pub fn page(
    conn: &mut DbConn,
    before: Option<YearlyWindowId>,
    limit: i64,
) -> QueryResult<Vec<YearlyWindow>> {
    let mut q = yearly_windows::table
        .select(YearlyWindow::as_select())
        .order(yearly_windows::id.desc())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(yearly_windows::id.lt(b));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// Another window than `except` sharing a day with these dates, if any
/// (yearly_windows_opens_idx).
pub fn overlapping(
    conn: &mut DbConn,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    except: Option<YearlyWindowId>,
) -> QueryResult<Option<YearlyWindow>> {
    let mut q = yearly_windows::table
        .filter(yearly_windows::opens_on.le(closes_on))
        .filter(yearly_windows::closes_on.ge(opens_on))
        .select(YearlyWindow::as_select())
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(yearly_windows::id.ne(id));
    }
    q.first(conn).optional()
}

pub fn update(conn: &mut DbConn, id: YearlyWindowId, w: &ValidWindow) -> QueryResult<()> {
    diesel::update(yearly_windows::table.find(id))
        .set((
            yearly_windows::opens_on.eq(w.opens_on),
            yearly_windows::closes_on.eq(w.closes_on),
            yearly_windows::base_cents.eq(w.base_cents),
            yearly_windows::step_cents.eq(w.step_cents),
            yearly_windows::max_cents.eq(w.max_cents),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: YearlyWindowId) -> QueryResult<()> {
    diesel::delete(yearly_windows::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Whether any offer was made in the window (offers_yearly_window_idx).
pub fn has_offers(conn: &mut DbConn, id: YearlyWindowId) -> QueryResult<bool> {
    diesel::select(exists(
        offers::table.filter(offers::yearly_window_id.eq(id)),
    ))
    .get_result(conn)
}

/// The windows open on `today` (company date).
pub fn open_on(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<YearlyWindow>> {
    yearly_windows::table
        .filter(yearly_windows::opens_on.le(today))
        .filter(yearly_windows::closes_on.ge(today))
        .order(yearly_windows::id.asc())
        .select(YearlyWindow::as_select())
        .load(conn)
}

/// Each window's offers by outcome (offers_yearly_window_idx).
pub fn uptake_of(
    conn: &mut DbConn,
    windows: &[YearlyWindowId],
) -> QueryResult<HashMap<YearlyWindowId, Uptake>> {
    let rows: Vec<(Option<YearlyWindowId>, String, i64)> = offers::table
        .filter(offers::yearly_window_id.eq_any(windows))
        .group_by((offers::yearly_window_id, offers::status))
        .select((offers::yearly_window_id, offers::status, count_star()))
        .load(conn)?;
    let mut out: HashMap<YearlyWindowId, Uptake> = HashMap::new();
    for (window, status, n) in rows {
        if let (Some(w), Some(s)) = (window, OfferStatus::parse(&status)) {
            out.entry(w).or_default().add(s, n);
        }
    }
    Ok(out)
}

/// An employee who can be offered the yearly pay-to-quit, with what the offer copies.
#[derive(Debug, Clone, Queryable)]
pub struct Eligible {
    pub employee_id: EmployeeId,
    pub user_id: UserId,
    pub hire_id: HireId,
    pub department: String,
    pub started_on: NaiveDate,
    pub name: String,
    pub email: String,
    pub hourly_rate_cents: i64,
}

/// The next `limit` employees after `after` (by id) who are eligible in the window and
/// have no offer for it yet: still employed, their account active, started on or before
/// the opening day. The anti-join uses offers_yearly_idx; the walk, the primary key.
pub fn eligible_batch(
    conn: &mut DbConn,
    window: &YearlyWindow,
    after: Option<EmployeeId>,
    limit: i64,
) -> QueryResult<Vec<Eligible>> {
    let offered = offers::table
        .filter(offers::employee_id.eq(employees::id.nullable()))
        .filter(offers::yearly_window_id.eq(window.id));
    let mut q = employees::table
        .inner_join(users::table)
        .inner_join(hires::table)
        .filter(employees::left_on.is_null())
        .filter(employees::started_on.le(window.opens_on))
        .filter(users::active.eq(true))
        .filter(not(exists(offered)))
        .order(employees::id.asc())
        .select((
            employees::id,
            employees::user_id,
            employees::hire_id,
            employees::department,
            employees::started_on,
            users::name,
            users::email,
            hires::hourly_rate_cents,
        ))
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(employees::id.gt(a));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// Ends an employment record; false when it had already ended.
pub fn leave(
    conn: &mut DbConn,
    employee: EmployeeId,
    on: NaiveDate,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        employees::table
            .filter(employees::id.eq(employee))
            .filter(employees::left_on.is_null()),
    )
    .set((
        employees::left_on.eq(on),
        employees::leave_reason.eq(reason),
        employees::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
