//! Adding a window, making its offers, and an employee leaving with one. Answering and
//! expiry are the offers' own (kind-agnostic) service.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{EmployeeId, OfferId, YearlyWindowId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::mail;
use crate::offer::offers::model::{self as offers, NewOffer};
use crate::offer::offers::service::local_deadline;
use crate::offer::reports::rules::Uptake;
use crate::offer::rules::{self as offer_rules, OfferKind};
use crate::offer::yearly::model::{self, Eligible, YearlyWindow};
use crate::offer::yearly::rules::{self, ValidWindow, WindowInput};
use serde::Serialize;
use serde_json::json;

/// Employees offered per transaction: a window over tens of thousands of employees is
/// many short transactions, not one long one nor one per person.
const BATCH: i64 = 200;

/// The message when `v` overlaps another window than `except`.
fn check_overlap(
    conn: &mut DbConn,
    v: &ValidWindow,
    except: Option<YearlyWindowId>,
) -> AppResult<()> {
    match model::overlapping(conn, v.opens_on, v.closes_on, except)? {
        Some(other) => Err(AppError::field(
            "opens_on",
            format!(
                "This overlaps the window from {} to {}: an employee has one yearly offer at a time.",
                other.opens_on, other.closes_on
            ),
        )),
        None => Ok(()),
    }
}

fn terms_json(v: &ValidWindow) -> serde_json::Value {
    json!({
        "opens_on": v.opens_on,
        "closes_on": v.closes_on,
        "base_cents": v.base_cents,
        "step_cents": v.step_cents,
        "max_cents": v.max_cents,
    })
}

/// HR adds a window. Whether the company runs the yearly offer at all is whether it
/// adds one.
pub fn create_window(
    conn: &mut DbConn,
    ctx: &Ctx,
    input: &WindowInput,
) -> AppResult<YearlyWindowId> {
    write_tx(conn, |conn| {
        let v = rules::validate(input, ctx.today()).map_err(AppError::Invalid)?;
        check_overlap(conn, &v, None)?;
        let id = model::insert(conn, &v, ctx.actor.user_id, ctx.now)?;
        audit::record(
            conn,
            ctx,
            "yearly_window.created",
            ("yearly_window", Some(id.0)),
            None,
            Some(terms_json(&v)),
        )?;
        Ok(id)
    })
}

/// The window, if it can still be changed or removed: once it has opened, employees hold
/// offers on its terms.
fn planned(conn: &mut DbConn, ctx: &Ctx, id: YearlyWindowId) -> AppResult<YearlyWindow> {
    let window = model::find(conn, id)?;
    if !rules::still_planned(window.opens_on, ctx.today()) {
        return Err(AppError::Conflict(vec![format!(
            "The window opened on {}: its offers are made on these terms, so it can no longer be changed or removed.",
            window.opens_on
        )]));
    }
    Ok(window)
}

/// HR changes a window that has not opened yet.
pub fn update_window(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: YearlyWindowId,
    input: &WindowInput,
) -> AppResult<()> {
    write_tx(conn, |conn| {
        let before = planned(conn, ctx, id)?;
        let v = rules::validate(input, ctx.today()).map_err(AppError::Invalid)?;
        check_overlap(conn, &v, Some(id))?;
        model::update(conn, id, &v)?;
        audit::record(
            conn,
            ctx,
            "yearly_window.updated",
            ("yearly_window", Some(id.0)),
            Some(terms_json(&before.terms())),
            Some(terms_json(&v)),
        )?;
        Ok(())
    })
}

/// HR removes a window that has not opened yet: nobody is offered anything for it.
pub fn delete_window(conn: &mut DbConn, ctx: &Ctx, id: YearlyWindowId) -> AppResult<()> {
    write_tx(conn, |conn| {
        let before = planned(conn, ctx, id)?;
        model::delete(conn, id)?;
        audit::record(
            conn,
            ctx,
            "yearly_window.deleted",
            ("yearly_window", Some(id.0)),
            Some(terms_json(&before.terms())),
            None,
        )?;
        Ok(())
    })
}

/// A window with its offers counted by outcome.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WindowView {
    #[serde(flatten)]
    pub window: YearlyWindow,
    pub uptake: Uptake,
}

