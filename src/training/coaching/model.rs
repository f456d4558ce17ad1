//! Coaching notes on a trainee. Trainers and HR read them; the new hire never does.

use crate::db::ids::{CoachingNoteId, EnrolmentId, UserId};
use crate::db::schema::{coaching_notes, users};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct CoachingNote {
    pub id: CoachingNoteId,
    pub enrolment_id: EnrolmentId,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: NaiveDateTime,
}

/// A trainee's notes, latest first (the coaching_notes_enrolment index).
pub fn for_enrolment(conn: &mut DbConn, enrolment: EnrolmentId) -> QueryResult<Vec<CoachingNote>> {
    coaching_notes::table
        .left_join(users::table)
        .filter(coaching_notes::enrolment_id.eq(enrolment))
        .order((coaching_notes::created_at.desc(), coaching_notes::id.desc()))
        .select((
            coaching_notes::id,
            coaching_notes::enrolment_id,
            coaching_notes::author_id,
            users::name.nullable(),
            coaching_notes::body,
            coaching_notes::created_at,
        ))
        .load(conn)
}

pub fn insert(
    conn: &mut DbConn,
    enrolment: EnrolmentId,
    author: Option<UserId>,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<CoachingNoteId> {
    diesel::insert_into(coaching_notes::table)
        .values((
            coaching_notes::enrolment_id.eq(enrolment),
            coaching_notes::author_id.eq(author),
            coaching_notes::body.eq(body),
            coaching_notes::created_at.eq(now),
        ))
        .returning(coaching_notes::id)
        .get_result(conn)
}
