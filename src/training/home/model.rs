//! Grouped reads over the cohorts a trainer runs: a fixed number of queries for all of
//! them, plus the progress summaries per running cohort (a trainer runs a few).

use crate::db::ids::{CohortId, EnrolmentId, UserId};
use crate::db::schema::{
    attendance, cohort_days, cohort_modules, cohort_trainers, cohorts, enrolments, users,
};
use crate::db::DbConn;
use crate::training::cohorts::model::{Cohort, CohortModule};
use crate::training::progress::model as progress;
use crate::training::rules::EnrolmentStatus;
use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// A cohort with a training day today.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub day_number: i64,
    pub week: i64,
    pub modules: Vec<String>,
    pub roster: i64,
}

/// A training day (up to today) with trainees not yet marked.
#[derive(Debug, Clone, Serialize)]
pub struct ToTake {
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub day_number: i64,
    pub date: NaiveDate,
    pub unmarked: i64,
    pub is_today: bool,
}

/// A trainee crossing the attendance rule.
#[derive(Debug, Clone, Serialize)]
pub struct Flagged {
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub enrolment_id: EnrolmentId,
    pub name: String,
    pub breaches: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainerHome {
    pub sessions: Vec<Session>,
    pub to_take: Vec<ToTake>,
    pub flagged: Vec<Flagged>,
    pub running: usize,
}

/// The running (started, not graduated) cohorts this person trains.
fn running_cohorts(
    conn: &mut DbConn,
    trainer: UserId,
    today: NaiveDate,
) -> QueryResult<Vec<Cohort>> {
    cohort_trainers::table
        .inner_join(cohorts::table)
        .filter(cohort_trainers::user_id.eq(trainer))
        .filter(cohorts::graduated_at.is_null())
        .filter(cohorts::start_date.le(today))
        .order((cohorts::start_date.asc(), cohorts::id.asc()))
        .select(Cohort::as_select())
        .load(conn)
}

pub fn trainer_home(
    conn: &mut DbConn,
    trainer: UserId,
    today: NaiveDate,
) -> QueryResult<TrainerHome> {
    let running = running_cohorts(conn, trainer, today)?;
    let ids: Vec<CohortId> = running.iter().map(|c| c.id).collect();
    let days: Vec<(CohortId, i64, NaiveDate)> = cohort_days::table
        .filter(cohort_days::cohort_id.eq_any(&ids))
        .filter(cohort_days::date.le(today))
        .order((cohort_days::cohort_id.asc(), cohort_days::day_number.asc()))
        .select((
            cohort_days::cohort_id,
            cohort_days::day_number,
            cohort_days::date,
        ))
        .load(conn)?;
    // Active trainees per cohort and first day: who is due a mark on which day.
    let joined: Vec<(CohortId, i64, i64)> = enrolments::table
        .filter(enrolments::cohort_id.eq_any(&ids))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .group_by((enrolments::cohort_id, enrolments::first_day))
        .select((enrolments::cohort_id, enrolments::first_day, count_star()))
        .load(conn)?;
    let marked: HashMap<(CohortId, i64), i64> = attendance::table
        .inner_join(enrolments::table)
        .filter(attendance::cohort_id.eq_any(&ids))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .group_by((attendance::cohort_id, attendance::day_number))
        .select((attendance::cohort_id, attendance::day_number, count_star()))
        .load::<(CohortId, i64, i64)>(conn)?
        .into_iter()
        .map(|(c, d, n)| ((c, d), n))
        .collect();
    let by_id: HashMap<CohortId, &Cohort> = running.iter().map(|c| (c.id, c)).collect();
    let due_on = |cohort: CohortId, day: i64| -> i64 {
        joined
            .iter()
            .filter(|(c, first, _)| *c == cohort && *first <= day)
            .map(|(_, _, n)| n)
            .sum()
    };
    let to_take = days
        .iter()
        .filter_map(|(c, n, date)| {
            let unmarked = due_on(*c, *n) - marked.get(&(*c, *n)).copied().unwrap_or(0);
            (unmarked > 0).then(|| ToTake {
                cohort_id: *c,
                cohort_name: by_id[c].name.clone(),
                day_number: *n,
                date: *date,
                unmarked,
                is_today: *date == today,
            })
        })
        .collect();
    let today_days: Vec<(CohortId, i64)> = days
        .iter()
        .filter(|(_, _, d)| *d == today)
        .map(|(c, n, _)| (*c, *n))
        .collect();
    let today_ids: Vec<CohortId> = today_days.iter().map(|(c, _)| *c).collect();
    let modules: Vec<CohortModule> = cohort_modules::table
        .filter(cohort_modules::cohort_id.eq_any(&today_ids))
        .order((
            cohort_modules::cohort_id.asc(),
            cohort_modules::week.asc(),
            cohort_modules::day.asc(),
            cohort_modules::position.asc(),
        ))
        .select(CohortModule::as_select())
        .load(conn)?;
    let sessions = today_days
        .iter()
        .map(|(c, n)| {
            let cohort = by_id[c];
            let (week, day) = cohort.week_and_day(*n);
            Session {
                cohort_id: *c,
                cohort_name: cohort.name.clone(),
                day_number: *n,
                week,
                modules: modules
                    .iter()
                    .filter(|m| m.cohort_id == *c && m.week == week && m.day == day)
                    .map(|m| m.title.clone())
                    .collect(),
                roster: joined
                    .iter()
                    .filter(|(id, _, _)| id == c)
                    .map(|(_, _, n)| n)
                    .sum(),
            }
        })
        .collect();
    let mut crossing: Vec<(CohortId, EnrolmentId, Vec<String>)> = vec![];
    for c in &running {
        let rule = c.attendance_rule();
        for (e, tally) in progress::cohort_tallies(conn, c.id)? {
            let breaches = rule.breaches(&tally);
            if !breaches.is_empty() {
                crossing.push((c.id, e, breaches));
            }
        }
    }
    let ids: Vec<EnrolmentId> = crossing.iter().map(|(_, e, _)| *e).collect();
    let names: HashMap<EnrolmentId, String> = enrolments::table
        .inner_join(users::table)
        .filter(enrolments::id.eq_any(&ids))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .select((enrolments::id, users::name))
        .load::<(EnrolmentId, String)>(conn)?
        .into_iter()
        .collect();
    let mut flagged: Vec<Flagged> = crossing
        .into_iter()
        .filter_map(|(c, e, breaches)| {
            Some(Flagged {
                cohort_id: c,
                cohort_name: by_id[&c].name.clone(),
                enrolment_id: e,
                name: names.get(&e)?.clone(),
                breaches,
            })
        })
        .collect();
    flagged.sort_by(|a, b| (&a.cohort_name, &a.name).cmp(&(&b.cohort_name, &b.name)));
    Ok(TrainerHome {
        sessions,
        to_take,
        flagged,
        running: running.len(),
    })
}
