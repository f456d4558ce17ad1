//! The audit log: written with every change, append-only, filtered, exported.

mod common;
use common::*;
use diesel::prelude::*;
use onramp::auth::role::Role;
use reqwest::StatusCode;

#[test]
fn the_database_refuses_to_change_or_delete_audit_rows() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Hr]);
    let mut conn = app.conn();
    let upd = diesel::sql_query("UPDATE audit_log SET action = 'tampered'").execute(&mut **conn);
    assert!(upd.is_err(), "update refused");
    let del = diesel::sql_query("DELETE FROM audit_log").execute(&mut **conn);
    assert!(del.is_err(), "delete refused");
    assert_eq!(app.audit_actions(), vec!["user.created"]);
}

#[test]
fn a_failed_change_leaves_no_audit_entry_and_no_half_written_rows() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let before = app.audit_actions().len();
    let dup = onramp::auth::service::invite(
        &mut app.conn(),
        &app.ctx(),
        &onramp::auth::service::NewUserInput {
            email: "boss@acme.test".into(),
            name: "Dup".into(),
            roles: vec![Role::Hr],
        },
    );
    assert!(dup.is_err());
    assert_eq!(app.audit_actions().len(), before);
    use onramp::db::schema::outbox::dsl::*;
    let queued: i64 = outbox
        .count()
        .get_result(&mut app.conn() as &mut onramp::db::DbConn)
        .unwrap();
    assert_eq!(queued, 0, "no mail for a change that did not happen");
}

#[test]
fn filters_pagination_and_csv_export() {
    let app = TestApp::spawn();
    app.user("hr@acme.test", &[Role::Hr]);
    let boss = app.user("boss@acme.test", &[Role::Admin]);
    let mut admin = app.login("boss@acme.test");
    for i in 0..60 {
        admin.page("/admin/users/new");
        let email = format!("p{i}@acme.test");
        let r = admin.post(
            "/admin/users/new",
            &[
                ("name", "Person"),
                ("email", &email),
                ("roles", "interviewer"),
            ],
        );
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let mut hr = app.login("hr@acme.test");
    let (status, page) = hr.page("/audit?action=user.invited");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page.matches("<code>user.invited</code>").count(),
        50,
        "a page of 50"
    );
    let marker = "href=\"/audit?";
    let older = page
        .match_indices(marker)
        .map(|(i, _)| unescape(page[i + 6..].split('"').next().unwrap()))
        .find(|href| href.contains("cursor="))
        .expect("an Older link");
    let (_, page2) = hr.page(&older);
    assert_eq!(page2.matches("<code>user.invited</code>").count(), 10);
    let (_, by_actor) =
        hr.page("/audit?actor=boss@acme.test&action=user.invited&from=2000-01-01&to=2999-12-31");
    assert_eq!(by_actor.matches("<code>user.invited</code>").count(), 50);
    let (_, nothing) = hr.page("/audit?actor=hr@acme.test&action=user.invited");
    assert!(nothing.contains("Nothing matches these filters."));
    let (_, future) = hr.page("/audit?from=2999-01-01");
    assert!(future.contains("Nothing matches these filters."));
    let (_, subject) = hr.page(&format!("/audit?subject_type=user&subject_id={}", boss.id));
    assert!(
        subject.contains("<code>user.created</code>")
            && !subject.contains("<code>user.invited</code>")
    );

    let r = hr.get("/audit.csv?action=user.invited");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = r.text().unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>()[..5],
        ["id", "at", "actor_id", "actor", "action"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 60);
    assert!(rows
        .iter()
        .all(|r| &r[4] == "user.invited" && &r[3] == "boss@acme.test"));
    assert!(
        rows[0][8].contains("\"roles\":[\"interviewer\"]"),
        "after-state as JSON: {:?}",
        rows[0]
    );
}

#[test]
fn audit_over_the_api_with_filters() {
    let app = TestApp::spawn();
    app.user("hr@acme.test", &[Role::Hr]);
    app.user("boss@acme.test", &[Role::Admin]);
    let t = app.api_token("hr@acme.test");
    let r: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/audit?action=api_token.issued", app.base))
        .bearer_auth(&t)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["action"], "api_token.issued");
    assert!(items[0]["after_json"]
        .as_str()
        .unwrap()
        .contains("\"label\":\"test\""));
}
