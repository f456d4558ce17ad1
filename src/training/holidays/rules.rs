//! What a holiday must hold.

use crate::error::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A holiday as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct HolidayInput {
    /// YYYY-MM-DD.
    #[serde(default)]
    pub day: String,
    /// For example "Thanksgiving".
    #[serde(default)]
    pub name: String,
}

pub fn validate(input: &HolidayInput) -> Result<(NaiveDate, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let day = NaiveDate::parse_from_str(input.day.trim(), "%Y-%m-%d");
    if day.is_err() {
        errors.insert(
            "day".into(),
            "Type the date as YYYY-MM-DD, like 2027-11-25.".into(),
        );
    }
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert(
            "name".into(),
            "Name the holiday (up to 100 characters).".into(),
        );
    }
    match day {
        Ok(day) if errors.is_empty() => Ok((day, name)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holiday_needs_a_date_and_a_name() {
        let e = validate(&HolidayInput {
            day: "25/12/2027".into(),
            name: " ".into(),
        })
        .unwrap_err();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["day", "name"]);
        let (day, name) = validate(&HolidayInput {
            day: "2027-12-25".into(),
            name: " Christmas ".into(),
        })
        .unwrap();
        assert_eq!(
            (day.to_string(), name.as_str()),
            ("2027-12-25".into(), "Christmas")
        );
    }
}
