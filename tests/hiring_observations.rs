//! The shuttle-driver check: observation links that work once without an account and
//! expire, the red flag a "badly" raises, and its acknowledgement by a culture
//! interviewer.

mod common;
use chrono::Duration;
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CandidateId, InterviewId, JobId, UserId};
use onramp::db::schema::{
    audit_log, candidates as cand_t, interview_panel, interviews, jobs, observation_links,
    observations,
};
use onramp::db::DbConn;
use onramp::hiring::candidates::{model as candidates, rules as candidate_rules};
use onramp::hiring::observations::model::unacknowledged_red_flags;
use onramp::web::context::Viewer;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn candidate(app: &TestApp) -> CandidateId {
    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let now = app.clock.now();
    let job: onramp::db::ids::JobId = diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq("Warehouse lead"),
            jobs::department.eq("Fulfilment"),
            jobs::location.eq("Shepherdsville"),
            jobs::description.eq(""),
            jobs::status.eq("open"),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(c)
        .unwrap();
    let valid = candidate_rules::validate(&candidate_rules::CandidateInput {
        name: "Pat Rider".into(),
        email: "pat@example.test".into(),
        source: "careers_page".into(),
        ..Default::default()
    })
    .unwrap();
    candidates::insert(c, job, &valid, now, None, now).unwrap()
}

fn interview_with(app: &TestApp, candidate: CandidateId, track: &str, user: UserId) -> InterviewId {
    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let now = app.clock.now();
    let id: InterviewId = diesel::insert_into(interviews::table)
        .values((
            interviews::candidate_id.eq(candidate),
            interviews::track.eq(track),
            interviews::starts_at.eq(now + Duration::days(1)),
            interviews::duration_minutes.eq(45i64),
            interviews::location.eq("HQ"),
            interviews::video_url.eq(""),
            interviews::status.eq("scheduled"),
            interviews::ical_uid.eq(format!("uid-{track}-{}", user.0)),
            interviews::sequence.eq(0i64),
            interviews::created_at.eq(now),
            interviews::updated_at.eq(now),
        ))
        .returning(interviews::id)
        .get_result(c)
        .unwrap();
    diesel::insert_into(interview_panel::table)
        .values((
            interview_panel::interview_id.eq(id),
            interview_panel::user_id.eq(user),
        ))
        .execute(c)
        .unwrap();
    id
}

/// The token in the page shown once after creating a link.
fn token_in(body: &str) -> String {
    let i = body.find("/observe/").expect("the link is shown") + "/observe/".len();
    body[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn create_link(app: &TestApp, recruiter: &str, candidate: CandidateId, role: &str) -> String {
    let mut s = app.login(recruiter);
    s.page("/home");
    let r = s.post(
        &format!("/hiring/candidates/{candidate}/observation-links"),
        &[("observer_role", role)],
    );
    assert_eq!(r.status(), StatusCode::OK);
    token_in(&r.text().unwrap())
}

fn observe(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut s = app.session();
    let (status, _) = s.page(&format!("/observe/{token}"));
    assert_eq!(status, StatusCode::OK, "the form opens without an account");
    let r = s.post(&format!("/observe/{token}"), fields);
    (r.status(), r.text().unwrap())
}

fn panel_html(app: &TestApp, email: &str, candidate: CandidateId) -> String {
    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let u = onramp::auth::model::find_by_email(c, email)
        .unwrap()
        .unwrap();
    let viewer = Viewer {
        user_id: u.id,
        name: u.name,
        email: u.email,
        roles: onramp::auth::model::roles_of(c, u.id).unwrap(),
        session_id: None,
        csrf_token: String::new(),
    };
    let cand = candidates::find(c, candidate).unwrap();
    let file = onramp::hiring::interviews::file::InterviewFile::load(c, candidate).unwrap();
    let observed = onramp::hiring::observations::model::list_for(c, candidate).unwrap();
    let links = onramp::hiring::observations::model::links_for(c, candidate).unwrap();
    let data = onramp::hiring::observations::routes::panel(
        &app.ctx(),
        &viewer,
        &cand,
        &file,
        &observed,
        &links,
    );
    onramp::web::render::render("hiring/observations/panel", data.clone()).unwrap()
}

#[test]
fn an_observation_link_works_once_without_an_account_and_stores_only_a_hash() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let cand = candidate(&app);
    let token = create_link(&app, "rita@acme.test", cand, "shuttle_driver");
    assert!(token.len() >= 32, "{token}");
    let hash: String = observation_links::table
        .select(observation_links::token_hash)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_ne!(hash, token);
    assert_eq!(hash, onramp::auth::password::token_hash(&token));

    // Anonymous: the page names the candidate; bad input keeps what was typed.
    let mut s = app.session();
    let (status, page) = s.page(&format!("/observe/{token}"));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("How did Pat Rider treat you?"));
    let r = s.post(
        &format!("/observe/{token}"),
        &[("observer_name", "Sam Shuttle"), ("note", "typed words")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("value=\"Sam Shuttle\"") && body.contains("typed words"));
    assert!(body.contains("Choose how the candidate treated you"));
    let r = s.post_without_csrf(
        &format!("/observe/{token}"),
        &[("observer_name", "Sam"), ("treatment", "well")],
    );
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "CSRF holds for anonymous forms too"
    );

    let r = s.post(
        &format!("/observe/{token}"),
        &[
            ("observer_name", "Sam Shuttle"),
            ("treatment", "well"),
            ("note", "Chatty, thanked me"),
        ],
    );
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().unwrap().contains("Thank you"));

    // Used: a clear page, and no second answer.
    let (status, body) = s.page(&format!("/observe/{token}"));
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("already been used"));
    let r = s.post(
        &format!("/observe/{token}"),
        &[
            ("observer_name", "Sam"),
            ("treatment", "badly"),
            ("note", "changed my mind"),
        ],
    );
    assert_eq!(r.status(), StatusCode::GONE);
    let (status, body) = s.page("/observe/not-a-real-token");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("not valid"));

    let rows: Vec<(String, String, String)> = observations::table
        .select((
            observations::observer_name,
            observations::observer_role,
            observations::treatment,
        ))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(
        rows,
        vec![("Sam Shuttle".into(), "shuttle_driver".into(), "well".into())]
    );
    let flagged: bool = cand_t::table
        .find(cand)
        .select(cand_t::red_flag)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(!flagged);
    let actions = app.audit_actions();
    assert!(actions.contains(&"observation_link.created".to_string()));
    assert!(actions.contains(&"observation.submitted".to_string()));
    assert!(!actions.contains(&"candidate.red_flagged".to_string()));
    // The token itself is in no audit entry.
    let all: Vec<Option<String>> = audit_log::table
        .select(audit_log::after_json)
        .load(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(all.iter().flatten().all(|a| !a.contains(&token)));
}

