//! Candidate rows and their stage history.

use crate::auth::role::Role;
use crate::db::ids::{CandidateId, JobId, UserId};
use crate::db::schema::{candidates, interview_panel, interviews, jobs, stage_changes};
use crate::db::DbConn;
use crate::hiring::candidates::rules::ValidCandidate;
use crate::hiring::rules::Stage;
use crate::web::context::Viewer;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = candidates)]
pub struct Candidate {
    pub id: CandidateId,
    pub name: String,
    #[serde(skip)]
    pub name_key: String,
    pub email: String,
    pub phone: String,
    pub source: String,
    pub job_id: JobId,
    pub resume_text: String,
    pub resume_url: String,
    pub notes: String,
    pub stage: String,
    pub stage_entered_at: NaiveDateTime,
    /// Someone outside the interviews reported being treated badly.
    pub red_flag: bool,
    pub applied_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Candidate {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Applied)
    }
}

/// Stores a new candidate in `applied` with the first entry of its stage history.
pub fn insert(
    conn: &mut DbConn,
    job_id: JobId,
    c: &ValidCandidate,
    applied_at: NaiveDateTime,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<CandidateId> {
    let id: CandidateId = diesel::insert_into(candidates::table)
        .values((
            candidates::name.eq(&c.name),
            candidates::name_key.eq(&c.name_key),
            candidates::email.eq(&c.email),
            candidates::phone.eq(&c.phone),
            candidates::source.eq(c.source.as_str()),
            candidates::job_id.eq(job_id),
            candidates::resume_text.eq(&c.resume_text),
            candidates::resume_url.eq(&c.resume_url),
            candidates::notes.eq(&c.notes),
            candidates::stage.eq(Stage::Applied.as_str()),
            candidates::stage_entered_at.eq(applied_at),
            candidates::applied_at.eq(applied_at),
            candidates::created_at.eq(now),
            candidates::updated_at.eq(now),
        ))
        .returning(candidates::id)
        .get_result(conn)?;
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::candidate_id.eq(id),
            stage_changes::job_id.eq(job_id),
            stage_changes::to_stage.eq(Stage::Applied.as_str()),
            stage_changes::note.eq(""),
            stage_changes::actor_id.eq(actor),
            stage_changes::at.eq(applied_at),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: CandidateId) -> QueryResult<Candidate> {
    candidates::table
        .find(id)
        .select(Candidate::as_select())
        .first(conn)
}

/// Which of these (normalised) emails already belong to a candidate.
pub fn existing_emails(conn: &mut DbConn, emails: &[String]) -> QueryResult<Vec<String>> {
    let mut found = vec![];
    // Bounded IN lists keep every backend under its bind-parameter limit.
    for chunk in emails.chunks(500) {
        found.extend(
            candidates::table
                .filter(candidates::email.eq_any(chunk))
                .select(candidates::email)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// Moves a candidate to another stage and records the move in its history. The caller
/// checks the move is allowed and writes the audit entry in the same transaction.
pub fn move_stage(
    conn: &mut DbConn,
    candidate: &Candidate,
    to: Stage,
    reason: Option<&str>,
    note: &str,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(candidates::table.find(candidate.id))
        .set((
            candidates::stage.eq(to.as_str()),
            candidates::stage_entered_at.eq(now),
            candidates::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::candidate_id.eq(candidate.id),
            stage_changes::job_id.eq(candidate.job_id),
            stage_changes::from_stage.eq(Some(&candidate.stage)),
            stage_changes::to_stage.eq(to.as_str()),
            stage_changes::reason.eq(reason),
            stage_changes::note.eq(note),
            stage_changes::actor_id.eq(actor),
            stage_changes::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Recruiters, HR and admins see every candidate; an interviewer sees those whose
/// interviews they sit on, and a hiring manager those applying to their jobs.
pub fn visible_to(conn: &mut DbConn, viewer: &Viewer, candidate: &Candidate) -> QueryResult<bool> {
    if viewer.has_any(&[Role::Recruiter, Role::Hr, Role::Admin]) {
        return Ok(true);
    }
    let on_panel: i64 = interview_panel::table
        .inner_join(interviews::table)
        .filter(interviews::candidate_id.eq(candidate.id))
        .filter(interview_panel::user_id.eq(viewer.user_id))
        .count()
        .get_result(conn)?;
    if on_panel > 0 {
        return Ok(true);
    }
    let manages: i64 = jobs::table
        .filter(jobs::id.eq(candidate.job_id))
        .filter(jobs::hiring_manager_id.eq(viewer.user_id))
        .count()
        .get_result(conn)?;
    Ok(manages > 0)
}
