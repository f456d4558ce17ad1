//! The training vocabulary and its pure decisions: how a cohort's days are laid out, the
//! attendance rule, and what graduation asks of each trainee. No I/O; unit-tested here.

use crate::text_enum;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use serde::Serialize;
use std::collections::HashSet;

text_enum! {
    /// A trainee's mark for one training day. Absent means unexcused.
    AttendanceStatus {
        Present => ("present", "Present"),
        Late => ("late", "Late"),
        Excused => ("excused", "Excused"),
        Absent => ("absent", "Absent"),
    }
}

impl AttendanceStatus {
    /// The key that marks a row on the attendance sheet: the label's first letter.
    pub fn key(self) -> &'static str {
        &self.label()[..1]
    }
}

text_enum! {
    /// Where an enrolment stands. Only active enrolments are on a cohort's roster.
    EnrolmentStatus {
        Active => ("active", "In training"),
        Graduated => ("graduated", "Graduated"),
        Moved => ("moved", "Moved to another cohort"),
        LetGo => ("let_go", "Let go"),
        LeftWithOffer => ("left_with_offer", "Left with the offer"),
    }
}

text_enum! {
    /// What a curriculum module is: the first two weeks are classroom and shadowing,
    /// the last two live calls, ending in graduation.
    ModuleKind {
        Classroom => ("classroom", "Classroom"),
        Shadowing => ("shadowing", "Shadowing"),
        Phones => ("phones", "Live calls"),
        Graduation => ("graduation", "Graduation"),
    }
}

text_enum! {
    /// A cohort's status, derived from its dates (see `cohort_status`), never stored.
    CohortStatus {
        Planned => ("planned", "Planned"),
        Running => ("running", "Running"),
        Graduated => ("graduated", "Graduated"),
    }
}

/// Graduated once the trainer closes the class; otherwise running from the start date.
pub fn cohort_status(
    start_date: NaiveDate,
    graduated_at: Option<NaiveDateTime>,
    today: NaiveDate,
) -> CohortStatus {
    match graduated_at {
        Some(_) => CohortStatus::Graduated,
        None if today >= start_date => CohortStatus::Running,
        None => CohortStatus::Planned,
    }
}

pub fn is_working_day(date: NaiveDate, holidays: &HashSet<NaiveDate>) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&date)
}

/// The dates of a cohort's `count` training days: the first working day on or after
/// `start`, then each following working day (weekends and company holidays skipped).
pub fn lay_out_days(
    start: NaiveDate,
    count: usize,
    holidays: &HashSet<NaiveDate>,
) -> Vec<NaiveDate> {
    start
        .iter_days()
        .filter(|d| is_working_day(*d, holidays))
        .take(count)
        .collect()
}

/// A cohort's days as kept on its row: ISO dates joined by commas, in day order.
pub fn days_text(days: &[NaiveDate]) -> String {
    let dates: Vec<String> = days
        .iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    dates.join(",")
}

/// The days `days_text` wrote; None when the text is not such a list.
pub fn parse_days_text(text: &str) -> Option<Vec<NaiveDate>> {
    if text.is_empty() {
        return Some(vec![]);
    }
    // By hand: chrono's format parser cost more than the statement this replaces.
    let number = |s: &str| s.parse::<u32>().ok();
    text.split(',')
        .map(|d| {
            match (
                d.get(0..4),
                d.get(4..5),
                d.get(5..7),
                d.get(7..8),
                d.get(8..),
            ) {
                (Some(y), Some("-"), Some(m), Some("-"), Some(day)) if day.len() == 2 => {
                    NaiveDate::from_ymd_opt(number(y)? as i32, number(m)?, number(day)?)
                }
                _ => None,
            }
        })
        .collect()
}

/// The day number (1-based) a trainee joining on `joining` starts on: the first training
/// day on or after that date. None when the cohort has no days left.
pub fn first_day_for(days: &[NaiveDate], joining: NaiveDate) -> Option<i64> {
    days.iter()
        .position(|d| *d >= joining)
        .map(|i| i as i64 + 1)
}

/// The number (1-based) of the training day falling on `date`, if any.
pub fn day_number_on(days: &[NaiveDate], date: NaiveDate) -> Option<i64> {
    days.iter().position(|d| *d == date).map(|i| i as i64 + 1)
}

/// How many of each mark a trainee has over the days that count for them.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema,
)]
pub struct Tally {
    pub present: i64,
    pub late: i64,
    pub excused: i64,
    pub absent: i64,
}

/// (present, late, excused, absent), as the enrolment stores them.
impl From<(i64, i64, i64, i64)> for Tally {
    fn from((present, late, excused, absent): (i64, i64, i64, i64)) -> Tally {
        Tally {
            present,
            late,
            excused,
            absent,
        }
    }
}

