//! The real app on port 0 with a fresh database per test: an SQLite file in a temp dir,
//! or, when ONRAMP_TEST_POSTGRES_URL names a server, a new PostgreSQL database dropped
//! afterwards. Every integration test drives it over HTTP.
#![allow(dead_code)]

pub mod smtp;

use diesel::{Connection, PgConnection, RunQueryDsl};
use onramp::audit::Actor;
use onramp::auth::role::Role;
use onramp::auth::service::{self, NewUserInput};
use onramp::clock::Clock;
use onramp::config::Settings;
use onramp::ctx::Ctx;
use onramp::db::{DbConn, DbPool};
use onramp::server::{self, Server};
use reqwest::blocking::{Client, Response};
use reqwest::StatusCode;

pub mod training;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    server: Option<Server>,
    pub base: String,
    pub clock: Clock,
    pub pool: DbPool,
    pub dir: tempfile::TempDir,
    /// The company time zone the app was started with.
    pub tz: chrono_tz::Tz,
    pg: Option<(String, String)>,
}

pub fn postgres_url() -> Option<String> {
    std::env::var("ONRAMP_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Creates a uniquely named PostgreSQL database; returns (its URL, the admin URL).
fn fresh_pg_database(admin_url: &str) -> (String, String) {
    let name = format!("onramp_t_{}", &onramp::auth::password::random_token()[..16]);
    let mut admin =
        PgConnection::establish(admin_url).expect("connect to ONRAMP_TEST_POSTGRES_URL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create test database");
    let mut url = url::Url::parse(admin_url).expect("ONRAMP_TEST_POSTGRES_URL is a URL");
    url.set_path(&name);
    (url.to_string(), name)
}

impl TestApp {
    pub fn spawn() -> TestApp {
        Self::spawn_with(|_| {})
    }

    pub fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        // Server errors appear in a failing test's captured output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_test_writer()
            .try_init();
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg) = match postgres_url() {
            Some(admin) => {
                let (url, name) = fresh_pg_database(&admin);
                (url, Some((admin, name)))
            }
            None => (
                format!("sqlite://{}", dir.path().join("test.db").display()),
                None,
            ),
        };
        let mut settings = Settings::defaults(&url);
        settings.mail_dir = dir.path().join("mail");
        settings.workers = Some(1);
        settings.pool_size = Some(4);
        settings.mail_retry_secs = 0.2;
        settings.mail_max_attempts = 3;
        settings.company = "Acme Shoes".into();
        settings.log = "warn".into();
        adjust(&mut settings);
        let clock = Clock::default();
        let tz = settings.tz();
        let pool = server::open_database(&settings, onramp::db::Checkpoints::InBackground)
            .expect("open test database");
        let server =
            server::start(settings, pool.clone(), "127.0.0.1:0", clock.clone()).expect("start app");
        let base = server.base_url.clone();
        TestApp {
            server: Some(server),
            base,
            clock,
            pool,
            dir,
            tz,
            pg,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// The test database's URL, for running the `onramp` binary against it.
    pub fn database_url(&self) -> String {
        match &self.pg {
            Some((admin, name)) => {
                let mut url = url::Url::parse(admin).expect("admin URL");
                url.set_path(name);
                url.to_string()
            }
            None => format!("sqlite://{}", self.dir.path().join("test.db").display()),
        }
    }

    pub fn conn(&self) -> onramp::db::PooledConn {
        self.pool.get().expect("test connection")
    }

    pub fn ctx(&self) -> Ctx {
        Ctx {
            actor: Actor::system("test"),
            now: self.clock.now(),
            base_url: self.base.clone(),
            company: "Acme Shoes".into(),
            tz: self.tz,
        }
    }

    /// A person with a password, made directly through the service (setup, not the subject).
    pub fn user(&self, email: &str, roles: &[Role]) -> onramp::auth::model::User {
        let input = NewUserInput {
            email: email.into(),
            name: name_of(email),
            roles: roles.to_vec(),
        };
        service::add_user(&mut self.conn(), &self.ctx(), &input, Some(PASSWORD))
            .expect("add user")
            .0
    }

    pub fn session(&self) -> Session {
        Session::new(&self.base)
    }

    /// Signs in through the real form.
    pub fn login(&self, email: &str) -> Session {
        let mut s = self.session();
        s.get("/login");
        let r = s.post("/login", &[("email", email), ("password", PASSWORD)]);
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {email} should redirect"
        );
        s
    }

    pub fn audit_actions(&self) -> Vec<String> {
        use diesel::prelude::*;
        use onramp::db::schema::audit_log::dsl::*;
        audit_log
            .select(action)
            .order(id.asc())
            .load(&mut self.conn() as &mut DbConn)
            .expect("read audit log")
    }

    pub fn api_token(&self, email: &str) -> String {
        let user = onramp::auth::model::find_by_email(&mut self.conn(), email)
            .unwrap()
            .expect("user exists");
        service::issue_token(&mut self.conn(), &self.ctx(), user.id, "test").expect("issue token")
    }
}

fn name_of(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let mut c = local.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop();
        }
        if let Some((admin, name)) = self.pg.take() {
            // Close our own pool's connections first, then drop whatever is left.
            let pool = std::mem::replace(
                &mut self.pool,
                onramp::db::pool("sqlite://:memory:", 1, onramp::db::Checkpoints::OnCommit)
                    .expect("placeholder pool"),
            );
            drop(pool);
            if let Ok(mut c) = PgConnection::establish(&admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c);
            }
        }
    }
}

