//! Keeps the report tallies in step with the rows they count. Every function runs inside
//! the caller's transaction, so a tally never disagrees with a committed offer, payout,
//! cohort trainer list or leaving date. `rebuild` recomputes everything from the rows
//! (after a bulk load, or to prove the running tallies right).

use crate::db::ids::{CohortId, EnrolmentId, HireId, UserId};
use crate::db::schema::retention_tallies as r;
use crate::db::schema::{cohort_trainers, enrolments, offer_tallies as t, offers};
use crate::db::DbConn;
use crate::offer::offers::model::Offer;
use crate::offer::reports::model::TallyRow;
use crate::offer::reports::rules::{self, OfferFacts, TallyKey, Uptake, STAYED};
use crate::offer::rules::{OfferKind, OfferStatus};
use crate::training::rules::EnrolmentStatus;
use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::upsert::excluded;

fn trainers_of(conn: &mut DbConn, cohort: Option<CohortId>) -> QueryResult<Vec<i64>> {
    let Some(c) = cohort else { return Ok(vec![]) };
    Ok(cohort_trainers::table
        .filter(cohort_trainers::cohort_id.eq(c))
        .select(cohort_trainers::user_id)
        .load::<UserId>(conn)?
        .into_iter()
        .map(|u| u.0)
        .collect())
}

fn facts(conn: &mut DbConn, o: &Offer) -> QueryResult<OfferFacts> {
    Ok(OfferFacts {
        kind: o.kind(),
        cohort: o.cohort_id.map(|c| c.0),
        trainers: trainers_of(conn, o.cohort_id)?,
        bonus_cents: o.bonus_cents,
        department: o.department.clone(),
        band: o.culture_band.clone(),
        opens_at: o.opens_at,
    })
}

/// Adds `d` to each tally in `keys`, creating the rows it needs. A tally left with no
/// offers is removed, as `rebuild` would not make it.
fn apply(conn: &mut DbConn, keys: &[TallyKey], d: &Uptake) -> QueryResult<()> {
    if keys.is_empty() || d.is_zero() {
        return Ok(());
    }
    let rows: Vec<_> = keys
        .iter()
        .map(|k| {
            (
                t::kind.eq(k.kind.as_str()),
                t::dimension.eq(k.dimension.as_str()),
                t::key_num.eq(k.num),
                t::key_text.eq(k.text.as_str()),
                t::made.eq(d.made),
                t::pending.eq(d.pending),
                t::accepted.eq(d.accepted),
                t::declined.eq(d.declined),
                t::expired.eq(d.expired),
                t::void.eq(d.void),
                t::paid_cents.eq(d.paid_cents),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(t::table)
        .values(&rows)
        .on_conflict((t::kind, t::dimension, t::key_num, t::key_text))
        .do_update()
        .set((
            t::made.eq(t::made + excluded(t::made)),
            t::pending.eq(t::pending + excluded(t::pending)),
            t::accepted.eq(t::accepted + excluded(t::accepted)),
            t::declined.eq(t::declined + excluded(t::declined)),
            t::expired.eq(t::expired + excluded(t::expired)),
            t::void.eq(t::void + excluded(t::void)),
            t::paid_cents.eq(t::paid_cents + excluded(t::paid_cents)),
        ))
        .execute(c))?;
    if d.made < 0 {
        for k in keys {
            diesel::delete(
                t::table
                    .filter(t::kind.eq(k.kind.as_str()))
                    .filter(t::dimension.eq(k.dimension.as_str()))
                    .filter(t::key_num.eq(k.num))
                    .filter(t::key_text.eq(k.text.as_str()))
                    .filter(t::made.eq(0)),
            )
            .execute(conn)?;
        }
    }
    Ok(())
}

/// A new offer (pending) joins its tallies.
pub fn made(conn: &mut DbConn, offer: &Offer) -> QueryResult<()> {
    let keys = rules::keys(&facts(conn, offer)?);
    apply(conn, &keys, &rules::contribution(offer.status(), 0))
}

/// An offer was answered, expired or voided: `after` is the offer as it is now, and it
/// was pending until now.
pub fn finished(conn: &mut DbConn, after: &Offer) -> QueryResult<()> {
    let keys = rules::keys(&facts(conn, after)?);
    apply(
        conn,
        &keys,
        &rules::transition(OfferStatus::Pending, after.status()),
    )
}

/// A payout was created for an accepted offer.
pub fn paid(conn: &mut DbConn, offer: &Offer, total_cents: i64) -> QueryResult<()> {
    let keys = rules::keys(&facts(conn, offer)?);
    let d = Uptake {
        paid_cents: total_cents,
        ..Default::default()
    };
    apply(conn, &keys, &d)
}

/// A pending offer now carries another bonus (HR applied a policy to its cohort).
pub fn bonus_changed(conn: &mut DbConn, offer: &Offer, bonus_cents: i64) -> QueryResult<()> {
    let before = facts(conn, offer)?;
    let after = OfferFacts {
        bonus_cents,
        ..before.clone()
    };
    let (left, joined) = rules::moved(&rules::keys(&before), &rules::keys(&after));
    let mine = rules::contribution(offer.status(), 0);
    apply(conn, &left, &Uptake::default().plus(&mine, -1))?;
    apply(conn, &joined, &mine)
}

/// A cohort's trainers changed: the cohort's offers leave the tallies of the trainers
/// who left and join those of the trainers who came.
pub fn trainers_changed(
    conn: &mut DbConn,
    cohort: CohortId,
    before: &[UserId],
    after: &[UserId],
) -> QueryResult<()> {
    let left: Vec<&UserId> = before.iter().filter(|u| !after.contains(u)).collect();
    let came: Vec<&UserId> = after.iter().filter(|u| !before.contains(u)).collect();
    if left.is_empty() && came.is_empty() {
        return Ok(());
    }
    let rows: Vec<TallyRow> = t::table
        .filter(t::dimension.eq(rules::Dimension::Cohort.as_str()))
        .filter(t::key_num.eq(cohort.0))
        .select(TallyRow::as_select())
        .load(conn)?;
    for row in rows {
        let Some(kind) = OfferKind::parse(&row.kind) else {
            continue;
        };
        let counts = row.counts();
        let key = |u: &&UserId| TallyKey {
            kind,
            dimension: rules::Dimension::Trainer,
            num: u.0,
            text: String::new(),
        };
        let gone: Vec<TallyKey> = left.iter().map(key).collect();
        let new: Vec<TallyKey> = came.iter().map(key).collect();
        apply(conn, &gone, &Uptake::default().plus(&counts, -1))?;
        apply(conn, &new, &counts)?;
    }
    Ok(())
}

/// Where a graduate's retention is tallied: their graduating enrolment's training offer,
/// when they declined it or let it expire; None otherwise.
fn retention_key(conn: &mut DbConn, hire: HireId) -> QueryResult<Option<(CohortId, i64, String)>> {
    let found: Option<(Option<CohortId>, i64, String)> = offers::table
        .inner_join(enrolments::table)
        .filter(enrolments::hire_id.eq(hire))
        .filter(enrolments::status.eq(EnrolmentStatus::Graduated.as_str()))
        .filter(offers::kind.eq(OfferKind::Training.as_str()))
        .filter(offers::status.eq_any(STAYED.map(|s| s.as_str())))
        .select((offers::cohort_id, offers::bonus_cents, offers::status))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(c, b, s)| c.map(|c| (c, b, s))))
}

