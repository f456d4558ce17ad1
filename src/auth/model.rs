//! Users and their roles.

use crate::auth::role::Role;
use crate::db::ids::UserId;
use crate::db::schema::{user_roles, users};
use crate::db::{DbConn, LiteralLimit};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Set when the person left with the offer: their farewell page stays until then.
    pub access_until: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewUser) -> QueryResult<User> {
    // RETURNING a Selectable is not supported across MultiBackend; the id is.
    let id: UserId = diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: UserId) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Whether anyone has an account yet (cheap however many there are).
pub fn any_people(conn: &mut DbConn) -> QueryResult<bool> {
    users::table
        .select(users::id)
        .first::<UserId>(conn)
        .optional()
        .map(|u| u.is_some())
}

/// Counts active people with a staff role: everyone but those who are only new hires
/// (whose number grows with every class trained, and who are counted on the training
/// pages). `users.staff` (users_staff_idx) with no bound value: one plan, made once.
#[diesel::dsl::auto_type]
pub fn staff_count() -> _ {
    users::table
        .filter(users::staff)
        .filter(users::active)
        .count()
}

/// Users in id order after `cursor`, optionally those whose email or name starts with `q`.
pub fn list(
    conn: &mut DbConn,
    q: Option<&str>,
    cursor: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table
        .select(User::as_select())
        .order(users::id.asc())
        .into_boxed();
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("{}%", q.to_lowercase().replace(['%', '_'], ""));
        // lower() on both sides: SQLite's LIKE ignores case, PostgreSQL's does not.
        query = query.filter(
            users::email
                .like(pattern.clone())
                .or(crate::db::lower(users::name).like(pattern)),
        );
    }
    if let Some(c) = cursor {
        query = query.filter(users::id.gt(c));
    }
    LiteralLimit { query, limit }.load(conn)
}

pub fn roles_of(conn: &mut DbConn, id: UserId) -> QueryResult<Vec<Role>> {
    let names: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(id))
        .select(user_roles::role)
        .load(conn)?;
    Ok(parse_roles(names.iter().map(String::as_str)))
}

/// Roles from their stored names, sorted; unknown names are skipped.
pub fn parse_roles<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Role> {
    let mut roles: Vec<Role> = names.into_iter().filter_map(Role::parse).collect();
    roles.sort();
    roles
}

/// Roles for a page of users in one query.
pub fn roles_for(conn: &mut DbConn, ids: &[UserId]) -> QueryResult<HashMap<UserId, Vec<Role>>> {
    let rows: Vec<(UserId, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let mut map: HashMap<UserId, Vec<Role>> = HashMap::new();
    for (id, name) in rows {
        if let Some(r) = Role::parse(&name) {
            map.entry(id).or_default().push(r);
        }
    }
    map.values_mut().for_each(|v| v.sort());
    Ok(map)
}

/// A person's roles, and with them whether they are staff (any role but new hire).
pub fn set_roles(conn: &mut DbConn, id: UserId, roles: &[Role]) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::staff.eq(roles.iter().any(|r| *r != Role::NewHire)))
        .execute(conn)?;
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(id))).execute(conn)?;
    // One row at a time: MultiBackend has no batch insert of plain tuples, and a user has few roles.
    for r in roles {
        diesel::insert_into(user_roles::table)
            .values((user_roles::user_id.eq(id), user_roles::role.eq(r.as_str())))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_password(
    conn: &mut DbConn,
    id: UserId,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_active(
    conn: &mut DbConn,
    id: UserId,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::active.eq(active), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn active_admins(conn: &mut DbConn) -> QueryResult<i64> {
    user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)
}

/// Active people holding a role, by name: (id, name, email). For pickers (trainers).
pub fn active_with_role(
    conn: &mut DbConn,
    role: Role,
) -> QueryResult<Vec<(UserId, String, String)>> {
    users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .select((users::id, users::name, users::email))
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}
