//! CSS and the little script there is, served from the binary.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};

#[derive(rust_embed::RustEmbed)]
#[folder = "static/"]
struct Static;

#[get("/static/{file:.*}")]
pub async fn asset(file: web::Path<String>) -> HttpResponse {
    match Static::get(&file) {
        Some(content) => {
            let mime = match file.rsplit('.').next() {
                Some("css") => "text/css; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            HttpResponse::Ok()
                .content_type(mime)
                .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
                .body(content.data.into_owned())
        }
        None => HttpResponse::NotFound().finish(),
    }
}
