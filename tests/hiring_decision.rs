//! The gate and the decisions over HTTP: the culture veto, missing scorecards, red
//! flags, hire (account, welcome mail, set-password link), reject, withdraw, final
//! stages, roles and blindness. Jobs, interviews, panels, scorecards and observations
//! are set up as rows; the decisions are driven through the pages and the API.

mod common;

use chrono::{Datelike, Duration};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CandidateId, CohortId, InterviewId, JobId, UserId};
use onramp::db::schema::{
    candidates, checklist_tasks, enrolments, hires, interview_panel, interviews, jobs,
    observations, outbox, scorecards, stage_changes, user_roles,
};
use onramp::db::DbConn;
use onramp::hiring::candidates::rules::{validate, CandidateInput};
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};

const RECRUITER: &str = "rita@acme.test";
const ADMIN: &str = "boss@acme.test";
const HR: &str = "hana@acme.test";

struct World {
    app: TestApp,
    job: JobId,
    /// (email, id) of the technical and the culture interviewer.
    tech: (String, UserId),
    culture: (String, UserId),
}

fn world() -> World {
    let app = TestApp::spawn();
    app.user(RECRUITER, &[Role::Recruiter]);
    app.user(ADMIN, &[Role::Admin]);
    app.user(HR, &[Role::Hr]);
    let tech = app.user("tess@acme.test", &[Role::Interviewer]);
    let culture = app.user("cal@acme.test", &[Role::Interviewer]);
    let now = app.clock.now();
    let job: JobId = diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq("Customer Loyalty Rep"),
            jobs::department.eq("Customer Loyalty"),
            jobs::location.eq("Las Vegas"),
            jobs::description.eq("Phones."),
            jobs::status.eq("open"),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    World {
        app,
        job,
        tech: (tech.email, tech.id),
        culture: (culture.email, culture.id),
    }
}

impl World {
    fn candidate(&self, name: &str, email: &str) -> CandidateId {
        let valid = validate(&CandidateInput {
            name: name.into(),
            email: email.into(),
            source: "careers_page".into(),
            ..Default::default()
        })
        .unwrap();
        let now = self.app.clock.now();
        onramp::hiring::candidates::model::insert(
            &mut self.app.conn(),
            self.job,
            &valid,
            now,
            None,
            now,
        )
        .unwrap()
    }

    fn interview(&self, c: CandidateId, track: &str, panel: &[UserId]) -> InterviewId {
        let now = self.app.clock.now();
        let conn = &mut self.app.conn() as &mut DbConn;
        let id: InterviewId = diesel::insert_into(interviews::table)
            .values((
                interviews::candidate_id.eq(c),
                interviews::track.eq(track),
                interviews::starts_at.eq(now - Duration::days(1)),
                interviews::duration_minutes.eq(60),
                interviews::location.eq("Room 1"),
                interviews::video_url.eq(""),
                interviews::status.eq("scheduled"),
                interviews::ical_uid.eq(format!("{track}-{}@test", c.0)),
                interviews::sequence.eq(0),
                interviews::created_at.eq(now),
                interviews::updated_at.eq(now),
            ))
            .returning(interviews::id)
            .get_result(conn)
            .unwrap();
        for u in panel {
            diesel::insert_into(interview_panel::table)
                .values((
                    interview_panel::interview_id.eq(id),
                    interview_panel::user_id.eq(*u),
                ))
                .execute(conn)
                .unwrap();
        }
        id
    }

    fn scorecard(&self, i: InterviewId, c: CandidateId, who: UserId, track: &str, rec: &str) {
        diesel::insert_into(scorecards::table)
            .values((
                scorecards::interview_id.eq(i),
                scorecards::candidate_id.eq(c),
                scorecards::interviewer_id.eq(who),
                scorecards::track.eq(track),
                scorecards::recommendation.eq(rec),
                scorecards::version.eq(1),
                scorecards::submitted_at.eq(self.app.clock.now()),
            ))
            .execute(&mut self.app.conn() as &mut DbConn)
            .unwrap();
    }

