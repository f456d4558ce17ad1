//! Graduation, the trainer's home, the new-hire portal, the pre-start checklist and the
//! training days in the calendar feed, over HTTP. Attendance, results and call shifts
//! are inserted as rows (their own pages are tested elsewhere); the subject of each test
//! is driven through the pages and the API.

mod common;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{ChecklistTaskId, CohortId, CohortModuleId, EnrolmentId, HireId, UserId};
use onramp::db::schema::{
    call_shifts, checklist_tasks, cohort_modules, cohorts, employees, enrolments, module_results,
    sessions, users,
};
use onramp::db::DbConn;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    api(app, token, reqwest::Method::GET, path, None)
}

fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    api(app, token, reqwest::Method::POST, path, Some(body))
}

fn today(app: &TestApp) -> NaiveDate {
    app.clock.now().date()
}

fn enrolment_of(app: &TestApp, hire: HireId) -> EnrolmentId {
    enrolments::table
        .filter(enrolments::hire_id.eq(hire))
        .order(enrolments::id.desc())
        .select(enrolments::id)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap()
}

fn status_of(app: &TestApp, e: EnrolmentId) -> String {
    enrolments::table
        .find(e)
        .select(enrolments::status)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap()
}

/// The cohort's modules with a pass mark or none: (id, title, kind, pass mark).
fn modules(app: &TestApp, cohort: CohortId) -> Vec<(CohortModuleId, String, String, Option<i64>)> {
    cohort_modules::table
        .filter(cohort_modules::cohort_id.eq(cohort))
        .order(cohort_modules::id.asc())
        .select((
            cohort_modules::id,
            cohort_modules::title,
            cohort_modules::kind,
            cohort_modules::pass_mark,
        ))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap()
}

fn result(app: &TestApp, e: EnrolmentId, m: CohortModuleId, score: Option<i64>, passed: bool) {
    diesel::insert_into(module_results::table)
        .values((
            module_results::enrolment_id.eq(e),
            module_results::cohort_module_id.eq(m),
            module_results::score.eq(score),
            module_results::passed.eq(passed),
            module_results::recorded_at.eq(app.clock.now()),
        ))
        .execute(&mut app.conn() as &mut DbConn)
        .unwrap();
}

fn shift(app: &TestApp, cohort: CohortId, e: EnrolmentId, minutes: i64) {
    let start = app.clock.now() - Duration::days(2);
    diesel::insert_into(call_shifts::table)
        .values((
            call_shifts::enrolment_id.eq(e),
            call_shifts::cohort_id.eq(cohort),
            call_shifts::started_at.eq(start),
            call_shifts::ended_at.eq(start + Duration::minutes(minutes)),
            call_shifts::minutes.eq(minutes),
            call_shifts::calls_taken.eq(12),
            call_shifts::connections.eq(3),
            call_shifts::wow_story.eq("Sent flowers."),
            call_shifts::created_at.eq(start),
        ))
        .execute(&mut app.conn() as &mut DbConn)
        .unwrap();
}

/// A finished cohort (all 20 days before today) with trainer Tess and three trainees.
struct Finished {
    app: TestApp,
    cohort: CohortId,
    ada: (UserId, HireId, EnrolmentId),
    bob: (UserId, HireId, EnrolmentId),
}

fn finished() -> Finished {
    let app = TestApp::spawn();
    let tess = app.user("tess@acme.test", &[Role::Trainer]);
    app.user("hana@acme.test", &[Role::Hr]);
    let start = today(&app) - Duration::days(40);
    let cohort = app.cohort("Class 160", start, 10, &[tess.id]);
    let (ua, ha) = app.new_hire("ada@acme.test", "Fulfillment", start);
    let (ub, hb) = app.new_hire("bob@acme.test", "Finance", start);
    let (ea, eb) = (enrolment_of(&app, ha), enrolment_of(&app, hb));
    app.complete_training(cohort, ea, 1);
    // Bob: two unexcused absences, the core values check failed, 16 h 40 min of calls,
    // the systems check never taken.
    app.mark_days(cohort, eb, 1..=18, "present");
    app.mark_days(cohort, eb, 19..=20, "absent");
    for (m, title, kind, _) in modules(&app, cohort) {
        match title.as_str() {
            "Core values check" => result(&app, eb, m, Some(60), false),
            "Systems check" => {}
            _ if kind != "graduation" => result(&app, eb, m, None, true),
            _ => {}
        }
    }
    shift(&app, cohort, eb, 1000);
    Finished {
        app,
        cohort,
        ada: (ua, ha, ea),
        bob: (ub, hb, eb),
    }
}

