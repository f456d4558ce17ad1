//! The Offer over HTTP: policies and their history, offers made by the scheduled job
//! (idempotent, catching up) or at once by a trainer, answered only by the trainee in the
//! portal (once, even at the same moment from two tabs), expiry, void, the payout with its
//! arithmetic, the farewell page and the account's end 30 days later. Time moves with the
//! injectable clock.

mod common;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use onramp::db::ids::{CohortId, EnrolmentId, OfferId, UserId};
use onramp::db::schema::{enrolments, hires, offers, outbox, payouts, users};
use onramp::db::DbConn;
use onramp::offer::offers::service::{self, JobRun};
use reqwest::StatusCode;
use serde_json::{json, Value};

const TRAINER: &str = "tina@acme.test";
const HR: &str = "hana@acme.test";
const ANN: &str = "ann@acme.test";
const BOB: &str = "bob@acme.test";

struct World {
    app: TestApp,
    cohort: CohortId,
    /// Monday, day 1 of the cohort.
    start: NaiveDate,
    ann: UserId,
    bob: UserId,
}

/// A cohort starting next Monday with Ann (Fulfillment) and Bob (Finance) on it.
fn world() -> World {
    let app = TestApp::spawn();
    let trainer = app.user(TRAINER, &[Role::Trainer]);
    app.user(HR, &[Role::Hr]);
    let today = app.clock.now().date();
    let start = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let cohort = app.cohort("Class 160", start, 20, &[trainer.id]);
    let (ann, _) = app.new_hire(ANN, "Fulfillment", start);
    let (bob, _) = app.new_hire(BOB, "Finance", start);
    World {
        app,
        cohort,
        start,
        ann,
        bob,
    }
}

impl World {
    /// Moves the clock to `at` (UTC).
    fn set_time(&self, at: NaiveDateTime) {
        let now = self.app.clock.now();
        self.app.clock.advance(at - now);
    }

    /// 17:00 UTC (the test company's zone) at the end of training day `n` (Mon-Fri).
    fn end_of_day(&self, n: i64) -> NaiveDateTime {
        let week = (n - 1) / 5;
        let date = self.start + Duration::days(week * 7 + (n - 1) % 5);
        date.and_hms_opt(17, 0, 0).unwrap()
    }

    fn run_job(&self) -> JobRun {
        service::run_due(&mut self.app.conn(), &self.app.ctx()).unwrap()
    }

