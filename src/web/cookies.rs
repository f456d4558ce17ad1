//! The cookies the app sets, in one place so their flags stay consistent.

use actix_web::cookie::{time::Duration, Cookie, SameSite};

pub const SESSION: &str = "onramp_session";
pub const CSRF: &str = "onramp_csrf";
pub const FLASH: &str = "onramp_flash";

/// An HttpOnly, SameSite=Lax cookie for the whole site; `Secure` when served over https.
pub fn build(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build(name, "").path("/").finish();
    c.set_max_age(Duration::ZERO);
    c
}
