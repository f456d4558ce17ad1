//! A person's training days in their private calendar feed: each day of their active
//! enrolment from their first day, 9:00 to 17:00 company time.

use crate::ctx::Ctx;
use crate::db::ids::UserId;
use crate::db::schema::{cohort_days, enrolments};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::mail::ics::CalEvent;
use crate::training::cohorts::model::{self as cohorts, Cohort, CohortModule};
use crate::training::enrolments::model::Enrolment;
use crate::training::rules::EnrolmentStatus;
use chrono::NaiveDate;
use diesel::prelude::*;

/// The company-time hours of a training day.
const DAY_HOURS: (u32, u32) = (9, 17);

fn day_event(
    ctx: &Ctx,
    c: &Cohort,
    modules: &[CohortModule],
    user: UserId,
    n: i64,
    date: NaiveDate,
) -> CalEvent {
    let (week, day) = c.week_and_day(n);
    let titles: Vec<&str> = modules
        .iter()
        .filter(|m| m.week == week && m.day == day)
        .map(|m| m.title.as_str())
        .collect();
    CalEvent {
        uid: format!("training-{}-day-{n}-user-{}@onramp", c.id, user),
        sequence: 0,
        summary: format!("Training day {n} — {}", titles.join(", ")),
        description: format!(
            "{}, {} (week {week}). Your portal: {}",
            c.name,
            c.curriculum_name,
            ctx.link("/portal")
        ),
        location: String::new(),
        url: ctx.link("/portal"),
        starts: crate::clock::local_to_utc(ctx.tz, date, DAY_HOURS.0, 0),
        ends: crate::clock::local_to_utc(ctx.tz, date, DAY_HOURS.1, 0),
        stamp: c.updated_at,
        organizer: None,
        attendees: vec![],
        cancelled: false,
    }
}

/// The person's training days, in order; none without an active enrolment.
pub fn training_events(conn: &mut DbConn, ctx: &Ctx, user: UserId) -> AppResult<Vec<CalEvent>> {
    let Some(e) = enrolments::table
        .filter(enrolments::user_id.eq(user))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str()))
        .select(Enrolment::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(vec![]);
    };
    let c = cohorts::find(conn, e.cohort_id)?;
    let modules = cohorts::modules(conn, c.id)?;
    let days: Vec<(i64, NaiveDate)> = cohort_days::table
        .filter(cohort_days::cohort_id.eq(c.id))
        .filter(cohort_days::day_number.ge(e.first_day))
        .order(cohort_days::day_number.asc())
        .select((cohort_days::day_number, cohort_days::date))
        .load(conn)?;
    Ok(days
        .into_iter()
        .map(|(n, d)| day_event(ctx, &c, &modules, user, n, d))
        .collect())
}
