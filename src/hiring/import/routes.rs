//! The CSV import page: choose a job, upload a file, see what was imported or every
//! error with its line. Recruiters and admins only.

use crate::auth::role::Recruiting;
use crate::auth::Auth;
use crate::db::ids::JobId;
use crate::error::{AppError, AppResult};
use crate::hiring::import::service::{self, Quiet};
use crate::hiring::import::{model, rules};
use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(import_page)
        .service(import_upload)
        .service(template_csv);
}

/// Largest file accepted from the browser: room for far more than 100,000 rows.
const MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// Skipped rows listed on the result page; the rest are counted.
const SHOWN_DUPLICATES: usize = 1_000;
const TITLE: &str = "Import candidates";

#[derive(Deserialize)]
struct ImportQuery {
    job: Option<i64>,
}

async fn form_data(auth: &Auth<Recruiting>, job: Option<i64>) -> AppResult<Value> {
    let jobs = auth
        .req
        .db(|c| Ok(model::jobs_taking_candidates(c)?))
        .await?;
    let jobs: Vec<Value> = jobs
        .into_iter()
        .map(|j| {
            json!({
                "id": j.id.0,
                "title": j.title,
                "department": j.department,
                "on_hold": j.status == crate::hiring::rules::JobStatus::OnHold.as_str(),
                "selected": Some(j.id.0) == job,
            })
        })
        .collect();
    Ok(json!({
        "jobs": jobs,
        "columns": rules::COLUMNS,
        "applied_at": rules::APPLIED_AT,
        "action": format!(
            "/hiring/import?csrf_token={}",
            url::form_urlencoded::byte_serialize(auth.req.csrf.as_bytes()).collect::<String>()
        ),
    }))
}

#[get("/hiring/import")]
async fn import_page(
    auth: Auth<Recruiting>,
    q: web::Query<ImportQuery>,
) -> AppResult<HttpResponse> {
    let data = form_data(&auth, q.job).await?;
    auth.req.page("hiring/import/form", TITLE, data)
}

#[get("/hiring/import/template.csv")]
async fn template_csv(_auth: Auth<Recruiting>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"candidates-template.csv\"",
        ))
        .body(rules::template())
}

/// What the upload form sent: the job and the file's bytes.
struct Upload {
    job: Option<i64>,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut form: Multipart) -> AppResult<Upload> {
    let bad = |e: actix_multipart::MultipartError| {
        AppError::field("file", format!("The upload could not be read ({e})."))
    };
    let mut upload = Upload {
        job: None,
        file_name: String::new(),
        bytes: vec![],
    };
    while let Some(mut field) = form.try_next().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            upload.file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or("")
                .to_string();
        }
        let mut value = vec![];
        while let Some(chunk) = field.try_next().await.map_err(bad)? {
            if value.len() + chunk.len() > MAX_UPLOAD {
                return Err(AppError::field(
                    "file",
                    "The file is larger than 64 MB; split it into smaller files.",
                ));
            }
            value.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => upload.bytes = value,
            "job" => upload.job = String::from_utf8_lossy(&value).trim().parse().ok(),
            _ => {}
        }
    }
    Ok(upload)
}

#[post("/hiring/import")]
async fn import_upload(auth: Auth<Recruiting>, form: Multipart) -> AppResult<HttpResponse> {
    let upload = match read_upload(form).await {
        Ok(u) => u,
        Err(AppError::Invalid(errors)) => {
            let data = form_data(&auth, None).await?;
            return auth
                .req
                .form_errors("hiring/import/form", TITLE, &errors, data);
        }
        Err(e) => return Err(e),
    };
    let mut data = form_data(&auth, upload.job).await?;
    let Some(job) = upload.job else {
        let errors = [(
            "job".to_string(),
            "Choose the job these candidates applied to.".to_string(),
        )];
        return auth
            .req
            .form_errors("hiring/import/form", TITLE, &errors.into(), data);
    };
    if upload.bytes.is_empty() {
        let errors = [(
            "file".to_string(),
            "Choose a CSV file to upload.".to_string(),
        )];
        return auth
            .req
            .form_errors("hiring/import/form", TITLE, &errors.into(), data);
    }
    let ctx = auth.req.ctx();
    let bytes = upload.bytes;
    let outcome = auth
        .req
        .db(move |c| service::import_candidates(c, &ctx, JobId(job), &bytes, &Quiet))
        .await;
    data["file_name"] = json!(upload.file_name);
    match outcome {
        Ok(Ok(report)) => {
            let shown: Vec<_> = report.duplicates.iter().take(SHOWN_DUPLICATES).collect();
            auth.req.page(
                "hiring/import/done",
                TITLE,
                json!({
                    "report": report,
                    "duplicates": shown,
                    "duplicate_count": report.duplicates.len(),
                    "more_duplicates": report.duplicates.len().saturating_sub(SHOWN_DUPLICATES),
                    "file_name": upload.file_name,
                }),
            )
        }
        Ok(Err(row_errors)) => {
            data["row_errors"] = json!(row_errors);
            data["error_count"] = json!(row_errors.len());
            auth.req.page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "hiring/import/form",
                TITLE,
                data,
            )
        }
        Err(AppError::Invalid(errors)) => {
            auth.req
                .form_errors("hiring/import/form", TITLE, &errors, data)
        }
        Err(AppError::Conflict(reasons)) => {
            data["errors"] = json!({"job": reasons.join(" ")});
            auth.req
                .page_with_status(StatusCode::CONFLICT, "hiring/import/form", TITLE, data)
        }
        Err(e) => Err(e),
    }
}
