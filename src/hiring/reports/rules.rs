//! The reports' arithmetic, with no I/O: how far candidates got, pass-through rates,
//! medians and means over the compact histograms the queries return, the late-scorecard
//! rule and how an interviewer's ratings compare with their panel's.

use crate::hiring::rules::Stage;
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// The funnel's stages in pipeline order. Rejected and withdrawn end a candidate's way
/// through it; they are counted beside it, not as steps.
pub const FUNNEL: [Stage; 6] = [
    Stage::Applied,
    Stage::Screening,
    Stage::Technical,
    Stage::Culture,
    Stage::Decision,
    Stage::Hired,
];

/// A stage's place in the funnel (0 = applied .. 5 = hired); rejected and withdrawn have none.
pub fn rank(stage: Stage) -> Option<usize> {
    FUNNEL.iter().position(|s| *s == stage)
}

/// How many reached each funnel stage, from how many got no further than each rank.
/// A candidate who skipped a stage passed through it: reaching rank 3 counts for 0..=3.
pub fn reached(furthest: &[(usize, i64)]) -> [i64; 6] {
    let mut out = [0; 6];
    for &(best, count) in furthest {
        for slot in out.iter_mut().take(best.min(5) + 1) {
            *slot += count;
        }
    }
    out
}

/// Share of those who reached a stage that reached the next one; `None` when nobody
/// reached the stage (no rate, rather than a made-up 0 % or a division by zero).
pub fn pass_through(reached_this: i64, reached_next: i64) -> Option<f64> {
    (reached_this > 0).then(|| reached_next as f64 / reached_this as f64)
}

/// The median of values given as `(value, how many times)`, in any order.
/// An even count takes the mean of the two middle values.
pub fn median(histogram: &[(i64, i64)]) -> Option<f64> {
    let mut h: Vec<(i64, i64)> = histogram.iter().copied().filter(|(_, c)| *c > 0).collect();
    h.sort_unstable();
    let total: i64 = h.iter().map(|(_, c)| c).sum();
    if total == 0 {
        return None;
    }
    // The k-th value (0-based) of the sorted list the histogram stands for.
    let nth = |k: i64| {
        let mut seen = 0;
        for &(v, c) in &h {
            seen += c;
            if k < seen {
                return v;
            }
        }
        h.last().map(|(v, _)| *v).unwrap_or(0)
    };
    Some(if total % 2 == 1 {
        nth(total / 2) as f64
    } else {
        (nth(total / 2 - 1) + nth(total / 2)) as f64 / 2.0
    })
}

pub fn mean(histogram: &[(i64, i64)]) -> Option<f64> {
    let total: i64 = histogram.iter().map(|(_, c)| c).sum();
    let sum: f64 = histogram.iter().map(|(v, c)| *v as f64 * *c as f64).sum();
    (total > 0).then(|| sum / total as f64)
}

/// Durations are measured in whole hours; reports show days.
pub fn hours_to_days(h: Option<f64>) -> Option<f64> {
    h.map(|h| h / 24.0)
}

/// A period of whole days, both ends included, as the half-open range of timestamps
/// the queries compare with.
pub fn period_bounds(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let start = from.and_hms_opt(0, 0, 0).expect("midnight");
    let end = to.and_hms_opt(0, 0, 0).expect("midnight") + Duration::days(1);
    (start, end)
}

/// The default period: the last 90 days up to and including today.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(89), today)
}

/// A scorecard is late when it came in more than this long after the interview ended.
pub const LATE_GRACE_SECS: i64 = 24 * 60 * 60;

/// The interview ended at `starts_at` plus its duration; exactly 24 hours later is still on time.
pub fn is_late(
    starts_at: NaiveDateTime,
    duration_minutes: i64,
    submitted_at: NaiveDateTime,
) -> bool {
    let ended = starts_at + Duration::minutes(duration_minutes);
    (submitted_at - ended).num_seconds() > LATE_GRACE_SECS
}

/// Differences smaller than this (on the 1-5 scale) read as "in line with the panel".
pub const IN_LINE: f64 = 0.5;

/// An interviewer's mean on one attribute beside the panel's mean on the same candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub mine: Option<f64>,
    pub mine_count: i64,
    pub panel: Option<f64>,
    pub panel_count: i64,
}

impl Comparison {
    /// From counts and sums of ratings (N/A already left out by the query).
    pub fn from_sums(mine: (i64, i64), panel: (i64, i64)) -> Comparison {
        let avg = |(count, sum): (i64, i64)| (count > 0).then(|| sum as f64 / count as f64);
        Comparison {
            mine: avg(mine),
            mine_count: mine.0,
            panel: avg(panel),
            panel_count: panel.0,
        }
    }

