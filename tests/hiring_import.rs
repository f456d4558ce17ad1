//! Bulk candidates: the CSV import from the web page and the command line, and the
//! demo generator. Every test runs on SQLite, and on PostgreSQL when
//! ONRAMP_TEST_POSTGRES_URL is set.

mod common;
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CandidateId, JobId};
use onramp::db::schema::{audit_log, candidates, job_stage_counts, jobs, stage_changes};
use onramp::db::DbConn;
use reqwest::StatusCode;
use std::process::Command;

const HEADER: &str = "name,email,phone,source,resume_url,resume_text,notes,applied_at\n";

fn job(app: &TestApp, title: &str, status: &str) -> JobId {
    let now = app.clock.now();
    diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq(title),
            jobs::department.eq("Customer Loyalty"),
            jobs::location.eq("Las Vegas"),
            jobs::description.eq(""),
            jobs::status.eq(status),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(&mut app.conn() as &mut DbConn)
        .expect("insert job")
}

fn recruiter(app: &TestApp) -> Session {
    app.user("rita@acme.test", &[Role::Recruiter]);
    let mut s = app.login("rita@acme.test");
    let (status, _) = s.page("/hiring/import");
    assert_eq!(status, StatusCode::OK);
    s
}

fn upload(s: &mut Session, job: JobId, csv: &str) -> (StatusCode, String) {
    let r = s.post_multipart(
        "/hiring/import",
        &[("job", &job.0.to_string())],
        ("file", "people.csv", csv.as_bytes()),
    );
    let status = r.status();
    (status, r.text().unwrap())
}

fn emails(app: &TestApp) -> Vec<String> {
    candidates::table
        .select(candidates::email)
        .order(candidates::id.asc())
        .load(&mut app.conn() as &mut DbConn)
        .unwrap()
}

fn imported_audits(app: &TestApp) -> Vec<(Option<i64>, Option<String>)> {
    audit_log::table
        .filter(audit_log::action.eq("candidates.imported"))
        .order(audit_log::id.asc())
        .select((audit_log::subject_id, audit_log::after_json))
        .load(&mut app.conn() as &mut DbConn)
        .unwrap()
}

#[test]
fn a_good_file_imports_everyone_with_their_first_stage_and_one_audit_entry() {
    let app = TestApp::spawn();
    let job_id = job(&app, "Warehouse Associate", "open");
    let mut s = recruiter(&app);
    let (_, page) = s.page("/hiring/import");
    assert!(page.contains("Warehouse Associate"), "the job is offered");
    assert!(page.contains("/hiring/import/template.csv"));
    let csv = format!(
        "{HEADER}Ada Lovelace,Ada@Example.com,+1 702 555 0100,referral,https://cv.example/ada,\"Wrote the\nfirst program\",,2026-01-15\n\
         Bo Diddley,bo@example.com,,careers_page,,,Plays guitar,\n"
    );
    let (status, body) = upload(&mut s, job_id, &csv);
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains("Imported <strong>2</strong> of 2 rows"),
        "{body}"
    );
    assert_eq!(emails(&app), ["ada@example.com", "bo@example.com"]);

    let mut conn = app.conn();
    let c: &mut DbConn = &mut conn;
    let rows: Vec<(CandidateId, String, String, chrono::NaiveDateTime, String)> = candidates::table
        .select((
            candidates::id,
            candidates::stage,
            candidates::resume_text,
            candidates::applied_at,
            candidates::source,
        ))
        .order(candidates::id.asc())
        .load(c)
        .unwrap();
    assert_eq!(rows[0].1, "applied");
    assert_eq!(rows[0].2, "Wrote the\nfirst program");
    assert_eq!(rows[0].3.to_string(), "2026-01-15 00:00:00");
    assert_eq!(rows[0].4, "referral");
    let history: Vec<(
        CandidateId,
        Option<String>,
        String,
        Option<onramp::db::ids::UserId>,
    )> = stage_changes::table
        .select((
            stage_changes::candidate_id,
            stage_changes::from_stage,
            stage_changes::to_stage,
            stage_changes::actor_id,
        ))
        .order(stage_changes::candidate_id.asc())
        .load(c)
        .unwrap();
    assert_eq!(history.len(), 2);
    assert!(history
        .iter()
        .zip(&rows)
        .all(|(h, r)| h.0 == r.0 && h.1.is_none() && h.2 == "applied" && h.3.is_some()));

    let audits = imported_audits(&app);
    assert_eq!(audits.len(), 1, "one audit entry for the whole import");
    assert_eq!(audits[0].0, Some(job_id.0));
    let after: serde_json::Value = serde_json::from_str(audits[0].1.as_deref().unwrap()).unwrap();
    assert_eq!(after["imported"], 2);
    assert_eq!(after["duplicates_skipped"], 0);
}

