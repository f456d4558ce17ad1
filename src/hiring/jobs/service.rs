//! Job use cases: create and edit, each with its competencies, audited before and after.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::JobId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::jobs::model::{self, Competency, Job};
use crate::hiring::jobs::rules::{self, JobInput, ValidJob};
use serde_json::{json, Value};

/// A job and its competencies as the audit log records them.
fn snapshot(job: &Job, competencies: &[Competency]) -> Value {
    json!({
        "title": job.title,
        "department": job.department,
        "location": job.location,
        "description": job.description,
        "hiring_manager_id": job.hiring_manager_id,
        "status": job.status,
        "competencies": competencies
            .iter()
            .map(|c| json!({"id": c.id, "position": c.position, "name": c.name, "good_looks_like": c.good_looks_like}))
            .collect::<Vec<_>>(),
    })
}

fn check(conn: &mut DbConn, input: &JobInput, job: Option<JobId>) -> AppResult<ValidJob> {
    let v = rules::validate(input).map_err(AppError::Invalid)?;
    if let Some(m) = v.hiring_manager_id {
        if !model::user_is_active(conn, m)? {
            return Err(AppError::field(
                "hiring_manager_id",
                "Choose an active person as hiring manager.",
            ));
        }
    }
    let own: Vec<_> = match job {
        Some(id) => model::competencies(conn, id)?
            .into_iter()
            .map(|c| c.id)
            .collect(),
        None => vec![],
    };
    if v.competencies
        .iter()
        .any(|c| c.id.is_some_and(|id| !own.contains(&id)))
    {
        return Err(AppError::field(
            "competencies",
            "A competency listed does not belong to this job; reload the form.",
        ));
    }
    Ok(v)
}

pub fn create(conn: &mut DbConn, ctx: &Ctx, input: &JobInput) -> AppResult<JobId> {
    write_tx(conn, |c| {
        let v = check(c, input, None)?;
        let id = model::insert(c, &v, ctx.now)?;
        model::replace_competencies(c, id, &v.competencies)?;
        let after = snapshot(&model::find(c, id)?, &model::competencies(c, id)?);
        audit::record(
            c,
            ctx,
            "job.created",
            ("job", Some(id.0)),
            None,
            Some(after),
        )?;
        Ok(id)
    })
}

pub fn update(conn: &mut DbConn, ctx: &Ctx, id: JobId, input: &JobInput) -> AppResult<()> {
    write_tx(conn, |c| {
        let before = snapshot(&model::find(c, id)?, &model::competencies(c, id)?);
        let v = check(c, input, Some(id))?;
        model::update(c, id, &v, ctx.now)?;
        model::replace_competencies(c, id, &v.competencies)?;
        let after = snapshot(&model::find(c, id)?, &model::competencies(c, id)?);
        audit::record(
            c,
            ctx,
            "job.updated",
            ("job", Some(id.0)),
            Some(before),
            Some(after),
        )?;
        Ok(())
    })
}
