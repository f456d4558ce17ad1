//! Ticking a task off (or back on), editing the template, and who is behind.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{ChecklistItemId, ChecklistTaskId, CohortId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::checklist::model::{self, ChecklistItem, ChecklistTask};
use crate::training::checklist::rules::{validate, ItemInput};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The person ticks one of their own tasks done, or open again. Anyone else's task is
/// not found. Unchanged state writes nothing.
pub fn set_done(
    conn: &mut DbConn,
    ctx: &Ctx,
    user: UserId,
    task: ChecklistTaskId,
    done: bool,
) -> AppResult<ChecklistTask> {
    write_tx(conn, |conn| {
        let t = model::find_own(conn, task, user)?.ok_or(AppError::NotFound)?;
        if t.done_at.is_some() == done {
            return Ok(t);
        }
        let done_at = done.then_some(ctx.now);
        model::set_done(conn, task, done_at)?;
        audit::record(
            conn,
            ctx,
            if done {
                "checklist_task.done"
            } else {
                "checklist_task.reopened"
            },
            ("checklist_task", Some(task.0)),
            Some(json!({"title": t.title, "done_at": t.done_at})),
            Some(json!({"title": t.title, "done_at": done_at})),
        )?;
        Ok(ChecklistTask { done_at, ..t })
    })
}

fn snapshot(i: &ChecklistItem) -> Value {
    json!({
        "title": i.title,
        "description": i.description,
        "days_before_start": i.days_before_start,
        "position": i.position,
        "active": i.active,
    })
}

/// Adds a template item. Hires given their checklist already keep theirs as it was.
pub fn create_item(conn: &mut DbConn, ctx: &Ctx, input: &ItemInput) -> AppResult<ChecklistItemId> {
    let v = validate(input).map_err(AppError::Invalid)?;
    write_tx(conn, |conn| {
        let id = model::insert_item(conn, &v, ctx.now)?;
        let after = snapshot(&model::find_item(conn, id)?);
        audit::record(
            conn,
            ctx,
            "checklist_item.created",
            ("checklist_item", Some(id.0)),
            None,
            Some(after),
        )?;
        Ok(id)
    })
}

/// Changes a template item; tasks already given are copies and stay as they are.
pub fn update_item(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: ChecklistItemId,
    input: &ItemInput,
) -> AppResult<()> {
    let v = validate(input).map_err(AppError::Invalid)?;
    write_tx(conn, |conn| {
        let before = snapshot(&model::find_item(conn, id)?);
        model::update_item(conn, id, &v, ctx.now)?;
        let after = snapshot(&model::find_item(conn, id)?);
        audit::record(
            conn,
            ctx,
            "checklist_item.updated",
            ("checklist_item", Some(id.0)),
            Some(before),
            Some(after),
        )?;
        Ok(())
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueTask {
    pub task_id: ChecklistTaskId,
    pub title: String,
    pub due_date: NaiveDate,
    pub days_late: i64,
}

/// A person with open tasks past their due date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Behind {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub start_date: NaiveDate,
    pub department: String,
    pub cohort_id: Option<CohortId>,
    pub cohort_name: Option<String>,
    pub overdue: Vec<OverdueTask>,
}

/// The most overdue tasks one list shows.
pub const BEHIND_LIMIT: i64 = 500;

/// Who is behind, most overdue first: two indexed queries, grouped here.
pub fn behind(conn: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Behind>> {
    let today = ctx.today();
    let rows = model::overdue(conn, today, BEHIND_LIMIT)?;
    let mut people: Vec<Behind> = vec![];
    let mut at: HashMap<UserId, usize> = HashMap::new();
    for r in rows {
        let i = *at.entry(r.user_id).or_insert_with(|| {
            people.push(Behind {
                user_id: r.user_id,
                name: r.name.clone(),
                email: r.email.clone(),
                start_date: r.start_date,
                department: r.department.clone(),
                cohort_id: None,
                cohort_name: None,
                overdue: vec![],
            });
            people.len() - 1
        });
        people[i].overdue.push(OverdueTask {
            task_id: r.task_id,
            title: r.title,
            due_date: r.due_date,
            days_late: (today - r.due_date).num_days(),
        });
    }
    let ids: Vec<UserId> = people.iter().map(|p| p.user_id).collect();
    for (user, cohort, name) in model::cohorts_of(conn, &ids)? {
        if let Some(&i) = at.get(&user) {
            people[i].cohort_id = Some(cohort);
            people[i].cohort_name = Some(name);
        }
    }
    Ok(people)
}