fn add_retention(
    conn: &mut DbConn,
    key: (CohortId, i64, String),
    graduated_on: NaiveDate,
    people: i64,
    left: [i64; 3],
) -> QueryResult<()> {
    let (cohort, bonus, outcome) = key;
    crate::per_backend!(conn, |c| diesel::insert_into(r::table)
        .values((
            r::cohort_id.eq(cohort),
            r::bonus_cents.eq(bonus),
            r::outcome.eq(&outcome),
            r::graduated_on.eq(graduated_on),
            r::people.eq(people),
            r::left_by_90.eq(left[0]),
            r::left_by_180.eq(left[1]),
            r::left_by_365.eq(left[2]),
        ))
        .on_conflict((r::cohort_id, r::bonus_cents, r::outcome, r::graduated_on))
        .do_update()
        .set((
            r::people.eq(r::people + excluded(r::people)),
            r::left_by_90.eq(r::left_by_90 + excluded(r::left_by_90)),
            r::left_by_180.eq(r::left_by_180 + excluded(r::left_by_180)),
            r::left_by_365.eq(r::left_by_365 + excluded(r::left_by_365)),
        ))
        .execute(c))
    .map(|_| ())
}

/// A trainee graduated (their pending offer, if any, already void): counted when they
/// had declined the offer or let it expire.
pub fn graduated(conn: &mut DbConn, enrolment: EnrolmentId, on: NaiveDate) -> QueryResult<()> {
    let hire: HireId = enrolments::table
        .find(enrolment)
        .select(enrolments::hire_id)
        .first(conn)?;
    match retention_key(conn, hire)? {
        Some(key) => add_retention(conn, key, on, 1, [0; 3]),
        None => Ok(()),
    }
}

/// An employee's leaving date was recorded, changed or cleared.
pub fn leaving_changed(
    conn: &mut DbConn,
    hire: HireId,
    graduated_on: NaiveDate,
    before: Option<NaiveDate>,
    after: Option<NaiveDate>,
) -> QueryResult<()> {
    let (old, new) = (
        rules::left_flags(graduated_on, before),
        rules::left_flags(graduated_on, after),
    );
    if old == new {
        return Ok(());
    }
    match retention_key(conn, hire)? {
        Some(key) => add_retention(
            conn,
            key,
            graduated_on,
            0,
            [0, 1, 2].map(|i| new[i] - old[i]),
        ),
        None => Ok(()),
    }
}

