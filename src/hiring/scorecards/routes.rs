//! Pages: my scorecard form, a scorecard with its versions, the amendment form, and the
//! scorecards section of the candidate page. Blind until submitted throughout.

use crate::auth::role::AnyUser;
use crate::auth::Auth;
use crate::db::ids::{InterviewId, ScorecardId};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::candidates::model as candidates;
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::rules::{Recommendation, Track};
use crate::hiring::scorecards::model::{self, RatingRow, Scorecard, Version};
use crate::hiring::scorecards::rules::{
    evidence_field, rating_field, Attribute, RatingInput, ScorecardInput,
};
use crate::hiring::scorecards::service;
use crate::web::ReqCtx;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(form_page)
        .service(submit)
        .service(show)
        .service(amend_page)
        .service(amend);
}

/// The form's flat fields (`rating_<id>`, `evidence_<id>`, ...) as one input.
pub fn input_from_form(form: &HashMap<String, String>) -> ScorecardInput {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let ids: BTreeSet<i64> = form
        .keys()
        .filter_map(|k| {
            k.strip_prefix("rating_")
                .or_else(|| k.strip_prefix("evidence_"))
        })
        .filter_map(|id| id.parse().ok())
        .collect();
    ScorecardInput {
        recommendation: field("recommendation"),
        summary: field("summary"),
        reason: field("reason"),
        ratings: ids
            .into_iter()
            .map(|id| RatingInput {
                attribute_id: id,
                rating: field(&rating_field(id)),
                evidence: field(&evidence_field(id)),
            })
            .collect(),
    }
}

fn rating_label(rating: Option<i64>) -> String {
    rating.map_or("N/A".into(), |r| r.to_string())
}

fn recommendation_label(rec: &str) -> &'static str {
    Recommendation::parse(rec).map_or("", |r| r.label())
}

fn track_label(track: &str) -> &'static str {
    Track::parse(track).map_or("", |t| t.label())
}

/// The rows of the form: each attribute with its help, its choices and what was typed.
fn form_rows(attributes: &[Attribute], input: &ScorecardInput, errors: &FieldErrors) -> Vec<Value> {
    attributes
        .iter()
        .map(|a| {
            let typed = input.rating_for(a.id);
            let chosen = typed.map_or("", |r| r.rating.trim());
            let choices: Vec<Value> = ["1", "2", "3", "4", "5", "na"]
                .iter()
                .map(|v| {
                    json!({
                        "value": v,
                        "label": if *v == "na" { "N/A" } else { *v },
                        "checked": chosen == *v,
                    })
                })
                .collect();
            let questions: Vec<&str> = a
                .questions
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            json!({
                "id": a.id,
                "name": a.name,
                "help": a.help,
                "questions": questions,
                "choices": choices,
                "rating_field": rating_field(a.id),
                "evidence_field": evidence_field(a.id),
                "evidence": typed.map_or("", |r| r.evidence.as_str()),
                "rating_error": errors.get(&rating_field(a.id)),
                "evidence_error": errors.get(&evidence_field(a.id)),
            })
        })
        .collect()
}

fn recommendation_options(chosen: &str) -> Vec<Value> {
    Recommendation::ALL
        .iter()
        .map(|r| json!({"value": r.as_str(), "label": r.label(), "checked": r.as_str() == chosen}))
        .collect()
}

/// Everything the scorecard form shows besides what was typed.
struct FormSetup {
    interview: model::InterviewFacts,
    candidate: candidates::Candidate,
    attributes: Vec<Attribute>,
}

fn form_data(
    setup: &FormSetup,
    input: &ScorecardInput,
    errors: &FieldErrors,
    action: &str,
    amending: bool,
    tz: chrono_tz::Tz,
) -> Value {
    json!({
        "action": action,
        "amending": amending,
        "interview": setup.interview,
        "starts": crate::hiring::interviews::rules::show(setup.interview.starts_at, tz),
        "tz": tz.name(),
        "track": track_label(&setup.interview.track),
        "culture": setup.interview.track() == Track::Culture,
        "candidate": {"id": setup.candidate.id, "name": setup.candidate.name},
        "rows": form_rows(&setup.attributes, input, errors),
        "recommendations": recommendation_options(input.recommendation.trim()),
        "form": {"summary": input.summary, "reason": input.reason},
        "errors": errors,
    })
}

