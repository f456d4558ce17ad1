//! The JSON API: bearer tokens, roles, problem+json, cursor pagination, OpenAPI.

mod common;
use common::*;
use onramp::auth::role::Role;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value, String) {
    let mut req = Client::new()
        .request(method, format!("{}/api/v1{}", app.base, path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().unwrap();
    let status = r.status();
    let ctype = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, r.json().unwrap_or(Value::Null), ctype)
}

#[test]
fn bearer_token_identifies_the_user_and_is_stored_hashed() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Recruiter]);
    let token = app.api_token("ann@acme.test");
    assert!(token.starts_with("onr_"));
    let (status, me, _) = api(&app, &token, reqwest::Method::GET, "/me", None);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], "ann@acme.test");
    assert_eq!(me["roles"], json!(["recruiter"]));
    let (status, body, ctype) = api(&app, "onr_wrong", reqwest::Method::GET, "/me", None);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(ctype, "application/problem+json");
    assert_eq!(body["status"], 401);
    use diesel::prelude::*;
    use onramp::db::schema::api_tokens::dsl::*;
    let (hash, used): (String, Option<chrono::NaiveDateTime>) = api_tokens
        .select((token_hash, last_used_at))
        .first(&mut app.conn() as &mut onramp::db::DbConn)
        .unwrap();
    assert_ne!(hash, token);
    assert!(used.is_some(), "last use recorded");
}

#[test]
fn revoked_tokens_and_deactivated_users_lose_access_at_once() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let ann = app.user("ann@acme.test", &[Role::Recruiter]);
    let boss_token = app.api_token("boss@acme.test");
    let ann_token = app.api_token("ann@acme.test");
    assert_eq!(
        api(&app, &ann_token, reqwest::Method::GET, "/me", None).0,
        StatusCode::OK
    );
    let (status, view, _) = api(
        &app,
        &boss_token,
        reqwest::Method::POST,
        &format!("/users/{}/deactivate", ann.id),
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["active"], false);
    assert_eq!(
        api(&app, &ann_token, reqwest::Method::GET, "/me", None).0,
        StatusCode::UNAUTHORIZED
    );
    api(
        &app,
        &boss_token,
        reqwest::Method::POST,
        &format!("/users/{}/reactivate", ann.id),
        None,
    );
    assert_eq!(
        api(&app, &ann_token, reqwest::Method::GET, "/me", None).0,
        StatusCode::OK
    );
    // Revoke through the admin page.
    let mut admin = app.login("boss@acme.test");
    let (_, page) = admin.page(&format!("/admin/users/{}", ann.id));
    let marker = "action=\"/admin/tokens/";
    let id: String = page[page.find(marker).unwrap() + marker.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert_eq!(
        admin
            .post(&format!("/admin/tokens/{id}/revoke"), &[])
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api(&app, &ann_token, reqwest::Method::GET, "/me", None).0,
        StatusCode::UNAUTHORIZED
    );
    assert!(app
        .audit_actions()
        .contains(&"api_token.revoked".to_string()));
}

#[test]
fn the_same_role_rules_as_the_pages() {
    let app = TestApp::spawn();
    app.user("ann@acme.test", &[Role::Recruiter]);
    app.user("hr@acme.test", &[Role::Hr]);
    let ann = app.api_token("ann@acme.test");
    let hr = app.api_token("hr@acme.test");
    let (status, body, ctype) = api(&app, &ann, reqwest::Method::GET, "/users", None);
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(ctype, "application/problem+json");
    assert_eq!(body["title"], "Forbidden");
    assert_eq!(
        api(&app, &ann, reqwest::Method::GET, "/audit", None).0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api(&app, &hr, reqwest::Method::GET, "/audit", None).0,
        StatusCode::OK
    );
    // Session cookies do not open the API, and tokens do not open the pages.
    let mut s = app.login("hr@acme.test");
    assert_eq!(s.get("/api/v1/me").status(), StatusCode::UNAUTHORIZED);
    let r = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/home", app.base))
        .bearer_auth(&hr)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[test]
fn invalid_input_answers_422_with_field_errors_and_stores_nothing() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    let t = app.api_token("boss@acme.test");
    let (status, body, ctype) = api(
        &app,
        &t,
        reqwest::Method::POST,
        "/users",
        Some(json!({"email": "nope", "name": "", "roles": []})),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ctype, "application/problem+json");
    assert!(body["errors"]["email"]
        .as_str()
        .unwrap()
        .contains("Enter an email address"));
    assert!(body["errors"]["name"].is_string());
    assert!(body["errors"]["roles"].is_string());
    let (status, _, ctype) = api(
        &app,
        &t,
        reqwest::Method::POST,
        "/users",
        Some(json!({"email": 5})),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(ctype, "application/problem+json");
    let people: i64 = {
        use diesel::prelude::*;
        onramp::db::schema::users::table
            .count()
            .get_result(&mut app.conn() as &mut onramp::db::DbConn)
            .unwrap()
    };
    assert_eq!(people, 1, "a refused request creates no one");
    let (status, created, _) = api(
        &app,
        &t,
        reqwest::Method::POST,
        "/users",
        Some(json!({"email": "New@Acme.test", "name": "New Person", "roles": ["trainer"]})),
    );
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["email"], "new@acme.test");
    assert_eq!(created["has_password"], false);
    let (status, updated, _) = api(
        &app,
        &t,
        reqwest::Method::PUT,
        &format!("/users/{}/roles", created["id"]),
        Some(json!({"roles": ["trainer", "hr"]})),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["roles"], json!(["trainer", "hr"]));
}