/// Windows newest first (`limit` before `before`), each with its uptake.
pub fn windows_page(
    conn: &mut DbConn,
    before: Option<YearlyWindowId>,
    limit: i64,
) -> AppResult<Vec<WindowView>> {
    let windows = model::page(conn, before, limit)?;
    let mut uptake = model::uptake_of(conn, &windows.iter().map(|w| w.id).collect::<Vec<_>>())?;
    Ok(windows
        .into_iter()
        .map(|w| WindowView {
            uptake: uptake.remove(&w.id).unwrap_or_default(),
            window: w,
        })
        .collect())
}

pub fn window_view(conn: &mut DbConn, id: YearlyWindowId) -> AppResult<WindowView> {
    let window = model::find(conn, id)?;
    let uptake = model::uptake_of(conn, &[id])?
        .remove(&id)
        .unwrap_or_default();
    Ok(WindowView { window, uptake })
}

/// Part of the scheduled offers job: for every window open today (company date), an
/// offer to each eligible employee who has none for it yet, a batch per transaction.
/// Safe to run twice (the anti-join, and the unique index behind it) and catching up
/// after downtime (it looks for everyone still owed an offer, whenever in the window it
/// runs). Returns how many offers were made.
pub fn make_due(conn: &mut DbConn, ctx: &Ctx) -> AppResult<usize> {
    let mut made = 0;
    for window in model::open_on(conn, ctx.today())? {
        let mut after = None;
        loop {
            let batch = write_tx(conn, |conn| -> AppResult<Option<EmployeeId>> {
                let batch = model::eligible_batch(conn, &window, after, BATCH)?;
                for employee in &batch {
                    make_one(conn, ctx, &window, employee)?;
                }
                made += batch.len();
                Ok(batch.last().map(|e| e.employee_id))
            })?;
            match batch {
                Some(last) => after = Some(last),
                None => break,
            }
        }
    }
    Ok(made)
}

fn make_one(
    conn: &mut DbConn,
    ctx: &Ctx,
    window: &YearlyWindow,
    employee: &Eligible,
) -> AppResult<OfferId> {
    let tenure = offer_rules::full_years(employee.started_on, window.opens_on);
    let bonus = rules::bonus_for(employee.started_on, &window.terms());
    let band = offer_rules::culture_band(offers::culture_mean(conn, employee.hire_id)?);
    let expires_at = rules::expires_at(window.closes_on, ctx.tz, ctx.now);
    let id = offers::insert(
        conn,
        &NewOffer {
            kind: OfferKind::Yearly,
            user_id: employee.user_id,
            enrolment_id: None,
            cohort_id: None,
            policy_id: None,
            employee_id: Some(employee.employee_id),
            yearly_window_id: Some(window.id),
            department: &employee.department,
            culture_band: band,
            bonus_cents: bonus,
            hourly_rate_cents: employee.hourly_rate_cents,
            pays_time_worked: false,
            minutes_worked: 0,
            opens_at: ctx.now,
            expires_at,
            made_by: ctx.actor.user_id,
            now: ctx.now,
        },
    )?;
    audit::record(
        conn,
        ctx,
        "offer.made",
        ("offer", Some(id.0)),
        None,
        Some(json!({
            "kind": OfferKind::Yearly,
            "user": employee.user_id,
            "employee": employee.employee_id,
            "yearly_window": window.id,
            "tenure_years": tenure,
            "bonus_cents": bonus,
            "opens_at": ctx.now,
            "expires_at": expires_at,
        })),
    )?;
    mail::enqueue(
        conn,
        ctx,
        &employee.email,
        "yearly_offer",
        &json!({
            "name": employee.name,
            "deadline": local_deadline(expires_at, ctx.tz),
            "link": ctx.link("/portal/offer"),
        }),
    )?;
    Ok(id)
}

/// An employee accepted their yearly offer: their employment ends today. Runs inside the
/// acceptance's transaction.
pub fn leave(conn: &mut DbConn, ctx: &Ctx, employee: EmployeeId) -> AppResult<()> {
    let today = ctx.today();
    if model::leave(conn, employee, today, rules::LEAVE_REASON, ctx.now)? {
        audit::record(
            conn,
            ctx,
            "employee.left",
            ("employee", Some(employee.0)),
            Some(json!({"left_on": null})),
            Some(json!({"left_on": today, "leave_reason": rules::LEAVE_REASON})),
        )?;
    }
    Ok(())
}
