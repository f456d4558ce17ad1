//! Reading the report tallies: a few index reads per page, whatever the number of
//! offers (the tallies are kept by `tally`).

use crate::db::ids::{CohortId, UserId};
use crate::db::schema::{cohorts, offer_tallies as t, retention_tallies as r, users};
use crate::db::{BigIntTotal, DbConn, LiteralLimit};
use crate::offer::reports::rules::{Dimension, Retained, RetentionTally, Uptake, HORIZONS};
use crate::offer::rules::OfferKind;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// One tally: what it counts offers by and the figures.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = t)]
pub struct TallyRow {
    pub kind: String,
    pub dimension: String,
    pub key_num: i64,
    pub key_text: String,
    pub made: i64,
    pub pending: i64,
    pub accepted: i64,
    pub declined: i64,
    pub expired: i64,
    pub void: i64,
    pub paid_cents: i64,
}

impl TallyRow {
    pub fn counts(&self) -> Uptake {
        Uptake {
            made: self.made,
            pending: self.pending,
            accepted: self.accepted,
            declined: self.declined,
            expired: self.expired,
            void: self.void,
            paid_cents: self.paid_cents,
        }
    }
}

/// Every kind's overall tally.
pub fn overall(conn: &mut DbConn) -> QueryResult<Vec<TallyRow>> {
    t::table
        .filter(t::dimension.eq(Dimension::Overall.as_str()))
        .filter(t::key_num.eq(0))
        .order(t::kind.asc())
        .select(TallyRow::as_select())
        .load(conn)
}

/// A kind's whole breakdown by a short dimension (bonus, band, month, month and bonus),
/// in key order.
pub fn whole(conn: &mut DbConn, kind: OfferKind, dim: Dimension) -> QueryResult<Vec<TallyRow>> {
    t::table
        .filter(t::kind.eq(kind.as_str()))
        .filter(t::dimension.eq(dim.as_str()))
        .order((t::key_num.asc(), t::key_text.asc()))
        .select(TallyRow::as_select())
        .load(conn)
}

/// Where a page of a long breakdown starts: after this key.
#[derive(Debug, Clone)]
pub enum After {
    Num(i64),
    Text(String),
}

/// `limit` tallies of a long breakdown after `after`: ids newest first, text keys in
/// alphabetical order.
pub fn page(
    conn: &mut DbConn,
    kind: OfferKind,
    dim: Dimension,
    after: Option<After>,
    limit: i64,
) -> QueryResult<Vec<TallyRow>> {
    let mut q = t::table
        .filter(t::kind.eq(kind.as_str()))
        .filter(t::dimension.eq(dim.as_str()))
        .select(TallyRow::as_select())
        .into_boxed();
    // Both keys in one direction, so the key index is read in order (either way).
    q = if dim.numeric() {
        q.order((t::key_num.desc(), t::key_text.desc()))
    } else {
        q.order((t::key_num.asc(), t::key_text.asc()))
    };
    match after {
        Some(After::Num(n)) => q = q.filter(t::key_num.lt(n)),
        Some(After::Text(s)) => q = q.filter(t::key_text.gt(s)),
        None => {}
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// Cohort names by id, for a page of a breakdown.
pub fn cohort_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(cohorts::table
        .filter(cohorts::id.eq_any(ids.iter().map(|i| CohortId(*i))))
        .select((cohorts::id, cohorts::name))
        .load::<(CohortId, String)>(conn)?
        .into_iter()
        .map(|(id, n)| (id.0, n))
        .collect())
}

/// People's names by id, for a page of trainers.
pub fn user_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids.iter().map(|i| UserId(*i))))
        .select((users::id, users::name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .map(|(id, n)| (id.0, n))
        .collect())
}

/// One retention tally: a cohort's graduates with one offer outcome and bonus.
#[derive(Debug, Clone, Queryable)]
pub struct RetentionRow {
    pub cohort_id: CohortId,
    pub bonus_cents: i64,
    pub outcome: String,
    pub graduated_on: NaiveDate,
    pub people: i64,
    pub left_by_90: i64,
    pub left_by_180: i64,
    pub left_by_365: i64,
}

impl RetentionRow {
    pub fn tally(&self) -> RetentionTally {
        RetentionTally {
            graduated_on: Some(self.graduated_on),
            people: self.people,
            left_by: [self.left_by_90, self.left_by_180, self.left_by_365],
        }
    }
}

/// A page of cohorts with retention tallies, newest first, and their rows.
pub fn retention_page(
    conn: &mut DbConn,
    before: Option<CohortId>,
    limit: i64,
) -> QueryResult<(Vec<CohortId>, Vec<RetentionRow>)> {
    let mut q = r::table
        .select(r::cohort_id)
        .distinct()
        .order(r::cohort_id.desc())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(r::cohort_id.lt(b));
    }
    let ids: Vec<CohortId> = LiteralLimit { query: q, limit }.load(conn)?;
    let rows = r::table
        .filter(r::cohort_id.eq_any(&ids))
        .order((r::cohort_id.desc(), r::outcome.asc(), r::bonus_cents.asc()))
        .select((
            r::cohort_id,
            r::bonus_cents,
            r::outcome,
            r::graduated_on,
            r::people,
            r::left_by_90,
            r::left_by_180,
            r::left_by_365,
        ))
        .load(conn)?;
    Ok((ids, rows))
}

fn total(expression: impl Into<Cow<'static, str>>) -> BigIntTotal {
    BigIntTotal(expression.into())
}

/// Retention by bonus and outcome: (bonus, outcome) to graduates, and to the people
/// counted and still employed at each horizon (only graduation days it has passed).
pub type ByBonus = HashMap<(i64, String), (i64, [Retained; 3])>;

pub fn retention_by_bonus(conn: &mut DbConn, today: NaiveDate) -> QueryResult<ByBonus> {
    // One pass over the tallies: a tally counts toward a horizon once that many days have
    // passed since its graduation day. The dates are computed here, never user input.
    let by = HORIZONS.map(|h| (today - Duration::days(h)).format("%Y-%m-%d").to_string());
    let counted = |i: usize, col: &str| {
        total(format!(
            "CASE WHEN graduated_on <= '{}' THEN {col} ELSE 0 END",
            by[i]
        ))
    };
    type Row = (i64, String, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = r::table
        .group_by((r::bonus_cents, r::outcome))
        .select((
            r::bonus_cents,
            r::outcome,
            total("people"),
            counted(0, "people"),
            counted(0, "left_by_90"),
            counted(1, "people"),
            counted(1, "left_by_180"),
            counted(2, "people"),
            counted(2, "left_by_365"),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(b, o, people, p90, l90, p180, l180, p365, l365)| {
            let kept = |counted, left| Retained {
                counted,
                stayed: counted - left,
            };
            (
                (b, o),
                (people, [kept(p90, l90), kept(p180, l180), kept(p365, l365)]),
            )
        })
        .collect())
}
