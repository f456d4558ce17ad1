//! The Offer's arithmetic and timing, with no I/O: payout, rounding, when an offer opens
//! and closes, the yearly bonus by tenure, and the culture band.

use crate::text_enum;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

text_enum! {
    /// Where an offer stands. Only pending offers can be answered.
    OfferStatus {
        Pending => ("pending", "Open"),
        Accepted => ("accepted", "Accepted"),
        Declined => ("declined", "Declined"),
        Expired => ("expired", "Expired (stayed)"),
        Void => ("void", "Void"),
    }
}

text_enum! {
    /// The training offer, or the yearly pay-to-quit for graduated employees.
    OfferKind {
        Training => ("training", "Training offer"),
        Yearly => ("yearly", "Yearly pay-to-quit"),
    }
}

/// A training day ends at 17:00 company time: offers open and close then.
pub const END_OF_DAY: (u32, u32) = (17, 0);
/// However late an offer is made (after downtime, or a late joiner), it stays open at
/// least this long.
pub const MIN_OPEN_DAYS: i64 = 2;
/// An account that left with the offer keeps its farewell page this long.
pub const FAREWELL_DAYS: i64 = 30;
/// Payroll pays an accepted offer within this many days.
pub const PAYOUT_DUE_DAYS: i64 = 7;

/// The end of a training day in UTC.
pub fn end_of_day_utc(date: NaiveDate, tz: chrono_tz::Tz) -> NaiveDateTime {
    crate::clock::local_to_utc(tz, date, END_OF_DAY.0, END_OF_DAY.1)
}

/// A trainee's offer and closing days, counted from their own first day (a late joiner
/// gets their first week too), capped at the cohort's last day.
pub fn trainee_days(first_day: i64, offer_day: i64, closes_day: i64, last_day: i64) -> (i64, i64) {
    let offer = (first_day + offer_day - 1).min(last_day);
    let closes = (first_day + closes_day - 1).min(last_day).max(offer);
    (offer, closes)
}

/// When a pending offer made at `now` expires: the closing day's end, but never sooner
/// than MIN_OPEN_DAYS from now.
pub fn expiry(closes_at: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
    closes_at.max(now + chrono::Duration::days(MIN_OPEN_DAYS))
}

/// Pay for time worked: minutes × hourly rate ÷ 60, rounded to the nearest cent with
/// halves rounded up. Integer arithmetic only.
pub fn time_pay_cents(minutes: i64, hourly_rate_cents: i64) -> i64 {
    (minutes * hourly_rate_cents + 30) / 60
}

/// What accepting pays, and how it is worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Payout {
    pub bonus_cents: i64,
    pub minutes_worked: i64,
    pub hourly_rate_cents: i64,
    pub time_pay_cents: i64,
    pub total_cents: i64,
}

pub fn payout(
    bonus_cents: i64,
    minutes_worked: i64,
    hourly_rate_cents: i64,
    pays_time: bool,
) -> Payout {
    let time_pay_cents = if pays_time {
        time_pay_cents(minutes_worked, hourly_rate_cents)
    } else {
        0
    };
    Payout {
        bonus_cents,
        minutes_worked: if pays_time { minutes_worked } else { 0 },
        hourly_rate_cents,
        time_pay_cents,
        total_cents: bonus_cents + time_pay_cents,
    }
}

/// The sum written out, as the person and payroll see it.
pub fn arithmetic(p: &Payout, money: &crate::money::Currency) -> String {
    if p.minutes_worked == 0 && p.time_pay_cents == 0 {
        return format!(
            "bonus {} = {}",
            money.format(p.bonus_cents),
            money.format(p.total_cents)
        );
    }
    format!(
        "{} worked × {}/hour = {}; plus bonus {} = {}",
        crate::training::rules::hours(p.minutes_worked),
        money.format(p.hourly_rate_cents),
        money.format(p.time_pay_cents),
        money.format(p.bonus_cents),
        money.format(p.total_cents)
    )
}

/// Minutes worked in training: attended days (present or late) × the paid day.
pub fn minutes_worked(attended_days: i64, day_minutes: i64) -> i64 {
    attended_days * day_minutes
}

/// Full years between two dates (an anniversary counts on the day).
pub fn full_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut years = i64::from(to.year() - from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years.max(0)
}

