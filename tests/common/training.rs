//! Setup for training tests: hires made as rows (the hiring flow is tested elsewhere)
//! and onboarded through the same service the hire step calls; cohorts through their
//! service. The subject of each test is then driven over HTTP.

use super::TestApp;
use chrono::NaiveDate;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CohortId, EnrolmentId, HireId, JobId, UserId};
use onramp::db::schema::{
    attendance, call_shifts, cohort_days, cohort_modules, hires, jobs, module_results,
};
use onramp::db::DbConn;
use onramp::hiring::candidates::rules::{validate, CandidateInput};
use onramp::training::cohorts::rules::CohortInput;

impl TestApp {
    fn any_job(&self) -> JobId {
        let conn = &mut self.conn() as &mut DbConn;
        if let Some(id) = jobs::table
            .select(jobs::id)
            .first::<JobId>(conn)
            .optional()
            .unwrap()
        {
            return id;
        }
        let now = self.clock.now();
        diesel::insert_into(jobs::table)
            .values((
                jobs::title.eq("Warehouse Associate"),
                jobs::department.eq("Fulfillment"),
                jobs::location.eq("Shepherdsville"),
                jobs::description.eq("Boxes."),
                jobs::status.eq("open"),
                jobs::created_at.eq(now),
                jobs::updated_at.eq(now),
            ))
            .returning(jobs::id)
            .get_result(conn)
            .unwrap()
    }

    /// A hired person (with a password, role new_hire) going to `department`, onboarded
    /// as the hire step does: checklist given, enrolled in the first cohort with room
    /// starting on or after `start`.
    pub fn new_hire(&self, email: &str, department: &str, start: NaiveDate) -> (UserId, HireId) {
        let user = self.user(email, &[Role::NewHire]);
        let job = self.any_job();
        let now = self.clock.now();
        let conn = &mut self.conn() as &mut DbConn;
        let valid = validate(&CandidateInput {
            name: user.name.clone(),
            email: email.into(),
            source: "referral".into(),
            ..Default::default()
        })
        .unwrap();
        let candidate =
            onramp::hiring::candidates::model::insert(conn, job, &valid, now, None, now).unwrap();
        let hire: HireId = diesel::insert_into(hires::table)
            .values((
                hires::candidate_id.eq(candidate),
                hires::user_id.eq(user.id),
                hires::start_date.eq(start),
                hires::department.eq(department),
                hires::title.eq(format!("{department} associate")),
                hires::hourly_rate_cents.eq(1850),
                hires::created_at.eq(now),
            ))
            .returning(hires::id)
            .get_result(conn)
            .unwrap();
        onramp::training::enrolments::service::onboard_hire(conn, &self.ctx(), hire).unwrap();
        (user.id, hire)
    }

    /// A cohort on the default curriculum with these trainers (who must be trainers).
    pub fn cohort(
        &self,
        name: &str,
        start: NaiveDate,
        capacity: i64,
        trainers: &[UserId],
    ) -> CohortId {
        onramp::training::cohorts::service::create(
            &mut self.conn(),
            &self.ctx(),
            &CohortInput {
                name: name.into(),
                start_date: start.format("%Y-%m-%d").to_string(),
                capacity: capacity.to_string(),
                curriculum_id: None,
                trainer_ids: trainers.to_vec(),
            },
        )
        .unwrap()
    }

    /// The date of a cohort's training day `n`.
    pub fn training_day(&self, cohort: CohortId, n: i64) -> NaiveDate {
        cohort_days::table
            .filter(cohort_days::cohort_id.eq(cohort))
            .filter(cohort_days::day_number.eq(n))
            .select(cohort_days::date)
            .first(&mut self.conn() as &mut DbConn)
            .unwrap()
    }

    /// Marks days `days` of an enrolment with one status, as rows, and counts them in
    /// the enrolment's tally as saving them would.
    pub fn mark_days(
        &self,
        cohort: CohortId,
        e: EnrolmentId,
        days: std::ops::RangeInclusive<i64>,
        status: &str,
    ) {
        use onramp::training::rules::{AttendanceStatus, Tally};
        let now = self.clock.now();
        let mut delta = Tally::default();
        delta.add(
            AttendanceStatus::parse(status).expect("a mark's status"),
            days.clone().count() as i64,
        );
        onramp::training::enrolments::model::add_to_tallies(
            &mut self.conn() as &mut DbConn,
            delta,
            &[e],
        )
        .unwrap();
        for n in days {
            diesel::insert_into(attendance::table)
                .values((
                    attendance::cohort_id.eq(cohort),
                    attendance::enrolment_id.eq(e),
                    attendance::day_number.eq(n),
                    attendance::status.eq(status),
                    attendance::note.eq(""),
                    attendance::recorded_at.eq(now),
                ))
                .execute(&mut self.conn() as &mut DbConn)
                .unwrap();
        }
    }

    /// Everything graduation asks, as rows: days `from..=20` present, every module
    /// passed and 40 hours of live calls.
    pub fn complete_training(&self, cohort: CohortId, e: EnrolmentId, from: i64) {
        self.mark_days(cohort, e, from..=20, "present");
        let conn = &mut self.conn() as &mut DbConn;
        let now = self.clock.now();
        let modules: Vec<onramp::db::ids::CohortModuleId> = cohort_modules::table
            .filter(cohort_modules::cohort_id.eq(cohort))
            .filter(cohort_modules::kind.ne("graduation"))
            .select(cohort_modules::id)
            .load(conn)
            .unwrap();
        for m in modules {
            diesel::insert_into(module_results::table)
                .values((
                    module_results::enrolment_id.eq(e),
                    module_results::cohort_module_id.eq(m),
                    module_results::score.eq(Some(95)),
                    module_results::passed.eq(true),
                    module_results::recorded_at.eq(now),
                ))
                .execute(conn)
                .unwrap();
        }
        let start = now - chrono::Duration::days(2);
        diesel::insert_into(call_shifts::table)
            .values((
                call_shifts::enrolment_id.eq(e),
                call_shifts::cohort_id.eq(cohort),
                call_shifts::started_at.eq(start),
                call_shifts::ended_at.eq(start + chrono::Duration::minutes(2400)),
                call_shifts::minutes.eq(2400),
                call_shifts::calls_taken.eq(12),
                call_shifts::connections.eq(3),
                call_shifts::wow_story.eq("Sent flowers."),
                call_shifts::created_at.eq(start),
            ))
            .execute(conn)
            .unwrap();
    }
}
