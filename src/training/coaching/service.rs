//! Adding a coaching note: checked, stored and audited in one transaction.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CoachingNoteId, EnrolmentId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::training::coaching::model;
use crate::training::enrolments::model as enrolments;
use serde::Deserialize;
use serde_json::json;

pub const MAX_NOTE: usize = 4000;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NoteInput {
    /// What was observed and agreed, in free text.
    pub body: String,
}

pub fn add(
    conn: &mut DbConn,
    ctx: &Ctx,
    enrolment: EnrolmentId,
    input: &NoteInput,
) -> AppResult<CoachingNoteId> {
    write_tx(conn, |conn| {
        let e = enrolments::find(conn, enrolment)?;
        let body = input.body.trim();
        if body.is_empty() || body.chars().count() > MAX_NOTE {
            return Err(AppError::field(
                "body",
                format!("Write the note (up to {MAX_NOTE} characters)."),
            ));
        }
        let id = model::insert(conn, e.id, ctx.actor.user_id, body, ctx.now)?;
        audit::record(
            conn,
            ctx,
            "coaching_note.added",
            ("enrolment", Some(e.id.0)),
            None,
            Some(json!({"note": id, "cohort": e.cohort_id, "body": body})),
        )?;
        Ok(id)
    })
}
