//! Training set-up: curriculum templates, company holidays, cohorts with their laid-out
//! days, the cohort list, enrolment, moves, and who may do what.

mod common;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::schema::{cohorts, enrolments};
use onramp::db::DbConn;
use onramp::training::rules::{first_day_for, lay_out_days};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = api(app, token, reqwest::Method::GET, path, None);
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

fn today(app: &TestApp) -> NaiveDate {
    app.clock.now().date()
}

/// The Monday `weeks` weeks after the next Monday (strictly after today).
fn monday(app: &TestApp, weeks: i64) -> NaiveDate {
    let t = today(app);
    let ahead = 7 - t.weekday().num_days_from_monday() as i64;
    t + Duration::days(ahead + 7 * weeks)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn dates(v: &Value) -> Vec<NaiveDate> {
    v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| NaiveDate::parse_from_str(d.as_str().unwrap(), "%Y-%m-%d").unwrap())
        .collect()
}

fn count(app: &TestApp, action: &str) -> usize {
    app.audit_actions().iter().filter(|a| *a == action).count()
}

fn cohort_count(app: &TestApp) -> i64 {
    cohorts::table
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap()
}

/// A trainer, an admin and their tokens.
struct Staff {
    trainer: i64,
    trainer_token: String,
    admin_token: String,
}

fn staff(app: &TestApp) -> Staff {
    let trainer = app.user("tina@example.com", &[Role::Trainer]);
    app.user("ada@example.com", &[Role::Admin]);
    Staff {
        trainer: trainer.id.0,
        trainer_token: app.api_token("tina@example.com"),
        admin_token: app.api_token("ada@example.com"),
    }
}

