//! Template use cases: create (often as a copy of another) and edit, each with its
//! modules, audited before and after. Cohorts keep their own copies, so nothing else moves.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::CurriculumId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::curricula::model;
use crate::training::curricula::rules::{self, CurriculumInput, ValidCurriculum};
use serde_json::{json, Value};

/// A template and its modules as the audit log records them.
fn snapshot(conn: &mut DbConn, id: CurriculumId) -> AppResult<Value> {
    let t = model::find(conn, id)?;
    let modules: Vec<Value> = model::modules(conn, id)?
        .iter()
        .map(|m| json!({"week": m.week, "day": m.day, "position": m.position, "title": m.title, "kind": m.kind, "description": m.description, "pass_mark": m.pass_mark}))
        .collect();
    Ok(json!({
        "name": t.name,
        "description": t.description,
        "weeks": t.weeks,
        "days_per_week": t.days_per_week,
        "live_call_target_minutes": t.live_call_target_minutes,
        "max_unexcused_absences": t.max_unexcused_absences,
        "max_lates": t.max_lates,
        "day_minutes": t.day_minutes,
        "modules": modules,
    }))
}

fn check(
    conn: &mut DbConn,
    input: &CurriculumInput,
    id: Option<CurriculumId>,
) -> AppResult<ValidCurriculum> {
    let v = rules::validate(input).map_err(AppError::Invalid)?;
    if model::name_taken(conn, &v.name, id)? {
        return Err(AppError::field(
            "name",
            format!("There is already a template called {}.", v.name),
        ));
    }
    Ok(v)
}

pub fn create(conn: &mut DbConn, ctx: &Ctx, input: &CurriculumInput) -> AppResult<CurriculumId> {
    write_tx(conn, |c| {
        let v = check(c, input, None)?;
        let id = model::insert(c, &v, ctx.now)?;
        model::replace_modules(c, id, &v.modules)?;
        let after = snapshot(c, id)?;
        audit::record(
            c,
            ctx,
            "curriculum.created",
            ("curriculum", Some(id.0)),
            None,
            Some(after),
        )?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: CurriculumId,
    input: &CurriculumInput,
) -> AppResult<()> {
    write_tx(conn, |c| {
        let before = snapshot(c, id)?;
        let v = check(c, input, Some(id))?;
        model::update(c, id, &v, ctx.now)?;
        model::replace_modules(c, id, &v.modules)?;
        let after = snapshot(c, id)?;
        audit::record(
            c,
            ctx,
            "curriculum.updated",
            ("curriculum", Some(id.0)),
            Some(before),
            Some(after),
        )?;
        Ok(())
    })
}
