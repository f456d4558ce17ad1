//! Offer and payout rows.

use crate::db::ids::{
    CandidateId, CohortId, EmployeeId, EnrolmentId, HireId, OfferId, OfferPolicyId, PayoutId,
    UserId, YearlyWindowId,
};
use crate::db::schema::{
    cohort_trainers, cohorts, hires, offers, payouts, scorecard_ratings, scorecard_versions,
    scorecards, users,
};
use crate::db::{DbConn, LiteralLimit};
use crate::hiring::rules::Track;
use crate::offer::reports::tally;
use crate::offer::rules::{OfferKind, OfferStatus, Payout};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = offers)]
pub struct Offer {
    pub id: OfferId,
    /// training or yearly.
    pub kind: String,
    pub user_id: UserId,
    pub enrolment_id: Option<EnrolmentId>,
    pub cohort_id: Option<CohortId>,
    pub policy_id: Option<OfferPolicyId>,
    pub employee_id: Option<EmployeeId>,
    pub yearly_window_id: Option<YearlyWindowId>,
    pub department: String,
    pub culture_band: String,
    pub bonus_cents: i64,
    pub hourly_rate_cents: i64,
    pub pays_time_worked: bool,
    /// Follows attendance while pending; fixed on acceptance.
    pub minutes_worked: i64,
    pub time_pay_cents: i64,
    pub opens_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// pending, accepted, declined, expired or void.
    pub status: String,
    pub answered_at: Option<NaiveDateTime>,
    pub void_reason: String,
    pub made_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Offer {
    pub fn status(&self) -> OfferStatus {
        OfferStatus::parse(&self.status).unwrap_or(OfferStatus::Void)
    }

    pub fn kind(&self) -> OfferKind {
        OfferKind::parse(&self.kind).unwrap_or(OfferKind::Training)
    }

    pub fn payout(&self) -> Payout {
        crate::offer::rules::payout(
            self.bonus_cents,
            self.minutes_worked,
            self.hourly_rate_cents,
            self.pays_time_worked,
        )
    }
}

/// A new offer; `kind` fixes which of the link ids are set.
pub struct NewOffer<'a> {
    pub kind: OfferKind,
    pub user_id: UserId,
    pub enrolment_id: Option<EnrolmentId>,
    pub cohort_id: Option<CohortId>,
    pub policy_id: Option<OfferPolicyId>,
    pub employee_id: Option<EmployeeId>,
    pub yearly_window_id: Option<YearlyWindowId>,
    pub department: &'a str,
    pub culture_band: &'a str,
    pub bonus_cents: i64,
    pub hourly_rate_cents: i64,
    pub pays_time_worked: bool,
    pub minutes_worked: i64,
    pub opens_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub made_by: Option<UserId>,
    pub now: NaiveDateTime,
}

/// Inserts a pending offer and counts it in the report tallies.
pub fn insert(conn: &mut DbConn, o: &NewOffer) -> QueryResult<OfferId> {
    let p = crate::offer::rules::payout(
        o.bonus_cents,
        o.minutes_worked,
        o.hourly_rate_cents,
        o.pays_time_worked,
    );
    let id = diesel::insert_into(offers::table)
        .values((
            offers::kind.eq(o.kind.as_str()),
            offers::user_id.eq(o.user_id),
            offers::enrolment_id.eq(o.enrolment_id),
            offers::cohort_id.eq(o.cohort_id),
            offers::policy_id.eq(o.policy_id),
            offers::employee_id.eq(o.employee_id),
            offers::yearly_window_id.eq(o.yearly_window_id),
            offers::department.eq(o.department),
            offers::culture_band.eq(o.culture_band),
            offers::bonus_cents.eq(o.bonus_cents),
            offers::hourly_rate_cents.eq(o.hourly_rate_cents),
            offers::pays_time_worked.eq(o.pays_time_worked),
            offers::minutes_worked.eq(p.minutes_worked),
            offers::time_pay_cents.eq(p.time_pay_cents),
            offers::opens_at.eq(o.opens_at),
            offers::expires_at.eq(o.expires_at),
            offers::status.eq(OfferStatus::Pending.as_str()),
            offers::void_reason.eq(""),
            offers::made_by.eq(o.made_by),
            offers::created_at.eq(o.now),
            offers::updated_at.eq(o.now),
        ))
        .returning(offers::id)
        .get_result(conn)?;
    let made = find(conn, id)?;
    tally::made(conn, &made)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: OfferId) -> QueryResult<Offer> {
    offers::table
        .find(id)
        .select(Offer::as_select())
        .first(conn)
}

