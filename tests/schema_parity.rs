//! The SQLite and PostgreSQL migrations must build the same schema: the same tables,
//! columns (type, nullability), primary keys and indexes. One hand-written
//! `src/db/schema.rs` describes both, so any drift is a bug on one backend.
//!
//! The comparison needs a PostgreSQL server (ONRAMP_TEST_POSTGRES_URL); without one only
//! the SQLite schema's own sanity is checked.

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use onramp::config::Settings;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    ty: String,
    not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    name: String,
    unique: bool,
    partial: bool,
    columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    indexes: Vec<Index>,
}

type Schema = BTreeMap<String, Table>;

const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

/// One spelling per type across the two dialects.
fn normalize_type(raw: &str) -> String {
    let t = raw.trim().to_ascii_lowercase();
    match t.as_str() {
        // SQLite integers are 64-bit whatever they are called.
        "integer" | "int" | "bigint" | "int8" => "bigint".into(),
        "text" => "text".into(),
        "boolean" | "bool" => "bool".into(),
        "timestamp" | "timestamp without time zone" => "timestamp".into(),
        "timestamptz" | "timestamp with time zone" => "timestamptz".into(),
        other => other.into(),
    }
}

// ---- SQLite ----------------------------------------------------------------------------

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct SqliteIndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    is_unique: i64,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = BigInt)]
    partial: i64,
}

#[derive(QueryableByName)]
struct MaybeNameRow {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sqlite_schema(conn: &mut SqliteConnection) -> Schema {
    let tables: Vec<NameRow> = diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .load(conn)
        .expect("sqlite tables");
    let mut schema = Schema::new();
    for t in tables
        .into_iter()
        .map(|r| r.name)
        .filter(|n| n != MIGRATIONS_TABLE)
    {
        let cols: Vec<SqliteColumnRow> = diesel::sql_query(format!(
            "SELECT name, type AS ty, \"notnull\" AS not_null, pk FROM pragma_table_info({}) ORDER BY cid",
            quote_literal(&t)
        ))
        .load(conn)
        .expect("pragma_table_info");
        let mut pk: Vec<(i64, String)> = cols
            .iter()
            .filter(|c| c.pk > 0)
            .map(|c| (c.pk, c.name.clone()))
            .collect();
        pk.sort();
        let columns = cols
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                ty: normalize_type(&c.ty),
                not_null: c.not_null != 0 || c.pk > 0,
            })
            .collect();
        let idx: Vec<SqliteIndexRow> = diesel::sql_query(format!(
            "SELECT name, \"unique\" AS is_unique, origin, partial FROM pragma_index_list({})",
            quote_literal(&t)
        ))
        .load(conn)
        .expect("pragma_index_list");
        let mut indexes = Vec::new();
        for i in idx
            .into_iter()
            .filter(|i| !(i.origin == "pk" || i.name.starts_with("sqlite_autoindex_")))
        {
            let cols: Vec<MaybeNameRow> = diesel::sql_query(format!(
                "SELECT name FROM pragma_index_info({}) ORDER BY seqno",
                quote_literal(&i.name)
            ))
            .load(conn)
            .expect("pragma_index_info");
            indexes.push(Index {
                name: i.name,
                unique: i.is_unique != 0,
                partial: i.partial != 0,
                columns: cols
                    .into_iter()
                    .map(|c| c.name.unwrap_or_else(|| "<expression>".into()))
                    .collect(),
            });
        }
        indexes.sort();
        schema.insert(
            t,
            Table {
                columns,
                primary_key: pk.into_iter().map(|(_, n)| n).collect(),
                indexes,
            },
        );
    }
    schema
}

// ---- PostgreSQL ------------------------------------------------------------------------

#[derive(QueryableByName)]
struct PgColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[derive(QueryableByName)]
struct PgIndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Bool)]
    is_primary: bool,
    #[diesel(sql_type = Bool)]
    partial: bool,
}

/// The ordered column names of one index (NULL for an expression).
fn pg_index_columns(conn: &mut PgConnection, index: &str) -> Vec<String> {
    let rows: Vec<MaybeNameRow> = diesel::sql_query(
        "SELECT a.attname::text AS name \
         FROM pg_index i \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 \
         WHERE i.indexrelid = ('public.' || quote_ident($1))::regclass \
         ORDER BY k.ord",
    )
    .bind::<Text, _>(index)
    .load(conn)
    .expect("pg index columns");
    rows.into_iter()
        .map(|r| r.name.unwrap_or_else(|| "<expression>".into()))
        .collect()
}

