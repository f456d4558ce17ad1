//! The recruiters' reports against a small data set whose figures are worked out by hand
//! below: the funnel (reach, pass-through, time to hire, time in stage), interviewer
//! calibration (submitted, late, recommendations, theirs vs panel), their CSVs, the
//! period, job and track filters, and who may see them.

mod common;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CandidateId, JobId};
use onramp::db::schema::{
    interview_panel, interviews, jobs, scorecard_ratings, scorecard_versions, scorecards,
};
use onramp::db::DbConn;
use onramp::hiring::candidates::{model as candidates, rules::CandidateInput};
use onramp::hiring::rules::Stage;
use reqwest::StatusCode;

/// The fixed data set, on a timeline starting 30 days before the clock's today at 09:00.
struct Data {
    t0: NaiveDateTime,
    loyalty: JobId,
    warehouse: JobId,
    ivy: i64,
    ken: i64,
    lea: i64,
}

impl Data {
    fn date(&self, n: i64) -> NaiveDate {
        (self.t0 + Duration::days(n)).date()
    }
}

fn job(conn: &mut DbConn, title: &str, now: NaiveDateTime) -> JobId {
    diesel::insert_into(jobs::table)
        .values((
            jobs::title.eq(title),
            jobs::department.eq("Operations"),
            jobs::location.eq("Las Vegas"),
            jobs::description.eq(""),
            jobs::status.eq("open"),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(conn)
        .unwrap()
}

/// A candidate who applied at `applied` and then moved through `moves` in order.
fn candidate(
    conn: &mut DbConn,
    job: JobId,
    name: &str,
    applied: NaiveDateTime,
    moves: &[(Stage, NaiveDateTime)],
) -> CandidateId {
    let input = CandidateInput {
        name: name.into(),
        email: format!("{}@mail.test", name.to_lowercase()),
        ..Default::default()
    };
    let valid = onramp::hiring::candidates::rules::validate(&input).unwrap();
    let id = candidates::insert(conn, job, &valid, applied, None, applied).unwrap();
    for (stage, at) in moves {
        let c = candidates::find(conn, id).unwrap();
        candidates::move_stage(conn, &c, *stage, None, "", None, *at).unwrap();
    }
    id
}

fn interview(
    conn: &mut DbConn,
    cand: CandidateId,
    track: &str,
    starts: NaiveDateTime,
    minutes: i64,
    panel: &[i64],
) -> i64 {
    let id: i64 = diesel::insert_into(interviews::table)
        .values((
            interviews::candidate_id.eq(cand),
            interviews::track.eq(track),
            interviews::starts_at.eq(starts),
            interviews::duration_minutes.eq(minutes),
            interviews::location.eq("Room 1"),
            interviews::video_url.eq(""),
            interviews::status.eq("scheduled"),
            interviews::ical_uid.eq(format!("uid-{cand}-{track}")),
            interviews::sequence.eq(0i64),
            interviews::created_at.eq(starts),
            interviews::updated_at.eq(starts),
        ))
        .returning(interviews::id)
        .get_result(conn)
        .unwrap();
    for u in panel {
        diesel::insert_into(interview_panel::table)
            .values((
                interview_panel::interview_id.eq(id),
                interview_panel::user_id.eq(u),
            ))
            .execute(conn)
            .unwrap();
    }
    id
}

/// One version of a scorecard: its recommendation and ratings by attribute (None = N/A).
type Version<'a> = (&'a str, &'a [(&'a str, Option<i64>)]);

