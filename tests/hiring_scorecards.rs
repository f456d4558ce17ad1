//! Structured scorecards: blind until submitted, the evidence rule, one per interviewer
//! per interview, final once submitted, amendments that keep the original.

mod common;
use chrono::Duration;
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CandidateId, InterviewId, JobId, UserId};
use onramp::db::schema::{
    audit_log, competencies, core_values, interview_panel, interviews, scorecard_ratings,
    scorecard_versions, scorecards,
};
use onramp::db::DbConn;
use onramp::hiring::candidates::{model as candidates, rules as candidate_rules};
use onramp::web::context::Viewer;
use reqwest::StatusCode;
use serde_json::{json, Value};

struct World {
    job: JobId,
    candidate: CandidateId,
    comps: Vec<i64>,
    values: Vec<i64>,
}

fn world(app: &TestApp) -> World {
    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let now = app.clock.now();
    let job: JobId = diesel::insert_into(onramp::db::schema::jobs::table)
        .values((
            onramp::db::schema::jobs::title.eq("Support engineer"),
            onramp::db::schema::jobs::department.eq("Support"),
            onramp::db::schema::jobs::location.eq("Las Vegas"),
            onramp::db::schema::jobs::description.eq("Keeps customers happy"),
            onramp::db::schema::jobs::status.eq("open"),
            onramp::db::schema::jobs::created_at.eq(now),
            onramp::db::schema::jobs::updated_at.eq(now),
        ))
        .returning(onramp::db::schema::jobs::id)
        .get_result(c)
        .unwrap();
    let mut comps = vec![];
    for (i, (name, good)) in [
        ("Debugging", "Finds the cause, not a symptom"),
        ("Writing", "Clear answers"),
    ]
    .iter()
    .enumerate()
    {
        comps.push(
            diesel::insert_into(competencies::table)
                .values((
                    competencies::job_id.eq(job),
                    competencies::position.eq(i as i64),
                    competencies::name.eq(*name),
                    competencies::good_looks_like.eq(*good),
                ))
                .returning(competencies::id)
                .get_result::<i64>(c)
                .unwrap(),
        );
    }
    // Replace the seeded core values with a known set (nothing references them by key).
    diesel::delete(core_values::table).execute(c).unwrap();
    let mut values = vec![];
    for (i, (name, active)) in [
        ("Be Humble", true),
        ("Deliver WOW Through Service", true),
        ("Retired value", false),
    ]
    .iter()
    .enumerate()
    {
        values.push(
            diesel::insert_into(core_values::table)
                .values((
                    core_values::position.eq(i as i64),
                    core_values::name.eq(*name),
                    core_values::description.eq(format!("What {name} means here")),
                    core_values::sample_questions
                        .eq("Tell us about a time you were wrong.\nWho deserves the credit?"),
                    core_values::active.eq(*active),
                    core_values::created_at.eq(now),
                    core_values::updated_at.eq(now),
                ))
                .returning(core_values::id)
                .get_result::<i64>(c)
                .unwrap(),
        );
    }
    let valid = candidate_rules::validate(&candidate_rules::CandidateInput {
        name: "Casey Candidate".into(),
        email: "casey@example.test".into(),
        source: "referral".into(),
        ..Default::default()
    })
    .unwrap();
    let candidate = candidates::insert(c, job, &valid, now, None, now).unwrap();
    World {
        job,
        candidate,
        comps,
        values,
    }
}

fn interview(app: &TestApp, candidate: CandidateId, track: &str, panel: &[UserId]) -> InterviewId {
    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let now = app.clock.now();
    let id: InterviewId = diesel::insert_into(interviews::table)
        .values((
            interviews::candidate_id.eq(candidate),
            interviews::track.eq(track),
            interviews::starts_at.eq(now - Duration::hours(2)),
            interviews::duration_minutes.eq(60i64),
            interviews::location.eq("Room 1"),
            interviews::video_url.eq(""),
            interviews::status.eq("scheduled"),
            interviews::ical_uid.eq(format!("uid-{}", onramp::auth::password::random_token())),
            interviews::sequence.eq(0i64),
            interviews::created_at.eq(now),
            interviews::updated_at.eq(now),
        ))
        .returning(interviews::id)
        .get_result(c)
        .unwrap();
    for u in panel {
        diesel::insert_into(interview_panel::table)
            .values((
                interview_panel::interview_id.eq(id),
                interview_panel::user_id.eq(*u),
            ))
            .execute(c)
            .unwrap();
    }
    id
}

