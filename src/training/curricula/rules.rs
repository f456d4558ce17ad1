//! What makes a curriculum template acceptable: its numbers and its modules, each module
//! on a day the template has.

use crate::error::FieldErrors;
use crate::hiring::jobs::rules::text_or_number;
use crate::training::rules::ModuleKind;
use serde::{Deserialize, Serialize};

pub const MAX_WEEKS: i64 = 12;
pub const MAX_MODULES: usize = 200;

/// One module as typed: a row of the template form or an item of the API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ModuleInput {
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub week: String,
    /// Day of the week, 1 to the template's days per week.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub day: String,
    /// Order within the day; blank puts it last.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i64>)]
    pub position: String,
    #[serde(default)]
    pub title: String,
    /// classroom, shadowing, phones or graduation.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// 0-100 when the module has an assessment; blank for none.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<i64>)]
    pub pass_mark: String,
}

/// A template as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CurriculumInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub weeks: String,
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub days_per_week: String,
    /// Hours of live calls a trainee must log; halves and quarters allowed (37.5).
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = f64)]
    pub live_call_target_hours: String,
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub max_unexcused_absences: String,
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub max_lates: String,
    /// Paid minutes in an attended training day.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = i64)]
    pub day_minutes: String,
    /// The full list: modules left out of an edit are removed.
    #[serde(default)]
    pub modules: Vec<ModuleInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidModule {
    pub week: i64,
    pub day: i64,
    pub position: i64,
    pub title: String,
    pub kind: ModuleKind,
    pub description: String,
    pub pass_mark: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidCurriculum {
    pub name: String,
    pub description: String,
    pub weeks: i64,
    pub days_per_week: i64,
    pub live_call_target_minutes: i64,
    pub max_unexcused_absences: i64,
    pub max_lates: i64,
    pub day_minutes: i64,
    /// In teaching order, positions renumbered 1, 2, 3... within each day.
    pub modules: Vec<ValidModule>,
}

/// The form's key for a module row's message.
pub fn module_field(i: usize) -> String {
    format!("module_{i}")
}

/// Minutes as hours for the form: "40", "37.5".
pub fn hours_text(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{}", minutes as f64 / 60.0)
    }
}

fn whole(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.insert(
                field.into(),
                format!(
                    "{what} is a whole number from {} to {}.",
                    range.start(),
                    range.end()
                ),
            );
            0
        }
    }
}

