//! The outbox for admins: what was sent, what is waiting, what failed and why; retry.

use crate::audit;
use crate::auth::role::AdminOnly;
use crate::auth::Auth;
use crate::db::ids::OutboxId;
use crate::db::write_tx;
use crate::error::{AppError, AppResult};
use crate::mail::model::{self, Message};
use crate::web::pagination::{PageQuery, Paged};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(show).service(retry);
}

#[derive(Deserialize)]
struct OutboxQuery {
    status: Option<String>,
}

const STATUSES: [&str; 4] = [model::PENDING, model::SENDING, model::SENT, model::FAILED];

#[get("/admin/outbox")]
async fn list(
    auth: Auth<AdminOnly>,
    q: web::Query<OutboxQuery>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let status = q.status.clone().filter(|s| STATUSES.contains(&s.as_str()));
    let (limit, cursor, st) = (page.limit(), page.cursor, status.clone());
    let (rows, counts) = auth
        .req
        .db(move |c| {
            Ok((
                model::list(c, st.as_deref(), cursor, limit + 1)?,
                model::count_by_status(c)?,
            ))
        })
        .await?;
    let page = Paged::from_rows(rows, limit, |m: &Message| m.id.0);
    let tabs: Vec<_> = STATUSES
        .iter()
        .map(|s| json!({"status": s, "count": counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n), "active": status.as_deref() == Some(*s)}))
        .collect();
    let next = page.next_cursor.map(|c| {
        format!(
            "/admin/outbox?{}cursor={c}",
            status
                .as_ref()
                .map(|s| format!("status={s}&"))
                .unwrap_or_default()
        )
    });
    auth.req.page(
        "mail/outbox",
        "Outbox",
        json!({"messages": page.items, "tabs": tabs, "all": status.is_none(), "next": next}),
    )
}

#[get("/admin/outbox/{id}")]
async fn show(auth: Auth<AdminOnly>, id: web::Path<OutboxId>) -> AppResult<HttpResponse> {
    let id = *id;
    let msg = auth.req.db(move |c| Ok(model::find(c, id)?)).await?;
    let title = format!("Message #{}", msg.id);
    auth.req.page(
        "mail/message",
        &title,
        json!({"message": msg, "failed": msg.status == model::FAILED}),
    )
}

#[post("/admin/outbox/{id}/retry")]
async fn retry(auth: Auth<AdminOnly>, id: web::Path<OutboxId>) -> AppResult<HttpResponse> {
    let (id, ctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| {
            write_tx(c, |c| {
                if !model::requeue(c, id, ctx.now)? {
                    return Err(AppError::Conflict(vec![
                        "Only a failed message can be retried.".into(),
                    ]));
                }
                audit::record(
                    c,
                    &ctx,
                    "mail.retried",
                    ("outbox", Some(id.0)),
                    Some(json!({"status": "failed"})),
                    Some(json!({"status": "pending"})),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(auth.req.redirect_ok(
        &format!("/admin/outbox/{id}"),
        "Queued again; the worker will try it within a second.",
    ))
}
