//! What every service call needs besides its connection: who acts, the time, and what
//! mailed links are built from.

use crate::audit::Actor;
use chrono::NaiveDateTime;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub now: NaiveDateTime,
    pub base_url: String,
    pub company: String,
}

impl Ctx {
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
