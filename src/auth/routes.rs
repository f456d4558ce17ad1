//! Pages: sign in and out, first-run setup, account, password reset, people admin.

use crate::auth::model;
use crate::auth::role::{AdminOnly, AnyUser, Role};
use crate::auth::service::{self, LoginRequest, NewUserInput};
use crate::auth::tokens;
use crate::auth::Auth;
use crate::db::ids::{TokenId, UserId};
use crate::error::{AppError, AppResult};
use crate::web::cookies;
use crate::web::pagination::{PageQuery, Paged};
use crate::web::ReqCtx;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(login_page)
        .service(login)
        .service(logout)
        .service(setup_page)
        .service(setup)
        .service(account)
        .service(change_password)
        .service(forgot_page)
        .service(forgot)
        .service(set_password_page)
        .service(set_password)
        .service(users_page)
        .service(new_user_page)
        .service(create_user)
        .service(user_page)
        .service(update_roles)
        .service(set_active)
        .service(resend_invite)
        .service(issue_token)
        .service(revoke_token);
}

/// Only same-site paths are followed after sign-in, never another host.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/home".into(),
    }
}

#[derive(Deserialize, Serialize, Default)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[get("/login")]
async fn login_page(ctx: ReqCtx, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if ctx.viewer.is_some() {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, safe_next(q.next.as_deref())))
            .finish());
    }
    ctx.page("auth/login", "Sign in", json!({"form": {"next": q.next}}))
}

#[post("/login")]
async fn login(
    ctx: ReqCtx,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let sctx = ctx.ctx();
    let max_age = chrono::Duration::hours(ctx.state.settings.session_max_hours);
    let (email, password) = (form.email.clone(), form.password.clone());
    let result = ctx
        .db(move |c| {
            service::login(
                c,
                &sctx,
                LoginRequest {
                    email: &email,
                    password: &password,
                    ip: &ip,
                    user_agent: &user_agent,
                    max_age,
                },
            )
        })
        .await;
    let shown = json!({"form": {"email": form.email, "next": form.next}});
    match result {
        Ok(token) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, safe_next(form.next.as_deref())))
            .cookie(cookies::build(
                cookies::SESSION,
                token,
                ctx.state.secure_cookies,
            ))
            .cookie(cookies::removal(cookies::CSRF))
            .finish()),
        Err(AppError::Invalid(errors)) => ctx.form_errors("auth/login", "Sign in", &errors, shown),
        Err(AppError::TooManyRequests(message)) => {
            let mut data = shown;
            data["errors"] = json!({"form": message});
            ctx.page_with_status(
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                "auth/login",
                "Sign in",
                data,
            )
        }
        Err(e) => Err(e),
    }
}

#[post("/logout")]
async fn logout(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    if let Some(session_id) = auth.viewer.session_id {
        let sctx = auth.req.ctx();
        auth.req
            .db(move |c| service::logout(c, &sctx, session_id))
            .await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .cookie(cookies::removal(cookies::SESSION))
        .finish())
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(Deserialize, Serialize)]
struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
}

#[get("/setup")]
async fn setup_page(ctx: ReqCtx, q: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    let (now, token) = (ctx.state.clock.now(), q.token.clone());
    if !ctx
        .db(move |c| service::setup_token_valid(c, now, &token))
        .await?
    {
        return Err(AppError::Conflict(vec!["This setup link has been used or has expired. Restart the server for a new one, or sign in.".into()]));
    }
    ctx.page(
        "auth/setup",
        "Set up onramp",
        json!({"form": {"token": q.token}}),
    )
}

#[post("/setup")]
async fn setup(ctx: ReqCtx, form: web::Form<SetupForm>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let sctx = ctx.ctx();
    let (t, n, e, p) = (
        form.token.clone(),
        form.name.clone(),
        form.email.clone(),
        form.password.clone(),
    );
    match ctx
        .db(move |c| service::setup_admin(c, &sctx, &t, &n, &e, &p))
        .await
    {
        Ok(_) => Ok(ctx.redirect_ok(
            "/login",
            "Your admin account is ready. Sign in to invite your team.",
        )),
        Err(AppError::Invalid(errors)) => ctx.form_errors(
            "auth/setup",
            "Set up onramp",
            &errors,
            json!({"form": form}),
        ),
        Err(e) => Err(e),
    }
}

