//! What a cohort form must hold, and the cohort list's query with its keyset cursor.

use crate::db::ids::{CurriculumId, UserId};
use crate::error::FieldErrors;
use crate::training::rules::CohortStatus;
use crate::web::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
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

/// The cohort list's query string, shared by the page and the API. Text throughout, so
/// a blank form field means "no filter".
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// planned, running or graduated.
    pub status: Option<String>,
    /// Name prefix, case-insensitive.
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// Where the previous page ended: its last row's start date and id (the list runs by
/// start date, newest first, then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub start_date: NaiveDate,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.start_date.format("%Y-%m-%d"), self.id)
    }

    pub fn decode(raw: &str) -> Option<Cursor> {
        let (date, id) = raw.split_once('_')?;
        Some(Cursor {
            start_date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// A checked list query.
#[derive(Debug, Clone, PartialEq)]
pub struct ListFilter {
    pub status: Option<CohortStatus>,
    /// Lower-cased name prefix.
    pub prefix: Option<String>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ListQuery {
    pub fn check(&self) -> Result<ListFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = given(&self.status).and_then(|s| {
            let parsed = CohortStatus::parse(s);
            if parsed.is_none() {
                errors.insert(
                    "status".into(),
                    "Choose planned, running or graduated.".into(),
                );
            }
            parsed
        });
        let cursor = given(&self.cursor).and_then(|c| {
            let parsed = Cursor::decode(c);
            if parsed.is_none() {
                errors.insert(
                    "cursor".into(),
                    "This page link is out of date; start from the first page.".into(),
                );
            }
            parsed
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListFilter {
            status,
            prefix: given(&self.q).map(str::to_lowercase),
            cursor,
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        })
    }

    /// The filters as a query string (no cursor, no limit), for links that keep them.
    pub fn filters_query(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("status", &self.status), ("q", &self.q)] {
            if let Some(v) = given(v) {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_named() {
        let c = Cursor {
            start_date: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            id: 42,
        };
        assert_eq!(c.encode(), "2027-03-01_42");
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("2027-03-01"), None);
        assert_eq!(Cursor::decode("yesterday_4"), None);
        let q = ListQuery {
            status: Some("someday".into()),
            cursor: Some("x".into()),
            ..Default::default()
        };
        let fields: Vec<String> = q.check().unwrap_err().into_keys().collect();
        assert_eq!(fields, ["cursor", "status"]);
        let q = ListQuery {
            status: Some(" ".into()),
            q: Some(" Class 1".into()),
            limit: Some(5000),
            ..Default::default()
        };
        let f = q.check().unwrap();
        assert_eq!(
            (f.status, f.prefix.as_deref(), f.limit),
            (None, Some("class 1"), MAX_LIMIT)
        );
        assert_eq!(q.filters_query(), "q=Class+1");
    }

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
