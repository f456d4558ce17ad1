//! The signed-in home page: what each of the viewer's roles needs first.

use crate::audit::model as audit_model;
use crate::auth::model as users;
use crate::auth::role::{AnyUser, Role};
use crate::auth::Auth;
use crate::db::{DbConn, TextLiteral};
use crate::error::AppResult;
use crate::mail::model as outbox;
use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home);
}

#[get("/home")]
async fn home(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    let is_admin = auth.viewer.has(Role::Admin);
    let reads_audit = auth.viewer.has_any(&[Role::Hr, Role::Admin]);
    let is_trainer = auth.viewer.has(Role::Trainer);
    let data = auth
        .req
        .db(move |c| {
            let admin = if is_admin {
                let (staff, failed, pending) = admin_counts(c)?;
                Some(json!({"staff": staff, "mail_failed": failed, "mail_pending": pending}))
            } else {
                None
            };
            let recent = if reads_audit {
                Some(audit_model::recent(c, 8)?)
            } else {
                None
            };
            Ok(json!({"admin": admin, "recent": recent, "trainer": is_trainer}))
        })
        .await?;
    let roles: Vec<_> = auth
        .viewer
        .roles
        .iter()
        .map(|r| json!({"role": r.as_str(), "label": r.label()}))
        .collect();
    let mut data = data;
    data["roles"] = json!(roles);
    auth.req.page("home", "Home", data)
}

/// The admin's figures (active staff, failed mail, waiting mail) in one statement with no
/// parameters: one round trip, and PostgreSQL plans it once.
fn admin_counts(c: &mut DbConn) -> QueryResult<(i64, i64, i64)> {
    let (staff, failed, pending): (Option<i64>, Option<i64>, Option<i64>) = diesel::select((
        users::staff_count().single_value(),
        outbox::status_count(TextLiteral(outbox::FAILED)).single_value(),
        outbox::status_count(TextLiteral(outbox::PENDING)).single_value(),
    ))
    .get_result(c)?;
    // A scalar subquery is nullable to SQL; a count is never NULL.
    Ok((
        staff.unwrap_or(0),
        failed.unwrap_or(0),
        pending.unwrap_or(0),
    ))
}
