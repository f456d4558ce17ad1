//! Pages: a recruiter creates an observation link, the observer answers at
//! /observe/{token} without an account, a culture interviewer acknowledges a red flag;
//! and the observations section of the candidate page.

use crate::auth::role::{AnyUser, Recruiting, Role};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, ObservationId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::candidates::model as candidates;
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::observations::model::{self, Observation};
use crate::hiring::observations::rules::{LinkState, ObservationInput, ObserverRole};
use crate::hiring::observations::service::{self, Outcome};
use crate::hiring::rules::Treatment;
use crate::web::ReqCtx;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(create_link)
        .service(observe_page)
        .service(observe)
        .service(acknowledge_page)
        .service(acknowledge);
}

fn role_label(role: &str) -> &'static str {
    ObserverRole::parse(role).map_or("Other", |r| r.label())
}

fn treatment_label(t: &str) -> &'static str {
    Treatment::parse(t).map_or("", |t| t.label())
}

fn role_options(chosen: &str) -> Vec<Value> {
    ObserverRole::ALL
        .iter()
        .map(|r| json!({"value": r.as_str(), "label": r.label(), "selected": r.as_str() == chosen}))
        .collect()
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    observer_role: String,
}

/// Creates the link and shows it once, on this response only: it is never stored raw,
/// never put in a cookie or a redirect.
#[post("/hiring/candidates/{id}/observation-links")]
async fn create_link(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    form: web::Form<LinkForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let role = form.observer_role.clone();
    let link_ctx = sctx.clone();
    let result = auth
        .req
        .db(move |c| service::create_link(c, &sctx, id, &role))
        .await;
    let candidate = auth.req.db(move |c| Ok(candidates::find(c, id)?)).await?;
    let base = json!({
        "candidate": {"id": candidate.id, "name": candidate.name},
        "roles": role_options(&form.observer_role),
    });
    match result {
        Ok((raw, link)) => {
            let mut data = base;
            data["url"] = json!(link_ctx.link(&format!("/observe/{raw}")));
            data["role"] = json!(role_label(&link.observer_role));
            data["expires_at"] = json!(link.expires_at);
            auth.req
                .page("hiring/observations/link", "Observation link", data)
        }
        Err(AppError::Invalid(errors)) => auth.req.form_errors(
            "hiring/observations/link",
            "Observation link",
            &errors,
            base,
        ),
        Err(e) => Err(e),
    }
}

fn closed_page(ctx: &ReqCtx, state: Option<LinkState>) -> AppResult<HttpResponse> {
    let (status, message) = match state {
        None => (
            StatusCode::NOT_FOUND,
            "This link is not valid. Check that you copied all of it.",
        ),
        Some(s) => (StatusCode::GONE, s.message()),
    };
    ctx.page_with_status(
        status,
        "hiring/observations/closed",
        "Observation link",
        json!({"message": message}),
    )
}

fn observe_data(candidate: &str, role: &str, input: &ObservationInput) -> Value {
    json!({
        "candidate": candidate,
        "role": role_label(role),
        "form": input,
        "treatments": Treatment::ALL.iter().map(|t| json!({
            "value": t.as_str(),
            "label": t.label(),
            "checked": t.as_str() == input.treatment.trim(),
        })).collect::<Vec<_>>(),
    })
}

#[get("/observe/{token}")]
async fn observe_page(ctx: ReqCtx, token: web::Path<String>) -> AppResult<HttpResponse> {
    let (sctx, raw) = (ctx.ctx(), token.into_inner());
    let found = ctx
        .db(move |c| {
            let Some((link, state)) = service::link_state(c, &sctx, &raw)? else {
                return Ok(None);
            };
            let name = candidates::find(c, link.candidate_id)?.name;
            Ok(Some((link, state, name)))
        })
        .await?;
    match found {
        Some((link, LinkState::Open, name)) => ctx.page(
            "hiring/observations/observe",
            "How were you treated?",
            observe_data(&name, &link.observer_role, &ObservationInput::default()),
        ),
        Some((_, state, _)) => closed_page(&ctx, Some(state)),
        None => closed_page(&ctx, None),
    }
}

#[post("/observe/{token}")]
async fn observe(
    ctx: ReqCtx,
    token: web::Path<String>,
    form: web::Form<ObservationInput>,
) -> AppResult<HttpResponse> {
    let (sctx, raw) = (ctx.ctx(), token.into_inner());
    let input = form.into_inner();
    let typed = input.clone();
    let raw2 = raw.clone();
    match ctx
        .db(move |c| service::observe(c, &sctx, &raw2, &typed))
        .await
    {
        Ok(Outcome::Recorded(_)) => ctx.page("hiring/observations/thanks", "Thank you", json!({})),
        Ok(Outcome::Unknown) => closed_page(&ctx, None),
        Ok(Outcome::Closed(state)) => closed_page(&ctx, Some(state)),
        Err(AppError::Invalid(errors)) => {
            let (link, name) = ctx
                .db(move |c| {
                    let link = model::link_by_token(c, &raw)?.ok_or(AppError::NotFound)?;
                    let name = candidates::find(c, link.candidate_id)?.name;
                    Ok((link, name))
                })
                .await?;
            ctx.form_errors(
                "hiring/observations/observe",
                "How were you treated?",
                &errors,
                observe_data(&name, &link.observer_role, &input),
            )
        }
        Err(e) => Err(e),
    }
}

