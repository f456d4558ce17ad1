//! HR's audit maths, with no I/O: outcomes and the uptake rate, the tallies an offer is
//! counted under, and the retention horizons.

use crate::offer::rules::{OfferKind, OfferStatus};
use crate::text_enum;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// What the uptake rate means, written on the report and in the API.
pub const UPTAKE_DEFINITION: &str = "Uptake rate = accepted ÷ (accepted + declined + expired). \
    An expired offer was not answered by its deadline, so the person stayed: it counts as \
    a no. Open offers and void offers (the person left training another way before \
    answering) have no outcome and count neither way.";

/// Offers by outcome. The uptake rate is accepted ÷ answered-or-expired (pending and
/// void offers are not decided, so they do not count either way). Also a change to a
/// tally, when the figures are differences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Uptake {
    pub made: i64,
    pub pending: i64,
    pub accepted: i64,
    pub declined: i64,
    pub expired: i64,
    pub void: i64,
    /// What the accepted offers' payouts add up to.
    pub paid_cents: i64,
}

impl Uptake {
    pub fn add(&mut self, status: OfferStatus, n: i64) {
        self.made += n;
        match status {
            OfferStatus::Pending => self.pending += n,
            OfferStatus::Accepted => self.accepted += n,
            OfferStatus::Declined => self.declined += n,
            OfferStatus::Expired => self.expired += n,
            OfferStatus::Void => self.void += n,
        }
    }

    /// `self + k × other`, figure by figure.
    pub fn plus(&self, other: &Uptake, k: i64) -> Uptake {
        Uptake {
            made: self.made + k * other.made,
            pending: self.pending + k * other.pending,
            accepted: self.accepted + k * other.accepted,
            declined: self.declined + k * other.declined,
            expired: self.expired + k * other.expired,
            void: self.void + k * other.void,
            paid_cents: self.paid_cents + k * other.paid_cents,
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Uptake::default()
    }

    pub fn decided(&self) -> i64 {
        self.accepted + self.declined + self.expired
    }

    /// Percent with one decimal, None when nothing is decided yet.
    pub fn rate_percent(&self) -> Option<f64> {
        let d = self.decided();
        (d > 0).then(|| (self.accepted as f64 * 1000.0 / d as f64).round() / 10.0)
    }
}

/// What one offer adds to its tallies while it has this status (and this payout).
pub fn contribution(status: OfferStatus, paid_cents: i64) -> Uptake {
    let mut u = Uptake {
        paid_cents,
        ..Default::default()
    };
    u.add(status, 1);
    u
}

/// The change to an offer's tallies when its status moves: `made` stays.
pub fn transition(from: OfferStatus, to: OfferStatus) -> Uptake {
    contribution(to, 0).plus(&contribution(from, 0), -1)
}

text_enum! {
    /// What a tally row counts offers by.
    Dimension {
        Overall => ("overall", "Overall"),
        Cohort => ("cohort", "Cohort"),
        Trainer => ("trainer", "Trainer"),
        Bonus => ("bonus", "Bonus amount"),
        Department => ("department", "Destination department"),
        Band => ("band", "Culture-interview score band"),
        Month => ("month", "Month"),
        MonthBonus => ("month_bonus", "Month and bonus"),
    }
}

impl Dimension {
    /// Numeric keys (ids, cents) sort newest or largest first; text keys alphabetically.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Dimension::Cohort | Dimension::Trainer | Dimension::Bonus
        )
    }
}

/// The breakdowns that grow with the company and are paged; the others are short.
pub const PAGED: [Dimension; 3] = [Dimension::Cohort, Dimension::Trainer, Dimension::Department];

/// One tally row's identity: `num` is an id or cents (0 when unused), `text` a
/// department, band or month ('' when unused).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TallyKey {
    pub kind: OfferKind,
    pub dimension: Dimension,
    pub num: i64,
    pub text: String,
}

/// What an offer is reported by; fixed when it is made except the bonus, which HR can
/// change on pending offers by applying a policy to their cohort.
#[derive(Debug, Clone)]
pub struct OfferFacts {
    pub kind: OfferKind,
    pub cohort: Option<i64>,
    /// The cohort's trainers (none for yearly offers).
    pub trainers: Vec<i64>,
    pub bonus_cents: i64,
    pub department: String,
    pub band: String,
    pub opens_at: NaiveDateTime,
}

/// The month an offer is reported in: when it opened, in UTC, as YYYY-MM.
pub fn month_of(at: NaiveDateTime) -> String {
    at.format("%Y-%m").to_string()
}

/// "2026-11" as "Nov 2026".
pub fn month_label(key: &str) -> String {
    NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d")
        .map(|d| d.format("%b %Y").to_string())
        .unwrap_or_else(|_| key.to_string())
}