/// A scorecard with its versions; the last version is the current one.
/// Each version is (recommendation, ratings by attribute name, None for N/A).
fn scorecard(
    conn: &mut DbConn,
    interview: i64,
    who: i64,
    submitted: NaiveDateTime,
    versions: &[Version],
) {
    let (cand, track): (i64, String) = interviews::table
        .find(interview)
        .select((interviews::candidate_id, interviews::track))
        .first(conn)
        .unwrap();
    let current = versions.last().unwrap();
    let id: i64 = diesel::insert_into(scorecards::table)
        .values((
            scorecards::interview_id.eq(interview),
            scorecards::candidate_id.eq(cand),
            scorecards::interviewer_id.eq(who),
            scorecards::track.eq(&track),
            scorecards::recommendation.eq(current.0),
            scorecards::version.eq(versions.len() as i64),
            scorecards::submitted_at.eq(submitted),
        ))
        .returning(scorecards::id)
        .get_result(conn)
        .unwrap();
    for (k, (rec, ratings)) in versions.iter().enumerate() {
        let v: i64 = diesel::insert_into(scorecard_versions::table)
            .values((
                scorecard_versions::scorecard_id.eq(id),
                scorecard_versions::version.eq(k as i64 + 1),
                scorecard_versions::recommendation.eq(*rec),
                scorecard_versions::summary.eq(""),
                scorecard_versions::reason.eq(if k == 0 { "" } else { "corrected" }),
                scorecard_versions::author_id.eq(who),
                scorecard_versions::created_at.eq(submitted),
            ))
            .returning(scorecard_versions::id)
            .get_result(conn)
            .unwrap();
        for (i, (name, rating)) in ratings.iter().enumerate() {
            diesel::insert_into(scorecard_ratings::table)
                .values((
                    scorecard_ratings::scorecard_version_id.eq(v),
                    scorecard_ratings::attribute_id.eq(i as i64 + 1),
                    scorecard_ratings::attribute_name.eq(*name),
                    scorecard_ratings::rating.eq(*rating),
                    scorecard_ratings::evidence.eq("seen"),
                ))
                .execute(conn)
                .unwrap();
        }
    }
}

const COMM: &str = "Communication";
const SOLVE: &str = "Problem solving";
const HUMBLE: &str = "Be Humble";
const WOW: &str = "Deliver WOW Through Service";

