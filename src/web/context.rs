//! Per-request facts the middleware works out once (who is signed in, the CSRF token,
//! the request id, a flash message), and the page renderer that uses them.

use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::role::Role;
use crate::ctx::Ctx;
use crate::db::ids::{SessionId, UserId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::cookies;
use crate::web::render::{render_compiled_page, render_page};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::{json, Value};
use std::future::{ready, Ready};

/// The signed-in user, from a session cookie or an API token.
#[derive(Debug, Clone, Serialize)]
pub struct Viewer {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    #[serde(skip)]
    pub session_id: Option<SessionId>,
    #[serde(skip)]
    pub csrf_token: String,
}

impl Viewer {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.is_empty() || roles.iter().any(|r| self.has(*r))
    }
}

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

#[derive(Debug, Clone, Serialize)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

impl Flash {
    pub fn encode(kind: &str, message: &str) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair(kind, message)
            .finish()
    }

    pub fn decode(raw: &str) -> Option<Flash> {
        url::form_urlencoded::parse(raw.as_bytes())
            .next()
            .filter(|(k, _)| k == "ok" || k == "error")
            .map(|(k, v)| Flash {
                kind: k.into_owned(),
                message: v.into_owned(),
            })
    }
}

pub struct ReqCtx {
    pub state: web::Data<AppState>,
    pub viewer: Option<Viewer>,
    pub csrf: String,
    pub request_id: String,
    pub flash: Option<Flash>,
    pub path: String,
}

impl FromRequest for ReqCtx {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(ReqCtx::of(req))
    }
}

impl ReqCtx {
    pub fn of(req: &HttpRequest) -> AppResult<ReqCtx> {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| AppError::internal("application state missing"))?;
        let ext = req.extensions();
        Ok(ReqCtx {
            state,
            viewer: ext.get::<Viewer>().cloned(),
            csrf: ext
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            request_id: ext
                .get::<RequestId>()
                .map(|r| r.0.clone())
                .unwrap_or_default(),
            flash: ext.get::<Flash>().cloned(),
            path: req.uri().to_string(),
        })
    }

    /// The context a service call runs with: the actor, the clock's time, link settings.
    pub fn ctx(&self) -> Ctx {
        let actor = match &self.viewer {
            Some(v) => Actor {
                user_id: Some(v.user_id),
                label: v.email.clone(),
                request_id: self.request_id.clone(),
            },
            None => Actor {
                user_id: None,
                label: "anonymous".into(),
                request_id: self.request_id.clone(),
            },
        };
        self.state.ctx(actor)
    }

    /// Renders a page inside the layout, with navigation for the viewer's roles.
    pub fn page(&self, template: &str, title: &str, data: Value) -> AppResult<HttpResponse> {
        self.page_with_status(StatusCode::OK, template, title, data)
    }

    /// A form shown again with the messages next to its fields and what was typed kept.
    pub fn form_errors(
        &self,
        template: &str,
        title: &str,
        errors: &FieldErrors,
        mut data: Value,
    ) -> AppResult<HttpResponse> {
        data["errors"] = json!(errors);
        self.page_with_status(StatusCode::UNPROCESSABLE_ENTITY, template, title, data)
    }

    pub fn page_with_status(
        &self,
        status: StatusCode,
        template: &str,
        title: &str,
        data: Value,
    ) -> AppResult<HttpResponse> {
        let data = self.with_layout(title, data);
        let body = render_page(template, data).map_err(AppError::internal)?;
        Ok(html_response(status, body))
    }

    /// A page drawn by a compiled template (see `render_compiled_page`). With `errors` it
    /// is a form shown again (422, as `form_errors`), the form-wide message at the top.
    pub fn compiled_page(
        &self,
        title: &str,
        errors: Option<&FieldErrors>,
        page: &impl askama::Template,
    ) -> AppResult<HttpResponse> {
        let status = match errors {
            None => StatusCode::OK,
            Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let data = self.with_layout(title, json!({ "errors": errors }));
        let body = render_compiled_page(data, page).map_err(AppError::internal)?;
        Ok(html_response(status, body))
    }

    /// The page's data with the layout's own under `layout`: title, navigation for the
    /// viewer's roles, the CSRF token, the flash message.
    fn with_layout(&self, title: &str, mut data: Value) -> Value {
        if !data.is_object() {
            data = json!({});
        }
        data["layout"] = json!({
            "title": title,
            "company": self.state.settings.company,
            "viewer": self.viewer,
            "nav": crate::web::nav::for_viewer(self.viewer.as_ref(), &self.path),
            "csrf_token": self.csrf,
            "flash": self.flash,
            "request_id": self.request_id,
        });
        data
    }

    /// Redirects after a successful POST, with a message for the next page.
    pub fn redirect_ok(&self, to: &str, message: &str) -> HttpResponse {
        self.redirect_flash(to, "ok", message)
    }

    pub fn redirect_flash(&self, to: &str, kind: &str, message: &str) -> HttpResponse {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, to.to_string()))
            .cookie(cookies::build(
                cookies::FLASH,
                Flash::encode(kind, message),
                self.state.secure_cookies,
            ))
            .finish()
    }

    /// Runs blocking database work on the thread pool with a pooled connection.
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut crate::db::DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.state.db(f).await
    }
}

fn html_response(status: StatusCode, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}
