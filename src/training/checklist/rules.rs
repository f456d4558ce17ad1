//! What a checklist template item must hold, and grouping overdue tasks per person.

use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// An item as typed; the form posts the same fields.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ItemInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub days_before_start: String,
    #[serde(default)]
    pub position: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub active: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidItem {
    pub title: String,
    pub description: String,
    pub days_before_start: i64,
    pub position: i64,
    pub active: bool,
}

/// Due dates reach back at most this far before the start date.
pub const MAX_DAYS_BEFORE: i64 = 90;

fn whole(raw: &str, min: i64, max: i64) -> Option<i64> {
    raw.trim().parse().ok().filter(|n| (min..=max).contains(n))
}

pub fn validate(input: &ItemInput) -> Result<ValidItem, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = input.title.trim().to_string();
    if title.is_empty() {
        errors.insert("title".into(), "Say what the new hire has to do.".into());
    } else if title.chars().count() > 200 {
        errors.insert(
            "title".into(),
            "Keep the title under 200 characters.".into(),
        );
    }
    let description = input.description.trim().to_string();
    if description.chars().count() > 2000 {
        errors.insert(
            "description".into(),
            "Keep the description under 2,000 characters.".into(),
        );
    }
    let days = whole(&input.days_before_start, 0, MAX_DAYS_BEFORE);
    if days.is_none() {
        errors.insert(
            "days_before_start".into(),
            format!("A whole number of days from 0 (the start date) to {MAX_DAYS_BEFORE}."),
        );
    }
    let position = whole(&input.position, 1, 1000);
    if position.is_none() {
        errors.insert(
            "position".into(),
            "A whole number from 1 to 1000; lower comes first.".into(),
        );
    }
    match (days, position) {
        (Some(days_before_start), Some(position)) if errors.is_empty() => Ok(ValidItem {
            title,
            description,
            days_before_start,
            position,
            active: input.active.is_some(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ItemInput {
        ItemInput {
            title: " Bring ID ".into(),
            description: "For the I-9.".into(),
            days_before_start: "0".into(),
            position: "5".into(),
            active: Some("on".into()),
        }
    }

    #[test]
    fn a_valid_item() {
        let v = validate(&input()).unwrap();
        assert_eq!(v.title, "Bring ID");
        assert_eq!((v.days_before_start, v.position, v.active), (0, 5, true));
        let off = ItemInput {
            active: None,
            ..input()
        };
        assert!(!validate(&off).unwrap().active);
    }

    #[test]
    fn each_field_is_checked() {
        let bad = ItemInput {
            title: "  ".into(),
            description: "x".repeat(2001),
            days_before_start: "-1".into(),
            position: "first".into(),
            active: None,
        };
        let e = validate(&bad).unwrap_err();
        assert_eq!(
            e.keys().collect::<Vec<_>>(),
            ["days_before_start", "description", "position", "title"]
        );
        let far = ItemInput {
            days_before_start: "91".into(),
            ..input()
        };
        assert!(validate(&far)
            .unwrap_err()
            .contains_key("days_before_start"));
    }
}