impl Tally {
    pub fn of(statuses: impl IntoIterator<Item = AttendanceStatus>) -> Tally {
        let mut t = Tally::default();
        for s in statuses {
            t.add(s, 1);
        }
        t
    }

    /// Counts `n` more marks of this status (fewer when `n` is negative).
    pub fn add(&mut self, status: AttendanceStatus, n: i64) {
        match status {
            AttendanceStatus::Present => self.present += n,
            AttendanceStatus::Late => self.late += n,
            AttendanceStatus::Excused => self.excused += n,
            AttendanceStatus::Absent => self.absent += n,
        }
    }

    /// Days the trainee was there (late counts: they came and worked).
    pub fn attended(&self) -> i64 {
        self.present + self.late
    }

    pub fn recorded(&self) -> i64 {
        self.present + self.late + self.excused + self.absent
    }
}

/// The attendance rule a cohort copies from its curriculum: at most this many unexcused
/// absences and this many lates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AttendanceRule {
    pub max_unexcused_absences: i64,
    pub max_lates: i64,
}

impl AttendanceRule {
    /// Why a tally crosses the rule; empty when it does not.
    pub fn breaches(&self, t: &Tally) -> Vec<String> {
        let mut out = vec![];
        if t.absent > self.max_unexcused_absences {
            out.push(format!(
                "{} unexcused absences (the rule allows {})",
                t.absent, self.max_unexcused_absences
            ));
        }
        if t.late > self.max_lates {
            out.push(format!(
                "{} lates (the rule allows {})",
                t.late, self.max_lates
            ));
        }
        out
    }

    pub fn is_crossed(&self, t: &Tally) -> bool {
        !self.breaches(t).is_empty()
    }
}

/// A module's result as graduation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleStanding {
    pub title: String,
    /// None: not completed yet.
    pub passed: Option<bool>,
}

/// Everything graduation looks at for one trainee.
#[derive(Debug, Clone)]
pub struct Progress {
    pub rule: AttendanceRule,
    pub tally: Tally,
    /// Training days (from the trainee's first day to the last) with no mark yet.
    pub days_unmarked: i64,
    pub modules: Vec<ModuleStanding>,
    pub call_minutes: i64,
    pub call_target_minutes: i64,
}

/// How many modules not completed are named in a gap before it turns into a count.
const NAMED_MODULES: usize = 3;

/// What a trainee still lacks to graduate; empty means they qualify. Every criterion is
/// listed, so the trainer sees the whole picture, not the first gap.
pub fn graduation_gaps(p: &Progress) -> Vec<String> {
    let mut gaps = p.rule.breaches(&p.tally);
    if p.days_unmarked > 0 {
        gaps.push(format!(
            "attendance not taken for {} day{}",
            p.days_unmarked,
            plural(p.days_unmarked)
        ));
    }
    let open: Vec<&str> = p
        .modules
        .iter()
        .filter(|m| m.passed.is_none())
        .map(|m| m.title.as_str())
        .collect();
    if open.len() > NAMED_MODULES {
        // Early in training a trainee lacks most modules (23 in the default curriculum); the
        // earliest few say where they stand without a paragraph of titles on every row.
        gaps.push(format!(
            "modules not completed: {} of {}, starting with {}",
            open.len(),
            p.modules.len(),
            open[..NAMED_MODULES].join(", ")
        ));
    } else if !open.is_empty() {
        gaps.push(format!("modules not completed: {}", open.join(", ")));
    }
    let failed: Vec<&str> = p
        .modules
        .iter()
        .filter(|m| m.passed == Some(false))
        .map(|m| m.title.as_str())
        .collect();
    if !failed.is_empty() {
        gaps.push(format!(
            "assessments below the pass mark: {}",
            failed.join(", ")
        ));
    }
    if p.call_minutes < p.call_target_minutes {
        gaps.push(format!(
            "live calls {} of {}",
            hours(p.call_minutes),
            hours(p.call_target_minutes)
        ));
    }
    gaps
}

/// Whether a score passes: at or above the module's pass mark. A module without a pass
/// mark passes on completion.
pub fn passes(score: Option<i64>, pass_mark: Option<i64>) -> bool {
    match (score, pass_mark) {
        (_, None) => true,
        (Some(s), Some(m)) => s >= m,
        (None, Some(_)) => false,
    }
}

