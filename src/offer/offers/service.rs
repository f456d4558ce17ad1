//! Making, answering, expiring and voiding offers. Each use case is one transaction with
//! its rows, audit entries and mail.

use crate::audit;
use crate::auth::model as users;
use crate::auth::password;
use crate::auth::role::Role;
use crate::ctx::Ctx;
use crate::db::ids::{CohortId, EnrolmentId, OfferId, PayoutId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::mail;
use crate::money::Currency;
use crate::offer::offers::model::{self, NewOffer, Offer};
use crate::offer::policies::model::{self as policies, OfferPolicy};
use crate::offer::rules::{self, OfferKind, OfferStatus, Payout};
use crate::training::cohorts::model::{self as cohorts, Cohort};
use crate::training::enrolments::model::{self as enrolments, Payee};
use crate::training::progress::model as progress;
use crate::training::rules::EnrolmentStatus;
use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

/// What one run of the scheduled job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JobRun {
    pub made: usize,
    pub yearly_made: usize,
    pub expired: usize,
    pub deactivated: usize,
}

/// Cohorts are looked at for due offers until this long after their start: a rotation
/// is four weeks, and holidays or downtime stretch it a little.
const RUNNING_WINDOW_DAYS: i64 = 90;
const EXPIRE_BATCH: i64 = 500;

