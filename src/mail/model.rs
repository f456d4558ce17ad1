//! The outbox table.

use crate::ctx::Ctx;
use crate::db::ids::OutboxId;
use crate::db::schema::outbox;
use crate::db::{DbConn, LiteralLimit, TextLiteral};
use crate::error::{AppError, AppResult};
use crate::web::render;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = outbox)]
pub struct Message {
    pub id: OutboxId,
    pub to_addr: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// A calendar invitation (.ics text) the worker attaches as text/calendar.
    #[serde(skip)]
    pub calendar_ics: Option<String>,
}

/// Renders `templates/email/<template>.{subject,txt,html}.hbs` and queues the message.
/// Call inside the transaction of the change that causes the mail.
pub fn enqueue(
    conn: &mut DbConn,
    ctx: &Ctx,
    to: &str,
    template: &str,
    data: &Value,
) -> AppResult<OutboxId> {
    enqueue_with_calendar(conn, ctx, to, template, data, None)
}

/// `enqueue` with a calendar invitation (see `mail::ics`) attached to the message.
pub fn enqueue_with_calendar(
    conn: &mut DbConn,
    ctx: &Ctx,
    to: &str,
    template: &str,
    data: &Value,
    calendar_ics: Option<&str>,
) -> AppResult<OutboxId> {
    let mut data = data.clone();
    data["company"] = Value::String(ctx.company.clone());
    data["base_url"] = Value::String(ctx.base_url.clone());
    let text = |part: &str| {
        render::render_text(&format!("email/{template}.{part}"), &data).map_err(AppError::internal)
    };
    let subject = text("subject")?.trim().to_string();
    let text_body = text("txt")?;
    let html_body =
        render::render(&format!("email/{template}.html"), data).map_err(AppError::internal)?;
    let id = diesel::insert_into(outbox::table)
        .values((
            outbox::to_addr.eq(to),
            outbox::subject.eq(subject),
            outbox::text_body.eq(text_body),
            outbox::html_body.eq(html_body),
            outbox::status.eq(PENDING),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(ctx.now),
            outbox::created_at.eq(ctx.now),
            outbox::calendar_ics.eq(calendar_ics),
        ))
        .returning(outbox::id)
        .get_result(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: OutboxId) -> QueryResult<Message> {
    outbox::table
        .find(id)
        .select(Message::as_select())
        .first(conn)
}

/// Newest first, optionally one status, `limit` rows older than `before`.
pub fn list(
    conn: &mut DbConn,
    status: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Message>> {
    let mut q = outbox::table
        .select(Message::as_select())
        .order(outbox::id.desc())
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(outbox::status.eq(s.to_string()));
    }
    if let Some(b) = before {
        q = q.filter(outbox::id.lt(b));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// Counts the messages in one status, read through the status index, so counting the
/// waiting or failed does not grow with all the mail ever sent. The status is written, not
/// bound: with no parameters PostgreSQL plans the statement once.
#[diesel::dsl::auto_type]
pub fn status_count(status: TextLiteral) -> _ {
    outbox::table.filter(outbox::status.eq(status)).count()
}

pub fn count_by_status(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
}

/// Messages whose time has come, oldest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<Message>> {
    outbox::table
        .filter(outbox::status.eq(PENDING))
        .filter(outbox::next_attempt_at.le(now))
        .order(outbox::next_attempt_at.asc())
        .limit(limit)
        .select(Message::as_select())
        .load(conn)
}

/// Takes a message for delivery. Only one worker (of several app servers) wins; the lease
/// returns it to the queue if that worker dies mid-send.
pub fn claim(conn: &mut DbConn, id: OutboxId, lease_until: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq(PENDING)))
        .set((
            outbox::status.eq(SENDING),
            outbox::next_attempt_at.eq(lease_until),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Messages left in `sending` by a worker that stopped go back to the queue.
pub fn release_expired_leases(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::status.eq(SENDING))
            .filter(outbox::next_attempt_at.lt(now)),
    )
    .set(outbox::status.eq(PENDING))
    .execute(conn)
}

pub fn mark_sent(
    conn: &mut DbConn,
    id: OutboxId,
    attempts: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(SENT),
            outbox::attempts.eq(attempts),
            outbox::sent_at.eq(now),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed attempt: back to the queue at `retry_at`, or failed for good.
pub fn mark_failed_attempt(
    conn: &mut DbConn,
    id: OutboxId,
    attempts: i64,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (status, next) = match retry_at {
        Some(t) => (PENDING, t),
        None => (FAILED, now),
    };
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(next),
            outbox::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// An admin puts a failed message back in the queue with a fresh set of attempts.
pub fn requeue(conn: &mut DbConn, id: OutboxId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq(FAILED)))
        .set((
            outbox::status.eq(PENDING),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}
