//! Pages: the decision section of the candidate page, the hire form, reject and withdraw.

use crate::auth::role::{Recruiting, Role};
use crate::auth::Auth;
use crate::ctx::Ctx;
use crate::db::ids::CandidateId;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::hiring::candidates::model::{self as candidates, Candidate};
use crate::hiring::decision::rules::{self, Outcome, Policy, Verdict};
use crate::hiring::decision::{model, service};
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::observations::model::unacknowledged_red_flags;
use crate::hiring::rules::{RejectReason, Stage};
use crate::web::context::Viewer;
use crate::web::render;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(hire_page)
        .service(hire_submit)
        .service(reject_submit)
        .service(withdraw_submit);
}

fn verdict_json(v: &Verdict) -> Value {
    let tag = match v.outcome {
        Outcome::Passed => "good",
        Outcome::NotPassed => "bad",
        Outcome::Pending => "warn",
    };
    json!({
        "track": v.track,
        "track_label": v.track.label(),
        "outcome": v.outcome,
        "outcome_label": v.outcome.label(),
        "tag": tag,
        "reasons": v.reasons,
    })
}

fn stage_tag(stage: Stage) -> &'static str {
    match stage {
        Stage::Hired => "good",
        Stage::Rejected => "bad",
        _ => "warn",
    }
}

/// The rejection mail as the candidate would receive it (subject and text part).
fn rejection_preview(ctx: &Ctx, candidate: &Candidate, job_title: &str) -> Value {
    let mut data = service::rejection_mail_data(candidate, job_title);
    data["company"] = json!(ctx.company);
    let part = |p: &str| render::render_text(&format!("email/rejection.{p}"), &data);
    json!({
        "subject": part("subject").map(|s| s.trim().to_string()).unwrap_or_default(),
        "text": part("txt").unwrap_or_default(),
    })
}

/// The data of the decision section: the written policy, the verdicts (hidden from an
/// interviewer who has not submitted), the hire button and why it is disabled, the
/// reject and withdraw forms; for a final stage, the outcome instead. The candidate page's
/// section (`{{> hiring/decision/panel decision}}`), from the interview file, red-flag
/// count and ending (read for a final stage) the page has already read.
pub fn panel(
    ctx: &Ctx,
    viewer: &Viewer,
    candidate: &Candidate,
    job_title: &str,
    evidence: (&InterviewFile, usize),
    ending: Option<model::Ending>,
) -> Value {
    let stage = candidate.stage();
    let (file, unacknowledged_red_flags) = evidence;
    let mut data = json!({
        "candidate_id": candidate.id,
        "final": stage.is_final(),
        "policy": Policy::default().describe(),
        "can_decide": viewer.has_any(&[Role::Recruiter, Role::Admin]),
        "reasons": RejectReason::options(),
        "rejection_preview": rejection_preview(ctx, candidate, job_title),
        "form": {},
        "errors": {},
    });
    if stage.is_final() {
        let model::Ending { hire, last_move } = ending.unwrap_or_default();
        let reason_label = last_move
            .as_ref()
            .and_then(|m| m.reason.as_deref())
            .and_then(RejectReason::parse)
            .map(|r| r.label());
        data["outcome"] = json!({
            "stage_label": stage.label(),
            "tag": stage_tag(stage),
            "rate": hire.as_ref().map(|h| rules::format_cents(h.hourly_rate_cents)),
            "hire": hire,
            "move": last_move,
            "reason_label": reason_label,
        });
        return data;
    }
    let blinded = !file.unblinded(viewer);
    data["blinded"] = json!(blinded);
    if !blinded {
        let e = service::judge(
            candidate,
            model::inputs_from(file, unacknowledged_red_flags),
        );
        data["verdicts"] = json!([verdict_json(&e.technical), verdict_json(&e.culture)]);
        data["can_hire"] = json!(e.can_hire);
        data["blocking_reasons"] = json!(e.blocking_reasons);
    }
    data
}

/// The decision section read from scratch: the hire page and a decision form shown again.
fn panel_read(
    conn: &mut DbConn,
    ctx: &Ctx,
    viewer: &Viewer,
    candidate: &Candidate,
    job_title: &str,
) -> AppResult<Value> {
    let file = InterviewFile::load(conn, candidate.id)?;
    let flags = unacknowledged_red_flags(conn, candidate.id)? as usize;
    let ending = if candidate.stage().is_final() {
        Some(model::Ending {
            hire: model::hire_of(conn, candidate.id)?,
            last_move: model::last_move(conn, candidate.id)?,
        })
    } else {
        None
    };
    Ok(panel(
        ctx,
        viewer,
        candidate,
        job_title,
        (&file, flags),
        ending,
    ))
}

fn candidate_link(id: CandidateId) -> String {
    format!("/hiring/candidates/{id}")
}

