//! Pages: the trainee's offer (answered only there) and farewell, the cohort's offers for
//! trainers, and HR's list of every offer with its history and the CSV exports.

use crate::audit::model::{self as audit_log, Filter};
use crate::audit::routes::csv_line;
use crate::auth::role::{AnyUser, NewHires, OfferOversight, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, OfferId, PayoutId};
use crate::error::{AppError, AppResult};
use crate::money::Currency;
use crate::offer::offers::model::{self, Offer};
use crate::offer::offers::service;
use crate::offer::rules::{self, OfferKind, OfferStatus};
use crate::training::cohorts::model as cohorts;
use crate::web::render::csv_stream;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(portal_offer)
        .service(accept)
        .service(decline)
        .service(farewell)
        .service(cohort_offers)
        .service(make_now)
        .service(offers_csv)
        .service(payouts_csv)
        .service(list)
        .service(show);
}

/// An offer with its money and deadline written for people.
fn offer_view(offer: &Offer, payout: &rules::Payout, money: &Currency, tz: chrono_tz::Tz) -> Value {
    json!({
        "offer": offer,
        "status_label": offer.status().label(),
        "pending": offer.status() == OfferStatus::Pending,
        "bonus": money.format(payout.bonus_cents),
        "time_pay": money.format(payout.time_pay_cents),
        "total": money.format(payout.total_cents),
        "hours": crate::training::rules::hours(payout.minutes_worked),
        "rate": money.format(payout.hourly_rate_cents),
        "pays_time": offer.pays_time_worked,
        "yearly": offer.kind() == OfferKind::Yearly,
        "arithmetic": rules::arithmetic(payout, money),
        "deadline": service::local_deadline(offer.expires_at, tz),
        "opened": service::local_deadline(offer.opens_at, tz),
    })
}

#[get("/portal/offer")]
async fn portal_offer(auth: Auth<NewHires>) -> AppResult<HttpResponse> {
    render_portal_offer(&auth, None, None).await
}

async fn render_portal_offer(
    auth: &Auth<NewHires>,
    errors: Option<crate::error::FieldErrors>,
    confirm_typed: Option<bool>,
) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let now = auth.req.state.clock.now();
    let found = auth
        .req
        .db(move |c| {
            let Some(offer) = model::latest_for_user(c, me)? else {
                return Ok(None);
            };
            let payout = service::current_payout(c, &offer)?;
            Ok(Some((offer, payout)))
        })
        .await?;
    if let Some((offer, _)) = &found {
        if offer.status() == OfferStatus::Accepted {
            return Ok(auth.req.redirect_ok("/farewell", "You accepted the offer."));
        }
    }
    let money = auth.req.state.settings.currency();
    let data = json!({
        "found": found.as_ref().map(|(o, p)| offer_view(o, p, &money, auth.req.state.settings.tz())),
        "open": found.as_ref().is_some_and(|(o, _)| o.status() == OfferStatus::Pending && o.expires_at > now),
        "confirm": confirm_typed.unwrap_or(false),
    });
    match errors {
        Some(e) => auth.req.form_errors("offer/portal", "The Offer", &e, data),
        None => auth.req.page("offer/portal", "The Offer", data),
    }
}

#[derive(Deserialize)]
struct AcceptForm {
    offer_id: OfferId,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: Option<String>,
}

