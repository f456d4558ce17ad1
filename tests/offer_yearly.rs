//! The yearly pay-to-quit over HTTP: HR's windows (validation next to the fields, the
//! API, who may see them), the scheduled job's offers on the opening day to eligible
//! employees only with the bonus by tenure (idempotent, catching up after downtime, in
//! batches), and the employee's answer in the portal: accepting ends the employment and
//! pays out, declining or not answering keeps them. Time moves with the clock.

mod common;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{EmployeeId, HireId, JobId, UserId};
use onramp::db::schema::{
    cohorts, employees, enrolments, hires, jobs, offers, outbox, payouts, users, yearly_windows,
};
use onramp::db::DbConn;
use onramp::offer::offers::service::{self, JobRun};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const HR: &str = "hana@acme.test";
const TRAINER: &str = "tina@acme.test";
/// Employees: under a year, one year, five years of tenure on the opening day.
const ANN: &str = "ann@acme.test";
const BOB: &str = "bob@acme.test";
const CAT: &str = "cat@acme.test";
/// Not eligible: left the company; started after the window opened.
const DAN: &str = "dan@acme.test";
const EVE: &str = "eve@acme.test";

struct World {
    app: TestApp,
    /// The window's opening day, four weeks from the start (company date = UTC here).
    opens: NaiveDate,
    closes: NaiveDate,
    ann: UserId,
    bob: UserId,
    cat: UserId,
    dan: UserId,
    eve: UserId,
}

fn years_before(d: NaiveDate, years: i32) -> NaiveDate {
    d.with_year(d.year() - years).unwrap()
}

/// HR, a trainer, and five graduated employees: Ann, Bob and Cat still employed (tenure
/// 0, 1 and 5 years when the window opens), Dan who left, Eve who starts after it opens.
/// Each went through training in one cohort, whose enrolments are marked graduated.
fn world() -> World {
    let app = TestApp::spawn();
    let trainer = app.user(TRAINER, &[Role::Trainer]);
    app.user(HR, &[Role::Hr]);
    let today = app.clock.now().date();
    let start = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let cohort = app.cohort("Class 90", start, 20, &[trainer.id]);
    let opens = today + Duration::days(28);
    let closes = opens + Duration::days(13);
    let hire = |email: &str, started: NaiveDate, left: Option<NaiveDate>| {
        let (user, hire) = app.new_hire(email, "Fulfillment", start);
        employ(&app, user, hire, started, left);
        user
    };
    let ann = hire(ANN, opens - Duration::days(100), None);
    let bob = hire(BOB, years_before(opens, 1), None);
    let cat = hire(CAT, years_before(opens, 5), None);
    let dan = hire(DAN, years_before(opens, 2), Some(today));
    let eve = hire(EVE, opens + Duration::days(1), None);
    let conn = &mut app.conn() as &mut DbConn;
    diesel::update(enrolments::table.filter(enrolments::cohort_id.eq(cohort)))
        .set((
            enrolments::status.eq("graduated"),
            enrolments::ended_at.eq(app.clock.now()),
        ))
        .execute(conn)
        .unwrap();
    diesel::update(cohorts::table.find(cohort))
        .set(cohorts::graduated_at.eq(app.clock.now()))
        .execute(conn)
        .unwrap();
    World {
        app,
        opens,
        closes,
        ann,
        bob,
        cat,
        dan,
        eve,
    }
}

/// The employment record graduation starts (graduation itself is tested elsewhere).
fn employ(
    app: &TestApp,
    user: UserId,
    hire: HireId,
    started: NaiveDate,
    left: Option<NaiveDate>,
) -> EmployeeId {
    let now = app.clock.now();
    diesel::insert_into(employees::table)
        .values((
            employees::hire_id.eq(hire),
            employees::user_id.eq(user),
            employees::department.eq("Fulfillment"),
            employees::title.eq("Fulfillment associate"),
            employees::started_on.eq(started),
            employees::left_on.eq(left),
            employees::leave_reason.eq(if left.is_some() { "moved away" } else { "" }),
            employees::created_at.eq(now),
            employees::updated_at.eq(now),
        ))
        .returning(employees::id)
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap()
}