/// A person's newest offer, training or yearly: what their portal or farewell page shows.
pub fn latest_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<Option<Offer>> {
    offers::table
        .filter(offers::user_id.eq(user))
        .order(offers::id.desc())
        .select(Offer::as_select())
        .first(conn)
        .optional()
}

pub fn for_enrolment(conn: &mut DbConn, e: EnrolmentId) -> QueryResult<Option<Offer>> {
    offers::table
        .filter(offers::enrolment_id.eq(e))
        .select(Offer::as_select())
        .first(conn)
        .optional()
}

/// Enrolments of the cohort that already have an offer.
pub fn offered_enrolments(conn: &mut DbConn, cohort: CohortId) -> QueryResult<Vec<EnrolmentId>> {
    Ok(offers::table
        .filter(offers::cohort_id.eq(cohort))
        .select(offers::enrolment_id)
        .load::<Option<EnrolmentId>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// The cohort's offers, for trainers and HR.
pub fn of_cohort(conn: &mut DbConn, cohort: CohortId) -> QueryResult<Vec<Offer>> {
    offers::table
        .filter(offers::cohort_id.eq(cohort))
        .order(offers::id.asc())
        .select(Offer::as_select())
        .load(conn)
}

/// Moves a pending offer to `to` and its tallies with it. Returns false when it was no
/// longer pending: the `status = 'pending'` condition makes two answers at the same
/// moment leave one outcome.
pub fn finish(
    conn: &mut DbConn,
    id: OfferId,
    to: OfferStatus,
    void_reason: &str,
    fixed: Option<&Payout>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = offers::table
        .filter(offers::id.eq(id))
        .filter(offers::status.eq(OfferStatus::Pending.as_str()));
    let n = match fixed {
        Some(p) => diesel::update(target)
            .set((
                offers::status.eq(to.as_str()),
                offers::answered_at.eq(now),
                offers::minutes_worked.eq(p.minutes_worked),
                offers::time_pay_cents.eq(p.time_pay_cents),
                offers::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                offers::status.eq(to.as_str()),
                offers::answered_at.eq((to != OfferStatus::Void).then_some(now)),
                offers::void_reason.eq(void_reason),
                offers::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    if n == 1 {
        let after = find(conn, id)?;
        tally::finished(conn, &after)?;
    }
    Ok(n == 1)
}

/// Pending offers whose deadline has passed, oldest first, a batch at a time.
pub fn overdue(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<Offer>> {
    offers::table
        .filter(offers::status.eq(OfferStatus::Pending.as_str()))
        .filter(offers::expires_at.le(now))
        .order(offers::expires_at.asc())
        .limit(limit)
        .select(Offer::as_select())
        .load(conn)
}

/// Records the time worked so far on a pending offer.
pub fn set_time_worked(
    conn: &mut DbConn,
    id: OfferId,
    p: &Payout,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        offers::table
            .filter(offers::id.eq(id))
            .filter(offers::status.eq(OfferStatus::Pending.as_str())),
    )
    .set((
        offers::minutes_worked.eq(p.minutes_worked),
        offers::time_pay_cents.eq(p.time_pay_cents),
        offers::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = payouts)]
pub struct PayoutRow {
    pub id: PayoutId,
    pub offer_id: OfferId,
    pub user_id: UserId,
    pub bonus_cents: i64,
    pub minutes_worked: i64,
    pub hourly_rate_cents: i64,
    pub time_pay_cents: i64,
    pub total_cents: i64,
    /// The sum as shown to the person.
    pub arithmetic: String,
    pub due_on: NaiveDate,
    pub paid_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Creates the payout of an accepted offer and adds it to the paid-out tallies.
pub fn insert_payout(
    conn: &mut DbConn,
    offer: &Offer,
    p: &Payout,
    arithmetic: &str,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<PayoutId> {
    let id = diesel::insert_into(payouts::table)
        .values((
            payouts::offer_id.eq(offer.id),
            payouts::user_id.eq(offer.user_id),
            payouts::bonus_cents.eq(p.bonus_cents),
            payouts::minutes_worked.eq(p.minutes_worked),
            payouts::hourly_rate_cents.eq(p.hourly_rate_cents),
            payouts::time_pay_cents.eq(p.time_pay_cents),
            payouts::total_cents.eq(p.total_cents),
            payouts::arithmetic.eq(arithmetic),
            payouts::due_on.eq(due_on),
            payouts::created_at.eq(now),
        ))
        .returning(payouts::id)
        .get_result(conn)?;
    tally::paid(conn, offer, p.total_cents)?;
    Ok(id)
}

pub fn payout_of(conn: &mut DbConn, offer: OfferId) -> QueryResult<Option<PayoutRow>> {
    payouts::table
        .filter(payouts::offer_id.eq(offer))
        .select(PayoutRow::as_select())
        .first(conn)
        .optional()
}

/// A payout with the person it goes to, for payroll.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct PayoutDue {
    #[diesel(embed)]
    #[serde(flatten)]
    pub payout: PayoutRow,
    pub name: String,
    pub email: String,
}

/// Payouts by id after `after`, `limit` of them; `unpaid_only` for payroll's list.
pub fn payouts_page(
    conn: &mut DbConn,
    unpaid_only: bool,
    after: Option<PayoutId>,
    limit: i64,
) -> QueryResult<Vec<PayoutDue>> {
    let mut q = payouts::table
        .inner_join(users::table)
        .select((PayoutRow::as_select(), users::name, users::email))
        .order(payouts::id.asc())
        .into_boxed();
    if unpaid_only {
        q = q.filter(payouts::paid_at.is_null());
    }
    if let Some(a) = after {
        q = q.filter(payouts::id.gt(a));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// An offer with its person and cohort, for exports.
#[derive(Debug, Clone, Queryable)]
pub struct ExportRow {
    #[diesel(embed)]
    pub offer: Offer,
    pub name: String,
    pub email: String,
    pub cohort: Option<String>,
}

pub fn export_page(
    conn: &mut DbConn,
    after: Option<OfferId>,
    limit: i64,
) -> QueryResult<Vec<ExportRow>> {
    let mut q = offers::table
        .inner_join(users::table)
        .left_join(cohorts::table)
        .select((
            Offer::as_select(),
            users::name,
            users::email,
            cohorts::name.nullable(),
        ))
        .order(offers::id.asc())
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(offers::id.gt(a));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// HR's list: newest first, optionally one status, `limit` rows before `before`.
pub fn page(
    conn: &mut DbConn,
    status: Option<OfferStatus>,
    before: Option<OfferId>,
    limit: i64,
) -> QueryResult<Vec<Offer>> {
    let mut q = offers::table
        .select(Offer::as_select())
        .order(offers::id.desc())
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(offers::status.eq(s.as_str()));
    }
    if let Some(b) = before {
        q = q.filter(offers::id.lt(b));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// People's names by id, for a page of offers.
pub fn names_of(conn: &mut DbConn, ids: &[UserId]) -> QueryResult<HashMap<UserId, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect())
}

/// Accounts whose farewell access has run out and are still active.
pub fn farewells_over(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<UserId>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::access_until.le(now))
        .select(users::id)
        .load(conn)
}

pub fn set_access_until(conn: &mut DbConn, user: UserId, until: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user))
        .set(users::access_until.eq(until))
        .execute(conn)
        .map(|_| ())
}

/// The mean of the current culture-scorecard ratings the hire was given (N/A left out):
/// the culture score the uptake report bands offers by.
pub fn culture_mean(conn: &mut DbConn, hire: HireId) -> QueryResult<Option<f64>> {
    let candidate: CandidateId = hires::table
        .find(hire)
        .select(hires::candidate_id)
        .first(conn)?;
    let ratings: Vec<Option<i64>> = scorecard_ratings::table
        .inner_join(
            scorecard_versions::table.inner_join(
                scorecards::table.on(scorecards::id
                    .eq(scorecard_versions::scorecard_id)
                    .and(scorecards::version.eq(scorecard_versions::version))),
            ),
        )
        .filter(scorecards::candidate_id.eq(candidate))
        .filter(scorecards::track.eq(Track::Culture.as_str()))
        .select(scorecard_ratings::rating)
        .load(conn)?;
    let given: Vec<i64> = ratings.into_iter().flatten().collect();
    Ok((!given.is_empty()).then(|| given.iter().sum::<i64>() as f64 / given.len() as f64))
}

/// Open offers in the cohorts a trainer trains: (cohort, its name, how many), by cohort.
pub fn pending_for_trainer(
    conn: &mut DbConn,
    trainer: UserId,
) -> QueryResult<Vec<(CohortId, String, i64)>> {
    offers::table
        .inner_join(cohorts::table)
        .inner_join(
            cohort_trainers::table.on(cohort_trainers::cohort_id.nullable().eq(offers::cohort_id)),
        )
        .filter(cohort_trainers::user_id.eq(trainer))
        .filter(offers::status.eq(OfferStatus::Pending.as_str()))
        .group_by((cohorts::id, cohorts::name))
        .select((cohorts::id, cohorts::name, diesel::dsl::count_star()))
        .order(cohorts::id.asc())
        .load(conn)
}
