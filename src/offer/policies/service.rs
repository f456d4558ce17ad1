//! Adding a policy to the history, and applying one to a cohort explicitly.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, OfferPolicyId};
use crate::db::schema::offers;
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::offer::offers::model::{self as offers_model, Offer};
use crate::offer::policies::model::{self, NewPolicy};
use crate::offer::policies::rules::{validate, PolicyInput};
use crate::offer::reports::tally;
use crate::offer::rules::OfferStatus;
use crate::training::cohorts::model as cohorts;
use diesel::prelude::*;
use serde_json::json;

pub fn create(conn: &mut DbConn, ctx: &Ctx, input: &PolicyInput) -> AppResult<OfferPolicyId> {
    write_tx(conn, |conn| {
        let v = validate(input, ctx.now.date()).map_err(AppError::Invalid)?;
        let id = model::insert(
            conn,
            &NewPolicy {
                bonus_cents: v.bonus_cents,
                offer_day: v.offer_day,
                closes_day: v.closes_day,
                pays_time_worked: v.pays_time_worked,
                effective_on: v.effective_on,
                note: &v.note,
                created_by: ctx.actor.user_id,
                now: ctx.now,
            },
        )?;
        audit::record(
            conn,
            ctx,
            "offer_policy.created",
            ("offer_policy", Some(id.0)),
            None,
            Some(json!({
                "bonus_cents": v.bonus_cents,
                "offer_day": v.offer_day,
                "closes_day": v.closes_day,
                "pays_time_worked": v.pays_time_worked,
                "effective_on": v.effective_on,
                "note": v.note,
            })),
        )?;
        Ok(id)
    })
}

/// HR applies a policy to a cohort that is not yet graduated. Pending offers take its
/// bonus; answered ones keep theirs. Returns how many pending offers changed.
pub fn apply_to_cohort(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort: CohortId,
    policy: OfferPolicyId,
) -> AppResult<usize> {
    write_tx(conn, |conn| {
        let c = cohorts::find(conn, cohort)?;
        if c.graduated_at.is_some() {
            return Err(AppError::Conflict(vec![format!(
                "{} has graduated; its offers are history.",
                c.name
            )]));
        }
        let p = model::find(conn, policy)
            .optional()?
            .ok_or_else(|| AppError::field("policy_id", "Choose a policy from the history."))?;
        let before = model::of_cohort(conn, cohort)?;
        model::set_for_cohort(conn, cohort, p.id)?;
        let pending: Vec<Offer> = offers_model::of_cohort(conn, cohort)?
            .into_iter()
            .filter(|o| o.status() == OfferStatus::Pending && o.bonus_cents != p.bonus_cents)
            .collect();
        for o in &pending {
            tally::bonus_changed(conn, o, p.bonus_cents)?;
        }
        let changed = diesel::update(
            offers::table
                .filter(offers::cohort_id.eq(cohort))
                .filter(offers::status.eq(OfferStatus::Pending.as_str())),
        )
        .set((
            offers::bonus_cents.eq(p.bonus_cents),
            offers::policy_id.eq(p.id),
            offers::updated_at.eq(ctx.now),
        ))
        .execute(conn)?;
        audit::record(
            conn,
            ctx,
            "cohort.offer_policy_applied",
            ("cohort", Some(cohort.0)),
            Some(
                json!({"policy": before.as_ref().map(|b| b.id), "bonus_cents": before.map(|b| b.bonus_cents)}),
            ),
            Some(
                json!({"policy": p.id, "bonus_cents": p.bonus_cents, "pending_offers_changed": changed}),
            ),
        )?;
        Ok(changed)
    })
}