fn render_form(
    ctx: &ReqCtx,
    setup: &FormSetup,
    input: &ScorecardInput,
    errors: &FieldErrors,
    amending: bool,
) -> AppResult<HttpResponse> {
    let title = if amending {
        "Amend scorecard"
    } else {
        "Your scorecard"
    };
    // The form posts back to the page it is on (the scorecard form or the amendment).
    let action = ctx.path.split('?').next().unwrap_or_default().to_string();
    let data = form_data(
        setup,
        input,
        errors,
        &action,
        amending,
        ctx.state.settings.tz(),
    );
    if errors.is_empty() {
        ctx.page("hiring/scorecards/form", title, data)
    } else {
        ctx.form_errors("hiring/scorecards/form", title, errors, data)
    }
}

fn load_setup(conn: &mut DbConn, id: InterviewId) -> AppResult<FormSetup> {
    let interview = model::interview(conn, id)?;
    let candidate = candidates::find(conn, interview.candidate_id)?;
    let attributes = model::attributes(conn, interview.track(), candidate.job_id)?;
    Ok(FormSetup {
        interview,
        candidate,
        attributes,
    })
}

/// 409 as a page: why, and a link to the scorecard already submitted when there is one.
async fn conflict_page(
    auth: &Auth<AnyUser>,
    interview: InterviewId,
    messages: Vec<String>,
) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let existing = auth
        .req
        .db(move |c| Ok(model::find_for(c, interview, me)?))
        .await?;
    auth.req.page_with_status(
        StatusCode::CONFLICT,
        "hiring/scorecards/conflict",
        "Scorecard not possible",
        json!({"messages": messages, "existing": existing.map(|s| s.id)}),
    )
}

#[get("/hiring/interviews/{id}/scorecard")]
async fn form_page(auth: Auth<AnyUser>, id: web::Path<InterviewId>) -> AppResult<HttpResponse> {
    let (id, me) = (*id, auth.viewer.user_id);
    let setup = auth
        .req
        .db(move |c| {
            let setup = load_setup(c, id)?;
            service::check_can_submit(c, &setup.interview, me)?;
            Ok(setup)
        })
        .await;
    match setup {
        Ok(setup) => render_form(
            &auth.req,
            &setup,
            &ScorecardInput::default(),
            &FieldErrors::new(),
            false,
        ),
        Err(AppError::Conflict(m)) => conflict_page(&auth, id, m).await,
        Err(e) => Err(e),
    }
}

#[post("/hiring/interviews/{id}/scorecard")]
async fn submit(
    auth: Auth<AnyUser>,
    id: web::Path<InterviewId>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let input = input_from_form(&form);
    let typed = input.clone();
    match auth
        .req
        .db(move |c| service::submit(c, &sctx, me, id, &typed))
        .await
    {
        Ok(card) => Ok(auth.req.redirect_ok(
            &format!("/hiring/scorecards/{card}"),
            "Your scorecard is submitted. It is final; amend it if you need to correct it.",
        )),
        Err(AppError::Invalid(errors)) => {
            let setup = auth.req.db(move |c| load_setup(c, id)).await?;
            render_form(&auth.req, &setup, &input, &errors, false)
        }
        Err(AppError::Conflict(m)) => conflict_page(&auth, id, m).await,
        Err(e) => Err(e),
    }
}

fn version_json(v: &Version, ratings: &[RatingRow], current: i64) -> Value {
    json!({
        "version": v.version,
        "current": v.version == current,
        "original": v.version == 1,
        "recommendation": recommendation_label(&v.recommendation),
        "summary": v.summary,
        "reason": v.reason,
        "created_at": v.created_at,
        "ratings": ratings.iter().map(|r| json!({
            "attribute": r.attribute_name,
            "rating": rating_label(r.rating),
            "evidence": r.evidence,
        })).collect::<Vec<_>>(),
    })
}

#[get("/hiring/scorecards/{id}")]
async fn show(auth: Auth<AnyUser>, id: web::Path<ScorecardId>) -> AppResult<HttpResponse> {
    let (id, viewer) = (*id, auth.viewer.clone());
    let data = auth
        .req
        .db(move |c| {
            let card = model::find(c, id)?;
            if !service::can_view(c, &viewer, &card)? {
                return Err(AppError::Forbidden);
            }
            let candidate = candidates::find(c, card.candidate_id)?;
            let interviewer = crate::auth::model::find(c, card.interviewer_id)?;
            let versions = model::versions(c, id)?;
            let mut versions: Vec<Value> = versions
                .iter()
                .map(|(v, r)| version_json(v, r, card.version))
                .collect();
            versions.reverse();
            Ok(json!({
                "card": card,
                "track": track_label(&card.track),
                "recommendation": recommendation_label(&card.recommendation),
                "candidate": {"id": candidate.id, "name": candidate.name},
                "interviewer": interviewer.name,
                "mine": card.interviewer_id == viewer.user_id,
                "amended": card.version > 1,
                "versions": versions,
            }))
        })
        .await?;
    auth.req.page("hiring/scorecards/show", "Scorecard", data)
}

