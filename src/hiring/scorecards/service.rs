//! Scorecard use cases: submit (once, final) and amend (a new version that keeps the
//! original), each in one transaction with its audit entry; and who may see one.

use crate::audit;
use crate::ctx::Ctx;
use crate::db::ids::{InterviewId, ScorecardId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model as candidates;
use crate::hiring::scorecards::model::{self, InterviewFacts, Scorecard};
use crate::hiring::scorecards::rules::{self, Attribute, Rating, RatingInput, ScorecardInput};
use crate::web::context::Viewer;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

pub const ALREADY_SUBMITTED: &str =
    "You have already submitted your scorecard for this interview. A submitted scorecard is final; amend it to correct it.";
pub const CANCELLED: &str = "This interview was cancelled; it takes no scorecards.";

/// Why the viewer may not fill in a scorecard for this interview, checked in order:
/// not on the panel (403), cancelled or already submitted (409).
pub fn check_can_submit(
    conn: &mut DbConn,
    interview: &InterviewFacts,
    user: UserId,
) -> AppResult<()> {
    if !model::on_panel(conn, interview.id, user)? {
        return Err(AppError::Forbidden);
    }
    if interview.cancelled() {
        return Err(AppError::Conflict(vec![CANCELLED.into()]));
    }
    if model::find_for(conn, interview.id, user)?.is_some() {
        return Err(AppError::Conflict(vec![ALREADY_SUBMITTED.into()]));
    }
    Ok(())
}

/// The attributes an interview's scorecard rates.
pub fn attributes_for(conn: &mut DbConn, interview: &InterviewFacts) -> AppResult<Vec<Attribute>> {
    let candidate = candidates::find(conn, interview.candidate_id)?;
    Ok(model::attributes(
        conn,
        interview.track(),
        candidate.job_id,
    )?)
}

/// The attributes an amendment rates: those the current version rated (names as
/// scored then), with today's help text where the attribute still exists.
pub fn attributes_of(
    conn: &mut DbConn,
    card: &Scorecard,
    current: &[model::RatingRow],
) -> AppResult<Vec<Attribute>> {
    let interview = model::interview(conn, card.interview_id)?;
    let live = attributes_for(conn, &interview)?;
    Ok(current
        .iter()
        .map(|r| {
            let now = live.iter().find(|a| a.id == r.attribute_id);
            Attribute {
                id: r.attribute_id,
                name: r.attribute_name.clone(),
                help: now.map(|a| a.help.clone()).unwrap_or_default(),
                questions: now.map(|a| a.questions.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

/// The current version's ratings as form input, to prefill an amendment.
pub fn input_of(
    card: &Scorecard,
    versions: &[(model::Version, Vec<model::RatingRow>)],
) -> ScorecardInput {
    let Some((v, ratings)) = versions.iter().find(|(v, _)| v.version == card.version) else {
        return ScorecardInput::default();
    };
    ScorecardInput {
        recommendation: v.recommendation.clone(),
        summary: v.summary.clone(),
        reason: String::new(),
        ratings: ratings
            .iter()
            .map(|r| RatingInput {
                attribute_id: r.attribute_id,
                rating: Rating::from_value(r.rating).as_form(),
                evidence: r.evidence.clone(),
            })
            .collect(),
    }
}

fn card_json(rec: &str, summary: &str, ratings: &[rules::ValidRating]) -> serde_json::Value {
    json!({
        "recommendation": rec,
        "summary": summary,
        "ratings": ratings.iter().map(|r| json!({
            "attribute_id": r.attribute_id,
            "attribute": r.attribute_name,
            "rating": r.rating.value(),
            "evidence": r.evidence,
        })).collect::<Vec<_>>(),
    })
}

/// Submits the viewer's scorecard for an interview. Exactly one per interviewer per
/// interview: a second, even a concurrent one, is a conflict.
pub fn submit(
    conn: &mut DbConn,
    ctx: &Ctx,
    user: UserId,
    interview_id: InterviewId,
    input: &ScorecardInput,
) -> AppResult<ScorecardId> {
    write_tx(conn, |conn| {
        let interview = model::interview(conn, interview_id)?;
        check_can_submit(conn, &interview, user)?;
        let attributes = attributes_for(conn, &interview)?;
        let card = rules::validate(&attributes, input, false).map_err(AppError::Invalid)?;
        let id = model::insert(conn, &interview, user, &card, ctx.now).map_err(|e| match e {
            // Two submits at once: the unique index lets exactly one through.
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict(vec![ALREADY_SUBMITTED.into()])
            }
            other => other.into(),
        })?;
        let mut after = card_json(card.recommendation.as_str(), &card.summary, &card.ratings);
        after["interview_id"] = json!(interview.id);
        after["candidate_id"] = json!(interview.candidate_id);
        after["track"] = json!(interview.track);
        after["version"] = json!(1);
        audit::record(
            conn,
            ctx,
            "scorecard.submitted",
            ("scorecard", Some(id.0)),
            None,
            Some(after),
        )?;
        Ok(id)
    })
}

/// Amends a submitted scorecard: only its author, with a reason. The new version is
/// current; every earlier one stays readable.
pub fn amend(
    conn: &mut DbConn,
    ctx: &Ctx,
    user: UserId,
    id: ScorecardId,
    input: &ScorecardInput,
) -> AppResult<i64> {
    write_tx(conn, |conn| {
        let card = model::find(conn, id)?;
        if card.interviewer_id != user {
            return Err(AppError::Forbidden);
        }
        let versions = model::versions(conn, id)?;
        let current = versions
            .iter()
            .find(|(v, _)| v.version == card.version)
            .ok_or(AppError::NotFound)?;
        let attributes = attributes_of(conn, &card, &current.1)?;
        let valid = rules::validate(&attributes, input, true).map_err(AppError::Invalid)?;
        let before_ratings: Vec<rules::ValidRating> = current
            .1
            .iter()
            .map(|r| rules::ValidRating {
                attribute_id: r.attribute_id,
                attribute_name: r.attribute_name.clone(),
                rating: Rating::from_value(r.rating),
                evidence: r.evidence.clone(),
            })
            .collect();
        let mut before = card_json(
            &current.0.recommendation,
            &current.0.summary,
            &before_ratings,
        );
        before["version"] = json!(card.version);
        let next = model::amend(conn, &card, &valid, user, ctx.now)?;
        let mut after = card_json(
            valid.recommendation.as_str(),
            &valid.summary,
            &valid.ratings,
        );
        after["version"] = json!(next);
        after["reason"] = json!(valid.reason);
        audit::record(
            conn,
            ctx,
            "scorecard.amended",
            ("scorecard", Some(id.0)),
            Some(before),
            Some(after),
        )?;
        Ok(next)
    })
}

/// Its author, recruiters, HR and admins, and the candidate's other interviewers once
/// they are unblinded (their own scorecards are all in).
pub fn can_view(conn: &mut DbConn, viewer: &Viewer, card: &Scorecard) -> AppResult<bool> {
    Ok(card.interviewer_id == viewer.user_id || model::unblinded(conn, viewer, card.candidate_id)?)
}
