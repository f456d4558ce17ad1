//! Recording that an employee left: the row, the retention tallies and the audit entry
//! in one transaction.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::EmployeeId;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::offer::employees::model::{self, EmployeeRow};
use crate::offer::employees::rules::{validate, LeavingInput};
use crate::offer::reports::tally;
use serde_json::json;

pub fn record_leaving(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: EmployeeId,
    input: &LeavingInput,
) -> AppResult<EmployeeRow> {
    write_tx(conn, |conn| {
        let e = model::find(conn, id)?.employee;
        let v = validate(input, e.started_on, ctx.today()).map_err(AppError::Invalid)?;
        if v.left_on == e.left_on && v.reason == e.leave_reason {
            return Ok(model::find(conn, id)?);
        }
        model::set_leaving(conn, id, v.left_on, &v.reason, ctx.now)?;
        tally::leaving_changed(conn, e.hire_id, e.started_on, e.left_on, v.left_on)?;
        audit::record(
            conn,
            ctx,
            "employee.leaving_recorded",
            ("employee", Some(id.0)),
            Some(json!({"left_on": e.left_on, "leave_reason": e.leave_reason})),
            Some(json!({"left_on": v.left_on, "leave_reason": v.reason})),
        )?;
        Ok(model::find(conn, id)?)
    })
}