#[get("/account")]
async fn account(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    let id = auth.viewer.user_id;
    let my_tokens = auth.req.db(move |c| Ok(tokens::list_for(c, id)?)).await?;
    auth.req
        .page("auth/account", "Your account", json!({"tokens": my_tokens}))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

#[post("/account/password")]
async fn change_password(
    auth: Auth<AnyUser>,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let (id, keep) = (auth.viewer.user_id, auth.viewer.session_id);
    let form = form.into_inner();
    match auth
        .req
        .db(move |c| {
            service::change_password(
                c,
                &sctx,
                id,
                keep,
                &form.current_password,
                &form.new_password,
            )
        })
        .await
    {
        Ok(()) => Ok(auth.req.redirect_ok(
            "/account",
            "Password changed. Your other sessions were signed out.",
        )),
        Err(AppError::Invalid(errors)) => {
            let my_tokens = auth.req.db(move |c| Ok(tokens::list_for(c, id)?)).await?;
            auth.req.form_errors(
                "auth/account",
                "Your account",
                &errors,
                json!({"tokens": my_tokens}),
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Serialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

#[get("/password/forgot")]
async fn forgot_page(ctx: ReqCtx) -> AppResult<HttpResponse> {
    ctx.page("auth/forgot", "Forgot your password?", json!({}))
}

#[post("/password/forgot")]
async fn forgot(ctx: ReqCtx, form: web::Form<ForgotForm>) -> AppResult<HttpResponse> {
    if let Some(problem) = crate::auth::rules::email_problem(&form.email) {
        return ctx.form_errors(
            "auth/forgot",
            "Forgot your password?",
            &[("email".to_string(), problem)].into(),
            json!({"form": form.into_inner()}),
        );
    }
    let sctx = ctx.ctx();
    let email = form.email.clone();
    ctx.db(move |c| service::request_reset(c, &sctx, &email))
        .await?;
    Ok(ctx.redirect_ok(
        "/login",
        "If that address has an account, a reset link is on its way. It works for one hour.",
    ))
}

#[get("/password/set")]
async fn set_password_page(ctx: ReqCtx, q: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    let (now, token) = (ctx.state.clock.now(), q.token.clone());
    let Some(user) = ctx.db(move |c| service::link_user(c, now, &token)).await? else {
        return Err(AppError::Conflict(vec![service::EXPIRED_LINK.into()]));
    };
    ctx.page(
        "auth/set_password",
        "Choose your password",
        json!({"user": user, "form": {"token": q.token}}),
    )
}

#[derive(Deserialize)]
struct SetPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

#[post("/password/set")]
async fn set_password(ctx: ReqCtx, form: web::Form<SetPasswordForm>) -> AppResult<HttpResponse> {
    let sctx = ctx.ctx();
    let (token, password) = (form.token.clone(), form.password.clone());
    match ctx
        .db(move |c| service::set_password_with_link(c, &sctx, &token, &password))
        .await
    {
        Ok(_) => Ok(ctx.redirect_ok("/login", "Your password is set. Sign in with it now.")),
        Err(AppError::Invalid(errors)) => {
            let (now, token) = (ctx.state.clock.now(), form.token.clone());
            let user = ctx.db(move |c| service::link_user(c, now, &token)).await?;
            ctx.form_errors(
                "auth/set_password",
                "Choose your password",
                &errors,
                json!({"user": user, "form": {"token": form.token}}),
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct UsersQuery {
    q: Option<String>,
}

#[derive(Serialize)]
struct UserRow {
    #[serde(flatten)]
    user: model::User,
    roles: Vec<Role>,
    invited: bool,
}

#[get("/admin/users")]
async fn users_page(
    auth: Auth<AdminOnly>,
    q: web::Query<UsersQuery>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let limit = page.limit();
    let (search, cursor) = (q.q.clone(), page.cursor);
    let page = auth
        .req
        .db(move |c| {
            let users = model::list(c, search.as_deref(), cursor, limit + 1)?;
            let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
            let mut roles = model::roles_for(c, &ids)?;
            let rows = users
                .into_iter()
                .map(|u| UserRow {
                    roles: roles.remove(&u.id).unwrap_or_default(),
                    invited: u.password_hash.is_none(),
                    user: u,
                })
                .collect();
            Ok(Paged::from_rows(rows, limit, |r: &UserRow| r.user.id.0))
        })
        .await?;
    let next = page.next_cursor.as_ref().map(|c| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &q.q {
            s.append_pair("q", q);
        }
        format!("/admin/users?{}", s.append_pair("cursor", c).finish())
    });
    auth.req.page(
        "auth/users",
        "People",
        json!({"users": page.items, "next": next, "q": q.q, "paged": cursor.is_some()}),
    )
}

fn role_options(selected: &[Role]) -> serde_json::Value {
    json!(Role::ALL
        .iter()
        .map(|r| json!({"value": r.as_str(), "label": r.label(), "checked": selected.contains(r)}))
        .collect::<Vec<_>>())
}

#[get("/admin/users/new")]
async fn new_user_page(auth: Auth<AdminOnly>) -> AppResult<HttpResponse> {
    auth.req.page(
        "auth/user_new",
        "Invite someone",
        json!({"roles": role_options(&[]), "form": {}}),
    )
}

/// Browsers send one `roles` field per ticked box; serde_urlencoded cannot gather them.
fn form_roles(body: &[u8]) -> Vec<Role> {
    url::form_urlencoded::parse(body)
        .filter(|(k, _)| k == "roles")
        .filter_map(|(_, v)| Role::parse(&v))
        .collect()
}

fn form_field(body: &[u8], name: &str) -> String {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[post("/admin/users/new")]
async fn create_user(auth: Auth<AdminOnly>, body: web::Bytes) -> AppResult<HttpResponse> {
    let input = NewUserInput {
        email: form_field(&body, "email"),
        name: form_field(&body, "name"),
        roles: form_roles(&body),
    };
    let sctx = auth.req.ctx();
    let inp = input.clone();
    match auth.req.db(move |c| service::invite(c, &sctx, &inp)).await {
        Ok(user) => Ok(auth.req.redirect_ok(
            &format!("/admin/users/{}", user.id),
            &format!("Invitation sent to {}.", user.email),
        )),
        Err(AppError::Invalid(errors)) => auth.req.form_errors(
            "auth/user_new",
            "Invite someone",
            &errors,
            json!({"roles": role_options(&input.roles), "form": input}),
        ),
        Err(e) => Err(e),
    }
}

#[get("/admin/users/{id}")]
async fn user_page(auth: Auth<AdminOnly>, id: web::Path<UserId>) -> AppResult<HttpResponse> {
    user_detail(&auth, *id, None, json!({})).await
}

async fn user_detail(
    auth: &Auth<AdminOnly>,
    id: UserId,
    new_token: Option<String>,
    errors: serde_json::Value,
) -> AppResult<HttpResponse> {
    let (user, roles, user_tokens) = auth
        .req
        .db(move |c| {
            Ok((
                model::find(c, id)?,
                model::roles_of(c, id)?,
                tokens::list_for(c, id)?,
            ))
        })
        .await?;
    let status = if errors.as_object().is_some_and(|e| !e.is_empty()) {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    auth.req.page_with_status(
        status,
        "auth/user",
        &user.name.clone(),
        json!({"user": user, "invited": user.password_hash.is_none(), "roles": role_options(&roles), "tokens": user_tokens, "new_token": new_token, "errors": errors, "is_self": auth.viewer.user_id == id}),
    )
}

#[post("/admin/users/{id}/roles")]
async fn update_roles(
    auth: Auth<AdminOnly>,
    id: web::Path<UserId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, roles, sctx) = (*id, form_roles(&body), auth.req.ctx());
    match auth
        .req
        .db(move |c| service::set_roles(c, &sctx, id, &roles))
        .await
    {
        Ok(()) => Ok(auth
            .req
            .redirect_ok(&format!("/admin/users/{id}"), "Roles saved.")),
        Err(AppError::Invalid(errors)) => user_detail(&auth, id, None, json!(errors)).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    active: bool,
}

#[post("/admin/users/{id}/active")]
async fn set_active(
    auth: Auth<AdminOnly>,
    id: web::Path<UserId>,
    form: web::Form<ActiveForm>,
) -> AppResult<HttpResponse> {
    let (id, active, sctx) = (*id, form.active, auth.req.ctx());
    auth.req
        .db(move |c| service::set_active(c, &sctx, id, active))
        .await?;
    let msg = if active {
        "Account reactivated."
    } else {
        "Account deactivated; their sessions have ended."
    };
    Ok(auth.req.redirect_ok(&format!("/admin/users/{id}"), msg))
}

#[post("/admin/users/{id}/invite")]
async fn resend_invite(auth: Auth<AdminOnly>, id: web::Path<UserId>) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::resend_invite(c, &sctx, id))
        .await?;
    Ok(auth.req.redirect_ok(
        &format!("/admin/users/{id}"),
        "A new invitation is on its way; the old link no longer works.",
    ))
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    label: String,
}

#[post("/admin/users/{id}/tokens")]
async fn issue_token(
    auth: Auth<AdminOnly>,
    id: web::Path<UserId>,
    form: web::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx, label) = (*id, auth.req.ctx(), form.label.clone());
    match auth
        .req
        .db(move |c| service::issue_token(c, &sctx, id, &label))
        .await
    {
        // Shown once, on this response only: it is not stored anywhere we could show it from.
        Ok(raw) => user_detail(&auth, id, Some(raw), json!({})).await,
        Err(AppError::Invalid(errors)) => user_detail(&auth, id, None, json!(errors)).await,
        Err(e) => Err(e),
    }
}

#[post("/admin/tokens/{id}/revoke")]
async fn revoke_token(auth: Auth<AdminOnly>, id: web::Path<TokenId>) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let user_id = auth
        .req
        .db(move |c| service::revoke_token(c, &sctx, id))
        .await?;
    Ok(auth.req.redirect_ok(
        &format!("/admin/users/{user_id}"),
        "Token revoked; it stops working at once.",
    ))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example")), "/home");
        assert_eq!(safe_next(Some("https://evil.example")), "/home");
        assert_eq!(safe_next(Some("/\\evil.example")), "/home");
        assert_eq!(safe_next(None), "/home");
    }
}