/// `n` more employees (no password, never signing in), made as rows in one transaction.
fn many_employees(app: &TestApp, n: usize, started: NaiveDate) {
    let now = app.clock.now();
    let mut conn = app.conn();
    let conn = &mut conn as &mut DbConn;
    let job: JobId = jobs::table.select(jobs::id).first(conn).unwrap();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for i in 0..n {
            let email = format!("crew{i}@acme.test");
            let user: UserId = diesel::insert_into(users::table)
                .values((
                    users::email.eq(&email),
                    users::name.eq(format!("Crew {i}")),
                    users::active.eq(true),
                    users::created_at.eq(now),
                    users::updated_at.eq(now),
                ))
                .returning(users::id)
                .get_result(conn)?;
            let valid = onramp::hiring::candidates::rules::validate(
                &onramp::hiring::candidates::rules::CandidateInput {
                    name: format!("Crew {i}"),
                    email: email.clone(),
                    source: "referral".into(),
                    ..Default::default()
                },
            )
            .unwrap();
            let candidate =
                onramp::hiring::candidates::model::insert(conn, job, &valid, now, None, now)?;
            let hire: HireId = diesel::insert_into(hires::table)
                .values((
                    hires::candidate_id.eq(candidate),
                    hires::user_id.eq(user),
                    hires::start_date.eq(started),
                    hires::department.eq("Fulfillment"),
                    hires::title.eq("Picker"),
                    hires::hourly_rate_cents.eq(1700),
                    hires::created_at.eq(now),
                ))
                .returning(hires::id)
                .get_result(conn)?;
            diesel::insert_into(employees::table)
                .values((
                    employees::hire_id.eq(hire),
                    employees::user_id.eq(user),
                    employees::department.eq("Fulfillment"),
                    employees::title.eq("Picker"),
                    employees::started_on.eq(started),
                    employees::leave_reason.eq(""),
                    employees::created_at.eq(now),
                    employees::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .unwrap();
}

/// A window as the API takes it: open `opens` for `days` more days, with these amounts.
fn window_body(opens: NaiveDate, days: i64, base: &str, step: &str, max: &str) -> Value {
    json!({
        "opens_on": opens.to_string(),
        "closes_on": (opens + Duration::days(days)).to_string(),
        "base": base, "step": step, "max": max,
    })
}

impl World {
    fn set_time(&self, at: NaiveDateTime) {
        let now = self.app.clock.now();
        self.app.clock.advance(at - now);
    }

    fn at(&self, day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
        day.and_hms_opt(h, m, 0).unwrap()
    }

    fn run_job(&self) -> JobRun {
        service::run_due(&mut self.app.conn(), &self.app.ctx()).unwrap()
    }

    /// HR adds the window through the page.
    fn add_window(&self, opens: NaiveDate, closes: NaiveDate) {
        let mut hana = self.app.login(HR);
        hana.page("/offers/yearly");
        let r = hana.post(
            "/offers/yearly",
            &[
                ("opens_on", &opens.to_string()),
                ("closes_on", &closes.to_string()),
                ("base", "2,000.00"),
                ("step", "1,000.00"),
                ("max", "5,000.00"),
            ],
        );
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }

    fn conn(&self) -> onramp::db::PooledConn {
        self.app.conn()
    }

    /// (bonus, status) of each person's yearly offers.
    fn yearly_offers(&self, user: UserId) -> Vec<(i64, String)> {
        offers::table
            .filter(offers::user_id.eq(user))
            .filter(offers::kind.eq("yearly"))
            .order(offers::id.asc())
            .select((offers::bonus_cents, offers::status))
            .load(&mut self.conn() as &mut DbConn)
            .unwrap()
    }

    fn yearly_count(&self) -> i64 {
        offers::table
            .filter(offers::kind.eq("yearly"))
            .count()
            .get_result(&mut self.conn() as &mut DbConn)
            .unwrap()
    }

    fn mails_to(&self, to: &str) -> Vec<String> {
        outbox::table
            .filter(outbox::to_addr.eq(to))
            .select(outbox::subject)
            .load(&mut self.conn() as &mut DbConn)
            .unwrap()
    }

    fn employment(&self, user: UserId) -> (Option<NaiveDate>, String) {
        employees::table
            .filter(employees::user_id.eq(user))
            .select((employees::left_on, employees::leave_reason))
            .first(&mut self.conn() as &mut DbConn)
            .unwrap()
    }

    fn offer_id(&self, user: UserId) -> String {
        offers::table
            .filter(offers::user_id.eq(user))
            .filter(offers::kind.eq("yearly"))
            .select(offers::id)
            .first::<onramp::db::ids::OfferId>(&mut self.conn() as &mut DbConn)
            .unwrap()
            .0
            .to_string()
    }
}

#[test]
fn hr_adds_windows_with_errors_next_to_the_fields() {
    let w = world();
    let mut hana = w.app.login(HR);
    let (status, page) = hana.page("/offers/yearly");
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("the company runs it only if HR adds a window here"),
        "{page}"
    );
    assert!(page.contains("No windows: the company does not run the yearly pay-to-quit."));
    // The form starts from Amazon's figures.
    for v in [
        "value=\"2,000.00\"",
        "value=\"1,000.00\"",
        "value=\"5,000.00\"",
    ] {
        assert!(page.contains(v), "{v} in {page}");
    }
    // Linked from the offers list and the policy page.
    assert!(hana.page("/offers").1.contains("href=\"/offers/yearly\""));
    assert!(hana
        .page("/offers/policy")
        .1
        .contains("href=\"/offers/yearly\""));

    let today = w.app.clock.now().date();
    hana.page("/offers/yearly");
    let r = hana.post(
        "/offers/yearly",
        &[
            ("opens_on", &(today - Duration::days(1)).to_string()),
            ("closes_on", &(today - Duration::days(2)).to_string()),
            ("base", "lots"),
            ("step", "1,000"),
            ("max", "5,000"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(
        body.contains("id=\"opens_on-error\">A window cannot open in the past"),
        "{body}"
    );
    assert!(body.contains("id=\"closes_on-error\">The window must close after the day it opens."));
    assert!(body.contains("id=\"base-error\">Type the base bonus as an amount like 2,000.00."));
    // What was typed is kept.
    assert!(body.contains("value=\"lots\""));
    let r = hana.post(
        "/offers/yearly",
        &[
            ("opens_on", &w.opens.to_string()),
            ("closes_on", &w.closes.to_string()),
            ("base", "3,000"),
            ("step", "1,000"),
            ("max", "2,000"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .unwrap()
        .contains("id=\"max-error\">The cap cannot be below the base bonus."));
    assert_eq!(
        w.app
            .audit_actions()
            .iter()
            .filter(|a| a.starts_with("yearly_window"))
            .count(),
        0
    );

    w.add_window(w.opens, w.closes);
    let (_, page) = hana.page("/offers/yearly");
    let row = format!("<td>{}</td><td>{}</td><td class=\"num\">$2,000.00</td><td class=\"num\">$1,000.00</td><td class=\"num\">$5,000.00</td><td class=\"num\">0</td>", w.opens, w.closes);
    assert!(page.contains(&row), "{page}");
    assert!(w
        .app
        .audit_actions()
        .contains(&"yearly_window.created".to_string()));
    // A second window may not share a day with it.
    let r = hana.post(
        "/offers/yearly",
        &[
            ("opens_on", &w.closes.to_string()),
            ("closes_on", &(w.closes + Duration::days(7)).to_string()),
            ("base", "2,000"),
            ("step", "1,000"),
            ("max", "5,000"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("This overlaps the window from"));

    // The API: the same rules, problem+json with the field errors.
    let token = w.app.api_token(HR);
    let (status, body) = api(
        &w.app,
        &token,
        Method::POST,
        "/yearly-windows",
        Some(json!({
            "opens_on": (w.closes + Duration::days(300)).to_string(),
            "closes_on": (w.closes + Duration::days(300)).to_string(),
            "base": "2000", "step": "1000", "max": "5000",
        })),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.to_string()
            .contains("The window must close after the day it opens."),
        "{body}"
    );
    let next = w.closes + Duration::days(365);
    let (status, body) = api(
        &w.app,
        &token,
        Method::POST,
        "/yearly-windows",
        Some(window_body(next, 13, "2500", "500", "4000")),
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["base_cents"], 250_000);
    assert_eq!(body["uptake"]["made"], 0);
    let (status, body) = api(&w.app, &token, Method::GET, "/yearly-windows?limit=1", None);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["items"][0]["opens_on"], next.to_string());
    let (_, rest) = api(
        &w.app,
        &token,
        Method::GET,
        &format!(
            "/yearly-windows?cursor={}",
            body["next_cursor"].as_str().unwrap()
        ),
        None,
    );
    assert_eq!(rest["items"][0]["opens_on"], w.opens.to_string());
    assert_eq!(rest["next_cursor"], Value::Null);
    let doc: Value = reqwest::blocking::get(format!("{}/api/v1/openapi.json", w.app.base))
        .unwrap()
        .json()
        .unwrap();
    assert!(
        doc["paths"]["/api/v1/yearly-windows"]["post"].is_object(),
        "{}",
        doc["paths"]
    );

    // HR and admins only.
    let mut tina = w.app.login(TRAINER);
    assert_eq!(tina.page("/offers/yearly").0, StatusCode::FORBIDDEN);
    let r = tina.post("/offers/yearly", &[("opens_on", &next.to_string())]);
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut ann = w.app.login(ANN);
    assert_eq!(ann.page("/offers/yearly").0, StatusCode::FORBIDDEN);
    let (status, _) = api(
        &w.app,
        &w.app.api_token(TRAINER),
        Method::GET,
        "/yearly-windows",
        None,
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[test]
fn hr_changes_or_removes_a_window_until_it_opens() {
    let w = world();
    w.add_window(w.opens, w.closes);
    let id: i64 = yearly_windows::table
        .select(yearly_windows::id)
        .first::<onramp::db::ids::YearlyWindowId>(&mut w.conn() as &mut DbConn)
        .unwrap()
        .0;
    let edit = format!("/offers/yearly/{id}");
    let mut hana = w.app.login(HR);
    assert!(hana
        .page("/offers/yearly")
        .1
        .contains(&format!("<a href=\"{edit}\">Change</a>")));
    let (status, form) = hana.page(&edit);
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&format!("value=\"{}\"", w.opens)), "{form}");
    assert!(form.contains("value=\"2,000.00\""));

    // A bad change: the errors next to the fields, the window as it was.
    let r = hana.post(
        &edit,
        &[
            ("opens_on", &w.opens.to_string()),
            ("closes_on", &(w.opens - Duration::days(1)).to_string()),
            ("base", "2,500"),
            ("step", "1,000"),
            ("max", "5,000"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("id=\"closes_on-error\">The window must close after the day it opens."));
    assert!(body.contains("value=\"2,500\""), "what was typed is kept");
    let base = || -> i64 {
        yearly_windows::table
            .select(yearly_windows::base_cents)
            .first(&mut w.conn() as &mut DbConn)
            .unwrap()
    };
    assert_eq!(base(), 200_000);

    let r = hana.post(
        &edit,
        &[
            ("opens_on", &w.opens.to_string()),
            ("closes_on", &w.closes.to_string()),
            ("base", "2,500"),
            ("step", "1,000"),
            ("max", "5,000"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = hana.follow(r);
    assert!(page.contains("Window changed."), "{page}");
    assert!(page.contains("<td class=\"num\">$2,500.00</td>"));
    assert_eq!(base(), 250_000);

    // Over the API: a second window, which the first may not be moved onto, then removed.
    let token = w.app.api_token(HR);
    let later = w.closes + Duration::days(100);
    let (status, second) = api(
        &w.app,
        &token,
        Method::POST,
        "/yearly-windows",
        Some(window_body(later, 6, "2000", "1000", "5000")),
    );
    assert_eq!(status, StatusCode::CREATED);
    let moved_onto = window_body(later + Duration::days(3), 6, "2500", "1000", "5000");
    let (status, body) = api(
        &w.app,
        &token,
        Method::PUT,
        &format!("/yearly-windows/{id}"),
        Some(moved_onto),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.to_string().contains("This overlaps the window from"),
        "{body}"
    );
    let second_id = second["id"].as_i64().unwrap();
    let (status, _) = api(
        &w.app,
        &token,
        Method::DELETE,
        &format!("/yearly-windows/{second_id}"),
        None,
    );
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api(
        &w.app,
        &token,
        Method::DELETE,
        &format!("/yearly-windows/{second_id}"),
        None,
    );
    assert_eq!(status, StatusCode::NOT_FOUND);
    let actions = w.app.audit_actions();
    assert!(actions.contains(&"yearly_window.updated".to_string()));
    assert!(actions.contains(&"yearly_window.deleted".to_string()));

    // Only HR and admins.
    let mut tina = w.app.login(TRAINER);
    assert_eq!(tina.page(&edit).0, StatusCode::FORBIDDEN);
    let r = tina.post(&format!("{edit}/delete"), &[]);
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // From its opening day the window holds offers on its (changed) terms and is fixed.
    w.set_time(w.at(w.opens, 0, 5));
    assert_eq!(w.run_job().yearly_made, 3);
    assert_eq!(w.yearly_offers(w.ann), vec![(250_000, "pending".into())]);
    // Four weeks on, the old session has expired.
    let mut hana = w.app.login(HR);
    let token = w.app.api_token(HR);
    let (_, page) = hana.page("/offers/yearly");
    assert!(page.contains("<td class=\"num\">$2,500.00</td>"), "{page}");
    assert!(!page.contains(&format!("href=\"{edit}\"")), "{page}");
    let r = hana.get(&edit);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = hana.post(&format!("{edit}/delete"), &[]);
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .unwrap()
        .contains("can no longer be changed or removed"));
    let (status, _) = api(
        &w.app,
        &token,
        Method::PUT,
        &format!("/yearly-windows/{id}"),
        Some(window_body(w.opens, 13, "9000", "0", "9000")),
    );
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(base(), 250_000);
    assert_eq!(w.yearly_count(), 3);
}

#[test]
fn offers_are_made_on_the_opening_day_to_eligible_employees_by_tenure_once() {
    let w = world();
    w.add_window(w.opens, w.closes);
    // The evening before: nothing yet.
    w.set_time(w.at(w.opens - Duration::days(1), 23, 59));
    assert_eq!(w.run_job().yearly_made, 0);
    w.set_time(w.at(w.opens, 0, 5));
    let made_at = w.app.clock.now();
    assert_eq!(w.run_job().yearly_made, 3);
    // $2,000 plus $1,000 per full year: 0, 1 and 5 years (capped at $5,000).
    assert_eq!(w.yearly_offers(w.ann), vec![(200_000, "pending".into())]);
    assert_eq!(w.yearly_offers(w.bob), vec![(300_000, "pending".into())]);
    assert_eq!(w.yearly_offers(w.cat), vec![(500_000, "pending".into())]);
    // Dan left; Eve started after the window opened.
    assert!(w.yearly_offers(w.dan).is_empty());
    assert!(w.yearly_offers(w.eve).is_empty());
    // Running again, later that day or the next, makes no duplicates.
    assert_eq!(w.run_job().yearly_made, 0);
    w.set_time(w.at(w.opens + Duration::days(1), 9, 0));
    assert_eq!(w.run_job().yearly_made, 0);
    assert_eq!(w.yearly_count(), 3);
    type Row = (bool, i64, i64, i64, String, NaiveDateTime, NaiveDateTime);
    let (pays, minutes, time_pay, rate, dept, opens_at, expires_at): Row = offers::table
        .filter(offers::user_id.eq(w.bob))
        .select((
            offers::pays_time_worked,
            offers::minutes_worked,
            offers::time_pay_cents,
            offers::hourly_rate_cents,
            offers::department,
            offers::opens_at,
            offers::expires_at,
        ))
        .first(&mut w.conn() as &mut DbConn)
        .unwrap();
    assert!(!pays);
    assert_eq!((minutes, time_pay, rate), (0, 0, 1850));
    assert_eq!(dept, "Fulfillment");
    // Opens when made (the job ran at 00:05), closes at 17:00 on the closing day.
    assert!((opens_at - made_at).num_seconds().abs() < 60, "{opens_at}");
    assert_eq!(expires_at, w.at(w.closes, 17, 0));
    assert_eq!(w.mails_to(ANN), vec!["A yearly offer is waiting for you"]);
    assert!(w.mails_to(DAN).is_empty());
    assert!(w.mails_to(EVE).is_empty());
    assert!(w.app.audit_actions().contains(&"offer.made".to_string()));
    // HR sees the window's count and the offers in the list.
    let mut hana = w.app.login(HR);
    let (_, page) = hana.page("/offers/yearly");
    assert!(
        page.contains(
            "<td class=\"num\">$5,000.00</td><td class=\"num\">3</td><td class=\"num\">3</td>"
        ),
        "{page}"
    );
    let (_, list) = hana.page("/offers");
    assert!(list.contains("Yearly pay-to-quit"));
    let (status, show) = hana.page(&format!("/offers/{}", w.offer_id(w.cat)));
    assert_eq!(status, StatusCode::OK);
    assert!(show.contains("$5,000.00"), "{show}");
}

#[test]
fn the_job_catches_up_after_downtime_in_batches() {
    let w = world();
    // More employees than one batch holds.
    many_employees(&w.app, 450, years_before(w.opens, 3));
    w.add_window(w.opens, w.closes);
    // The server was down for the first three days of the window.
    w.set_time(w.at(w.opens + Duration::days(3), 10, 0));
    assert_eq!(w.run_job().yearly_made, 453);
    assert_eq!(w.run_job().yearly_made, 0);
    assert_eq!(w.yearly_count(), 453);
    let (bonus, expires): (i64, NaiveDateTime) = offers::table
        .inner_join(users::table)
        .filter(users::email.eq("crew449@acme.test"))
        .select((offers::bonus_cents, offers::expires_at))
        .first(&mut w.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(bonus, 500_000);
    assert_eq!(expires, w.at(w.closes, 17, 0));
    // After the window closes nobody new is offered, even someone who became eligible.
    diesel::update(employees::table.filter(employees::user_id.eq(w.dan)))
        .set(employees::left_on.eq(None::<NaiveDate>))
        .execute(&mut w.conn() as &mut DbConn)
        .unwrap();
    w.set_time(w.at(w.closes + Duration::days(1), 9, 0));
    assert_eq!(w.run_job().yearly_made, 0);
    assert!(w.yearly_offers(w.dan).is_empty());
}

#[test]
fn accepting_ends_the_employment_and_pays_out() {
    let w = world();
    w.add_window(w.opens, w.closes);
    w.set_time(w.at(w.opens, 8, 0));
    w.run_job();
    let mut ann = w.app.login(ANN);
    // The portal of a graduated employee shows the offer.
    let (status, portal) = ann.page("/portal");
    assert_eq!(status, StatusCode::OK);
    assert!(
        portal.contains("<strong>$2,000.00</strong> to leave today: this year's pay-to-quit bonus"),
        "{portal}"
    );
    let (status, page) = ann.page("/portal/offer");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"offer-total\">$2,000.00"), "{page}");
    assert!(page.contains("your employment ends now"));
    assert!(!page.contains("Pay for time worked"));
    let id = w.offer_id(w.ann);
    // The same deliberate confirmation as in training.
    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &id),
            ("password", "not it"),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.employment(w.ann).0, None);
    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &id),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/farewell");
    let (status, farewell) = ann.follow(r);
    assert_eq!(status, StatusCode::OK);
    assert!(
        farewell.contains("id=\"payout-total\">$2,000.00"),
        "{farewell}"
    );
    assert!(unescape(&farewell).contains("bonus $2,000.00 = $2,000.00"));

    assert_eq!(
        w.employment(w.ann),
        (Some(w.opens), "took the yearly pay-to-quit".into())
    );
    assert_eq!(w.yearly_offers(w.ann), vec![(200_000, "accepted".into())]);
    let (total, minutes): (i64, i64) = payouts::table
        .select((payouts::total_cents, payouts::minutes_worked))
        .first(&mut w.conn() as &mut DbConn)
        .unwrap();
    assert_eq!((total, minutes), (200_000, 0));
    assert_eq!(w.mails_to(HR), vec!["Ann took the yearly pay-to-quit"]);
    let body: String = outbox::table
        .filter(outbox::to_addr.eq(HR))
        .select(outbox::text_body)
        .first(&mut w.conn() as &mut DbConn)
        .unwrap();
    assert!(
        body.contains("took the yearly pay-to-quit and left the company today"),
        "{body}"
    );
    let actions = w.app.audit_actions();
    assert!(actions.contains(&"offer.accepted".to_string()));
    assert!(actions.contains(&"employee.left".to_string()));
    // Final: no second answer.
    let r = ann.post("/portal/offer/decline", &[("offer_id", &id)]);
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Thirty days on the farewell page, then the account is closed.
    w.set_time(w.at(w.opens + Duration::days(29), 9, 0));
    let mut ann = w.app.login(ANN);
    assert_eq!(ann.page("/farewell").0, StatusCode::OK);
    assert_eq!(w.run_job().deactivated, 0);
    w.set_time(w.at(w.opens + Duration::days(30), 9, 0));
    assert_eq!(w.run_job().deactivated, 1);
    let active: bool = users::table
        .find(w.ann)
        .select(users::active)
        .first(&mut w.conn() as &mut DbConn)
        .unwrap();
    assert!(!active);
    // Next year's window passes her by.
    let next = w.opens + Duration::days(365);
    w.add_window(next, next + Duration::days(13));
    w.set_time(w.at(next, 9, 0));
    // Bob (a year more tenure), Cat, and Eve, who has now started; not Ann.
    assert_eq!(w.run_job().yearly_made, 3);
    assert_eq!(w.yearly_offers(w.ann).len(), 1);
    assert_eq!(
        w.yearly_offers(w.bob),
        vec![(300_000, "expired".into()), (400_000, "pending".into())]
    );
    assert_eq!(w.yearly_offers(w.eve), vec![(200_000, "pending".into())]);
}

#[test]
fn declining_or_not_answering_means_they_stay() {
    let w = world();
    w.add_window(w.opens, w.closes);
    w.set_time(w.at(w.opens, 8, 0));
    w.run_job();
    let mut bob = w.app.login(BOB);
    bob.page("/portal/offer");
    let r = bob.post("/portal/offer/decline", &[("offer_id", &w.offer_id(w.bob))]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = bob.follow(r);
    assert!(page.contains("You declined the offer. We are glad you are staying."));
    assert_eq!(w.yearly_offers(w.bob), vec![(300_000, "declined".into())]);
    assert_eq!(w.employment(w.bob), (None, String::new()));
    // Cat does not answer: the offer expires at 17:00 on the closing day.
    w.set_time(w.at(w.closes, 16, 59));
    assert_eq!(w.run_job().expired, 0);
    w.set_time(w.at(w.closes, 17, 1));
    assert_eq!(w.run_job().expired, 2);
    assert_eq!(w.yearly_offers(w.cat), vec![(500_000, "expired".into())]);
    assert_eq!(w.employment(w.cat), (None, String::new()));
    let mut cat = w.app.login(CAT);
    let (_, page) = cat.page("/portal/offer");
    assert!(
        page.contains("without an answer, so you stay with us"),
        "{page}"
    );
    let r = cat.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &w.offer_id(w.cat)),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(payouts::table
        .count()
        .get_result::<i64>(&mut w.conn() as &mut DbConn)
        .map(|n| n == 0)
        .unwrap());
    // HR's page counts the outcomes.
    let mut hana = w.app.login(HR);
    let (_, page) = hana.page("/offers/yearly");
    assert!(
        page.contains("<td class=\"num\">3</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">0%</td>"),
        "{page}"
    );
}
