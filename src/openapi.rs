//! The API's routes in one scope, and the OpenAPI document generated from that same
//! scope: a route cannot be registered without being documented.

use crate::web::middleware;
use actix_web::middleware::from_fn;
use actix_web::HttpResponse;
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;
use utoipa_actix_web::scope::Scope;
use utoipa_actix_web::{scope, AppExt};

#[derive(OpenApi)]
#[openapi(
    info(title = "onramp API", description = "Hiring and culture onboarding. Authenticate with `Authorization: Bearer <token>`; an admin issues tokens on a person's page. Errors are application/problem+json; lists use cursor pagination (`cursor`, `limit`, `next_cursor`)."),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every /api/v1 route. Register new API modules here.
pub fn api_scope() -> Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    scope("/api/v1")
        .wrap(from_fn(middleware::api_problem))
        .route("/openapi.json", actix_web::web::get().to(openapi_json))
        .configure(crate::auth::api::routes)
        .configure(crate::audit::api::routes)
        .configure(crate::hiring::api_routes)
        .configure(crate::training::api_routes)
        .configure(crate::offer::api_routes)
}

pub static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    let (_, mut doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(api_scope())
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.to_pretty_json()
        .expect("the OpenAPI document serialises")
});

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.as_str())
}
