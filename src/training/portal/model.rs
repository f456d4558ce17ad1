//! Everything the portal shows, read for one person by their user id: a fixed handful
//! of indexed queries (see `portal`).

use crate::db::ids::{CohortId, CohortModuleId, EnrolmentId, UserId};
use crate::db::schema::{attendance, call_shifts, module_results};
use crate::db::DbConn;
use crate::training::calls::rules::{progress, HoursProgress};
use crate::training::checklist::model::{self as checklist, ChecklistTask};
use crate::training::cohorts::model::{self as cohorts, Cohort, CohortModule, Trainer};
use crate::training::enrolments::model::{self as enrolments, Enrolment};
use crate::training::portal::rules::week_shown;
use crate::training::progress::model::{required_for, SUM_MINUTES};
use crate::training::rules::{AttendanceStatus, EnrolmentStatus, Tally};
use crate::web::kept::Kept;
use chrono::{Datelike, NaiveDate};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Where the person stands in training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortalState {
    /// Hired, not yet in a cohort.
    NotEnrolled,
    Training,
    Graduated,
    /// Let go (their account is closed, so rarely seen) or moved without a new cohort.
    Ended,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CohortBrief {
    pub id: CohortId,
    pub name: String,
    pub curriculum_name: String,
    pub start_date: NaiveDate,
    pub last_day: Option<NaiveDate>,
    pub weeks: i64,
    /// Paid minutes per attended day: the page prices a pending offer with it.
    #[serde(skip)]
    pub day_minutes: i64,
}

/// One training day with what is taught.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScheduleDay {
    pub day_number: i64,
    pub week: i64,
    pub date: NaiveDate,
    /// "Mon".
    pub weekday: String,
    pub is_today: bool,
    pub modules: Vec<String>,
}

/// A training day of the person's from their first day up to today, with their mark.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttendanceDay {
    pub day_number: i64,
    pub date: NaiveDate,
    /// present, late, excused, absent; None while not marked.
    pub status: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ModuleProgress {
    pub id: CohortModuleId,
    pub week: i64,
    pub day: i64,
    pub title: String,
    pub kind: String,
    pub pass_mark: Option<i64>,
    pub score: Option<i64>,
    /// None: not completed yet.
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CallProgress {
    pub shifts: i64,
    #[serde(flatten)]
    pub hours: HoursProgress,
}

/// The portal's data: the viewer's own records only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Portal {
    pub state: PortalState,
    pub enrolment_id: Option<EnrolmentId>,
    pub cohort: Option<CohortBrief>,
    pub trainers: Vec<Trainer>,
    pub today: Option<ScheduleDay>,
    /// "This week" or "Your first week".
    pub week_label: String,
    pub week: Vec<ScheduleDay>,
    pub attendance: Vec<AttendanceDay>,
    pub tally: Tally,
    /// Why they cross the attendance rule; empty when they do not.
    pub attendance_flags: Vec<String>,
    pub rule: Option<String>,
    pub modules: Vec<ModuleProgress>,
    pub modules_passed: i64,
    pub modules_required: i64,
    pub calls: Option<CallProgress>,
    pub checklist: Vec<ChecklistTask>,
    pub checklist_open: i64,
}

fn schedule_day(
    c: &Cohort,
    modules: &[CohortModule],
    n: i64,
    date: NaiveDate,
    today: NaiveDate,
) -> ScheduleDay {
    let (week, day) = c.week_and_day(n);
    ScheduleDay {
        day_number: n,
        week,
        date,
        weekday: date.weekday().to_string(),
        is_today: date == today,
        modules: modules
            .iter()
            .filter(|m| m.week == week && m.day == day)
            .map(|m| m.title.clone())
            .collect(),
    }
}

/// What the portal shows from rows other than the enrolment's and the cohort's own, kept
/// per (enrolment, cohort revision) in `KeptPages::portals`: triggers move the cohort's
/// revision with every change to its modules, trainers, attendance, module results and
/// call shifts.
pub struct PortalRecords {
    modules: Vec<CohortModule>,
    trainers: Vec<Trainer>,
    /// Day number to status.
    marks: HashMap<i64, String>,
    results: HashMap<CohortModuleId, (Option<i64>, bool)>,
    shifts: i64,
    call_minutes: i64,
}

fn records(conn: &mut DbConn, c: &Cohort, e: &Enrolment) -> QueryResult<PortalRecords> {
    let marks = attendance::table
        .filter(attendance::enrolment_id.eq(e.id))
        .select((attendance::day_number, attendance::status))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let results = module_results::table
        .filter(module_results::enrolment_id.eq(e.id))
        .select((
            module_results::cohort_module_id,
            module_results::score,
            module_results::passed,
        ))
        .load::<(CohortModuleId, Option<i64>, bool)>(conn)?
        .into_iter()
        .map(|(m, s, ok)| (m, (s, ok)))
        .collect();
    let (shifts, call_minutes) = call_shifts::table
        .filter(call_shifts::enrolment_id.eq(e.id))
        .select((count_star(), SUM_MINUTES))
        .first(conn)?;
    Ok(PortalRecords {
        modules: cohorts::modules(conn, c.id)?,
        trainers: cohorts::trainers(conn, c.id)?,
        marks,
        results,
        shifts,
        call_minutes,
    })
}