fn pg_schema(conn: &mut PgConnection) -> Schema {
    let tables: Vec<NameRow> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .load(conn)
    .expect("pg tables");
    let mut schema = Schema::new();
    for t in tables
        .into_iter()
        .map(|r| r.name)
        .filter(|n| n != MIGRATIONS_TABLE)
    {
        let idx: Vec<PgIndexRow> = diesel::sql_query(
            "SELECT c.relname::text AS name, i.indisunique AS is_unique, i.indisprimary AS is_primary, \
                    (i.indpred IS NOT NULL) AS partial \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE i.indrelid = ('public.' || quote_ident($1))::regclass ORDER BY c.relname",
        )
        .bind::<Text, _>(&t)
        .load(conn)
        .expect("pg indexes");
        let primary_key = match idx.iter().find(|i| i.is_primary) {
            Some(p) => pg_index_columns(conn, &p.name),
            None => Vec::new(),
        };
        let cols: Vec<PgColumnRow> = diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS ty, is_nullable::text AS is_nullable \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 \
             ORDER BY ordinal_position",
        )
        .bind::<Text, _>(&t)
        .load(conn)
        .expect("pg columns");
        let columns = cols
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                ty: normalize_type(&c.ty),
                not_null: c.is_nullable == "NO" || primary_key.contains(&c.name),
            })
            .collect();
        let mut indexes: Vec<Index> = idx
            .iter()
            .filter(|i| !i.is_primary && !i.name.ends_with("_pkey"))
            .map(|i| Index {
                name: i.name.clone(),
                unique: i.is_unique,
                partial: i.partial,
                columns: pg_index_columns(conn, &i.name),
            })
            .collect();
        indexes.sort();
        schema.insert(
            t,
            Table {
                columns,
                primary_key,
                indexes,
            },
        );
    }
    schema
}

// ---- comparing -------------------------------------------------------------------------

fn show_column(c: &Column) -> String {
    format!(
        "{} {}{}",
        c.name,
        c.ty,
        if c.not_null { " NOT NULL" } else { "" }
    )
}

fn show_index(i: &Index) -> String {
    format!(
        "{}{} ({}){}",
        if i.unique { "UNIQUE " } else { "" },
        i.name,
        i.columns.join(", "),
        if i.partial { " WHERE …" } else { "" }
    )
}

/// Every difference, one per line, or an empty string when the schemas match.
fn diff(sqlite: &Schema, pg: &Schema) -> String {
    let mut out = String::new();
    let names: BTreeSet<&String> = sqlite.keys().chain(pg.keys()).collect();
    for name in names {
        let (s, p) = match (sqlite.get(name), pg.get(name)) {
            (Some(s), Some(p)) => (s, p),
            (Some(_), None) => {
                writeln!(out, "table {name}: only in SQLite").unwrap();
                continue;
            }
            (None, Some(_)) => {
                writeln!(out, "table {name}: only in PostgreSQL").unwrap();
                continue;
            }
            (None, None) => unreachable!(),
        };
        let col_names: BTreeSet<&String> = s
            .columns
            .iter()
            .chain(&p.columns)
            .map(|c| &c.name)
            .collect();
        for col in col_names {
            let sc = s.columns.iter().find(|c| &c.name == col);
            let pc = p.columns.iter().find(|c| &c.name == col);
            match (sc, pc) {
                (Some(a), Some(b)) if a != b => writeln!(
                    out,
                    "{name}.{col}: SQLite `{}` vs PostgreSQL `{}`",
                    show_column(a),
                    show_column(b)
                )
                .unwrap(),
                (Some(a), None) => {
                    writeln!(out, "{name}.{col}: only in SQLite (`{}`)", show_column(a)).unwrap()
                }
                (None, Some(b)) => writeln!(
                    out,
                    "{name}.{col}: only in PostgreSQL (`{}`)",
                    show_column(b)
                )
                .unwrap(),
                _ => {}
            }
        }
        let order = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        if order(s) != order(p) && s.columns.len() == p.columns.len() {
            writeln!(
                out,
                "{name}: column order differs: SQLite {:?} vs PostgreSQL {:?}",
                order(s),
                order(p)
            )
            .unwrap();
        }
        if s.primary_key != p.primary_key {
            writeln!(
                out,
                "{name}: primary key SQLite {:?} vs PostgreSQL {:?}",
                s.primary_key, p.primary_key
            )
            .unwrap();
        }
        let idx_names: BTreeSet<&String> = s
            .indexes
            .iter()
            .chain(&p.indexes)
            .map(|i| &i.name)
            .collect();
        for idx in idx_names {
            let si = s.indexes.iter().find(|i| &i.name == idx);
            let pi = p.indexes.iter().find(|i| &i.name == idx);
            match (si, pi) {
                (Some(a), Some(b)) if a != b => writeln!(
                    out,
                    "{name}: index SQLite `{}` vs PostgreSQL `{}`",
                    show_index(a),
                    show_index(b)
                )
                .unwrap(),
                (Some(a), None) => {
                    writeln!(out, "{name}: index only in SQLite: `{}`", show_index(a)).unwrap()
                }
                (None, Some(b)) => {
                    writeln!(out, "{name}: index only in PostgreSQL: `{}`", show_index(b)).unwrap()
                }
                _ => {}
            }
        }
    }
    out
}