    /// A candidate with both interviews held and scored: the technical by `tech`'s
    /// recommendation, the culture by `culture`'s.
    fn scored(&self, name: &str, email: &str, tech: &str, culture: &str) -> CandidateId {
        let c = self.candidate(name, email);
        let t = self.interview(c, "technical", &[self.tech.1]);
        self.scorecard(t, c, self.tech.1, "technical", tech);
        let k = self.interview(c, "culture", &[self.culture.1]);
        self.scorecard(k, c, self.culture.1, "culture", culture);
        c
    }

    fn red_flag(&self, c: CandidateId) -> i64 {
        diesel::insert_into(observations::table)
            .values((
                observations::candidate_id.eq(c),
                observations::observer_name.eq("Sam"),
                observations::observer_role.eq("shuttle driver"),
                observations::treatment.eq("badly"),
                observations::note.eq("Rude all the way."),
                observations::created_at.eq(self.app.clock.now()),
            ))
            .returning(observations::id)
            .get_result(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn stage(&self, c: CandidateId) -> String {
        candidates::table
            .find(c)
            .select(candidates::stage)
            .first(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn hires(&self) -> i64 {
        hires::table
            .count()
            .get_result(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn mails_to(&self, to: &str) -> Vec<String> {
        outbox::table
            .filter(outbox::to_addr.eq(to))
            .select(outbox::text_body)
            .load(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn api(&self, email: &str) -> Api {
        Api {
            client: Client::new(),
            base: format!("{}/api/v1", self.app.base),
            token: self.app.api_token(email),
        }
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

    fn post(&self, path: &str, body: Value) -> (StatusCode, String, Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .unwrap();
        let status = r.status();
        let ctype = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, ctype, r.json().unwrap_or(Value::Null))
    }
}

fn start_date(app: &TestApp) -> String {
    (app.clock.now().date() + Duration::days(14))
        .format("%Y-%m-%d")
        .to_string()
}

fn hire_fields(date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("start_date", date.to_string()),
        ("department", "Customer Loyalty".into()),
        ("title", "Customer Loyalty Rep".into()),
        ("hourly_rate", "18.50".into()),
    ]
}

fn post(
    s: &mut Session,
    path: &str,
    fields: &[(&'static str, String)],
) -> reqwest::blocking::Response {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post(path, &f)
}

/// A mail's text with quoted-printable soft breaks and escapes undone.
fn plain(mail: &str) -> String {
    mail.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

fn reasons(v: &Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

#[test]
fn a_culture_fail_vetoes_a_strong_technical_pass_for_every_role() {
    let w = world();
    let c = w.scored("Vic Veto", "vic@example.test", "strong_yes", "no");
    let path = format!("/hiring/candidates/{}/hire", c.0);
    let date = start_date(&w.app);

    // The page says exactly why, and offers no hire form.
    let mut rita = w.app.login(RECRUITER);
    let (status, page) = rita.page(&path);
    assert_eq!(status, StatusCode::OK);
    let page = unescape(&page);
    assert!(
        page.contains("vetoes the hire whatever the technical result"),
        "{page}"
    );
    assert!(page.contains("no role can override it"));
    assert!(page.contains("Technical: <span class=\"tag good\">Passed"));
    assert!(page.contains("Culture fit: <span class=\"tag bad\">Not passed"));
    assert!(!page.contains("name=\"hourly_rate\""));

    // Neither a recruiter nor an admin gets through, by page or by API.
    let r = post(&mut rita, &path, &hire_fields(&date));
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(unescape(&r.text().unwrap()).contains("vetoes the hire"));
    let mut boss = w.app.login(ADMIN);
    boss.page(&path);
    let r = post(&mut boss, &path, &hire_fields(&date));
    assert_eq!(r.status(), StatusCode::CONFLICT);

    for who in [RECRUITER, ADMIN] {
        let api = w.api(who);
        let (status, d) = api.get(&format!("/candidates/{}/decision", c.0));
        assert_eq!(status, StatusCode::OK);
        assert_eq!(d["technical"]["passed"], json!(true));
        assert_eq!(d["culture"]["passed"], json!(false));
        assert_eq!(d["can_hire"], json!(false));
        assert!(reasons(&d["blocking_reasons"])[0].contains("vetoes"));
        let (status, ctype, problem) = api.post(
            &format!("/candidates/{}/hire", c.0),
            json!({"start_date": date, "department": "Ops", "title": "Rep", "hourly_rate": "18.50"}),
        );
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(ctype.starts_with("application/problem+json"));
        assert_eq!(problem["status"], json!(409));
        assert!(reasons(&problem["reasons"])
            .iter()
            .any(|r| r.contains("vetoes the hire")));
    }
    assert_eq!(w.hires(), 0);
    assert_eq!(w.stage(c), "applied");
    assert!(!w
        .app
        .audit_actions()
        .contains(&"candidate.hired".to_string()));
}

#[test]
fn a_missing_scorecard_from_a_panel_member_blocks_until_it_is_in() {
    let w = world();
    let extra = w.app.user("ivy@acme.test", &[Role::Interviewer]);
    let c = w.candidate("Mia Missing", "mia@example.test");
    let t = w.interview(c, "technical", &[w.tech.1, extra.id]);
    w.scorecard(t, c, w.tech.1, "technical", "yes");
    let k = w.interview(c, "culture", &[w.culture.1]);
    w.scorecard(k, c, w.culture.1, "culture", "strong_yes");

    let api = w.api(RECRUITER);
    let (_, d) = api.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["technical"]["passed"], json!(true));
    assert_eq!(d["culture"]["passed"], json!(true));
    assert_eq!(d["can_hire"], json!(false));
    assert_eq!(
        reasons(&d["blocking_reasons"]),
        ["Ivy has not submitted a scorecard for the technical interview."]
    );
    assert_eq!(d["missing_scorecards"][0]["interviewer"], json!("Ivy"));

    w.scorecard(t, c, extra.id, "technical", "yes");
    let (_, d) = api.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["can_hire"], json!(true), "{d}");
    assert_eq!(reasons(&d["blocking_reasons"]).len(), 0);
}

#[test]
fn an_unacknowledged_red_flag_blocks_the_culture_track() {
    let w = world();
    let c = w.scored("Rex Rude", "rex@example.test", "strong_yes", "strong_yes");
    let flag = w.red_flag(c);
    let api = w.api(RECRUITER);
    let (_, d) = api.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["culture"]["passed"], json!(false));
    assert!(reasons(&d["culture"]["reasons"])
        .iter()
        .any(|r| r.contains("1 red flag not acknowledged")));
    assert_eq!(d["can_hire"], json!(false));
    let mut rita = w.app.login(RECRUITER);
    let (_, page) = rita.page(&format!("/hiring/candidates/{}/hire", c.0));
    assert!(page.contains("1 red flag not acknowledged"));

    // Acknowledged with a note by a culture interviewer: the track passes.
    diesel::update(observations::table.find(flag))
        .set((
            observations::acknowledged_at.eq(Some(w.app.clock.now())),
            observations::acknowledged_by.eq(Some(w.culture.1)),
            observations::acknowledgement.eq(Some("Talked it through.")),
        ))
        .execute(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    let (_, d) = api.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["culture"]["passed"], json!(true));
    assert_eq!(d["can_hire"], json!(true));
}

#[test]
fn passing_both_tracks_hires_with_an_account_and_a_welcome_mail() {
    let w = world();
    // A cohort starting the Monday on or after the start date, with room: the hire joins it.
    let trainer = w.app.user("tom@acme.test", &[Role::Trainer]);
    let start = w.app.clock.now().date() + Duration::days(14);
    let monday = start + Duration::days((7 - start.weekday().num_days_from_monday() as i64) % 7);
    let cohort = w.app.cohort("Class 160", monday, 20, &[trainer.id]);
    let c = w.scored("Ann Able", "Ann@Example.test", "yes", "strong_yes");
    let path = format!("/hiring/candidates/{}/hire", c.0);
    let mut rita = w.app.login(RECRUITER);
    let (status, page) = rita.page(&path);
    assert_eq!(status, StatusCode::OK);
    // Defaults from the job.
    assert!(page.contains("value=\"Customer Loyalty Rep\""));
    assert!(page.contains("value=\"Customer Loyalty\""));
    let date = start_date(&w.app);
    let r = post(&mut rita, &path, &hire_fields(&date));
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/hiring/candidates/{}", c.0));

    assert_eq!(w.stage(c), "hired");
    let conn = &mut w.app.conn() as &mut DbConn;
    let (cents, dept, user_id): (i64, String, UserId) = hires::table
        .filter(hires::candidate_id.eq(c))
        .select((hires::hourly_rate_cents, hires::department, hires::user_id))
        .first(conn)
        .unwrap();
    assert_eq!((cents, dept.as_str()), (1850, "Customer Loyalty"));
    let roles: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .load(conn)
        .unwrap();
    assert_eq!(roles, ["new_hire"]);
    let moved: i64 = stage_changes::table
        .filter(stage_changes::candidate_id.eq(c))
        .filter(stage_changes::to_stage.eq("hired"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(moved, 1);
    // Enrolled from day 1 of the cohort, and given the pre-start checklist.
    let (enrolled_in, first_day, status): (CohortId, i64, String) = enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .select((
            enrolments::cohort_id,
            enrolments::first_day,
            enrolments::status,
        ))
        .first(conn)
        .unwrap();
    assert_eq!(
        (enrolled_in, first_day, status.as_str()),
        (cohort, 1, "active")
    );
    let tasks: i64 = checklist_tasks::table
        .filter(checklist_tasks::user_id.eq(user_id))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(tasks, 4);
    let actions = w.app.audit_actions();
    for a in ["user.invited", "candidate.hired", "enrolment.created"] {
        assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
    }

    // The welcome mail: start date, the four-week training, a working set-password link.
    let mails = wait_for_eml(&w.app.dir.path().join("mail"), 1);
    let mail = plain(&mails[0]);
    assert!(mail.contains("To: ann@example.test"));
    let pretty = (w.app.clock.now().date() + Duration::days(14))
        .format("%A %-d %B %Y")
        .to_string();
    assert!(mail.contains(&pretty), "{mail}");
    assert!(mail.contains("4-week customer-loyalty training"));
    assert!(
        mail.contains("You join training cohort Class 160"),
        "{mail}"
    );
    let link = link_in(&mails[0], &w.app.base);
    assert!(link.contains("/password/set?token="));
    let mut ann = w.app.session();
    let (status, _) = ann.page(link.trim_start_matches(&w.app.base));
    assert_eq!(status, StatusCode::OK);
    let token = link.split("token=").nth(1).unwrap();
    let r = ann.post("/password/set", &[("token", token), ("password", PASSWORD)]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The new hire signs in and sees nothing of hiring.
    let mut ann = w.app.login("ann@example.test");
    let (_, home) = ann.page("/home");
    assert!(!home.contains("/hiring/"), "{home}");
    assert_eq!(ann.get(&path).status(), StatusCode::FORBIDDEN);
    let api = w.api("ann@example.test");
    let (status, _) = api.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Hired is final: a second hire is refused.
    let r = post(&mut rita, &path, &hire_fields(&date));
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().unwrap().contains("already hired"));
    assert_eq!(w.hires(), 1);
}

#[test]
fn an_existing_account_gets_the_new_hire_role_instead() {
    let w = world();
    let c = w.scored("Tess Again", "tess@acme.test", "yes", "yes");
    let api = w.api(RECRUITER);
    let (status, _, body) = api.post(
        &format!("/candidates/{}/hire", c.0),
        json!({"start_date": start_date(&w.app), "department": "Ops", "title": "Rep", "hourly_rate": "$21"}),
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["existing_account"], json!(true));
    assert_eq!(body["user_id"], json!(w.tech.1 .0));
    assert_eq!(body["hourly_rate_cents"], json!(2100));
    let roles: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(w.tech.1))
        .select(user_roles::role)
        .order(user_roles::role.asc())
        .load(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(roles, ["interviewer", "new_hire"]);
    let mail = &w.mails_to("tess@acme.test")[0];
    assert!(mail.contains("You already have an account"));
    assert!(w
        .app
        .audit_actions()
        .contains(&"user.roles_changed".to_string()));
}

#[test]
fn bad_hire_input_is_refused_next_to_each_field_and_kept() {
    let w = world();
    let c = w.scored("Pat Pay", "pat@example.test", "yes", "yes");
    let path = format!("/hiring/candidates/{}/hire", c.0);
    let mut rita = w.app.login(RECRUITER);
    rita.page(&path);
    let yesterday = (w.app.clock.now().date() - Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let r = post(
        &mut rita,
        &path,
        &[
            ("start_date", yesterday.clone()),
            ("department", "Warehouse".into()),
            ("title", "  ".into()),
            ("hourly_rate", "18,50".into()),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&r.text().unwrap());
    assert!(body.contains("Type the hourly rate in dollars and cents, like 18.50."));
    assert!(body.contains("value=\"18,50\""));
    assert!(body.contains("cannot be in the past"));
    assert!(body.contains(&format!("value=\"{yesterday}\"")));
    assert!(body.contains("Enter the job title."));
    assert!(body.contains("value=\"Warehouse\""));
    let r = post(
        &mut rita,
        &path,
        &[
            ("start_date", start_date(&w.app)),
            ("department", "Warehouse".into()),
            ("title", "Picker".into()),
            ("hourly_rate", "18.505".into()),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("value=\"18.505\""));
    // Nothing half-written.
    assert_eq!(w.hires(), 0);
    assert_eq!(w.stage(c), "applied");
    assert!(w.mails_to("pat@example.test").is_empty());
    // The API answers the same field errors as problem+json.
    let (status, ctype, problem) = w.api(RECRUITER).post(
        &format!("/candidates/{}/hire", c.0),
        json!({"start_date": start_date(&w.app), "department": "Ops", "title": "Rep", "hourly_rate": "lots"}),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ctype.starts_with("application/problem+json"));
    assert!(problem["errors"]["hourly_rate"]
        .as_str()
        .unwrap()
        .contains("dollars and cents"));
}

#[test]
fn reject_with_and_without_the_email() {
    let w = world();
    let a = w.candidate("Al Email", "al@example.test");
    let b = w.candidate("Bo Quiet", "bo@example.test");
    let mut rita = w.app.login(RECRUITER);
    rita.page(&format!("/hiring/candidates/{}/hire", a.0));

    // The reason is required; the note and checkbox are kept.
    let path = format!("/hiring/candidates/{}/reject", a.0);
    let r = rita.post(&path, &[("note", "Kept note"), ("send_email", "on")]);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("Choose why the candidate is rejected."));
    assert!(body.contains("Kept note"));
    assert!(body.contains("checked"));
    assert_eq!(w.stage(a), "applied");

    let r = rita.post(
        &path,
        &[
            ("reason", "culture"),
            ("note", "Rude to the driver"),
            ("send_email", "on"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.stage(a), "rejected");
    let (reason, note): (Option<String>, String) = stage_changes::table
        .filter(stage_changes::candidate_id.eq(a))
        .filter(stage_changes::to_stage.eq("rejected"))
        .select((stage_changes::reason, stage_changes::note))
        .first(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(reason.as_deref(), Some("culture"));
    assert_eq!(note, "Rude to the driver");
    let mails = w.mails_to("al@example.test");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("Customer Loyalty Rep"));
    assert!(!mails[0].contains("Rude") && !mails[0].to_lowercase().contains("culture"));

    // Through the API, without the email.
    let (status, _, body) = w.api(RECRUITER).post(
        &format!("/candidates/{}/reject", b.0),
        json!({"reason": "position_filled", "note": "Filled"}),
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stage"], json!("rejected"));
    assert_eq!(w.stage(b), "rejected");
    assert!(w.mails_to("bo@example.test").is_empty());
    let rejected = w
        .app
        .audit_actions()
        .iter()
        .filter(|a| *a == "candidate.rejected")
        .count();
    assert_eq!(rejected, 2);
}

#[test]
fn withdraw_then_every_decision_on_a_final_stage_is_refused() {
    let w = world();
    let c = w.scored("Wes Away", "wes@example.test", "yes", "yes");
    let mut rita = w.app.login(RECRUITER);
    rita.page(&format!("/hiring/candidates/{}/hire", c.0));
    let r = rita.post(
        &format!("/hiring/candidates/{}/withdraw", c.0),
        &[("note", "Took another offer")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.stage(c), "withdrawn");
    assert!(w
        .app
        .audit_actions()
        .contains(&"candidate.withdrawn".to_string()));

    let date = start_date(&w.app);
    for path in ["hire", "reject", "withdraw"] {
        let r = rita.post(
            &format!("/hiring/candidates/{}/{path}", c.0),
            &[
                ("reason", "other"),
                ("start_date", date.as_str()),
                ("department", "Ops"),
                ("title", "Rep"),
                ("hourly_rate", "18.50"),
            ],
        );
        assert_eq!(r.status(), StatusCode::CONFLICT, "{path}");
        assert!(r.text().unwrap().contains("already withdrawn"), "{path}");
    }
    let (status, _) = rita.page(&format!("/hiring/candidates/{}/hire", c.0));
    assert_eq!(status, StatusCode::CONFLICT);
    let api = w.api(ADMIN);
    for (path, body) in [
        (
            "hire",
            json!({"start_date": date, "department": "Ops", "title": "Rep", "hourly_rate": "18.50"}),
        ),
        ("reject", json!({"reason": "other"})),
        ("withdraw", json!({"note": "again"})),
    ] {
        let (status, ctype, problem) = api.post(&format!("/candidates/{}/{path}", c.0), body);
        assert_eq!(status, StatusCode::CONFLICT, "{path}");
        assert!(ctype.starts_with("application/problem+json"));
        assert!(reasons(&problem["reasons"])[0].contains("already withdrawn"));
    }
    let (_, d) = api.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["stage"], json!("withdrawn"));
    assert_eq!(d["can_hire"], json!(false));
    assert_eq!(w.hires(), 0);
    // Withdraw through the API too.
    let other = w.candidate("Oz Other", "oz@example.test");
    let (status, _, _) = api.post(
        &format!("/candidates/{}/withdraw", other.0),
        json!({"note": "Moving abroad"}),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(w.stage(other), "withdrawn");
}

#[test]
fn interviewers_and_hr_cannot_decide() {
    let w = world();
    let c = w.scored("Ida Ideal", "ida@example.test", "yes", "yes");
    for who in [w.tech.0.clone(), HR.to_string()] {
        let mut s = w.app.login(&who);
        s.page("/home");
        let date = start_date(&w.app);
        assert_eq!(
            s.get(&format!("/hiring/candidates/{}/hire", c.0)).status(),
            StatusCode::FORBIDDEN
        );
        for path in ["hire", "reject", "withdraw"] {
            let r = s.post(
                &format!("/hiring/candidates/{}/{path}", c.0),
                &[
                    ("reason", "other"),
                    ("start_date", date.as_str()),
                    ("hourly_rate", "18.50"),
                ],
            );
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who} {path}");
        }
        let api = w.api(&who);
        let (status, _, _) = api.post(
            &format!("/candidates/{}/hire", c.0),
            json!({"start_date": date, "department": "Ops", "title": "Rep", "hourly_rate": "18.50"}),
        );
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = api.post(
            &format!("/candidates/{}/reject", c.0),
            json!({"reason": "other"}),
        );
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    assert_eq!(w.stage(c), "applied");
    assert_eq!(w.hires(), 0);
}

#[test]
fn a_blinded_interviewer_does_not_see_the_verdicts() {
    let w = world();
    let c = w.candidate("Bea Blind", "bea@example.test");
    let t = w.interview(c, "technical", &[w.tech.1]);
    let k = w.interview(c, "culture", &[w.culture.1]);
    w.scorecard(k, c, w.culture.1, "culture", "strong_no");

    // Tess has not submitted: the verdicts, can_hire and the reasons are withheld.
    let tess = w.api(&w.tech.0);
    let (status, d) = tess.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["blinded"], json!(true));
    assert!(d["culture"].is_null() && d["technical"].is_null());
    assert!(d["can_hire"].is_null() && d["blocking_reasons"].is_null());
    assert!(!d.to_string().contains("strong no fails the track however"));
    assert!(d["policy"].as_array().unwrap().len() >= 3);

    // Cal has submitted, so sees both; after Tess submits, so does she.
    let (_, d) = w
        .api(&w.culture.0)
        .get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["blinded"], json!(false));
    assert_eq!(d["culture"]["passed"], json!(false));
    w.scorecard(t, c, w.tech.1, "technical", "yes");
    let (_, d) = tess.get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(d["blinded"], json!(false));
    assert_eq!(d["culture"]["outcome"], json!("not_passed"));

    // Someone on no panel of this candidate does not see it at all.
    w.app.user("olga@acme.test", &[Role::Interviewer]);
    let (status, _) = w
        .api("olga@acme.test")
        .get(&format!("/candidates/{}/decision", c.0));
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn the_kept_candidate_page_shows_every_change_at_once_even_one_made_outside_the_app() {
    let w = world();
    let c = w.candidate("Kim Kept", "kim@x.test");
    let mut s = w.app.login(RECRUITER);
    let path = format!("/hiring/candidates/{}", c.0);
    let mut page = || unescape(&s.page(&path).1);
    let conn = &mut w.app.conn() as &mut DbConn;
    assert!(!page().contains("Room 1"), "no interview yet");

    // Every change below is a row written straight to the database, as another server or
    // a hand-run statement would; the next request must show it.
    let t = w.interview(c, "technical", &[w.tech.1]);
    let p = page();
    assert!(p.contains("Room 1") && p.contains("no scorecard"), "{p}");
    diesel::update(interviews::table.find(t))
        .set(interviews::location.eq("Room 9"))
        .execute(conn)
        .unwrap();
    assert!(page().contains("Room 9"), "the interview moved");
    w.scorecard(t, c, w.tech.1, "technical", "yes");
    assert!(page().contains("scorecard in"), "the scorecard arrived");
    diesel::update(scorecards::table.filter(scorecards::candidate_id.eq(c)))
        .set(scorecards::recommendation.eq("strong_no"))
        .execute(conn)
        .unwrap();
    assert!(page().contains("Strong no"), "the scorecard changed");
    diesel::update(onramp::db::schema::users::table.find(w.tech.1))
        .set(onramp::db::schema::users::name.eq("Tess Renamed"))
        .execute(conn)
        .unwrap();
    assert!(
        page().contains("Tess Renamed"),
        "the interviewer's new name"
    );
    diesel::delete(interview_panel::table.filter(interview_panel::interview_id.eq(t)))
        .execute(conn)
        .unwrap();
    assert!(!page().contains("scorecard in"), "the panel is empty");

    let flag = w.red_flag(c);
    assert!(
        page().contains("Rude all the way."),
        "the observation arrived"
    );
    diesel::update(observations::table.find(flag))
        .set(observations::note.eq("Rude, said the driver."))
        .execute(conn)
        .unwrap();
    assert!(
        page().contains("Rude, said the driver."),
        "the observation changed"
    );

    diesel::update(stage_changes::table.filter(stage_changes::candidate_id.eq(c)))
        .set(stage_changes::note.eq("Applied at the job fair"))
        .execute(conn)
        .unwrap();
    assert!(
        page().contains("Applied at the job fair"),
        "the history changed"
    );
    // A move writes its history row and the candidate's new stage, as the app does.
    let now = w.app.clock.now();
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::candidate_id.eq(c),
            stage_changes::job_id.eq(w.job),
            stage_changes::from_stage.eq(Some("applied")),
            stage_changes::to_stage.eq("screening"),
            stage_changes::note.eq("Phone screen booked by hand"),
            stage_changes::at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    diesel::update(candidates::table.find(c))
        .set((
            candidates::stage.eq("screening"),
            candidates::stage_entered_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    assert!(page().contains("Phone screen booked by hand"), "the move");
}
