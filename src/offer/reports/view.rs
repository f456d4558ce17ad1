//! What the report pages and the API show, built once for both from the tallies.

use crate::db::ids::CohortId;
use crate::db::DbConn;
use crate::offer::reports::model::{self, After, RetentionRow, TallyRow};
use crate::offer::reports::rules::{
    self, Dimension, Retained, RetentionTally, Uptake, HORIZONS, UPTAKE_DEFINITION,
};
use crate::offer::rules::OfferKind;
use crate::web::pagination::Paged;
use chrono::NaiveDate;
use diesel::QueryResult;
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of the uptake report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UptakeLine {
    /// The cohort id, trainer's user id or bonus in cents; 0 when the key is text.
    pub key_num: i64,
    /// The department, culture band or month (YYYY-MM); empty when the key is a number.
    pub key_text: String,
    /// The cohort's or trainer's name.
    pub name: Option<String>,
    #[serde(flatten)]
    pub counts: Uptake,
    /// accepted ÷ (accepted + declined + expired), in percent; null when none decided.
    pub rate_percent: Option<f64>,
}

impl UptakeLine {
    fn of(row: &TallyRow, name: Option<String>) -> UptakeLine {
        UptakeLine {
            key_num: row.key_num,
            key_text: row.key_text.clone(),
            name,
            counts: row.counts(),
            rate_percent: row.counts().rate_percent(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UptakeReport {
    /// training or yearly: the two are never added together.
    pub kind: OfferKind,
    pub definition: &'static str,
    /// Every kind's totals.
    pub overall: BTreeMap<String, UptakeLine>,
    pub by_bonus: Vec<UptakeLine>,
    pub by_band: Vec<UptakeLine>,
    /// By the month (UTC) the offer opened, oldest first.
    pub by_month: Vec<UptakeLine>,
    /// By month and bonus: the uptake of each amount over time.
    pub by_month_bonus: Vec<UptakeLine>,
    /// cohort, trainer or department.
    pub breakdown_by: Dimension,
    /// A page of the breakdown: cohorts and trainers newest first, departments A-Z.
    pub breakdown: Paged<UptakeLine>,
}

fn whole(conn: &mut DbConn, kind: OfferKind, dim: Dimension) -> QueryResult<Vec<UptakeLine>> {
    Ok(model::whole(conn, kind, dim)?
        .iter()
        .map(|r| UptakeLine::of(r, None))
        .collect())
}

/// The uptake report for one kind of offer, with a page of the `by` breakdown.
pub fn uptake(
    conn: &mut DbConn,
    kind: OfferKind,
    by: Dimension,
    after: Option<After>,
    limit: i64,
) -> QueryResult<UptakeReport> {
    let overall = model::overall(conn)?
        .iter()
        .map(|r| (r.kind.clone(), UptakeLine::of(r, None)))
        .collect();
    let mut page = model::page(conn, kind, by, after, limit + 1)?;
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let ids: Vec<i64> = page.iter().map(|r| r.key_num).collect();
    let names = match by {
        Dimension::Cohort => model::cohort_names(conn, &ids)?,
        Dimension::Trainer => model::user_names(conn, &ids)?,
        _ => Default::default(),
    };
    let next_cursor = more
        .then(|| page.last())
        .flatten()
        .map(|r| match by.numeric() {
            true => r.key_num.to_string(),
            false => r.key_text.clone(),
        });
    let items = page
        .iter()
        .map(|r| UptakeLine::of(r, names.get(&r.key_num).cloned()))
        .collect();
    Ok(UptakeReport {
        kind,
        definition: UPTAKE_DEFINITION,
        overall,
        by_bonus: whole(conn, kind, Dimension::Bonus)?,
        by_band: whole(conn, kind, Dimension::Band)?,
        by_month: whole(conn, kind, Dimension::Month)?,
        by_month_bonus: whole(conn, kind, Dimension::MonthBonus)?,
        breakdown_by: by,
        breakdown: Paged { items, next_cursor },
    })
}

/// Retention at one horizon.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Horizon {
    pub days: i64,
    /// Graduates whose horizon has passed.
    pub counted: i64,
    /// Of those, still employed that many days after graduating.
    pub stayed: i64,
    pub percent: Option<f64>,
}

/// One line of the retention report: graduates with one outcome of the training offer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RetentionLine {
    pub cohort_id: Option<CohortId>,
    pub cohort: Option<String>,
    pub graduated_on: Option<NaiveDate>,
    pub bonus_cents: Option<i64>,
    /// declined, or expired (they stayed by not answering).
    pub outcome: String,
    pub graduates: i64,
    pub horizons: Vec<Horizon>,
}

fn horizons(r: [Retained; 3]) -> Vec<Horizon> {
    HORIZONS
        .iter()
        .zip(r)
        .map(|(d, r)| Horizon {
            days: *d,
            counted: r.counted,
            stayed: r.stayed,
            percent: r.percent(),
        })
        .collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RetentionReport {
    pub today: NaiveDate,
    pub definition: &'static str,
    /// One line per outcome over every cohort.
    pub overall: Vec<RetentionLine>,
    pub by_bonus: Vec<RetentionLine>,
    /// A page of cohorts, newest first; a line per outcome and bonus.
    pub by_cohort: Paged<RetentionLine>,
}

pub const RETENTION_DEFINITION: &str = "Graduates of training who declined the offer, and \
    those who let it expire (they stayed by not answering), shown apart. Still employed \
    N days after graduation means no leaving date, or one later than graduation day + N. \
    A graduate counts at a horizon only once it has passed: someone who graduated 100 \
    days ago counts at 90 days but not yet at 180 or 365.";

fn line(
    outcome: &str,
    graduates: i64,
    r: [Retained; 3],
    bonus_cents: Option<i64>,
) -> RetentionLine {
    RetentionLine {
        cohort_id: None,
        cohort: None,
        graduated_on: None,
        bonus_cents,
        outcome: outcome.to_string(),
        graduates,
        horizons: horizons(r),
    }
}

fn cohort_lines(
    rows: &[RetentionRow],
    names: &BTreeMap<i64, String>,
    today: NaiveDate,
) -> Vec<RetentionLine> {
    let mut groups: BTreeMap<(std::cmp::Reverse<CohortId>, String, i64), Vec<&RetentionRow>> =
        BTreeMap::new();
    for r in rows {
        groups
            .entry((
                std::cmp::Reverse(r.cohort_id),
                r.outcome.clone(),
                r.bonus_cents,
            ))
            .or_default()
            .push(r);
    }
    groups
        .into_iter()
        .map(|((c, outcome, bonus), rs)| {
            let tallies: Vec<RetentionTally> = rs.iter().map(|r| r.tally()).collect();
            RetentionLine {
                cohort_id: Some(c.0),
                cohort: names.get(&c.0 .0).cloned(),
                graduated_on: rs.iter().map(|r| r.graduated_on).min(),
                bonus_cents: Some(bonus),
                outcome,
                graduates: tallies.iter().map(|t| t.people).sum(),
                horizons: horizons(rules::retained(&tallies, today)),
            }
        })
        .collect()
}

/// The retention report as of `today`, with a page of cohorts before `before`.
pub fn retention(
    conn: &mut DbConn,
    today: NaiveDate,
    before: Option<CohortId>,
    limit: i64,
) -> QueryResult<RetentionReport> {
    let by = model::retention_by_bonus(conn, today)?;
    let mut overall: BTreeMap<String, (i64, [Retained; 3])> = BTreeMap::new();
    for ((_, outcome), (people, r)) in &by {
        let o = overall.entry(outcome.clone()).or_default();
        o.0 += people;
        for (sum, h) in o.1.iter_mut().zip(r) {
            sum.counted += h.counted;
            sum.stayed += h.stayed;
        }
    }
    let mut by_bonus: Vec<RetentionLine> = by
        .iter()
        .map(|((b, o), (people, r))| line(o, *people, *r, Some(*b)))
        .collect();
    by_bonus.sort_by(|a, b| (a.bonus_cents, &a.outcome).cmp(&(b.bonus_cents, &b.outcome)));
    let (mut ids, rows) = model::retention_page(conn, before, limit + 1)?;
    let more = ids.len() as i64 > limit;
    ids.truncate(limit as usize);
    let names: BTreeMap<i64, String> =
        model::cohort_names(conn, &ids.iter().map(|c| c.0).collect::<Vec<_>>())?
            .into_iter()
            .collect();
    let shown: Vec<RetentionRow> = rows
        .into_iter()
        .filter(|r| ids.contains(&r.cohort_id))
        .collect();
    Ok(RetentionReport {
        today,
        definition: RETENTION_DEFINITION,
        overall: overall
            .into_iter()
            .map(|(o, (people, r))| line(&o, people, r, None))
            .collect(),
        by_bonus,
        by_cohort: Paged {
            items: cohort_lines(&shown, &names, today),
            next_cursor: more.then(|| ids.last().map(|c| c.to_string())).flatten(),
        },
    })
}