fn observation_json(o: &Observation, acknowledged_by: Option<&str>) -> Value {
    json!({
        "id": o.id,
        "observer_name": o.observer_name,
        "observer_role": role_label(&o.observer_role),
        "treatment": o.treatment,
        "treatment_label": treatment_label(&o.treatment),
        "red_flag": o.is_red_flag(),
        "note": o.note,
        "created_at": o.created_at,
        "acknowledged": o.acknowledged_at.is_some(),
        "acknowledged_at": o.acknowledged_at,
        "acknowledged_by": acknowledged_by,
        "acknowledgement": o.acknowledgement,
    })
}

#[derive(Deserialize)]
struct AckForm {
    #[serde(default)]
    note: String,
}

/// Loads a red flag for the acknowledgement page, for culture interviewers only.
async fn ack_data(auth: &Auth<AnyUser>, id: ObservationId) -> AppResult<Value> {
    let me = auth.viewer.user_id;
    auth.req
        .db(move |c| {
            let o = model::find(c, id)?;
            if !model::on_culture_panel(c, me, o.candidate_id)? {
                return Err(AppError::Forbidden);
            }
            let candidate = candidates::find(c, o.candidate_id)?;
            Ok(json!({
                "observation": observation_json(&o, None),
                "candidate": {"id": candidate.id, "name": candidate.name},
            }))
        })
        .await
}

#[get("/hiring/observations/{id}/acknowledge")]
async fn acknowledge_page(
    auth: Auth<AnyUser>,
    id: web::Path<ObservationId>,
) -> AppResult<HttpResponse> {
    let data = ack_data(&auth, *id).await?;
    auth.req.page(
        "hiring/observations/acknowledge",
        "Acknowledge a red flag",
        data,
    )
}

#[post("/hiring/observations/{id}/acknowledge")]
async fn acknowledge(
    auth: Auth<AnyUser>,
    id: web::Path<ObservationId>,
    form: web::Form<AckForm>,
) -> AppResult<HttpResponse> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let note = form.note.clone();
    match auth
        .req
        .db(move |c| service::acknowledge(c, &sctx, me, id, &note))
        .await
    {
        Ok(o) => Ok(auth.req.redirect_ok(
            &format!("/hiring/candidates/{}", o.candidate_id),
            "Red flag acknowledged. Your note is on record.",
        )),
        Err(AppError::Invalid(errors)) => {
            let mut data = ack_data(&auth, id).await?;
            data["form"] = json!({"note": form.note});
            auth.req.form_errors(
                "hiring/observations/acknowledge",
                "Acknowledge a red flag",
                &errors,
                data,
            )
        }
        Err(e) => Err(e),
    }
}

/// The observations section of the candidate page: the red flag banner, what observers
/// said, acknowledge forms for culture interviewers, the link form for recruiters.
pub fn panel(
    ctx: &crate::ctx::Ctx,
    viewer: &crate::web::context::Viewer,
    candidate: &crate::hiring::candidates::model::Candidate,
    file: &InterviewFile,
    observed: &[(Observation, Option<String>)],
    links: &[model::ObservationLink],
) -> serde_json::Value {
    let can_acknowledge = file.on_culture_panel(viewer.user_id);
    let can_create_link = viewer.has_any(&[Role::Recruiter, Role::Admin]);
    let observations: Vec<Value> = observed
        .iter()
        .map(|(o, by)| {
            let mut v = observation_json(o, by.as_deref());
            v["can_acknowledge"] =
                json!(can_acknowledge && o.is_red_flag() && o.acknowledged_at.is_none());
            v
        })
        .collect();
    let unacknowledged = model::count_unacknowledged(observed.iter().map(|(o, _)| o));
    let links: Vec<Value> = if can_create_link {
        links
            .iter()
            .map(|l| {
                json!({
                    "role": role_label(&l.observer_role),
                    "created_at": l.created_at,
                    "expires_at": l.expires_at,
                    "used_at": l.used_at,
                    "state": l.state(ctx.now),
                })
            })
            .collect()
    } else {
        vec![]
    };
    json!({
        "candidate_id": candidate.id,
        "red_flag": candidate.red_flag,
        "unacknowledged": unacknowledged,
        "observations": observations,
        "can_acknowledge": can_acknowledge,
        "can_create_link": can_create_link,
        "roles": role_options(ObserverRole::ShuttleDriver.as_str()),
        "links": links,
        "errors": FieldErrors::new(),
    })
}
