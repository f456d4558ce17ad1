//! HR's audit of the Offer over HTTP: the uptake report (pages and API) against figures
//! worked out by hand on a small fixed set of offers, the employment record with its
//! leaving dates, the retention report at each horizon as the clock moves, who may see
//! them, and the running tallies checked against a rebuild from the rows.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CohortId, EmployeeId, EnrolmentId, HireId, UserId};
use onramp::db::schema::{employees, enrolments, offer_tallies, offers, retention_tallies};
use onramp::db::DbConn;
use onramp::offer::offers::service as offers_service;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const HR: &str = "hana@acme.test";
const TRAINER: &str = "tina@acme.test";

/// Two cohorts starting next Monday. Class 160 (Tina; capacity 5): Ann and Cat go to
/// Fulfillment, Bob, Dan and Eve to Finance. Class 161 (Tina and Tom): Fay, Fulfillment.
struct World {
    app: TestApp,
    c160: CohortId,
    c161: CohortId,
    tia: UserId,
    hires: Vec<(&'static str, UserId, HireId)>,
}

const PEOPLE: [(&str, &str); 6] = [
    ("ann@acme.test", "Fulfillment"),
    ("bob@acme.test", "Finance"),
    ("cat@acme.test", "Fulfillment"),
    ("dan@acme.test", "Finance"),
    ("eve@acme.test", "Finance"),
    ("fay@acme.test", "Fulfillment"),
];

fn world() -> World {
    let app = TestApp::spawn();
    let tina = app.user(TRAINER, &[Role::Trainer]);
    let tom = app.user("tom@acme.test", &[Role::Trainer]);
    let tia = app.user("tia@acme.test", &[Role::Trainer]);
    app.user(HR, &[Role::Hr]);
    let today = app.clock.now().date();
    let start =
        today + Duration::days(7 - chrono::Datelike::weekday(&today).num_days_from_monday() as i64);
    let c160 = app.cohort("Class 160", start, 5, &[tina.id]);
    let c161 = app.cohort("Class 161", start, 5, &[tina.id, tom.id]);
    let hires = PEOPLE
        .iter()
        .map(|(email, dept)| {
            let (u, h) = app.new_hire(email, dept, start);
            (*email, u, h)
        })
        .collect();
    World {
        app,
        c160,
        c161,
        tia: tia.id,
        hires,
    }
}

impl World {
    fn hire(&self, email: &str) -> HireId {
        self.hires.iter().find(|h| h.0 == email).unwrap().2
    }

