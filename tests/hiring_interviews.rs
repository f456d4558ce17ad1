//! Interviews over HTTP: scheduling with calendar invitations (.ics parsed by the `ical`
//! crate, a real calendar parser independent of the one that writes them), reschedule,
//! panel changes, cancellation, validation, the private calendar feed, "my interviews",
//! who may see an interview, scorecard reminders and the JSON API.

mod common;
use base64::Engine;
use chrono::{Datelike, Duration, NaiveDateTime};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CandidateId, InterviewId, JobId, UserId};
use onramp::db::schema::{interviews, jobs, outbox, scorecards};
use onramp::db::DbConn;
use onramp::hiring::candidates::rules::{validate, CandidateInput};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn job(app: &TestApp) -> JobId {
    let now = app.clock.now();
    diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq("Customer loyalty rep"),
            jobs::department.eq("CLT"),
            jobs::location.eq("Las Vegas"),
            jobs::description.eq("Answer the phones, wow people."),
            jobs::status.eq("open"),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(&mut app.conn() as &mut DbConn)
        .expect("insert job")
}

fn candidate(app: &TestApp, job: JobId, name: &str, email: &str) -> CandidateId {
    let valid = validate(&CandidateInput {
        name: name.into(),
        email: email.into(),
        ..Default::default()
    })
    .expect("valid candidate");
    let now = app.clock.now();
    onramp::hiring::candidates::model::insert(&mut app.conn(), job, &valid, now, None, now)
        .expect("insert candidate")
}

fn stage_of(app: &TestApp, id: CandidateId) -> String {
    onramp::hiring::candidates::model::find(&mut app.conn(), id)
        .unwrap()
        .stage
}

/// A date `days` ahead of the test clock, and a start time, in the company zone (UTC here).
fn ahead(app: &TestApp, days: i64) -> (String, String) {
    let t = app.clock.now() + Duration::days(days);
    (t.format("%Y-%m-%d").to_string(), "10:00".to_string())
}

struct World {
    app: TestApp,
    recruiter: Session,
    cand: CandidateId,
    ivan: UserId,
    iris: UserId,
    olga: UserId,
}

fn world() -> World {
    let app = TestApp::spawn();
    app.user("rita@acme.test", &[Role::Recruiter]);
    let ivan = app.user("ivan@acme.test", &[Role::Interviewer]).id;
    let iris = app.user("iris@acme.test", &[Role::Interviewer]).id;
    let olga = app.user("olga@acme.test", &[Role::Hr]).id;
    let j = job(&app);
    let cand = candidate(&app, j, "Ada Lovelace", "ada@example.com");
    let recruiter = app.login("rita@acme.test");
    World {
        app,
        recruiter,
        cand,
        ivan,
        iris,
        olga,
    }
}

/// Posts the schedule form as a browser would (one `interviewers` field per ticked box).
fn schedule_form(
    s: &mut Session,
    cand: CandidateId,
    fields: &[(&str, &str)],
    people: &[UserId],
) -> reqwest::blocking::Response {
    let (status, _) = s.page(&format!("/hiring/candidates/{cand}/interviews/new"));
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<String> = people.iter().map(|u| u.0.to_string()).collect();
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for id in &ids {
        all.push(("interviewers", id));
    }
    s.post(&format!("/hiring/candidates/{cand}/interviews/new"), &all)
}

fn schedule(w: &mut World, track: &str, people: &[UserId]) -> InterviewId {
    let (date, time) = ahead(&w.app, 2);
    let r = schedule_form(
        &mut w.recruiter,
        w.cand,
        &[
            ("track", track),
            ("date", &date),
            ("time", &time),
            ("duration_minutes", "60"),
            ("location", "Room 4, HQ"),
            ("video_url", "https://meet.example.com/ada"),
        ],
        people,
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "scheduling redirects");
    let to = location(&r);
    InterviewId(
        to.trim_start_matches("/hiring/interviews/")
            .parse()
            .expect("redirect to the interview"),
    )
}

/// Outbox rows (recipient, subject, calendar text), oldest first.
fn outbox_rows(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    outbox::table
        .order(outbox::id.asc())
        .select((outbox::to_addr, outbox::subject, outbox::calendar_ics))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap()
}

/// A parsed calendar: METHOD and, for its single event, name -> value.
struct Cal {
    method: String,
    events: Vec<Vec<(String, String)>>,
}