/// The GROUP BY each offer dimension is rebuilt with: its key columns, any join, and
/// what is grouped.
const OFFER_DIMENSIONS: [(&str, &str, &str, &str, &str); 8] = [
    ("overall", "0", "''", "", ""),
    ("cohort", "o.cohort_id", "''", "", ", o.cohort_id"),
    (
        "trainer",
        "ct.user_id",
        "''",
        "JOIN cohort_trainers ct ON ct.cohort_id = o.cohort_id",
        ", ct.user_id",
    ),
    ("bonus", "o.bonus_cents", "''", "", ", o.bonus_cents"),
    ("department", "0", "o.department", "", ", o.department"),
    ("band", "0", "o.culture_band", "", ", o.culture_band"),
    (
        "month",
        "0",
        MONTH,
        "",
        ", SUBSTR(CAST(o.opens_at AS TEXT), 1, 7)",
    ),
    (
        "month_bonus",
        "o.bonus_cents",
        MONTH,
        "",
        ", o.bonus_cents, SUBSTR(CAST(o.opens_at AS TEXT), 1, 7)",
    ),
];

/// YYYY-MM of the opening time, the same text in both dialects as `rules::month_of`.
const MONTH: &str = "SUBSTR(CAST(o.opens_at AS TEXT), 1, 7)";

fn rebuild_offers_sql() -> String {
    let count = |s: OfferStatus| {
        format!(
            "SUM(CASE WHEN o.status = '{}' THEN 1 ELSE 0 END)",
            s.as_str()
        )
    };
    let mut sql = String::from("DELETE FROM offer_tallies;\n");
    for (dim, num, text, join, group) in OFFER_DIMENSIONS {
        let filter = match dim {
            "cohort" => "WHERE o.cohort_id IS NOT NULL",
            _ => "",
        };
        sql.push_str(&format!(
            "INSERT INTO offer_tallies (kind, dimension, key_num, key_text, made, pending, \
             accepted, declined, expired, void, paid_cents) \
             SELECT o.kind, '{dim}', {num}, {text}, COUNT(*), {}, {}, {}, {}, {}, \
             COALESCE(SUM(p.total_cents), 0) \
             FROM offers o LEFT JOIN payouts p ON p.offer_id = o.id {join} {filter} \
             GROUP BY o.kind{group};\n",
            count(OfferStatus::Pending),
            count(OfferStatus::Accepted),
            count(OfferStatus::Declined),
            count(OfferStatus::Expired),
            count(OfferStatus::Void),
        ));
    }
    sql
}

fn rebuild_retention_sql(plus_days: impl Fn(i64) -> String) -> String {
    let left = |h: i64| {
        format!(
            "SUM(CASE WHEN e.left_on IS NOT NULL AND e.left_on <= {} THEN 1 ELSE 0 END)",
            plus_days(h)
        )
    };
    format!(
        "DELETE FROM retention_tallies;\n\
         INSERT INTO retention_tallies (cohort_id, bonus_cents, outcome, graduated_on, people, \
         left_by_90, left_by_180, left_by_365) \
         SELECT o.cohort_id, o.bonus_cents, o.status, e.started_on, COUNT(*), {}, {}, {} \
         FROM employees e \
         JOIN enrolments n ON n.hire_id = e.hire_id AND n.status = '{}' \
         JOIN offers o ON o.enrolment_id = n.id \
         WHERE o.kind = '{}' AND o.status IN ('{}', '{}') AND o.cohort_id IS NOT NULL \
         GROUP BY o.cohort_id, o.bonus_cents, o.status, e.started_on;\n",
        left(rules::HORIZONS[0]),
        left(rules::HORIZONS[1]),
        left(rules::HORIZONS[2]),
        EnrolmentStatus::Graduated.as_str(),
        OfferKind::Training.as_str(),
        STAYED[0].as_str(),
        STAYED[1].as_str(),
    )
}

/// Recomputes every tally from the offers, payouts, cohort trainers and employees, in
/// one transaction: after a bulk load of offers, or to check the running tallies.
pub fn rebuild(conn: &mut DbConn) -> QueryResult<()> {
    let offers_sql = rebuild_offers_sql();
    crate::db::write_tx(conn, |conn| match conn {
        DbConn::Sqlite(c) => c.batch_execute(&format!(
            "{offers_sql}{}",
            rebuild_retention_sql(|h| format!("date(e.started_on, '+{h} days')"))
        )),
        DbConn::Pg(c) => c.batch_execute(&format!(
            "{offers_sql}{}",
            rebuild_retention_sql(|h| format!("e.started_on + {h}"))
        )),
    })
}
