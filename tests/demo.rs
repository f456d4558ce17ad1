//! The demo company loaded into a fresh app: the hiring pages show its jobs, candidates in
//! every stage, interviews, scorecards, the veto, the red flag, the hire and the reports
//! to the demo recruiter.

mod common;
use chrono::{Datelike, Duration};
use common::*;
use diesel::prelude::*;
use onramp::db::schema::{candidates, hires, jobs, outbox, users};
use onramp::db::DbConn;
use reqwest::StatusCode;

const RECRUITER: &str = "recruiter@demo.onramp.test";

struct Demo {
    app: TestApp,
    /// (role, email, password) of each demo login.
    logins: Vec<(String, String, String)>,
}

fn demo() -> Demo {
    let app = TestApp::spawn();
    let logins = onramp::demo::load(&mut app.conn(), &app.ctx(), &Default::default())
        .expect("load the demo")
        .expect("a fresh database takes the demo");
    Demo { app, logins }
}

impl Demo {
    fn login(&self, email: &str) -> Session {
        let password = &self
            .logins
            .iter()
            .find(|(_, e, _)| e == email)
            .expect("a demo login")
            .2;
        let mut s = self.app.session();
        let r = s.post("/login", &[("email", email), ("password", password)]);
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{email} signs in");
        s
    }

    fn conn(&self) -> onramp::db::PooledConn {
        self.app.conn()
    }

    fn job(&self, title: &str) -> i64 {
        jobs::table
            .filter(jobs::title.eq(title))
            .select(jobs::id)
            .first(&mut self.conn() as &mut DbConn)
            .expect("a demo job")
    }

    fn candidate(&self, name: &str) -> i64 {
        candidates::table
            .filter(candidates::name.eq(name))
            // The demo's candidate, not a generated trainee of the same name.
            .order(candidates::id.asc())
            .select(candidates::id)
            .first(&mut self.conn() as &mut DbConn)
            .expect("a demo candidate")
    }
}