/// The scheduled job, every minute: makes every offer whose day has ended, expires every
/// pending offer past its deadline, and closes farewell accounts after 30 days. Safe to
/// run twice (an enrolment has at most one offer; only pending offers expire) and it
/// catches up after downtime (it looks at everything due, not just what fell due since
/// the last run).
pub fn run_due(conn: &mut DbConn, ctx: &Ctx) -> AppResult<JobRun> {
    let mut run = JobRun::default();
    let today = ctx.now.date();
    for cohort in cohorts::running_since(conn, today - Duration::days(RUNNING_WINDOW_DAYS), today)?
    {
        run.made += make_for_cohort(conn, ctx, cohort.id, Timing::WhenDue)?;
    }
    run.yearly_made = crate::offer::yearly::service::make_due(conn, ctx)?;
    loop {
        let due = model::overdue(conn, ctx.now, EXPIRE_BATCH)?;
        if due.is_empty() {
            break;
        }
        for offer in due {
            if expire(conn, ctx, &offer)? {
                run.expired += 1;
            }
        }
    }
    for user in model::farewells_over(conn, ctx.now)? {
        crate::auth::service::set_active(conn, ctx, user, false)?;
        run.deactivated += 1;
    }
    Ok(run)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timing {
    /// The job: each trainee's offer once their offer day has ended.
    WhenDue,
    /// A trainer, at once: every trainee still without one, opening now.
    Now,
}

/// A trainer makes the cohort's offers at once. Returns how many were made.
pub fn make_now(conn: &mut DbConn, ctx: &Ctx, cohort: CohortId) -> AppResult<usize> {
    make_for_cohort(conn, ctx, cohort, Timing::Now)
}

/// The offers a cohort is owed now: each trainee without one whose offer day has ended
/// (or all of them, made at once), with when it opens and expires. None when the cohort
/// has no offer policy or no training days.
struct Owed {
    cohort: Cohort,
    policy: OfferPolicy,
    trainees: Vec<(Payee, NaiveDateTime, NaiveDateTime)>,
}

fn owed(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort_id: CohortId,
    timing: Timing,
) -> AppResult<Option<Owed>> {
    let cohort = cohorts::find(conn, cohort_id)?;
    if cohort.graduated_at.is_some() {
        return Err(AppError::Conflict(vec![format!(
            "{} has graduated: there is no one left to make an offer to.",
            cohort.name
        )]));
    }
    let Some(policy) = policies::of_cohort(conn, cohort.id)? else {
        return Ok(None);
    };
    let days = cohort.days()?;
    let Some(last) = days.last().copied() else {
        return Ok(None);
    };
    let offered = model::offered_enrolments(conn, cohort.id)?;
    let mut trainees = vec![];
    for trainee in enrolments::payees(conn, cohort.id)? {
        if offered.contains(&trainee.enrolment_id) {
            continue;
        }
        let (offer_day, closes_day) = rules::trainee_days(
            trainee.first_day,
            policy.offer_day,
            policy.closes_day,
            days.len() as i64,
        );
        let day = |n: i64| days.get(n as usize - 1).copied().unwrap_or(last);
        let opens_at = match timing {
            Timing::Now => ctx.now,
            Timing::WhenDue => {
                let due = rules::end_of_day_utc(day(offer_day), ctx.tz);
                if due > ctx.now {
                    continue;
                }
                due
            }
        };
        let closes_at = rules::end_of_day_utc(day(closes_day), ctx.tz);
        trainees.push((trainee, opens_at, rules::expiry(closes_at, ctx.now)));
    }
    Ok(Some(Owed {
        cohort,
        policy,
        trainees,
    }))
}

fn make_for_cohort(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort_id: CohortId,
    timing: Timing,
) -> AppResult<usize> {
    // The job looks every minute; it takes the write lock only when something is owed.
    let nothing = |o: &Option<Owed>| o.as_ref().is_none_or(|o| o.trainees.is_empty());
    if timing == Timing::WhenDue && nothing(&owed(conn, ctx, cohort_id, timing)?) {
        return Ok(0);
    }
    write_tx(conn, |conn| {
        let Some(owed) = owed(conn, ctx, cohort_id, timing)? else {
            return Ok(0);
        };
        for (trainee, opens_at, expires_at) in &owed.trainees {
            make_one(
                conn,
                ctx,
                &owed.cohort,
                &owed.policy,
                trainee,
                *opens_at,
                *expires_at,
            )?;
        }
        Ok(owed.trainees.len())
    })
}

fn minutes_worked(conn: &mut DbConn, cohort: &Cohort, enrolment: EnrolmentId) -> AppResult<i64> {
    let summary = progress::enrolment_summary(conn, enrolment)?;
    Ok(rules::minutes_worked(
        summary.tally.attended(),
        cohort.day_minutes,
    ))
}

fn make_one(
    conn: &mut DbConn,
    ctx: &Ctx,
    cohort: &Cohort,
    policy: &OfferPolicy,
    trainee: &Payee,
    opens_at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> AppResult<OfferId> {
    let minutes = minutes_worked(conn, cohort, trainee.enrolment_id)?;
    let band = rules::culture_band(model::culture_mean(conn, trainee.hire_id)?);
    let id = model::insert(
        conn,
        &NewOffer {
            kind: OfferKind::Training,
            user_id: trainee.user_id,
            enrolment_id: Some(trainee.enrolment_id),
            cohort_id: Some(cohort.id),
            policy_id: Some(policy.id),
            employee_id: None,
            yearly_window_id: None,
            department: &trainee.department,
            culture_band: band,
            bonus_cents: policy.bonus_cents,
            hourly_rate_cents: trainee.hourly_rate_cents,
            pays_time_worked: policy.pays_time_worked,
            minutes_worked: minutes,
            opens_at,
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
            "user": trainee.user_id,
            "enrolment": trainee.enrolment_id,
            "cohort": cohort.id,
            "policy": policy.id,
            "bonus_cents": policy.bonus_cents,
            "opens_at": opens_at,
            "expires_at": expires_at,
        })),
    )?;
    mail::enqueue(
        conn,
        ctx,
        &trainee.email,
        "offer_made",
        &json!({
            "name": trainee.name,
            "cohort": cohort.name,
            "link": ctx.link("/portal/offer"),
        }),
    )?;
    Ok(id)
}

/// Expires one overdue offer: no answer means they stay.
fn expire(conn: &mut DbConn, ctx: &Ctx, offer: &Offer) -> AppResult<bool> {
    write_tx(conn, |conn| {
        if !model::finish(conn, offer.id, OfferStatus::Expired, "", None, ctx.now)? {
            return Ok(false);
        }
        audit::record(
            conn,
            ctx,
            "offer.expired",
            ("offer", Some(offer.id.0)),
            Some(json!({"status": OfferStatus::Pending})),
            Some(json!({"status": OfferStatus::Expired, "expires_at": offer.expires_at})),
        )?;
        Ok(true)
    })
}

/// The offer as its person sees it, with time worked brought up to date while pending.
pub fn current_payout(conn: &mut DbConn, offer: &Offer) -> AppResult<Payout> {
    if offer.status() != OfferStatus::Pending {
        return Ok(offer.payout());
    }
    let minutes = match (offer.enrolment_id, offer.cohort_id) {
        (Some(e), Some(c)) => {
            let cohort = cohorts::find(conn, c)?;
            minutes_worked(conn, &cohort, e)?
        }
        _ => offer.minutes_worked,
    };
    Ok(pending_payout(offer, minutes))
}

