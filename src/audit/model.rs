use crate::ctx::Ctx;
use crate::db::ids::{AuditId, UserId};
use crate::db::schema::{audit_log, users};
use crate::db::{DbConn, LiteralLimit};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who made a change: a user (with the request that carried it) or the system itself.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub label: String,
    pub request_id: String,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor {
            user_id: None,
            label: label.to_string(),
            request_id: "-".into(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewEntry<'a> {
    at: NaiveDateTime,
    actor_id: Option<UserId>,
    actor_label: &'a str,
    action: &'a str,
    subject_type: &'a str,
    subject_id: Option<i64>,
    before_json: Option<String>,
    after_json: Option<String>,
    request_id: &'a str,
}

/// Writes one audit entry. Call it inside the transaction that makes the change.
pub fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    action: &str,
    subject: (&str, Option<i64>),
    before: Option<Value>,
    after: Option<Value>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(NewEntry {
            at: ctx.now,
            actor_id: ctx.actor.user_id,
            actor_label: &ctx.actor.label,
            action,
            subject_type: subject.0,
            subject_id: subject.1,
            before_json: before.map(|v| v.to_string()),
            after_json: after.map(|v| v.to_string()),
            request_id: &ctx.actor.request_id,
        })
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct Entry {
    pub id: AuditId,
    pub at: NaiveDateTime,
    pub actor_id: Option<UserId>,
    pub actor_label: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: String,
}

/// An entry as a list of recent changes shows it: without the before and after texts,
/// which can run to kilobytes each.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct Recent {
    pub at: NaiveDateTime,
    pub actor_label: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
}

/// The latest `limit` entries, newest first.
pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Recent>> {
    audit_log::table
        .select(Recent::as_select())
        .order(audit_log::id.desc())
        .limit(limit)
        .load(conn)
}

/// The audit page's and the API's filters; every one optional.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
pub struct Filter {
    /// The acting user's email.
    pub actor: Option<String>,
    /// Exact action name, e.g. `user.roles_changed`.
    pub action: Option<String>,
    /// Subject type, e.g. `user`.
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    /// First day included (UTC), YYYY-MM-DD.
    pub from: Option<NaiveDate>,
    /// Last day included (UTC), YYYY-MM-DD.
    pub to: Option<NaiveDate>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Newest first, `limit` rows with ids below `before`. An unknown actor email matches nothing.
pub fn list(
    conn: &mut DbConn,
    f: &Filter,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Entry>> {
    let mut q = audit_log::table
        .select(Entry::as_select())
        .order(audit_log::id.desc())
        .into_boxed();
    if let Some(email) = nonempty(&f.actor) {
        let id: Option<UserId> = users::table
            .filter(users::email.eq(email.to_lowercase()))
            .select(users::id)
            .first(conn)
            .optional()?;
        match id {
            Some(id) => q = q.filter(audit_log::actor_id.eq(id)),
            None => q = q.filter(audit_log::actor_label.eq(email)),
        }
    }
    if let Some(action) = nonempty(&f.action) {
        q = q.filter(audit_log::action.eq(action.to_string()));
    }
    if let Some(st) = nonempty(&f.subject_type) {
        q = q.filter(audit_log::subject_type.eq(st.to_string()));
    }
    if let Some(id) = f.subject_id {
        q = q.filter(audit_log::subject_id.eq(id));
    }
    if let Some(from) = f.from {
        q = q.filter(audit_log::at.ge(from.and_hms_opt(0, 0, 0).expect("midnight")));
    }
    if let Some(to) = f.to.and_then(|d| d.succ_opt()) {
        q = q.filter(audit_log::at.lt(to.and_hms_opt(0, 0, 0).expect("midnight")));
    }
    if let Some(before) = before {
        q = q.filter(audit_log::id.lt(before));
    }
    LiteralLimit { query: q, limit }.load(conn)
}

/// One line per changed field: what it was and what it became.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| {
        s.and_then(|s| serde_json::from_str::<Value>(s).ok())
            .unwrap_or(Value::Null)
    };
    let (b, a) = (parse(before), parse(after));
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    match (&b, &a) {
        (Value::Object(bo), Value::Object(ao)) => {
            let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| bo.get(*k) != ao.get(*k))
                .map(|k| (k.clone(), show(bo.get(k)), show(ao.get(k))))
                .collect()
        }
        (Value::Null, Value::Object(ao)) => ao
            .iter()
            .map(|(k, v)| (k.clone(), String::new(), show(Some(v))))
            .collect(),
        (Value::Object(bo), Value::Null) => bo
            .iter()
            .map(|(k, v)| (k.clone(), show(Some(v)), String::new()))
            .collect(),
        (Value::Null, Value::Null) => vec![],
        _ => vec![(String::new(), show(Some(&b)), show(Some(&a)))],
    }
}

#[cfg(test)]
mod tests {
    use super::changes;

    #[test]
    fn changes_lists_only_what_moved() {
        let c = changes(
            Some(r#"{"roles":["admin"],"name":"Ann"}"#),
            Some(r#"{"roles":["admin","hr"],"name":"Ann"}"#),
        );
        assert_eq!(
            c,
            vec![(
                "roles".into(),
                r#"["admin"]"#.into(),
                r#"["admin","hr"]"#.into()
            )]
        );
        let created = changes(None, Some(r#"{"email":"a@b.co"}"#));
        assert_eq!(
            created,
            vec![("email".into(), String::new(), "a@b.co".into())]
        );
        assert!(changes(None, None).is_empty());
    }
}
