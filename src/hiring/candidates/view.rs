//! What the pages and the API show of candidates, built once for both.

use crate::auth::role::Role;
use crate::db::ids::{CandidateId, JobId};
use crate::db::DbConn;
use crate::hiring::candidates::model::{self, Candidate, StageEntry};
use crate::hiring::candidates::rules::{encode_cursor, ListFilter};
use crate::hiring::jobs::model::JobChoice;
use crate::hiring::rules::{Source, Stage};
use crate::web::context::Viewer;
use crate::web::kept::Kept;
use crate::web::pagination::Paged;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;
use std::sync::Arc;

/// A row of the candidate list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListItem {
    pub id: CandidateId,
    pub name: String,
    pub email: String,
    pub source: String,
    pub job_id: JobId,
    pub job_title: String,
    pub stage: String,
    pub stage_entered_at: NaiveDateTime,
    /// Someone outside the interviews reported being treated badly.
    pub red_flag: bool,
    pub applied_at: NaiveDateTime,
}

/// One page of the filtered, sorted list, with the cursor of the next page.
pub fn list(conn: &mut DbConn, f: &ListFilter) -> QueryResult<Paged<ListItem>> {
    let mut rows = model::list(conn, f)?;
    let more = rows.len() as i64 > f.limit;
    rows.truncate(f.limit as usize);
    let next_cursor = if more {
        rows.last()
            .map(|(s, _)| encode_cursor(&model::cursor_after(s, f.sort)))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|(s, job_title)| ListItem {
            id: s.id,
            name: s.name,
            email: s.email,
            source: s.source,
            job_id: s.job_id,
            job_title,
            stage: s.stage,
            stage_entered_at: s.stage_entered_at,
            red_flag: s.red_flag,
            applied_at: s.applied_at,
        })
        .collect();
    Ok(Paged { items, next_cursor })
}

/// A page of one job's candidates, as `KeptPages::job_lists` keeps it: the job's revision
/// and the whole filter (the job among it).
pub type ListKey = (i64, ListFilter);

/// A page of the list. Filtered by a job, it is kept per that job's revision, which the
/// page has already read with the job picker: every candidate on it belongs to the job,
/// and every change to them (or to the job's title) moves the revision.
pub fn list_kept(
    conn: &mut DbConn,
    kept: &Kept<ListKey, Paged<ListItem>>,
    f: &ListFilter,
    jobs: &[JobChoice],
) -> QueryResult<Arc<Paged<ListItem>>> {
    let revision = f
        .job
        .and_then(|id| jobs.iter().find(|j| j.id.0 == id))
        .map(|j| j.revision);
    match revision {
        Some(revision) => kept.get_or_build((revision, f.clone()), || list(conn, f)),
        None => list(conn, f).map(Arc::new),
    }
}

/// Recruiters, HR and admins see the whole record. Interviewers (and hiring managers
/// without one of those roles) do not see the recruiter's notes or the notes on stage
/// moves: those carry screening impressions and other people's opinions, and the
/// interview is meant to be an independent judgement.
pub fn sees_notes(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Recruiter, Role::Hr, Role::Admin])
}

/// Changing candidates: recruiters and admins.
pub fn can_edit(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Recruiter, Role::Admin])
}

/// A candidate as the API shows it to this viewer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CandidateView {
    pub id: CandidateId,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub source: String,
    pub job_id: JobId,
    pub resume_text: String,
    pub resume_url: String,
    /// Absent for interviewers.
    pub notes: Option<String>,
    pub stage: String,
    pub stage_entered_at: NaiveDateTime,
    pub red_flag: bool,
    pub applied_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub history: Vec<HistoryView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryView {
    pub stage: String,
    pub entered_at: NaiveDateTime,
    /// Seconds spent in the stage (until the next move, or until now).
    pub seconds: i64,
    /// Absent for interviewers.
    pub note: Option<String>,
    pub reason: Option<String>,
    pub actor: Option<String>,
}

pub fn history(
    conn: &mut DbConn,
    viewer: &Viewer,
    id: CandidateId,
    now: NaiveDateTime,
) -> QueryResult<Vec<HistoryView>> {
    Ok(history_of(&model::history(conn, id)?, viewer, now))
}

/// The history as this viewer sees it, from the moves as read.
pub fn history_of(entries: &[StageEntry], viewer: &Viewer, now: NaiveDateTime) -> Vec<HistoryView> {
    let starts: Vec<NaiveDateTime> = entries.iter().map(|e| e.at).collect();
    let spans = crate::hiring::candidates::rules::durations(&starts, now);
    let full = sees_notes(viewer);
    entries
        .iter()
        .zip(spans)
        .map(|(e, d)| HistoryView {
            stage: e.to_stage.clone(),
            entered_at: e.at,
            seconds: d.num_seconds(),
            note: full.then(|| e.note.clone()),
            reason: if full { e.reason.clone() } else { None },
            actor: if full { e.actor.clone() } else { None },
        })
        .collect()
}

pub fn candidate(
    conn: &mut DbConn,
    viewer: &Viewer,
    c: Candidate,
    now: NaiveDateTime,
) -> QueryResult<CandidateView> {
    let history = history(conn, viewer, c.id, now)?;
    Ok(CandidateView {
        id: c.id,
        notes: sees_notes(viewer).then_some(c.notes),
        name: c.name,
        email: c.email,
        phone: c.phone,
        source: c.source,
        job_id: c.job_id,
        resume_text: c.resume_text,
        resume_url: c.resume_url,
        stage: c.stage,
        stage_entered_at: c.stage_entered_at,
        red_flag: c.red_flag,
        applied_at: c.applied_at,
        updated_at: c.updated_at,
        history,
    })
}

/// The label of a stored stage ("technical_interview" -> "Technical interview").
pub fn stage_label(s: &str) -> &str {
    Stage::parse(s).map(Stage::label).unwrap_or(s)
}

pub fn source_label(s: &str) -> &str {
    Source::parse(s).map(Source::label).unwrap_or(s)
}
