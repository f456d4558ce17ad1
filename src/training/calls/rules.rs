//! Phone shifts decided without I/O: reading the times typed in the company's zone,
//! what a valid shift is, and progress toward the live-call hours target. There is no
//! handle-time figure anywhere, on purpose: service is not rushed.

use crate::error::FieldErrors;
use crate::hiring::interviews::rules::local_to_utc;
use crate::training::rules::hours;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub const MAX_SHIFT_MINUTES: i64 = 12 * 60;
pub const MAX_STORY: usize = 4000;
const MAX_CALLS: i64 = 1000;

/// A shift as typed on the form: times in the company's time zone.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ShiftInput {
    pub date: String,
    pub start: String,
    pub end: String,
    pub calls_taken: String,
    pub connections: String,
    pub wow_story: String,
}

/// A shift as the API takes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ShiftBody {
    /// `YYYY-MM-DD` in the company time zone.
    pub date: String,
    /// `HH:MM` (24 hours) in the company time zone.
    pub start: String,
    /// `HH:MM`, later the same day.
    pub end: String,
    pub calls_taken: i64,
    /// Personal emotional connections made; at most the calls taken.
    pub connections: i64,
    /// A WOW story from the shift, in free text.
    #[serde(default)]
    pub wow_story: String,
}

impl From<ShiftBody> for ShiftInput {
    fn from(b: ShiftBody) -> ShiftInput {
        ShiftInput {
            date: b.date,
            start: b.start,
            end: b.end,
            calls_taken: b.calls_taken.to_string(),
            connections: b.connections.to_string(),
            wow_story: b.wow_story,
        }
    }
}

/// A checked shift; times are UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidShift {
    pub started_at: NaiveDateTime,
    pub ended_at: NaiveDateTime,
    pub minutes: i64,
    pub calls_taken: i64,
    pub connections: i64,
    pub wow_story: String,
}

fn count(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    match text.trim().parse::<i64>() {
        Ok(n) if (0..=MAX_CALLS).contains(&n) => Some(n),
        _ => {
            errors.insert(
                field.into(),
                format!("Enter a whole number from 0 to {MAX_CALLS}."),
            );
            None
        }
    }
}

/// Checks a shift typed in `tz`. `first_day` is the date of the trainee's first
/// training day; a shift may not start before it nor end after `now`. Overlap with
/// other shifts needs the database: the service checks it.
pub fn validate(
    input: &ShiftInput,
    tz: Tz,
    now: NaiveDateTime,
    first_day: NaiveDate,
) -> Result<ValidShift, FieldErrors> {
    let mut errors = FieldErrors::new();
    let at = |time: &str, field: &str, errors: &mut FieldErrors| {
        local_to_utc(&input.date, time, tz)
            .map_err(|(f, message)| {
                let f = if f == "time" { field.to_string() } else { f };
                errors.insert(f, message);
            })
            .ok()
    };
    let start = at(&input.start, "start", &mut errors);
    let end = at(&input.end, "end", &mut errors);
    if let (Some(start), Some(end)) = (start, end) {
        let minutes = (end - start).num_minutes();
        if minutes <= 0 {
            errors.insert("end".into(), "The shift must end after it starts.".into());
        } else if minutes > MAX_SHIFT_MINUTES {
            errors.insert("end".into(), "A shift is at most 12 hours.".into());
        } else if end > now {
            errors.insert(
                "end".into(),
                "This shift has not ended yet: log it once it is over.".into(),
            );
        }
        if tz.from_utc_datetime(&start).date_naive() < first_day {
            errors.insert(
                "date".into(),
                format!(
                    "That is before the trainee's first training day ({}).",
                    first_day.format("%a %-d %b %Y")
                ),
            );
        }
    }
    let calls = count(&input.calls_taken, "calls_taken", &mut errors);
    let connections = count(&input.connections, "connections", &mut errors);
    if let (Some(c), Some(p)) = (calls, connections) {
        if p > c {
            errors.insert(
                "connections".into(),
                "Cannot be more than the calls taken.".into(),
            );
        }
    }
    let wow_story = input.wow_story.trim().to_string();
    if wow_story.chars().count() > MAX_STORY {
        errors.insert(
            "wow_story".into(),
            format!("Keep the story under {MAX_STORY} characters."),
        );
    }
    match (start, end, calls, connections) {
        (Some(started_at), Some(ended_at), Some(calls_taken), Some(connections))
            if errors.is_empty() =>
        {
            Ok(ValidShift {
                started_at,
                ended_at,
                minutes: (ended_at - started_at).num_minutes(),
                calls_taken,
                connections,
                wow_story,
            })
        }
        _ => Err(errors),
    }
}