#[test]
fn one_bad_row_among_good_ones_stores_nothing_and_lists_every_problem_by_line() {
    let app = TestApp::spawn();
    let job_id = job(&app, "Data Engineer", "open");
    let mut s = recruiter(&app);
    let csv = format!(
        "{HEADER}Good One,good@example.com,,,,,,\n\
         ,not-an-email,,billboard,,,,\n\
         Good Two,two@example.com,,,,,,\n\
         Late,late@example.com,call me,,,,,31/12/2025\n"
    );
    let (status, body) = upload(&mut s, job_id, &csv);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Nothing was imported: 5 problems"), "{body}");
    for (line, column) in [
        (3, "name"),
        (3, "email"),
        (3, "source"),
        (5, "phone"),
        (5, "applied_at"),
    ] {
        let cell = format!("<td class=\"nowrap\">{line}</td><td><code>{column}</code></td>");
        assert!(body.contains(&cell), "{cell} in {body}");
    }
    assert!(emails(&app).is_empty(), "all or nothing");
    assert!(imported_audits(&app).is_empty());
    let history: i64 = stage_changes::table
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(history, 0);
}

#[test]
fn duplicates_in_the_file_and_in_the_database_are_reported_and_not_doubled() {
    let app = TestApp::spawn();
    let job_id = job(&app, "HR Generalist", "open");
    let mut s = recruiter(&app);
    let (status, _) = upload(
        &mut s,
        job_id,
        &format!("{HEADER}Old,old@example.com,,,,,,\n"),
    );
    assert_eq!(status, StatusCode::OK);
    let csv = format!(
        "{HEADER}New,new@example.com,,,,,,\n\
         Old Again,OLD@example.com,,,,,,\n\
         New Twice,New@Example.com,,,,,,\n\
         Other,other@example.com,,,,,,\n"
    );
    let (status, body) = upload(&mut s, job_id, &csv);
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains("Imported <strong>2</strong> of 4 rows"),
        "{body}"
    );
    assert!(body.contains("Skipped duplicates: 2"), "{body}");
    assert!(
        body.contains("<td class=\"nowrap\">3</td><td>old@example.com</td><td>a candidate</td>"),
        "{body}"
    );
    assert!(
        body.contains(
            "<td class=\"nowrap\">4</td><td>new@example.com</td><td>on line 2 of this file</td>"
        ),
        "{body}"
    );
    let mut all = emails(&app);
    all.sort();
    assert_eq!(
        all,
        ["new@example.com", "old@example.com", "other@example.com"]
    );
    let audits = imported_audits(&app);
    let after: serde_json::Value = serde_json::from_str(audits[1].1.as_deref().unwrap()).unwrap();
    assert_eq!(after["duplicates_skipped"], 2);
    assert_eq!(after["skipped"][0]["line"], 3);
    assert_eq!(after["skipped"][1]["first_line"], 2);
}

