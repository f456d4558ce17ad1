//! Pages: a cohort's modules with how many trainees completed each, and one module's
//! results for the whole roster, saved in one POST.

use crate::auth::role::{Role, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CohortId, CohortModuleId, EnrolmentId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::training::cohorts::model as cohorts;
use crate::training::enrolments::model as enrolments;
use crate::training::progress::model as progress;
use crate::training::results::model::{self, ResultsSheet};
use crate::training::results::rules::{self, ResultInput};
use crate::training::results::service;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(modules_page)
        .service(results_page)
        .service(save_results);
}

#[get("/training/cohorts/{id}/results")]
async fn modules_page(
    auth: Auth<TrainingOversight>,
    id: web::Path<CohortId>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let (cohort, modules, roster, results) = auth
        .req
        .db(move |c| {
            Ok((
                cohorts::find(c, id)?,
                cohorts::modules(c, id)?,
                enrolments::roster(c, id)?,
                progress::cohort_results(c, id)?,
            ))
        })
        .await?;
    let rows: Vec<Value> = modules
        .iter()
        .map(|m| {
            let outcomes: Vec<bool> = roster
                .iter()
                .filter_map(|r| results.get(&r.enrolment_id)?.get(&m.id).copied())
                .collect();
            json!({
                "module": m,
                "completed": outcomes.len(),
                "passed": outcomes.iter().filter(|p| **p).count(),
            })
        })
        .collect();
    auth.req.page(
        "training/results/modules",
        &format!("Module results · {}", cohort.name),
        json!({"cohort": cohort, "modules": rows, "trainees": roster.len()}),
    )
}

fn sheet_view(
    sheet: &ResultsSheet,
    typed: Option<&HashMap<EnrolmentId, (bool, String)>>,
    errors: Option<&FieldErrors>,
    can_edit: bool,
) -> Value {
    let rows: Vec<Value> = sheet
        .rows
        .iter()
        .map(|r| {
            let (completed, score) = match typed.and_then(|t| t.get(&r.enrolment_id)) {
                Some((c, s)) => (*c, s.clone()),
                None => (
                    r.completed,
                    r.score.map(|s| s.to_string()).unwrap_or_default(),
                ),
            };
            json!({
                "row": r,
                "completed": completed,
                "score": score,
                "error": errors.and_then(|e| e.get(&rules::row_field(r.enrolment_id))),
            })
        })
        .collect();
    json!({"sheet": sheet, "rows": rows, "can_edit": can_edit})
}

fn title(sheet: &ResultsSheet) -> String {
    format!("{} · {}", sheet.module.title, sheet.cohort_name)
}

#[get("/training/cohorts/{id}/modules/{module_id}/results")]
async fn results_page(
    auth: Auth<TrainingOversight>,
    path: web::Path<(CohortId, CohortModuleId)>,
) -> AppResult<HttpResponse> {
    let (id, module) = *path;
    let sheet = auth.req.db(move |c| model::sheet(c, id, module)).await?;
    let can_edit = auth.viewer.has_any(&[Role::Trainer, Role::Admin]);
    auth.req.page(
        "training/results/module",
        &title(&sheet),
        sheet_view(&sheet, None, None, can_edit),
    )
}

/// Each row sends `e`, `completed_<e>` when ticked and `score_<e>` when the module has
/// an assessment. A score that is not a number is kept as typed and refused.
fn read_form(body: &[u8]) -> (Vec<ResultInput>, HashMap<EnrolmentId, (bool, String)>) {
    let mut order: Vec<EnrolmentId> = vec![];
    let mut fields: HashMap<String, String> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        if k == "e" {
            if let Ok(id) = v.trim().parse() {
                order.push(EnrolmentId(id));
            }
        } else {
            fields.insert(k.into_owned(), v.into_owned());
        }
    }
    let mut typed = HashMap::new();
    let inputs = order
        .into_iter()
        .map(|id| {
            let completed = fields.contains_key(&format!("completed_{id}"));
            let score_text = fields
                .remove(&format!("score_{id}"))
                .unwrap_or_default()
                .trim()
                .to_string();
            // Out of range on purpose when it is not a number: the rule's message fits.
            let score = (!score_text.is_empty()).then(|| score_text.parse().unwrap_or(-1));
            typed.insert(id, (completed, score_text));
            ResultInput {
                enrolment_id: id,
                completed,
                score,
            }
        })
        .collect();
    (inputs, typed)
}

#[post("/training/cohorts/{id}/modules/{module_id}/results")]
async fn save_results(
    auth: Auth<Training>,
    path: web::Path<(CohortId, CohortModuleId)>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let ((id, module), sctx) = (*path, auth.req.ctx());
    let (inputs, typed) = read_form(&body);
    match auth
        .req
        .db(move |c| service::save(c, &sctx, id, module, &inputs))
        .await
    {
        Ok(changed) => Ok(auth.req.redirect_ok(
            &format!("/training/cohorts/{id}/modules/{module}/results"),
            &format!("Results saved: {changed} changed."),
        )),
        Err(AppError::Invalid(errors)) => {
            let sheet = auth.req.db(move |c| model::sheet(c, id, module)).await?;
            let data = sheet_view(&sheet, Some(&typed), Some(&errors), true);
            auth.req
                .form_errors("training/results/module", &title(&sheet), &errors, data)
        }
        Err(e) => Err(e),
    }
}
