//! Starts the HTTP server, the mail worker and the periodic jobs, and stops them gracefully. `serve` and
//! every integration test go through here.

use crate::app::{self, AppState};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::mail::worker::{MailWorker, Outgoing};
use actix_web::dev::ServerHandle;
use actix_web::{web, HttpServer};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Server {
    pub addr: SocketAddr,
    pub base_url: String,
    pub clock: Clock,
    pub pool: DbPool,
    handle: ServerHandle,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

/// Opens the pool and brings the schema up to date. The server checkpoints SQLite's log
/// in the background (`start`); the command-line tools as they commit.
pub fn open_database(settings: &Settings, checkpoints: db::Checkpoints) -> Result<DbPool, String> {
    let pool = db::pool(&settings.database_url, settings.pool_size(), checkpoints)
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
    if settings.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(format!(
            "ONRAMP_TIME_ZONE: {} is not an IANA time zone name (e.g. Europe/Berlin, UTC)",
            settings.time_zone
        ));
    }
    if let Err(e) = crate::money::Currency::from_code(&settings.currency) {
        return Err(format!("ONRAMP_CURRENCY: {e}"));
    }
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
    let reminders = system_job(
        "scorecard reminders",
        &pool,
        &settings,
        &base_url,
        &clock,
        |c, ctx| {
            crate::hiring::interviews::service::send_scorecard_reminders(c, ctx)
                .map(|n| n.to_string())
        },
    );
    let offers = system_job(
        "offers",
        &pool,
        &settings,
        &base_url,
        &clock,
        move |c, ctx| {
            let run = crate::offer::offers::service::run_due(c, ctx)?;
            Ok(format!("{run:?}"))
        },
    );
    let checkpointer = checkpointer(&settings.database_url);
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
                let jobs = [
                    Periodic::start("scorecard-reminders", JOB_INTERVAL, reminders),
                    Periodic::start("offers", JOB_INTERVAL, offers),
                    Periodic::start("checkpoint", CHECKPOINT_INTERVAL, checkpointer),
                ];
                let result = server.await;
                // In-flight requests are done; let the worker finish its message.
                for job in jobs {
                    job.stop();
                }
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

/// How often the background jobs run.
const JOB_INTERVAL: Duration = Duration::from_secs(60);
/// How often SQLite's log is copied into the database file.
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// The checkpointer: its own connection (not one a request could use), opened on first
/// run and again after an error. Does nothing on PostgreSQL.
fn checkpointer(url: &str) -> impl FnMut() + Send + 'static {
    let manager = db::DbManager::new(url, db::Checkpoints::InBackground);
    let mut conn = None;
    move || {
        if manager.backend() != db::Backend::Sqlite {
            return;
        }
        let done = match conn.as_mut() {
            Some(c) => db::checkpoint(c).map_err(|e| e.to_string()),
            None => manager
                .connect()
                .map(|c| conn = Some(c))
                .map_err(|e| e.to_string()),
        };
        if let Err(e) = done {
            conn = None;
            tracing::error!(error = %e, "checkpoint failed");
        }
    }
}

/// A background job as a closure for `Periodic`: a pooled connection and a system
/// actor per run; `run` says what it did (logged when it did something).
fn system_job(
    name: &'static str,
    pool: &DbPool,
    settings: &Settings,
    base_url: &str,
    clock: &Clock,
    run: impl Fn(&mut crate::db::DbConn, &crate::ctx::Ctx) -> crate::error::AppResult<String>
        + Send
        + 'static,
) -> impl FnMut() + Send + 'static {
    let (pool, clock) = (pool.clone(), clock.clone());
    let (base_url, company, tz) = (
        base_url.to_string(),
        settings.company.clone(),
        settings.tz(),
    );
    move || {
        let ctx = crate::ctx::Ctx {
            actor: crate::audit::Actor::system(name),
            now: clock.now(),
            base_url: base_url.clone(),
            company: company.clone(),
            tz,
        };
        let done = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
            run(&mut c, &ctx).map_err(|e| {
                c.failed = true;
                e.to_string()
            })
        });
        match done {
            Ok(what) => tracing::debug!(job = name, done = %what, "background job ran"),
            Err(e) => tracing::error!(job = name, error = %e, "background job failed"),
        }
    }
}

/// A job run on its own thread every `interval` (first run at start), so it never holds
/// up a request; `stop` waits for the run in hand and ends the thread.
pub struct Periodic {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Periodic {
    pub fn start(
        name: &str,
        interval: Duration,
        mut job: impl FnMut() + Send + 'static,
    ) -> Periodic {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    job();
                    let next = Instant::now() + interval;
                    while !flag.load(Ordering::Relaxed) && Instant::now() < next {
                        std::thread::sleep(Duration::from_millis(200));
                    }
                }
            })
            .expect("spawn background job");
        Periodic {
            stop,
            handle: Some(handle),
        }
    }

    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
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