/// Reads the person's portal. Queries: the checklist (checklist_tasks_user_idx) and their
/// enrolment with its cohort (enrolments_user_idx); only when the cohort's revision has
/// moved, also its modules and trainers (the cohort_id indexes) and their attendance,
/// module results and call-shift sum (the enrolment_id indexes).
pub fn portal(
    conn: &mut DbConn,
    kept: &Kept<(EnrolmentId, i64), PortalRecords>,
    user: UserId,
    today: NaiveDate,
) -> QueryResult<Portal> {
    let checklist = checklist::tasks_of(conn, user)?;
    let checklist_open = checklist.iter().filter(|t| t.done_at.is_none()).count() as i64;
    let mut p = Portal {
        state: PortalState::NotEnrolled,
        enrolment_id: None,
        cohort: None,
        trainers: vec![],
        today: None,
        week_label: String::new(),
        week: vec![],
        attendance: vec![],
        tally: Tally::default(),
        attendance_flags: vec![],
        rule: None,
        modules: vec![],
        modules_passed: 0,
        modules_required: 0,
        calls: None,
        checklist,
        checklist_open,
    };
    let Some((e, c)) = enrolments::current_with_cohort(conn, user)? else {
        return Ok(p);
    };
    p.state = match e.status() {
        EnrolmentStatus::Active => PortalState::Training,
        EnrolmentStatus::Graduated => PortalState::Graduated,
        EnrolmentStatus::Moved | EnrolmentStatus::LetGo | EnrolmentStatus::LeftWithOffer => {
            PortalState::Ended
        }
    };
    let days = c.days()?;
    let r = kept.get_or_build((e.id, c.revision), || records(conn, &c, &e))?;
    p.trainers = r.trainers.clone();
    fill_schedule(&mut p, &c, &days, &r.modules, today);
    fill_records(&mut p, &c, &e, &days, &r, today);
    p.enrolment_id = Some(e.id);
    p.cohort = Some(CohortBrief {
        id: c.id,
        name: c.name,
        curriculum_name: c.curriculum_name,
        start_date: c.start_date,
        last_day: days.last().copied(),
        weeks: c.weeks,
        day_minutes: c.day_minutes,
    });
    Ok(p)
}

fn fill_schedule(
    p: &mut Portal,
    c: &Cohort,
    days: &[NaiveDate],
    modules: &[CohortModule],
    today: NaiveDate,
) {
    let (label, week) = week_shown(days, today);
    p.week_label = label.into();
    p.week = week
        .into_iter()
        .map(|(n, d)| schedule_day(c, modules, n, d, today))
        .collect();
    p.today = p.week.iter().find(|d| d.is_today).cloned();
}

fn fill_records(
    p: &mut Portal,
    c: &Cohort,
    e: &Enrolment,
    days: &[NaiveDate],
    r: &PortalRecords,
    today: NaiveDate,
) {
    let marks = &r.marks;
    p.tally = Tally::of(marks.values().filter_map(|s| AttendanceStatus::parse(s)));
    p.attendance = days
        .iter()
        .enumerate()
        .map(|(i, d)| (i as i64 + 1, *d))
        .filter(|(n, d)| *n >= e.first_day && *d <= today)
        .map(|(n, date)| {
            let status = marks.get(&n).cloned();
            let label = status
                .as_deref()
                .and_then(AttendanceStatus::parse)
                .map_or("Not marked yet", |s| s.label())
                .to_string();
            AttendanceDay {
                day_number: n,
                date,
                status,
                label,
            }
        })
        .collect();
    let rule = c.attendance_rule();
    p.attendance_flags = rule.breaches(&p.tally);
    p.rule = Some(format!(
        "At most {} unexcused absence{} and {} late{}.",
        rule.max_unexcused_absences,
        if rule.max_unexcused_absences == 1 {
            ""
        } else {
            "s"
        },
        rule.max_lates,
        if rule.max_lates == 1 { "" } else { "s" },
    ));
    p.modules = r
        .modules
        .iter()
        .filter(|m| required_for(c, m, e.first_day))
        .map(|m| {
            let result = r.results.get(&m.id);
            ModuleProgress {
                id: m.id,
                week: m.week,
                day: m.day,
                title: m.title.clone(),
                kind: m.kind.clone(),
                pass_mark: m.pass_mark,
                score: result.and_then(|(s, _)| *s),
                passed: result.map(|(_, ok)| *ok),
            }
        })
        .collect();
    p.modules_passed = p.modules.iter().filter(|m| m.passed == Some(true)).count() as i64;
    p.modules_required = p.modules.len() as i64;
    p.calls = Some(CallProgress {
        shifts: r.shifts,
        hours: progress(r.call_minutes, c.live_call_target_minutes),
    });
}