    fn enrolment(&self, user: UserId) -> EnrolmentId {
        enrolments::table
            .filter(enrolments::user_id.eq(user))
            .select(enrolments::id)
            .first(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn mark(&self, user: UserId, days: std::ops::RangeInclusive<i64>, status: &str) {
        let e = self.enrolment(user);
        self.app.mark_days(self.cohort, e, days, status);
    }

    fn offer_of(&self, user: UserId) -> (OfferId, String) {
        offers::table
            .filter(offers::user_id.eq(user))
            .select((offers::id, offers::status))
            .first(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn offer_count(&self) -> i64 {
        offers::table
            .count()
            .get_result(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }

    fn mails_to(&self, to: &str) -> Vec<String> {
        outbox::table
            .filter(outbox::to_addr.eq(to))
            .select(outbox::subject)
            .load(&mut self.app.conn() as &mut DbConn)
            .unwrap()
    }
}

#[test]
fn the_job_makes_offers_at_the_end_of_day_five_once_and_catches_up() {
    let w = world();
    // During day 5 nothing is due yet.
    w.set_time(w.end_of_day(5) - Duration::minutes(1));
    assert_eq!(w.run_job().made, 0);
    // The server was down over the weekend: on Monday the job catches up.
    w.set_time(w.end_of_day(6) - Duration::hours(8));
    assert_eq!(w.run_job().made, 2);
    // Running again makes nothing new.
    assert_eq!(w.run_job(), JobRun::default());
    assert_eq!(w.offer_count(), 2);
    assert_eq!(w.mails_to(ANN), vec!["An offer is waiting for you"]);
    let (opens, expires, bonus): (NaiveDateTime, NaiveDateTime, i64) = offers::table
        .filter(offers::user_id.eq(w.ann))
        .select((offers::opens_at, offers::expires_at, offers::bonus_cents))
        .first(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    assert_eq!(opens, w.end_of_day(5));
    assert_eq!(expires, w.end_of_day(10));
    assert_eq!(bonus, 200_000);
    assert!(w.app.audit_actions().contains(&"offer.made".to_string()));
}

#[test]
fn a_trainer_makes_the_cohort_offers_at_once() {
    let w = world();
    w.set_time(w.end_of_day(2));
    let mut tina = w.app.login(TRAINER);
    let path = format!("/training/cohorts/{}/offers", w.cohort.0);
    assert_eq!(tina.page(&path).0, StatusCode::OK);
    let r = tina.post(&path, &[]);
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = tina.follow(r);
    assert!(page.contains("Made 2 offers"), "{page}");
    assert!(page.contains("Ann"));
    // Again: nobody is left without one.
    let r = tina.post(&path, &[]);
    let (_, page) = tina.follow(r);
    assert!(page.contains("Every trainee already has an offer"));
    // The trainer's home counts the open offers in their cohorts.
    let (_, home) = tina.page("/training/home");
    assert!(home.contains("Class 160</a>: 2 open offers"), "{home}");
    // The job later finds nothing to do.
    w.set_time(w.end_of_day(5) + Duration::minutes(5));
    assert_eq!(w.run_job().made, 0);
    // Only trainers and admins make offers.
    let mut hana = w.app.login(HR);
    assert_eq!(hana.page(&path).0, StatusCode::OK);
    assert_eq!(hana.post(&path, &[]).status(), StatusCode::FORBIDDEN);
}

#[test]
fn accepting_shows_the_total_asks_for_the_password_and_pays_out() {
    let w = world();
    w.mark(w.ann, 1..=4, "present");
    w.mark(w.ann, 5..=5, "late");
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    assert_eq!(w.run_job().made, 2);
    let (offer, _) = w.offer_of(w.ann);

    let mut ann = w.app.login(ANN);
    let (status, page) = ann.page("/portal/offer");
    assert_eq!(status, StatusCode::OK);
    // 5 days × 8 h × $18.50 = $740.00, plus the $2,000.00 bonus.
    assert!(page.contains("$2,740.00"), "{page}");
    assert!(page.contains("40 h × $18.50/hour"));
    assert!(page.contains("You leave the company <strong>today</strong>"));

    let id = offer.0.to_string();
    // Wrong password: refused next to the field; nothing changes.
    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &id),
            ("password", "not it"),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    assert!(body.contains("That is not your password"), "{body}");
    // Not confirmed: refused too.
    let r = ann.post(
        "/portal/offer/accept",
        &[("offer_id", &id), ("password", PASSWORD)],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().unwrap().contains("Tick the box"));
    assert_eq!(w.offer_of(w.ann).1, "pending");

    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &id),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/farewell");
    let (_, farewell) = ann.follow(r);
    assert!(farewell.contains("$2,740.00"), "{farewell}");
    assert!(unescape(&farewell)
        .contains("40 h worked × $18.50/hour = $740.00; plus bonus $2,000.00 = $2,740.00"));

    assert_eq!(w.offer_of(w.ann).1, "accepted");
    let conn = &mut w.app.conn() as &mut DbConn;
    let (total, time_pay, minutes): (i64, i64, i64) = payouts::table
        .select((
            payouts::total_cents,
            payouts::time_pay_cents,
            payouts::minutes_worked,
        ))
        .first(conn)
        .unwrap();
    assert_eq!((total, time_pay, minutes), (274_000, 74_000, 2400));
    let status: String = enrolments::table
        .filter(enrolments::user_id.eq(w.ann))
        .select(enrolments::status)
        .first(conn)
        .unwrap();
    assert_eq!(status, "left_with_offer");
    // HR and the cohort's trainer are told.
    assert_eq!(w.mails_to(HR), vec!["Ann accepted the offer"]);
    assert_eq!(w.mails_to(TRAINER), vec!["Ann accepted the offer"]);
    assert!(w
        .app
        .audit_actions()
        .contains(&"offer.accepted".to_string()));

    // An answer is final.
    let r = ann.post("/portal/offer/decline", &[("offer_id", &id)]);
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(w.offer_of(w.ann).1, "accepted");

    // Gone with the offer is not waiting for a cohort; a hire with none yet is.
    w.app
        .new_hire("cy@acme.test", "Finance", w.start + Duration::days(70));
    let (status, waiting) = w.app.login(TRAINER).page("/training/hires/waiting");
    assert_eq!(status, StatusCode::OK);
    assert!(waiting.contains("cy@acme.test"), "{waiting}");
    assert!(!waiting.contains(ANN), "{waiting}");
    // Nor can a trainer put them back into training through the API.
    let hire: i64 = hires::table
        .filter(hires::user_id.eq(w.ann))
        .select(hires::id)
        .first::<onramp::db::ids::HireId>(&mut w.app.conn() as &mut DbConn)
        .unwrap()
        .0;
    let token = w.app.api_token(TRAINER);
    let body = json!({"hire_id": hire, "cohort_id": w.cohort.0});
    let (status, problem) = api(
        &w.app,
        &token,
        reqwest::Method::POST,
        "/enrolments",
        Some(body),
    );
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        problem.to_string().contains("training is over"),
        "{problem}"
    );
}

#[test]
fn the_portal_prices_the_offer_from_the_attendance_so_far() {
    let w = world();
    w.mark(w.ann, 1..=4, "present");
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    assert_eq!(w.run_job().made, 2);
    let mut ann = w.app.login(ANN);
    // 5 days, then 6, × 8 h × $18.50, plus the $2,000.00 bonus: the portal's banner and
    // the offer page agree, and both keep up with each new mark.
    for (day, total) in [(5, "$2,740.00"), (6, "$2,888.00")] {
        w.mark(w.ann, day..=day, "present");
        let (_, portal) = ann.page("/portal");
        let banner = format!("<strong>{total}</strong> to leave today");
        assert!(portal.contains(&banner), "day {day}: {portal}");
        assert!(ann.page("/portal/offer").1.contains(total), "day {day}");
    }
}

#[test]
fn nobody_answers_for_someone_else() {
    let w = world();
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    let (anns, _) = w.offer_of(w.ann);
    let id = anns.0.to_string();
    // Bob cannot answer Ann's offer, in the portal or the API.
    let mut bob = w.app.login(BOB);
    assert_eq!(bob.page("/portal/offer").0, StatusCode::OK);
    let r = bob.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &id),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        bob.post("/portal/offer/decline", &[("offer_id", &id)])
            .status(),
        StatusCode::NOT_FOUND
    );
    let client = reqwest::blocking::Client::new();
    let r = client
        .post(format!("{}/api/v1/me/offer/decline", w.app.base))
        .bearer_auth(w.app.api_token(BOB))
        .json(&json!({"offer_id": anns}))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Nor can a trainer, HR or an admin, whatever they hold.
    w.app.user("boss@acme.test", &[Role::Admin, Role::Hr]);
    let mut boss = w.app.login("boss@acme.test");
    boss.page("/home");
    assert_eq!(
        boss.post("/portal/offer/decline", &[("offer_id", &id)])
            .status(),
        StatusCode::FORBIDDEN
    );
    let mut tina = w.app.login(TRAINER);
    assert_eq!(
        tina.post("/portal/offer/decline", &[("offer_id", &id)])
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.offer_of(w.ann).1, "pending");
    // Bob's own offer is his to decline.
    let (bobs, _) = w.offer_of(w.bob);
    let r = bob.post(
        "/portal/offer/decline",
        &[("offer_id", &bobs.0.to_string())],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.offer_of(w.bob).1, "declined");
}

#[test]
fn two_answers_at_the_same_moment_leave_one_outcome() {
    let w = world();
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    let (offer, _) = w.offer_of(w.ann);
    let token = w.app.api_token(ANN);
    let base = format!("{}/api/v1/me/offer", w.app.base);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (barrier, token, base) = (barrier.clone(), token.clone(), base.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                barrier.wait();
                let r = if i % 2 == 0 {
                    client
                        .post(format!("{base}/accept"))
                        .json(&json!({"offer_id": offer, "password": PASSWORD, "confirm": true}))
                } else {
                    client
                        .post(format!("{base}/decline"))
                        .json(&json!({"offer_id": offer}))
                };
                r.bearer_auth(token).send().unwrap().status()
            })
        })
        .collect();
    let answers: Vec<StatusCode> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let won: Vec<_> = answers.iter().filter(|s| s.is_success()).collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|s| s.is_success() || *s == StatusCode::CONFLICT),
        "{answers:?}"
    );
    let status = w.offer_of(w.ann).1;
    let paid: i64 = payouts::table
        .count()
        .get_result(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    match status.as_str() {
        "accepted" => assert_eq!(paid, 1),
        "declined" => assert_eq!(paid, 0),
        other => panic!("unexpected outcome {other}"),
    }
    let answered = w
        .app
        .audit_actions()
        .iter()
        .filter(|a| *a == "offer.accepted" || *a == "offer.declined")
        .count();
    assert_eq!(answered, 1);
}

