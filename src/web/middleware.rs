//! The request pipeline before a handler: request id and log span, then who is signed in
//! (session cookie for pages, bearer token for the API), then the CSRF check.

use crate::app::AppState;
use crate::auth::password::random_token;
use crate::error::AppError;
use crate::web::context::{CsrfToken, Flash, RequestId, Viewer};
use crate::web::cookies;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use std::time::Instant;
use tracing::Instrument;

const CSRF_FIELD: &str = "csrf_token";
const CSRF_HEADER: &str = "x-csrf-token";

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Paths that need neither a session nor CSRF: probes and static files.
fn is_bare(path: &str) -> bool {
    path.starts_with("/static/") || path == "/healthz" || path == "/readyz"
}

/// A request id (the caller's, if it sent a sane one) on the log span and the response.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_string)
        .unwrap_or_else(|| random_token()[..16].to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    async move {
        let mut res = next.call(req).await?.map_into_boxed_body();
        if let Ok(v) = HeaderValue::from_str(&id) {
            res.headers_mut()
                .insert(HeaderName::from_static("x-request-id"), v);
        }
        tracing::info!(
            status = res.status().as_u16(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "done"
        );
        Ok(res)
    }
    .instrument(span)
    .await
}

/// Resolves the viewer, checks CSRF on every state-changing page request, and keeps the
/// CSRF and flash cookies in order on the way out.
pub async fn session(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = req.path().to_string();
    if is_bare(&path) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .expect("AppState is registered");
    if is_api(&path) {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        if let Some(token) = token {
            let clock = state.clock.clone();
            if let Some(viewer) = state
                .db(move |c| Ok(crate::auth::tokens::resolve(c, &token, clock.now())?))
                .await?
            {
                req.extensions_mut().insert(viewer);
            }
        }
        return Ok(next.call(req).await?.map_into_boxed_body());
    }

    let session_cookie = req.cookie(cookies::SESSION).map(|c| c.value().to_string());
    let mut viewer: Option<Viewer> = None;
    if let Some(token) = session_cookie.clone() {
        let (clock, idle) = (state.clock.clone(), state.session_idle());
        viewer = state
            .db(move |c| Ok(crate::auth::session::resolve(c, &token, clock.now(), idle)?))
            .await?;
    }
    let stale_session = session_cookie.is_some() && viewer.is_none();

    // Signed in: the session's own token. Anonymous: a double-submit cookie.
    let anon_cookie = req
        .cookie(cookies::CSRF)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64);
    let (csrf, new_anon_cookie) = match (&viewer, anon_cookie) {
        (Some(v), _) => (v.csrf_token.clone(), None),
        (None, Some(existing)) => (existing, None),
        (None, None) => {
            let t = random_token();
            (t.clone(), Some(t))
        }
    };

    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let presented = presented_csrf(&mut req).await?;
        if !constant_time_eq(presented.as_deref().unwrap_or(""), &csrf) || csrf.is_empty() {
            tracing::warn!("csrf token missing or wrong");
            return Ok(req.error_response(AppError::Csrf).map_into_boxed_body());
        }
    }

    let flash = req
        .cookie(cookies::FLASH)
        .and_then(|c| Flash::decode(c.value()));
    let had_flash = flash.is_some();
    {
        let mut ext = req.extensions_mut();
        ext.insert(CsrfToken(csrf));
        if let Some(v) = viewer {
            ext.insert(v);
        }
        if let Some(f) = flash {
            ext.insert(f);
        }
    }

    let mut res = next.call(req).await?.map_into_boxed_body();
    let sets = |res: &ServiceResponse<BoxBody>, name: &str| {
        res.response().cookies().any(|c| c.name() == name)
    };
    if let Some(t) = new_anon_cookie {
        if !sets(&res, cookies::CSRF) {
            res.response_mut().add_cookie(&cookies::build(
                cookies::CSRF,
                t,
                state.secure_cookies,
            ))?;
        }
    }
    if had_flash && !sets(&res, cookies::FLASH) {
        res.response_mut()
            .add_cookie(&cookies::removal(cookies::FLASH))?;
    }
    if stale_session && !sets(&res, cookies::SESSION) {
        res.response_mut()
            .add_cookie(&cookies::removal(cookies::SESSION))?;
    }
    Ok(res)
}

/// The token the request presents: a header (scripts), the query string (multipart
/// uploads), or the `csrf_token` field of a urlencoded form, whose body is put back after.
async fn presented_csrf(req: &mut ServiceRequest) -> Result<Option<String>, actix_web::Error> {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok(Some(v.to_string()));
    }
    let from_query = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned());
    if from_query.is_some() {
        return Ok(from_query);
    }
    if req.content_type() != mime_urlencoded() {
        return Ok(None);
    }
    let body = req.extract::<web::Bytes>().await?;
    let token = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned());
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(token)
}

fn mime_urlencoded() -> &'static str {
    "application/x-www-form-urlencoded"
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Inside /api: any error becomes application/problem+json, with field errors for bad input.
pub async fn api_problem(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let Some(err) = res.response().error() else {
        return Ok(res.map_into_boxed_body());
    };
    let status = res.status();
    let (title, detail, errors) = match err.as_error::<AppError>() {
        Some(app) => {
            let errors = match app {
                AppError::Invalid(fields) => Some(fields.clone()),
                _ => None,
            };
            (app.title().to_string(), app.public_detail(), errors)
        }
        None => (
            status.canonical_reason().unwrap_or("Error").to_string(),
            err.to_string(),
            None,
        ),
    };
    let mut body = serde_json::json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    if let Some(errors) = errors {
        body["errors"] = serde_json::json!(errors);
    }
    let (req, _) = res.into_parts();
    let new = actix_web::HttpResponse::build(status)
        .content_type("application/problem+json")
        .body(body.to_string());
    Ok(ServiceResponse::new(req, new))
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn csrf_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
