//! Candidate use cases: create, edit, move between open stages. Each is one transaction
//! with its rules, writes and audit entry.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, JobId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::candidates::model::{self, Candidate};
use crate::hiring::candidates::rules::{self, CandidateInput, ValidCandidate};
use crate::hiring::jobs::model as jobs;
use diesel::prelude::*;
use serde_json::{json, Value};

/// The message next to the email field when another candidate has that email.
pub fn duplicate_message(existing: CandidateId) -> String {
    format!("A candidate with this email already exists (#{existing}).")
}

fn snapshot(c: &Candidate) -> Value {
    json!({
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "source": c.source,
        "job_id": c.job_id,
        "resume_url": c.resume_url,
        "resume_text_chars": c.resume_text.chars().count(),
        "notes": c.notes,
    })
}

/// Field checks, the job, and the one-candidate-per-email rule, all reported together.
fn check(
    conn: &mut DbConn,
    job: Option<JobId>,
    input: &CandidateInput,
    except: Option<CandidateId>,
) -> AppResult<(JobId, ValidCandidate)> {
    let mut errors = FieldErrors::new();
    let valid = rules::validate(input).map_err(|e| errors.extend(e)).ok();
    let job = match job {
        Some(id) if jobs::find(conn, id).optional()?.is_some() => Some(id),
        _ => {
            errors.insert("job_id".into(), "Choose the job they apply for.".into());
            None
        }
    };
    if let Some(v) = &valid {
        if let Some(existing) = model::find_by_email(conn, &v.email, except)? {
            errors.insert("email".into(), duplicate_message(existing));
        }
    }
    match (job, valid) {
        (Some(job), Some(valid)) if errors.is_empty() => Ok((job, valid)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Two requests racing for the same email: the unique index refuses the second.
fn unique_email(e: AppError, conn: &mut DbConn, email: &str) -> AppError {
    match &e {
        AppError::Internal(detail) if detail.contains("unique") || detail.contains("UNIQUE") => {
            match model::find_by_email(conn, email, None) {
                Ok(Some(existing)) => AppError::field("email", duplicate_message(existing)),
                _ => e,
            }
        }
        _ => e,
    }
}

pub fn create(
    conn: &mut DbConn,
    ctx: &Ctx,
    job: Option<JobId>,
    input: &CandidateInput,
) -> AppResult<CandidateId> {
    let result = write_tx(conn, |c| {
        let (job, v) = check(c, job, input, None)?;
        let id = model::insert(c, job, &v, ctx.now, ctx.actor.user_id, ctx.now)?;
        let after = snapshot(&model::find(c, id)?);
        audit::record(
            c,
            ctx,
            "candidate.created",
            ("candidate", Some(id.0)),
            None,
            Some(after),
        )?;
        Ok(id)
    });
    result.map_err(|e| unique_email(e, conn, &crate::auth::rules::normalize_email(&input.email)))
}

pub fn update(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: CandidateId,
    job: Option<JobId>,
    input: &CandidateInput,
) -> AppResult<()> {
    let result = write_tx(conn, |c| {
        let before = model::find(c, id)?;
        let (job, v) = check(c, job, input, Some(id))?;
        model::update(c, &before, job, &v, ctx.now)?;
        let after = model::find(c, id)?;
        audit::record(
            c,
            ctx,
            "candidate.updated",
            ("candidate", Some(id.0)),
            Some(snapshot(&before)),
            Some(snapshot(&after)),
        )?;
        Ok(())
    });
    result.map_err(|e| unique_email(e, conn, &crate::auth::rules::normalize_email(&input.email)))
}

/// Moves a candidate by hand to another open stage, with an optional note.
pub fn move_stage(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: CandidateId,
    to: &str,
    note: &str,
) -> AppResult<()> {
    let note = note.trim();
    if note.chars().count() > 2000 {
        return Err(AppError::field(
            "note",
            "Keep the note under 2,000 characters.",
        ));
    }
    write_tx(conn, |c| {
        let candidate = model::find(c, id)?;
        let to = rules::check_stage_move(candidate.stage(), to)
            .map_err(|m| AppError::field("stage", m))?;
        model::move_stage(c, &candidate, to, None, note, ctx.actor.user_id, ctx.now)?;
        audit::record(
            c,
            ctx,
            "candidate.stage_moved",
            ("candidate", Some(id.0)),
            Some(json!({"stage": candidate.stage})),
            Some(json!({"stage": to.as_str(), "note": note})),
        )?;
        Ok(())
    })
}
