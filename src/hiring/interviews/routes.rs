//! Pages: schedule an interview, my interviews, an interview's page, edit and cancel,
//! the candidate page's interview section, and the personal calendar feed.

use crate::auth::role::{AnyUser, HiringStaff, Recruiting, Role};
use crate::auth::Auth;
use crate::db::ids::{CandidateId, InterviewId, UserId};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::candidates::model::{self as candidates, Candidate};
use crate::hiring::interviews::file::{sees_everything, InterviewFile};
use crate::hiring::interviews::model::{self, Interview, Member};
use crate::hiring::interviews::rules::{self, InterviewInput, DURATIONS};
use crate::hiring::interviews::{feed, service};
use crate::hiring::rules::Track;
use crate::web::context::Viewer;
use crate::web::ReqCtx;
use actix_web::{get, post, web, HttpResponse};
use chrono::Duration;
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashSet;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_page)
        .service(create)
        .service(mine)
        .service(show_page)
        .service(edit_page)
        .service(update)
        .service(cancel)
        .service(calendar_page)
        .service(calendar_create)
        .service(calendar_revoke)
        .service(calendar_feed);
}

/// Recruiters, HR and admins see every interview; anyone else only those they sit on.
pub fn may_view(conn: &mut DbConn, viewer: &Viewer, id: InterviewId) -> AppResult<bool> {
    Ok(viewer.has_any(&[Role::Recruiter, Role::Hr, Role::Admin])
        || model::on_panel(conn, id, viewer.user_id)?)
}

fn can_schedule(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Recruiter, Role::Admin])
}

/// An interview as the pages show it.
fn view(iv: &Interview, panel: &[Member], tz: Tz, now: chrono::NaiveDateTime) -> Value {
    json!({
        "id": iv.id,
        "candidate_id": iv.candidate_id,
        "track": iv.track,
        "track_label": iv.track().label(),
        "starts": rules::show(iv.starts_at, tz),
        "ends": iv.ends_at().format("%H:%M").to_string(),
        "ends_local": rules::show(iv.ends_at(), tz),
        "duration": iv.duration_minutes,
        "location": iv.location,
        "video_url": iv.video_url,
        "status": iv.status,
        "cancelled": !iv.is_scheduled(),
        "past": iv.starts_at < now,
        "panel": panel,
        "sequence": iv.sequence,
    })
}

/// Reads the schedule form; `interviewers` comes once per ticked box.
fn read_form(body: &[u8]) -> InterviewInput {
    let mut input = InterviewInput::default();
    for (k, v) in url::form_urlencoded::parse(body) {
        match k.as_ref() {
            "track" => input.track = v.into_owned(),
            "date" => input.date = v.into_owned(),
            "time" => input.time = v.into_owned(),
            "duration_minutes" => input.duration_minutes = v.trim().parse().unwrap_or(0),
            "location" => input.location = v.into_owned(),
            "video_url" => input.video_url = v.into_owned(),
            "interviewers" => {
                if let Ok(id) = v.trim().parse() {
                    input.interviewer_ids.push(UserId(id));
                }
            }
            _ => {}
        }
    }
    input
}

/// The schedule/edit form's data: what was typed, the choices, the zone.
fn form_data(
    candidate: &Candidate,
    input: &InterviewInput,
    people: &[Member],
    tz: Tz,
    interview: Option<&Interview>,
) -> Value {
    let chosen: HashSet<UserId> = input.interviewer_ids.iter().copied().collect();
    let people: Vec<Value> = people
        .iter()
        .map(|m| json!({"id": m.id, "name": m.name, "email": m.email, "checked": chosen.contains(&m.id)}))
        .collect();
    let durations: Vec<Value> = DURATIONS
        .iter()
        .map(|d| {
            let label = match d {
                d if d % 60 == 0 => format!("{} hour{}", d / 60, if *d == 60 { "" } else { "s" }),
                d if *d > 60 => format!("{} h {} min", d / 60, d % 60),
                d => format!("{d} minutes"),
            };
            json!({"value": d, "label": label, "selected": *d == input.duration_minutes})
        })
        .collect();
    let tracks: Vec<Value> = Track::ALL
        .iter()
        .map(|t| json!({"value": t.as_str(), "label": t.label(), "selected": t.as_str() == input.track}))
        .collect();
    json!({
        "candidate": candidate,
        "form": input,
        "people": people,
        "durations": durations,
        "tracks": tracks,
        "tz": tz.name(),
        "interview": interview.map(|iv| json!({"id": iv.id, "track_label": iv.track().label()})),
    })
}