/// Every tally an offer counts in: one per dimension, one per trainer of its cohort.
pub fn keys(f: &OfferFacts) -> Vec<TallyKey> {
    let key = |dimension, num, text: &str| TallyKey {
        kind: f.kind,
        dimension,
        num,
        text: text.to_string(),
    };
    let month = month_of(f.opens_at);
    let mut out = vec![
        key(Dimension::Overall, 0, ""),
        key(Dimension::Bonus, f.bonus_cents, ""),
        key(Dimension::Department, 0, &f.department),
        key(Dimension::Band, 0, &f.band),
        key(Dimension::Month, 0, &month),
        key(Dimension::MonthBonus, f.bonus_cents, &month),
    ];
    if let Some(c) = f.cohort {
        out.push(key(Dimension::Cohort, c, ""));
    }
    let mut trainers = f.trainers.clone();
    trainers.sort_unstable();
    trainers.dedup();
    out.extend(trainers.into_iter().map(|t| key(Dimension::Trainer, t, "")));
    out
}

/// When an offer's facts change: the tallies it leaves and the ones it joins.
pub fn moved(before: &[TallyKey], after: &[TallyKey]) -> (Vec<TallyKey>, Vec<TallyKey>) {
    let left = before.iter().filter(|k| !after.contains(k)).cloned();
    let joined = after.iter().filter(|k| !before.contains(k)).cloned();
    (left.collect(), joined.collect())
}

/// How long after graduation retention is measured, in days.
pub const HORIZONS: [i64; 3] = [90, 180, 365];

/// The outcomes of the training offer whose graduates the retention report follows.
pub const STAYED: [OfferStatus; 2] = [OfferStatus::Declined, OfferStatus::Expired];

/// A graduate can be counted at a horizon once it has passed: graduation plus that many
/// days is today or earlier.
pub fn horizon_passed(graduated_on: NaiveDate, days: i64, today: NaiveDate) -> bool {
    graduated_on + Duration::days(days) <= today
}

/// Not employed `days` after graduation: they left on that day or before it.
pub fn left_within(graduated_on: NaiveDate, left_on: Option<NaiveDate>, days: i64) -> bool {
    left_on.is_some_and(|l| l <= graduated_on + Duration::days(days))
}

/// 1 for each horizon by which the person had left, else 0.
pub fn left_flags(graduated_on: NaiveDate, left_on: Option<NaiveDate>) -> [i64; 3] {
    HORIZONS.map(|h| i64::from(left_within(graduated_on, left_on, h)))
}

/// Graduates counted at a horizon and how many of them were still employed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Retained {
    pub counted: i64,
    pub stayed: i64,
}

impl Retained {
    /// Percent with one decimal, None when nobody's horizon has passed.
    pub fn percent(&self) -> Option<f64> {
        (self.counted > 0)
            .then(|| (self.stayed as f64 * 1000.0 / self.counted as f64).round() / 10.0)
    }
}

/// A retention tally's figures: graduates, and how many had left by each horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionTally {
    pub graduated_on: Option<NaiveDate>,
    pub people: i64,
    pub left_by: [i64; 3],
}