#[test]
fn no_answer_by_the_deadline_means_they_stay() {
    let w = world();
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    w.set_time(w.end_of_day(10) - Duration::minutes(1));
    assert_eq!(w.run_job().expired, 0);
    w.set_time(w.end_of_day(10) + Duration::minutes(1));
    assert_eq!(w.run_job().expired, 2);
    assert_eq!(w.run_job().expired, 0);
    assert_eq!(w.offer_of(w.ann).1, "expired");
    let mut ann = w.app.login(ANN);
    let (_, page) = ann.page("/portal/offer");
    assert!(
        page.contains("without an answer, so you stay with us"),
        "{page}"
    );
    let (offer, _) = w.offer_of(w.ann);
    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &offer.0.to_string()),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[test]
fn moving_to_another_cohort_voids_the_pending_offer() {
    let w = world();
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    let trainer: UserId = users::table
        .filter(users::email.eq(TRAINER))
        .select(users::id)
        .first(&mut w.app.conn() as &mut DbConn)
        .unwrap();
    let later = w
        .app
        .cohort("Class 161", w.start + Duration::days(28), 20, &[trainer]);
    onramp::training::enrolments::service::move_to(
        &mut w.app.conn(),
        &w.app.ctx(),
        w.enrolment(w.ann),
        later,
        "Missed a week for a family emergency.",
    )
    .unwrap();
    assert_eq!(w.offer_of(w.ann).1, "void");
    assert!(w.app.audit_actions().contains(&"offer.void".to_string()));
}

