//! Interview rows, their panels, and the queries the pages, the feed and the reminder
//! job run.

use crate::auth::role::Role;
use crate::db::ids::{CandidateId, InterviewId, UserId};
use crate::db::schema::{candidates, interview_panel, interviews, scorecards, user_roles, users};
use crate::db::{DbConn, LiteralLimit};
use crate::hiring::interviews::rules::ValidInterview;
use crate::hiring::rules::{InterviewStatus, Track};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// Roles whose holders may sit on an interview panel.
pub const PANEL_ROLES: [Role; 4] = [Role::Interviewer, Role::Recruiter, Role::Hr, Role::Admin];

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = interviews)]
pub struct Interview {
    pub id: InterviewId,
    pub candidate_id: CandidateId,
    pub track: String,
    /// UTC.
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i64,
    pub location: String,
    pub video_url: String,
    /// scheduled or cancelled.
    pub status: String,
    /// The calendar UID, the same in every invitation for this interview.
    pub ical_uid: String,
    /// Raised on every change mailed to the attendees.
    pub sequence: i64,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Interview {
    pub fn track(&self) -> Track {
        Track::parse(&self.track).unwrap_or(Track::Technical)
    }

    pub fn status(&self) -> InterviewStatus {
        InterviewStatus::parse(&self.status).unwrap_or(InterviewStatus::Scheduled)
    }

    pub fn is_scheduled(&self) -> bool {
        self.status() == InterviewStatus::Scheduled
    }

    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + Duration::minutes(self.duration_minutes)
    }

    /// The stored interview in the shape the rules compare.
    pub fn as_valid(&self, panel: &[UserId]) -> ValidInterview {
        ValidInterview {
            track: self.track(),
            starts_at: self.starts_at,
            duration_minutes: self.duration_minutes,
            location: self.location.clone(),
            video_url: self.video_url.clone(),
            interviewers: panel.to_vec(),
        }
    }
}

/// Someone on a panel, or who could be.
#[derive(Debug, Clone, Queryable, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

pub fn find(conn: &mut DbConn, id: InterviewId) -> QueryResult<Interview> {
    interviews::table
        .find(id)
        .select(Interview::as_select())
        .first(conn)
}

