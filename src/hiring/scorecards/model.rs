//! Scorecard rows and who may see them.

use crate::auth::role::Role;
use crate::db::ids::CandidateId;
use crate::db::schema::{interview_panel, interviews, scorecards};
use crate::db::DbConn;
use crate::hiring::rules::InterviewStatus;
use crate::web::context::Viewer;
use diesel::prelude::*;

/// Blind until submitted: an interviewer sees other interviewers' scorecards and the
/// track verdicts for a candidate only once they have submitted a scorecard for every
/// interview of that candidate they sit on. Recruiters, HR and admins always see them.
pub fn unblinded(conn: &mut DbConn, viewer: &Viewer, candidate: CandidateId) -> QueryResult<bool> {
    if viewer.has_any(&[Role::Recruiter, Role::Hr, Role::Admin]) {
        return Ok(true);
    }
    let my_interviews: Vec<i64> = interview_panel::table
        .inner_join(interviews::table)
        .filter(interviews::candidate_id.eq(candidate))
        .filter(interviews::status.eq(InterviewStatus::Scheduled.as_str()))
        .filter(interview_panel::user_id.eq(viewer.user_id))
        .select(interviews::id)
        .load(conn)?;
    if my_interviews.is_empty() {
        return Ok(false);
    }
    let submitted: i64 = scorecards::table
        .filter(scorecards::interview_id.eq_any(&my_interviews))
        .filter(scorecards::interviewer_id.eq(viewer.user_id))
        .count()
        .get_result(conn)?;
    Ok(submitted as usize >= my_interviews.len())
}
