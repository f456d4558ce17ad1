//! Core value use cases: add and edit, each audited with before and after.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::CoreValueId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::values::model;
use crate::hiring::values::rules::{self, ValueInput};
use serde_json::json;

const NAME_TAKEN: &str = "Another value already has this name.";

pub fn create(conn: &mut DbConn, ctx: &Ctx, input: &ValueInput) -> AppResult<CoreValueId> {
    let v = rules::validate(input).map_err(AppError::Invalid)?;
    write_tx(conn, |c| {
        if model::name_taken(c, &v.name, None)? {
            return Err(AppError::field("name", NAME_TAKEN));
        }
        let id = model::insert(c, &v, ctx.now)?;
        audit::record(
            c,
            ctx,
            "core_value.created",
            ("core_value", Some(id.0)),
            None,
            Some(json!(v)),
        )?;
        Ok(id)
    })
}

pub fn update(conn: &mut DbConn, ctx: &Ctx, id: CoreValueId, input: &ValueInput) -> AppResult<()> {
    let v = rules::validate(input).map_err(AppError::Invalid)?;
    write_tx(conn, |c| {
        let before = model::find(c, id)?;
        if model::name_taken(c, &v.name, Some(id))? {
            return Err(AppError::field("name", NAME_TAKEN));
        }
        model::update(c, id, &v, ctx.now)?;
        audit::record(
            c,
            ctx,
            "core_value.updated",
            ("core_value", Some(id.0)),
            Some(json!({
                "name": before.name,
                "description": before.description,
                "sample_questions": before.sample_questions,
                "active": before.active,
                "position": before.position,
            })),
            Some(json!(v)),
        )
        .map_err(AppError::from)
    })
}