impl Cal {
    fn parse(text: &str) -> Cal {
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let cal = parser
            .next()
            .expect("one VCALENDAR")
            .expect("the calendar parses");
        let prop = |ps: &[ical::property::Property], n: &str| {
            ps.iter()
                .find(|p| p.name == n)
                .and_then(|p| p.value.clone())
                .unwrap_or_default()
        };
        Cal {
            method: prop(&cal.properties, "METHOD"),
            events: cal
                .events
                .iter()
                .map(|e| {
                    e.properties
                        .iter()
                        .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                        .collect()
                })
                .collect(),
        }
    }

    fn get(&self, name: &str) -> String {
        self.events[0]
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.events[0]
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The text of the text/calendar part of a raw .eml, with its content type.
fn ics_in_eml(eml: &str) -> (String, String) {
    let at = eml
        .find("Content-Type: text/calendar")
        .expect("a text/calendar part");
    let part = &eml[at..];
    let (headers, body) = part.split_once("\r\n\r\n").expect("part headers and body");
    let content_type = headers.lines().next().unwrap().to_string();
    let body = &body[..body.find("\r\n--").expect("the part ends at a boundary")];
    let text = if headers.contains("Content-Transfer-Encoding: base64") {
        let raw: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(raw)
                .unwrap(),
        )
        .unwrap()
    } else if headers.contains("quoted-printable") {
        body.replace("=\r\n", "").replace("=3D", "=")
    } else {
        body.to_string()
    };
    (content_type, text)
}

fn mails_to<'a>(emls: &'a [String], addr: &str) -> Vec<&'a String> {
    emls.iter()
        .filter(|m| m.contains(&format!("To: {addr}")) || m.contains(&format!("<{addr}>")))
        .collect()
}