    /// Theirs minus the panel's: negative means they rate lower than the panel.
    pub fn difference(&self) -> Option<f64> {
        Some(self.mine? - self.panel?)
    }

    /// A word for the difference; `None` when there is no panel to compare with.
    pub fn lean(&self) -> Option<&'static str> {
        let d = self.difference()?;
        Some(if d <= -IN_LINE {
            "harsher"
        } else if d >= IN_LINE {
            "more generous"
        } else {
            "in line"
        })
    }
}

/// Rounds for display and CSV: `None` stays empty.
pub fn fixed(v: Option<f64>, decimals: usize) -> String {
    v.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn ranks_follow_the_pipeline_and_final_exits_have_none() {
        assert_eq!(rank(Stage::Applied), Some(0));
        assert_eq!(rank(Stage::Hired), Some(5));
        assert_eq!(rank(Stage::Rejected), None);
        assert_eq!(rank(Stage::Withdrawn), None);
    }

    #[test]
    fn reaching_a_later_stage_counts_for_every_stage_before_it() {
        // 3 got no further than applied, 2 reached technical (one skipped screening), 1 hired.
        let r = reached(&[(0, 3), (2, 2), (5, 1)]);
        assert_eq!(r, [6, 3, 3, 1, 1, 1]);
        assert_eq!(reached(&[]), [0; 6]);
    }

    #[test]
    fn pass_through_is_next_over_this_and_none_when_nobody_reached_the_stage() {
        assert_eq!(pass_through(4, 1), Some(0.25));
        assert_eq!(pass_through(3, 3), Some(1.0));
        assert_eq!(pass_through(5, 0), Some(0.0));
        assert_eq!(pass_through(0, 0), None);
    }

    #[test]
    fn median_of_a_histogram_handles_odd_even_unsorted_and_empty() {
        assert_eq!(median(&[(5, 1), (1, 1), (3, 1)]), Some(3.0));
        assert_eq!(median(&[(10, 1), (2, 1)]), Some(6.0));
        // 1,1,1,9: the middle two are 1 and 1.
        assert_eq!(median(&[(9, 1), (1, 3)]), Some(1.0));
        // 2,2,4,4: the middle two are 2 and 4.
        assert_eq!(median(&[(4, 2), (2, 2)]), Some(3.0));
        assert_eq!(median(&[(7, 0)]), None);
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[(2, 1), (4, 3)]), Some(3.5));
        assert_eq!(mean(&[]), None);
        assert_eq!(hours_to_days(Some(36.0)), Some(1.5));
    }

    #[test]
    fn a_scorecard_is_late_only_after_a_full_day_past_the_interview_end() {
        let start = at("2026-03-02 10:00");
        // A 60-minute interview ends at 11:00; the grace runs to 11:00 the next day.
        assert!(!is_late(start, 60, at("2026-03-02 11:30")));
        assert!(!is_late(start, 60, at("2026-03-03 11:00")));
        assert!(is_late(start, 60, at("2026-03-03 11:01")));
        // The duration counts: a long interview moves the deadline.
        assert!(!is_late(start, 180, at("2026-03-03 12:30")));
        assert!(is_late(start, 30, at("2026-03-03 10:31")));
    }

    #[test]
    fn comparison_with_the_panel_uses_means_and_reads_the_difference() {
        let c = Comparison::from_sums((2, 4), (4, 16));
        assert_eq!(c.mine, Some(2.0));
        assert_eq!(c.panel, Some(4.0));
        assert_eq!(c.difference(), Some(-2.0));
        assert_eq!(c.lean(), Some("harsher"));
        assert_eq!(
            Comparison::from_sums((1, 5), (2, 8)).lean(),
            Some("more generous")
        );
        assert_eq!(
            Comparison::from_sums((3, 10), (3, 9)).lean(),
            Some("in line")
        );
        // Nobody else rated it: nothing to compare with.
        let alone = Comparison::from_sums((1, 3), (0, 0));
        assert_eq!(alone.panel, None);
        assert_eq!(alone.difference(), None);
        assert_eq!(alone.lean(), None);
        assert_eq!(Comparison::from_sums((0, 0), (1, 3)).mine, None);
    }

    #[test]
    fn periods_include_both_end_days() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (a, b) = period_bounds(d("2026-01-01"), d("2026-01-31"));
        assert_eq!(a, at("2026-01-01 00:00"));
        assert_eq!(b, at("2026-02-01 00:00"));
        assert_eq!(
            default_period(d("2026-03-31")),
            (d("2026-01-01"), d("2026-03-31"))
        );
        assert_eq!(fixed(Some(2.345), 1), "2.3");
        assert_eq!(fixed(None, 1), "");
    }
}