    fn enrolment(&self, email: &str) -> EnrolmentId {
        enrolments::table
            .filter(enrolments::hire_id.eq(self.hire(email)))
            .select(enrolments::id)
            .first(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn set_time(&self, at: NaiveDateTime) {
        let now = self.app.clock.now();
        self.app.clock.advance(at - now);
    }

    /// 17:00 (UTC, the test company's zone) at the end of Class 160's day `n`.
    fn end_of_day(&self, n: i64) -> NaiveDateTime {
        self.app
            .training_day(self.c160, n)
            .and_hms_opt(17, 0, 0)
            .unwrap()
    }

    fn run_job(&self) -> offers_service::JobRun {
        offers_service::run_due(&mut self.app.conn(), &self.app.ctx()).unwrap()
    }

    fn offer_id(&self, email: &str) -> i64 {
        offers::table
            .filter(offers::enrolment_id.eq(self.enrolment(email)))
            .select(offers::id)
            .first::<onramp::db::ids::OfferId>(&mut self.app.conn() as &mut DbConn)
            .unwrap()
            .0
    }

    fn api(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        api(&self.app, token, method, path, body)
    }
}

/// Every offer settled: Ann accepts ($2,000 + 5 days × 8 h × $18.50 = $2,740.00), Bob
/// declines, Cat is let go (void), Dan and Eve let it expire. Class 161 is moved to a
/// $3,000 policy before Fay accepts it ($3,000.00, no time worked), and Tom hands
/// Class 161 over to Tia.
fn settled() -> World {
    let w = world();
    let app = &w.app;
    app.mark_days(w.c160, w.enrolment("ann@acme.test"), 1..=5, "present");
    let hr = app.api_token(HR);
    let tomorrow = (app.clock.now().date() + Duration::days(1)).to_string();
    let (status, _) = w.api(
        &hr,
        Method::POST,
        "/offer-policies",
        Some(json!({"bonus": "3,000", "offer_day": "5", "closes_day": "10", "pays_time_worked": true, "effective_on": tomorrow, "note": "Too few take it."})),
    );
    assert_eq!(status, StatusCode::CREATED);

    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    assert_eq!(w.run_job().made, 6);
    let (_, policies) = w.api(&hr, Method::GET, "/offer-policies", None);
    let (status, changed) = w.api(
        &hr,
        Method::POST,
        &format!("/cohorts/{}/offer-policy", w.c161.0),
        Some(json!({"policy_id": policies[0]["id"]})),
    );
    assert_eq!((status, changed), (StatusCode::OK, json!(1)));
    onramp::training::cohorts::service::update(
        &mut app.conn(),
        &app.ctx(),
        w.c161,
        &onramp::training::cohorts::rules::CohortInput {
            name: "Class 161".into(),
            start_date: app.training_day(w.c161, 1).to_string(),
            capacity: "5".into(),
            curriculum_id: None,
            trainer_ids: vec![w.user_id(TRAINER), w.tia],
        },
    )
    .unwrap();

    let mut ann = app.login("ann@acme.test");
    ann.page("/portal/offer");
    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &w.offer_id("ann@acme.test").to_string()),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut bob = app.login("bob@acme.test");
    bob.page("/portal/offer");
    let r = bob.post(
        "/portal/offer/decline",
        &[("offer_id", &w.offer_id("bob@acme.test").to_string())],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = w.api(
        &app.api_token("fay@acme.test"),
        Method::POST,
        "/me/offer/accept",
        Some(
            json!({"offer_id": w.offer_id("fay@acme.test"), "password": PASSWORD, "confirm": true}),
        ),
    );
    assert_eq!(status, StatusCode::CREATED);
    onramp::training::graduation::service::let_go(
        &mut app.conn(),
        &app.ctx(),
        w.enrolment("cat@acme.test"),
        "Did not come back after the first week.",
    )
    .unwrap();
    w.set_time(w.end_of_day(10) + Duration::minutes(1));
    assert_eq!(w.run_job().expired, 2);
    w
}

impl World {
    fn user_id(&self, email: &str) -> UserId {
        onramp::auth::model::find_by_email(&mut self.app.conn(), email)
            .unwrap()
            .unwrap()
            .id
    }
}

type Tallies = (
    Vec<(
        String,
        String,
        i64,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    )>,
    Vec<(i64, i64, String, NaiveDate, i64, i64, i64, i64)>,
);

fn tallies(app: &TestApp) -> Tallies {
    use offer_tallies as t;
    use retention_tallies as r;
    let conn = &mut app.conn() as &mut DbConn;
    let offers = t::table
        .order((t::kind, t::dimension, t::key_num, t::key_text))
        .select((
            t::kind,
            t::dimension,
            t::key_num,
            t::key_text,
            t::made,
            t::pending,
            t::accepted,
            t::declined,
            t::expired,
            t::void,
            t::paid_cents,
        ))
        .load(conn)
        .unwrap();
    let retention = r::table
        .order((r::cohort_id, r::bonus_cents, r::outcome, r::graduated_on))
        .select((
            r::cohort_id,
            r::bonus_cents,
            r::outcome,
            r::graduated_on,
            r::people,
            r::left_by_90,
            r::left_by_180,
            r::left_by_365,
        ))
        .load(conn)
        .unwrap();
    (offers, retention)
}

/// The running tallies are what a rebuild from the rows computes.
fn assert_tallies_match_a_rebuild(app: &TestApp) {
    let running = tallies(app);
    onramp::offer::reports::tally::rebuild(&mut app.conn()).unwrap();
    assert_eq!(running, tallies(app));
}

fn line<'a>(lines: &'a Value, field: &str, value: Value) -> &'a Value {
    lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l[field] == value)
        .unwrap_or_else(|| panic!("no line with {field} = {value} in {lines}"))
}