#[derive(Deserialize)]
struct TrackQuery {
    track: Option<String>,
}

#[get("/hiring/candidates/{id}/interviews/new")]
async fn new_page(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    q: web::Query<TrackQuery>,
) -> AppResult<HttpResponse> {
    let (id, tz) = (*id, auth.req.state.settings.tz());
    let (candidate, people) = auth
        .req
        .db(move |c| Ok((candidates::find(c, id)?, service::eligible(c)?)))
        .await?;
    let input = InterviewInput {
        track: q.track.clone().unwrap_or_default(),
        duration_minutes: 60,
        ..Default::default()
    };
    let title = format!("Schedule an interview with {}", candidate.name);
    auth.req.page(
        "hiring/interviews/form",
        &title,
        form_data(&candidate, &input, &people, tz, None),
    )
}

#[post("/hiring/candidates/{id}/interviews/new")]
async fn create(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let tz = sctx.tz;
    let input = read_form(&body);
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::schedule(c, &sctx, id, &inp))
        .await
    {
        Ok(iid) => Ok(auth.req.redirect_ok(
            &format!("/hiring/interviews/{iid}"),
            "Interview scheduled. The candidate and each interviewer get an invitation.",
        )),
        Err(AppError::Invalid(errors)) => {
            let (candidate, people) = auth
                .req
                .db(move |c| Ok((candidates::find(c, id)?, service::eligible(c)?)))
                .await?;
            let title = format!("Schedule an interview with {}", candidate.name);
            auth.req.form_errors(
                "hiring/interviews/form",
                &title,
                &errors,
                form_data(&candidate, &input, &people, tz, None),
            )
        }
        Err(e) => Err(e),
    }
}

#[get("/hiring/interviews")]
async fn mine(auth: Auth<HiringStaff>) -> AppResult<HttpResponse> {
    let (me, tz, now) = (
        auth.viewer.user_id,
        auth.req.state.settings.tz(),
        auth.req.state.clock.now(),
    );
    let (upcoming, recent) = auth
        .req
        .db(move |c| {
            // An interview still running counts as upcoming until it ends.
            let soon = model::for_interviewer(c, me, now - Duration::hours(8), None, false, 200)?;
            let upcoming: Vec<_> = soon
                .into_iter()
                .filter(|r| r.interview.ends_at() > now)
                .collect();
            let recent: Vec<_> =
                model::for_interviewer(c, me, now - Duration::days(60), Some(now), true, 200)?
                    .into_iter()
                    .filter(|r| r.interview.ends_at() <= now)
                    .collect();
            let ids: Vec<InterviewId> = upcoming
                .iter()
                .chain(&recent)
                .map(|r| r.interview.id)
                .collect();
            let submitted = model::submitted_by(c, me, &ids)?;
            let row = |r: &model::Listed| {
                let mut v = view(&r.interview, &[], tz, now);
                v["candidate_name"] = json!(r.candidate_name);
                v["submitted"] = json!(submitted.contains(&r.interview.id));
                v
            };
            Ok((
                upcoming.iter().map(row).collect::<Vec<_>>(),
                recent.iter().map(row).collect::<Vec<_>>(),
            ))
        })
        .await?;
    auth.req.page(
        "hiring/interviews/mine",
        "My interviews",
        json!({"upcoming": upcoming, "recent": recent, "tz": tz.name()}),
    )
}

