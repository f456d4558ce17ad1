//! Running a cohort day to day over HTTP: attendance for the whole roster in one save
//! (with "mark everyone present", late joiners, future days and the attendance rule),
//! module results against pass marks, phone shifts logged by trainers and by the new
//! hire, coaching notes kept from the new hire, and who may reach each of these.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CohortId, EnrolmentId, HireId, JobId, UserId};
use onramp::db::schema::{attendance, audit_log, enrolments, hires, jobs, user_roles, users};
use onramp::db::DbConn;
use onramp::hiring::candidates::rules::{validate, CandidateInput};
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};

const TRAINER: &str = "tara@acme.test";
const HR: &str = "hana@acme.test";
const RECRUITER: &str = "rita@acme.test";
const INTERVIEWER: &str = "ivan@acme.test";

struct World {
    app: TestApp,
    cohort: CohortId,
    days: Vec<NaiveDate>,
    /// Active trainees by name: ann, bob, cat, dan.
    trainees: Vec<(String, UserId, EnrolmentId)>,
}

/// A cohort that started two weeks ago (some days past, some to come) with four
/// trainees, a trainer, HR, a recruiter and an interviewer.
fn world() -> World {
    let app = TestApp::spawn();
    let trainer = app.user(TRAINER, &[Role::Trainer]);
    app.user(HR, &[Role::Hr]);
    app.user(RECRUITER, &[Role::Recruiter]);
    app.user(INTERVIEWER, &[Role::Interviewer]);
    let start = app.clock.now().date() - Duration::days(14);
    let cohort = app.cohort("Class 160", start, 30, &[trainer.id]);
    let mut trainees = vec![];
    for (name, dept) in [
        ("ann", "Finance"),
        ("bob", "IT"),
        ("cat", "Legal"),
        ("dan", "Fulfillment"),
    ] {
        let email = format!("{name}@new.test");
        let (user, hire) = app.new_hire(&email, dept, start);
        trainees.push((name.to_string(), user, enrolment_of(&app, hire)));
    }
    let days = onramp::training::cohorts::model::find(&mut app.conn(), cohort)
        .unwrap()
        .days()
        .unwrap();
    World {
        app,
        cohort,
        days,
        trainees,
    }
}

fn enrolment_of(app: &TestApp, hire: HireId) -> EnrolmentId {
    enrolments::table
        .filter(enrolments::hire_id.eq(hire))
        .select(enrolments::id)
        .first(&mut app.conn() as &mut DbConn)
        .expect("enrolled at hire")
}

impl World {
    fn id(&self, name: &str) -> EnrolmentId {
        self.trainees.iter().find(|t| t.0 == name).unwrap().2
    }

    fn today(&self) -> NaiveDate {
        self.app.clock.now().date()
    }

    /// The n-th training day (1-based) on or before today.
    fn past_day(&self, n: usize) -> i64 {
        let past = self.days.iter().filter(|d| **d <= self.today()).count();
        assert!(past >= n, "the cohort has {past} past days");
        n as i64
    }

    fn future_day(&self) -> i64 {
        self.days.iter().position(|d| *d > self.today()).unwrap() as i64 + 1
    }

    fn api(&self, email: &str) -> Api {
        Api {
            client: Client::new(),
            base: format!("{}/api/v1", self.app.base),
            token: self.app.api_token(email),
        }
    }

    fn attendance_path(&self, day: i64) -> String {
        format!("/training/cohorts/{}/attendance?day={day}", self.cohort)
    }