#[test]
fn cursor_pagination_walks_every_user_exactly_once() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    for i in 0..11 {
        onramp::auth::service::invite(
            &mut app.conn(),
            &app.ctx(),
            &onramp::auth::service::NewUserInput {
                email: format!("p{i:02}@acme.test"),
                name: format!("P {i}"),
                roles: vec![Role::Interviewer],
            },
        )
        .unwrap();
    }
    let t = app.api_token("boss@acme.test");
    let mut seen = vec![];
    let mut cursor = String::new();
    let mut pages = 0;
    let mut roles_of = std::collections::HashMap::new();
    loop {
        let q = if cursor.is_empty() {
            "/users?limit=5".to_string()
        } else {
            format!("/users?limit=5&cursor={cursor}")
        };
        let (status, page, _) = api(&app, &t, reqwest::Method::GET, &q, None);
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        for u in page["items"].as_array().unwrap() {
            let email = u["email"].as_str().unwrap().to_string();
            roles_of.insert(email.clone(), u["roles"].clone());
            seen.push(email);
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 12);
    assert_eq!(roles_of["boss@acme.test"], json!(["admin"]));
    assert_eq!(roles_of["p07@acme.test"], json!(["interviewer"]));
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 12);
}

/// The list searches email and name by prefix, whatever the case, and carries each
/// person's roles: several, or none.
#[test]
fn the_user_list_searches_by_prefix_and_shows_every_role() {
    let app = TestApp::spawn();
    app.user("boss@acme.test", &[Role::Admin]);
    app.user("kim.lee@acme.test", &[Role::Trainer, Role::Hr]);
    // Every role taken away (the invite form asks for one): listed with none.
    let kimberly = app.user("kimberly@acme.test", &[Role::Interviewer]);
    onramp::auth::model::set_roles(&mut app.conn(), kimberly.id, &[]).unwrap();
    app.user("joe@acme.test", &[Role::Recruiter]);
    let t = app.api_token("boss@acme.test");
    let list = |q: &str| {
        let (status, page, _) = api(&app, &t, reqwest::Method::GET, q, None);
        assert_eq!(status, StatusCode::OK, "{q}: {page}");
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| (u["email"].as_str().unwrap().to_string(), u["roles"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list("/users?q=KIM"),
        vec![
            ("kim.lee@acme.test".to_string(), json!(["trainer", "hr"])),
            ("kimberly@acme.test".to_string(), json!([])),
        ]
    );
    assert_eq!(list("/users?q=kim.").len(), 1);
    assert_eq!(list("/users?q=im").len(), 0, "a prefix, not a substring");
    assert_eq!(list("/users?limit=50").len(), 4);
}

#[test]
fn openapi_document_covers_every_api_route() {
    let app = TestApp::spawn();
    let doc: Value = Client::new()
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/me", "get"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}/roles", "put"),
        ("/api/v1/users/{id}/deactivate", "post"),
        ("/api/v1/users/{id}/reactivate", "post"),
        ("/api/v1/audit", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} documented"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every documented path without row ids, and the people paths (whose row 1 exists),
    // answers something other than 404 for a signed-in admin.
    app.user("boss@acme.test", &[Role::Admin, Role::Hr]);
    let t = app.api_token("boss@acme.test");
    for (path, ops) in paths {
        let resolvable = !path.contains('{') || path.starts_with("/api/v1/users/");
        if ops.get("get").is_some() && resolvable {
            let concrete = path.trim_start_matches("/api/v1").replace("{id}", "1");
            assert_ne!(
                api(&app, &t, reqwest::Method::GET, &concrete, None).0,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
}