/// Live-call hours against the cohort's target, for a progress bar.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HoursProgress {
    pub minutes: i64,
    pub target_minutes: i64,
    /// e.g. "12 h 30 min".
    pub done: String,
    /// e.g. "40 h".
    pub target: String,
    /// 0-100.
    pub percent: i64,
}

pub fn progress(minutes: i64, target_minutes: i64) -> HoursProgress {
    let percent = if target_minutes > 0 {
        (minutes * 100 / target_minutes).clamp(0, 100)
    } else {
        100
    };
    HoursProgress {
        minutes,
        target_minutes,
        done: hours(minutes),
        target: hours(target_minutes),
        percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(date: &str, start: &str, end: &str, calls: &str, conn: &str) -> ShiftInput {
        ShiftInput {
            date: date.into(),
            start: start.into(),
            end: end.into(),
            calls_taken: calls.into(),
            connections: conn.into(),
            wow_story: "  Sent flowers to a customer whose dog died.  ".into(),
        }
    }

    #[test]
    fn a_shift_is_read_in_the_company_zone() {
        let tz: Tz = "America/Los_Angeles".parse().unwrap();
        let now = d("2026-12-10").and_hms_opt(12, 0, 0).unwrap();
        let v = validate(
            &input("2026-12-09", "09:00", "13:30", "14", "5"),
            tz,
            now,
            d("2026-12-01"),
        )
        .unwrap();
        assert_eq!(v.started_at, d("2026-12-09").and_hms_opt(17, 0, 0).unwrap());
        assert_eq!(v.minutes, 270);
        assert_eq!(v.wow_story, "Sent flowers to a customer whose dog died.");
    }

    #[test]
    fn bad_shifts_say_what_is_wrong() {
        let tz = chrono_tz::UTC;
        let now = d("2026-12-10").and_hms_opt(12, 0, 0).unwrap();
        let first = d("2026-12-01");
        let e = validate(
            &input("2026-12-09", "13:00", "09:00", "3", "4"),
            tz,
            now,
            first,
        )
        .unwrap_err();
        assert_eq!(e["end"], "The shift must end after it starts.");
        assert_eq!(e["connections"], "Cannot be more than the calls taken.");
        let e = validate(
            &input("2026-12-09", "06:00", "19:00", "3", "1"),
            tz,
            now,
            first,
        )
        .unwrap_err();
        assert_eq!(e["end"], "A shift is at most 12 hours.");
        let e = validate(
            &input("2026-12-10", "09:00", "13:00", "3", "1"),
            tz,
            now,
            first,
        )
        .unwrap_err();
        assert!(e["end"].contains("not ended yet"));
        let e = validate(
            &input("2026-11-30", "09:00", "13:00", "3", "1"),
            tz,
            now,
            first,
        )
        .unwrap_err();
        assert!(e["date"].contains("first training day"));
        let e = validate(&input("yesterday", "9", "13:00", "x", "1"), tz, now, first).unwrap_err();
        assert!(e.contains_key("date") && e.contains_key("calls_taken"));
    }

    #[test]
    fn progress_is_capped_at_the_target() {
        let p = progress(750, 2400);
        assert_eq!(
            (p.done.as_str(), p.target.as_str(), p.percent),
            ("12 h 30 min", "40 h", 31)
        );
        assert_eq!(progress(3000, 2400).percent, 100);
        // No target: nothing left to do.
        assert_eq!(progress(10, 0).percent, 100);
    }
}