#[test]
fn wrong_columns_are_named_and_nothing_is_stored() {
    let app = TestApp::spawn();
    let job_id = job(&app, "Finance Associate", "open");
    let mut s = recruiter(&app);
    let (status, body) = upload(
        &mut s,
        job_id,
        "name,email,favourite_colour\nAda,ada@example.com,blue\n",
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("<code>favourite_colour</code></td><td>Unknown column"),
        "{body}"
    );
    for missing in ["phone", "source", "resume_url", "resume_text", "notes"] {
        assert!(
            body.contains(&format!(
                "<code>{missing}</code></td><td>This column is missing."
            )),
            "{missing} in {body}"
        );
    }
    assert!(emails(&app).is_empty());
}

#[test]
fn a_closed_job_takes_no_import_and_a_missing_job_is_named() {
    let app = TestApp::spawn();
    let closed = job(&app, "Filled Role", "closed");
    let mut s = recruiter(&app);
    let (_, page) = s.page("/hiring/import");
    assert!(!page.contains("Filled Role"), "closed jobs are not offered");
    let csv = format!("{HEADER}Ada,ada@example.com,,,,,,\n");
    let (status, body) = upload(&mut s, closed, &csv);
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body.contains("is closed and takes no new candidates"),
        "{body}"
    );
    let (status, body) = upload(&mut s, JobId(closed.0 + 100), &csv);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("There is no job #"), "{body}");
    assert!(emails(&app).is_empty());
}

