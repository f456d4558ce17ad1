//! JSON API for call shifts: a trainee's log (trainers and HR read, trainers log) and
//! the signed-in new hire's own.

use crate::auth::role::{NewHires, Training, TrainingOversight};
use crate::auth::Auth;
use crate::db::ids::{CallShiftId, EnrolmentId};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::training::calls::model::{self, CallLog};
use crate::training::calls::rules::{ShiftBody, ShiftInput};
use crate::training::calls::service;
use crate::training::enrolments::model as enrolments;
use actix_web::{delete, get, post, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_calls)
        .service(post_calls)
        .service(get_my_calls)
        .service(post_my_calls)
        .service(delete_shift);
}

fn log_of(conn: &mut DbConn, id: EnrolmentId) -> AppResult<CallLog> {
    let e = enrolments::find(conn, id)?;
    Ok(model::call_log(conn, &e)?)
}

/// A trainee's phone shifts, latest first, with live-call hours against the target.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path, description = "Enrolment id")), responses((status = 200, body = CallLog), (status = 403, description = "Trainers, HR and admins only"), (status = 404, description = "No such enrolment")))]
#[get("/enrolments/{id}/calls")]
async fn get_calls(
    auth: Auth<TrainingOversight>,
    id: web::Path<EnrolmentId>,
) -> AppResult<web::Json<CallLog>> {
    let id = *id;
    Ok(web::Json(auth.req.db(move |c| log_of(c, id)).await?))
}

/// Logs a phone shift for a trainee. Times are in the company time zone; the shift must
/// have ended, last at most 12 hours, fall on or after the trainee's first training day
/// and not overlap another of theirs.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path, description = "Enrolment id")), request_body = ShiftBody, responses((status = 201, body = CallLog), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such enrolment"), (status = 409, description = "The trainee is no longer in training"), (status = 422, description = "Field errors")))]
#[post("/enrolments/{id}/calls")]
async fn post_calls(
    auth: Auth<Training>,
    id: web::Path<EnrolmentId>,
    body: web::Json<ShiftBody>,
) -> AppResult<HttpResponse> {
    let (id, sctx, tz) = (*id, auth.req.ctx(), auth.req.state.settings.tz());
    let input: ShiftInput = body.into_inner().into();
    let log = auth
        .req
        .db(move |c| {
            service::log_shift(c, &sctx, tz, id, &input)?;
            log_of(c, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(log))
}

/// The signed-in new hire's own phone shifts and hours.
#[utoipa::path(tag = "training", security(("bearer" = [])), responses((status = 200, body = CallLog), (status = 403, description = "New hires only"), (status = 404, description = "Not enrolled in training")))]
#[get("/me/calls")]
async fn get_my_calls(auth: Auth<NewHires>) -> AppResult<web::Json<CallLog>> {
    let me = auth.viewer.user_id;
    let log = auth
        .req
        .db(move |c| {
            let e = enrolments::current_for_user(c, me)?.ok_or(AppError::NotFound)?;
            Ok(model::call_log(c, &e)?)
        })
        .await?;
    Ok(web::Json(log))
}

/// Logs a phone shift of the signed-in new hire's own (same rules as a trainer's).
#[utoipa::path(tag = "training", security(("bearer" = [])), request_body = ShiftBody, responses((status = 201, body = CallLog), (status = 403, description = "New hires only"), (status = 404, description = "Not enrolled in training"), (status = 409, description = "No longer in training"), (status = 422, description = "Field errors")))]
#[post("/me/calls")]
async fn post_my_calls(
    auth: Auth<NewHires>,
    body: web::Json<ShiftBody>,
) -> AppResult<HttpResponse> {
    let (sctx, tz, me) = (
        auth.req.ctx(),
        auth.req.state.settings.tz(),
        auth.viewer.user_id,
    );
    let input: ShiftInput = body.into_inner().into();
    let log = auth
        .req
        .db(move |c| {
            let id = enrolments::current_for_user(c, me)?
                .ok_or(AppError::NotFound)?
                .id;
            service::log_shift(c, &sctx, tz, id, &input)?;
            log_of(c, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(log))
}

/// Removes a shift logged in error, while the trainee is in training; the audit log
/// keeps what it said. Answers the trainee's log as it is now.
#[utoipa::path(tag = "training", security(("bearer" = [])), params(("id" = i64, Path, description = "Shift id")), responses((status = 200, body = CallLog), (status = 403, description = "Trainers and admins only"), (status = 404, description = "No such shift"), (status = 409, description = "The trainee is no longer in training")))]
#[delete("/call-shifts/{id}")]
async fn delete_shift(
    auth: Auth<Training>,
    id: web::Path<CallShiftId>,
) -> AppResult<web::Json<CallLog>> {
    let (id, sctx) = (*id, auth.req.ctx());
    let log = auth
        .req
        .db(move |c| {
            let enrolment = service::remove_shift(c, &sctx, id)?;
            log_of(c, enrolment)
        })
        .await?;
    Ok(web::Json(log))
}
