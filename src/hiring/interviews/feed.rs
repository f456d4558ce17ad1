//! The private calendar feed: one unguessable URL per person (only its hash is stored),
//! which Google Calendar or Outlook subscribe to. `events_for` gathers what the feed
//! shows; the training part adds its days there next to `interview_events`.

use crate::audit;
use crate::auth::password::{random_token, token_hash};
use crate::ctx::Ctx;
use crate::db::ids::{CalendarFeedId, UserId};
use crate::db::schema::calendar_feeds;
use crate::db::{write_tx, DbConn};
use crate::error::AppResult;
use crate::hiring::interviews::model;
use crate::hiring::interviews::rules::FEED_DAYS_BACK;
use crate::mail::ics::{self, CalEvent, Method};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = calendar_feeds)]
pub struct Feed {
    pub id: CalendarFeedId,
    pub user_id: UserId,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// The person's live feed, if any.
pub fn active(conn: &mut DbConn, user: UserId) -> AppResult<Option<Feed>> {
    Ok(calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(Feed::as_select())
        .order(calendar_feeds::id.desc())
        .first(conn)
        .optional()?)
}

fn revoke_all(conn: &mut DbConn, user: UserId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        calendar_feeds::table
            .filter(calendar_feeds::user_id.eq(user))
            .filter(calendar_feeds::revoked_at.is_null()),
    )
    .set(calendar_feeds::revoked_at.eq(now))
    .execute(conn)
}

/// The feed URL path for a raw token.
pub fn path(raw: &str) -> String {
    format!("/calendar/{raw}.ics")
}

/// Creates a feed URL for the acting user, ending any earlier one (a rotation). Returns
/// the raw token: shown once, never stored.
pub fn create(conn: &mut DbConn, ctx: &Ctx, user: UserId) -> AppResult<String> {
    let raw = random_token();
    write_tx(conn, |conn| {
        let ended = revoke_all(conn, user, ctx.now)?;
        let id: CalendarFeedId = diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::user_id.eq(user),
                calendar_feeds::token_hash.eq(token_hash(&raw)),
                calendar_feeds::created_at.eq(ctx.now),
            ))
            .returning(calendar_feeds::id)
            .get_result(conn)?;
        audit::record(
            conn,
            ctx,
            if ended > 0 {
                "calendar_feed.rotated"
            } else {
                "calendar_feed.created"
            },
            ("user", Some(user.0)),
            None,
            Some(json!({"feed": id})),
        )?;
        Ok(raw.clone())
    })
}

/// Ends the person's feed URL; calendars subscribed to it get 404 from now on.
pub fn revoke(conn: &mut DbConn, ctx: &Ctx, user: UserId) -> AppResult<bool> {
    write_tx(conn, |conn| {
        let ended = revoke_all(conn, user, ctx.now)?;
        if ended > 0 {
            audit::record(
                conn,
                ctx,
                "calendar_feed.revoked",
                ("user", Some(user.0)),
                None,
                None,
            )?;
        }
        Ok(ended > 0)
    })
}

/// Whose live feed this raw token opens.
pub fn owner(conn: &mut DbConn, raw: &str) -> AppResult<Option<UserId>> {
    Ok(calendar_feeds::table
        .filter(calendar_feeds::token_hash.eq(token_hash(raw)))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(calendar_feeds::user_id)
        .first(conn)
        .optional()?)
}

/// The person's scheduled interviews (as an interviewer) from `FEED_DAYS_BACK` days ago
/// on; cancelled ones are left out.
pub fn interview_events(conn: &mut DbConn, ctx: &Ctx, user: UserId) -> AppResult<Vec<CalEvent>> {
    let from = ctx.now - Duration::days(FEED_DAYS_BACK);
    let rows = model::for_interviewer(conn, user, from, None, false, 1000)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.interview.is_scheduled())
        .map(|r| {
            let iv = r.interview;
            let link = ctx.link(&format!("/hiring/interviews/{}", iv.id));
            let mut description = format!("Details and your scorecard: {link}");
            if !iv.video_url.is_empty() {
                description.push_str(&format!("\nVideo call: {}", iv.video_url));
            }
            CalEvent {
                summary: format!("{} interview: {}", iv.track().label(), r.candidate_name),
                description,
                location: iv.location.clone(),
                url: if iv.video_url.is_empty() {
                    link
                } else {
                    iv.video_url.clone()
                },
                starts: iv.starts_at,
                ends: iv.ends_at(),
                stamp: iv.updated_at,
                uid: iv.ical_uid,
                sequence: iv.sequence,
                organizer: None,
                attendees: vec![],
                cancelled: false,
            }
        })
        .collect())
}

/// Everything a person's feed shows: interviews they sit on and their training days.
pub fn events_for(conn: &mut DbConn, ctx: &Ctx, user: UserId) -> AppResult<Vec<CalEvent>> {
    let mut events = interview_events(conn, ctx, user)?;
    events.extend(crate::training::portal::feed::training_events(
        conn, ctx, user,
    )?);
    Ok(events)
}

/// The feed behind a raw token as calendar text, or None for an unknown or revoked token.
pub fn render(conn: &mut DbConn, ctx: &Ctx, raw: &str) -> AppResult<Option<String>> {
    let Some(user) = owner(conn, raw)? else {
        return Ok(None);
    };
    let events = events_for(conn, ctx, user)?;
    let name = format!("{} interviews", ctx.company);
    Ok(Some(ics::calendar(Method::Publish, Some(&name), &events)))
}
