//! What makes a core value acceptable.

use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// A core value as typed into the admin form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ValueInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// One question per line.
    #[serde(default)]
    pub sample_questions: String,
    /// A ticked checkbox sends a value; an unticked one sends nothing.
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub position: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidValue {
    pub name: String,
    pub description: String,
    pub sample_questions: String,
    pub active: bool,
    pub position: i64,
}

pub fn validate(input: &ValueInput) -> Result<ValidValue, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.insert("name".into(), "Name the value.".into());
    } else if name.chars().count() > 120 {
        errors.insert("name".into(), "Keep the name under 120 characters.".into());
    }
    let description = input.description.trim();
    if description.is_empty() {
        errors.insert(
            "description".into(),
            "Describe in a sentence or two what living this value looks like.".into(),
        );
    } else if description.chars().count() > 2000 {
        errors.insert(
            "description".into(),
            "Keep the description under 2,000 characters.".into(),
        );
    }
    let questions: Vec<&str> = input
        .sample_questions
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if questions.len() > 10 || questions.iter().any(|q| q.chars().count() > 500) {
        errors.insert(
            "sample_questions".into(),
            "Give at most 10 questions of up to 500 characters, one per line.".into(),
        );
    }
    let position = input
        .position
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=1000).contains(p));
    if position.is_none() {
        errors.insert(
            "position".into(),
            "Give the position as a whole number from 1 to 1000.".into(),
        );
    }
    match position {
        Some(position) if errors.is_empty() => Ok(ValidValue {
            name: name.to_string(),
            description: description.to_string(),
            sample_questions: questions.join("\n"),
            active: input.active.is_some(),
            position,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_trimmed_and_questions_are_one_per_line() {
        let v = validate(&ValueInput {
            name: " Be Humble ".into(),
            description: "Modest.".into(),
            sample_questions: "  First?\r\n\n Second? ".into(),
            active: Some("on".into()),
            position: "3".into(),
        })
        .unwrap();
        assert_eq!(v.name, "Be Humble");
        assert_eq!(v.sample_questions, "First?\nSecond?");
        assert!(v.active);
        assert_eq!(v.position, 3);
    }

    #[test]
    fn missing_fields_are_named() {
        let errors = validate(&ValueInput {
            position: "zero".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["description", "name", "position"]);
    }
}