#[test]
fn only_recruiters_and_admins_may_import() {
    let app = TestApp::spawn();
    let job_id = job(&app, "Product Designer", "open");
    app.user("ivan@acme.test", &[Role::Interviewer]);
    let mut s = app.login("ivan@acme.test");
    s.page("/home");
    let (status, _) = s.page("/hiring/import");
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.get("/hiring/import/template.csv").status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = upload(
        &mut s,
        job_id,
        &format!("{HEADER}Ada,ada@example.com,,,,,,\n"),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(emails(&app).is_empty());

    let mut r = recruiter(&app);
    let t = r.get("/hiring/import/template.csv");
    assert_eq!(t.status(), StatusCode::OK);
    assert!(t.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    assert_eq!(
        t.text().unwrap(),
        "name,email,phone,source,resume_url,resume_text,notes,applied_at\n"
    );
}

fn onramp(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("ONRAMP_MAIL_DIR", app.dir.path().join("cli-mail"))
        .output()
        .expect("run onramp")
}

#[test]
fn the_command_line_imports_a_file_and_fails_loudly_on_a_bad_one() {
    let app = TestApp::spawn();
    let job_id = job(&app, "Customer Loyalty Team Member", "open");
    let good = app.dir.path().join("good.csv");
    let mut csv = HEADER.to_string();
    for i in 0..250 {
        csv.push_str(&format!(
            "Person {i},person{i}@example.com,,job_board,,,,\n"
        ));
    }
    csv.push_str("Person Again,PERSON7@example.com,,,,,,\n");
    std::fs::write(&good, &csv).unwrap();
    let out = onramp(
        &app,
        &[
            "import",
            "candidates",
            good.to_str().unwrap(),
            "--job",
            &job_id.0.to_string(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("imported 250 of 251 rows"), "{stdout}");
    assert!(
        stdout.contains("skipped line 252: person7@example.com is already on line 9"),
        "{stdout}"
    );
    assert_eq!(emails(&app).len(), 250);
    let history: i64 = stage_changes::table
        .count()
        .get_result(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(history, 250);
    let audits: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("candidates.imported"))
        .select(audit_log::actor_label)
        .load(&mut app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(audits, ["command line"]);

    let bad = app.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{HEADER}Fine,fine@example.com,,,,,,\nBroken,broken,,,,,,\n,x@example.com,,,,,,\n"),
    )
    .unwrap();
    let out = onramp(
        &app,
        &[
            "import",
            "candidates",
            bad.to_str().unwrap(),
            "--job",
            &job_id.0.to_string(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("bad.csv: line 3, email:"), "{stderr}");
    assert!(
        stderr.contains("bad.csv: line 4, name: Enter the candidate's name."),
        "{stderr}"
    );
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
    assert_eq!(emails(&app).len(), 250, "nothing from the bad file");

    let out = onramp(
        &app,
        &[
            "import",
            "candidates",
            good.to_str().unwrap(),
            "--job",
            "999999",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("There is no job #999999"));
}

#[test]
fn the_generator_spreads_candidates_across_jobs_with_consistent_history() {
    let app = TestApp::spawn();
    // The demo company first (it has candidates of its own), then the generated ones.
    let out = onramp(&app, &["demo"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("recruiter@demo.onramp.test"));
    let demo = emails(&app).len();
    let out = onramp(&app, &["demo", "--candidates", "500", "--jobs", "5"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("generated 500 candidates"), "{stdout}");

    let mut conn = app.conn();
    let c: &mut DbConn = &mut conn;
    let open_jobs: i64 = jobs::table
        .filter(jobs::status.eq("open"))
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(open_jobs, 5);
    // The demo company's open jobs are reused and the rest created: every open job has
    // competencies for its technical interview.
    let without: i64 = jobs::table
        .filter(jobs::status.eq("open"))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            onramp::db::schema::competencies::table
                .filter(onramp::db::schema::competencies::job_id.eq(jobs::id)),
        )))
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(without, 0);
    let people: Vec<(
        CandidateId,
        JobId,
        String,
        chrono::NaiveDateTime,
        chrono::NaiveDateTime,
    )> = candidates::table
        .select((
            candidates::id,
            candidates::job_id,
            candidates::stage,
            candidates::applied_at,
            candidates::stage_entered_at,
        ))
        .load(c)
        .unwrap();
    assert_eq!(people.len(), demo + 500);
    let used: std::collections::HashSet<JobId> = people.iter().map(|p| p.1).collect();
    assert!(used.len() >= 4, "spread across jobs: {used:?}");
    let stages: std::collections::HashSet<&str> = people.iter().map(|p| p.2.as_str()).collect();
    for s in ["applied", "screening", "rejected"] {
        assert!(stages.contains(s), "{s} among {stages:?}");
    }
    let two_years_ago = app.clock.now() - chrono::Duration::days(731);
    let history: Vec<(
        CandidateId,
        JobId,
        Option<String>,
        String,
        chrono::NaiveDateTime,
    )> = stage_changes::table
        .select((
            stage_changes::candidate_id,
            stage_changes::job_id,
            stage_changes::from_stage,
            stage_changes::to_stage,
            stage_changes::at,
        ))
        .order((stage_changes::candidate_id.asc(), stage_changes::id.asc()))
        .load(c)
        .unwrap();
    for (id, job_id, stage, applied, entered) in &people {
        let mine: Vec<_> = history.iter().filter(|h| h.0 == *id).collect();
        assert!(!mine.is_empty());
        assert_eq!(mine[0].2, None, "history starts with no previous stage");
        assert_eq!(mine[0].3, "applied");
        assert_eq!(mine[0].4, *applied);
        assert!(*applied >= two_years_ago && *applied <= app.clock.now());
        for w in mine.windows(2) {
            assert_eq!(
                w[1].2.as_deref(),
                Some(w[0].3.as_str()),
                "each move starts where the last ended"
            );
            assert!(w[0].4 <= w[1].4);
        }
        let last = mine.last().unwrap();
        assert_eq!(&last.3, stage, "the last move ends in the current stage");
        assert_eq!(last.4, *entered);
        assert!(mine.iter().all(|h| h.1 == *job_id));
    }
    let unique: std::collections::HashSet<String> = emails(&app).into_iter().collect();
    assert_eq!(unique.len(), demo + 500);
    // The boards count what was stored, whichever writer stored it.
    let mut actual = std::collections::BTreeMap::new();
    for (_, job_id, stage, _, _) in &people {
        *actual.entry((*job_id, stage.clone())).or_insert(0i64) += 1;
    }
    let counted: std::collections::BTreeMap<(JobId, String), i64> = job_stage_counts::table
        .filter(job_stage_counts::candidates.ne(0))
        .select((
            (job_stage_counts::job_id, job_stage_counts::stage),
            job_stage_counts::candidates,
        ))
        .load(c)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(counted, actual);

    // Again on the same database: the jobs are reused and the emails stay unique.
    let out = onramp(&app, &["demo", "--candidates", "100", "--jobs", "5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("across 5 open jobs (0 new)"));
    assert_eq!(emails(&app).len(), demo + 600);
    assert!(app
        .audit_actions()
        .contains(&"demo.candidates_generated".to_string()));
}

/// A name search sorted by date finds candidates one of two ways: the few who share a
/// rare prefix from the name index, or, when 2,000 or more do, by walking the dates.
/// Both must list exactly the matches, in date order, across pages and with a date filter.
#[test]
fn a_name_search_lists_every_match_in_date_order_whether_few_or_many_share_the_prefix() {
    let app = TestApp::spawn();
    let job_id = job(&app, "Customer Loyalty Representative", "open");
    let mut s = recruiter(&app);
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    // Dates out of step with the rows, and many rows per day, so the order is by date
    // first and by id only within a day.
    let applied = |i: usize| first + chrono::Duration::days(((i * 37) % 300) as i64);
    let mut csv = HEADER.to_string();
    for i in 0..2_100 {
        csv += &format!("Zoe Many{i},zoe{i}@many.test,,agency,,,,{}\n", applied(i));
    }
    for i in 0..30 {
        csv += &format!(
            "Zed Few{i},zed{i}@few.test,,agency,,,,{}\n",
            applied(i * 11)
        );
    }
    csv += &format!("Zoey Other,zoey@other.test,,agency,,,,{first}\n");
    let (status, body) = upload(&mut s, job_id, &csv);
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows: Vec<(i64, String, chrono::NaiveDateTime)> = candidates::table
        .select((candidates::id, candidates::name_key, candidates::applied_at))
        .load::<(CandidateId, String, chrono::NaiveDateTime)>(&mut app.conn() as &mut DbConn)
        .unwrap()
        .into_iter()
        .map(|(id, name, at)| (id.0, name, at))
        .collect();
    let expect = |prefix: &str, from: chrono::NaiveDate, newest: bool| {
        let from = from.and_hms_opt(0, 0, 0).unwrap();
        let mut m: Vec<_> = rows
            .iter()
            .filter(|(_, name, at)| name.starts_with(prefix) && *at >= from)
            .map(|(id, _, at)| (*at, *id))
            .collect();
        m.sort();
        if newest {
            m.reverse();
        }
        m.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    app.user("boss@acme.test", &[Role::Admin]);
    let token = app.api_token("boss@acme.test");
    let later = first + chrono::Duration::days(150);
    for (q, prefix, count) in [
        ("Zoe", "zoe", 2_101),
        ("zoe%20m", "zoe m", 2_100),
        ("zoe%20many1", "zoe many1", 1_111),
        ("Zed", "zed", 30),
        ("zq", "zq", 0),
    ] {
        assert_eq!(expect(prefix, first, true).len(), count, "{q}");
        for (sort, newest) in [("newest", true), ("oldest", false)] {
            let got = listed(&app, &token, &format!("q={q}&sort={sort}&limit=200"));
            assert_eq!(got, expect(prefix, first, newest), "q={q} sort={sort}");
            let got = listed(
                &app,
                &token,
                &format!("q={q}&sort={sort}&applied_from={later}&limit=200"),
            );
            assert_eq!(got, expect(prefix, later, newest), "q={q} from {later}");
        }
    }
    // The page shows the first 50 of the same order.
    let (_, body) = s.page("/hiring/candidates?q=zoe");
    let ids: Vec<i64> = expect("zoe", first, true).into_iter().take(50).collect();
    assert_eq!(ids_in(&body), ids);
}