/// Candidates (day numbers from t0):
///   Customer Loyalty Rep
///     Ann  applied 0, screening 2, technical 5, culture 9, decision 10, hired 12
///     Bob  applied 0, screening 1, technical 4.5, rejected 6
///     Cy   applied 1, technical 3 (skipped screening), culture 5, withdrawn 6
///     Dee  applied 2, still applied
///     Eve  applied 3, screening 7, decision 9 (skipped technical and culture), hired 11
///     Old  applied -100, screening -99, hired -90 (outside the default 90 days)
///   Warehouse Associate
///     Fay  applied 0, screening 1, technical 2, culture 3, decision 4, hired 5
///
/// Interviews and scorecards (Ivy, Ken, Lea interview):
///   I1 Ann technical, day 5 10:00, 60 min: Ivy strong yes at 5 12:00 (COMM 5, SOLVE 4);
///      Ken yes at day 6 11:00, exactly 24 h after the end: on time (COMM 3, SOLVE N/A)
///   I2 Bob technical, day 4 10:00, 60 min: Ivy no at day 5 11:01, late (COMM 2, SOLVE 3);
///      Ken strong no at 4 15:00 (COMM 1, SOLVE 2); Lea no at 4 16:00 (COMM 3, SOLVE N/A)
///   I3 Ann culture, day 9 10:00, 90 min: Lea yes at 9 13:00 (HUMBLE 4, WOW 5);
///      Ken at day 10 12:00, late: first strong no (HUMBLE 1), amended to yes (HUMBLE 3, WOW 4)
fn seed(app: &TestApp) -> Data {
    let today = app.clock.now().date();
    let t0 = (today - Duration::days(30)).and_hms_opt(9, 0, 0).unwrap();
    let d = |n: f64| t0 + Duration::minutes((n * 24.0 * 60.0) as i64);
    let ivy = app.user("ivy@acme.test", &[Role::Interviewer]).id.0;
    let ken = app.user("ken@acme.test", &[Role::Interviewer]).id.0;
    let lea = app.user("lea@acme.test", &[Role::Interviewer]).id.0;
    let c = &mut app.conn();
    let loyalty = job(c, "Customer Loyalty Rep", t0);
    let warehouse = job(c, "Warehouse Associate", t0);
    use Stage::*;
    let a = candidate(
        c,
        loyalty,
        "Ann",
        d(0.0),
        &[
            (Screening, d(2.0)),
            (Technical, d(5.0)),
            (Culture, d(9.0)),
            (Decision, d(10.0)),
            (Hired, d(12.0)),
        ],
    );
    let b = candidate(
        c,
        loyalty,
        "Bob",
        d(0.0),
        &[(Screening, d(1.0)), (Technical, d(4.5)), (Rejected, d(6.0))],
    );
    candidate(
        c,
        loyalty,
        "Cy",
        d(1.0),
        &[(Technical, d(3.0)), (Culture, d(5.0)), (Withdrawn, d(6.0))],
    );
    candidate(c, loyalty, "Dee", d(2.0), &[]);
    candidate(
        c,
        loyalty,
        "Eve",
        d(3.0),
        &[(Screening, d(7.0)), (Decision, d(9.0)), (Hired, d(11.0))],
    );
    candidate(
        c,
        loyalty,
        "Old",
        d(-100.0),
        &[(Screening, d(-99.0)), (Hired, d(-90.0))],
    );
    candidate(
        c,
        warehouse,
        "Fay",
        d(0.0),
        &[
            (Screening, d(1.0)),
            (Technical, d(2.0)),
            (Culture, d(3.0)),
            (Decision, d(4.0)),
            (Hired, d(5.0)),
        ],
    );

    let at = |day: i64, h: u32, m: u32| {
        (t0.date() + Duration::days(day))
            .and_hms_opt(h, m, 0)
            .unwrap()
    };
    let i1 = interview(c, a, "technical", at(5, 10, 0), 60, &[ivy, ken]);
    scorecard(
        c,
        i1,
        ivy,
        at(5, 12, 0),
        &[("strong_yes", &[(COMM, Some(5)), (SOLVE, Some(4))])],
    );
    scorecard(
        c,
        i1,
        ken,
        at(6, 11, 0),
        &[("yes", &[(COMM, Some(3)), (SOLVE, None)])],
    );
    let i2 = interview(c, b, "technical", at(4, 10, 0), 60, &[ivy, ken, lea]);
    scorecard(
        c,
        i2,
        ivy,
        at(5, 11, 1),
        &[("no", &[(COMM, Some(2)), (SOLVE, Some(3))])],
    );
    scorecard(
        c,
        i2,
        ken,
        at(4, 15, 0),
        &[("strong_no", &[(COMM, Some(1)), (SOLVE, Some(2))])],
    );
    scorecard(
        c,
        i2,
        lea,
        at(4, 16, 0),
        &[("no", &[(COMM, Some(3)), (SOLVE, None)])],
    );
    let i3 = interview(c, a, "culture", at(9, 10, 0), 90, &[lea, ken]);
    scorecard(
        c,
        i3,
        lea,
        at(9, 13, 0),
        &[("yes", &[(HUMBLE, Some(4)), (WOW, Some(5))])],
    );
    scorecard(
        c,
        i3,
        ken,
        at(10, 12, 0),
        &[
            ("strong_no", &[(HUMBLE, Some(1))]),
            ("yes", &[(HUMBLE, Some(3)), (WOW, Some(4))]),
        ],
    );
    Data {
        t0,
        loyalty,
        warehouse,
        ivy,
        ken,
        lea,
    }
}