/// Stores a new interview with its panel. The UID names the row, so it is set once the
/// id is known: `interview-<id>-<random>@<host>`.
pub fn insert(
    conn: &mut DbConn,
    candidate_id: CandidateId,
    v: &ValidInterview,
    host: &str,
    created_by: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<InterviewId> {
    let id: InterviewId = diesel::insert_into(interviews::table)
        .values((
            interviews::candidate_id.eq(candidate_id),
            interviews::track.eq(v.track.as_str()),
            interviews::starts_at.eq(v.starts_at),
            interviews::duration_minutes.eq(v.duration_minutes),
            interviews::location.eq(&v.location),
            interviews::video_url.eq(&v.video_url),
            interviews::status.eq(InterviewStatus::Scheduled.as_str()),
            interviews::ical_uid.eq(""),
            interviews::sequence.eq(0),
            interviews::created_by.eq(created_by),
            interviews::created_at.eq(now),
            interviews::updated_at.eq(now),
        ))
        .returning(interviews::id)
        .get_result(conn)?;
    let random = &crate::auth::password::random_token()[..12];
    diesel::update(interviews::table.find(id))
        .set(interviews::ical_uid.eq(format!("interview-{id}-{random}@{host}")))
        .execute(conn)?;
    for user in &v.interviewers {
        add_to_panel(conn, id, *user)?;
    }
    Ok(id)
}

pub fn add_to_panel(conn: &mut DbConn, id: InterviewId, user: UserId) -> QueryResult<()> {
    diesel::insert_into(interview_panel::table)
        .values((
            interview_panel::interview_id.eq(id),
            interview_panel::user_id.eq(user),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn remove_from_panel(conn: &mut DbConn, id: InterviewId, user: UserId) -> QueryResult<()> {
    diesel::delete(
        interview_panel::table
            .filter(interview_panel::interview_id.eq(id))
            .filter(interview_panel::user_id.eq(user)),
    )
    .execute(conn)
    .map(|_| ())
}

/// New time, length, place or link, and the next SEQUENCE.
pub fn update_details(
    conn: &mut DbConn,
    id: InterviewId,
    v: &ValidInterview,
    sequence: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(interviews::table.find(id))
        .set((
            interviews::starts_at.eq(v.starts_at),
            interviews::duration_minutes.eq(v.duration_minutes),
            interviews::location.eq(&v.location),
            interviews::video_url.eq(&v.video_url),
            interviews::sequence.eq(sequence),
            interviews::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn mark_cancelled(
    conn: &mut DbConn,
    id: InterviewId,
    sequence: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(interviews::table.find(id))
        .set((
            interviews::status.eq(InterviewStatus::Cancelled.as_str()),
            interviews::sequence.eq(sequence),
            interviews::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The panel, by name.
pub fn panel(conn: &mut DbConn, id: InterviewId) -> QueryResult<Vec<Member>> {
    interview_panel::table
        .inner_join(users::table)
        .filter(interview_panel::interview_id.eq(id))
        .select((users::id, users::name, users::email))
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}

pub fn on_panel(conn: &mut DbConn, id: InterviewId, user: UserId) -> QueryResult<bool> {
    let n: i64 = interview_panel::table
        .filter(interview_panel::interview_id.eq(id))
        .filter(interview_panel::user_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Active people who may sit on a panel, by name.
pub fn eligible_interviewers(conn: &mut DbConn) -> QueryResult<Vec<Member>> {
    let roles: Vec<&str> = PANEL_ROLES.iter().map(|r| r.as_str()).collect();
    let mut people: Vec<Member> = users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq_any(roles))
        .filter(users::active.eq(true))
        .select((users::id, users::name, users::email))
        .order((users::name.asc(), users::id.asc()))
        .load(conn)?;
    people.dedup_by_key(|m| m.id);
    Ok(people)
}

pub fn members(conn: &mut DbConn, ids: &[UserId]) -> QueryResult<Vec<Member>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name, users::email))
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}

/// A candidate's interviews, soonest first.
pub fn for_candidate(conn: &mut DbConn, candidate: CandidateId) -> QueryResult<Vec<Interview>> {
    interviews::table
        .filter(interviews::candidate_id.eq(candidate))
        .order((interviews::starts_at.asc(), interviews::id.asc()))
        .select(Interview::as_select())
        .load(conn)
}

/// An interview with the candidate's name, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub interview: Interview,
    pub candidate_name: String,
}

/// The interviews `user` sits on that start in `[from, to)`, soonest first (or latest
/// first with `newest_first`), at most `limit`.
pub fn for_interviewer(
    conn: &mut DbConn,
    user: UserId,
    from: NaiveDateTime,
    to: Option<NaiveDateTime>,
    newest_first: bool,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    let mut q = interview_panel::table
        .inner_join(interviews::table.inner_join(candidates::table))
        .filter(interview_panel::user_id.eq(user))
        .filter(interviews::starts_at.ge(from))
        .select((Interview::as_select(), candidates::name))
        .into_boxed();
    if let Some(to) = to {
        q = q.filter(interviews::starts_at.lt(to));
    }
    q = if newest_first {
        q.order((interviews::starts_at.desc(), interviews::id.desc()))
    } else {
        q.order((interviews::starts_at.asc(), interviews::id.asc()))
    };
    let rows: Vec<(Interview, String)> = LiteralLimit { query: q, limit }.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(interview, candidate_name)| Listed {
            interview,
            candidate_name,
        })
        .collect())
}

/// Of these interviews, the ones `user` has submitted a scorecard for.
pub fn submitted_by(
    conn: &mut DbConn,
    user: UserId,
    ids: &[InterviewId],
) -> QueryResult<HashSet<InterviewId>> {
    Ok(scorecards::table
        .filter(scorecards::interviewer_id.eq(user))
        .filter(scorecards::interview_id.eq_any(ids))
        .select(scorecards::interview_id)
        .load::<InterviewId>(conn)?
        .into_iter()
        .collect())
}

/// Of these interviews, (interview, interviewer) pairs with a submitted scorecard.
pub fn submitted_pairs(
    conn: &mut DbConn,
    ids: &[InterviewId],
) -> QueryResult<HashSet<(InterviewId, UserId)>> {
    Ok(scorecards::table
        .filter(scorecards::interview_id.eq_any(ids))
        .select((scorecards::interview_id, scorecards::interviewer_id))
        .load::<(InterviewId, UserId)>(conn)?
        .into_iter()
        .collect())
}

/// Panel seats of active people with no scorecard and no reminder yet, on scheduled
/// interviews that started in `[started_after, started_before)`, oldest first.
pub fn unreminded_seats(
    conn: &mut DbConn,
    started_after: NaiveDateTime,
    started_before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(Interview, UserId)>> {
    interview_panel::table
        .inner_join(interviews::table)
        .inner_join(users::table)
        .left_join(
            scorecards::table.on(scorecards::interview_id
                .eq(interview_panel::interview_id)
                .and(scorecards::interviewer_id.eq(interview_panel::user_id))),
        )
        .filter(scorecards::id.is_null())
        .filter(interviews::status.eq(InterviewStatus::Scheduled.as_str()))
        .filter(interviews::starts_at.lt(started_before))
        .filter(interviews::starts_at.ge(started_after))
        .filter(interview_panel::reminded_at.is_null())
        .filter(users::active.eq(true))
        .order((interviews::starts_at.asc(), interviews::id.asc()))
        .select((Interview::as_select(), interview_panel::user_id))
        .limit(limit)
        .load(conn)
}

/// Marks a seat reminded; false when another run got there first.
pub fn mark_reminded(
    conn: &mut DbConn,
    id: InterviewId,
    user: UserId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        interview_panel::table
            .filter(interview_panel::interview_id.eq(id))
            .filter(interview_panel::user_id.eq(user))
            .filter(interview_panel::reminded_at.is_null()),
    )
    .set(interview_panel::reminded_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}
