//! `GET|POST /staff/refer`: staff take a referral by phone, answering the same questions with
//! the person; it is recorded as assisted by them.

use std::collections::BTreeMap;

use axum::response::Response;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::pages::long_form::{self, LongForm};

/// `GET /staff/refer`
pub(crate) async fn form(ctx: Ctx) -> Response {
    long_form::show(&ctx, LongForm::Phone)
}

/// `POST /staff/refer`
pub(crate) async fn submit(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    long_form::submit(&ctx, LongForm::Phone, form).await
}