pub fn validate(input: &CurriculumInput) -> Result<ValidCurriculum, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.insert("name".into(), "Give the template a name.".into());
    } else if name.chars().count() > 200 {
        errors.insert("name".into(), "Keep the name under 200 characters.".into());
    }
    let description = input.description.trim().to_string();
    if description.chars().count() > 10_000 {
        errors.insert(
            "description".into(),
            "Keep the description under 10,000 characters.".into(),
        );
    }
    let weeks = whole(&mut errors, "weeks", &input.weeks, 1..=MAX_WEEKS, "Weeks");
    let days_per_week = whole(
        &mut errors,
        "days_per_week",
        &input.days_per_week,
        1..=5,
        "Days per week",
    );
    let live_call_target_minutes = match input.live_call_target_hours.trim().parse::<f64>() {
        Ok(h) if (0.0..=500.0).contains(&h) && (h * 4.0).fract() == 0.0 => (h * 60.0) as i64,
        _ => {
            errors.insert(
                "live_call_target_hours".into(),
                "Give the live-call target in hours from 0 to 500, in quarter hours (40, 37.5)."
                    .into(),
            );
            0
        }
    };
    let max_unexcused_absences = whole(
        &mut errors,
        "max_unexcused_absences",
        &input.max_unexcused_absences,
        0..=60,
        "Unexcused absences allowed",
    );
    let max_lates = whole(
        &mut errors,
        "max_lates",
        &input.max_lates,
        0..=60,
        "Lates allowed",
    );
    let day_minutes = whole(
        &mut errors,
        "day_minutes",
        &input.day_minutes,
        1..=720,
        "Paid minutes per day",
    );
    let mut rows = vec![];
    for (i, m) in input.modules.iter().enumerate() {
        let (title, description) = (m.title.trim(), m.description.trim());
        if title.is_empty() && description.is_empty() {
            continue; // a blank row of the form
        }
        let mut problem = |message: String| {
            errors.insert(module_field(i), message);
        };
        if title.is_empty() {
            problem("Give the module a title.".into());
            continue;
        }
        if title.chars().count() > 200 || description.chars().count() > 2000 {
            problem("Keep the title under 200 and the description under 2,000 characters.".into());
            continue;
        }
        let (Ok(week), Ok(day)) = (m.week.trim().parse::<i64>(), m.day.trim().parse::<i64>())
        else {
            problem("Give the week and the day as whole numbers.".into());
            continue;
        };
        // Checked against the template's size only when that size is itself valid.
        if (weeks > 0 && !(1..=weeks).contains(&week))
            || (days_per_week > 0 && !(1..=days_per_week).contains(&day))
        {
            problem(format!(
                "Week {week}, day {day} is not in the template ({weeks} weeks of {days_per_week} days)."
            ));
            continue;
        }
        let Some(kind) = ModuleKind::parse(m.kind.trim()) else {
            problem("Choose what kind of module this is.".into());
            continue;
        };
        let pass_mark = match m.pass_mark.trim() {
            "" => None,
            p => match p.parse::<i64>() {
                Ok(p) if (0..=100).contains(&p) => Some(p),
                _ => {
                    problem("A pass mark is a whole number from 0 to 100, or blank.".into());
                    continue;
                }
            },
        };
        let position = match m.position.trim() {
            "" => i64::MAX,
            p => match p.parse::<i64>() {
                Ok(p) => p,
                Err(_) => {
                    problem("Give the position as a whole number, or leave it blank.".into());
                    continue;
                }
            },
        };
        rows.push((
            (week, day, position, i),
            ValidModule {
                week,
                day,
                position: 0,
                title: title.to_string(),
                kind,
                description: description.to_string(),
                pass_mark,
            },
        ));
    }
    if rows.len() > MAX_MODULES {
        errors.insert(
            "modules".into(),
            format!("A template holds at most {MAX_MODULES} modules."),
        );
    }
    if rows.is_empty() && !errors.keys().any(|k| k.starts_with("module_")) {
        errors.insert(
            "modules".into(),
            "A template needs at least one module.".into(),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    rows.sort_by_key(|r| r.0);
    let mut modules: Vec<ValidModule> = vec![];
    for (_, mut m) in rows {
        m.position = match modules.last() {
            Some(prev) if (prev.week, prev.day) == (m.week, m.day) => prev.position + 1,
            _ => 1,
        };
        modules.push(m);
    }
    Ok(ValidCurriculum {
        name,
        description,
        weeks,
        days_per_week,
        live_call_target_minutes,
        max_unexcused_absences,
        max_lates,
        day_minutes,
        modules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(week: &str, day: &str, position: &str, title: &str) -> ModuleInput {
        ModuleInput {
            week: week.into(),
            day: day.into(),
            position: position.into(),
            title: title.into(),
            kind: "classroom".into(),
            ..Default::default()
        }
    }

    fn template(modules: Vec<ModuleInput>) -> CurriculumInput {
        CurriculumInput {
            name: "Short course".into(),
            weeks: "2".into(),
            days_per_week: "5".into(),
            live_call_target_hours: "37.5".into(),
            max_unexcused_absences: "1".into(),
            max_lates: "2".into(),
            day_minutes: "480".into(),
            modules,
            ..Default::default()
        }
    }

    #[test]
    fn modules_are_ordered_by_day_and_renumbered_within_it() {
        let v = validate(&template(vec![
            module("2", "1", "", "Phones"),
            module("1", "1", "9", "History"),
            module("", "", "", ""),
            module("1", "1", "2", "Welcome"),
        ]))
        .unwrap();
        let order: Vec<(&str, i64, i64)> = v
            .modules
            .iter()
            .map(|m| (m.title.as_str(), m.day + (m.week - 1) * 5, m.position))
            .collect();
        assert_eq!(
            order,
            [("Welcome", 1, 1), ("History", 1, 2), ("Phones", 6, 1)]
        );
        assert_eq!(v.live_call_target_minutes, 2250);
        assert_eq!(hours_text(2250), "37.5");
        assert_eq!(hours_text(2400), "40");
    }

    #[test]
    fn a_module_outside_the_weeks_and_days_and_bad_numbers_are_named() {
        let mut bad_pass = module("1", "1", "", "Check");
        bad_pass.pass_mark = "101".into();
        let mut input = template(vec![
            module("3", "1", "", "Too late"),
            module("1", "6", "", "Saturday"),
            bad_pass,
            module("1", "1", "", ""),
        ]);
        input.modules[3].description = "no title".into();
        input.live_call_target_hours = "forty".into();
        input.days_per_week = "8".into();
        let errors = validate(&input).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "days_per_week",
                "live_call_target_hours",
                "module_0",
                "module_2",
                "module_3"
            ]
        );
        input.days_per_week = "5".into();
        let errors = validate(&input).unwrap_err();
        assert!(errors["module_1"].contains("not in the template"));
        assert!(validate(&template(vec![]))
            .unwrap_err()
            .contains_key("modules"));
    }
}