/// The text of each table row's cells, tags stripped.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    html.split("<tr>")
        .skip(1)
        .map(|tr| {
            let tr = &tr[..tr.find("</tr>").unwrap_or(tr.len())];
            tr.split("<td")
                .skip(1)
                .map(|td| {
                    let inner = &td[td.find('>').unwrap() + 1..];
                    let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in inner.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_string()
                })
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn recruiter(app: &TestApp) -> Session {
    app.user("rita@acme.test", &[Role::Recruiter]);
    app.login("rita@acme.test")
}

#[test]
fn funnel_for_one_job_matches_the_hand_counts() {
    let app = TestApp::spawn();
    let d = seed(&app);
    let mut s = recruiter(&app);
    let (status, body) = s.page(&format!("/hiring/reports/funnel?job={}", d.loyalty));
    assert_eq!(status, StatusCode::OK, "{body}");
    // Reached: Ann (hired), Bob (technical), Cy (culture, skipped screening), Dee (applied),
    // Eve (hired, skipped technical and culture). Old applied before the last 90 days.
    // Days in stage are the finished stays: applied 2, 1, 2, 4 -> 2.0; screening 3, 3.5, 2
    // -> 3.0; technical 4, 1.5, 2 -> 2.0; culture 1, 1 -> 1.0; decision 2, 2 -> 2.0.
    let rows = table_rows(&body);
    let want: Vec<Vec<&str>> = vec![
        vec!["Applied", "5", "Screening", "80%", "2.0", "4"],
        vec!["Screening", "4", "Technical interview", "100%", "3.0", "3"],
        vec![
            "Technical interview",
            "4",
            "Culture interview",
            "75%",
            "2.0",
            "3",
        ],
        vec!["Culture interview", "3", "Decision", "67%", "1.0", "2"],
        vec!["Decision", "2", "Hired", "100%", "2.0", "2"],
        vec!["Hired", "2", "", "", "", ""],
    ];
    assert_eq!(rows, want);
    assert!(body.contains("5 candidates applied to Customer Loyalty Rep"));
    // Time to hire: Ann 12 days, Eve 8 days.
    assert!(
        body.contains("10.0 <span class=\"unit\">days median</span>"),
        "{body}"
    );
    assert!(body.contains("Mean 10.0 days over 2 hired."));
    assert!(body.contains("<h2>Rejected</h2><p class=\"big\">1</p>"));
    assert!(body.contains("<h2>Withdrawn</h2><p class=\"big\">1</p>"));
    assert!(body.contains("counts as having passed through it"));
    // The chart: titled, bars scaled to the 5 who applied, no style attributes.
    assert!(body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""));
    assert!(body.contains(
        "<title id=\"funnel-chart-title\">Candidates reaching each stage, Customer Loyalty Rep"
    ));
    assert!(body.contains(">4 (80%)</text>"));
    assert!(!body.contains("style="));
    assert!(body.contains(&format!(
        "<option value=\"{}\" selected>Customer Loyalty Rep</option>",
        d.loyalty
    )));

    let csv_link = format!(
        "/hiring/reports/funnel.csv?job={}&from={}&to={}",
        d.loyalty,
        d.date(-59),
        d.date(30)
    );
    assert!(
        unescape(&body).contains(&csv_link),
        "the page links its CSV with the same query"
    );
    let r = s.get(&csv_link);
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv_rows(&r.text().unwrap());
    let (from, to) = (d.date(-59).to_string(), d.date(30).to_string());
    let line = |cells: &[&str]| {
        let mut v = vec![from.clone(), to.clone(), "Customer Loyalty Rep".to_string()];
        v.extend(cells.iter().map(|c| c.to_string()));
        v
    };
    assert_eq!(
        csv,
        vec![
            vec![
                "from",
                "to",
                "job",
                "stage",
                "reached",
                "next_stage",
                "pass_through_percent",
                "median_days_in_stage",
                "stays_measured",
                "time_to_hire_median_days",
                "time_to_hire_mean_days"
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            line(&["applied", "5", "screening", "80.0", "2.0", "4", "", ""]),
            line(&[
                "screening",
                "4",
                "technical_interview",
                "100.0",
                "3.0",
                "3",
                "",
                ""
            ]),
            line(&[
                "technical_interview",
                "4",
                "culture_interview",
                "75.0",
                "2.0",
                "3",
                "",
                ""
            ]),
            line(&[
                "culture_interview",
                "3",
                "decision",
                "66.7",
                "1.0",
                "2",
                "",
                ""
            ]),
            line(&["decision", "2", "hired", "100.0", "2.0", "2", "", ""]),
            line(&["hired", "2", "", "", "", "", "10.0", "10.0"]),
            line(&["rejected", "1", "", "", "", "", "", ""]),
            line(&["withdrawn", "1", "", "", "", "", "", ""]),
        ]
    );
}

#[test]
fn funnel_for_all_jobs_adds_the_other_job_and_the_period_picks_who_applied_when() {
    let app = TestApp::spawn();
    let d = seed(&app);
    let mut s = recruiter(&app);
    // All jobs, default period: Fay (warehouse, hired in 5 days) joins the five.
    let (status, body) = s.page("/hiring/reports/funnel");
    assert_eq!(status, StatusCode::OK);
    let rows = table_rows(&body);
    let reached: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(reached, ["6", "5", "5", "4", "3", "3"]);
    assert!(body.contains("6 candidates applied to all jobs"));
    // Hires took 12, 8 and 5 days: median 8, mean 25/3.
    assert!(body.contains("8.0 <span class=\"unit\">days median</span>"));
    assert!(body.contains("Mean 8.3 days over 3 hired."));

    // Only the first day: Ann, Bob (loyalty) and Fay (warehouse) applied then.
    let day0 = d.date(0);
    let (_, body) = s.page(&format!("/hiring/reports/funnel?from={day0}&to={day0}"));
    let reached: Vec<String> = table_rows(&body).iter().map(|r| r[1].clone()).collect();
    assert_eq!(reached, ["3", "3", "3", "2", "2", "2"]);
    // The same period for the warehouse job alone: Fay only.
    let (_, body) = s.page(&format!(
        "/hiring/reports/funnel?job={}&from={day0}&to={day0}",
        d.warehouse
    ));
    let reached: Vec<String> = table_rows(&body).iter().map(|r| r[1].clone()).collect();
    assert_eq!(reached, ["1", "1", "1", "1", "1", "1"]);
    assert!(body.contains("5.0 <span class=\"unit\">days median</span>"));

    // A period reaching back 101 days takes in Old: applied, screening, then hired (skipping
    // three stages) 10 days later.
    let r = s.get(&format!(
        "/hiring/reports/funnel.csv?job={}&from={}&to={}",
        d.loyalty,
        d.date(-101),
        d.date(-1)
    ));
    let csv = csv_rows(&r.text().unwrap());
    let reached: Vec<&str> = csv[1..7].iter().map(|r| r[4].as_str()).collect();
    assert_eq!(reached, ["1", "1", "1", "1", "1", "1"]);
    assert_eq!(csv[6][9], "10.0");
    assert_eq!(csv[1][7], "1.0", "a day in applied");
    assert_eq!(csv[2][7], "9.0", "nine days in screening");
}

#[test]
fn bad_report_queries_are_refused_next_to_the_field() {
    let app = TestApp::spawn();
    let d = seed(&app);
    let mut s = recruiter(&app);
    let (status, body) = s.page("/hiring/reports/funnel?from=yesterday&to=2026-01-01");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Write the date as YYYY-MM-DD."));
    assert!(
        body.contains("value=\"yesterday\""),
        "what was typed is kept"
    );
    let (status, body) = s.page(&format!(
        "/hiring/reports/funnel?from={}&to={}",
        d.date(3),
        d.date(1)
    ));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("The end of the period comes before its start."));
    let (status, _) = s.page("/hiring/reports/funnel?job=999999");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.get("/hiring/reports/funnel.csv?job=abc").status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, body) = s.page("/hiring/reports/calibration?track=gut_feeling");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Choose technical or culture fit."));
    // Blank fields mean "the default", not an error.
    let (status, _) = s.page("/hiring/reports/funnel?job=&from=&to=");
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn calibration_matches_the_hand_figures_and_its_csv() {
    let app = TestApp::spawn();
    let d = seed(&app);
    let mut s = recruiter(&app);
    let (status, body) = s.page("/hiring/reports/calibration");
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows = table_rows(&body);
    // Submitted, late, strong no, no, yes, strong yes. Ken's culture card counts as its
    // amended "yes"; his I1 card came exactly 24 h after the end, which is on time.
    assert_eq!(rows[0], ["Ivy", "2", "1", "0", "1", "0", "1"]);
    assert_eq!(rows[1], ["Ken", "3", "1", "1", "0", "2", "0"]);
    assert_eq!(rows[2], ["Lea", "2", "0", "0", "1", "1", "0"]);
    // Theirs vs panel, per interviewer, attributes in name order:
    //   Ivy COMM 5,2 = 3.50 vs Ken 3 on Ann, Ken 1 + Lea 3 on Bob = 7/3 = 2.33
    //   Ivy SOLVE 4,3 = 3.50 vs Ken 2 on Bob (N/A left out) = 2.00
    assert_eq!(
        rows[3],
        [
            "Communication",
            "3.50",
            "2",
            "2.33",
            "3",
            "+1.17",
            "more generous"
        ]
    );
    assert_eq!(
        rows[4],
        [
            "Problem solving",
            "3.50",
            "2",
            "2.00",
            "1",
            "+1.50",
            "more generous"
        ]
    );
    //   Ken HUMBLE 3 (the amendment, not the original 1) vs Lea 4; COMM 3,1 = 2 vs 5,2,3 = 3.33
    assert_eq!(
        rows[5],
        ["Be Humble", "3.00", "1", "4.00", "1", "-1.00", "harsher"]
    );
    assert_eq!(
        rows[6],
        [
            "Communication",
            "2.00",
            "2",
            "3.33",
            "3",
            "-1.33",
            "harsher"
        ]
    );
    assert_eq!(
        rows[7],
        [
            "Deliver WOW Through Service",
            "4.00",
            "1",
            "5.00",
            "1",
            "-1.00",
            "harsher"
        ]
    );
    assert_eq!(
        rows[8],
        [
            "Problem solving",
            "2.00",
            "1",
            "3.00",
            "1",
            "-1.00",
            "harsher"
        ]
    );
    //   Lea: HUMBLE 4 vs 3, COMM 3 vs Ivy 2 + Ken 1 = 1.5, WOW 5 vs 4; her SOLVE was N/A only.
    assert_eq!(
        rows[9],
        [
            "Be Humble",
            "4.00",
            "1",
            "3.00",
            "1",
            "+1.00",
            "more generous"
        ]
    );
    assert_eq!(
        rows[10],
        [
            "Communication",
            "3.00",
            "1",
            "1.50",
            "2",
            "+1.50",
            "more generous"
        ]
    );
    assert_eq!(
        rows[11],
        [
            "Deliver WOW Through Service",
            "5.00",
            "1",
            "4.00",
            "1",
            "+1.00",
            "more generous"
        ]
    );
    assert_eq!(rows.len(), 12);
    // Charts: the stacked recommendations and one "theirs vs panel" per interviewer.
    assert!(
        body.contains("<title id=\"recommendations-chart-title\">Recommendations per interviewer")
    );
    assert!(body.contains("<title>Ken: Strong no 1, No 0, Yes 2, Strong yes 0</title>"));
    assert_eq!(body.matches("class=\"chart-mine\"").count(), 9);
    assert!(body.contains(&format!("id=\"dots-{}-title\"", d.lea)));
    assert!(body.contains("more than 24 hours after the interview ended"));
    assert!(!body.contains("style="));

    let r = s.get("/hiring/reports/calibration.csv");
    assert_eq!(r.status(), StatusCode::OK);
    let csv = csv_rows(&r.text().unwrap());
    assert_eq!(csv[0][3..].join(","), "interviewer_id,interviewer,scorecards_submitted,scorecards_late,strong_no,no,yes,strong_yes,attribute,their_mean,their_ratings,panel_mean,panel_ratings");
    let tail: Vec<String> = csv[1..].iter().map(|r| r[3..].join(",")).collect();
    let (ivy, ken, lea) = (d.ivy, d.ken, d.lea);
    assert_eq!(
        tail,
        [
            format!("{ivy},Ivy,2,1,0,1,0,1,Communication,3.50,2,2.33,3"),
            format!("{ivy},Ivy,2,1,0,1,0,1,Problem solving,3.50,2,2.00,1"),
            format!("{ken},Ken,3,1,1,0,2,0,Be Humble,3.00,1,4.00,1"),
            format!("{ken},Ken,3,1,1,0,2,0,Communication,2.00,2,3.33,3"),
            format!("{ken},Ken,3,1,1,0,2,0,Deliver WOW Through Service,4.00,1,5.00,1"),
            format!("{ken},Ken,3,1,1,0,2,0,Problem solving,2.00,1,3.00,1"),
            format!("{lea},Lea,2,0,0,1,1,0,Be Humble,4.00,1,3.00,1"),
            format!("{lea},Lea,2,0,0,1,1,0,Communication,3.00,1,1.50,2"),
            format!("{lea},Lea,2,0,0,1,1,0,Deliver WOW Through Service,5.00,1,4.00,1"),
        ]
    );
    assert!(csv[1][..3].join(",").ends_with(",all"));
}

#[test]
fn calibration_filters_by_track_period_and_interviewer() {
    let app = TestApp::spawn();
    let d = seed(&app);
    let mut s = recruiter(&app);
    // Technical only: Ken's late culture card drops out.
    let (_, body) = s.page("/hiring/reports/calibration?track=technical");
    let rows = table_rows(&body);
    assert_eq!(rows[1], ["Ken", "2", "0", "1", "0", "1", "0"]);
    assert!(!body.contains(HUMBLE));
    // From day 5: Bob's interview (day 4) is out; Ivy keeps only Ann's card.
    let (_, body) = s.page(&format!(
        "/hiring/reports/calibration?from={}&to={}",
        d.date(5),
        d.date(20)
    ));
    let rows = table_rows(&body);
    assert_eq!(rows[0], ["Ivy", "1", "0", "0", "0", "0", "1"]);
    assert_eq!(
        rows[3],
        [
            "Communication",
            "5.00",
            "1",
            "3.00",
            "1",
            "+2.00",
            "more generous"
        ]
    );
    assert_eq!(
        rows[4],
        [
            "Problem solving",
            "4.00",
            "1",
            "n/a",
            "0",
            "",
            "no one else rated it"
        ]
    );
    // One interviewer's attributes only, on the page and in the CSV.
    let (_, body) = s.page(&format!(
        "/hiring/reports/calibration?interviewer={}",
        d.lea
    ));
    assert_eq!(body.matches("class=\"chart-mine\"").count(), 3);
    assert!(body.contains(&format!(
        "<option value=\"{}\" selected>Lea</option>",
        d.lea
    )));
    let r = s.get(&format!(
        "/hiring/reports/calibration.csv?track=culture&interviewer={}",
        d.ken
    ));
    let csv = csv_rows(&r.text().unwrap());
    let tail: Vec<String> = csv[1..].iter().map(|r| r[2..].join(",")).collect();
    assert_eq!(
        tail,
        [
            format!("culture,{},Ken,1,1,0,0,1,0,Be Humble,3.00,1,4.00,1", d.ken),
            format!(
                "culture,{},Ken,1,1,0,0,1,0,Deliver WOW Through Service,4.00,1,5.00,1",
                d.ken
            ),
        ]
    );
    // A period with no interviews says so.
    let (status, body) = s.page(&format!(
        "/hiring/reports/calibration?from={}&to={}",
        d.date(-60),
        d.date(-50)
    ));
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No scorecards for interviews in this period."));
}

#[test]
fn reports_are_for_recruiters_hr_and_admins_only() {
    let app = TestApp::spawn();
    seed(&app);
    let paths = [
        "/hiring/reports",
        "/hiring/reports/funnel",
        "/hiring/reports/funnel.csv",
        "/hiring/reports/calibration",
        "/hiring/reports/calibration.csv",
    ];
    for (email, role, allowed) in [
        ("rec@acme.test", Role::Recruiter, true),
        ("hr@acme.test", Role::Hr, true),
        ("adm@acme.test", Role::Admin, true),
        ("int@acme.test", Role::Interviewer, false),
        ("tr@acme.test", Role::Trainer, false),
        ("nh@acme.test", Role::NewHire, false),
    ] {
        app.user(email, &[role]);
        let mut s = app.login(email);
        for p in paths {
            let want = if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(s.get(p).status(), want, "{email} on {p}");
        }
    }
    let mut anon = app.session();
    for p in paths {
        let r = anon.get(p);
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{p}");
        assert!(location(&r).starts_with("/login?next="));
    }
    // The index explains and links both reports.
    let mut s = app.login("hr@acme.test");
    let (_, body) = s.page("/hiring/reports");
    assert!(
        body.contains("href=\"/hiring/reports/funnel\"")
            && body.contains("href=\"/hiring/reports/calibration\"")
    );
}
