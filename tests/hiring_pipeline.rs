//! Core values, jobs, candidates, the list, the board, stage moves and their API.

mod common;
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::DbConn;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn audit_count(app: &TestApp, what: &str) -> usize {
    app.audit_actions().iter().filter(|a| *a == what).count()
}

/// A job made through the form; returns its id.
fn make_job(s: &mut Session, title: &str) -> i64 {
    s.page("/hiring/jobs/new");
    let r = s.post(
        "/hiring/jobs/new",
        &[
            ("title", title),
            ("department", "Customer Loyalty"),
            ("location", "Las Vegas"),
            ("description", "Answer calls."),
            ("hiring_manager_id", ""),
            ("status", "open"),
            ("comp_id", ""),
            ("comp_position", "1"),
            ("comp_name", "Empathy"),
            ("comp_good", "Listens before answering"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "job created");
    location(&r).rsplit('/').next().unwrap().parse().unwrap()
}

/// A candidate made through the form; returns its id.
fn make_candidate(s: &mut Session, job: i64, name: &str, email: &str, source: &str) -> i64 {
    s.page("/hiring/candidates/new");
    let job = job.to_string();
    let r = s.post(
        "/hiring/candidates/new",
        &[
            ("name", name),
            ("email", email),
            ("phone", ""),
            ("job_id", &job),
            ("source", source),
            ("resume_url", ""),
            ("resume_text", "Ten years of service."),
            ("notes", "Secret recruiter note"),
        ],
    );
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "candidate {email} created"
    );
    location(&r).rsplit('/').next().unwrap().parse().unwrap()
}

#[test]
fn core_values_are_seeded_edited_by_admins_only_and_audited() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    app.user("rita@acme.test", &[Role::Recruiter]);
    let active = onramp::hiring::values::model::active(&mut app.conn()).unwrap();
    assert_eq!(active.len(), 10);
    assert_eq!(active[0].name, "Deliver WOW Through Service");
    assert_eq!(active[9].name, "Be Humble");
    assert!(active
        .iter()
        .all(|v| (2..=3).contains(&v.questions().len())));

    let mut r = app.login("rita@acme.test");
    assert_eq!(r.page("/hiring/values").0, StatusCode::FORBIDDEN);

    let mut s = app.login("boss@acme.test");
    let (status, body) = s.page("/hiring/values");
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Do More With Less"));
    let id = active[9].id;
    s.page(&format!("/hiring/values/{id}/edit"));
    // Bad input: messages next to fields, typed text kept, nothing stored.
    let resp = s.post(
        &format!("/hiring/values/{id}/edit"),
        &[
            ("name", "Be Humble"),
            ("description", ""),
            ("sample_questions", "Q?"),
            ("position", "x"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().unwrap();
    assert!(body.contains("Describe in a sentence or two"));
    assert!(body.contains("whole number from 1 to 1000"));
    assert!(body.contains("value=\"x\""));
    // A name another value has is refused.
    let resp = s.post(
        &format!("/hiring/values/{id}/edit"),
        &[
            ("name", "be passionate and determined"),
            ("description", "d"),
            ("position", "10"),
            ("active", "on"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp
        .text()
        .unwrap()
        .contains("Another value already has this name"));
    // Deactivate and rename: audited, and the culture scorecard list drops it.
    let resp = s.post(
        &format!("/hiring/values/{id}/edit"),
        &[
            ("name", "Stay Humble"),
            ("description", "Modest."),
            ("sample_questions", "One?\nTwo?"),
            ("position", "10"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_count(&app, "core_value.updated"), 1);
    let active = onramp::hiring::values::model::active(&mut app.conn()).unwrap();
    assert_eq!(active.len(), 9);
    s.page("/hiring/values/new");
    let resp = s.post(
        "/hiring/values/new",
        &[
            ("name", "Own It"),
            ("description", "Take responsibility."),
            ("sample_questions", "When?"),
            ("position", "11"),
            ("active", "on"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_count(&app, "core_value.created"), 1);
    assert_eq!(
        onramp::hiring::values::model::active(&mut app.conn())
            .unwrap()
            .last()
            .unwrap()
            .name,
        "Own It"
    );
}

#[test]
fn jobs_are_created_and_edited_with_competencies_and_errors_keep_input() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mgr = app.user("mona@acme.test", &[Role::Interviewer]);
    app.user("hilda@acme.test", &[Role::Hr]);
    let mut s = app.login("rita@acme.test");
    s.page("/hiring/jobs/new");
    // An open job without competencies, and a half-filled row.
    let resp = s.post(
        "/hiring/jobs/new",
        &[
            ("title", "Agent"),
            ("department", ""),
            ("location", "Vegas"),
            ("status", "open"),
            ("comp_id", ""),
            ("comp_position", "1"),
            ("comp_name", "Typing"),
            ("comp_good", ""),
        ],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().unwrap();
    assert!(body.contains("Name the department."));
    assert!(body.contains("Give both the competency"));
    assert!(body.contains("value=\"Typing\""), "typed row kept");
    assert!(body.contains("value=\"Agent\""));
    let resp = s.post(
        "/hiring/jobs/new",
        &[
            ("title", "Agent"),
            ("department", "Loyalty"),
            ("location", "Vegas"),
            ("status", "open"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp
        .text()
        .unwrap()
        .contains("An open job needs at least one competency"));
    let mgr_id = mgr.id.to_string();
    let resp = s.post(
        "/hiring/jobs/new",
        &[
            ("title", "Agent"),
            ("department", "Loyalty"),
            ("location", "Vegas"),
            ("status", "open"),
            ("hiring_manager_id", &mgr_id),
            ("comp_id", ""),
            ("comp_position", "2"),
            ("comp_name", "Typing"),
            ("comp_good", "Fast and accurate"),
            ("comp_id", ""),
            ("comp_position", "1"),
            ("comp_name", "Empathy"),
            ("comp_good", "Listens"),
            ("comp_id", ""),
            ("comp_position", "3"),
            ("comp_name", ""),
            ("comp_good", ""),
        ],
    );
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let job: i64 = location(&resp).rsplit('/').next().unwrap().parse().unwrap();
    let comps =
        onramp::hiring::jobs::model::competencies(&mut app.conn(), onramp::db::ids::JobId(job))
            .unwrap();
    let names: Vec<&str> = comps.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Empathy", "Typing"]);
    // Edit: reorder, rename one, drop the other, add one. The kept one keeps its id.
    let (empathy, typing) = (comps[0].id.to_string(), comps[1].id.to_string());
    let (_, form) = s.page(&format!("/hiring/jobs/{job}/edit"));
    assert!(form.contains("Fast and accurate"));
    let resp = s.post(
        &format!("/hiring/jobs/{job}/edit"),
        &[
            ("title", "Senior agent"),
            ("department", "Loyalty"),
            ("location", "Vegas"),
            ("status", "on_hold"),
            ("hiring_manager_id", &mgr_id),
            ("comp_id", &empathy),
            ("comp_position", "2"),
            ("comp_name", "Empathy"),
            ("comp_good", "Listens first"),
            ("comp_id", &typing),
            ("comp_position", "1"),
            ("comp_name", ""),
            ("comp_good", ""),
            ("comp_id", ""),
            ("comp_position", "1"),
            ("comp_name", "Tools"),
            ("comp_good", "Knows the CRM"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let comps =
        onramp::hiring::jobs::model::competencies(&mut app.conn(), onramp::db::ids::JobId(job))
            .unwrap();
    let got: Vec<(&str, i64)> = comps
        .iter()
        .map(|c| (c.name.as_str(), c.position))
        .collect();
    assert_eq!(got, [("Tools", 1), ("Empathy", 2)]);
    assert_eq!(comps[1].id.to_string(), empathy);
    assert_eq!(audit_count(&app, "job.created"), 1);
    assert_eq!(audit_count(&app, "job.updated"), 1);
    use onramp::db::schema::audit_log;
    let (before, after): (Option<String>, Option<String>) = audit_log::table
        .filter(audit_log::action.eq("job.updated"))
        .select((audit_log::before_json, audit_log::after_json))
        .first(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert!(before.unwrap().contains("\"title\":\"Agent\""));
    assert!(after.unwrap().contains("Knows the CRM"));
    // The list shows it with its status and count; HR sees, cannot edit.
    let (_, list) = s.page("/hiring/jobs?status=on_hold");
    assert!(list.contains("Senior agent"));
    let (_, list) = s.page("/hiring/jobs?status=open");
    assert!(!list.contains("Senior agent"));
    let mut h = app.login("hilda@acme.test");
    assert_eq!(h.page("/hiring/jobs").0, StatusCode::OK);
    assert_eq!(
        h.page(&format!("/hiring/jobs/{job}/edit")).0,
        StatusCode::FORBIDDEN
    );
}

#[test]
fn candidates_are_unique_by_email_edits_are_audited_and_moves_keep_history() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let job = make_job(&mut s, "Agent");
    let ann = make_candidate(&mut s, job, "Ann Archer", "Ann@Example.com", "referral");
    assert_eq!(audit_count(&app, "candidate.created"), 1);
    // The same email in another case is refused next to the field, with a link.
    s.page("/hiring/candidates/new");
    let job_s = job.to_string();
    let resp = s.post(
        "/hiring/candidates/new",
        &[
            ("name", "Other Ann"),
            ("email", "ANN@example.COM"),
            ("job_id", &job_s),
            ("source", "agency"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().unwrap();
    assert!(body.contains("A candidate with this email already exists"));
    assert!(body.contains(&format!("href=\"/hiring/candidates/{ann}\"")));
    assert!(body.contains("value=\"Other Ann\""));
    assert_eq!(audit_count(&app, "candidate.created"), 1);
    // Edit: audited with before and after.
    s.page(&format!("/hiring/candidates/{ann}/edit"));
    let resp = s.post(
        &format!("/hiring/candidates/{ann}/edit"),
        &[
            ("name", "Ann Archer-Bell"),
            ("email", "ann@example.com"),
            ("job_id", &job_s),
            ("source", "referral"),
            ("phone", "+1 702 555 0100"),
            ("resume_text", "Ten years of service."),
            ("notes", "Secret recruiter note"),
        ],
    );
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_count(&app, "candidate.updated"), 1);
    // Stage move with a note, then history shows both stages with time spent.
    app.clock.advance(chrono::Duration::days(3));
    let mut s = app.login("rita@acme.test");
    s.page(&format!("/hiring/candidates/{ann}"));
    let resp = s.post(
        &format!("/hiring/candidates/{ann}/stage"),
        &[("stage", "screening"), ("note", "Strong phone screen")],
    );
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_count(&app, "candidate.stage_moved"), 1);
    let (status, page) = s.page(&format!("/hiring/candidates/{ann}"));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ann Archer-Bell"));
    assert!(page.contains("Strong phone screen"));
    assert!(page.contains("3 days"), "time in applied");
    assert!(page.contains("Secret recruiter note"));
    // Final stages are not set by a move.
    let resp = s.post(
        &format!("/hiring/candidates/{ann}/stage"),
        &[("stage", "hired"), ("note", "")],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().unwrap().contains("set by the decision"));
    // A rejected candidate does not move at all.
    {
        let conn = &mut app.conn() as &mut DbConn;
        let c = onramp::hiring::candidates::model::find(conn, onramp::db::ids::CandidateId(ann))
            .unwrap();
        onramp::hiring::candidates::model::move_stage(
            conn,
            &c,
            onramp::hiring::rules::Stage::Rejected,
            Some("other"),
            "",
            None,
            app.clock.now(),
        )
        .unwrap();
    }
    let resp = s.post(
        &format!("/hiring/candidates/{ann}/stage"),
        &[("stage", "screening"), ("note", "")],
    );
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp
        .text()
        .unwrap()
        .contains("no longer moves through the pipeline"));
    assert_eq!(audit_count(&app, "candidate.stage_moved"), 1);
}

#[test]
fn the_list_searches_filters_sorts_and_pages_without_gaps_and_the_board_counts() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let job_a = make_job(&mut s, "Agent");
    let job_b = make_job(&mut s, "Buyer");
    let start = app.clock.now().date();
    let mut all = vec![];
    let names = [
        "Zed Young",
        "ann lee",
        "Anna Bell",
        "Bob Stone",
        "Annie Hall",
        "Carl Ray",
        "Dina Fox",
    ];
    for (i, name) in names.iter().enumerate() {
        let job = if i % 2 == 0 { job_a } else { job_b };
        let source = if i < 3 { "referral" } else { "agency" };
        let email = format!(
            "{}@mail{}.test",
            name.split(' ').next().unwrap().to_lowercase(),
            i
        );
        all.push(make_candidate(&mut s, job, name, &email, source));
        // A day passes between applications; the idle session ends, so sign in again.
        app.clock.advance(chrono::Duration::days(1));
        s = app.login("rita@acme.test");
    }
    // Name prefix, case-insensitive; email prefix.
    let (_, body) = s.page("/hiring/candidates?q=ANN&sort=name");
    assert_eq!(ids_in(&body), [all[1], all[2], all[4]]);
    assert!(body.contains("value=\"ANN\""), "search kept in the form");
    let (_, body) = s.page("/hiring/candidates?q=Bob@");
    assert_eq!(ids_in(&body), [all[3]]);
    // Filters.
    let (_, body) = s.page(&format!("/hiring/candidates?job={job_b}"));
    assert_eq!(ids_in(&body), [all[5], all[3], all[1]]);
    let (_, body) = s.page("/hiring/candidates?source=referral&sort=oldest");
    assert_eq!(ids_in(&body), [all[0], all[1], all[2]]);
    let from = (start + chrono::Duration::days(2)).to_string();
    let to = (start + chrono::Duration::days(3)).to_string();
    let (_, body) = s.page(&format!(
        "/hiring/candidates?applied_from={from}&applied_to={to}&sort=oldest"
    ));
    assert_eq!(ids_in(&body), [all[2], all[3]]);
    s.page(&format!("/hiring/candidates/{}", all[6]));
    s.post(
        &format!("/hiring/candidates/{}/stage", all[6]),
        &[("stage", "technical_interview"), ("note", "")],
    );
    let (_, body) = s.page("/hiring/candidates?stage=technical_interview");
    assert_eq!(ids_in(&body), [all[6]]);
    let (status, body) = s.page("/hiring/candidates?stage=nowhere&applied_from=soon");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Write the date as YYYY-MM-DD"));
    // Pagination over the API, in every sort: no repeats, no gaps.
    app.user("boss@acme.test", &[Role::Admin]);
    let token = app.api_token("boss@acme.test");
    for (sort, expected) in [
        ("newest", all.iter().rev().copied().collect::<Vec<_>>()),
        ("oldest", all.clone()),
        (
            "name",
            vec![all[1], all[2], all[4], all[3], all[5], all[6], all[0]],
        ),
    ] {
        let seen = listed(&app, &token, &format!("sort={sort}&limit=2"));
        assert_eq!(seen, expected, "sort {sort}");
    }
    // The page's next link keeps the filters.
    let (_, body) = s.page(&format!(
        "/hiring/candidates?job={job_a}&limit=2&sort=oldest"
    ));
    assert_eq!(ids_in(&body), [all[0], all[2]]);
    let next = unescape(
        body.split("rel=\"next\"")
            .next()
            .unwrap()
            .rsplit("href=\"")
            .next()
            .unwrap()
            .trim_end_matches("\" "),
    );
    assert!(
        next.contains(&format!("job={job_a}")) && next.contains("sort=oldest"),
        "{next}"
    );
    // The board: a column per stage with counts.
    let (status, board) = s.page(&format!("/hiring/jobs/{job_a}"));
    assert_eq!(status, StatusCode::OK);
    let board = unescape(&board);
    assert!(board.contains(&format!("href=\"/hiring/candidates?job={job_a}&stage=applied\">Applied</a> <span class=\"count\">3</span>")), "{board}");
    assert!(board.contains("Technical interview</a> <span class=\"count\">1</span>"));
    assert!(board.contains("Hired</a> <span class=\"count\">0</span>"));
    // A card: the candidate's name, linked, and how long they have been in the stage.
    let column = board
        .split("id=\"col-technical_interview\"")
        .nth(1)
        .and_then(|c| c.split("</section>").next())
        .expect("the technical interview column");
    assert!(
        column.contains(&format!(
            "<a href=\"/hiring/candidates/{}\">Dina Fox</a>",
            all[6]
        )),
        "{column}"
    );
    assert!(column.contains("in stage") && !column.contains("flagged"));
}

#[test]
fn interviewers_see_only_their_candidates_without_notes_and_new_hires_nothing() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let ivan = app.user("ivan@acme.test", &[Role::Interviewer]);
    app.user("nina@acme.test", &[Role::NewHire]);
    let mut s = app.login("rita@acme.test");
    let job = make_job(&mut s, "Agent");
    let mine = make_candidate(&mut s, job, "Mine", "mine@x.test", "referral");
    let other = make_candidate(&mut s, job, "Other", "other@x.test", "referral");
    {
        use onramp::db::schema::{interview_panel, interviews};
        let conn = &mut app.conn() as &mut DbConn;
        let now = app.clock.now();
        let iid: i64 = diesel::insert_into(interviews::table)
            .values((
                interviews::candidate_id.eq(mine),
                interviews::track.eq("technical"),
                interviews::starts_at.eq(now),
                interviews::duration_minutes.eq(60i64),
                interviews::location.eq("Room 1"),
                interviews::video_url.eq(""),
                interviews::status.eq("scheduled"),
                interviews::ical_uid.eq("uid-1"),
                interviews::sequence.eq(0i64),
                interviews::created_at.eq(now),
                interviews::updated_at.eq(now),
            ))
            .returning(interviews::id)
            .get_result(conn)
            .unwrap();
        diesel::insert_into(interview_panel::table)
            .values((
                interview_panel::interview_id.eq(iid),
                interview_panel::user_id.eq(ivan.id),
            ))
            .execute(conn)
            .unwrap();
    }
    let mut i = app.login("ivan@acme.test");
    assert_eq!(i.page("/hiring/candidates").0, StatusCode::FORBIDDEN);
    assert_eq!(
        i.page(&format!("/hiring/candidates/{other}")).0,
        StatusCode::FORBIDDEN
    );
    let (status, page) = i.page(&format!("/hiring/candidates/{mine}"));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ten years of service."));
    assert!(
        !page.contains("Secret recruiter note"),
        "notes are for recruiters"
    );
    assert!(!page.contains("/stage\""), "no stage-move form");
    let resp = i.post(
        &format!("/hiring/candidates/{mine}/stage"),
        &[("stage", "screening")],
    );
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let token = app.api_token("ivan@acme.test");
    let (status, body) = api(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/candidates/{mine}"),
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["notes"], Value::Null);
    assert_eq!(
        api(
            &app,
            &token,
            reqwest::Method::GET,
            &format!("/candidates/{other}"),
            None
        )
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api(&app, &token, reqwest::Method::GET, "/candidates", None).0,
        StatusCode::FORBIDDEN
    );
    let mut n = app.login("nina@acme.test");
    assert_eq!(
        n.page(&format!("/hiring/candidates/{mine}")).0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(n.page("/hiring/candidates").0, StatusCode::FORBIDDEN);
    assert_eq!(n.page("/hiring/jobs").0, StatusCode::FORBIDDEN);
}

#[test]
fn a_new_hire_gets_403_on_the_candidate_list_the_jobs_and_the_candidates_api() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    app.user("nina@acme.test", &[Role::NewHire]);
    let mut s = app.login("rita@acme.test");
    let job = make_job(&mut s, "Agent");
    make_candidate(&mut s, job, "Someone", "someone@x.test", "referral");
    // The recruiter reaches all three, so the 403s below are the role, not a broken path.
    assert_eq!(s.page("/hiring/candidates").0, StatusCode::OK);
    assert_eq!(s.page("/hiring/jobs").0, StatusCode::OK);
    let rita = app.api_token("rita@acme.test");
    assert_eq!(
        api(&app, &rita, reqwest::Method::GET, "/candidates", None).0,
        StatusCode::OK
    );

    let mut n = app.login("nina@acme.test");
    assert_eq!(n.page("/hiring/candidates").0, StatusCode::FORBIDDEN);
    assert_eq!(n.page("/hiring/jobs").0, StatusCode::FORBIDDEN);
    let nina = app.api_token("nina@acme.test");
    let (status, body) = api(&app, &nina, reqwest::Method::GET, "/candidates", None);
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.get("items").is_none() && !body.to_string().contains("someone@x.test"),
        "a refused call shows no candidates: {body}"
    );
}

#[test]
fn the_api_creates_lists_refuses_duplicates_and_moves_stages() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    app.user("hilda@acme.test", &[Role::Hr]);
    let token = app.api_token("rita@acme.test");
    let hr = app.api_token("hilda@acme.test");
    let (status, body) = api(
        &app,
        &token,
        reqwest::Method::POST,
        "/jobs",
        Some(
            json!({"title": "Agent", "department": "Loyalty", "location": "Vegas", "status": "open", "competencies": []}),
        ),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["competencies"].is_string());
    let (status, job) = api(
        &app,
        &token,
        reqwest::Method::POST,
        "/jobs",
        Some(
            json!({"title": "Agent", "department": "Loyalty", "location": "Vegas", "status": "open", "competencies": [{"name": "Empathy", "good_looks_like": "Listens", "position": 1}]}),
        ),
    );
    assert_eq!(status, StatusCode::CREATED, "{job}");
    assert_eq!(job["competencies"][0]["name"], "Empathy");
    let job_id = job["id"].as_i64().unwrap();
    let comp_id = job["competencies"][0]["id"].as_i64().unwrap();
    let (status, job) = api(
        &app,
        &token,
        reqwest::Method::PUT,
        &format!("/jobs/{job_id}"),
        Some(
            json!({"title": "Agent II", "department": "Loyalty", "location": "Vegas", "status": "open", "competencies": [{"id": comp_id, "name": "Empathy", "good_looks_like": "Listens well"}]}),
        ),
    );
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["competencies"][0]["id"].as_i64(), Some(comp_id));
    assert_eq!(
        api(&app, &hr, reqwest::Method::POST, "/jobs", Some(json!({}))).0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api(&app, &hr, reqwest::Method::GET, "/jobs", None).1["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    for (name, email) in [
        ("Ann", "ann@x.test"),
        ("Bob", "bob@x.test"),
        ("Cy", "cy@x.test"),
    ] {
        let (status, c) = api(
            &app,
            &token,
            reqwest::Method::POST,
            "/candidates",
            Some(json!({"job_id": job_id, "name": name, "email": email, "source": "referral"})),
        );
        assert_eq!(status, StatusCode::CREATED, "{c}");
        assert_eq!(c["stage"], "applied");
    }
    let (status, dup) = api(
        &app,
        &token,
        reqwest::Method::POST,
        "/candidates",
        Some(json!({"job_id": job_id, "name": "Ann 2", "email": "ANN@X.test"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup["errors"]["email"]
        .as_str()
        .unwrap()
        .contains("already exists"));
    let (status, bad) = api(
        &app,
        &token,
        reqwest::Method::POST,
        "/candidates",
        Some(json!({"name": "", "email": "x"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["errors"]["job_id"].is_string() && bad["errors"]["name"].is_string());

    let (status, page) = api(
        &app,
        &hr,
        reqwest::Method::GET,
        "/candidates?q=b&limit=1",
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["items"][0]["name"], "Bob");
    assert!(page["next_cursor"].is_null());
    let (_, page) = api(
        &app,
        &hr,
        reqwest::Method::GET,
        "/candidates?limit=2&sort=name",
        None,
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let next = page["next_cursor"].as_str().unwrap();
    let (_, page2) = api(
        &app,
        &hr,
        reqwest::Method::GET,
        &format!("/candidates?limit=2&sort=name&cursor={next}"),
        None,
    );
    assert_eq!(page2["items"][0]["name"], "Cy");
    let (status, _) = api(
        &app,
        &hr,
        reqwest::Method::GET,
        &format!("/candidates?sort=newest&cursor={next}"),
        None,
    );
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a cursor of another sort"
    );

    let cid = page["items"][0]["id"].as_i64().unwrap();
    let (status, moved) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/candidates/{cid}/stage"),
        Some(json!({"stage": "screening", "note": "ok"})),
    );
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["history"].as_array().unwrap().len(), 2);
    let (status, refused) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/candidates/{cid}/stage"),
        Some(json!({"stage": "withdrawn"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused["errors"]["stage"].is_string());
    let (status, put) = api(
        &app,
        &token,
        reqwest::Method::PUT,
        &format!("/candidates/{cid}"),
        Some(json!({"job_id": job_id, "name": "Ann A", "email": "bob@x.test"})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{put}");
    let (_, filtered) = api(
        &app,
        &hr,
        reqwest::Method::GET,
        "/candidates?stage=screening",
        None,
    );
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        api(
            &app,
            &hr,
            reqwest::Method::POST,
            &format!("/candidates/{cid}/stage"),
            Some(json!({"stage": "decision"}))
        )
        .0,
        StatusCode::FORBIDDEN
    );
}

/// Every job's stage counts as a GROUP BY over the candidates computes them.
fn counted(app: &TestApp) -> Vec<(i64, String, i64)> {
    use onramp::db::schema::candidates;
    candidates::table
        .group_by((candidates::job_id, candidates::stage))
        .select((
            candidates::job_id,
            candidates::stage,
            diesel::dsl::count_star(),
        ))
        .order((candidates::job_id, candidates::stage))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap()
}

/// The board's running counts, as stored.
fn kept(app: &TestApp) -> Vec<(i64, String, i64)> {
    use onramp::db::schema::job_stage_counts as t;
    t::table
        .filter(t::candidates.gt(0))
        .select((t::job_id, t::stage, t::candidates))
        .order((t::job_id, t::stage))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap()
}

#[test]
fn the_boards_running_counts_follow_creates_imports_moves_and_job_changes() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let (agent, lead) = (make_job(&mut s, "Agent"), make_job(&mut s, "Lead"));
    let ann = make_candidate(&mut s, agent, "Ann Archer", "ann@example.com", "referral");
    make_candidate(&mut s, agent, "Bo Baker", "bo@example.com", "agency");
    // An import of three more into the lead job.
    s.page("/hiring/import");
    let csv = "name,email,phone,source,resume_url,resume_text,notes\n\
               Cy Cole,cy@example.com,,agency,,,\n\
               Di Dunn,di@example.com,,referral,,,\n\
               Ed Eng,ed@example.com,,event,,,\n";
    let r = s.post_multipart(
        "/hiring/import",
        &[("job", &lead.to_string())],
        ("file", "people.csv", csv.as_bytes()),
    );
    assert_eq!(r.status(), StatusCode::OK, "the import succeeds");
    assert_eq!(kept(&app), counted(&app));
    // A move, then a job change of a moved candidate.
    s.page(&format!("/hiring/candidates/{ann}"));
    let r = s.post(
        &format!("/hiring/candidates/{ann}/stage"),
        &[("stage", "screening"), ("note", "")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    s.page(&format!("/hiring/candidates/{ann}/edit"));
    let r = s.post(
        &format!("/hiring/candidates/{ann}/edit"),
        &[
            ("name", "Ann Archer"),
            ("email", "ann@example.com"),
            ("job_id", &lead.to_string()),
            ("source", "referral"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let now = kept(&app);
    assert_eq!(now, counted(&app));
    assert!(now.contains(&(lead, "screening".to_string(), 1)), "{now:?}");
    assert!(now.contains(&(lead, "applied".to_string(), 3)), "{now:?}");
    assert!(now.contains(&(agent, "applied".to_string(), 1)), "{now:?}");
    // The board shows them.
    let (_, board) = s.page(&format!("/hiring/jobs/{lead}"));
    assert!(board.contains("4 candidates"), "{board}");
}

/// The board's cards: per stage the most recently moved first, at most the card count,
/// only this job's candidates.
#[test]
fn the_board_shows_each_stages_latest_cards_of_its_own_job_only() {
    use onramp::hiring::candidates::model::{find, move_stage, recent_by_stage};
    use onramp::hiring::rules::Stage;
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let job = make_job(&mut s, "Agent");
    let other_job = make_job(&mut s, "Driver");
    let ids: Vec<i64> = (0..5)
        .map(|i| {
            make_candidate(
                &mut s,
                job,
                &format!("Applicant {i}"),
                &format!("a{i}@x.test"),
                "referral",
            )
        })
        .collect();
    let stranger = make_candidate(&mut s, other_job, "Stranger", "s@x.test", "referral");
    {
        let conn = &mut app.conn() as &mut DbConn;
        for id in [ids[1], ids[3]] {
            let c = find(conn, onramp::db::ids::CandidateId(id)).unwrap();
            move_stage(conn, &c, Stage::Screening, None, "", None, app.clock.now()).unwrap();
        }
    }
    let conn = &mut app.conn() as &mut DbConn;
    let columns = recent_by_stage(conn, onramp::db::ids::JobId(job), 2).unwrap();
    let column = |stage: Stage| -> Vec<i64> {
        columns
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, cards)| cards.iter().map(|c| c.id.0).collect())
            .unwrap()
    };
    assert_eq!(columns.len(), Stage::ALL.len(), "a column per stage");
    assert_eq!(
        column(Stage::Applied),
        vec![ids[4], ids[2]],
        "the two latest, newest first"
    );
    assert_eq!(column(Stage::Screening), vec![ids[3], ids[1]]);
    assert_eq!(column(Stage::Hired), Vec::<i64>::new());
    assert!(
        columns
            .iter()
            .all(|(_, cards)| cards.iter().all(|c| c.id.0 != stranger)),
        "another job's candidate is on no column"
    );
}

#[test]
fn markup_in_a_job_or_a_candidate_is_shown_as_text_on_the_board_and_the_list() {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let job = make_job(&mut s, "<em>Agent</em> & co");
    make_candidate(&mut s, job, "<b>Zed</b> \"Q\"", "zed@x.test", "referral");
    for path in [
        format!("/hiring/jobs/{job}"),
        format!("/hiring/candidates?job={job}"),
    ] {
        let (status, page) = s.page(&path);
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!page.contains("<b>Zed</b>"), "{path}: {page}");
        assert!(
            unescape(&page).contains("<b>Zed</b> \"Q\""),
            "{path}: {page}"
        );
        assert!(!page.contains("<em>Agent</em>"), "{path}: {page}");
        assert!(
            unescape(&page).contains("<em>Agent</em> & co"),
            "{path}: {page}"
        );
    }
}

#[test]
fn the_kept_board_and_job_list_show_every_change_at_once_even_one_made_outside_the_app() {
    use onramp::db::schema::{candidates, competencies, jobs, stage_changes};
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let job = make_job(&mut s, "Agent");
    let other = make_job(&mut s, "Driver");
    let ada = make_candidate(&mut s, job, "Ada Applicant", "ada@x.test", "referral");
    let board = format!("/hiring/jobs/{job}");
    let list = format!("/hiring/candidates?job={job}");
    let mut seen = |path: &str| unescape(&s.page(path).1);
    for path in [&board, &list] {
        assert!(seen(path).contains("Ada Applicant"), "{path}");
    }
    make_candidate(&mut s, job, "Bo Second", "bo@x.test", "referral");
    let mut seen = |path: &str| unescape(&s.page(path).1);
    for path in [&board, &list] {
        assert!(seen(path).contains("Bo Second"), "{path}: a new candidate");
    }

    // Every change below is a statement run straight on the database, as another server
    // or a hand-run UPDATE would; the next request must show it.
    let conn = &mut app.conn() as &mut DbConn;
    diesel::update(candidates::table.find(ada))
        .set((
            candidates::name.eq("Ada Renamed"),
            candidates::red_flag.eq(true),
        ))
        .execute(conn)
        .unwrap();
    for path in [&board, &list] {
        let page = seen(path);
        assert!(
            page.contains("Ada Renamed") && page.contains("tag bad red-flag"),
            "{path}: {page}"
        );
    }
    diesel::update(jobs::table.find(job))
        .set(jobs::title.eq("Agent, renamed"))
        .execute(conn)
        .unwrap();
    let row_link = format!("<a href=\"/hiring/jobs/{job}\">Agent, renamed</a>");
    assert!(
        seen(&list).contains(&row_link),
        "the row shows the job's new title"
    );
    diesel::update(competencies::table.filter(competencies::job_id.eq(job)))
        .set(competencies::name.eq("Patience"))
        .execute(conn)
        .unwrap();
    assert!(seen(&board).contains("Patience"), "the competency changed");

    diesel::update(candidates::table.find(ada))
        .set(candidates::job_id.eq(other))
        .execute(conn)
        .unwrap();
    for path in [&board, &list] {
        assert!(
            !seen(path).contains("Ada Renamed"),
            "{path}: moved to another job"
        );
    }
    assert!(seen(&format!("/hiring/jobs/{other}")).contains("Ada Renamed"));
    diesel::delete(stage_changes::table.filter(stage_changes::candidate_id.eq(ada)))
        .execute(conn)
        .unwrap();
    diesel::delete(candidates::table.find(ada))
        .execute(conn)
        .unwrap();
    let list_other = format!("/hiring/candidates?job={other}");
    assert!(!seen(&list_other).contains("Ada Renamed"), "deleted");
}