#[test]
fn a_cohort_made_in_the_form_skips_weekends_and_holidays() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let start = monday(&app, 1);
    let wednesday = start + Duration::days(2);

    let mut admin = app.login("ada@example.com");
    admin.page("/training/holidays");
    let r = admin.post(
        "/training/holidays",
        &[("day", &ymd(wednesday)), ("name", "Founders' Day")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.follow(r);
    assert!(unescape(&html).contains("Founders' Day"));
    assert_eq!(count(&app, "holiday.created"), 1);

    let mut trainer = app.login("tina@example.com");
    let (status, form) = trainer.page("/training/cohorts/new");
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Customer Loyalty Training"));
    let trainer_id = s.trainer.to_string();
    let r = trainer.post(
        "/training/cohorts/new",
        &[
            ("name", "Class 160"),
            ("start_date", &ymd(start)),
            ("capacity", "24"),
            ("curriculum_id", "1"),
            ("trainer_ids", &trainer_id),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    let (status, page) = trainer.follow(r);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Class 160") && page.contains("Week 4"));
    assert!(page.contains(&format!("/training/cohorts/{id}/attendance")));
    assert!(page.contains(&format!("/training/cohorts/{id}/graduation")));
    assert!(page.contains("At most 1 unexcused"));

    let detail = get(&app, &s.trainer_token, &format!("/cohorts/{id}"));
    let days = dates(&detail);
    assert_eq!(days.len(), 20);
    assert_eq!(days[0], start);
    assert_eq!(days[1], start + Duration::days(1));
    assert_eq!(days[2], start + Duration::days(3), "the holiday is skipped");
    assert_eq!(days[4], start + Duration::days(7), "the weekend is skipped");
    assert!(days
        .iter()
        .all(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && *d != wednesday));
    assert_eq!(detail["status"], "planned");
    assert_eq!(detail["modules"].as_array().unwrap().len(), 24);
    assert_eq!(count(&app, "cohort.created"), 1);
}

#[test]
fn a_later_holiday_moves_a_planned_cohort_but_not_a_running_one() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let running = app.cohort("Class 150", today(&app) - Duration::days(3), 20, &[trainer]);
    let planned = app.cohort("Class 151", monday(&app, 0), 20, &[trainer]);
    let running_days = dates(&get(&app, &s.trainer_token, &format!("/cohorts/{running}")));
    let planned_days = dates(&get(&app, &s.trainer_token, &format!("/cohorts/{planned}")));
    // A day both cohorts train on.
    let holiday = planned_days[1];
    assert!(running_days.contains(&holiday));

    let (status, body) = api(
        &app,
        &s.admin_token,
        reqwest::Method::POST,
        "/holidays",
        Some(json!({"day": ymd(holiday), "name": "Snow day"})),
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["cohorts_laid_out_again"], json!(["Class 151"]));
    let moved = dates(&get(&app, &s.trainer_token, &format!("/cohorts/{planned}")));
    assert!(!moved.contains(&holiday));
    assert_eq!(moved[1], planned_days[2]);
    assert_eq!(moved.len(), 20);
    // The days on the cohort row (what the pages read) and its cohort_days rows (what
    // queries by date read) agree.
    let rows: Vec<NaiveDate> = onramp::db::schema::cohort_days::table
        .filter(onramp::db::schema::cohort_days::cohort_id.eq(planned))
        .order(onramp::db::schema::cohort_days::day_number)
        .select(onramp::db::schema::cohort_days::date)
        .load(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(rows, moved);
    // The cohort list's span follows the days laid out again.
    let listed = get(&app, &s.trainer_token, "/cohorts?status=planned");
    let listed = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(planned))
        .unwrap();
    assert_eq!(listed["first_day"], json!(ymd(moved[0])));
    assert_eq!(listed["last_day"], json!(ymd(moved[19])));
    assert_ne!(moved[19], planned_days[19]);
    assert_eq!(
        dates(&get(&app, &s.trainer_token, &format!("/cohorts/{running}"))),
        running_days,
        "a running cohort keeps its days"
    );

    let (status, body) = api(
        &app,
        &s.admin_token,
        reqwest::Method::POST,
        "/holidays",
        Some(json!({"day": ymd(holiday), "name": "Again"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["day"].as_str().unwrap().contains("already"));

    let list = get(&app, &s.trainer_token, "/holidays");
    let hid = list[0]["id"].as_i64().unwrap();
    let (status, _) = api(
        &app,
        &s.admin_token,
        reqwest::Method::DELETE,
        &format!("/holidays/{hid}"),
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        dates(&get(&app, &s.trainer_token, &format!("/cohorts/{planned}"))),
        planned_days
    );
    assert_eq!(count(&app, "holiday.created"), 1);
    assert_eq!(count(&app, "holiday.deleted"), 1);
}

fn cohort_of(app: &TestApp, hire: onramp::db::ids::HireId) -> Option<i64> {
    enrolments::table
        .filter(enrolments::hire_id.eq(hire))
        .filter(enrolments::status.eq("active"))
        .select(enrolments::cohort_id)
        .first::<onramp::db::ids::CohortId>(&mut app.conn() as &mut DbConn)
        .optional()
        .unwrap()
        .map(|c| c.0)
}

#[test]
fn hires_fill_cohorts_in_order_then_wait_for_a_trainer_to_enrol_them() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let a = app.cohort("Class 170", monday(&app, 1), 1, &[trainer]);
    let b = app.cohort("Class 171", monday(&app, 2), 1, &[trainer]);
    let start = today(&app);
    let (_, h1) = app.new_hire("nia@example.com", "Fulfillment", start);
    let (_, h2) = app.new_hire("omar@example.com", "Finance", start);
    let (_, h3) = app.new_hire("pat@example.com", "Legal", start);
    assert_eq!(cohort_of(&app, h1), Some(a.0), "first cohort with room");
    assert_eq!(cohort_of(&app, h2), Some(b.0), "the next one when full");
    assert_eq!(cohort_of(&app, h3), None);
    // Quinn starts a week later, and no cohort with room starts by then either.
    let (_, h4) = app.new_hire("quinn@example.com", "Legal", start + Duration::days(7));
    assert_eq!(cohort_of(&app, h4), None);

    // The API pages the list, earliest start first.
    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["hire_id"].as_i64().unwrap())
            .collect()
    };
    let first = get(&app, &s.trainer_token, "/hires/waiting?limit=1");
    assert_eq!(ids(&first), vec![h3.0]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(
        &app,
        &s.trainer_token,
        &format!("/hires/waiting?limit=1&cursor={cursor}"),
    );
    assert_eq!(ids(&second), vec![h4.0]);
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(
        ids(&get(&app, &s.trainer_token, "/hires/waiting")),
        vec![h3.0, h4.0]
    );

    let mut t = app.login("tina@example.com");
    let (status, html) = t.page("/training/hires/waiting");
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Pat") && !html.contains("Nia"));
    // A full cohort is refused on the hire's row; nothing is stored.
    let hire = h3.0.to_string();
    let r = t.post(
        "/training/enrolments",
        &[("hire_id", &hire), ("cohort_id", &a.0.to_string())],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&r.text().unwrap()).contains("Class 170 is full"));
    assert_eq!(cohort_of(&app, h3), None);

    // A running cohort: the hire joins late, from today's training day.
    let running = app.cohort("Class 169", start - Duration::days(14), 10, &[trainer]);
    let days = dates(&get(&app, &s.trainer_token, &format!("/cohorts/{running}")));
    let expected = first_day_for(&days, start).unwrap();
    assert!(expected > 1);
    t.page("/training/hires/waiting");
    let r = t.post(
        "/training/enrolments",
        &[("hire_id", &hire), ("cohort_id", &running.0.to_string())],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, roster) = t.follow(r);
    assert!(roster.contains("late joiner") && roster.contains("Legal"));
    assert!(roster.contains(&format!("Day {expected}")));
    let detail = get(&app, &s.trainer_token, &format!("/cohorts/{running}"));
    assert_eq!(detail["roster"][0]["first_day"], json!(expected));
    assert_eq!(detail["roster"][0]["department"], "Legal");
    // A trainer's roster shows where a trainee goes, not what they are paid.
    assert_eq!(detail["roster"][0]["tally"]["present"], 0);
    assert!(detail["roster"][0].get("hourly_rate_cents").is_none());
    assert_eq!(
        get(&app, &s.trainer_token, "/hires/waiting")["items"][0]["hire_id"],
        json!(h4.0)
    );

    // The API refuses a second enrolment.
    let (status, _) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::POST,
        "/enrolments",
        Some(json!({"hire_id": h3.0, "cohort_id": b.0})),
    );
    assert_eq!(status, StatusCode::CONFLICT);
}

#[test]
fn a_move_is_audited_and_the_old_enrolment_keeps_the_reason() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let a = app.cohort("Class 180", monday(&app, 1), 5, &[trainer]);
    let b = app.cohort("Class 181", monday(&app, 3), 5, &[trainer]);
    let (_, hire) = app.new_hire("quinn@example.com", "Marketing", today(&app));
    let detail = get(&app, &s.trainer_token, &format!("/cohorts/{a}"));
    let enrolment = detail["roster"][0]["enrolment_id"].as_i64().unwrap();

    let mut t = app.login("tina@example.com");
    let (status, page) = t.page(&format!("/training/cohorts/{a}"));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/training/enrolments/{enrolment}/move")));
    // The schedule labels its days with the weekday: the cohort starts on a Monday.
    assert!(page.contains(&format!("Mon {}", ymd(monday(&app, 1)))));
    let (status, form) = t.page(&format!("/training/enrolments/{enrolment}/move"));
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Class 181") && !form.contains("Class 180 (starts"));
    let target = b.0.to_string();
    let r = t.post(
        &format!("/training/enrolments/{enrolment}/move"),
        &[("cohort_id", &target), ("reason", " ")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("Say why the trainee moves"));
    assert_eq!(cohort_of(&app, hire), Some(a.0));
    assert_eq!(count(&app, "enrolment.moved"), 0);

    let r = t.post(
        &format!("/training/enrolments/{enrolment}/move"),
        &[
            ("cohort_id", &target),
            ("reason", "Family emergency in week one"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/training/cohorts/{b}"));
    assert_eq!(cohort_of(&app, hire), Some(b.0));
    let (status, reason): (String, String) = enrolments::table
        .find(onramp::db::ids::EnrolmentId(enrolment))
        .select((enrolments::status, enrolments::end_reason))
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(status, "moved");
    assert_eq!(reason, "Family emergency in week one");
    assert_eq!(count(&app, "enrolment.moved"), 1);
    assert!(
        get(&app, &s.trainer_token, &format!("/cohorts/{a}"))["roster"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // And over the API, back again.
    let new_id = get(&app, &s.trainer_token, &format!("/cohorts/{b}"))["roster"][0]["enrolment_id"]
        .as_i64()
        .unwrap();
    let (status, body) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::POST,
        &format!("/enrolments/{new_id}/move"),
        Some(json!({"cohort_id": a.0, "reason": "Back after the emergency"})),
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["cohort_id"], json!(a.0));
    assert_eq!(count(&app, "enrolment.moved"), 2);
}

fn template_body(name: &str, target_hours: &str, week: i64) -> Value {
    json!({
        "name": name,
        "description": "Shorter, for seasonal hires.",
        "weeks": 2,
        "days_per_week": 5,
        "live_call_target_hours": target_hours,
        "max_unexcused_absences": 0,
        "max_lates": 1,
        "day_minutes": 480,
        "modules": [
            {"week": 1, "day": 1, "title": "Welcome", "kind": "classroom", "description": "", "pass_mark": ""},
            {"week": week, "day": 5, "title": "Graduation", "kind": "graduation", "description": "The end."}
        ]
    })
}

#[test]
fn editing_a_template_leaves_existing_cohorts_alone() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let cohort = app.cohort("Class 190", monday(&app, 1), 20, &[trainer]);
    let before = get(&app, &s.trainer_token, &format!("/cohorts/{cohort}"));

    let (status, body) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::PUT,
        "/curricula/1",
        Some(template_body("Customer Loyalty Training", "30", 2)),
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["live_call_target_minutes"], 1800);
    assert_eq!(body["modules"].as_array().unwrap().len(), 2);
    let after = get(&app, &s.trainer_token, &format!("/cohorts/{cohort}"));
    assert_eq!(after["modules"], before["modules"]);
    assert_eq!(after["live_call_target_minutes"], 2400);
    assert_eq!(after["max_unexcused_absences"], 1);
    assert_eq!(after["days"], before["days"]);
    assert_eq!(count(&app, "curriculum.updated"), 1);

    // A module outside the weeks is named on its row; nothing changes.
    let (status, body) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::PUT,
        "/curricula/1",
        Some(template_body("Customer Loyalty Training", "35", 3)),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["module_1"]
        .as_str()
        .unwrap()
        .contains("not in the template"));
    assert_eq!(
        get(&app, &s.trainer_token, "/curricula/1")["live_call_target_minutes"],
        1800
    );

    // "New template" copies an existing one into the form; saving makes a new template.
    let mut t = app.login("tina@example.com");
    let (status, form) = t.page("/training/curricula/new?from=1");
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Copy of Customer Loyalty Training"));
    let r = t.post(
        "/training/curricula/new",
        &[
            ("name", "Seasonal"),
            ("description", ""),
            ("weeks", "1"),
            ("days_per_week", "5"),
            ("live_call_target_hours", "7.5"),
            ("max_unexcused_absences", "0"),
            ("max_lates", "1"),
            ("day_minutes", "480"),
            ("m_week", "1"),
            ("m_day", "6"),
            ("m_position", ""),
            ("m_title", "Saturday"),
            ("m_kind", "classroom"),
            ("m_description", ""),
            ("m_pass_mark", ""),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().unwrap();
    assert!(html.contains("is not in the template") && html.contains("value=\"Seasonal\""));
    let r = t.post(
        "/training/curricula/new",
        &[
            ("name", "Seasonal"),
            ("description", ""),
            ("weeks", "1"),
            ("days_per_week", "5"),
            ("live_call_target_hours", "7.5"),
            ("max_unexcused_absences", "0"),
            ("max_lates", "1"),
            ("day_minutes", "480"),
            ("m_week", "1"),
            ("m_day", "2"),
            ("m_position", ""),
            ("m_title", "Phones"),
            ("m_kind", "phones"),
            ("m_description", ""),
            ("m_pass_mark", "70"),
            ("m_week", ""),
            ("m_day", ""),
            ("m_position", ""),
            ("m_title", ""),
            ("m_kind", "classroom"),
            ("m_description", ""),
            ("m_pass_mark", ""),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, page) = t.follow(r);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Seasonal") && page.contains("7 h 30 min"));
    assert_eq!(count(&app, "curriculum.created"), 1);
    let all = get(&app, &s.trainer_token, "/curricula");
    let seasonal = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Seasonal")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, made) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::POST,
        "/cohorts",
        Some(
            json!({"name": "Seasonal 1", "start_date": ymd(monday(&app, 2)), "capacity": "10", "curriculum_id": seasonal, "trainer_ids": [s.trainer]}),
        ),
    );
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["days"].as_array().unwrap().len(), 5);
    assert_eq!(made["modules"][0]["title"], "Phones");
    assert_eq!(made["modules"][0]["pass_mark"], 70);
}

#[test]
fn the_list_filters_by_status_and_pages_without_gaps() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let t = today(&app);
    let mut made = vec![];
    for (name, start) in [
        ("Class 1", t - Duration::days(120)),
        ("Class 2", t - Duration::days(90)),
        ("Class 3", t - Duration::days(10)),
        ("Class 4", t - Duration::days(10)),
        ("Class 5", monday(&app, 1)),
        ("Class 6", monday(&app, 1)),
        ("Other 7", monday(&app, 4)),
    ] {
        made.push((name, app.cohort(name, start, 10, &[trainer])));
    }
    // Classes 1 and 2 were graduated by their trainer.
    diesel::update(cohorts::table.filter(cohorts::name.eq_any(["Class 1", "Class 2"])))
        .set(cohorts::graduated_at.eq(Some(app.clock.now())))
        .execute(&mut app.conn() as &mut DbConn)
        .unwrap();
    app.new_hire("rae@example.com", "Finance", monday(&app, 1));

    let names = |path: &str| -> Vec<String> {
        get(&app, &s.trainer_token, path)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("/cohorts?status=planned"),
        ["Other 7", "Class 6", "Class 5"]
    );
    assert_eq!(names("/cohorts?status=running"), ["Class 4", "Class 3"]);
    assert_eq!(names("/cohorts?status=graduated"), ["Class 2", "Class 1"]);
    assert_eq!(names("/cohorts?q=other"), ["Other 7"]);
    assert_eq!(names("/cohorts?q=CLASS%205"), ["Class 5"]);

    let all = get(&app, &s.trainer_token, "/cohorts");
    let first = &all["items"][2];
    assert_eq!(first["name"], "Class 5");
    assert_eq!(first["trainees"], 1);
    assert_eq!(first["trainers"], json!(["Tina"]));
    let days = lay_out_days(monday(&app, 1), 20, &HashSet::new());
    assert_eq!(first["first_day"], json!(ymd(days[0])));
    assert_eq!(first["last_day"], json!(ymd(days[19])));

    // Two at a time, through the cursor: every cohort once, newest start first.
    let mut seen = vec![];
    let mut path = "/cohorts?limit=2".to_string();
    loop {
        let page = get(&app, &s.trainer_token, &path);
        for i in page["items"].as_array().unwrap() {
            seen.push(i["name"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/cohorts?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        ["Other 7", "Class 6", "Class 5", "Class 4", "Class 3", "Class 2", "Class 1"]
    );

    let mut trainer_session = app.login("tina@example.com");
    let (status, html) = trainer_session.page("/training/cohorts?status=running&limit=1");
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Class 4") && !html.contains("Class 3") && html.contains("Next page"));
    // A row: the cohort, its first and last day, status, trainers and trainees of capacity.
    let (_, html) = trainer_session.page("/training/cohorts?q=CLASS%205");
    let row = html
        .split("<tr>")
        .find(|r| r.contains("Class 5"))
        .expect("Class 5's row");
    for shown in [
        ymd(days[0]),
        ymd(days[19]),
        "status-planned".to_string(),
        "<td>Tina</td>".to_string(),
        "<td class=\"num\">1 / ".to_string(),
    ] {
        assert!(row.contains(&shown), "{shown} in {row}");
    }
    let (status, html) = trainer_session.page("/training/cohorts?status=someday");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Choose planned, running or graduated."));
}

/// The list keeps each cohort's trainers and count per cohort revision; a change to
/// either, even one no app code sees, shows on the next request.
#[test]
fn the_kept_list_shows_every_change_at_once_even_one_made_outside_the_app() {
    use onramp::db::schema::{cohort_trainers, users};
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let other = app.user("otto@example.com", &[Role::Trainer]).id;
    let cohort = app.cohort("Class 9", monday(&app, 1), 10, &[trainer]);
    app.cohort("Class 8", monday(&app, 0), 10, &[other]);
    app.new_hire("rae@example.com", "Finance", monday(&app, 1));
    let row = || {
        get(&app, &s.trainer_token, "/cohorts")["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == json!(cohort))
            .map(|i| (i["trainers"].clone(), i["trainees"].clone()))
            .unwrap()
    };
    assert_eq!(row(), (json!(["Tina"]), json!(1)));
    assert_eq!(row(), (json!(["Tina"]), json!(1)), "the same row twice");

    let mut conn = app.conn();
    let conn = &mut conn as &mut DbConn;
    diesel::insert_into(cohort_trainers::table)
        .values((
            cohort_trainers::cohort_id.eq(cohort),
            cohort_trainers::user_id.eq(other),
        ))
        .execute(conn)
        .unwrap();
    assert_eq!(row(), (json!(["Otto", "Tina"]), json!(1)));
    diesel::update(users::table.find(other))
        .set(users::name.eq("Aaron"))
        .execute(conn)
        .unwrap();
    assert_eq!(row(), (json!(["Aaron", "Tina"]), json!(1)));
    diesel::update(enrolments::table.filter(enrolments::cohort_id.eq(cohort)))
        .set(enrolments::status.eq("let_go"))
        .execute(conn)
        .unwrap();
    assert_eq!(row(), (json!(["Aaron", "Tina"]), json!(0)));
    diesel::delete(cohort_trainers::table.filter(cohort_trainers::user_id.eq(trainer)))
        .execute(conn)
        .unwrap();
    assert_eq!(row(), (json!(["Aaron"]), json!(0)));
    let mut tina = app.login("tina@example.com");
    let (_, html) = tina.page("/training/cohorts?q=class%209");
    assert!(html.contains("<td>Aaron</td>"), "{html}");
}

#[test]
fn only_trainers_and_admins_change_and_hr_reads() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let trainer = onramp::db::ids::UserId(s.trainer);
    let cohort = app.cohort("Class 200", monday(&app, 1), 10, &[trainer]);
    app.user("rita@example.com", &[Role::Recruiter]);
    app.user("ivan@example.com", &[Role::Interviewer]);
    app.new_hire("nora@example.com", "Finance", today(&app));
    app.user("hal@example.com", &[Role::Hr]);
    let pages = [
        "/training/cohorts".to_string(),
        format!("/training/cohorts/{cohort}"),
        "/training/curricula".to_string(),
        "/training/curricula/1".to_string(),
        "/training/holidays".to_string(),
        "/training/hires/waiting".to_string(),
    ];
    let apis = [
        "/cohorts".to_string(),
        format!("/cohorts/{cohort}"),
        "/curricula".to_string(),
        "/curricula/1".to_string(),
        "/holidays".to_string(),
        "/hires/waiting".to_string(),
    ];
    for email in ["rita@example.com", "ivan@example.com", "nora@example.com"] {
        let mut sess = app.login(email);
        for p in pages.iter().chain(
            [
                "/training/cohorts/new".to_string(),
                "/training/curricula/new".to_string(),
            ]
            .iter(),
        ) {
            assert_eq!(sess.get(p).status(), StatusCode::FORBIDDEN, "{email} {p}");
        }
        let token = app.api_token(email);
        for p in &apis {
            let (status, _) = api(&app, &token, reqwest::Method::GET, p, None);
            assert_eq!(status, StatusCode::FORBIDDEN, "{email} API {p}");
        }
    }

    let mut hr = app.login("hal@example.com");
    for p in &pages {
        let (status, html) = hr.page(p);
        assert_eq!(status, StatusCode::OK, "HR reads {p}");
        assert!(!html.contains("Edit cohort") && !html.contains("New cohort"));
    }
    let hr_token = app.api_token("hal@example.com");
    for p in &apis {
        assert_eq!(
            api(&app, &hr_token, reqwest::Method::GET, p, None).0,
            StatusCode::OK
        );
    }
    let id = cohort.0.to_string();
    assert_eq!(
        hr.get("/training/cohorts/new").status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hr.post(&format!("/training/cohorts/{id}/edit"), &[("name", "Mine")])
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hr.post(
            "/training/holidays",
            &[("day", "2030-01-01"), ("name", "New Year")]
        )
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hr.post(
            "/training/enrolments",
            &[("hire_id", "1"), ("cohort_id", &id)]
        )
        .status(),
        StatusCode::FORBIDDEN
    );
    for (method, path, body) in [
        (reqwest::Method::POST, "/cohorts".to_string(), json!({})),
        (reqwest::Method::PUT, format!("/cohorts/{id}"), json!({})),
        (reqwest::Method::PUT, "/curricula/1".to_string(), json!({})),
        (reqwest::Method::POST, "/curricula".to_string(), json!({})),
        (reqwest::Method::POST, "/holidays".to_string(), json!({})),
        (
            reqwest::Method::DELETE,
            "/holidays/1".to_string(),
            json!({}),
        ),
        (
            reqwest::Method::POST,
            "/enrolments".to_string(),
            json!({"hire_id": 1, "cohort_id": 1}),
        ),
        (
            reqwest::Method::POST,
            "/enrolments/1/move".to_string(),
            json!({"cohort_id": 1, "reason": "x"}),
        ),
    ] {
        let (status, _) = api(&app, &hr_token, method, &path, Some(body));
        assert_eq!(status, StatusCode::FORBIDDEN, "HR {path}");
    }
    // Trainers see holidays; only admins change them.
    let (status, _) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::POST,
        "/holidays",
        Some(json!({"day": "2030-01-01", "name": "New Year"})),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut t = app.login("tina@example.com");
    let (_, html) = t.page("/training/holidays");
    assert!(!html.contains("Add holiday"));
}

#[test]
fn bad_input_is_named_next_to_its_field_and_nothing_is_stored() {
    let app = TestApp::spawn();
    let s = staff(&app);
    let mut t = app.login("tina@example.com");
    t.page("/training/cohorts/new");
    let r = t.post(
        "/training/cohorts/new",
        &[
            ("name", ""),
            ("start_date", "next monday"),
            ("capacity", "0"),
            ("curriculum_id", "1"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().unwrap();
    for message in [
        "Give the cohort a number or a name",
        "Type the start date as YYYY-MM-DD",
        "Capacity is a whole number",
        "Choose at least one trainer",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains("value=\"next monday\""),
        "keeps what was typed"
    );
    // Someone who is not a trainer cannot be one.
    let r = t.post(
        "/training/cohorts/new",
        &[
            ("name", "Class 300"),
            ("start_date", &ymd(monday(&app, 1))),
            ("capacity", "10"),
            ("trainer_ids", "999"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cohort_count(&app), 0);
    let (status, body) = api(
        &app,
        &s.trainer_token,
        reqwest::Method::POST,
        "/cohorts",
        Some(
            json!({"name": "Class 300", "start_date": "2027-13-01", "capacity": "10", "trainer_ids": [s.trainer]}),
        ),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["start_date"].is_string());
    assert_eq!(cohort_count(&app), 0);

    let mut admin = app.login("ada@example.com");
    admin.page("/training/holidays");
    let r = admin.post("/training/holidays", &[("day", "tomorrow"), ("name", "")]);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().unwrap();
    assert!(html.contains("Type the date as YYYY-MM-DD") && html.contains("Name the holiday"));
    assert!(get(&app, &s.trainer_token, "/holidays")
        .as_array()
        .unwrap()
        .is_empty());

    // Editing: the start date of a running cohort stays; capacity not below the roster.
    let trainer = onramp::db::ids::UserId(s.trainer);
    let running = app.cohort("Class 301", today(&app) - Duration::days(2), 10, &[trainer]);
    let planned = app.cohort("Class 302", monday(&app, 1), 10, &[trainer]);
    app.new_hire("una@example.com", "Finance", monday(&app, 1));
    app.new_hire("val@example.com", "Finance", monday(&app, 1));
    let (status, html) = t.page(&format!("/training/cohorts/{running}/edit"));
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("readonly"));
    let trainer_id = s.trainer.to_string();
    let r = t.post(
        &format!("/training/cohorts/{running}/edit"),
        &[
            ("name", "Class 301"),
            ("start_date", &ymd(monday(&app, 2))),
            ("capacity", "10"),
            ("trainer_ids", &trainer_id),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .unwrap()
        .contains("only changes before the cohort starts"));
    let r = t.post(
        &format!("/training/cohorts/{planned}/edit"),
        &[
            ("name", "Class 302"),
            ("start_date", &ymd(monday(&app, 1))),
            ("capacity", "1"),
            ("trainer_ids", &trainer_id),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("2 trainees are enrolled"));
    assert_eq!(count(&app, "cohort.updated"), 0);

    // A planned cohort's start date moves, and its days with it.
    let r = t.post(
        &format!("/training/cohorts/{planned}/edit"),
        &[
            ("name", "Class 302b"),
            ("start_date", &ymd(monday(&app, 2))),
            ("capacity", "12"),
            ("trainer_ids", &trainer_id),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let detail = get(&app, &s.trainer_token, &format!("/cohorts/{planned}"));
    assert_eq!(detail["name"], "Class 302b");
    assert_eq!(dates(&detail)[0], monday(&app, 2));
    assert_eq!(detail["roster"][0]["first_day"], 1);
    assert_eq!(count(&app, "cohort.updated"), 1);
}