/// `current_payout` for a caller that has already read the attendance of `enrolment` (the
/// portal): a pending offer on that enrolment is priced from it without reading it again.
pub fn current_payout_given(
    conn: &mut DbConn,
    offer: &Offer,
    enrolment: EnrolmentId,
    attended_days: i64,
    day_minutes: i64,
) -> AppResult<Payout> {
    if offer.status() == OfferStatus::Pending && offer.enrolment_id == Some(enrolment) {
        let minutes = rules::minutes_worked(attended_days, day_minutes);
        return Ok(pending_payout(offer, minutes));
    }
    current_payout(conn, offer)
}

/// A pending offer's payout for the minutes worked so far.
fn pending_payout(offer: &Offer, minutes_worked: i64) -> Payout {
    rules::payout(
        offer.bonus_cents,
        minutes_worked,
        offer.hourly_rate_cents,
        offer.pays_time_worked,
    )
}

/// Keeps pending offers' time worked in step with attendance; called in the attendance
/// save's transaction, so it reads the cohort's marks once (grouped) rather than per
/// trainee, and writes only the offers whose time worked changed.
pub fn refresh_time_worked(
    conn: &mut DbConn,
    cohort: CohortId,
    now: NaiveDateTime,
) -> AppResult<()> {
    let pending: Vec<Offer> = model::of_cohort(conn, cohort)?
        .into_iter()
        .filter(|o| o.status() == OfferStatus::Pending)
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let day_minutes = cohorts::find(conn, cohort)?.day_minutes;
    let attended = progress::cohort_tallies(conn, cohort)?;
    for offer in pending {
        let days = offer
            .enrolment_id
            .and_then(|e| attended.get(&e))
            .map_or(0, |t| t.attended());
        let p = rules::payout(
            offer.bonus_cents,
            rules::minutes_worked(days, day_minutes),
            offer.hourly_rate_cents,
            offer.pays_time_worked,
        );
        if p.minutes_worked != offer.minutes_worked {
            model::set_time_worked(conn, offer.id, &p, now)?;
        }
    }
    Ok(())
}

/// Finds the signed-in person's own pending offer, or says why it cannot be answered.
fn own_pending(conn: &mut DbConn, ctx: &Ctx, user: UserId, id: OfferId) -> AppResult<Offer> {
    let offer = model::find(conn, id)?;
    // Nobody answers for someone else: not even an admin.
    if offer.user_id != user {
        return Err(AppError::NotFound);
    }
    if offer.status() != OfferStatus::Pending {
        return Err(AppError::Conflict(vec![format!(
            "This offer is already {}; an answer is final.",
            offer.status().label().to_lowercase()
        )]));
    }
    if offer.expires_at <= ctx.now {
        return Err(AppError::Conflict(vec![
            "This offer closed: you stay with us.".into(),
        ]));
    }
    Ok(offer)
}

fn already_answered() -> AppError {
    AppError::Conflict(vec![
        "This offer was already answered; an answer is final.".into()
    ])
}

