use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}

/// This part's section of the candidate page (placeholder until built).
pub fn panel(
    _conn: &mut crate::db::DbConn,
    _ctx: &crate::ctx::Ctx,
    _viewer: &crate::web::context::Viewer,
    _candidate: &crate::hiring::candidates::model::Candidate,
) -> crate::error::AppResult<serde_json::Value> {
    Ok(serde_json::Value::Null)
}