/// A complete technical scorecard form.
fn technical_form(w: &World, rec: &'static str) -> Vec<(String, String)> {
    vec![
        (format!("rating_{}", w.comps[0]), "5".into()),
        (
            format!("evidence_{}", w.comps[0]),
            "Found the race in ten minutes".into(),
        ),
        (format!("rating_{}", w.comps[1]), "3".into()),
        (format!("evidence_{}", w.comps[1]), String::new()),
        ("recommendation".into(), rec.into()),
        ("summary".into(), format!("Summary: {rec}")),
    ]
}

fn post_form(
    s: &mut Session,
    path: &str,
    fields: &[(String, String)],
) -> reqwest::blocking::Response {
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    s.post(path, &f)
}

fn submit(app: &TestApp, email: &str, w: &World, iv: InterviewId, rec: &'static str) -> i64 {
    let mut s = app.login(email);
    s.page(&format!("/hiring/interviews/{iv}/scorecard"));
    let r = post_form(
        &mut s,
        &format!("/hiring/interviews/{iv}/scorecard"),
        &technical_form(w, rec),
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().unwrap());
    location(&r).rsplit('/').next().unwrap().parse().unwrap()
}

fn viewer(app: &TestApp, email: &str) -> Viewer {
    let u = onramp::auth::model::find_by_email(&mut app.conn(), email)
        .unwrap()
        .unwrap();
    let roles = onramp::auth::model::roles_of(&mut app.conn(), u.id).unwrap();
    Viewer {
        user_id: u.id,
        name: u.name,
        email: u.email,
        roles,
        session_id: None,
        csrf_token: String::new(),
    }
}

/// The scorecards section of the candidate page, as this person would see it.
fn panel_html(app: &TestApp, email: &str, candidate: CandidateId) -> String {
    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let file = onramp::hiring::interviews::file::InterviewFile::load(c, candidate).unwrap();
    let data = onramp::hiring::scorecards::routes::panel(&app.ctx(), &viewer(app, email), &file);
    onramp::web::render::render("hiring/scorecards/panel", data.clone()).unwrap()
}