/// The count next to a stage's column heading on the pipeline board.
fn column_count(board: &str, stage: &str) -> i64 {
    let head = board
        .find(&format!("id=\"col-{stage}\""))
        .unwrap_or_else(|| panic!("a {stage} column"));
    let rest = &board[head..];
    let start = rest.find("class=\"count\">").expect("a count") + "class=\"count\">".len();
    rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn the_demo_fills_every_stage_and_the_board_counts_them() {
    let d = demo();
    let conn = &mut d.conn() as &mut DbConn;
    let stages: Vec<String> = candidates::table
        .select(candidates::stage)
        .load(conn)
        .unwrap();
    // 25 in the hiring demo, and the 34 trainees of the training demo were hired too.
    assert_eq!(stages.len(), 25 + 34);
    for stage in [
        "applied",
        "screening",
        "technical_interview",
        "culture_interview",
        "decision",
        "hired",
        "rejected",
        "withdrawn",
    ] {
        assert!(
            stages.iter().any(|s| s == stage),
            "some demo candidate is in {stage}: {stages:?}"
        );
    }
    assert_eq!(
        hires::table.count().get_result::<i64>(conn).unwrap(),
        1 + 34
    );

    let mut s = d.login(RECRUITER);
    let job = d.job("Customer Loyalty Representative");
    let trainees: i64 = candidates::table
        .filter(candidates::job_id.eq(job))
        .filter(candidates::email.like("%@demo.onramp.test"))
        .filter(candidates::email.ne("newhire@demo.onramp.test"))
        .count()
        .get_result(conn)
        .unwrap();
    let (status, board) = s.page(&format!("/hiring/jobs/{job}"));
    assert_eq!(status, StatusCode::OK);
    for (stage, n) in [
        ("applied", 2),
        ("screening", 2),
        ("technical_interview", 1),
        ("culture_interview", 1),
        ("decision", 3),
        ("hired", 1 + trainees),
        ("rejected", 1),
        ("withdrawn", 1),
    ] {
        assert_eq!(column_count(&board, stage), n, "{stage} on the board");
    }
    assert!(board.contains("Calm on the phone"), "competencies shown");
    assert!(board.contains(&format!("{} candidates", 12 + trainees)));

    let (status, jobs_page) = s.page("/hiring/jobs");
    assert_eq!(status, StatusCode::OK);
    for title in [
        "Customer Loyalty Representative",
        "Warehouse Associate",
        "Software Engineer, Storefront",
        "Team Lead, Customer Loyalty",
    ] {
        assert!(jobs_page.contains(title), "{title} listed");
    }
    assert!(
        jobs_page.contains(&format!(
            r#"<a href="/hiring/candidates?job={job}">{}</a>"#,
            12 + trainees
        )),
        "the jobs list counts the job's candidates in every stage"
    );
    let (status, list) = s.page("/hiring/candidates?stage=decision");
    assert_eq!(status, StatusCode::OK);
    for name in [
        "Maya Patel",
        "Diego Ramirez",
        "Chloe Bennett",
        "Arjun Mehta",
    ] {
        assert!(list.contains(name), "{name} waits for the decision");
    }
    assert!(!list.contains("Yuki Tanaka"));
}

#[test]
fn the_demo_candidates_show_the_gate_the_veto_the_red_flag_and_the_hire() {
    let d = demo();
    let mut s = d.login(RECRUITER);

    let maya = d.candidate("Maya Patel");
    let (status, page) = s.page(&format!("/hiring/candidates/{maya}"));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Technical interview") || page.contains("Technical"));
    let (status, hire) = s.page(&format!("/hiring/candidates/{maya}/hire"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        hire.contains("name=\"start_date\""),
        "Maya passed both tracks: the hire form is open"
    );

    let diego = d.candidate("Diego Ramirez");
    let (_, hire) = s.page(&format!("/hiring/candidates/{diego}/hire"));
    assert!(
        hire.contains("A culture fail vetoes the hire"),
        "Diego's culture no vetoes a strong technical yes"
    );
    assert!(!hire.contains("name=\"start_date\""));

    let chloe = d.candidate("Chloe Bennett");
    let (_, page) = s.page(&format!("/hiring/candidates/{chloe}"));
    assert!(
        page.contains("Sam Driver"),
        "the shuttle driver's observation"
    );
    assert!(page.contains("red flag") || page.contains("Red flag"));
    let (_, hire) = s.page(&format!("/hiring/candidates/{chloe}/hire"));
    assert!(hire.contains("not acknowledged"), "the red flag blocks");

    let noah = d.candidate("Noah Newhire");
    let (_, page) = s.page(&format!("/hiring/candidates/{noah}"));
    assert!(page.contains("Hired"));
    // Hiring gave the demo new hire's existing login the hire, not a second account.
    let conn = &mut d.conn() as &mut DbConn;
    let accounts: i64 = users::table
        .filter(users::email.eq("newhire@demo.onramp.test"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(accounts, 1);
    let welcome: i64 = outbox::table
        .filter(outbox::to_addr.eq("newhire@demo.onramp.test"))
        .filter(outbox::subject.like("Welcome to %"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(welcome, 1, "the welcome mail is queued");

    let ethan = d.candidate("Ethan Walker");
    let (_, page) = s.page(&format!("/hiring/candidates/{ethan}"));
    assert!(page.contains("Did not pass the technical interview"));

    // The demo interviewer has interviews coming up and scorecards behind them.
    let mut i = d.login("interviewer@demo.onramp.test");
    let (status, mine) = i.page("/hiring/interviews");
    assert_eq!(status, StatusCode::OK);
    assert!(
        mine.contains("Yuki Tanaka"),
        "an upcoming technical interview"
    );
}

#[test]
fn the_demo_reports_count_the_funnel_and_the_scorecards() {
    let d = demo();
    let mut s = d.login(RECRUITER);
    let (status, funnel) = s.page("/hiring/reports/funnel");
    assert_eq!(status, StatusCode::OK);
    assert!(funnel.contains("Customer Loyalty Representative"));
    let (status, csv) = s.page("/hiring/reports/funnel.csv");
    assert_eq!(status, StatusCode::OK);
    assert!(csv.lines().count() > 1, "the funnel has rows: {csv}");
    let (status, calibration) = s.page("/hiring/reports/calibration");
    assert_eq!(status, StatusCode::OK);
    assert!(
        calibration.contains("Ira Interviewer"),
        "the demo interviewer's scorecards are counted"
    );
}

#[test]
fn the_demo_runs_a_class_in_its_second_week_and_the_new_hire_joins_the_next() {
    let d = demo();
    let mut t = d.login("trainer@demo.onramp.test");
    let (status, list) = t.page("/training/cohorts");
    assert_eq!(status, StatusCode::OK);
    for class in ["Class 1", "Class 2", "Class 3", "Class 4"] {
        assert!(list.contains(class), "{class} listed");
    }
    let conn = &mut d.conn() as &mut DbConn;
    let running: i64 = onramp::db::schema::cohorts::table
        .filter(onramp::db::schema::cohorts::name.eq("Class 3"))
        .select(onramp::db::schema::cohorts::id)
        .first(conn)
        .unwrap();
    let (status, roster) = t.page(&format!("/training/cohorts/{running}"));
    assert_eq!(status, StatusCode::OK);
    assert!(roster.contains("Taylor Trainer"), "the class's trainer");
    let (status, attendance) = t.page(&format!("/training/cohorts/{running}/attendance?day=1"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attendance.matches("value=\"present\" data-key").count(),
        10,
        "ten trainees on the attendance sheet"
    );
    assert!(attendance.contains(" checked"), "day 1 was taken");

    // The company's holidays are listed, and no class trains on one.
    let listed: i64 = onramp::db::schema::holidays::table
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(listed, 10, "five holidays this year and five next");
    let on_holidays: i64 = onramp::db::schema::cohort_days::table
        .inner_join(
            onramp::db::schema::holidays::table
                .on(onramp::db::schema::holidays::day.eq(onramp::db::schema::cohort_days::date)),
        )
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(on_holidays, 0, "no training day falls on a holiday");

    // The running class's offers are open; one trainee declined already.
    let mut hr = d.login("hr@demo.onramp.test");
    let (status, offers) = hr.page("/offers");
    assert_eq!(status, StatusCode::OK);
    assert!(offers.contains("Declined"), "a declined offer: {offers}");
    assert!(offers.contains("Accepted") || offers.contains("Expired"));
    // The uptake report's month rows name the bonus offered that month.
    let (status, uptake) = hr.page("/offers/uptake");
    assert_eq!(status, StatusCode::OK);
    assert!(!uptake.contains("<td>true</td>"), "{uptake}");
    assert!(uptake.contains("<td>$2,000.00</td>"), "{uptake}");
    let (status, retention) = hr.page("/offers/retention");
    assert_eq!(status, StatusCode::OK);
    assert!(!retention.contains(">true</td>"), "{retention}");
    assert!(
        retention.contains("<td class=\"num\">$2,000.00</td>"),
        "{retention}"
    );

    // The demo new hire is enrolled in the class that starts with them.
    let mut n = d.login("newhire@demo.onramp.test");
    let (status, portal) = n.page("/portal");
    assert_eq!(status, StatusCode::OK);
    assert!(
        portal.contains("Class 4"),
        "the portal names their class: {portal}"
    );
    assert!(portal.contains("Taylor Trainer"));
}

#[test]
fn the_generator_stores_consistent_training_history_and_a_running_class() {
    use onramp::db::schema::{cohorts, employees, enrolments, offers, payouts};
    use onramp::training::generate::{run, Options};
    // The bench trainers, the bonus history and 10 jobs are made along the way.
    let app = TestApp::spawn();
    // A holiday on the Wednesday of the running class's first week (it started last
    // Monday) and one in the first week of the oldest class (seven weeks before that).
    let today = app.ctx().today();
    let this_monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let holidays = [
        this_monday - Duration::days(5),
        this_monday - Duration::weeks(8) + Duration::days(2),
    ];
    for day in holidays {
        let input = onramp::training::holidays::rules::HolidayInput {
            day: day.format("%Y-%m-%d").to_string(),
            name: "Founders' Day".into(),
        };
        onramp::training::holidays::service::add(&mut app.conn(), &app.ctx(), &input).unwrap();
    }
    let made = run(
        &mut app.conn(),
        &app.ctx(),
        &Default::default(),
        &Options::bench(3, 30),
        &onramp::hiring::import::progress::Quiet,
    )
    .unwrap();
    assert_eq!(made.cohorts, 4);
    assert_eq!(made.trainees, 3 * 30 + 200);
    assert_eq!(
        made.offers,
        3 * 30 + 200,
        "everyone in training got the offer"
    );
    let conn = &mut app.conn() as &mut DbConn;
    let graduated: i64 = cohorts::table
        .filter(cohorts::graduated_at.is_not_null())
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(graduated, 3);
    let (days, on_holidays): (Vec<i64>, i64) = (
        onramp::db::schema::cohort_days::table
            .group_by(onramp::db::schema::cohort_days::cohort_id)
            .select(diesel::dsl::count_star())
            .load(conn)
            .unwrap(),
        onramp::db::schema::cohort_days::table
            .filter(onramp::db::schema::cohort_days::date.eq_any(holidays))
            .count()
            .get_result(conn)
            .unwrap(),
    );
    assert_eq!(days, vec![20; 4], "every class has its 20 days");
    assert_eq!(on_holidays, 0, "the classes train around the holidays");
    let accepted: i64 = offers::table
        .filter(offers::status.eq("accepted"))
        .count()
        .get_result(conn)
        .unwrap();
    let paid: i64 = payouts::table.count().get_result(conn).unwrap();
    assert_eq!(paid, accepted, "a payout for every accepted offer");
    let left: i64 = enrolments::table
        .filter(enrolments::status.eq("left_with_offer"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(left, accepted);
    let staff: i64 = employees::table.count().get_result(conn).unwrap();
    assert_eq!(staff, 90 - accepted, "the rest graduated into employees");
    let pending: i64 = offers::table
        .filter(offers::status.eq("pending"))
        .filter(offers::cohort_id.eq(made.running_cohort))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(pending, 200, "the running class's offers are open");

    // The generated login reaches the portal; the roster shows all 200.
    let (email, password) =
        onramp::training::generate::give_password(conn, made.running_cohort).unwrap();
    let mut s = app.session();
    let r = s.post("/login", &[("email", &email), ("password", &password)]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, portal) = s.page("/portal");
    assert_eq!(status, StatusCode::OK);
    assert!(
        portal.contains(&format!("Class {}", made.cohorts)),
        "{portal}"
    );
}
