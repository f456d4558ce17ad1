//! HR's policy page: every amount ever offered and when, a form for the next policy, and
//! applying a policy to a cohort explicitly.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::{CohortId, OfferPolicyId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::offer::policies::model;
use crate::offer::policies::rules::PolicyInput;
use crate::offer::policies::service;
use crate::training::cohorts::model as cohorts;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(create).service(apply);
}

async fn render(
    auth: &Auth<OfferOversight>,
    form: PolicyInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let today = auth.req.state.clock.now().date();
    let (history, open) = auth
        .req
        .db(move |c| Ok((model::history(c)?, cohorts::not_graduated(c, 200)?)))
        .await?;
    let money = auth.req.state.settings.currency();
    let in_force = history
        .iter()
        .find(|p| p.effective_on <= today)
        .map(|p| p.id);
    let rows: Vec<Value> = history
        .iter()
        .map(|p| {
            json!({
                "p": p,
                "bonus": money.format(p.bonus_cents),
                "in_force": Some(p.id) == in_force,
                "future": p.effective_on > today,
            })
        })
        .collect();
    let data = json!({"history": rows, "cohorts": open, "form": form});
    match errors {
        Some(e) => auth
            .req
            .form_errors("offer/policy", "Offer policy", &e, data),
        None => auth.req.page("offer/policy", "Offer policy", data),
    }
}

#[get("/offers/policy")]
async fn page(auth: Auth<OfferOversight>) -> AppResult<HttpResponse> {
    let today = auth.req.state.clock.now().date();
    let form = PolicyInput {
        offer_day: "5".into(),
        closes_day: "10".into(),
        pays_time_worked: true,
        effective_on: today.format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    render(&auth, form, None).await
}

#[derive(Deserialize)]
struct PolicyForm {
    #[serde(default)]
    bonus: String,
    #[serde(default)]
    offer_day: String,
    #[serde(default)]
    closes_day: String,
    #[serde(default)]
    pays_time_worked: Option<String>,
    #[serde(default)]
    effective_on: String,
    #[serde(default)]
    note: String,
}

#[post("/offers/policy")]
async fn create(
    auth: Auth<OfferOversight>,
    form: web::Form<PolicyForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let input = PolicyInput {
        bonus: f.bonus,
        offer_day: f.offer_day,
        closes_day: f.closes_day,
        pays_time_worked: f.pays_time_worked.is_some(),
        effective_on: f.effective_on,
        note: f.note,
    };
    let (sctx, inp) = (auth.req.ctx(), input.clone());
    match auth.req.db(move |c| service::create(c, &sctx, &inp)).await {
        Ok(_) => Ok(auth.req.redirect_ok(
            "/offers/policy",
            "Policy saved. Cohorts created from its date take it; running cohorts keep theirs.",
        )),
        Err(AppError::Invalid(e)) => render(&auth, input, Some(e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct ApplyForm {
    cohort_id: CohortId,
    policy_id: OfferPolicyId,
}

#[post("/offers/policy/apply")]
async fn apply(auth: Auth<OfferOversight>, form: web::Form<ApplyForm>) -> AppResult<HttpResponse> {
    let (sctx, cohort, policy) = (auth.req.ctx(), form.cohort_id, form.policy_id);
    let changed = auth
        .req
        .db(move |c| service::apply_to_cohort(c, &sctx, cohort, policy))
        .await?;
    Ok(auth.req.redirect_ok(
        "/offers/policy",
        &format!("Policy applied; {changed} pending offer(s) now carry its bonus."),
    ))
}
