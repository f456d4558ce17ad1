//! Checking a leaving date and reason.

use crate::error::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_REASON: usize = 500;

/// What HR types: a date (YYYY-MM-DD) and why. Both blank marks the person as still
/// employed (undoing a mistaken record).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeavingInput {
    #[serde(default)]
    pub left_on: String,
    #[serde(default)]
    pub leave_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub left_on: Option<NaiveDate>,
    pub reason: String,
}

/// A leaving date is on or after the day they started and not after today.
pub fn validate(
    input: &LeavingInput,
    started_on: NaiveDate,
    today: NaiveDate,
) -> Result<Leaving, FieldErrors> {
    let mut errors = FieldErrors::new();
    let reason = input.leave_reason.trim().to_string();
    let typed = input.left_on.trim();
    if typed.is_empty() {
        if !reason.is_empty() {
            errors.insert(
                "left_on".into(),
                "Give the day they left, or clear the reason to show them as still employed."
                    .into(),
            );
            return Err(errors);
        }
        return Ok(Leaving {
            left_on: None,
            reason,
        });
    }
    match NaiveDate::parse_from_str(typed, "%Y-%m-%d") {
        Err(_) => {
            errors.insert("left_on".into(), "Write the date as YYYY-MM-DD.".into());
        }
        Ok(d) if d < started_on => {
            errors.insert(
                "left_on".into(),
                format!("They started on {started_on}; they cannot have left before that."),
            );
        }
        Ok(d) if d > today => {
            errors.insert(
                "left_on".into(),
                "That day is still to come; record the leaving once it has happened.".into(),
            );
        }
        Ok(_) => {}
    }
    if reason.is_empty() {
        errors.insert("leave_reason".into(), "Say why they left.".into());
    } else if reason.chars().count() > MAX_REASON {
        errors.insert(
            "leave_reason".into(),
            format!("Keep the reason under {MAX_REASON} characters."),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Leaving {
        left_on: NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn check(left_on: &str, reason: &str) -> Result<Leaving, FieldErrors> {
        validate(
            &LeavingInput {
                left_on: left_on.into(),
                leave_reason: reason.into(),
            },
            d("2026-01-05"),
            d("2026-06-01"),
        )
    }

    #[test]
    fn a_leaving_date_lies_between_the_start_and_today() {
        assert_eq!(
            check("2026-01-05", " Moved away "),
            Ok(Leaving {
                left_on: Some(d("2026-01-05")),
                reason: "Moved away".into()
            })
        );
        assert!(check("2026-06-01", "Moved away").is_ok());
        let before = check("2026-01-04", "Moved away").unwrap_err();
        assert!(before["left_on"].contains("started on 2026-01-05"));
        let future = check("2026-06-02", "Moved away").unwrap_err();
        assert!(future["left_on"].contains("still to come"));
        assert!(check("next week", "x").unwrap_err()["left_on"].contains("YYYY-MM-DD"));
        assert!(check("2026-02-01", "  ").unwrap_err()["leave_reason"].contains("why"));
        assert!(check("2026-02-01", &"x".repeat(501)).unwrap_err()["leave_reason"].contains("500"));
    }

    #[test]
    fn both_blank_means_still_employed() {
        assert_eq!(
            check("", ""),
            Ok(Leaving {
                left_on: None,
                reason: String::new()
            })
        );
        assert!(check("", "Moved away").unwrap_err().contains_key("left_on"));
    }
}
