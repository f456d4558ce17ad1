//! Builds the actix App: state, middleware, every route. Used by `serve` and by tests.

use crate::audit::Actor;
use crate::clock::Clock;
use crate::config::Settings;
use crate::ctx::Ctx;
use crate::db::{DbConn, DbPool};
use crate::error::{AppError, AppResult};
use crate::web::middleware;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::{web, App};

pub struct AppState {
    pub pool: DbPool,
    pub settings: Settings,
    pub base_url: String,
    /// Cookies get `Secure` when people reach the app over https.
    pub secure_cookies: bool,
    pub clock: Clock,
    pub kept_training: crate::training::KeptPages,
    pub kept_hiring: crate::hiring::KeptPages,
    /// One slot per pooled connection, handed out in arrival order. r2d2's own wait is
    /// not fair: under load on PostgreSQL a request could lose the race for a connection
    /// again and again (seconds). Queuing here first keeps every wait short and bounded.
    db_slots: tokio::sync::Semaphore,
}

impl AppState {
    pub fn new(pool: DbPool, settings: Settings, base_url: String, clock: Clock) -> AppState {
        let secure_cookies = base_url.starts_with("https://");
        let db_slots = tokio::sync::Semaphore::new(pool.max_size() as usize);
        AppState {
            db_slots,
            pool,
            settings,
            base_url,
            secure_cookies,
            clock,
            kept_training: Default::default(),
            kept_hiring: Default::default(),
        }
    }

    pub fn ctx(&self, actor: Actor) -> Ctx {
        Ctx {
            actor,
            now: self.clock.now(),
            base_url: self.base_url.clone(),
            company: self.settings.company.clone(),
            tz: self.settings.tz(),
        }
    }

    pub fn session_idle(&self) -> chrono::Duration {
        chrono::Duration::minutes(self.settings.session_idle_minutes)
    }

    /// Runs blocking database work on actix's blocking pool with a pooled connection.
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let _slot = self.db_slots.acquire().await.map_err(AppError::internal)?;
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            let result = f(&mut conn);
            // A failure may have left the connection unusable (the server went away):
            // the pool replaces it rather than hand it to the next request.
            if matches!(result, Err(AppError::Internal(_))) {
                conn.failed = true;
            }
            result
        })
        .await?
    }
}

/// Strict headers on every response: no inline script, no framing, no sniffing.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
}

pub fn build(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(state)
        .app_data(web::FormConfig::default().limit(256 * 1024))
        .app_data(web::JsonConfig::default().limit(1024 * 1024))
        .wrap(from_fn(middleware::session))
        .wrap(from_fn(middleware::request_id))
        .wrap(security_headers())
        .service(crate::web::assets::asset)
        .configure(crate::ops::routes)
        .service(crate::openapi::api_scope())
        .configure(crate::auth::routes::routes)
        .configure(crate::audit::routes::routes)
        .configure(crate::mail::routes::routes)
        .configure(crate::hiring::routes)
        .configure(crate::training::routes)
        .configure(crate::offer::routes)
        .configure(crate::home::routes)
        .default_service(web::to(|| async {
            Err::<actix_web::HttpResponse, _>(AppError::NotFound)
        }))
}
