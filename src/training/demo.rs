//! The training demo: two graduated classes (offers taken, declined and left to expire),
//! a class in its second week (attendance taken, offers open, one declined), and the class
//! the demo new hire joins when they start, all laid out around the company holidays of
//! this year and next. Loaded after the hiring demo: its trainees
//! were hired for the demo's open jobs, and the demo new hire is enrolled in that class.

use crate::auth::model::User;
use crate::ctx::Ctx;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::hiring::import::progress::Quiet;
use crate::money::Currency;
use crate::training::cohorts::rules::CohortInput;
use crate::training::cohorts::service as cohorts;
use crate::training::generate::{self, Options};
use crate::training::holidays::rules::HolidayInput;
use crate::training::holidays::service as holidays;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The holidays a US company closes for in `year` (one on a weekend moves no class).
fn company_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let day = |month, day| NaiveDate::from_ymd_opt(year, month, day).expect("a real date");
    let thanksgiving = NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
        .expect("November has four Thursdays");
    vec![
        (day(1, 1), "New Year's Day"),
        (day(7, 4), "Independence Day"),
        (thanksgiving, "Thanksgiving"),
        (thanksgiving + Duration::days(1), "Day after Thanksgiving"),
        (day(12, 25), "Christmas Day"),
    ]
}

pub fn load(
    conn: &mut DbConn,
    ctx: &Ctx,
    money: &Currency,
    trainer: &User,
    new_hire: &User,
) -> AppResult<()> {
    let year = ctx.today().year();
    for (day, name) in company_holidays(year)
        .into_iter()
        .chain(company_holidays(year + 1))
    {
        let input = HolidayInput {
            day: day.format("%Y-%m-%d").to_string(),
            name: name.into(),
        };
        holidays::add(conn, ctx, &input)?;
    }
    let made = generate::run(
        conn,
        ctx,
        money,
        &Options {
            graduated: 2,
            per_cohort: 12,
            running: 10,
            trainers: Some(vec![trainer.id]),
            bonus_history: false,
            email_domain: "demo.onramp.test",
            jobs: 3,
        },
        &Quiet,
    )?;
    // One trainee of the running class has already said no to the offer.
    let offers = crate::offer::offers::model::of_cohort(conn, made.running_cohort)?;
    if let Some(first) = offers.first() {
        let trainee = crate::auth::model::find(conn, first.user_id)?;
        let as_trainee = ctx.acting_as(trainee.id, &trainee.email);
        crate::offer::offers::service::decline(conn, &as_trainee, trainee.id, first.id)?;
    }
    let as_trainer = ctx.acting_as(trainer.id, &trainer.email);
    let class = cohorts::create(
        conn,
        &as_trainer,
        &CohortInput {
            name: format!("Class {}", made.cohorts + 1),
            start_date: crate::hiring::demo::start_of_new_hire(ctx)
                .format("%Y-%m-%d")
                .to_string(),
            capacity: "24".into(),
            curriculum_id: None,
            trainer_ids: vec![trainer.id],
        },
    )?;
    if let Some(hire) = crate::hiring::decision::model::hire_for_user(conn, new_hire.id)? {
        crate::training::enrolments::service::enrol(conn, &as_trainer, hire.id, class)?;
    }
    Ok(())
}