#[test]
fn scheduling_invites_the_candidate_and_each_interviewer_with_a_calendar_request() {
    let mut w = world();
    assert_eq!(stage_of(&w.app, w.cand), "applied");
    let (ivan, iris) = (w.ivan, w.iris);
    let id = schedule(&mut w, "technical", &[ivan, iris]);

    // Delivered by the worker as .eml files, each with an .ics REQUEST attached.
    let emls = wait_for_eml(&w.app.dir.path().join("mail"), 3);
    assert_eq!(emls.len(), 3);
    let iv: (String, i64, NaiveDateTime) = interviews::table
        .find(id)
        .select((
            interviews::ical_uid,
            interviews::sequence,
            interviews::starts_at,
        ))
        .first(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert!(
        iv.0.starts_with(&format!("interview-{id}-")) && iv.0.contains("@127.0.0.1"),
        "{}",
        iv.0
    );
    let dtstart = iv.2.format("%Y%m%dT%H%M%SZ").to_string();
    for addr in ["ada@example.com", "ivan@acme.test", "iris@acme.test"] {
        let mine = mails_to(&emls, addr);
        assert_eq!(mine.len(), 1, "one mail to {addr}");
        let (content_type, text) = ics_in_eml(mine[0]);
        assert!(
            content_type.contains("method=REQUEST"),
            "attachment content type: {content_type}"
        );
        let cal = Cal::parse(&text);
        assert_eq!(cal.method, "REQUEST");
        assert_eq!(cal.get("UID"), iv.0);
        assert_eq!(cal.get("SEQUENCE"), "0");
        assert_eq!(cal.get("DTSTART"), dtstart);
        assert_eq!(
            cal.get("DTEND"),
            (iv.2 + Duration::minutes(60))
                .format("%Y%m%dT%H%M%SZ")
                .to_string()
        );
        assert_eq!(cal.get("LOCATION"), "Room 4\\, HQ");
        assert_eq!(cal.get("URL"), "https://meet.example.com/ada");
        assert_eq!(cal.get("ORGANIZER"), "mailto:rita@acme.test");
        let attendees = cal.all("ATTENDEE");
        assert_eq!(attendees.len(), 3, "{attendees:?}");
        assert!(attendees.contains(&"mailto:ada@example.com".to_string()));
    }
    // The candidate's mail speaks to the candidate, the interviewers' to the panel.
    assert!(
        mails_to(&emls, "ada@example.com")[0].contains("Your Technical interview with Acme Shoes")
    );
    assert!(mails_to(&emls, "ivan@acme.test")[0].contains("Technical interview: Ada Lovelace"));

    // The candidate moved to the technical interview stage, audited.
    assert_eq!(stage_of(&w.app, w.cand), "technical_interview");
    let actions = w.app.audit_actions();
    assert!(actions.contains(&"interview.scheduled".to_string()));
    assert!(actions.contains(&"candidate.stage_changed".to_string()));

    // A culture interview later does not move a candidate who is past screening.
    let olga = w.olga;
    schedule(&mut w, "culture", &[olga]);
    assert_eq!(stage_of(&w.app, w.cand), "technical_interview");

    // The interview page shows it to the recruiter.
    let (status, body) = w.recruiter.page(&format!("/hiring/interviews/{id}"));
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Ada Lovelace") && body.contains("Ivan") && body.contains("Room 4, HQ"));
}

#[test]
fn the_form_refuses_bad_input_next_to_the_fields_and_stores_nothing() {
    let mut w = world();
    let past = (w.app.clock.now() - Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let cand = w.cand;
    let r = schedule_form(
        &mut w.recruiter,
        cand,
        &[
            ("track", "technical"),
            ("date", &past),
            ("time", "10:00"),
            ("duration_minutes", "60"),
            ("location", "Room 9 typed"),
        ],
        &[],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("This time has passed"), "past time refused");
    assert!(body.contains("Choose at least one interviewer"));
    assert!(
        body.contains("value=\"Room 9 typed\""),
        "what was typed is kept"
    );
    assert!(body.contains("UTC"), "the form names the time zone");

    let (date, time) = ahead(&w.app, 2);
    let ivan = w.ivan;
    let r = schedule_form(
        &mut w.recruiter,
        cand,
        &[
            ("track", "technical"),
            ("date", &date),
            ("time", &time),
            ("duration_minutes", "60"),
            ("video_url", "not a link"),
        ],
        &[ivan],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("full link"));
    // The ticked interviewer stays ticked.
    assert!(body.contains(&format!("value=\"{ivan}\" checked")));

    // A rejected candidate gets no interview.
    diesel::update(onramp::db::schema::candidates::table.find(cand))
        .set(onramp::db::schema::candidates::stage.eq("rejected"))
        .execute(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    let r = schedule_form(
        &mut w.recruiter,
        cand,
        &[
            ("track", "technical"),
            ("date", &date),
            ("time", &time),
            ("duration_minutes", "60"),
            ("location", "Room 4"),
        ],
        &[ivan],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("no more interviews"));

    let n: i64 = interviews::table
        .count()
        .get_result(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(n, 0, "nothing half-written");
    assert!(outbox_rows(&w.app).is_empty(), "no mail");

    // Interviewers may not schedule.
    let mut ivan_s = w.app.login("ivan@acme.test");
    let (status, _) = ivan_s.page(&format!("/hiring/candidates/{cand}/interviews/new"));
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[test]
fn rescheduling_raises_the_sequence_and_panel_changes_invite_and_cancel() {
    let mut w = world();
    let (ivan, iris, olga) = (w.ivan, w.iris, w.olga);
    let id = schedule(&mut w, "technical", &[ivan, iris]);
    let first = outbox_rows(&w.app);
    assert_eq!(first.len(), 3);
    let uid = Cal::parse(first[0].2.as_ref().unwrap()).get("UID");

    // A new time: everyone gets REQUEST with SEQUENCE 1 and the same UID.
    let (date, _) = ahead(&w.app, 3);
    let (status, body) = w.recruiter.page(&format!("/hiring/interviews/{id}/edit"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("value=\"Room 4, HQ\""),
        "the form holds the current values"
    );
    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/edit"),
        &[
            ("date", &date),
            ("time", "15:30"),
            ("duration_minutes", "90"),
            ("location", "Room 4, HQ"),
            ("video_url", "https://meet.example.com/ada"),
            ("interviewers", &ivan.0.to_string()),
            ("interviewers", &iris.0.to_string()),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = outbox_rows(&w.app);
    let second = &rows[3..];
    assert_eq!(second.len(), 3, "candidate and both interviewers");
    for (to, subject, ics) in second {
        let cal = Cal::parse(ics.as_ref().unwrap());
        assert_eq!(cal.method, "REQUEST", "{to}");
        assert_eq!(cal.get("UID"), uid);
        assert_eq!(cal.get("SEQUENCE"), "1");
        assert_eq!(
            cal.get("DTSTART"),
            format!("{}T153000Z", date.replace('-', ""))
        );
        assert!(subject.starts_with("Updated:"), "{subject}");
    }
    assert!(w
        .app
        .audit_actions()
        .contains(&"interview.rescheduled".to_string()));

    // Panel change: Iris off, Olga on. Olga gets REQUEST, Iris CANCEL; nobody else mail.
    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/edit"),
        &[
            ("date", &date),
            ("time", "15:30"),
            ("duration_minutes", "90"),
            ("location", "Room 4, HQ"),
            ("video_url", "https://meet.example.com/ada"),
            ("interviewers", &ivan.0.to_string()),
            ("interviewers", &olga.0.to_string()),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = outbox_rows(&w.app);
    let third = &rows[6..];
    assert_eq!(third.len(), 2, "{third:?}");
    let to_olga = third.iter().find(|r| r.0 == "olga@acme.test").unwrap();
    let cal = Cal::parse(to_olga.2.as_ref().unwrap());
    assert_eq!(
        (cal.method.as_str(), cal.get("SEQUENCE")),
        ("REQUEST", "2".into())
    );
    assert_eq!(cal.get("UID"), uid);
    let to_iris = third.iter().find(|r| r.0 == "iris@acme.test").unwrap();
    let cal = Cal::parse(to_iris.2.as_ref().unwrap());
    assert_eq!(
        (cal.method.as_str(), cal.get("SEQUENCE")),
        ("CANCEL", "2".into())
    );
    assert_eq!(cal.get("UID"), uid);
    assert_eq!(
        cal.all("ATTENDEE"),
        vec!["mailto:iris@acme.test".to_string()]
    );

    // Saving without a change sends nothing.
    let before = outbox_rows(&w.app).len();
    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/edit"),
        &[
            ("date", &date),
            ("time", "15:30"),
            ("duration_minutes", "90"),
            ("location", "Room 4, HQ"),
            ("video_url", "https://meet.example.com/ada"),
            ("interviewers", &ivan.0.to_string()),
            ("interviewers", &olga.0.to_string()),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(outbox_rows(&w.app).len(), before);

    // Rescheduling into the past is refused next to the field.
    let past = (w.app.clock.now() - Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/edit"),
        &[
            ("date", &past),
            ("time", "15:30"),
            ("duration_minutes", "90"),
            ("location", "Room 4, HQ"),
            ("interviewers", &ivan.0.to_string()),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("This time has passed"));
}

#[test]
fn cancelling_sends_a_cancel_with_the_same_uid_and_needs_a_reason() {
    let mut w = world();
    let ivan = w.ivan;
    let id = schedule(&mut w, "culture", &[ivan]);
    let uid = Cal::parse(outbox_rows(&w.app)[0].2.as_ref().unwrap()).get("UID");

    w.recruiter.page(&format!("/hiring/interviews/{id}"));
    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/cancel"),
        &[("reason", " ")],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("Say why"));

    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/cancel"),
        &[("reason", "The candidate asked to move to next month.")],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = outbox_rows(&w.app);
    assert_eq!(rows.len(), 4);
    for (to, subject, ics) in &rows[2..] {
        let cal = Cal::parse(ics.as_ref().unwrap());
        assert_eq!(cal.method, "CANCEL", "{to}");
        assert_eq!(cal.get("UID"), uid);
        assert_eq!(cal.get("SEQUENCE"), "1");
        assert_eq!(cal.get("STATUS"), "CANCELLED");
        assert!(subject.starts_with("Cancelled:"));
    }
    assert!(rows[2..].iter().any(|r| r.0 == "ada@example.com"));
    assert!(w
        .app
        .audit_actions()
        .contains(&"interview.cancelled".to_string()));

    // The eml carries the CANCEL method in the attachment's content type.
    let emls = wait_for_eml(&w.app.dir.path().join("mail"), 4);
    let cancels: Vec<_> = emls
        .iter()
        .filter(|m| ics_in_eml(m).0.contains("method=CANCEL"))
        .collect();
    assert_eq!(cancels.len(), 2);

    // Cancelled twice: refused; edit: refused.
    let r = w.recruiter.post(
        &format!("/hiring/interviews/{id}/cancel"),
        &[("reason", "again")],
    );
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (status, _) = w.recruiter.page(&format!("/hiring/interviews/{id}/edit"));
    assert_eq!(status, StatusCode::CONFLICT);
}

#[test]
fn the_calendar_feed_lists_my_interviews_and_stops_after_revoking() {
    let mut w = world();
    let (ivan, iris) = (w.ivan, w.iris);
    let mine = schedule(&mut w, "technical", &[ivan]);
    let cancelled = schedule(&mut w, "culture", &[ivan]);
    let _not_mine = schedule(&mut w, "technical", &[iris]);
    w.recruiter.page(&format!("/hiring/interviews/{cancelled}"));
    w.recruiter.post(
        &format!("/hiring/interviews/{cancelled}/cancel"),
        &[("reason", "Double booked")],
    );

    let mut s = w.app.login("ivan@acme.test");
    let (status, body) = s.page("/account/calendar");
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Create my feed address"));
    let r = s.post("/account/calendar", &[]);
    assert_eq!(r.status(), StatusCode::OK);
    let body = unescape(&r.text().unwrap());
    let start = body.find(&w.app.base).expect("the feed URL is shown once");
    let url: String = body[start..].chars().take_while(|c| *c != '<').collect();
    assert!(url.ends_with(".ics"));
    let path = url.trim_start_matches(&w.app.base).to_string();
    // Only the hash is stored.
    let token = path
        .trim_start_matches("/calendar/")
        .trim_end_matches(".ics");
    let stored: Vec<String> = onramp::db::schema::calendar_feeds::table
        .select(onramp::db::schema::calendar_feeds::token_hash)
        .load(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert!(!stored.contains(&token.to_string()));
    // Shown once: the page no longer has it.
    let (_, again) = s.page("/account/calendar");
    assert!(!again.contains(token));

    // No session needed; only my scheduled interview is in it.
    let anon = reqwest::blocking::get(&url).unwrap();
    assert_eq!(anon.status(), StatusCode::OK);
    assert!(anon.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let cal = Cal::parse(&anon.text().unwrap());
    assert_eq!(cal.method, "PUBLISH");
    assert_eq!(
        cal.events.len(),
        1,
        "cancelled and others' interviews are left out"
    );
    let uid: String = interviews::table
        .find(mine)
        .select(interviews::ical_uid)
        .first(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(cal.get("UID"), uid);
    assert!(cal.get("SUMMARY").contains("Ada Lovelace"));

    // Still listed up to 30 days after; gone after that.
    w.app.clock.advance(Duration::days(20));
    assert_eq!(
        Cal::parse(&reqwest::blocking::get(&url).unwrap().text().unwrap())
            .events
            .len(),
        1
    );
    w.app.clock.advance(Duration::days(15));
    assert_eq!(
        Cal::parse(&reqwest::blocking::get(&url).unwrap().text().unwrap())
            .events
            .len(),
        0
    );

    // Rotate: the old URL is 404, then revoke: everything 404. (35 days on, the
    // session has long ended: sign in again.)
    let mut s = w.app.login("ivan@acme.test");
    s.page("/account/calendar");
    let r = s.post("/account/calendar", &[]);
    let body = unescape(&r.text().unwrap());
    let start = body.find(&w.app.base).unwrap();
    let url2: String = body[start..].chars().take_while(|c| *c != '<').collect();
    assert_ne!(url, url2);
    assert_eq!(
        reqwest::blocking::get(&url).unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        reqwest::blocking::get(&url2).unwrap().status(),
        StatusCode::OK
    );
    s.page("/account/calendar");
    let r = s.post("/account/calendar/revoke", &[]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        reqwest::blocking::get(&url2).unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let unknown = format!("{}/calendar/{}.ics", w.app.base, "ab".repeat(32));
    assert_eq!(
        reqwest::blocking::get(&unknown).unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let actions = w.app.audit_actions();
    for a in [
        "calendar_feed.created",
        "calendar_feed.rotated",
        "calendar_feed.revoked",
    ] {
        assert!(actions.contains(&a.to_string()), "{a}");
    }
}

#[test]
fn my_interviews_lists_only_mine_and_others_get_403() {
    let mut w = world();
    let (ivan, iris) = (w.ivan, w.iris);
    let mine = schedule(&mut w, "technical", &[ivan]);
    let theirs = schedule(&mut w, "culture", &[iris]);

    let mut s = w.app.login("ivan@acme.test");
    let (status, body) = s.page("/hiring/interviews");
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("/hiring/interviews/{mine}\"")));
    assert!(!body.contains(&format!("/hiring/interviews/{theirs}\"")));

    assert_eq!(
        s.page(&format!("/hiring/interviews/{mine}")).0,
        StatusCode::OK
    );
    assert_eq!(
        s.page(&format!("/hiring/interviews/{theirs}")).0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.page(&format!("/hiring/interviews/{mine}/edit")).0,
        StatusCode::FORBIDDEN,
        "interviewers do not reschedule"
    );
    // HR sees every interview.
    let mut hr = w.app.login("olga@acme.test");
    assert_eq!(
        hr.page(&format!("/hiring/interviews/{theirs}")).0,
        StatusCode::OK
    );

    // After the interview: listed under recent with a link to write the scorecard, until
    // a scorecard is in.
    w.app.clock.advance(Duration::days(3));
    let mut s = w.app.login("ivan@acme.test");
    let (_, body) = s.page("/hiring/interviews");
    assert!(body.contains(&format!("/hiring/interviews/{mine}/scorecard")));
    insert_scorecard(&w.app, mine, w.cand, ivan);
    let (_, body) = s.page("/hiring/interviews");
    assert!(!body.contains(&format!("/hiring/interviews/{mine}/scorecard")));
    assert!(body.contains("submitted"));
}

fn insert_scorecard(app: &TestApp, iv: InterviewId, cand: CandidateId, who: UserId) {
    diesel::insert_into(scorecards::table)
        .values((
            scorecards::interview_id.eq(iv),
            scorecards::candidate_id.eq(cand),
            scorecards::interviewer_id.eq(who),
            scorecards::track.eq("technical"),
            scorecards::recommendation.eq("yes"),
            scorecards::version.eq(1),
            scorecards::submitted_at.eq(app.clock.now()),
        ))
        .execute(&mut app.conn() as &mut DbConn)
        .unwrap();
}

#[test]
fn a_missing_scorecard_is_reminded_once_a_day_after_the_interview() {
    let mut w = world();
    let (ivan, iris) = (w.ivan, w.iris);
    let id = schedule(&mut w, "technical", &[ivan, iris]);
    let reminders = |app: &TestApp| -> Vec<String> {
        outbox_rows(app)
            .into_iter()
            .filter(|r| r.1.starts_with("Scorecard missing"))
            .map(|r| r.0)
            .collect()
    };
    let run = |app: &TestApp| {
        let mut ctx = app.ctx();
        ctx.now = app.clock.now();
        onramp::hiring::interviews::service::send_scorecard_reminders(&mut app.conn(), &ctx)
            .unwrap()
    };
    // Starts in two days at 10:00 and lasts an hour: nothing due 12 hours after its end
    // (whatever the time of day the test runs at).
    let end = (w.app.clock.now().date() + Duration::days(2))
        .and_hms_opt(11, 0, 0)
        .unwrap();
    w.app
        .clock
        .advance(end + Duration::hours(12) - w.app.clock.now());
    assert_eq!(run(&w.app), 0);
    assert!(reminders(&w.app).is_empty());

    // Iris submits; a day after the end Ivan alone is reminded, once.
    insert_scorecard(&w.app, id, w.cand, iris);
    w.app.clock.advance(Duration::days(1));
    run(&w.app);
    run(&w.app);
    assert_eq!(reminders(&w.app), vec!["ivan@acme.test".to_string()]);
    let reminded: Vec<Option<NaiveDateTime>> = onramp::db::schema::interview_panel::table
        .filter(onramp::db::schema::interview_panel::interview_id.eq(id))
        .order(onramp::db::schema::interview_panel::user_id.asc())
        .select(onramp::db::schema::interview_panel::reminded_at)
        .load(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(reminded.iter().filter(|r| r.is_some()).count(), 1);
    let actions = w.app.audit_actions();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "interview.scorecard_reminder_sent")
            .count(),
        1
    );
    let body = &outbox::table
        .filter(outbox::to_addr.eq("ivan@acme.test"))
        .order(outbox::id.desc())
        .select(outbox::text_body)
        .first::<String>(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert!(body.contains(&format!("/hiring/interviews/{id}/scorecard")));
}

#[test]
fn a_cancelled_interview_gets_no_reminders() {
    let mut w = world();
    let ivan = w.ivan;
    let id = schedule(&mut w, "technical", &[ivan]);
    w.recruiter.page(&format!("/hiring/interviews/{id}"));
    w.recruiter.post(
        &format!("/hiring/interviews/{id}/cancel"),
        &[("reason", "Filled")],
    );
    w.app.clock.advance(Duration::days(5));
    let mut ctx = w.app.ctx();
    ctx.now = w.app.clock.now();
    let n = onramp::hiring::interviews::service::send_scorecard_reminders(&mut w.app.conn(), &ctx)
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn company_time_zone_is_how_times_are_typed_and_utc_is_what_is_sent() {
    let app = TestApp::spawn_with(|s| s.time_zone = "America/New_York".into());
    app.user("rita@acme.test", &[Role::Recruiter]);
    let ivan = app.user("ivan@acme.test", &[Role::Interviewer]).id;
    let j = job(&app);
    let cand = candidate(&app, j, "Grace Hopper", "grace@example.com");
    let mut s = app.login("rita@acme.test");
    let (_, body) = s.page(&format!("/hiring/candidates/{cand}/interviews/new"));
    assert!(body.contains("America/New_York"), "the form names the zone");
    // A January date, so New York is on EST (UTC-5) whatever today is.
    let year = app
        .clock
        .now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        + 1;
    let r = s.post(
        &format!("/hiring/candidates/{cand}/interviews/new"),
        &[
            ("track", "technical"),
            ("date", &format!("{year}-01-15")),
            ("time", "09:00"),
            ("duration_minutes", "45"),
            ("location", "Room 1"),
            ("interviewers", &ivan.0.to_string()),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = outbox_rows(&app);
    let cal = Cal::parse(rows[0].2.as_ref().unwrap());
    assert_eq!(cal.get("DTSTART"), format!("{year}0115T140000Z"));
    assert_eq!(cal.get("DTEND"), format!("{year}0115T144500Z"));
    assert!(
        rows[0].1.contains("09:00"),
        "the mail shows local time: {}",
        rows[0].1
    );
}

#[test]
fn two_apps_in_one_process_each_show_times_in_their_own_zone() {
    let apps: Vec<TestApp> = ["America/New_York", "Asia/Tokyo"]
        .iter()
        .map(|zone| TestApp::spawn_with(|s| s.time_zone = zone.to_string()))
        .collect();
    for app in &apps {
        let zone = app.tz.name();
        app.user("rita@acme.test", &[Role::Recruiter]);
        let ivan = app.user("ivan@acme.test", &[Role::Interviewer]).id;
        let cand = candidate(app, job(app), "Grace Hopper", "grace@example.com");
        let mut s = app.login("rita@acme.test");
        let year = app.clock.now().year() + 1;
        s.page(&format!("/hiring/candidates/{cand}/interviews/new"));
        let r = s.post(
            &format!("/hiring/candidates/{cand}/interviews/new"),
            &[
                ("track", "technical"),
                ("date", &format!("{year}-01-15")),
                ("time", "09:00"),
                ("duration_minutes", "45"),
                ("location", "Room 1"),
                ("interviewers", &ivan.0.to_string()),
            ],
        );
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{zone}");
        // The candidate page's interview section reads the zone of its own app.
        let (_, page) = s.page(&format!("/hiring/candidates/{cand}"));
        assert!(
            page.contains(&format!("15 Jan {year}, 09:00")),
            "{zone}: the candidate page shows 09:00 local"
        );
        assert!(page.contains(zone), "{zone} is named on the page");
        // So do the interviewer's candidate page and scorecard form.
        let mut ivan_s = app.login("ivan@acme.test");
        let (_, page) = ivan_s.page(&format!("/hiring/candidates/{cand}"));
        let weekday = chrono::NaiveDate::from_ymd_opt(year, 1, 15)
            .unwrap()
            .format("%a");
        assert!(
            page.contains(&format!("interview, {weekday} 15 Jan {year}, 09:00:")),
            "{zone}: the interviewer's own scorecard list shows 09:00 local"
        );
        let interview =
            onramp::hiring::interviews::model::for_candidate(&mut app.conn(), cand).unwrap()[0].id;
        let (_, form) = ivan_s.page(&format!("/hiring/interviews/{interview}/scorecard"));
        assert!(
            form.contains(&format!("15 Jan {year}, 09:00 ({zone})")),
            "{zone}: the scorecard form shows the interview in local time: {form}"
        );
    }
}

#[test]
fn the_candidate_page_section_lists_interviews_and_offers_scheduling_to_recruiters() {
    let mut w = world();
    let ivan = w.ivan;
    let id = schedule(&mut w, "technical", &[ivan]);
    let cand = onramp::hiring::candidates::model::find(&mut w.app.conn(), w.cand).unwrap();
    let viewer = |email: &str, roles: Vec<Role>| {
        let u = onramp::auth::model::find_by_email(&mut w.app.conn(), email)
            .unwrap()
            .unwrap();
        onramp::web::context::Viewer {
            user_id: u.id,
            name: u.name,
            email: u.email,
            roles,
            session_id: None,
            csrf_token: String::new(),
        }
    };
    let rita = viewer("rita@acme.test", vec![Role::Recruiter]);
    let file =
        onramp::hiring::interviews::file::InterviewFile::load(&mut w.app.conn(), cand.id).unwrap();
    let data = onramp::hiring::interviews::routes::panel(&w.app.ctx(), &rita, &cand, &file);
    assert_eq!(data["schedule"], json!(true));
    assert_eq!(data["interviews"].as_array().unwrap().len(), 1);
    let html = onramp::web::render::render("hiring/interviews/panel", data.clone()).unwrap();
    assert!(html.contains("Schedule technical interview"));
    assert!(html.contains("Schedule culture interview"));
    assert!(html.contains(&format!("/hiring/interviews/{id}")));
    assert!(html.contains("Ivan"));

    let ivan_v = viewer("ivan@acme.test", vec![Role::Interviewer]);
    let data: Value =
        onramp::hiring::interviews::routes::panel(&w.app.ctx(), &ivan_v, &cand, &file);
    assert_eq!(data["schedule"], json!(false));
    let html = onramp::web::render::render("hiring/interviews/panel", data.clone()).unwrap();
    assert!(!html.contains("Schedule technical interview"));
    assert!(html.contains(&format!("/hiring/interviews/{id}/scorecard")));
}

#[test]
fn the_api_schedules_lists_changes_and_cancels() {
    let w = world();
    let token = w.app.api_token("rita@acme.test");
    let ivan_token = w.app.api_token("ivan@acme.test");
    let client = reqwest::blocking::Client::new();
    let api = |path: &str| format!("{}/api/v1{}", w.app.base, path);
    let starts = (w.app.clock.now() + Duration::days(4))
        .format("%Y-%m-%dT11:00:00+00:00")
        .to_string();
    let body = json!({
        "track": "culture", "starts_at": starts, "duration_minutes": 45,
        "video_url": "https://meet.example.com/c", "interviewer_ids": [w.ivan, w.olga],
    });

    // Interviewers may not schedule.
    let r = client
        .post(api(&format!("/candidates/{}/interviews", w.cand)))
        .bearer_auth(&ivan_token)
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Field errors as problem+json.
    let r = client
        .post(api(&format!("/candidates/{}/interviews", w.cand)))
        .bearer_auth(&token)
        .json(&json!({"track": "culture", "duration_minutes": 45, "interviewer_ids": []}))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("problem+json"));
    let problem: Value = r.json().unwrap();
    let text = problem.to_string();
    assert!(
        text.contains("interviewers") && text.contains("location"),
        "{text}"
    );

    let r = client
        .post(api(&format!("/candidates/{}/interviews", w.cand)))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["sequence"], json!(0));
    assert_eq!(created["panel"].as_array().unwrap().len(), 2);
    assert_eq!(stage_of(&w.app, w.cand), "culture_interview");
    assert_eq!(outbox_rows(&w.app).len(), 3);

    let list: Value = client
        .get(api(&format!("/candidates/{}/interviews", w.cand)))
        .bearer_auth(&ivan_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], json!(id));

    let mut changed = body.clone();
    changed["duration_minutes"] = json!(60);
    let r = client
        .put(api(&format!("/interviews/{id}")))
        .bearer_auth(&token)
        .json(&changed)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().unwrap();
    assert_eq!(
        (v["sequence"].clone(), v["duration_minutes"].clone()),
        (json!(1), json!(60))
    );

    // Iris is not on the panel.
    let iris_token = w.app.api_token("iris@acme.test");
    let r = client
        .get(api(&format!("/interviews/{id}")))
        .bearer_auth(&iris_token)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = client
        .post(api(&format!("/interviews/{id}/cancel")))
        .bearer_auth(&token)
        .json(&json!({"reason": "Position filled"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().unwrap();
    assert_eq!(
        (v["status"].clone(), v["sequence"].clone()),
        (json!("cancelled"), json!(2))
    );
    let r = client
        .post(api(&format!("/interviews/{id}/cancel")))
        .bearer_auth(&token)
        .json(&json!({"reason": "again"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Documented.
    let doc: Value = client
        .get(api("/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    for p in [
        "/api/v1/candidates/{id}/interviews",
        "/api/v1/interviews/{id}",
        "/api/v1/interviews/{id}/cancel",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
}
