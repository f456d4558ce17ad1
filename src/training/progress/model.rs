//! Grouped reads of attendance, module results and call shifts, per cohort or trainee,
//! and the graduation picture built from them.

use crate::db::ids::{CohortId, CohortModuleId, EnrolmentId};
use crate::db::schema::{call_shifts, cohort_modules, enrolments, module_results};
use crate::db::{BigIntTotal, DbConn};
use crate::training::cohorts::model::{Cohort, CohortModule};
use crate::training::enrolments::model::{TallyCounts, TALLY_COLUMNS};
use crate::training::rules::{ModuleStanding, Progress, Tally};
use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// One trainee's numbers.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub tally: Tally,
    pub modules_passed: i64,
    pub modules_failed: i64,
    pub call_minutes: i64,
    pub shifts: i64,
}

/// The summed minutes of the selected call shifts.
pub const SUM_MINUTES: BigIntTotal = BigIntTotal(Cow::Borrowed("call_shifts.minutes"));

/// Every trainee of the cohort (whatever their enrolment's status), keyed by enrolment,
/// with the tally their enrolment keeps.
pub fn cohort_tallies(
    conn: &mut DbConn,
    cohort: CohortId,
) -> QueryResult<HashMap<EnrolmentId, Tally>> {
    let rows: Vec<(EnrolmentId, TallyCounts)> = enrolments::table
        .filter(enrolments::cohort_id.eq(cohort))
        .select((enrolments::id, TALLY_COLUMNS))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(e, counts)| (e, Tally::from(counts)))
        .collect())
}

/// Module results and call shifts of every trainee of the cohort who has any, keyed by
/// enrolment (those with none are absent: all zeros). The tally is left at zero: the
/// roster row the board reads carries it.
pub fn cohort_summaries(
    conn: &mut DbConn,
    cohort: CohortId,
) -> QueryResult<HashMap<EnrolmentId, Summary>> {
    let mut out: HashMap<EnrolmentId, Summary> = HashMap::new();
    let results: Vec<(EnrolmentId, bool, i64)> = module_results::table
        .inner_join(cohort_modules::table)
        .filter(cohort_modules::cohort_id.eq(cohort))
        .group_by((module_results::enrolment_id, module_results::passed))
        .select((
            module_results::enrolment_id,
            module_results::passed,
            count_star(),
        ))
        .load(conn)?;
    for (e, passed, n) in results {
        let s = out.entry(e).or_default();
        if passed {
            s.modules_passed += n;
        } else {
            s.modules_failed += n;
        }
    }
    let calls: Vec<(EnrolmentId, i64, i64)> = call_shifts::table
        .filter(call_shifts::cohort_id.eq(cohort))
        .group_by(call_shifts::enrolment_id)
        .select((call_shifts::enrolment_id, count_star(), SUM_MINUTES))
        .load(conn)?;
    for (e, shifts, minutes) in calls {
        let s = out.entry(e).or_default();
        s.shifts = shifts;
        s.call_minutes = minutes;
    }
    Ok(out)
}

/// One trainee's numbers.
pub fn enrolment_summary(conn: &mut DbConn, enrolment: EnrolmentId) -> QueryResult<Summary> {
    let counts: TallyCounts = enrolments::table
        .find(enrolment)
        .select(TALLY_COLUMNS)
        .first(conn)?;
    let mut s = Summary {
        tally: Tally::from(counts),
        ..Summary::default()
    };
    let results: Vec<(bool, i64)> = module_results::table
        .filter(module_results::enrolment_id.eq(enrolment))
        .group_by(module_results::passed)
        .select((module_results::passed, count_star()))
        .load(conn)?;
    for (passed, n) in results {
        if passed {
            s.modules_passed += n;
        } else {
            s.modules_failed += n;
        }
    }
    let (shifts, minutes): (i64, i64) = call_shifts::table
        .filter(call_shifts::enrolment_id.eq(enrolment))
        .select((count_star(), SUM_MINUTES))
        .first(conn)?;
    s.shifts = shifts;
    s.call_minutes = minutes;
    Ok(s)
}

/// Which modules each trainee of the cohort has a result for, and whether it passed.
pub fn cohort_results(
    conn: &mut DbConn,
    cohort: CohortId,
) -> QueryResult<HashMap<EnrolmentId, HashMap<CohortModuleId, bool>>> {
    let rows: Vec<(EnrolmentId, CohortModuleId, bool)> = module_results::table
        .inner_join(cohort_modules::table)
        .filter(cohort_modules::cohort_id.eq(cohort))
        .select((
            module_results::enrolment_id,
            module_results::cohort_module_id,
            module_results::passed,
        ))
        .load(conn)?;
    let mut out: HashMap<EnrolmentId, HashMap<CohortModuleId, bool>> = HashMap::new();
    for (e, m, passed) in rows {
        out.entry(e).or_default().insert(m, passed);
    }
    Ok(out)
}

/// Training days that should have a mark for this trainee by `today`: from their first
/// day up to today (or the last day).
pub fn days_due(days: &[NaiveDate], first_day: i64, today: NaiveDate) -> i64 {
    days.iter()
        .enumerate()
        .filter(|(i, d)| *i as i64 + 1 >= first_day && **d <= today)
        .count() as i64
}

/// Whether graduation asks this module of a trainee who joined on `first_day`: taught
/// on or after that day, and not the graduation ceremony itself.
pub fn required_for(cohort: &Cohort, m: &CohortModule, first_day: i64) -> bool {
    m.kind != "graduation" && (m.week - 1) * cohort.days_per_week + m.day >= first_day
}

/// The graduation picture for one trainee. Modules count when taught on or after their
/// first day; the graduation module itself is the ceremony, not a requirement.
pub fn progress(
    cohort: &Cohort,
    days: &[NaiveDate],
    modules: &[CohortModule],
    first_day: i64,
    summary: &Summary,
    results: Option<&HashMap<CohortModuleId, bool>>,
    today: NaiveDate,
) -> Progress {
    let required = modules
        .iter()
        .filter(|m| required_for(cohort, m, first_day));
    let modules = required
        .map(|m| ModuleStanding {
            title: m.title.clone(),
            passed: results.and_then(|r| r.get(&m.id).copied()),
        })
        .collect();
    Progress {
        rule: cohort.attendance_rule(),
        tally: summary.tally,
        days_unmarked: (days_due(days, first_day, today) - summary.tally.recorded()).max(0),
        modules,
        call_minutes: summary.call_minutes,
        call_target_minutes: cohort.live_call_target_minutes,
    }
}
