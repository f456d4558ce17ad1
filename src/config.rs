//! Settings from flags and environment, with safe defaults. Every setting is listed in
//! the README's table; keep the two in step.

use crate::db::Backend;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: `sqlite://FILE` (default) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://onramp.db",
        global = true
    )]
    pub database_url: String,

    /// Public address people reach the app at; used in mailed links and to set the
    /// session cookie `Secure` when it is https. Defaults to http://<bind address>.
    #[arg(long, env = "ONRAMP_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// SMTP server for outgoing mail, e.g. `smtp://user:pass@host:587?tls=required` or
    /// `smtps://host:465`. Unset: mail is written as .eml files to ONRAMP_MAIL_DIR.
    #[arg(long, env = "ONRAMP_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// Directory for .eml files when no SMTP server is configured.
    #[arg(
        long,
        env = "ONRAMP_MAIL_DIR",
        default_value = "mail-out",
        global = true
    )]
    pub mail_dir: PathBuf,

    /// Sender of every mail.
    #[arg(
        long,
        env = "ONRAMP_MAIL_FROM",
        default_value = "onramp <onramp@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Seconds before the first retry of a failed delivery; each retry doubles it.
    #[arg(
        long,
        env = "ONRAMP_MAIL_RETRY_SECS",
        default_value_t = 30.0,
        global = true
    )]
    pub mail_retry_secs: f64,

    /// Delivery attempts before a message is marked failed.
    #[arg(
        long,
        env = "ONRAMP_MAIL_MAX_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub mail_max_attempts: i64,

    /// Database connections in the pool (default: see `Settings::pool_size`).
    #[arg(long, env = "ONRAMP_POOL_SIZE", global = true)]
    pub pool_size: Option<u32>,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "ONRAMP_WORKERS", global = true)]
    pub workers: Option<usize>,

    /// Minutes of inactivity after which a session ends.
    #[arg(
        long,
        env = "ONRAMP_SESSION_IDLE_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub session_idle_minutes: i64,

    /// Hours after login at which a session ends however active it is.
    #[arg(
        long,
        env = "ONRAMP_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: i64,

    /// The company's name, shown in the header and in mail.
    #[arg(long, env = "ONRAMP_COMPANY", default_value = "onramp", global = true)]
    pub company: String,

    /// The company's time zone (IANA name, e.g. `Europe/Berlin`): interview times are typed
    /// and shown in it, and stored in UTC.
    #[arg(long, env = "ONRAMP_TIME_ZONE", default_value = "UTC", global = true)]
    pub time_zone: String,

    /// The company's currency (ISO 4217 code, e.g. `EUR`): offers and payouts are shown in it.
    #[arg(long, env = "ONRAMP_CURRENCY", default_value = "USD", global = true)]
    pub currency: String,

    /// Log filter (tracing's env-filter syntax), e.g. `info` or `onramp=debug`.
    #[arg(long, env = "ONRAMP_LOG", default_value = "info", global = true)]
    pub log: String,
}

impl Settings {
    /// Settings with every default, for tests and tools that build them in code.
    pub fn defaults(database_url: &str) -> Settings {
        Settings {
            database_url: database_url.to_string(),
            base_url: None,
            smtp_url: None,
            mail_dir: PathBuf::from("mail-out"),
            mail_from: "onramp <onramp@localhost>".into(),
            mail_retry_secs: 30.0,
            mail_max_attempts: 8,
            pool_size: None,
            workers: None,
            session_idle_minutes: 60,
            session_max_hours: 12,
            company: "onramp".into(),
            time_zone: "UTC".into(),
            currency: "USD".into(),
            log: "info".into(),
        }
    }

    /// Connections in the pool: as set, else 16 on SQLite and, on PostgreSQL, two per core
    /// of this machine plus two. Each PostgreSQL connection is a server process with a
    /// blocking thread waiting on it; on 2 cores a pool of 16 left the two HTTP workers
    /// queued behind 34 runnable threads, and 1% of requests waited 0.1-0.6 s
    /// (bench/RESULTS.md, stop 25). With PostgreSQL on its own machine, set it higher.
    pub fn pool_size(&self) -> u32 {
        self.pool_size
            .unwrap_or_else(|| match Backend::of_url(&self.database_url) {
                Backend::Sqlite => 16,
                Backend::Postgres => {
                    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
                    2 * cores as u32 + 2
                }
            })
    }

    /// The company's time zone; an unknown name is refused at start-up (see `server::start`).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The company's currency; an unknown code is refused at start-up (see `server::start`).
    pub fn currency(&self) -> crate::money::Currency {
        crate::money::Currency::from_code(&self.currency).unwrap_or_default()
    }

    /// The public base URL without a trailing slash.
    pub fn base_url_or(&self, bound: &str) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_is_sized_for_the_database_unless_set() {
        let cores = std::thread::available_parallelism().unwrap().get() as u32;
        let mut pg = Settings::defaults("postgres://u@db/onramp");
        assert_eq!(pg.pool_size(), 2 * cores + 2);
        pg.pool_size = Some(40);
        assert_eq!(pg.pool_size(), 40);
        assert_eq!(Settings::defaults("sqlite://onramp.db").pool_size(), 16);
    }
}