/// Minutes as "12 h 30 min" (or "40 h").
pub fn hours(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m} min")
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_text_reads_back_what_it_wrote_and_refuses_anything_else() {
        let days = lay_out_days(d("2026-12-21"), 20, &[d("2026-12-25")].into());
        let text = days_text(&days);
        assert!(text.starts_with("2026-12-21,2026-12-22,2026-12-23,2026-12-24,2026-12-28,"));
        assert_eq!(parse_days_text(&text), Some(days));
        assert_eq!(parse_days_text(""), Some(vec![]));
        for bad in ["2026-12-32", "2026-1-05", "2026/12/21", "2026-12-21,", "x"] {
            assert_eq!(parse_days_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_skip_weekends_and_holidays() {
        // Monday 2026-11-23; Thanksgiving Thursday 26 and the Friday after are holidays.
        let holidays: HashSet<_> = [d("2026-11-26"), d("2026-11-27")].into();
        let days = lay_out_days(d("2026-11-23"), 20, &holidays);
        assert_eq!(days.len(), 20);
        assert_eq!(
            &days[..4],
            &[
                d("2026-11-23"),
                d("2026-11-24"),
                d("2026-11-25"),
                d("2026-11-30")
            ]
        );
        assert!(days.iter().all(|x| is_working_day(*x, &holidays)));
        // 20 working days from Nov 23 with two holidays end on Tuesday Dec 22.
        assert_eq!(days[19], d("2026-12-22"));
    }

    #[test]
    fn a_weekend_start_begins_on_monday() {
        let days = lay_out_days(d("2026-11-28"), 3, &HashSet::new());
        assert_eq!(
            days,
            vec![d("2026-11-30"), d("2026-12-01"), d("2026-12-02")]
        );
    }

    #[test]
    fn late_joiners_start_on_the_next_training_day() {
        let days = lay_out_days(d("2026-11-23"), 10, &HashSet::new());
        assert_eq!(first_day_for(&days, d("2026-11-20")), Some(1));
        assert_eq!(first_day_for(&days, d("2026-11-23")), Some(1));
        assert_eq!(first_day_for(&days, d("2026-11-25")), Some(3));
        // Saturday: the Monday after, day 6.
        assert_eq!(first_day_for(&days, d("2026-11-28")), Some(6));
        assert_eq!(first_day_for(&days, d("2026-12-07")), None);
        assert_eq!(day_number_on(&days, d("2026-11-28")), None);
        assert_eq!(day_number_on(&days, d("2026-12-04")), Some(10));
    }

    #[test]
    fn the_attendance_rule_allows_one_absence_and_two_lates() {
        use AttendanceStatus::*;
        let rule = AttendanceRule {
            max_unexcused_absences: 1,
            max_lates: 2,
        };
        let ok = Tally::of([Present, Absent, Late, Late, Excused, Excused, Excused]);
        assert!(!rule.is_crossed(&ok));
        assert_eq!(ok.attended(), 3);
        let absent = Tally::of([Absent, Absent]);
        assert_eq!(
            rule.breaches(&absent),
            vec!["2 unexcused absences (the rule allows 1)"]
        );
        let late = Tally::of([Late, Late, Late, Absent, Absent]);
        assert_eq!(rule.breaches(&late).len(), 2);
    }

    fn progress() -> Progress {
        Progress {
            rule: AttendanceRule {
                max_unexcused_absences: 1,
                max_lates: 2,
            },
            tally: Tally {
                present: 20,
                ..Default::default()
            },
            days_unmarked: 0,
            modules: vec![ModuleStanding {
                title: "Systems check".into(),
                passed: Some(true),
            }],
            call_minutes: 2400,
            call_target_minutes: 2400,
        }
    }

    #[test]
    fn graduation_lists_every_gap() {
        assert!(graduation_gaps(&progress()).is_empty());
        let mut p = progress();
        p.tally.absent = 2;
        p.days_unmarked = 1;
        p.modules.push(ModuleStanding {
            title: "Core values check".into(),
            passed: None,
        });
        p.modules[0].passed = Some(false);
        p.call_minutes = 2370;
        assert_eq!(
            graduation_gaps(&p),
            vec![
                "2 unexcused absences (the rule allows 1)",
                "attendance not taken for 1 day",
                "modules not completed: Core values check",
                "assessments below the pass mark: Systems check",
                "live calls 39 h 30 min of 40 h",
            ]
        );
    }

    #[test]
    fn many_open_modules_are_counted() {
        let mut p = progress();
        for title in ["Welcome", "Culture book", "Values", "Systems"] {
            p.modules.push(ModuleStanding {
                title: title.into(),
                passed: None,
            });
        }
        assert_eq!(
            graduation_gaps(&p),
            vec!["modules not completed: 4 of 5, starting with Welcome, Culture book, Values"]
        );
    }

    #[test]
    fn pass_marks() {
        assert!(passes(None, None));
        assert!(passes(Some(80), Some(80)));
        assert!(!passes(Some(79), Some(80)));
        assert!(!passes(None, Some(80)));
    }

    #[test]
    fn status_follows_the_dates() {
        let start = d("2026-11-23");
        assert_eq!(
            cohort_status(start, None, d("2026-11-22")),
            CohortStatus::Planned
        );
        assert_eq!(cohort_status(start, None, start), CohortStatus::Running);
        let at = start.and_hms_opt(17, 0, 0);
        assert_eq!(cohort_status(start, at, start), CohortStatus::Graduated);
    }
}
