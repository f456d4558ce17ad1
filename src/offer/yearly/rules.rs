//! What a yearly window must hold, when it is open, and what its offers are worth.

use crate::error::FieldErrors;
use crate::money::parse_cents;
use crate::offer::policies::rules::MAX_BONUS_CENTS;
use crate::offer::rules;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Amazon's figures: $2,000, rising $1,000 for each full year of tenure, up to $5,000.
pub const DEFAULT_BASE_CENTS: i64 = 200_000;
pub const DEFAULT_STEP_CENTS: i64 = 100_000;
pub const DEFAULT_MAX_CENTS: i64 = 500_000;

/// What an employee's record says when they take the offer.
pub const LEAVE_REASON: &str = "took the yearly pay-to-quit";

/// A window as typed; the API takes the same fields.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct WindowInput {
    /// YYYY-MM-DD, today or later.
    #[serde(default)]
    pub opens_on: String,
    /// YYYY-MM-DD, after `opens_on`. Offers expire at the end of this day.
    #[serde(default)]
    pub closes_on: String,
    /// The bonus at less than a year of tenure, an amount like "2,000".
    #[serde(default)]
    pub base: String,
    /// Added for each full year of tenure, like "1,000".
    #[serde(default)]
    pub step: String,
    /// The most anyone is offered, like "5,000".
    #[serde(default)]
    pub max: String,
}

/// A window's dates and amounts, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidWindow {
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub base_cents: i64,
    pub step_cents: i64,
    pub max_cents: i64,
}

fn date(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok()
}

/// An amount no larger than the typo guard, or the message for its field.
fn amount(input: &str, what: &str) -> Result<i64, String> {
    let cents = parse_cents(input, what)?;
    if cents > MAX_BONUS_CENTS {
        return Err(format!("The {what} can be at most 100,000.00."));
    }
    Ok(cents)
}

