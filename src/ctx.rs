//! What every service call needs besides its connection: who acts, the time, the
//! company's time zone, and what mailed links are built from.

use crate::audit::Actor;
use crate::db::ids::UserId;
use chrono::NaiveDateTime;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub now: NaiveDateTime,
    pub base_url: String,
    pub company: String,
    /// The company's time zone: local times are typed and shown in it, stored in UTC.
    pub tz: chrono_tz::Tz,
}

impl Ctx {
    /// The same request, acted by a person who was anonymous until this change
    /// (signing in, setting a password through a link).
    pub fn acting_as(&self, user_id: UserId, email: &str) -> Ctx {
        let actor = Actor {
            user_id: Some(user_id),
            label: email.to_string(),
            request_id: self.actor.request_id.clone(),
        };
        Ctx {
            actor,
            ..self.clone()
        }
    }

    /// The company's calendar date now: training days are company dates.
    pub fn today(&self) -> chrono::NaiveDate {
        use chrono::TimeZone;
        self.tz.from_utc_datetime(&self.now).date_naive()
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
