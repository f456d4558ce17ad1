//! Setup for training tests: hires made as rows (the hiring flow is tested elsewhere)
//! and onboarded through the same service the hire step calls; cohorts through their
//! service. The subject of each test is then driven over HTTP.

use super::TestApp;
use chrono::NaiveDate;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CohortId, HireId, JobId, UserId};
use onramp::db::schema::{hires, jobs};
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
}