/// A browser-like HTTP session: a cookie jar, no automatic redirects, and the CSRF token
/// of the last page it read, sent with every form it posts.
pub struct Session {
    client: Client,
    base: String,
    pub csrf: String,
}

pub fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    html.find(marker).map(|i| {
        html[i + marker.len()..]
            .chars()
            .take_while(|c| *c != '"')
            .collect()
    })
}

impl Session {
    pub fn new(base: &str) -> Session {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Session {
            client,
            base: base.to_string(),
            csrf: String::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET without reading the body (for status and headers).
    pub fn get(&mut self, path: &str) -> Response {
        self.client.get(self.url(path)).send().expect("GET")
    }

    /// GET and return (status, body), remembering the page's CSRF token.
    pub fn page(&mut self, path: &str) -> (StatusCode, String) {
        let r = self.get(path);
        let status = r.status();
        let body = r.text().expect("body");
        if let Some(t) = csrf_in(&body) {
            self.csrf = t;
        }
        (status, body)
    }

    /// POST a form with this session's CSRF token (fetched from `/login` or the last page).
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        if self.csrf.is_empty() {
            self.page("/login");
        }
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &self.csrf));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .expect("POST")
    }

    /// POST a multipart form (text fields and one file) with the CSRF token in the query
    /// string, as the upload forms do.
    pub fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Response {
        let boundary = "----onramp-test-boundary-7d1f";
        let mut body: Vec<u8> = vec![];
        for (k, v) in fields {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        let (name, filename, content) = file;
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(content);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        self.client
            .post(format!("{}{sep}csrf_token={}", self.url(path), self.csrf))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .expect("POST multipart")
    }

    /// POST without any CSRF token.
    pub fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .expect("POST")
    }

    pub fn follow(&mut self, r: Response) -> (StatusCode, String) {
        let to = r
            .headers()
            .get("location")
            .expect("a redirect")
            .to_str()
            .unwrap()
            .to_string();
        self.page(&to)
    }
}

pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Mail written as .eml files by the default transport, once the worker has sent it.
pub fn wait_for_eml(dir: &std::path::Path, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= count {
            found.sort();
            return found;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("expected {count} mails in {}", dir.display());
}

/// The first link to this app in a mail body (quoted-printable soft breaks undone).
pub fn link_in(mail: &str, base: &str) -> String {
    let joined = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = joined.find(base).expect("a link to the app in the mail");
    joined[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
        .collect()
}

/// Undoes the entity escaping the templates apply (Handlebars' entities and askama's).
pub fn unescape(html: &str) -> String {
    html.replace("&#x3D;", "=")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// A JSON API call with a bearer token: the status and the body (null when not JSON).
pub fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut req = Client::new()
        .request(method, format!("{}/api/v1{}", app.base, path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().expect("API call");
    let status = r.status();
    (status, r.json().unwrap_or(serde_json::Value::Null))
}

/// The candidate ids linked in a list page's table, in order.
pub fn ids_in(body: &str) -> Vec<i64> {
    let mut out = vec![];
    let tbody = body.split("<tbody>").nth(1).unwrap_or("");
    for part in tbody.split("href=\"/hiring/candidates/").skip(1) {
        let id: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(id) = id.parse() {
            out.push(id);
        }
    }
    out
}

/// Every candidate id `GET /api/v1/candidates?{query}` lists, following the cursor page
/// after page.
pub fn listed(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let (mut seen, mut cursor) = (vec![], String::new());
    loop {
        let path = format!("/candidates?{query}&cursor={cursor}");
        let (status, page) = api(app, token, reqwest::Method::GET, &path, None);
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        let items = page["items"].as_array().unwrap();
        seen.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => return seen,
        }
    }
}
