//! The decisions: hire (behind the gate), reject, withdraw. Each runs in one write
//! transaction with its rows, stage move, audit entries and mail.

use crate::audit;
use crate::auth::model as users;
use crate::auth::role::Role;
use crate::auth::service::{self as accounts, NewUserInput};
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, HireId, UserId};
use crate::db::{write_tx, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::candidates::model::{self as candidates, Candidate};
use crate::hiring::decision::model::{self, GateInputs, NewHire};
use crate::hiring::decision::rules::{self, Policy, Verdict};
use crate::hiring::rules::{RejectReason, Stage, Track};
use crate::mail;
use crate::training;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Weeks of customer-loyalty training every new hire joins, whatever their role.
pub const TRAINING_WEEKS: u32 = 4;
const MAX_NOTE: usize = 2000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MissingScorecard {
    pub interviewer: String,
    pub track: Track,
}

/// Both verdicts and whether the gate is open, with every reason it is not.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Evaluation {
    pub technical: Verdict,
    pub culture: Verdict,
    pub missing_scorecards: Vec<MissingScorecard>,
    pub can_hire: bool,
    pub blocking_reasons: Vec<String>,
}

/// Runs the written policy over the candidate's current scorecards, panels and red flags.
pub fn evaluate(conn: &mut DbConn, candidate: &Candidate) -> AppResult<Evaluation> {
    Ok(judge(candidate, model::gate_inputs(conn, candidate.id)?))
}

/// The policy and the gate over inputs already read.
pub fn judge(candidate: &Candidate, inputs: GateInputs) -> Evaluation {
    let policy = Policy::default();
    let technical = rules::track_verdict(&policy, Track::Technical, &inputs.technical, 0);
    let culture = rules::track_verdict(
        &policy,
        Track::Culture,
        &inputs.culture,
        inputs.unacknowledged_red_flags,
    );
    let mut blocking_reasons: Vec<String> = rules::open_stage_problem(candidate.stage())
        .into_iter()
        .collect();
    if let Err(reasons) = rules::hire_gate(&technical, &culture, &inputs.missing) {
        blocking_reasons.extend(reasons);
    }
    Evaluation {
        technical,
        culture,
        missing_scorecards: inputs
            .missing
            .into_iter()
            .map(|(interviewer, track)| MissingScorecard { interviewer, track })
            .collect(),
        can_hire: blocking_reasons.is_empty(),
        blocking_reasons,
    }
}

/// The hire form as typed (the API takes the same fields).
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct HireInput {
    /// YYYY-MM-DD, today or later.
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub title: String,
    /// Dollars and cents, e.g. "18.50"; stored exactly as integer cents.
    #[serde(default)]
    pub hourly_rate: String,
}

struct ValidHire {
    start_date: NaiveDate,
    department: String,
    title: String,
    hourly_rate_cents: i64,
}