#[test]
fn only_recruiters_create_links_and_a_link_expires_after_seven_days() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    app.user("ivan@acme.test", &[Role::Interviewer]);
    let cand = candidate(&app);
    let mut ivan = app.login("ivan@acme.test");
    ivan.page("/home");
    let r = ivan.post(
        &format!("/hiring/candidates/{cand}/observation-links"),
        &[("observer_role", "receptionist")],
    );
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let rita = app.api_token("rita@acme.test");
    let (status, body) = api(
        &app,
        &rita,
        reqwest::Method::POST,
        &format!("/candidates/{cand}/observation-links"),
        Some(json!({"observer_role": "boss"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["observer_role"].is_string());
    let (status, body) = api(
        &app,
        &rita,
        reqwest::Method::POST,
        &format!("/candidates/{cand}/observation-links"),
        Some(json!({"observer_role": "receptionist"})),
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let url = body["url"].as_str().unwrap().to_string();
    let path = url.trim_start_matches(&app.base).to_string();
    assert!(path.starts_with("/observe/"));

    app.clock.advance(Duration::days(6) + Duration::hours(23));
    let mut s = app.session();
    assert_eq!(
        s.page(&path).0,
        StatusCode::OK,
        "still open just before a week"
    );
    app.clock.advance(Duration::hours(2));
    let (status, body) = s.page(&path);
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("expired"));
    let r = s.post(&path, &[("observer_name", "Rae"), ("treatment", "well")]);
    assert_eq!(r.status(), StatusCode::GONE);
    let n: i64 = observations::table
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn badly_raises_a_red_flag_that_only_a_culture_interviewer_acknowledges_with_a_note() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let tess = app.user("tess@acme.test", &[Role::Interviewer]);
    let cleo = app.user("cleo@acme.test", &[Role::Interviewer]);
    let cand = candidate(&app);
    interview_with(&app, cand, "technical", tess.id);
    interview_with(&app, cand, "culture", cleo.id);

    let token = create_link(&app, "rita@acme.test", cand, "shuttle_driver");
    let (status, body) = observe(
        &app,
        &token,
        &[
            ("observer_name", "Sam"),
            ("treatment", "badly"),
            ("note", ""),
        ],
    );
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a badly needs a note"
    );
    assert!(body.contains("a note is needed"));
    let (status, _) = observe(
        &app,
        &token,
        &[
            ("observer_name", "Sam"),
            ("treatment", "badly"),
            ("note", "Snapped at me about the traffic"),
        ],
    );
    assert_eq!(status, StatusCode::OK);

    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let flagged: bool = cand_t::table
        .find(cand)
        .select(cand_t::red_flag)
        .first(c)
        .unwrap();
    assert!(flagged);
    assert_eq!(unacknowledged_red_flags(c, cand).unwrap(), 1);
    let job: JobId = cand_t::table
        .find(cand)
        .select(cand_t::job_id)
        .first(c)
        .unwrap();
    drop(pooled);

    // The flag shows wherever the candidate is listed: on the job's board and in the list.
    let mut rita = app.login("rita@acme.test");
    let (_, board) = rita.page(&format!("/hiring/jobs/{job}"));
    let link = format!("href=\"/hiring/candidates/{cand}\"");
    let card = board
        .split("<li class=\"board-card")
        .find(|c| c.contains(&link))
        .expect("the candidate's card");
    assert!(
        card.starts_with(" flagged\"") && card.contains("title=\"Red flag\""),
        "{card}"
    );
    let (_, list) = rita.page(&format!("/hiring/candidates?job={job}"));
    let row = list
        .split("<tr>")
        .find(|r| r.contains(&link))
        .expect("the candidate's row");
    assert!(row.contains("⚑ red flag"), "{row}");
    assert!(app
        .audit_actions()
        .contains(&"candidate.red_flagged".to_string()));
    let obs_id: i64 = observations::table
        .select(observations::id)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();

    // The candidate page's section shows the flag to everyone, the form only to Cleo.
    let html = panel_html(&app, "rita@acme.test", cand);
    assert!(
        html.contains("Red flag:") && html.contains("1 not yet acknowledged"),
        "{html}"
    );
    assert!(html.contains("Snapped at me about the traffic"));
    assert!(
        !html.contains(&format!("/hiring/observations/{obs_id}/acknowledge")),
        "recruiters do not acknowledge"
    );
    assert!(html.contains("Create observation link"));
    let html = panel_html(&app, "cleo@acme.test", cand);
    assert!(html.contains(&format!("/hiring/observations/{obs_id}/acknowledge")));
    assert!(!html.contains("Create observation link"));
    let tess_html = panel_html(&app, "tess@acme.test", cand);
    assert!(!tess_html.contains(&format!("/hiring/observations/{obs_id}/acknowledge")));

    let rita_token = app.api_token("rita@acme.test");
    let (status, body) = api(
        &app,
        &rita_token,
        reqwest::Method::GET,
        &format!("/candidates/{cand}/observations"),
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["red_flag"], true);
    assert_eq!(body["unacknowledged_red_flags"], 1);

    // Recruiters and technical interviewers may not acknowledge.
    for email in ["rita@acme.test", "tess@acme.test"] {
        let mut s = app.login(email);
        s.page("/home");
        let r = s.post(
            &format!("/hiring/observations/{obs_id}/acknowledge"),
            &[("note", "fine by me")],
        );
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email}");
    }
    let (status, _) = api(
        &app,
        &rita_token,
        reqwest::Method::POST,
        &format!("/observations/{obs_id}/acknowledge"),
        Some(json!({"note": "ok"})),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The culture interviewer must write a note.
    let mut cleo_s = app.login("cleo@acme.test");
    cleo_s.page("/home");
    let r = cleo_s.post(
        &format!("/hiring/observations/{obs_id}/acknowledge"),
        &[("note", "  ")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("needs a note"));
    assert_eq!(unacknowledged_red_flags(&mut app.conn(), cand).unwrap(), 1);
    let r = cleo_s.post(
        &format!("/hiring/observations/{obs_id}/acknowledge"),
        &[(
            "note",
            "Asked about it in the interview; he apologised unprompted",
        )],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/hiring/candidates/{cand}"));
    assert_eq!(unacknowledged_red_flags(&mut app.conn(), cand).unwrap(), 0);
    let r = cleo_s.post(
        &format!("/hiring/observations/{obs_id}/acknowledge"),
        &[("note", "again")],
    );
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let (by, note): (Option<i64>, Option<String>) = observations::table
        .find(obs_id)
        .select((observations::acknowledged_by, observations::acknowledgement))
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(by, Some(cleo.id.0));
    assert!(note.unwrap().contains("apologised"));
    let after: Option<String> = audit_log::table
        .filter(audit_log::action.eq("observation.acknowledged"))
        .select(audit_log::after_json)
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(after.unwrap().contains("apologised"));
    let html = panel_html(&app, "rita@acme.test", cand);
    assert!(
        html.contains("Acknowledged by a culture interviewer") && html.contains("Cleo"),
        "{html}"
    );
}

#[test]
fn observation_routes_are_in_the_openapi_document() {
    let doc: Value = serde_json::from_str(&onramp::openapi::DOCUMENT).unwrap();
    for p in [
        "/api/v1/candidates/{id}/observations",
        "/api/v1/candidates/{id}/observation-links",
        "/api/v1/observations/{id}/acknowledge",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing");
    }
}