/// Problems the SQLite schema has on its own: a table without a primary key, an index on
/// a column that does not exist.
fn self_check(schema: &Schema, backend: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, t) in schema {
        if t.primary_key.is_empty() {
            problems.push(format!("{backend}: table {name} has no primary key"));
        }
        for col in &t.primary_key {
            if !t.columns.iter().any(|c| &c.name == col) {
                problems.push(format!(
                    "{backend}: {name} primary key column {col} does not exist"
                ));
            }
        }
        for i in &t.indexes {
            if i.columns.is_empty() {
                problems.push(format!(
                    "{backend}: index {} on {name} has no columns",
                    i.name
                ));
            }
            for col in &i.columns {
                if !t.columns.iter().any(|c| &c.name == col) {
                    problems.push(format!(
                        "{backend}: index {} on {name} names column {col}, which does not exist",
                        i.name
                    ));
                }
            }
        }
    }
    problems
}

/// A few facts every introspection must find, so a query that silently returns nothing
/// cannot make the comparison pass.
fn assert_known_facts(schema: &Schema, backend: &str) {
    let table = |name: &str| {
        schema
            .get(name)
            .unwrap_or_else(|| panic!("{backend}: table {name} exists: {:?}", schema.keys()))
    };
    assert_eq!(
        table("users").primary_key,
        ["id"],
        "{backend}: users primary key"
    );
    assert_eq!(
        table("user_roles").primary_key,
        ["user_id", "role"],
        "{backend}: user_roles primary key"
    );
    let id = table("outbox")
        .columns
        .iter()
        .find(|c| c.name == "id")
        .cloned();
    assert_eq!(
        id,
        Some(Column {
            name: "id".into(),
            ty: "bigint".into(),
            not_null: true
        }),
        "{backend}: outbox.id"
    );
    let last_error = table("outbox")
        .columns
        .iter()
        .find(|c| c.name == "last_error")
        .cloned();
    assert_eq!(
        last_error,
        Some(Column {
            name: "last_error".into(),
            ty: "text".into(),
            not_null: false
        }),
        "{backend}: outbox.last_error"
    );
    let due = table("outbox")
        .indexes
        .iter()
        .find(|i| i.name == "outbox_due_idx")
        .cloned();
    assert_eq!(
        due,
        Some(Index {
            name: "outbox_due_idx".into(),
            unique: false,
            partial: false,
            columns: vec!["status".into(), "next_attempt_at".into()]
        }),
        "{backend}: outbox_due_idx"
    );
    assert!(
        table("users")
            .indexes
            .iter()
            .any(|i| i.name == "users_email_idx" && i.unique),
        "{backend}: users_email_idx is unique"
    );
}

fn migrated_sqlite(dir: &Path) -> SqliteConnection {
    let path = dir.join("parity.db");
    let pool = onramp::server::open_database(
        &Settings::defaults(&format!("sqlite://{}", path.display())),
        onramp::db::Checkpoints::OnCommit,
    )
    .expect("migrate SQLite");
    drop(pool);
    SqliteConnection::establish(path.to_str().unwrap()).expect("open migrated SQLite")
}