#[test]
fn blind_until_submitted_on_the_page_the_candidate_panel_and_the_api() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let ann = app.user("ann@acme.test", &[Role::Interviewer]);
    let ben = app.user("ben@acme.test", &[Role::Interviewer]);
    let w = world(&app);
    let iv = interview(&app, w.candidate, "technical", &[ann.id, ben.id]);

    let bens = submit(&app, "ben@acme.test", &w, iv, "strong_no");

    // Ann has not submitted: Ben's scorecard is closed to her everywhere.
    let mut ann_s = app.login("ann@acme.test");
    let (status, _) = ann_s.page(&format!("/hiring/scorecards/{bens}"));
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ann_token = app.api_token("ann@acme.test");
    let (status, body) = api(
        &app,
        &ann_token,
        reqwest::Method::GET,
        &format!("/interviews/{iv}/scorecards"),
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["blind"], true);
    assert_eq!(body["scorecards"].as_array().unwrap().len(), 0, "{body}");
    let (status, _) = api(
        &app,
        &ann_token,
        reqwest::Method::GET,
        &format!("/scorecards/{bens}"),
        None,
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let html = panel_html(&app, "ann@acme.test", w.candidate);
    assert!(
        html.contains("1 scorecard submitted; yours first"),
        "{html}"
    );
    assert!(
        !html.contains("Strong no") && !html.contains("Ben"),
        "{html}"
    );
    assert!(
        html.contains(&format!("/hiring/interviews/{iv}/scorecard")),
        "her own button: {html}"
    );

    // The recruiter sees everything at once.
    let mut rita = app.login("rita@acme.test");
    let (status, body) = rita.page(&format!("/hiring/scorecards/{bens}"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Strong no") && body.contains("Found the race"),
        "{body}"
    );
    let html = panel_html(&app, "rita@acme.test", w.candidate);
    assert!(html.contains("Strong no") && html.contains("Ben"), "{html}");
    let rita_token = app.api_token("rita@acme.test");
    let (_, body) = api(
        &app,
        &rita_token,
        reqwest::Method::GET,
        &format!("/interviews/{iv}/scorecards"),
        None,
    );
    assert_eq!(body["blind"], false);
    assert_eq!(body["scorecards"][0]["recommendation"], "strong_no");

    // Once Ann's own is in, she sees Ben's.
    let anns = submit(&app, "ann@acme.test", &w, iv, "yes");
    let (status, body) = ann_s.page(&format!("/hiring/scorecards/{bens}"));
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Strong no"));
    let (_, body) = api(
        &app,
        &ann_token,
        reqwest::Method::GET,
        &format!("/interviews/{iv}/scorecards"),
        None,
    );
    assert_eq!(body["blind"], false);
    assert_eq!(body["scorecards"].as_array().unwrap().len(), 2);
    let html = panel_html(&app, "ann@acme.test", w.candidate);
    assert!(
        html.contains("Strong no") && html.contains(&format!("/hiring/scorecards/{anns}")),
        "{html}"
    );
    assert!(!html.contains("yours first"));
}

#[test]
fn the_evidence_rule_refuses_next_to_the_row_keeps_the_input_and_allows_na() {
    let app = TestApp::spawn();
    let ann = app.user("ann@acme.test", &[Role::Interviewer]);
    let w = world(&app);
    let iv = interview(&app, w.candidate, "technical", &[ann.id]);
    let mut s = app.login("ann@acme.test");
    let (status, form) = s.page(&format!("/hiring/interviews/{iv}/scorecard"));
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Debugging") && form.contains("Finds the cause, not a symptom"));
    assert!(!form.contains("Neutral"), "no neutral recommendation");

    let (c0, c1) = (w.comps[0], w.comps[1]);
    let fields = vec![
        (format!("rating_{c0}"), "5".to_string()),
        (format!("evidence_{c0}"), "  ".to_string()),
        (format!("rating_{c1}"), "na".to_string()),
        (format!("evidence_{c1}"), String::new()),
        ("recommendation".to_string(), "yes".to_string()),
        ("summary".to_string(), "My typed summary".to_string()),
    ];
    let r = post_form(
        &mut s,
        &format!("/hiring/interviews/{iv}/scorecard"),
        &fields,
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(
        body.contains(&format!("id=\"evidence_{c0}-error\"")),
        "message next to the row"
    );
    assert!(body.contains("needs an evidence note"));
    assert!(body.contains("My typed summary"));
    assert!(
        body.contains(&format!("name=\"rating_{c0}\" value=\"5\" checked")),
        "{body}"
    );
    assert!(body.contains(&format!("name=\"rating_{c1}\" value=\"na\" checked")));
    assert!(body.contains("name=\"recommendation\" value=\"yes\" checked"));
    assert!(
        !body.contains(&format!("evidence_{c1}-error")),
        "N/A needs no evidence"
    );
    let stored: i64 = scorecards::table
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(stored, 0, "nothing half-written");

    // A missing rating and a missing recommendation are refused too.
    let r = post_form(
        &mut s,
        &format!("/hiring/interviews/{iv}/scorecard"),
        &fields[2..5],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("Rate Debugging from 1 to 5"));

    let mut fixed = fields.clone();
    fixed[1].1 = "Fixed the flaky test live".into();
    let r = post_form(
        &mut s,
        &format!("/hiring/interviews/{iv}/scorecard"),
        &fixed,
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let ratings: Vec<(String, Option<i64>, String)> = scorecard_ratings::table
        .order(scorecard_ratings::id)
        .select((
            scorecard_ratings::attribute_name,
            scorecard_ratings::rating,
            scorecard_ratings::evidence,
        ))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(
        ratings,
        vec![
            (
                "Debugging".into(),
                Some(5),
                "Fixed the flaky test live".into()
            ),
            ("Writing".into(), None, String::new()),
        ]
    );
    assert!(app
        .audit_actions()
        .contains(&"scorecard.submitted".to_string()));
}

#[test]
fn culture_scorecards_rate_the_active_core_values_with_their_help() {
    let app = TestApp::spawn();
    let cleo = app.user("cleo@acme.test", &[Role::Interviewer]);
    let w = world(&app);
    let iv = interview(&app, w.candidate, "culture", &[cleo.id]);
    let mut s = app.login("cleo@acme.test");
    let (_, form) = s.page(&format!("/hiring/interviews/{iv}/scorecard"));
    assert!(form.contains("Be Humble") && form.contains("What Be Humble means here"));
    assert!(form.contains("Tell us about a time you were wrong."));
    assert!(
        !form.contains("Retired value"),
        "inactive values are not rated"
    );

    let token = app.api_token("cleo@acme.test");
    let (status, body) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/interviews/{iv}/scorecards"),
        Some(
            json!({"recommendation": "no", "summary": "Talked over everyone",
            "ratings": [{"attribute_id": w.values[0], "rating": 1}, {"attribute_id": w.values[1], "rating": null}]}),
        ),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"][format!("evidence_{}", w.values[0])].is_string(),
        "{body}"
    );
    let (status, body) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/interviews/{iv}/scorecards"),
        Some(
            json!({"recommendation": "no", "summary": "Talked over everyone",
            "ratings": [{"attribute_id": w.values[0], "rating": 1, "evidence": "Blamed the team"}, {"attribute_id": w.values[1], "rating": null}]}),
        ),
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["track"], "culture");
    assert_eq!(
        body["versions"][0]["ratings"][0]["attribute_name"],
        "Be Humble"
    );
    assert_eq!(body["versions"][0]["ratings"][1]["rating"], Value::Null);
    let _ = w.job;
}

#[test]
fn only_panel_members_submit_and_only_once_even_concurrently() {
    let app = TestApp::spawn();
    let ann = app.user("ann@acme.test", &[Role::Interviewer]);
    let dan = app.user("dan@acme.test", &[Role::Interviewer]);
    app.user("eve@acme.test", &[Role::Interviewer]);
    let w = world(&app);
    let iv = interview(&app, w.candidate, "technical", &[ann.id, dan.id]);

    // Not on the panel.
    let mut eve = app.login("eve@acme.test");
    let (status, _) = eve.page(&format!("/hiring/interviews/{iv}/scorecard"));
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = post_form(
        &mut eve,
        &format!("/hiring/interviews/{iv}/scorecard"),
        &technical_form(&w, "yes"),
    );
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Once in, it is final: the form answers 409 with a link to it.
    let id = submit(&app, "ann@acme.test", &w, iv, "yes");
    let mut ann_s = app.login("ann@acme.test");
    let (status, body) = ann_s.page(&format!("/hiring/interviews/{iv}/scorecard"));
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body.contains(&format!("href=\"/hiring/scorecards/{id}\"")),
        "{body}"
    );
    let r = post_form(
        &mut ann_s,
        &format!("/hiring/interviews/{iv}/scorecard"),
        &technical_form(&w, "no"),
    );
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Two submits at the same moment: exactly one wins.
    let token = app.api_token("dan@acme.test");
    let body = json!({"recommendation": "yes", "summary": "Good",
        "ratings": [{"attribute_id": w.comps[0], "rating": 3}, {"attribute_id": w.comps[1], "rating": 4}]});
    let statuses: Vec<StatusCode> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (app, token, body) = (&app, &token, body.clone());
                scope.spawn(move || {
                    api(
                        app,
                        token,
                        reqwest::Method::POST,
                        &format!("/interviews/{iv}/scorecards"),
                        Some(body),
                    )
                    .0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![StatusCode::CREATED, StatusCode::CONFLICT],
        "{statuses:?}"
    );
    let dans: i64 = scorecards::table
        .filter(scorecards::interviewer_id.eq(dan.id))
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(dans, 1);

    // A cancelled interview takes no scorecards.
    let iv2 = interview(&app, w.candidate, "technical", &[ann.id]);
    diesel::update(interviews::table.find(iv2))
        .set(interviews::status.eq("cancelled"))
        .execute(&mut app.conn() as &mut DbConn)
        .unwrap();
    let (status, body) = ann_s.page(&format!("/hiring/interviews/{iv2}/scorecard"));
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("cancelled"));
}

