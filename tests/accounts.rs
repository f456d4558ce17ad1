//! Signing in and out, sessions, passwords, invitations and people administration.

mod common;
use common::*;
use onramp::auth::role::Role;
use reqwest::StatusCode;

#[test]
fn sign_in_shows_the_home_page_and_sign_out_ends_the_session() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Recruiter]);
    let mut s = app.login("ann@acme.test");
    let (status, body) = s.page("/home");
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Welcome, Ann"), "{body}");
    let r = s.post("/logout", &[]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = s.get("/home");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?next=%2Fhome");
    assert!(app.audit_actions().contains(&"session.ended".to_string()));
}

#[test]
fn wrong_password_is_refused_next_to_the_form_and_keeps_the_email() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut s = app.session();
    s.page("/login");
    let r = s.post(
        "/login",
        &[("email", "Ann@Acme.test"), ("password", "not the password")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("do not match an active account"));
    assert!(
        body.contains("value=\"Ann@Acme.test\""),
        "typed email is kept"
    );
    // Email is case-insensitive.
    let r = s.post(
        "/login",
        &[("email", "ANN@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[test]
fn five_failures_throttle_the_account_with_a_clear_message_then_time_heals() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut s = app.session();
    s.page("/login");
    for _ in 0..5 {
        let r = s.post(
            "/login",
            &[("email", "ann@acme.test"), ("password", "wrong guess!")],
        );
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right password waits now.
    let r = s.post(
        "/login",
        &[("email", "ann@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r
        .text()
        .unwrap()
        .contains("Too many failed sign-ins for this account. Try again in 15 minutes"));
    app.clock.advance(chrono::Duration::minutes(16));
    let r = s.post(
        "/login",
        &[("email", "ann@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[test]
fn sessions_end_after_idle_time_and_the_cookie_is_cleared() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut s = app.login("ann@acme.test");
    assert_eq!(s.page("/home").0, StatusCode::OK);
    app.clock.advance(chrono::Duration::minutes(59));
    assert_eq!(s.page("/home").0, StatusCode::OK, "activity keeps it alive");
    app.clock.advance(chrono::Duration::minutes(61));
    let r = s.get("/home");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("onramp_session=;")));
}

#[test]
fn session_cookie_is_http_only_same_site_and_rotates_at_login() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut s = app.session();
    s.page("/login");
    let cookie_of = |r: &reqwest::blocking::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().unwrap().to_string())
            .find(|c| c.starts_with("onramp_session="))
            .expect("session cookie")
    };
    let first = s.post(
        "/login",
        &[("email", "ann@acme.test"), ("password", PASSWORD)],
    );
    let c1 = cookie_of(&first);
    assert!(
        c1.contains("HttpOnly") && c1.contains("SameSite=Lax") && c1.contains("Path=/"),
        "{c1}"
    );
    assert!(!c1.contains("Secure"), "plain http base url");
    s.page("/home");
    let second = s.post(
        "/login",
        &[("email", "ann@acme.test"), ("password", PASSWORD)],
    );
    assert_ne!(cookie_of(&second), c1, "a new token at every sign-in");
    // Only the hash is stored.
    let token = c1
        .trim_start_matches("onramp_session=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    use diesel::prelude::*;
    use onramp::db::schema::sessions::dsl::*;
    let hashes: Vec<String> = sessions
        .select(token_hash)
        .load(&mut app.conn() as &mut onramp::db::DbConn)
        .unwrap();
    assert!(!hashes.contains(&token));
    assert!(hashes.contains(&onramp::auth::password::token_hash(&token)));
}

#[test]
fn change_password_needs_the_current_one_and_signs_out_other_sessions() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Trainer]);
    let mut here = app.login("ann@acme.test");
    let mut elsewhere = app.login("ann@acme.test");
    here.page("/account");
    let r = here.post(
        "/account/password",
        &[("current_password", "nope"), ("new_password", "short")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("That is not your current password."));
    assert!(body.contains("Use at least 10 characters."));
    let r = here.post(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "a brand new passphrase"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(here.page("/home").0, StatusCode::OK, "this session stays");
    assert_eq!(
        elsewhere.get("/home").status(),
        StatusCode::SEE_OTHER,
        "the other one ended"
    );
    let mut s = app.session();
    s.page("/login");
    let r = s.post(
        "/login",
        &[
            ("email", "ann@acme.test"),
            ("password", "a brand new passphrase"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[test]
fn password_reset_link_is_mailed_works_once_and_expires() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut s = app.session();
    s.page("/password/forgot");
    let r = s.post("/password/forgot", &[("email", "ann@acme.test")]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // An unknown address gets the same answer and no mail.
    let r = s.post("/password/forgot", &[("email", "nobody@acme.test")]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mails = wait_for_eml(&app.dir.path().join("mail"), 1);
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(
        wait_for_eml(&app.dir.path().join("mail"), 1).len(),
        1,
        "no mail for an unknown address"
    );
    assert!(mails[0].contains("To: ann@acme.test"));
    assert!(mails[0].contains("Subject: Reset your Acme Shoes onramp password"));
    let link = link_in(&mails[0], &app.base);
    let path = link.trim_start_matches(&app.base).to_string();
    let (status, body) = s.page(&path);
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = path.split("token=").nth(1).unwrap().to_string();
    let r = s.post("/password/set", &[("token", &token), ("password", "short")]);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = s.post(
        "/password/set",
        &[("token", &token), ("password", "my new long password")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Single use.
    let r = s.post(
        "/password/set",
        &[("token", &token), ("password", "another long password")],
    );
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // A second link expires after an hour.
    s.post("/password/forgot", &[("email", "ann@acme.test")]);
    let mails = wait_for_eml(&app.dir.path().join("mail"), 2);
    let newest = mails
        .iter()
        .map(|m| link_in(m, &app.base))
        .find(|l| !l.contains(&token))
        .unwrap();
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(
        s.get(newest.trim_start_matches(&app.base)).status(),
        StatusCode::CONFLICT
    );
}

#[test]
fn admin_invites_someone_who_sets_a_password_and_signs_in() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let mut admin = app.login("boss@acme.test");
    admin.page("/admin/users/new");
    // Bad input: messages next to each field, what was typed kept.
    let r = admin.post(
        "/admin/users/new",
        &[("name", "Kim"), ("email", "not-an-email")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("Enter an email address like name@example.com."));
    assert!(body.contains("Choose at least one role."));
    assert!(body.contains("value=\"Kim\""));
    let r = admin.post(
        "/admin/users/new",
        &[
            ("name", "Kim Lee"),
            ("email", "Kim@Acme.test"),
            ("roles", "interviewer"),
            ("roles", "trainer"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.follow(r);
    assert!(page.contains("Invitation sent to kim@acme.test"));
    // A second invite to the same address (any case) is refused.
    admin.page("/admin/users/new");
    let r = admin.post(
        "/admin/users/new",
        &[
            ("name", "Kim Again"),
            ("email", "KIM@acme.test"),
            ("roles", "hr"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("already has an account"));

    let mails = wait_for_eml(&app.dir.path().join("mail"), 1);
    assert!(mails[0].contains("To: kim@acme.test"));
    let link = link_in(&mails[0], &app.base);
    let mut kim = app.session();
    let (status, body) = kim.page(link.trim_start_matches(&app.base));
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("kim@acme.test"));
    let token = link.split("token=").nth(1).unwrap();
    assert_eq!(
        kim.post("/password/set", &[("token", token), ("password", PASSWORD)])
            .status(),
        StatusCode::SEE_OTHER
    );
    let mut kim = app.login("kim@acme.test");
    let (_, home) = kim.page("/home");
    assert!(home.contains("Interviewer") && home.contains("Trainer"));
    let actions = app.audit_actions();
    for a in ["user.invited", "user.password_set", "session.started"] {
        assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
    }
}

/// The admin activates or deactivates someone from their page, as the form does.
fn set_active(admin: &mut Session, id: i64, active: bool) -> StatusCode {
    admin.page(&format!("/admin/users/{id}"));
    let value = if active { "true" } else { "false" };
    admin
        .post(&format!("/admin/users/{id}/active"), &[("active", value)])
        .status()
}

#[test]
fn deactivation_ends_sessions_at_once_and_blocks_sign_in() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let kim = app.user("kim@acme.test", &[Role::Recruiter]);
    let mut kim_s = app.login("kim@acme.test");
    let mut admin = app.login("boss@acme.test");
    assert_eq!(
        set_active(&mut admin, kim.id.0, false),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        kim_s.get("/home").status(),
        StatusCode::SEE_OTHER,
        "signed out at once"
    );
    let mut again = app.session();
    again.page("/login");
    assert_eq!(
        again
            .post(
                "/login",
                &[("email", "kim@acme.test"), ("password", PASSWORD)]
            )
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Reactivation restores access.
    assert_eq!(
        set_active(&mut admin, kim.id.0, true),
        StatusCode::SEE_OTHER
    );
    app.login("kim@acme.test");
}

#[test]
fn roles_change_is_audited_and_the_last_admin_is_protected() {
    let app = TestApp::spawn();
    let boss = app.user("boss@acme.test", &[Role::Admin]);
    let mut admin = app.login("boss@acme.test");
    let path = format!("/admin/users/{}", boss.id);
    admin.page(&path);
    let r = admin.post(&format!("{path}/roles"), &[("roles", "hr")]);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("last active admin"));
    let r = admin.post(
        &format!("{path}/roles"),
        &[("roles", "admin"), ("roles", "hr")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, audit) = admin.page("/audit?action=user.roles_changed");
    assert!(audit.contains("user.roles_changed"));
    assert!(
        audit.contains("[&quot;admin&quot;,&quot;hr&quot;]"),
        "before and after shown: {audit}"
    );
}

#[test]
fn first_run_setup_link_creates_the_first_admin_once() {
    let app = TestApp::spawn();
    let link = onramp::auth::service::setup_link_if_empty(&mut app.conn(), &app.ctx())
        .unwrap()
        .expect("empty installation gets a link");
    let path = link.trim_start_matches(&app.base).to_string();
    let token = path.split("token=").nth(1).unwrap().to_string();
    let mut s = app.session();
    assert_eq!(s.page(&path).0, StatusCode::OK);
    let r = s.post(
        "/setup",
        &[
            ("token", &token),
            ("name", "Founder"),
            ("email", "founder@acme.test"),
            ("password", "short"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("value=\"founder@acme.test\""));
    let r = s.post(
        "/setup",
        &[
            ("token", &token),
            ("name", "Founder"),
            ("email", "founder@acme.test"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut f = app.login("founder@acme.test");
    assert_eq!(f.page("/admin/users").0, StatusCode::OK);
    assert_eq!(
        s.get(&path).status(),
        StatusCode::CONFLICT,
        "the link is spent"
    );
    assert!(
        onramp::auth::service::setup_link_if_empty(&mut app.conn(), &app.ctx())
            .unwrap()
            .is_none()
    );
}

/// The number on the admin home's "Staff accounts" card.
fn staff_on_home(admin: &mut Session) -> String {
    let (_, home) = admin.page("/home");
    let card = home
        .split("Staff accounts</h2>")
        .nth(1)
        .expect("staff card");
    let big = card.split("<p class=\"big\">").nth(1).expect("count");
    big[..big.find('<').expect("end of count")]
        .trim()
        .to_string()
}

/// The admin's home counts active staff (anyone with a role but new hire), and the count
/// follows role changes and deactivation.
#[test]
fn the_admins_home_counts_active_staff_as_roles_and_activity_change() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let kim = app.user("kim@acme.test", &[Role::Recruiter]);
    let nia = app.user("nia@acme.test", &[Role::NewHire]);
    let mut admin = app.login("boss@acme.test");
    assert_eq!(
        staff_on_home(&mut admin),
        "2",
        "the admin and the recruiter, not the new hire"
    );

    let set_roles = |admin: &mut Session, id: i64, roles: &[&str]| {
        admin.page(&format!("/admin/users/{id}"));
        let fields: Vec<(&str, &str)> = roles.iter().map(|r| ("roles", *r)).collect();
        let r = admin.post(&format!("/admin/users/{id}/roles"), &fields);
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    };
    set_roles(&mut admin, nia.id.0, &["new_hire", "trainer"]);
    assert_eq!(
        staff_on_home(&mut admin),
        "3",
        "a new hire who also trains is staff"
    );
    set_roles(&mut admin, kim.id.0, &["new_hire"]);
    assert_eq!(staff_on_home(&mut admin), "2", "only a new hire now");

    assert_eq!(
        set_active(&mut admin, nia.id.0, false),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        staff_on_home(&mut admin),
        "1",
        "deactivated staff are not counted"
    );
}