#[test]
fn the_farewell_lasts_thirty_days_then_the_account_ends() {
    let w = world();
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    let (offer, _) = w.offer_of(w.ann);
    let mut ann = w.app.login(ANN);
    assert_eq!(ann.page("/portal/offer").0, StatusCode::OK);
    let r = ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &offer.0.to_string()),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    w.app.clock.advance(Duration::days(29));
    assert_eq!(w.run_job().deactivated, 0);
    let mut ann = w.app.login(ANN);
    assert_eq!(ann.page("/farewell").0, StatusCode::OK);
    w.app.clock.advance(Duration::days(2));
    assert_eq!(w.run_job().deactivated, 1);
    let mut again = w.app.session();
    again.get("/login");
    let r = again.post("/login", &[("email", ANN), ("password", PASSWORD)]);
    assert_ne!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a deactivated account cannot sign in"
    );
    // Bob never accepted: no farewell page for him.
    let mut bob = w.app.login(BOB);
    assert_eq!(bob.get("/farewell").status(), StatusCode::NOT_FOUND);
}

#[test]
fn policies_are_a_history_and_a_cohort_keeps_its_own() {
    let w = world();
    let mut hana = w.app.login(HR);
    assert_eq!(hana.page("/offers/policy").0, StatusCode::OK);
    let tomorrow = (w.app.clock.now().date() + Duration::days(1)).to_string();
    // Bad input: each message next to its field, nothing stored.
    let r = hana.post(
        "/offers/policy",
        &[
            ("bonus", "lots"),
            ("offer_day", "6"),
            ("closes_day", "5"),
            ("effective_on", "2020-01-01"),
        ],
    );
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().unwrap();
    for msg in [
        "Type the bonus as an amount",
        "cannot close before the day it is made",
        "cannot take effect in the past",
    ] {
        assert!(body.contains(msg), "{msg}");
    }
    let r = hana.post(
        "/offers/policy",
        &[
            ("bonus", "3,000"),
            ("offer_day", "5"),
            ("closes_day", "10"),
            ("pays_time_worked", "yes"),
            ("effective_on", &tomorrow),
            ("note", "Too few take it."),
        ],
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = hana.page("/offers/policy");
    assert!(page.contains("$2,000.00") && page.contains("$3,000.00"));
    assert!(page.contains("Too few take it."));

    // The running cohort keeps $2,000 until HR applies the new policy to it.
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    let bonus = |w: &World| -> i64 {
        offers::table
            .filter(offers::user_id.eq(w.ann))
            .select(offers::bonus_cents)
            .first(&mut w.app.conn() as &mut DbConn)
            .unwrap()
    };
    assert_eq!(bonus(&w), 200_000);
    let api = reqwest::blocking::Client::new();
    let token = w.app.api_token(HR);
    let policies: Value = api
        .get(format!("{}/api/v1/offer-policies", w.app.base))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let newest = policies[0]["id"].as_i64().unwrap();
    assert_eq!(policies[0]["bonus_cents"], 300_000);
    let r = api
        .post(format!(
            "{}/api/v1/cohorts/{}/offer-policy",
            w.app.base, w.cohort.0
        ))
        .bearer_auth(&token)
        .json(&json!({"policy_id": newest}))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().unwrap(), json!(2));
    assert_eq!(bonus(&w), 300_000);
    assert!(w
        .app
        .audit_actions()
        .contains(&"cohort.offer_policy_applied".to_string()));
    // A trainer cannot change policy.
    let trainer_token = w.app.api_token(TRAINER);
    let r = api
        .get(format!("{}/api/v1/offer-policies", w.app.base))
        .bearer_auth(&trainer_token)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[test]
fn hr_exports_offers_and_payroll_lists_payouts_due() {
    let w = world();
    w.mark(w.ann, 1..=5, "present");
    w.set_time(w.end_of_day(5) + Duration::minutes(1));
    w.run_job();
    let (offer, _) = w.offer_of(w.ann);
    let mut ann = w.app.login(ANN);
    ann.page("/portal/offer");
    ann.post(
        "/portal/offer/accept",
        &[
            ("offer_id", &offer.0.to_string()),
            ("password", PASSWORD),
            ("confirm", "yes"),
        ],
    );
    let mut hana = w.app.login(HR);
    let r = hana.get("/offers.csv");
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("offer_id,kind,person"));
    assert!(csv.contains("Ann,ann@acme.test,Class 160,Fulfillment"));
    assert!(csv.contains(",accepted,200000,2400,1850,74000,274000,"));
    let payouts_csv = hana.get("/payouts.csv").text().unwrap();
    assert!(payouts_csv.contains("274000"), "{payouts_csv}");
    let (_, list) = hana.page("/offers?status=accepted");
    assert!(list.contains("Ann") && !list.contains(">Bob<"), "{list}");
    let (_, detail) = hana.page(&format!("/offers/{}", offer.0));
    assert!(detail.contains("offer.made") && detail.contains("offer.accepted"));

    let due: Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/payroll/payouts", w.app.base))
        .bearer_auth(w.app.api_token(HR))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(due["items"].as_array().unwrap().len(), 1);
    assert_eq!(due["items"][0]["total_cents"], 274_000);
    assert_eq!(due["items"][0]["email"], ANN);
    // New hires and trainers do not see HR's lists.
    assert_eq!(ann.get("/offers").status(), StatusCode::FORBIDDEN);
    let mut tina = w.app.login(TRAINER);
    assert_eq!(tina.get("/offers.csv").status(), StatusCode::FORBIDDEN);
}
