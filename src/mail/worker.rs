//! The delivery worker: its own thread, so a slow SMTP server never holds up a request.
//! On shutdown it finishes the message in hand and stops.

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{write_tx, DbConn, DbPool};
use crate::error::AppResult;
use crate::mail::model::{self, Message};
use crate::mail::rules::retry_after;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{FileTransport, SmtpTransport, Transport};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const POLL: Duration = Duration::from_millis(500);
const BATCH: i64 = 20;
/// A message being sent is someone's for this long; then another worker may retry it.
const LEASE_MINUTES: i64 = 10;

pub enum Outgoing {
    Smtp(Box<SmtpTransport>),
    Files(FileTransport),
}

impl Outgoing {
    pub fn from_settings(settings: &Settings) -> Result<Outgoing, String> {
        match &settings.smtp_url {
            Some(url) => {
                let t = SmtpTransport::from_url(url)
                    .map_err(|e| format!("ONRAMP_SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                Ok(Outgoing::Smtp(Box::new(t)))
            }
            None => {
                std::fs::create_dir_all(&settings.mail_dir)
                    .map_err(|e| format!("ONRAMP_MAIL_DIR {}: {e}", settings.mail_dir.display()))?;
                Ok(Outgoing::Files(FileTransport::new(&settings.mail_dir)))
            }
        }
    }

    fn send(&self, email: &lettre::Message) -> Result<(), String> {
        match self {
            Outgoing::Smtp(t) => t.send(email).map(|_| ()).map_err(|e| e.to_string()),
            Outgoing::Files(t) => t.send(email).map(|_| ()).map_err(|e| e.to_string()),
        }
    }

    pub fn describe(&self, settings: &Settings) -> String {
        match self {
            Outgoing::Smtp(_) => "SMTP (ONRAMP_SMTP_URL)".into(),
            Outgoing::Files(_) => format!(".eml files in {}", settings.mail_dir.display()),
        }
    }
}

pub struct MailWorker {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl MailWorker {
    pub fn start(pool: DbPool, settings: Settings, clock: Clock, outgoing: Outgoing) -> MailWorker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name("mail-worker".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    let sent = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
                        run_once(&mut c, &settings, &clock, &outgoing, &flag).map_err(|e| {
                            c.failed = true;
                            e.to_string()
                        })
                    });
                    match sent {
                        Ok(n) if n > 0 => continue,
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "mail worker"),
                    }
                    std::thread::sleep(POLL);
                }
            })
            .expect("spawn mail worker");
        MailWorker {
            stop,
            handle: Some(handle),
        }
    }

    /// Waits for the message in hand, then stops.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Delivers what is due; returns how many messages were attempted.
pub fn run_once(
    conn: &mut DbConn,
    settings: &Settings,
    clock: &Clock,
    outgoing: &Outgoing,
    stop: &AtomicBool,
) -> AppResult<usize> {
    model::release_expired_leases(conn, clock.now())?;
    let due = model::due(conn, clock.now(), BATCH)?;
    let mut attempted = 0;
    for msg in due {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if !model::claim(
            conn,
            msg.id,
            clock.now() + chrono::Duration::minutes(LEASE_MINUTES),
        )? {
            continue;
        }
        attempted += 1;
        let attempts = msg.attempts + 1;
        let result = build(&msg, &settings.mail_from).and_then(|email| outgoing.send(&email));
        let now = clock.now();
        match result {
            Ok(()) => {
                model::mark_sent(conn, msg.id, attempts, now)?;
                tracing::info!(id = %msg.id, to = %msg.to_addr, "mail sent");
            }
            Err(error) => {
                let retry = retry_after(
                    attempts,
                    settings.mail_max_attempts,
                    settings.mail_retry_secs,
                )
                .map(|d| now + d);
                tracing::warn!(id = %msg.id, attempts, %error, "mail not delivered");
                write_tx(conn, |c| {
                    model::mark_failed_attempt(c, msg.id, attempts, &error, retry, now)?;
                    if retry.is_none() {
                        let ctx = crate::ctx::Ctx {
                            actor: Actor::system("mail worker"),
                            now,
                            base_url: String::new(),
                            company: settings.company.clone(),
                            tz: settings.tz(),
                        };
                        audit::record(
                            c,
                            &ctx,
                            "mail.failed",
                            ("outbox", Some(msg.id.0)),
                            None,
                            Some(
                                serde_json::json!({"to": msg.to_addr, "attempts": attempts, "error": error}),
                            ),
                        )?;
                    }
                    Ok::<_, crate::error::AppError>(())
                })?;
            }
        }
    }
    Ok(attempted)
}

fn build(msg: &Message, from: &str) -> Result<lettre::Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("ONRAMP_MAIL_FROM: {e}"))?;
    let to: Mailbox = msg
        .to_addr
        .parse()
        .map_err(|e| format!("recipient {}: {e}", msg.to_addr))?;
    let body = MultiPart::alternative_plain_html(msg.text_body.clone(), msg.html_body.clone());
    // A calendar invitation goes along as an .ics attachment whose content type carries
    // the iTIP method (REQUEST, CANCEL), which mail clients read to offer "accept".
    let body = match &msg.calendar_ics {
        Some(ics) => {
            let method = crate::mail::ics::method_of(ics).unwrap_or("PUBLISH");
            let content_type =
                ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                    .map_err(|e| e.to_string())?;
            let name = if method == "CANCEL" {
                "cancel.ics"
            } else {
                "invite.ics"
            };
            MultiPart::mixed()
                .multipart(body)
                .singlepart(Attachment::new(name.into()).body(ics.clone(), content_type))
        }
        None => body,
    };
    lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(&msg.subject)
        .message_id(Some(format!("<onramp-{}@{}>", msg.id, "onramp")))
        .multipart(body)
        .map_err(|e| e.to_string())
}
