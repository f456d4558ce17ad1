//! Observation use cases: a recruiter creates a link, the observer answers through it
//! without an account (a "badly" raises the candidate's red flag), and a culture
//! interviewer acknowledges the red flag in writing. Each in one transaction, audited.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, ObservationId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model as candidates;
use crate::hiring::observations::model;
use crate::hiring::observations::rules::{self, LinkState, ObservationInput, ObserverRole};
use crate::hiring::rules::Treatment;
use serde_json::json;

/// Creates an observation link for a candidate. Returns the raw token (shown once).
pub fn create_link(
    conn: &mut DbConn,
    ctx: &Ctx,
    candidate: CandidateId,
    role: &str,
) -> AppResult<(String, model::ObservationLink)> {
    let Some(role) = ObserverRole::parse(role.trim()) else {
        return Err(AppError::field(
            "observer_role",
            "Choose who the link is for: shuttle driver, receptionist or other.",
        ));
    };
    write_tx(conn, |conn| {
        let candidate = candidates::find(conn, candidate)?;
        let (raw, id) = model::create_link(conn, candidate.id, role, ctx.actor.user_id, ctx.now)?;
        let link = model::find_link(conn, id)?;
        audit::record(
            conn,
            ctx,
            "observation_link.created",
            ("observation_link", Some(id.0)),
            None,
            Some(json!({
                "candidate_id": candidate.id,
                "observer_role": role.as_str(),
                "expires_at": link.expires_at,
            })),
        )?;
        Ok((raw, link))
    })
}

/// What happened to an answer sent through a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Recorded(ObservationId),
    /// Unknown token.
    Unknown,
    /// Used or expired: nothing was written.
    Closed(LinkState),
}

/// Records an observation through a link: once, before it expires.
pub fn observe(
    conn: &mut DbConn,
    ctx: &Ctx,
    raw: &str,
    input: &ObservationInput,
) -> AppResult<Outcome> {
    write_tx(conn, |conn| {
        let Some(link) = model::link_by_token(conn, raw)? else {
            return Ok(Outcome::Unknown);
        };
        match link.state(ctx.now) {
            LinkState::Open => {}
            closed => return Ok(Outcome::Closed(closed)),
        }
        let valid = rules::validate(input).map_err(AppError::Invalid)?;
        if !model::use_link(conn, link.id, ctx.now)? {
            return Ok(Outcome::Closed(LinkState::Used));
        }
        let mut ctx = ctx.clone();
        ctx.actor.label = format!("observer via link {} ({})", link.id, valid.observer_name);
        let id = model::insert(conn, &link, &valid, ctx.now)?;
        audit::record(
            conn,
            &ctx,
            "observation.submitted",
            ("observation", Some(id.0)),
            None,
            Some(json!({
                "candidate_id": link.candidate_id,
                "link_id": link.id,
                "observer_name": valid.observer_name,
                "observer_role": link.observer_role,
                "treatment": valid.treatment.as_str(),
                "note": valid.note,
            })),
        )?;
        if valid.treatment == Treatment::Badly
            && model::raise_red_flag(conn, link.candidate_id, ctx.now)?
        {
            audit::record(
                conn,
                &ctx,
                "candidate.red_flagged",
                ("candidate", Some(link.candidate_id.0)),
                Some(json!({"red_flag": false})),
                Some(json!({"red_flag": true, "observation_id": id})),
            )?;
        }
        Ok(Outcome::Recorded(id))
    })
}

/// The state of a link for the public page, without writing anything.
pub fn link_state(
    conn: &mut DbConn,
    ctx: &Ctx,
    raw: &str,
) -> AppResult<Option<(model::ObservationLink, LinkState)>> {
    Ok(model::link_by_token(conn, raw)?.map(|l| {
        let s = l.state(ctx.now);
        (l, s)
    }))
}

/// A culture interviewer acknowledges a red flag with a written note. Nobody else may,
/// whatever their role.
pub fn acknowledge(
    conn: &mut DbConn,
    ctx: &Ctx,
    user: UserId,
    id: ObservationId,
    note: &str,
) -> AppResult<model::Observation> {
    write_tx(conn, |conn| {
        let observation = model::find(conn, id)?;
        if !model::on_culture_panel(conn, user, observation.candidate_id)? {
            return Err(AppError::Forbidden);
        }
        if !observation.is_red_flag() {
            return Err(AppError::Conflict(vec![
                "Only a red flag (a \"badly\") needs acknowledging.".into(),
            ]));
        }
        if observation.acknowledged_at.is_some() {
            return Err(AppError::Conflict(vec![
                "This red flag has already been acknowledged.".into(),
            ]));
        }
        let note = rules::acknowledgement(note).map_err(AppError::Invalid)?;
        if !model::acknowledge(conn, id, user, &note, ctx.now)? {
            return Err(AppError::Conflict(vec![
                "This red flag has already been acknowledged.".into(),
            ]));
        }
        audit::record(
            conn,
            ctx,
            "observation.acknowledged",
            ("observation", Some(id.0)),
            Some(json!({"acknowledged": false})),
            Some(json!({
                "acknowledged": true,
                "candidate_id": observation.candidate_id,
                "note": note,
            })),
        )?;
        Ok(model::find(conn, id)?)
    })
}
