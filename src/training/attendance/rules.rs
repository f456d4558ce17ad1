//! Taking a day's attendance, decided without I/O: which day a page opens on, what a
//! valid day of marks is, and which rows a save inserts, updates or leaves alone.

use crate::db::ids::EnrolmentId;
use crate::error::FieldErrors;
use crate::training::rules::{AttendanceStatus, Tally};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub const MAX_NOTE: usize = 200;

/// The day the attendance page opens on: today's training day, else the latest past
/// one, else day 1 (a cohort that has not started).
pub fn default_day(days: &[NaiveDate], today: NaiveDate) -> i64 {
    days.iter()
        .rposition(|d| *d <= today)
        .map_or(1, |i| i as i64 + 1)
}

/// The date of training day `day` (1-based), if the cohort has it.
pub fn date_of(days: &[NaiveDate], day: i64) -> Option<NaiveDate> {
    usize::try_from(day - 1)
        .ok()
        .and_then(|i| days.get(i).copied())
}

/// One trainee's mark as sent. `status` empty means "not marked" (the row is skipped).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MarkInput {
    pub enrolment_id: EnrolmentId,
    /// present, late, excused or absent.
    #[serde(default)]
    pub status: String,
    /// An optional short note ("doctor's appointment").
    #[serde(default)]
    pub note: String,
}

