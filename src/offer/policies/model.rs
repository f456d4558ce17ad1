//! Policy rows: the history, the one in force on a date, a cohort's policy.

use crate::db::ids::{CohortId, OfferPolicyId, UserId};
use crate::db::schema::{cohorts, offer_policies};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = offer_policies)]
pub struct OfferPolicy {
    pub id: OfferPolicyId,
    pub bonus_cents: i64,
    /// The training day (counted from the trainee's first) at whose end the offer is made.
    pub offer_day: i64,
    /// The training day at whose end it closes.
    pub closes_day: i64,
    /// Whether hours attended × the hourly rate are added to the bonus.
    pub pays_time_worked: bool,
    pub effective_on: NaiveDate,
    pub note: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

pub struct NewPolicy<'a> {
    pub bonus_cents: i64,
    pub offer_day: i64,
    pub closes_day: i64,
    pub pays_time_worked: bool,
    pub effective_on: NaiveDate,
    pub note: &'a str,
    pub created_by: Option<UserId>,
    pub now: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, p: &NewPolicy) -> QueryResult<OfferPolicyId> {
    diesel::insert_into(offer_policies::table)
        .values((
            offer_policies::bonus_cents.eq(p.bonus_cents),
            offer_policies::offer_day.eq(p.offer_day),
            offer_policies::closes_day.eq(p.closes_day),
            offer_policies::pays_time_worked.eq(p.pays_time_worked),
            offer_policies::effective_on.eq(p.effective_on),
            offer_policies::note.eq(p.note),
            offer_policies::created_by.eq(p.created_by),
            offer_policies::created_at.eq(p.now),
        ))
        .returning(offer_policies::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: OfferPolicyId) -> QueryResult<OfferPolicy> {
    offer_policies::table
        .find(id)
        .select(OfferPolicy::as_select())
        .first(conn)
}

/// Every policy ever, newest first: every amount ever offered and from when.
pub fn history(conn: &mut DbConn) -> QueryResult<Vec<OfferPolicy>> {
    offer_policies::table
        .select(OfferPolicy::as_select())
        .order((
            offer_policies::effective_on.desc(),
            offer_policies::id.desc(),
        ))
        .load(conn)
}

/// The policy in force on `date`: the latest to take effect on or before it.
pub fn in_force(conn: &mut DbConn, date: NaiveDate) -> QueryResult<Option<OfferPolicy>> {
    offer_policies::table
        .filter(offer_policies::effective_on.le(date))
        .select(OfferPolicy::as_select())
        .order((
            offer_policies::effective_on.desc(),
            offer_policies::id.desc(),
        ))
        .first(conn)
        .optional()
}

pub fn set_for_cohort(
    conn: &mut DbConn,
    cohort: CohortId,
    policy: OfferPolicyId,
) -> QueryResult<()> {
    diesel::update(cohorts::table.find(cohort))
        .set(cohorts::offer_policy_id.eq(policy))
        .execute(conn)
        .map(|_| ())
}

pub fn of_cohort(conn: &mut DbConn, cohort: CohortId) -> QueryResult<Option<OfferPolicy>> {
    let id: Option<OfferPolicyId> = cohorts::table
        .find(cohort)
        .select(cohorts::offer_policy_id)
        .first(conn)?;
    id.map(|id| find(conn, id)).transpose()
}