    fn marks(&self, day: i64) -> Vec<(EnrolmentId, String, String)> {
        attendance::table
            .filter(attendance::cohort_id.eq(self.cohort))
            .filter(attendance::day_number.eq(day))
            .order(attendance::enrolment_id.asc())
            .select((
                attendance::enrolment_id,
                attendance::status,
                attendance::note,
            ))
            .load(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    /// The tallies the trainees' enrolments keep agree with a count of their marks.
    fn assert_tallies_match_the_marks(&self) {
        use onramp::training::rules::{AttendanceStatus, Tally};
        let marks: Vec<(EnrolmentId, String)> = attendance::table
            .filter(attendance::cohort_id.eq(self.cohort))
            .select((attendance::enrolment_id, attendance::status))
            .load(&mut self.app.conn() as &mut DbConn)
            .unwrap();
        let mut counted: std::collections::HashMap<EnrolmentId, Tally> = Default::default();
        for (e, status) in marks {
            let status = AttendanceStatus::parse(&status).unwrap();
            counted.entry(e).or_default().add(status, 1);
        }
        let kept =
            onramp::training::progress::model::cohort_tallies(&mut self.app.conn(), self.cohort)
                .unwrap();
        assert_eq!(kept.len(), self.trainees.len());
        for (e, tally) in kept {
            let expected = counted.get(&e).copied().unwrap_or_default();
            assert_eq!(tally, expected, "the tally of enrolment {e}");
        }
        // The roster (the sheet, the cohort page, the API) carries the same counts.
        let roster =
            onramp::training::enrolments::model::roster(&mut self.app.conn(), self.cohort).unwrap();
        assert_eq!(roster.len(), self.trainees.len());
        for r in roster {
            let expected = counted.get(&r.enrolment_id).copied().unwrap_or_default();
            assert_eq!(r.tally, expected, "the roster's tally of {}", r.name);
        }
    }

    /// (before, after) of every audit entry with this action, oldest first.
    fn audits(&self, action: &str) -> Vec<(Value, Value)> {
        let rows: Vec<(Option<String>, Option<String>)> = audit_log::table
            .filter(audit_log::action.eq(action))
            .order(audit_log::id.asc())
            .select((audit_log::before_json, audit_log::after_json))
            .load(&mut self.app.conn() as &mut DbConn)
            .unwrap();
        let parse = |s: Option<String>| {
            s.map(|s| serde_json::from_str(&s).unwrap())
                .unwrap_or(Value::Null)
        };
        rows.into_iter()
            .map(|(b, a)| (parse(b), parse(a)))
            .collect()
    }

    /// Marks every active trainee through the API for one day.
    fn mark(&self, api: &Api, day: i64, marks: &[(&str, &str)]) {
        let body: Vec<Value> = marks
            .iter()
            .map(|(name, status)| json!({"enrolment_id": self.id(name), "status": status}))
            .collect();
        let (status, v) = api.send(
            "PUT",
            &format!("/cohorts/{}/attendance/{day}", self.cohort),
            json!(body),
        );
        assert_eq!(status, StatusCode::OK, "{v}");
    }
}

struct Api {
    client: Client,
    base: String,
    token: String,
}

impl Api {
    fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .unwrap();
        (r.status(), r.json().unwrap_or(Value::Null))
    }

    fn send(&self, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .unwrap();
        (r.status(), r.json().unwrap_or(Value::Null))
    }
}

fn field(id: EnrolmentId, name: &str) -> String {
    format!("{name}_{id}")
}

/// A form field pair from anything printable.
fn f(k: impl ToString, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn post(s: &mut Session, path: &str, fields: Vec<(String, String)>) -> reqwest::blocking::Response {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    s.post(path, &pairs)
}

#[test]
fn a_full_day_saves_in_one_request_and_a_resave_audits_before_and_after() {
    let w = world();
    let day = w.past_day(2);
    let mut tara = w.app.login(TRAINER);
    let (status, page) = tara.page(&w.attendance_path(day));
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Ann") && page.contains("Finance"),
        "roster with departments"
    );
    assert!(page.contains("/static/attendance.js"));
    let (ann, bob, cat, dan) = (w.id("ann"), w.id("bob"), w.id("cat"), w.id("dan"));
    let day_form = |b: &str, c_note: &str, d: &str| {
        vec![
            f("e", ann),
            f(field(ann, "status"), "present"),
            f("e", bob),
            f(field(bob, "status"), b),
            f("e", cat),
            f(field(cat, "status"), "excused"),
            f(field(cat, "note"), c_note),
            f("e", dan),
            f(field(dan, "status"), d),
        ]
    };
    let r = post(
        &mut tara,
        &w.attendance_path(day),
        day_form("late", "Doctor's appointment", "absent"),
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = tara.follow(r);
    assert!(page.contains("4 changed"), "{page}");
    let marks = w.marks(day);
    let statuses: Vec<&str> = marks.iter().map(|m| m.1.as_str()).collect();
    assert_eq!(statuses, ["present", "late", "excused", "absent"]);
    assert_eq!(marks[2].2, "Doctor's appointment");
    assert_eq!(
        w.audits("attendance.saved").len(),
        1,
        "one audit entry per save"
    );
    w.assert_tallies_match_the_marks();

    // Bob was late after all: present; Dan's absence excused. Ann and Cat unchanged.
    let r = post(
        &mut tara,
        &w.attendance_path(day),
        day_form("present", "Doctor's appointment", "excused"),
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let statuses: Vec<String> = w.marks(day).into_iter().map(|m| m.1).collect();
    assert_eq!(statuses, ["present", "present", "excused", "excused"]);
    // Bob's late day became a present one, Dan's absence an excused day.
    w.assert_tallies_match_the_marks();
    let audits = w.audits("attendance.saved");
    assert_eq!(audits.len(), 2);
    let (before, after) = &audits[1];
    assert_eq!(after["day"], day);
    let changed: Vec<(i64, String, String)> = before["marks"]
        .as_array()
        .unwrap()
        .iter()
        .zip(after["marks"].as_array().unwrap())
        .map(|(b, a)| {
            (
                a["enrolment"].as_i64().unwrap(),
                b["mark"]["status"].as_str().unwrap().to_string(),
                a["mark"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        vec![
            (w.id("bob").0, "late".into(), "present".into()),
            (w.id("dan").0, "absent".into(), "excused".into()),
        ]
    );
    // The page shows the saved marks checked.
    let (_, page) = tara.page(&w.attendance_path(day));
    let checked = format!("name=\"status_{dan}\" value=\"excused\" data-key=\"E\" checked");
    assert!(unescape(&page).contains(&checked), "{page}");
}

#[test]
fn mark_everyone_present_fills_only_the_unmarked_rows() {
    let w = world();
    let day = w.past_day(1);
    let mut tara = w.app.login(TRAINER);
    tara.page(&w.attendance_path(day));
    let bob = w.id("bob");
    let r = post(
        &mut tara,
        &w.attendance_path(day),
        vec![
            f("e", w.id("ann")),
            f("e", bob),
            f(field(bob, "status"), "late"),
            f("e", w.id("cat")),
            f("e", w.id("dan")),
            f("mark_all", "present"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let statuses: Vec<String> = w.marks(day).into_iter().map(|m| m.1).collect();
    assert_eq!(statuses, ["present", "late", "present", "present"]);
}

/// The roster and the sheet are kept between requests per cohort revision: every change
/// to the cohort's enrolments or attendance, through the app or straight in the database,
/// shows on the next request, and each viewer gets the sheet their role allows.
#[test]
fn kept_rosters_and_sheets_show_every_change_at_once_even_one_made_outside_the_app() {
    use onramp::db::schema::{cohort_modules, cohort_trainers, cohorts};
    let w = world();
    let day = w.past_day(1);
    let roster_path = format!("/training/cohorts/{}", w.cohort);
    let (ann, bob) = (w.id("ann"), w.id("bob"));
    let mut tara = w.app.login(TRAINER);
    let mut hana = w.app.login(HR);
    let sheet = |s: &mut Session| unescape(&s.page(&w.attendance_path(day)).1);
    let checked =
        |e: EnrolmentId, status: &str| format!("name=\"status_{e}\" value=\"{status}\" data-key=");
    let first = sheet(&mut tara);
    assert!(first.contains("0 of 4 marked"), "{first}");
    let main = |page: &str| page.split("<footer").next().unwrap().to_string();
    assert_eq!(
        main(&first),
        main(&sheet(&mut tara)),
        "the same sheet twice"
    );
    assert!(tara.page(&roster_path).1.contains("Bob"));

    // A save through the app.
    let r = post(
        &mut tara,
        &w.attendance_path(day),
        vec![
            f("e", ann),
            f(field(ann, "status"), "present"),
            f("e", bob),
            f(field(bob, "status"), "late"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = sheet(&mut tara);
    assert!(page.contains("2 of 4 marked"), "{page}");
    assert!(
        page.contains(&(checked(ann, "present") + "\"P\" checked")),
        "{page}"
    );
    assert!(!page.contains("disabled"), "the trainer may edit: {page}");
    // HR sees the same marks on a sheet they cannot edit; the trainer's stays editable.
    let hr_page = sheet(&mut hana);
    assert!(hr_page.contains("2 of 4 marked") && hr_page.contains(" disabled"));
    assert!(!sheet(&mut tara).contains("disabled"));

    // Changes made straight in the database, which no app code saw.
    let mut conn = w.app.conn();
    diesel::update(enrolments::table.find(bob))
        .set(enrolments::name.eq("Robert Outside"))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert!(sheet(&mut tara).contains("Robert Outside"));
    assert!(sheet(&mut hana).contains("Robert Outside"));
    assert!(tara.page(&roster_path).1.contains("Robert Outside"));
    // The cohort page's modules and trainers are kept with its roster.
    diesel::update(users::table.filter(users::email.eq(TRAINER)))
        .set(users::name.eq("Tara Renamed"))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    // Once in the top bar (Tara is signed in), once among the cohort's trainers.
    let named = |s: &mut Session| s.page(&roster_path).1.matches("Tara Renamed").count();
    assert_eq!(named(&mut tara), 2);
    diesel::update(cohort_modules::table.filter(cohort_modules::cohort_id.eq(w.cohort)))
        .set(cohort_modules::title.eq("Module Renamed Outside"))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert!(tara.page(&roster_path).1.contains("Module Renamed Outside"));
    diesel::delete(cohort_trainers::table.filter(cohort_trainers::cohort_id.eq(w.cohort)))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    assert_eq!(named(&mut tara), 1);
    diesel::delete(attendance::table.filter(attendance::enrolment_id.eq(ann)))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    let page = sheet(&mut tara);
    assert!(page.contains("1 of 4 marked"), "{page}");
    assert!(
        !page.contains(&(checked(ann, "present") + "\"P\" checked")),
        "{page}"
    );
    // The rule flags by is part of the cohort row, not its rows: a stricter one flags Bob.
    assert!(!page.contains("Flagged"), "{page}");
    diesel::update(cohorts::table.find(w.cohort))
        .set(cohorts::max_lates.eq(0))
        .execute(&mut conn as &mut DbConn)
        .unwrap();
    let page = sheet(&mut tara);
    assert!(
        page.contains("Flagged: 1 lates (the rule allows 0)"),
        "{page}"
    );
}

#[test]
fn markup_in_a_department_a_note_or_a_name_is_shown_as_text_on_the_cohort_pages() {
    let w = world();
    let start = w.today() - Duration::days(14);
    w.app.new_hire("eve@new.test", "<b>R&D</b>", start);
    let other_trainer = w.app.user("tom@acme.test", &[Role::Trainer]);
    let later = w.today() + Duration::days(30);
    w.app
        .cohort("<b>R&D</b> class", later, 10, &[other_trainer.id]);
    let day = w.past_day(1);
    let mut tara = w.app.login(TRAINER);
    tara.page(&w.attendance_path(day));
    let ann = w.id("ann");
    let note = r#""><script>alert(1)</script>"#;
    let r = post(
        &mut tara,
        &w.attendance_path(day),
        vec![
            f("e", ann),
            f(field(ann, "status"), "late"),
            f(field(ann, "note"), note),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for path in [
        "/training/cohorts".to_string(),
        format!("/training/cohorts/{}", w.cohort),
        w.attendance_path(day),
    ] {
        let (status, page) = tara.page(&path);
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("<b>R&D</b>"), "{path}: {page}");
        assert!(unescape(&page).contains("<b>R&D</b>"), "{path}: {page}");
        assert!(!page.contains("<script>alert(1)"), "{path}: {page}");
    }
    let (_, sheet) = tara.page(&w.attendance_path(day));
    assert!(
        unescape(&sheet).contains(&format!("value=\"{note}\"")),
        "{sheet}"
    );
}

#[test]
fn a_late_joiner_cannot_be_marked_before_their_first_day_nor_anyone_on_a_day_to_come() {
    let w = world();
    // Eve is hired today to start tomorrow; the trainer puts her in the running class.
    let start = w.today() + Duration::days(1);
    let (_, hire) = w.app.new_hire("eve@new.test", "Marketing", start);
    let eve = onramp::training::enrolments::service::enrol(
        &mut w.app.conn(),
        &w.app.ctx(),
        hire,
        w.cohort,
    )
    .unwrap();
    let first_day = onramp::training::enrolments::model::find(&mut w.app.conn(), eve)
        .unwrap()
        .first_day;
    assert!(first_day > w.past_day(3));
    let mut tara = w.app.login(TRAINER);
    let (_, page) = tara.page(&w.attendance_path(3));
    assert!(
        page.contains(&format!("Joins on day {first_day}")),
        "{page}"
    );
    assert!(
        !page.contains(&format!("name=\"status_{eve}\"")),
        "no radio buttons for Eve"
    );

    let api = w.api(TRAINER);
    let (status, problem) = api.send(
        "PUT",
        &format!("/cohorts/{}/attendance/3", w.cohort),
        json!([{"enrolment_id": w.id("ann"), "status": "present"}, {"enrolment_id": eve, "status": "present"}]),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"][format!("mark_{eve}")]
        .as_str()
        .unwrap()
        .contains(&format!("day {first_day}")));
    assert!(w.marks(3).is_empty(), "nothing of a refused save is stored");

    // A day still to come is refused whole, and its page offers no save.
    let future = w.future_day();
    let (status, problem) = api.send(
        "PUT",
        &format!("/cohorts/{}/attendance/{future}", w.cohort),
        json!([{"enrolment_id": w.id("ann"), "status": "present"}]),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["day"]
        .as_str()
        .unwrap()
        .contains("once the day has come"));
    let (_, page) = tara.page(&w.attendance_path(future));
    assert!(page.contains("has not come yet"));
    assert!(!page.contains("Save day"));
    // Unknown statuses and a day the cohort does not have.
    let (status, problem) = api.send(
        "PUT",
        &format!("/cohorts/{}/attendance/1", w.cohort),
        json!([{"enrolment_id": w.id("ann"), "status": "asleep"}]),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"][format!("mark_{}", w.id("ann"))].is_string());
    let (status, _) = api.send(
        "PUT",
        &format!("/cohorts/{}/attendance/99", w.cohort),
        json!([]),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api.get(&format!("/cohorts/{}/attendance/99", w.cohort));
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn crossing_the_attendance_rule_flags_the_trainee() {
    let w = world();
    let api = w.api(TRAINER);
    // Ann: two unexcused absences (the rule allows 1). Bob: three lates (it allows 2).
    // Cat: one absence and two lates, within the rule.
    w.mark(
        &api,
        1,
        &[
            ("ann", "absent"),
            ("bob", "late"),
            ("cat", "absent"),
            ("dan", "present"),
        ],
    );
    w.mark(
        &api,
        2,
        &[
            ("ann", "absent"),
            ("bob", "late"),
            ("cat", "late"),
            ("dan", "excused"),
        ],
    );
    w.mark(
        &api,
        3,
        &[
            ("ann", "present"),
            ("bob", "late"),
            ("cat", "late"),
            ("dan", "present"),
        ],
    );
    let (status, sheet) = api.get(&format!("/cohorts/{}/attendance/3", w.cohort));
    assert_eq!(status, StatusCode::OK);
    let flags = |name: &str| -> Vec<String> {
        let row = sheet["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["enrolment_id"] == w.id(name).0)
            .unwrap();
        row["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    w.assert_tallies_match_the_marks();
    assert_eq!(flags("ann"), ["2 unexcused absences (the rule allows 1)"]);
    assert_eq!(flags("bob"), ["3 lates (the rule allows 2)"]);
    assert!(flags("cat").is_empty() && flags("dan").is_empty());

    let cohort = onramp::training::cohorts::model::find(&mut w.app.conn(), w.cohort).unwrap();
    let flagged =
        onramp::training::attendance::model::flagged_in_cohort(&mut w.app.conn(), &cohort).unwrap();
    let ids: Vec<EnrolmentId> = flagged.iter().map(|f| f.0).collect();
    let mut expected = vec![w.id("ann"), w.id("bob")];
    expected.sort();
    assert_eq!(ids, expected);

    let mut tara = w.app.login(TRAINER);
    let (_, page) = tara.page(&w.attendance_path(3));
    assert_eq!(page.matches("Flagged:").count(), 2);
    let (_, page) = tara.page(&format!("/training/enrolments/{}", w.id("bob")));
    assert!(page.contains("3 lates (the rule allows 2)"));
    assert!(page.contains("0 present, 3 late"));
}

#[test]
fn module_results_pass_against_the_pass_mark() {
    let w = world();
    let modules = onramp::training::cohorts::model::modules(&mut w.app.conn(), w.cohort).unwrap();
    let check = modules
        .iter()
        .find(|m| m.title == "Core values check")
        .unwrap();
    assert_eq!(check.pass_mark, Some(80));
    let plain = modules.iter().find(|m| m.pass_mark.is_none()).unwrap();
    let path = format!("/cohorts/{}/modules/{}/results", w.cohort, check.id);
    let api = w.api(TRAINER);
    let (status, problem) = api.send(
        "PUT",
        &path,
        json!([{"enrolment_id": w.id("ann"), "completed": true}, {"enrolment_id": w.id("bob"), "completed": true, "score": 101}]),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"][format!("result_{}", w.id("ann"))]
        .as_str()
        .unwrap()
        .contains("pass mark is 80"));
    assert!(problem["errors"][format!("result_{}", w.id("bob"))].is_string());
    let (status, sheet) = api.send(
        "PUT",
        &path,
        json!([{"enrolment_id": w.id("ann"), "completed": true, "score": 80}, {"enrolment_id": w.id("bob"), "completed": true, "score": 79}]),
    );
    assert_eq!(status, StatusCode::OK, "{sheet}");
    let row = |name: &str| {
        sheet["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["enrolment_id"] == w.id(name).0)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (row("ann")["passed"].clone(), row("ann")["score"].clone()),
        (json!(true), json!(80))
    );
    assert_eq!(row("bob")["passed"], json!(false));
    assert_eq!(row("cat")["completed"], json!(false));

    // The page: Bob retakes and passes; Cat completes the module without an assessment.
    let mut tara = w.app.login(TRAINER);
    let page_path = format!(
        "/training/cohorts/{}/modules/{}/results",
        w.cohort, check.id
    );
    let (status, page) = tara.page(&page_path);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Below the pass mark"));
    let (ann, bob) = (w.id("ann"), w.id("bob"));
    let form = |bob_score: &str| {
        vec![
            f("e", ann),
            f(field(ann, "completed"), 1),
            f(field(ann, "score"), 80),
            f("e", bob),
            f(field(bob, "completed"), 1),
            f(field(bob, "score"), bob_score),
        ]
    };
    let r = post(&mut tara, &page_path, form("ninety"));
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().unwrap();
    assert!(page.contains("Enter a score from 0 to 100.") && page.contains("value=\"ninety\""));
    let r = post(&mut tara, &page_path, form("91"));
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = tara.follow(r);
    assert!(page.contains("1 changed"), "only Bob's result changed");
    let plain_path = format!(
        "/training/cohorts/{}/modules/{}/results",
        w.cohort, plain.id
    );
    let cat = w.id("cat");
    let r = post(
        &mut tara,
        &plain_path,
        vec![f("e", cat), f(field(cat, "completed"), 1)],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let audits = w.audits("module_results.saved");
    assert_eq!(audits.len(), 3);
    assert_eq!(
        audits[1].0["results"][0]["result"],
        json!({"score": 79, "passed": false})
    );
    assert_eq!(
        audits[1].1["results"][0]["result"],
        json!({"score": 91, "passed": true})
    );
    let (_, page) = tara.page(&format!("/training/enrolments/{}", w.id("bob")));
    assert!(page.contains("91"));
    let (status, page) = tara.page(&format!("/training/cohorts/{}/results", w.cohort));
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("2 of 4"),
        "two completed the core values check"
    );
}

/// A date a few days ago that is on or after the first training day.
fn shift_date(w: &World) -> String {
    w.days[w.past_day(2) as usize - 1]
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn call_shifts_are_checked_and_count_toward_the_hours_target() {
    let w = world();
    let ann = w.id("ann");
    let mut tara = w.app.login(TRAINER);
    let path = format!("/training/enrolments/{ann}/calls/new");
    let (status, page) = tara.page(&path);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("0 h</strong> of 40 h"));
    let date = shift_date(&w);
    let post =
        |tara: &mut Session, date: &str, start: &str, end: &str, calls: &str, conns: &str| {
            tara.post(
                &path,
                &[
                    ("date", date),
                    ("start", start),
                    ("end", end),
                    ("calls_taken", calls),
                    ("connections", conns),
                    ("wow_story", "Found her the same boots in a half size."),
                ],
            )
        };
    let r = post(&mut tara, &date, "13:00", "09:00", "10", "12");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().unwrap();
    assert!(page.contains("The shift must end after it starts."));
    assert!(page.contains("Cannot be more than the calls taken."));
    assert!(
        page.contains("Found her the same boots"),
        "the form keeps what was typed"
    );
    let r = post(&mut tara, &date, "06:00", "18:30", "10", "2");
    assert!(r.text().unwrap().contains("A shift is at most 12 hours."));
    let before_start = (w.days[0] - Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let r = post(&mut tara, &before_start, "09:00", "12:00", "10", "2");
    assert!(r
        .text()
        .unwrap()
        .contains("before the trainee&#x27;s first training day"));
    let tomorrow = (w.today() + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let r = post(&mut tara, &tomorrow, "09:00", "12:00", "10", "2");
    assert!(r.text().unwrap().contains("has not ended yet"));

    let r = post(&mut tara, &date, "09:00", "13:30", "14", "5");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(&mut tara, &date, "13:00", "15:00", "3", "1");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .unwrap()
        .contains("Overlaps the shift already logged"));
    let api = w.api(TRAINER);
    let (status, log) = api.send(
        "POST",
        &format!("/enrolments/{ann}/calls"),
        json!({"date": date, "start": "13:30", "end": "17:00", "calls_taken": 9, "connections": 4, "wow_story": ""}),
    );
    assert_eq!(status, StatusCode::CREATED, "{log}");
    assert_eq!(log["hours"]["done"], "8 h");
    assert_eq!(log["hours"]["target"], "40 h");
    assert_eq!(log["hours"]["percent"], 20);
    assert_eq!(log["shifts"].as_array().unwrap().len(), 2);
    let (status, problem) = api.send(
        "POST",
        &format!("/enrolments/{ann}/calls"),
        json!({"date": date, "start": "18:00", "end": "19:00", "calls_taken": 1, "connections": 2}),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["connections"].is_string());

    let (_, page) = tara.page(&format!("/training/enrolments/{ann}"));
    assert!(page.contains("8 h</strong> of 40 h"));
    assert!(page.contains("<progress"));
    assert!(page.contains("Found her the same boots in a half size."));
    assert_eq!(
        w.app
            .audit_actions()
            .iter()
            .filter(|a| *a == "call_shift.logged")
            .count(),
        2
    );

    // A shift logged in error is removed by a trainer; the audit log keeps what it said.
    let wrong = log["shifts"][0]["id"].as_i64().unwrap();
    let kept = log["shifts"][1]["id"].as_i64().unwrap();
    assert!(page.contains(&format!("action=\"/training/shifts/{wrong}/delete\"")));
    let mut hana = w.app.login(HR);
    hana.page(&format!("/training/enrolments/{ann}"));
    let r = hana.post(&format!("/training/shifts/{wrong}/delete"), &[]);
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "HR reads, trainers act");
    let r = tara.post(&format!("/training/shifts/{wrong}/delete"), &[]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = tara.follow(r);
    assert!(page.contains("Shift removed."), "{page}");
    assert!(page.contains("4 h 30 min</strong> of 40 h"));
    let removed = w.audits("call_shift.removed");
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].0["id"], wrong);
    assert_eq!(removed[0].0["calls_taken"], 9);
    assert_eq!(removed[0].1, Value::Null);
    let (status, log) = api.send("DELETE", &format!("/call-shifts/{wrong}"), json!({}));
    assert_eq!(status, StatusCode::NOT_FOUND, "{log}");
    let (status, log) = api.send("DELETE", &format!("/call-shifts/{kept}"), json!({}));
    assert_eq!(status, StatusCode::OK, "{log}");
    assert_eq!(log["shifts"], json!([]));
    assert_eq!(log["hours"]["done"], "0 h");
}

#[test]
fn a_new_hire_logs_their_own_shift_and_reaches_no_one_elses() {
    let w = world();
    let (ann, bob) = (w.id("ann"), w.id("bob"));
    let mut me = w.app.login("ann@new.test");
    let (status, page) = me.page("/portal/calls/new");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Log your phone shift"));
    let date = shift_date(&w);
    let r = me.post(
        "/portal/calls/new",
        &[
            ("date", date.as_str()),
            ("start", "09:00"),
            ("end", "12:00"),
            ("calls_taken", "11"),
            ("connections", "3"),
            ("wow_story", "A customer sang to me."),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/portal");
    let r = me.post(
        "/portal/calls/new",
        &[
            ("date", date.as_str()),
            ("start", "10:00"),
            ("end", "11:00"),
            ("calls_taken", "1"),
            ("connections", "0"),
        ],
    );
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "overlaps her own shift"
    );

    let api = w.api("ann@new.test");
    let (status, log) = api.get("/me/calls");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log["enrolment_id"], ann.0);
    assert_eq!(log["hours"]["done"], "3 h");
    assert_eq!(log["shifts"][0]["wow_story"], "A customer sang to me.");
    let (status, log) = api.send(
        "POST",
        "/me/calls",
        json!({"date": date, "start": "13:00", "end": "14:00", "calls_taken": 2, "connections": 1}),
    );
    assert_eq!(status, StatusCode::CREATED, "{log}");
    assert_eq!(log["hours"]["done"], "4 h");

    // Someone else's log, by any route: refused.
    for path in [
        format!("/enrolments/{bob}/calls"),
        format!("/enrolments/{ann}/calls"),
    ] {
        assert_eq!(api.get(&path).0, StatusCode::FORBIDDEN);
        let (status, _) = api.send("POST", &path, json!({"date": date, "start": "15:00", "end": "16:00", "calls_taken": 1, "connections": 1}));
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    for path in [
        format!("/training/enrolments/{bob}"),
        format!("/training/enrolments/{bob}/calls/new"),
        format!("/training/enrolments/{ann}"),
    ] {
        assert_eq!(me.get(&path).status(), StatusCode::FORBIDDEN, "{path}");
    }
    let r = me.post(
        &format!("/training/enrolments/{bob}/calls/new"),
        &[
            ("date", date.as_str()),
            ("start", "15:00"),
            ("end", "16:00"),
            ("calls_taken", "1"),
            ("connections", "1"),
        ],
    );
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let bobs: i64 = onramp::db::schema::call_shifts::table
        .filter(onramp::db::schema::call_shifts::enrolment_id.eq(bob))
        .count()
        .get_result(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(bobs, 0);
    // A new hire not in training has no form.
    w.app.user("zed@new.test", &[Role::NewHire]);
    let mut zed = w.app.login("zed@new.test");
    assert_eq!(zed.get("/portal/calls/new").status(), StatusCode::NOT_FOUND);
    assert_eq!(
        w.api("zed@new.test").get("/me/calls").0,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn no_page_or_api_shows_a_per_call_duration() {
    let w = world();
    let ann = w.id("ann");
    let api = w.api(TRAINER);
    let date = shift_date(&w);
    let (status, _) = api.send("POST", &format!("/enrolments/{ann}/calls"), json!({"date": date, "start": "09:00", "end": "13:00", "calls_taken": 12, "connections": 6, "wow_story": "Long call, happy customer."}));
    assert_eq!(status, StatusCode::CREATED);
    let mut tara = w.app.login(TRAINER);
    let mut me = w.app.login("ann@new.test");
    // 4 hours over 12 calls would be 20 minutes a call: that figure must appear nowhere.
    let texts = [
        tara.page(&format!("/training/enrolments/{ann}")).1,
        tara.page(&format!("/training/enrolments/{ann}/calls/new"))
            .1,
        me.page("/portal/calls/new").1,
        api.get(&format!("/enrolments/{ann}/calls")).1.to_string(),
        w.api("ann@new.test").get("/me/calls").1.to_string(),
    ];
    for text in texts {
        assert!(text.contains("4 h"), "the shift's hours are shown: {text}");
        assert!(!text.contains("20 min"), "{text}");
        let lower = text.to_lowercase();
        for banned in ["handle", "per call", "average", "minutes per"] {
            assert!(!lower.contains(banned), "{banned:?} shown in {text}");
        }
    }
}

#[test]
fn coaching_notes_are_for_trainers_and_hr_never_the_new_hire() {
    let w = world();
    let ann = w.id("ann");
    let mut tara = w.app.login(TRAINER);
    let page_path = format!("/training/enrolments/{ann}");
    tara.page(&page_path);
    let r = tara.post(&format!("{page_path}/coaching-notes"), &[("body", "   ")]);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("Write the note"));
    let r = tara.post(
        &format!("{page_path}/coaching-notes"),
        &[("body", "Rushes the close; practise the pause.")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .audit_actions()
            .iter()
            .filter(|a| *a == "coaching_note.added")
            .count(),
        1
    );

    let mut hana = w.app.login(HR);
    let (status, page) = hana.page(&page_path);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Rushes the close"));
    assert!(!page.contains("Add note"), "HR reads, trainers write");
    let hr_api = w.api(HR);
    let (status, notes) = hr_api.get(&format!("/enrolments/{ann}/coaching-notes"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(notes[0]["body"], "Rushes the close; practise the pause.");
    assert_eq!(notes[0]["author_name"], "Tara");
    let (status, _) = hr_api.send(
        "POST",
        &format!("/enrolments/{ann}/coaching-notes"),
        json!({"body": "HR writes"}),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, notes) = w.api(TRAINER).send(
        "POST",
        &format!("/enrolments/{ann}/coaching-notes"),
        json!({"body": "Great recovery on the refund call."}),
    );
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(notes.as_array().unwrap().len(), 2);

    // Ann herself: not on any page or API she can reach.
    let mut me = w.app.login("ann@new.test");
    assert_eq!(me.get(&page_path).status(), StatusCode::FORBIDDEN);
    let my_api = w.api("ann@new.test");
    assert_eq!(
        my_api.get(&format!("/enrolments/{ann}/coaching-notes")).0,
        StatusCode::FORBIDDEN
    );
    let (_, page) = me.page("/portal/calls/new");
    let (_, mine) = my_api.get("/me/calls");
    assert!(!page.contains("Rushes the close") && !mine.to_string().contains("Rushes the close"));
}

#[test]
fn recruiters_and_interviewers_are_refused_everywhere_here() {
    let w = world();
    let ann = w.id("ann");
    let module =
        onramp::training::cohorts::model::modules(&mut w.app.conn(), w.cohort).unwrap()[0].id;
    let c = w.cohort;
    let pages = [
        format!("/training/cohorts/{c}/attendance"),
        format!("/training/cohorts/{c}/results"),
        format!("/training/cohorts/{c}/modules/{module}/results"),
        format!("/training/enrolments/{ann}"),
        format!("/training/enrolments/{ann}/calls/new"),
        "/portal/calls/new".to_string(),
    ];
    let apis = [
        ("GET", format!("/cohorts/{c}/attendance/1")),
        ("PUT", format!("/cohorts/{c}/attendance/1")),
        ("GET", format!("/cohorts/{c}/modules/{module}/results")),
        ("PUT", format!("/cohorts/{c}/modules/{module}/results")),
        ("GET", format!("/enrolments/{ann}/calls")),
        ("POST", format!("/enrolments/{ann}/calls")),
        ("GET", format!("/enrolments/{ann}/coaching-notes")),
        ("POST", format!("/enrolments/{ann}/coaching-notes")),
        ("GET", "/me/calls".to_string()),
        ("POST", "/me/calls".to_string()),
    ];
    for who in [RECRUITER, INTERVIEWER] {
        let mut s = w.app.login(who);
        for p in &pages {
            assert_eq!(s.get(p).status(), StatusCode::FORBIDDEN, "{who} GET {p}");
        }
        s.page("/home");
        let r = post(
            &mut s,
            &format!("/training/cohorts/{c}/attendance?day=1"),
            vec![f("e", ann), f(field(ann, "status"), "present")],
        );
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = s.post(
            &format!("/training/enrolments/{ann}/coaching-notes"),
            &[("body", "hi")],
        );
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let api = w.api(who);
        for (method, p) in &apis {
            let body = if *method == "PUT" {
                json!([])
            } else {
                json!({})
            };
            assert_eq!(
                api.send(method, p, body).0,
                StatusCode::FORBIDDEN,
                "{who} {method} {p}"
            );
        }
    }
    // HR reads the attendance sheet but cannot save it.
    let mut hana = w.app.login(HR);
    let (status, page) = hana.page(&format!("/training/cohorts/{c}/attendance?day=1"));
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Save day"));
    let (status, _) = w
        .api(HR)
        .send("PUT", &format!("/cohorts/{c}/attendance/1"), json!([]));
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(w.marks(1).is_empty());
}

/// 200 trainees made as rows (no password hashing) and onboarded as the hire step does.
fn big_cohort(app: &TestApp, size: usize) -> (CohortId, Vec<EnrolmentId>) {
    let trainer = app.user(TRAINER, &[Role::Trainer]);
    let start = app.clock.now().date() - Duration::days(7);
    let cohort = app.cohort("Class 200", start, size as i64, &[trainer.id]);
    let now = app.clock.now();
    let conn = &mut app.conn() as &mut DbConn;
    let job: i64 = diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq("Agent"),
            jobs::department.eq("CLT"),
            jobs::location.eq("HQ"),
            jobs::description.eq("Calls."),
            jobs::status.eq("open"),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(conn)
        .unwrap();
    for i in 0..size {
        let email = format!("trainee{i:03}@new.test");
        let user: i64 = diesel::insert_into(users::table)
            .values((
                users::email.eq(&email),
                users::name.eq(format!("Trainee {i:03}")),
                users::active.eq(true),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)
            .unwrap();
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user),
                user_roles::role.eq("new_hire"),
            ))
            .execute(conn)
            .unwrap();
        let valid = validate(&CandidateInput {
            name: format!("Trainee {i:03}"),
            email: email.clone(),
            source: "referral".into(),
            ..Default::default()
        })
        .unwrap();
        let candidate =
            onramp::hiring::candidates::model::insert(conn, JobId(job), &valid, now, None, now)
                .unwrap();
        let hire: HireId = diesel::insert_into(hires::table)
            .values((
                hires::candidate_id.eq(candidate),
                hires::user_id.eq(user),
                hires::start_date.eq(start),
                hires::department.eq("CLT"),
                hires::title.eq("Agent"),
                hires::hourly_rate_cents.eq(1850),
                hires::created_at.eq(now),
            ))
            .returning(hires::id)
            .get_result(conn)
            .unwrap();
        onramp::training::enrolments::service::onboard_hire(conn, &app.ctx(), hire).unwrap();
    }
    let ids = enrolments::table
        .filter(enrolments::cohort_id.eq(cohort))
        .order(enrolments::id.asc())
        .select(enrolments::id)
        .load(conn)
        .unwrap();
    (cohort, ids)
}

#[test]
fn two_hundred_trainees_save_in_one_request() {
    let app = TestApp::spawn();
    let (cohort, ids) = big_cohort(&app, 200);
    assert_eq!(ids.len(), 200);
    let api = Api {
        client: Client::new(),
        base: format!("{}/api/v1", app.base),
        token: app.api_token(TRAINER),
    };
    const STATUSES: [&str; 4] = ["present", "late", "excused", "absent"];
    let body: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"enrolment_id": id, "status": STATUSES[i % 4], "note": if i % 10 == 0 { "bus" } else { "" }}))
        .collect();
    let path = format!("/cohorts/{cohort}/attendance/1");
    let (status, sheet) = api.send("PUT", &path, json!(body));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sheet["rows"].as_array().unwrap().len(), 200);
    let conn = &mut app.conn() as &mut DbConn;
    let stored: Vec<(EnrolmentId, String, String)> = attendance::table
        .filter(attendance::cohort_id.eq(cohort))
        .filter(attendance::day_number.eq(1))
        .order(attendance::enrolment_id.asc())
        .select((
            attendance::enrolment_id,
            attendance::status,
            attendance::note,
        ))
        .load(conn)
        .unwrap();
    assert_eq!(stored.len(), 200);
    for (i, (id, status, note)) in stored.iter().enumerate() {
        assert_eq!((id, status.as_str()), (&ids[i], STATUSES[i % 4]));
        assert_eq!(note == "bus", i % 10 == 0);
    }
    // Re-save with every absent now excused: one more audit entry, only those changed.
    let body: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"enrolment_id": id, "status": if i % 4 == 3 { "excused" } else { STATUSES[i % 4] }, "note": if i % 10 == 0 { "bus" } else { "" }}))
        .collect();
    let (status, _) = api.send("PUT", &path, json!(body));
    assert_eq!(status, StatusCode::OK);
    let excused: i64 = attendance::table
        .filter(attendance::cohort_id.eq(cohort))
        .filter(attendance::status.eq("excused"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(excused, 100);
    let afters: Vec<Option<String>> = audit_log::table
        .filter(audit_log::action.eq("attendance.saved"))
        .order(audit_log::id.asc())
        .select(audit_log::after_json)
        .load(conn)
        .unwrap();
    assert_eq!(afters.len(), 2);
    let last: Value = serde_json::from_str(afters[1].as_deref().unwrap()).unwrap();
    assert_eq!(last["marks"].as_array().unwrap().len(), 50);
}

#[test]
fn the_running_endpoints_are_in_the_openapi_document() {
    let app = TestApp::spawn();
    let doc: Value = Client::new()
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    for (path, method) in [
        ("/api/v1/cohorts/{id}/attendance/{day}", "get"),
        ("/api/v1/cohorts/{id}/attendance/{day}", "put"),
        ("/api/v1/cohorts/{id}/modules/{module_id}/results", "put"),
        ("/api/v1/enrolments/{id}/calls", "post"),
        ("/api/v1/me/calls", "post"),
        ("/api/v1/enrolments/{id}/coaching-notes", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert!(doc["components"]["schemas"]["DaySheet"].is_object());
}
