//! JSON API for coaching notes: trainers and HR read, trainers write. Never new hires.

use crate::auth::role::{Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::EnrolmentId;
use crate::error::AppResult;
use crate::training::coaching::model::{self, CoachingNote};
use crate::training::coaching::service::{self, NoteInput};
use crate::training::enrolments::model as enrolments;
use actix_web::{get, post, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_notes).service(post_note);
}

/// A trainee's coaching notes, latest first.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path, description = "Enrolment id")), responses((status = 200, body = Vec<CoachingNote>), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such enrolment")))]
#[get("/enrolments/{id}/coaching-notes")]
async fn get_notes(
    auth: Auth<TrainingOversight>,
    id: web::Path<EnrolmentId>,
) -> AppResult<web::Json<Vec<CoachingNote>>> {
    let id = *id;
    let notes = auth
        .req
        .db(move |c| {
            enrolments::find(c, id)?;
            Ok(model::for_enrolment(c, id)?)
        })
        .await?;
    Ok(web::Json(notes))
}

/// Adds a coaching note to a trainee (audited).
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path, description = "Enrolment id")), request_body = NoteInput, responses((status = 201, body = Vec<CoachingNote>), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such enrolment"), (status = 422, description = "Field errors")))]
#[post("/enrolments/{id}/coaching-notes")]
async fn post_note(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    body: web::Json<NoteInput>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    let notes = auth
        .req
        .db(move |c| {
            service::add(c, &sctx, id, &body)?;
            Ok(model::for_enrolment(c, id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(notes))
}
