//! Interview use cases: schedule, reschedule or change the panel, cancel, and the
//! missing-scorecard reminders. Each runs its rules, writes, audit entries and mails
//! (with their calendar attachments) in one transaction.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, InterviewId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model::{self as candidates, Candidate};
use crate::hiring::interviews::model::{self, Interview, Member};
use crate::hiring::interviews::rules::{self, InterviewInput, ValidInterview};
use crate::mail;
use crate::mail::ics::{self, CalEvent, Method, Person};
use chrono::Duration;
use serde_json::json;

/// The host part of calendar UIDs and of the fallback organizer address.
fn host(ctx: &Ctx) -> String {
    url::Url::parse(&ctx.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "onramp".into())
}

fn person(m: &Member) -> Person {
    Person {
        name: m.name.clone(),
        email: m.email.clone(),
    }
}

fn interview_json(iv: &Interview, panel: &[UserId]) -> serde_json::Value {
    json!({
        "candidate": iv.candidate_id, "track": iv.track, "starts_at": iv.starts_at,
        "duration_minutes": iv.duration_minutes, "location": iv.location,
        "video_url": iv.video_url, "status": iv.status, "sequence": iv.sequence,
        "panel": panel,
    })
}

/// Everything the invitations of one interview are made from.
struct Invitation<'a> {
    iv: &'a Interview,
    candidate: &'a Candidate,
    panel: &'a [Member],
    organizer: Person,
}

impl Invitation<'_> {
    fn load<'a>(
        conn: &mut DbConn,
        ctx: &Ctx,
        iv: &'a Interview,
        candidate: &'a Candidate,
        panel: &'a [Member],
    ) -> AppResult<Invitation<'a>> {
        let organizer = match iv.created_by {
            Some(id) => model::members(conn, &[id])?.first().map(person),
            None => None,
        }
        .unwrap_or_else(|| Person {
            name: ctx.company.clone(),
            email: format!("onramp@{}", host(ctx)),
        });
        Ok(Invitation {
            iv,
            candidate,
            panel,
            organizer,
        })
    }

    fn event(&self, ctx: &Ctx, for_candidate: bool, attendees: Vec<Person>) -> CalEvent {
        let track = self.iv.track().label();
        let (summary, mut description) = if for_candidate {
            (
                format!("Interview with {} ({track})", ctx.company),
                format!(
                    "Your {} interview with {}.",
                    track.to_lowercase(),
                    ctx.company
                ),
            )
        } else {
            (
                format!("{track} interview: {}", self.candidate.name),
                format!(
                    "Interview details and your scorecard: {}",
                    ctx.link(&format!("/hiring/interviews/{}", self.iv.id))
                ),
            )
        };
        if !self.iv.video_url.is_empty() {
            description.push_str(&format!("\nVideo call: {}", self.iv.video_url));
        }
        CalEvent {
            uid: self.iv.ical_uid.clone(),
            sequence: self.iv.sequence,
            summary,
            description,
            location: self.iv.location.clone(),
            url: self.iv.video_url.clone(),
            starts: self.iv.starts_at,
            ends: self.iv.ends_at(),
            stamp: ctx.now,
            organizer: Some(self.organizer.clone()),
            attendees,
            cancelled: !self.iv.is_scheduled(),
        }
    }

    fn everyone(&self) -> Vec<Person> {
        let mut all = vec![Person {
            name: self.candidate.name.clone(),
            email: self.candidate.email.clone(),
        }];
        all.extend(self.panel.iter().map(person));
        all
    }

    fn mail_data(&self, ctx: &Ctx, name: &str, for_candidate: bool) -> serde_json::Value {
        json!({
            "name": name,
            "candidate": self.candidate.name,
            "track": self.iv.track().label(),
            "starts": rules::show(self.iv.starts_at, ctx.tz),
            "tz": ctx.tz.name(),
            "duration": self.iv.duration_minutes,
            "location": self.iv.location,
            "video_url": self.iv.video_url,
            "panel": self.panel.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
            "for_candidate": for_candidate,
            "link": ctx.link(&format!("/hiring/interviews/{}", self.iv.id)),
        })
    }

    /// Mails an invitation (REQUEST) or a cancellation (CANCEL) to the candidate and/or
    /// the given panel members, each with the .ics attached.
    fn send(
        &self,
        conn: &mut DbConn,
        ctx: &Ctx,
        method: Method,
        to_candidate: bool,
        to_panel: &[&Member],
        extra: serde_json::Value,
    ) -> AppResult<()> {
        let template = match method {
            Method::Cancel => "interview_cancelled",
            _ => "interview_invitation",
        };
        let attendees_for = |who: Option<&Member>| match (method, who) {
            // A cancellation to someone taken off the panel names only them.
            (Method::Cancel, Some(m)) if self.iv.is_scheduled() => vec![person(m)],
            _ => self.everyone(),
        };
        let merge = |mut data: serde_json::Value| {
            if let (Some(d), Some(e)) = (data.as_object_mut(), extra.as_object()) {
                d.extend(e.clone());
            }
            data
        };
        if to_candidate {
            let ics = ics::calendar(method, None, &[self.event(ctx, true, attendees_for(None))]);
            let data = merge(self.mail_data(ctx, &self.candidate.name, true));
            mail::enqueue_with_calendar(
                conn,
                ctx,
                &self.candidate.email,
                template,
                &data,
                Some(&ics),
            )?;
        }
        for m in to_panel {
            let ics = ics::calendar(
                method,
                None,
                &[self.event(ctx, false, attendees_for(Some(m)))],
            );
            let data = merge(self.mail_data(ctx, &m.name, false));
            mail::enqueue_with_calendar(conn, ctx, &m.email, template, &data, Some(&ics))?;
        }
        Ok(())
    }
}