/// A uniquely named PostgreSQL database, dropped when this goes out of scope (also when
/// the test panics).
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin_url: &str) -> PgDatabase {
        let name = format!(
            "onramp_parity_{}",
            &onramp::auth::password::random_token()[..16]
                .to_ascii_lowercase()
                .replace('-', "_")
        );
        let mut admin =
            PgConnection::establish(admin_url).expect("connect to ONRAMP_TEST_POSTGRES_URL");
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create parity database");
        let mut url = url::Url::parse(admin_url).expect("ONRAMP_TEST_POSTGRES_URL is a URL");
        url.set_path(&name);
        PgDatabase {
            admin_url: admin_url.to_string(),
            url: url.to_string(),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        match PgConnection::establish(&self.admin_url) {
            Ok(mut c) => {
                if let Err(e) = c.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                )) {
                    eprintln!("could not drop test database {}: {e}", self.name);
                }
            }
            Err(e) => eprintln!("could not drop test database {}: {e}", self.name),
        }
    }
}

fn postgres_url() -> Option<String> {
    std::env::var("ONRAMP_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

#[test]
fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = sqlite_schema(&mut migrated_sqlite(dir.path()));
    assert!(!sqlite.is_empty(), "the SQLite migrations create tables");
    for expected in ["users", "user_roles", "sessions", "audit_log", "outbox"] {
        assert!(
            sqlite.contains_key(expected),
            "table {expected} exists: {:?}",
            sqlite.keys()
        );
    }
    let problems = self_check(&sqlite, "SQLite");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_known_facts(&sqlite, "SQLite");
    // The comparison itself notices a difference.
    let mut tampered = sqlite.clone();
    tampered
        .get_mut("outbox")
        .unwrap()
        .columns
        .retain(|c| c.name != "sent_at");
    tampered.get_mut("users").unwrap().indexes[0].unique ^= true;
    let d = diff(&sqlite, &tampered);
    assert!(
        d.contains("outbox.sent_at: only in SQLite") && d.contains("users: index"),
        "{d}"
    );

    let Some(admin_url) = postgres_url() else {
        println!("schema parity with PostgreSQL not checked: ONRAMP_TEST_POSTGRES_URL is not set");
        return;
    };
    // Declared before the pool and connection so it is dropped after them.
    let db = PgDatabase::create(&admin_url);
    let pg = {
        let pool = onramp::server::open_database(
            &Settings::defaults(&db.url),
            onramp::db::Checkpoints::OnCommit,
        )
        .expect("migrate PostgreSQL");
        drop(pool);
        let mut conn = PgConnection::establish(&db.url).expect("connect to the parity database");
        pg_schema(&mut conn)
    };
    let problems = self_check(&pg, "PostgreSQL");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_known_facts(&pg, "PostgreSQL");
    let differences = diff(&sqlite, &pg);
    assert!(
        differences.is_empty(),
        "the SQLite and PostgreSQL migrations differ:\n{differences}"
    );
    assert_eq!(
        sqlite, pg,
        "no difference reported, yet the schemas are not equal"
    );
}

fn migration_folders(dialect: &str) -> BTreeSet<String> {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "migrations", dialect]
        .iter()
        .collect();
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_migration_exists_for_both_backends_with_up_and_down() {
    let sqlite = migration_folders("sqlite");
    let pg = migration_folders("postgres");
    assert!(!sqlite.is_empty(), "migrations/sqlite has migrations");
    let only_sqlite: Vec<_> = sqlite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&sqlite).collect();
    assert!(only_sqlite.is_empty() && only_pg.is_empty(), "migrations only in migrations/sqlite: {only_sqlite:?}; only in migrations/postgres: {only_pg:?}");
    let mut missing = Vec::new();
    for dialect in ["sqlite", "postgres"] {
        for name in &sqlite {
            for file in ["up.sql", "down.sql"] {
                let path: PathBuf = [
                    env!("CARGO_MANIFEST_DIR"),
                    "migrations",
                    dialect,
                    name,
                    file,
                ]
                .iter()
                .collect();
                match std::fs::read_to_string(&path) {
                    Ok(sql) if !sql.trim().is_empty() => {}
                    Ok(_) => missing.push(format!("{} is empty", path.display())),
                    Err(_) => missing.push(format!("{} is missing", path.display())),
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