/// Retention at each horizon over tally rows, counting only rows (graduation days) whose
/// horizon has passed.
pub fn retained(rows: &[RetentionTally], today: NaiveDate) -> [Retained; 3] {
    let mut out = [Retained::default(); 3];
    for r in rows {
        for (i, h) in HORIZONS.iter().enumerate() {
            if r.graduated_on.is_some_and(|g| horizon_passed(g, *h, today)) {
                out[i].counted += r.people;
                out[i].stayed += r.people - r.left_by[i];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn uptake_counts_only_decided_offers() {
        let mut u = Uptake::default();
        assert_eq!(u.rate_percent(), None);
        u.add(OfferStatus::Accepted, 3);
        u.add(OfferStatus::Declined, 90);
        u.add(OfferStatus::Expired, 7);
        u.add(OfferStatus::Pending, 5);
        u.add(OfferStatus::Void, 2);
        assert_eq!(u.made, 107);
        assert_eq!(u.decided(), 100);
        assert_eq!(u.rate_percent(), Some(3.0));
        let mut v = Uptake::default();
        v.add(OfferStatus::Accepted, 1);
        v.add(OfferStatus::Declined, 2);
        assert_eq!(v.rate_percent(), Some(33.3));
        // Two of three decided by not answering: still one in three took it.
        let mut w = Uptake::default();
        w.add(OfferStatus::Accepted, 1);
        w.add(OfferStatus::Expired, 2);
        w.add(OfferStatus::Void, 10);
        assert_eq!(w.rate_percent(), Some(33.3));
        // Only void and open offers: no rate yet.
        let mut x = Uptake::default();
        x.add(OfferStatus::Void, 1);
        x.add(OfferStatus::Pending, 1);
        assert_eq!(x.rate_percent(), None);
    }

    #[test]
    fn a_transition_moves_one_offer_between_outcomes() {
        let t = transition(OfferStatus::Pending, OfferStatus::Accepted);
        assert_eq!(
            t,
            Uptake {
                pending: -1,
                accepted: 1,
                ..Default::default()
            }
        );
        let made = contribution(OfferStatus::Pending, 0);
        let after = made.plus(&t, 1);
        assert_eq!(after, contribution(OfferStatus::Accepted, 0));
        assert!(made.plus(&made, -1).is_zero());
    }

    fn facts() -> OfferFacts {
        OfferFacts {
            kind: OfferKind::Training,
            cohort: Some(7),
            trainers: vec![3, 2, 3],
            bonus_cents: 200_000,
            department: "Finance".into(),
            band: "4-4.5".into(),
            opens_at: d("2026-11-30").and_hms_opt(23, 0, 0).unwrap(),
        }
    }

    #[test]
    fn an_offer_counts_once_in_each_dimension_and_under_each_trainer() {
        let k = keys(&facts());
        let dims: Vec<(&str, i64, &str)> = k
            .iter()
            .map(|k| (k.dimension.as_str(), k.num, k.text.as_str()))
            .collect();
        assert_eq!(
            dims,
            vec![
                ("overall", 0, ""),
                ("bonus", 200_000, ""),
                ("department", 0, "Finance"),
                ("band", 0, "4-4.5"),
                ("month", 0, "2026-11"),
                ("month_bonus", 200_000, "2026-11"),
                ("cohort", 7, ""),
                ("trainer", 2, ""),
                ("trainer", 3, ""),
            ]
        );
        let yearly = keys(&OfferFacts {
            kind: OfferKind::Yearly,
            cohort: None,
            trainers: vec![],
            ..facts()
        });
        assert_eq!(yearly.len(), 6);
        assert!(yearly.iter().all(|k| k.kind == OfferKind::Yearly));
    }

    #[test]
    fn a_new_bonus_moves_only_the_bonus_tallies() {
        let before = keys(&facts());
        let after = keys(&OfferFacts {
            bonus_cents: 300_000,
            ..facts()
        });
        let (left, joined) = moved(&before, &after);
        let show = |v: &[TallyKey]| -> Vec<(Dimension, i64)> {
            v.iter().map(|k| (k.dimension, k.num)).collect()
        };
        assert_eq!(
            show(&left),
            vec![
                (Dimension::Bonus, 200_000),
                (Dimension::MonthBonus, 200_000)
            ]
        );
        assert_eq!(
            show(&joined),
            vec![
                (Dimension::Bonus, 300_000),
                (Dimension::MonthBonus, 300_000)
            ]
        );
        assert_eq!(month_label("2026-11"), "Nov 2026");
    }

    #[test]
    fn horizons_count_from_graduation_day() {
        let g = d("2026-01-01");
        assert!(!horizon_passed(g, 90, d("2026-03-31")));
        assert!(horizon_passed(g, 90, d("2026-04-01")));
        assert!(horizon_passed(g, 365, d("2027-01-01")));
        assert!(!horizon_passed(g, 365, d("2026-12-31")));
        // Leaving on day 90 means not employed 90 days on; day 91 means they were.
        assert!(left_within(g, Some(d("2026-04-01")), 90));
        assert!(!left_within(g, Some(d("2026-04-02")), 90));
        assert!(!left_within(g, None, 365));
        assert_eq!(left_flags(g, Some(d("2026-05-01"))), [0, 1, 1]);
        assert_eq!(left_flags(g, Some(d("2026-01-01"))), [1, 1, 1]);
        assert_eq!(left_flags(g, None), [0, 0, 0]);
    }

    #[test]
    fn retention_counts_only_people_whose_horizon_has_passed() {
        let rows = [
            // 10 graduated a year and more ago: 2 left by 90 days, 3 by 180, 5 by 365.
            RetentionTally {
                graduated_on: Some(d("2025-01-01")),
                people: 10,
                left_by: [2, 3, 5],
            },
            // 4 graduated 100 days ago: only the 90-day horizon has passed.
            RetentionTally {
                graduated_on: Some(d("2026-01-01")),
                people: 4,
                left_by: [1, 1, 1],
            },
        ];
        let today = d("2026-04-11");
        let r = retained(&rows, today);
        assert_eq!(
            r[0],
            Retained {
                counted: 14,
                stayed: 11
            }
        );
        assert_eq!(
            r[1],
            Retained {
                counted: 10,
                stayed: 7
            }
        );
        assert_eq!(
            r[2],
            Retained {
                counted: 10,
                stayed: 5
            }
        );
        assert_eq!(r[0].percent(), Some(78.6));
        assert_eq!(r[2].percent(), Some(50.0));
        assert_eq!(Retained::default().percent(), None);
    }
}
