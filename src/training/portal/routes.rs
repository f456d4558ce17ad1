//! The portal page: the signed-in new hire's own records, by their user id only.

use crate::auth::role::NewHires;
use crate::auth::Auth;
use crate::error::AppResult;
use crate::offer::offers::model as offers;
use crate::offer::offers::service as offer_service;
use crate::offer::rules::{OfferKind, OfferStatus};
use crate::training::portal::model;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(portal_page);
}

#[get("/portal")]
async fn portal_page(auth: Auth<NewHires>) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let ctx = auth.req.ctx();
    let today = ctx.today();
    let state = auth.req.state.clone();
    let (portal, offer) = auth
        .req
        .db(move |c| {
            let portal = model::portal(c, &state.kept_training.portals, me, today)?;
            let offer = match offers::latest_for_user(c, me)? {
                Some(o) if o.status() == OfferStatus::Pending && o.expires_at > ctx.now => {
                    let p = match (&portal.cohort, portal.enrolment_id) {
                        (Some(cohort), Some(e)) => offer_service::current_payout_given(
                            c,
                            &o,
                            e,
                            portal.tally.attended(),
                            cohort.day_minutes,
                        )?,
                        _ => offer_service::current_payout(c, &o)?,
                    };
                    Some((o, p))
                }
                _ => None,
            };
            Ok((portal, offer))
        })
        .await?;
    let money = auth.req.state.settings.currency();
    let offer = offer.map(|(o, p)| {
        json!({
            "total": money.format(p.total_cents),
            "yearly": o.kind() == OfferKind::Yearly,
            "deadline": offer_service::local_deadline(o.expires_at, auth.req.state.settings.tz()),
        })
    });
    auth.req.page(
        "training/portal/index",
        "My onboarding",
        json!({"p": portal, "today": today, "offer": offer}),
    )
}
