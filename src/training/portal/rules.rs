//! Which days the portal's week shows, and how far the live-call hours have come.

use chrono::{Datelike, Duration, NaiveDate};

/// The training days (1-based numbers with dates) to show as "this week": the days in
/// the Monday-to-Sunday week of `today`; before the cohort starts, its first week. The
/// label says which.
pub fn week_shown(days: &[NaiveDate], today: NaiveDate) -> (&'static str, Vec<(i64, NaiveDate)>) {
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let sunday = monday + Duration::days(6);
    let numbered = days.iter().enumerate().map(|(i, d)| (i as i64 + 1, *d));
    let this_week: Vec<_> = numbered
        .clone()
        .filter(|(_, d)| *d >= monday && *d <= sunday)
        .collect();
    match days.first() {
        Some(first) if this_week.is_empty() && today < *first => {
            let first_monday =
                *first - Duration::days(first.weekday().num_days_from_monday() as i64);
            let first_sunday = first_monday + Duration::days(6);
            let first_week = numbered.filter(|(_, d)| *d <= first_sunday).collect();
            ("Your first week", first_week)
        }
        _ => ("This week", this_week),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::rules::lay_out_days;
    use std::collections::HashSet;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_week_skips_weekends_and_holidays() {
        // Thanksgiving Thursday and Friday are holidays in the cohort's second week.
        let holidays: HashSet<_> = [d("2026-11-26"), d("2026-11-27")].into();
        let days = lay_out_days(d("2026-11-16"), 20, &holidays);
        let (label, week) = week_shown(&days, d("2026-11-28"));
        assert_eq!(label, "This week");
        assert_eq!(
            week,
            vec![
                (6, d("2026-11-23")),
                (7, d("2026-11-24")),
                (8, d("2026-11-25"))
            ]
        );
    }

    #[test]
    fn before_the_start_the_first_week_shows() {
        let days = lay_out_days(d("2026-11-18"), 20, &HashSet::new());
        let (label, week) = week_shown(&days, d("2026-11-02"));
        assert_eq!(label, "Your first week");
        assert_eq!(
            week,
            vec![
                (1, d("2026-11-18")),
                (2, d("2026-11-19")),
                (3, d("2026-11-20"))
            ]
        );
        // After the last day: nothing this week.
        assert!(week_shown(&days, d("2027-02-01")).1.is_empty());
    }
}
