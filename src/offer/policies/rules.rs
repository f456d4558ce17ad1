//! What a new offer policy must hold.

use crate::error::FieldErrors;
use crate::money::parse_cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The largest bonus a policy may offer ($100,000): a typo guard, not a business rule.
pub const MAX_BONUS_CENTS: i64 = 10_000_000;
/// Offer and closing days are training days: a four-week rotation has twenty.
pub const MAX_DAY: i64 = 60;

/// A policy as typed; the API takes the same fields.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PolicyInput {
    /// An amount like "2,000" or "2000.00".
    #[serde(default)]
    pub bonus: String,
    #[serde(default)]
    pub offer_day: String,
    #[serde(default)]
    pub closes_day: String,
    #[serde(default)]
    pub pays_time_worked: bool,
    /// YYYY-MM-DD, today or later: a policy never changes the past.
    #[serde(default)]
    pub effective_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct ValidPolicy {
    pub bonus_cents: i64,
    pub offer_day: i64,
    pub closes_day: i64,
    pub pays_time_worked: bool,
    pub effective_on: NaiveDate,
    pub note: String,
}

fn day(input: &str) -> Option<i64> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_DAY).contains(d))
}

pub fn validate(input: &PolicyInput, today: NaiveDate) -> Result<ValidPolicy, FieldErrors> {
    let mut errors = FieldErrors::new();
    let bonus = parse_cents(&input.bonus, "bonus");
    match &bonus {
        Err(e) => {
            errors.insert("bonus".into(), e.clone());
        }
        Ok(c) if *c > MAX_BONUS_CENTS => {
            errors.insert(
                "bonus".into(),
                "The bonus can be at most 100,000.00.".into(),
            );
        }
        Ok(_) => {}
    }
    let offer_day = day(&input.offer_day);
    if offer_day.is_none() {
        errors.insert(
            "offer_day".into(),
            format!("The offer day is a training day number from 1 to {MAX_DAY}, like 5."),
        );
    }
    let closes_day = day(&input.closes_day);
    match (offer_day, closes_day) {
        (_, None) => {
            errors.insert(
                "closes_day".into(),
                format!("The closing day is a training day number from 1 to {MAX_DAY}, like 10."),
            );
        }
        (Some(o), Some(c)) if c < o => {
            errors.insert(
                "closes_day".into(),
                "The offer cannot close before the day it is made.".into(),
            );
        }
        _ => {}
    }
    let effective_on = NaiveDate::parse_from_str(input.effective_on.trim(), "%Y-%m-%d");
    match effective_on {
        Err(_) => {
            errors.insert(
                "effective_on".into(),
                "Type the date it takes effect as YYYY-MM-DD.".into(),
            );
        }
        Ok(d) if d < today => {
            errors.insert(
                "effective_on".into(),
                format!("A policy cannot take effect in the past (today is {today})."),
            );
        }
        Ok(_) => {}
    }
    let note = input.note.trim().to_string();
    if note.chars().count() > 1000 {
        errors.insert(
            "note".into(),
            "Keep the note under 1,000 characters.".into(),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidPolicy {
        bonus_cents: bonus.expect("checked"),
        offer_day: offer_day.expect("checked"),
        closes_day: closes_day.expect("checked"),
        pays_time_worked: input.pays_time_worked,
        effective_on: effective_on.expect("checked"),
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_good_policy() {
        let v = validate(
            &PolicyInput {
                bonus: "3,000".into(),
                offer_day: "5".into(),
                closes_day: "10".into(),
                pays_time_worked: true,
                effective_on: "2027-01-01".into(),
                note: " raised: too few took it ".into(),
            },
            today(),
        )
        .unwrap();
        assert_eq!((v.bonus_cents, v.offer_day, v.closes_day), (300_000, 5, 10));
        assert_eq!(v.note, "raised: too few took it");
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = validate(
            &PolicyInput {
                bonus: "lots".into(),
                offer_day: "6".into(),
                closes_day: "5".into(),
                effective_on: "2026-11-22".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.keys().map(|k| k.as_str()).collect();
        assert_eq!(fields, vec!["bonus", "closes_day", "effective_on"]);
    }
}
