//! Starts the HTTP server and the mail worker, and stops both gracefully. `serve` and
//! every integration test go through here.

use crate::app::{self, AppState};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::mail::worker::{MailWorker, Outgoing};
use actix_web::dev::ServerHandle;
use actix_web::{web, HttpServer};
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;

pub struct Server {
    pub addr: SocketAddr,
    pub base_url: String,
    pub clock: Clock,
    pub pool: DbPool,
    handle: ServerHandle,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

/// Opens the pool and brings the schema up to date.
pub fn open_database(settings: &Settings) -> Result<DbPool, String> {
    let pool = db::pool(&settings.database_url, settings.pool_size)
        .map_err(|e| format!("cannot open {}: {e}", redact(&settings.database_url)))?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let applied = db::migrate(&mut conn).map_err(|e| format!("migrations failed: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    Ok(pool)
}

/// A URL fit for logs: no password.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

pub fn start(settings: Settings, pool: DbPool, bind: &str, clock: Clock) -> Result<Server, String> {
    crate::web::render::check_templates();
    let listener = TcpListener::bind(bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = settings.base_url_or(&addr.to_string());
    let outgoing = Outgoing::from_settings(&settings)?;
    tracing::info!(mail = %outgoing.describe(&settings), "mail delivery");
    let state = web::Data::new(AppState::new(
        pool.clone(),
        settings.clone(),
        base_url.clone(),
        clock.clone(),
    ));
    let workers = settings
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let (tx, rx) = std::sync::mpsc::channel();
    let (worker_pool, worker_clock) = (pool.clone(), clock.clone());
    let thread = std::thread::Builder::new()
        .name("http".into())
        .spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || app::build(state.clone()))
                    .workers(workers)
                    .shutdown_timeout(30)
                    .listen(listener)?
                    .run();
                let _ = tx.send(server.handle());
                let mail = MailWorker::start(worker_pool, settings, worker_clock, outgoing);
                let result = server.await;
                // In-flight requests are done; let the worker finish its message.
                mail.stop();
                result
            })
        })
        .map_err(|e| e.to_string())?;
    let handle = rx
        .recv()
        .map_err(|_| "the server did not start".to_string())?;
    Ok(Server {
        addr,
        base_url,
        clock,
        pool,
        handle,
        thread: Some(thread),
    })
}

impl Server {
    /// Blocks until the server stops (SIGINT or SIGTERM).
    pub fn wait(mut self) -> std::io::Result<()> {
        self.thread
            .take()
            .map_or(Ok(()), |t| t.join().unwrap_or(Ok(())))
    }

    /// Graceful stop: finishes in-flight requests and the mail worker's message.
    pub fn stop(mut self) {
        // The stop command is sent when `stop` is called; joining the thread waits for it.
        drop(self.handle.stop(true));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
