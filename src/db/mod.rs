//! One connection type for both backends, the pool, transactions and migrations.

pub mod ids;
mod literal;
pub mod schema;

pub use literal::{BigIntTotal, LiteralLimit, TextLiteral};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::{Connection, PgConnection, QueryResult, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type DbPool = Pool<DbManager>;
pub type PooledConn = PooledConnection<DbManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Which database a URL names: `postgres://` or `postgresql://` is PostgreSQL, anything
/// else (`sqlite://path`, a plain path) is an SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Who checkpoints an SQLite write-ahead log into the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoints {
    /// The commit that takes the log past 1,000 pages (SQLite's default): for the
    /// command-line tools.
    OnCommit,
    /// The server's checkpointer thread (`checkpoint`), so no request waits for one;
    /// commits checkpoint only as a backstop, past `BACKSTOP_PAGES`.
    InBackground,
}

/// 40 MiB of log at 4 KiB pages.
const BACKSTOP_PAGES: u32 = 10_000;

/// Connects by the URL's scheme rather than trying each backend in turn (what
/// `MultiConnection::establish` does), and applies the SQLite pragmas on every connection.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: String,
    backend: Backend,
    checkpoints: Checkpoints,
}

impl DbManager {
    pub fn new(url: &str, checkpoints: Checkpoints) -> DbManager {
        DbManager {
            url: url.to_string(),
            backend: Backend::of_url(url),
            checkpoints,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn connect(&self) -> diesel::ConnectionResult<DbConn> {
        match self.backend {
            Backend::Postgres => Ok(DbConn::Pg(PgConnection::establish(&self.url)?)),
            Backend::Sqlite => {
                let path = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
                let mut conn = SqliteConnection::establish(path)?;
                // WAL lets readers run beside the writer; FULL makes a commit durable;
                // the busy timeout queues writers instead of failing them.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut conn,
                    // busy_timeout first: switching to WAL takes a lock other new
                    // connections may hold for a moment.
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                if self.checkpoints == Checkpoints::InBackground {
                    diesel::connection::SimpleConnection::batch_execute(
                        &mut conn,
                        &format!("PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES};"),
                    )
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                }
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

/// A pooled connection. Connections are not pinged before each use (on PostgreSQL that
/// was two extra round trips per page); instead one that a request failed on is marked
/// and replaced when it goes back, so a connection the server dropped is used once at most.
pub struct PoolConn {
    conn: DbConn,
    pub failed: bool,
}

impl std::ops::Deref for PoolConn {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.conn
    }
}

impl std::ops::DerefMut for PoolConn {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.conn
    }
}

impl ManageConnection for DbManager {
    type Connection = PoolConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PoolConn, Self::Error> {
        let conn = DbManager::connect(self).map_err(diesel::r2d2::Error::ConnectionError)?;
        Ok(PoolConn {
            conn,
            failed: false,
        })
    }

    fn is_valid(&self, conn: &mut PoolConn) -> Result<(), Self::Error> {
        conn.conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut PoolConn) -> bool {
        conn.failed || conn.conn.is_broken()
    }
}

pub fn pool(
    url: &str,
    size: u32,
    checkpoints: Checkpoints,
) -> Result<DbPool, diesel::r2d2::PoolError> {
    Pool::builder()
        .max_size(size)
        .test_on_check_out(false)
        .min_idle(Some(2.min(size)))
        .connection_timeout(std::time::Duration::from_secs(10))
        .build(DbManager::new(url, checkpoints))
}

/// Copies the SQLite log into the database file as far as it can without waiting for
/// readers or writers (PASSIVE), and fsyncs it: the server's checkpointer thread runs this
/// every second on its own connection. Nothing to do on PostgreSQL.
pub fn checkpoint(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => diesel::connection::SimpleConnection::batch_execute(
            c,
            "PRAGMA wal_checkpoint(PASSIVE);",
        ),
        DbConn::Pg(_) => Ok(()),
    }
}

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Runs every pending migration of the connection's dialect.
pub fn migrate(conn: &mut DbConn) -> Result<usize, MigrationError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?.len(),
        DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS)?.len(),
    };
    Ok(applied)
}