#[test]
fn an_amendment_keeps_the_original_is_audited_and_only_the_author_may_amend() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let ann = app.user("ann@acme.test", &[Role::Interviewer]);
    let ben = app.user("ben@acme.test", &[Role::Interviewer]);
    let w = world(&app);
    let iv = interview(&app, w.candidate, "technical", &[ann.id, ben.id]);
    let id = submit(&app, "ann@acme.test", &w, iv, "yes");
    submit(&app, "ben@acme.test", &w, iv, "no");

    // Others may read it (Ben is unblinded) but not amend it.
    for email in ["ben@acme.test", "rita@acme.test"] {
        let mut s = app.login(email);
        let (status, _) = s.page(&format!("/hiring/scorecards/{id}/amend"));
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
        let mut f = technical_form(&w, "strong_no");
        f.push(("reason".into(), "sabotage".into()));
        let r = post_form(&mut s, &format!("/hiring/scorecards/{id}/amend"), &f);
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email}");
    }

    let mut s = app.login("ann@acme.test");
    let (status, form) = s.page(&format!("/hiring/scorecards/{id}/amend"));
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Found the race in ten minutes"), "prefilled");
    assert!(form.contains("name=\"recommendation\" value=\"yes\" checked"));
    // A reason is required; what was typed is kept.
    let r = post_form(
        &mut s,
        &format!("/hiring/scorecards/{id}/amend"),
        &technical_form(&w, "strong_no"),
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("Say why you are amending"));
    assert!(body.contains("name=\"recommendation\" value=\"strong_no\" checked"));

    let mut f = technical_form(&w, "strong_no");
    f.push((
        "reason".into(),
        "Checked the exercise again: it was copied".into(),
    ));
    let r = post_form(&mut s, &format!("/hiring/scorecards/{id}/amend"), &f);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.follow(r);
    assert!(
        page.contains("Version 2 (current)")
            && page.contains("Version 1")
            && page.contains("original")
    );
    assert!(page.contains("Checked the exercise again"));
    assert!(
        page.contains("Summary: yes") && page.contains("Summary: strong_no"),
        "both versions readable"
    );

    let mut pooled = app.conn();
    let c: &mut DbConn = &mut pooled;
    let (rec, version, amended): (String, i64, Option<chrono::NaiveDateTime>) = scorecards::table
        .find(id)
        .select((
            scorecards::recommendation,
            scorecards::version,
            scorecards::amended_at,
        ))
        .first(c)
        .unwrap();
    assert_eq!((rec.as_str(), version), ("strong_no", 2));
    assert!(amended.is_some());
    let versions: Vec<(i64, String)> = scorecard_versions::table
        .filter(scorecard_versions::scorecard_id.eq(id))
        .order(scorecard_versions::version)
        .select((
            scorecard_versions::version,
            scorecard_versions::recommendation,
        ))
        .load(c)
        .unwrap();
    assert_eq!(versions, vec![(1, "yes".into()), (2, "strong_no".into())]);
    let (before, after): (Option<String>, Option<String>) = audit_log::table
        .filter(audit_log::action.eq("scorecard.amended"))
        .select((audit_log::before_json, audit_log::after_json))
        .first(c)
        .unwrap();
    assert!(before.unwrap().contains("\"recommendation\":\"yes\""));
    assert!(after.unwrap().contains("it was copied"));

    // The API amends too, and refuses anyone else.
    let ben_token = app.api_token("ben@acme.test");
    let body = json!({"recommendation": "no", "summary": "x", "reason": "y",
        "ratings": [{"attribute_id": w.comps[0], "rating": 3}, {"attribute_id": w.comps[1], "rating": 3}]});
    let (status, _) = api(
        &app,
        &ben_token,
        reqwest::Method::POST,
        &format!("/scorecards/{id}/amend"),
        Some(body.clone()),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ann_token = app.api_token("ann@acme.test");
    let (status, out) = api(
        &app,
        &ann_token,
        reqwest::Method::POST,
        &format!("/scorecards/{id}/amend"),
        Some(body),
    );
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["version"], 3);
    assert_eq!(out["versions"].as_array().unwrap().len(), 3);
    assert_eq!(out["versions"][0]["recommendation"], "yes");
}

#[test]
fn scorecard_routes_are_in_the_openapi_document() {
    let doc: Value = serde_json::from_str(&onramp::openapi::DOCUMENT).unwrap();
    for p in [
        "/api/v1/interviews/{id}/scorecards",
        "/api/v1/scorecards/{id}",
        "/api/v1/scorecards/{id}/amend",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing");
    }
}
