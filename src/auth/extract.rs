//! `Auth<A>`: the role check as an extractor. A handler that takes `Auth<AdminOnly>`
//! cannot run for anyone else: pages redirect the signed-out to sign in and answer 403
//! to the wrong role; the API answers 401 and 403 as problem+json.

use crate::auth::role::Access;
use crate::error::AppError;
use crate::web::context::{ReqCtx, Viewer};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{ready, Ready};
use std::marker::PhantomData;

pub struct Auth<A: Access> {
    pub viewer: Viewer,
    pub req: ReqCtx,
    _access: PhantomData<A>,
}

impl<A: Access> FromRequest for Auth<A> {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(ReqCtx::of(req).and_then(|ctx| {
            let Some(viewer) = ctx.viewer.clone() else {
                return Err(if req.path().starts_with("/api/") {
                    AppError::Unauthorized
                } else {
                    AppError::LoginRequired {
                        next: ctx.path.clone(),
                    }
                });
            };
            if !viewer.has_any(A::ROLES) {
                return Err(AppError::Forbidden);
            }
            Ok(Auth {
                viewer,
                req: ctx,
                _access: PhantomData,
            })
        }))
    }
}
