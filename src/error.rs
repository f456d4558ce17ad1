//! One error type. Pages render it as an HTML error page; the API scope turns the same
//! error into application/problem+json (see `web::api_problem`).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use std::collections::BTreeMap;

/// Field name to the message shown next to that field.
pub type FieldErrors = BTreeMap<String, String>;

/// What a compiled page shows next to its fields when nothing is wrong.
pub static NO_ERRORS: FieldErrors = FieldErrors::new();

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("That page does not exist.")]
    NotFound,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("Please sign in.")]
    LoginRequired { next: String },
    #[error("A valid API token is required.")]
    Unauthorized,
    #[error("This form has expired. Go back, reload the page and try again.")]
    Csrf,
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Some fields need attention.")]
    Invalid(FieldErrors),
    #[error("{}", .0.join(" "))]
    Conflict(Vec<String>),
    #[error("Something went wrong on our side.")]
    Internal(String),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(BTreeMap::from([(field.to_string(), message.into())]))
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Not found",
            AppError::Forbidden => "Forbidden",
            AppError::LoginRequired { .. } | AppError::Unauthorized => "Sign in required",
            AppError::Csrf => "Form expired",
            AppError::TooManyRequests(_) => "Too many attempts",
            AppError::Invalid(_) => "Invalid input",
            AppError::Conflict(_) => "Not allowed now",
            AppError::Internal(_) => "Server error",
        }
    }

    /// What may be shown to the person: internal details stay in the log.
    pub fn public_detail(&self) -> String {
        self.to_string()
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::internal(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::internal(e)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::internal(e)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } | AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
        if let AppError::LoginRequired { next } = self {
            let target = format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            );
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target))
                .finish();
        }
        let body =
            crate::web::render::error_page(self.status_code(), self.title(), &self.public_detail());
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

pub type AppResult<T> = Result<T, AppError>;
