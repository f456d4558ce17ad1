//! API tokens (bearer, hashed at rest, revocable) and one-time links (setup, invite,
//! password reset: single use, expiring).

use crate::auth::model;
use crate::auth::password::{random_token, token_hash};
use crate::auth::rules::TokenPurpose;
use crate::db::ids::{TokenId, UserId};
use crate::db::schema::{api_tokens, one_time_tokens, user_roles, users};
use crate::db::DbConn;
use crate::web::context::Viewer;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// Recognisable in logs and secret scanners; the rest is 32 random bytes.
const API_PREFIX: &str = "onr_";

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub label: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Issues a token; the raw value is returned once and never stored.
pub fn issue(
    conn: &mut DbConn,
    user_id: UserId,
    label: &str,
    now: NaiveDateTime,
) -> QueryResult<(String, ApiToken)> {
    let raw = format!("{API_PREFIX}{}", random_token());
    let id: TokenId = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::label.eq(label),
            api_tokens::token_hash.eq(token_hash(&raw)),
            api_tokens::prefix.eq(&raw[..API_PREFIX.len() + 8]),
            api_tokens::created_at.eq(now),
        ))
        .returning(api_tokens::id)
        .get_result(conn)?;
    Ok((raw, find(conn, id)?))
}

pub fn list_for(conn: &mut DbConn, user_id: UserId) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: TokenId) -> QueryResult<ApiToken> {
    api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)
}

pub fn revoke(conn: &mut DbConn, id: TokenId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// The viewer behind a bearer token: not revoked, and its user active.
pub fn resolve(conn: &mut DbConn, raw: &str, now: NaiveDateTime) -> QueryResult<Option<Viewer>> {
    if !raw.starts_with(API_PREFIX) {
        return Ok(None);
    }
    // As for sessions: one row per role, in one query.
    type Row = (
        TokenId,
        Option<NaiveDateTime>,
        UserId,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = api_tokens::table
        .inner_join(users::table.left_join(user_roles::table))
        .filter(api_tokens::token_hash.eq(token_hash(raw)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select((
            api_tokens::id,
            api_tokens::last_used_at,
            users::id,
            users::name,
            users::email,
            user_roles::role.nullable(),
        ))
        .load(conn)?;
    let roles = model::parse_roles(rows.iter().filter_map(|r| r.5.as_deref()));
    let Some((id, last_used, user_id, name, email, _)) = rows.into_iter().next() else {
        return Ok(None);
    };
    // Written at most once a minute, so API reads do not each become a write.
    if last_used.is_none_or(|t| now - t >= Duration::seconds(60)) {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(Viewer {
        user_id,
        name,
        email,
        roles,
        session_id: None,
        csrf_token: String::new(),
    }))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = one_time_tokens)]
pub struct OneTimeToken {
    pub id: i64,
    pub purpose: String,
    pub user_id: Option<UserId>,
    pub expires_at: NaiveDateTime,
}

/// Creates a single-use link token for `purpose`; returns the raw token for the link.
pub fn create_link(
    conn: &mut DbConn,
    purpose: TokenPurpose,
    user_id: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let raw = random_token();
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::token_hash.eq(token_hash(&raw)),
            one_time_tokens::purpose.eq(purpose.as_str()),
            one_time_tokens::user_id.eq(user_id),
            one_time_tokens::created_at.eq(now),
            one_time_tokens::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(raw)
}

/// An unused, unexpired link token of one of the given purposes.
pub fn find_link(
    conn: &mut DbConn,
    raw: &str,
    purposes: &[TokenPurpose],
    now: NaiveDateTime,
) -> QueryResult<Option<OneTimeToken>> {
    let names: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
    one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash(raw)))
        .filter(one_time_tokens::purpose.eq_any(names))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .select(OneTimeToken::as_select())
        .first(conn)
        .optional()
}

/// Marks a link used. False when another request used it first: exactly one use wins.
pub fn use_link(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        one_time_tokens::table
            .find(id)
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Older links of the same purpose stop working when a new one is sent.
pub fn expire_links_for(
    conn: &mut DbConn,
    user_id: UserId,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user_id))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)
    .map(|_| ())
}