#[test]
fn the_graduation_page_lists_who_qualifies_and_what_each_other_lacks() {
    let f = finished();
    let mut s = f.app.login("tess@acme.test");
    let (status, body) = s.page(&format!("/training/cohorts/{}/graduation", f.cohort));
    assert_eq!(status, StatusCode::OK);
    let body = unescape(&body);
    let ada_row = &body[body.find(&format!("id=\"trainee-{}\"", f.ada.2)).unwrap()..];
    let ada_row = &ada_row[..ada_row.find("</tr>").unwrap()];
    assert!(ada_row.contains("Qualifies"), "{ada_row}");
    assert!(ada_row.contains("name=\"enrolment_id\""));
    let bob_row = &body[body.find(&format!("id=\"trainee-{}\"", f.bob.2)).unwrap()..];
    let bob_row = &bob_row[..bob_row.find("</tr>").unwrap()];
    for gap in [
        "2 unexcused absences (the rule allows 1)",
        "modules not completed: Systems check",
        "assessments below the pass mark: Core values check",
        "live calls 16 h 40 min of 40 h",
    ] {
        assert!(bob_row.contains(gap), "Bob's row shows {gap}: {bob_row}");
    }
    assert!(
        !bob_row.contains("name=\"enrolment_id\""),
        "no checkbox for Bob"
    );
    assert!(bob_row.contains("Let go"));

    // HR reads the same board over the API, but cannot act.
    let hr = f.app.api_token("hana@acme.test");
    let (status, board) = get(&f.app, &hr, &format!("/cohorts/{}/graduation", f.cohort));
    assert_eq!(status, StatusCode::OK);
    let trainees = board["trainees"].as_array().unwrap();
    assert_eq!(trainees.len(), 2);
    let bob = trainees
        .iter()
        .find(|t| t["enrolment_id"] == json!(f.bob.2))
        .unwrap();
    assert_eq!(bob["qualifies"], false);
    assert_eq!(bob["gaps"].as_array().unwrap().len(), 4);
    assert_eq!(board["open"], true);
    let (status, _) = post(
        &f.app,
        &hr,
        &format!("/cohorts/{}/graduation", f.cohort),
        json!({"enrolment_ids": [f.ada.2]}),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s.page(&format!("/training/cohorts/{}/graduation", f.cohort));
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn graduating_makes_an_employee_refuses_non_qualifiers_and_letting_go_closes_the_class() {
    let f = finished();
    let app = &f.app;
    let mut s = app.login("tess@acme.test");
    let path = format!("/training/cohorts/{}/graduation", f.cohort);
    s.page(&path);

    // Bob does not qualify: refused with the reasons, nothing stored (Ada neither).
    let r = s.post(
        &path,
        &[
            ("enrolment_id", &f.ada.2.to_string()),
            ("enrolment_id", &f.bob.2.to_string()),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, body) = s.follow(r);
    let body = unescape(&body);
    assert!(
        body.contains("Bob does not qualify: 2 unexcused absences"),
        "{body}"
    );
    assert_eq!(status_of(app, f.ada.2), "active");
    let count: i64 = employees::table
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(count, 0);

    // Ada graduates: an employee in her destination department from today.
    let r = s.post(&path, &[("enrolment_id", &f.ada.2.to_string())]);
    let (_, body) = s.follow(r);
    assert!(body.contains("1 graduate."), "{body}");
    assert_eq!(status_of(app, f.ada.2), "graduated");
    let (user, dept, title, started): (UserId, String, String, NaiveDate) = employees::table
        .filter(employees::hire_id.eq(f.ada.1))
        .select((
            employees::user_id,
            employees::department,
            employees::title,
            employees::started_on,
        ))
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(
        (user, dept.as_str(), title.as_str(), started),
        (f.ada.0, "Fulfillment", "Fulfillment associate", today(app))
    );
    assert!(app
        .audit_actions()
        .contains(&"enrolment.graduated".to_string()));

    // Bob is let go: a reason is required.
    let mut bob = app.login("bob@acme.test");
    let let_go = format!("/training/enrolments/{}/let-go", f.bob.2);
    let r = s.post(&let_go, &[("reason", "  ")]);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&r.text().unwrap()).contains("Say why the trainee is let go"));
    assert_eq!(status_of(app, f.bob.2), "active");
    let r = s.post(
        &let_go,
        &[("reason", "Missed the last two days without a word.")],
    );
    assert_eq!(location(&r), path);
    assert_eq!(status_of(app, f.bob.2), "let_go");
    let active: bool = users::table
        .find(f.bob.0)
        .select(users::active)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(!active, "Bob's account is closed");
    let left: i64 = sessions::table
        .filter(sessions::user_id.eq(f.bob.0))
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(left, 0, "Bob's sessions ended");
    assert_eq!(
        bob.get("/portal").status(),
        StatusCode::SEE_OTHER,
        "Bob is signed out"
    );

    // Nobody is left: the class closed.
    let closed: Option<chrono::NaiveDateTime> = cohorts::table
        .find(f.cohort)
        .select(cohorts::graduated_at)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(closed.is_some());
    let actions = app.audit_actions();
    let tail: Vec<&str> = actions
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        ["enrolment.let_go", "user.deactivated", "cohort.graduated"]
    );
    let (_, body) = s.page(&path);
    assert!(body.contains("id=\"cohort-closed\""));
}