async fn detail(
    req: &ReqCtx,
    viewer: &Viewer,
    id: InterviewId,
    errors: Option<FieldErrors>,
    reason: &str,
) -> AppResult<HttpResponse> {
    let (tz, now, v) = (
        req.state.settings.tz(),
        req.state.clock.now(),
        viewer.clone(),
    );
    let data = req
        .db(move |c| {
            let iv = model::find(c, id)?;
            if !may_view(c, &v, id)? {
                return Err(AppError::Forbidden);
            }
            let candidate = candidates::find(c, iv.candidate_id)?;
            let panel = model::panel(c, id)?;
            let submitted = model::submitted_pairs(c, &[id])?;
            let panel_view: Vec<Value> = panel
                .iter()
                .map(|m| json!({"name": m.name, "email": m.email, "me": m.id == v.user_id, "submitted": submitted.contains(&(id, m.id))}))
                .collect();
            let on_panel = panel.iter().any(|m| m.id == v.user_id);
            let mut interview = view(&iv, &[], tz, now);
            interview["panel"] = json!(panel_view);
            Ok(json!({
                "interview": interview,
                "candidate": {"id": candidate.id, "name": candidate.name, "stage": candidate.stage().label()},
                "tz": tz.name(),
                "on_panel": on_panel,
                "i_submitted": submitted.contains(&(id, v.user_id)),
                "manage": can_schedule(&v) && iv.is_scheduled(),
            }))
        })
        .await?;
    let mut data = data;
    data["reason"] = json!(reason);
    let title = format!(
        "{} interview: {}",
        data["interview"]["track_label"].as_str().unwrap_or(""),
        data["candidate"]["name"].as_str().unwrap_or("")
    );
    match errors {
        Some(errors) => req.form_errors("hiring/interviews/show", &title, &errors, data),
        None => req.page("hiring/interviews/show", &title, data),
    }
}

#[get("/hiring/interviews/{id}")]
async fn show_page(auth: Auth<HiringStaff>, id: web::Path<InterviewId>) -> AppResult<HttpResponse> {
    detail(&auth.req, &auth.viewer, *id, None, "").await
}

#[get("/hiring/interviews/{id}/edit")]
async fn edit_page(auth: Auth<Recruiting>, id: web::Path<InterviewId>) -> AppResult<HttpResponse> {
    let (id, tz) = (*id, auth.req.state.settings.tz());
    let (iv, candidate, panel, people) = auth
        .req
        .db(move |c| {
            let iv = model::find(c, id)?;
            let candidate = candidates::find(c, iv.candidate_id)?;
            Ok((iv, candidate, model::panel(c, id)?, service::eligible(c)?))
        })
        .await?;
    if !iv.is_scheduled() {
        return Err(AppError::Conflict(vec![
            "This interview was cancelled; schedule a new one instead.".into(),
        ]));
    }
    let (date, time) = rules::form_date_time(iv.starts_at, tz);
    let input = InterviewInput {
        track: iv.track.clone(),
        date,
        time,
        duration_minutes: iv.duration_minutes,
        location: iv.location.clone(),
        video_url: iv.video_url.clone(),
        interviewer_ids: panel.iter().map(|m| m.id).collect(),
        starts_at: None,
    };
    let people = with_current_panel(people, &panel);
    auth.req.page(
        "hiring/interviews/form",
        &format!("Change the interview with {}", candidate.name),
        form_data(&candidate, &input, &people, tz, Some(&iv)),
    )
}

/// The eligible people plus anyone already on the panel who no longer is (so they can be
/// seen and kept or removed).
fn with_current_panel(mut people: Vec<Member>, panel: &[Member]) -> Vec<Member> {
    for m in panel {
        if !people.iter().any(|p| p.id == m.id) {
            people.push(m.clone());
        }
    }
    people
}

