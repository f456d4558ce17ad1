//! The signed-in home page: what each of the viewer's roles needs first.

use crate::audit::model as audit_model;
use crate::auth::model as users;
use crate::auth::role::{AnyUser, Role};
use crate::auth::Auth;
use crate::error::AppResult;
use crate::mail::model as outbox;
use actix_web::{get, web, HttpResponse};
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
                let counts = outbox::count_unsent(c)?;
                let n = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
                Some(json!({"staff": users::count_staff(c)?, "mail_failed": n(outbox::FAILED), "mail_pending": n(outbox::PENDING)}))
            } else {
                None
            };
            let recent = if reads_audit { Some(audit_model::recent(c, 8)?) } else { None };
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
