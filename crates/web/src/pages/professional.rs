//! `GET|POST /refer/professional`: a professional's referral, with their organisation code.

use std::collections::BTreeMap;

use axum::response::Response;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::pages::long_form::{self, LongForm};

/// `GET /refer/professional`
pub(crate) async fn form(ctx: Ctx) -> Response {
    long_form::show(&ctx, LongForm::Professional)
}

/// `POST /refer/professional`
pub(crate) async fn submit(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    long_form::submit(&ctx, LongForm::Professional, form).await
}