/// Active people who may sit on a panel.
pub fn eligible(conn: &mut DbConn) -> AppResult<Vec<Member>> {
    Ok(model::eligible_interviewers(conn)?)
}

/// A recruiter schedules an interview: the candidate and each interviewer get an
/// invitation, and a candidate in applied or screening moves to the track's stage.
pub fn schedule(
    conn: &mut DbConn,
    ctx: &Ctx,
    candidate_id: CandidateId,
    input: &InterviewInput,
) -> AppResult<InterviewId> {
    write_tx(conn, |conn| {
        let candidate = candidates::find(conn, candidate_id)?;
        let eligible: Vec<UserId> = model::eligible_interviewers(conn)?
            .iter()
            .map(|m| m.id)
            .collect();
        let v = rules::validate(input, None, candidate.stage(), &eligible, ctx.tz, ctx.now)
            .map_err(AppError::Invalid)?;
        let id = model::insert(
            conn,
            candidate.id,
            &v,
            &host(ctx),
            ctx.actor.user_id,
            ctx.now,
        )?;
        let iv = model::find(conn, id)?;
        audit::record(
            conn,
            ctx,
            "interview.scheduled",
            ("interview", Some(id.0)),
            None,
            Some(interview_json(&iv, &v.interviewers)),
        )?;
        if let Some(to) = rules::stage_after_scheduling(candidate.stage(), v.track) {
            let note = format!("{} interview scheduled", v.track.label());
            candidates::move_stage(
                conn,
                &candidate,
                to,
                None,
                &note,
                ctx.actor.user_id,
                ctx.now,
            )?;
            audit::record(
                conn,
                ctx,
                "candidate.stage_changed",
                ("candidate", Some(candidate.id.0)),
                Some(json!({"stage": candidate.stage})),
                Some(json!({"stage": to, "note": note, "interview": id})),
            )?;
        }
        let panel = model::panel(conn, id)?;
        let inv = Invitation::load(conn, ctx, &iv, &candidate, &panel)?;
        let everyone: Vec<&Member> = panel.iter().collect();
        inv.send(
            conn,
            ctx,
            Method::Request,
            true,
            &everyone,
            json!({"updated": false}),
        )?;
        Ok(id)
    })
}

/// A recruiter changes the time, length, place, link or panel. Any change raises the
/// SEQUENCE; a new time or place re-invites everyone, people added get an invitation and
/// people taken off get a cancellation. Returns false when nothing changed.
pub fn update(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: InterviewId,
    input: &InterviewInput,
) -> AppResult<bool> {
    write_tx(conn, |conn| {
        let before = model::find(conn, id)?;
        if !before.is_scheduled() {
            return Err(AppError::Conflict(vec![
                "This interview was cancelled; schedule a new one instead.".into(),
            ]));
        }
        let candidate = candidates::find(conn, before.candidate_id)?;
        let old_panel: Vec<UserId> = model::panel(conn, id)?.iter().map(|m| m.id).collect();
        let mut eligible: Vec<UserId> = model::eligible_interviewers(conn)?
            .iter()
            .map(|m| m.id)
            .collect();
        // Someone already on the panel may stay even if they no longer could be added.
        eligible.extend(&old_panel);
        let new: ValidInterview = rules::validate(
            input,
            Some(before.track()),
            candidate.stage(),
            &eligible,
            ctx.tz,
            ctx.now,
        )
        .map_err(AppError::Invalid)?;
        let plan = rules::plan_update(&before.as_valid(&old_panel), &old_panel, &new);
        if !plan.is_change() {
            return Ok(false);
        }
        // Cancellations to those taken off are made while they are still on the panel.
        let removed_people = model::members(conn, &plan.removed)?;
        for u in &plan.removed {
            model::remove_from_panel(conn, id, *u)?;
        }
        for u in &plan.added {
            model::add_to_panel(conn, id, *u)?;
        }
        model::update_details(conn, id, &new, before.sequence + 1, ctx.now)?;
        let after = model::find(conn, id)?;
        audit::record(
            conn,
            ctx,
            if plan.details_changed {
                "interview.rescheduled"
            } else {
                "interview.panel_changed"
            },
            ("interview", Some(id.0)),
            Some(interview_json(&before, &old_panel)),
            Some(interview_json(&after, &new.interviewers)),
        )?;
        let panel = model::panel(conn, id)?;
        let inv = Invitation::load(conn, ctx, &after, &candidate, &panel)?;
        let invite: Vec<&Member> = panel
            .iter()
            .filter(|m| plan.added.contains(&m.id) || plan.details_changed)
            .collect();
        inv.send(
            conn,
            ctx,
            Method::Request,
            plan.details_changed,
            &invite,
            json!({"updated": plan.details_changed}),
        )?;
        let removed: Vec<&Member> = removed_people.iter().collect();
        inv.send(
            conn,
            ctx,
            Method::Cancel,
            false,
            &removed,
            json!({"reason": "You are no longer on this interview's panel."}),
        )?;
        Ok(true)
    })
}

