//! CSRF, role checks on every page, security headers, error pages, the backend in use.

mod common;
use common::*;
use onramp::auth::role::Role;
use reqwest::StatusCode;

#[test]
fn the_suite_runs_on_the_backend_the_environment_names() {
    let app = TestApp::spawn();
    assert_eq!(app.is_postgres(), postgres_url().is_some());
    let is_pg = matches!(**app.conn(), onramp::db::DbConn::Pg(_));
    assert_eq!(is_pg, postgres_url().is_some());
    let mut s = app.session();
    assert_eq!(
        s.page("/readyz"),
        (StatusCode::OK, r#"{"status":"ready"}"#.to_string())
    );
    assert_eq!(s.page("/healthz").0, StatusCode::OK);
}

#[test]
fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let mut admin = app.login("boss@acme.test");
    admin.page("/admin/users/new");
    let r = admin.post_without_csrf(
        "/admin/users/new",
        &[
            ("name", "Eve"),
            ("email", "eve@acme.test"),
            ("roles", "admin"),
        ],
    );
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().unwrap().contains("This form has expired"));
    let r = admin.post_without_csrf(
        "/admin/users/new",
        &[
            ("name", "Eve"),
            ("email", "eve@acme.test"),
            ("roles", "admin"),
            ("csrf_token", "forged"),
        ],
    );
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        onramp::auth::model::find_by_email(&mut app.conn(), "eve@acme.test")
            .unwrap()
            .is_none()
    );
    // Sign-in and sign-out forms are protected too.
    let anon = app.session();
    assert_eq!(
        anon.post_without_csrf(
            "/login",
            &[("email", "boss@acme.test"), ("password", PASSWORD)]
        )
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin.post_without_csrf("/logout", &[]).status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(admin.page("/home").0, StatusCode::OK, "still signed in");
}

#[test]
fn every_form_on_a_page_carries_the_csrf_token() {
    let app = TestApp::spawn();
    let boss = app.user("boss@acme.test", &[Role::Admin, Role::Hr]);
    let mut admin = app.login("boss@acme.test");
    for path in [
        "/home",
        "/account",
        "/admin/users",
        "/admin/users/new",
        &format!("/admin/users/{}", boss.id),
        "/audit",
        "/admin/outbox",
    ] {
        let (status, body) = admin.page(path);
        assert_eq!(status, StatusCode::OK, "{path}");
        let posts = body.matches("method=\"post\"").count();
        let tokens = body.matches("name=\"csrf_token\"").count();
        assert!(posts > 0 || path == "/audit", "{path} has forms");
        assert_eq!(posts, tokens, "{path}: every POST form has a token");
    }
}

#[test]
fn pages_answer_403_to_the_wrong_role_and_redirect_the_signed_out() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    app.user("hr@acme.test", &[Role::Hr]);
    app.user("newbie@acme.test", &[Role::NewHire]);
    let admin_only = ["/admin/users", "/admin/users/new", "/admin/outbox"];
    let audit = ["/audit", "/audit.csv"];
    let mut newbie = app.login("newbie@acme.test");
    for p in admin_only.iter().chain(audit.iter()) {
        assert_eq!(newbie.page(p).0, StatusCode::FORBIDDEN, "new hire on {p}");
    }
    let mut hr = app.login("hr@acme.test");
    for p in admin_only {
        assert_eq!(hr.page(p).0, StatusCode::FORBIDDEN, "hr on {p}");
    }
    for p in audit {
        assert_eq!(hr.page(p).0, StatusCode::OK, "hr on {p}");
    }
    // POSTs are checked by role too, not only pages.
    let r = newbie.post(
        "/admin/users/new",
        &[("name", "X"), ("email", "x@acme.test"), ("roles", "admin")],
    );
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut anon = app.session();
    for p in admin_only
        .iter()
        .chain(audit.iter())
        .chain(["/home", "/account"].iter())
    {
        let r = anon.get(p);
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{p}");
        assert!(location(&r).starts_with("/login?next="), "{p}");
    }
    let (status, forbidden) = newbie.page("/admin/users");
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(forbidden.contains("You do not have access to this page."));
}

#[test]
fn sign_in_redirect_stays_on_this_site() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut s = app.session();
    s.page("/login?next=/audit");
    let r = s.post(
        "/login",
        &[
            ("email", "ann@acme.test"),
            ("password", PASSWORD),
            ("next", "/audit"),
        ],
    );
    assert_eq!(location(&r), "/audit");
    let mut s = app.session();
    s.page("/login");
    let r = s.post(
        "/login",
        &[
            ("email", "ann@acme.test"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(location(&r), "/home");
}

#[test]
fn strict_security_headers_on_pages_and_api() {
    let app = TestApp::spawn();
    let mut s = app.session();
    for path in ["/login", "/api/v1/me", "/static/app.css", "/nope"] {
        let r = s.get(path);
        let h = r.headers();
        let csp = h
            .get("content-security-policy")
            .expect("CSP")
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
        assert!(h.get("x-request-id").is_some(), "{path}");
    }
}

#[test]
fn not_found_pages_leak_nothing_and_the_api_answers_problem_json() {
    let app = TestApp::spawn();
    let mut s = app.session();
    let (status, body) = s.page("/no/such/page");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("That page does not exist."));
    let r = s.get("/api/v1/no-such-thing");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let body: serde_json::Value = r.json().unwrap();
    assert_eq!(body["status"], 404);
    // An id that is not a number is a 404 page, not a parser message.
    app.user("boss@acme.test", &[Role::Admin]);
    let mut admin = app.login("boss@acme.test");
    let (status, body) = admin.page("/admin/users/999999");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.to_lowercase().contains("diesel") && !body.contains("sql"));
}

#[test]
fn templates_escape_what_people_type() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let mut admin = app.login("boss@acme.test");
    admin.page("/admin/users/new");
    let r = admin.post(
        "/admin/users/new",
        &[
            ("name", "<script>alert(1)</script>"),
            ("email", "x@acme.test"),
            ("roles", "hr"),
        ],
    );
    let (_, page) = admin.follow(r);
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
