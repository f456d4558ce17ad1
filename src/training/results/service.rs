//! Saving a module's results for the whole roster in one transaction, audited.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, CohortModuleId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::cohorts::model as cohorts;
use crate::training::enrolments::model as enrolments;
use crate::training::results::model::{self, Recorded};
use crate::training::results::rules::{self, Outcome, ResultInput};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Returns how many results changed.
pub fn save(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort_id: CohortId,
    module_id: CohortModuleId,
    inputs: &[ResultInput],
) -> AppResult<usize> {
    write_tx(conn, |conn| {
        let modules = cohorts::modules(conn, cohort_id)?;
        let module = model::module_of(&modules, module_id)?;
        let roster: HashSet<_> = enrolments::roster(conn, cohort_id)?
            .into_iter()
            .map(|r| r.enrolment_id)
            .collect();
        let wanted =
            rules::validate(inputs, module.pass_mark, &roster).map_err(AppError::Invalid)?;
        let existing = model::for_module(conn, module.id)?;
        let plan = rules::plan(&existing, wanted);
        if plan.changes.is_empty() {
            return Ok(0);
        }
        let recorded = Recorded {
            module: module.id,
            by: ctx.actor.user_id,
            at: ctx.now,
        };
        model::insert_many(conn, &recorded, &plan.inserts)?;
        for (to, ids) in &plan.updates {
            model::update_many(conn, &recorded, *to, ids)?;
        }
        model::delete_many(conn, module.id, &plan.removals)?;
        let outcome = |o: &Option<Outcome>| -> Value {
            match o {
                Some((score, passed)) => json!({"score": score, "passed": passed}),
                None => Value::Null,
            }
        };
        let before: Vec<Value> = plan
            .changes
            .iter()
            .map(|(id, b, _)| json!({"enrolment": id, "result": outcome(b)}))
            .collect();
        let after: Vec<Value> = plan
            .changes
            .iter()
            .map(|(id, _, a)| json!({"enrolment": id, "result": outcome(a)}))
            .collect();
        audit::record(
            conn,
            ctx,
            "module_results.saved",
            ("cohort_module", Some(module.id.0)),
            Some(json!({"cohort": cohort_id, "module": module.title, "results": before})),
            Some(
                json!({"cohort": cohort_id, "module": module.title, "pass_mark": module.pass_mark, "results": after}),
            ),
        )?;
        Ok(plan.changes.len())
    })
}
