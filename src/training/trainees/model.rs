//! Who a trainee is: the person, where they go after training, and their cohort.

use crate::db::ids::{CohortId, EnrolmentId};
use crate::db::schema::{cohorts, enrolments, hires, users};
use crate::db::DbConn;
use crate::training::enrolments::model::Enrolment;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Trainee {
    pub enrolment: Enrolment,
    pub name: String,
    pub email: String,
    pub department: String,
    pub title: String,
    pub cohort_id: CohortId,
    pub cohort_name: String,
}

pub fn find(conn: &mut DbConn, id: EnrolmentId) -> QueryResult<Trainee> {
    let (enrolment, name, email, department, title, cohort_name): (
        Enrolment,
        String,
        String,
        String,
        String,
        String,
    ) = enrolments::table
        .inner_join(users::table)
        .inner_join(hires::table)
        .inner_join(cohorts::table)
        .filter(enrolments::id.eq(id))
        .select((
            Enrolment::as_select(),
            users::name,
            users::email,
            hires::department,
            hires::title,
            cohorts::name,
        ))
        .first(conn)?;
    Ok(Trainee {
        cohort_id: enrolment.cohort_id,
        enrolment,
        name,
        email,
        department,
        title,
        cohort_name,
    })
}
