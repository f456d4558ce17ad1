//! Account use cases. Each one validates, then writes its rows, its audit entry and any
//! mail in one transaction.

use crate::audit;
use crate::auth::model::{self, NewUser, User};
use crate::auth::password;
use crate::auth::role::Role;
use crate::auth::rules::{self, TokenPurpose};
use crate::auth::{session, tokens};
use crate::ctx::Ctx;
use crate::db::ids::{SessionId, TokenId, UserId};
use crate::db::schema::login_attempts;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::mail;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;

const WRONG_LOGIN: &str = "That email and password do not match an active account.";

pub struct LoginRequest<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub max_age: Duration,
}

/// Checks throttling and the password, then starts a session. Returns the raw session token.
pub fn login(conn: &mut DbConn, ctx: &Ctx, req: LoginRequest) -> AppResult<String> {
    let email = rules::normalize_email(req.email);
    let window_start = ctx.now - Duration::minutes(rules::THROTTLE_WINDOW_MINUTES);
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(&email))
        .filter(login_attempts::succeeded.eq(true))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)?;
    let since = last_success.map_or(window_start, |t| t.max(window_start));
    let failures =
        |conn: &mut DbConn, by_ip: bool, limit: usize| -> QueryResult<Vec<NaiveDateTime>> {
            let q = login_attempts::table
                .filter(login_attempts::succeeded.eq(false))
                .select(login_attempts::at)
                .order(login_attempts::at.desc())
                .limit(limit as i64)
                .into_boxed();
            if by_ip {
                q.filter(login_attempts::ip.eq(req.ip))
                    .filter(login_attempts::at.gt(window_start))
                    .load(conn)
            } else {
                q.filter(login_attempts::email.eq(&email))
                    .filter(login_attempts::at.gt(since))
                    .load(conn)
            }
        };
    let account_failures = failures(conn, false, rules::MAX_FAILURES_PER_ACCOUNT)?;
    let address_failures = failures(conn, true, rules::MAX_FAILURES_PER_ADDRESS)?;
    if let Some(t) = rules::throttle(&account_failures, &address_failures, ctx.now) {
        return Err(AppError::TooManyRequests(t.message()));
    }

    let user = model::find_by_email(conn, &email)?;
    let verified = match user
        .as_ref()
        .and_then(|u| u.password_hash.as_deref().map(|h| (u, h)))
    {
        Some((u, hash)) => password::verify(req.password, hash) && u.active,
        None => {
            password::verify_dummy(req.password);
            false
        }
    };
    let record_attempt = |conn: &mut DbConn, succeeded: bool| {
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::email.eq(&email),
                login_attempts::ip.eq(req.ip),
                login_attempts::succeeded.eq(succeeded),
                login_attempts::at.eq(ctx.now),
            ))
            .execute(conn)
    };
    let user = match (user, verified) {
        (Some(u), true) => u,
        _ => {
            record_attempt(conn, false)?;
            return Err(AppError::field("form", WRONG_LOGIN));
        }
    };
    write_tx(conn, |conn| {
        record_attempt(conn, true)?;
        let (token, session_id) =
            session::create(conn, user.id, ctx.now, req.max_age, req.ip, req.user_agent)?;
        let ctx = ctx.acting_as(user.id, &user.email);
        audit::record(
            conn,
            &ctx,
            "session.started",
            ("user", Some(user.id.0)),
            None,
            Some(json!({"session": session_id.0, "ip": req.ip})),
        )?;
        Ok(token)
    })
}

pub fn logout(conn: &mut DbConn, ctx: &Ctx, session_id: SessionId) -> AppResult<()> {
    write_tx(conn, |conn| {
        session::end(conn, session_id)?;
        audit::record(
            conn,
            ctx,
            "session.ended",
            ("user", ctx.actor.user_id.map(|u| u.0)),
            None,
            None,
        )?;
        Ok(())
    })
}

#[derive(Debug, Default, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
}