/// The scorecard being amended, with the form setup: only its author gets this far.
fn amend_setup(
    conn: &mut DbConn,
    me: crate::db::ids::UserId,
    id: ScorecardId,
) -> AppResult<(Scorecard, FormSetup, ScorecardInput)> {
    let card = model::find(conn, id)?;
    if card.interviewer_id != me {
        return Err(AppError::Forbidden);
    }
    let versions = model::versions(conn, id)?;
    let current: Vec<RatingRow> = versions
        .iter()
        .find(|(v, _)| v.version == card.version)
        .map(|(_, r)| r.clone())
        .unwrap_or_default();
    let attributes = service::attributes_of(conn, &card, &current)?;
    let interview = model::interview(conn, card.interview_id)?;
    let candidate = candidates::find(conn, card.candidate_id)?;
    let input = service::input_of(&card, &versions);
    Ok((
        card,
        FormSetup {
            interview,
            candidate,
            attributes,
        },
        input,
    ))
}

#[get("/hiring/scorecards/{id}/amend")]
async fn amend_page(auth: Auth<AnyUser>, id: web::Path<ScorecardId>) -> AppResult<HttpResponse> {
    let (id, me) = (*id, auth.viewer.user_id);
    let (_, setup, input) = auth.req.db(move |c| amend_setup(c, me, id)).await?;
    render_form(&auth.req, &setup, &input, &FieldErrors::new(), true)
}

#[post("/hiring/scorecards/{id}/amend")]
async fn amend(
    auth: Auth<AnyUser>,
    id: web::Path<ScorecardId>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (id, me, sctx) = (*id, auth.viewer.user_id, auth.req.ctx());
    let input = input_from_form(&form);
    let typed = input.clone();
    match auth
        .req
        .db(move |c| service::amend(c, &sctx, me, id, &typed))
        .await
    {
        Ok(version) => Ok(auth.req.redirect_ok(
            &format!("/hiring/scorecards/{id}"),
            &format!("Amendment saved as version {version}. The earlier versions stay on record."),
        )),
        Err(AppError::Invalid(errors)) => {
            let (_, setup, _) = auth.req.db(move |c| amend_setup(c, me, id)).await?;
            render_form(&auth.req, &setup, &input, &errors, true)
        }
        Err(e) => Err(e),
    }
}

/// The scorecards section of the candidate page. Unblinded viewers see every scorecard
/// per track; everyone else sees only how many are in, and their own.
pub fn panel(
    ctx: &crate::ctx::Ctx,
    viewer: &crate::web::context::Viewer,
    file: &InterviewFile,
) -> Value {
    let mine: Vec<Value> = file
        .scheduled_for(viewer.user_id)
        .map(|i| {
            let card = file.card(i.id, viewer.user_id);
            json!({
                "interview_id": i.id,
                "track": track_label(&i.track),
                "starts": crate::hiring::interviews::rules::show(i.starts_at, ctx.tz),
                "scorecard_id": card.map(|c| c.id),
                "recommendation": card.map(|c| recommendation_label(&c.recommendation)),
            })
        })
        .collect();
    if !file.unblinded(viewer) {
        return json!({
            "unblinded": false,
            "count": file.scorecards.len(),
            "mine": mine,
        });
    }
    let all = &file.scorecards;
    let tracks: Vec<Value> = Track::ALL
        .iter()
        .map(|t| {
            let cards: Vec<Value> = all
                .iter()
                .filter(|(s, _)| s.track == t.as_str())
                .map(|(s, name)| {
                    json!({
                        "id": s.id,
                        "interviewer": name,
                        "recommendation": recommendation_label(&s.recommendation),
                        "recommendation_value": s.recommendation,
                        "submitted_at": s.submitted_at,
                        "amended_at": s.amended_at,
                        "version": s.version,
                    })
                })
                .collect();
            json!({"track": t.label(), "scorecards": cards})
        })
        .collect();
    json!({
        "unblinded": true,
        "count": all.len(),
        "tracks": tracks,
        "mine": mine,
    })
}