#[post("/hiring/interviews/{id}/edit")]
async fn update(
    auth: Auth<Recruiting>,
    id: web::Path<InterviewId>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let tz = sctx.tz;
    let input = read_form(&body);
    let inp = input.clone();
    match auth
        .req
        .db(move |c| service::update(c, &sctx, id, &inp))
        .await
    {
        Ok(true) => Ok(auth.req.redirect_ok(
            &format!("/hiring/interviews/{id}"),
            "Interview changed. Updated invitations are on their way.",
        )),
        Ok(false) => Ok(auth.req.redirect_ok(
            &format!("/hiring/interviews/{id}"),
            "Nothing changed; no invitations were sent.",
        )),
        Err(AppError::Invalid(errors)) => {
            let (iv, candidate, panel, people) = auth
                .req
                .db(move |c| {
                    let iv = model::find(c, id)?;
                    let candidate = candidates::find(c, iv.candidate_id)?;
                    Ok((iv, candidate, model::panel(c, id)?, service::eligible(c)?))
                })
                .await?;
            let mut input = input;
            input.track = iv.track.clone();
            let people = with_current_panel(people, &panel);
            auth.req.form_errors(
                "hiring/interviews/form",
                &format!("Change the interview with {}", candidate.name),
                &errors,
                form_data(&candidate, &input, &people, tz, Some(&iv)),
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

#[post("/hiring/interviews/{id}/cancel")]
async fn cancel(
    auth: Auth<Recruiting>,
    id: web::Path<InterviewId>,
    form: web::Form<CancelForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let reason = form.into_inner().reason;
    let r = reason.clone();
    match auth
        .req
        .db(move |c| service::cancel(c, &sctx, id, &r))
        .await
    {
        Ok(()) => Ok(auth.req.redirect_ok(
            &format!("/hiring/interviews/{id}"),
            "Interview cancelled. Everyone invited has been told.",
        )),
        Err(AppError::Invalid(errors)) => {
            detail(&auth.req, &auth.viewer, id, Some(errors), &reason).await
        }
        Err(e) => Err(e),
    }
}

/// This part's section of the candidate page: the candidate's interviews and, for
/// recruiters, the buttons that schedule the two interviews.
pub fn panel(
    ctx: &crate::ctx::Ctx,
    viewer: &Viewer,
    candidate: &Candidate,
    file: &InterviewFile,
) -> Value {
    let tz = ctx.tz;
    let submitted = file.submitted();
    let see_all = sees_everything(viewer);
    let rows: Vec<Value> = file
        .interviews
        .iter()
        .map(|iv| {
            let panel = file.panel(iv.id);
            let on_panel = panel.iter().any(|m| m.id == viewer.user_id);
            let people: Vec<Value> = panel
                .iter()
                .map(|m| json!({"name": m.name, "submitted": submitted.contains(&(iv.id, m.id))}))
                .collect();
            let mut v = view(iv, &[], tz, ctx.now);
            v["people"] = json!(people);
            v["open"] = json!(see_all || on_panel);
            v["write_scorecard"] = json!(
                on_panel && iv.is_scheduled() && !submitted.contains(&(iv.id, viewer.user_id))
            );
            v
        })
        .collect();
    let schedule = can_schedule(viewer) && !candidate.stage().is_final();
    json!({
        "candidate_id": candidate.id,
        "interviews": rows,
        "schedule": schedule,
        "tz": tz.name(),
        "tracks": Track::ALL.iter().map(|t| json!({"value": t.as_str(), "label": t.label()})).collect::<Vec<_>>(),
    })
}

// ---- The personal calendar feed ----

async fn calendar_view(auth: &Auth<AnyUser>, new_url: Option<String>) -> AppResult<HttpResponse> {
    let me = auth.viewer.user_id;
    let active = auth.req.db(move |c| feed::active(c, me)).await?;
    auth.req.page(
        "hiring/interviews/calendar",
        "Your calendar feed",
        json!({"active": active, "new_url": new_url}),
    )
}

#[get("/account/calendar")]
async fn calendar_page(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    calendar_view(&auth, None).await
}

/// Creates the feed URL, or replaces it (the old URL stops working). Shown once, on this
/// response only.
#[post("/account/calendar")]
async fn calendar_create(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    let (me, sctx) = (auth.viewer.user_id, auth.req.ctx());
    let raw = auth.req.db(move |c| feed::create(c, &sctx, me)).await?;
    let url = format!("{}{}", auth.req.state.base_url, feed::path(&raw));
    calendar_view(&auth, Some(url)).await
}

#[post("/account/calendar/revoke")]
async fn calendar_revoke(auth: Auth<AnyUser>) -> AppResult<HttpResponse> {
    let (me, sctx) = (auth.viewer.user_id, auth.req.ctx());
    let ended = auth.req.db(move |c| feed::revoke(c, &sctx, me)).await?;
    Ok(auth.req.redirect_ok(
        "/account/calendar",
        if ended {
            "Feed URL revoked. Calendars subscribed to it stop updating."
        } else {
            "You had no feed URL."
        },
    ))
}

/// The feed itself: no session, the token is the key. Unknown or revoked: 404.
#[get("/calendar/{token}.ics")]
async fn calendar_feed(ctx: ReqCtx, token: web::Path<String>) -> AppResult<HttpResponse> {
    let (sctx, raw) = (ctx.ctx(), token.into_inner());
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    match ctx.db(move |c| feed::render(c, &sctx, &raw)).await? {
        Some(text) => Ok(HttpResponse::Ok()
            .content_type("text/calendar; charset=utf-8")
            .insert_header(("Cache-Control", "private, max-age=300"))
            .body(text)),
        None => Err(AppError::NotFound),
    }
}