pub fn validate(input: &WindowInput, today: NaiveDate) -> Result<ValidWindow, FieldErrors> {
    let mut errors = FieldErrors::new();
    let opens_on = date(&input.opens_on);
    match opens_on {
        None => {
            errors.insert(
                "opens_on".into(),
                "Type the opening date as YYYY-MM-DD.".into(),
            );
        }
        Some(d) if d < today => {
            errors.insert(
                "opens_on".into(),
                format!("A window cannot open in the past (today is {today})."),
            );
        }
        Some(_) => {}
    }
    let closes_on = date(&input.closes_on);
    match (opens_on, closes_on) {
        (_, None) => {
            errors.insert(
                "closes_on".into(),
                "Type the closing date as YYYY-MM-DD.".into(),
            );
        }
        (Some(o), Some(c)) if c <= o => {
            errors.insert(
                "closes_on".into(),
                "The window must close after the day it opens.".into(),
            );
        }
        _ => {}
    }
    let mut money = |field: &str, typed: &str, what: &str| match amount(typed, what) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.insert(field.into(), e);
            None
        }
    };
    let base = money("base", &input.base, "base bonus");
    let step = money("step", &input.step, "yearly step");
    let max = money("max", &input.max, "cap");
    if base == Some(0) {
        errors.insert(
            "base".into(),
            "The base bonus must be more than zero.".into(),
        );
    }
    if let (Some(b), Some(m)) = (base, max) {
        if m < b {
            errors.insert(
                "max".into(),
                "The cap cannot be below the base bonus.".into(),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidWindow {
        opens_on: opens_on.expect("checked"),
        closes_on: closes_on.expect("checked"),
        base_cents: base.expect("checked"),
        step_cents: step.expect("checked"),
        max_cents: max.expect("checked"),
    })
}

/// Whether a window can still be changed or removed: not before its opening day has
/// come, when its offers are made on its terms.
pub fn still_planned(opens_on: NaiveDate, today: NaiveDate) -> bool {
    opens_on > today
}

/// Whether two windows share a day: an employee has one yearly offer at a time.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// An employee's yearly bonus: full years of tenure on the day the window opens.
pub fn bonus_for(started_on: NaiveDate, w: &ValidWindow) -> i64 {
    rules::yearly_bonus(
        rules::full_years(started_on, w.opens_on),
        w.base_cents,
        w.step_cents,
        w.max_cents,
    )
}

/// A yearly offer closes at the end of the window's last day (17:00 company time), and,
/// like every offer, stays open at least MIN_OPEN_DAYS however late it is made.
pub fn expires_at(closes_on: NaiveDate, tz: chrono_tz::Tz, now: NaiveDateTime) -> NaiveDateTime {
    rules::expiry(rules::end_of_day_utc(closes_on, tz), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(opens: &str, closes: &str, base: &str, step: &str, max: &str) -> WindowInput {
        WindowInput {
            opens_on: opens.into(),
            closes_on: closes.into(),
            base: base.into(),
            step: step.into(),
            max: max.into(),
        }
    }

    #[test]
    fn a_window_is_planned_until_its_opening_day() {
        assert!(still_planned(d("2027-03-01"), d("2027-02-28")));
        assert!(!still_planned(d("2027-03-01"), d("2027-03-01")));
        assert!(!still_planned(d("2027-03-01"), d("2027-03-02")));
    }

    #[test]
    fn a_good_window() {
        let v = validate(
            &input("2027-03-01", "2027-03-14", "$2,000", "1000", "5,000.00"),
            d("2027-03-01"),
        )
        .unwrap();
        assert_eq!(
            v,
            ValidWindow {
                opens_on: d("2027-03-01"),
                closes_on: d("2027-03-14"),
                base_cents: 200_000,
                step_cents: 100_000,
                max_cents: 500_000,
            }
        );
        // A step of nothing is a flat bonus.
        assert!(validate(
            &input("2027-03-01", "2027-03-02", "2000", "0", "2000"),
            d("2027-01-01")
        )
        .is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = validate(
            &input("2027-02-28", "2027-02-28", "0", "lots", "1,000"),
            d("2027-03-01"),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.keys().map(|k| k.as_str()).collect();
        assert_eq!(fields, vec!["base", "closes_on", "opens_on", "step"]);
        assert!(e["opens_on"].contains("past"));
        assert!(e["closes_on"].contains("close after"));
        let e = validate(
            &input("soon", "", "3,000", "1,000", "2,000"),
            d("2027-03-01"),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.keys().map(|k| k.as_str()).collect();
        assert_eq!(fields, vec!["closes_on", "max", "opens_on"]);
        let e = validate(
            &input("2027-03-01", "2027-03-02", "200,000", "1", "200,000"),
            d("2027-03-01"),
        )
        .unwrap_err();
        assert!(e["base"].contains("at most"));
    }

    #[test]
    fn windows_overlap_when_they_share_a_day() {
        let w = (d("2027-03-01"), d("2027-03-14"));
        assert!(overlaps(w, (d("2027-03-14"), d("2027-03-20"))));
        assert!(overlaps(w, (d("2027-02-01"), d("2027-04-01"))));
        assert!(!overlaps(w, (d("2027-03-15"), d("2027-03-20"))));
        assert!(!overlaps(w, (d("2027-01-01"), d("2027-02-28"))));
    }

    #[test]
    fn the_bonus_counts_full_years_on_the_opening_day() {
        let w = ValidWindow {
            opens_on: d("2027-03-01"),
            closes_on: d("2027-03-14"),
            base_cents: DEFAULT_BASE_CENTS,
            step_cents: DEFAULT_STEP_CENTS,
            max_cents: DEFAULT_MAX_CENTS,
        };
        let b = |started: &str| bonus_for(d(started), &w);
        assert_eq!(b("2027-01-10"), 200_000);
        assert_eq!(b("2026-03-02"), 200_000);
        assert_eq!(b("2026-03-01"), 300_000);
        assert_eq!(b("2022-03-01"), 500_000);
        assert_eq!(b("2010-03-01"), 500_000);
    }

    #[test]
    fn offers_close_at_the_end_of_the_last_day() {
        let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
        let morning = d("2027-03-01").and_hms_opt(14, 0, 0).unwrap();
        assert_eq!(
            expires_at(d("2027-03-14"), tz, morning),
            d("2027-03-14").and_hms_opt(21, 0, 0).unwrap()
        );
        // Made on the last day after downtime: open two more days.
        let late = d("2027-03-14").and_hms_opt(15, 0, 0).unwrap();
        assert_eq!(
            expires_at(d("2027-03-14"), tz, late),
            late + chrono::Duration::days(2)
        );
    }
}