/// The trainee accepts: after re-entering their password and confirming, the offer is
/// accepted with time worked fixed, the enrolment ends as "left with the offer", a payout
/// is created for payroll, the account keeps only the farewell page for 30 days, and HR
/// and the cohort's trainers are mailed.
pub fn accept(
    conn: &mut DbConn,
    ctx: &Ctx,
    money: &Currency,
    user: UserId,
    id: OfferId,
    password_typed: &str,
    confirmed: bool,
) -> AppResult<PayoutId> {
    let account = users::find(conn, user)?;
    let password_ok = account
        .password_hash
        .as_deref()
        .is_some_and(|h| password::verify(password_typed, h));
    write_tx(conn, |conn| {
        let offer = own_pending(conn, ctx, user, id)?;
        if !password_ok {
            return Err(AppError::field(
                "password",
                "That is not your password. Type it again to confirm it is you.",
            ));
        }
        if !confirmed {
            return Err(AppError::field(
                "confirm",
                "Tick the box to confirm you are leaving today.",
            ));
        }
        let p = current_payout(conn, &offer)?;
        if !model::finish(conn, offer.id, OfferStatus::Accepted, "", Some(&p), ctx.now)? {
            return Err(already_answered());
        }
        let arithmetic = rules::arithmetic(&p, money);
        let due_on = ctx.now.date() + Duration::days(rules::PAYOUT_DUE_DAYS);
        let payout = model::insert_payout(conn, &offer, &p, &arithmetic, due_on, ctx.now)?;
        if let Some(e) = offer.enrolment_id {
            enrolments::end(
                conn,
                e,
                EnrolmentStatus::LeftWithOffer,
                "accepted the offer",
                ctx.now,
            )?;
        }
        if let Some(employee) = offer.employee_id {
            crate::offer::yearly::service::leave(conn, ctx, employee)?;
        }
        let until = ctx.now + Duration::days(rules::FAREWELL_DAYS);
        model::set_access_until(conn, user, until)?;
        audit::record(
            conn,
            ctx,
            "offer.accepted",
            ("offer", Some(offer.id.0)),
            Some(json!({"status": OfferStatus::Pending})),
            Some(json!({
                "status": OfferStatus::Accepted,
                "payout": payout,
                "total_cents": p.total_cents,
                "arithmetic": arithmetic,
                "enrolment_status": offer.enrolment_id.map(|_| EnrolmentStatus::LeftWithOffer),
                "access_until": until,
            })),
        )?;
        let cohort = offer
            .cohort_id
            .map(|c| cohorts::find(conn, c))
            .transpose()?;
        let mut recipients: Vec<String> = users::active_with_role(conn, Role::Hr)?
            .into_iter()
            .map(|(_, _, email)| email)
            .collect();
        if let Some(c) = &cohort {
            recipients.extend(cohorts::trainers(conn, c.id)?.into_iter().map(|t| t.email));
        }
        recipients.sort();
        recipients.dedup();
        for to in recipients {
            mail::enqueue(
                conn,
                ctx,
                &to,
                "offer_accepted",
                &json!({
                    "name": account.name,
                    "cohort": cohort.as_ref().map(|c| &c.name),
                    "yearly": offer.kind() == OfferKind::Yearly,
                    "total": money.format(p.total_cents),
                    "arithmetic": arithmetic,
                    "due_on": due_on,
                    "link": ctx.link(&format!("/offers/{}", offer.id)),
                }),
            )?;
        }
        Ok(payout)
    })
}

/// The trainee declines: one click, final. They stay.
pub fn decline(conn: &mut DbConn, ctx: &Ctx, user: UserId, id: OfferId) -> AppResult<()> {
    write_tx(conn, |conn| {
        let offer = own_pending(conn, ctx, user, id)?;
        if !model::finish(conn, offer.id, OfferStatus::Declined, "", None, ctx.now)? {
            return Err(already_answered());
        }
        audit::record(
            conn,
            ctx,
            "offer.declined",
            ("offer", Some(offer.id.0)),
            Some(json!({"status": OfferStatus::Pending})),
            Some(json!({"status": OfferStatus::Declined})),
        )?;
        Ok(())
    })
}

/// When a trainee leaves training another way (graduates, moves, is let go), a pending
/// offer becomes void. Runs inside the caller's transaction.
pub fn void_for_enrolment(
    conn: &mut DbConn,
    ctx: &Ctx,
    enrolment: EnrolmentId,
    reason: &str,
) -> AppResult<()> {
    let Some(offer) = model::for_enrolment(conn, enrolment)? else {
        return Ok(());
    };
    if model::finish(conn, offer.id, OfferStatus::Void, reason, None, ctx.now)? {
        audit::record(
            conn,
            ctx,
            "offer.void",
            ("offer", Some(offer.id.0)),
            Some(json!({"status": OfferStatus::Pending})),
            Some(json!({"status": OfferStatus::Void, "reason": reason})),
        )?;
    }
    Ok(())
}

/// The farewell: an accepted offer's payout, for 30 days after leaving.
pub fn farewell(conn: &mut DbConn, user: UserId) -> AppResult<(Offer, model::PayoutRow)> {
    let offer = model::latest_for_user(conn, user)?
        .filter(|o| o.status() == OfferStatus::Accepted)
        .ok_or(AppError::NotFound)?;
    let payout = model::payout_of(conn, offer.id)?.ok_or(AppError::NotFound)?;
    Ok((offer, payout))
}

/// The day a date falls on, for pages: the offer's deadline in company time.
pub fn local_deadline(at: NaiveDateTime, tz: chrono_tz::Tz) -> String {
    use chrono::TimeZone;
    tz.from_utc_datetime(&at)
        .format("%A %-d %B %Y at %-I:%M %p")
        .to_string()
}
