//! The real binary stops gracefully on SIGTERM: a request already being handled is
//! answered, the process exits 0, and the database is left whole.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until_serving(child: &mut Child, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited during start-up"
        );
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not listen on port {port} within 60 s");
}

fn wait_for_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit within {within:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[cfg(unix)]
fn sigterm_answers_the_request_in_flight_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("onramp.db").display());
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &db)
        .env("ONRAMP_MAIL_DIR", dir.path().join("mail"))
        .env_remove("ONRAMP_SMTP_URL")
        .env_remove("ONRAMP_BASE_URL")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_until_serving(&mut child, port);

    // A request in flight when the signal arrives: its handler has started and is
    // reading the form body, of which only the first half has been sent.
    let body = b"email=someone%40example.test&password=not-the-password";
    let (first, rest) = body.split_at(body.len() / 2);
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).unwrap();
    conn.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server must wait for the request in flight"
    );

    conn.write_all(rest).unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    // No CSRF token was sent, so the answer is the form's refusal: but an answer.
    assert!(
        response.starts_with("HTTP/1.1 403"),
        "the request in flight was answered: {response:?}"
    );
    assert!(response.contains("This form has expired"), "{response}");

    let status = wait_for_exit(&mut child, Duration::from_secs(30));
    let server_log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(status.success(), "exit status {status}; log:\n{server_log}");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens after the exit"
    );

    // The database is whole: migrating again finds nothing to do and no error.
    let again = Command::new(env!("CARGO_BIN_EXE_onramp"))
        .arg("migrate")
        .env("DATABASE_URL", &db)
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
