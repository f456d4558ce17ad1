//! An SMTP server inside the test process that keeps every message it receives, for
//! tests that check mail over real SMTP.

use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One message as the SMTP server saw it: envelope sender and recipients, raw data.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// mailin clones the handler for every connection: the message in progress is per clone,
/// the finished messages are shared.
#[derive(Clone, Default)]
pub struct Collector {
    inbox: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
    buf: Vec<u8>,
}

impl mailin_embedded::Handler for Collector {
    fn data_start(
        &mut self,
        _domain: &str,
        from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.current = Some(Received {
            from: from.to_string(),
            to: to.to_vec(),
            data: String::new(),
        });
        self.buf.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        if let Some(mut m) = self.current.take() {
            m.data = String::from_utf8_lossy(&self.buf).into_owned();
            self.inbox.lock().unwrap().push(m);
        }
        self.buf.clear();
        mailin_embedded::response::OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> mailin_embedded::Response {
        mailin_embedded::response::OK
    }
}

/// An SMTP server on 127.0.0.1:`port` for the rest of the test process (mailin has no stop).
pub struct SmtpServer {
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    pub fn start(port: u16) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("SMTP test server cannot listen on {port}: {e}"));
        let collector = Collector::default();
        let inbox = collector.inbox.clone();
        let mut server = mailin_embedded::Server::new(collector);
        server
            .with_name("smtp.test")
            .with_ssl(mailin_embedded::SslConfig::None)
            .expect("no TLS")
            .with_tcp_listener(listener);
        std::thread::Builder::new()
            .name(format!("smtp-{port}"))
            .spawn(move || {
                let _ = server.serve();
            })
            .expect("spawn SMTP server");
        SmtpServer { inbox }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until `n` messages have arrived.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        wait_until("SMTP messages", || {
            let m = self.messages();
            (m.len() >= n).then_some(m)
        })
    }
}

/// A port with nothing listening on it (right now).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    l.local_addr().unwrap().port()
}

pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// Polls `f` every 50 ms for up to 10 s.
pub fn wait_until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after 10 s waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