#[post("/portal/offer/accept")]
async fn accept(auth: Auth<NewHires>, form: web::Form<AcceptForm>) -> AppResult<HttpResponse> {
    let (sctx, me, money) = (
        auth.req.ctx(),
        auth.viewer.user_id,
        auth.req.state.settings.currency(),
    );
    let form = form.into_inner();
    let confirmed = form.confirm.is_some();
    let result = auth
        .req
        .db(move |c| {
            service::accept(
                c,
                &sctx,
                &money,
                me,
                form.offer_id,
                &form.password,
                confirmed,
            )
        })
        .await;
    match result {
        Ok(_) => Ok(auth.req.redirect_ok(
            "/farewell",
            "You accepted the offer. Thank you for your time with us.",
        )),
        Err(AppError::Invalid(e)) => render_portal_offer(&auth, Some(e), Some(confirmed)).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct DeclineForm {
    offer_id: OfferId,
}

#[post("/portal/offer/decline")]
async fn decline(auth: Auth<NewHires>, form: web::Form<DeclineForm>) -> AppResult<HttpResponse> {
    let (sctx, me, id) = (auth.req.ctx(), auth.viewer.user_id, form.offer_id);
    auth.req
        .db(move |c| service::decline(c, &sctx, me, id))
        .await?;
    Ok(auth.req.redirect_ok(
        "/portal/offer",
        "You declined the offer. We are glad you are staying.",
    ))
}

#[get("/farewell")]
async fn farewell(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let (offer, payout, until) = auth
        .req
        .db(move |c| {
            let (offer, payout) = service::farewell(c, me)?;
            let until = crate::auth::model::find(c, me)?.access_until;
            Ok((offer, payout, until))
        })
        .await?;
    let money = auth.req.state.settings.currency();
    let tz = auth.req.state.settings.tz();
    auth.req.page(
        "offer/farewell",
        "Farewell",
        json!({
            "offer": offer,
            "payout": payout,
            "total": money.format(payout.total_cents),
            "due_on": payout.due_on.format("%A %-d %B %Y").to_string(),
            "until": until.map(|u| service::local_deadline(u, tz)),
        }),
    )
}

#[get("/training/cohorts/{id}/offers")]
async fn cohort_offers(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let (cohort, offers, names) = auth
        .req
        .db(move |c| {
            let cohort = cohorts::find(c, id)?;
            let offers = model::of_cohort(c, id)?;
            let names = model::names_of(c, &offers.iter().map(|o| o.user_id).collect::<Vec<_>>())?;
            Ok((cohort, offers, names))
        })
        .await?;
    let money = auth.req.state.settings.currency();
    let rows: Vec<Value> = offers
        .iter()
        .map(|o| {
            let mut v = offer_view(o, &o.payout(), &money, auth.req.state.settings.tz());
            v["name"] = json!(names.get(&o.user_id));
            v
        })
        .collect();
    let can_make = auth.viewer.has_any(&[
        crate::auth::role::Role::Trainer,
        crate::auth::role::Role::Admin,
    ]) && cohort.graduated_at.is_none();
    auth.req.page(
        "offer/cohort",
        &format!("Offers in {}", cohort.name),
        json!({"cohort": cohort, "offers": rows, "can_make": can_make}),
    )
}

#[post("/training/cohorts/{id}/offers")]
async fn make_now(auth: Auth<Training>, id: web::Path<CohortId>) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let made = auth
        .req
        .db(move |c| service::make_now(c, &sctx, id))
        .await?;
    let message = match made {
        0 => "Every trainee already has an offer.".to_string(),
        1 => "Made 1 offer; the trainee was mailed.".to_string(),
        n => format!("Made {n} offers; each trainee was mailed."),
    };
    Ok(auth
        .req
        .redirect_ok(&format!("/training/cohorts/{id}/offers"), &message))
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    before: Option<OfferId>,
}

const PAGE: i64 = 50;

#[get("/offers")]
async fn list(auth: Auth<OfferOversight>, q: web::Query<ListQuery>) -> AppResult<HttpResponse> {
    let status = q.status.as_deref().and_then(OfferStatus::parse);
    let before = q.before;
    let (offers, names) = auth
        .req
        .db(move |c| {
            let offers = model::page(c, status, before, PAGE + 1)?;
            let names = model::names_of(c, &offers.iter().map(|o| o.user_id).collect::<Vec<_>>())?;
            Ok((offers, names))
        })
        .await?;
    let money = auth.req.state.settings.currency();
    let more = offers.len() as i64 > PAGE;
    let rows: Vec<Value> = offers
        .iter()
        .take(PAGE as usize)
        .map(|o| {
            let mut v = offer_view(o, &o.payout(), &money, auth.req.state.settings.tz());
            v["name"] = json!(names.get(&o.user_id));
            v["kind_label"] = json!(o.kind().label());
            v
        })
        .collect();
    let next = more.then(|| offers[PAGE as usize - 1].id);
    let statuses: Vec<Value> = OfferStatus::options()
        .into_iter()
        .map(|mut o| {
            o["selected"] = json!(Some(o["value"].as_str().unwrap_or("")) == q.status.as_deref());
            o
        })
        .collect();
    auth.req.page(
        "offer/list",
        "Offers",
        json!({"offers": rows, "statuses": statuses, "status": q.status, "next": next}),
    )
}

#[get("/offers/{id}")]
async fn show(auth: Auth<OfferOversight>, id: web::Path<OfferId>) -> AppResult<HttpResponse> {
    let id = *id;
    let (offer, payout, name, history) = auth
        .req
        .db(move |c| {
            let offer = model::find(c, id)?;
            let payout = model::payout_of(c, id)?;
            let name = crate::auth::model::find(c, offer.user_id)?.name;
            let filter = Filter {
                subject_type: Some("offer".into()),
                subject_id: Some(id.0),
                ..Default::default()
            };
            let history = audit_log::list(c, &filter, None, 200)?;
            Ok((offer, payout, name, history))
        })
        .await?;
    let money = auth.req.state.settings.currency();
    let current = offer.payout();
    auth.req.page(
        "offer/show",
        &format!("Offer to {name}"),
        json!({
            "o": offer_view(&offer, &current, &money, auth.req.state.settings.tz()),
            "name": name,
            "payout": payout,
            "history": history.iter().rev().collect::<Vec<_>>(),
        }),
    )
}

/// Rows per batch of a CSV export.
const CSV_BATCH: i64 = 1000;

#[get("/offers.csv")]
async fn offers_csv(auth: Auth<OfferOversight>) -> AppResult<HttpResponse> {
    let state = auth.req.state.clone();
    let header = csv_line(&[
        "offer_id",
        "kind",
        "person",
        "email",
        "cohort",
        "department",
        "culture_band",
        "status",
        "bonus_cents",
        "minutes_worked",
        "hourly_rate_cents",
        "time_pay_cents",
        "total_cents",
        "opens_at",
        "expires_at",
        "answered_at",
    ]);
    Ok(csv_stream("offers.csv", header, move |cursor| {
        let state = state.clone();
        async move {
            let rows = state
                .db(move |c| Ok(model::export_page(c, cursor.map(OfferId), CSV_BATCH)?))
                .await?;
            let next = (rows.len() as i64 == CSV_BATCH)
                .then(|| rows.last().map(|r| r.offer.id.0))
                .flatten();
            let mut out = String::new();
            for r in rows {
                let (o, p) = (&r.offer, r.offer.payout());
                out.push_str(&csv_line(&[
                    &o.id.to_string(),
                    &o.kind,
                    &r.name,
                    &r.email,
                    r.cohort.as_deref().unwrap_or(""),
                    &o.department,
                    &o.culture_band,
                    &o.status,
                    &p.bonus_cents.to_string(),
                    &p.minutes_worked.to_string(),
                    &p.hourly_rate_cents.to_string(),
                    &p.time_pay_cents.to_string(),
                    &p.total_cents.to_string(),
                    &o.opens_at.to_string(),
                    &o.expires_at.to_string(),
                    &o.answered_at.map(|a| a.to_string()).unwrap_or_default(),
                ]));
            }
            Ok((out, next))
        }
    }))
}

#[get("/payouts.csv")]
async fn payouts_csv(auth: Auth<OfferOversight>) -> AppResult<HttpResponse> {
    let state = auth.req.state.clone();
    let header = csv_line(&[
        "payout_id",
        "offer_id",
        "person",
        "email",
        "bonus_cents",
        "minutes_worked",
        "hourly_rate_cents",
        "time_pay_cents",
        "total_cents",
        "arithmetic",
        "due_on",
        "paid_at",
    ]);
    Ok(csv_stream("payouts.csv", header, move |cursor| {
        let state = state.clone();
        async move {
            let rows = state
                .db(move |c| {
                    Ok(model::payouts_page(
                        c,
                        false,
                        cursor.map(PayoutId),
                        CSV_BATCH,
                    )?)
                })
                .await?;
            let next = (rows.len() as i64 == CSV_BATCH)
                .then(|| rows.last().map(|r| r.payout.id.0))
                .flatten();
            let mut out = String::new();
            for r in rows {
                let p = &r.payout;
                out.push_str(&csv_line(&[
                    &p.id.to_string(),
                    &p.offer_id.to_string(),
                    &r.name,
                    &r.email,
                    &p.bonus_cents.to_string(),
                    &p.minutes_worked.to_string(),
                    &p.hourly_rate_cents.to_string(),
                    &p.time_pay_cents.to_string(),
                    &p.total_cents.to_string(),
                    &p.arithmetic,
                    &p.due_on.to_string(),
                    &p.paid_at.map(|a| a.to_string()).unwrap_or_default(),
                ]));
            }
            Ok((out, next))
        }
    }))
}