/// The hire page's data: the candidate, the gate, and the form (defaults from the job).
fn hire_page_data(
    conn: &mut DbConn,
    ctx: &Ctx,
    viewer: &Viewer,
    id: CandidateId,
    form: Option<&service::HireInput>,
) -> AppResult<Value> {
    let candidate = candidates::find(conn, id)?;
    let (title, department) = model::job_defaults(conn, candidate.job_id)?;
    let mut decision = panel_read(conn, ctx, viewer, &candidate, &title)?;
    if candidate.stage().is_final() {
        decision["can_hire"] = json!(false);
        decision["blocking_reasons"] = json!(rules::open_stage_problem(candidate.stage())
            .into_iter()
            .collect::<Vec<_>>());
    }
    let form = match form {
        Some(f) => json!(f),
        None => {
            json!({"department": department, "title": title, "start_date": "", "hourly_rate": ""})
        }
    };
    Ok(json!({
        "candidate": candidate,
        "decision": decision,
        "form": form,
        "weeks": service::TRAINING_WEEKS,
    }))
}

#[get("/hiring/candidates/{id}/hire")]
async fn hire_page(auth: Auth<Recruiting>, id: web::Path<CandidateId>) -> AppResult<HttpResponse> {
    let (id, sctx, viewer) = (*id, auth.req.ctx(), auth.viewer.clone());
    let data = auth
        .req
        .db(move |c| hire_page_data(c, &sctx, &viewer, id, None))
        .await?;
    let status = if data["decision"]["final"] == json!(true) {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let title = format!("Hire {}", data["candidate"]["name"].as_str().unwrap_or(""));
    auth.req
        .page_with_status(status, "hiring/decision/hire", &title, data)
}

/// The hire page again after a refused POST: with the gate's reasons (409) or with the
/// messages next to the fields (422), keeping what was typed.
async fn hire_again(
    auth: &Auth<Recruiting>,
    id: CandidateId,
    form: service::HireInput,
    refusal: Result<Vec<String>, crate::error::FieldErrors>,
) -> AppResult<HttpResponse> {
    let (sctx, viewer) = (auth.req.ctx(), auth.viewer.clone());
    let mut data = auth
        .req
        .db(move |c| hire_page_data(c, &sctx, &viewer, id, Some(&form)))
        .await?;
    let title = format!("Hire {}", data["candidate"]["name"].as_str().unwrap_or(""));
    match refusal {
        Ok(reasons) => {
            data["decision"]["can_hire"] = json!(false);
            data["decision"]["blocking_reasons"] = json!(reasons);
            auth.req
                .page_with_status(StatusCode::CONFLICT, "hiring/decision/hire", &title, data)
        }
        Err(errors) => auth
            .req
            .form_errors("hiring/decision/hire", &title, &errors, data),
    }
}

#[post("/hiring/candidates/{id}/hire")]
async fn hire_submit(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    form: web::Form<service::HireInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx, form) = (*id, auth.req.ctx(), form.into_inner());
    let input = form.clone();
    let result = auth
        .req
        .db(move |c| service::hire(c, &sctx, id, &input))
        .await;
    match result {
        Ok(hired) => {
            let message = if hired.existing_account {
                format!(
                    "Hired. They already had an account, which now also has the new hire role; \
                     a welcome email with their start date ({}) is on its way.",
                    hired.start_date
                )
            } else {
                format!(
                    "Hired. Their account is created and a welcome email with their start date \
                     ({}) and a link to choose a password is on its way.",
                    hired.start_date
                )
            };
            Ok(auth.req.redirect_ok(&candidate_link(id), &message))
        }
        Err(AppError::Invalid(errors)) => hire_again(&auth, id, form, Err(errors)).await,
        Err(AppError::Conflict(reasons)) => hire_again(&auth, id, form, Ok(reasons)).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct RejectForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    send_email: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct WithdrawForm {
    #[serde(default)]
    note: String,
}

/// Shows the reject or withdraw form alone again, with the messages next to its fields
/// and what was typed kept.
async fn decide_again(
    auth: &Auth<Recruiting>,
    id: CandidateId,
    withdraw: bool,
    form: Value,
    errors: crate::error::FieldErrors,
) -> AppResult<HttpResponse> {
    let (sctx, viewer) = (auth.req.ctx(), auth.viewer.clone());
    let (candidate, mut decision) = auth
        .req
        .db(move |c| {
            let candidate = candidates::find(c, id)?;
            let (job_title, _) = model::job_defaults(c, candidate.job_id)?;
            let decision = panel_read(c, &sctx, &viewer, &candidate, &job_title)?;
            Ok((candidate, decision))
        })
        .await?;
    decision["form"] = form;
    decision["errors"] = json!(errors);
    let heading = if withdraw {
        format!("Withdraw {}", candidate.name)
    } else {
        format!("Reject {}", candidate.name)
    };
    auth.req.form_errors(
        "hiring/decision/decide",
        &heading,
        &errors,
        json!({"candidate": candidate, "decision": decision, "withdraw": withdraw, "heading": heading}),
    )
}

#[post("/hiring/candidates/{id}/reject")]
async fn reject_submit(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    form: web::Form<RejectForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx, form) = (*id, auth.req.ctx(), form.into_inner());
    let reason = RejectReason::parse(form.reason.trim());
    let send_email = form.send_email.is_some();
    let note = form.note.clone();
    let result = auth
        .req
        .db(move |c| service::reject(c, &sctx, id, reason, &note, send_email))
        .await;
    match result {
        Ok(()) => {
            let message = if send_email {
                "Rejected. The rejection email is on its way."
            } else {
                "Rejected. No email was sent."
            };
            Ok(auth.req.redirect_ok(&candidate_link(id), message))
        }
        Err(AppError::Invalid(errors)) => {
            let shown = json!({"reason": form.reason, "note": form.note, "send_email": send_email});
            decide_again(&auth, id, false, shown, errors).await
        }
        Err(e) => Err(e),
    }
}

#[post("/hiring/candidates/{id}/withdraw")]
async fn withdraw_submit(
    auth: Auth<Recruiting>,
    id: web::Path<CandidateId>,
    form: web::Form<WithdrawForm>,
) -> AppResult<HttpResponse> {
    let (id, sctx, note) = (*id, auth.req.ctx(), form.note.clone());
    match auth
        .req
        .db(move |c| service::withdraw(c, &sctx, id, &note))
        .await
    {
        Ok(()) => Ok(auth
            .req
            .redirect_ok(&candidate_link(id), "Withdrawn at the candidate's request.")),
        Err(AppError::Invalid(errors)) => {
            let shown = json!({"withdraw_note": form.note});
            decide_again(&auth, id, true, shown, errors).await
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn render(data: serde_json::Value) -> String {
        crate::web::render::render("hiring/decision/panel", data).expect("panel renders")
    }

    fn open_panel(can_hire: bool, blinded: bool) -> serde_json::Value {
        json!({
            "candidate_id": 7, "final": false, "blinded": blinded, "can_decide": true,
            "policy": ["A single \"strong no\" fails the track."],
            "verdicts": [
                {"track_label": "Technical", "outcome": "passed", "outcome_label": "Passed", "tag": "good", "reasons": ["2 of 2 say yes"]},
                {"track_label": "Culture fit", "outcome": "not_passed", "outcome_label": "Not passed", "tag": "bad", "reasons": ["1 strong no"]}
            ],
            "can_hire": can_hire,
            "blocking_reasons": if can_hire { json!([]) } else { json!(["The culture fit track has not passed."]) },
            "reasons": crate::hiring::rules::RejectReason::options(),
            "rejection_preview": {"subject": "Your application", "text": "Hello Ann"},
            "form": {}, "errors": {},
        })
    }

    #[test]
    fn a_blocked_hire_shows_a_disabled_button_and_why() {
        let html = render(open_panel(false, false));
        assert!(html.contains("disabled"));
        assert!(html.contains("The culture fit track has not passed."));
        assert!(!html.contains("/hiring/candidates/7/hire\""));
        assert!(html.contains("action=\"/hiring/candidates/7/reject\""));
        assert!(html.contains("action=\"/hiring/candidates/7/withdraw\""));
        assert!(html.contains("Send the rejection email"));
        assert!(html.contains("Hello Ann"));
        assert!(html.contains("Not a culture fit"));
        assert!(html.contains("Culture fit: <span class=\"tag bad\">Not passed"));
    }

    #[test]
    fn an_open_gate_links_to_the_hire_form() {
        let html = render(open_panel(true, false));
        assert!(html.contains("href=\"/hiring/candidates/7/hire\""));
        assert!(!html.contains("disabled"));
    }

    #[test]
    fn a_blinded_viewer_sees_the_policy_but_no_verdict() {
        let mut data = open_panel(false, true);
        data["can_decide"] = json!(false);
        let html = render(data);
        assert!(html.contains("strong no"));
        assert!(html.contains("hidden until you submit"));
        assert!(!html.contains("Not passed"));
        assert!(!html.contains("reject"));
    }

    #[test]
    fn a_final_stage_shows_the_outcome_instead() {
        let html = render(json!({
            "candidate_id": 7, "final": true, "can_decide": true,
            "outcome": {"stage_label": "Rejected", "tag": "bad", "reason_label": "Position filled",
                        "move": {"at": "2026-12-01T10:00:00", "by": "Rita", "note": "Filled internally"}},
        }));
        assert!(html.contains("Rejected"));
        assert!(html.contains("Position filled"));
        assert!(html.contains("Filled internally"));
        assert!(!html.contains("<form"));
    }
}