fn check_hire(input: &HireInput, today: NaiveDate) -> Result<ValidHire, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut note = |field: &str, e: String| {
        errors.insert(field.to_string(), e);
    };
    let start_date = rules::parse_start_date(&input.start_date, today)
        .map_err(|e| note("start_date", e))
        .ok();
    let department = rules::required_line(&input.department, "department")
        .map_err(|e| note("department", e))
        .ok();
    let title = rules::required_line(&input.title, "job title")
        .map_err(|e| note("title", e))
        .ok();
    let rate = rules::parse_hourly_cents(&input.hourly_rate)
        .map_err(|e| note("hourly_rate", e))
        .ok();
    match (start_date, department, title, rate) {
        (Some(start_date), Some(department), Some(title), Some(hourly_rate_cents)) => {
            Ok(ValidHire {
                start_date,
                department,
                title,
                hourly_rate_cents,
            })
        }
        _ => Err(errors),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hired {
    pub hire_id: HireId,
    pub candidate_id: CandidateId,
    pub user_id: UserId,
    /// The person already had an account: it was given the new_hire role instead.
    pub existing_account: bool,
    pub start_date: NaiveDate,
    pub department: String,
    pub title: String,
    pub hourly_rate_cents: i64,
}

fn open_candidate(conn: &mut DbConn, id: CandidateId) -> AppResult<Candidate> {
    let candidate = candidates::find(conn, id)?;
    if let Some(problem) = rules::open_stage_problem(candidate.stage()) {
        return Err(AppError::Conflict(vec![problem]));
    }
    Ok(candidate)
}

/// Hires a candidate: re-checks the gate inside the transaction, records the hire, moves
/// the candidate to hired, creates (or extends) their account with the new_hire role
/// mails the welcome with a set-password link, enrols them in the first training cohort
/// starting on or after the start date that has room (a trainer picks one later when
/// none has), and gives them the pre-start checklist.
pub fn hire(conn: &mut DbConn, ctx: &Ctx, id: CandidateId, input: &HireInput) -> AppResult<Hired> {
    write_tx(conn, |conn| {
        let candidate = open_candidate(conn, id)?;
        let evaluation = evaluate(conn, &candidate)?;
        if !evaluation.can_hire {
            return Err(AppError::Conflict(evaluation.blocking_reasons));
        }
        let valid = check_hire(input, ctx.now.date()).map_err(AppError::Invalid)?;

        let (user, existing_account, link) = match users::find_by_email(conn, &candidate.email)? {
            Some(user) => {
                if model::hire_for_user(conn, user.id)?.is_some() {
                    return Err(AppError::Conflict(vec![format!(
                        "The account {} already belongs to an earlier hire.",
                        user.email
                    )]));
                }
                let before = users::roles_of(conn, user.id)?;
                if !before.contains(&Role::NewHire) {
                    let mut after = before.clone();
                    after.push(Role::NewHire);
                    after.sort();
                    users::set_roles(conn, user.id, &after)?;
                    audit::record(
                        conn,
                        ctx,
                        "user.roles_changed",
                        ("user", Some(user.id.0)),
                        Some(json!({"roles": before})),
                        Some(json!({"roles": after})),
                    )?;
                }
                let link = match user.password_hash {
                    None => Some(accounts::invite_link(conn, ctx, user.id)?),
                    Some(_) => None,
                };
                (user, true, link)
            }
            None => {
                let user = accounts::create_without_password(
                    conn,
                    ctx,
                    &NewUserInput {
                        email: candidate.email.clone(),
                        name: candidate.name.clone(),
                        roles: vec![Role::NewHire],
                    },
                )?;
                let link = accounts::invite_link(conn, ctx, user.id)?;
                (user, false, Some(link))
            }
        };

        let hire_id = model::insert_hire(
            conn,
            &NewHire {
                candidate_id: candidate.id,
                user_id: user.id,
                start_date: valid.start_date,
                department: &valid.department,
                title: &valid.title,
                hourly_rate_cents: valid.hourly_rate_cents,
                hired_by: ctx.actor.user_id,
                created_at: ctx.now,
            },
        )?;
        let cohort = training::enrolments::service::onboard_hire(conn, ctx, hire_id)?;
        candidates::move_stage(
            conn,
            &candidate,
            Stage::Hired,
            None,
            "",
            ctx.actor.user_id,
            ctx.now,
        )?;
        audit::record(
            conn,
            ctx,
            "candidate.hired",
            ("candidate", Some(candidate.id.0)),
            Some(json!({"stage": candidate.stage})),
            Some(json!({
                "stage": Stage::Hired,
                "hire": hire_id.0,
                "user": user.id.0,
                "existing_account": existing_account,
                "start_date": valid.start_date,
                "department": valid.department,
                "title": valid.title,
                "hourly_rate_cents": valid.hourly_rate_cents,
            })),
        )?;
        mail::enqueue(
            conn,
            ctx,
            &candidate.email,
            "welcome",
            &json!({
                "name": candidate.name,
                "title": valid.title,
                "department": valid.department,
                "start_date": valid.start_date.format("%A %-d %B %Y").to_string(),
                "weeks": TRAINING_WEEKS,
                "link": link,
                "login": ctx.link("/login"),
                "days": crate::auth::rules::TokenPurpose::Invite.lifetime().num_days(),
                "cohort": cohort.as_ref().map(|c| &c.name),
                "training_starts": cohort.as_ref().map(|c| c.start_date.format("%A %-d %B %Y").to_string()),
            }),
        )?;
        Ok(Hired {
            hire_id,
            candidate_id: candidate.id,
            user_id: user.id,
            existing_account,
            start_date: valid.start_date,
            department: valid.department,
            title: valid.title,
            hourly_rate_cents: valid.hourly_rate_cents,
        })
    })
}

fn check_note(note: &str) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::field(
            "note",
            format!("Keep the note under {MAX_NOTE} characters."),
        ));
    }
    Ok(note.to_string())
}

/// The data the rejection mail is drawn from (also used for the preview on the page).
pub fn rejection_mail_data(candidate: &Candidate, job_title: &str) -> serde_json::Value {
    json!({"name": candidate.name, "job": job_title})
}

/// Rejection and withdrawal end the pipeline the same way: the stage move (with its
/// reason and note in the history) and an audit entry `candidate.<stage>`.
fn end_pipeline(
    conn: &mut DbConn,
    ctx: &Ctx,
    candidate: &Candidate,
    to: Stage,
    reason: Option<&str>,
    note: &str,
    mut after: serde_json::Value,
) -> AppResult<()> {
    candidates::move_stage(
        conn,
        candidate,
        to,
        reason,
        note,
        ctx.actor.user_id,
        ctx.now,
    )?;
    after["stage"] = json!(to);
    after["note"] = json!(note);
    audit::record(
        conn,
        ctx,
        &format!("candidate.{}", to.as_str()),
        ("candidate", Some(candidate.id.0)),
        Some(json!({"stage": candidate.stage})),
        Some(after),
    )?;
    Ok(())
}

/// Rejects a candidate at any open stage, with a reason from the list and a note, and
/// optionally the (kind, short) rejection mail. The reason and note stay internal.
pub fn reject(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: CandidateId,
    reason: Option<RejectReason>,
    note: &str,
    send_email: bool,
) -> AppResult<()> {
    write_tx(conn, |conn| {
        let candidate = open_candidate(conn, id)?;
        let Some(reason) = reason else {
            return Err(AppError::field(
                "reason",
                "Choose why the candidate is rejected.",
            ));
        };
        let note = check_note(note)?;
        end_pipeline(
            conn,
            ctx,
            &candidate,
            Stage::Rejected,
            Some(reason.as_str()),
            &note,
            json!({"reason": reason, "emailed": send_email}),
        )?;
        if send_email {
            let (job_title, _) = model::job_defaults(conn, candidate.job_id)?;
            mail::enqueue(
                conn,
                ctx,
                &candidate.email,
                "rejection",
                &rejection_mail_data(&candidate, &job_title),
            )?;
        }
        Ok(())
    })
}

/// Records that the candidate withdrew, at their request.
pub fn withdraw(conn: &mut DbConn, ctx: &Ctx, id: CandidateId, note: &str) -> AppResult<()> {
    write_tx(conn, |conn| {
        let candidate = open_candidate(conn, id)?;
        let note = check_note(note)?;
        end_pipeline(
            conn,
            ctx,
            &candidate,
            Stage::Withdrawn,
            Some("candidate_request"),
            &note,
            json!({}),
        )
    })
}
