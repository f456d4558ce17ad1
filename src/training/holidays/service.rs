//! Adding and removing a company holiday. Cohorts that have not started get their days
//! laid out again in the same transaction; running cohorts keep theirs (attendance is
//! already taken against those dates).

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::HolidayId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::cohorts::model as cohorts;
use crate::training::cohorts::service::lay_out_again;
use crate::training::holidays::model;
use crate::training::holidays::rules::{validate, HolidayInput};
use chrono::NaiveDate;
use serde_json::json;

/// Lays out again the planned cohorts a holiday on `day` can move; their names.
fn lay_out_planned(conn: &mut DbConn, ctx: &Ctx, day: NaiveDate) -> AppResult<Vec<String>> {
    let mut moved = vec![];
    for cohort in cohorts::planned_starting_by(conn, ctx.now.date(), day)? {
        if lay_out_again(conn, &cohort)? {
            moved.push(cohort.name);
        }
    }
    Ok(moved)
}

/// Adds a holiday; returns it and the names of the planned cohorts whose days moved.
pub fn add(
    conn: &mut DbConn,
    ctx: &Ctx,
    input: &HolidayInput,
) -> AppResult<(HolidayId, Vec<String>)> {
    write_tx(conn, |conn| {
        let (day, name) = validate(input).map_err(AppError::Invalid)?;
        if let Some(existing) = model::on(conn, day)? {
            return Err(AppError::field(
                "day",
                format!("{day} is already a holiday ({}).", existing.name),
            ));
        }
        let id = model::insert(conn, day, &name, ctx.now)?;
        let moved = lay_out_planned(conn, ctx, day)?;
        audit::record(
            conn,
            ctx,
            "holiday.created",
            ("holiday", Some(id.0)),
            None,
            Some(json!({"day": day, "name": name, "cohorts_laid_out_again": moved})),
        )?;
        Ok((id, moved))
    })
}

/// Removes a holiday; returns the names of the planned cohorts whose days moved.
pub fn remove(conn: &mut DbConn, ctx: &Ctx, id: HolidayId) -> AppResult<Vec<String>> {
    write_tx(conn, |conn| {
        let holiday = model::find(conn, id)?;
        model::delete(conn, id)?;
        let moved = lay_out_planned(conn, ctx, holiday.day)?;
        audit::record(
            conn,
            ctx,
            "holiday.deleted",
            ("holiday", Some(id.0)),
            Some(json!({"day": holiday.day, "name": holiday.name})),
            Some(json!({"cohorts_laid_out_again": moved})),
        )?;
        Ok(moved)
    })
}