impl NewUserInput {
    fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(e) = rules::email_problem(&self.email) {
            errors.insert("email".into(), e);
        }
        if self.name.trim().is_empty() {
            errors.insert("name".into(), "Enter the person's name.".into());
        }
        if self.roles.is_empty() {
            errors.insert("roles".into(), "Choose at least one role.".into());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn user_json(user: &User, roles: &[Role]) -> serde_json::Value {
    json!({"email": user.email, "name": user.name, "active": user.active, "roles": roles})
}

fn create_user(
    conn: &mut DbConn,
    ctx: &Ctx,
    input: &NewUserInput,
    password_hash: Option<String>,
    action: &str,
) -> AppResult<User> {
    input.check().map_err(AppError::Invalid)?;
    let email = rules::normalize_email(&input.email);
    if model::find_by_email(conn, &email)?.is_some() {
        return Err(AppError::field(
            "email",
            "Someone already has an account with this email.",
        ));
    }
    let user = model::insert(
        conn,
        &NewUser {
            email: &email,
            name: input.name.trim(),
            password_hash,
            active: true,
            created_at: ctx.now,
            updated_at: ctx.now,
        },
    )?;
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    model::set_roles(conn, user.id, &roles)?;
    audit::record(
        conn,
        ctx,
        action,
        ("user", Some(user.id.0)),
        None,
        Some(user_json(&user, &roles)),
    )?;
    Ok(user)
}

/// Inside the caller's transaction: an account without a password, audited as
/// `user.invited`. The caller mails a link from `invite_link` (hiring's welcome mail).
pub fn create_without_password(
    conn: &mut DbConn,
    ctx: &Ctx,
    input: &NewUserInput,
) -> AppResult<User> {
    create_user(conn, ctx, input, None, "user.invited")
}

/// Inside the caller's transaction: a fresh set-password link (an invite, valid for
/// `TokenPurpose::Invite.lifetime()`); earlier invite links of the person stop working.
pub fn invite_link(conn: &mut DbConn, ctx: &Ctx, user: UserId) -> AppResult<String> {
    tokens::expire_links_for(conn, user, TokenPurpose::Invite, ctx.now)?;
    let raw = tokens::create_link(conn, TokenPurpose::Invite, Some(user), ctx.now)?;
    Ok(ctx.link(&format!("/password/set?token={raw}")))
}

fn send_invite(conn: &mut DbConn, ctx: &Ctx, user: &User) -> AppResult<()> {
    let link = invite_link(conn, ctx, user.id)?;
    let days = TokenPurpose::Invite.lifetime().num_days();
    mail::enqueue(
        conn,
        ctx,
        &user.email,
        "invite",
        &json!({"name": user.name, "link": link, "inviter": ctx.actor.label, "days": days}),
    )?;
    Ok(())
}

/// An admin invites someone: the account exists at once, the person chooses a password
/// through the mailed link.
pub fn invite(conn: &mut DbConn, ctx: &Ctx, input: &NewUserInput) -> AppResult<User> {
    write_tx(conn, |conn| {
        let user = create_user(conn, ctx, input, None, "user.invited")?;
        send_invite(conn, ctx, &user)?;
        Ok(user)
    })
}

pub fn resend_invite(conn: &mut DbConn, ctx: &Ctx, id: UserId) -> AppResult<()> {
    write_tx(conn, |conn| {
        let user = model::find(conn, id)?;
        if user.password_hash.is_some() {
            return Err(AppError::Conflict(vec![
                "This person has already chosen a password.".into(),
            ]));
        }
        send_invite(conn, ctx, &user)?;
        audit::record(
            conn,
            ctx,
            "user.invite_resent",
            ("user", Some(id.0)),
            None,
            None,
        )?;
        Ok(())
    })
}

/// The command line's `user add`: with a password the account is ready; without one,
/// returns the set-password link (also mailed).
pub fn add_user(
    conn: &mut DbConn,
    ctx: &Ctx,
    input: &NewUserInput,
    password: Option<&str>,
) -> AppResult<(User, Option<String>)> {
    if let Some(p) = password {
        if let Some(problem) = rules::password_problem(p, &input.email) {
            return Err(AppError::field("password", problem));
        }
    }
    let hash = password.map(password::hash);
    write_tx(conn, |conn| match hash {
        Some(h) => Ok((
            create_user(conn, ctx, input, Some(h), "user.created")?,
            None,
        )),
        None => {
            let user = create_user(conn, ctx, input, None, "user.invited")?;
            let raw = tokens::create_link(conn, TokenPurpose::Invite, Some(user.id), ctx.now)?;
            let link = ctx.link(&format!("/password/set?token={raw}"));
            mail::enqueue(
                conn,
                ctx,
                &user.email,
                "invite",
                &json!({"name": user.name, "link": link, "inviter": ctx.actor.label, "days": 7}),
            )?;
            Ok((user, Some(link)))
        }
    })
}

/// An empty installation gets a one-time link that creates the first admin.
pub fn setup_link_if_empty(conn: &mut DbConn, ctx: &Ctx) -> AppResult<Option<String>> {
    if model::any_people(conn)? {
        return Ok(None);
    }
    let raw = tokens::create_link(conn, TokenPurpose::Setup, None, ctx.now)?;
    Ok(Some(ctx.link(&format!("/setup?token={raw}"))))
}

pub fn setup_token_valid(conn: &mut DbConn, now: NaiveDateTime, raw: &str) -> AppResult<bool> {
    Ok(!model::any_people(conn)?
        && tokens::find_link(conn, raw, &[TokenPurpose::Setup], now)?.is_some())
}

pub fn setup_admin(
    conn: &mut DbConn,
    ctx: &Ctx,
    raw: &str,
    name: &str,
    email: &str,
    password: &str,
) -> AppResult<User> {
    if let Some(problem) = rules::password_problem(password, email) {
        return Err(AppError::field("password", problem));
    }
    let hash = password::hash(password);
    write_tx(conn, |conn| {
        let token = tokens::find_link(conn, raw, &[TokenPurpose::Setup], ctx.now)?;
        let token = match token {
            Some(t) if !model::any_people(conn)? => t,
            _ => {
                return Err(AppError::Conflict(vec![
                "This setup link has been used or has expired. Restart the server for a new one."
                    .into(),
            ]))
            }
        };
        if !tokens::use_link(conn, token.id, ctx.now)? {
            return Err(AppError::Conflict(vec![
                "This setup link has just been used.".into(),
            ]));
        }
        let input = NewUserInput {
            email: email.into(),
            name: name.into(),
            roles: vec![Role::Admin],
        };
        create_user(conn, ctx, &input, Some(hash), "user.created")
    })
}

pub fn change_password(
    conn: &mut DbConn,
    ctx: &Ctx,
    user_id: UserId,
    keep: Option<SessionId>,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let user = model::find(conn, user_id)?;
    let mut errors = FieldErrors::new();
    if !user
        .password_hash
        .as_deref()
        .is_some_and(|h| password::verify(current, h))
    {
        errors.insert(
            "current_password".into(),
            "That is not your current password.".into(),
        );
    }
    if let Some(problem) = rules::password_problem(new, &user.email) {
        errors.insert("new_password".into(), problem);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = password::hash(new);
    write_tx(conn, |conn| {
        model::set_password(conn, user_id, &hash, ctx.now)?;
        let ended = session::end_all_for(conn, user_id, keep)?;
        audit::record(
            conn,
            ctx,
            "user.password_changed",
            ("user", Some(user_id.0)),
            None,
            Some(json!({"other_sessions_ended": ended})),
        )?;
        Ok(())
    })
}

/// Always answers the same way, so the form does not reveal who has an account.
pub fn request_reset(conn: &mut DbConn, ctx: &Ctx, email: &str) -> AppResult<()> {
    let email = rules::normalize_email(email);
    write_tx(conn, |conn| {
        let Some(user) = model::find_by_email(conn, &email)?.filter(|u| u.active) else {
            return Ok(());
        };
        tokens::expire_links_for(conn, user.id, TokenPurpose::Reset, ctx.now)?;
        let raw = tokens::create_link(conn, TokenPurpose::Reset, Some(user.id), ctx.now)?;
        let minutes = TokenPurpose::Reset.lifetime().num_minutes();
        mail::enqueue(
            conn,
            ctx,
            &user.email,
            "password_reset",
            &json!({"name": user.name, "link": ctx.link(&format!("/password/set?token={raw}")), "minutes": minutes}),
        )?;
        audit::record(
            conn,
            ctx,
            "user.password_reset_requested",
            ("user", Some(user.id.0)),
            None,
            None,
        )?;
        Ok(())
    })
}

/// The person behind a valid invite or reset link.
pub fn link_user(conn: &mut DbConn, now: NaiveDateTime, raw: &str) -> AppResult<Option<User>> {
    let Some(t) = tokens::find_link(conn, raw, &[TokenPurpose::Invite, TokenPurpose::Reset], now)?
    else {
        return Ok(None);
    };
    match t.user_id {
        Some(id) => Ok(Some(model::find(conn, id)?).filter(|u| u.active)),
        None => Ok(None),
    }
}

/// Sets a password through an invite or reset link; the link then stops working and
/// every existing session of the account ends.
pub fn set_password_with_link(
    conn: &mut DbConn,
    ctx: &Ctx,
    raw: &str,
    new: &str,
) -> AppResult<User> {
    let Some(user) = link_user(conn, ctx.now, raw)? else {
        return Err(AppError::Conflict(vec![EXPIRED_LINK.into()]));
    };
    if let Some(problem) = rules::password_problem(new, &user.email) {
        return Err(AppError::field("password", problem));
    }
    let hash = password::hash(new);
    write_tx(conn, |conn| {
        let token = tokens::find_link(
            conn,
            raw,
            &[TokenPurpose::Invite, TokenPurpose::Reset],
            ctx.now,
        )?
        .ok_or_else(|| AppError::Conflict(vec![EXPIRED_LINK.into()]))?;
        if !tokens::use_link(conn, token.id, ctx.now)? {
            return Err(AppError::Conflict(vec![EXPIRED_LINK.into()]));
        }
        model::set_password(conn, user.id, &hash, ctx.now)?;
        session::end_all_for(conn, user.id, None)?;
        let ctx = ctx.acting_as(user.id, &user.email);
        audit::record(
            conn,
            &ctx,
            "user.password_set",
            ("user", Some(user.id.0)),
            None,
            Some(json!({"via": token.purpose})),
        )?;
        Ok(user.clone())
    })
}

pub const EXPIRED_LINK: &str = "This link has expired or has already been used. Ask for a new one.";

pub fn set_roles(conn: &mut DbConn, ctx: &Ctx, id: UserId, roles: &[Role]) -> AppResult<()> {
    if roles.is_empty() {
        return Err(AppError::field("roles", "Choose at least one role."));
    }
    write_tx(conn, |conn| {
        let user = model::find(conn, id)?;
        let before = model::roles_of(conn, id)?;
        let mut after = roles.to_vec();
        after.sort();
        after.dedup();
        if before.contains(&Role::Admin)
            && !after.contains(&Role::Admin)
            && user.active
            && model::active_admins(conn)? <= 1
        {
            return Err(AppError::field(
                "roles",
                "This is the last active admin; make someone else admin first.",
            ));
        }
        model::set_roles(conn, id, &after)?;
        audit::record(
            conn,
            ctx,
            "user.roles_changed",
            ("user", Some(id.0)),
            Some(json!({"roles": before})),
            Some(json!({"roles": after})),
        )?;
        Ok(())
    })
}

/// Deactivating ends the person's sessions and stops their API tokens at once.
pub fn set_active(conn: &mut DbConn, ctx: &Ctx, id: UserId, active: bool) -> AppResult<()> {
    if !active && ctx.actor.user_id == Some(id) {
        return Err(AppError::Conflict(vec![
            "You cannot deactivate your own account.".into(),
        ]));
    }
    write_tx(conn, |conn| {
        let user = model::find(conn, id)?;
        if user.active == active {
            return Ok(());
        }
        if !active
            && model::roles_of(conn, id)?.contains(&Role::Admin)
            && model::active_admins(conn)? <= 1
        {
            return Err(AppError::Conflict(vec![
                "This is the last active admin.".into()
            ]));
        }
        model::set_active(conn, id, active, ctx.now)?;
        let ended = if active {
            0
        } else {
            session::end_all_for(conn, id, None)?
        };
        let action = if active {
            "user.reactivated"
        } else {
            "user.deactivated"
        };
        audit::record(
            conn,
            ctx,
            action,
            ("user", Some(id.0)),
            Some(json!({"active": user.active})),
            Some(json!({"active": active, "sessions_ended": ended})),
        )?;
        Ok(())
    })
}

pub fn issue_token(
    conn: &mut DbConn,
    ctx: &Ctx,
    user_id: UserId,
    label: &str,
) -> AppResult<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(AppError::field(
            "label",
            "Name the token after what will use it, e.g. \"payroll export\".",
        ));
    }
    write_tx(conn, |conn| {
        model::find(conn, user_id)?;
        let (raw, token) = tokens::issue(conn, user_id, label, ctx.now)?;
        audit::record(
            conn,
            ctx,
            "api_token.issued",
            ("user", Some(user_id.0)),
            None,
            Some(json!({"token": token.id.0, "label": label, "prefix": token.prefix})),
        )?;
        Ok(raw)
    })
}

pub fn revoke_token(conn: &mut DbConn, ctx: &Ctx, id: TokenId) -> AppResult<UserId> {
    write_tx(conn, |conn| {
        let token = tokens::find(conn, id)?;
        tokens::revoke(conn, id, ctx.now)?;
        audit::record(
            conn,
            ctx,
            "api_token.revoked",
            ("user", Some(token.user_id.0)),
            None,
            Some(json!({"token": id.0, "label": token.label})),
        )?;
        Ok(token.user_id)
    })
}
