//! What a cohort form must hold.

use crate::db::ids::{CurriculumId, UserId};
use crate::error::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The largest class a cohort may be given (the benchmark roster is 200).
pub const MAX_CAPACITY: i64 = 500;

/// A cohort as typed; the API takes the same fields.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CohortInput {
    /// A number or a name, e.g. "Class 160".
    #[serde(default)]
    pub name: String,
    /// YYYY-MM-DD. Training days start on the first working day on or after it.
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub capacity: String,
    /// The template to copy; the seeded default when empty.
    #[serde(default)]
    pub curriculum_id: Option<CurriculumId>,
    #[serde(default)]
    pub trainer_ids: Vec<UserId>,
}

#[derive(Debug, Clone)]
pub struct ValidCohort {
    pub name: String,
    pub start_date: NaiveDate,
    pub capacity: i64,
    pub curriculum_id: Option<CurriculumId>,
    pub trainer_ids: Vec<UserId>,
}

pub fn validate(input: &CohortInput) -> Result<ValidCohort, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.insert(
            "name".into(),
            "Give the cohort a number or a name, like Class 160.".into(),
        );
    } else if name.chars().count() > 100 {
        errors.insert("name".into(), "Keep the name under 100 characters.".into());
    }
    let start_date = NaiveDate::parse_from_str(input.start_date.trim(), "%Y-%m-%d");
    if start_date.is_err() {
        errors.insert(
            "start_date".into(),
            "Type the start date as YYYY-MM-DD, like 2027-03-01.".into(),
        );
    }
    let capacity = input.capacity.trim().parse::<i64>();
    match capacity {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => {}
        _ => {
            errors.insert(
                "capacity".into(),
                format!("Capacity is a whole number of trainees from 1 to {MAX_CAPACITY}."),
            );
        }
    }
    let mut trainer_ids = input.trainer_ids.clone();
    trainer_ids.sort();
    trainer_ids.dedup();
    if trainer_ids.is_empty() {
        errors.insert("trainer_ids".into(), "Choose at least one trainer.".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidCohort {
        name,
        start_date: start_date.expect("checked"),
        capacity: capacity.expect("checked"),
        curriculum_id: input.curriculum_id,
        trainer_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_checked_at_once() {
        let e = validate(&CohortInput {
            capacity: "0".into(),
            start_date: "next monday".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            fields,
            vec!["capacity", "name", "start_date", "trainer_ids"]
        );
        let ok = validate(&CohortInput {
            name: " Class 160 ".into(),
            start_date: "2027-01-04".into(),
            capacity: "24".into(),
            curriculum_id: None,
            trainer_ids: vec![UserId(3), UserId(2), UserId(3)],
        })
        .unwrap();
        assert_eq!(ok.name, "Class 160");
        assert_eq!(ok.trainer_ids, vec![UserId(2), UserId(3)]);
    }
}