fn figures(l: &Value) -> [i64; 7] {
    [
        "made",
        "pending",
        "accepted",
        "declined",
        "expired",
        "void",
        "paid_cents",
    ]
    .map(|f| l[f].as_i64().unwrap())
}

#[test]
fn the_uptake_report_matches_hand_worked_figures() {
    let w = settled();
    let hr = w.app.api_token(HR);
    let (status, r) = w.api(&hr, Method::GET, "/offers/uptake", None);
    assert_eq!(status, StatusCode::OK);
    // 6 made: 2 accepted, 1 declined, 2 expired, 1 void; 2 of 5 decided = 40%.
    let all = &r["overall"]["training"];
    assert_eq!(figures(all), [6, 0, 2, 1, 2, 1, 274_000 + 300_000]);
    assert_eq!(all["rate_percent"], 40.0);
    assert!(r["overall"].get("yearly").is_none());
    // By bonus: $2,000 went 1 of 4 decided; Fay's $3,000 1 of 1.
    let bonus = line(&r["by_bonus"], "key_num", json!(200_000));
    assert_eq!(figures(bonus), [5, 0, 1, 1, 2, 1, 274_000]);
    assert_eq!(bonus["rate_percent"], 25.0);
    let bonus = line(&r["by_bonus"], "key_num", json!(300_000));
    assert_eq!(figures(bonus), [1, 0, 1, 0, 0, 0, 300_000]);
    assert_eq!(bonus["rate_percent"], 100.0);
    // Nobody had a culture scorecard.
    assert_eq!(
        figures(line(&r["by_band"], "key_text", json!("unscored")))[0],
        6
    );
    // Months and months by bonus add up to the whole.
    let sum = |v: &Value| -> i64 {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l["made"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(sum(&r["by_month"]), 6);
    assert_eq!(sum(&r["by_month_bonus"]), 6);
    // Cohorts, newest first.
    assert_eq!(r["breakdown_by"], "cohort");
    let cohorts = r["breakdown"]["items"].as_array().unwrap();
    assert_eq!(cohorts.len(), 2);
    assert_eq!(cohorts[0]["name"], "Class 161");
    assert_eq!(figures(&cohorts[1]), [5, 0, 1, 1, 2, 1, 274_000]);
    assert_eq!(cohorts[1]["rate_percent"], 25.0);
    assert!(r["breakdown"]["next_cursor"].is_null());
    // Trainers: Tina has both classes; Tia took Class 161 over from Tom.
    let (_, t) = w.api(&hr, Method::GET, "/offers/uptake?by=trainer", None);
    let trainers = &t["breakdown"]["items"];
    assert_eq!(trainers.as_array().unwrap().len(), 2, "{trainers}");
    assert_eq!(
        figures(line(trainers, "name", json!("Tina"))),
        [6, 0, 2, 1, 2, 1, 574_000]
    );
    assert_eq!(
        figures(line(trainers, "name", json!("Tia"))),
        [1, 0, 1, 0, 0, 0, 300_000]
    );
    // Departments: Finance (Bob, Dan, Eve) took none; Fulfillment's two decided took it.
    let (_, d) = w.api(&hr, Method::GET, "/offers/uptake?by=department", None);
    let depts = &d["breakdown"]["items"];
    assert_eq!(depts[0]["key_text"], "Finance");
    assert_eq!(figures(&depts[0]), [3, 0, 0, 1, 2, 0, 0]);
    assert_eq!(depts[0]["rate_percent"], 0.0);
    assert_eq!(figures(&depts[1]), [3, 0, 2, 0, 0, 1, 574_000]);
    assert_eq!(depts[1]["rate_percent"], 100.0);
    // No yearly offers yet: that report is empty, not mixed in.
    let (_, y) = w.api(&hr, Method::GET, "/offers/uptake?kind=yearly", None);
    assert_eq!(y["kind"], "yearly");
    assert_eq!(y["by_bonus"], json!([]));
    assert_eq!(y["breakdown"]["items"], json!([]));

    // The page says what the rate means and shows the same figures and the chart.
    let mut hana = w.app.login(HR);
    let (status, page) = hana.page("/offers/uptake");
    assert_eq!(status, StatusCode::OK);
    let page = unescape(&page);
    assert!(
        page.contains("Uptake rate = accepted ÷ (accepted + declined + expired)"),
        "{page}"
    );
    assert!(page.contains("40.0%") && page.contains("$5,740.00") && page.contains("25.0%"));
    assert!(page.contains("Class 160") && page.contains("<svg"));
    assert!(
        page.contains("$3,000.00 bonus"),
        "the chart has a line per amount"
    );
    let (_, page) = hana.page("/offers/uptake?by=department");
    assert!(page.contains("Finance") && page.contains("0.0%"));
    // The offers list and the navigation lead there.
    let (_, list) = hana.page("/offers");
    assert!(list.contains("href=\"/offers/uptake\""));
    assert!(list.contains("Offer reports"));

    assert_tallies_match_a_rebuild(&w.app);
}

fn employee_of(w: &World, email: &str) -> EmployeeId {
    employees::table
        .filter(employees::hire_id.eq(w.hire(email)))
        .select(employees::id)
        .first(&mut w.app.conn() as &mut DbConn)
        .unwrap()
}

/// Shares at 90, 180 and 365 days as (stayed, counted) for a line of the report.
fn shares(l: &Value) -> Vec<(i64, i64)> {
    l["horizons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["stayed"].as_i64().unwrap(),
                h["counted"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn leaving_dates_drive_retention_at_each_horizon() {
    let w = settled();
    let app = &w.app;
    // Bob (declined), Dan and Eve (let it expire) finish and graduate on day 20.
    let graduates: Vec<EnrolmentId> = ["bob@acme.test", "dan@acme.test", "eve@acme.test"]
        .iter()
        .map(|e| w.enrolment(e))
        .collect();
    for e in &graduates {
        app.complete_training(w.c160, *e, 1);
    }
    w.set_time(w.end_of_day(20) + Duration::hours(1));
    let g = app.training_day(w.c160, 20);
    onramp::training::graduation::service::graduate(
        &mut app.conn(),
        &app.ctx(),
        w.c160,
        &graduates,
    )
    .unwrap();

    let mut hana = app.login(HR);
    let (status, list) = hana.page("/offers/employees");
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Bob") && list.contains("Dan") && list.contains("Eve"));
    let (_, found) = hana.page("/offers/employees?q=da");
    assert!(
        found.contains("dan@acme.test") && !found.contains("eve@acme.test"),
        "{found}"
    );

    // Bad dates are refused next to the field and nothing is stored.
    let dan = employee_of(&w, "dan@acme.test");
    let path = format!("/offers/employees/{}", dan.0);
    hana.page(&path);
    let before = (g - Duration::days(1)).to_string();
    let r = hana.post(
        &path,
        &[("left_on", &before), ("leave_reason", "Moved away")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains(&format!("They started on {g}")), "{body}");
    assert!(
        body.contains("value=\"Moved away\""),
        "what was typed is kept"
    );
    let soon = (g + Duration::days(1)).to_string();
    let r = hana.post(&path, &[("left_on", &soon), ("leave_reason", "Moved away")]);
    assert!(r.text().unwrap().contains("still to come"));

    // A month on, HR records that Dan left.
    w.set_time(w.end_of_day(20) + Duration::days(30));
    let left = (g + Duration::days(30)).to_string();
    let mut hana = app.login(HR);
    hana.page(&path);
    let r = hana.post(&path, &[("left_on", &left), ("leave_reason", "Moved away")]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = hana.follow(r);
    assert!(
        page.contains(&format!("Recorded: Dan left on {left}.")),
        "{page}"
    );
    assert!(app
        .audit_actions()
        .contains(&"employee.leaving_recorded".to_string()));

    // 100 days after graduation only the 90-day horizon has passed.
    w.set_time(w.end_of_day(20) + Duration::days(100));
    let hr = app.api_token(HR);
    let (status, r) = w.api(&hr, Method::GET, "/offers/retention", None);
    assert_eq!(status, StatusCode::OK);
    let declined = line(&r["overall"], "outcome", json!("declined"));
    assert_eq!(declined["graduates"], 1);
    assert_eq!(shares(declined), [(1, 1), (0, 0), (0, 0)]);
    let expired = line(&r["overall"], "outcome", json!("expired"));
    assert_eq!(expired["graduates"], 2);
    assert_eq!(shares(expired), [(1, 2), (0, 0), (0, 0)]);
    assert_eq!(expired["horizons"][0]["percent"], 50.0);
    assert!(expired["horizons"][1]["percent"].is_null());
    let mut hana = app.login(HR);
    let (_, page) = hana.page("/offers/retention");
    let page = unescape(&page);
    assert!(
        page.contains("counts at a horizon only once it has passed"),
        "{page}"
    );
    assert!(
        page.contains("50.0% <span class=\"muted\">(1 of 2)</span>"),
        "{page}"
    );
    assert!(page.contains("Let it expire (stayed)"));

    // After 400 days every horizon has passed; Eve left on day 200 (through the API).
    w.set_time(w.end_of_day(20) + Duration::days(400));
    let eve = employee_of(&w, "eve@acme.test");
    let (status, _) = w.api(
        &hr,
        Method::PUT,
        &format!("/employees/{}/leaving", eve.0),
        Some(json!({"left_on": (g + Duration::days(500)).to_string(), "leave_reason": "Better offer"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, e) = w.api(
        &hr,
        Method::PUT,
        &format!("/employees/{}/leaving", eve.0),
        Some(json!({"left_on": (g + Duration::days(200)).to_string(), "leave_reason": "Better offer"})),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(e["leave_reason"], "Better offer");
    let (_, r) = w.api(&hr, Method::GET, "/offers/retention", None);
    let expired = line(&r["overall"], "outcome", json!("expired"));
    assert_eq!(shares(expired), [(1, 2), (1, 2), (0, 2)]);
    let declined = line(&r["by_bonus"], "outcome", json!("declined"));
    assert_eq!(
        (declined["bonus_cents"].clone(), shares(declined)),
        (json!(200_000), vec![(1, 1); 3])
    );
    let cohort = line(&r["by_cohort"]["items"], "outcome", json!("expired"));
    assert_eq!(cohort["cohort"], "Class 160");
    assert_eq!(cohort["graduated_on"], g.to_string());
    assert_eq!(shares(cohort), [(1, 2), (1, 2), (0, 2)]);

    // Dan's record was a mistake: clearing it shows him as still employed.
    let mut hana = app.login(HR);
    hana.page(&path);
    let r = hana.post(&path, &[("left_on", ""), ("leave_reason", "")]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, r) = w.api(&hr, Method::GET, "/offers/retention", None);
    let expired = line(&r["overall"], "outcome", json!("expired"));
    assert_eq!(shares(expired), [(2, 2), (2, 2), (1, 2)]);

    assert_tallies_match_a_rebuild(app);
}

#[test]
fn only_hr_and_admins_see_the_reports_and_the_employment_record() {
    let w = world();
    let app = &w.app;
    app.user("boss@acme.test", &[Role::Admin]);
    app.user("gus@acme.test", &[Role::NewHire]);
    for path in ["/offers/uptake", "/offers/retention", "/offers/employees"] {
        for who in [TRAINER, "gus@acme.test"] {
            let mut s = app.login(who);
            assert_eq!(s.get(path).status(), StatusCode::FORBIDDEN, "{who} {path}");
        }
        let mut boss = app.login("boss@acme.test");
        assert_eq!(boss.page(path).0, StatusCode::OK, "{path}");
    }
    let trainer = app.api_token(TRAINER);
    for path in ["/offers/uptake", "/offers/retention", "/employees"] {
        assert_eq!(
            w.api(&trainer, Method::GET, path, None).0,
            StatusCode::FORBIDDEN
        );
    }
    let (status, _) = w.api(
        &trainer,
        Method::PUT,
        "/employees/1/leaving",
        Some(json!({"left_on": "", "leave_reason": ""})),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The reports are in the API document.
    let doc: Value = reqwest::blocking::get(format!("{}/api/v1/openapi.json", app.base))
        .unwrap()
        .json()
        .unwrap();
    for p in [
        "/api/v1/offers/uptake",
        "/api/v1/offers/retention",
        "/api/v1/employees/{id}/leaving",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} documented");
    }
}