#[test]
fn graduation_waits_for_the_last_day_and_non_qualifiers_move_to_a_later_cohort() {
    let app = TestApp::spawn();
    let tess = app.user("tess@acme.test", &[Role::Trainer]);
    let start = today(&app) - Duration::days(40);
    let cohort = app.cohort("Class 160", start, 10, &[tess.id]);
    let (_, hire) = app.new_hire("cy@acme.test", "Legal", start);
    let e = enrolment_of(&app, hire);
    let later = app.cohort("Class 161", today(&app) + Duration::days(3), 10, &[tess.id]);
    let running = app.cohort("Class 162", today(&app) - Duration::days(2), 10, &[tess.id]);
    let (_, hire2) = app.new_hire("di@acme.test", "Legal", today(&app) - Duration::days(2));
    let e2 = enrolment_of(&app, hire2);
    app.complete_training(running, e2, 1);
    let token = app.api_token("tess@acme.test");

    // Class 162 is still running: graduation is not open even for a complete record.
    let (status, problem) = post(
        &app,
        &token,
        &format!("/cohorts/{running}/graduation"),
        json!({"enrolment_ids": [e2]}),
    );
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(status_of(&app, e2), "active");

    // Cy has nothing done; moving needs a reason, then Cy joins Class 161 and 160 closes.
    let mut s = app.login("tess@acme.test");
    let (_, body) = s.page(&format!("/training/cohorts/{cohort}/graduation"));
    assert!(body.contains("Class 161"), "a later cohort to move to");
    let r = s.post(
        &format!("/training/enrolments/{e}/move-later"),
        &[("cohort_id", &later.to_string()), ("reason", "")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(&app, e), "active");
    let r = s.post(
        &format!("/training/enrolments/{e}/move-later"),
        &[
            ("cohort_id", &later.to_string()),
            ("reason", "Was ill for a week"),
        ],
    );
    assert_eq!(
        location(&r),
        format!("/training/cohorts/{cohort}/graduation")
    );
    assert_eq!(status_of(&app, e), "moved");
    let moved_to: CohortId = enrolments::table
        .filter(enrolments::hire_id.eq(hire))
        .filter(enrolments::status.eq("active"))
        .select(enrolments::cohort_id)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(moved_to, later);
    let actions = app.audit_actions();
    assert!(actions.contains(&"enrolment.moved".to_string()));
    assert_eq!(actions.last().unwrap(), "cohort.graduated");
    let closed: Option<chrono::NaiveDateTime> = cohorts::table
        .find(cohort)
        .select(cohorts::graduated_at)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(closed.is_some());
    // Class 162 emptied before its last day would stay open; it still has Di.
    let open: Option<chrono::NaiveDateTime> = cohorts::table
        .find(running)
        .select(cohorts::graduated_at)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(open.is_none());
}

#[test]
fn the_portal_shows_the_new_hires_own_numbers() {
    let app = TestApp::spawn();
    let tess = app.user("tess@acme.test", &[Role::Trainer]);
    let start = today(&app) - Duration::days(8);
    let cohort = app.cohort("Class 170", start, 10, &[tess.id]);
    let (me, hire) = app.new_hire("nia@acme.test", "Marketing", start);
    let e = enrolment_of(&app, hire);
    app.mark_days(cohort, e, 1..=1, "present");
    app.mark_days(cohort, e, 2..=2, "late");
    app.mark_days(cohort, e, 3..=4, "absent");
    let core = modules(&app, cohort)
        .into_iter()
        .find(|m| m.1 == "Core values check")
        .unwrap();
    result(&app, e, core.0, Some(90), true);
    shift(&app, cohort, e, 90);
    shift(&app, cohort, e, 60);
    // Someone else in the same cohort with other numbers.
    let (_, other) = app.new_hire("oz@acme.test", "Legal", start);
    shift(&app, cohort, enrolment_of(&app, other), 600);

    let mut s = app.login("nia@acme.test");
    let (status, body) = s.page("/portal");
    assert_eq!(status, StatusCode::OK);
    let body = unescape(&body);
    for text in [
        "Class 170",
        "Tess",
        "2 h 30 min",
        "of 40 h",
        "1 present",
        "1 late",
        "2 absent",
        "You are over the attendance rule",
        "2 unexcused absences (the rule allows 1)",
        "href=\"/portal/calls/new\"",
        "Sign the employment agreement",
        "<progress id=\"hours-portal\" max=\"2400\" value=\"150\">6%</progress>",
    ] {
        assert!(body.contains(text), "the portal shows {text}");
    }
    assert!(!body.contains("10 h"), "not Oz's hours");

    let token = app.api_token("nia@acme.test");
    let (status, p) = get(&app, &token, "/me/training");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["state"], "training");
    assert_eq!(p["enrolment_id"], json!(e));
    assert_eq!(
        p["tally"],
        json!({"present": 1, "late": 1, "excused": 0, "absent": 2})
    );
    assert_eq!(p["calls"]["minutes"], 150);
    assert_eq!(p["calls"]["shifts"], 2);
    assert_eq!(p["modules_passed"], 1);
    let core_row = p["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"] == "Core values check")
        .unwrap();
    assert_eq!(core_row["score"], 90);
    assert_eq!(p["attendance"][0]["status"], "present");
    assert_eq!(p["attendance"][3]["status"], "absent");
    assert!(p["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["user_id"] == json!(me)));
    // The schedule skips weekends.
    for d in p["week"].as_array().unwrap() {
        let date = NaiveDate::parse_from_str(d["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        assert!(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun));
    }
}

/// The portal keeps each trainee's records per cohort revision; every change to them,
/// even one no app code sees, shows on the next request.
#[test]
fn the_kept_portal_shows_every_change_at_once_even_one_made_outside_the_app() {
    let app = TestApp::spawn();
    let tess = app.user("tess@acme.test", &[Role::Trainer]);
    let start = today(&app) - Duration::days(8);
    let cohort = app.cohort("Class 171", start, 10, &[tess.id]);
    let (_, hire) = app.new_hire("nia@acme.test", "Marketing", start);
    let e = enrolment_of(&app, hire);
    let core = modules(&app, cohort)
        .into_iter()
        .find(|m| m.1 == "Core values check")
        .unwrap()
        .0;
    let token = app.api_token("nia@acme.test");
    let me = || get(&app, &token, "/me/training").1;
    let core_score = |p: &Value| {
        p["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == json!(core))
            .map(|m| m["score"].clone())
            .unwrap()
    };
    let first = me();
    assert_eq!(first, me(), "the same portal twice");
    assert_eq!(first["calls"]["minutes"], 0);
    assert_eq!(first["modules_passed"], 0);

    result(&app, e, core, Some(70), true);
    assert_eq!(me()["modules_passed"], 1);
    let mut conn = app.conn();
    diesel::update(module_results::table.filter(module_results::enrolment_id.eq(e)))
        .set(module_results::score.eq(Some(95)))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert_eq!(core_score(&me()), 95);
    diesel::delete(module_results::table.filter(module_results::enrolment_id.eq(e)))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert_eq!(core_score(&me()), Value::Null);

    shift(&app, cohort, e, 90);
    let p = me();
    assert_eq!(
        (p["calls"]["shifts"].clone(), p["calls"]["minutes"].clone()),
        (json!(1), json!(90))
    );
    diesel::update(call_shifts::table.filter(call_shifts::enrolment_id.eq(e)))
        .set(call_shifts::minutes.eq(45))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert_eq!(me()["calls"]["minutes"], 45);
    diesel::delete(call_shifts::table.filter(call_shifts::enrolment_id.eq(e)))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert_eq!(me()["calls"]["shifts"], 0);

    app.mark_days(cohort, e, 1..=2, "absent");
    assert_eq!(me()["tally"]["absent"], 2);
    let mut s = app.login("nia@acme.test");
    assert!(!unescape(&s.page("/portal").1).contains("Tess Renamed"));
    diesel::update(users::table.find(tess.id))
        .set(users::name.eq("Tess Renamed"))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    let page = unescape(&s.page("/portal").1);
    assert!(
        page.contains("Tess Renamed"),
        "the trainer's new name: {page}"
    );
    diesel::update(cohort_modules::table.find(core))
        .set(cohort_modules::title.eq("Values, renamed outside"))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    let page = unescape(&s.page("/portal").1);
    for text in ["Values, renamed outside", "2 absent"] {
        assert!(page.contains(text), "the portal shows {text}: {page}");
    }
}

#[test]
fn the_portal_before_a_cohort_and_after_graduation() {
    let f = finished();
    let app = &f.app;
    let (_, _) = app.new_hire("eve@acme.test", "Finance", today(app) + Duration::days(30));
    let mut s = app.login("eve@acme.test");
    let (_, body) = s.page("/portal");
    assert!(body.contains("id=\"no-cohort\""));
    assert!(body.contains("You are not in a training cohort yet"));

    let token = app.api_token("tess@acme.test");
    let (status, _) = post(
        app,
        &token,
        &format!("/cohorts/{}/graduation", f.cohort),
        json!({"enrolment_ids": [f.ada.2]}),
    );
    assert_eq!(status, StatusCode::OK);
    let mut ada = app.login("ada@acme.test");
    let (_, body) = ada.page("/portal");
    assert!(body.contains("You graduated!"));
    let link = format!("/training/graduates/{}", f.ada.2);
    assert!(body.contains(&link));
    let (status, page) = ada.page(&link);
    assert_eq!(status, StatusCode::OK);
    let page = unescape(&page);
    for text in [
        "Ada",
        "Class 160",
        "Fulfillment",
        "Tess",
        &today(app).to_string(),
    ] {
        assert!(page.contains(text), "the graduation page shows {text}");
    }
}

#[test]
fn a_new_hire_reaches_none_of_another_new_hires_records() {
    let f = finished();
    let app = &f.app;
    let tok = app.api_token("tess@acme.test");
    post(
        app,
        &tok,
        &format!("/cohorts/{}/graduation", f.cohort),
        json!({"enrolment_ids": [f.ada.2]}),
    );
    app.user("ivan@acme.test", &[Role::Interviewer]);
    let ada_task: ChecklistTaskId = checklist_tasks::table
        .filter(checklist_tasks::user_id.eq(f.ada.0))
        .select(checklist_tasks::id)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();

    // Bob, still in training, tries everything of Ada's and every trainer page.
    let mut bob = app.login("bob@acme.test");
    bob.page("/portal");
    let r = bob.post(&format!("/portal/checklist/{ada_task}"), &[("done", "1")]);
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let done: Option<chrono::NaiveDateTime> = checklist_tasks::table
        .find(ada_task)
        .select(checklist_tasks::done_at)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(done.is_none(), "Ada's task is untouched");
    assert_eq!(
        bob.get(&format!("/training/graduates/{}", f.ada.2))
            .status(),
        StatusCode::NOT_FOUND
    );
    for path in [
        "/training/home".to_string(),
        format!("/training/cohorts/{}/graduation", f.cohort),
        "/training/checklist".to_string(),
        "/training/checklist/items/1".to_string(),
    ] {
        assert_eq!(bob.get(&path).status(), StatusCode::FORBIDDEN, "GET {path}");
    }
    for (path, fields) in [
        (
            format!("/training/cohorts/{}/graduation", f.cohort),
            vec![("enrolment_id", f.bob.2.to_string())],
        ),
        (
            format!("/training/enrolments/{}/let-go", f.ada.2),
            vec![("reason", "spite".to_string())],
        ),
        (
            format!("/training/enrolments/{}/move-later", f.bob.2),
            vec![
                ("cohort_id", f.cohort.to_string()),
                ("reason", "x".to_string()),
            ],
        ),
        (
            "/training/checklist/items/new".to_string(),
            vec![("title", "x".to_string())],
        ),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            bob.post(&path, &fields).status(),
            StatusCode::FORBIDDEN,
            "POST {path}"
        );
    }

    let token = app.api_token("bob@acme.test");
    let (_, mine) = get(app, &token, "/me/training");
    assert_eq!(mine["enrolment_id"], json!(f.bob.2));
    assert!(mine["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["user_id"] == json!(f.bob.0)));
    assert_eq!(
        get(app, &token, &format!("/me/checklist/{ada_task}")).0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            app,
            &token,
            &format!("/me/checklist/{ada_task}"),
            json!({"done": true})
        )
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(app, &token, &format!("/cohorts/{}/graduation", f.cohort)).0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            app,
            &token,
            &format!("/cohorts/{}/graduation", f.cohort),
            json!({"enrolment_ids": [f.bob.2]})
        )
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            app,
            &token,
            &format!("/enrolments/{}/let-go", f.ada.2),
            json!({"reason": "x"})
        )
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(app, &token, "/checklist/behind").0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(status_of(app, f.bob.2), "active");

    // The graduate, trainers, HR see the page; an interviewer does not.
    let mut ada = app.login("ada@acme.test");
    assert_eq!(
        ada.get(&format!("/training/graduates/{}", f.ada.2))
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        ada.get(&format!("/training/graduates/{}", f.bob.2))
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.login("hana@acme.test")
            .get(&format!("/training/graduates/{}", f.ada.2))
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.login("tess@acme.test")
            .get(&format!("/training/graduates/{}", f.ada.2))
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.login("ivan@acme.test")
            .get(&format!("/training/graduates/{}", f.ada.2))
            .status(),
        StatusCode::NOT_FOUND
    );
    // Trainers and HR have no portal.
    assert_eq!(
        app.login("tess@acme.test").get("/portal").status(),
        StatusCode::FORBIDDEN
    );
}

#[test]
fn new_hires_tick_their_checklist_and_hr_sees_who_is_behind() {
    let app = TestApp::spawn();
    app.user("hana@acme.test", &[Role::Hr]);
    app.user("tess@acme.test", &[Role::Trainer]);
    // Starts in two days: the agreement (5 days before) and the forms (3) are overdue,
    // the culture book (0) is not.
    let (zed, _) = app.new_hire("zed@acme.test", "Finance", today(&app) + Duration::days(2));
    let tasks: Vec<(ChecklistTaskId, String)> = checklist_tasks::table
        .filter(checklist_tasks::user_id.eq(zed))
        .order(checklist_tasks::position.asc())
        .select((checklist_tasks::id, checklist_tasks::title))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(tasks.len(), 4);

    let mut hr = app.login("hana@acme.test");
    let (status, body) = hr.page("/training/checklist");
    assert_eq!(status, StatusCode::OK);
    let row = &body[body
        .find(&format!("id=\"behind-{zed}\""))
        .expect("Zed is behind")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("Sign the employment agreement")
            && row.contains("Tax forms")
            && row.contains("Direct deposit")
    );
    assert!(!row.contains("Read the culture book"));
    assert!(row.contains("Not in a cohort yet"));
    assert_eq!(
        app.login("tess@acme.test")
            .get("/training/checklist")
            .status(),
        StatusCode::FORBIDDEN
    );

    // Zed ticks the agreement off, unticks it, ticks it again.
    let mut z = app.login("zed@acme.test");
    let (_, body) = z.page("/portal");
    assert!(body.contains("3 still to do") || body.contains("4 still to do"));
    let tick = format!("/portal/checklist/{}", tasks[0].0);
    let r = z.post(&tick, &[("done", "1")]);
    assert_eq!(location(&r), "/portal#checklist");
    let r = z.post(&tick, &[("done", "0")]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = z.post(&tick, &[("done", "1")]);
    let (_, body) = z.follow(r);
    assert!(body.contains("Done: Sign the employment agreement."));
    let actions = app.audit_actions();
    let ticks: Vec<&str> = actions
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("checklist_task."))
        .collect();
    assert_eq!(
        ticks,
        [
            "checklist_task.done",
            "checklist_task.reopened",
            "checklist_task.done"
        ]
    );

    let token = app.api_token("hana@acme.test");
    let (status, behind) = get(&app, &token, "/checklist/behind");
    assert_eq!(status, StatusCode::OK);
    let zed_row = behind
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["user_id"] == json!(zed))
        .unwrap();
    let overdue: Vec<&str> = zed_row["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["Tax forms", "Direct deposit"]);

    // Through the API as well: tick the tax forms.
    let zt = app.api_token("zed@acme.test");
    let (status, t) = post(
        &app,
        &zt,
        &format!("/me/checklist/{}", tasks[1].0),
        json!({"done": true}),
    );
    assert_eq!(status, StatusCode::OK);
    assert!(t["done_at"].is_string());
    let (_, t) = get(&app, &zt, &format!("/me/checklist/{}", tasks[1].0));
    assert!(t["done_at"].is_string());

    // The template editor: bad input is refused next to the field; edits leave given tasks alone.
    hr.page("/training/checklist/items/new");
    let r = hr.post(
        "/training/checklist/items/new",
        &[
            ("title", ""),
            ("days_before_start", "-2"),
            ("position", "5"),
            ("active", "on"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().unwrap());
    assert!(
        body.contains("Say what the new hire has to do.")
            && body.contains("A whole number of days")
    );
    let r = hr.post(
        "/training/checklist/items/new",
        &[
            ("title", "Bring ID"),
            ("description", "For the I-9."),
            ("days_before_start", "0"),
            ("position", "5"),
            ("active", "on"),
        ],
    );
    assert_eq!(location(&r), "/training/checklist");
    hr.page("/training/checklist/items/1");
    let r = hr.post(
        "/training/checklist/items/1",
        &[
            ("title", "Sign the agreement (new wording)"),
            ("description", ""),
            ("days_before_start", "7"),
            ("position", "1"),
        ],
    );
    assert_eq!(location(&r), "/training/checklist");
    let (_, body) = hr.page("/training/checklist");
    assert!(body.contains("Sign the agreement (new wording)") && body.contains("Retired"));
    let title: String = checklist_tasks::table
        .find(tasks[0].0)
        .select(checklist_tasks::title)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(title, "Sign the employment agreement");
    let actions = app.audit_actions();
    assert!(
        actions.contains(&"checklist_item.created".to_string())
            && actions.contains(&"checklist_item.updated".to_string())
    );
}

#[test]
fn the_calendar_feed_lists_the_new_hires_training_days() {
    let app = TestApp::spawn();
    let tess = app.user("tess@acme.test", &[Role::Trainer]);
    let start = today(&app) + Duration::days(10);
    let cohort = app.cohort("Class 180", start, 10, &[tess.id]);
    let (me, _) = app.new_hire("nia@acme.test", "Marketing", start);
    let mut s = app.login("nia@acme.test");
    let (status, _) = s.page("/account/calendar");
    assert_eq!(
        status,
        StatusCode::OK,
        "new hires reach their feed settings"
    );
    let r = s.post("/account/calendar", &[]);
    let body = unescape(&r.text().unwrap());
    let at = body.find(&app.base).expect("the feed URL is shown");
    let url: String = body[at..].chars().take_while(|c| *c != '<').collect();
    // Unfolded and unescaped, as a calendar reads it.
    let read = |url: &str| {
        let raw = Client::new().get(url).send().unwrap().text().unwrap();
        raw.replace("\r\n ", "").replace("\\,", ",")
    };
    let ics = read(&url);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 20);
    assert!(ics.contains("Training day 1 — Welcome and company history, The culture book"));
    assert!(ics.contains(&format!("UID:training-{cohort}-day-1-user-{me}@onramp")));
    let first = onramp::training::cohorts::model::find(&mut app.conn(), cohort)
        .unwrap()
        .days()
        .unwrap()[0];
    assert!(
        ics.contains(&format!("DTSTART:{}T090000Z", first.format("%Y%m%d"))),
        "9:00 company time (UTC in tests)"
    );
    // The same UIDs on the next read: calendars update rather than duplicate.
    let again = read(&url);
    let uids = |t: &str| {
        t.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&ics), uids(&again));
}

#[test]
fn the_trainer_home_shows_only_their_cohorts() {
    let app = TestApp::spawn();
    let tess = app.user("tess@acme.test", &[Role::Trainer]);
    let theo = app.user("theo@acme.test", &[Role::Trainer]);
    let start = today(&app) - Duration::days(10);
    let mine = app.cohort("Class 190", start, 10, &[tess.id]);
    let (_, h1) = app.new_hire("ann@acme.test", "Legal", start);
    let (_, h2) = app.new_hire("ben@acme.test", "Legal", start);
    let (e1, e2) = (enrolment_of(&app, h1), enrolment_of(&app, h2));
    let theirs = app.cohort("Class 191", start, 10, &[theo.id]);
    let (_, h3) = app.new_hire("cat@acme.test", "Legal", start);
    // Cat went to Class 190 (the first with room); move her to Theo's class as setup.
    diesel::update(enrolments::table.find(enrolment_of(&app, h3)))
        .set(enrolments::cohort_id.eq(theirs))
        .execute(&mut app.conn() as &mut DbConn)
        .unwrap();
    let days = onramp::training::cohorts::model::find(&mut app.conn(), mine)
        .unwrap()
        .days()
        .unwrap();
    let past = days.iter().filter(|d| **d <= today(&app)).count() as i64;
    // Ann: every day so far marked, two of them absent (flagged). Ben: only day 1.
    app.mark_days(mine, e1, 1..=2, "absent");
    app.mark_days(mine, e1, 3..=past, "present");
    app.mark_days(mine, e2, 1..=1, "present");

    let mut s = app.login("tess@acme.test");
    let (_, home) = s.page("/home");
    assert!(home.contains("href=\"/training/home\""));
    let (status, body) = s.page("/training/home");
    assert_eq!(status, StatusCode::OK);
    let body = unescape(&body);
    assert!(body.contains("Class 190") && !body.contains("Class 191"));
    let to_take = &body[body.find("id=\"to-take\"").unwrap()..body.find("id=\"flagged\"").unwrap()];
    // Days 2.. are missing Ben only; day 1 is complete.
    assert_eq!(
        to_take.matches("<tr><td>").count() as i64,
        past - 1,
        "{to_take}"
    );
    assert!(!to_take.contains("Day 1<") && !to_take.contains("Day 1 <"));
    let flagged = &body[body.find("id=\"flagged\"").unwrap()..];
    assert!(flagged.contains("Ann") && flagged.contains("2 unexcused absences"));
    assert!(!flagged.contains("Ben"));
    if days.contains(&today(&app)) {
        let sessions =
            &body[body.find("id=\"sessions\"").unwrap()..body.find("id=\"to-take\"").unwrap()];
        assert!(
            sessions.contains(&format!("Day {past}")) && sessions.contains("2 trainees"),
            "{sessions}"
        );
    }
    let (_, body) = app.login("theo@acme.test").page("/training/home");
    assert!(body.contains("Class 191") && !body.contains("Class 190"));
    assert!(!body.contains("Ann"));
    // HR reads cohorts but has no trainer home.
    app.user("hana@acme.test", &[Role::Hr]);
    assert_eq!(
        app.login("hana@acme.test").get("/training/home").status(),
        StatusCode::FORBIDDEN
    );
}

#[test]
fn the_training_api_is_documented() {
    let app = TestApp::spawn();
    let doc: Value = Client::new()
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    for (path, method) in [
        ("/api/v1/me/training", "get"),
        ("/api/v1/me/checklist/{id}", "get"),
        ("/api/v1/me/checklist/{id}", "post"),
        ("/api/v1/cohorts/{id}/graduation", "get"),
        ("/api/v1/cohorts/{id}/graduation", "post"),
        ("/api/v1/enrolments/{id}/let-go", "post"),
        ("/api/v1/checklist/behind", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} documented"
        );
    }
}