/// The yearly offer: base plus a step per full year of tenure, capped.
pub fn yearly_bonus(tenure_years: i64, base_cents: i64, step_cents: i64, max_cents: i64) -> i64 {
    (base_cents + step_cents * tenure_years).min(max_cents)
}

/// The culture-interview score band an offer is reported under, from the mean culture
/// rating (1-5) at hire.
pub fn culture_band(mean_rating: Option<f64>) -> &'static str {
    match mean_rating {
        None => "unscored",
        Some(m) if m >= 4.5 => "4.5-5",
        Some(m) if m >= 4.0 => "4-4.5",
        Some(m) if m >= 3.0 => "3-4",
        Some(_) => "below 3",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn time_pay_rounds_half_cents_up() {
        // 40 h at $18.50 = $740.00 exactly.
        assert_eq!(time_pay_cents(2400, 1850), 74_000);
        // 1 minute at $18.50 = 30.8333 cents -> 31.
        assert_eq!(time_pay_cents(1, 1850), 31);
        // 1 minute at $0.30 = 0.5 cents -> 1 (half up); at $0.29 = 0.483 -> 0.
        assert_eq!(time_pay_cents(1, 30), 1);
        assert_eq!(time_pay_cents(1, 29), 0);
        assert_eq!(time_pay_cents(0, 1850), 0);
    }

    #[test]
    fn payout_adds_bonus_and_time_worked() {
        let p = payout(200_000, 5 * 480, 1850, true);
        assert_eq!(p.time_pay_cents, 74_000);
        assert_eq!(p.total_cents, 274_000);
        let money = crate::money::Currency::default();
        assert_eq!(
            arithmetic(&p, &money),
            "40 h worked × $18.50/hour = $740.00; plus bonus $2,000.00 = $2,740.00"
        );
        let bonus_only = payout(200_000, 2400, 1850, false);
        assert_eq!(bonus_only.total_cents, 200_000);
        assert_eq!(
            arithmetic(&bonus_only, &money),
            "bonus $2,000.00 = $2,000.00"
        );
    }

    #[test]
    fn a_late_joiner_gets_their_own_first_week() {
        assert_eq!(trainee_days(1, 5, 10, 20), (5, 10));
        assert_eq!(trainee_days(3, 5, 10, 20), (7, 12));
        assert_eq!(trainee_days(14, 5, 10, 20), (18, 20));
        assert_eq!(trainee_days(20, 5, 10, 20), (20, 20));
    }

    #[test]
    fn offers_stay_open_at_least_two_days() {
        let closes = d("2026-12-04").and_hms_opt(17, 0, 0).unwrap();
        let early = d("2026-11-27").and_hms_opt(17, 0, 0).unwrap();
        assert_eq!(expiry(closes, early), closes);
        let late = d("2026-12-04").and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(expiry(closes, late), late + chrono::Duration::days(2));
    }

    #[test]
    fn end_of_day_is_five_pm_company_time() {
        let tz: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            end_of_day_utc(d("2026-11-27"), tz),
            d("2026-11-28").and_hms_opt(1, 0, 0).unwrap()
        );
        assert_eq!(
            end_of_day_utc(d("2026-11-27"), chrono_tz::UTC),
            d("2026-11-27").and_hms_opt(17, 0, 0).unwrap()
        );
    }

    #[test]
    fn yearly_bonus_rises_with_tenure_to_the_cap() {
        assert_eq!(full_years(d("2024-03-10"), d("2026-03-09")), 1);
        assert_eq!(full_years(d("2024-03-10"), d("2026-03-10")), 2);
        assert_eq!(full_years(d("2026-03-10"), d("2026-01-01")), 0);
        let b = |y| yearly_bonus(y, 200_000, 100_000, 500_000);
        assert_eq!(
            (b(0), b(1), b(3), b(7)),
            (200_000, 300_000, 500_000, 500_000)
        );
    }

    #[test]
    fn culture_bands() {
        assert_eq!(culture_band(None), "unscored");
        assert_eq!(culture_band(Some(5.0)), "4.5-5");
        assert_eq!(culture_band(Some(4.2)), "4-4.5");
        assert_eq!(culture_band(Some(3.0)), "3-4");
        assert_eq!(culture_band(Some(2.9)), "below 3");
    }
}
