//! Mail delivered over real SMTP to a server running inside the test: the happy path, a
//! server that is down and comes back, and a message that fails for good until an admin
//! retries it.

mod common;
use common::smtp::*;
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::auth::service::{self, NewUserInput};
use onramp::db::DbConn;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const SUBJECT: &str = "You're invited to Acme Shoes on onramp";

#[derive(Debug, Clone, Queryable)]
struct Row {
    id: i64,
    to_addr: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
}

fn outbox_rows(app: &TestApp) -> Vec<Row> {
    use onramp::db::schema::outbox::dsl::*;
    outbox
        .select((id, to_addr, status, attempts, last_error))
        .order(id.asc())
        .load::<(
            onramp::db::ids::OutboxId,
            String,
            String,
            i64,
            Option<String>,
        )>(&mut app.conn() as &mut DbConn)
        .expect("read outbox")
        .into_iter()
        .map(|(i, t, s, a, e)| Row {
            id: i.0,
            to_addr: t,
            status: s,
            attempts: a,
            last_error: e,
        })
        .collect()
}

/// The only outbox row, once `ok` holds for it (polled up to 10 s).
fn wait_for_row(app: &TestApp, what: &str, ok: impl Fn(&Row) -> bool) -> Row {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = outbox_rows(app);
        assert!(
            rows.len() <= 1,
            "one message expected in the outbox: {rows:?}"
        );
        if let Some(r) = rows.first().filter(|r| ok(r)) {
            return r.clone();
        }
        assert!(
            Instant::now() < deadline,
            "timed out after 10 s waiting for the outbox row to be {what}; last seen: {rows:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn invite(app: &TestApp, email: &str, name: &str) {
    let input = NewUserInput {
        email: email.into(),
        name: name.into(),
        roles: vec![Role::Interviewer],
    };
    service::invite(&mut app.conn(), &app.ctx(), &input).expect("invite");
}

/// A decoded MIME leaf part: its Content-Type (lowercase, without parameters) and body.
#[derive(Debug)]
struct Part {
    content_type: String,
    body: String,
}

fn split_head(s: &str) -> (&str, &str) {
    if let Some(i) = s.find("\r\n\r\n") {
        (&s[..i], &s[i + 4..])
    } else if let Some(i) = s.find("\n\n") {
        (&s[..i], &s[i + 2..])
    } else {
        (s, "")
    }
}

/// Header value by name (case-insensitive), folded lines joined.
fn header(head: &str, name: &str) -> Option<String> {
    let unfolded = head
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ")
        .replace("\n ", " ")
        .replace("\n\t", " ");
    unfolded.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn decode_qp(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_base64(s: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every leaf part of a (possibly multipart) message, transfer encoding undone.
fn parts(entity: &str) -> Vec<Part> {
    let (head, body) = split_head(entity);
    let content_type = header(head, "Content-Type").unwrap_or_else(|| "text/plain".into());
    let mime = content_type
        .split(';')
        .next()
        .unwrap()
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        let boundary = param(&content_type, "boundary").expect("multipart boundary");
        let delimiter = format!("--{boundary}");
        let mut out = Vec::new();
        for chunk in body.split(delimiter.as_str()).skip(1) {
            if chunk.starts_with("--") {
                break;
            }
            let chunk = chunk.trim_start_matches("\r\n").trim_start_matches('\n');
            out.extend(parts(chunk));
        }
        out
    } else {
        let encoding = header(head, "Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let body = match encoding.as_str() {
            "quoted-printable" => decode_qp(body),
            "base64" => decode_base64(body),
            _ => body.to_string(),
        };
        vec![Part {
            content_type: mime,
            body,
        }]
    }
}

/// Checks the invite mail as it arrived over SMTP.
fn assert_invite(m: &Received, app: &TestApp, email: &str, name: &str) {
    assert_eq!(m.to, vec![email.to_string()], "envelope recipient: {m:?}");
    assert!(
        m.from.contains("onramp@localhost"),
        "envelope sender: {m:?}"
    );
    let (head, _) = split_head(&m.data);
    assert_eq!(
        header(head, "Subject").as_deref(),
        Some(SUBJECT),
        "headers:\n{head}"
    );
    let to = header(head, "To").unwrap_or_default();
    assert!(to.contains(email), "To header {to:?}");
    let ct = header(head, "Content-Type").unwrap_or_default();
    assert!(
        ct.to_ascii_lowercase().starts_with("multipart/alternative"),
        "Content-Type {ct:?}"
    );
    let parts = parts(&m.data);
    let text = parts
        .iter()
        .find(|p| p.content_type == "text/plain")
        .unwrap_or_else(|| panic!("a text/plain part: {parts:?}"));
    assert!(
        parts.iter().any(|p| p.content_type == "text/html"),
        "a text/html part: {parts:?}"
    );
    assert!(
        text.body.contains(name),
        "the text part names {name}:\n{}",
        text.body
    );
    let link_start = format!("{}/password/set?token=", app.base);
    let link = link_in(&text.body, &app.base);
    assert!(
        link.starts_with(&link_start) && link.len() > link_start.len(),
        "set-password link {link:?} in\n{}",
        text.body
    );
    let html = parts
        .iter()
        .find(|p| p.content_type == "text/html")
        .unwrap();
    // Handlebars writes `=` in the attribute as `&#x3D;`, which a mail client reads as `=`.
    let html_text = html.body.replace("&#x3D;", "=").replace("&amp;", "&");
    assert!(
        html_text.contains(&link_start),
        "the HTML part links to {link_start}:\n{}",
        html.body
    );
}

#[test]
fn invite_mail_is_delivered_over_smtp_and_marked_sent() {
    let port = free_port();
    let smtp = SmtpServer::start(port);
    let app = TestApp::spawn_with(|s| s.smtp_url = Some(smtp_url(port)));
    invite(&app, "nia@acme.test", "Nia Okafor");

    let got = smtp.wait_for(1);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_invite(&got[0], &app, "nia@acme.test", "Nia Okafor");

    let row = wait_for_row(&app, "sent", |r| r.status == "sent");
    assert_eq!(row.attempts, 1, "{row:?}");
    assert_eq!(row.to_addr, "nia@acme.test");
    assert_eq!(row.last_error, None);
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(smtp.messages().len(), 1, "delivered once");
}

#[test]
fn mail_waits_while_the_smtp_server_is_down_and_goes_out_once_it_is_back() {
    let port = free_port();
    let app = TestApp::spawn_with(|s| {
        s.smtp_url = Some(smtp_url(port));
        s.mail_max_attempts = 10;
        s.mail_retry_secs = 0.2;
    });
    invite(&app, "omar@acme.test", "Omar Haddad");

    let row = wait_for_row(&app, "pending after a failed attempt", |r| {
        r.status == "pending" && r.attempts >= 1 && r.last_error.is_some()
    });
    assert!(!row.last_error.as_deref().unwrap().is_empty(), "{row:?}");

    let smtp = SmtpServer::start(port);
    let got = smtp.wait_for(1);
    assert_invite(&got[0], &app, "omar@acme.test", "Omar Haddad");
    let row = wait_for_row(&app, "sent", |r| r.status == "sent");
    assert!(row.attempts >= 2, "the first attempt failed: {row:?}");
    assert_eq!(
        row.last_error, None,
        "a sent message carries no error: {row:?}"
    );
    // Give a duplicate delivery the chance to happen.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(
        smtp.messages().len(),
        1,
        "delivered exactly once: {:?}",
        smtp.messages()
    );
}

#[test]
fn mail_fails_after_the_last_attempt_and_an_admin_retry_delivers_it() {
    let port = free_port();
    let app = TestApp::spawn_with(|s| {
        s.smtp_url = Some(smtp_url(port));
        s.mail_max_attempts = 2;
        s.mail_retry_secs = 0.2;
    });
    app.user("boss@acme.test", &[Role::Admin]);
    invite(&app, "pia@acme.test", "Pia Lund");

    let row = wait_for_row(&app, "failed", |r| r.status == "failed");
    assert_eq!(row.attempts, 2, "{row:?}");
    assert!(
        row.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "{row:?}"
    );
    assert!(
        app.audit_actions().contains(&"mail.failed".to_string()),
        "{:?}",
        app.audit_actions()
    );
    // Still failed a while later: nothing retries it on its own.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(outbox_rows(&app)[0].status, "failed");

    let mut admin = app.login("boss@acme.test");
    let (_, home) = admin.page("/home");
    assert!(
        home.contains(r#"<p class="big">1 <span class="unit">failed</span></p>"#)
            && home.contains("0 waiting"),
        "the admin's home counts the failed message:\n{home}"
    );
    let (status, body) = admin.page("/admin/outbox?status=failed");
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("pia@acme.test"), "{body}");
    assert!(
        body.contains(&format!("/admin/outbox/{}", row.id)),
        "{body}"
    );
    assert!(body.contains("status-failed"), "{body}");
    let (status, body) = admin.page(&format!("/admin/outbox/{}", row.id));
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(&format!("/admin/outbox/{}/retry", row.id)),
        "the message page offers a retry:\n{body}"
    );

    let smtp = SmtpServer::start(port);
    let r = admin.post(&format!("/admin/outbox/{}/retry", row.id), &[]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/admin/outbox/{}", row.id));

    let got = smtp.wait_for(1);
    assert_invite(&got[0], &app, "pia@acme.test", "Pia Lund");
    let row = wait_for_row(&app, "sent", |r| r.status == "sent");
    assert_eq!(row.attempts, 1, "the retry starts a fresh count: {row:?}");
    assert_eq!(row.last_error, None);
    let actions = app.audit_actions();
    assert!(actions.contains(&"mail.retried".to_string()), "{actions:?}");
    let (_, home) = admin.page("/home");
    assert!(
        home.contains(r#"<p class="big">0 <span class="unit">failed</span></p>"#),
        "delivered, it leaves the failed count:\n{home}"
    );

    // A sent message cannot be retried.
    admin.page(&format!("/admin/outbox/{}", row.id));
    let r = admin.post(&format!("/admin/outbox/{}/retry", row.id), &[]);
    assert_eq!(r.status(), StatusCode::CONFLICT);
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(smtp.messages().len(), 1, "delivered exactly once");
}
