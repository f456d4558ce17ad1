//! JSON API for accounts: who am I, and people administration.

use crate::auth::model;
use crate::auth::role::{AdminOnly, AnyUser, Role};
use crate::auth::service::{self, NewUserInput};
use crate::auth::Auth;
use crate::db::ids::UserId;
use crate::error::AppResult;
use crate::web::pagination::{PageQuery, Paged};
use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(me)
        .service(list_users)
        .service(get_user)
        .service(create_user)
        .service(put_roles)
        .service(deactivate)
        .service(reactivate);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub active: bool,
    /// False until an invited person has chosen a password.
    pub has_password: bool,
    pub roles: Vec<Role>,
    pub created_at: chrono::NaiveDateTime,
}

impl UserView {
    fn of(u: model::User, roles: Vec<Role>) -> UserView {
        UserView {
            id: u.id,
            has_password: u.password_hash.is_some(),
            email: u.email,
            name: u.name,
            active: u.active,
            roles,
            created_at: u.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The account the token belongs to.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, description = "No valid token")))]
#[get("/me")]
async fn me(auth: Auth<AnyUser>) -> web::Json<Me> {
    let v = auth.viewer;
    web::Json(Me {
        id: v.user_id,
        email: v.email,
        name: v.name,
        roles: v.roles,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
struct UserSearch {
    /// Email or name prefix.
    q: Option<String>,
}

/// People, in id order, a page at a time.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(UserSearch, PageQuery), responses((status = 200, body = Paged<UserView>), (status = 403, description = "Admins only")))]
#[get("/users")]
async fn list_users(
    auth: Auth<AdminOnly>,
    search: web::Query<UserSearch>,
    page: web::Query<PageQuery>,
) -> AppResult<web::Json<Paged<UserView>>> {
    let (limit, cursor, q) = (page.limit(), page.cursor, search.into_inner().q);
    let page = auth
        .req
        .db(move |c| {
            let users = model::list(c, q.as_deref(), cursor, limit + 1)?;
            let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
            let mut roles = model::roles_for(c, &ids)?;
            let page = Paged::from_rows(users, limit, |u| u.id.0);
            Ok(page.map(|u| {
                let r = roles.remove(&u.id).unwrap_or_default();
                UserView::of(u, r)
            }))
        })
        .await?;
    Ok(web::Json(page))
}

/// One person.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = UserView), (status = 404, description = "No such user")))]
#[get("/users/{id}")]
async fn get_user(auth: Auth<AdminOnly>, id: web::Path<UserId>) -> AppResult<web::Json<UserView>> {
    let id = *id;
    let view = auth
        .req
        .db(move |c| Ok(UserView::of(model::find(c, id)?, model::roles_of(c, id)?)))
        .await?;
    Ok(web::Json(view))
}

/// Invites someone: the account is created and a set-password link is mailed.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), request_body = NewUserInput, responses((status = 201, body = UserView), (status = 422, description = "Field errors")))]
#[post("/users")]
async fn create_user(
    auth: Auth<AdminOnly>,
    input: web::Json<NewUserInput>,
) -> AppResult<HttpResponse> {
    let sctx = auth.req.ctx();
    let view = auth
        .req
        .db(move |c| {
            let user = service::invite(c, &sctx, &input)?;
            let roles = model::roles_of(c, user.id)?;
            Ok(UserView::of(user, roles))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct RolesInput {
    pub roles: Vec<Role>,
}

/// Replaces a person's roles.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)), request_body = RolesInput, responses((status = 200, body = UserView), (status = 422, description = "Field errors")))]
#[put("/users/{id}/roles")]
async fn put_roles(
    auth: Auth<AdminOnly>,
    id: web::Path<UserId>,
    input: web::Json<RolesInput>,
) -> AppResult<web::Json<UserView>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let view = auth
        .req
        .db(move |c| {
            service::set_roles(c, &sctx, id, &input.roles)?;
            Ok(UserView::of(model::find(c, id)?, model::roles_of(c, id)?))
        })
        .await?;
    Ok(web::Json(view))
}

async fn set_active(
    auth: Auth<AdminOnly>,
    id: UserId,
    active: bool,
) -> AppResult<web::Json<UserView>> {
    let sctx = auth.req.ctx();
    let view = auth
        .req
        .db(move |c| {
            service::set_active(c, &sctx, id, active)?;
            Ok(UserView::of(model::find(c, id)?, model::roles_of(c, id)?))
        })
        .await?;
    Ok(web::Json(view))
}

/// Deactivates an account: its sessions end and its API tokens stop working at once.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = UserView), (status = 409, description = "Not allowed (yourself, the last admin)")))]
#[post("/users/{id}/deactivate")]
async fn deactivate(
    auth: Auth<AdminOnly>,
    id: web::Path<UserId>,
) -> AppResult<web::Json<UserView>> {
    set_active(auth, *id, false).await
}

/// Reactivates an account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = UserView)))]
#[post("/users/{id}/reactivate")]
async fn reactivate(
    auth: Auth<AdminOnly>,
    id: web::Path<UserId>,
) -> AppResult<web::Json<UserView>> {
    set_active(auth, *id, true).await
}
