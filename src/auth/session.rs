//! Server-side sessions: the cookie holds a random token, the table only its hash.

use crate::auth::model;
use crate::auth::password::{random_token, token_hash};
use crate::auth::rules;
use crate::db::ids::{SessionId, UserId};
use crate::db::schema::{sessions, user_roles, users};
use crate::db::DbConn;
use crate::web::context::Viewer;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NewSession<'a> {
    token_hash: String,
    user_id: UserId,
    csrf_token: String,
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    ip: &'a str,
    user_agent: &'a str,
}

/// Starts a session and returns the raw token for the cookie (it is never stored).
pub fn create(
    conn: &mut DbConn,
    user_id: UserId,
    now: NaiveDateTime,
    max_age: Duration,
    ip: &str,
    user_agent: &str,
) -> QueryResult<(String, SessionId)> {
    let token = random_token();
    let id = diesel::insert_into(sessions::table)
        .values(NewSession {
            token_hash: token_hash(&token),
            user_id,
            csrf_token: random_token(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + max_age,
            ip,
            user_agent: &user_agent[..user_agent.len().min(300)],
        })
        .returning(sessions::id)
        .get_result(conn)?;
    Ok((token, id))
}

/// The viewer behind a session token, if the session is alive and the user active. One
/// query: the session and user come back once per role (a left join, so a user with no
/// role still signs in), which every signed-in request saves a round trip by.
pub fn resolve(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
    idle: Duration,
) -> QueryResult<Option<Viewer>> {
    type Row = (
        SessionId,
        UserId,
        String,
        NaiveDateTime,
        NaiveDateTime,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = sessions::table
        .inner_join(users::table.left_join(user_roles::table))
        .filter(sessions::token_hash.eq(token_hash(token)))
        .filter(users::active.eq(true))
        .select((
            sessions::id,
            users::id,
            sessions::csrf_token,
            sessions::last_seen_at,
            sessions::expires_at,
            users::name,
            users::email,
            user_roles::role.nullable(),
        ))
        .load(conn)?;
    let roles = model::parse_roles(rows.iter().filter_map(|r| r.7.as_deref()));
    let Some((session_id, user_id, csrf_token, last_seen, expires, name, email, _)) =
        rows.into_iter().next()
    else {
        return Ok(None);
    };
    if !rules::session_alive(last_seen, expires, idle, now) {
        end(conn, session_id)?;
        return Ok(None);
    }
    if rules::session_needs_touch(last_seen, now) {
        diesel::update(sessions::table.find(session_id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(Viewer {
        user_id,
        name,
        email,
        roles,
        session_id: Some(session_id),
        csrf_token,
    }))
}

pub fn end(conn: &mut DbConn, id: SessionId) -> QueryResult<()> {
    diesel::delete(sessions::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of a user, optionally keeping one (the one changing its password).
pub fn end_all_for(
    conn: &mut DbConn,
    user_id: UserId,
    keep: Option<SessionId>,
) -> QueryResult<usize> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id));
    match keep {
        Some(keep) => diesel::delete(q.filter(sessions::id.ne(keep))).execute(conn),
        None => diesel::delete(q).execute(conn),
    }
}
