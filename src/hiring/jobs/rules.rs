//! What makes a job acceptable: its fields and its technical competencies.

use crate::db::ids::{CompetencyId, UserId};
use crate::error::FieldErrors;
use crate::hiring::rules::JobStatus;
use serde::{Deserialize, Deserializer, Serialize};

/// A number from JSON or the text of a form field, kept as typed.
pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(i64),
        Nothing(()),
    }
    Ok(match Either::deserialize(d)? {
        Either::Text(s) => s,
        Either::Number(n) => n.to_string(),
        Either::Nothing(()) => String::new(),
    })
}

/// One technical competency as typed: a row of the job form or an item of the API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CompetencyInput {
    /// The id of an existing competency of this job; absent for a new one.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub id: Option<CompetencyId>,
    #[serde(default)]
    pub name: String,
    /// What good looks like: the behaviour a strong answer shows.
    #[serde(default)]
    pub good_looks_like: String,
    /// Order on the scorecard; rows are renumbered 1, 2, 3... in this order.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i64>)]
    pub position: String,
}

/// A job as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct JobInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub description: String,
    /// A user id; blank for none.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i64>)]
    pub hiring_manager_id: String,
    /// open, on_hold or closed.
    #[serde(default)]
    pub status: String,
    /// The full list: rows left out of an edit are removed.
    #[serde(default)]
    pub competencies: Vec<CompetencyInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidCompetency {
    pub id: Option<CompetencyId>,
    pub name: String,
    pub good_looks_like: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidJob {
    pub title: String,
    pub department: String,
    pub location: String,
    pub description: String,
    pub hiring_manager_id: Option<UserId>,
    pub status: JobStatus,
    pub competencies: Vec<ValidCompetency>,
}

/// The form's key for a competency row's message.
pub fn competency_field(i: usize) -> String {
    format!("competency_{i}")
}

pub fn validate(input: &JobInput) -> Result<ValidJob, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut required = |field: &str, value: &str, max: usize, message: &str| {
        let v = value.trim();
        if v.is_empty() {
            errors.insert(field.into(), message.into());
        } else if v.chars().count() > max {
            errors.insert(field.into(), format!("Keep this under {max} characters."));
        }
        v.to_string()
    };
    let title = required("title", &input.title, 200, "Give the job a title.");
    let department = required("department", &input.department, 200, "Name the department.");
    let location = required("location", &input.location, 200, "Say where the job is.");
    let description = input.description.trim().to_string();
    if description.len() > 100_000 {
        errors.insert(
            "description".into(),
            "Keep the description under 100,000 characters.".into(),
        );
    }
    let hiring_manager_id = match input.hiring_manager_id.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) => Some(UserId(id)),
            Err(_) => {
                errors.insert(
                    "hiring_manager_id".into(),
                    "Choose the hiring manager from the list.".into(),
                );
                None
            }
        },
    };
    let status = JobStatus::parse(input.status.trim());
    if status.is_none() {
        errors.insert("status".into(), "Choose open, on hold or closed.".into());
    }
    let mut rows = vec![];
    for (i, c) in input.competencies.iter().enumerate() {
        let (name, good) = (c.name.trim(), c.good_looks_like.trim());
        if name.is_empty() && good.is_empty() {
            continue; // a blank row of the form; a listed id without text is removed
        }
        if name.is_empty() || good.is_empty() {
            errors.insert(
                competency_field(i),
                "Give both the competency's name and what good looks like.".into(),
            );
            continue;
        }
        if name.chars().count() > 200 || good.chars().count() > 2000 {
            errors.insert(
                competency_field(i),
                "Keep the name under 200 and the description under 2,000 characters.".into(),
            );
            continue;
        }
        let position = match c.position.trim() {
            "" => i64::MAX,
            p => match p.parse::<i64>() {
                Ok(p) => p,
                Err(_) => {
                    errors.insert(
                        competency_field(i),
                        "Give the position as a whole number.".into(),
                    );
                    continue;
                }
            },
        };
        rows.push((position, i, c.id, name.to_string(), good.to_string()));
    }
    if rows.len() > 30 {
        errors.insert(
            "competencies".into(),
            "A scorecard of more than 30 competencies is too long to use.".into(),
        );
    }
    let mut names: Vec<String> = rows.iter().map(|r| r.3.to_lowercase()).collect();
    names.sort();
    if names.windows(2).any(|w| w[0] == w[1]) {
        errors.insert(
            "competencies".into(),
            "Each competency needs its own name.".into(),
        );
    }
    if status == Some(JobStatus::Open)
        && rows.is_empty()
        && !errors.keys().any(|k| k.starts_with("competency_"))
    {
        errors.insert(
            "competencies".into(),
            "An open job needs at least one competency for the technical interview to score."
                .into(),
        );
    }
    match status {
        Some(status) if errors.is_empty() => {
            rows.sort_by_key(|r| (r.0, r.1));
            let competencies = rows
                .into_iter()
                .enumerate()
                .map(|(n, (_, _, id, name, good_looks_like))| ValidCompetency {
                    id,
                    name,
                    good_looks_like,
                    position: n as i64 + 1,
                })
                .collect();
            Ok(ValidJob {
                title,
                department,
                location,
                description,
                hiring_manager_id,
                status,
                competencies,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(name: &str, good: &str, position: &str) -> CompetencyInput {
        CompetencyInput {
            id: None,
            name: name.into(),
            good_looks_like: good.into(),
            position: position.into(),
        }
    }

    fn job(status: &str, competencies: Vec<CompetencyInput>) -> JobInput {
        JobInput {
            title: "Support agent".into(),
            department: "Customer Loyalty".into(),
            location: "Las Vegas".into(),
            status: status.into(),
            competencies,
            ..Default::default()
        }
    }

    #[test]
    fn competencies_are_ordered_by_position_and_blank_rows_skipped() {
        let v = validate(&job(
            "open",
            vec![
                comp("Typing", "Fast", "5"),
                comp("", "", ""),
                comp("Empathy", "Listens", "1"),
                comp("Tools", "Knows them", ""),
            ],
        ))
        .unwrap();
        let names: Vec<(&str, i64)> = v
            .competencies
            .iter()
            .map(|c| (c.name.as_str(), c.position))
            .collect();
        assert_eq!(names, [("Empathy", 1), ("Typing", 2), ("Tools", 3)]);
    }

    #[test]
    fn an_open_job_needs_a_competency_but_a_closed_one_does_not() {
        let errors = validate(&job("open", vec![comp("", "", "")])).unwrap_err();
        assert!(errors.contains_key("competencies"));
        assert!(validate(&job("on_hold", vec![])).is_ok());
    }

    #[test]
    fn half_filled_rows_and_bad_fields_are_named() {
        let mut input = job(
            "someday",
            vec![comp("Typing", "", "1"), comp("A", "b", "x")],
        );
        input.title = " ".into();
        input.hiring_manager_id = "bob".into();
        let errors = validate(&input).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "competency_0",
                "competency_1",
                "hiring_manager_id",
                "status",
                "title"
            ]
        );
    }

    #[test]
    fn api_bodies_may_send_numbers() {
        let input: JobInput = serde_json::from_value(serde_json::json!({
            "title": "T", "department": "D", "location": "L", "status": "open",
            "hiring_manager_id": 7,
            "competencies": [{"name": "N", "good_looks_like": "G", "position": 2}]
        }))
        .unwrap();
        let v = validate(&input).unwrap();
        assert_eq!(v.hiring_manager_id, Some(UserId(7)));
        assert_eq!(v.competencies[0].position, 1);
    }
}