/// Gives every row without a status this one: "mark everyone present".
pub fn fill_unmarked(marks: &mut [MarkInput], status: AttendanceStatus) {
    for m in marks.iter_mut().filter(|m| m.status.trim().is_empty()) {
        m.status = status.as_str().into();
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMark {
    pub enrolment_id: EnrolmentId,
    pub status: AttendanceStatus,
    pub note: String,
}

/// The field a trainee's row reports its error under.
pub fn row_field(id: EnrolmentId) -> String {
    format!("mark_{id}")
}

/// Checks a day of marks. `day_date` is None when the cohort has no such day;
/// `first_days` are the active trainees of the cohort with the day they joined on.
pub fn validate(
    marks: &[MarkInput],
    day: i64,
    day_date: Option<NaiveDate>,
    today: NaiveDate,
    first_days: &HashMap<EnrolmentId, i64>,
) -> Result<Vec<ValidMark>, FieldErrors> {
    let mut errors = FieldErrors::new();
    match day_date {
        None => {
            errors.insert(
                "day".into(),
                format!("This cohort has no training day {day}."),
            );
        }
        Some(d) if d > today => {
            errors.insert(
                "day".into(),
                format!("Day {day} is {d}: attendance can only be taken once the day has come."),
            );
        }
        Some(_) => {}
    }
    let mut seen = HashMap::new();
    let mut valid = vec![];
    for m in marks.iter().filter(|m| !m.status.trim().is_empty()) {
        let field = row_field(m.enrolment_id);
        let Some(first_day) = first_days.get(&m.enrolment_id) else {
            errors.insert(
                field,
                "This person is not in training in this cohort.".into(),
            );
            continue;
        };
        if seen.insert(m.enrolment_id, ()).is_some() {
            errors.insert(field, "This trainee is marked twice.".into());
            continue;
        }
        if *first_day > day {
            errors.insert(
                field,
                format!("Joins on day {first_day}: cannot be marked before then."),
            );
            continue;
        }
        let Some(status) = AttendanceStatus::parse(m.status.trim()) else {
            errors.insert(field, "Choose present, late, excused or absent.".into());
            continue;
        };
        let note = m.note.trim();
        if note.chars().count() > MAX_NOTE {
            errors.insert(field, format!("Keep the note under {MAX_NOTE} characters."));
            continue;
        }
        valid.push(ValidMark {
            enrolment_id: m.enrolment_id,
            status,
            note: note.to_string(),
        });
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// A mark as stored: (status, note).
pub type Stored = (AttendanceStatus, String);

/// What saving a day writes: new rows, changed rows grouped by their new (status, note)
/// so each group is one UPDATE, and every change with its before and after.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub inserts: Vec<ValidMark>,
    pub updates: BTreeMap<Stored, Vec<EnrolmentId>>,
    pub changes: Vec<(EnrolmentId, Option<Stored>, Stored)>,
}

/// Compares the marks sent with those already stored for the day; unchanged rows are
/// left alone.
pub fn plan(existing: &HashMap<EnrolmentId, Stored>, marks: Vec<ValidMark>) -> Plan {
    let mut p = Plan::default();
    for m in marks {
        let after = (m.status, m.note.clone());
        match existing.get(&m.enrolment_id) {
            Some(before) if *before == after => {}
            Some(before) => {
                p.updates
                    .entry(after.clone())
                    .or_default()
                    .push(m.enrolment_id);
                p.changes
                    .push((m.enrolment_id, Some(before.clone()), after));
            }
            None => {
                p.changes.push((m.enrolment_id, None, after));
                p.inserts.push(m);
            }
        }
    }
    p
}

impl Plan {
    /// What the save adds to the trainees' tallies: the enrolments grouped by the change
    /// to theirs (a new mark counts up; a changed status moves a day from one count to
    /// another), so each group is one UPDATE. A new note alone changes no tally.
    pub fn tally_changes(&self) -> BTreeMap<Tally, Vec<EnrolmentId>> {
        let mut out: BTreeMap<Tally, Vec<EnrolmentId>> = BTreeMap::new();
        for (id, before, after) in &self.changes {
            let mut delta = Tally::default();
            if let Some((old, _)) = before {
                delta.add(*old, -1);
            }
            delta.add(after.0, 1);
            if delta != Tally::default() {
                out.entry(delta).or_default().push(*id);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn mark(id: i64, status: &str) -> MarkInput {
        MarkInput {
            enrolment_id: EnrolmentId(id),
            status: status.into(),
            note: String::new(),
        }
    }

    #[test]
    fn the_page_opens_on_today_or_the_last_past_day() {
        let days = [d("2026-11-23"), d("2026-11-24"), d("2026-11-25")];
        assert_eq!(default_day(&days, d("2026-11-24")), 2);
        assert_eq!(default_day(&days, d("2026-11-29")), 3);
        assert_eq!(default_day(&days, d("2026-11-01")), 1);
    }

    #[test]
    fn late_joiners_future_days_and_strangers_are_refused() {
        let first: HashMap<_, _> = [(EnrolmentId(1), 1), (EnrolmentId(2), 4)].into();
        let today = d("2026-11-25");
        let marks = [mark(1, "present"), mark(2, "late"), mark(3, "absent")];
        let e = validate(&marks, 3, Some(d("2026-11-25")), today, &first).unwrap_err();
        assert!(e["mark_2"].contains("day 4"));
        assert!(e.contains_key("mark_3"));
        assert!(!e.contains_key("mark_1"));
        let e = validate(
            &[mark(1, "present")],
            4,
            Some(d("2026-11-26")),
            today,
            &first,
        )
        .unwrap_err();
        assert!(e.contains_key("day"));
        let e = validate(&[mark(1, "asleep")], 3, Some(today), today, &first).unwrap_err();
        assert!(e.contains_key("mark_1"));
        assert!(validate(&[], 21, None, today, &first).is_err());
    }

    #[test]
    fn everyone_unmarked_becomes_present() {
        let mut marks = [mark(1, ""), mark(2, "late")];
        fill_unmarked(&mut marks, Present);
        assert_eq!(marks[0].status, "present");
        assert_eq!(marks[1].status, "late");
    }

    #[test]
    fn a_save_inserts_new_updates_changed_and_skips_the_same() {
        let existing: HashMap<_, _> = [
            (EnrolmentId(1), (Present, String::new())),
            (EnrolmentId(2), (Present, String::new())),
            (EnrolmentId(3), (Late, String::new())),
        ]
        .into();
        let v = |id, status| ValidMark {
            enrolment_id: EnrolmentId(id),
            status,
            note: String::new(),
        };
        let p = plan(
            &existing,
            vec![v(1, Present), v(2, Absent), v(3, Absent), v(4, Excused)],
        );
        assert_eq!(p.inserts, vec![v(4, Excused)]);
        assert_eq!(
            p.updates,
            BTreeMap::from([(
                (Absent, String::new()),
                vec![EnrolmentId(2), EnrolmentId(3)]
            )])
        );
        assert_eq!(p.changes.len(), 3);
    }

    #[test]
    fn a_save_moves_each_changed_day_between_the_counts() {
        let stored = |status, note: &str| (status, note.to_string());
        let existing: HashMap<_, _> = [
            (EnrolmentId(1), stored(Present, "")),
            (EnrolmentId(2), stored(Late, "")),
            (EnrolmentId(3), stored(Late, "")),
        ]
        .into();
        let valid = |id, status| ValidMark {
            enrolment_id: EnrolmentId(id),
            status,
            note: String::new(),
        };
        let mut noted = valid(1, Present);
        noted.note = "bus was late".into();
        let p = plan(
            &existing,
            vec![noted, valid(2, Absent), valid(3, Absent), valid(4, Present)],
        );
        let late_to_absent = Tally {
            late: -1,
            absent: 1,
            ..Tally::default()
        };
        let new_present = Tally {
            present: 1,
            ..Tally::default()
        };
        let changes = p.tally_changes();
        assert_eq!(
            changes.len(),
            2,
            "a new note alone counts nothing: {changes:?}"
        );
        assert_eq!(changes[&late_to_absent], [EnrolmentId(2), EnrolmentId(3)]);
        assert_eq!(changes[&new_present], [EnrolmentId(4)]);
    }
}
