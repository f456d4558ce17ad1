//! The import use case: check every row, then store all new candidates, their first
//! stage and one audit entry in one transaction, or store nothing.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::JobId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model::existing_emails;
use crate::hiring::import::model::{self, NewCandidateRow, NewStageChange};
pub use crate::hiring::import::progress::{Progress, Quiet};
use crate::hiring::import::rules::{self, CheckedRow, Duplicate, RowError};
use crate::hiring::rules::{JobStatus, Stage};
use serde::Serialize;
use serde_json::json;
use std::collections::HashSet;

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub job_id: JobId,
    pub job_title: String,
    /// Data rows in the file.
    pub rows: usize,
    pub imported: usize,
    pub duplicates: Vec<Duplicate>,
}

/// Up to this many skipped lines are listed in the audit entry (the count is always there).
const AUDITED_DUPLICATES: usize = 1_000;

/// Imports a CSV file into a job. `Ok(Err(errors))` means the file had bad rows: every one
/// is listed, sorted by line, and nothing was stored. A missing or closed job is an
/// `AppError` (field error or conflict).
pub fn import_candidates(
    conn: &mut DbConn,
    ctx: &Ctx,
    job_id: JobId,
    csv: &[u8],
    progress: &dyn Progress,
) -> AppResult<Result<ImportReport, Vec<RowError>>> {
    check_job(conn, job_id)?;
    let sheet = match rules::read(csv) {
        Ok(sheet) => sheet,
        Err(errors) => return Ok(Err(errors)),
    };
    let today = ctx.now.date();
    let mut errors = sheet.errors.clone();
    let mut checked: Vec<CheckedRow> = Vec::with_capacity(sheet.records.len());
    progress.start("Checking rows", sheet.records.len() as u64);
    for (i, (line, record)) in sheet.records.iter().enumerate() {
        match sheet.check(*line, record, today) {
            Ok(row) => checked.push(row),
            Err(e) => errors.extend(e),
        }
        if i % 1_000 == 999 {
            progress.advance(1_000);
        }
    }
    progress.finish();
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    let rows = sheet.records.len();
    drop(sheet);
    let report = write_tx(conn, |conn| {
        // Checked again inside the transaction: it may have closed since.
        let job = check_job(conn, job_id)?;
        let emails: Vec<String> = checked.iter().map(|r| r.candidate.email.clone()).collect();
        let taken: HashSet<String> = existing_emails(conn, &emails)?.into_iter().collect();
        let (fresh, duplicates) = rules::dedupe(checked, &taken);
        let new_rows: Vec<NewCandidateRow> = fresh
            .iter()
            .map(|r| {
                let applied_at = r
                    .applied_on
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .unwrap_or(ctx.now);
                let c = &r.candidate;
                NewCandidateRow {
                    name: c.name.clone(),
                    name_key: c.name_key.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    source: c.source.as_str().into(),
                    job_id,
                    resume_text: c.resume_text.clone(),
                    resume_url: c.resume_url.clone(),
                    notes: c.notes.clone(),
                    stage: Stage::Applied.as_str().into(),
                    stage_entered_at: applied_at,
                    applied_at,
                    created_at: ctx.now,
                    updated_at: ctx.now,
                }
            })
            .collect();
        progress.start("Storing candidates", new_rows.len() as u64);
        let ids = model::insert_candidates(conn, &new_rows, |n| progress.advance(n as u64))?;
        let changes: Vec<NewStageChange> = ids
            .iter()
            .zip(&new_rows)
            .map(|(id, row)| NewStageChange {
                    candidate_id: *id,
                    job_id,
                    from_stage: None,
                    to_stage: Stage::Applied.as_str(),
                    reason: None,
                    note: String::new(),
                    actor_id: ctx.actor.user_id,
                at: row.applied_at,
            })
            .collect();
        model::insert_stage_changes(conn, &changes)?;
        model::count_on_board(conn, &new_rows)?;
        progress.finish();
        let listed: Vec<_> = duplicates
            .iter()
            .take(AUDITED_DUPLICATES)
            .map(|d| json!({"line": d.line, "email": d.email, "first_line": d.first_line}))
            .collect();
        audit::record(
            conn,
            ctx,
            "candidates.imported",
            ("job", Some(job_id.0)),
            None,
            Some(json!({
                "job": job.title,
                "rows": rows,
                "imported": ids.len(),
                "duplicates_skipped": duplicates.len(),
                "skipped": listed,
            })),
        )?;
        Ok::<_, AppError>(ImportReport {
            job_id,
            job_title: job.title,
            rows,
            imported: ids.len(),
            duplicates,
        })
    })
    .map_err(|e| match e {
        AppError::Internal(detail) if detail.contains("UNIQUE") || detail.contains("unique") => {
            AppError::Conflict(vec![
                "Someone added a candidate with one of these emails while the file was being imported. Nothing was stored; import the file again.".into(),
            ])
        }
        other => other,
    })?;
    Ok(Ok(report))
}

fn check_job(conn: &mut DbConn, job_id: JobId) -> AppResult<model::JobChoice> {
    let job = model::find_job(conn, job_id)?
        .ok_or_else(|| AppError::field("job", format!("There is no job #{}.", job_id.0)))?;
    if job.status == JobStatus::Closed.as_str() {
        return Err(AppError::Conflict(vec![format!(
            "The job \u{201c}{}\u{201d} is closed and takes no new candidates.",
            job.title
        )]));
    }
    Ok(job)
}