/// True when the database has every migration this binary knows.
pub fn migrations_current(conn: &mut DbConn) -> Result<bool, MigrationError> {
    let pending = match conn {
        DbConn::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS)?,
        DbConn::Pg(c) => c.has_pending_migration(PG_MIGRATIONS)?,
    };
    Ok(!pending)
}

/// Readies a command-line bulk load (the generators, a CSV import): on SQLite a large
/// page cache for this one connection, so a million rows' index updates stay in memory
/// instead of thrashing the default 2 MB; the process ends with the load, and the pool
/// the server uses keeps the default.
pub fn for_bulk_load(conn: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Sqlite(c) = conn {
        diesel::connection::SimpleConnection::batch_execute(c, "PRAGMA cache_size = -524288")?;
    }
    Ok(())
}

/// Ends a command-line bulk load: PostgreSQL plans by its statistics, which a million
/// new rows leave stale until autovacuum catches up; refresh them now.
pub fn after_bulk_load(conn: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        diesel::connection::SimpleConnection::batch_execute(c, "ANALYZE")?;
    }
    Ok(())
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE` so that a transaction
/// that reads before it writes takes the write lock up front and waits on the busy
/// timeout, instead of failing with SQLITE_BUSY when it upgrades its read lock.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(_) => <DbConn as Connection>::TransactionManager::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// An enum stored as text: `as_str` for the column, `parse` for reading it back, `label`
/// for people, `ALL` for select boxes. Serialises as its stored text.
#[macro_export]
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($text:literal, $label:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            /// `[{value, label}]` for a select box.
            pub fn options() -> Vec<serde_json::Value> {
                Self::ALL
                    .iter()
                    .map(|v| serde_json::json!({"value": v.as_str(), "label": v.label()}))
                    .collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Runs `$body` with `$c` bound to the concrete connection. For the few statements
/// diesel's multi-backend connection cannot build, such as multi-row inserts; the body is
/// written once and compiled for each backend.
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::Integer;
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Used {
        #[diesel(sql_type = Integer)]
        used: i32,
    }

    /// A connection a request failed on goes back to the pool and is dropped there: the
    /// next checkout is a new connection (an in-memory database's temporary table is gone).
    #[test]
    fn a_connection_marked_failed_is_replaced() {
        let pool = super::pool(":memory:", 1, Checkpoints::OnCommit).expect("pool");
        let marker = |c: &mut DbConn| diesel::sql_query("SELECT x FROM marker").execute(c);
        {
            let mut c = pool.get().expect("connection");
            diesel::sql_query("CREATE TEMP TABLE marker(x)")
                .execute(&mut **c)
                .expect("temp table");
        }
        {
            let mut c = pool.get().expect("connection");
            assert!(marker(&mut c).is_ok(), "a healthy connection is reused");
            c.failed = true;
        }
        let mut c = pool.get().expect("a new connection");
        assert!(marker(&mut c).is_err(), "the failed connection came back");
    }

    /// `.cargo/config.toml` builds the bundled SQLite with the planner stability guarantee
    /// (without it every query with a `.limit` is compiled again on each run) and without
    /// the process-wide mutexes (shared page cache, allocation statistics, serialized mode)
    /// that the pool's connections queued on.
    #[test]
    fn bundled_sqlite_is_built_as_configured() {
        let Ok(DbConn::Sqlite(mut conn)) =
            DbManager::new(":memory:", Checkpoints::OnCommit).connect()
        else {
            panic!("in-memory SQLite did not open");
        };
        for (option, wanted) in [
            ("ENABLE_QPSG", 1),
            ("ENABLE_MEMORY_MANAGEMENT", 0),
            ("DEFAULT_MEMSTATUS=0", 1),
            ("THREADSAFE=2", 1),
        ] {
            let row: Used = diesel::sql_query(format!(
                "SELECT sqlite_compileoption_used('{option}') AS used"
            ))
            .get_result(&mut conn)
            .expect("compile options readable");
            assert_eq!(row.used, wanted, "SQLite compile option {option}");
        }
    }
}
