//! What every service call needs besides its connection: who acts, the time, and what
//! mailed links are built from.

use crate::audit::Actor;
use crate::db::ids::UserId;
use chrono::NaiveDateTime;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub now: NaiveDateTime,
    pub base_url: String,
    pub company: String,
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

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