/// A recruiter cancels an interview: everyone gets METHOD:CANCEL with the same UID.
pub fn cancel(conn: &mut DbConn, ctx: &Ctx, id: InterviewId, reason: &str) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "Say why the interview is cancelled; the people invited will read it.",
        ));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::field(
            "reason",
            "Keep the reason under 1,000 characters.",
        ));
    }
    write_tx(conn, |conn| {
        let before = model::find(conn, id)?;
        if !before.is_scheduled() {
            return Err(AppError::Conflict(vec![
                "This interview is already cancelled.".into(),
            ]));
        }
        let candidate = candidates::find(conn, before.candidate_id)?;
        model::mark_cancelled(conn, id, before.sequence + 1, ctx.now)?;
        let after = model::find(conn, id)?;
        let panel = model::panel(conn, id)?;
        let ids: Vec<UserId> = panel.iter().map(|m| m.id).collect();
        audit::record(
            conn,
            ctx,
            "interview.cancelled",
            ("interview", Some(id.0)),
            Some(interview_json(&before, &ids)),
            Some(json!({"status": after.status, "sequence": after.sequence, "reason": reason})),
        )?;
        let inv = Invitation::load(conn, ctx, &after, &candidate, &panel)?;
        let everyone: Vec<&Member> = panel.iter().collect();
        inv.send(
            conn,
            ctx,
            Method::Cancel,
            true,
            &everyone,
            json!({"reason": reason}),
        )?;
        Ok(())
    })
}

/// Seats examined per run; the rest wait for the next minute.
const REMINDER_BATCH: i64 = 500;
/// Interviews older than this get no reminder (old data, imports).
const REMINDER_HORIZON_DAYS: i64 = 14;

/// Mails each panel member whose scorecard is still missing a day after the interview
/// ended, once. Each seat is claimed with a conditional update of
/// `interview_panel.reminded_at` in the transaction that queues the mail and writes the
/// audit entry, so two runs (or two app servers) never send the same reminder twice.
/// Returns how many reminders were queued.
pub fn send_scorecard_reminders(conn: &mut DbConn, ctx: &Ctx) -> AppResult<usize> {
    let started_before = ctx.now - Duration::hours(rules::REMINDER_AFTER_HOURS);
    let started_after = ctx.now - Duration::days(REMINDER_HORIZON_DAYS);
    let seats = model::unreminded_seats(conn, started_after, started_before, REMINDER_BATCH)?;
    let mut sent = 0;
    for (iv, user) in seats {
        if !rules::reminder_due(iv.ends_at(), ctx.now) {
            continue;
        }
        let queued = write_tx(conn, |conn| {
            // Submitted since the query ran, or claimed by another run: nothing to do.
            if !model::submitted_by(conn, user, &[iv.id])?.is_empty()
                || !model::mark_reminded(conn, iv.id, user, ctx.now)?
            {
                return Ok::<_, AppError>(false);
            }
            let candidate = candidates::find(conn, iv.candidate_id)?;
            let Some(member) = model::members(conn, &[user])?.pop() else {
                return Ok(false);
            };
            mail::enqueue(
                conn,
                ctx,
                &member.email,
                "interview_scorecard_reminder",
                &json!({
                    "name": member.name,
                    "candidate": candidate.name,
                    "track": iv.track().label(),
                    "ended": iv.ends_at().format("%Y-%m-%d %H:%M UTC").to_string(),
                    "link": ctx.link(&format!("/hiring/interviews/{}/scorecard", iv.id)),
                }),
            )?;
            audit::record(
                conn,
                ctx,
                "interview.scorecard_reminder_sent",
                ("interview", Some(iv.id.0)),
                None,
                Some(json!({"interviewer": user})),
            )?;
            Ok(true)
        })?;
        if queued {
            sent += 1;
        }
    }
    Ok(sent)
}
